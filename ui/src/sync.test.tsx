import { act, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { SyncView } from "./bindings/SyncView";
import { App } from "./App";
import { ReviewWizard } from "./components/wizard/ReviewWizard";
import * as ipc from "./ipc";
import { FakeTasks, deferred, makeStatus } from "./test/fixtures";
import { failedSync, syncView, syncedSync, viewWithHistory, write } from "./test/sync";
import { ADD_M365, greenLaneTask, planStep, plannedView, withRow } from "./test/wizard";
import { TEST_NOW } from "./test/now";

// Hoisted above the imports: the helper is imported inside the factory.
vi.mock("./ipc", async (importOriginal) => (await import("./test/mockIpc")).mockIpc(importOriginal));

const api = vi.mocked(ipc);

/** `syncTask` answers with a promise the test settles, and hands over its progress callback. */
function controlledSync() {
  const run = deferred<SyncView>();
  const control = { report: (_view: SyncView) => {}, resolve: run.resolve, reject: run.reject };
  api.syncTask.mockImplementationOnce((_taskId, onProgress) => {
    control.report = onProgress;
    return run.promise;
  });
  return control;
}

function renderWizard({ offline = false } = {}) {
  const onClose = vi.fn();
  const onSynced = vi.fn();
  render(<ReviewWizard task={greenLaneTask()} now={new Date(TEST_NOW)} offline={offline} onClose={onClose} onSynced={onSynced} />);
  return { onClose, onSynced };
}

async function toSummary(user: ReturnType<typeof userEvent.setup>) {
  await screen.findByTestId("step-changes");
  await user.click(screen.getByTestId("wizard-step-summary"));
  return screen.getByTestId("step-summary");
}

function writeRow(seq: number): HTMLElement {
  const found = screen.getAllByTestId("sync-write").find((element) => element.dataset.seq === String(seq));
  if (found === undefined) throw new Error(`no write ${seq}`);
  return found;
}

beforeEach(() => {
  vi.resetAllMocks();
  api.openWizard.mockResolvedValue(plannedView());
  api.editWizard.mockResolvedValue(plannedView());
  api.searchCompanies.mockResolvedValue([]);
  api.searchCatalog.mockResolvedValue([]);
});

describe("the Sync button", () => {
  it("is enabled when the plan is ready and the app is online", async () => {
    const user = userEvent.setup();
    renderWizard();
    const summary = await toSummary(user);
    expect(within(summary).getByTestId("sync-readiness")).toHaveAttribute("data-ready", "true");
    expect(within(summary).getByTestId("sync-button")).toBeEnabled();
    expect(within(summary).queryByTestId("sync-offline")).not.toBeInTheDocument();
  });

  it("is disabled while a problem blocks Sync", async () => {
    const user = userEvent.setup();
    api.openWizard.mockResolvedValue(
      withRow(plannedView(), ADD_M365, { quantity: "-3" }, { problems: [{ rowKey: ADD_M365, field: "quantity", message: "Quantity can't be negative." }] }),
    );
    renderWizard();
    const summary = await toSummary(user);
    expect(within(summary).getByTestId("sync-readiness")).toHaveAttribute("data-ready", "false");
    expect(within(summary).getByTestId("sync-button")).toBeDisabled();
  });

  it("is disabled when no change is selected", async () => {
    const user = userEvent.setup();
    api.openWizard.mockResolvedValue(withRow(plannedView(), ADD_M365, {}, { summary: { writes: [] } }));
    renderWizard();
    const summary = await toSummary(user);
    expect(within(summary).getByTestId("sync-button")).toBeDisabled();
  });

  it("is disabled offline, says Sync needs a connection, and leaves the draft as it is", async () => {
    const user = userEvent.setup();
    renderWizard({ offline: true });
    const summary = await toSummary(user);
    expect(within(summary).getByTestId("sync-readiness")).toHaveAttribute("data-ready", "true");
    const button = within(summary).getByTestId("sync-button");
    expect(button).toBeDisabled();
    expect(within(summary).getByTestId("sync-offline")).toHaveTextContent("Sync needs a connection to ConnectWise.");
    await user.click(button);
    expect(api.syncTask).not.toHaveBeenCalled();
    expect(api.editWizard).not.toHaveBeenCalled();
    expect(screen.getByTestId("step-summary")).toBeInTheDocument();
  });

  it("shows why Sync could not start, and stays on the summary", async () => {
    const user = userEvent.setup();
    api.syncTask.mockRejectedValueOnce(
      new ipc.IpcError({ code: "unreachable", message: "Can't reach ConnectWise at https://cw.example: timed out", field: null }),
    );
    renderWizard();
    const summary = await toSummary(user);
    await user.click(within(summary).getByTestId("sync-button"));
    const error = await screen.findByTestId("sync-error");
    expect(error).toHaveTextContent("Can't reach ConnectWise at https://cw.example: timed out");
    expect(error).toHaveAttribute("data-code", "unreachable");
    expect(screen.getByTestId("step-summary")).toBeInTheDocument();
    expect(screen.queryByTestId("sync-result")).not.toBeInTheDocument();
  });
});

describe("a running sync", () => {
  it("shows each snapshot from the channel, can't be left, and ends on the result with the addition ids", async () => {
    const user = userEvent.setup();
    const run = controlledSync();
    const { onClose, onSynced } = renderWizard();
    const summary = await toSummary(user);
    await user.click(within(summary).getByTestId("sync-button"));

    expect(api.syncTask).toHaveBeenCalledWith(1, expect.any(Function));
    const result = screen.getByTestId("sync-result");
    expect(result).toHaveAttribute("data-state", "running");
    expect(screen.getByTestId("sync-title")).toHaveTextContent("Syncing…");
    // The steps give way to the sync.
    expect(screen.queryByTestId("step-summary")).not.toBeInTheDocument();
    expect(screen.queryByTestId("wizard-step-summary")).not.toBeInTheDocument();

    act(() =>
      run.report(
        syncView({
          activity: "Writing 2 of 3: create addition",
          writes: [write(1, "confirmed"), write(2, "sending"), write(3, "pending")],
        }),
      ),
    );
    expect(screen.getByTestId("sync-activity")).toHaveTextContent("Writing 2 of 3: create addition");
    expect(screen.getByTestId("sync-activity")).toHaveTextContent("1 of 3 writes confirmed");
    expect(within(writeRow(1)).getByTestId("sync-write-state")).toHaveTextContent("Written");
    expect(writeRow(1)).toHaveAttribute("data-addition-id", "30211");
    expect(writeRow(2)).toHaveAttribute("data-state", "sending");
    expect(within(writeRow(2)).getByTestId("sync-write-state")).toHaveTextContent("Sending…");
    expect(writeRow(2)).not.toHaveAttribute("data-addition-id");
    expect(within(writeRow(3)).getByTestId("sync-write-state")).toHaveTextContent("Not written yet");

    act(() =>
      run.report(
        syncView({
          activity: "Checking in ConnectWise whether write 2 of 3 happened",
          writes: [write(1, "confirmed"), write(2, "unknown", { message: "The answer was lost (timed out); checking whether it happened." }), write(3, "pending")],
        }),
      ),
    );
    expect(screen.getByTestId("sync-activity")).toHaveTextContent("Checking in ConnectWise whether write 2 of 3 happened");
    expect(within(writeRow(2)).getByTestId("sync-write-state")).toHaveTextContent("Answer lost — checking");
    expect(within(writeRow(2)).getByTestId("sync-write-message")).toHaveTextContent("The answer was lost");

    // A sync is not left by accident.
    await user.keyboard("{Escape}");
    expect(onClose).not.toHaveBeenCalled();
    expect(screen.getByTestId("wizard-close")).toBeDisabled();
    expect(screen.getByTestId("sync-result")).toBeInTheDocument();

    api.openWizard.mockResolvedValue(viewWithHistory([syncedSync()], "synced"));
    await act(async () => run.resolve(syncedSync()));

    expect(screen.getByTestId("sync-result")).toHaveAttribute("data-state", "synced");
    expect(screen.getByTestId("sync-title")).toHaveTextContent("Synced");
    expect(screen.getByTestId("sync-message")).toHaveTextContent("3 writes confirmed in ConnectWise.");
    expect(screen.queryByTestId("sync-activity")).not.toBeInTheDocument();
    expect(screen.getAllByTestId("sync-write").map((w) => w.dataset.state)).toEqual(["confirmed", "confirmed", "confirmed"]);
    expect(screen.getAllByTestId("sync-write").map((w) => w.dataset.additionId)).toEqual(["30211", "40002", "40003"]);
    expect(within(writeRow(2)).getByTestId("sync-write-addition")).toHaveTextContent("Addition #40002");
    // A cancel date bills nothing: no amount beside it.
    expect(within(writeRow(1)).getByTestId("sync-write-amount")).toHaveTextContent(/^—$/);
    expect(within(writeRow(2)).getByTestId("sync-write-amount")).toHaveTextContent("550.00 USD");
    expect(within(writeRow(3)).getByTestId("sync-write-amount")).toHaveTextContent("-4.00 USD");
    expect(writeRow(3)).toHaveTextContent("EXO-P1 −2 × 2.0000");
    expect(screen.queryByTestId("sync-retry")).not.toBeInTheDocument();

    // The list and the status read the task again; the wizard re-reads its history.
    expect(onSynced).toHaveBeenCalled();
    await waitFor(() => expect(api.openWizard).toHaveBeenCalledTimes(2));

    const close = screen.getByTestId("sync-close");
    await waitFor(() => expect(close).toHaveFocus());
    expect(screen.getByTestId("wizard-close")).toBeEnabled();
    await user.click(close);
    expect(onClose).toHaveBeenCalledTimes(1);
  });

  it("drops a snapshot that arrives after the answer", async () => {
    const user = userEvent.setup();
    const run = controlledSync();
    renderWizard();
    await user.click(within(await toSummary(user)).getByTestId("sync-button"));
    await act(async () => run.resolve(syncedSync()));
    act(() => run.report(syncView({ activity: "Writing 3 of 3: create addition" })));
    expect(screen.getByTestId("sync-result")).toHaveAttribute("data-state", "synced");
    expect(screen.queryByTestId("sync-activity")).not.toBeInTheDocument();
  });
});

describe("a task already in ConnectWise", () => {
  const ALREADY = "Already in ConnectWise (written before, from this desk or another): not sent again.";
  const already = syncedSync({
    state: "alreadyInConnectWise",
    message:
      "Already in ConnectWise: every write of this task is there (additions 30211, 40002, 40003), written from this desk before or from another. Nothing was sent; the task is closed as synced.",
    finishedAt: "2026-11-16T12:00:01Z",
    writes: [1, 2, 3].map((seq) => write(seq, "confirmed", { message: ALREADY })),
  });

  it("Close as synced sends nothing and ends, as a success, on the additions that hold the writes", async () => {
    const user = userEvent.setup();
    const planned = plannedView();
    const { writes } = planStep().summary;
    api.openWizard.mockResolvedValue(withRow(planned, ADD_M365, {}, { summary: { writes: [], written: writes, already: "Every write is there.", ready: true } }));
    api.syncTask.mockResolvedValueOnce(already);
    const { onSynced } = renderWizard();
    const summary = await toSummary(user);
    api.openWizard.mockResolvedValue(viewWithHistory([already], "synced"));
    await user.click(within(summary).getByRole("button", { name: "Close as synced" }));
    expect(api.syncTask).toHaveBeenCalledWith(1, expect.any(Function));

    const result = await screen.findByTestId("sync-result");
    expect(result).toHaveAttribute("data-state", "alreadyInConnectWise");
    expect(result).toHaveClass("sync-result-success");
    expect(screen.getByTestId("sync-title")).toHaveTextContent("Already in ConnectWise");
    expect(screen.getByTestId("sync-message")).toHaveTextContent("Nothing was sent; the task is closed as synced.");
    expect(result).toHaveTextContent("3 writes already in ConnectWise — nothing was sent");
    expect(screen.getAllByTestId("sync-write").map((w) => w.dataset.additionId)).toEqual(["30211", "40002", "40003"]);
    expect(within(writeRow(2)).getByTestId("sync-write-addition")).toHaveTextContent("Addition #40002");
    expect(within(writeRow(2)).getByTestId("sync-write-message")).toHaveTextContent(ALREADY);
    // Done: nothing to retry, back to the tasks.
    expect(screen.queryByTestId("sync-retry")).not.toBeInTheDocument();
    expect(screen.getByTestId("sync-close")).toBeInTheDocument();
    expect(onSynced).toHaveBeenCalled();

    // In the history, under its own label.
    await user.click(await screen.findByTestId("sync-show-history"));
    const [entry] = within(screen.getByTestId("sync-history")).getAllByTestId("sync-history-entry");
    expect(entry).toHaveAttribute("data-state", "alreadyInConnectWise");
    expect(within(entry as HTMLElement).getByTestId("sync-history-state")).toHaveTextContent("Already in ConnectWise");
  });
});

describe("a sync that stopped because the agreement changed", () => {
  it("lists what changed, then Refresh reads the agreement again and returns to the changes", async () => {
    const user = userEvent.setup();
    const changed = syncView({
      state: "changed",
      message: "Nothing was written: the agreement changed in ConnectWise since it was reviewed. Refresh and review the changes again.",
      changes: ["Addition 30211 (Microsoft 365 Business Premium): quantity 20 → 22", "Addition 30250 (Teams Phone) was added"],
      finishedAt: "2026-11-16T12:00:02Z",
      writes: [],
    });
    api.syncTask.mockResolvedValueOnce(changed);
    api.refreshAgreement.mockResolvedValueOnce(viewWithHistory([changed]));
    renderWizard();
    await user.click(within(await toSummary(user)).getByTestId("sync-button"));

    const result = await screen.findByTestId("sync-result");
    expect(result).toHaveAttribute("data-state", "changed");
    expect(screen.getByTestId("sync-title")).toHaveTextContent("Sync stopped: the agreement changed");
    expect(screen.getAllByTestId("sync-change").map((c) => c.textContent)).toEqual([
      "Addition 30211 (Microsoft 365 Business Premium): quantity 20 → 22",
      "Addition 30250 (Teams Phone) was added",
    ]);
    expect(screen.queryByTestId("sync-write")).not.toBeInTheDocument();
    expect(screen.queryByTestId("sync-retry")).not.toBeInTheDocument();

    await user.click(screen.getByTestId("sync-refresh"));
    expect(api.refreshAgreement).toHaveBeenCalledWith(1);
    expect(await screen.findByTestId("step-changes")).toBeInTheDocument();
    expect(screen.queryByTestId("sync-result")).not.toBeInTheDocument();
    expect(screen.getByTestId("wizard-step-changes")).toHaveAttribute("aria-current", "step");
    expect(screen.getByTestId("wizard-notice")).toHaveTextContent("read again from ConnectWise");
    // The refreshed review can be synced again from its summary.
    await user.click(screen.getByTestId("wizard-step-summary"));
    expect(screen.getByTestId("sync-button")).toBeEnabled();
    expect(within(screen.getByTestId("earlier-syncs")).getByTestId("sync-history-entry")).toHaveAttribute("data-state", "changed");
  });

  it("keeps the result and says why when the agreement can't be read again", async () => {
    const user = userEvent.setup();
    api.openWizard.mockResolvedValue(viewWithHistory([]));
    api.syncTask.mockResolvedValueOnce(syncView({ state: "changed", changes: ["Addition 30211 was cancelled"], writes: [] }));
    api.refreshAgreement.mockRejectedValueOnce(new ipc.IpcError({ code: "unreachable", message: "Can't reach ConnectWise", field: null }));
    renderWizard();
    await user.click(within(await toSummary(user)).getByTestId("sync-button"));
    await user.click(await screen.findByTestId("sync-refresh"));
    expect(await screen.findByTestId("sync-error")).toHaveTextContent("Can't reach ConnectWise");
    expect(screen.getByTestId("sync-result")).toHaveAttribute("data-state", "changed");
    expect(screen.getByTestId("sync-refresh")).toBeEnabled();
  });
});

describe("a sync that did not finish", () => {
  it("opens on the task's failed sync, and Retry runs sync_task again", async () => {
    const user = userEvent.setup();
    api.openWizard.mockResolvedValue(viewWithHistory([failedSync()], "failed"));
    const run = controlledSync();
    renderWizard();

    const result = await screen.findByTestId("sync-result");
    expect(result).toHaveAttribute("data-state", "failed");
    expect(screen.getByTestId("sync-title")).toHaveTextContent("Sync did not finish");
    expect(screen.getByTestId("sync-message")).toHaveTextContent("ConnectWise did not accept write 2");
    expect(screen.getAllByTestId("sync-write").map((w) => w.dataset.state)).toEqual(["confirmed", "failed", "pending"]);
    expect(within(writeRow(2)).getByTestId("sync-write-state")).toHaveTextContent("Failed");
    expect(within(writeRow(2)).getByTestId("sync-write-message")).toHaveTextContent("400 Bad Request");
    expect(api.syncTask).not.toHaveBeenCalled();

    await user.click(screen.getByTestId("sync-retry"));
    expect(api.syncTask).toHaveBeenCalledTimes(1);
    expect(api.syncTask).toHaveBeenCalledWith(1, expect.any(Function));
    // What is known stays on screen until the first snapshot.
    expect(screen.getByTestId("sync-title")).toHaveTextContent("Syncing…");
    expect(screen.getAllByTestId("sync-write")).toHaveLength(3);
    expect(screen.getByTestId("sync-result")).toHaveAttribute("data-state", "running");
    expect(screen.queryByTestId("sync-retry")).not.toBeInTheDocument();

    await act(async () => run.resolve(syncedSync()));
    expect(screen.getByTestId("sync-result")).toHaveAttribute("data-state", "synced");
    expect(screen.getByTestId("sync-close")).toBeInTheDocument();
  });

  it("shows an interrupted sync's sent writes as not confirmed, and keeps it when Retry is refused", async () => {
    const user = userEvent.setup();
    const interrupted = syncView({
      state: "interrupted",
      finishedAt: "2026-11-16T12:00:03Z",
      writes: [write(1, "confirmed"), write(2, "sending"), write(3, "pending")],
    });
    api.openWizard.mockResolvedValue(viewWithHistory([interrupted]));
    api.syncTask.mockRejectedValueOnce(new ipc.IpcError({ code: "unreachable", message: "Can't reach ConnectWise", field: null }));
    renderWizard();

    await screen.findByTestId("sync-result");
    expect(screen.getByTestId("sync-result")).toHaveAttribute("data-state", "interrupted");
    expect(within(writeRow(2)).getByTestId("sync-write-state")).toHaveTextContent("Sent, not confirmed — Retry checks it");

    await user.click(screen.getByTestId("sync-retry"));
    expect(await screen.findByTestId("sync-error")).toHaveTextContent("Can't reach ConnectWise");
    expect(screen.getByTestId("sync-result")).toHaveAttribute("data-state", "interrupted");
    expect(screen.getByTestId("sync-retry")).toBeEnabled();
  });

  it("disables Retry offline", async () => {
    api.openWizard.mockResolvedValue(viewWithHistory([failedSync()], "failed"));
    renderWizard({ offline: true });
    await screen.findByTestId("sync-result");
    expect(screen.getByTestId("sync-retry")).toBeDisabled();
    expect(screen.getByTestId("sync-offline")).toHaveTextContent("Sync needs a connection to ConnectWise.");
  });

  it("asks before setting the sync aside, then returns to the review", async () => {
    const user = userEvent.setup();
    api.openWizard.mockResolvedValue(viewWithHistory([failedSync()], "failed"));
    api.discardSync.mockResolvedValueOnce(viewWithHistory([{ ...failedSync(), state: "discarded", open: false }]));
    const { onSynced, onClose } = renderWizard();
    await screen.findByTestId("sync-result");

    await user.click(screen.getByTestId("sync-discard"));
    const confirm = screen.getByTestId("sync-discard-confirm");
    expect(confirm).toHaveTextContent("1 write is already in ConnectWise and stays there.");
    expect(confirm).toHaveTextContent("The 2 writes not confirmed will not be sent.");
    expect(api.discardSync).not.toHaveBeenCalled();
    expect(screen.getByTestId("sync-discard-yes")).toHaveFocus();

    // Escape and Keep it take the question back, and the wizard stays open.
    await user.keyboard("{Escape}");
    expect(screen.queryByTestId("sync-discard-confirm")).not.toBeInTheDocument();
    expect(onClose).not.toHaveBeenCalled();
    expect(screen.getByTestId("sync-discard")).toHaveFocus();
    await user.click(screen.getByTestId("sync-discard"));
    await user.click(screen.getByTestId("sync-discard-no"));
    expect(screen.queryByTestId("sync-discard-confirm")).not.toBeInTheDocument();
    expect(api.discardSync).not.toHaveBeenCalled();

    await user.click(screen.getByTestId("sync-discard"));
    await user.click(screen.getByTestId("sync-discard-yes"));
    expect(api.discardSync).toHaveBeenCalledWith(1);
    expect(await screen.findByTestId("step-changes")).toBeInTheDocument();
    expect(screen.queryByTestId("sync-result")).not.toBeInTheDocument();
    expect(screen.getByTestId("wizard-notice")).toHaveTextContent("set aside");
    expect(onSynced).toHaveBeenCalled();
  });
});

describe("the history of a synced task", () => {
  const nothing = syncView({
    id: 12,
    state: "nothingToWrite",
    message: "Nothing new to write: all 3 writes of the sync of 2026-11-16T12:00:09Z are in ConnectWise.",
    startedAt: "2026-11-17T08:30:00Z",
    finishedAt: "2026-11-17T08:30:01Z",
    writes: [],
  });

  it("opens on the history, newest first, and Sync again shows that nothing new was written", async () => {
    const user = userEvent.setup();
    api.openWizard.mockResolvedValue(viewWithHistory([syncedSync()], "synced"));
    api.syncTask.mockResolvedValueOnce(nothing);
    renderWizard();

    const history = await screen.findByTestId("sync-history");
    expect(screen.queryByTestId("wizard-step-summary")).not.toBeInTheDocument();
    const [entry] = within(history).getAllByTestId("sync-history-entry");
    if (entry === undefined) throw new Error("no entry");
    expect(entry).toHaveAttribute("data-state", "synced");
    expect(within(entry).getByTestId("sync-history-state")).toHaveTextContent("Synced");
    expect(entry).toHaveTextContent("Green Lane — Microsoft 365");
    expect(entry).toHaveTextContent("Profile Demo");
    expect(within(entry).getByTestId("sync-history-when")).toHaveTextContent(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2} – /);
    expect(within(entry).getByTestId("sync-history-message")).toHaveTextContent("3 writes confirmed in ConnectWise.");
    expect(within(entry).getAllByTestId("sync-write").map((w) => w.dataset.additionId)).toEqual(["30211", "40002", "40003"]);
    expect(within(entry).getAllByTestId("sync-write-state").map((s) => s.textContent)).toEqual(["Written", "Written", "Written"]);

    await user.click(screen.getByTestId("sync-again"));
    expect(api.syncTask).toHaveBeenCalledWith(1, expect.any(Function));
    const result = await screen.findByTestId("sync-result");
    expect(result).toHaveAttribute("data-state", "nothingToWrite");
    expect(screen.getByTestId("sync-title")).toHaveTextContent("Nothing new to write");
    expect(screen.getByTestId("sync-message")).toHaveTextContent("all 3 writes of the sync");
    expect(screen.getByTestId("sync-close")).toBeInTheDocument();
  });

  it("lists every sync, newest first, after Sync again", async () => {
    const user = userEvent.setup();
    api.openWizard.mockResolvedValueOnce(viewWithHistory([syncedSync()], "synced"));
    api.openWizard.mockResolvedValue(viewWithHistory([nothing, syncedSync()], "synced"));
    api.syncTask.mockResolvedValueOnce(nothing);
    renderWizard();
    await user.click(await screen.findByTestId("sync-again"));
    await screen.findByTestId("sync-result");
    await waitFor(() => expect(api.openWizard).toHaveBeenCalledTimes(2));
    await user.click(screen.getByTestId("sync-show-history"));
    const entries = within(screen.getByTestId("sync-history")).getAllByTestId("sync-history-entry");
    expect(entries.map((e) => e.dataset.state)).toEqual(["nothingToWrite", "synced"]);
  });

  it("can't sync again offline", async () => {
    api.openWizard.mockResolvedValue(viewWithHistory([syncedSync()], "synced"));
    renderWizard({ offline: true });
    await screen.findByTestId("sync-history");
    expect(screen.getByTestId("sync-again")).toBeDisabled();
    expect(screen.getByTestId("sync-offline")).toHaveTextContent("Sync needs a connection to ConnectWise.");
  });

  it("shows a pending task's earlier syncs under its summary, and opens on the review", async () => {
    const user = userEvent.setup();
    const discarded = { ...failedSync(), state: "discarded" as const, open: false, message: "Set aside to review again." };
    api.openWizard.mockResolvedValue(viewWithHistory([discarded]));
    renderWizard();
    expect(await screen.findByTestId("step-changes")).toBeInTheDocument();
    expect(screen.queryByTestId("sync-result")).not.toBeInTheDocument();
    expect(screen.queryByTestId("sync-history")).not.toBeInTheDocument();
    await user.click(screen.getByTestId("wizard-step-summary"));
    const earlier = screen.getByTestId("earlier-syncs");
    expect(earlier).toHaveTextContent("Earlier syncs (1)");
    expect(within(earlier).getByTestId("sync-history-entry")).toHaveAttribute("data-state", "discarded");
    expect(within(earlier).getByTestId("sync-history-state")).toHaveTextContent("Set aside");
  });
});

