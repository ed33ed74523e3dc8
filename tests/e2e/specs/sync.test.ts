import { afterEach, describe, expect, test } from "vitest";
import {
  agreementAdditions,
  byTestId,
  freshDataDir,
  launchApp,
  next,
  reviewGreenLane,
  simRequests,
  snapshot,
  startSim,
  textOf,
  writesOn,
  cwHeaders,
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

/** Agreement 4127's additions, read over the simulator's ConnectWise API. */
const additions = (s: Sim) => agreementAdditions(s, 4127);

/** How many writes (POST/PATCH) the simulator has seen on agreement 4127. */
const writesSeen = (s: Sim) => writesOn(s, 4127);

async function resultState(browser: Browser, state: string): Promise<void> {
  await browser.waitUntil(
    async () => (await browser.$(byTestId("sync-result")).getAttribute("data-state")) === state,
    { timeout: 60_000, timeoutMsg: `the sync did not end ${state}` },
  );
}

describe("sync", () => {
  test("Green Lane from review to Synced: ConnectWise holds exactly the plan, and a second Sync writes nothing", async () => {
    sim = await startSim();
    const before = await additions(sim);
    app = await launchApp({ AGREEMENT_SYNC_DATA_DIR: freshDataDir(), AGREEMENT_SYNC_DEMO_URL: sim.url });
    const { browser } = app;
    await reviewGreenLane(browser);
    expect(await browser.$$(byTestId("planned-write"))).toHaveLength(6);
    // Demo opened (asking whether the services answer) and checked: one marketplace sign-in.
    const signIns = (await simRequests(sim)).filter((q) => q.method === "POST" && q.path.endsWith("/token"));
    expect(signIns).toHaveLength(1);

    const sync = browser.$(byTestId("sync-button"));
    await sync.waitForClickable({ timeout: 10_000 });
    await sync.click();
    await browser.$(byTestId("sync-result")).waitForExist({ timeout: 10_000 });
    await resultState(browser, "synced");

    // The result lists every write, confirmed, with its ConnectWise addition id and amount.
    snapshot("sync-synced");
    const writes = await browser.$$(byTestId("sync-write"));
    expect(writes).toHaveLength(6);
    const ids: number[] = [];
    for (const w of writes) {
      expect(await w.getAttribute("data-state")).toBe("confirmed");
      ids.push(Number(await w.getAttribute("data-addition-id")));
    }
    const resultText = await textOf(browser, byTestId("sync-result"));
    expect(resultText).toContain("550.00"); // 25 × 22.00
    expect(resultText).toContain("-4.00"); // the Exchange downgrade credit

    // ConnectWise (the simulator, read over its API) holds exactly the plan.
    const after = await additions(sim);
    const created = after.filter((a) => !before.some((b) => b.id === a.id));
    expect(created.map((a) => `${a.quantity} × ${a.unitPrice}`).sort()).toEqual(["-2 × 2", "25 × 22", "5 × 11", "9 × 4"]);
    // All from the change's date (the order's day); the old ones cancelled the day before.
    const effective = created[0]?.effectiveDate ?? "";
    expect(effective).toMatch(/^\d{4}-\d{2}-\d{2}T00:00:00Z$/);
    const dayBefore = new Date(Date.parse(effective) - 86_400_000).toISOString().replace(".000Z", "Z");
    for (const a of created) {
      expect(a.effectiveDate).toBe(effective);
      expect(a.billCustomer).toBe("Billable");
      expect(ids).toContain(a.id);
    }
    for (const id of [30211, 30212]) {
      expect(after.find((a) => a.id === id)?.cancelledDate).toBe(dayBefore);
    }
    const writesAfterFirst = await writesSeen(sim);
    expect(writesAfterFirst).toBe(6);

    // Back in the list, the task is Synced.
    await browser.$(byTestId("sync-close")).click();
    const row = browser.$(`${byTestId("task-row")}[data-order-id="1000231"]`);
    await browser.waitUntil(async () => (await textOf(browser, `${byTestId("task-row")}[data-order-id="1000231"]`)).includes("Synced"), {
      timeout: 10_000,
      timeoutMsg: "the task did not become Synced",
    });

    // Opening it shows its history; syncing again writes nothing and says so.
    await row.click();
    await browser.$(byTestId("sync-changes")).click();
    await browser.$(byTestId("sync-history")).waitForExist({ timeout: 10_000 });
    snapshot("sync-history");
    const history = await textOf(browser, byTestId("sync-history"));
    expect(history).toContain("Demo");
    expect(history).toMatch(/6 writes confirmed/);
    await browser.$(byTestId("sync-again")).click();
    await resultState(browser, "nothingToWrite");
    expect(await textOf(browser, byTestId("sync-result"))).toMatch(/Nothing new to write/);
    snapshot("sync-again");
    expect(await writesSeen(sim)).toBe(writesAfterFirst);
    expect(await additions(sim)).toHaveLength(after.length);
  });

  test("an agreement changed in ConnectWise since the review stops Sync before any write; refresh and review again", async () => {
    sim = await startSim();
    app = await launchApp({ AGREEMENT_SYNC_DATA_DIR: freshDataDir(), AGREEMENT_SYNC_DEMO_URL: sim.url });
    const { browser } = app;
    await reviewGreenLane(browser);

    // Someone edits the Exchange addition in ConnectWise meanwhile.
    const edit = await fetch(`${sim.url}/v4_6_release/apis/3.0/finance/agreements/4127/additions/30212`, {
      method: "PATCH",
      headers: { ...cwHeaders, "Content-Type": "application/json" },
      body: JSON.stringify([{ op: "replace", path: "quantity", value: 12 }]),
    });
    expect(edit.status).toBe(200);

    await browser.$(byTestId("sync-button")).click();
    await resultState(browser, "changed");
    expect(await textOf(browser, byTestId("sync-change"))).toContain("quantity 11 → 12");
    snapshot("sync-changed");
    expect(await writesSeen(sim)).toBe(1); // only the edit above: Sync wrote nothing

    // Refresh: back to the review, which now starts from ConnectWise's 12; then Sync goes through.
    await browser.$(byTestId("sync-refresh")).click();
    await browser.$(byTestId("step-changes")).waitForExist({ timeout: 10_000 });
    await next(browser);
    const sync = browser.$(byTestId("sync-button"));
    await sync.waitForClickable({ timeout: 10_000 });
    await sync.click();
    await resultState(browser, "synced");
    expect(await writesSeen(sim)).toBe(7);
  });

  test("the app killed mid-sync: the next start shows the unfinished sync and Finish completes it, nothing twice", async () => {
    sim = await startSim();
    const dataDir = freshDataDir();
    app = await launchApp({ AGREEMENT_SYNC_DATA_DIR: dataDir, AGREEMENT_SYNC_DEMO_URL: sim.url });
    let browser = app.browser;
    await reviewGreenLane(browser);
    const before = await additions(sim);

    // The second new addition is written in ConnectWise, but its answer never comes back.
    const faults = await fetch(`${sim.url}/_sim/faults`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify([
        { method: "POST", pathContains: "/finance/agreements/4127/additions", kind: "timeout", when: "after", skip: 1, remaining: 1 },
      ]),
    });
    expect(faults.ok).toBe(true);
    await browser.$(byTestId("sync-button")).click();
    await browser.waitUntil(async () => (await writesSeen(sim!)) >= 3, {
      timeout: 30_000,
      timeoutMsg: "the sync never reached its third write",
    });
    await browser.pause(300);
    await app.kill();
    await fetch(`${sim.url}/_sim/faults`, { method: "DELETE" });

    // Next start: the list says a sync was interrupted, and Finish completes it.
    app = await launchApp({ AGREEMENT_SYNC_DATA_DIR: dataDir, AGREEMENT_SYNC_DEMO_URL: sim.url });
    browser = app.browser;
    const banner = browser.$(byTestId("unfinished-syncs"));
    await banner.waitForExist({ timeout: 20_000 });
    expect(await textOf(browser, byTestId("unfinished-syncs"))).toContain("Green Lane LLC");
    snapshot("sync-unfinished");
    await browser.$(byTestId("unfinished-finish")).click();
    await resultState(browser, "synced");
    snapshot("sync-finished-after-kill");

    // Exactly the plan: four new additions, the held one not written twice.
    const after = await additions(sim);
    const created = after.filter((a) => !before.some((b) => b.id === a.id));
    expect(created.map((a) => `${a.quantity} × ${a.unitPrice}`).sort()).toEqual(["-2 × 2", "25 × 22", "5 × 11", "9 × 4"]);
    expect(await browser.$(byTestId("unfinished-syncs")).isExisting()).toBe(false);
  });
});
