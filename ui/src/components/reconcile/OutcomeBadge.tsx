import type { Outcome } from "../../bindings/Outcome";
import { OUTCOME_LABELS } from "../../format";

/** An outcome in words, in its tone: green in sync, amber drift, grey not compared (unmapped, or ConnectWise's additions not read). */
export function OutcomeBadge({ outcome, small = false }: { outcome: Outcome; small?: boolean }) {
  return (
    <span className={`badge outcome outcome-${outcome}${small ? " outcome-small" : ""}`} data-testid="outcome" data-outcome={outcome}>
      {OUTCOME_LABELS[outcome]}
    </span>
  );
}
