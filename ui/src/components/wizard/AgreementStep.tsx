import { useId } from "react";
import type { AgreementStep as AgreementStepView } from "../../bindings/AgreementStep";
import type { Problem } from "../../bindings/Problem";
import { StepProblems } from "./StepProblems";
import { usePendingChoice } from "./fields";
import "./wizard.css";

interface AgreementStepProps {
  agreements: AgreementStepView;
  /** Problems of the task fixed on this step. */
  problems: Problem[];
  answered: number;
  /** Sends the choice; returns the edit's sequence number. */
  onChoose: (agreementId: number) => number;
}

/** Step 2: the agreement of the company that takes this task. */
export function AgreementStep({ agreements, problems, answered, onChoose }: AgreementStepProps) {
  const id = useId();
  const [chosen, choose] = usePendingChoice(agreements.chosen, answered);

  return (
    <section className="wizard-step" data-testid="step-agreement" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`} className="step-title" tabIndex={-1}>
        Agreement
      </h3>
      <p className="step-intro">
        The subscription bills <strong>{agreements.subscriptionCycle}</strong> in{" "}
        <strong>{agreements.subscriptionCurrency}</strong>. Only an active agreement with the same billing cycle and
        currency can take it.
      </p>
      <StepProblems problems={problems} />

      {agreements.message !== null && (
        <div className="panel panel-warning step-message" data-testid="no-agreement" role="alert">
          <span className="panel-title">No agreement fits</span>
          <span className="panel-text">{agreements.message}</span>
        </div>
      )}

      {agreements.options.length === 0 ? (
        <p className="muted">The company has no agreements in ConnectWise.</p>
      ) : (
        <fieldset className="agreement-list">
          <legend className="visually-hidden">Agreements of the company</legend>
          {agreements.options.map((option) => {
            const optionId = `${id}-agreement-${option.id}`;
            return (
              <label
                key={option.id}
                htmlFor={optionId}
                className={`agreement-option${option.fits ? "" : " agreement-option-unfit"}${
                  chosen === option.id ? " agreement-option-chosen" : ""
                }`}
                data-testid="agreement-option"
                data-agreement-id={option.id}
                data-fits={option.fits}
              >
                <input
                  id={optionId}
                  type="radio"
                  name={`${id}-agreement`}
                  value={option.id}
                  checked={chosen === option.id}
                  disabled={!option.fits}
                  aria-describedby={option.reason !== null ? `${optionId}-reason` : undefined}
                  onChange={() => choose(option.id, onChoose(option.id))}
                />
                <span className="agreement-body">
                  <span className="agreement-name">{option.name}</span>
                  <span className="agreement-meta">
                    {option.billingCycle} · {option.currency}
                    {option.prorateFlag && (
                      <span className="badge badge-warning" data-testid="prorate-flag">
                        ConnectWise proration on
                      </span>
                    )}
                  </span>
                  {option.reason !== null && (
                    <span id={`${optionId}-reason`} className="agreement-reason" data-testid="agreement-reason">
                      {option.reason}
                    </span>
                  )}
                </span>
              </label>
            );
          })}
        </fieldset>
      )}
    </section>
  );
}
