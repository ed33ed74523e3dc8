import { useCallback, useMemo, useState } from "react";
import type { BoardRow } from "../bindings/BoardRow";
import type { BoardView } from "../bindings/BoardView";

export type BoardFilter = "all" | "ready" | "already" | "attention";

/** Whether the filter shows `row`: every row, the ready ones, those already in ConnectWise, or the others. */
function shows(filter: BoardFilter, row: BoardRow): boolean {
  switch (filter) {
    case "all":
      return true;
    case "ready":
      return row.ready;
    case "already":
      return row.already !== null;
    case "attention":
      return !row.ready && row.already === null;
  }
}

export interface BoardRows {
  filter: BoardFilter;
  setFilter: (filter: BoardFilter) => void;
  /** The rows the filter shows, in board order. */
  shown: BoardRow[];
  /** Ticked rows still on the board (a tick of a row filtered out stays). */
  ticked: number[];
  isTicked: (taskId: number) => boolean;
  toggle: (taskId: number) => void;
  /** Ticks every row shown, or unticks them all when they are all ticked. */
  toggleShown: () => void;
  clearTicks: () => void;
  /** The focused row among those shown. */
  active: number;
  setActive: (index: number) => void;
}

/** What the board shows of its rows: the filter, the ticks for bulk actions, the focused row. */
export function useBoardRows(board: BoardView | null): BoardRows {
  const [filter, setFilterState] = useState<BoardFilter>("all");
  const [ticks, setTicks] = useState<ReadonlySet<number>>(new Set());
  const [active, setActiveState] = useState(0);

  const rows = board?.rows;
  const shown = useMemo(
    () => (rows ?? []).filter((row) => shows(filter, row)),
    [rows, filter],
  );
  const onBoard = useMemo(() => new Set((rows ?? []).map((row) => row.task.id)), [rows]);
  const ticked = useMemo(() => [...ticks].filter((id) => onBoard.has(id)), [ticks, onBoard]);

  const isTicked = useCallback((taskId: number) => ticks.has(taskId), [ticks]);
  const toggle = useCallback((taskId: number) => {
    setTicks((current) => {
      const next = new Set(current);
      if (next.has(taskId)) next.delete(taskId);
      else next.add(taskId);
      return next;
    });
  }, []);
  const toggleShown = useCallback(() => {
    setTicks((current) => {
      const allTicked = shown.length > 0 && shown.every((row) => current.has(row.task.id));
      const next = new Set(current);
      for (const row of shown) if (allTicked) next.delete(row.task.id);
      else next.add(row.task.id);
      return next;
    });
  }, [shown]);
  const clearTicks = useCallback(() => setTicks(new Set()), []);
  const setFilter = useCallback((next: BoardFilter) => {
    setFilterState(next);
    setActiveState(0);
  }, []);
  const setActive = useCallback((index: number) => setActiveState(index), []);

  return {
    filter,
    setFilter,
    shown,
    ticked,
    isTicked,
    toggle,
    toggleShown,
    clearTicks,
    active: Math.min(active, Math.max(0, shown.length - 1)),
    setActive,
  };
}
