import { useCallback, useRef } from "react";
import type { BoardRow } from "../bindings/BoardRow";
import type { BoardView } from "../bindings/BoardView";
import type { BulkAction } from "../bindings/BulkAction";
import type { ErrorView } from "../bindings/ErrorView";
import type { TaskSelection } from "../bindings/TaskSelection";
import { applyBulk, batchBoard, openBatch, toIpcError } from "../ipc";
import { useCommand } from "./useCommand";

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
  const command = useCommand<BoardView>();
  const { data: board, run, show, update, dismissError, reset: close } = command;
  const boardRef = useRef(board);
  boardRef.current = board;

  const open = useCallback(async (selection: TaskSelection) => (await run(() => openBatch(selection))) !== null, [run]);

  const openExisting = useCallback((batchId: number) => run(() => batchBoard(batchId)), [run]);

  const reload = useCallback(async () => {
    const current = boardRef.current;
    if (current === null) return;
    await run(() => batchBoard(current.batchId));
  }, [run]);

  // A refusal is shown beside the bulk actions, not as the board's error; the board stays as it was.
  const apply = useCallback(
    async (taskIds: number[], action: BulkAction): Promise<ErrorView | null> => {
      const current = boardRef.current;
      if (current === null) return null;
      try {
        await run(() => applyBulk(current.batchId, taskIds, action), { quiet: true });
        return null;
      } catch (reason: unknown) {
        return toIpcError(reason).view;
      }
    },
    [run],
  );

  const patchRows = useCallback(
    (rows: readonly BoardRow[]) => {
      if (rows.length === 0) return;
      const changed = new Map(rows.map((row) => [row.task.id, row]));
      update((current) => (current === null ? null : { ...current, rows: current.rows.map((row) => changed.get(row.task.id) ?? row) }));
    },
    [update],
  );

  return { board, loading: command.busy, error: command.error, dismissError, open, openExisting, reload, apply, show, patchRows, close };
}
