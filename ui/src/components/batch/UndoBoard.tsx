import { useEffect, useId, useRef } from "react";
import type { SyncView } from "../../bindings/SyncView";
import type { UndoView } from "../../bindings/UndoView";
import { UNDO_STATE_LABELS, formatCount, plural, syncTimeText, undoRowsText } from "../../format";
import { useUndoBoard, type UndoBoard as UndoBoardState } from "../../hooks/useUndoBoard";
import { ProgressBar } from "../CheckChanges";
import { ErrorPanel } from "../ErrorPanel";
import { UndoRows } from "../wizard/UndoRows";
import "../wizard/sync.css";
import "../wizard/undo.css";
import "./batch.css";

interface UndoBoardProps {
  batchId: number;
  /** The services can't be reached: the undos wait. */
  offline: boolean;
  /** Back to the batch's board; `ran` says whether undos were written (the board is planned again). */
  onBack: (ran: boolean) => void;
  /** An undo run has settled, however it ended: the task list and the activity log are read again. */
  onUndone: () => void;
}

/** Where one undo stands in the run: its latest snapshot while it runs, its sync once done. */
function runState(board: UndoBoardState, undo: UndoView): SyncView | null {
  const { phase } = board;
  if (phase.kind === "running") return phase.latest.get(undo.sync.id) ?? null;
  if (phase.kind === "done") return phase.result.syncs.find((sync) => sync.undoes === undo.sync.id) ?? null;
  return null;
}

function UndoItem({ board, undo }: { board: UndoBoardState; undo: UndoView }) {
  const id = useId();
  const { sync } = undo;
  const ran = runState(board, undo);
  const busy = board.running || board.phase.kind === "done";
  return (
    <li
      className={`undo-board-item${undo.writes === 0 ? " undo-board-item-idle" : ""}`}
      data-testid="undo-board-item"
      data-sync-id={sync.id}
      data-task-id={sync.taskId}
      data-writes={undo.writes}
      data-state={ran?.state}
    >
      <div className="undo-board-item-head">
        <input
          id={`${id}-tick`}
          type="checkbox"
          className="check"
          data-testid="undo-board-check"
          checked={board.isTicked(sync.id)}
          disabled={busy || undo.writes === 0}
          onChange={() => board.toggle(sync.id)}
        />
        <label htmlFor={`${id}-tick`} className="undo-board-task">
          <span className="cell-primary">{sync.taskLabel}</span>
          <span className="muted"> · sync {sync.id}</span>
        </label>
        <span className="undo-board-agreement" title={`Agreement ${sync.agreementId}`}>
          {sync.agreementName}
          {undo.companyName !== "" && <span className="muted"> · {undo.companyName}</span>}
        </span>
        <span className="undo-board-writes tabular" data-testid="undo-board-writes">
          {undo.writes === 0 ? "Nothing to write" : plural(undo.writes, "write", "writes")}
        </span>
        {ran !== null && (
          <span className={`badge sync-badge sync-badge-${ran.state}`} data-testid="undo-board-item-state">
            {UNDO_STATE_LABELS[ran.state]}
          </span>
        )}
      </div>
      <p className="undo-board-short">
        <span data-testid="undo-board-rows">{undoRowsText(undo.rows)}</span>
        <span className="muted"> · synced {syncTimeText(sync)}</span>
        {sync.desk !== null && <span className="muted"> · {sync.desk}</span>}
      </p>
      {undo.nothingToWrite !== null && (
        <p className="undo-board-note" data-testid="undo-nothing">
          {undo.nothingToWrite}
        </p>
      )}
      {undo.offline !== null && (
        <p className="undo-board-note undo-board-offline" data-testid="undo-offline">
          {undo.offline}
        </p>
      )}
      {ran?.message != null && (
        <p className="undo-board-note" data-testid="undo-board-item-message">
          {ran.message}
        </p>
      )}
      {undo.rows.length > 0 && (
        <details className="undo-board-details">
          <summary>The rows, and why</summary>
          <UndoRows
            rows={undo.rows}
            currency={sync.currency}
            disabled={busy || board.selecting !== null}
            onSelect={(rowKey, selected) => board.select(sync.id, rowKey, selected)}
            label={`What undoing sync ${sync.id} writes`}
            compact
          />
        </details>
      )}
    </li>
  );
}

/**
 * Undo this batch… (SPEC §17): the undo of every task the batch synced, on one board — each with its
 * task, agreement, rows in short and writes, ticked when it writes something — the tasks with nothing
 * to undo and why, and Undo N syncs, each written as a sync of its own.
 */
