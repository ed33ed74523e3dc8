// The task list, fetched from Rust a page at a time for the rows on screen. Only a window of pages
// around the screen is held (see `WINDOW_MARGIN_PAGES`); the rest are dropped as they scroll away and
// read again if they come back, so scrolling through 50,000 tasks holds no more than a screen's worth
// plus the margin. Everything is dropped when the query changes. `refresh()` re-reads the pages on
// screen while showing the rows already there (no flicker), and marks the other held pages stale for
// when they scroll in.

import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { TaskQuery } from "../bindings/TaskQuery";
import type { TaskRow } from "../bindings/TaskRow";
import { listTasks, toIpcError, type IpcError } from "../ipc";

export const PAGE_SIZE = 200;
/**
 * Pages held on each side of those on screen. Within the margin, scrolling back a little shows the
 * rows at once; beyond it a page is dropped, so the rows held stay bounded however far the list is
 * scrolled (the webview otherwise grows by the whole list). The margin is kept, not read ahead.
 */
export const WINDOW_MARGIN_PAGES = 2;
/** Pages fetched at once; the rest wait, so a fast scroll doesn't queue pages no longer on screen. */
const MAX_IN_FLIGHT = 3;

interface Page {
  rows: TaskRow[];
  /** The refresh generation the rows were read in. */
  epoch: number;
}

interface Cache {
  key: string;
  query: TaskQuery;
  /** The pages held: only those in the window (`inWindow`). */
  pages: Map<number, Page>;
  /**
   * Page index → epoch of the request in flight. A request stays here until it answers even if its
   * page leaves the window (it still occupies Rust, so it counts against `MAX_IN_FLIGHT`); its answer
   * is kept only if the page is in the window by then.
   */
  inFlight: Map<number, number>;
  /**
   * Page index → epoch whose request failed (not retried until the next refresh, or until the page
   * leaves the window and comes back).
   */
  failed: Map<number, number>;
  epoch: number;
  total: number | null;
  totalEpoch: number;
  /** Pages on screen (first..last, inclusive); the window is these plus `WINDOW_MARGIN_PAGES` each side. */
  wantFirst: number;
  wantLast: number;
  error: IpcError | null;
}

function newCache(key: string, query: TaskQuery): Cache {
  return {
    key,
    query,
    pages: new Map(),
    inFlight: new Map(),
    failed: new Map(),
    epoch: 0,
    total: null,
    totalEpoch: -1,
    wantFirst: 0,
    wantLast: 0,
    error: null,
  };
}

/**
 * The pages on screen as far as the list goes: those `showRange` asked for, brought within the total
 * (a refresh may leave the list shorter than where it was scrolled to; then its last page is shown).
 */
function screenPages(c: Cache): { first: number; last: number } {
  const lastPage = c.total === null ? 0 : Math.max(0, Math.ceil(c.total / PAGE_SIZE) - 1);
  const first = Math.min(c.wantFirst, lastPage);
  const last = Math.min(Math.max(c.wantLast, first), lastPage);
  return { first, last };
}

/** Whether `page` is in the window: on screen or within the margin either side. */
function inWindow(c: Cache, page: number): boolean {
  const { first, last } = screenPages(c);
  return page >= first - WINDOW_MARGIN_PAGES && page <= last + WINDOW_MARGIN_PAGES;
}

/** Drops the pages, and the failures, outside the window (requests in flight answer to `inWindow`). */
function dropOutsideWindow(c: Cache): boolean {
  let dropped = false;
  for (const page of c.pages.keys()) {
    if (!inWindow(c, page)) {
      c.pages.delete(page);
      dropped = true;
    }
  }
  for (const page of c.failed.keys()) if (!inWindow(c, page)) c.failed.delete(page);
  return dropped;
}

export function queryKey(query: TaskQuery): string {
  return JSON.stringify([query.search, [...query.types].sort(), [...query.statuses].sort(), query.sort]);
}

export interface TaskPages {
  /** Rows matching the query; `null` until the first page of this query has arrived. */
  total: number | null;
  /** The last failure to read a page, if the latest attempt failed. */
  error: IpcError | null;
  /** The row at `index`, or `undefined` while its page loads (or is outside the window, not held). */
  getRow(index: number): TaskRow | undefined;
  /** Rows `first..last` (inclusive) are on screen: load their pages. */
  showRange(first: number, last: number): void;
  /** Re-read the pages on screen (the list changed in Rust); the other held pages when they scroll in. */
  refresh(): void;
  /** Replace a row in the pages held (after a command returned its new state); others are read anew. */
  patchRow(row: TaskRow): void;
  /** Where the task with `id` is in the pages held, if it is; `null` says nothing of the rest of the list. */
  indexOf(id: number): number | null;
  /** Bumps whenever rows or the total change. */
  version: number;
}

