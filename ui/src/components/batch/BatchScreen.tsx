import { useEffect, useState, type KeyboardEvent, type RefObject } from "react";
import type { BoardRow } from "../../bindings/BoardRow";
import type { BoardView } from "../../bindings/BoardView";
import type { BulkAction } from "../../bindings/BulkAction";
import type { ErrorView } from "../../bindings/ErrorView";
import { formatDateTime, plural } from "../../format";
import type { BatchSync } from "../../hooks/useBatchSync";
import { useBoardRows, type BoardFilter } from "../../hooks/useBoardRows";
import { useInlineConfirm } from "../../hooks/useInlineConfirm";
import { BatchSyncPanel } from "./BatchSyncPanel";
import { BoardTable } from "./BoardTable";
import { BoardTotals } from "./BoardTotals";
import { BulkActions } from "./BulkActions";
import { UndoBoard } from "./UndoBoard";
import { ErrorPanel } from "../ErrorPanel";
import "./batch.css";

interface BatchScreenProps {
  board: BoardView;
  /** The board is being re-planned. */
  loading: boolean;
  /** Why it could not be re-read. */
  error: ErrorView | null;
  onDismissError: () => void;
  sync: BatchSync;
  offline: boolean;
  onApply: (taskIds: number[], action: BulkAction) => Promise<ErrorView | null>;
  onOpenTask: (row: BoardRow) => void;
  /** Undo this sync… of a task the batch synced: its wizard, on the undo. */
  onUndoTask: (row: BoardRow) => void;
  /** Undos of the batch have been written (however it ended): the task list and the activity log are read again. */
  onUndone: () => void;
  /** Back from the undos after some were written: the board is planned again. */
  onReplan: () => void;
  onBack: () => void;
  /** Where Back goes: the task list, or Reconcile when the board holds fixes made there. */
  backTo?: string;
  gridRef: RefObject<HTMLDivElement | null>;
}

const FILTERS: readonly { value: BoardFilter; label: string }[] = [
  { value: "all", label: "All" },
  { value: "ready", label: "Ready" },
  { value: "already", label: "Already in ConnectWise" },
  { value: "attention", label: "Needs attention" },
];

/**
 * The board of a batch, in place of the list: its rows with what each would write and whether it
 * can, the totals of the ready ones, bulk actions on the ticked rows, the batch's sync — and the
 * board of its undos.
 */
export function BatchScreen({
  board,
  loading,
  error,
  onDismissError,
  sync,
  offline,
  onApply,
  onOpenTask,
  onUndoTask,
  onUndone,
  onReplan,
  onBack,
  backTo = "the list",
  gridRef,
}: BatchScreenProps) {
  const rows = useBoardRows(board);
  const confirm = useInlineConfirm();
  const running = sync.running;
  const syncShown = board.syncStarted || sync.phase.kind !== "idle";
  // Undo this batch…: its undos' board in place of the batch's.
  const [undoing, setUndoing] = useState(false);

  // The board opens (and comes back from the undos) with the focus in its rows, so the keyboard works at once.
  useEffect(() => {
    if (!undoing) gridRef.current?.focus({ preventScroll: true });
  }, [gridRef, undoing]);

  if (undoing) {
    return (
      <UndoBoard
        batchId={board.batchId}
        offline={offline}
        onUndone={onUndone}
        onBack={(ran) => {
          setUndoing(false);
          if (ran) {
            // What the batch's sync said no longer holds: its tasks are planned again from the cache.
            sync.reset();
            onReplan();
          }
        }}
      />
    );
  }

  const canSync = !running && !offline && board.ready + board.already > 0;
  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      if (canSync) confirm.ask();
    }
  };

  const counts: Record<BoardFilter, number> = { all: board.rows.length, ready: board.ready, already: board.already, attention: board.needsAttention };

  return (
    <section className="batch-screen" data-testid="batch-screen" data-batch-id={board.batchId} aria-labelledby="batch-title" onKeyDown={onKeyDown}>
      <header className="batch-head">
        <button
          type="button"
          className="btn btn-small"
          data-testid="batch-back"
          disabled={running}
          title={running ? "Wait until the sync finishes, or Stop it" : undefined}
          onClick={onBack}
        >
          ← Back to {backTo}
        </button>
        <h2 id="batch-title" className="batch-title">
          Batch review: {plural(board.rows.length, "task", "tasks")}
        </h2>
        <span className="muted batch-created">made {formatDateTime(board.createdAt)}</span>
        {loading && (
          <span className="hint" role="status" data-testid="batch-loading">
            Re-planning…
          </span>
        )}
        <span className="sheet-foot-spacer" />
        <div className="board-filters" role="group" aria-label="Show">
          {FILTERS.map((filter) => (
            <button
              key={filter.value}
              type="button"
              className={`btn btn-small${rows.filter === filter.value ? " board-filter-on" : ""}`}
              data-testid={`board-filter-${filter.value}`}
              aria-pressed={rows.filter === filter.value}
              onClick={() => rows.setFilter(filter.value)}
            >
              {filter.label} <span className="tabular muted">{counts[filter.value]}</span>
            </button>
          ))}
        </div>
      </header>

      {error !== null && (
        <ErrorPanel error={error} title="Couldn't re-plan the board" testId="board-error" className="batch-error" onDismiss={onDismissError} />
      )}

      <div className="batch-summary">
        <BoardTotals totals={board.totals} />
        <BatchSyncPanel
          board={board}
          sync={sync}
          confirm={confirm}
          offline={offline}
          onConfirm={() => {
            confirm.cancel();
            sync.start(board.batchId);
          }}
          onUndo={() => setUndoing(true)}
        />
      </div>

      <BulkActions
        ticked={rows.ticked}
        today={board.today}
        disabled={running}
        onApply={(action) => onApply(rows.ticked, action)}
        onClearTicks={rows.clearTicks}
      />

      <div className="board-frame">
        <BoardTable rows={rows} syncShown={syncShown} running={running} onOpen={onOpenTask} onUndo={onUndoTask} gridRef={gridRef} />
      </div>

      <p className="hint board-keys" data-testid="board-keys">
        ↑ ↓ move · Space ticks · Enter opens the task · Ctrl+Enter syncs the ready tasks (after a confirmation)
      </p>
    </section>
  );
}
