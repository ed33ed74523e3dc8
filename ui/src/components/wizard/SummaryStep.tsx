import { useId } from "react";
import type { ErrorView } from "../../bindings/ErrorView";
import type { PlanSummary } from "../../bindings/PlanSummary";
import type { PlannedWrite } from "../../bindings/PlannedWrite";
import type { Problem } from "../../bindings/Problem";
import type { SyncView } from "../../bindings/SyncView";
import { WRITE_ACTION_LABELS, plural, readinessText } from "../../format";
import { SyncHistoryList } from "./SyncHistory";
import "./wizard.css";
import "./sync.css";

interface SummaryStepProps {
  summary: PlanSummary;
  problems: Problem[];
  /** Goes to where a problem can be fixed. */
  onGoToProblem: (problem: Problem) => void;
  /** The app can't reach the services: Sync waits for a connection (the draft stays). */
  offline: boolean;
  /** Writes the plan to ConnectWise. */
  onSync: () => void;
  /** Why the last Sync could not start. */
  syncError: ErrorView | null;
  onDismissSyncError: () => void;
  /** The task's earlier syncs (stopped or set aside), newest first. */
  history: SyncView[];
}

function Amount({ value, testId }: { value: string; testId: string }) {
  return (
    <span className={`amount tabular${value.startsWith("-") ? " amount-negative" : ""}`} data-testid={testId}>
      {value === "" ? "—" : value}
    </span>
  );
}

function WriteList({ writes, testId, muted = false }: { writes: PlannedWrite[]; testId: string; muted?: boolean }) {
  return (
    <ol className={`write-list${muted ? " muted" : ""}`}>
      {writes.map((write, index) => (
        <li key={`${write.rowKey}-${index}`} className="write" data-testid={testId} data-row-key={write.rowKey}>
          <span className="write-kind">{WRITE_ACTION_LABELS[write.kind]}</span>
          <span className="write-text">{write.description}</span>
        </li>
      ))}
    </ol>
  );
}

/** Step 5: what Sync will write, in amounts, and whether it can. */
export function SummaryStep({ summary, problems, onGoToProblem, offline, onSync, syncError, onDismissSyncError, history }: SummaryStepProps) {
  const id = useId();
  const ready = summary.ready;
  const { already } = summary;
  const canSync = ready && !offline;
  const whyNot = !ready ? "Fix the problems and select at least one change first" : offline ? "Sync needs a connection to ConnectWise" : undefined;
  const first = problems[0];
  const readiness = readinessText(problems.length, summary.writes.length, already !== null);

  return (
    <section className="wizard-step" data-testid="step-summary" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`} className="step-title" tabIndex={-1}>
        Summary
      </h3>

      <dl className="summary-list">
        <dt>Agreement</dt>
        <dd data-testid="summary-agreement">
          {summary.agreementName} <span className="muted">— {summary.companyName}</span>
        </dd>
        <dt>Currency</dt>
        <dd data-testid="summary-currency">{summary.currency}</dd>
        <dt>One-time charges</dt>
        <dd>
          <Amount value={summary.oneTime} testId="summary-one-time" /> <span className="muted">{summary.currency}</span>
          <span className="hint"> — billed once: prorates, usage, fees</span>
        </dd>
        <dt>Prorated billing amount</dt>
        <dd>
          <Amount value={summary.prorated} testId="summary-prorated" /> <span className="muted">{summary.currency}</span>
          <span className="hint"> — of the one-time charges</span>
        </dd>
        {summary.agreementAmount !== null && (
          <>
            <dt>Agreement's own amount</dt>
            <dd>
              <Amount value={summary.agreementAmount} testId="summary-agreement-amount" /> <span className="muted">{summary.currency}</span>
              <span className="hint"> — billed by the agreement itself every period, besides its additions; included below</span>
            </dd>
          </>
        )}
        <dt>Recurring billing per period</dt>
        <dd>
          <Amount value={summary.recurringBefore} testId="summary-recurring-before" />
          <span className="summary-arrow" aria-label="becomes">
            {" "}
            →{" "}
          </span>
          <Amount value={summary.recurringAfter} testId="summary-recurring-after" />{" "}
          <span className="muted">{summary.currency}</span>
        </dd>
      </dl>

      {summary.prorationWarning !== null && (
        <div className="panel panel-warning" data-testid="proration-warning" role="note">
          <span className="panel-title">ConnectWise proration</span>
          <span className="panel-text">{summary.prorationWarning}</span>
        </div>
      )}

      {already !== null && (
        <div className="panel panel-success" data-testid="summary-already" role="note">
          <span className="panel-title">Already in ConnectWise</span>
          <span className="panel-text">{already}</span>
        </div>
      )}

      <h4 className="block-title" data-testid="summary-writes-title">
        {already !== null ? "Nothing is sent to ConnectWise" : `${plural(summary.writes.length, "write", "writes")} to ConnectWise`}
      </h4>
      {summary.writes.length > 0 ? (
        <WriteList writes={summary.writes} testId="planned-write" />
      ) : (
        already === null && <p className="muted">No change is selected.</p>
      )}
      {summary.written.length > 0 && (
        <>
          <h4 className="block-title" data-testid="summary-written-title">
            Already in ConnectWise ({summary.written.length}) <span className="hint">— not written again</span>
          </h4>
          <WriteList writes={summary.written} testId="written-write" muted />
        </>
      )}

      <div className="readiness-block">
        {first !== undefined ? (
          <>
            <button
              type="button"
              className="readiness readiness-blocked"
              data-testid="sync-readiness"
              data-ready="false"
              onClick={() => onGoToProblem(first)}
              title="Go to the first problem"
            >
              {readiness}
            </button>
            <ul className="problem-list problem-list-summary">
              {problems.map((problem, index) => (
                <li key={index}>
                  <button type="button" className="problem-link" data-testid="summary-problem" onClick={() => onGoToProblem(problem)}>
                    {problem.message}
                  </button>
                </li>
              ))}
            </ul>
          </>
        ) : (
          <p
            className={`readiness ${ready ? "readiness-ready" : "readiness-empty"}`}
            data-testid="sync-readiness"
            data-ready={ready}
            role="status"
          >
            {readiness}
          </p>
        )}
        <div className="sync-bar">
          <button
            type="button"
            className="btn btn-primary btn-sync"
            data-testid="sync-button"
            disabled={!canSync}
            title={
              whyNot ??
              (already !== null
                ? "Every write is already in ConnectWise: nothing is sent, and the task is closed as synced"
                : `Write ${plural(summary.writes.length, "change", "changes")} to the agreement in ConnectWise`)
            }
            aria-describedby={offline ? `${id}-offline` : undefined}
            onClick={onSync}
          >
            {already !== null ? "Close as synced" : "Sync"}
          </button>
          {offline && (
            <span id={`${id}-offline`} className="sync-offline" data-testid="sync-offline" role="status">
              Sync needs a connection to ConnectWise. The draft is kept.
            </span>
          )}
        </div>
        {syncError !== null && (
          <div className="panel panel-error sync-start-error" data-testid="sync-error" role="alert" data-code={syncError.code}>
            <span className="panel-title">Couldn't sync</span>
            <span className="panel-text">{syncError.message}</span>
            <button type="button" className="btn-icon" onClick={onDismissSyncError} aria-label="Dismiss error">
              ×
            </button>
          </div>
        )}
      </div>

      {history.length > 0 && (
        <details className="earlier-syncs" data-testid="earlier-syncs">
          <summary>
            Earlier syncs <span className="muted">({history.length})</span>
          </summary>
          <SyncHistoryList history={history} />
        </details>
      )}
    </section>
  );
}
