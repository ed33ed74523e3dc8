import { useCallback, useRef, useState } from "react";
import type { BatchProgress } from "../bindings/BatchProgress";
import type { BatchResult } from "../bindings/BatchResult";
import type { BoardRow } from "../bindings/BoardRow";
import type { BoardView } from "../bindings/BoardView";
import type { ErrorView } from "../bindings/ErrorView";
import type { SavedFile } from "../bindings/SavedFile";
import { saveBatchCsv, stopBatch, syncBatch, toIpcError } from "../ipc";
import { useCommand } from "./useCommand";
import { useMounted } from "./useMounted";

export type BatchSyncPhase =
  | { kind: "idle" }
  /** `sync_batch` runs; `progress` is its latest report (`null` until the first). */
  | { kind: "running"; progress: BatchProgress | null }
  | { kind: "done"; result: BatchResult };

export interface BatchSync {
  phase: BatchSyncPhase;
  running: boolean;
  /** A Stop was asked for (here, or as Rust reports it): the writes under way finish. */
  stopping: boolean;
  /** Why the sync could not start or finish, or Stop was refused. */
  error: ErrorView | null;
  dismissError: () => void;
  /** Runs `sync_batch` on the batch. Does nothing while one runs. */
  start: (batchId: number) => void;
  stop: () => void;
  /** Where Save as CSV put the result, once it has; `null` too when the save dialog was cancelled. */
  saved: string | null;
  saving: boolean;
  csvError: ErrorView | null;
  saveCsv: () => void;
  /** Forgets the last run (another batch, or back to the list). */
  reset: () => void;
}

interface BatchSyncOptions {
  /** The rows whose state changed, for the board. */
  onRows: (rows: readonly BoardRow[]) => void;
  /** The board at the end of the run. */
  onBoard: (board: BoardView) => void;
  /** The run has settled, however it ended (the list, the status and the interrupted batch are read again). */
  afterRun: () => void;
}

/**
 * A batch's sync: runs it, follows its progress (counts and the rows that changed), Stop, and keeps
 * the result on screen with Save as CSV. What is written and when is Rust's; this only shows it.
 */
export function useBatchSync({ onRows, onBoard, afterRun }: BatchSyncOptions): BatchSync {
  const [phase, setPhase] = useState<BatchSyncPhase>({ kind: "idle" });
  const [stopAsked, setStopAsked] = useState(false);
  // The run's error (or Stop's, when Rust refuses it); what the run shows is `phase`.
  const { run: runSync, error, setError, dismissError } = useCommand<BatchResult>();
  // A cancelled save dialog answers `null`: nothing was saved, so nothing is said (not even an earlier file).
  const csv = useCommand<SavedFile | null>();
  const { run: runCsv, update: updateCsv, dismissError: dismissCsvError } = csv;
  const running = useRef<number | null>(null);
  const lastBatch = useRef<number | null>(null);
  const mounted = useMounted();
  const options = useRef({ onRows, onBoard, afterRun });
  options.current = { onRows, onBoard, afterRun };

  // A new run, or none: the CSV saved was the last run's.
  const forgetCsv = useCallback(() => {
    updateCsv(() => null);
    dismissCsvError();
  }, [updateCsv, dismissCsvError]);

  const start = useCallback(
    (batchId: number) => {
      if (running.current !== null) return;
      running.current = batchId;
      lastBatch.current = batchId;
      forgetCsv();
      setStopAsked(false);
      setPhase({ kind: "running", progress: null });
      const reports = (live: () => boolean) =>
        syncBatch(batchId, (progress) => {
          // A report that arrives after the answer is older than it.
          if (!live()) return;
          setPhase({ kind: "running", progress });
          options.current.onRows(progress.rows);
        });
      void runSync(reports).then((result) => {
        running.current = null;
        if (!mounted()) return;
        // No result: the run failed, and `error` says why.
        if (result === null) {
          setPhase({ kind: "idle" });
        } else {
          setPhase({ kind: "done", result });
          options.current.onBoard(result.board);
        }
        options.current.afterRun();
      });
    },
    [runSync, forgetCsv, mounted],
  );

  const stop = useCallback(() => {
    const batchId = running.current;
    if (batchId === null) return;
    setStopAsked(true);
    stopBatch(batchId).catch((reason: unknown) => {
      if (!mounted()) return;
      setStopAsked(false);
      setError(toIpcError(reason).view);
    });
  }, [mounted, setError]);

  const saveCsv = useCallback(() => {
    const batchId = lastBatch.current;
    if (batchId === null) return;
    void runCsv(() => saveBatchCsv(batchId));
  }, [runCsv]);

  const reset = useCallback(() => {
    if (running.current !== null) return;
    setPhase({ kind: "idle" });
    dismissError();
    forgetCsv();
    setStopAsked(false);
  }, [dismissError, forgetCsv]);

  const isRunning = phase.kind === "running";
  const stopping = isRunning && (stopAsked || phase.progress?.stopping === true);
  return {
    phase,
    running: isRunning,
    stopping,
    error,
    dismissError,
    start,
    stop,
    saved: csv.data?.path ?? null,
    saving: csv.busy,
    csvError: csv.error,
    saveCsv,
    reset,
  };
}
