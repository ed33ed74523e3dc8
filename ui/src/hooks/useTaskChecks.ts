// The tasks ticked in the list for a batch review. Ticks are kept by id, never by row: the list
// holds only a window of pages, so a tick must not depend on its row being loaded. "Select all N
// matching" is kept as the query itself (all its tasks, less those unticked since), and sent to
// Rust as such, so 50,000 matching tasks are one selection without reading them into the window.

import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { TaskQuery } from "../bindings/TaskQuery";
import type { TaskSelection } from "../bindings/TaskSelection";
import { listTasks, toIpcError } from "../ipc";
import type { TaskPages } from "./useTaskPages";

type Ticks =
  | { kind: "ids"; ids: ReadonlySet<number> }
  /** Every task matching `query` (its search and filters), less `except`. */
  | { kind: "matching"; query: TaskQuery; except: ReadonlySet<number> };

const NONE: Ticks = { kind: "ids", ids: new Set() };

/** The search and filters of a query: what decides which tasks match (the sort only orders them). */
export function matchingKey(query: TaskQuery): string {
  return JSON.stringify([query.search, [...query.types].sort(), [...query.statuses].sort()]);
}

export interface TaskChecks {
  /** How many tasks are ticked (`null` while a "matching" selection's total is not known yet). */
  count: number | null;
  /** Every task matching the list's query is ticked (less `count` short of the total when some were unticked). */
  matching: boolean;
  /** Why the selection was cleared, for a moment on screen. */
  notice: string | null;
  isChecked: (id: number) => boolean;
  /** The header checkbox: all, some or none of the tasks matching. */
  headerState: "all" | "some" | "none";
  /** Ticks or unticks one task; with `range`, every row from the last one toggled to `index` takes the new state. */
  toggle: (index: number, id: number, range: boolean) => void;
  /**
   * Shift + arrows from the row at `from` to the row at `index`: ticks every row from the start of
   * the range (the last row toggled, else `from`) to `index`.
   */
  extendTo: (from: number, index: number) => void;
  /** Ticks every task matching the current search and filters (all of them, not only those loaded). */
  selectAllMatching: () => void;
  clear: () => void;
  /** The selection as `open_batch` takes it; `null` when nothing is ticked. */
  selection: () => TaskSelection | null;
  /** A range could not be read (its rows were not loaded and reading them failed). */
  error: string | null;
}

/**
 * The list's ticks. When the search or filters change, the tasks ticked one by one stay ticked (the
 * person chose each of them, and the count says how many there are, seen or not). A "select all
 * matching" is different: it was a statement about the list as it was then ("all 37 Contoso
 * tasks"), and following a new search would silently make it "all 1,200 tasks" — a billing person
 * reviewing a batch must never get tasks they did not mean to pick. So it is cleared, and the
 * toolbar says so until the next tick.
 */
export function useTaskChecks(pages: TaskPages, query: TaskQuery): TaskChecks {
  const [ticks, setTicks] = useState<Ticks>(NONE);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const anchor = useRef<number | null>(null);
  const ticksRef = useRef(ticks);
  ticksRef.current = ticks;
  const queryRef = useRef(query);
  queryRef.current = query;

  // Another search or filter: a "matching" selection is cleared (see above); ticked ids stay. Row
  // indexes of the old query mean nothing in the new one, so a range starts over.
  const key = matchingKey(query);
  const lastKey = useRef(key);
  useEffect(() => {
    if (lastKey.current === key) return;
    lastKey.current = key;
    anchor.current = null;
    const current = ticksRef.current;
    if (current.kind === "matching") {
      setTicks(NONE);
      setNotice("The selection of all matching tasks was cleared: the search or filters changed.");
    }
  }, [key]);

  const isChecked = useCallback(
    (id: number) => (ticks.kind === "ids" ? ticks.ids.has(id) : !ticks.except.has(id)),
    [ticks],
  );

  /** Sets the ids to `checked` in whichever kind of selection is held. */
  const setIds = useCallback((ids: readonly number[], checked: boolean) => {
    setNotice(null);
    setTicks((current) => {
      if (current.kind === "ids") {
        const next = new Set(current.ids);
        for (const id of ids) if (checked) next.add(id);
        else next.delete(id);
        return { kind: "ids", ids: next };
      }
      const except = new Set(current.except);
      for (const id of ids) if (checked) except.delete(id);
      else except.add(id);
      return { ...current, except };
    });
  }, []);

  /** The ids of rows `from..to` (inclusive, any order): from the pages held, else read from Rust. */
  const idsOfRange = useCallback(
    async (from: number, to: number): Promise<number[] | null> => {
      const lo = Math.min(from, to);
      const hi = Math.max(from, to);
      const held: number[] = [];
      for (let i = lo; i <= hi; i++) {
        const row = pages.getRow(i);
        if (row === undefined) break;
        held.push(row.id);
      }
      if (held.length === hi - lo + 1) return held;
      try {
        const page = await listTasks(queryRef.current, lo, hi - lo + 1);
        return page.rows.map((row) => row.id);
      } catch (reason: unknown) {
        setError(`Couldn't tick the range: ${toIpcError(reason).message}`);
        return null;
      }
    },
    [pages],
  );

  const toggle = useCallback(
    (index: number, id: number, range: boolean) => {
      setError(null);
      const checked = !isChecked(id);
      const from = anchor.current;
      anchor.current = index;
      if (!range || from === null || from === index) {
        setIds([id], checked);
        return;
      }
      void idsOfRange(from, index).then((ids) => {
        if (ids !== null) setIds(ids, checked);
      });
    },
    [isChecked, setIds, idsOfRange],
  );

  const extendTo = useCallback(
    (from: number, index: number) => {
      setError(null);
      if (anchor.current === null) anchor.current = from;
      void idsOfRange(anchor.current, index).then((ids) => {
        if (ids !== null) setIds(ids, true);
      });
    },
    [idsOfRange, setIds],
  );

  const selectAllMatching = useCallback(() => {
    setNotice(null);
    setError(null);
    setTicks({ kind: "matching", query: queryRef.current, except: new Set() });
  }, []);

  const clear = useCallback(() => {
    anchor.current = null;
    setNotice(null);
    setError(null);
    setTicks(NONE);
  }, []);

  const total = pages.total;
  const count = ticks.kind === "ids" ? ticks.ids.size : total === null ? null : Math.max(0, total - ticks.except.size);
  const headerState: TaskChecks["headerState"] =
    ticks.kind === "matching" ? (ticks.except.size === 0 ? "all" : count === 0 ? "none" : "some") : ticks.ids.size === 0 ? "none" : "some";

  const selection = useCallback((): TaskSelection | null => {
    const current = ticksRef.current;
    if (current.kind === "ids") return current.ids.size === 0 ? null : { kind: "ids", ids: [...current.ids] };
    // The query as the list shows it now (the same search and filters; the sort orders the board).
    return { kind: "matching", query: { ...current.query, sort: queryRef.current.sort }, except: [...current.except] };
  }, []);

  return useMemo(
    () => ({
      count,
      matching: ticks.kind === "matching",
      notice,
      isChecked,
      headerState,
      toggle,
      extendTo,
      selectAllMatching,
      clear,
      selection,
      error,
    }),
    [count, ticks.kind, notice, isChecked, headerState, toggle, extendTo, selectAllMatching, clear, selection, error],
  );
}
