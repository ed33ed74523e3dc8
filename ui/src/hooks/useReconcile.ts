import { useCallback, useEffect, useRef, useState } from "react";
import type { BookQuery } from "../bindings/BookQuery";
import type { BookView } from "../bindings/BookView";
import type { ErrorView } from "../bindings/ErrorView";
import type { Outcome } from "../bindings/Outcome";
import type { ReconcileProgress } from "../bindings/ReconcileProgress";
import type { PriceSourceView } from "../bindings/PriceSourceView";
import type { SavedFile } from "../bindings/SavedFile";
import { recompare as recompareCached, reconcile, reconcileBook, saveReconcileCsv, toIpcError } from "../ipc";
import { useDebouncedValue } from "./time";
import { useCommand } from "./useCommand";

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
  // The book as the query last read it; a read behind the error banner leaves it up until it answers.
  const { data: book, error: loadError, run: runRead, setError: setLoadError } = useCommand<BookView>({ keepErrorWhileBusy: true });
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [search, setSearch] = useState("");
  const [run, setRun] = useState<ReconcileRun>({ phase: "idle" });
  const [runs, setRuns] = useState(0);
  // A cancelled save dialog answers `null`: nothing was saved, so nothing is said (not even an earlier file).
  const csv = useCommand<SavedFile | null>();
  const { run: runCsv, update: updateCsv } = csv;
  // The CSV saved no longer matches the book once it is reconciled, filtered or searched again.
  const forgetSaved = useCallback(() => updateCsv(() => null), [updateCsv]);
  const settledSearch = useDebouncedValue(search, BOOK_SEARCH_DEBOUNCE_MS);
  const query: BookQuery = { outcome, search: settledSearch };
  const queryRef = useRef(query);
  queryRef.current = query;
  // What the CSV saves: the filter and the search as typed, settled or not.
  const shownRef = useRef<BookQuery>({ outcome, search });
  shownRef.current = { outcome, search };

  const load = useCallback(
    async (q: BookQuery) => {
      await runRead(() => reconcileBook(q));
    },
    [runRead],
  );

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
    [load, setLoadError],
  );

  const start = useCallback(
    async (allActive: boolean) => {
      setRun({ phase: "running", progress: null });
      forgetSaved();
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
    [load, afterRun, forgetSaved],
  );

  const exportCsv = useCallback(async () => {
    await runCsv(() => saveReconcileCsv(shownRef.current));
  }, [runCsv]);

  const chooseOutcome = useCallback(
    (next: Outcome | null) => {
      setOutcome(next);
      forgetSaved();
    },
    [forgetSaved],
  );
  const typeSearch = useCallback(
    (next: string) => {
      setSearch(next);
      forgetSaved();
    },
    [forgetSaved],
  );
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
    saved: csv.data?.path ?? null,
    savedRows: csv.data?.rows ?? 0,
    saving: csv.busy,
    csvError: csv.error,
    exportCsv,
  };
}
