import { useEffect, useId, useRef } from "react";
import type { SyncView } from "../../bindings/SyncView";
import { SYNC_STATE_LABELS, formatDateTime, plural, syncTimeText, undoLinkText } from "../../format";
import { SyncWrites } from "./SyncWrites";
import "./wizard.css";
import "./sync.css";

interface SyncHistoryListProps {
  history: SyncView[];
  /** Undo this sync… of an entry Rust says can be undone; without it, none is offered. */
  onUndo?: ((sync: SyncView) => void) | null;
}

/** The syncs of a task, newest first, each with its writes and their results. */
export function SyncHistoryList({ history, onUndo = null }: SyncHistoryListProps) {
  return (
    <ol className="history-list">
      {history.map((sync) => {
        const link = undoLinkText(sync);
        return (
        <li key={sync.id} className="history-entry" data-testid="sync-history-entry" data-state={sync.state} data-sync-id={sync.id}>
          <div className="history-head">
            <span className={`badge sync-badge sync-badge-${sync.state}`} data-testid="sync-history-state">
              {SYNC_STATE_LABELS[sync.state]}
            </span>
            <span
              className="tabular"
              data-testid="sync-history-when"
              title={`Started ${formatDateTime(sync.startedAt, true)}${
                sync.finishedAt === null ? "" : `\nFinished ${formatDateTime(sync.finishedAt, true)}`
              }`}
            >
              {syncTimeText(sync)}
            </span>
            <span className="history-agreement">{sync.agreementName}</span>
            <span className="muted">Profile {sync.profileName}</span>
            {sync.desk !== null && (
              <span className="muted" data-testid="sync-history-desk">
                {sync.desk}
              </span>
            )}
            {link !== null && (
              <span className="history-link" data-testid="sync-history-link">
                {link}
              </span>
            )}
            {onUndo !== null && sync.undoable && (
              <button
                type="button"
                className="btn btn-small history-undo"
                data-testid="task-undo"
                data-sync-id={sync.id}
                onClick={() => onUndo(sync)}
                title="See what undoing this sync would write to ConnectWise, before anything is written"
              >
                Undo this sync…
              </button>
            )}
          </div>
          {sync.message !== null && (
            <p className="history-message" data-testid="sync-history-message">
              {sync.message}
            </p>
          )}
          {sync.changes.length > 0 && (
            <ul className="sync-changes sync-changes-compact">
              {sync.changes.map((change, index) => (
                <li key={index}>{change}</li>
              ))}
            </ul>
          )}
          {sync.writes.length > 0 && <SyncWrites writes={sync.writes} currency={sync.currency} running={false} />}
        </li>
        );
      })}
    </ol>
  );
}

interface SyncHistoryProps {
  history: SyncView[];
  /** The task is synced: it can be synced again (to check nothing is missing). */
  canSyncAgain: boolean;
  offline: boolean;
  onSyncAgain: () => void;
  /** Undo this sync… of an entry. */
  onUndo?: ((sync: SyncView) => void) | null;
  onClose: () => void;
  /** The close button's words: where it goes ("Back to tasks"). */
  backLabel: string;
}

/** What a synced task shows when opened: its syncs, and Sync again. */
export function SyncHistory({ history, canSyncAgain, offline, onSyncAgain, onUndo = null, onClose, backLabel }: SyncHistoryProps) {
  const id = useId();
  const titleRef = useRef<HTMLHeadingElement>(null);
  const latest = history[0];

  useEffect(() => {
    titleRef.current?.focus();
  }, []);

  return (
    <section className="wizard-step sync-history" data-testid="sync-history" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`} className="step-title" tabIndex={-1} ref={titleRef}>
        Sync history
      </h3>
      <p className="step-intro">
        {latest === undefined
          ? "This task has no recorded sync."
          : `${plural(history.length, "sync", "syncs")} of this task, newest first.`}
        {canSyncAgain && " Sync again checks that every write is still in ConnectWise and writes nothing new."}
        {onUndo !== null && history.some((sync) => sync.undoable) && " Undo this sync… shows what undoing a sync would write, before anything is written."}
      </p>
      {history.length > 0 && <SyncHistoryList history={history} onUndo={onUndo} />}
      <div className="sync-actions">
        {canSyncAgain && (
          <button
            type="button"
            className="btn btn-primary"
            data-testid="sync-again"
            disabled={offline}
            onClick={onSyncAgain}
            title="Check the agreement in ConnectWise again; nothing already written is written twice"
          >
            Sync again
          </button>
        )}
        {canSyncAgain && offline && (
          <span className="sync-offline" data-testid="sync-offline" role="status">
            Sync needs a connection to ConnectWise.
          </span>
        )}
        <span className="sheet-foot-spacer" />
        <button type="button" className="btn" data-testid="history-close" onClick={onClose}>
          {backLabel}
        </button>
      </div>
    </section>
  );
}
