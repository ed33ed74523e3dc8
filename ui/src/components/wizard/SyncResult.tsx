import { useEffect, useId, useRef, useState, type KeyboardEvent } from "react";
import type { ErrorView } from "../../bindings/ErrorView";
import type { SyncState } from "../../bindings/SyncState";
import type { SyncView } from "../../bindings/SyncView";
import { SYNC_TITLES, confirmedText, formatDateTime, plural, syncTimeText } from "../../format";
import { ProgressBar } from "../CheckChanges";
import { SyncWrites } from "./SyncWrites";
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
  /** Shows the task's history (after a sync of a synced task). */
  onShowHistory: (() => void) | null;
}

type Tone = "running" | "success" | "warning" | "error" | "neutral";

const TONES: Readonly<Record<SyncState, Tone>> = {
  running: "running",
  synced: "success",
  nothingToWrite: "success",
  changed: "warning",
  failed: "error",
  interrupted: "error",
  discarded: "neutral",
};

const ICONS: Readonly<Record<Tone, string>> = {
  running: "",
  success: "✓",
  warning: "!",
  error: "!",
  neutral: "–",
};

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
  onShowHistory,
}: SyncResultProps) {
  const id = useId();
  const [busy, setBusy] = useState<"refresh" | "discard" | null>(null);
  const [actionError, setActionError] = useState<{ which: "refresh" | "discard"; error: ErrorView } | null>(null);
  const [confirming, setConfirming] = useState(false);
  const titleRef = useRef<HTMLHeadingElement>(null);
  const primaryRef = useRef<HTMLButtonElement>(null);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const discardRef = useRef<HTMLButtonElement>(null);

  // A sync recorded as running that is not running here stopped with the app: it is unfinished.
  const recorded: SyncState = running ? "running" : (view?.state ?? "running");
  const state: SyncState = running ? "running" : recorded === "running" ? "interrupted" : recorded;
  const tone = TONES[state];
  const unfinished = state === "failed" || state === "interrupted";
  const done = state === "synced" || state === "nothingToWrite" || state === "discarded";

  useEffect(() => {
    titleRef.current?.focus();
  }, []);

  // When the run ends, the focus goes to what comes next (Enter continues).
  const wasRunning = useRef(running);
  useEffect(() => {
    if (wasRunning.current && !running) primaryRef.current?.focus();
    wasRunning.current = running;
  }, [running]);

  // The question takes the focus; taken back, it returns it to the button that asked.
  const wasConfirming = useRef(false);
  useEffect(() => {
    if (confirming) confirmRef.current?.focus();
    else if (wasConfirming.current) discardRef.current?.focus();
    wasConfirming.current = confirming;
  }, [confirming]);

  const act = async (which: "refresh" | "discard", action: () => Promise<ErrorView | null>) => {
    setBusy(which);
    setActionError(null);
    const failure = await action();
    // On success the wizard has moved on and this screen is gone.
    if (failure !== null) {
      setBusy(null);
      setActionError({ which, error: failure });
    }
  };

  const cancelConfirm = () => setConfirming(false);

  const onConfirmKeyDown = (event: KeyboardEvent) => {
    if (event.key === "Escape") {
      event.preventDefault();
      cancelConfirm();
    }
  };

  const shownError = actionError?.error ?? error;
  const errorTitle =
    actionError === null ? "Couldn't sync" : actionError.which === "refresh" ? "Couldn't read the agreement again" : "Couldn't set the sync aside";
  const writes = view?.writes ?? [];
  const confirmed = writes.filter((w) => w.state === "confirmed").length;
  const notConfirmed = writes.length - confirmed;
  const activity = view?.activity ?? null;

  return (
    <section
      className={`wizard-step sync-result sync-result-${tone}`}
      data-testid="sync-result"
      data-state={recorded}
      aria-labelledby={`${id}-title`}
      aria-busy={running}
    >
      <div className="sync-head">
        <span className={`sync-icon sync-icon-${tone}`} aria-hidden="true">
          {tone === "running" ? <span className="spinner" /> : ICONS[tone]}
        </span>
        <div className="sync-heading">
          <h3 id={`${id}-title`} className="step-title sync-title" tabIndex={-1} ref={titleRef} data-testid="sync-title">
            {SYNC_TITLES[state]}
          </h3>
          {view !== null && (
            <p className="sync-sub">
              <span>{view.agreementName}</span>
              <span className="tabular" title={`Started ${formatDateTime(view.startedAt, true)}`}>
                {syncTimeText(view)}
              </span>
              <span>Profile {view.profileName}</span>
            </p>
          )}
        </div>
      </div>

      {running && (
        <div className="sync-progress" data-testid="sync-activity" role="status" aria-live="polite">
          <ProgressBar fraction={writes.length === 0 ? null : confirmed / writes.length} label="Sync progress" />
          <span className="sync-progress-text">{activity ?? "Starting the sync…"}</span>
          {writes.length > 0 && <span className="sync-progress-count tabular">{confirmedText(writes)}</span>}
        </div>
      )}

      {!running && view?.message != null && (
        <p className={`sync-message sync-message-${tone}`} data-testid="sync-message" role={unfinished ? "alert" : "status"}>
          {view.message}
        </p>
      )}

      {state === "changed" && view !== null && (
        <div className="step-block">
          <h4 className="block-title">What changed in ConnectWise since the review</h4>
          {view.changes.length > 0 ? (
            <ul className="sync-changes">
              {view.changes.map((change, index) => (
                <li key={index} data-testid="sync-change">
                  {change}
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted">ConnectWise did not say what changed.</p>
          )}
        </div>
      )}

      {shownError !== null && (
        <div className="panel panel-error" data-testid="sync-error" role="alert" data-code={shownError.code}>
          <span className="panel-title">{errorTitle}</span>
          <span className="panel-text">{shownError.message}</span>
          <button
            type="button"
            className="btn-icon"
            aria-label="Dismiss error"
            onClick={() => {
              setActionError(null);
              onDismissError();
            }}
          >
            ×
          </button>
        </div>
      )}

      {writes.length > 0 && view !== null && (
        <div className="step-block">
          <h4 className="block-title">
            {plural(writes.length, "write", "writes")} to ConnectWise
            {!running && <span className="muted"> — {confirmedText(writes)}</span>}
          </h4>
          <SyncWrites writes={writes} currency={view.currency} running={running} />
        </div>
      )}

      {confirming && (
        <div className="panel panel-warning sync-confirm" data-testid="sync-discard-confirm" role="alertdialog" aria-labelledby={`${id}-confirm`} onKeyDown={onConfirmKeyDown}>
          <span className="panel-title" id={`${id}-confirm`}>
            Set this sync aside?
          </span>
          <span className="panel-text">
            {confirmed > 0
              ? `${plural(confirmed, "write is", "writes are")} already in ConnectWise and stay${confirmed === 1 ? "s" : ""} there. `
              : "Nothing of it is in ConnectWise. "}
            {notConfirmed > 0 && `The ${plural(notConfirmed, "write", "writes")} not confirmed will not be sent. `}
            The agreement is read again and you review the task from what ConnectWise has now.
          </span>
          <button
            type="button"
            className="btn btn-small btn-danger"
            data-testid="sync-discard-yes"
            ref={confirmRef}
            disabled={busy !== null}
            onClick={() => void act("discard", onDiscard)}
          >
            {busy === "discard" ? "Setting aside…" : "Set aside"}
          </button>
          <button type="button" className="btn btn-small" data-testid="sync-discard-no" disabled={busy !== null} onClick={cancelConfirm}>
            Keep it
          </button>
        </div>
      )}

      <div className="sync-actions">
        {state === "changed" && (
          <button
            type="button"
            className="btn btn-primary"
            data-testid="sync-refresh"
            ref={primaryRef}
            disabled={running || busy !== null || offline}
            onClick={() => void act("refresh", onRefresh)}
            title="Read the agreement again from ConnectWise and go back to the changes"
          >
            {busy === "refresh" && <span className="spinner" aria-hidden="true" />}
            {busy === "refresh" ? "Refreshing…" : "Refresh and review again"}
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
              onClick={() => setConfirming(true)}
              title="Stop this sync and review the task again"
            >
              Set aside and review again
            </button>
          </>
        )}
        {(unfinished || state === "changed") && offline && (
          <span className="sync-offline" data-testid="sync-offline" role="status">
            Sync needs a connection to ConnectWise.
          </span>
        )}
        {running && <span className="sync-running-note">Keep the app open until the sync finishes.</span>}
        <span className="sheet-foot-spacer" />
        {done && onShowHistory !== null && (
          <button type="button" className="btn" data-testid="sync-show-history" onClick={onShowHistory}>
            Sync history
          </button>
        )}
        {done && (
          <button type="button" className="btn btn-primary" data-testid="sync-close" ref={primaryRef} onClick={onClose}>
            Back to tasks
          </button>
        )}
      </div>
    </section>
  );
}
