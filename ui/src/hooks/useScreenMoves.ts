import { useCallback, type Dispatch, type RefObject } from "react";
import type { CustomerView } from "../bindings/CustomerView";
import type { FixResult } from "../bindings/FixResult";
import { fixReconcile } from "../ipc";
import type { ScreenAction, Screens } from "../screens";
import type { Batch } from "./useBatch";
import type { BatchSync } from "./useBatchSync";
import type { Review } from "./useReview";
import type { TaskChecks } from "./useTaskChecks";
import type { TaskPages } from "./useTaskPages";

interface ScreenMovesDeps {
  screens: Screens;
  dispatch: Dispatch<ScreenAction>;
  review: Review;
  batch: Batch;
  batchSync: BatchSync;
  pages: TaskPages;
  checks: TaskChecks;
  /** Compares the book again from the cache (after a fix was reviewed or synced). */
  recompareBook: () => Promise<void>;
  boardRef: RefObject<HTMLDivElement | null>;
}

export interface ScreenMoves {
  /** The wizard closes: back to what is under it, read again. */
  closeReview: () => void;
  /** Fix from Reconcile: one task opens in its wizard over the customer; several on a batch board. */
  fixDrift: (customer: CustomerView, lineKeys: string[]) => Promise<FixResult>;
  /** Review of the list's ticked tasks: their board. */
  reviewSelection: () => void;
  /** Finish of the interrupted batch's banner: its board, and its sync finished at once. */
  finishBatch: (batchId: number) => void;
  /** The board's Back: to the list, or to Reconcile compared again when the board held its fixes. */
  backToList: () => void;
}

/** The moves between screens that also read something again: a wizard closing over the board, a fix, the board's Back. */
export function useScreenMoves({ screens, dispatch, review, batch, batchSync, pages, checks, recompareBook, boardRef }: ScreenMovesDeps): ScreenMoves {
  const { view, boardFrom } = screens;
  const { open: openReview, close: closeWizard } = review;
  const { open: openBoard, openExisting, reload: reloadBoard, close: closeBatch } = batch;
  const { start: startBatchSync, reset: resetBatchSync } = batchSync;
  const onBoard = batch.board !== null;

  // Back to the board if it was opened from one, every row re-planned (a mapping made in the wizard
  // may change other rows too).
  const closeReview = useCallback(() => {
    closeWizard();
    // A fix reviewed (or synced) from Reconcile: the customer is compared again at once.
    if (view === "reconcile") void recompareBook();
    if (!onBoard) return;
    void reloadBoard();
    boardRef.current?.focus({ preventScroll: true });
  }, [closeWizard, onBoard, reloadBoard, view, recompareBook, boardRef]);

  const fixDrift = useCallback(
    async (customer: CustomerView, lineKeys: string[]): Promise<FixResult> => {
      const made = await fixReconcile(customer.customerId, lineKeys);
      const [first, ...more] = made.tasks;
      if (first !== undefined && more.length === 0) {
        openReview(first);
      } else if (first !== undefined) {
        dispatch({ kind: "boardForFixes" });
        await openBoard({ kind: "ids", ids: made.taskIds });
      }
      return made;
    },
    [openReview, openBoard, dispatch],
  );

  const reviewSelection = useCallback(() => {
    const chosen = checks.selection();
    if (chosen !== null) void openBoard(chosen);
  }, [checks, openBoard]);

  const finishBatch = useCallback(
    (batchId: number) => {
      resetBatchSync();
      void openExisting(batchId).then((board) => {
        if (board !== null) startBatchSync(board.batchId);
      });
    },
    [openExisting, startBatchSync, resetBatchSync],
  );

  const backToList = useCallback(() => {
    closeBatch();
    resetBatchSync();
    pages.refresh();
    dispatch({ kind: "leaveBoard" });
    if (boardFrom === "reconcile") void recompareBook();
  }, [closeBatch, resetBatchSync, pages, boardFrom, dispatch, recompareBook]);

  return { closeReview, fixDrift, reviewSelection, finishBatch, backToList };
}
