import type { ReactNode } from "react";
import { TestButton, type TestTarget } from "./ConnectionTest";
import "./form.css";

interface ProfileSectionProps {
  target: TestTarget;
  headingId: string;
  title: string;
  /** What the service is used for. */
  hint: string;
  /** The keyring can't be used: the section says its secrets can't be changed. */
  secretsDisabled: boolean;
  testRunning: boolean;
  saving: boolean;
  onTest: () => void;
  /** Test connection's result, under the button. */
  result: ReactNode;
  /** The section's fields. */
  children: ReactNode;
}

/** One service's part of the profile form (ConnectWise, or the Cloud Marketplace): its fields, Test connection and its result. */
export function ProfileSection({ target, headingId, title, hint, secretsDisabled, testRunning, saving, onTest, result, children }: ProfileSectionProps) {
  return (
    <section className="form-section" aria-labelledby={headingId}>
      <header className="form-section-head">
        <h4 className="form-section-title" id={headingId}>
          {title}
        </h4>
        <span className="hint">{hint}</span>
      </header>
      {secretsDisabled && (
        <p className="form-note" data-testid="secrets-disabled">
          The OS keyring can't be used, so keys and passwords can't be stored or changed. The other settings can.
        </p>
      )}
      <div className="form-grid">{children}</div>
      <div className="form-section-foot">
        <TestButton target={target} running={testRunning} disabled={saving} onTest={onTest} />
      </div>
      {result}
    </section>
  );
}
