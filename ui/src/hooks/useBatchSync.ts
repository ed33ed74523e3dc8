import { useCallback, useEffect, useRef, useState } from "react";
import type { BatchProgress } from "../bindings/BatchProgress";
import type { BatchResult } from "../bindings/BatchResult";
import type { BoardRow } from "../bindings/BoardRow";
import type { BoardView } from "../bindings/BoardView";
import type { ErrorView } from "../bindings/ErrorView";
import { saveBatchCsv, stopBatch, syncBatch, toIpcError } from "../ipc";

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
  /** Where Save as CSV put the result, once it has. */
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
  const [error, setError] = useState<ErrorView | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [csvError, setCsvError] = useState<ErrorView | null>(null);
  const running = useRef<number | null>(null);
  const lastBatch = useRef<number | null>(null);
  const mounted = useRef(true);
  const options = useRef({ onRows, onBoard, afterRun });
  options.current = { onRows, onBoard, afterRun };

  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  const start = useCallback((batchId: number) => {
    if (running.current !== null) return;
    running.current = batchId;
    lastBatch.current = batchId;
    let settled = false;
    setError(null);
    setSaved(null);
    setCsvError(null);
    setStopAsked(false);
    setPhase({ kind: "running", progress: null });
    syncBatch(batchId, (progress) => {
      // A report that arrives after the answer is older than it.
      if (settled || !mounted.current) return;
      setPhase({ kind: "running", progress });
      options.current.onRows(progress.rows);
    }).then(
      (result) => {
        settled = true;
        running.current = null;
        if (!mounted.current) return;
        setPhase({ kind: "done", result });
        options.current.onBoard(result.board);
        options.current.afterRun();
      },
      (reason: unknown) => {
        settled = true;
        running.current = null;
        if (!mounted.current) return;
        setError(toIpcError(reason).view);
        setPhase({ kind: "idle" });
        options.current.afterRun();
      },
    );
  }, []);

  const stop = useCallback(() => {
    const batchId = running.current;
    if (batchId === null) return;
    setStopAsked(true);
    stopBatch(batchId).catch((reason: unknown) => {
      if (!mounted.current) return;
      setStopAsked(false);
      setError(toIpcError(reason).view);
    });
  }, []);

  const saveCsv = useCallback(() => {
    const batchId = lastBatch.current;
    if (batchId === null) return;
    setSaving(true);
    setCsvError(null);
    saveBatchCsv(batchId).then(
      (file) => {
        if (!mounted.current) return;
        setSaving(false);
        setSaved(file.path);
      },
      (reason: unknown) => {
        if (!mounted.current) return;
        setSaving(false);
        setCsvError(toIpcError(reason).view);
      },
    );
  }, []);

  const reset = useCallback(() => {
    if (running.current !== null) return;
    setPhase({ kind: "idle" });
    setError(null);
    setSaved(null);
    setCsvError(null);
    setStopAsked(false);
  }, []);

  const dismissError = useCallback(() => setError(null), []);

  const isRunning = phase.kind === "running";
  const stopping = isRunning && (stopAsked || phase.progress?.stopping === true);
  return { phase, running: isRunning, stopping, error, dismissError, start, stop, saved, saving, csvError, saveCsv, reset };
}
