import { useCallback, useEffect, useRef, useState } from "react";
import type { Problem } from "../../bindings/Problem";
import type { TaskRow } from "../../bindings/TaskRow";
import type { WizardView } from "../../bindings/WizardView";
import { TASK_TYPE_LABELS, connectwiseAgeText, formatDateTime } from "../../format";
import { useWizard } from "../../hooks/useWizard";
import { AgreementStep } from "./AgreementStep";
import { ChangesStep } from "./ChangesStep";
import { CompanyStep } from "./CompanyStep";
import type { FocusRequest } from "./PlanTable";
import { SummaryStep } from "./SummaryStep";

export type StepId = "customer" | "agreement" | "changes" | "summary";

const STEPS: readonly { id: StepId; label: string }[] = [
  { id: "customer", label: "Customer" },
  { id: "agreement", label: "Agreement" },
  { id: "changes", label: "Changes" },
  { id: "summary", label: "Summary" },
];

function isAvailable(view: WizardView | null, step: StepId): boolean {
  if (view === null) return step === "customer";
  switch (step) {
    case "customer":
      return true;
    case "agreement":
      return view.agreements !== null;
    case "changes":
    case "summary":
      return view.plan !== null;
  }
}

/** Where a reopened wizard starts: the furthest step the draft reached. */
function startStep(view: WizardView): StepId {
  if (view.plan !== null) return "changes";
  if (view.agreements !== null) return "agreement";
  return "customer";
}

/** The step where a problem is fixed. */
function stepOf(problem: Problem, view: WizardView): StepId {
  if (problem.rowKey !== null) return "changes";
  if (problem.field === "company" || problem.field === "customer") return "customer";
  if (problem.field === "agreement") return "agreement";
  return startStep(view);
}

const WHY_DISABLED: Readonly<Record<StepId, string>> = {
  customer: "",
  agreement: "Map the customer to a ConnectWise company first",
  changes: "Choose an agreement first",
  summary: "Choose an agreement first",
};

const FOCUSABLE = "input:not([disabled]), select:not([disabled]), textarea:not([disabled]), button:not([disabled])";

function focusInside(element: HTMLElement) {
  const target = element.matches(FOCUSABLE) ? element : element.querySelector<HTMLElement>(FOCUSABLE);
  if (typeof element.scrollIntoView === "function") element.scrollIntoView({ block: "nearest" });
  if (target !== null) {
    target.focus();
  } else {
    element.tabIndex = -1;
    element.focus();
  }
}

interface ReviewWizardProps {
  /** The task as the list shows it (the header, until the wizard has opened). */
  task: TaskRow;
  now: Date;
  onClose: () => void;
}

