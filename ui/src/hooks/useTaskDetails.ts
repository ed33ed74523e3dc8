import { useEffect, useRef } from "react";
import type { OrderLine } from "../bindings/OrderLine";
import type { TaskQuery } from "../bindings/TaskQuery";
import type { TaskRow } from "../bindings/TaskRow";
import { taskDetails } from "../ipc";
import { useCommand } from "./useCommand";
import { queryKey } from "./useTaskPages";

export interface TaskDetailsState {
  /** What the selected task's order changed, product by product; `null` until Rust has said (or when it could not). */
  lines: OrderLine[] | null;
  /**
   * The search and filters hide the selected task: it is not in the list, so the details offer no
   * action on it (an action on a task the person no longer sees is one they may not mean).
   */
  hidden: boolean;
}

const NOTHING: TaskDetailsState = { lines: null, hidden: false };

/**
 * The details of the selected task that the list's row doesn't carry: its order's lines, and whether
 * the list as searched and filtered still shows it. Asked again when another task is selected, when
 * the search or filters change, when the task's state changes and when the list's count changes (a
 * sync or an ignore may take it out of a filter). Only the latest answer is shown.
 */
export function useTaskDetails(selected: TaskRow | null, query: TaskQuery, total: number | null): TaskDetailsState {
  const { data: state, run, drop } = useCommand<{ id: number; details: TaskDetailsState }>();
  const id = selected?.id ?? null;
  const status = selected?.status ?? null;
  const key = queryKey(query);
  const queryRef = useRef(query);
  queryRef.current = query;

  useEffect(() => {
    if (id === null) {
      // Nothing to ask, but an answer still coming is for a task no longer selected.
      drop();
      return;
    }
    // Quiet: a failure becomes a value below, so there is no busy state or error banner to keep.
    void run(
      () =>
        taskDetails(id, queryRef.current).then(
          (view) => ({ id, details: { lines: view.lines, hidden: !view.inList } }),
          // Not known: the details show the list's row, with its actions, as they did before asking.
          () => ({ id, details: NOTHING }),
        ),
      { quiet: true },
    );
  }, [id, status, key, total, run, drop]);

  return state !== null && state.id === id ? state.details : NOTHING;
}
