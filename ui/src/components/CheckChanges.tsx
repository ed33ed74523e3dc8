import { useEffect, useRef, useState } from "react";
import type { CheckProgress } from "../bindings/CheckProgress";
import type { CheckSummary } from "../bindings/CheckSummary";
import type { ErrorView } from "../bindings/ErrorView";
import { formatDateTime, futureOrdersText, progressFraction, progressText, summaryText, unreadableLines } from "../format";
import { ErrorPanel } from "./ErrorPanel";
import "./CheckChanges.css";

export type CheckState =
  | { phase: "idle" }
  | { phase: "running"; progress: CheckProgress | null }
  | { phase: "done"; summary: CheckSummary }
  | { phase: "failed"; error: ErrorView };

/**
 * Check Changes, and beside it a menu with the check that reads all of ConnectWise again
 * (between weekly full reads, a check asks ConnectWise only for what changed).
 */
export function CheckButton({ check, onCheck }: { check: CheckState; onCheck: (readConnectwiseWhole: boolean) => void }) {
  const running = check.phase === "running";
  const [menuOpen, setMenuOpen] = useState(false);
  const wrap = useRef<HTMLDivElement>(null);
  const more = useRef<HTMLButtonElement>(null);

  // The menu closes on a click elsewhere, or on Escape (the focus goes back to its button).
  useEffect(() => {
    if (!menuOpen) return;
    const onDown = (event: MouseEvent) => {
      if (!wrap.current?.contains(event.target as Node)) setMenuOpen(false);
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== "Escape") return;
      setMenuOpen(false);
      more.current?.focus();
    };
    document.addEventListener("mousedown", onDown);
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("mousedown", onDown);
      document.removeEventListener("keydown", onKey);
    };
  }, [menuOpen]);

  return (
    <div className="check-split" ref={wrap}>
      <button
        type="button"
        className="btn btn-primary check-main"
        data-testid="check-changes"
        onClick={() => onCheck(false)}
        disabled={running}
        aria-busy={running}
        title="Read new marketplace orders and turn them into tasks"
      >
        {running && <span className="spinner" aria-hidden="true" />}
        {running ? "Checking…" : "Check Changes"}
      </button>
      <button
        ref={more}
        type="button"
        className="btn btn-primary check-more"
        data-testid="check-changes-more"
        aria-haspopup="menu"
        aria-expanded={menuOpen}
        aria-label="More ways to check"
        disabled={running}
        onClick={() => setMenuOpen((open) => !open)}
      >
        <span aria-hidden="true">▾</span>
      </button>
      {menuOpen && (
        <div role="menu" className="check-menu" aria-label="More ways to check">
          <button
            type="button"
            role="menuitem"
            className="check-menu-item"
            data-testid="check-changes-whole"
            autoFocus
            onClick={() => {
              setMenuOpen(false);
              onCheck(true);
            }}
          >
            <span className="check-menu-title">Check Changes, reading all of ConnectWise again</span>
            <span className="check-menu-hint">
              Between weekly full reads, a check asks ConnectWise only for what changed. Use this when its companies, agreements or
              catalog look out of date here.
            </span>
          </button>
        </div>
      )}
    </div>
  );
}

interface CheckOutcomeProps {
  check: CheckState;
  onDismiss: () => void;
  /** An error from elsewhere (reading the app status) to show in the same banner. */
  otherError: { title: string; error: ErrorView } | null;
  onDismissOtherError: () => void;
  /** The header's banner says that ConnectWise refuses: a check's refusal by ConnectWise points to it. */
  refusalAbove: boolean;
}

/** What a check whose ConnectWise refresh failed still did, and what reviewing then reads. */
const CACHED_DATA_USED = "Tasks were read; reviewing uses the ConnectWise data cached before.";

/** A thin progress bar; indeterminate while `fraction` is `null`. */
export function ProgressBar({ fraction, label = "Check Changes progress" }: { fraction: number | null; label?: string }) {
  const percent = fraction === null ? null : Math.round(fraction * 100);
  return (
    <div
      className={`progress-track${percent === null ? " progress-indeterminate" : ""}`}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={percent ?? undefined}
    >
      <div className="progress-fill" style={percent === null ? undefined : { width: `${percent}%` }} />
    </div>
  );
}

/** Progress, summary or error of Check Changes (and other errors), under the header. */
export function CheckOutcome({ check, onDismiss, otherError, onDismissOtherError, refusalAbove }: CheckOutcomeProps) {
  if (check.phase === "idle" && otherError === null) return null;
  return (
    <section className="check-outcome" aria-label="Check Changes">
      {check.phase === "running" && (
        <div className="check-progress" data-testid="check-progress" role="status" aria-live="polite">
          <ProgressBar fraction={progressFraction(check.progress)} />
          <span className="check-progress-text">{progressText(check.progress)}</span>
        </div>
      )}

      {check.phase === "done" && (
        <div className="panel panel-success" data-testid="check-summary" role="status">
          <span className="panel-title">Check finished</span>
          <span className="panel-text">{summaryText(check.summary)}</span>
          <span className="panel-meta" title={`Orders created since ${formatDateTime(check.summary.from, true)}`}>
            {formatDateTime(check.summary.finishedAt)}
          </span>
          <button type="button" className="btn-icon" onClick={onDismiss} aria-label="Dismiss summary">
            ×
          </button>
        </div>
      )}

      {check.phase === "done" && check.summary.connectwiseError !== null && (
        <div
          className="panel panel-warning"
          data-testid="connectwise-warning"
          role="alert"
          title={check.summary.connectwiseError}
        >
          <span className="panel-title">ConnectWise data not refreshed</span>
          {refusalAbove && check.summary.connectwiseRefused ? (
            // Said once: the banner at the top names the refusal and what to do.
            <span className="panel-text">
              ConnectWise refused access: the message at the top of the window says what to do. {CACHED_DATA_USED}
            </span>
          ) : (
            <>
              <span className="panel-text">{check.summary.connectwiseError}</span>
              <span className="panel-meta">{CACHED_DATA_USED}</span>
            </>
          )}
        </div>
      )}

      {check.phase === "done" && <CheckWarnings summary={check.summary} />}

      {check.phase === "failed" && (
        <ErrorPanel error={check.error} title="Check Changes failed" testId="error-banner" onDismiss={onDismiss} dismissLabel="Dismiss error">
          <span className="panel-meta">The cached tasks are still shown.</span>
        </ErrorPanel>
      )}

      {check.phase !== "failed" && otherError !== null && (
        <ErrorPanel error={otherError.error} title={otherError.title} testId="error-banner" onDismiss={onDismissOtherError} dismissLabel="Dismiss error" />
      )}
    </section>
  );
}

/** What the finished check flagged: orders dated in the future, records that could not be read. */
function CheckWarnings({ summary }: { summary: CheckSummary }) {
  const future = futureOrdersText(summary.futureOrders);
  const unreadable = unreadableLines(summary.unreadable);
  return (
    <>
      {future !== null && (
        <div className="panel panel-warning" data-testid="future-orders-warning" role="alert">
          <span className="panel-title">Dated in the future</span>
          <span className="panel-text">{future}</span>
          <span className="panel-meta">They became tasks; their dates look wrong.</span>
        </div>
      )}
      {unreadable.length > 0 && (
        <div className="panel panel-warning" data-testid="unreadable-warning" role="alert">
          <span className="panel-title">Left out</span>
          <ul className="panel-text panel-lines">
            {unreadable.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
          <span className="panel-meta">The rest was read and cached.</span>
        </div>
      )}
    </>
  );
}