/** The review of one task: customer → company, agreement, changes, summary. Esc closes it; the draft stays. */
export function ReviewWizard({ task, now, onClose }: ReviewWizardProps) {
  const wizard = useWizard(task.id);
  const { view, answered, send } = wizard;
  const [step, setStep] = useState<StepId | null>(null);
  const [focusRequest, setFocusRequest] = useState<FocusRequest | null>(null);
  const advanceAfter = useRef<{ seq: number; to: StepId } | null>(null);
  const titleRef = useRef<HTMLHeadingElement>(null);
  const bodyRef = useRef<HTMLDivElement>(null);
  const userMoved = useRef(false);

  useEffect(() => {
    titleRef.current?.focus();
  }, []);

  // The first answer: start where the draft was left.
  useEffect(() => {
    if (view !== null && step === null) setStep(startStep(view));
  }, [view, step]);

  // A company was picked: go on to the agreements once they are there.
  useEffect(() => {
    const pending = advanceAfter.current;
    if (pending === null || answered < pending.seq) return;
    advanceAfter.current = null;
    if (isAvailable(view, pending.to)) {
      userMoved.current = true;
      setStep(pending.to);
    }
  }, [answered, view]);

  const fallback: StepId = view === null ? "customer" : startStep(view);
  const current: StepId = step !== null && isAvailable(view, step) ? step : fallback;
  const index = STEPS.findIndex((s) => s.id === current);
  const previous = STEPS[index - 1];
  const next = STEPS[index + 1];

  const goTo = useCallback((target: StepId) => {
    userMoved.current = true;
    setFocusRequest(null);
    setStep(target);
  }, []);

  // Moving between steps puts the focus on the step's title, so the keyboard starts from the top.
  useEffect(() => {
    if (!userMoved.current) return;
    userMoved.current = false;
    if (focusRequest !== null) return;
    bodyRef.current?.querySelector<HTMLElement>(".step-title")?.focus();
  }, [current, focusRequest]);

  const goToProblem = useCallback(
    (problem: Problem) => {
      if (view === null) return;
      setStep(stepOf(problem, view));
      setFocusRequest((r) => ({ rowKey: problem.rowKey, field: problem.field, nonce: (r?.nonce ?? 0) + 1 }));
    },
    [view],
  );

  // A problem of the task (not of a row): go to its field, else to the problems at the top.
  useEffect(() => {
    if (focusRequest === null || focusRequest.rowKey !== null) return;
    const body = bodyRef.current;
    if (body === null) return;
    const target =
      body.querySelector<HTMLElement>(`[data-problem-for="${focusRequest.field}"]`) ??
      body.querySelector<HTMLElement>('[data-testid="step-problem"]') ??
      body.querySelector<HTMLElement>(".step-title");
    if (target !== null) focusInside(target);
  }, [focusRequest]);

  // Escape closes the wizard (fields that use Escape themselves mark it as handled).
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== "Escape" || event.defaultPrevented) return;
      event.preventDefault();
      onClose();
    };
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  }, [onClose]);

  const shown = view?.task ?? task;
  const problems = view?.problems ?? [];
  const fetchedAt = view?.connectwiseFetchedAt ?? null;

  return (
    <section className="wizard" data-testid="wizard" data-task-id={task.id} aria-labelledby="wizard-title">
      <header className="wizard-head">
        <div className="wizard-heading">
          <h2 id="wizard-title" className="wizard-title" ref={titleRef} tabIndex={-1}>
            {shown.customerName} <span className="mono muted">{shown.customerId}</span>
          </h2>
          <div className="wizard-meta">
            <span>{TASK_TYPE_LABELS[shown.taskType]}</span>
            <span>
              Order <span className="mono">{shown.orderId}</span>
            </span>
            <span className="tabular" title={formatDateTime(shown.orderDate, true)}>
              {formatDateTime(shown.orderDate)}
            </span>
            {shown.subscriptionName !== "" && <span>{shown.subscriptionName}</span>}
          </div>
        </div>
        <div className="wizard-head-side">
          {view !== null && (
            <span
              className={`connectwise-age${fetchedAt === null ? " connectwise-age-none" : ""}`}
              data-testid="connectwise-age"
              title={fetchedAt === null ? "Check Changes reads the ConnectWise data" : `Read ${formatDateTime(fetchedAt, true)}`}
            >
              {connectwiseAgeText(fetchedAt, now)}
            </span>
          )}
          <span className="draft-status" data-testid="draft-status" role="status">
            {wizard.inFlight > 0 ? "Saving draft…" : view !== null ? "Draft saved" : ""}
          </span>
          <button type="button" className="btn" data-testid="wizard-close" onClick={onClose} title="Back to the task list (Esc); the draft is kept">
            Back to tasks
          </button>
        </div>
      </header>

      <nav className="wizard-steps" aria-label="Steps">
        <ol>
          {STEPS.map((s, i) => {
            const available = isAvailable(view, s.id) && view !== null;
            return (
              <li key={s.id}>
                <button
                  type="button"
                  className={`step-tab${s.id === current ? " step-tab-current" : ""}`}
                  data-testid={`wizard-step-${s.id}`}
                  aria-current={s.id === current ? "step" : undefined}
                  disabled={!available}
                  title={available ? undefined : WHY_DISABLED[s.id]}
                  onClick={() => goTo(s.id)}
                >
                  <span className="step-number" aria-hidden="true">
                    {i + 1}
                  </span>
                  {s.label}
                </button>
              </li>
            );
          })}
        </ol>
      </nav>

      {wizard.error !== null && (
        <div className="panel panel-error wizard-error" data-testid="wizard-error" role="alert" data-code={wizard.error.code}>
          <span className="panel-title">{view === null ? "Couldn't open the review" : "Not saved"}</span>
          <span className="panel-text">{wizard.error.message}</span>
          {view === null ? (
            <button type="button" className="btn btn-small" data-testid="wizard-retry" onClick={wizard.reload}>
              Try again
            </button>
          ) : (
            <button type="button" className="btn-icon" onClick={wizard.dismissError} aria-label="Dismiss error">
              ×
            </button>
          )}
        </div>
      )}

      <div className="wizard-body" ref={bodyRef}>
        {view === null ? (
          wizard.opening && (
            <p className="wizard-loading" role="status">
              Opening the review…
            </p>
          )
        ) : current === "customer" ? (
          <CompanyStep
            taskId={task.id}
            customer={view.customer}
            problems={problems.filter((p) => p.rowKey === null && stepOf(p, view) === "customer")}
            onError={wizard.reportError}
            onPick={(companyId) => {
              advanceAfter.current = { seq: send({ kind: "mapCustomer", companyId }), to: "agreement" };
            }}
          />
        ) : current === "agreement" && view.agreements !== null ? (
          <AgreementStep
            agreements={view.agreements}
            problems={problems.filter((p) => p.rowKey === null && stepOf(p, view) === "agreement")}
            answered={answered}
            onChoose={(agreementId) => send({ kind: "chooseAgreement", agreementId })}
          />
        ) : current === "changes" && view.plan !== null ? (
          <ChangesStep
            plan={view.plan}
            problems={problems}
            answered={answered}
            send={send}
            onError={wizard.reportError}
            focusRequest={focusRequest}
          />
        ) : current === "summary" && view.plan !== null ? (
          <SummaryStep summary={view.plan.summary} problems={problems} onGoToProblem={goToProblem} />
        ) : null}
      </div>

      <footer className="wizard-foot">
        {previous !== undefined && (
          <button type="button" className="btn" data-testid="wizard-back" onClick={() => goTo(previous.id)}>
            ← {previous.label}
          </button>
        )}
        <span className="wizard-foot-spacer" />
        {next !== undefined && (
          <button
            type="button"
            className="btn btn-primary"
            data-testid="wizard-next"
            disabled={!isAvailable(view, next.id) || view === null}
            title={isAvailable(view, next.id) ? undefined : WHY_DISABLED[next.id]}
            onClick={() => goTo(next.id)}
          >
            {next.label} →
          </button>
        )}
      </footer>
    </section>
  );
}
