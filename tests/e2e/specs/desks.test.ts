// Many desks, one ConnectWise (SPEC §15): two app windows with two data folders — two computers of
// one billing team — against one simulator. An order synced on the first desk reads Already in
// ConnectWise on the second, whose Sync closes the task without sending a single write.
import { afterEach, describe, expect, test } from "vitest";
import {
  agreementAdditions,
  byTestId,
  clearSimRequests,
  clickCheckChanges,
  closeWizard,
  mapInWizard,
  openTask,
  rowState,
  taskIdOf,
  waitForCheckToEnd,
  freshDataDir,
  launchApp,
  reviewGreenLane,
  simRequests,
  snapshot,
  startSim,
  textOf,
  type App,
  type Browser,
  type Sim,
} from "../harness";

let apps: App[] = [];
let sim: Sim | undefined;

afterEach(async () => {
  for (const app of apps) await app.close();
  apps = [];
  await sim?.stop();
  sim = undefined;
});

async function syncEnds(browser: Browser, state: string): Promise<void> {
  const sync = browser.$(byTestId("sync-button"));
  await sync.waitForClickable({ timeout: 10_000 });
  await sync.click();
  await browser.waitUntil(async () => (await browser.$(byTestId("sync-result")).getAttribute("data-state")) === state, {
    timeout: 60_000,
    timeoutMsg: `the sync did not end ${state}`,
  });
}

describe("many desks", () => {
  test("an order synced on one desk is Already in ConnectWise on the other, which sends no write", async () => {
    sim = await startSim();
    const env = () => ({ AGREEMENT_SYNC_DATA_DIR: freshDataDir(), AGREEMENT_SYNC_DEMO_URL: sim?.url ?? "" });
    const deskA = await launchApp(env());
    apps.push(deskA);
    const deskB = await launchApp(env());
    apps.push(deskB);

    // Desk A reviews and syncs Green Lane's change order.
    await reviewGreenLane(deskA.browser);
    await syncEnds(deskA.browser, "synced");
    const afterA = await agreementAdditions(sim, 4127);
    const keys = afterA.map((a) => a.serialNumber ?? "").filter((k) => k.startsWith("AS1:1000231:"));
    expect(keys).toHaveLength(4);

    // Desk B, with its own cache, gets the same order: its Summary says it is all there.
    await clearSimRequests(sim);
    await reviewGreenLane(deskB.browser);
    snapshot("desks-b-summary");
    expect(await textOf(deskB.browser, byTestId("summary-already"))).toContain("Already in ConnectWise");
    expect(await deskB.browser.$$(byTestId("planned-write"))).toHaveLength(0);
    expect(await deskB.browser.$$(byTestId("written-write"))).toHaveLength(6);
    expect(await deskB.browser.$(byTestId("sync-button")).getText()).toBe("Close as synced");
    // Each change says which addition already holds it.
    await deskB.browser.$(byTestId("wizard-step-changes")).click();
    await deskB.browser.$(byTestId("step-changes")).waitForExist({ timeout: 10_000 });
    const found = await deskB.browser.$$(byTestId("row-found"));
    expect(found).toHaveLength(6);
    const kinds: string[] = [];
    for (const f of found) kinds.push(await f.getAttribute("data-kind"));
    expect(kinds.sort()).toEqual(["asPlanned", "asPlanned", "keyed", "keyed", "keyed", "keyed"]);
    snapshot("desks-b-changes");
    await deskB.browser.$(byTestId("wizard-step-summary")).click();
    await deskB.browser.$(byTestId("step-summary")).waitForExist({ timeout: 10_000 });
    await syncEnds(deskB.browser, "alreadyInConnectWise");
    snapshot("desks-b-result");
    expect(await textOf(deskB.browser, byTestId("sync-result"))).toContain("Already in ConnectWise");

    // The simulator received no write from desk B, and the agreement is as desk A left it.
    const writes = (await simRequests(sim)).filter((q) => q.method !== "GET" && q.path.includes("/finance/"));
    expect(writes).toEqual([]);
    expect(await agreementAdditions(sim, 4127)).toEqual(afterA);
  });

  test("on the second desk's board the order is its own state, and the batch closes it as synced with nothing sent", async () => {
    sim = await startSim();
    const env = () => ({ AGREEMENT_SYNC_DATA_DIR: freshDataDir(), AGREEMENT_SYNC_DEMO_URL: sim?.url ?? "" });
    const deskA = await launchApp(env());
    apps.push(deskA);
    await reviewGreenLane(deskA.browser);
    await syncEnds(deskA.browser, "synced");
    const afterA = await agreementAdditions(sim, 4127);
    await deskA.close();
    apps = [];

    const deskB = await launchApp(env());
    apps.push(deskB);
    const { browser } = deskB;
    await clickCheckChanges(browser);
    await waitForCheckToEnd(browser);
    await openTask(browser, "1000231");
    await mapInWizard(browser, 250);
    await closeWizard(browser);
    const id = await taskIdOf(browser, "1000231");
    await browser.$(byTestId(`task-check-${id}`)).click();
    await browser.$(byTestId("review-selection")).click();
    await browser.$(byTestId("board")).waitForExist({ timeout: 20_000 });
    await browser.waitUntil(async () => (await rowState(browser, id)) === "already", {
      timeout: 20_000,
      timeoutMsg: "the row is not Already in ConnectWise",
    });
    snapshot("desks-b-board");
    expect(await browser.$(byTestId("row-already")).getAttribute("title")).toContain("Already in ConnectWise");

    await clearSimRequests(sim);
    await browser.$(byTestId("sync-batch")).click();
    await browser.$(byTestId("batch-confirm")).waitForExist({ timeout: 10_000 });
    expect(await textOf(browser, byTestId("batch-confirm"))).toContain("closed as synced");
    await browser.$(byTestId("batch-confirm-sync")).click();
    await browser.$(byTestId("batch-result")).waitForExist({ timeout: 60_000 });
    snapshot("desks-b-board-result");
    await browser.waitUntil(async () => (await rowState(browser, id)) === "synced", { timeout: 20_000 });
    const writes = (await simRequests(sim)).filter((q) => q.method !== "GET" && q.path.includes("/finance/"));
    expect(writes).toEqual([]);
    expect(await agreementAdditions(sim, 4127)).toEqual(afterA);
  });
});
