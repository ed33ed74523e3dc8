import { act, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { BookView } from "./bindings/BookView";
import type { ReconcileProgress } from "./bindings/ReconcileProgress";
import { App } from "./App";
import * as ipc from "./ipc";
import { DEMO_PROFILE, FakeTasks, deferred, makeProfileSummary, makeProfiles, makeStatus } from "./test/fixtures";
import { FakeBook } from "./test/reconcile";

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

beforeEach(() => {
  tasks = new FakeTasks(50);
  book = new FakeBook(2000);
  api.appStatus.mockResolvedValue(makeStatus({ taskCount: tasks.rows.length }));
  api.checkConnectivity.mockResolvedValue({ state: "online" });
  api.listTasks.mockImplementation((query, offset, limit) => Promise.resolve(tasks.list(query, offset, limit)));
  api.reconcileBook.mockImplementation((query) => Promise.resolve(book.book(query)));
  api.reconcileCustomer.mockImplementation((id) => rejects(() => book.customer(id)));
  api.reconcileCompanies.mockResolvedValue([
    { id: 269, identifier: "PinecrestDental", name: "Pinecrest Dental Studio", score: 97 },
    { id: 250, identifier: "GreenLane", name: "Green Lane LLC", score: 12 },
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
    api.reconcile.mockRejectedValue({ code: "offline", message: "The marketplace did not answer.", field: null });
    await openReconcile(user);
    await waitFor(() => expect(bookIds()[0]).toBe("1000048531"));
    await user.click(screen.getByTestId("reconcile-run"));
    expect(await screen.findByTestId("reconcile-error")).toHaveTextContent("Couldn't reconcileThe marketplace did not answer.");
    // The book is still the cached one.
    expect(bookIds()[0]).toBe("1000048531");
  });

  it("offline, the last reconcile is shown from the cache with its age, and Reconcile waits for a connection", async () => {
    const user = userEvent.setup();
    api.checkConnectivity.mockRejectedValue({ code: "offline", message: "No network.", field: null });
    await openReconcile(user);
    await waitFor(() => expect(bookIds()[0]).toBe("1000048531"));
    expect(await screen.findByTestId("reconcile-offline")).toHaveTextContent("offline: the last reconcile, from the cache");
    expect(screen.getByTestId("reconcile-ages")).toHaveTextContent(/Reconciled \d+ min ago · marketplace data from \d+ min ago/);
    expect(screen.getByTestId("reconcile-run")).toBeDisabled();
  });

  it("opens a customer with both sides of each product and its outcome in words", async () => {
    const user = userEvent.setup();
    await openReconcile(user);
    await waitFor(() => expect(bookIds()[0]).toBe("1000048531"));
    const first = screen.getAllByTestId("book-row")[0];
    if (first === undefined) throw new Error("no row");
    await user.click(first);
    const panel = await screen.findByTestId("reconcile-customer");
    expect(api.reconcileCustomer).toHaveBeenCalledWith("1000048531");
    const productCard = await within(panel).findByTestId("product");
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
