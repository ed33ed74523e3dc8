import { useId } from "react";
import type { CalendarView } from "../../bindings/CalendarView";
import type { ErrorView } from "../../bindings/ErrorView";
import type { PlanSummary } from "../../bindings/PlanSummary";
import type { PlannedWrite } from "../../bindings/PlannedWrite";
import type { Problem } from "../../bindings/Problem";
import type { SyncView } from "../../bindings/SyncView";
import { plural, readinessText, writeKindText } from "../../format";
import { Amount } from "./Amount";
import { CalendarWarning } from "./CalendarNote";
import { NextInvoicePanel } from "./NextInvoicePanel";
import { SyncHistoryList } from "./SyncHistory";
import { ErrorPanel } from "../ErrorPanel";
import "./wizard.css";
import "./sync.css";

interface SummaryStepProps {
  summary: PlanSummary;
  /** The agreement's invoice calendar (SPEC §16). */
  calendar: CalendarView;
  /** An edit is sent and not answered yet: the summary on screen is of the state before it. */
  checking: boolean;
  /** Goes to where a problem can be fixed. */
  onGoToProblem: (problem: Problem) => void;
  /** The name of the step a problem is fixed on ("Changes"). */
  stepOf: (problem: Problem) => string;
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

function WriteList({ writes, testId, muted = false }: { writes: PlannedWrite[]; testId: string; muted?: boolean }) {
  return (
    <ol className={`write-list${muted ? " muted" : ""}`}>
      {writes.map((write, index) => (
        <li key={`${write.rowKey}-${index}`} className="write" data-testid={testId} data-row-key={write.rowKey}>
          <span className="write-kind">{writeKindText(write)}</span>
          <span className="write-text">{write.description}</span>
        </li>
      ))}
    </ol>
  );
}

/** Why Sync can't be pressed, as its tooltip says it; `undefined` when it can. */
function whySyncWaits(summary: PlanSummary, checking: boolean, offline: boolean): string | undefined {
  if (checking) return "Wait: your last edit is still being checked";
  const first = summary.problems[0];
  if (first !== undefined) return `${readinessText(summary.problems.length, 0)} — ${first.place}: ${first.message}`;
  if (!summary.ready) return "No change is selected: select at least one on the Changes step";
  if (offline) return "Sync needs a connection to ConnectWise";
  return undefined;
}

/** Sync (or why it waits), the offline note, and why the last Sync could not start. */
function SyncBar({
  summary,
  checking,
  offline,
  onSync,
  syncError,
  onDismissSyncError,
}: Pick<SummaryStepProps, "summary" | "checking" | "offline" | "onSync" | "syncError" | "onDismissSyncError">) {
  const id = useId();
  const { already } = summary;
  const whyNot = whySyncWaits(summary, checking, offline);
  return (
    <>
      <div className="sync-bar">
        <button
          type="button"
          className="btn btn-primary btn-sync"
          data-testid="sync-button"
          disabled={whyNot !== undefined}
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
        <ErrorPanel
          error={syncError}
          title="Couldn't sync"
          testId="sync-error"
          className="sync-start-error"
          onDismiss={onDismissSyncError}
          dismissLabel="Dismiss error"
        />
      )}
    </>
  );
}

function EarlierSyncs({ history }: { history: SyncView[] }) {
  if (history.length === 0) return null;
  return (
    <details className="earlier-syncs" data-testid="earlier-syncs">
      <summary>
        Earlier syncs <span className="muted">({history.length})</span>
      </summary>
      <SyncHistoryList history={history} />
    </details>
  );
}

/**
 * Step 5 while Sync can't write the plan: what blocks it, each where it is (the row and field, or
 * the part of the review) with a way back to it — or, while the last edit is being checked, only
 * that. No amount and no write: with a refused value the plan still holds the planned one, which
 * is not what was typed.
 */
/**
 * The Summary's first lines, with problems or without: the agreement written to, its currency, its
 * invoice calendar (unreadable, that is the warning under these lines instead).
 */
