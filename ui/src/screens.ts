// Which screen the window shows, and where each was opened from: Tasks, Reconcile or Activity, the batch
// board's way back, the wizard over them. One reducer, so a transition that touches several (a fix
// that opens a board over the list, a profile that starts over) is one step, tested as a table.

import type { TaskRow } from "./bindings/TaskRow";
import type { View } from "./components/reconcile/ViewSwitch";
import type { TaskRef, UndoRequest, WizardOrigin } from "./components/wizard/wizardTask";

/** The task the wizard is open on, and whether to finish its unfinished sync at once (or open on an undo). */
export interface Reviewing {
  task: TaskRow | TaskRef;
  resume: boolean;
  /** Undo this sync…: the wizard opens on the undo of a sync of the task. */
  undo?: UndoRequest | null;
}

export interface Screens {
  /** Tasks | Reconcile | Activity, as the switch in the header shows it. */
  view: View;
  /** The profile the view was chosen for when it opened (`real:Acme`): chosen once per opening. */
  viewChosenFor: string | null;
  /** The customer open beside the book on Reconcile; it stays open while its fix is reviewed. */
  customer: string | null;
  /**
   * Where the batch board's Back goes: Reconcile when the board holds fixes made there. (The board
   * itself is the batch's, shown once Rust has planned it.)
   */
  boardFrom: View;
  /** The task whose wizard is open over the window. */
  reviewing: Reviewing | null;
}

export type ScreenAction =
  /** A profile's status was read: a new real profile with no tasks yet starts on Reconcile (the first day's work), once. */
  | { kind: "profileShown"; profile: string; firstDay: boolean }
  /** The view switch, or Check Changes (what it finds are tasks). */
  | { kind: "showView"; view: View }
  | { kind: "openCustomer"; customerId: string | null }
  /** Several fixes from Reconcile: their board opens over the task list, and its Back returns to Reconcile. */
  | { kind: "boardForFixes" }
  /** The board's Back. */
  | { kind: "leaveBoard" }
  | { kind: "openWizard"; reviewing: Reviewing }
  | { kind: "closeWizard" }
  /** Another profile is open: nothing of the last one stays open. */
  | { kind: "startOver" };

export const FIRST_SCREENS: Screens = { view: "tasks", viewChosenFor: null, customer: null, boardFrom: "tasks", reviewing: null };

export function screensReducer(state: Screens, action: ScreenAction): Screens {
  switch (action.kind) {
    case "profileShown":
      if (state.viewChosenFor === action.profile) return state;
      return { ...state, view: action.firstDay ? "reconcile" : "tasks", viewChosenFor: action.profile };
    case "showView":
      return state.view === action.view ? state : { ...state, view: action.view };
    case "openCustomer":
      return state.customer === action.customerId ? state : { ...state, customer: action.customerId };
    case "boardForFixes":
      return { ...state, view: "tasks", boardFrom: "reconcile" };
    case "leaveBoard":
      return state.boardFrom === "reconcile" ? { ...state, view: "reconcile", boardFrom: "tasks" } : state;
    case "openWizard":
      return { ...state, reviewing: action.reviewing };
    case "closeWizard":
      return state.reviewing === null ? state : { ...state, reviewing: null };
    case "startOver":
      return { ...state, customer: null, boardFrom: "tasks", reviewing: null };
  }
}

/** The profile a status belongs to, as `profileShown` tells them apart (Demo and a real profile may share a name). */
export function profileKey(demo: boolean, profileName: string): string {
  return `${demo ? "demo" : "real"}:${profileName}`;
}

/**
 * Where the wizard was opened from, so where closing it goes: what is under it now (the header's
 * switch and Check Changes still work while it is open, and its back button follows them).
 */
export function wizardOrigin(state: Screens, boardOpen: boolean): WizardOrigin {
  if (state.view === "activity") return "activity";
  return boardOpen ? "board" : state.view === "reconcile" ? "reconcile" : "tasks";
}

/** The words of the board's Back: "← Back to Reconcile". */
export function boardBackTo(state: Screens): string {
  return state.boardFrom === "reconcile" ? "Reconcile" : "the list";
}
