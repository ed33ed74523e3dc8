import { act, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { BookView } from "./bindings/BookView";
import type { ReconcileProgress } from "./bindings/ReconcileProgress";
import { App } from "./App";
import * as ipc from "./ipc";
import { DEMO_PROFILE, FakeTasks, deferred, makeProfileSummary, makeProfiles, makeStatus } from "./test/fixtures";
import { FakeBook, greenLaneInvoice, invoiceLine, product } from "./test/reconcile";
import { addStyleSheets } from "./test/styles";
import { AgreementInvoices } from "./components/reconcile/AgreementInvoices";
import { boardRow, makeBoard } from "./test/batch";
import { greenLaneTask, plannedView } from "./test/wizard";
import type { FixResult } from "./bindings/FixResult";
import type { TaskRow } from "./bindings/TaskRow";

// Hoisted above the imports: the helper is imported inside the factory.
vi.mock("./ipc", async (importOriginal) => (await import("./test/mockIpc")).mockIpc(importOriginal));

const api = vi.mocked(ipc);
let tasks: FakeTasks;
let book: FakeBook;

function rejects<T>(run: () => T): Promise<T> {
  try {
    return Promise.resolve(run());
  } catch (reason: unknown) {
    return Promise.reject(reason);
  }
}

function bookIds(): string[] {
  return screen.queryAllByTestId("book-row").map((row) => row.dataset.customerId ?? "");
}

async function openReconcile(user: ReturnType<typeof userEvent.setup>): Promise<void> {
  render(<App />);
  await screen.findByText("Green Lane LLC");
  await user.click(screen.getByTestId("view-reconcile"));
  await screen.findByTestId("reconcile-screen");
}

/** Reconcile open, Green Lane (the largest effect, first) opened beside the book. */
async function openGreenLane(user: ReturnType<typeof userEvent.setup>): Promise<HTMLElement> {
  await openReconcile(user);
  await waitFor(() => expect(bookIds()[0]).toBe("1000048531"));
  const first = screen.getAllByTestId("book-row")[0];
  if (first === undefined) throw new Error("no row");
  await user.click(first);
  const panel = await screen.findByTestId("reconcile-customer");
  await within(panel).findAllByTestId("product");
  return panel;
}

beforeEach(() => {
  tasks = new FakeTasks(50);
  book = new FakeBook(2000);
  api.appStatus.mockResolvedValue(makeStatus({ taskCount: tasks.rows.length }));
  api.checkConnectivity.mockResolvedValue({ state: "online" });
  api.listTasks.mockImplementation((query, offset, limit) => Promise.resolve(tasks.list(query, offset, limit)));
  api.reconcileBook.mockImplementation((query) => Promise.resolve(book.book(query)));
  api.reconcileCustomer.mockImplementation((id) => rejects(() => book.customer(id)));
  api.reconcileCompanies.mockResolvedValue([
    { id: 269, identifier: "PinecrestDental", name: "Pinecrest Dental Studio", score: 97, likeness: "match" },
    { id: 250, identifier: "GreenLane", name: "Green Lane LLC", score: 12, likeness: "guess" },
  ]);
  api.mapReconcileCustomer.mockImplementation((id) => rejects(() => book.mapCustomer(id, "Pinecrest Dental Studio")));
  api.saveReconcileCsv.mockResolvedValue({ path: "/home/billing/Downloads/agreement-sync-reconcile-2026-11-24.csv", rows: 2004 });
});

describe("the Reconcile view", () => {
  it("opens beside the task list and shows the book, the largest effect first, virtualised", async () => {
    const user = userEvent.setup();
    await openReconcile(user);
    await waitFor(() => expect(bookIds()[0]).toBe("1000048531"));
    expect(screen.getByTestId("view-reconcile")).toHaveAttribute("aria-pressed", "true");
    expect(screen.queryByTestId("task-list")).not.toBeInTheDocument();
    // 2,000 customers, a screenful of rows drawn.
    expect(screen.getByTestId("book-count")).toHaveTextContent("2,000 customers");
    expect(bookIds().length).toBeGreaterThan(5);
    expect(bookIds().length).toBeLessThan(40);
    const green = screen.getAllByTestId("book-row")[0];
    if (green === undefined) throw new Error("no row");
    expect(within(green).getByTestId("book-drift")).toHaveTextContent("1 drift");
    expect(within(green).getByTestId("book-recurring")).toHaveTextContent("ConnectWise bills 220.00, the marketplace 308.00 — +88.00 / month");
    expect(within(green).getByText("Quantity differs")).toBeInTheDocument();
    expect(screen.getByTestId("last-reconciled")).toHaveTextContent(/^Reconciled \d+ min ago$/);

    await user.click(screen.getByTestId("view-tasks"));
    expect(screen.getByTestId("task-list")).toBeInTheDocument();
  });

  it("filters by outcome and searches, asking Rust with the query", async () => {
    const user = userEvent.setup();
    await openReconcile(user);
    await waitFor(() => expect(bookIds()[0]).toBe("1000048531"));
    const outcome = screen.getByTestId("book-outcome");
    expect(within(outcome).getByRole("option", { name: "Quantity differs (1)" })).toBeInTheDocument();
    await user.selectOptions(outcome, "unmapped");
    await waitFor(() => expect(bookIds()).toEqual(["1000048920"]));
    expect(api.reconcileBook).toHaveBeenLastCalledWith({ outcome: "unmapped", search: "" });
    expect(screen.getByTestId("book-count")).toHaveTextContent("1 of 2,000 customers");

    await user.selectOptions(outcome, "");
    await user.type(screen.getByTestId("book-search"), "green");
    await waitFor(() => expect(bookIds()).toEqual(["1000048531"]));
    expect(api.reconcileBook).toHaveBeenLastCalledWith({ outcome: null, search: "green" });

    await user.clear(screen.getByTestId("book-search"));
    await user.type(screen.getByTestId("book-search"), "nobody");
    expect(await screen.findByText("No customer matches the search and filter.")).toBeInTheDocument();
  });

  it("reconciles with progress, then shows the new book", async () => {
    const user = userEvent.setup();
    book = new FakeBook(3, false);
    const end = deferred<BookView>();
    let report: ((p: ReconcileProgress) => void) | null = null;
    api.reconcile.mockImplementation((listener) => {
      report = listener;
      return end.promise;
    });
    await openReconcile(user);
    expect(await screen.findByText("Not reconciled yet")).toBeInTheDocument();
    expect(screen.getByTestId("reconcile-run")).toHaveTextContent(/^Reconcile$/);
    await user.click(screen.getByTestId("reconcile-run"));
    expect(api.reconcile).toHaveBeenCalledWith(expect.any(Function), false);
    expect(screen.getByTestId("reconcile-run")).toBeDisabled();
    act(() => report?.({ kind: "readingSubscriptions", read: 4, total: 15 }));
    expect(screen.getByTestId("reconcile-progress")).toHaveTextContent("Reading subscriptions… 4 of 15 customers");
    expect(screen.getByTestId("profile-switch")).toBeDisabled();
    act(() => report?.({ kind: "finished", customers: 15, drift: 9 }));
    book.reconciled = true;
    await act(async () => end.resolve(book.book({ outcome: null, search: "" })));
    await waitFor(() => expect(bookIds()).toEqual(["1000048531", "1000048920", "1000060002"]));
    expect(screen.queryByTestId("reconcile-progress")).not.toBeInTheDocument();
    expect(screen.getByTestId("reconcile-done")).toHaveTextContent("15 customers compared — 9 drifts");
    expect(screen.getByTestId("reconcile-screen")).toHaveAttribute("data-runs", "1");
  });

  it("says why a reconcile failed, and offline shows the last one from the cache", async () => {
    const user = userEvent.setup();
    api.reconcile.mockRejectedValue({ code: "unreachable", message: "The marketplace did not answer.", field: null });
    await openReconcile(user);
    await waitFor(() => expect(bookIds()[0]).toBe("1000048531"));
    await user.click(screen.getByTestId("reconcile-run"));
    expect(await screen.findByTestId("reconcile-error")).toHaveTextContent("Couldn't reconcileThe marketplace did not answer.");
    // The book is still the cached one.
    expect(bookIds()[0]).toBe("1000048531");
  });

  it("offline, the last reconcile is shown from the cache with its age, and Reconcile waits for a connection", async () => {
    const user = userEvent.setup();
    api.checkConnectivity.mockRejectedValue({ code: "unreachable", message: "No network.", field: null });
    await openReconcile(user);
    await waitFor(() => expect(bookIds()[0]).toBe("1000048531"));
    expect(await screen.findByTestId("reconcile-offline")).toHaveTextContent("offline: the last reconcile, from the cache");
    expect(screen.getByTestId("reconcile-ages")).toHaveTextContent(/Reconciled \d+ min ago · marketplace data from \d+ min ago/);
    expect(screen.getByTestId("reconcile-run")).toBeDisabled();
  });

  it("opens a customer with both sides of each product and its outcome in words", async () => {
    const user = userEvent.setup();
    const panel = await openGreenLane(user);
    expect(api.reconcileCustomer).toHaveBeenCalledWith("1000048531");
    const productCard = within(panel).getByTestId("product");
    expect(productCard).toHaveAttribute("data-outcome", "quantityDiffers");
    expect(within(productCard).getByTestId("product-words")).toHaveTextContent("ConnectWise bills 10, the marketplace has 14.");
    const mp = within(productCard).getByTestId("marketplace-side");
    expect(mp).toHaveTextContent("1000501");
    expect(within(mp).getByTestId("marketplace-quantity")).toHaveTextContent("14");
    expect(mp).toHaveTextContent("22.00 USD");
    const cw = within(productCard).getByTestId("connectwise-side");
    expect(cw).toHaveTextContent("Green Lane — Microsoft 365 (Monthly)");
    const addition = within(cw).getByTestId("addition");
    expect(addition).toHaveAttribute("data-addition-id", "30200");
    expect(addition).toHaveTextContent("2026-01-01");
    expect(within(productCard).getByTestId("product-effect")).toHaveTextContent("+88.00");
    expect(within(panel).queryByTestId("map-customer")).not.toBeInTheDocument();

    await user.click(within(panel).getByTestId("close-customer"));
    expect(screen.queryByTestId("reconcile-customer")).not.toBeInTheDocument();
  });

  it("shows an agreement's own amount as its own line, apart from what the additions bill", async () => {
    const green = book.customers[0];
    if (green === undefined) throw new Error("no customer");
    const own = "“Green Lane — Microsoft 365” bills 150.00 USD / month of its own, besides its additions: not compared with the marketplace, and not in the amounts above.";
    green.agreementAmounts = [own];
    const user = userEvent.setup();
    const panel = await openGreenLane(user);
    expect(within(panel).getByTestId("agreement-amount")).toHaveTextContent(own);
    expect(within(panel).getByTestId("customer-recurring")).toHaveTextContent("ConnectWise bills 220.00, the marketplace 308.00 — +88.00 / month");
  });

  it("counts unmapped and not compared products apart from drift, and never calls them In sync", async () => {
    const [green, pinecrest, third] = book.customers;
    if (green === undefined || pinecrest === undefined || third === undefined) throw new Error("no customers");
    green.products = [
      product("quantityDiffers"),
      ...Array.from({ length: 24 }, (_, i) => product("unmapped", { lineKey: `U${i}|month1|USD`, productKey: `U${i}` })),
    ];
    third.products = [
      product("notRead", {
        effect: null,
        connectwiseAmount: null,
        words: "Not compared yet: ConnectWise's additions of “Company 2 — Microsoft 365” are not read.",
      }),
    ];
    third.size = 50;
    const user = userEvent.setup();
    await openReconcile(user);
    const rowOf = (id: string) => {
      const row = screen.getAllByTestId("book-row").find((r) => r.dataset.customerId === id);
      if (row === undefined) throw new Error(`no row ${id}`);
      return row;
    };
    await waitFor(() => expect(bookIds()).toContain("1000048531"));
    const greenDrift = within(rowOf("1000048531")).getByTestId("book-drift");
    expect(greenDrift).toHaveTextContent("1 drift · 24 unmapped");
    expect(greenDrift).toHaveAttribute("data-drift-tone", "drift");
    const pineDrift = within(rowOf("1000048920")).getByTestId("book-drift");
    expect(pineDrift).toHaveTextContent("1 unmapped");
    expect(pineDrift).not.toHaveTextContent("In sync");
    expect(pineDrift).toHaveAttribute("data-drift-tone", "unknown");
    const thirdRow = rowOf(third.id);
    expect(within(thirdRow).getByTestId("book-drift")).toHaveTextContent("1 not compared");
    expect(thirdRow).toHaveTextContent("Not compared yet: ConnectWise's additions not read");

    await user.click(thirdRow);
    const panel = await screen.findByTestId("reconcile-customer");
    expect(within(panel).getByTestId("not-read")).toHaveTextContent("Not compared yet: ConnectWise's additions of this agreement are not read.");
    expect(within(panel).getByTestId("product")).toHaveAttribute("data-outcome", "notRead");
    expect(within(panel).queryByTestId("product-effect")).not.toBeInTheDocument();
  });

  it("says which additions Agreement Sync wrote, from any desk, and what for", async () => {
    const green = book.customers[0];
    if (green === undefined) throw new Error("no customer");
    const base = product("quantityDiffers");
    const [theirs] = base.connectwise.additions;
    if (theirs === undefined) throw new Error("no addition");
    const written = "written by Agreement Sync for Change Order 9000555 (the prorate) on 2026-03-20";
    const ours = { ...theirs, id: 40123, quantity: "4", effectiveDate: "2026-03-20", writtenFor: written };
    green.products = [{ ...base, connectwise: { ...base.connectwise, additions: [theirs, ours] } }];
    const user = userEvent.setup();
    const panel = await openGreenLane(user);
    const cw = within(panel).getByTestId("connectwise-side");
    expect(within(cw).getAllByTestId("addition").map((a) => a.dataset.additionId)).toEqual(["30200", "40123"]);
    const notes = within(cw).getAllByTestId("addition-written-for");
    expect(notes).toHaveLength(1);
    expect(notes[0]).toHaveTextContent(written);
    expect(notes[0]?.closest("tr")).toHaveAttribute("data-addition-id", "40123");
  });

  it("maps an unmapped customer from its ranked suggestions, and the book is read again", async () => {
    const user = userEvent.setup();
    await openReconcile(user);
    await user.selectOptions(screen.getByTestId("book-outcome"), "unmapped");
    await waitFor(() => expect(bookIds()).toEqual(["1000048920"]));
    const row = screen.getAllByTestId("book-row")[0];
    if (row === undefined) throw new Error("no row");
    await user.click(row);
    const panel = await screen.findByTestId("reconcile-customer");
    await user.click(await within(panel).findByTestId("map-customer"));
    const suggestions = await within(panel).findByTestId("company-picker-suggestions");
    const options = within(suggestions).getAllByTestId("company-option");
    expect(options.map((o) => o.dataset.companyId)).toEqual(["269", "250"]);
    expect(options[0]).toHaveTextContent("97% match");
    const calls = api.reconcileBook.mock.calls.length;
    await user.click(options[0] as HTMLElement);
    expect(api.mapReconcileCustomer).toHaveBeenCalledWith("1000048920", 269);
    expect(await within(panel).findByTestId("customer-company")).toHaveTextContent("ConnectWise company Pinecrest Dental Studio");
    expect(within(panel).getByTestId("product")).toHaveAttribute("data-outcome", "missingInConnectWise");
    await waitFor(() => expect(api.reconcileBook.mock.calls.length).toBeGreaterThan(calls));
    // No longer Unmapped: the filtered book has no row left.
    await waitFor(() => expect(bookIds()).toEqual([]));
  });

  it("shows a weak company suggestion as a guess and asks before mapping from it", async () => {
    const user = userEvent.setup();
    await openReconcile(user);
    await user.selectOptions(screen.getByTestId("book-outcome"), "unmapped");
    await waitFor(() => expect(bookIds()).toEqual(["1000048920"]));
    const row = screen.getAllByTestId("book-row")[0];
    if (row === undefined) throw new Error("no row");
    await user.click(row);
    const panel = await screen.findByTestId("reconcile-customer");
    await user.click(await within(panel).findByTestId("map-customer"));
    const suggestions = await within(panel).findByTestId("company-picker-suggestions");
    const guess = within(suggestions).getAllByTestId("company-option")[1] as HTMLElement;
    expect(guess).toHaveAttribute("data-likeness", "guess");
    expect(guess).toHaveTextContent("guess — 12% alike");
    // The calls of earlier tests stay on the mock: only new ones count.
    const mapped = () => api.mapReconcileCustomer.mock.calls.length;
    const before = mapped();
    await user.click(guess);
    expect(mapped()).toBe(before);
    expect(within(panel).getByTestId("guess-confirm")).toHaveTextContent(
      "Map Pinecrest Dental Studio to Green Lane LLC (GreenLane) for every later task?",
    );
    await user.click(within(panel).getByTestId("guess-confirm-no"));
    expect(mapped()).toBe(before);
    await user.click(guess);
    await user.click(within(panel).getByTestId("guess-confirm-yes"));
    expect(api.mapReconcileCustomer).toHaveBeenLastCalledWith("1000048920", 250);
    expect(mapped()).toBe(before + 1);
  });

  it("exports the customers shown as CSV and says where", async () => {
    const user = userEvent.setup();
    await openReconcile(user);
    await waitFor(() => expect(bookIds()[0]).toBe("1000048531"));
    await user.click(screen.getByTestId("reconcile-export"));
    expect(api.saveReconcileCsv).toHaveBeenCalledWith({ outcome: null, search: "" });
    expect(await screen.findByTestId("reconcile-saved")).toHaveTextContent(
      "Saved to /home/billing/Downloads/agreement-sync-reconcile-2026-11-24.csv (2,004 products)",
    );
  });

  it("says nothing, not even the file saved before, when the save dialog is cancelled", async () => {
    const user = userEvent.setup();
    api.saveReconcileCsv.mockClear();
    await openReconcile(user);
    await waitFor(() => expect(bookIds()[0]).toBe("1000048531"));
    await user.click(screen.getByTestId("reconcile-export"));
    expect(await screen.findByTestId("reconcile-saved")).toHaveTextContent("Saved to /home/billing/Downloads/");
    api.saveReconcileCsv.mockResolvedValueOnce(null);
    await user.click(screen.getByTestId("reconcile-export"));
    expect(api.saveReconcileCsv).toHaveBeenCalledTimes(2);
    await waitFor(() => expect(screen.queryByTestId("reconcile-saved")).not.toBeInTheDocument());
    expect(screen.getByTestId("reconcile-export")).toHaveTextContent("Export CSV");
    expect(screen.getByTestId("reconcile-export")).toBeEnabled();
    expect(screen.queryByTestId("reconcile-csv-error")).not.toBeInTheDocument();
  });

  it("a new real profile with no tasks opens on Reconcile all active subscriptions; Demo opens on tasks", async () => {
    const user = userEvent.setup();
    tasks = new FakeTasks(0);
    book = new FakeBook(0, false);
    api.appStatus.mockResolvedValue(makeStatus({ profileName: "Contoso", demo: false, taskCount: 0, lastCheckedAt: null, dataDir: "/data/contoso" }));
    api.reconcile.mockImplementation(() => new Promise(() => {}));
    render(<App />);
    const run = await screen.findByTestId("reconcile-run");
    await waitFor(() => expect(run).toHaveTextContent("Reconcile all active subscriptions"));
    expect(screen.queryByTestId("task-list")).not.toBeInTheDocument();
    await user.click(run);
    expect(api.reconcile).toHaveBeenCalledWith(expect.any(Function), true);
  });

  it("switching to a new real profile opens Reconcile, and Check Changes shows the task list", async () => {
    const user = userEvent.setup();
    const contoso = makeStatus({ profileName: "Contoso", demo: false, taskCount: 0, lastCheckedAt: null });
    api.listProfiles.mockResolvedValue(makeProfiles({ profiles: [DEMO_PROFILE, makeProfileSummary()] }));
    api.switchProfile.mockResolvedValue(contoso);
    api.checkChanges.mockImplementation(() => new Promise(() => {}));
    render(<App />);
    expect(await screen.findByTestId("task-list")).toBeInTheDocument();
    api.appStatus.mockResolvedValue(contoso);
    tasks = new FakeTasks(0);
    book = new FakeBook(0, false);
    await user.selectOptions(await screen.findByTestId("profile-switch"), "contoso");
    expect(await screen.findByTestId("reconcile-screen")).toBeInTheDocument();
    await waitFor(() => expect(screen.getByTestId("reconcile-run")).toHaveTextContent("Reconcile all active subscriptions"));
    await user.click(screen.getByTestId("check-changes"));
    expect(await screen.findByTestId("task-list")).toBeInTheDocument();
  });

  it("Demo opens on the task list", async () => {
    api.appStatus.mockResolvedValue(makeStatus({ taskCount: 0, lastCheckedAt: null }));
    tasks = new FakeTasks(0);
    render(<App />);
    expect(await screen.findByTestId("task-list")).toBeInTheDocument();
    expect(screen.getByTestId("view-tasks")).toHaveAttribute("aria-pressed", "true");
  });
});

describe("Fix", () => {
  const fixTask = (id: number, overrides: Partial<TaskRow> = {}): TaskRow =>
    greenLaneTask({ id, taskType: "reconcileFix", orderId: `FIX-${id}`, ...overrides });
  const made = (tasks: TaskRow[], overrides: Partial<FixResult> = {}): FixResult => ({
    taskIds: tasks.map((t) => t.id),
    tasks,
    made: tasks.length,
    reused: 0,
    refused: [],
    ...overrides,
  });

  beforeEach(() => {
    api.recompare.mockImplementation(() => Promise.resolve(book.book({ outcome: null, search: "" })));
  });

  it("plans one drift as a task and opens it in the wizard; closing it compares the customer again", async () => {
    const user = userEvent.setup();
    const panel = await openGreenLane(user);
    const task = fixTask(901);
    api.fixReconcile.mockResolvedValue(made([task]));
    api.openWizard.mockResolvedValue({
      ...plannedView(),
      task,
      fix: {
        outcome: "quantityDiffers",
        label: "Quantity differs",
        words: "ConnectWise bills 10, the marketplace has 14.",
        productName: "Microsoft 365 Business Premium",
        endsOnly: false,
        defaultEffectiveDate: "2026-12-01",
      },
    });
    const card = within(panel).getByTestId("product");
    await user.click(within(card).getByTestId("fix-product"));
    expect(api.fixReconcile).toHaveBeenCalledWith("1000048531", ["CFQ7TTC0LCHC:0002_P1M|month1|USD|quantityDiffers"]);
    const banner = await screen.findByTestId("wizard-fix");
    expect(banner).toHaveTextContent("Reconcile fix — Microsoft 365 Business Premium: Quantity differs");
    expect(banner).toHaveTextContent("ConnectWise bills 10, the marketplace has 14.");
    expect(banner).toHaveTextContent("By default it takes effect on 2026-12-01, the next period's start, so nothing is prorated");
    expect(api.openWizard).toHaveBeenCalledWith(901);

    const compares = api.recompare.mock.calls.length;
    expect(screen.getByTestId("wizard-close")).toHaveTextContent("Back to Reconcile");
    await user.click(screen.getByTestId("wizard-close"));
    await waitFor(() => expect(api.recompare.mock.calls.length).toBe(compares + 1));
    // Still on Reconcile, the customer read again.
    expect(screen.getByTestId("reconcile-screen")).toBeInTheDocument();
    await waitFor(() => expect(api.reconcileCustomer.mock.calls.filter(([id]) => id === "1000048531").length).toBeGreaterThan(1));
  });

  it("plans several ticked drifts on one board, and Back returns to Reconcile compared again", async () => {
    const green = book.customers[0];
    if (green === undefined) throw new Error("no customer");
    green.products = [
      product("quantityDiffers"),
      product("duplicate", { lineKey: "EXO|month1|USD", productKey: "CFQ7TTC0LH16:0001_P1M", productName: "Exchange Online (Plan 1)" }),
      product("inSync", { lineKey: "APPS|year1|USD", productName: "Microsoft 365 Apps for business (annual)" }),
    ];
    const user = userEvent.setup();
    const panel = await openGreenLane(user);
    // In sync: nothing to fix, so nothing to tick.
    expect(within(panel).getAllByTestId("fix-tick")).toHaveLength(2);
    expect(within(panel).getAllByTestId("fix-product")).toHaveLength(2);
    const fixSelected = within(panel).getByTestId("fix-selected");
    expect(fixSelected).toBeDisabled();
    await user.click(within(panel).getByTestId("fix-tick-all"));
    expect(fixSelected).toHaveTextContent("Fix selected (2)");
    const tasks = [fixTask(902), fixTask(903, { subscriptionName: "Exchange Online (Plan 1)" })];
    api.fixReconcile.mockResolvedValue(made(tasks));
    api.openBatch.mockResolvedValue(makeBoard(tasks.map((t) => boardRow(t))));
    await user.click(fixSelected);
    expect(api.fixReconcile).toHaveBeenCalledWith("1000048531", ["CFQ7TTC0LCHC:0002_P1M|month1|USD|quantityDiffers", "EXO|month1|USD"]);
    expect(api.openBatch).toHaveBeenCalledWith({ kind: "ids", ids: [902, 903] });
    expect(await screen.findAllByTestId("board-row")).toHaveLength(2);

    const compares = api.recompare.mock.calls.length;
    expect(screen.getByTestId("batch-back")).toHaveTextContent("← Back to Reconcile");
    await user.click(screen.getByTestId("batch-back"));
    expect(await screen.findByTestId("reconcile-screen")).toBeInTheDocument();
    await waitFor(() => expect(api.recompare.mock.calls.length).toBe(compares + 1));
  });

  it("names a product that could not be planned, and offers nothing to fix where there is nothing", async () => {
    const green = book.customers[0];
    if (green === undefined) throw new Error("no customer");
    green.products = [
      product("stillBilling", { fixTaskIds: [77], unsyncedOrders: ["Cancellation Order 1000229"] }),
      product("unmapped", { lineKey: "PBI|month1|USD", productName: "Power BI Pro" }),
    ];
    const user = userEvent.setup();
    const panel = await openGreenLane(user);
    const [still, unmapped] = within(panel).getAllByTestId("product");
    if (still === undefined || unmapped === undefined) throw new Error("no products");
    // A fix made before and not synced yet is reviewed, not made again.
    expect(within(still).getByTestId("fix-product")).toHaveTextContent("Review fix");
    expect(within(still).getByTestId("fix-pending")).toHaveTextContent("A fix is planned and not synced yet.");
    expect(within(unmapped).queryByTestId("fix-product")).not.toBeInTheDocument();
    // An order of the subscription not synced yet may be the fix: the product says so.
    expect(within(still).getByTestId("unsynced-orders")).toHaveTextContent(
      "Cancellation Order 1000229 of this subscription is not synced yet: syncing it may be the fix.",
    );
    expect(within(unmapped).queryByTestId("unsynced-orders")).not.toBeInTheDocument();

    const [wizards, boards] = [api.openWizard.mock.calls.length, api.openBatch.mock.calls.length];
    api.fixReconcile.mockResolvedValue(
      made([], { refused: [{ productName: "Microsoft 365 Business Premium", message: "The marketplace has it at different prices on several subscriptions." }] }),
    );
    await user.click(within(still).getByTestId("fix-product"));
    expect(await within(panel).findByTestId("fix-refused")).toHaveTextContent(
      "Microsoft 365 Business Premium: The marketplace has it at different prices on several subscriptions.",
    );
    expect(api.openWizard.mock.calls.length).toBe(wizards);
    expect(api.openBatch.mock.calls.length).toBe(boards);

    api.fixReconcile.mockRejectedValue({ code: "invalid", message: "A product ticked is no longer in Green Lane LLC's last reconcile. Reconcile again, then fix it.", field: "fix" });
    await user.click(within(still).getByTestId("fix-product"));
    expect(await within(panel).findByTestId("customer-error")).toHaveTextContent("Reconcile again, then fix it.");
  });

  it("compares with ConnectWise prices on request, from the cache", async () => {
    const user = userEvent.setup();
    await openReconcile(user);
    await waitFor(() => expect(bookIds()[0]).toBe("1000048531"));
    const prices = screen.getByTestId("reconcile-prices");
    expect(prices).toHaveValue("cloudMarketplace");
    await user.selectOptions(prices, "connectWise");
    expect(api.recompare).toHaveBeenCalledWith("connectWise");
  });
});

describe("a customer's invoices in Reconcile (SPEC §16)", () => {
  /** Opens the customer found by `search` (the only row it leaves). */
  async function openCustomer(user: ReturnType<typeof userEvent.setup>, search: string, id: string): Promise<HTMLElement> {
    await openReconcile(user);
    await user.type(screen.getByTestId("book-search"), search);
    await waitFor(() => expect(bookIds()).toEqual([id]));
    await user.click(screen.getAllByTestId("book-row")[0] as HTMLElement);
    const panel = await screen.findByTestId("reconcile-customer");
    await within(panel).findAllByTestId("product");
    return panel;
  }

  it("shows each agreement's invoice calendar and its next invoice, the total as Rust sent it", async () => {
    const user = userEvent.setup();
    const panel = await openGreenLane(user);
    const section = within(panel).getByTestId("customer-invoices");
    expect(within(section).getByRole("heading", { level: 4 })).toHaveTextContent(/^Invoices$/);
    const blocks = within(section).getAllByTestId("agreement-invoice");
    expect(blocks).toHaveLength(1);
    const block = blocks[0] as HTMLElement;
    expect(block).toHaveAttribute("data-agreement-id", "4127");
    expect(within(block).getByRole("heading", { level: 5 })).toHaveTextContent(/^Green Lane — Microsoft 365 \(Monthly\)$/);
    expect(within(block).getByTestId("agreement-calendar")).toHaveTextContent(/^Invoice calendar Invoiced through 2026-11-30 — last invoice #1042 on 2026-11-01$/);
    expect(within(block).queryByTestId("calendar-warning")).not.toBeInTheDocument();
    expect(within(block).getByTestId("agreement-next-invoice")).toHaveTextContent(/^Next invoice 2026-12-01 \(2026-12-01 to 2026-12-31\): 634\.00 USD$/);
    expect(within(block).getByTestId("agreement-next-invoice-total").textContent).toBe("634.00");
    // The products are still compared below it.
    expect(within(panel).getByTestId("product")).toHaveAttribute("data-outcome", "quantityDiffers");
  });

  it("keeps the lines folded until they are opened: description, period, quantity, unit price, amount", async () => {
    const user = userEvent.setup();
    const panel = await openGreenLane(user);
    const block = within(panel).getByTestId("agreement-invoice");
    const details = within(block).getByTestId("agreement-invoice-lines") as HTMLDetailsElement;
    expect(details.tagName).toBe("DETAILS");
    expect(details.open).toBe(false);
    const summary = details.querySelector("summary");
    if (summary === null) throw new Error("no summary");
    expect(summary).toHaveTextContent(/^3 lines · recurring 634\.00 · one-time 0\.00$/);
    const folded = within(details).getAllByTestId("next-invoice-line");
    expect(folded[0]).not.toBeVisible();

    await user.click(summary);
    expect(details.open).toBe(true);
    const lines = within(details).getAllByTestId("next-invoice-line");
    expect(lines[0]).toBeVisible();
    expect(lines.map((line) => within(line).getAllByRole("cell").map((cell) => cell.textContent))).toEqual([
      ["Agreement amount", "2026-12-01 – 2026-12-31", "1", "150.00", "150.00"],
      ["Microsoft 365 Business Premium", "2026-12-01 – 2026-12-31", "10", "22.00", "220.00"],
      ["Managed Backup (per user)", "2026-12-01 – 2026-12-31", "33", "8.00", "264.00"],
    ]);
    expect(within(details).getAllByTestId("next-invoice-group").map((group) => group.dataset.group)).toEqual(["Recurring"]);
    // Nothing here is added by a sync: Reconcile shows ConnectWise's invoice as it stands.
    expect(within(details).queryByTestId("next-invoice-added")).not.toBeInTheDocument();

    await user.click(summary);
    expect(details.open).toBe(false);
  });

  it("marks a back-billed line among the one-time lines, and shows Rust's total, never its own sum", async () => {
    const green = book.customers[0];
    if (green === undefined) throw new Error("no customer");
    const base = greenLaneInvoice();
    const next = base.nextInvoice;
    if (next === null) throw new Error("the fixture has a next invoice");
    const back = invoiceLine({
      kind: "backBilled",
      description: "Microsoft 365 Business Premium",
      quantity: "4",
      unitPrice: "12.0645",
      amount: "48.26",
      from: "2026-11-15",
      to: "2026-11-30",
      additionId: 30215,
    });
    // Rust's total, deliberately not the lines' sum: the UI adds nothing up.
    green.invoices = [{ ...base, nextInvoice: { ...next, lines: [...next.lines, back], oneTime: "48.26", total: "682.27" } }];
    const user = userEvent.setup();
    const panel = await openGreenLane(user);
    const block = within(panel).getByTestId("agreement-invoice");
    expect(within(block).getByTestId("agreement-next-invoice-total").textContent).toBe("682.27");
    const details = within(block).getByTestId("agreement-invoice-lines");
    expect(details).toHaveTextContent("4 lines · recurring 634.00 · one-time 48.26");
    await user.click(details.querySelector("summary") as HTMLElement);
    const [recurring, oneTime] = within(details).getAllByTestId("next-invoice-group") as [HTMLElement, HTMLElement];
    expect(within(recurring).getAllByTestId("next-invoice-line")).toHaveLength(3);
    const billedBack = within(oneTime).getByTestId("next-invoice-line");
    expect(billedBack).toHaveAttribute("data-kind", "backBilled");
    expect(billedBack).toBeVisible();
    expect(within(billedBack).getAllByRole("cell").map((cell) => cell.textContent)).toEqual([
      "Microsoft 365 Business Premium billed back",
      "2026-11-15 – 2026-11-30",
      "4",
      "12.0645",
      "48.26",
    ]);
    expect(within(details).getAllByText("billed back")).toHaveLength(1);
  });

  it("warns, not errs, when an agreement's invoice calendar could not be read, and shows no next invoice", async () => {
    const removeStyles = addStyleSheets("src/styles/base.css", "src/components/wizard/invoice.css", "src/components/reconcile/reconcile.css");
    try {
      const user = userEvent.setup();
      const panel = await openCustomer(user, "Customer 0002", "1000060002");
      const block = within(within(panel).getByTestId("customer-invoices")).getByTestId("agreement-invoice");
      expect(block).toHaveAttribute("data-agreement-id", "4302");
      expect(block).toHaveTextContent("Company 2 — Microsoft 365 (Monthly)");
      const warning = within(block).getByTestId("calendar-warning");
      expect(warning).toHaveTextContent(
        "Invoice calendarThe invoice calendar could not be read: ConnectWise needs the permission Finance › Invoicing (Inquire) for it. Nothing is dated before 2026-11-24.",
      );
      expect(warning).toHaveClass("panel-warning");
      expect(warning).not.toHaveClass("panel-error");
      expect(getComputedStyle(warning).getPropertyValue("background")).toBe("var(--warning-bg)");
      expect(within(panel).queryByRole("alert")).not.toBeInTheDocument();
      expect(within(block).queryByTestId("agreement-calendar")).not.toBeInTheDocument();
      expect(within(block).queryByTestId("agreement-next-invoice")).not.toBeInTheDocument();
      expect(within(block).queryByTestId("agreement-next-invoice-total")).not.toBeInTheDocument();
      expect(within(block).queryByTestId("agreement-invoice-lines")).not.toBeInTheDocument();
    } finally {
      removeStyles();
    }
  });

  it("has no Invoices section for a customer with no agreement", async () => {
    const user = userEvent.setup();
    const panel = await openCustomer(user, "Pinecrest", "1000048920");
    expect(within(panel).queryByTestId("customer-invoices")).not.toBeInTheDocument();
  });

  it("fits the customer beside the book at a 900 px window: the lines wrap, and scroll in their frame if they must", () => {
    const removeStyles = addStyleSheets(
      "src/styles/base.css",
      "src/components/wizard/wizard.css",
      "src/components/wizard/invoice.css",
      "src/components/reconcile/reconcile.css",
    );
    try {
      render(<AgreementInvoices invoices={[greenLaneInvoice()]} />);
      const section = screen.getByTestId("customer-invoices");
      expect(getComputedStyle(section).minWidth).toBe("0");
      expect(getComputedStyle(screen.getByTestId("agreement-invoice")).minWidth).toBe("0");
      const table = within(section).getByRole("table");
      // Not the Summary's 560 px minimum: the period and the headings wrap instead.
      expect(getComputedStyle(table).minWidth).toBe("0");
      const period = within(table).getAllByRole("cell")[1] as HTMLElement;
      expect(getComputedStyle(period).whiteSpace).toBe("normal");
      expect(getComputedStyle(within(table).getAllByRole("columnheader")[3] as HTMLElement).whiteSpace).toBe("normal");
      expect(getComputedStyle(table.parentElement as HTMLElement).overflowX).toBe("auto");
      expect(getComputedStyle(within(section).getByTestId("agreement-next-invoice")).overflowWrap).toBe("anywhere");
    } finally {
      removeStyles();
    }
  });
});
