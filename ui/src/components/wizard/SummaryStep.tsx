import { useId } from "react";
import type { PlanSummary } from "../../bindings/PlanSummary";
import type { Problem } from "../../bindings/Problem";
import { plural, readinessText } from "../../format";

interface SummaryStepProps {
  summary: PlanSummary;
  problems: Problem[];
  /** Goes to where a problem can be fixed. */
  onGoToProblem: (problem: Problem) => void;
}

function Amount({ value, testId }: { value: string; testId: string }) {
  return (
    <span className={`amount tabular${value.startsWith("-") ? " amount-negative" : ""}`} data-testid={testId}>
      {value === "" ? "—" : value}
    </span>
  );
}

/** Step 5: what Sync will write, in amounts, and whether it can. */
export function SummaryStep({ summary, problems, onGoToProblem }: SummaryStepProps) {
  const id = useId();
  const ready = problems.length === 0 && summary.writes.length > 0;
  const first = problems[0];
  const readiness = readinessText(problems.length, summary.writes.length);

  return (
    <section className="wizard-step" data-testid="step-summary" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`} className="step-title" tabIndex={-1}>
        Summary
      </h3>

      <dl className="summary-list">
        <dt>Currency</dt>
        <dd data-testid="summary-currency">{summary.currency}</dd>
        <dt>Prorated billing amount</dt>
        <dd>
          <Amount value={summary.prorated} testId="summary-prorated" /> <span className="muted">{summary.currency}</span>
          <span className="hint"> — one time</span>
        </dd>
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

      <h4 className="block-title">{plural(summary.writes.length, "write", "writes")} to ConnectWise</h4>
      {summary.writes.length === 0 ? (
        <p className="muted">No change is selected.</p>
      ) : (
        <ol className="write-list">
          {summary.writes.map((write, index) => (
            <li key={`${write.rowKey}-${index}`} className="write" data-testid="planned-write" data-row-key={write.rowKey}>
              <span className="write-kind">{write.kind}</span>
              <span className="write-text">{write.description}</span>
            </li>
          ))}
        </ol>
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
      </div>
    </section>
  );
}
