// Starts the real app through tauri-driver (WebKitWebDriver underneath) with its own data folder,
// and the simulator as a separate process when a test needs to take the network away.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, existsSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { remote } from "webdriverio";

export const root = resolve(import.meta.dirname, "../..");
export const target = process.env.CARGO_TARGET_DIR ?? join(root, "target");
/** The app under test: the debug build, or `E2E_APP_BINARY` (the benchmarks use the release one). */
export const appBinary = process.env.E2E_APP_BINARY ?? join(target, "debug", "agreement-sync");
/** The simulator: the debug build, or `E2E_SIM_BINARY` (a copy, while the Rust tests relink it). */
export const simBinary = process.env.E2E_SIM_BINARY ?? join(target, "debug", "agreement-sync-sim");

export type Browser = Awaited<ReturnType<typeof remote>>;

/**
 * The day every test runs on: the app's clock and the simulator's world are pinned to it
 * (`AGREEMENT_SYNC_TODAY`), so the expected amounts hold whatever the machine's date.
 */
export const TODAY = "2026-11-24";

/**
 * With `E2E_SHOTS=/some/folder`, saves the whole screen there as `<name>.png` (ImageMagick's
 * `import`, much faster than WebDriver screenshots) — for looking at the screens a test passes
 * through. Without it, does nothing.
 */
export function snapshot(name: string): void {
  const dir = process.env.E2E_SHOTS;
  if (!dir) return;
  execFileSync("import", ["-window", "root", join(dir, `${name}.png`)]);
}

export function freshDataDir(): string {
  return mkdtempSync(join(tmpdir(), "agreement-sync-e2e-"));
}

/**
 * A fresh folder for the app's exports: with `AGREEMENT_SYNC_SAVE_DIR` the app saves there
 * without its save dialog, which no test could answer. Every launch gets one unless the test
 * names its own.
 */
export function freshSaveDir(): string {
  return mkdtempSync(join(tmpdir(), "agreement-sync-saved-"));
}

export async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => ok(port));
    });
  });
}

async function waitForPort(port: number, what: string, child: ChildProcess, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${what} exited with code ${child.exitCode}`);
    try {
      const r = await fetch(`http://127.0.0.1:${port}/status`).catch(() => fetch(`http://127.0.0.1:${port}/`));
      if (r.status > 0) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${what} did not start on port ${port} within ${ms} ms`);
}

export interface App {
  browser: Browser;
  close(): Promise<void>;
  /** Kills the app's process at once (SIGKILL), as a crash or a power cut would. */
  kill(): Promise<void>;
}

/**
 * With `E2E_FAKETIME` (e.g. `@2028-02-29 10:00:00`) and `E2E_FAKETIME_LIB` (libfaketime's path),
 * the app and its webview run with the computer's clock moved there (see `make e2e-moved-clock`).
 */
function movedClock(): Record<string, string> {
  const at = process.env.E2E_FAKETIME;
  const lib = process.env.E2E_FAKETIME_LIB;
  if (!at || !lib) return {};
  return {
    LD_PRELOAD: lib,
    FAKETIME: at,
    FAKETIME_DONT_FAKE_MONOTONIC: "1",
    // Only the app and its page see the moved clock: the WebDriver bridge and WebKit's network
    // process keep the real one (fewer processes with timed waits under libfaketime).
    FAKETIME_ONLY_CMDS: "agreement-sync,WebKitWebProcess",
  };
}

/** Under a moved clock, the page's own `Date` must show the moved day (not only the app's). */
async function expectPageClock(browser: Browser): Promise<void> {
  const at = process.env.E2E_FAKETIME;
  if (!at || !process.env.E2E_FAKETIME_LIB) return;
  const want = at.replace(/^@/, "").slice(0, 10);
  const seen = await browser.execute(() => new Date().toISOString().slice(0, 10));
  if (seen !== want) throw new Error(`the page's clock shows ${seen}, not the moved day ${want}`);
}

/** What the app's processes are doing (for a window that does not come up). */
function processReport(): string {
  try {
    return execFileSync("ps", ["-eo", "pid,etime,pcpu,stat,wchan:24,args"], { encoding: "utf8" })
      .split("\n")
      .filter((line, i) => i === 0 || /agreement-sync|WebKit|tauri-driver/.test(line))
      .join("\n");
  } catch (e) {
    return `ps failed: ${String(e)}`;
  }
}

