import { afterEach, describe, expect, test } from "vitest";
import {
  byTestId,
  clickCheckChanges,
  freshDataDir,
  launchApp,
  mapProducts,
  next,
  openTask,
  snapshot,
  textOf,
  waitForCheckToEnd,
  type App,
  type Browser,
} from "../harness";

let app: App | undefined;

afterEach(async () => {
  await app?.close();
  app = undefined;
});

/** Types into an input the way a person does and waits for Rust's answer to settle. */
async function typeInto(browser: Browser, selector: string, value: string): Promise<void> {
  const input = browser.$(selector);
  await input.waitForExist({ timeout: 10_000 });
  await input.click();
  await browser.keys(["Control", "a"]);
  await browser.keys("Backspace");
  await input.addValue(value);
  await browser.pause(600); // the editor sends after a short pause
}

const rowSelector = (action: string, text: string) =>
  `//*[@data-testid="plan-row" and @data-action="${action}" and contains(., "${text}")]`;

async function summary(browser: Browser, id: string): Promise<string> {
  return (await textOf(browser, byTestId(id))).trim();
}

/** A fresh Demo: Check Changes, Green Lane's Change Order mapped, on its Changes step. */
async function greenLaneChanges(browser: Browser): Promise<void> {
  await clickCheckChanges(browser);
  await waitForCheckToEnd(browser);
  await openTask(browser, "1000231");
  await browser.$(`${byTestId("company-option")}[data-company-id="250"]`).click();
  await browser.$(byTestId("step-agreement")).waitForExist({ timeout: 10_000 });
  await next(browser);
  await mapProducts(browser);
}

