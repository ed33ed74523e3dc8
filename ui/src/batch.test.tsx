import { act, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { BatchProgress } from "./bindings/BatchProgress";
import type { BatchResult } from "./bindings/BatchResult";
import { App } from "./App";
import * as ipc from "./ipc";
import { BATCH_ID, BOARD_CALENDAR, FakeBatch, interrupted, quarterlyCancellation, usageBilling } from "./test/batch";
import { FakeTasks, deferred, makeStatus } from "./test/fixtures";
import { syncView } from "./test/sync";
import { plannedView } from "./test/wizard";

// Hoisted above the imports: the helper is imported inside the factory.
vi.mock("./ipc", async (importOriginal) => (await import("./test/mockIpc")).mockIpc(importOriginal));

const api = vi.mocked(ipc);
let tasks: FakeTasks;
let batch: FakeBatch;

type User = ReturnType<typeof userEvent.setup>;

/** The rejection Rust answers a refused command with. */
function rejects<T>(run: () => T): Promise<T> {
  try {
    return Promise.resolve(run());
  } catch (reason: unknown) {
    return Promise.reject(reason);
  }
}

function check(id: number): HTMLInputElement {
  const found = screen.getByTestId(`task-check-${id}`);
  if (!(found instanceof HTMLInputElement)) throw new Error(`task-check-${id} is not a checkbox`);
  return found;
}

function boardRow(id: number): HTMLElement {
  const found = screen.getAllByTestId("board-row").find((row) => row.dataset.taskId === String(id));
  if (found === undefined) throw new Error(`no board row of task ${id}`);
  return found;
}

function boardIds(): number[] {
  return screen.queryAllByTestId("board-row").map((row) => Number(row.dataset.taskId));
}

/** The list is shown and tasks `ids` are ticked, then Review opens their board. */
async function openBoard(user: User, ids: number[]): Promise<void> {
  render(<App />);
  await screen.findByText("Green Lane LLC");
  for (const id of ids) await user.click(check(id));
  await user.click(screen.getByTestId("review-selection"));
  await screen.findByTestId("batch-screen");
}

/** `sync_batch` waits for the test: it reports through `report` and ends with `finish`. */
function holdSync(): { report: (progress: BatchProgress) => void; finish: (result: BatchResult) => void } {
  const end = deferred<BatchResult>();
  let onProgress: ((progress: BatchProgress) => void) | null = null;
  api.syncBatch.mockImplementation((_batchId, listener) => {
    onProgress = listener;
    return end.promise;
  });
  return {
    report: (progress) => {
      if (onProgress === null) throw new Error("the sync has not started");
      const listener = onProgress;
      act(() => listener(progress));
    },
    finish: (result) => end.resolve(result),
  };
}

beforeEach(() => {
  // Each test counts its own calls (a sync run by an earlier test is not this one's).
  vi.clearAllMocks();
  tasks = new FakeTasks(1000);
  batch = new FakeBatch();
  api.appStatus.mockResolvedValue(makeStatus({ taskCount: tasks.rows.length }));
  api.checkConnectivity.mockResolvedValue({ state: "online" });
  api.listTasks.mockImplementation((query, offset, limit) => Promise.resolve(tasks.list(query, offset, limit)));
  api.openBatch.mockImplementation((selection) => rejects(() => batch.open(selection, tasks)));
  api.batchBoard.mockImplementation(() => Promise.resolve(batch.board()));
  api.applyBulk.mockImplementation((_batchId, ids, action) => rejects(() => batch.apply(ids, action)));
  api.saveBatchCsv.mockImplementation(() => Promise.resolve(batch.saved()));
  api.stopBatch.mockResolvedValue(undefined);
  api.openWizard.mockResolvedValue(plannedView());
  api.editWizard.mockResolvedValue(plannedView());
  api.searchCompanies.mockResolvedValue([]);
  api.searchCatalog.mockResolvedValue([]);
});

describe("selecting tasks in the list", () => {
  it("ticks rows by click and reviews exactly those", async () => {
    const user = userEvent.setup();
    render(<App />);
    await screen.findByText("Green Lane LLC");
    expect(screen.queryByTestId("review-selection")).not.toBeInTheDocument();

    await user.click(check(1));
    await user.click(check(3));
    expect(check(1)).toBeChecked();
    expect(check(2)).not.toBeChecked();
    expect(screen.getByTestId("selection-count")).toHaveTextContent("2 selected");
    expect(screen.getByTestId("review-selection")).toHaveTextContent("Review 2 tasks");

    await user.click(check(3));
    expect(screen.getByTestId("selection-count")).toHaveTextContent("1 selected");
    await user.click(screen.getByTestId("review-selection"));
    expect(api.openBatch).toHaveBeenCalledWith({ kind: "ids", ids: [1] });
    await screen.findByTestId("batch-screen");
    expect(boardIds()).toEqual([1]);
  });

  it("ticks a range with shift-click, and Clear unticks everything", async () => {
    const user = userEvent.setup();
    render(<App />);
    await screen.findByText("Green Lane LLC");
    await user.click(check(2));
    await user.keyboard("{Shift>}");
    await user.click(check(6));
    await user.keyboard("{/Shift}");
    await waitFor(() => expect(screen.getByTestId("selection-count")).toHaveTextContent("5 selected"));
    for (const id of [2, 3, 4, 5, 6]) expect(check(id)).toBeChecked();
    expect(check(1)).not.toBeChecked();
    expect(check(7)).not.toBeChecked();

    await user.click(screen.getByTestId("clear-selection"));
    expect(check(4)).not.toBeChecked();
    expect(screen.queryByTestId("selection-count")).not.toBeInTheDocument();
  });

  it("ticks with Space and extends with Shift+arrows, without the mouse", async () => {
    const user = userEvent.setup();
    render(<App />);
    await screen.findByText("Green Lane LLC");
    screen.getByTestId("task-list").focus();
    await user.keyboard("{ArrowDown}");
    await user.keyboard(" ");
    expect(check(1)).toBeChecked();
    await user.keyboard("{Shift>}{ArrowDown}{ArrowDown}{/Shift}");
    await waitFor(() => expect(check(3)).toBeChecked());
    expect(check(2)).toBeChecked();
    expect(check(4)).not.toBeChecked();
    expect(screen.getByTestId("selection-count")).toHaveTextContent("3 selected");
    // Space on a ticked row unticks it; the details stay on the row moved to.
    await user.keyboard(" ");
    expect(check(3)).not.toBeChecked();
    expect(screen.getByTestId("task-details")).toHaveAttribute("data-task-id", "3");
  });

  it("selects all N matching the search and filters, not only the rows loaded, and sends the query", async () => {
    const user = userEvent.setup();
    render(<App />);
    await screen.findByText("Green Lane LLC");
    await user.click(screen.getByTestId("check-all"));
    // 1,000 tasks, of which only the first page of 200 is loaded.
    expect(screen.getByTestId("selection-count")).toHaveTextContent("All 1,000 matching selected");
    expect(screen.getByTestId("review-selection")).toHaveTextContent("Review 1,000 tasks");
    await user.click(screen.getByTestId("clear-selection"));

    await user.selectOptions(screen.getByTestId("filter-status"), "Pending");
    await user.type(screen.getByTestId("search"), "customer 001");
    // Customer 00100–00199 that are pending: 40 tasks.
    await waitFor(() => expect(screen.getByTestId("task-count")).toHaveTextContent("40 tasks"));
    await user.click(screen.getByTestId("check-all"));
    expect(screen.getByTestId("selection-count")).toHaveTextContent("All 40 matching selected");
    await user.click(check(102));
    expect(screen.getByTestId("selection-count")).toHaveTextContent("39 of 40 matching selected");
    await user.click(screen.getByTestId("review-selection"));

    expect(api.openBatch).toHaveBeenLastCalledWith({
      kind: "matching",
      query: { search: "customer 001", types: [], statuses: ["pending"], sort: "dateDesc" },
      except: [102],
    });
    await screen.findByTestId("batch-screen");
    expect(boardIds()).toHaveLength(39);
    expect(boardIds()).not.toContain(102);
  });

  it("keeps tasks ticked one by one when the search changes, but clears an all-matching selection and says so", async () => {
    const user = userEvent.setup();
    render(<App />);
    await screen.findByText("Green Lane LLC");
    await user.click(check(1));
    await user.click(check(2));
    await user.type(screen.getByTestId("search"), "customer 0000");
    await waitFor(() => expect(screen.getByTestId("task-count")).toHaveTextContent("9 tasks"));
    expect(screen.getByTestId("selection-count")).toHaveTextContent("2 selected");
    expect(check(2)).toBeChecked();

    await user.click(screen.getByTestId("select-all-matching"));
    expect(screen.getByTestId("selection-count")).toHaveTextContent("All 9 matching selected");
    await user.clear(screen.getByTestId("search"));
    await waitFor(() => expect(screen.getByTestId("task-count")).toHaveTextContent("1,000 tasks"));
    expect(screen.getByTestId("selection-notice")).toHaveTextContent(
      "The selection of all matching tasks was cleared: the search or filters changed.",
    );
    expect(screen.queryByTestId("review-selection")).not.toBeInTheDocument();
    expect(check(1)).not.toBeChecked();
  });
});

// Tasks 1, 2, 5, 6, 7: 1 (EUR), 2 and 6 (USD change orders, with a prorated credit) are ready; 5's
// customer is not mapped and two agreements fit 7.
const BOARD = [1, 2, 5, 6, 7];

describe("the batch board", () => {
  it("shows one row per task with what it writes, the reasons of those that need attention, and filters them", async () => {
    const user = userEvent.setup();
    await openBoard(user, BOARD);
    expect(boardIds()).toEqual(BOARD);

    const first = boardRow(1);
    expect(first).toHaveAttribute("data-state", "ready");
    expect(first).toHaveTextContent("Green Lane LLC");
    expect(first).toHaveTextContent("1000048531");
    expect(first).toHaveTextContent("Sales Order");
    expect(first).toHaveTextContent("SO100000");
    expect(within(first).getByTestId("board-agreement")).toHaveTextContent("Green Lane LLC — Microsoft 365");
    expect(within(first).getByTestId("board-writes")).toHaveTextContent("3");
    expect(within(first).getByTestId("board-one-time")).toHaveTextContent("5.50 EUR");
    expect(within(first).getByTestId("board-recurring")).toHaveTextContent("160.00 → 171.00 / month");
    expect(within(first).getByTestId("board-effective")).toHaveTextContent("2026-11-16");
    expect(within(first).getByTestId("board-state")).toHaveTextContent("Ready");

    const unmapped = boardRow(5);
    expect(unmapped).toHaveAttribute("data-state", "attention");
    expect(within(unmapped).getByTestId("board-state")).toHaveTextContent("Needs attention");
    expect(within(unmapped).getByTestId("board-reason")).toHaveTextContent("Customer 00004 is not mapped to a ConnectWise company.");
    expect(within(boardRow(7)).getByTestId("board-reason")).toHaveTextContent("Two agreements fit: choose one in the task's review.");

    await user.click(screen.getByTestId("board-filter-ready"));
    expect(boardIds()).toEqual([1, 2, 6]);
    await user.click(screen.getByTestId("board-filter-attention"));
    expect(boardIds()).toEqual([5, 7]);
    expect(screen.getByTestId("board-filter-attention")).toHaveAttribute("aria-pressed", "true");
    await user.click(screen.getByTestId("board-filter-all"));
    expect(boardIds()).toEqual(BOARD);
  });

  it("shows each row's next invoice before → after with its date, and the agreement's invoice calendar (SPEC §16)", async () => {
    const user = userEvent.setup();
    await openBoard(user, BOARD);
    const board = screen.getByTestId("board");
    expect(within(board).getByRole("columnheader", { name: "Next invoice" })).toBeInTheDocument();

    // November's invoice: the recurring amount before, and the one-time charge dated in November.
    const first = within(boardRow(1)).getByTestId("board-next-invoice");
    expect(first).toHaveTextContent(/^160\.00 → 165\.50 on 2026-11-01$/);
    expect(first).toHaveAttribute("title", expect.stringContaining("next invoice on 2026-11-01: 160.00 EUR before this task's sync → 165.50 EUR after"));
    expect(within(boardRow(6)).getByTestId("board-next-invoice")).toHaveTextContent(/^170\.00 → 174\.00 on 2026-11-01$/);

    // The agreement's calendar in words, on its name.
    const agreement = within(boardRow(1)).getByTestId("board-agreement");
    expect(agreement).toHaveAttribute("title", `Green Lane LLC — Microsoft 365\n${BOARD_CALENDAR}`);
    expect(BOARD_CALENDAR).toBe("Invoiced through 2026-10-31 — last invoice #1041 on 2026-10-01");

    // No plan, no next invoice.
    const unmapped = within(boardRow(5)).getByTestId("board-next-invoice");
    expect(unmapped).toHaveTextContent(/^—$/);
    expect(unmapped).not.toHaveAttribute("title");
    expect(within(boardRow(5)).getByTestId("board-agreement")).not.toHaveAttribute("title");
  });

  it("shows a row's next invoice re-planned by a bulk action", async () => {
    const user = userEvent.setup();
    await openBoard(user, BOARD);
    await user.click(screen.getByTestId("board-check-6"));
    await user.click(screen.getByTestId("bulk-leave-out-credits"));
    await waitFor(() => expect(within(boardRow(6)).getByTestId("board-next-invoice")).toHaveTextContent(/^170\.00 → 178\.00/));
    expect(within(boardRow(1)).getByTestId("board-next-invoice")).toHaveTextContent(/^160\.00 → 165\.50/);
  });

  describe("with writes already in ConnectWise, from any desk", () => {
    const WORDS =
      "Already in ConnectWise: every write of this task is there (additions 40061, 40062, 40063, 40064), written from this desk before or from another. Sync sends nothing and closes the task as synced.";

    /** The board of `ids` as Rust plans it once 6's writes are all in ConnectWise, and 2 of 2's. */
    function openWritten(ids: number[]) {
      api.openBatch.mockImplementation((selection) =>
        rejects(() => {
          batch.open(selection, tasks);
          if (ids.includes(6)) batch.patch(6, { ready: false, writes: 0, written: 4, already: WORDS });
          if (ids.includes(2)) batch.patch(2, { written: 2 });
          return batch.board();
        }),
      );
    }

    it("shows a task already there in its own state and filter, and says how much of a task is there", async () => {
      const user = userEvent.setup();
      openWritten(BOARD);
      await openBoard(user, BOARD);

      const six = boardRow(6);
      expect(six).toHaveAttribute("data-state", "already");
      const badge = within(six).getByTestId("row-already");
      expect(badge).toHaveTextContent("Already in ConnectWise");
      expect(badge).toHaveAttribute("title", WORDS);
      expect(within(six).queryByTestId("board-state")).not.toBeInTheDocument();
      expect(within(six).queryByTestId("board-written")).not.toBeInTheDocument();

      const two = boardRow(2);
      expect(within(two).getByTestId("board-state")).toHaveTextContent("Ready");
      expect(within(two).getByTestId("board-written")).toHaveTextContent("2 of 6 writes already in ConnectWise");
      expect(within(boardRow(1)).queryByTestId("board-written")).not.toBeInTheDocument();

      expect(screen.getByTestId("board-filter-already")).toHaveTextContent("Already in ConnectWise 1");
      await user.click(screen.getByTestId("board-filter-already"));
      expect(boardIds()).toEqual([6]);
      await user.click(screen.getByTestId("board-filter-ready"));
      expect(boardIds()).toEqual([1, 2]);
      await user.click(screen.getByTestId("board-filter-attention"));
      expect(boardIds()).toEqual([5, 7]);

      // The totals stay those of the ready tasks.
      const usd = screen.getAllByTestId("batch-total").find((row) => row.dataset.currency === "USD");
      expect(usd).toHaveTextContent("1 task");
      expect(usd).toHaveTextContent("4 writes");
    });

    it("says the sync closes them as synced, writing nothing, and follows them through it", async () => {
      const user = userEvent.setup();
      const sync = holdSync();
      openWritten(BOARD);
      await openBoard(user, BOARD);
      expect(screen.getByTestId("sync-batch")).toHaveTextContent("Sync 2 ready tasks");
      await user.click(screen.getByTestId("sync-batch"));
      const confirm = screen.getByTestId("batch-confirm");
      expect(confirm).toHaveTextContent("Sync 2 ready tasks to ConnectWise?");
      expect(within(confirm).getByTestId("batch-confirm-already")).toHaveTextContent(
        "1 already in ConnectWise will be closed as synced, with nothing written.",
      );
      expect(confirm).toHaveTextContent("2 tasks need attention and will not be synced.");

      await user.click(screen.getByTestId("batch-confirm-sync"));
      sync.report(batch.progress([batch.setState(6, "syncing")]));
      expect(within(boardRow(6)).getByTestId("board-state")).toHaveTextContent("Syncing");
      sync.report(batch.progress([batch.setState(6, "synced")]));
      expect(within(boardRow(6)).getByTestId("board-state")).toHaveTextContent("Synced");
    });

    it("closes a board of tasks all already there, writing nothing", async () => {
      const user = userEvent.setup();
      openWritten([6]);
      await openBoard(user, [6]);
      const button = screen.getByTestId("sync-batch");
      expect(button).toHaveTextContent("Close 1 task as synced");
      expect(button).toBeEnabled();
      await user.click(button);
      const confirm = screen.getByTestId("batch-confirm");
      expect(confirm).toHaveTextContent("Close 1 task as synced? Nothing is written.");
      expect(within(confirm).getByTestId("batch-confirm-already")).toBeInTheDocument();
      expect(screen.getByTestId("batch-confirm-sync")).toBeEnabled();
    });
  });

  it("totals the ready tasks per currency", async () => {
    const user = userEvent.setup();
    await openBoard(user, BOARD);
    const totals = screen.getAllByTestId("batch-total");
    expect(totals.map((row) => row.dataset.currency)).toEqual(["EUR", "USD"]);
    const [eur, usd] = totals;
    if (eur === undefined || usd === undefined) throw new Error("no totals");
    expect(eur).toHaveTextContent("1 task");
    expect(eur).toHaveTextContent("3 writes");
    expect(within(eur).getByTestId("total-one-time")).toHaveTextContent("5.50 EUR");
    expect(within(eur).getByTestId("total-recurring-change")).toHaveTextContent("+11.00 EUR / month");
    expect(usd).toHaveTextContent("2 tasks");
    expect(usd).toHaveTextContent("8 writes");
    expect(within(usd).getByTestId("total-one-time")).toHaveTextContent("6.00 USD");
    expect(within(usd).getByTestId("total-recurring-change")).toHaveTextContent("+28.00 USD / month");
    expect(screen.getByTestId("sync-batch")).toHaveTextContent("Sync 3 ready tasks");
  });

  describe("with a quarterly cancellation with a fee and a usage charge beside a monthly change", () => {
    /**
     * Board 1, 2, 6, 11: 1 (EUR) and 6 (USD) monthly changes with a prorate (+16.00 a month and
     * 4.00 for 6); 2 a cancellation of a quarterly agreement with a 25.00 fee; 11 a usage charge of
     * 28.91.
     */
    async function openMixed(user: User) {
      api.openBatch.mockImplementation((selection) =>
        rejects(() => {
          batch.open(selection, tasks);
          batch.patch(2, quarterlyCancellation(batch.row(2)));
          batch.patch(11, usageBilling(batch.row(11)));
          return batch.board();
        }),
      );
      await openBoard(user, [1, 2, 6, 11]);
    }

    it("never adds a quarter's recurring change to a month's: the totals are per billing cycle", async () => {
      const user = userEvent.setup();
      await openMixed(user);
      const usd = screen.getAllByTestId("batch-total").find((row) => row.dataset.currency === "USD");
      if (usd === undefined) throw new Error("no USD total");
      const cycles = within(usd).getAllByTestId("total-recurring-change");
      expect(cycles.map((cycle) => cycle.textContent)).toEqual(["+16.00 USD / month", "-1050.00 USD / quarter"]);
      expect(cycles.map((cycle) => cycle.dataset.cycle)).toEqual(["Monthly", "Quarterly"]);
      expect(within(boardRow(2)).getByTestId("board-recurring")).toHaveTextContent("1050.00 → 0.00 / quarter");
      expect(within(boardRow(2)).getByTestId("board-recurring")).toHaveAttribute("title", expect.stringContaining("Quarterly"));
    });

    it("names the agreement's own amount that a row's recurring figures include", async () => {
      const user = userEvent.setup();
      api.openBatch.mockImplementation((selection) =>
        rejects(() => {
          batch.open(selection, tasks);
          batch.patch(6, { recurringBefore: "634.00", recurringAfter: "736.00", recurringChange: "102.00", agreementAmount: "150.00" });
          return batch.board();
        }),
      );
      await openBoard(user, [1, 6]);
      expect(within(boardRow(6)).getByTestId("board-recurring")).toHaveTextContent("634.00 → 736.00 / month");
      expect(within(boardRow(6)).getByTestId("board-agreement-amount")).toHaveTextContent("incl. 150.00 the agreement's own");
      expect(within(boardRow(1)).queryByTestId("board-agreement-amount")).not.toBeInTheDocument();
    });

    it("shows the one-time charges — usage, a cancellation fee, prorates — on the board, in its totals and in the confirmation", async () => {
      const user = userEvent.setup();
      await openMixed(user);
      expect(within(boardRow(2)).getByTestId("board-one-time")).toHaveTextContent("25.00 USD");
      expect(within(boardRow(2)).getByTestId("board-one-time")).toHaveTextContent("cancellation fee");
      expect(within(boardRow(11)).getByTestId("board-one-time")).toHaveTextContent("28.91 USD");
      expect(within(boardRow(11)).getByTestId("board-one-time")).toHaveTextContent("usage");
      expect(within(boardRow(6)).getByTestId("board-one-time")).toHaveTextContent("4.00 USD");
      expect(within(boardRow(1)).getByTestId("board-one-time")).toHaveTextContent("5.50 EUR");
      expect(within(boardRow(1)).getByTestId("board-one-time")).toHaveTextContent("prorated");
      // A Billing Order's date is the closed period it bills.
      expect(within(boardRow(11)).getByTestId("board-effective")).toHaveTextContent("2026-10-01");
      expect(within(boardRow(11)).getByTestId("board-effective")).toHaveAttribute("title", "Usage of the closed period 2026-10-01 to 2026-10-31");
      expect(within(boardRow(2)).getByTestId("board-effective")).toHaveTextContent("2026-11-03");

      const usd = screen.getAllByTestId("batch-total").find((row) => row.dataset.currency === "USD");
      if (usd === undefined) throw new Error("no USD total");
      expect(within(usd).getByTestId("total-one-time")).toHaveTextContent("57.91 USD");
      expect(within(usd).getByTestId("total-one-time-parts")).toHaveTextContent("prorated 4.00 · usage 28.91 · cancellation fee 25.00");

      await user.click(screen.getByTestId("sync-batch"));
      const confirm = within(screen.getByTestId("batch-confirm"));
      const confirmUsd = confirm.getAllByTestId("batch-total").find((row) => row.dataset.currency === "USD");
      if (confirmUsd === undefined) throw new Error("no USD total in the confirmation");
      expect(within(confirmUsd).getByTestId("total-one-time")).toHaveTextContent("57.91 USD");
      expect(within(confirmUsd).getByTestId("total-one-time-parts")).toHaveTextContent("prorated 4.00 · usage 28.91 · cancellation fee 25.00");
      expect(within(confirmUsd).getAllByTestId("total-recurring-change").map((cycle) => cycle.textContent)).toEqual([
        "+16.00 USD / month",
        "-1050.00 USD / quarter",
      ]);
    });
  });

  it("applies a bulk action to the ticked rows and shows the board re-planned", async () => {
    const user = userEvent.setup();
    await openBoard(user, BOARD);
    expect(screen.getByTestId("bulk-none")).toBeInTheDocument();
    await user.click(screen.getByTestId("board-check-2"));
    await user.click(screen.getByTestId("board-check-6"));
    expect(screen.getByTestId("bulk-count")).toHaveTextContent("2 rows ticked");

    await user.click(screen.getByTestId("bulk-leave-out-credits"));
    expect(api.applyBulk).toHaveBeenCalledWith(BATCH_ID, [2, 6], { kind: "leaveOutProrateCredits" });
    await waitFor(() => expect(within(boardRow(2)).getByTestId("board-writes")).toHaveTextContent("3"));
    expect(within(boardRow(2)).getByTestId("board-one-time")).toHaveTextContent("6.00 USD");
    expect(within(boardRow(6)).getByTestId("board-one-time")).toHaveTextContent("8.00 USD");
    const usd = screen.getAllByTestId("batch-total").find((row) => row.dataset.currency === "USD");
    expect(usd).toHaveTextContent("6 writes");
    expect(within(usd ?? document.body).getByTestId("total-one-time")).toHaveTextContent("14.00 USD");

    await user.type(screen.getByTestId("bulk-ignore-reason"), "billed manually");
    await user.click(screen.getByTestId("bulk-ignore"));
    expect(api.applyBulk).toHaveBeenLastCalledWith(BATCH_ID, [2, 6], { kind: "ignore", reason: "billed manually" });
    await waitFor(() => expect(boardRow(6)).toHaveAttribute("data-state", "attention"));
    expect(within(boardRow(6)).getByTestId("board-reason")).toHaveTextContent("Ignored: billed manually");
    expect(screen.getByTestId("sync-batch")).toHaveTextContent("Sync 1 ready task");
  });

  it("shows Rust's refusal of a bulk action and leaves the board as it was", async () => {
    const user = userEvent.setup();
    await openBoard(user, BOARD);
    await user.click(screen.getByTestId("board-check-1"));
    fireEvent.change(screen.getByTestId("bulk-date"), { target: { value: "2026-10-01" } });
    await user.click(screen.getByTestId("bulk-date-apply"));
    expect(api.applyBulk).toHaveBeenCalledWith(BATCH_ID, [1], { kind: "setEffectiveDate", value: "2026-10-01" });
    expect(await screen.findByTestId("bulk-error")).toHaveTextContent(
      "2026-10-01 is before the subscription's current period (2026-11-01).",
    );
    expect(within(boardRow(1)).getByTestId("board-one-time")).toHaveTextContent("5.50 EUR");

    fireEvent.change(screen.getByTestId("bulk-date"), { target: { value: "2026-12-01" } });
    await user.click(screen.getByTestId("bulk-date-apply"));
    await waitFor(() => expect(within(boardRow(1)).getByTestId("board-one-time")).toHaveTextContent("0.00 EUR"));
    expect(within(boardRow(1)).getByTestId("board-effective")).toHaveTextContent("2026-12-01");
    expect(screen.queryByTestId("bulk-error")).not.toBeInTheDocument();
  });

  it("takes the bulk effective date as yyyy-MM-dd, starting from the app's day, and refuses a date typed otherwise", async () => {
    const user = userEvent.setup();
    // The app's clock is pinned to another day than the computer's.
    api.openBatch.mockImplementation((selection) =>
      rejects(() => {
        batch.open(selection, tasks);
        return { ...batch.board(), today: "2027-02-26" };
      }),
    );
    await openBoard(user, BOARD);
    await user.click(screen.getByTestId("board-check-1"));
    const field = screen.getByTestId("bulk-date");
    if (!(field instanceof HTMLInputElement)) throw new Error("bulk-date is not an input");
    expect(field.type).toBe("text");
    expect(field).toHaveValue("2027-02-26");
    expect(field).toHaveAttribute("placeholder", "yyyy-MM-dd");

    await user.clear(field);
    await user.type(field, "11/24/2026");
    await user.click(screen.getByTestId("bulk-date-apply"));
    expect(api.applyBulk).toHaveBeenCalledWith(BATCH_ID, [1], { kind: "setEffectiveDate", value: "11/24/2026" });
    expect(await screen.findByTestId("bulk-error")).toHaveTextContent(
      "The effective date must be a date written like 2026-11-16 (year, month, day), not “11/24/2026”.",
    );
    expect(field).toHaveAttribute("aria-invalid", "true");
    expect(within(boardRow(1)).getByTestId("board-effective")).toHaveTextContent("2026-11-16");
    expect(within(boardRow(1)).getByTestId("board-one-time")).toHaveTextContent("5.50 EUR");

    // Typing again clears the message; a date in the app's form is applied.
    await user.clear(field);
    expect(screen.queryByTestId("bulk-error")).not.toBeInTheDocument();
    expect(field).toHaveAttribute("aria-invalid", "false");
    await user.type(field, "2026-11-20");
    await user.click(screen.getByTestId("bulk-date-apply"));
    await waitFor(() => expect(within(boardRow(1)).getByTestId("board-effective")).toHaveTextContent("2026-11-20"));
  });

  it("opens a row's review and, back from it, shows the board re-planned", async () => {
    const user = userEvent.setup();
    await openBoard(user, BOARD);
    await user.click(within(boardRow(5)).getByText("Customer 00004"));
    const wizard = await screen.findByTestId("wizard");
    expect(wizard).toHaveAttribute("data-task-id", "5");
    expect(api.openWizard).toHaveBeenCalledWith(5);

    // In the wizard the customer was mapped: Rust plans the row anew.
    batch.patch(5, { ...batch.row(6), task: batch.row(5).task, attention: [], ready: true });
    const boardReads = api.batchBoard.mock.calls.length;
    // Its back button says where it goes.
    expect(within(wizard).getByTestId("wizard-close")).toHaveTextContent("Back to the board");
    await user.click(within(wizard).getByTestId("wizard-close"));
    await waitFor(() => expect(screen.queryByTestId("wizard")).not.toBeInTheDocument());
    expect(api.batchBoard.mock.calls.length).toBe(boardReads + 1);
    expect(api.batchBoard).toHaveBeenLastCalledWith(BATCH_ID);
    await waitFor(() => expect(boardRow(5)).toHaveAttribute("data-state", "ready"));
    expect(screen.getByTestId("sync-batch")).toHaveTextContent("Sync 4 ready tasks");
    expect(screen.getByTestId("board")).toHaveFocus();
  });

  it("goes back to the list with the ticks kept", async () => {
    const user = userEvent.setup();
    await openBoard(user, [1, 2]);
    await user.click(screen.getByTestId("batch-back"));
    expect(await screen.findByTestId("task-list")).toBeInTheDocument();
    expect(screen.queryByTestId("batch-screen")).not.toBeInTheDocument();
    expect(check(1)).toBeChecked();
    expect(screen.getByTestId("selection-count")).toHaveTextContent("2 selected");
  });
});

describe("syncing a batch", () => {
  it("asks with the totals, then shows the progress, each row's state and the result, and saves it as CSV", async () => {
    const user = userEvent.setup();
    const sync = holdSync();
    await openBoard(user, BOARD);

    await user.click(screen.getByTestId("sync-batch"));
    const confirm = screen.getByTestId("batch-confirm");
    expect(confirm).toHaveTextContent("Sync 3 ready tasks to ConnectWise?");
    expect(within(confirm).getAllByTestId("batch-total").map((row) => row.dataset.currency)).toEqual(["EUR", "USD"]);
    expect(confirm).toHaveTextContent("2 tasks need attention and will not be synced.");
    await user.click(within(confirm).getByTestId("batch-confirm-cancel"));
    expect(screen.queryByTestId("batch-confirm")).not.toBeInTheDocument();
    expect(api.syncBatch).not.toHaveBeenCalled();

    await user.click(screen.getByTestId("sync-batch"));
    await user.click(screen.getByTestId("batch-confirm-sync"));
    expect(api.syncBatch).toHaveBeenCalledWith(BATCH_ID, expect.any(Function));
    expect(screen.getByTestId("batch-progress")).toHaveTextContent("Starting the sync…");
    expect(screen.getByTestId("batch-back")).toBeDisabled();

    sync.report(batch.progress([batch.setState(1, "syncing"), batch.setState(2, "syncing")]));
    expect(screen.getByTestId("batch-progress-text")).toHaveTextContent("0 of 3 tasks · 0 of 11 writes");
    expect(within(boardRow(1)).getByTestId("board-state")).toHaveTextContent("Syncing");
    expect(within(boardRow(6)).getByTestId("board-state")).toHaveTextContent("Waiting");

    sync.report(
      batch.progress([
        batch.setState(1, "synced"),
        batch.setState(2, "failed", "ConnectWise did not accept write 2: 400 Bad Request — quantity"),
      ]),
    );
    expect(screen.getByTestId("batch-progress-text")).toHaveTextContent("2 of 3 tasks · 3 of 11 writes");
    expect(screen.getByRole("progressbar", { name: "Batch sync progress" })).toHaveAttribute("aria-valuenow", "67");
    expect(within(boardRow(1)).getByTestId("board-state")).toHaveTextContent("Synced");
    expect(within(boardRow(2)).getByTestId("board-state")).toHaveTextContent("Failed");
    expect(within(boardRow(2)).getByTestId("board-message")).toHaveTextContent("400 Bad Request — quantity");

    sync.report(batch.progress([batch.setState(6, "synced")]));
    sync.finish(batch.result());
    const result = await screen.findByTestId("batch-result");
    expect(within(result).getByTestId("batch-result-message")).toHaveTextContent("2 of 3 tasks synced; 1 failed.");
    expect(within(result).getByTestId("batch-result-counts")).toHaveTextContent("Synced 2 · Failed 1 · Not started 0 · 7 writes made");
    expect(within(boardRow(6)).getByTestId("board-state")).toHaveTextContent("Synced");
    expect(within(boardRow(5)).getByTestId("board-state")).toHaveTextContent("Not started");
    expect(screen.getByTestId("batch-back")).toBeEnabled();

    await user.click(within(result).getByTestId("batch-save-csv"));
    expect(api.saveBatchCsv).toHaveBeenCalledWith(BATCH_ID);
    expect(await screen.findByTestId("batch-saved")).toHaveTextContent(
      "Saved to /home/billing/Documents/agreement-sync-batch-12.csv",
    );
  });

  it("after the sync, offers to re-read the synced tasks as a secondary action that says it writes nothing", async () => {
    const user = userEvent.setup();
    const sync = holdSync();
    await openBoard(user, [1, 2]);
    await user.click(screen.getByTestId("sync-batch"));
    await user.click(screen.getByTestId("batch-confirm-sync"));
    sync.report(batch.progress([batch.setState(1, "synced"), batch.setState(2, "synced")]));
    for (const id of [1, 2]) batch.patch(id, { ready: false, attention: [{ reason: "notPending", message: "Already synced." }] });
    sync.finish(batch.result());
    await screen.findByTestId("batch-result");

    const again = screen.getByTestId("sync-batch");
    expect(again).toHaveTextContent("Re-read 2 synced tasks from ConnectWise (writes nothing)");
    expect(again).not.toHaveClass("btn-primary");
    expect(again).toHaveClass("btn");
    await user.click(again);
    const confirm = screen.getByTestId("batch-confirm");
    expect(confirm).toHaveTextContent("Re-read 2 synced tasks from ConnectWise? Nothing is written");
    expect(screen.getByTestId("batch-confirm-sync")).toHaveTextContent("Re-read");
    expect(screen.getByTestId("batch-confirm-sync")).not.toHaveClass("btn-primary");
  });

  it("says nothing when the save dialog is cancelled, and Save as CSV stays offered", async () => {
    const user = userEvent.setup();
    const sync = holdSync();
    await openBoard(user, [1, 2]);
    await user.click(screen.getByTestId("sync-batch"));
    await user.click(screen.getByTestId("batch-confirm-sync"));
    sync.report(batch.progress([batch.setState(1, "synced"), batch.setState(2, "synced")]));
    sync.finish(batch.result());
    const result = await screen.findByTestId("batch-result");

    api.saveBatchCsv.mockResolvedValueOnce(null);
    await user.click(within(result).getByTestId("batch-save-csv"));
    expect(api.saveBatchCsv).toHaveBeenCalledWith(BATCH_ID);
    await waitFor(() => expect(within(result).getByTestId("batch-save-csv")).toHaveTextContent("Save as CSV"));
    expect(within(result).getByTestId("batch-save-csv")).toBeEnabled();
    expect(screen.queryByTestId("batch-saved")).not.toBeInTheDocument();
    expect(screen.queryByTestId("batch-csv-error")).not.toBeInTheDocument();

    // Asked again, and saved this time.
    await user.click(within(result).getByTestId("batch-save-csv"));
    expect(api.saveBatchCsv).toHaveBeenCalledTimes(2);
    expect(await screen.findByTestId("batch-saved")).toHaveTextContent("Saved to /home/billing/Documents/agreement-sync-batch-12.csv");
  });

  it("offers no sync when nothing is ready and nothing was synced", async () => {
    const user = userEvent.setup();
    await openBoard(user, [5, 7]);
    const button = screen.getByTestId("sync-batch");
    expect(button).toHaveTextContent("Sync 0 ready tasks");
    expect(button).toBeDisabled();
  });

  it("stops: the writes under way finish and the rest are left Not started", async () => {
    const user = userEvent.setup();
    const sync = holdSync();
    await openBoard(user, BOARD);
    await user.click(screen.getByTestId("sync-batch"));
    await user.click(screen.getByTestId("batch-confirm-sync"));
    sync.report(batch.progress([batch.setState(1, "syncing")]));

    await user.click(screen.getByTestId("batch-stop"));
    expect(api.stopBatch).toHaveBeenCalledWith(BATCH_ID);
    expect(screen.getByTestId("batch-stopping")).toHaveTextContent("Stopping: finishing the writes under way");
    expect(screen.queryByTestId("batch-stop")).not.toBeInTheDocument();

    sync.report(batch.progress([batch.setState(1, "synced")], true));
    expect(screen.getByTestId("batch-stopping")).toBeInTheDocument();
    sync.finish(batch.result());
    const result = await screen.findByTestId("batch-result");
    expect(result).toHaveTextContent("1 of 3 tasks synced; 2 not started.");
    expect(within(boardRow(2)).getByTestId("board-state")).toHaveTextContent("Not started");
    expect(within(boardRow(6)).getByTestId("board-state")).toHaveTextContent("Not started");
  });

  it("shows why a batch sync did not run", async () => {
    const user = userEvent.setup();
    api.syncBatch.mockRejectedValue({ code: "unreachable", message: "Can't reach ConnectWise: connection refused", field: null });
    await openBoard(user, BOARD);
    await user.click(screen.getByTestId("sync-batch"));
    await user.click(screen.getByTestId("batch-confirm-sync"));
    expect(await screen.findByTestId("batch-sync-error")).toHaveTextContent("Can't reach ConnectWise: connection refused");
    expect(screen.getByTestId("sync-batch")).toBeEnabled();
  });

  it("needs a connection to sync; the board and bulk actions work offline", async () => {
    const user = userEvent.setup();
    api.checkConnectivity.mockResolvedValue({ state: "offline", message: "Can't reach ConnectWise" });
    await openBoard(user, BOARD);
    await waitFor(() => expect(screen.getByTestId("sync-batch")).toBeDisabled());
    expect(screen.getByTestId("batch-offline")).toHaveTextContent("Sync needs a connection");
    // Ctrl+Enter does not ask either.
    screen.getByTestId("board").focus();
    await user.keyboard("{Control>}{Enter}{/Control}");
    expect(screen.queryByTestId("batch-confirm")).not.toBeInTheDocument();

    await user.click(screen.getByTestId("board-check-2"));
    await user.click(screen.getByTestId("bulk-leave-out-credits"));
    await waitFor(() => expect(within(boardRow(2)).getByTestId("board-writes")).toHaveTextContent("3"));
  });

  it("leaves the syncs cut off inside an interrupted batch to the batch's Finish", async () => {
    api.interruptedBatch.mockResolvedValue(interrupted({ taskIds: [1, 2, 6] }));
    api.appStatus.mockResolvedValue(
      makeStatus({
        unfinishedSyncs: [
          syncView({ id: 41, taskId: 2, taskLabel: "Green Lane LLC — order 1000231", state: "interrupted" }),
          syncView({ id: 42, taskId: 9, taskLabel: "Adatum Corporation — order 1000222", state: "interrupted" }),
        ],
      }),
    );

    render(<App />);
    await screen.findByTestId("interrupted-batch");
    const alone = await screen.findByTestId("unfinished-syncs");
    expect(alone).toHaveTextContent("Adatum Corporation — order 1000222");
    expect(alone).not.toHaveTextContent("Green Lane LLC");
  });

  it("offers to finish a batch interrupted when the app stopped, and finishes it", async () => {
    const user = userEvent.setup();
    const sync = holdSync();
    api.interruptedBatch.mockResolvedValue(interrupted());
    batch.open({ kind: "ids", ids: BOARD }, tasks);
    batch.setState(1, "synced");
    batch.syncStarted = true;

    render(<App />);
    const banner = await screen.findByTestId("interrupted-batch");
    expect(banner).toHaveTextContent("A batch was interrupted: 37 of 120 synced");
    await user.click(within(banner).getByTestId("interrupted-finish"));

    expect(api.batchBoard).toHaveBeenCalledWith(BATCH_ID);
    await screen.findByTestId("batch-screen");
    await waitFor(() => expect(api.syncBatch).toHaveBeenCalledWith(BATCH_ID, expect.any(Function)));
    expect(within(boardRow(1)).getByTestId("board-state")).toHaveTextContent("Synced");
    expect(screen.getByTestId("batch-progress")).toBeInTheDocument();

    api.interruptedBatch.mockResolvedValue(null);
    const asked = api.interruptedBatch.mock.calls.length;
    sync.report(batch.progress([batch.setState(2, "synced"), batch.setState(6, "synced")]));
    sync.finish(batch.result());
    expect(await screen.findByTestId("batch-result")).toHaveTextContent("3 of 3 tasks synced.");
    await waitFor(() => expect(api.interruptedBatch.mock.calls.length).toBe(asked + 1));
    await user.click(screen.getByTestId("batch-back"));
    await screen.findByTestId("task-list");
    expect(screen.queryByTestId("interrupted-batch")).not.toBeInTheDocument();
  });
});

describe("the board's keyboard", () => {
  it("moves with the arrows, ticks with Space, opens with Enter and asks to sync with Ctrl+Enter", async () => {
    const user = userEvent.setup();
    await openBoard(user, BOARD);
    const board = screen.getByTestId("board");
    expect(board).toHaveFocus();
    expect(screen.getByTestId("board-keys")).toHaveTextContent(
      "↑ ↓ move · Space ticks · Enter opens the task · Ctrl+Enter syncs the ready tasks (after a confirmation)",
    );
    expect(boardRow(1)).toHaveAttribute("aria-selected", "true");

    await user.keyboard("{ArrowDown}{ArrowDown} ");
    expect(boardRow(5)).toHaveAttribute("aria-selected", "true");
    expect(screen.getByTestId("board-check-5")).toBeChecked();
    expect(screen.getByTestId("board-check-2")).not.toBeChecked();
    await user.keyboard("{ArrowUp} ");
    expect(screen.getByTestId("board-check-2")).toBeChecked();
    expect(screen.getByTestId("bulk-count")).toHaveTextContent("2 rows ticked");

    await user.keyboard("{Control>}{Enter}{/Control}");
    expect(screen.getByTestId("batch-confirm")).toBeInTheDocument();
    expect(screen.getByTestId("batch-confirm-sync")).toHaveFocus();
    await user.keyboard("{Escape}");
    expect(screen.queryByTestId("batch-confirm")).not.toBeInTheDocument();

    board.focus();
    await user.keyboard("{End}{Enter}");
    expect(await screen.findByTestId("wizard")).toHaveAttribute("data-task-id", "7");
  });
});
