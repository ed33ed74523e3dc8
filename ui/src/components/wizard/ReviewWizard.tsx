import { useEffect, useRef } from "react";
import type { TaskRow } from "../../bindings/TaskRow";
import { useWizard } from "../../hooks/useWizard";
import { CurrentStep } from "./CurrentStep";
import { SyncHistory } from "./SyncHistory";
import { SyncResult } from "./SyncResult";
import { UndoPanel } from "./UndoPanel";
import { useCloseGuards } from "./useCloseGuards";
import { useWizardScreen } from "./useWizardScreen";
import { useWizardSteps } from "./useWizardSteps";
import { WizardBanners } from "./WizardBanners";
import { WizardFooter } from "./WizardFooter";
import { WizardHeader } from "./WizardHeader";
import { WizardStepTabs } from "./WizardStepTabs";
import { backLabel, type TaskRef, type UndoRequest, type WizardOrigin } from "./wizardTask";
import "./wizard.css";

interface ReviewWizardProps {
  /** The task as the list shows it (the header, until the wizard has opened). */
  task: TaskRow | TaskRef;
  now: Date;
  /** The services can't be reached: Sync waits (reviewing goes on). */
  offline?: boolean;
  /** Finish the task's unfinished sync as soon as it has opened (the “Finish” of the list's banner). */
  resume?: boolean;
  /** Where it was opened from: its back button says so. */
  origin?: WizardOrigin;
  /** Open on the undo of a sync (Undo this sync… of the activity log or a batch's result). */
  undo?: UndoRequest | null;
  onClose: () => void;
  /** A sync (or setting one aside) has changed the task: the list and the status read it again. */
  onSynced?: () => void;
}

const NO_OP = () => {};

/**
 * The review of one task: customer → company, agreement, changes, summary, then Sync and its
 * result — and the undo of a sync it made, shown like any plan. Esc closes it (not while a sync or
 * an undo runs); the draft stays.
 */
export function ReviewWizard({ task, now, offline = false, resume = false, origin = "tasks", undo = null, onClose, onSynced = NO_OP }: ReviewWizardProps) {
  const back = backLabel(origin);
  const wizard = useWizard(task.id);
  const { view, send } = wizard;
  const titleRef = useRef<HTMLHeadingElement>(null);
  const bodyRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    titleRef.current?.focus();
  }, []);

  const steps = useWizardSteps(view, wizard.answered, bodyRef);
  const { current, goTo } = steps;
  const screen = useWizardScreen({ taskId: task.id, wizard, steps, resume, undoRequest: undo, onSynced });
  const { sync, reviewing, running } = screen;
  useCloseGuards(running, onClose);

  return (
    <section className="sheet wizard" data-testid="wizard" data-task-id={task.id} aria-labelledby="wizard-title">
      <WizardHeader
        task={task}
        view={view}
        now={now}
        reviewing={reviewing}
        saving={wizard.inFlight > 0}
        running={running}
        onClose={onClose}
        backLabel={back}
        titleRef={titleRef}
      />

      {reviewing && <WizardStepTabs view={view} current={current} onGo={goTo} />}

      <WizardBanners wizard={wizard} reviewing={reviewing} notice={screen.notice} onDismissNotice={screen.dismissNotice} />

      <div className="wizard-body" ref={bodyRef}>
        {screen.showingSync ? (
          <SyncResult
            view={sync.phase.kind === "idle" ? null : sync.phase.view}
            running={running}
            offline={offline}
            error={sync.error}
            onDismissError={sync.dismissError}
            onRetry={sync.start}
            onRefresh={screen.refresh}
            onDiscard={screen.discard}
            onClose={onClose}
            backLabel={back}
            onShowHistory={screen.showHistory}
            onUndo={screen.openUndo}
          />
        ) : screen.showingUndo ? (
          <UndoPanel
            undo={screen.undo}
            offline={offline}
            onDiscard={screen.discardUndo}
            onBack={screen.leaveUndo}
            onClose={onClose}
            backLabel={back}
          />
        ) : screen.showingHistory && view !== null ? (
          <SyncHistory
            history={view.history}
            canSyncAgain={view.task.status === "synced"}
            offline={offline}
            onSyncAgain={sync.start}
            onUndo={screen.openUndo}
            onClose={onClose}
            backLabel={back}
          />
        ) : view === null ? (
          wizard.opening && (
            <p className="wizard-loading" role="status">
              Opening the review…
            </p>
          )
        ) : (
          <CurrentStep
            step={current}
            taskId={task.id}
            view={view}
            wizard={wizard}
            focusRequest={steps.focusRequest}
            onPickCompany={(companyId) => steps.advanceAfter(send({ kind: "mapCustomer", companyId }), "agreement")}
            onGoToProblem={steps.goToProblem}
            offline={offline}
            onSync={screen.syncNow}
            syncError={sync.error}
            onDismissSyncError={sync.dismissError}
          />
        )}
      </div>

      {reviewing && <WizardFooter view={view} previous={steps.previous} next={steps.next} onGo={goTo} />}
    </section>
  );
}