describe("in the app", () => {
  let tasks: FakeTasks;

  beforeEach(() => {
    tasks = new FakeTasks(20);
    api.checkConnectivity.mockResolvedValue({ state: "online" });
    api.listTasks.mockImplementation((query, offset, limit) => Promise.resolve(tasks.list(query, offset, limit)));
  });

  it("says which sync was interrupted, and Finish finishes it and shows how it went", async () => {
    const user = userEvent.setup();
    const interrupted = syncView({
      state: "interrupted",
      finishedAt: "2026-11-16T12:00:03Z",
      writes: [write(1, "confirmed"), write(2, "sending"), write(3, "pending")],
    });
    api.appStatus.mockResolvedValue(makeStatus({ unfinishedSyncs: [interrupted] }));
    api.openWizard.mockResolvedValue(viewWithHistory([interrupted]));
    const run = controlledSync();
    render(<App />);

    const banner = await screen.findByTestId("unfinished-syncs");
    expect(banner).toHaveTextContent(
      "A sync was interrupted when the app stopped: Green Lane LLC — order 1000231 (1 of 3 writes confirmed).",
    );
    await user.click(within(banner).getByTestId("unfinished-finish"));

    expect(api.openWizard).toHaveBeenCalledWith(1);
    await waitFor(() => expect(api.syncTask).toHaveBeenCalledWith(1, expect.any(Function)));
    expect(await screen.findByTestId("sync-result")).toHaveAttribute("data-state", "running");

    // Finished: the task is synced in the list, and nothing is left unfinished.
    const row = tasks.rows[0];
    if (row === undefined) throw new Error("no row");
    row.status = "synced";
    api.appStatus.mockResolvedValue(makeStatus({ unfinishedSyncs: [] }));
    api.openWizard.mockResolvedValue(viewWithHistory([syncedSync()], "synced"));
    const reads = api.listTasks.mock.calls.length;
    await act(async () => run.resolve(syncedSync()));
    expect(screen.getByTestId("sync-result")).toHaveAttribute("data-state", "synced");
    await waitFor(() => expect(api.listTasks.mock.calls.length).toBeGreaterThan(reads));

    await user.click(screen.getByTestId("sync-close"));
    expect(screen.queryByTestId("wizard")).not.toBeInTheDocument();
    await waitFor(() => expect(screen.queryByTestId("unfinished-syncs")).not.toBeInTheDocument());
    const first = screen.getAllByTestId("task-row")[0];
    await waitFor(() => expect(first).toHaveAttribute("data-status", "synced"));
  });

  it("lists several interrupted syncs, each with Finish", async () => {
    const other = syncView({ id: 12, taskId: 6, taskLabel: "Customer 00005 — order SO100005", state: "interrupted", writes: [write(1, "pending")] });
    api.appStatus.mockResolvedValue(
      makeStatus({ unfinishedSyncs: [syncView({ state: "interrupted", writes: [write(1, "confirmed"), write(2, "confirmed"), write(3, "unknown")] }), other] }),
    );
    render(<App />);
    const banner = await screen.findByTestId("unfinished-syncs");
    expect(banner).toHaveTextContent("2 syncs were interrupted when the app stopped");
    expect(within(banner).getAllByTestId("unfinished-sync").map((s) => s.textContent)).toEqual([
      "Green Lane LLC — order 1000231 (2 of 3 writes confirmed)Finish",
      "Customer 00005 — order SO100005 (0 of 1 write confirmed)Finish",
    ]);
    expect(within(banner).getAllByTestId("unfinished-finish")).toHaveLength(2);
  });

  it("shows no banner when no sync was left unfinished", async () => {
    api.appStatus.mockResolvedValue(makeStatus());
    render(<App />);
    await screen.findByText("Green Lane LLC");
    expect(screen.queryByTestId("unfinished-syncs")).not.toBeInTheDocument();
  });

  it("opens a synced task on its history from the details", async () => {
    const user = userEvent.setup();
    api.appStatus.mockResolvedValue(makeStatus());
    api.openWizard.mockResolvedValue({ ...viewWithHistory([syncedSync()], "synced"), task: tasks.rows[2] ?? greenLaneTask() });
    render(<App />);
    await user.click(await screen.findByText("Customer 00002")); // synced
    const open = within(screen.getByTestId("task-details")).getByTestId("sync-changes");
    expect(open).toHaveTextContent("Sync history");
    await user.click(open);
    expect(api.openWizard).toHaveBeenCalledWith(3);
    expect(await screen.findByTestId("sync-history")).toBeInTheDocument();
  });

  it("disables Sync in the wizard while the app is offline", async () => {
    const user = userEvent.setup();
    api.appStatus.mockResolvedValue(makeStatus({ connectivity: { state: "offline", message: "can't reach" } }));
    api.checkConnectivity.mockResolvedValue({ state: "offline", message: "can't reach" });
    render(<App />);
    await user.click(await screen.findByText("Green Lane LLC"));
    await waitFor(() => expect(screen.getByTestId("connectivity")).toHaveAttribute("data-state", "offline"));
    await user.click(within(screen.getByTestId("task-details")).getByTestId("sync-changes"));
    await screen.findByTestId("step-changes");
    await user.click(screen.getByTestId("wizard-step-summary"));
    expect(screen.getByTestId("sync-button")).toBeDisabled();
    expect(screen.getByTestId("sync-offline")).toBeInTheDocument();
  });
});
