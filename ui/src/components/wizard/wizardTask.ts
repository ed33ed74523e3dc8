import type { TaskRow } from "../../bindings/TaskRow";

/** A task known only by id and words (an unfinished sync of a task the list has not loaded). */
export interface TaskRef {
  id: number;
  /** "Green Lane LLC — order 1000231". */
  label: string;
}

/** The task is a row of the list (not only its id and words). */
export function isRow(task: TaskRow | TaskRef): task is TaskRow {
  return "orderId" in task;
}

/** Where the wizard was opened from, so where closing it goes. */
export type WizardOrigin = "tasks" | "board" | "reconcile" | "activity";

const BACK_LABELS: Record<WizardOrigin, string> = {
  tasks: "Back to tasks",
  board: "Back to the board",
  reconcile: "Back to Reconcile",
  activity: "Back to Activity",
};

/**
 * The wizard opens on the undo of a sync (SPEC §17): one named (a row of the activity log), or the
 * newest of the task's syncs that can be undone (a task of a batch's result whose sync is not known).
 */
export type UndoRequest = { kind: "sync"; syncId: number } | { kind: "latest" };

/** The words of the wizard's back button: where it goes ("Back to the board"). */
export function backLabel(origin: WizardOrigin): string {
  return BACK_LABELS[origin];
}
