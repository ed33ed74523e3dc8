import type { Wizard } from "../../hooks/useWizard";
import { ErrorPanel } from "../ErrorPanel";
import "./wizard.css";

interface WizardBannersProps {
  wizard: Pick<Wizard, "view" | "error" | "inFlight" | "send" | "reload" | "dismissError">;
  /** The steps are on screen (the notice and the draft's problem are about them). */
  reviewing: boolean;
  notice: string | null;
  onDismissNotice: () => void;
}

/** The banners above the steps: a command that failed, why the review starts over, saved edits that can't be used. */
export function WizardBanners({ wizard, reviewing, notice, onDismissNotice }: WizardBannersProps) {
  const { view, error } = wizard;
  return (
    <>
      {error !== null && (
        <ErrorPanel
          error={error}
          title={view === null ? "Couldn't open the review" : "Not saved"}
          testId="wizard-error"
          className="wizard-error"
          onDismiss={view === null ? undefined : wizard.dismissError}
          dismissLabel="Dismiss error"
        >
          {view === null && (
            <button type="button" className="btn btn-small" data-testid="wizard-retry" onClick={wizard.reload}>
              Try again
            </button>
          )}
        </ErrorPanel>
      )}

      {reviewing && view !== null && view.fix !== null && (
        <div className="panel panel-info wizard-fix" data-testid="wizard-fix" data-outcome={view.fix.outcome} role="note">
          <span className="panel-title">
            Reconcile fix — {view.fix.productName}: {view.fix.label}
          </span>
          <span className="panel-text">
            {view.fix.words}{" "}
            {view.fix.endsOnly ? "The plan ends what ConnectWise still bills." : "The plan makes ConnectWise bill what the marketplace has."}{" "}
            {view.fix.defaultEffectiveDate !== "" &&
              `By default it takes effect on ${view.fix.defaultEffectiveDate}, the next period's start, so nothing is prorated; an earlier effective date prorates the difference.`}
          </span>
        </div>
      )}

      {reviewing && notice !== null && (
        <div className="panel panel-info wizard-error" data-testid="wizard-notice" role="status">
          <span className="panel-text">{notice}</span>
          <button type="button" className="btn-icon" onClick={onDismissNotice} aria-label="Dismiss note">
            ×
          </button>
        </div>
      )}

      {reviewing && view !== null && view.draftProblem !== null && (
        <ErrorPanel error={view.draftProblem} title="Saved edits can't be used" testId="draft-problem" className="wizard-error">
          <button
            type="button"
            className="btn btn-small"
            data-testid="reset-task"
            disabled={wizard.inFlight > 0}
            onClick={() => wizard.send({ kind: "resetTask" })}
          >
            Reset this task's edits
          </button>
        </ErrorPanel>
      )}
    </>
  );
}
