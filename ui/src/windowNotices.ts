// What the window says outside any one screen: why another profile can't be opened now, and the
// error of the window itself (a switch, the app's state) in the banner under the header.

import type { ErrorView } from "./bindings/ErrorView";
import type { HealthView } from "./bindings/HealthView";
import type { CheckState } from "./components/CheckChanges";
import type { ReconcileRun } from "./hooks/useReconcile";

/** Why another profile can't be opened now (work of this one is running), or `null` if it can. */
export function switchBlockedBy(check: CheckState, batchSyncRunning: boolean, reconcile: ReconcileRun): string | null {
  if (check.phase === "running") return "Check Changes is running: wait until it finishes";
  if (batchSyncRunning) return "A batch sync is running: wait until it finishes";
  if (reconcile.phase === "running") return "A reconcile is running: wait until it finishes";
  return null;
}

/** The banner's error other than Check Changes': a failed profile switch first, else a failed read of the app's state. */
export function otherErrorOf(switchError: ErrorView | null, statusError: ErrorView | null): { title: string; error: ErrorView } | null {
  if (switchError !== null) return { title: "Couldn't switch profile", error: switchError };
  if (statusError !== null) return { title: "Couldn't read the app's state", error: statusError };
  return null;
}

/**
 * Whether the header's banner says now that ConnectWise refuses the credentials or a permission:
 * a check's "ConnectWise data not refreshed" then points to it rather than saying it twice.
 */
export function connectwiseRefusalAbove(health: HealthView | undefined): boolean {
  if (health === undefined || health.banner === null) return false;
  return health.services.some((s) => s.service === "connectWise" && s.state === "refused");
}
