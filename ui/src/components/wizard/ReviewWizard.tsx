import { useCallback, useEffect, useRef, useState } from "react";
import type { ErrorView } from "../../bindings/ErrorView";
import type { Problem } from "../../bindings/Problem";
import type { TaskRow } from "../../bindings/TaskRow";
import type { WizardView } from "../../bindings/WizardView";
import { TASK_TYPE_LABELS, connectwiseAgeText, formatDateTime } from "../../format";
import { useSync } from "../../hooks/useSync";
import { useWizard } from "../../hooks/useWizard";
import { discardSync, openWizard, refreshAgreement, toIpcError } from "../../ipc";
import { AgreementStep } from "./AgreementStep";
import { ChangesStep } from "./ChangesStep";
import { CompanyStep } from "./CompanyStep";
import type { FocusRequest } from "./rowEditing";
import { SummaryStep } from "./SummaryStep";
import { SyncHistory } from "./SyncHistory";
import { SyncResult } from "./SyncResult";
import "./wizard.css";

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
  if (problem.field === "company") return "customer";
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

/** A task known only by id and words (an unfinished sync of a task the list has not loaded). */
export interface TaskRef {
  id: number;
  /** "Green Lane LLC — order 1000231". */
  label: string;
}

function isRow(task: TaskRow | TaskRef): task is TaskRow {
  return "orderId" in task;
}

interface ReviewWizardProps {
  /** The task as the list shows it (the header, until the wizard has opened). */
  task: TaskRow | TaskRef;
  now: Date;
  /** The services can't be reached: Sync waits (reviewing goes on). */
  offline?: boolean;
  /** Finish the task's unfinished sync as soon as it has opened (the “Finish” of the list's banner). */
  resume?: boolean;
  onClose: () => void;
  /** A sync (or setting one aside) has changed the task: the list and the status read it again. */
  onSynced?: () => void;
}

/** What the wizard shows in place of the steps (a sync on screen comes before both). */
type Screen = "review" | "history";

const NO_OP = () => {};

/**
 * The review of one task: customer → company, agreement, changes, summary, then Sync and its
 * result. Esc closes it (not while a sync runs); the draft stays.
 */
