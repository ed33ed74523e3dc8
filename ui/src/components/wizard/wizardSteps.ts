// The review's steps: their order, which ones a state from Rust makes reachable, and where to start.

import type { Problem } from "../../bindings/Problem";
import type { WizardView } from "../../bindings/WizardView";

export type StepId = "customer" | "agreement" | "changes" | "summary";

/** A step as its tab and the Back and Next buttons name it. */
export interface Step {
  id: StepId;
  label: string;
}

export const STEPS: readonly Step[] = [
  { id: "customer", label: "Customer" },
  { id: "agreement", label: "Agreement" },
  { id: "changes", label: "Changes" },
  { id: "summary", label: "Summary" },
];

/** Whether Rust's state lets the user reach `step`. */
export function isAvailable(view: WizardView | null, step: StepId): boolean {
  if (view === null) return step === "customer";
  switch (step) {
    case "customer":
      return true;
    case "agreement":
      return view.agreements !== null;
    case "changes":
    case "summary":
      return view.plan !== null;
  }
}

/** Where a reopened wizard starts: the furthest step the draft reached. */
export function startStep(view: WizardView): StepId {
  if (view.plan !== null) return "changes";
  if (view.agreements !== null) return "agreement";
  return "customer";
}

/** The step where a problem is fixed. */
export function stepOf(problem: Problem, view: WizardView): StepId {
  if (problem.rowKey !== null) return "changes";
  if (problem.field === "company") return "customer";
  if (problem.field === "agreement") return "agreement";
  return startStep(view);
}

/** Why a step can't be reached yet, in general (see `whyDisabled` for the reason of a view). */
export const WHY_DISABLED: Readonly<Record<StepId, string>> = {
  customer: "",
  agreement: "Map the customer to a ConnectWise company first",
  changes: "Choose an agreement first",
  summary: "Choose an agreement first",
};

/**
 * Why `step` can't be reached in this view (the tooltip of its disabled tab and of Next): the
 * problem of the step before it when Rust names one (an agreement chosen whose additions are not
 * read is not "choose an agreement"), else the general reason.
 */
export function whyDisabled(view: WizardView | null, step: StepId): string {
  if (view !== null) {
    const before: Problem["field"] | null = step === "agreement" ? "company" : step === "changes" || step === "summary" ? "agreement" : null;
    const problem = before === null ? undefined : view.problems.find((p) => p.rowKey === null && p.field === before);
    if (problem !== undefined) return problem.message;
  }
  return WHY_DISABLED[step];
}
