import { afterEach, test } from "vitest";
import { byTestId, clickCheckChanges, freshDataDir, launchApp, snapshot, startSim, textOf, waitForCheckToEnd, type App, type Sim } from "../harness";

let app: App | undefined;
let sim: Sim | undefined;
afterEach(async () => { await app?.close(); await sim?.stop(); });

test("look at a board of 120", async () => {
  sim = await startSim(undefined, ["--customers", "60", "--latency-ms", "150"]);
  app = await launchApp({ AGREEMENT_SYNC_DATA_DIR: freshDataDir(), AGREEMENT_SYNC_DEMO_URL: sim.url });
  const { browser } = app;
  await clickCheckChanges(browser);
  await waitForCheckToEnd(browser);
  console.log("TASKS", await textOf(browser, byTestId("task-count")).catch(() => "?"));
  // Accept the suggested mappings of every pending task, through the app's own commands.
  const mapped = await browser.executeAsync((done: (n: unknown) => void) => {
    type Inv = (c: string, a: unknown) => Promise<unknown>;
    const inv = (window as unknown as { __TAURI_INTERNALS__: { invoke: Inv } }).__TAURI_INTERNALS__.invoke;
    (async () => {
      const page = (await inv("list_tasks", { query: { search: "", types: [], statuses: ["pending"], sort: "dateDesc" }, offset: 0, limit: 1000 })) as { rows: { id: number }[] };
      let n = 0;
      for (const r of page.rows) {
        try {
          let v = (await inv("open_wizard", { taskId: r.id })) as any;
          if (v.customer?.company === null && v.customer.suggestions?.[0]) v = await inv("edit_wizard", { taskId: r.id, edit: { kind: "mapCustomer", companyId: v.customer.suggestions[0].id } });
          for (const p of v.plan?.products ?? []) if (p.catalog === null && p.suggestions[0]) v = await inv("edit_wizard", { taskId: r.id, edit: { kind: "mapProduct", productKey: p.productKey, catalogId: p.suggestions[0].id } });
          n++;
        } catch (e) { /* a task that cannot be planned stays as it is */ }
      }
      done(n);
    })();
  });
  console.log("MAPPED", mapped);
  await browser.refresh();
  await browser.$(byTestId("task-row")).waitForExist({ timeout: 30_000 });
  await browser.$('[data-testid^="task-check-"]').click();
  await browser.$(byTestId("select-all-matching")).click();
  await browser.pause(500);
  await browser.$(byTestId("review-selection")).click();
  await browser.$(byTestId("board")).waitForExist({ timeout: 30_000 });
  await browser.pause(2000);
  snapshot("board-120");
  console.log("SEL", await textOf(browser, byTestId("batch-screen")).then((t) => t.slice(0, 300)));
  await browser.$(byTestId("sync-batch")).click();
  await browser.pause(500);
  snapshot("board-120-confirm");
  await browser.$(byTestId("batch-confirm-sync")).click();
  await browser.pause(2500);
  snapshot("board-120-progress");
  await browser.$(byTestId("batch-result")).waitForExist({ timeout: 300_000 });
  snapshot("board-120-result");
  console.log("RESULT", await textOf(browser, byTestId("batch-result")));
});