/** `promise`, or `fallback` after `ms`. */
async function within<T>(promise: Promise<T>, ms: number, fallback: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<T>((ok) => (timer = setTimeout(() => ok(fallback), ms)));
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Waits for the window's header (every screen has it). A window that does not come up fails
 * here, with what its processes and page were doing, rather than later on a missing button.
 */
async function waitForWindow(browser: Browser): Promise<void> {
  try {
    await browser.$(byTestId("open-connections")).waitForExist({ timeout: 60_000 });
  } catch (e) {
    snapshot("window-did-not-come-up");
    const page = await within(
      browser.execute(() => `${document.readyState}: ${document.body?.innerText.slice(0, 2000) ?? "(no body)"}`),
      5_000,
      "(the page did not answer)",
    ).catch((err: unknown) => `(the page could not be read: ${String(err)})`);
    console.error(`The app's window did not come up within 60 s.\nPage: ${page}\nProcesses:\n${processReport()}`);
    throw e;
  }
}

/** Launches the app with `env` (e.g. its data folder) and connects a WebDriver session. */
export async function launchApp(env: Record<string, string>): Promise<App> {
  if (!existsSync(appBinary)) throw new Error(`build the app first: ${appBinary} is missing`);
  const port = await freePort();
  const nativePort = await freePort();
  const driver = spawn("tauri-driver", ["--port", String(port), "--native-port", String(nativePort)], {
    env: {
      ...process.env,
      WEBKIT_DISABLE_COMPOSITING_MODE: "1",
      AGREEMENT_SYNC_TODAY: TODAY,
      AGREEMENT_SYNC_SAVE_DIR: freshSaveDir(),
      ...movedClock(),
      ...env,
    },
    stdio: ["ignore", "inherit", "inherit"],
  });
  await waitForPort(port, "tauri-driver", driver);
  const browser = await remote({
    hostname: "127.0.0.1",
    port,
    logLevel: "warn",
    connectionRetryCount: 2,
    capabilities: {
      // @ts-expect-error tauri-driver's own capability
      "tauri:options": { application: appBinary },
      "wdio:enforceWebDriverClassic": true,
    },
  });
  const app: App = {
    browser,
    async close() {
      try {
        await browser.deleteSession();
      } catch {
        // the app may already be gone
      }
      driver.kill("SIGTERM");
      await new Promise((r) => setTimeout(r, 300));
    },
    async kill() {
      // One app at a time runs under the tests (no file parallelism), so its path names it.
      try {
        const exact = appBinary.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
        execFileSync("pkill", ["-KILL", "-f", `^${exact}( |$)`]);
      } catch {
        // already gone
      }
      await this.close();
    },
  };
  try {
    await waitForWindow(browser);
    await expectPageClock(browser);
  } catch (e) {
    // A window that never came up is ended here: nothing else holds it.
    await app.kill();
    throw e;
  }
  return app;
}

export interface Sim {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** One request the simulator answered (its log: `GET/DELETE /_sim/requests`). */
export interface SimRequest {
  method: string;
  path: string;
  status: number;
}

/** The simulator's request log since it started or was last cleared. */
export async function simRequests(s: Sim): Promise<SimRequest[]> {
  const r = await fetch(`${s.url}/_sim/requests`);
  if (!r.ok) throw new Error(`the simulator's request log answered ${r.status}`);
  return (await r.json()) as SimRequest[];
}

/** Empties the simulator's request log. */
export async function clearSimRequests(s: Sim): Promise<void> {
  const r = await fetch(`${s.url}/_sim/requests`, { method: "DELETE" });
  if (!r.ok) throw new Error(`clearing the simulator's request log answered ${r.status}`);
}

/** Starts the simulator binary on a free loopback port, with extra command-line `args`. */
export async function startSim(port?: number, args: string[] = []): Promise<Sim> {
  const p = port ?? (await freePort());
  const child = spawn(simBinary, ["--port", String(p), "--today", TODAY, ...args], {
    stdio: ["ignore", "ignore", "inherit"],
  });
  const url = `http://127.0.0.1:${p}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`simulator exited with code ${child.exitCode}`);
    try {
      const r = await fetch(`${url}/_sim/requests`);
      if (r.ok) break;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error("simulator did not start");
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    port: p,
    async stop() {
      child.kill("SIGTERM");
      await new Promise<void>((ok) => {
        if (child.exitCode !== null) ok();
        else child.once("exit", () => ok());
      });
    },
  };
}

export const byTestId = (id: string) => `[data-testid="${id}"]`;

/** The order ids of the rows currently rendered in the list. */
export async function visibleOrderIds(browser: Browser): Promise<string[]> {
  const rows = await browser.$$(byTestId("task-row"));
  const ids: string[] = [];
  for (const row of rows) {
    const id = await row.getAttribute("data-order-id");
    if (id) ids.push(id);
  }
  return ids;
}

/** What Check Changes can show once clicked: its progress, its summary, its error, a refused window. */
const CHECK_OUTCOMES = ["check-progress", "check-summary", "error-banner", "first-check-days-error"]
  .map((id) => `[data-testid="${id}"]`)
  .join(",");

/**
 * Clicks Check Changes, then waits (up to 10 s, without failing) until the window answers the
 * click: the button disabled, or something of the check's on screen that was not there before
 * (its progress, summary or error, a refused window). Otherwise a wait for the check's end could
 * pass before the click's render, with the check still to come.
 */
export async function clickCheckChanges(browser: Browser): Promise<void> {
  const button = browser.$(byTestId("check-changes"));
  await button.waitForEnabled({ timeout: 30_000 });
  await browser.execute((outcomes: string) => {
    for (const el of document.querySelectorAll<HTMLElement>(outcomes)) el.dataset.e2eBefore = "1";
  }, CHECK_OUTCOMES);
  const answered = () =>
    browser
      .waitUntil(
        async () =>
          browser.execute((outcomes: string) => {
            const button = document.querySelector<HTMLButtonElement>('[data-testid="check-changes"]');
            const fresh = [...document.querySelectorAll<HTMLElement>(outcomes)].some((el) => el.dataset.e2eBefore !== "1");
            return fresh || button?.disabled === true;
          }, CHECK_OUTCOMES),
        { timeout: 10_000, interval: 50 },
      )
      .then(() => true)
      .catch(() => false);
  await button.click();
  if (await answered()) return;
  // Nothing to see: the click was lost (or what it showed went by unseen). One more, if it can.
  console.warn("Check Changes showed nothing within 10 s of its click; clicking it once more");
  if (await button.isEnabled()) {
    await button.click();
    await answered();
  }
}

/** Waits for a running Check Changes to end (the button is enabled again). */
export async function waitForCheckToEnd(browser: Browser): Promise<void> {
  await browser.waitUntil(
    async () => {
      const running = await browser.$(byTestId("check-progress")).isExisting();
      const enabled = await browser.$(byTestId("check-changes")).isEnabled();
      return !running && enabled;
    },
    { timeout: 120_000, interval: 250, timeoutMsg: "Check Changes did not finish" },
  );
}

export async function taskCount(browser: Browser): Promise<number> {
  const text = await browser.$(byTestId("task-count")).getText();
  const m = text.replace(/[,\s]/g, "").match(/(\d+)/);
  if (!m?.[1]) throw new Error(`no number in task count "${text}"`);
  return Number(m[1]);
}

/** The rendered text of an element. (WebKitWebDriver's getText answers "" for transformed
 * elements such as the virtualised rows, so this asks the page for innerText.) */
export async function textOf(browser: Browser, selector: string): Promise<string> {
  const text = await browser.execute((sel: string) => {
    const el = document.querySelector(sel);
    return el instanceof HTMLElement ? el.innerText : null;
  }, selector);
  if (text === null) throw new Error(`no element matches ${selector}`);
  return text;
}

/** The first lines (customer names) of the first `n` rendered rows, in order. */
export async function rowCustomerNames(browser: Browser, n: number): Promise<string[]> {
  return browser.execute((count: number) => {
    const rows = [...document.querySelectorAll<HTMLElement>('[data-testid="task-row"]')];
    rows.sort((a, b) => Number(a.getAttribute("aria-rowindex")) - Number(b.getAttribute("aria-rowindex")));
    return rows.slice(0, count).map((r) => r.querySelector<HTMLElement>(".cell-primary")?.innerText ?? "");
  }, n);
}

/**
 * Types `text` into the task list's search, again until the field reads it: under load a render
 * landing between the keys has dropped or doubled some.
 */
export async function searchFor(browser: Browser, text: string): Promise<void> {
  const search = browser.$(byTestId("search"));
  for (let attempt = 1; ; attempt++) {
    await search.click();
    await browser.keys(["Control", "a"]);
    await browser.keys("Backspace");
    await search.addValue(text);
    const read = await search.getValue();
    if (read === text) return;
    if (attempt === 3) throw new Error(`the search reads "${read}" after typing "${text}" three times`);
  }
}

/** What the task list shows, for a test that did not find a task there. */
async function listReport(browser: Browser): Promise<string> {
  const seen = await within(
    browser.execute(() => {
      const search = document.querySelector<HTMLInputElement>('[data-testid="search"]');
      const rows = [...document.querySelectorAll<HTMLElement>('[data-testid="task-row"]')];
      const outcome = document.querySelector<HTMLElement>(".check-outcome");
      return (
        `the search reads "${search?.value ?? "(no search)"}"; ` +
        `rows: [${rows.map((r) => r.getAttribute("data-order-id")).join(", ")}]; ` +
        `count: "${document.querySelector<HTMLElement>('[data-testid="task-count"]')?.innerText ?? "(none)"}"; ` +
        `under the header: "${outcome?.innerText.replace(/\s+/g, " ").slice(0, 400) ?? "(nothing)"}"`
      );
    }),
    5_000,
    "(the page did not answer)",
  ).catch((err: unknown) => `(the page could not be read: ${String(err)})`);
  return seen;
}

/** Selects a task in the list by its order id and opens it (the review wizard or its sync). */
export async function openTask(browser: Browser, orderId: string): Promise<void> {
  await searchFor(browser, orderId);
  const rowSelector = `${byTestId("task-row")}[data-order-id="${orderId}"]`;
  try {
    await browser.$(rowSelector).waitForExist({ timeout: 20_000 });
  } catch (e) {
    snapshot(`task-${orderId}-not-listed`);
    throw new Error(`task ${orderId} was not listed within 20 s: ${await listReport(browser)}`, { cause: e });
  }
  // The list as searched, where the search finds only this order: the list before the search shows
  // the row too, and a click while the searched list replaces it lands where the row no longer is.
  await browser
    .waitUntil(
      async () =>
        browser.execute((id: string) => {
          const rows = [...document.querySelectorAll('[data-testid="task-row"]')];
          return rows.length > 0 && rows.every((r) => r.getAttribute("data-order-id") === id);
        }, orderId),
      { timeout: 3_000, interval: 100 },
    )
    .catch(() => undefined);
  // Clicked until the order's row is the selected one (a click landing during a re-render selects
  // nothing). The row is looked up again each time: the list reuses its row elements for other tasks.
  for (let attempt = 1; ; attempt++) {
    await browser.$(rowSelector).click();
    const selected = await browser
      .waitUntil(
        async () => browser.execute((sel: string) => document.querySelector(`${sel}[aria-selected="true"]`) !== null, rowSelector),
        { timeout: 3_000, interval: 100 },
      )
      .catch(() => false);
    if (selected) break;
    if (attempt === 3) throw new Error(`task ${orderId} is not selected after three clicks: ${await listReport(browser)}`);
  }
  const open = browser.$(byTestId("sync-changes"));
  await open.waitForClickable({ timeout: 10_000 });
  await open.click();
  await browser.$(byTestId("wizard")).waitForExist({ timeout: 10_000 });
}

/** The wizard's Next. */
export async function next(browser: Browser): Promise<void> {
  const button = browser.$(byTestId("wizard-next"));
  await button.waitForClickable({ timeout: 10_000 });
  await button.click();
}

/** Picks the top suggestion for every product still to map. */
export async function mapProducts(browser: Browser): Promise<void> {
  for (let i = 0; i < 10; i++) {
    const pending = await browser.$$(`${byTestId("product-mapping")} ${byTestId("catalog-option")}`);
    const first = pending[0];
    if (!first) return;
    const before = pending.length;
    await first.click();
    await browser.waitUntil(
      async () => (await browser.$$(`${byTestId("product-mapping")} ${byTestId("catalog-option")}`)).length < before,
      { timeout: 10_000, timeoutMsg: "the product mapping was not taken" },
    );
  }
}

/** The simulator's demo ConnectWise credentials (not secrets: the simulator's own). */
export const cwHeaders = {
  Authorization: `Basic ${Buffer.from("demo+demo-public:demo-private").toString("base64")}`,
  clientId: "00000000-0000-4000-8000-000000000001",
  Accept: "application/json",
};

/** An addition as the simulator's ConnectWise API returns it (the fields the tests read). */
export interface WireAddition {
  id: number;
  product: { id: number; identifier: string };
  quantity: number;
  unitPrice: number;
  billCustomer: string;
  effectiveDate: string | null;
  cancelledDate: string | null;
  /** Where the app keeps its key (SPEC §15) when no custom field is named. */
  serialNumber?: string;
}

/** An agreement's additions, read over the simulator's ConnectWise API. */
export async function agreementAdditions(s: Sim, agreement: number): Promise<WireAddition[]> {
  const r = await fetch(`${s.url}/v4_6_release/apis/3.0/finance/agreements/${agreement}/additions?pageSize=1000`, {
    headers: cwHeaders,
  });
  if (r.status !== 200) throw new Error(`agreement ${agreement}'s additions answered ${r.status}`);
  return (await r.json()) as WireAddition[];
}

/** How many writes (POST/PATCH) the simulator has seen on an agreement's additions. */
export async function writesOn(s: Sim, agreement: number): Promise<number> {
  const log = await simRequests(s);
  return log.filter((q) => q.method !== "GET" && q.path.includes(`/finance/agreements/${agreement}/additions`)).length;
}

/** In an open wizard: the company, the agreement it preselects, and the products' top suggestions. */
export async function mapInWizard(browser: Browser, companyId: number): Promise<void> {
  await browser.$(`${byTestId("company-option")}[data-company-id="${companyId}"]`).click();
  await browser.$(byTestId("step-agreement")).waitForExist({ timeout: 10_000 });
  await next(browser);
  await browser.$(byTestId("step-changes")).waitForExist({ timeout: 10_000 });
  await mapProducts(browser);
  await next(browser);
  await browser.$(byTestId("step-summary")).waitForExist({ timeout: 10_000 });
}

/** Check Changes, then Green Lane's Change Order reviewed up to its Summary, suggestions accepted. */
export async function reviewGreenLane(browser: Browser): Promise<void> {
  await clickCheckChanges(browser);
  await waitForCheckToEnd(browser);
  await openTask(browser, "1000231");
  await mapInWizard(browser, 250);
}

/** Closes the open wizard. */
export async function closeWizard(browser: Browser): Promise<void> {
  await browser.$(byTestId("wizard-close")).click();
  await browser.$(byTestId("wizard")).waitForExist({ timeout: 10_000, reverse: true });
}

/** A row of the batch board, by task id. */
export const boardRow = (taskId: string) => `${byTestId("board-row")}[data-task-id="${taskId}"]`;

/** A board row's state (`ready`, `attention`, `already`, `synced`, ...). */
export async function rowState(browser: Browser, taskId: string): Promise<string> {
  return (await browser.$(boardRow(taskId)).getAttribute("data-state")) ?? "";
}

/** The task id of the list row of an order. */
export async function taskIdOf(browser: Browser, orderId: string): Promise<string> {
  const row = browser.$(`${byTestId("task-row")}[data-order-id="${orderId}"]`);
  await row.waitForExist({ timeout: 20_000 });
  return (await row.getAttribute("data-task-id")) ?? "";
}

/** The window sizes the layout must hold at: the minimum (tauri.conf.json), a small laptop, the default. */
export const WINDOW_SIZES = [
  { width: 900, height: 560 },
  { width: 1024, height: 700 },
  { width: 1280, height: 800 },
] as const;

/** Sets the window to `width` × `height` and waits until the page has that viewport. */
export async function setWindowSize(browser: Browser, width: number, height: number): Promise<void> {
  await browser.setWindowRect(0, 0, width, height);
  await browser.waitUntil(
    async () => {
      const [w, h] = await browser.execute(() => [window.innerWidth, window.innerHeight]);
      return w === width && h === height;
    },
    { timeout: 10_000, interval: 100, timeoutMsg: `the window did not become ${width}×${height}` },
  );
  // One frame for the layout to settle.
  await browser.execute(() => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(() => ok(null)))));
}

