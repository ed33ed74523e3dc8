import { afterEach, describe, expect, test } from "vitest";
import {
  byTestId,
  clickCheckChanges,
  freshDataDir,
  launchApp,
  rowCustomerNames,
  snapshot,
  textOf,
  startSim,
  TODAY,
  taskCount,
  visibleOrderIds,
  waitForCheckToEnd,
  type App,
  type Browser,
  type Sim,
} from "../harness";

const GREEN_LANE = "1000048531";
const GREEN_LANE_CHANGE_ORDER = "1000231";

let app: App | undefined;
let sim: Sim | undefined;

afterEach(async () => {
  await app?.close();
  app = undefined;
  await sim?.stop();
  sim = undefined;
});

const GREEN_LANE_ROW = `${byTestId("task-row")}[data-customer-id="${GREEN_LANE}"][data-task-type="changeOrder"]`;

async function greenLaneRow(browser: Browser) {
  const row = browser.$(GREEN_LANE_ROW);
  await row.waitForExist({ timeout: 60_000 });
  // The list is virtualised: bring the row into view before reading it.
  await row.scrollIntoView({ block: "center" });
  return row;
}

describe("the task list", () => {
  test("Demo mode: Check Changes shows progress, the tasks and a summary; search, filter and sort work", async () => {
    app = await launchApp({ AGREEMENT_SYNC_DATA_DIR: freshDataDir() });
    const { browser } = app;

    // A fresh install is in Demo mode and has no tasks yet.
    await browser.$(byTestId("check-changes")).waitForExist({ timeout: 30_000 });
    expect(await browser.$("body").getText()).toMatch(/Demo/);
    expect(await browser.$(byTestId("last-checked")).getText()).toMatch(/never/i);

    // A first check's window outside 1–365 days is refused under its field, and nothing is checked.
    // (Typed over the way a person does: WebDriver's clear fires no input event.)
    const typeDays = async (value: string) => {
      const days = browser.$(byTestId("first-check-days"));
      await days.waitForDisplayed({ timeout: 10_000 });
      await days.click();
      await browser.keys(["Control", "a"]);
      await browser.keys("Backspace");
      await days.addValue(value);
    };
    await typeDays("400");
    await clickCheckChanges(browser);
    await browser.$(byTestId("first-check-days-error")).waitForExist({ timeout: 10_000 });
    expect(await textOf(browser, byTestId("first-check-days-error"))).toMatch(/between 1 and 365 days/);
    expect(await browser.$(byTestId("last-checked")).getText()).toMatch(/never/i);
    await typeDays("30");

    await clickCheckChanges(browser);
    await waitForCheckToEnd(browser);

    const row = await greenLaneRow(browser);
    const text = await textOf(browser, GREEN_LANE_ROW);
    expect(text).toContain("Green Lane LLC");
    expect(text).toContain(GREEN_LANE);
    expect(text).toContain("Change Order");
    expect(text).toContain(GREEN_LANE_CHANGE_ORDER);
    expect(await row.getAttribute("data-order-id")).toBe(GREEN_LANE_CHANGE_ORDER);
    // The amount says what it is: a change of what the agreement bills every month.
    expect(text).toMatch(/\+102\.00 USD\s*per month/);

    const summary = await browser.$(byTestId("check-summary")).getText();
    expect(summary).toMatch(/orders read/i);
    expect(summary).toMatch(/renewal/i);
    expect(summary).toMatch(/not completed/i);
    expect(await browser.$(byTestId("last-checked")).getText()).not.toMatch(/never/i);
    const total = await taskCount(browser);
    expect(total).toBeGreaterThan(5);

    // Search by customer id.
    await browser.$(byTestId("search")).setValue(GREEN_LANE);
    await browser.waitUntil(async () => (await taskCount(browser)) < total, { timeout: 10_000 });
    for (const r of await browser.$$(byTestId("task-row"))) {
      expect(await r.getAttribute("data-customer-id")).toBe(GREEN_LANE);
    }
    // Search by name, case-insensitive.
    await browser.$(byTestId("search")).setValue("green lane");
    await greenLaneRow(browser);
    // Words across columns: the customer's name and the order (typed over the way a person does).
    const search = async (text: string) => {
      await browser.$(byTestId("search")).click();
      await browser.keys(["Control", "a"]);
      await browser.keys("Backspace");
      await browser.$(byTestId("search")).addValue(text);
    };
    await search(`Green Lane ${GREEN_LANE_CHANGE_ORDER}`);
    await browser.waitUntil(async () => (await taskCount(browser)) === 1, { timeout: 10_000 });
    (await greenLaneRow(browser)).click();
    await browser.$(`${byTestId("task-details")} ${byTestId("sync-changes")}`).waitForExist({ timeout: 10_000 });
    // Whatever the accents; and the selected task, hidden by the search, offers no action.
    await search("muller");
    await browser.waitUntil(async () => (await textOf(browser, byTestId("task-list"))).includes("Müller"), { timeout: 10_000 });
    await browser.$(byTestId("details-hidden")).waitForExist({ timeout: 10_000 });
    expect(await browser.$(`${byTestId("task-details")} ${byTestId("sync-changes")}`).isExisting()).toBe(false);
    snapshot("task-list-selected-hidden");
    await browser.$(byTestId("show-hidden-task")).click();
    await browser.waitUntil(async () => (await taskCount(browser)) === total, { timeout: 10_000 });
    // Clear the search the way a person does (WebDriver's clear fires no input event).
    await browser.$(byTestId("search")).click();
    await browser.keys(["Control", "a"]);
    await browser.keys("Backspace");
    await browser.waitUntil(async () => (await taskCount(browser)) === total, { timeout: 10_000 });

    // Filter by type.
    await browser.$(byTestId("filter-type")).selectByAttribute("value", "changeOrder");
    await browser.waitUntil(async () => (await taskCount(browser)) < total, { timeout: 10_000 });
    for (const r of await browser.$$(byTestId("task-row"))) {
      expect(await r.getAttribute("data-task-type")).toBe("changeOrder");
    }
    await browser.$(byTestId("filter-type")).selectByIndex(0);

    // Filter by status: nothing is synced yet.
    await browser.$(byTestId("filter-status")).selectByAttribute("value", "synced");
    await browser.waitUntil(async () => (await taskCount(browser)) === 0, { timeout: 10_000 });
    await browser.$(byTestId("filter-status")).selectByIndex(0);
    await browser.waitUntil(async () => (await taskCount(browser)) === total, { timeout: 10_000 });

    // Sort by customer: the rows come in name order.
    await browser.$(byTestId("sort")).selectByAttribute("value", "customerAsc");
    await browser.waitUntil(
      async () => {
        const names = await rowCustomerNames(browser, 8);
        const sorted = [...names].sort((a, b) => a.localeCompare(b, undefined, { sensitivity: "base" }));
        return names.length > 1 && names.join("|") === sorted.join("|");
      },
      { timeout: 10_000, timeoutMsg: "rows are not sorted by customer" },
    );
  });

  test("restarting without the network shows the cache at once, marked offline; checking again never duplicates", async () => {
    const dataDir = freshDataDir();
    sim = await startSim();
    const env = { AGREEMENT_SYNC_DATA_DIR: dataDir, AGREEMENT_SYNC_DEMO_URL: sim.url };

    app = await launchApp(env);
    // A slow network: the progress indicator shows the work under way.
    await fetch(`${sim.url}/_sim/latency`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ latencyMs: 150 }),
    });
    await clickCheckChanges(app.browser);
    const progress = app.browser.$(byTestId("check-progress"));
    await progress.waitForExist({ timeout: 10_000 });
    expect(await textOf(app.browser, byTestId("check-progress"))).toMatch(/order/i);
    expect(await app.browser.$(byTestId("check-changes")).isEnabled()).toBe(false);
    await waitForCheckToEnd(app.browser);
    await fetch(`${sim.url}/_sim/latency`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ latencyMs: 0 }),
    });
    await greenLaneRow(app.browser);
    const total = await taskCount(app.browser);

    // Checking again reads only from the last seen order on and creates nothing twice.
    await clickCheckChanges(app.browser);
    await waitForCheckToEnd(app.browser);
    expect(await taskCount(app.browser)).toBe(total);
    expect(await app.browser.$(byTestId("check-summary")).getText()).toMatch(/\b0 new/i);

    // A new order in the marketplace becomes exactly one new task.
    const created = await fetch(`${sim.url}/_sim/orders`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        customerId: GREEN_LANE,
        type: "change",
        status: "completed",
        // Earlier today (the app's pinned clock starts at noon).
        creationDate: `${TODAY}T11:30:00Z`,
      }),
    });
    expect(created.ok).toBe(true);
    await clickCheckChanges(app.browser);
    await waitForCheckToEnd(app.browser);
    await app.browser.waitUntil(async () => (await taskCount(app!.browser)) === total + 1, { timeout: 10_000 });
    expect(await app.browser.$(byTestId("check-summary")).getText()).toMatch(/\b1 new/i);

    await app.close();
    app = undefined;
    await sim.stop();
    sim = undefined;

    // The network is gone: the cached list is there, marked offline.
    app = await launchApp(env);
    const { browser } = app;
    await greenLaneRow(browser);
    expect(await taskCount(browser)).toBe(total + 1);
    await browser.waitUntil(async () => /offline/i.test(await browser.$(byTestId("connectivity")).getText()), {
      timeout: 30_000,
      timeoutMsg: "the window does not say it is offline",
    });
    expect(await browser.$(byTestId("last-checked")).getText()).toMatch(/ago|just now/i);

    // Check Changes fails with a clear message and leaves the cache as it was.
    await clickCheckChanges(browser);
    const banner = browser.$(byTestId("error-banner"));
    await banner.waitForExist({ timeout: 60_000 });
    expect(await banner.getText()).toMatch(/can't reach/i);
    expect(await taskCount(browser)).toBe(total + 1);
    expect(await visibleOrderIds(browser)).toContain(GREEN_LANE_CHANGE_ORDER);
  });
});
