// Every control of the header, and the columns that say what a task is worth and where it stands,
// at every window size from the minimum (900×560) to the default (1280×800), online and offline,
// with one profile and with two: each control is clicked where a person would, at its centre.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import {
  WINDOW_SIZES,
  byTestId,
  clickAt,
  freshDataDir,
  launchApp,
  mapProducts,
  next,
  openTask,
  placement,
  root,
  setWindowSize,
  snapshot,
  startSim,
  textOf,
  waitForCheckToEnd,
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

/** A second profile, with a name as long as a real one may be, and no keys saved (not set up). */
function withSecondProfile(dataDir: string): void {
  const profiles = {
    format: 1,
    active: "demo",
    profiles: [
      {
        id: "contoso-cloud-billing-eu",
        name: "Contoso Cloud Billing (EU)",
        connectwise: { site: "https://eu.myconnectwise.net", companyId: "contoso", clientId: "", codebase: "", additionKeyField: "" },
        marketplace: { codeOrUrl: "https://eu.cloud.im", username: "billing@contoso.example" },
      },
    ],
  };
  writeFileSync(join(dataDir, "profiles.json"), JSON.stringify(profiles, null, 2));
}

/** Where `what` fails to be shown whole and clickable at its centre, in words (none: it is). */
function faults(what: string, size: string, p: Awaited<ReturnType<typeof placement>>): string[] {
  if (!p.found) return [`${size}: ${what} is not on the screen`];
  const out: string[] = [];
  if (!p.inWindow) out.push(`${size}: ${what} is not wholly inside the window (${Math.round(p.x)},${Math.round(p.y)} ${Math.round(p.width)}×${Math.round(p.height)})`);
  if (!p.hitCentre) out.push(`${size}: the point at the centre of ${what} is ${p.onTop}`);
  else if (!p.hitEnds) out.push(`${size}: ${what} is partly covered, by ${p.coveredBy}`);
  if (p.clipped !== null) out.push(`${size}: ${what} is cut: ${p.clipped}`);
  return out;
}

/**
 * Clicks `selector` at the point at its centre, after asserting that this point is the control
 * itself (or inside it), that the control is wholly in the window and that its text is whole.
 */
async function clickAtCentre(browser: Browser, selector: string, what: string, size: string): Promise<void> {
  const p = await placement(browser, selector);
  // Soft: every size and screen is still gone through, and each fault is reported.
  expect.soft(faults(what, size, p)).toEqual([]);
  if (p.hitCentre) await clickAt(browser, p.x, p.y);
  else await browser.execute((sel: string) => document.querySelector<HTMLElement>(sel)?.click(), selector);
}

/** The header's three controls, each clicked at its centre, and what each click opens. */
async function headerControls(browser: Browser, size: string, check: "runs" | "fails"): Promise<void> {
  await clickAtCentre(browser, byTestId("view-reconcile"), "Reconcile", size);
  await browser.$(byTestId("reconcile-screen")).waitForExist({ timeout: 10_000, timeoutMsg: `${size}: Reconcile did not open` });
  shot(size, "reconcile");

  await clickAtCentre(browser, byTestId("view-activity"), "Activity", size);
  await browser.$(byTestId("activity-screen")).waitForExist({ timeout: 10_000, timeoutMsg: `${size}: Activity did not open` });
  const sideways = await browser.execute(() => document.documentElement.scrollWidth - window.innerWidth);
  expect
    .soft([
      ...(sideways > 0 ? [`${size}: Activity scrolls the window sideways by ${sideways} px`] : []),
      ...faults("the activity search", size, await placement(browser, byTestId("activity-search"))),
      ...faults("Export CSV", size, await placement(browser, byTestId("activity-export"))),
    ])
    .toEqual([]);
  shot(size, "activity");

  await clickAtCentre(browser, byTestId("view-tasks"), "Tasks", size);
  await browser.$(byTestId("task-list")).waitForExist({ timeout: 10_000, timeoutMsg: `${size}: Tasks did not open` });

  // The last check's outcome dismissed first: the one that comes is this click's.
  const outcome = byTestId(check === "runs" ? "check-summary" : "error-banner");
  await browser.execute(() =>
    document.querySelectorAll<HTMLElement>('[data-testid="check-summary"] button, [data-testid="error-banner"] button').forEach((b) => b.click()),
  );
  await browser.$(outcome).waitForExist({ reverse: true, timeout: 10_000 });
  await clickAtCentre(browser, byTestId("check-changes"), "Check Changes", size);
  await browser.$(outcome).waitForExist({ timeout: 120_000, timeoutMsg: `${size}: Check Changes did not run` });
  await waitForCheckToEnd(browser);
}