export function ReviewWizard({ task, now, offline = false, resume = false, onClose, onSynced = NO_OP }: ReviewWizardProps) {
  const wizard = useWizard(task.id);
  const { view, answered, send, replace } = wizard;
  const [screen, setScreen] = useState<Screen>("review");
  const [notice, setNotice] = useState<string | null>(null);
  const [step, setStep] = useState<StepId | null>(null);
  const [moves, setMoves] = useState(0);
  const [focusRequest, setFocusRequest] = useState<FocusRequest | null>(null);
  const advanceAfter = useRef<{ seq: number; to: StepId } | null>(null);
  const titleRef = useRef<HTMLHeadingElement>(null);
  const bodyRef = useRef<HTMLDivElement>(null);
  const userMoved = useRef(false);

  useEffect(() => {
    titleRef.current?.focus();
  }, []);

  const onSyncedRef = useRef(onSynced);
  onSyncedRef.current = onSynced;
  const taskId = task.id;

  // After a run: the task's history and status as Rust recorded them, here and in the list.
  const afterRun = useCallback(async (): Promise<WizardView | null> => {
    onSyncedRef.current();
    try {
      const next = await openWizard(taskId);
      replace(next);
      return next;
    } catch {
      return null;
    }
  }, [replace, taskId]);
  const sync = useSync(taskId, { afterRun });
  const { show: showSync, start: startSync, leave: leaveSync } = sync;

  // The first answer: start where the draft was left — or on the task's unfinished sync, or on the
  // history of a synced task.
  const opened = useRef(false);
  useEffect(() => {
    if (view === null || opened.current) return;
    opened.current = true;
    setStep(startStep(view));
    const latest = view.history[0];
    if (latest !== undefined && latest.open) {
      showSync(latest);
      if (resume) startSync();
    } else if (view.task.status === "synced") {
      setScreen("history");
    }
  }, [view, showSync, startSync, resume]);

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
    setMoves((n) => n + 1);
  }, []);

  // Moving between steps puts the focus on the step's title, so the keyboard starts from the top.
  useEffect(() => {
    if (!userMoved.current) return;
    userMoved.current = false;
    if (focusRequest !== null) return;
    bodyRef.current?.querySelector<HTMLElement>(".step-title")?.focus();
  }, [current, focusRequest, moves]);

  /** Back to the review of a new state from Rust (refreshed, or a sync set aside): its changes. */
  const backToReview = useCallback(
    (next: WizardView, message: string) => {
      replace(next);
      leaveSync();
      setScreen("review");
      setNotice(message);
      goTo(next.plan !== null ? "changes" : startStep(next));
    },
    [replace, leaveSync, goTo],
  );

  const refresh = useCallback(async (): Promise<ErrorView | null> => {
    try {
      const next = await refreshAgreement(taskId);
      backToReview(next, "The agreement was read again from ConnectWise. Review the changes, then Sync.");
      return null;
    } catch (reason: unknown) {
      return toIpcError(reason).view;
    }
  }, [taskId, backToReview]);

  const discard = useCallback(async (): Promise<ErrorView | null> => {
    try {
      const next = await discardSync(taskId);
      backToReview(next, "The unfinished sync was set aside. Review the changes against the agreement as it is now, then Sync.");
      onSyncedRef.current();
      return null;
    } catch (reason: unknown) {
      return toIpcError(reason).view;
    }
  }, [taskId, backToReview]);

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

  // Escape closes the wizard (fields that use Escape themselves mark it as handled) — never while a
  // sync runs: it must not be left by accident.
  const running = sync.running;
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== "Escape" || event.defaultPrevented) return;
      event.preventDefault();
      if (running) return;
      onClose();
    };
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  }, [onClose, running]);

  // Closing the window mid-sync asks first (the sync itself would be resumed on the next start).
  useEffect(() => {
    if (!running) return;
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      event.preventDefault();
    };
    window.addEventListener("beforeunload", onBeforeUnload);
    return () => window.removeEventListener("beforeunload", onBeforeUnload);
  }, [running]);

  const shown: TaskRow | null = view?.task ?? (isRow(task) ? task : null);
  const problems = view?.problems ?? [];
  // Saved edits that can't be used have their own banner above the steps; the Summary lists them
  // with everything else that blocks Sync.
  const stepProblems = problems.filter((p) => p.field !== "draft");
  const fetchedAt = view?.connectwiseFetchedAt ?? null;
  const syncView = sync.phase.kind === "idle" ? null : sync.phase.view;
  const showingSync = sync.phase.kind !== "idle";
  const showingHistory = !showingSync && screen === "history" && view !== null;
  const reviewing = !showingSync && !showingHistory;

  return (
    <section className="sheet wizard" data-testid="wizard" data-task-id={task.id} aria-labelledby="wizard-title">
      <header className="sheet-head wizard-head">
        <div className="sheet-heading">
          <h2 id="wizard-title" className="sheet-title wizard-title" ref={titleRef} tabIndex={-1}>
            {shown === null ? (
              isRow(task) ? "" : task.label
            ) : (
              <>
                {shown.customerName} <span className="mono muted">{shown.customerId}</span>
              </>
            )}
          </h2>
          {shown !== null && (
            <div className="sheet-subtitle wizard-meta">
              <span>{TASK_TYPE_LABELS[shown.taskType]}</span>
              <span>
                Order <span className="mono">{shown.orderId}</span>
              </span>
              <span className="tabular" title={formatDateTime(shown.orderDate, true)}>
                {formatDateTime(shown.orderDate)}
              </span>
              {shown.subscriptionName !== "" && <span>{shown.subscriptionName}</span>}
            </div>
          )}
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
          {reviewing && (
            <span className="draft-status" data-testid="draft-status" role="status">
              {wizard.inFlight > 0 ? "Saving draft…" : view !== null ? "Draft saved" : ""}
            </span>
          )}
          <button
            type="button"
            className="btn"
            data-testid="wizard-close"
            onClick={onClose}
            disabled={running}
            title={running ? "A sync is running: wait until it finishes" : "Back to the task list (Esc); the draft is kept"}
          >
            Back to tasks
          </button>
        </div>
      </header>

      {reviewing && (
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
      )}

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

      {reviewing && notice !== null && (
        <div className="panel panel-info wizard-error" data-testid="wizard-notice" role="status">
          <span className="panel-text">{notice}</span>
          <button type="button" className="btn-icon" onClick={() => setNotice(null)} aria-label="Dismiss note">
            ×
          </button>
        </div>
      )}

      {reviewing && view !== null && view.draftProblem !== null && (
        <div className="panel panel-error wizard-error" data-testid="draft-problem" role="alert">
          <span className="panel-title">Saved edits can't be used</span>
          <span className="panel-text">{view.draftProblem}</span>
          <button
            type="button"
            className="btn btn-small"
            data-testid="reset-task"
            disabled={wizard.inFlight > 0}
            onClick={() => wizard.send({ kind: "resetTask" })}
          >
            Reset this task's edits
          </button>
        </div>
      )}

      <div className="wizard-body" ref={bodyRef}>
        {showingSync ? (
          <SyncResult
            view={syncView}
            running={running}
            offline={offline}
            error={sync.error}
            onDismissError={sync.dismissError}
            onRetry={sync.start}
            onRefresh={refresh}
            onDiscard={discard}
            onClose={onClose}
            onShowHistory={
              view !== null && view.history.length > 0
                ? () => {
                    sync.leave();
                    setScreen("history");
                  }
                : null
            }
          />
        ) : showingHistory ? (
          <SyncHistory
            history={view.history}
            canSyncAgain={view.task.status === "synced"}
            offline={offline}
            onSyncAgain={sync.start}
            onClose={onClose}
          />
        ) : view === null ? (
          wizard.opening && (
            <p className="wizard-loading" role="status">
              Opening the review…
            </p>
          )
        ) : current === "customer" ? (
          <CompanyStep
            taskId={task.id}
            customer={view.customer}
            problems={stepProblems.filter((p) => p.rowKey === null && stepOf(p, view) === "customer")}
            onError={wizard.reportError}
            onPick={(companyId) => {
              advanceAfter.current = { seq: send({ kind: "mapCustomer", companyId }), to: "agreement" };
            }}
          />
        ) : current === "agreement" && view.agreements !== null ? (
          <AgreementStep
            agreements={view.agreements}
            problems={stepProblems.filter((p) => p.rowKey === null && stepOf(p, view) === "agreement")}
            answered={answered}
            onChoose={(agreementId) => send({ kind: "chooseAgreement", agreementId })}
          />
        ) : current === "changes" && view.plan !== null ? (
          <ChangesStep
            plan={view.plan}
            problems={stepProblems}
            answered={answered}
            send={send}
            onError={wizard.reportError}
            focusRequest={focusRequest}
          />
        ) : current === "summary" && view.plan !== null ? (
          <SummaryStep
            summary={view.plan.summary}
            problems={problems}
            onGoToProblem={goToProblem}
            offline={offline}
            onSync={() => {
              setNotice(null);
              sync.start();
            }}
            syncError={sync.error}
            onDismissSyncError={sync.dismissError}
            history={view.history}
          />
        ) : null}
      </div>

      {reviewing && (
        <footer className="sheet-foot wizard-foot">
          {previous !== undefined && (
            <button type="button" className="btn" data-testid="wizard-back" onClick={() => goTo(previous.id)}>
              ← {previous.label}
            </button>
          )}
          <span className="sheet-foot-spacer" />
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
      )}
    </section>
  );
}
