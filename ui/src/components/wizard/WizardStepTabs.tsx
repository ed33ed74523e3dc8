import type { WizardView } from "../../bindings/WizardView";
import { STEPS, isAvailable, whyDisabled, type StepId } from "./wizardSteps";
import "./wizard.css";

/** The numbered step tabs above the review: the current one marked, the unreachable ones disabled with why. */
export function WizardStepTabs({ view, current, onGo }: { view: WizardView | null; current: StepId; onGo: (step: StepId) => void }) {
  return (
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
                title={available ? undefined : whyDisabled(view, s.id)}
                onClick={() => onGo(s.id)}
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
  );
}