function WhereItGoes({ summary, calendar }: Pick<SummaryStepProps, "summary" | "calendar">) {
  return (
    <>
      <dt>Agreement</dt>
      <dd data-testid="summary-agreement">
        {summary.agreementName} <span className="muted">— {summary.companyName}</span>
      </dd>
      <dt>Currency</dt>
      <dd data-testid="summary-currency">{summary.currency}</dd>
      {!calendar.unreadable && calendar.words !== "" && (
        <>
          <dt>Invoice calendar</dt>
          <dd className="tabular" data-testid="summary-calendar">
            {calendar.words}
          </dd>
        </>
      )}
    </>
  );
}

function SummaryOnHold(props: SummaryStepProps) {
  const { summary, calendar, checking, onGoToProblem, stepOf, history } = props;
  const id = useId();
  const { problems } = summary;
  const first = problems[0];
  return (
    <section className="wizard-step" data-testid="step-summary" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`} className="step-title" tabIndex={-1}>
        Summary
      </h3>
      <dl className="summary-list">
        <WhereItGoes summary={summary} calendar={calendar} />
      </dl>
      <CalendarWarning calendar={calendar} />
      {!checking && (
        <div className="panel panel-warning" data-testid="summary-blocked" role="note">
          <span className="panel-title">Sync can't write this plan yet</span>
          <span className="panel-text">Amounts and writes show once these are fixed: until then they would not be what Sync writes.</span>
        </div>
      )}
      <div className="readiness-block">
        {checking ? (
          <p className="readiness readiness-empty" data-testid="summary-checking" role="status">
            Checking your last edit…
          </p>
        ) : (
          first !== undefined && (
            <>
              <button
                type="button"
                className="readiness readiness-blocked"
                data-testid="sync-readiness"
                data-ready="false"
                onClick={() => onGoToProblem(first)}
                title="Go to the first problem"
              >
                {readinessText(problems.length, 0)}
              </button>
              <ul className="problem-list problem-list-summary">
                {problems.map((problem, index) => (
                  <li key={index}>
                    <button type="button" className="problem-link summary-problem" data-testid="summary-problem" onClick={() => onGoToProblem(problem)}>
                      <span className="summary-problem-place" data-testid="summary-problem-place">
                        {problem.place}
                      </span>
                      <span className="summary-problem-message">{problem.message}</span>
                      <span className="summary-problem-go">Go to {stepOf(problem)} →</span>
                    </button>
                  </li>
                ))}
              </ul>
            </>
          )
        )}
        <SyncBar {...props} />
      </div>
      <EarlierSyncs history={history} />
    </section>
  );
}

/** Step 5: what Sync will write, in amounts, and whether it can. */
export function SummaryStep(props: SummaryStepProps) {
  if (props.checking || props.summary.problems.length > 0) return <SummaryOnHold {...props} />;
  return <SummaryOfPlan {...props} />;
}

/** Step 5 with a plan Sync can write (or nothing selected): its amounts and writes. */
function SummaryOfPlan(props: SummaryStepProps) {
  const { summary, calendar, history } = props;
  const id = useId();
  const ready = summary.ready;
  const { already } = summary;
  const readiness = readinessText(0, summary.writes.length, already !== null);

  return (
    <section className="wizard-step" data-testid="step-summary" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`} className="step-title" tabIndex={-1}>
        Summary
      </h3>

      <dl className="summary-list">
        <WhereItGoes summary={summary} calendar={calendar} />
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

      <CalendarWarning calendar={calendar} />

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

      {summary.nextInvoice !== null && <NextInvoicePanel next={summary.nextInvoice} />}

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
        <p
          className={`readiness ${ready ? "readiness-ready" : "readiness-empty"}`}
          data-testid="sync-readiness"
          data-ready={ready}
          role="status"
        >
          {readiness}
        </p>
        <SyncBar {...props} />
      </div>

      <EarlierSyncs history={history} />
    </section>
  );
}