describe("the review wizard", () => {
  test("Green Lane: company, agreement, changes with edits, summary amounts; the draft survives a restart", async () => {
    const dataDir = freshDataDir();
    app = await launchApp({ AGREEMENT_SYNC_DATA_DIR: dataDir });
    let browser = app.browser;
    await clickCheckChanges(browser);
    await waitForCheckToEnd(browser);
    await openTask(browser, "1000231");

    // Customer → company: Green Lane LLC is the top suggestion.
    await browser.$(byTestId("step-customer")).waitForExist();
    await browser.$(`${byTestId("company-option")}[data-company-id="250"]`).click();
    // Picking a company moves on to the agreement.

    // Agreement: the one that fits is preselected; the others say why not.
    await browser.$(byTestId("step-agreement")).waitForExist();
    const yearly = `${byTestId("agreement-option")}[data-agreement-id="4128"]`;
    expect(await browser.$(yearly).getAttribute("data-fits")).toBe("false");
    expect(await textOf(browser, yearly)).toContain("Yearly — subscription is Monthly");
    expect(await textOf(browser, `${byTestId("agreement-option")}[data-agreement-id="4129"]`)).toContain(
      "EUR — subscription is USD",
    );
    await next(browser);

    // Changes: map the products, then see the plan.
    await browser.$(byTestId("step-changes")).waitForExist();
    await mapProducts(browser);
    await browser.$(rowSelector("prorate", "Business Premium")).waitForExist({ timeout: 10_000 });
    expect(await browser.$$(`${byTestId("plan-row")}[data-action="cancel"]`)).toHaveLength(2);

    // Edit the quantity of the new Business Premium addition.
    const addBp = browser.$(rowSelector("add", "Business Premium"));
    await addBp.$(byTestId("edit-row")).click();
    await typeInto(browser, `${byTestId("row-input-quantity")}`, "30");
    await browser.waitUntil(async () => (await addBp.$(byTestId("row-ext-price")).getText()).includes("660.00"), {
      timeout: 10_000,
      timeoutMsg: "the extended amount did not follow the quantity",
    });

    // Price source ConnectWise for Exchange: its prorate credit goes.
    const addExo = browser.$(rowSelector("add", "Exchange"));
    await addExo.$(byTestId("edit-row")).click();
    await addExo.$(byTestId("row-input-priceSource")).selectByAttribute("value", "connectWise");
    await browser.waitUntil(async () => !(await browser.$(rowSelector("prorate", "Exchange")).isExisting()), {
      timeout: 10_000,
      timeoutMsg: "the Exchange prorate row stayed",
    });

    await next(browser);
    await browser.$(byTestId("step-summary")).waitForExist();
    expect(await summary(browser, "summary-prorated")).toContain("55.00");
    expect(await summary(browser, "summary-recurring-before")).toContain("634.00");
    expect(await summary(browser, "summary-recurring-after")).toContain("846.00");
    // Both figures include the agreement's own 150.00, shown as its own line.
    expect(await summary(browser, "summary-agreement-amount")).toContain("150.00");
    snapshot("wizard-summary");
    expect(await browser.$(byTestId("sync-readiness")).getAttribute("data-ready")).toBe("true");

    // Leave; restart; the draft is there as it was left.
    await browser.$(byTestId("wizard-close")).click();
    await app.close();
    app = await launchApp({ AGREEMENT_SYNC_DATA_DIR: dataDir });
    browser = app.browser;
    await openTask(browser, "1000231");
    // It reopens with the plan (the furthest step the draft reached) and the edits.
    await browser.$(byTestId("step-changes")).waitForExist({ timeout: 10_000 });
    await browser.$(rowSelector("add", "Business Premium")).waitForExist({ timeout: 10_000 });
    expect(await browser.$(rowSelector("add", "Business Premium")).$(byTestId("row-ext-price")).getText()).toContain("660.00");
    expect(await browser.$(rowSelector("prorate", "Exchange")).isExisting()).toBe(false);
    await next(browser);
    await browser.$(byTestId("step-summary")).waitForExist({ timeout: 10_000 });
    expect(await summary(browser, "summary-recurring-after")).toContain("846.00");
    expect(await summary(browser, "summary-prorated")).toContain("55.00");
  });

  test("an invalid edit is shown inline and blocks Sync", async () => {
    app = await launchApp({ AGREEMENT_SYNC_DATA_DIR: freshDataDir() });
    const { browser } = app;
    await greenLaneChanges(browser);
    const addBp = browser.$(rowSelector("add", "Business Premium"));
    await addBp.waitForExist({ timeout: 10_000 });
    await addBp.$(byTestId("edit-row")).click();
    await typeInto(browser, byTestId("row-input-quantity"), "-3");
    const problem = browser.$(byTestId("field-problem"));
    await problem.waitForExist({ timeout: 10_000 });
    expect(await textOf(browser, byTestId("field-problem"))).toMatch(/more than 0/i);
    await next(browser);
    await browser.$(byTestId("step-summary")).waitForExist();
    expect(await browser.$(byTestId("sync-readiness")).getAttribute("data-ready")).toBe("false");

    // Quantity "abc": the Summary lists the problem where it is, and no amount that reads as the
    // plan (the plan still holds the planned 25: "25 × 22.00 = 550.00").
    await browser.$(byTestId("wizard-step-changes")).click();
    await addBp.waitForExist({ timeout: 10_000 });
    if (!(await browser.$(byTestId("row-input-quantity")).isExisting())) await addBp.$(byTestId("edit-row")).click();
    await typeInto(browser, byTestId("row-input-quantity"), "abc");
    await browser.waitUntil(async () => (await textOf(browser, byTestId("field-problem"))).includes("must be a number"), {
      timeout: 10_000,
      timeoutMsg: "the quantity was not refused",
    });
    await next(browser);
    const place = browser.$(byTestId("summary-problem-place"));
    await place.waitForExist({ timeout: 10_000 });
    expect(await place.getText()).toBe("Microsoft 365 Business Premium, new addition — Quantity");
    expect(await textOf(browser, byTestId("summary-problem"))).toContain("Quantity must be a number, not “abc”.");
    expect(await browser.$(byTestId("summary-recurring-after")).isExisting()).toBe(false);
    expect(await browser.$(byTestId("planned-write")).isExisting()).toBe(false);
    expect(await textOf(browser, byTestId("step-summary"))).not.toContain("550.00");
    expect(await browser.$(byTestId("sync-button")).isEnabled()).toBe(false);
    snapshot("wizard-summary-with-a-problem");
    // Its way back: the field, with what was typed.
    await browser.$(byTestId("summary-problem")).click();
    await browser.$(byTestId("step-changes")).waitForExist({ timeout: 10_000 });
    expect(await browser.$(byTestId("row-input-quantity")).getValue()).toBe("abc");
  });

  test("a weak suggestion is a guess, not a match, and mapping from it asks first", async () => {
    app = await launchApp({ AGREEMENT_SYNC_DATA_DIR: freshDataDir() });
    const { browser } = app;
    await clickCheckChanges(browser);
    await waitForCheckToEnd(browser);
    await openTask(browser, "1000231");
    // Green Lane LLC is the match; Green Leaf Landscaping only begins alike.
    const leaf = browser.$(`${byTestId("company-option")}[data-company-id="251"]`);
    await leaf.waitForExist({ timeout: 10_000 });
    expect(await leaf.getAttribute("data-likeness")).toBe("guess");
    expect(await browser.$(`${byTestId("company-option")}[data-company-id="250"]`).getAttribute("data-likeness")).toBe("match");
    await browser.$(`${byTestId("company-option")}[data-company-id="250"]`).click();
    await browser.$(byTestId("step-agreement")).waitForExist({ timeout: 10_000 });
    await next(browser);

    // Exchange Online: EXO-P1 by its part number; the cancellation fee only looks alike.
    const exchange = `${byTestId("product-mapping")}[data-product-key="CFQ7TTC0LH16:0001_P1M"]`;
    await browser.$(exchange).waitForExist({ timeout: 10_000 });
    const fee = browser.$(`${exchange} ${byTestId("catalog-option")}[data-catalog-id="621"]`);
    expect(await fee.getAttribute("data-likeness")).toBe("guess");
    expect(await fee.getText()).toContain("guess — 58% alike");
    expect(await browser.$(`${exchange} ${byTestId("catalog-option")}[data-catalog-id="612"]`).getText()).toContain("100% match");
    await fee.click();
    const question = browser.$(`${exchange} ${byTestId("guess-confirm")}`);
    await question.waitForExist({ timeout: 10_000 });
    expect(await question.getText()).toContain("Map Exchange Online (Plan 1) to CANCEL-FEE Early cancellation fee for every later task?");
    snapshot("wizard-mapping-a-guess");
    await browser.$(`${exchange} ${byTestId("guess-confirm-no")}`).click();
    await question.waitForExist({ reverse: true, timeout: 10_000 });
    // Not mapped: the product still asks for its catalog item.
    expect(await browser.$(`${exchange} ${byTestId("mapped-catalog")}`).isExisting()).toBe(false);
    await mapProducts(browser);
    expect(await browser.$(`${exchange} ${byTestId("mapped-catalog")}`).getText()).toBe("EXO-P1");
  });

  test("a date far past the calendar is a problem of the field, and the session goes on", async () => {
    app = await launchApp({ AGREEMENT_SYNC_DATA_DIR: freshDataDir() });
    const { browser } = app;
    await greenLaneChanges(browser);
    await typeInto(browser, byTestId("effective-date"), "+262142-12-31");
    await browser.waitUntil(async () => (await browser.$(byTestId("effective-date")).getAttribute("aria-invalid")) === "true", {
      timeout: 10_000,
      timeoutMsg: "the effective date is not marked",
    });
    expect(await textOf(browser, byTestId("step-problem"))).toMatch(/effective date must be a date written like 2026-11-16/i);
    expect(await browser.$(byTestId("wizard-error")).isExisting()).toBe(false);
    snapshot("wizard-date-out-of-range");

    // Another task opens, and the list still answers.
    await browser.$(byTestId("wizard-close")).click();
    await browser.$(byTestId("wizard")).waitForExist({ reverse: true, timeout: 10_000 });
    await openTask(browser, "1000233");
    await browser.$(byTestId("step-customer")).waitForExist({ timeout: 10_000 });
    expect(await browser.$(byTestId("wizard-error")).isExisting()).toBe(false);
  });

  test("a Sales Order, and a company with no fitting agreement", async () => {
    app = await launchApp({ AGREEMENT_SYNC_DATA_DIR: freshDataDir() });
    const { browser } = app;
    await clickCheckChanges(browser);
    await waitForCheckToEnd(browser);

    // Summit Ridge Engineering: a new subscription.
    await openTask(browser, "1000233");
    const company = browser.$(byTestId("company-option"));
    await company.waitForExist({ timeout: 10_000 });
    await company.click();
    await browser.$(byTestId("step-agreement")).waitForExist({ timeout: 10_000 });
    await next(browser);
    await mapProducts(browser);
    await browser.$(`${byTestId("plan-row")}[data-action="add"]`).waitForExist({ timeout: 10_000 });
    expect(await browser.$$(`${byTestId("plan-row")}[data-action="cancel"]`)).toHaveLength(0);
    await next(browser);
    expect(await browser.$(byTestId("sync-readiness")).getAttribute("data-ready")).toBe("true");
    await browser.$(byTestId("wizard-close")).click();

    // Contoso Pharmaceuticals: quarterly USD and monthly EUR agreements only.
    await openTask(browser, "1000225");
    const contoso = browser.$(byTestId("company-option"));
    await contoso.waitForExist({ timeout: 10_000 });
    await contoso.click();
    await browser.$(byTestId("step-agreement")).waitForExist({ timeout: 10_000 });
    const none = browser.$(byTestId("no-agreement"));
    await none.waitForExist({ timeout: 10_000 });
    expect(await textOf(browser, byTestId("no-agreement"))).toMatch(/Create such an agreement/);
    for (const option of await browser.$$(byTestId("agreement-option"))) {
      expect(await option.getAttribute("data-fits")).toBe("false");
    }
  });
});
