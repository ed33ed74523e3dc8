import type { ErrorView } from "../../bindings/ErrorView";
import type { Problem } from "../../bindings/Problem";
import type { WizardView } from "../../bindings/WizardView";
import type { Wizard } from "../../hooks/useWizard";
import { AgreementStep } from "./AgreementStep";
import { ChangesStep } from "./ChangesStep";
import { CompanyStep } from "./CompanyStep";
import type { FocusRequest } from "./rowEditing";
import { SummaryStep } from "./SummaryStep";
import { STEPS, stepOf, type StepId } from "./wizardSteps";

interface CurrentStepProps {
  step: StepId;
  taskId: number;
  view: WizardView;
  wizard: Pick<Wizard, "answered" | "send" | "reportError" | "inFlight">;
  focusRequest: FocusRequest | null;
  /** A company was picked on the Customer step. */
  onPickCompany: (companyId: number) => void;
  onGoToProblem: (problem: Problem) => void;
  offline: boolean;
  onSync: () => void;
  syncError: ErrorView | null;
  onDismissSyncError: () => void;
}

/** The review step on screen (customer, agreement, changes or summary), each with the problems fixed there. */
export function CurrentStep({ step, taskId, view, wizard, focusRequest, onPickCompany, onGoToProblem, offline, onSync, syncError, onDismissSyncError }: CurrentStepProps) {
  const { answered, send } = wizard;
  const problems = view.problems;
  // Saved edits that can't be used have their own banner above the steps; the Summary lists them
  // with everything else that blocks Sync.
  const stepProblems = problems.filter((p) => p.field !== "draft");
  const taskProblemsOf = (id: StepId) => stepProblems.filter((p) => p.rowKey === null && stepOf(p, view) === id);

  if (step === "customer") {
    return <CompanyStep taskId={taskId} customer={view.customer} problems={taskProblemsOf("customer")} onError={wizard.reportError} onPick={onPickCompany} />;
  }
  if (step === "agreement" && view.agreements !== null) {
    return (
      <AgreementStep
        agreements={view.agreements}
        problems={taskProblemsOf("agreement")}
        answered={answered}
        onChoose={(agreementId) => send({ kind: "chooseAgreement", agreementId })}
      />
    );
  }
  if (step === "changes" && view.plan !== null) {
    return (
      <ChangesStep
        plan={view.plan}
        problems={stepProblems}
        answered={answered}
        send={send}
        onError={wizard.reportError}
        focusRequest={focusRequest}
        fix={view.fix !== null}
      />
    );
  }
  if (step === "summary" && view.plan !== null) {
    return (
      <SummaryStep
        summary={view.plan.summary}
        calendar={view.plan.calendar}
        checking={wizard.inFlight > 0}
        onGoToProblem={onGoToProblem}
        stepOf={(problem) => STEPS.find((s) => s.id === stepOf(problem, view))?.label ?? "the problem"}
        offline={offline}
        onSync={onSync}
        syncError={syncError}
        onDismissSyncError={onDismissSyncError}
        history={view.history}
      />
    );
  }
  return null;
}
