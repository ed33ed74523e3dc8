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
