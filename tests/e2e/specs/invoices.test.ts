import { afterEach, describe, expect, test } from "vitest";
import {
  byTestId,
  clickCheckChanges,
  cwHeaders,
  freshDataDir,
  launchApp,
  mapProducts,
  next,
  openTask,
  placement,
  setWindowSize,
  simRequests,
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

/** Wingtip's agreement, which Demo invoices in advance (SPEC §16). */
const WINGTIP_AGREEMENT = 4140;
const WINGTIP_COMPANY = 259;
/** Wingtip's Change Order: +3 Microsoft 365 Business Basic, two days ago. */
const WINGTIP_CHANGE = "1000235";

interface SimInvoice {
  date: string;
  total: string;
  lines: { kind: string; amount: string; description: string }[];
}

/** The agreement's recap, read over the simulator's ConnectWise API. */
async function recap(s: Sim, agreement: number): Promise<{ nextInvoiceDate: string; lastInvoiceNumber: string | null }> {
  const r = await fetch(`${s.url}/v4_6_release/apis/3.0/finance/agreementrecap/${agreement}`, { headers: cwHeaders });
  if (r.status !== 200) throw new Error(`the recap of ${agreement} answered ${r.status}`);
  return (await r.json()) as { nextInvoiceDate: string; lastInvoiceNumber: string | null };
}

/** ConnectWise's invoice run through `through`, then the invoices it made, over the simulator's API. */
async function invoiceRun(s: Sim, agreement: number, through: string): Promise<SimInvoice[]> {
  const r = await fetch(`${s.url}/_sim/invoice-run`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ through, agreementId: agreement }),
  });
  if (r.status !== 200) throw new Error(`the invoice run answered ${r.status}`);
  await r.json();
  const list = await fetch(`${s.url}/_sim/invoices?agreementId=${agreement}`);
  return (await list.json()) as SimInvoice[];
}

async function rowsWithKeyPrefix(browser: Browser, prefix: string): Promise<string[]> {
  const rows = await browser.$$(`${byTestId("plan-row")}[data-row-key^="${prefix}"]`);
  const keys: string[] = [];
  for (const r of rows) keys.push(await r.getAttribute("data-row-key"));
  return keys;
}

describe("the invoice calendar", () => {
  test("a Change Order on an agreement invoiced through its month: catch-up, moved date, next invoice, Sync, and ConnectWise's invoice equal to the panel", async () => {
    sim = await startSim();
    const calendar = await recap(sim, WINGTIP_AGREEMENT);
    app = await launchApp({ AGREEMENT_SYNC_DATA_DIR: freshDataDir(), AGREEMENT_SYNC_DEMO_URL: sim.url });
    const { browser } = app;
    await clickCheckChanges(browser);
    await waitForCheckToEnd(browser);
    await openTask(browser, WINGTIP_CHANGE);
    await browser.$(`${byTestId("company-option")}[data-company-id="${WINGTIP_COMPANY}"]`).click();
    await browser.$(byTestId("step-agreement")).waitForExist({ timeout: 10_000 });
    await next(browser);
    await browser.$(byTestId("step-changes")).waitForExist({ timeout: 10_000 });
    await mapProducts(browser);

    // The calendar, in words, as ConnectWise has it.
    const words = await textOf(browser, byTestId("plan-calendar"));
    expect(words).toContain("Invoiced through");
    if (calendar.lastInvoiceNumber) expect(words).toContain(`#${calendar.lastInvoiceNumber}`);

    // The new addition starts at the boundary and says why; the months invoiced are caught up.
    const add = browser.$(`${byTestId("plan-row")}[data-row-key^="add:"]`);
    const addText = await add.getText();
    expect(addText).toContain(calendar.nextInvoiceDate);
    expect(addText).toMatch(/Moved from \d{4}-\d{2}-\d{2} to \d{4}-\d{2}-\d{2}: .* already invoiced/);
    const catchUps = await rowsWithKeyPrefix(browser, "catchup:");
    expect(catchUps.length).toBeGreaterThanOrEqual(1);
    const badge = await browser.$(`${byTestId("plan-row")}[data-row-key^="catchup:"] ${byTestId("row-action")}`);
    expect(await badge.getText()).toContain("Catch-up");
    snapshot("invoices-changes");

    await next(browser);
    await browser.$(byTestId("step-summary")).waitForExist({ timeout: 10_000 });
    const panel = browser.$(byTestId("next-invoice"));
    await panel.waitForExist({ timeout: 10_000 });
    const shownTotal = await textOf(browser, byTestId("next-invoice-total"));
    expect(shownTotal).toMatch(/^-?\d+\.\d{2}$/);
    const shownLines = await browser.$$(byTestId("next-invoice-line"));
    const shownAmounts: string[] = [];
    for (const l of shownLines) {
      // Read whether or not the panel's table is scrolled to show it.
      const amount = String(await l.$("td.invoice-amount").getProperty("textContent")).trim();
      shownAmounts.push(amount);
    }
    expect(shownAmounts.length).toBeGreaterThan(0);
    snapshot("invoices-summary");

    // At the narrowest window the panel stays inside the page: the page never scrolls sideways
    // (the lines table scrolls in its own frame), and the total is on screen once scrolled to.
    await setWindowSize(browser, 900, 560);
    const [scrollWidth, clientWidth] = await browser.execute(() => [
      document.documentElement.scrollWidth,
      document.documentElement.clientWidth,
    ]);
    expect(scrollWidth).toBeLessThanOrEqual(clientWidth);
    await browser.$(byTestId("next-invoice-total")).scrollIntoView();
    const total = await placement(browser, byTestId("next-invoice-total"));
    expect(total.inWindow && total.hitCentre, JSON.stringify(total)).toBe(true);
    snapshot("invoices-summary-900");
    await setWindowSize(browser, 1280, 800);

    const sync = browser.$(byTestId("sync-button"));
    await sync.waitForClickable({ timeout: 10_000 });
    await sync.click();
    await browser.waitUntil(
      async () => (await browser.$(byTestId("sync-result")).getAttribute("data-state")) === "synced",
      { timeout: 60_000, timeoutMsg: "the sync did not end synced" },
    );

    // ConnectWise invoices the agreement: its next invoice is the one the panel showed.
    const invoices = await invoiceRun(sim, WINGTIP_AGREEMENT, calendar.nextInvoiceDate);
    const invoice = invoices.find((i) => i.date === calendar.nextInvoiceDate);
    expect(invoice, JSON.stringify(invoices)).toBeDefined();
    expect(invoice?.total).toBe(shownTotal);
    expect(invoice?.lines.map((l) => l.amount).sort()).toEqual(shownAmounts.sort());
    // The catch-up is billed on it, once.
    expect(invoice?.lines.filter((l) => l.description.includes("catch-up")).length).toBe(catchUps.length);

    // The app never wrote an invoice.
    const invoiceWrites = (await simRequests(sim)).filter(
      (q) => (q.path.includes("/finance/invoices") && q.method !== "GET") || (q.path.endsWith("/invoice") && q.method === "POST"),
    );
    expect(invoiceWrites).toEqual([]);
  });
});
