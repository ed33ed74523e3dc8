import { useCallback, useEffect, useRef, useState, type RefObject } from "react";
import type { TaskRow } from "../bindings/TaskRow";
import { setTaskIgnored } from "../ipc";
import type { TaskPages } from "./useTaskPages";

export interface TaskSelection {
  /** The task whose details are shown, as last read. */
  selected: TaskRow | null;
  /** Where the highlight is in the list (the selected task's row, or a row still loading). */
  activeIndex: number | null;
  /** Moves the selection to the row at `index` (the keyboard, a click) and keeps the focus in the list. */
  selectIndex: (index: number) => void;
  /** Ignores (`reason`) or un-ignores (`null`) a task; the list and the details show its new state. */
  setIgnored: (task: TaskRow, reason: string | null) => Promise<void>;
  /** Nothing selected (another profile opened). */
  clear: () => void;
}

/**
 * The selected task, followed by id: when rows arrive, move, or change state (a refresh while Check
 * Changes adds tasks, another query), the highlight and the details follow it. A row moved to with
 * the keyboard before its page has loaded becomes the selection when it arrives. While the selected
 * task's page isn't held (the list keeps only a window of pages), the highlight stays where it was.
 * Another query (`queryKey`) drops the highlight until the task is found in it.
 */
export function useTaskSelection(pages: TaskPages, queryKey: string, listRef: RefObject<HTMLElement | null>): TaskSelection {
  const [selected, setSelected] = useState<TaskRow | null>(null);
  const [activeIndex, setActiveIndex] = useState<number | null>(null);

  const awaitingRow = useRef(false);
  const lastKey = useRef(queryKey);
  useEffect(() => {
    let index = activeIndex;
    if (lastKey.current !== queryKey) {
      lastKey.current = queryKey;
      awaitingRow.current = false;
      index = null;
    }
    if (awaitingRow.current && index !== null) {
      const row = pages.getRow(index);
      if (row !== undefined) {
        awaitingRow.current = false;
        setSelected(row);
      }
      return;
    }
    if (selected === null) {
      if (index !== activeIndex) setActiveIndex(index);
      return;
    }
    const atIndex = index === null ? undefined : pages.getRow(index);
    let found = atIndex?.id === selected.id ? index : pages.indexOf(selected.id);
    // Its page isn't held (scrolled out of the list's window): the task is taken to be where it was
    // until its page is read again and says otherwise, so the keyboard moves on from it, not the top.
    if (found === null && atIndex === undefined && index !== null && index < (pages.total ?? 0)) found = index;
    if (found !== activeIndex) setActiveIndex(found);
    const fresh = found === null ? undefined : pages.getRow(found);
    if (fresh !== undefined && fresh !== selected) setSelected(fresh);
  }, [queryKey, pages, activeIndex, selected]);

  const selectIndex = useCallback(
    (index: number) => {
      setActiveIndex(index);
      const row = pages.getRow(index);
      awaitingRow.current = row === undefined;
      if (row !== undefined) setSelected(row);
      listRef.current?.focus({ preventScroll: true });
    },
    [pages, listRef],
  );

  const setIgnored = useCallback(
    async (task: TaskRow, reason: string | null) => {
      const updated = await setTaskIgnored(task.id, reason);
      pages.patchRow(updated);
      setSelected(updated);
      pages.refresh();
    },
    [pages],
  );

  const clear = useCallback(() => {
    awaitingRow.current = false;
    setSelected(null);
    setActiveIndex(null);
  }, []);

  return { selected, activeIndex, selectIndex, setIgnored, clear };
}
