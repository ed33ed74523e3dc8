import { useCallback, useEffect, useRef, useState } from "react";
import type { BookQuery } from "../bindings/BookQuery";
import type { BookView } from "../bindings/BookView";
import type { ErrorView } from "../bindings/ErrorView";
import type { Outcome } from "../bindings/Outcome";
import type { ReconcileProgress } from "../bindings/ReconcileProgress";
import type { PriceSourceView } from "../bindings/PriceSourceView";
import { recompare as recompareCached, reconcile, reconcileBook, saveReconcileCsv, toIpcError } from "../ipc";
import { useDebouncedValue } from "./time";

/** The search is sent to Rust once the person stops typing for this long. */
export const BOOK_SEARCH_DEBOUNCE_MS = 200;

export type ReconcileRun =
  | { phase: "idle" }
  | { phase: "running"; progress: ReconcileProgress | null }
  | { phase: "done"; progress: ReconcileProgress | null }
  | { phase: "failed"; error: ErrorView };

export interface ReconcileBook {
  /** The book as Rust last answered it for the query; `null` until read. */
  book: BookView | null;
  loadError: ErrorView | null;
  outcome: Outcome | null;
  search: string;
  setOutcome: (outcome: Outcome | null) => void;
  setSearch: (search: string) => void;
  run: ReconcileRun;
  /** How many reconciles this window has run to their end (either way). */
  runs: number;
  /** Reconciles; `allActive` reads the whole subscription list (a new profile's first day). */
  start: (allActive: boolean) => Promise<void>;
  dismissRun: () => void;
  /** Reads the book again from the cache (after a mapping). */
  reload: () => Promise<void>;
  /**
   * Compares the cached data again — after a fix was reviewed or synced, or with other prices —
   * and reads the book; an open customer is read again too.
   */
  recompare: (priceSource?: PriceSourceView) => Promise<void>;
  /** How many comparisons from the cache this window has made (an open customer is read again on each). */
  compared: number;
  comparing: boolean;
  saved: string | null;
  savedRows: number;
  saving: boolean;
  csvError: ErrorView | null;
  exportCsv: () => Promise<void>;
}

/** The Reconcile screen's book: its query, the reconcile that refreshes it, and its CSV. */
export function useReconcileBook(afterRun: () => void): ReconcileBook {
  const [book, setBook] = useState<BookView | null>(null);
  const [loadError, setLoadError] = useState<ErrorView | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [search, setSearch] = useState("");
  const [run, setRun] = useState<ReconcileRun>({ phase: "idle" });
  const [runs, setRuns] = useState(0);
  const [saved, setSaved] = useState<string | null>(null);
  const [savedRows, setSavedRows] = useState(0);
  const [saving, setSaving] = useState(false);
  const [csvError, setCsvError] = useState<ErrorView | null>(null);
  const settledSearch = useDebouncedValue(search, BOOK_SEARCH_DEBOUNCE_MS);
  const query: BookQuery = { outcome, search: settledSearch };
  const queryRef = useRef(query);
  queryRef.current = query;
  // What the CSV saves: the filter and the search as typed, settled or not.
  const shownRef = useRef<BookQuery>({ outcome, search });
  shownRef.current = { outcome, search };
  // An older answer never replaces a newer one.
  const asked = useRef(0);

  const load = useCallback(async (q: BookQuery) => {
    const n = ++asked.current;
    try {
      const next = await reconcileBook(q);
      if (n !== asked.current) return;
      setBook(next);
      setLoadError(null);
    } catch (reason: unknown) {
      if (n === asked.current) setLoadError(toIpcError(reason).view);
    }
  }, []);

  useEffect(() => {
    void load({ outcome, search: settledSearch });
  }, [load, outcome, settledSearch]);

  const reload = useCallback(() => load(queryRef.current), [load]);

  const [compared, setCompared] = useState(0);
  const [comparing, setComparing] = useState(false);
  const recompare = useCallback(
    async (priceSource?: PriceSourceView) => {
      setComparing(true);
      // The last run's count of drifts no longer holds once the book is compared again.
      setRun((current) => (current.phase === "done" ? { phase: "idle" } : current));
      try {
        await recompareCached(priceSource ?? null);
        setLoadError(null);
      } catch (reason: unknown) {
        setLoadError(toIpcError(reason).view);
      } finally {
        setComparing(false);
      }
      await load(queryRef.current);
      setCompared((n) => n + 1);
    },
    [load],
  );

  const start = useCallback(
    async (allActive: boolean) => {
      setRun({ phase: "running", progress: null });
      setSaved(null);
      let last: ReconcileProgress | null = null;
      try {
        await reconcile((progress) => {
          last = progress;
          setRun((current) => (current.phase === "running" ? { phase: "running", progress } : current));
        }, allActive);
        setRun({ phase: "done", progress: last });
      } catch (reason: unknown) {
        setRun({ phase: "failed", error: toIpcError(reason).view });
      }
      await load(queryRef.current);
      setRuns((n) => n + 1);
      afterRun();
    },
    [load, afterRun],
  );

  const exportCsv = useCallback(async () => {
    setSaving(true);
    setCsvError(null);
    try {
      const file = await saveReconcileCsv(shownRef.current);
      setSaved(file.path);
      setSavedRows(file.rows);
    } catch (reason: unknown) {
      setCsvError(toIpcError(reason).view);
    } finally {
      setSaving(false);
    }
  }, []);

  const chooseOutcome = useCallback((next: Outcome | null) => {
    setOutcome(next);
    setSaved(null);
  }, []);
  const typeSearch = useCallback((next: string) => {
    setSearch(next);
    setSaved(null);
  }, []);
  const dismissRun = useCallback(() => setRun({ phase: "idle" }), []);

  return {
    book,
    loadError,
    outcome,
    search,
    setOutcome: chooseOutcome,
    setSearch: typeSearch,
    run,
    runs,
    start,
    dismissRun,
    reload,
    recompare,
    compared,
    comparing,
    saved,
    savedRows,
    saving,
    csvError,
    exportCsv,
  };
}
