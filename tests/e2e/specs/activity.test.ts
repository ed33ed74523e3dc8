import { readFileSync } from "node:fs";
import { afterEach, describe, expect, test } from "vitest";
import {
  agreementAdditions,
  byTestId,
  closeWizard,
  freshDataDir,
  launchApp,
  reviewGreenLane,
  simRequests,
  snapshot,
  startSim,
  textOf,
  type App,
  type Sim,
  type WireAddition,
} from "../harness";

let app: App | undefined;
let sim: Sim | undefined;

afterEach(async () => {
  await app?.close();
  app = undefined;
  await sim?.stop();
  sim = undefined;
});

/** Green Lane's agreement and Change Order. */
const AGREEMENT = 4127;
const ORDER = "1000231";

/** An agreement's additions as they bear on the invoice, ids left out, sorted. */
function essence(list: WireAddition[]): string[] {
  return list
    .map((a) => `${a.product.id} ${a.quantity} × ${a.unitPrice} ${a.billCustomer} ${a.effectiveDate ?? ""} → ${a.cancelledDate ?? ""}`)
    .sort();
}

describe("activity and undo", () => {
  test("a synced Demo task is found in Activity, undone, ConnectWise reads back as before the sync, and the activity is exported as CSV", async () => {
    sim = await startSim();
    const before = essence(await agreementAdditions(sim, AGREEMENT));
    app = await launchApp({ AGREEMENT_SYNC_DATA_DIR: freshDataDir(), AGREEMENT_SYNC_DEMO_URL: sim.url });
    const { browser } = app;
    await reviewGreenLane(browser);
    const sync = browser.$(byTestId("sync-button"));
    await sync.waitForClickable({ timeout: 10_000 });
    await sync.click();
    await browser.waitUntil(async () => (await browser.$(byTestId("sync-result")).getAttribute("data-state")) === "synced", {
      timeout: 60_000,
      timeoutMsg: "the sync did not end synced",
    });
    expect(essence(await agreementAdditions(sim, AGREEMENT))).not.toEqual(before);
    await closeWizard(browser);

    // Activity lists the sync's six writes, found by the order.
    await browser.$(byTestId("view-activity")).click();
    await browser.$(byTestId("activity-screen")).waitForExist({ timeout: 10_000 });
    await browser.$(byTestId("activity-search")).setValue(ORDER);
    await browser.waitUntil(async () => (await browser.$$(byTestId("activity-row"))).length === 6, {
      timeout: 10_000,
      timeoutMsg: "the sync's six writes are not listed",
    });
    expect(await textOf(browser, byTestId("activity-total"))).toContain("6");
    const first = browser.$(byTestId("activity-row"));
    expect(await first.getAttribute("data-other-desk")).toBe("false");
    expect(String(await first.getProperty("textContent"))).toContain("Green Lane");
    snapshot("activity-list");

    // Undo it from its row: the plan opens in the wizard, and is written.
    await first.$(byTestId("activity-undo")).click();
    await browser.$(byTestId("undo-panel")).waitForExist({ timeout: 10_000 });
    const rows = await browser.$$(byTestId("undo-row"));
    expect(rows.length).toBeGreaterThan(0);
    const kinds: string[] = [];
    for (const r of rows) kinds.push(await r.getAttribute("data-kind"));
    expect(kinds.every((k) => k === "remove" || k === "restore"), kinds.join()).toBe(true);
    snapshot("undo-plan");
    const undo = browser.$(byTestId("undo-sync"));
    await undo.waitForClickable({ timeout: 10_000 });
    await undo.click();
    await browser.waitUntil(async () => (await browser.$(byTestId("undo-result")).getAttribute("data-state")) === "synced", {
      timeout: 60_000,
      timeoutMsg: "the undo did not end synced",
    });
    snapshot("undo-done");

    // ConnectWise holds the agreement exactly as before the sync; nothing was removed twice.
    expect(essence(await agreementAdditions(sim, AGREEMENT))).toEqual(before);
    const removals = (await simRequests(sim)).filter((q) => q.method === "DELETE");
    expect(removals).toHaveLength(4);

    // The activity now holds the undo's writes too, and is saved as CSV.
    await closeWizard(browser).catch(() => undefined);
    await browser.$(byTestId("view-activity")).click();
    await browser.$(byTestId("activity-search")).setValue(ORDER);
    await browser.waitUntil(async () => (await browser.$$(byTestId("activity-row"))).length === 12, {
      timeout: 10_000,
      timeoutMsg: "the undo's writes are not listed",
    });
    await browser.$(byTestId("activity-export")).click();
    const saved = browser.$(byTestId("activity-saved"));
    await saved.waitForExist({ timeout: 10_000 });
    const said = String(await saved.getProperty("textContent"));
    const m = said.match(/(\/\S+\.csv)/);
    expect(m, said).not.toBeNull();
    const lines = readFileSync(m?.[1] ?? "", "utf8")
      .split("\r\n")
      .filter((l) => l !== "");
    expect(lines[0]?.startsWith("When,Profile,Desk,Source,Customer,Order")).toBe(true);
    expect(lines).toHaveLength(1 + 12);
    expect(lines.filter((l) => l.includes("Undo of sync"))).toHaveLength(6);
  });
});
