import { useCallback, useRef, useState } from "react";
import type { BoardRow } from "../bindings/BoardRow";
import type { BoardView } from "../bindings/BoardView";
import type { BulkAction } from "../bindings/BulkAction";
import type { ErrorView } from "../bindings/ErrorView";
import type { TaskSelection } from "../bindings/TaskSelection";
import { applyBulk, batchBoard, openBatch, toIpcError } from "../ipc";

export interface Batch {
  /** The board on screen; `null` while the task list is. */
  board: BoardView | null;
  /** `open_batch` or `batch_board` runs (the board is being prepared or re-planned). */
  loading: boolean;
  /** Why the board could not be opened or re-read. */
  error: ErrorView | null;
  dismissError: () => void;
  /** Makes a batch of the selection and shows its board; answers whether it opened. */
  open: (selection: TaskSelection) => Promise<boolean>;
  /** Shows the board of a batch already made (an interrupted one); answers it, or `null` on failure. */
  openExisting: (batchId: number) => Promise<BoardView | null>;
  /** Re-plans every row from the cache (after a task's wizard: a mapping there may change other rows). */
  reload: () => Promise<void>;
  /** A bulk action on the rows `taskIds`; answers Rust's refusal, if it refused. */
  apply: (taskIds: number[], action: BulkAction) => Promise<ErrorView | null>;
  /** Shows a board another command answered (the end of a sync). */
  show: (board: BoardView) => void;
  /** Replaces the rows a sync reported as changed. */
  patchRows: (rows: readonly BoardRow[]) => void;
  /** Back to the list. */
  close: () => void;
}

/**
 * The batch board on screen: opening it from the list's selection, re-planning it, bulk actions.
 * Every decision (what each row plans, whether it is ready, the totals) is Rust's; this only shows
 * the latest board. Only the latest request counts: an answer overtaken by another is dropped.
 */
export function useBatch(): Batch {
  const [board, setBoard] = useState<BoardView | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<ErrorView | null>(null);
  const requests = useRef(0);
  const boardRef = useRef(board);
  boardRef.current = board;

  /** Runs a request for a board; shows its answer if no later request was made meanwhile. */
  const load = useCallback(async (request: () => Promise<BoardView>): Promise<BoardView | null> => {
    requests.current += 1;
    const mine = requests.current;
    setLoading(true);
    setError(null);
    try {
      const next = await request();
      if (requests.current !== mine) return null;
      setBoard(next);
      return next;
    } catch (reason: unknown) {
      if (requests.current === mine) setError(toIpcError(reason).view);
      return null;
    } finally {
      if (requests.current === mine) setLoading(false);
    }
  }, []);

  const open = useCallback(async (selection: TaskSelection) => (await load(() => openBatch(selection))) !== null, [load]);

  const openExisting = useCallback((batchId: number) => load(() => batchBoard(batchId)), [load]);

  const reload = useCallback(async () => {
    const current = boardRef.current;
    if (current === null) return;
    await load(() => batchBoard(current.batchId));
  }, [load]);

  const apply = useCallback(async (taskIds: number[], action: BulkAction): Promise<ErrorView | null> => {
    const current = boardRef.current;
    if (current === null) return null;
    requests.current += 1;
    const mine = requests.current;
    try {
      const next = await applyBulk(current.batchId, taskIds, action);
      if (requests.current === mine) setBoard(next);
      return null;
    } catch (reason: unknown) {
      return toIpcError(reason).view;
    }
  }, []);

  const show = useCallback((next: BoardView) => {
    requests.current += 1;
    setBoard(next);
  }, []);

  const patchRows = useCallback((rows: readonly BoardRow[]) => {
    if (rows.length === 0) return;
    const changed = new Map(rows.map((row) => [row.task.id, row]));
    setBoard((current) => (current === null ? null : { ...current, rows: current.rows.map((row) => changed.get(row.task.id) ?? row) }));
  }, []);

  const close = useCallback(() => {
    requests.current += 1;
    setBoard(null);
    setLoading(false);
    setError(null);
  }, []);

  const dismissError = useCallback(() => setError(null), []);

  return { board, loading, error, dismissError, open, openExisting, reload, apply, show, patchRows, close };
}
