import { useId } from "react";
import type { ErrorView } from "../../bindings/ErrorView";
import type { SyncView } from "../../bindings/SyncView";
import { SYNC_TITLES, UNDO_TITLES, confirmedText, plural } from "../../format";
import { DiscardSyncConfirm } from "./DiscardSyncConfirm";
import { SyncActions } from "./SyncActions";
import { SyncChanges } from "./SyncChanges";
import { SyncHeading } from "./SyncHeading";
import { SyncProgress } from "./SyncProgress";
import { SyncWrites } from "./SyncWrites";
import { useSyncResult } from "./useSyncResult";
import { ErrorPanel } from "../ErrorPanel";
import "./wizard.css";
import "./sync.css";

interface SyncResultProps {
  /** The sync on screen; `null` just after Sync was clicked, before its first snapshot. */
  view: SyncView | null;
  /** `sync_task` runs now. */
  running: boolean;
  offline: boolean;
  /** Why the last run could not start or finish. */
  error: ErrorView | null;
  onDismissError: () => void;
  /** Finishes the sync (`sync_task` again). */
  onRetry: () => void;
  /** Reads the agreement again and returns to the review; answers the error, if it failed. */
  onRefresh: () => Promise<ErrorView | null>;
  /** Sets the unfinished sync aside and returns to the review; answers the error, if it failed. */
  onDiscard: () => Promise<ErrorView | null>;
  /** Back to the task list. */
  onClose: () => void;
  /** The close button's words: where it goes ("Back to tasks"). */
  backLabel: string;
  /** Shows the task's history (after a sync of a synced task). */
  onShowHistory: (() => void) | null;
  /** An undo is a sync of its own, told in its own words. */
  kind?: "sync" | "undo";
  /** Undo this sync…: offered once the sync is done, when Rust says it can be undone. */
  onUndo?: ((sync: SyncView) => void) | null;
}

/**
 * A sync while it runs and after: what it is doing, each write and where it stands, and how to go
 * on. Replaces the steps of the wizard.
 */
export function SyncResult({
  view,
  running,
  offline,
  error,
  onDismissError,
  onRetry,
  onRefresh,
  onDiscard,
  onClose,
  backLabel,
  onShowHistory,
  kind = "sync",
  onUndo = null,
}: SyncResultProps) {
  const id = useId();
  const undo = kind === "undo";
  const { outcome, actions, confirm, titleRef, primaryRef, shownError, errorTitle, dismissError } = useSyncResult(
    view,
    running,
    error,
    onDismissError,
    undo ? "Couldn't undo" : "Couldn't sync",
  );
  const { recorded, state, tone, unfinished } = outcome;
  const writes = view?.writes ?? [];

  return (
    <section
      className={`wizard-step sync-result sync-result-${tone}`}
      data-testid="sync-result"
      data-state={recorded}
      aria-labelledby={`${id}-title`}
      aria-busy={running}
    >
      <SyncHeading view={view} state={state} tone={tone} titleId={`${id}-title`} titleRef={titleRef} titles={undo ? UNDO_TITLES : SYNC_TITLES} />

      {running && <SyncProgress writes={writes} activity={view?.activity ?? null} />}

      {!running && view?.message != null && (
        <p className={`sync-message sync-message-${tone}`} data-testid="sync-message" role={unfinished ? "alert" : "status"}>
          {view.message}
        </p>
      )}

      {state === "changed" && view !== null && <SyncChanges changes={view.changes} />}

      {shownError !== null && (
        <ErrorPanel error={shownError} title={errorTitle} testId="sync-error" onDismiss={dismissError} dismissLabel="Dismiss error" />
      )}

      {writes.length > 0 && view !== null && (
        <div className="step-block">
          <h4 className="block-title">
            {plural(writes.length, "write", "writes")} {state === "alreadyInConnectWise" ? "already in ConnectWise" : "to ConnectWise"}
            {!running && <span className="muted"> — {state === "alreadyInConnectWise" ? "nothing was sent" : confirmedText(writes)}</span>}
          </h4>
          <SyncWrites writes={writes} currency={view.currency} running={running} />
        </div>
      )}

      {confirm.confirming && (
        <DiscardSyncConfirm
          writes={writes}
          questionId={`${id}-confirm`}
          confirm={confirm}
          busy={actions.busy !== null}
          discarding={actions.busy === "discard"}
          onDiscard={() => void actions.run("discard", onDiscard)}
        />
      )}

      <SyncActions
        outcome={outcome}
        running={running}
        offline={offline}
        busy={actions.busy}
        confirming={confirm.confirming}
        primaryRef={primaryRef}
        discardRef={confirm.askRef}
        onRefresh={() => void actions.run("refresh", onRefresh)}
        onRetry={onRetry}
        onAskDiscard={confirm.ask}
        onShowHistory={onShowHistory}
        onUndo={onUndo !== null && view !== null && view.undoable ? () => onUndo(view) : null}
        onClose={onClose}
        backLabel={backLabel}
        undo={undo}
      />
    </section>
  );
}