export function useTaskPages(query: TaskQuery): TaskPages {
  const key = queryKey(query);
  const cacheRef = useRef<Cache | null>(null);
  const [version, setVersion] = useState(0);
  const bump = useCallback(() => setVersion((v) => v + 1), []);

  let cache = cacheRef.current;
  if (cache === null || cache.key !== key) {
    cache = newCache(key, query);
    cacheRef.current = cache;
  }

  const needs = useCallback((c: Cache, page: number): boolean => {
    const inFlightEpoch = c.inFlight.get(page);
    if (inFlightEpoch !== undefined && inFlightEpoch >= c.epoch) return false;
    if (c.failed.get(page) === c.epoch) return false;
    const have = c.pages.get(page);
    return have === undefined || have.epoch < c.epoch;
  }, []);

  const pump = useCallback(
    (c: Cache) => {
      if (cacheRef.current !== c) return;
      const { first, last } = screenPages(c);
      for (let page = first; page <= last && c.inFlight.size < MAX_IN_FLIGHT; page++) {
        if (!needs(c, page)) continue;
        const epoch = c.epoch;
        c.inFlight.set(page, epoch);
        listTasks(c.query, page * PAGE_SIZE, PAGE_SIZE).then(
          (result) => {
            if (c.inFlight.get(page) === epoch) c.inFlight.delete(page);
            if (cacheRef.current !== c) return;
            // The total holds for the whole query, whichever page told it (and it may move the window).
            if (epoch >= c.totalEpoch) {
              c.total = result.total;
              c.totalEpoch = epoch;
              dropOutsideWindow(c);
            }
            // A page that scrolled out of the window while it was read isn't kept.
            if (inWindow(c, page)) {
              const have = c.pages.get(page);
              if (have === undefined || have.epoch <= epoch) c.pages.set(page, { rows: result.rows, epoch });
              c.failed.delete(page);
              c.error = null;
            }
            bump();
            pump(c);
          },
          (reason: unknown) => {
            if (c.inFlight.get(page) === epoch) c.inFlight.delete(page);
            if (cacheRef.current !== c) return;
            // Nor is the failure of one: it is read again if it scrolls back in.
            if (inWindow(c, page)) {
              c.failed.set(page, epoch);
              c.error = toIpcError(reason);
              bump();
            }
            pump(c);
          },
        );
      }
    },
    [bump, needs],
  );

  // A new query: start with its first page.
  useEffect(() => {
    pump(cache);
  }, [cache, pump]);

  const showRange = useCallback(
    (first: number, last: number) => {
      const c = cacheRef.current;
      if (c === null) return;
      c.wantFirst = Math.max(0, Math.floor(first / PAGE_SIZE));
      c.wantLast = Math.max(c.wantFirst, Math.floor(last / PAGE_SIZE));
      if (dropOutsideWindow(c)) bump();
      pump(c);
    },
    [pump, bump],
  );

  const refresh = useCallback(() => {
    const c = cacheRef.current;
    if (c === null) return;
    c.epoch += 1;
    pump(c);
  }, [pump]);

  const getRow = useCallback((index: number): TaskRow | undefined => {
    const c = cacheRef.current;
    if (c === null || index < 0) return undefined;
    return c.pages.get(Math.floor(index / PAGE_SIZE))?.rows[index % PAGE_SIZE];
  }, []);

  const patchRow = useCallback(
    (row: TaskRow) => {
      const c = cacheRef.current;
      if (c === null) return;
      let changed = false;
      for (const page of c.pages.values()) {
        const at = page.rows.findIndex((r) => r.id === row.id);
        if (at >= 0) {
          page.rows = page.rows.map((r, i) => (i === at ? row : r));
          changed = true;
        }
      }
      if (changed) bump();
    },
    [bump],
  );

  const indexOf = useCallback((id: number): number | null => {
    const c = cacheRef.current;
    if (c === null) return null;
    for (const [pageIndex, page] of c.pages) {
      const at = page.rows.findIndex((r) => r.id === id);
      if (at >= 0) return pageIndex * PAGE_SIZE + at;
    }
    return null;
  }, []);

  const total = cache.total;
  const error = cache.error;
  return useMemo(
    () => ({ total, error, getRow, showRange, refresh, patchRow, indexOf, version }),
    [total, error, getRow, showRange, refresh, patchRow, indexOf, version],
  );
}
