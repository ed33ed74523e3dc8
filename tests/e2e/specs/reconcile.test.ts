import { readFileSync } from "node:fs";
import { afterEach, describe, expect, test } from "vitest";
import {
  agreementAdditions,
  byTestId,
  clickCheckChanges,
  freshDataDir,
  launchApp,
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

const bookRow = (customerId: string) => `${byTestId("book-row")}[data-customer-id="${customerId}"]`;

/** Runs a reconcile and waits for its end (the screen counts the runs that ended). */
async function reconcile(browser: Browser): Promise<void> {
  const screen = browser.$(byTestId("reconcile-screen"));
  const before = Number(await screen.getAttribute("data-runs"));
  const run = browser.$(byTestId("reconcile-run"));
  await run.waitForEnabled({ timeout: 30_000 });
  await run.click();
  await browser.waitUntil(async () => Number(await screen.getAttribute("data-runs")) > before, {
    timeout: 120_000,
    interval: 250,
    timeoutMsg: "the reconcile did not finish",
  });
  expect(await browser.$(byTestId("reconcile-error")).isExisting()).toBe(false);
}

async function search(browser: Browser, text: string): Promise<void> {
  const field = browser.$(byTestId("book-search"));
  await field.click();
  await browser.keys(["Control", "a"]);
  await browser.keys("Backspace");
  if (text !== "") await field.addValue(text);
}

async function openCustomer(browser: Browser, customerId: string, name: string): Promise<void> {
  await search(browser, name);
  const row = browser.$(bookRow(customerId));
  await row.waitForExist({ timeout: 20_000 });
  await row.click();
  const panel = browser.$(`${byTestId("reconcile-customer")}[data-customer-id="${customerId}"]`);
  await panel.waitForExist({ timeout: 10_000 });
  await browser.waitUntil(async () => (await panel.getAttribute("aria-busy")) === "false", { timeout: 10_000 });
}

/**
 * In the open customer: maps it to `companyId`, then (with `products`) every product to its
 * top-ranked catalog item, or (with a list) to the listed catalog items in the order asked.
 */
async function mapCustomer(browser: Browser, companyId: number, products: boolean | number[]): Promise<void> {
  await browser.$(byTestId("map-customer")).click();
  const company = browser.$(`${byTestId("company-picker-suggestions")} ${byTestId("company-option")}[data-company-id="${companyId}"]`);
  await company.waitForClickable({ timeout: 10_000 });
  await company.click();
  await browser.waitUntil(async () => (await textOf(browser, byTestId("customer-company"))).startsWith("ConnectWise company"), {
    timeout: 10_000,
    timeoutMsg: "the customer's mapping was not taken",
  });
  if (!products) return;
  for (let i = 0; i < 10; i++) {
    const buttons = await browser.$$(byTestId("map-product"));
    const first = buttons[0];
    if (!first) return;
    const before = buttons.length;
    await first.click();
    const wanted = Array.isArray(products) ? products[i] : undefined;
    const top = browser.$(
      `${byTestId("catalog-picker-suggestions")} ${byTestId("catalog-option")}${wanted === undefined ? "" : `[data-catalog-id="${wanted}"]`}`,
    );
    await top.waitForClickable({ timeout: 10_000 });
    await top.click();
    // The picker closes: counted afresh each time, as a handle to it goes stale when it leaves.
    await browser.waitUntil(async () => (await browser.$$(byTestId("catalog-picker"))).length === 0, {
      timeout: 10_000,
      timeoutMsg: "the catalog picker did not close",
    });
    await browser.waitUntil(async () => (await browser.$$(byTestId("map-product"))).length < before, {
      timeout: 10_000,
      timeoutMsg: "the product mapping was not taken",
    });
  }
}

/** Demo checked (its orders make the customers known), then Reconcile opened and run once. */
async function checkedAndReconciled(browser: Browser): Promise<void> {
  // Demo opens on the task list.
  await browser.$(byTestId("task-list")).waitForExist({ timeout: 20_000 });
  await clickCheckChanges(browser);
  await waitForCheckToEnd(browser);
  await browser.$(byTestId("view-reconcile")).click();
  await browser.$(byTestId("reconcile-screen")).waitForExist({ timeout: 10_000 });
  await reconcile(browser);
}

/** (outcome, effect) of the open customer's product named `name`. */
async function product(browser: Browser, name: string): Promise<{ outcome: string; effect: string; text: string }> {
  return browser.execute((wanted: string) => {
    const cards = [...document.querySelectorAll<HTMLElement>('[data-testid="product"]')];
    const card = cards.find((c) => c.querySelector("h4")?.innerText === wanted);
    if (!card) return { outcome: "", effect: "", text: "" };
    return {
      outcome: card.dataset.outcome ?? "",
      effect: card.querySelector<HTMLElement>('[data-testid="product-effect"]')?.innerText ?? "",
      text: card.innerText,
    };
  }, name);
}

describe("Reconcile", () => {
  test("Demo: mapped from the Reconcile screen, the seeded drift reads with its outcomes and effects, both sides shown, the book saved as CSV", async () => {
    app = await launchApp({ AGREEMENT_SYNC_DATA_DIR: freshDataDir() });
    const { browser } = app;
    await checkedAndReconciled(browser);
    await browser.waitUntil(async () => (await textOf(browser, byTestId("book-count"))) === "15 customers", {
      timeout: 10_000,
      timeoutMsg: "the book does not have the Demo's 15 customers",
    });
    // Nothing mapped yet: every customer is Unmapped.
    expect(await textOf(browser, byTestId("last-reconciled"))).toBe("Reconciled just now");

    // Green Lane and Pinecrest mapped here (their products too: a product's mapping holds for every customer).
    await openCustomer(browser, "1000048531", "Green Lane");
    await mapCustomer(browser, 250, true);
    await openCustomer(browser, "1000048920", "Pinecrest");
    // Its products but Power BI Pro (which has no catalog item) are Green Lane's, mapped already.
    await mapCustomer(browser, 269, false);
    // Mapped in place, online: its company's additions are read at once, so it reads its real
    // outcomes before any second reconcile (never "ConnectWise bills 0.00").
    await browser.waitUntil(async () => (await product(browser, "Exchange Online (Plan 1)")).outcome === "duplicate", {
      timeout: 10_000,
      timeoutMsg: "Pinecrest mapped in place does not read its duplicate at once",
    });
    expect(await product(browser, "Microsoft 365 Apps for business (annual)")).toMatchObject({ outcome: "stillBilling", effect: "-198.00" });
    snapshot("reconcile-mapped-in-place");
    await search(browser, "");

    await browser.$(byTestId("close-customer")).click();

    // Reconciled again: the mapped companies' additions are read and compared.
    await reconcile(browser);
    const green = browser.$(bookRow("1000048531"));
    await green.waitForExist({ timeout: 10_000 });
    expect(await textOf(browser, `${bookRow("1000048531")} ${byTestId("book-drift")}`)).toBe("2 drifts");
    const greenLines = await browser.execute((sel: string) => {
      return [...document.querySelectorAll<HTMLElement>(sel)].map((e) => e.innerText.replace(/\s+/g, " ").trim());
    }, `${bookRow("1000048531")} ${byTestId("book-recurring")}`);
    expect(greenLines).toEqual([
      "USD ConnectWise bills 484.00, the marketplace 586.00 — +102.00 / month",
      "USD ConnectWise bills 297.00, the marketplace 297.00 — 0.00 / year",
    ]);
    const greenEffects = await browser.execute((sel: string) => {
      return [...document.querySelectorAll<HTMLElement>(sel)].map((e) => e.innerText.trim());
    }, `${bookRow("1000048531")} ${byTestId("book-effect")}`);
    expect(greenEffects).toEqual(["+102.00 USD / month", "0.00 USD / year"]);
    snapshot("reconcile-book");

    // Filtered to Duplicate: Pinecrest (Contoso is still unmapped).
    await browser.$(byTestId("book-outcome")).selectByAttribute("value", "duplicate");
    await browser.waitUntil(async () => (await browser.$$(byTestId("book-row"))).length === 1, { timeout: 10_000 });
    expect(await browser.$(bookRow("1000048920")).isExisting()).toBe(true);
    await browser.$(byTestId("book-outcome")).selectByAttribute("value", "");

    // Green Lane product by product.
    await openCustomer(browser, "1000048531", "Green Lane");
    expect(await product(browser, "Microsoft 365 Business Premium")).toMatchObject({ outcome: "quantityDiffers", effect: "+110.00" });
    expect(await product(browser, "Exchange Online (Plan 1)")).toMatchObject({ outcome: "quantityDiffers", effect: "-8.00" });
    expect(await product(browser, "Microsoft 365 Apps for business (annual)")).toMatchObject({ outcome: "inSync", effect: "0.00" });

    // Pinecrest: a duplicate, a cancelled subscription still billed, a price, and a product without a catalog item.
    await openCustomer(browser, "1000048920", "Pinecrest");
    const exo = await product(browser, "Exchange Online (Plan 1)");
    expect(exo).toMatchObject({ outcome: "duplicate", effect: "-20.00" });
    expect(exo.text).toContain("2 active additions (30250, 30251) bill 10 together; the marketplace has 5.");
    expect(exo.text).toContain("1000566");
    expect(exo.text).toContain("30250");
    expect(exo.text).toContain("30251");
    const apps = await product(browser, "Microsoft 365 Apps for business (annual)");
    expect(apps).toMatchObject({ outcome: "stillBilling", effect: "-198.00" });
    expect(apps.text).toContain("Cancelled");
    expect(await product(browser, "Microsoft 365 Business Premium")).toMatchObject({ outcome: "priceDiffers", effect: "+10.00" });
    expect((await product(browser, "Power BI Pro")).outcome).toBe("unmapped");
    snapshot("reconcile-customer");

    // The book shown (Pinecrest, searched) saved as CSV.
    await browser.waitUntil(async () => (await textOf(browser, byTestId("book-count"))) === "1 of 15 customers", { timeout: 10_000 });
    await browser.$(byTestId("reconcile-export")).click();
    const saved = browser.$(byTestId("reconcile-saved"));
    await saved.waitForExist({ timeout: 10_000 });
    const said = await saved.getText();
    const m = said.match(/^Saved to (.+\.csv) \((\d+) products\)$/);
    expect(m, said).not.toBeNull();
    const path = m?.[1] ?? "";
    expect(m?.[2]).toBe("4");
    const lines = readFileSync(path, "utf8").split("\r\n").filter((l) => l !== "");
    expect(lines[0]?.startsWith("Customer,Account id,Company,Product,Outcome,")).toBe(true);
    expect(lines).toHaveLength(1 + 4);
    expect(lines.some((l) => l.includes("Exchange Online (Plan 1)") && l.includes(",Duplicate,") && l.includes(",30250 30251,") && l.includes(",-20.00,"))).toBe(true);
  });

  test("Demo: a quantity drift and a duplicate fixed together, synced, ConnectWise holds exactly the fixes, and a second reconcile proposes nothing", async () => {
    sim = await startSim();
    app = await launchApp({ AGREEMENT_SYNC_DATA_DIR: freshDataDir(), AGREEMENT_SYNC_DEMO_URL: sim.url });
    const { browser } = app;
    await checkedAndReconciled(browser);

    // Contoso (EUR licences on agreement 4134): Basic billed for 10 of 12, Defender entered twice.
    await openCustomer(browser, "1000048655", "Contoso");
    // Its products in name order: Business Basic, Business Premium, Defender.
    await mapCustomer(browser, 254, [615, 611, 617]);
    await reconcile(browser);
    await openCustomer(browser, "1000048655", "Contoso");
    expect(await product(browser, "Microsoft 365 Business Basic")).toMatchObject({ outcome: "quantityDiffers", effect: "+11.16" });
    const defender = await product(browser, "Microsoft Defender for Business");
    expect(defender).toMatchObject({ outcome: "duplicate", effect: "-27.90" });
    expect(defender.text).toContain("2 active additions (30241, 30242) bill 20 together; the marketplace has 10.");
    const before = await agreementAdditions(sim, 4134);

    // Both ticked and fixed together: a board of two reconcile fixes, both ready.
    for (const name of ["Microsoft 365 Business Basic", "Microsoft Defender for Business"]) {
      await browser.execute((wanted: string) => {
        const cards = [...document.querySelectorAll<HTMLElement>('[data-testid="product"]')];
        cards.find((c) => c.querySelector("h4")?.innerText === wanted)?.querySelector<HTMLInputElement>('[data-testid="fix-tick"]')?.click();
      }, name);
    }
    await browser.waitUntil(async () => (await textOf(browser, byTestId("fix-selected"))) === "Fix selected (2)", {
      timeout: 10_000,
      timeoutMsg: "the two products were not ticked",
    });
    snapshot("reconcile-fix-ticked");
    await browser.$(byTestId("fix-selected")).click();
    await browser.$(byTestId("batch-screen")).waitForExist({ timeout: 20_000 });
    await browser.waitUntil(async () => (await browser.$$(`${byTestId("board-row")}[data-ready="true"]`)).length === 2, {
      timeout: 20_000,
      timeoutMsg: "the two fixes are not both ready on the board",
    });
    snapshot("reconcile-fix-board");
    await browser.$(byTestId("sync-batch")).click();
    await browser.$(byTestId("batch-confirm-sync")).waitForClickable({ timeout: 10_000 });
    await browser.$(byTestId("batch-confirm-sync")).click();
    await browser.$(byTestId("batch-result")).waitForExist({ timeout: 60_000 });
    expect(await textOf(browser, byTestId("batch-result-message"))).toMatch(/^2 of 2 tasks synced\./);

    // ConnectWise (read over the simulator's API) holds exactly the fixes: from the next period's
    // start (the 3rd), the old Basic and the second Defender cancelled the day before.
    const after = await agreementAdditions(sim, 4134);
    const created = after.filter((a) => !before.some((b) => b.id === a.id));
    expect(created.map((a) => [a.product.id, a.quantity, a.unitPrice, a.effectiveDate, a.cancelledDate])).toEqual([
      [615, 12, 5.58, "2026-12-03T00:00:00Z", null],
    ]);
    const cancelled = (id: number) => after.find((a) => a.id === id)?.cancelledDate ?? null;
    expect([cancelled(30241), cancelled(30242), cancelled(30243)]).toEqual([null, "2026-12-02T00:00:00Z", "2026-12-02T00:00:00Z"]);
    const untouched = after.filter((a) => ![30242, 30243].includes(a.id) && !created.includes(a));
    expect(untouched).toEqual(before.filter((a) => ![30242, 30243].includes(a.id)));

    // Back on Reconcile, compared again: both read In sync.
    await browser.$(byTestId("batch-back")).click();
    await browser.$(byTestId("reconcile-screen")).waitForExist({ timeout: 10_000 });
    await openCustomer(browser, "1000048655", "Contoso");
    await browser.waitUntil(async () => (await product(browser, "Microsoft 365 Business Basic")).outcome === "inSync", {
      timeout: 10_000,
      timeoutMsg: "Basic does not read In sync after the fix",
    });
    expect((await product(browser, "Microsoft Defender for Business")).outcome).toBe("inSync");
    snapshot("reconcile-fixed");

    // A second reconcile, read afresh from both services, proposes nothing for them.
    await reconcile(browser);
    await openCustomer(browser, "1000048655", "Contoso");
    for (const name of ["Microsoft 365 Business Basic", "Microsoft Defender for Business"]) {
      const p = await product(browser, name);
      expect(p.outcome, name).toBe("inSync");
      expect(p.text, name).not.toContain("Fix…");
    }
    // Nothing left to fix for Contoso: its Business Premium needs a USD agreement made in
    // ConnectWise first, and says so instead of offering a fix.
    expect(await browser.$$(byTestId("fix-product"))).toHaveLength(0);
    expect(await browser.$(byTestId("fix-bar")).isExisting()).toBe(false);
    expect((await product(browser, "Microsoft 365 Business Premium")).text).toContain("create one in ConnectWise first");
  });
});
