import type { BoardView } from "../../bindings/BoardView";
import type { BatchSync } from "../../hooks/useBatchSync";
import type { InlineConfirm } from "../../hooks/useInlineConfirm";
import { batchProgressText, formatCount, plural } from "../../format";
import { ProgressBar } from "../CheckChanges";
import { BoardTotals } from "./BoardTotals";
import { ErrorPanel } from "../ErrorPanel";

interface BatchSyncPanelProps {
  board: BoardView;
  sync: BatchSync;
  confirm: InlineConfirm;
  offline: boolean;
  onConfirm: () => void;
  /** Undo this batch…: the undos of the tasks it synced, on one board. */
  onUndo: () => void;
}

/** Undo this batch…, offered once the batch has synced a task. */
function UndoBatchButton({ onUndo }: { onUndo: () => void }) {
  return (
    <button
      type="button"
      className="btn btn-small"
      data-testid="batch-undo"
      onClick={onUndo}
      title="See what undoing every sync of this batch would write, on one board, before anything is written"
    >
      Undo this batch…
    </button>
  );
}

/**
 * Sync N ready tasks: the button (or why it can't run), its confirmation with the totals, the
 * progress with Stop, the result with Save as CSV and Undo this batch….
 */
export function BatchSyncPanel({ board, sync, confirm, offline, onConfirm, onUndo }: BatchSyncPanelProps) {
  const { phase } = sync;
  // The batch wrote something that can be taken back: the tasks it synced.
  const undoable = board.rows.some((r) => r.state === "synced");
  const { ready, already } = board;
  // A sync takes the ready tasks, closes those already in ConnectWise (writing nothing), and checks
  // again those this batch synced (writing nothing new): with none ready, it can still say whether
  // ConnectWise holds what was written.
  const synced = board.rows.filter((r) => r.state === "synced").length;
  // With only synced tasks left, the button reads ConnectWise again and writes nothing: a secondary
  // action, named so that it is not taken for a second sync.
  const rereadOnly = ready === 0 && already === 0 && synced > 0;
  const rereadWhat = `Re-read ${plural(synced, "synced task", "synced tasks")} from ConnectWise`;
  const label =
    ready > 0 || synced + already === 0
      ? `Sync ${plural(ready, "ready task", "ready tasks")}`
      : already > 0
        ? `Close ${plural(already, "task", "tasks")} as synced`
        : `${rereadWhat} (writes nothing)`;
  const question =
    ready > 0
      ? `${label} to ConnectWise?`
      : already > 0
        ? `${label}? Nothing is written.`
        : `${rereadWhat}? Nothing is written: this only checks that what the batch wrote is still there.`;
  const whyNot = offline ? "Sync needs a connection" : ready + synced + already === 0 ? "No task is ready to sync" : undefined;
  return (
    <div className="batch-sync">
      {phase.kind !== "running" && !confirm.confirming && (
        <div className="batch-sync-bar">
          <button
            ref={confirm.askRef}
            type="button"
            className={rereadOnly ? "btn" : "btn btn-primary"}
            data-testid="sync-batch"
            disabled={whyNot !== undefined}
            title={
              whyNot ??
              (rereadOnly
                ? "Reads the agreements in ConnectWise to check that this batch's additions are still there; sends nothing"
                : "Confirm the totals, then sync (Ctrl+Enter)")
            }
            aria-describedby={offline ? "batch-offline" : undefined}
            onClick={confirm.ask}
          >
            {label}
          </button>
          {offline && (
            <span id="batch-offline" className="sync-offline" data-testid="batch-offline" role="status">
              Sync needs a connection. Review and bulk actions work offline.
            </span>
          )}
          {phase.kind === "idle" && board.syncStarted && undoable && <UndoBatchButton onUndo={onUndo} />}
        </div>
      )}

      {confirm.confirming && phase.kind !== "running" && (
        <div className="panel panel-warning batch-confirm" data-testid="batch-confirm" role="dialog" aria-label="Confirm the sync" onKeyDown={confirm.onKeyDown}>
          <div className="batch-confirm-body">
            <span className="panel-title">{question}</span>
            {!rereadOnly && <BoardTotals totals={board.totals} testId="batch-confirm-totals" />}
            {already > 0 && (
              <span className="hint" data-testid="batch-confirm-already">
                {formatCount(already)} already in ConnectWise will be closed as synced, with nothing written.
              </span>
            )}
            {board.needsAttention > 0 && (
              <span className="hint">{plural(board.needsAttention, "task needs", "tasks need")} attention and will not be synced.</span>
            )}
          </div>
          <div className="batch-confirm-actions">
            <button
              ref={confirm.confirmRef}
              type="button"
              className={rereadOnly ? "btn" : "btn btn-primary"}
              data-testid="batch-confirm-sync"
              disabled={whyNot !== undefined}
              onClick={onConfirm}
            >
              {rereadOnly ? "Re-read" : "Confirm and sync"}
            </button>
            <button type="button" className="btn" data-testid="batch-confirm-cancel" onClick={confirm.cancel}>
              Cancel
            </button>
          </div>
        </div>
      )}

      {phase.kind === "running" && (
        <div className="sync-progress batch-progress" data-testid="batch-progress" role="status" aria-live="polite">
          <ProgressBar
            fraction={phase.progress === null || phase.progress.tasksTotal === 0 ? null : phase.progress.tasksDone / phase.progress.tasksTotal}
            label="Batch sync progress"
          />
          <span className="sync-progress-text" data-testid="batch-progress-text">
            {phase.progress === null ? "Starting the sync…" : batchProgressText(phase.progress)}
          </span>
          {sync.stopping ? (
            <span className="batch-stopping" data-testid="batch-stopping">
              Stopping: finishing the writes under way
            </span>
          ) : (
            <button type="button" className="btn btn-small" data-testid="batch-stop" onClick={sync.stop} title="Finish the writes under way and leave the rest">
              Stop
            </button>
          )}
        </div>
      )}

      {phase.kind === "done" && (
        <div
          className={`panel ${phase.result.failed > 0 || phase.result.notStarted > 0 ? "panel-warning" : "panel-success"} batch-result`}
          data-testid="batch-result"
          role="status"
        >
          <span className="panel-text">
            <span data-testid="batch-result-message">{phase.result.message}</span>{" "}
            <span className="panel-meta" data-testid="batch-result-counts">
              Synced {formatCount(phase.result.synced)} · Failed {formatCount(phase.result.failed)} · Not started{" "}
              {formatCount(phase.result.notStarted)} · {plural(phase.result.writesMade, "write", "writes")} made
            </span>
          </span>
          {sync.saved !== null ? (
            <span className="panel-meta" data-testid="batch-saved">
              Saved to {sync.saved}
            </span>
          ) : (
            <button type="button" className="btn btn-small" data-testid="batch-save-csv" disabled={sync.saving} onClick={sync.saveCsv}>
              {sync.saving ? "Saving…" : "Save as CSV"}
            </button>
          )}
          {sync.csvError !== null && (
            <span className="field-error" role="alert" data-testid="batch-csv-error">
              Couldn't save: {sync.csvError.message}
            </span>
          )}
          {undoable && <UndoBatchButton onUndo={onUndo} />}
        </div>
      )}

      {sync.error !== null && (
        <ErrorPanel error={sync.error} title="Sync did not run" testId="batch-sync-error" onDismiss={sync.dismissError} />
      )}
    </div>
  );
}