/** A screenshot's name: what, at which size (E2E_SHOTS). */
function shot(size: string, what: string): void {
  snapshot(`layout-${size.replace(/[^0-9a-z]+/gi, "-")}-${what}`);
}

/** The header's controls at their place, not clicked (for a screen where clicking would leave it). */
async function headerShown(browser: Browser, size: string): Promise<string[]> {
  const sideways = await browser.execute(() => document.documentElement.scrollWidth - window.innerWidth);
  return [
    ...(sideways > 0 ? [`${size}: the window scrolls sideways by ${sideways} px`] : []),
    ...faults("Tasks", size, await placement(browser, byTestId("view-tasks"))),
    ...faults("Reconcile", size, await placement(browser, byTestId("view-reconcile"))),
    ...faults("Activity", size, await placement(browser, byTestId("view-activity"))),
    ...faults("Check Changes", size, await placement(browser, byTestId("check-changes"))),
    ...faults("Connections", size, await placement(browser, byTestId("open-connections"))),
  ];
}

/** The list's Amount and Status columns: their heads, and the cells of the rows shown. */
async function listColumns(browser: Browser, size: string): Promise<string[]> {
  const head = `${byTestId("task-list")} [role="columnheader"]`;
  const out = [
    ...faults("the list's AMOUNT head", size, await placement(browser, head, "Amount")),
    ...faults("the list's STATUS head", size, await placement(browser, head, "Status")),
  ];
  if ((await browser.$$(byTestId("task-row")).length) > 0) {
    out.push(...faults("the first row's amount", size, await placement(browser, `${byTestId("task-row")} .cell-amount`)));
    out.push(...faults("the first row's status", size, await placement(browser, `${byTestId("task-row")} .cell-status .badge`)));
  }
  return out;
}

/** Every task ticked and reviewed on a board: its State column, head and first row. */
async function boardColumns(browser: Browser, size: string): Promise<string[]> {
  await browser.$(byTestId("check-all")).click();
  await browser.$(byTestId("review-selection")).waitForClickable({ timeout: 10_000 });
  await browser.$(byTestId("review-selection")).click();
  await browser.$(byTestId("board-row")).waitForExist({ timeout: 30_000 });
  shot(size, "board");
  const out = [
    ...faults("the board's STATE head", size, await placement(browser, `${byTestId("board")} [role="columnheader"]`, "State")),
    // The pinned State column covers no other column.
    ...faults("the board's RECURRING head", size, await placement(browser, `${byTestId("board")} [role="columnheader"]`, "Recurring")),
    ...faults("the board's WRITES head", size, await placement(browser, `${byTestId("board")} [role="columnheader"]`, "Writes")),
    ...faults("the first board row's recurring", size, await placement(browser, `${byTestId("board-row")} ${byTestId("board-recurring")}`)),
    ...faults("the first board row's state", size, await placement(browser, `${byTestId("board-row")} ${byTestId("board-state")}`)),
    ...faults("Back (board)", size, await placement(browser, byTestId("batch-back"))),
  ];
  await browser.$(byTestId("batch-back")).click();
  await browser.$(byTestId("task-list")).waitForExist({ timeout: 10_000 });
  // The ticks stay: cleared for the next size.
  await browser.$(byTestId("check-all")).click();
  return out;
}

