import { useId } from "react";
import type { HealthState } from "../../bindings/HealthState";
import type { HealthView } from "../../bindings/HealthView";
import type { ServiceHealth } from "../../bindings/ServiceHealth";
import { HEALTH_STATE_LABELS, formatAge, formatDateTime, lastContactText, refusalStatusText, tokenText } from "../../format";
import "./form.css";
import "./health.css";

/** A state's badge, in the tone of the task badges (base.css). */
const BADGE_CLASS: Readonly<Record<HealthState, string>> = {
  unknown: "badge-ignored",
  ok: "badge-synced",
  refused: "badge-failed",
  unreachable: "badge-pending",
};

/** One service: its state, its last contact, its last refusal and failure, and the marketplace token's lifetime. */
function ServiceHealthItem({ service, now }: { service: ServiceHealth; now: Date }) {
  const { lastContactAt, lastRefusal, lastFailure } = service;
  return (
    <li className="health-item" data-testid={`health-${service.service}`} data-state={service.state}>
      <div className="health-item-head">
        <strong className="health-name">{service.name}</strong>
        <span className={`badge ${BADGE_CLASS[service.state]}`} data-testid="health-state">
          {HEALTH_STATE_LABELS[service.state]}
        </span>
      </div>
      <span className="health-line" data-testid="health-contact" title={lastContactAt === null ? undefined : formatDateTime(lastContactAt, true)}>
        {lastContactText(lastContactAt, now)}
      </span>
      {service.service === "marketplace" && (
        <span
          className="health-line"
          data-testid="health-token"
          title={service.tokenExpiresAt === null ? undefined : `Until ${formatDateTime(service.tokenExpiresAt, true)}`}
        >
          {tokenText(service.tokenExpiresAt, now)}
        </span>
      )}
      {lastRefusal !== null && (
        <div className="health-problem health-refusal" data-testid="health-refusal" title={`${formatDateTime(lastRefusal.at, true)} · status ${lastRefusal.status}`}>
          <span>
            <strong>Last refused {formatAge(lastRefusal.at, now)}:</strong> {refusalStatusText(lastRefusal.status)} — {lastRefusal.reason}
          </span>
          <span className="health-what-to-do" data-testid="health-what-to-do">
            What to do: {lastRefusal.whatToDo}
          </span>
        </div>
      )}
      {lastFailure !== null && (
        <div className="health-problem health-failure" data-testid="health-failure" title={formatDateTime(lastFailure.at, true)}>
          <span>
            <strong>Last failed to reach it {formatAge(lastFailure.at, now)}:</strong> {lastFailure.reason}
          </span>
        </div>
      )}
    </li>
  );
}

/** Health (SPEC §18): how each service of the open profile has answered, against the app's clock. */
export function HealthSection({ health, now }: { health: HealthView; now: Date }) {
  const headingId = useId();
  return (
    <section className="form-section health" data-testid="health" aria-labelledby={headingId}>
      <header className="form-section-head">
        <h4 className="form-section-title" id={headingId}>
          Health
        </h4>
        <span className="hint">How ConnectWise and the Cloud Marketplace have answered this profile since the app opened</span>
      </header>
      <ul className="health-list">
        {health.services.map((service) => (
          <ServiceHealthItem key={service.service} service={service} now={now} />
        ))}
      </ul>
    </section>
  );
}
