import type { RefObject } from "react";
import type { SyncOutcome } from "./syncOutcome";
import type { SyncAction } from "./useSyncResult";
import "./wizard.css";
import "./sync.css";

interface SyncActionsProps {
  outcome: SyncOutcome;
  running: boolean;
  offline: boolean;
  /** Refresh or Set aside runs now. */
  busy: SyncAction | null;
  /** The question before Set aside is on screen. */
  confirming: boolean;
  primaryRef: RefObject<HTMLButtonElement | null>;
  discardRef: RefObject<HTMLButtonElement | null>;
  onRefresh: () => void;
  onRetry: () => void;
  onAskDiscard: () => void;
  onShowHistory: (() => void) | null;
  /** Undo this sync… (a sync done that Rust says can be undone). */
  onUndo?: (() => void) | null;
  onClose: () => void;
  /** The close button's words: where it goes ("Back to tasks"). */
  backLabel: string;
  /** The sync is an undo: its words say so. */
  undo?: boolean;
}

/** The buttons under a sync: Refresh, Retry and Set aside, or the history and Back to tasks once done. */
export function SyncActions({
  outcome,
  running,
  offline,
  busy,
  confirming,
  primaryRef,
  discardRef,
  onRefresh,
  onRetry,
  onAskDiscard,
  onShowHistory,
  onUndo = null,
  onClose,
  backLabel,
  undo = false,
}: SyncActionsProps) {
  const { state, unfinished, done } = outcome;
  return (
    <div className="sync-actions">
      {state === "changed" && (
        <button
          type="button"
          className="btn btn-primary"
          data-testid="sync-refresh"
          ref={primaryRef}
          disabled={running || busy !== null || offline}
          onClick={onRefresh}
          title={
            undo
              ? "Read the agreement again from ConnectWise and see what undoing the sync writes now"
              : "Read the agreement again from ConnectWise and go back to the changes"
          }
        >
          {busy === "refresh" && <span className="spinner" aria-hidden="true" />}
          {busy === "refresh" ? "Refreshing…" : undo ? "Refresh and look again" : "Refresh and review again"}
        </button>
      )}
      {unfinished && (
        <>
          <button
            type="button"
            className="btn btn-primary"
            data-testid="sync-retry"
            ref={primaryRef}
            disabled={running || busy !== null || offline}
            onClick={onRetry}
            title="Check what was written and finish the rest; nothing is written twice"
          >
            Retry
          </button>
          <button
            type="button"
            className="btn"
            data-testid="sync-discard"
            ref={discardRef}
            disabled={running || busy !== null || confirming}
            onClick={onAskDiscard}
            title={undo ? "Stop this undo and see what undoing the sync writes now" : "Stop this sync and review the task again"}
          >
            {undo ? "Set aside and look again" : "Set aside and review again"}
          </button>
        </>
      )}
      {(unfinished || state === "changed") && offline && (
        <span className="sync-offline" data-testid="sync-offline" role="status">
          {undo ? "Undo needs a connection to ConnectWise." : "Sync needs a connection to ConnectWise."}
        </span>
      )}
      {running && <span className="sync-running-note">Keep the app open until the {undo ? "undo" : "sync"} finishes.</span>}
      <span className="sheet-foot-spacer" />
      {done && onUndo !== null && (
        <button
          type="button"
          className="btn"
          data-testid="task-undo"
          onClick={onUndo}
          title="See what undoing this sync would write to ConnectWise, before anything is written"
        >
          Undo this sync…
        </button>
      )}
      {done && onShowHistory !== null && (
        <button type="button" className="btn" data-testid="sync-show-history" onClick={onShowHistory}>
          Sync history
        </button>
      )}
      {done && (
        <button type="button" className="btn btn-primary" data-testid="sync-close" ref={primaryRef} onClick={onClose}>
          {backLabel}
        </button>
      )}
    </div>
  );
}