/** Where an element is on screen, and what the window shows at its centre and just inside its ends. */
export interface Placement {
  /** The element exists. */
  found: boolean;
  x: number;
  y: number;
  width: number;
  height: number;
  /** Its box lies wholly inside the window. */
  inWindow: boolean;
  /** The element (or a child of it) is what the point at its centre hits; and the points at its text's two ends. */
  hitCentre: boolean;
  hitEnds: boolean;
  /** What is on top at its centre, in words, when it is not the element. */
  onTop: string;
  /** What is on top at an end of its text, when it is not the element. */
  coveredBy: string;
  /** Its own text (or a child's) is cut: wider than the box that shows it. */
  clipped: string | null;
}

/**
 * The placement of the first element matching `selector` (or, with `text`, of the first one
 * whose text content is `text`).
 */
export async function placement(browser: Browser, selector: string, text?: string): Promise<Placement> {
  return browser.execute(
    (sel: string, wanted: string | null) => {
      const all = [...document.querySelectorAll<HTMLElement>(sel)];
      const el = wanted === null ? all[0] : all.find((e) => (e.textContent ?? "").trim() === wanted);
      const none = { found: false, x: 0, y: 0, width: 0, height: 0, inWindow: false, hitCentre: false, hitEnds: false, onTop: "", coveredBy: "", clipped: null };
      if (el === undefined) return none;
      const r = el.getBoundingClientRect();
      const x = r.left + r.width / 2;
      const y = r.top + r.height / 2;
      const describe = (e: Element | null): string => {
        if (e === null) return "nothing (outside the window)";
        const id = e.closest("[data-testid]")?.getAttribute("data-testid");
        const words = (e instanceof HTMLElement ? e.innerText : e.textContent ?? "").trim().replace(/\s+/g, " ").slice(0, 60);
        return `<${e.tagName.toLowerCase()}${id ? ` in ${id}` : ""}> "${words}"`;
      };
      const hits = (px: number, py: number) => {
        const top = document.elementFromPoint(px, py);
        return top !== null && (top === el || el.contains(top));
      };
      const top = document.elementFromPoint(x, y);
      const hitCentre = hits(x, y);
      // The ends of its text (of its box when it has none): a scrollbar over a cell's padding hides nothing.
      const range = document.createRange();
      range.selectNodeContents(el);
      const t = range.getBoundingClientRect();
      const ends = t.width > 0 ? t : r;
      const inset = Math.min(2, ends.width / 4);
      const endY = ends.top + ends.height / 2;
      const hitLeft = hits(ends.left + inset, endY);
      const hitRight = hits(ends.right - inset, endY);
      const hitEnds = r.width > 0 && hitLeft && hitRight;
      const coveredBy = hitEnds
        ? ""
        : describe(document.elementFromPoint(hitLeft ? ends.right - inset : ends.left + inset, endY));
      let clipped: string | null = null;
      for (const e of [el, ...el.querySelectorAll<HTMLElement>("*")]) {
        if (!(e instanceof HTMLElement) || e.clientWidth === 0) continue;
        const style = getComputedStyle(e);
        if (style.overflowX === "visible" || style.display === "inline") continue;
        if (e.scrollWidth > e.clientWidth + 1) {
          clipped = `"${e.innerText.trim().slice(0, 60)}" needs ${e.scrollWidth} px, has ${e.clientWidth}`;
          break;
        }
      }
      return {
        found: true,
        x,
        y,
        width: r.width,
        height: r.height,
        inWindow: r.width > 0 && r.height > 0 && r.left >= 0 && r.top >= 0 && r.right <= window.innerWidth && r.bottom <= window.innerHeight,
        hitCentre,
        hitEnds,
        onTop: hitCentre ? "" : describe(top),
        coveredBy,
        clipped,
      };
    },
    selector,
    text ?? null,
  );
}

/** Clicks the window at a point (CSS pixels from its top left), as a mouse would. */
export async function clickAt(browser: Browser, x: number, y: number): Promise<void> {
  await browser
    .action("pointer", { parameters: { pointerType: "mouse" } })
    .move({ x: Math.round(x), y: Math.round(y), origin: "viewport" })
    .down({ button: 0 })
    .up({ button: 0 })
    .perform();
}