describe("layout at every window size", () => {
  test("the minimum window size is 900×560, and the default 1280×800", () => {
    const conf = JSON.parse(readFileSync(join(root, "tauri.conf.json"), "utf8")) as {
      app: { windows: { minWidth: number; minHeight: number; width: number; height: number }[] };
    };
    const [main] = conf.app.windows;
    expect(main).toMatchObject({ minWidth: 900, minHeight: 560, width: 1280, height: 800 });
  });

  test("a fresh install: Tasks, Reconcile and Check Changes are clicked at their centre, the list keeps Amount and Status", async () => {
    sim = await startSim();
    app = await launchApp({ AGREEMENT_SYNC_DATA_DIR: freshDataDir(), AGREEMENT_SYNC_DEMO_URL: sim.url });
    const { browser } = app;
    await browser.$(`${byTestId("connectivity")}[data-state="online"]`).waitForExist({ timeout: 30_000 });
    const seen: string[] = [];
    for (const { width, height } of WINDOW_SIZES) {
      const size = `${width}×${height}`;
      await setWindowSize(browser, width, height);
      shot(size, "fresh");
      seen.push(...(await headerShown(browser, size)), ...(await listColumns(browser, size)));
      await headerControls(browser, size, "runs");
      shot(size, "checked");
      seen.push(...(await listColumns(browser, size)));
    }
    expect(seen).toEqual([]);
  });

  test("with a second profile, online then offline: every control clicked at its centre, the list and the board keep their columns", async () => {
    const dataDir = freshDataDir();
    withSecondProfile(dataDir);
    sim = await startSim();
    const env = { AGREEMENT_SYNC_DATA_DIR: dataDir, AGREEMENT_SYNC_DEMO_URL: sim.url };
    app = await launchApp(env);
    let browser = app.browser;
    await browser.$(`${byTestId("connectivity")}[data-state="online"]`).waitForExist({ timeout: 30_000 });
    await browser.waitUntil(async () => (await browser.$$(`${byTestId("profile-switch")} option`).length) === 2, {
      timeout: 10_000,
      timeoutMsg: "the header does not offer the second profile",
    });
    const seen: string[] = [];
    for (const { width, height } of WINDOW_SIZES) {
      const size = `${width}×${height}`;
      await setWindowSize(browser, width, height);
      seen.push(...faults("the profile switch", size, await placement(browser, byTestId("profile-switch"))));
      seen.push(...(await headerShown(browser, size)));
      await headerControls(browser, size, "runs");
      shot(size, "two-profiles");
      seen.push(...(await listColumns(browser, size)));
      seen.push(...(await boardColumns(browser, size)));
    }

    // The network is gone: the cached Reconcile is wanted, and the header still holds every control.
    await app.close();
    app = undefined;
    await sim.stop();
    sim = undefined;
    app = await launchApp(env);
    browser = app.browser;
    await browser.$(`${byTestId("connectivity")}[data-state="offline"]`).waitForExist({ timeout: 60_000 });
    for (const { width, height } of WINDOW_SIZES) {
      const size = `${width}×${height} offline`;
      await setWindowSize(browser, width, height);
      shot(size, "list");
      // The status is short, its reason in a tooltip and on the line under the header.
      const badge = browser.$(byTestId("connectivity"));
      expect.soft(await badge.getAttribute("title")).toMatch(/can't reach/i);
      expect.soft(await textOf(browser, byTestId("offline-banner"))).toMatch(/can't reach/i);
      seen.push(...faults("the offline line's Try again", size, await placement(browser, byTestId("retry-connectivity"))));
      seen.push(...(await headerShown(browser, size)));
      await headerControls(browser, size, "fails");
      seen.push(...(await listColumns(browser, size)));
    }

    // The second profile open: not set up, and the way to set it up beside the controls.
    await browser.$(byTestId("profile-switch")).selectByVisibleText("Contoso Cloud Billing (EU)");
    await browser.$(`${byTestId("connectivity")}[data-state="notSetUp"]`).waitForExist({ timeout: 30_000 });
    for (const { width, height } of WINDOW_SIZES) {
      const size = `${width}×${height} not set up`;
      await setWindowSize(browser, width, height);
      shot(size, "header");
      seen.push(...(await headerShown(browser, size)));
      seen.push(...faults("Open Connections", size, await placement(browser, byTestId("fix-connections"))));
    }
    expect(seen).toEqual([]);
  });

  test("the wizard's Changes table fits the default window, its Edit clicked at its centre, no label of the row editor cut", async () => {
    sim = await startSim();
    app = await launchApp({ AGREEMENT_SYNC_DATA_DIR: freshDataDir(), AGREEMENT_SYNC_DEMO_URL: sim.url });
    const { browser } = app;
    await browser.$(byTestId("check-changes")).waitForEnabled({ timeout: 30_000 });
    await browser.$(byTestId("check-changes")).click();
    await waitForCheckToEnd(browser);
    await openTask(browser, "1000231");
    await browser.$(`${byTestId("company-option")}[data-company-id="250"]`).click();
    await browser.$(byTestId("step-agreement")).waitForExist({ timeout: 10_000 });
    await next(browser);
    await browser.$(byTestId("step-changes")).waitForExist({ timeout: 10_000 });
    await mapProducts(browser);

    const seen: string[] = [];
    for (const { width, height } of [...WINDOW_SIZES].reverse()) {
      const size = `${width}×${height}`;
      await setWindowSize(browser, width, height);
      const scroll = await browser.execute(() => {
        const table = document.querySelector('[data-testid="plan-table"]');
        const frame = table?.parentElement;
        return frame ? { scrollWidth: frame.scrollWidth, clientWidth: frame.clientWidth } : null;
      });
      expect(scroll, "the Changes table is shown").not.toBeNull();
      if (scroll !== null && width >= 1280 && scroll.scrollWidth > scroll.clientWidth) {
        seen.push(`${size}: the Changes table needs ${scroll.scrollWidth} px and has ${scroll.clientWidth}: it scrolls sideways`);
      }
      const edit = byTestId("edit-row");
      await browser.$(edit).scrollIntoView({ block: "center", inline: "nearest" });
      const p = await placement(browser, edit);
      seen.push(...faults("a row's Edit", size, p));
      if (p.hitCentre) await clickAt(browser, p.x, p.y);
      else await browser.execute((sel: string) => document.querySelector<HTMLElement>(sel)?.click(), edit);
      await browser.$(".plan-editor").waitForExist({ timeout: 10_000, timeoutMsg: `${size}: Edit did not open the row's editor` });
      shot(size, "row-editor");
      const labels = await browser.execute(() =>
        [...document.querySelectorAll<HTMLElement>(".plan-editor .field-label")].map((label) => {
          const r = label.getBoundingClientRect();
          const frame = label.closest(".plan-scroll")?.getBoundingClientRect();
          return {
            text: label.innerText.trim(),
            scrollWidth: label.scrollWidth,
            clientWidth: label.clientWidth,
            inFrame: frame === undefined || (r.left >= frame.left && r.right <= frame.right),
          };
        }),
      );
      expect(labels.length, "the row editor has its labels").toBeGreaterThan(4);
      for (const label of labels) {
        if (label.scrollWidth > label.clientWidth) seen.push(`${size}: the label "${label.text}" is cut (${label.scrollWidth} px in ${label.clientWidth})`);
        if (!label.inFrame) seen.push(`${size}: the label "${label.text}" is scrolled out of the table's frame`);
      }
      // Closed again for the next size.
      await browser.execute((sel: string) => document.querySelector<HTMLElement>(sel)?.click(), edit);
      await browser.$(".plan-editor").waitForExist({ timeout: 10_000, reverse: true });
    }
    expect(seen).toEqual([]);
  });
});
