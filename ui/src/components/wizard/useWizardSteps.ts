import { useCallback, useEffect, useRef, useState, type RefObject } from "react";
import type { Problem } from "../../bindings/Problem";
import type { WizardView } from "../../bindings/WizardView";
import type { FocusRequest } from "./rowEditing";
import { STEPS, isAvailable, startStep, stepOf, type Step, type StepId } from "./wizardSteps";

const FOCUSABLE = "input:not([disabled]), select:not([disabled]), textarea:not([disabled]), button:not([disabled])";

/** Puts the focus on the first field inside `element` (or on the element), scrolled into view. */
function focusInside(element: HTMLElement) {
  const target = element.matches(FOCUSABLE) ? element : element.querySelector<HTMLElement>(FOCUSABLE);
  if (typeof element.scrollIntoView === "function") element.scrollIntoView({ block: "nearest" });
  if (target !== null) {
    target.focus();
  } else {
    element.tabIndex = -1;
    element.focus();
  }
}

export interface WizardSteps {
  /** The step on screen: the one chosen, while Rust's state makes it reachable. */
  current: StepId;
  previous: Step | undefined;
  next: Step | undefined;
  /** The field a click on a problem asked for, until the user moves to another step. */
  focusRequest: FocusRequest | null;
  /** The user moves to a step: the focus goes to its title. */
  goTo: (target: StepId) => void;
  /** The wizard has opened on `view`: it starts on the furthest step the draft reached. */
  startAt: (view: WizardView) => void;
  /** A problem was clicked: its step, and the focus on its field. */
  goToProblem: (problem: Problem) => void;
  /** Moves to `to` once edit `seq` is answered, if Rust's answer makes it reachable. */
  advanceAfter: (seq: number, to: StepId) => void;
}

/** The wizard's steps: the one on screen, moving between them, and where the focus goes on a move or a problem's click. */
export function useWizardSteps(view: WizardView | null, answered: number, bodyRef: RefObject<HTMLElement | null>): WizardSteps {
  // `bodyRef` is the element that holds the step: the focus is looked for in it.
  const [step, setStep] = useState<StepId | null>(null);
  const [moves, setMoves] = useState(0);
  const [focusRequest, setFocusRequest] = useState<FocusRequest | null>(null);
  const advance = useRef<{ seq: number; to: StepId } | null>(null);
  const userMoved = useRef(false);

  // A company was picked: go on to the agreements once they are there.
  useEffect(() => {
    const pending = advance.current;
    if (pending === null || answered < pending.seq) return;
    advance.current = null;
    if (isAvailable(view, pending.to)) {
      userMoved.current = true;
      setStep(pending.to);
    }
  }, [answered, view]);

  const fallback: StepId = view === null ? "customer" : startStep(view);
  const current: StepId = step !== null && isAvailable(view, step) ? step : fallback;
  const index = STEPS.findIndex((s) => s.id === current);

  const goTo = useCallback((target: StepId) => {
    userMoved.current = true;
    setFocusRequest(null);
    setStep(target);
    setMoves((n) => n + 1);
  }, []);

  // Moving between steps puts the focus on the step's title, so the keyboard starts from the top.
  useEffect(() => {
    if (!userMoved.current) return;
    userMoved.current = false;
    if (focusRequest !== null) return;
    bodyRef.current?.querySelector<HTMLElement>(".step-title")?.focus();
  }, [current, focusRequest, moves, bodyRef]);

  const startAt = useCallback((opened: WizardView) => setStep(startStep(opened)), []);

  const goToProblem = useCallback(
    (problem: Problem) => {
      if (view === null) return;
      setStep(stepOf(problem, view));
      setFocusRequest((r) => ({ rowKey: problem.rowKey, field: problem.field, nonce: (r?.nonce ?? 0) + 1 }));
    },
    [view],
  );

  // A problem of the task (not of a row): go to its field, else to the problems at the top.
  useEffect(() => {
    if (focusRequest === null || focusRequest.rowKey !== null) return;
    const body = bodyRef.current;
    if (body === null) return;
    const target =
      body.querySelector<HTMLElement>(`[data-problem-for="${focusRequest.field}"]`) ??
      body.querySelector<HTMLElement>('[data-testid="step-problem"]') ??
      body.querySelector<HTMLElement>(".step-title");
    if (target !== null) focusInside(target);
  }, [focusRequest, bodyRef]);

  const advanceAfter = useCallback((seq: number, to: StepId) => {
    advance.current = { seq, to };
  }, []);

  return { current, previous: STEPS[index - 1], next: STEPS[index + 1], focusRequest, goTo, startAt, goToProblem, advanceAfter };
}
