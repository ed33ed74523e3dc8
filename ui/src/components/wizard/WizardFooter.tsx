import type { WizardView } from "../../bindings/WizardView";
import { isAvailable, whyDisabled, type Step, type StepId } from "./wizardSteps";
import "./wizard.css";

interface WizardFooterProps {
  view: WizardView | null;
  previous: Step | undefined;
  next: Step | undefined;
  onGo: (step: StepId) => void;
}

/** Back and Next under the review; Next is disabled, with why, until Rust's state reaches the next step. */
export function WizardFooter({ view, previous, next, onGo }: WizardFooterProps) {
  return (
    <footer className="sheet-foot wizard-foot">
      {previous !== undefined && (
        <button type="button" className="btn" data-testid="wizard-back" onClick={() => onGo(previous.id)}>
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
          title={isAvailable(view, next.id) ? undefined : whyDisabled(view, next.id)}
          onClick={() => onGo(next.id)}
        >
          {next.label} →
        </button>
      )}
    </footer>
  );
}
