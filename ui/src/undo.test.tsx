import { act, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { SyncView } from "./bindings/SyncView";
import type { TaskStatus } from "./bindings/TaskStatus";
import type { UndoBoardResult } from "./bindings/UndoBoardResult";
import type { UndoView } from "./bindings/UndoView";
import { App } from "./App";
import { ReviewWizard } from "./components/wizard/ReviewWizard";
import type { UndoRequest } from "./components/wizard/wizardTask";
import * as ipc from "./ipc";
import { CREDIT_KEY, FakeActivity, undoBoardView, undoSyncView, undoView, undoWithCredit, undoneSync, undoRow } from "./test/activity";
import { FakeBatch } from "./test/batch";
import { FakeTasks, deferred, makeStatus } from "./test/fixtures";
import { syncView, syncedSync, viewWithHistory } from "./test/sync";
import { greenLaneTask, plannedView } from "./test/wizard";
import { TEST_NOW } from "./test/now";

// Hoisted above the imports: the helper is imported inside the factory.
vi.mock("./ipc", async (importOriginal) => (await import("./test/mockIpc")).mockIpc(importOriginal));

const api = vi.mocked(ipc);

type User = ReturnType<typeof userEvent.setup>;

/** `undoSync` answers with a promise the test settles, and hands over its progress callback. */
function controlledUndo() {
  const run = deferred<SyncView>();
  const control = { report: (_view: SyncView) => {}, resolve: run.resolve, reject: run.reject };
  api.undoSync.mockImplementationOnce((_syncId, onProgress) => {
    control.report = (view) => act(() => onProgress(view));
    return run.promise;
  });
  return control;
}

interface WizardOptions {
  offline?: boolean;
  undo?: UndoRequest | null;
  status?: TaskStatus;
}

function renderWizard({ offline = false, undo = null, status = "synced" }: WizardOptions = {}) {
  const onClose = vi.fn();
  const onSynced = vi.fn();
  render(<ReviewWizard task={greenLaneTask({ status })} now={new Date(TEST_NOW)} offline={offline} undo={undo} onClose={onClose} onSynced={onSynced} />);
  return { onClose, onSynced };
}

function undoRowOf(kind: string): HTMLElement {
  const found = screen.getAllByTestId("undo-row").find((row) => row.dataset.kind === kind);
  if (found === undefined) throw new Error(`no ${kind} row`);
  return found;
}

beforeEach(() => {
  vi.clearAllMocks();
  api.openWizard.mockResolvedValue(viewWithHistory([undoneSync()], "synced"));
  api.editWizard.mockResolvedValue(plannedView());
  api.searchCompanies.mockResolvedValue([]);
  api.searchCatalog.mockResolvedValue([]);
  api.openUndo.mockResolvedValue(undoView());
});

describe("the undo of a sync, in the wizard", () => {
  it("says which sync it undoes, the invoice calendar, each row with its kind and why, and the next invoice", async () => {
    renderWizard({ undo: { kind: "sync", syncId: 11 } });
    const panel = await screen.findByTestId("undo-panel");
    expect(api.openUndo).toHaveBeenCalledWith(11);
    const of = await within(panel).findByTestId("undo-of");
    expect(of).toHaveTextContent("Sync 11 — Green Lane LLC — order 1000231");
    expect(of).toHaveTextContent("Green Lane — Microsoft 365 #7001 · Green Lane LLC");
    expect(of).toHaveTextContent(/When\d{4}-\d{2}-\d{2} \d{2}:\d{2} – /);
    expect(of).toHaveTextContent("ana on BILLING-PC · profile Demo");
    expect(within(panel).getByTestId("undo-calendar")).toHaveTextContent("Invoiced through 2026-11-30 — last invoice #1042 on 2026-11-01");
    expect(within(panel).queryByTestId("undo-offline")).not.toBeInTheDocument();
    expect(within(panel).queryByTestId("undo-nothing")).not.toBeInTheDocument();

    const rows = within(panel).getAllByTestId("undo-row");
    expect(rows.map((row) => row.dataset.kind)).toEqual(["remove", "end", "credit", "restore", "conflict"]);
    expect(rows.map((row) => within(row).getByTestId("undo-row-kind").textContent)).toEqual([
      "Remove",
      "End",
      "Credit (optional)",
      "Put back",
      "Conflict",
    ]);
    // Only the credit is a choice; the rest are written as shown, or left alone with why.
    expect(within(panel).getAllByTestId("undo-row-select")).toHaveLength(1);
    const credit = undoRowOf("credit");
    expect(within(credit).getByTestId("undo-row-select")).not.toBeChecked();
    expect(within(credit).getByTestId("undo-row-amount")).toHaveTextContent("-275.00 USD");
    expect(within(undoRowOf("remove")).getByTestId("undo-row-addition")).toHaveTextContent("#40003");
    expect(within(undoRowOf("restore")).getByTestId("undo-row-change")).toHaveTextContent(
      "20 × 22.00 from 2026-10-01 to 2026-11-15 → 20 × 22.00 from 2026-10-01",
    );
    expect(within(undoRowOf("conflict")).getByTestId("undo-row-words")).toHaveTextContent(
      "Changed in ConnectWise on 2026-11-20 by someone else (quantity 2 → 3): left alone.",
    );
    expect(undoRowOf("conflict")).toHaveClass("undo-row-idle");

    // The next invoice, as Rust sent it.
    expect(within(panel).getByTestId("next-invoice-total-before")).toHaveTextContent("550.00");
    expect(within(panel).getByTestId("next-invoice-total")).toHaveTextContent("440.00");
    expect(within(panel).getByTestId("undo-writes")).toHaveTextContent("3 writes to ConnectWise");
    expect(within(panel).getByTestId("undo-sync")).toBeEnabled();
    expect(screen.getByTestId("wizard-close")).toBeEnabled();
  });

  it("writes the credit with the undo when it is ticked, as Rust plans it again", async () => {
    const user = userEvent.setup();
    const answer = deferred<UndoView>();
    api.selectUndoRow.mockImplementationOnce(() => answer.promise);
    renderWizard({ undo: { kind: "sync", syncId: 11 } });
    await screen.findByTestId("undo-of");
    await user.click(within(undoRowOf("credit")).getByTestId("undo-row-select"));
    expect(api.selectUndoRow).toHaveBeenCalledWith(11, CREDIT_KEY, true);
    // The choice waits for Rust, and so does Undo sync.
    expect(screen.getByTestId("undo-sync")).toBeDisabled();
    answer.resolve(undoWithCredit());
    await waitFor(() => expect(within(undoRowOf("credit")).getByTestId("undo-row-select")).toBeChecked());
    expect(screen.getByTestId("undo-writes")).toHaveTextContent("4 writes to ConnectWise");
    expect(screen.getByTestId("undo-sync")).toBeEnabled();
  });

  it("says why a credit could not be chosen, and keeps the plan as it was", async () => {
    const user = userEvent.setup();
    api.selectUndoRow.mockRejectedValueOnce({ code: "invalid", message: "Only a credit can be left out.", field: null });
    renderWizard({ undo: { kind: "sync", syncId: 11 } });
    await screen.findByTestId("undo-of");
    await user.click(within(undoRowOf("credit")).getByTestId("undo-row-select"));
    expect(await screen.findByTestId("undo-select-error")).toHaveTextContent("Only a credit can be left out.");
    expect(within(undoRowOf("credit")).getByTestId("undo-row-select")).not.toBeChecked();
    expect(screen.getByTestId("undo-writes")).toHaveTextContent("3 writes to ConnectWise");
  });

  it("says when the plan is from the cache, and when nothing is left to write (Undo sync waits)", async () => {
    api.openUndo.mockResolvedValue(
      undoView({
        rows: [undoRow({ key: "undo:1:done", kind: "done", selected: false, words: "Removed already by sync 14." })],
        writes: 0,
        nothingToWrite: "Undone already by sync 14.",
        nextInvoice: null,
        offline:
          "ConnectWise could not be reached: the plan is made from the cached additions of 2026-11-24 11:58, and the undo reads them again before writing.",
      }),
    );
    renderWizard({ undo: { kind: "sync", syncId: 11 } });
    expect(await screen.findByTestId("undo-offline")).toHaveTextContent("the plan is made from the cached additions");
    expect(screen.getByTestId("undo-nothing")).toHaveTextContent("Undone already by sync 14.");
    expect(undoRowOf("done")).toHaveTextContent("Done");
    expect(screen.queryByTestId("undo-row-select")).not.toBeInTheDocument();
    expect(screen.queryByTestId("next-invoice")).not.toBeInTheDocument();
    expect(screen.getByTestId("undo-writes")).toHaveTextContent("Nothing to write");
    expect(screen.getByTestId("undo-sync")).toBeDisabled();
  });

  it("waits for a connection to undo", async () => {
    renderWizard({ undo: { kind: "sync", syncId: 11 }, offline: true });
    await screen.findByTestId("undo-of");
    expect(screen.getByTestId("undo-sync")).toBeDisabled();
    expect(screen.getByTestId("undo-needs-connection")).toHaveTextContent("Undo needs a connection to ConnectWise.");
  });

  it("says why the plan could not be made, and tries again", async () => {
    const user = userEvent.setup();
    api.openUndo.mockRejectedValueOnce({ code: "notFound", message: "Sync 11 was not found in this profile's journal.", field: null });
    renderWizard({ undo: { kind: "sync", syncId: 11 } });
    const error = await screen.findByTestId("undo-plan-error");
    expect(error).toHaveTextContent("Couldn't prepare the undo");
    expect(error).toHaveTextContent("Sync 11 was not found in this profile's journal.");
    await user.click(within(error).getByRole("button", { name: "Try again" }));
    expect(await screen.findByTestId("undo-of")).toBeInTheDocument();
    expect(screen.queryByTestId("undo-plan-error")).not.toBeInTheDocument();
  });
});

describe("Undo this sync… and Undo sync", () => {
  it("is offered on a synced entry of the history, runs undo_sync with its progress and shows the result like a sync's", async () => {
    const user = userEvent.setup();
    const run = controlledUndo();
    const { onSynced } = renderWizard();
    const history = await screen.findByTestId("sync-history");
    await user.click(within(history).getByTestId("task-undo"));
    const panel = await screen.findByTestId("undo-panel");
    expect(api.openUndo).toHaveBeenCalledWith(11);
    await within(panel).findByTestId("undo-of");

    await user.click(screen.getByTestId("undo-sync"));
    expect(api.undoSync).toHaveBeenCalledWith(11, expect.any(Function));
    let result = screen.getByTestId("undo-result");
    expect(result).toHaveAttribute("data-state", "running");
    expect(within(result).getByTestId("sync-title")).toHaveTextContent("Undoing…");
    // A running undo can't be left.
    expect(screen.getByTestId("wizard-close")).toBeDisabled();

    run.report(undoSyncView({ state: "running", finishedAt: null, activity: "Writing 2 of 3: set cancel date", message: null }));
    expect(within(screen.getByTestId("undo-result")).getByTestId("sync-activity")).toHaveTextContent("Writing 2 of 3: set cancel date");

    run.resolve(undoSyncView());
    await waitFor(() => expect(screen.getByTestId("undo-result")).toHaveAttribute("data-state", "synced"));
    result = screen.getByTestId("undo-result");
    expect(within(result).getByTestId("sync-title")).toHaveTextContent("Undone");
    expect(within(result).getByTestId("sync-undo-link")).toHaveTextContent("Undo of sync 11");
    expect(within(result).getByTestId("sync-desk")).toHaveTextContent("ana on BILLING-PC");
    expect(within(result).getAllByTestId("sync-write").map((w) => w.textContent)).toEqual([
      expect.stringContaining("Remove addition"),
      expect.stringContaining("Set cancel date"),
      expect.stringContaining("Change addition"),
    ]);
    expect(screen.getByTestId("wizard-close")).toBeEnabled();
    // The task and the lists are read again, as after any sync.
    expect(onSynced).toHaveBeenCalled();
    await waitFor(() => expect(api.openWizard).toHaveBeenCalledTimes(2));
    // The undo is not offered for undoing from its own result: the history offers it.
    expect(within(result).queryByTestId("task-undo")).not.toBeInTheDocument();

    await user.click(within(result).getByTestId("sync-show-history"));
    expect(await screen.findByTestId("sync-history")).toBeInTheDocument();
  });

  it("is offered on the result of a sync that Rust says can be undone", async () => {
    const user = userEvent.setup();
    api.openWizard.mockResolvedValue(plannedView());
    api.syncTask.mockResolvedValueOnce(syncedSync({ undoable: true }));
    renderWizard({ status: "pending" });
    await screen.findByTestId("step-changes");
    await user.click(screen.getByTestId("wizard-step-summary"));
    await user.click(screen.getByTestId("sync-button"));
    const result = await screen.findByTestId("sync-result");
    await waitFor(() => expect(result).toHaveAttribute("data-state", "synced"));
    await user.click(within(result).getByTestId("task-undo"));
    expect(await screen.findByTestId("undo-panel")).toHaveAttribute("data-sync-id", "11");
    expect(api.openUndo).toHaveBeenCalledWith(11);
  });

  it("is not offered for a sync Rust says can't be undone", async () => {
    api.openWizard.mockResolvedValue(viewWithHistory([syncedSync({ undoable: false, undoneBy: 14 })], "synced"));
    renderWizard();
    const history = await screen.findByTestId("sync-history");
    expect(within(history).queryByTestId("task-undo")).not.toBeInTheDocument();
    expect(within(history).getByTestId("sync-history-link")).toHaveTextContent("Undone by sync 14");
  });

  it("says why the undo could not run, and stays on the plan", async () => {
    const user = userEvent.setup();
    api.undoSync.mockRejectedValueOnce({
      code: "invalid",
      message: "This task has an unfinished sync (15): finish it (Retry) or set it aside before undoing.",
      field: "sync",
    });
    renderWizard({ undo: { kind: "sync", syncId: 11 } });
    await screen.findByTestId("undo-of");
    await user.click(screen.getByTestId("undo-sync"));
    const error = await screen.findByTestId("undo-error");
    expect(error).toHaveTextContent("Couldn't undo");
    expect(error).toHaveTextContent("This task has an unfinished sync (15)");
    expect(screen.getByTestId("undo-panel")).toBeInTheDocument();
    expect(screen.queryByTestId("undo-result")).not.toBeInTheDocument();
  });

  it("stops when the agreement changed since the undo was shown, and Refresh shows the undo as it is now", async () => {
    const user = userEvent.setup();
    api.undoSync.mockResolvedValueOnce(
      undoSyncView({
        state: "changed",
        writes: [],
        message: "Nothing was undone: the agreement changed in ConnectWise since the undo was shown.",
        changes: ["addition 40002: quantity 25 → 27"],
      }),
    );
    renderWizard({ undo: { kind: "sync", syncId: 11 } });
    await screen.findByTestId("undo-of");
    await user.click(screen.getByTestId("undo-sync"));
    const result = await screen.findByTestId("undo-result");
    await waitFor(() => expect(result).toHaveAttribute("data-state", "changed"));
    expect(within(result).getByTestId("sync-title")).toHaveTextContent("Undo stopped: the agreement changed");
    expect(within(result).getByTestId("sync-change")).toHaveTextContent("addition 40002: quantity 25 → 27");
    api.openUndo.mockResolvedValueOnce(undoView({ writes: 2 }));
    await user.click(within(result).getByTestId("sync-refresh"));
    expect(await screen.findByTestId("undo-panel")).toBeInTheDocument();
    expect(api.openUndo).toHaveBeenCalledTimes(2);
    expect(screen.getByTestId("undo-writes")).toHaveTextContent("2 writes to ConnectWise");
  });

  it("Retry of an undo that did not finish runs undo_sync again", async () => {
    const user = userEvent.setup();
    api.undoSync.mockResolvedValueOnce(undoSyncView({ state: "failed", open: true, message: "ConnectWise did not accept write 2." }));
    api.undoSync.mockResolvedValueOnce(undoSyncView());
    renderWizard({ undo: { kind: "sync", syncId: 11 } });
    await screen.findByTestId("undo-of");
    await user.click(screen.getByTestId("undo-sync"));
    await waitFor(() => expect(screen.getByTestId("undo-result")).toHaveAttribute("data-state", "failed"));
    expect(screen.getByTestId("sync-title")).toHaveTextContent("Undo did not finish");
    await user.click(screen.getByTestId("sync-retry"));
    await waitFor(() => expect(screen.getByTestId("undo-result")).toHaveAttribute("data-state", "synced"));
    expect(api.undoSync).toHaveBeenCalledTimes(2);
    expect(api.undoSync).toHaveBeenLastCalledWith(11, expect.any(Function));
  });
});

describe("an undo that did not finish", () => {
  it("is set aside after a question, and the undo is shown again as ConnectWise has the agreement now", async () => {
    const user = userEvent.setup();
    api.undoSync.mockResolvedValueOnce(undoSyncView({ state: "failed", open: true, message: "ConnectWise did not accept write 2." }));
    api.discardSync.mockResolvedValueOnce(viewWithHistory([undoneSync()], "synced"));
    const { onSynced } = renderWizard({ undo: { kind: "sync", syncId: 11 } });
    await screen.findByTestId("undo-of");
    await user.click(screen.getByTestId("undo-sync"));
    await waitFor(() => expect(screen.getByTestId("undo-result")).toHaveAttribute("data-state", "failed"));
    expect(screen.getByTestId("sync-discard")).toHaveTextContent("Set aside and look again");
    await user.click(screen.getByTestId("sync-discard"));
    await user.click(screen.getByTestId("sync-discard-yes"));
    expect(api.discardSync).toHaveBeenCalledWith(1);
    expect(await screen.findByTestId("undo-panel")).toBeInTheDocument();
    await waitFor(() => expect(api.openUndo).toHaveBeenCalledTimes(2));
    expect(screen.queryByTestId("undo-result")).not.toBeInTheDocument();
    expect(onSynced).toHaveBeenCalled();
  });
});

describe("undo in the app", () => {
  let tasks: FakeTasks;

  beforeEach(() => {
    tasks = new FakeTasks(50);
    api.appStatus.mockResolvedValue(makeStatus({ taskCount: tasks.rows.length }));
    api.checkConnectivity.mockResolvedValue({ state: "online" });
    api.listTasks.mockImplementation((query, offset, limit) => Promise.resolve(tasks.list(query, offset, limit)));
    const log = new FakeActivity(30);
    api.listActivity.mockImplementation((query, offset, limit) => Promise.resolve(log.page(query, offset, limit)));
  });

  it("after an undo from Activity, reads the task list and the activity log again", async () => {
    const user = userEvent.setup();
    api.undoSync.mockResolvedValueOnce(undoSyncView());
    render(<App />);
    await screen.findByText("Green Lane LLC");
    await user.click(screen.getByTestId("view-activity"));
    const first = (await screen.findAllByTestId("activity-row"))[0];
    if (first === undefined) throw new Error("no row");
    await user.click(within(first).getByTestId("activity-undo"));
    await screen.findByTestId("undo-of");
    const listReads = api.listTasks.mock.calls.length;
    const logReads = api.listActivity.mock.calls.length;
    // The task is Pending again once undone.
    tasks.rows = tasks.rows.map((row) => (row.id === 1 ? { ...row, status: "pending" } : row));
    await user.click(screen.getByTestId("undo-sync"));
    await waitFor(() => expect(screen.getByTestId("undo-result")).toHaveAttribute("data-state", "synced"));
    await waitFor(() => expect(api.listTasks.mock.calls.length).toBeGreaterThan(listReads));
    await waitFor(() => expect(api.listActivity.mock.calls.length).toBeGreaterThan(logReads));
    await user.click(screen.getByTestId("sync-close"));
    expect(screen.getByTestId("activity-screen")).toBeInTheDocument();
  });
});

describe("undoing a batch", () => {
  let tasks: FakeTasks;
  let batch: FakeBatch;

  beforeEach(() => {
    tasks = new FakeTasks(50);
    batch = new FakeBatch();
    api.appStatus.mockResolvedValue(makeStatus({ taskCount: tasks.rows.length }));
    api.checkConnectivity.mockResolvedValue({ state: "online" });
    api.listTasks.mockImplementation((query, offset, limit) => Promise.resolve(tasks.list(query, offset, limit)));
    api.openBatch.mockImplementation((selection) => Promise.resolve(batch.open(selection, tasks)));
    api.batchBoard.mockImplementation(() => Promise.resolve(batch.board()));
    api.syncBatch.mockImplementation(() => {
      for (const id of [1, 2, 6]) batch.setState(id, "synced");
      return Promise.resolve(batch.result());
    });
    api.openBatchUndo.mockResolvedValue(undoBoardView());
  });

  /** The board of tasks 1, 2, 5, 6 synced: 1, 2 and 6 synced, 5 needs attention. */
  async function syncedBoard(user: User): Promise<void> {
    render(<App />);
    await screen.findByText("Green Lane LLC");
    for (const id of [1, 2, 5, 6]) await user.click(screen.getByTestId(`task-check-${id}`));
    await user.click(screen.getByTestId("review-selection"));
    await screen.findByTestId("batch-screen");
    await user.click(screen.getByTestId("sync-batch"));
    await user.click(screen.getByTestId("batch-confirm-sync"));
    await screen.findByTestId("batch-result");
  }

  function item(syncId: number): HTMLElement {
    const found = screen.getAllByTestId("undo-board-item").find((li) => li.dataset.syncId === String(syncId));
    if (found === undefined) throw new Error(`no undo of sync ${syncId}`);
    return found;
  }

  it("shows every undo of the batch on one board, runs those ticked and says how each went", async () => {
    const user = userEvent.setup();
    await syncedBoard(user);
    await user.click(within(screen.getByTestId("batch-result")).getByTestId("batch-undo"));
    const board = await screen.findByTestId("undo-board");
    expect(api.openBatchUndo).toHaveBeenCalledWith(12);
    await within(board).findAllByTestId("undo-board-item");

    const green = item(21);
    expect(green).toHaveTextContent("Green Lane LLC — order 1000231");
    expect(green).toHaveTextContent("Green Lane LLC — Microsoft 365");
    expect(within(green).getByTestId("undo-board-rows")).toHaveTextContent("Remove 1 · End 1 · Credit 1 · Put back 1 · Conflict 1");
    expect(within(green).getByTestId("undo-board-writes")).toHaveTextContent("3 writes");
    expect(within(green).getByTestId("undo-board-check")).toBeChecked();
    expect(within(item(22)).getByTestId("undo-board-writes")).toHaveTextContent("1 write");
    expect(within(item(22)).getByTestId("undo-board-check")).toBeChecked();
    // Nothing left to write: not ticked, and can't be.
    const nothing = item(23);
    expect(within(nothing).getByTestId("undo-board-check")).not.toBeChecked();
    expect(within(nothing).getByTestId("undo-board-check")).toBeDisabled();
    expect(within(nothing).getByTestId("undo-nothing")).toHaveTextContent("every addition the sync wrote is gone already");
    expect(within(board).getByTestId("undo-board-skipped")).toHaveTextContent("Customer 00004 — order SO100004: not synced in this batch.");

    const run = within(board).getByTestId("undo-board-run");
    expect(run).toHaveTextContent("Undo 2 syncs");
    await user.click(within(item(22)).getByTestId("undo-board-check"));
    expect(run).toHaveTextContent("Undo 1 sync");
    await user.click(within(item(22)).getByTestId("undo-board-check"));
    expect(run).toHaveTextContent("Undo 2 syncs");

    const end = deferred<UndoBoardResult>();
    let report: (view: SyncView) => void = () => {};
    api.undoBatch.mockImplementationOnce((_batchId, _syncIds, onProgress) => {
      report = (view) => act(() => onProgress(view));
      return end.promise;
    });
    await user.click(run);
    expect(api.undoBatch).toHaveBeenCalledWith(12, [21, 22], expect.any(Function));
    expect(screen.getByTestId("undo-board-back")).toBeDisabled();
    report(syncView({ id: 31, undoes: 21, taskLabel: "Green Lane LLC — order 1000231", state: "running", activity: "Writing 1 of 3: remove addition" }));
    expect(screen.getByTestId("undo-board-progress")).toHaveTextContent("Undoing 1 of 2: Green Lane LLC — order 1000231 · Writing 1 of 3: remove addition");
    expect(within(item(21)).getByTestId("undo-board-item-state")).toHaveTextContent("Undoing");

    end.resolve({
      syncs: [
        undoSyncView({ id: 31, undoes: 21 }),
        undoSyncView({ id: 32, undoes: 22, taskLabel: "Customer 00005 — order SO100005", state: "failed", open: true, message: "ConnectWise did not accept write 1." }),
      ],
      message: "1 sync undone, 1 failed (Retry finishes them).",
    });
    const result = await screen.findByTestId("undo-board-result");
    expect(within(result).getByTestId("undo-board-message")).toHaveTextContent("1 sync undone, 1 failed (Retry finishes them).");
    expect(within(result).getAllByTestId("undo-board-result-sync").map((li) => li.dataset.state)).toEqual(["synced", "failed"]);
    expect(result).toHaveTextContent("Did not finish Customer 00005 — order SO100005");
    expect(within(item(21)).getByTestId("undo-board-item-state")).toHaveTextContent("Undone");
    expect(within(item(22)).getByTestId("undo-board-item-message")).toHaveTextContent("ConnectWise did not accept write 1.");
    // The task list is read again: the undone tasks are Pending again.
    await waitFor(() => expect(api.listTasks.mock.calls.length).toBeGreaterThan(1));

    const replans = api.batchBoard.mock.calls.length;
    await user.click(screen.getByTestId("undo-board-back"));
    expect(await screen.findByTestId("batch-screen")).toBeInTheDocument();
    await waitFor(() => expect(api.batchBoard.mock.calls.length).toBeGreaterThan(replans));
    // The batch's sync result no longer holds once undone.
    expect(screen.queryByTestId("batch-result")).not.toBeInTheDocument();
  });

  it("says why the undos could not be read or run", async () => {
    const user = userEvent.setup();
    api.openBatchUndo.mockRejectedValueOnce({ code: "unreachable", message: "Can't reach ConnectWise: timed out", field: null });
    await syncedBoard(user);
    await user.click(screen.getByTestId("batch-undo"));
    const error = await screen.findByTestId("undo-board-error");
    expect(error).toHaveTextContent("Couldn't prepare the undos");
    await user.click(within(error).getByRole("button", { name: "Try again" }));
    await screen.findAllByTestId("undo-board-item");

    api.undoBatch.mockRejectedValueOnce({ code: "invalid", message: "Sync 99 is not one of this batch's syncs left to undo.", field: "batch" });
    await user.click(screen.getByTestId("undo-board-run"));
    expect(await screen.findByTestId("undo-board-run-error")).toHaveTextContent("Sync 99 is not one of this batch's syncs left to undo.");
    expect(screen.getByTestId("undo-board-run")).toBeEnabled();
  });

  function boardRow(taskId: number): HTMLElement {
    const found = screen.getAllByTestId("board-row").find((r) => r.dataset.taskId === String(taskId));
    if (found === undefined) throw new Error(`no board row of task ${taskId}`);
    return found;
  }

  it("offers the undo of each synced task, in its wizard", async () => {
    const user = userEvent.setup();
    await syncedBoard(user);
    const row = boardRow(1);
    // Only the synced rows offer it.
    expect(within(boardRow(5)).queryByTestId("batch-row-undo")).not.toBeInTheDocument();
    // The row names its sync in the batch (101): that one is undone, not the task's newest.
    api.openWizard.mockResolvedValue(viewWithHistory([undoneSync({ id: 21 }), syncedSync({ id: 101 })], "synced"));
    api.openUndo.mockImplementation((syncId) => Promise.resolve(undoView({ sync: syncedSync({ id: syncId }) })));
    await user.click(within(row).getByTestId("batch-row-undo"));
    const wizard = await screen.findByTestId("wizard");
    expect(await within(wizard).findByTestId("undo-panel")).toHaveAttribute("data-sync-id", "101");
    expect(api.openUndo).toHaveBeenCalledWith(101);
    expect(api.openUndo).not.toHaveBeenCalledWith(21);
    expect(within(wizard).getByTestId("wizard-close")).toHaveTextContent("Back to the board");
    // Back to the task's syncs.
    await within(wizard).findByTestId("undo-of");
    await user.click(within(wizard).getByTestId("undo-back"));
    expect(await within(wizard).findByTestId("sync-history")).toBeInTheDocument();
  });
});
