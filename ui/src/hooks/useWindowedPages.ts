// A long list fetched from Rust a page at a time for the rows on screen (the task list, the activity
// log). Only a window of pages around the screen is held (see `WINDOW_MARGIN_PAGES`); the rest are
// dropped as they scroll away and read again if they come back, so scrolling through 50,000 rows
// holds no more than a screen's worth plus the margin. Everything is dropped when the query changes.
// `refresh()` re-reads the pages on screen while showing the rows already there (no flicker), and
// marks the other held pages stale for when they scroll in.

import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { toIpcError, type IpcError } from "../ipc";

export const PAGE_SIZE = 200;
/**
 * Pages held on each side of those on screen. Within the margin, scrolling back a little shows the
 * rows at once; beyond it a page is dropped, so the rows held stay bounded however far the list is
 * scrolled (the webview otherwise grows by the whole list). The margin is kept, not read ahead.
 */
export const WINDOW_MARGIN_PAGES = 2;
/** Pages fetched at once; the rest wait, so a fast scroll doesn't queue pages no longer on screen. */
const MAX_IN_FLIGHT = 3;

/** What a read of one page answers: the rows, and how many match the whole query. */
export interface WindowPage<R> {
  total: number;
  rows: R[];
}

interface Page<R> {
  rows: R[];
  /** The refresh generation the rows were read in. */
  epoch: number;
}

interface Cache<Q, R> {
  key: string;
  query: Q;
  /** The pages held: only those in the window (`inWindow`). */
  pages: Map<number, Page<R>>;
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

function newCache<Q, R>(key: string, query: Q): Cache<Q, R> {
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
function screenPages<Q, R>(c: Cache<Q, R>): { first: number; last: number } {
  const lastPage = c.total === null ? 0 : Math.max(0, Math.ceil(c.total / PAGE_SIZE) - 1);
  const first = Math.min(c.wantFirst, lastPage);
  const last = Math.min(Math.max(c.wantLast, first), lastPage);
  return { first, last };
}

/** Whether `page` is in the window: on screen or within the margin either side. */
function inWindow<Q, R>(c: Cache<Q, R>, page: number): boolean {
  const { first, last } = screenPages(c);
  return page >= first - WINDOW_MARGIN_PAGES && page <= last + WINDOW_MARGIN_PAGES;
}

/** Drops the pages, and the failures, outside the window (requests in flight answer to `inWindow`). */
function dropOutsideWindow<Q, R>(c: Cache<Q, R>): boolean {
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

export interface WindowedPages<R, K> {
  /** Rows matching the query; `null` until the first page of this query has arrived. */
  total: number | null;
  /** The last failure to read a page, if the latest attempt failed. */
  error: IpcError | null;
  /** The row at `index`, or `undefined` while its page loads (or is outside the window, not held). */
  getRow(index: number): R | undefined;
  /** Rows `first..last` (inclusive) are on screen: load their pages. */
  showRange(first: number, last: number): void;
  /** Re-read the pages on screen (the list changed in Rust); the other held pages when they scroll in. */
  refresh(): void;
  /** Replace a row in the pages held (after a command returned its new state); others are read anew. */
  patchRow(row: R): void;
  /** Where the row with `id` is in the pages held, if it is; `null` says nothing of the rest of the list. */
  indexOf(id: K): number | null;
  /** Bumps whenever rows or the total change. */
  version: number;
}

export interface WindowedSource<Q, R, K, P extends WindowPage<R>> {
  /** The query as a key: a new key starts the list over. */
  key: string;
  /** Reads rows `offset..offset + limit` of the list `query` shows. */
  read: (query: Q, offset: number, limit: number) => Promise<P>;
  /** A row's identity, for `patchRow` and `indexOf`. */
  idOf: (row: R) => K;
  /** Every page read for the current query, as it arrives (what else it carries, such as the filters' choices). */
  onPage?: (page: P) => void;
}

/** The list `query` shows, read a page at a time for the rows on screen (see the top of this file). */
export function useWindowedPages<Q, R, K, P extends WindowPage<R>>(query: Q, source: WindowedSource<Q, R, K, P>): WindowedPages<R, K> {
  const { key } = source;
  const sourceRef = useRef(source);
  sourceRef.current = source;
  const cacheRef = useRef<Cache<Q, R> | null>(null);
  const [version, setVersion] = useState(0);
  const bump = useCallback(() => setVersion((v) => v + 1), []);

  let cache = cacheRef.current;
  if (cache === null || cache.key !== key) {
    cache = newCache<Q, R>(key, query);
    cacheRef.current = cache;
  }

  const needs = useCallback((c: Cache<Q, R>, page: number): boolean => {
    const inFlightEpoch = c.inFlight.get(page);
    if (inFlightEpoch !== undefined && inFlightEpoch >= c.epoch) return false;
    if (c.failed.get(page) === c.epoch) return false;
    const have = c.pages.get(page);
    return have === undefined || have.epoch < c.epoch;
  }, []);

  const pump = useCallback(
    (c: Cache<Q, R>) => {
      if (cacheRef.current !== c) return;
      const { first, last } = screenPages(c);
      for (let page = first; page <= last && c.inFlight.size < MAX_IN_FLIGHT; page++) {
        if (!needs(c, page)) continue;
        const epoch = c.epoch;
        c.inFlight.set(page, epoch);
        sourceRef.current.read(c.query, page * PAGE_SIZE, PAGE_SIZE).then(
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
            sourceRef.current.onPage?.(result);
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

  const getRow = useCallback((index: number): R | undefined => {
    const c = cacheRef.current;
    if (c === null || index < 0) return undefined;
    return c.pages.get(Math.floor(index / PAGE_SIZE))?.rows[index % PAGE_SIZE];
  }, []);

  const patchRow = useCallback(
    (row: R) => {
      const c = cacheRef.current;
      if (c === null) return;
      const id = sourceRef.current.idOf(row);
      let changed = false;
      for (const page of c.pages.values()) {
        const at = page.rows.findIndex((r) => sourceRef.current.idOf(r) === id);
        if (at >= 0) {
          page.rows = page.rows.map((r, i) => (i === at ? row : r));
          changed = true;
        }
      }
      if (changed) bump();
    },
    [bump],
  );

  const indexOf = useCallback((id: K): number | null => {
    const c = cacheRef.current;
    if (c === null) return null;
    for (const [pageIndex, page] of c.pages) {
      const at = page.rows.findIndex((r) => sourceRef.current.idOf(r) === id);
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