export function UndoBoard({ batchId, offline, onBack, onUndone }: UndoBoardProps) {
  const board = useUndoBoard(batchId, { afterRun: onUndone });
  const { phase } = board;
  const titleRef = useRef<HTMLHeadingElement>(null);
  const ran = useRef(false);
  if (phase.kind !== "idle") ran.current = true;

  useEffect(() => {
    titleRef.current?.focus();
  }, []);

  const undos = board.board?.undos ?? [];
  const skipped = board.board?.skipped ?? [];
  const count = board.chosen.length;
  const whyNot = offline
    ? "Undo needs a connection to ConnectWise"
    : count === 0
      ? "No undo is ticked that writes something"
      : board.loading
        ? "The undos are being read again"
        : undefined;

  return (
    <section className="batch-screen undo-board" data-testid="undo-board" data-batch-id={batchId} aria-labelledby="undo-board-title" aria-busy={board.loading}>
      <header className="batch-head">
        <button
          type="button"
          className="btn btn-small"
          data-testid="undo-board-back"
          disabled={board.running}
          title={board.running ? "Wait until the undos finish" : undefined}
          onClick={() => onBack(ran.current)}
        >
          ← Back to the batch
        </button>
        <h2 id="undo-board-title" className="batch-title" tabIndex={-1} ref={titleRef}>
          Undo batch {batchId}
        </h2>
        {board.board !== null && (
          <span className="muted" data-testid="undo-board-count">
            {plural(undos.length, "sync", "syncs")} to undo
            {skipped.length > 0 && ` · ${formatCount(skipped.length)} left out`}
          </span>
        )}
        {board.loading && (
          <span className="hint" role="status">
            Reading the agreements from ConnectWise…
          </span>
        )}
      </header>

      <div className="undo-board-body">
        <p className="step-intro">
          Each undo is made from its agreement as it is now, and written as a sync of its own: an addition a sync created and no
          invoice holds is removed, an invoiced one ends on the last invoiced day, and what it changed is put back. Anything changed
          in ConnectWise since is left alone. Untick an undo to leave it out; open its rows to choose its credits.
        </p>

        {board.error !== null && (
          <ErrorPanel error={board.error} title="Couldn't prepare the undos" testId="undo-board-error">
            <button type="button" className="btn btn-small" disabled={board.loading} onClick={board.reload}>
              Try again
            </button>
          </ErrorPanel>
        )}
        {board.selectError !== null && (
          <ErrorPanel error={board.selectError} title="Couldn't change the credit" testId="undo-select-error" onDismiss={board.dismissSelectError} />
        )}

        {board.board !== null && undos.length === 0 && (
          <p className="panel panel-info" data-testid="undo-board-empty">
            <span className="panel-text">No sync of this batch is left to undo.</span>
          </p>
        )}

        {undos.length > 0 && (
          <ol className="undo-board-list" aria-label="Undos of the batch">
            {undos.map((undo) => (
              <UndoItem key={undo.sync.id} board={board} undo={undo} />
            ))}
          </ol>
        )}

        {skipped.length > 0 && (
          <div className="step-block" data-testid="undo-board-skipped">
            <h4 className="block-title">Left out</h4>
            <ul className="undo-board-skipped">
              {skipped.map((words, index) => (
                <li key={index}>{words}</li>
              ))}
            </ul>
          </div>
        )}
      </div>

      <div className="undo-board-foot">
        {phase.kind === "running" ? (
          <div className="sync-progress batch-progress" data-testid="undo-board-progress" role="status" aria-live="polite">
            <ProgressBar
              fraction={phase.total === 0 ? null : [...phase.latest.values()].filter((s) => s.state !== "running").length / phase.total}
              label="Undo progress"
            />
            <span className="sync-progress-text">{progressText(phase.latest, phase.total)}</span>
          </div>
        ) : phase.kind === "done" ? (
          <UndoBoardResult board={board} onLookAgain={board.reload} />
        ) : (
          <>
            <button
              type="button"
              className="btn btn-primary"
              data-testid="undo-board-run"
              disabled={whyNot !== undefined}
              title={whyNot ?? "Write the ticked undos to ConnectWise, one after another; each agreement is read again first"}
              onClick={board.start}
            >
              Undo {plural(count, "sync", "syncs")}
            </button>
            {offline && (
              <span className="sync-offline" role="status">
                Undo needs a connection to ConnectWise.
              </span>
            )}
          </>
        )}
        {board.runError !== null && (
          <ErrorPanel error={board.runError} title="Couldn't undo the batch" testId="undo-board-run-error" onDismiss={board.dismissRunError} />
        )}
      </div>
    </section>
  );
}

/** "Undoing 2 of 5: Green Lane LLC — order 1000231 · Writing 1 of 2". */
function progressText(latest: ReadonlyMap<number, SyncView>, total: number): string {
  const snapshots = [...latest.values()];
  const current = snapshots.find((s) => s.state === "running") ?? snapshots[snapshots.length - 1];
  if (current === undefined) return "Starting the undos…";
  const at = Math.min(total, Math.max(1, snapshots.length));
  return `Undoing ${formatCount(at)} of ${formatCount(total)}: ${current.taskLabel}${current.activity === null ? "" : ` · ${current.activity}`}`;
}

/** What the run did: Rust's sentence, and each undo's sync with its state. */
function UndoBoardResult({ board, onLookAgain }: { board: UndoBoardState; onLookAgain: () => void }) {
  if (board.phase.kind !== "done") return null;
  const { result } = board.phase;
  const troubled = result.syncs.some((sync) => sync.state === "failed" || sync.state === "interrupted" || sync.state === "changed");
  return (
    <div className={`panel ${troubled ? "panel-warning" : "panel-success"} undo-board-result`} data-testid="undo-board-result" role="status">
      <div className="undo-board-result-body">
        <span className="panel-text" data-testid="undo-board-message">
          {result.message}
        </span>
        <ul className="undo-board-result-list">
          {result.syncs.map((sync) => (
            <li key={sync.id} data-testid="undo-board-result-sync" data-state={sync.state} data-sync-id={sync.id}>
              <span className={`badge sync-badge sync-badge-${sync.state}`}>{UNDO_STATE_LABELS[sync.state]}</span> {sync.taskLabel}
              {sync.undoes !== null && <span className="muted"> · undo of sync {sync.undoes}</span>}
              {sync.message !== null && <span className="muted"> — {sync.message}</span>}
            </li>
          ))}
        </ul>
      </div>
      <button
        type="button"
        className="btn btn-small"
        data-testid="undo-board-again"
        onClick={onLookAgain}
        title="Read every undo of the batch again: what is left to undo, and why"
      >
        Look again
      </button>
    </div>
  );
}
