import { afterEach, describe, expect, test } from "vitest";
import {
  agreementAdditions,
  byTestId,
  clickCheckChanges,
  freshDataDir,
  launchApp,
  boardRow,
  closeWizard,
  mapInWizard,
  rowState,
  taskIdOf,
  openTask,
  simRequests,
  snapshot,
  startSim,
  textOf,
  waitForCheckToEnd,
  writesOn,
  type App,
  type Browser,
  type Sim,
} from "../harness";

let app: App | undefined;
let sim: Sim | undefined;

afterEach(async () => {
  await app?.close();
  app = undefined;
  await sim?.stop();
  sim = undefined;
});

async function allWrites(s: Sim): Promise<number> {
  return (await simRequests(s)).filter((q) => q.method !== "GET" && q.path.includes("/finance/agreements/")).length;
}

async function clearSearch(browser: Browser): Promise<void> {
  const search = browser.$(byTestId("search"));
  await search.click();
  await browser.keys(["Control", "a"]);
  await browser.keys("Backspace");
  await browser.$(`${byTestId("task-row")}[data-order-id="1000223"]`).waitForExist({ timeout: 20_000 });
}

describe("bulk review and sync", () => {
  test("8 tasks on one board: one fixed in its wizard, one left out, the ready ones synced exactly; a second sync writes nothing", async () => {
    sim = await startSim();
    app = await launchApp({ AGREEMENT_SYNC_DATA_DIR: freshDataDir(), AGREEMENT_SYNC_DEMO_URL: sim.url });
    const { browser } = app;
    await clickCheckChanges(browser);
    await waitForCheckToEnd(browser);

    // Two customers reviewed one at a time before: Green Lane (agreement 4127) and Wingtip (4140).
    await openTask(browser, "1000231");
    await mapInWizard(browser, 250);
    await closeWizard(browser);
    await openTask(browser, "1000235");
    await mapInWizard(browser, 259);
    await closeWizard(browser);
    await clearSearch(browser);

    // Tick the 8 newest tasks.
    const orders = ["1000236", "1000235", "1000233", "1000232", "1000231", "1000225", "1000224", "1000223"];
    const ids: Record<string, string> = {};
    for (const o of orders) ids[o] = await taskIdOf(browser, o);
    for (const o of orders) await browser.$(byTestId(`task-check-${ids[o]}`)).click();
    await browser.waitUntil(async () => (await textOf(browser, byTestId("selection-count"))).includes("8"), {
      timeout: 10_000,
      timeoutMsg: "8 tasks were not ticked",
    });
    await browser.$(byTestId("review-selection")).click();
    await browser.$(byTestId("board")).waitForExist({ timeout: 20_000 });
    await browser.waitUntil(async () => (await browser.$$(byTestId("board-row"))).length === 8, { timeout: 20_000 });
    snapshot("batch-board");

    expect(await rowState(browser, ids["1000231"] ?? "")).toBe("ready");
    expect(await rowState(browser, ids["1000235"] ?? "")).toBe("ready");
    expect(await rowState(browser, ids["1000236"] ?? "")).toBe("attention");
    expect(await textOf(browser, boardRow(ids["1000236"] ?? ""))).toContain("Map Bluewater Dental Group to a ConnectWise company");

    // Fix Bluewater from the board: its wizard, then back to the board, the row planned again.
    await browser.$(boardRow(ids["1000236"] ?? "")).click();
    await browser.$(byTestId("wizard")).waitForExist({ timeout: 10_000 });
    await mapInWizard(browser, 252);
    await closeWizard(browser);
    await browser.$(byTestId("board")).waitForExist({ timeout: 10_000 });
    await browser.waitUntil(async () => (await rowState(browser, ids["1000236"] ?? "")) === "ready", {
      timeout: 20_000,
      timeoutMsg: "Bluewater's row was not planned again as ready",
    });

    // Leave Wingtip out: ignored with a reason.
    await browser.$(byTestId(`board-check-${ids["1000235"]}`)).click();
    await browser.$(byTestId("bulk-ignore-reason")).setValue("Billed by hand this month");
    await browser.$(byTestId("bulk-ignore")).click();
    await browser.waitUntil(async () => (await rowState(browser, ids["1000235"] ?? "")) !== "ready", {
      timeout: 20_000,
      timeoutMsg: "Wingtip was not left out",
    });

    // The planned writes of the two ready rows, as the board shows them.
    const planned = async (taskId: string) => Number(await textOf(browser, `${boardRow(taskId)} ${byTestId("board-writes")}`));
    const greenLaneWrites = await planned(ids["1000231"] ?? "");
    const bluewaterWrites = await planned(ids["1000236"] ?? "");
    expect(greenLaneWrites).toBe(6);
    expect(bluewaterWrites).toBeGreaterThan(0);
    // Green Lane's row: its prorates as one-time charges, and the day they take effect.
    const greenLane = boardRow(ids["1000231"] ?? "");
    expect((await textOf(browser, `${greenLane} ${byTestId("board-one-time")}`)).trim()).toMatch(/^51\.00 USD\s+prorated$/);
    expect((await textOf(browser, `${greenLane} ${byTestId("board-effective")}`)).trim()).toBe("2026-11-16");
    const greenLaneBefore = await agreementAdditions(sim, 4127);
    const bluewaterBefore = await agreementAdditions(sim, 4130);

    // Sync the ready ones, after a confirmation with the totals.
    await browser.$(byTestId("sync-batch")).click();
    await browser.$(byTestId("batch-confirm")).waitForExist({ timeout: 10_000 });
    expect(await textOf(browser, byTestId("batch-confirm"))).toContain("USD");
    // The totals say per what each recurring change is, and count the one-time charges.
    const usd = `${byTestId("batch-confirm")} ${byTestId("batch-total")}[data-currency="USD"]`;
    expect(await textOf(browser, `${usd} ${byTestId("total-recurring-change")}[data-cycle="Monthly"]`)).toBe("+127.00 USD / month");
    expect(await textOf(browser, `${usd} ${byTestId("total-one-time")}`)).toBe("61.00 USD");
    snapshot("batch-confirm");
    await browser.$(byTestId("batch-confirm-sync")).click();
    await browser.$(byTestId("batch-result")).waitForExist({ timeout: 60_000 });
    snapshot("batch-result");
    expect(await textOf(browser, byTestId("batch-result-message"))).toMatch(/^2 of 2 tasks synced\. 6 tasks not ready were left as they were\.$/);
    expect(await rowState(browser, ids["1000231"] ?? "")).toBe("synced");
    expect(await rowState(browser, ids["1000236"] ?? "")).toBe("synced");

    // ConnectWise (read over its API) holds exactly the planned additions, nothing on Wingtip's.
    expect(await writesOn(sim, 4127)).toBe(greenLaneWrites);
    expect(await writesOn(sim, 4130)).toBe(bluewaterWrites);
    expect(await writesOn(sim, 4140)).toBe(0);
    const greenLaneAfter = await agreementAdditions(sim, 4127);
    const created = greenLaneAfter.filter((a) => !greenLaneBefore.some((b) => b.id === a.id));
    expect(created.map((a) => `${a.quantity} × ${a.unitPrice}`).sort()).toEqual(["-2 × 2", "25 × 22", "5 × 11", "9 × 4"]);
    for (const id of [30211, 30212]) expect(greenLaneAfter.find((a) => a.id === id)?.cancelledDate).toBeTruthy();
    const bluewaterAfter = await agreementAdditions(sim, 4130);
    expect(bluewaterAfter.length).toBeGreaterThan(bluewaterBefore.length);
    const written = await allWrites(sim);

    // Syncing the same batch again writes nothing, and says so.
    expect(await textOf(browser, byTestId("sync-batch"))).toBe("Re-read 2 synced tasks from ConnectWise (writes nothing)");
    await browser.$(byTestId("sync-batch")).click();
    await browser.$(byTestId("batch-confirm-sync")).click();
    await browser.waitUntil(async () => /Nothing new to write/.test(await textOf(browser, byTestId("batch-result-message"))), {
      timeout: 60_000,
      timeoutMsg: "the second batch sync did not say it had nothing new to write",
    });
    expect(await allWrites(sim)).toBe(written);
    expect(await agreementAdditions(sim, 4127)).toHaveLength(greenLaneAfter.length);
  });
});
