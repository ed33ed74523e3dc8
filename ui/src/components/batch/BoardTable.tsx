import { useEffect, useRef, type KeyboardEvent, type RefObject } from "react";
import type { BatchTaskState } from "../../bindings/BatchTaskState";
import type { BoardRow } from "../../bindings/BoardRow";
import { BATCH_STATE_LABELS, TASK_TYPE_LABELS, amountText, recurringText, writtenText } from "../../format";
import type { BoardRows } from "../../hooks/useBoardRows";
import { BoardNextInvoice, agreementTitle } from "./BoardNextInvoice";
import { oneTimeKindsText } from "./oneTime";

interface BoardTableProps {
  rows: BoardRows;
  /** The batch's sync has started: each row shows its state in it. */
  syncShown: boolean;
  /** A sync runs: rows can't be opened. */
  running: boolean;
  onOpen: (row: BoardRow) => void;
  /** Undo this sync… of a task the batch synced: its wizard, on the undo. */
  onUndo?: ((row: BoardRow) => void) | null;
  gridRef: RefObject<HTMLDivElement | null>;
}

export function boardRowDomId(taskId: number): string {
  return `board-row-${taskId}`;
}

/** What a row's state cell shows: its state in the sync once that has started (for the rows it takes), else whether it can be synced. */
function shownState(row: BoardRow, syncShown: boolean): BatchTaskState | "ready" | "already" | "attention" {
  if (syncShown && (row.state !== "waiting" || row.ready || row.already !== null)) return row.state;
  return row.ready ? "ready" : row.already !== null ? "already" : "attention";
}

/** "2 of 6 writes already in ConnectWise", for a row partly written (from any desk). */
function Written({ row }: { row: BoardRow }) {
  if (row.written === 0 || row.already !== null) return null;
  return (
    <span className="board-reason" data-testid="board-written">
      {writtenText(row.written, row.writes)}
    </span>
  );
}

/** Ready / Already in ConnectWise / Needs attention (with the reasons), or the row's state in the sync once it has started. */
function RowState({ row, syncShown, onUndo }: { row: BoardRow; syncShown: boolean; onUndo: ((row: BoardRow) => void) | null }) {
  const state = shownState(row, syncShown);
  if (state === "already") {
    return (
      <div className="board-state">
        <span className="badge board-badge-already" data-testid="row-already" title={row.already ?? undefined}>
          Already in ConnectWise
        </span>
      </div>
    );
  }
  if (state !== "ready" && state !== "attention") {
    return (
      <div className="board-state">
        <span className={`badge board-badge board-badge-${row.state}`} data-testid="board-state">
          {BATCH_STATE_LABELS[row.state]}
        </span>
        {row.message !== null && (
          <span className="board-reason" data-testid="board-message">
            {row.message}
          </span>
        )}
        {state === "synced" && onUndo !== null && (
          <button
            type="button"
            className="btn btn-small board-row-undo"
            data-testid="batch-row-undo"
            title={`See what undoing the sync of ${row.task.customerName}, order ${row.task.orderId} would write, before anything is written`}
            onClick={(event) => {
              event.stopPropagation();
              onUndo(row);
            }}
          >
            Undo this sync…
          </button>
        )}
      </div>
    );
  }
  if (state === "ready") {
    return (
      <div className="board-state">
        <span className="badge badge-synced" data-testid="board-state">
          Ready
        </span>
        <Written row={row} />
      </div>
    );
  }
  return (
    <div className="board-state">
      <span className="badge badge-pending" data-testid="board-state">
        Needs attention
      </span>
      {row.attention.map((attention) => (
        <span key={attention.reason} className="board-reason" data-testid="board-reason" data-reason={attention.reason}>
          {attention.message}
        </span>
      ))}
      <Written row={row} />
    </div>
  );
}

function BoardLine({
  row,
  index,
  rows,
  syncShown,
  running,
  onOpen,
  onUndo,
}: {
  row: BoardRow;
  index: number;
  rows: BoardRows;
  syncShown: boolean;
  running: boolean;
  onOpen: (row: BoardRow) => void;
  onUndo: ((row: BoardRow) => void) | null;
}) {
  const { task } = row;
  const active = index === rows.active;
  const state = shownState(row, syncShown);
  return (
    <div
      id={boardRowDomId(task.id)}
      role="row"
      aria-rowindex={index + 2}
      aria-selected={active}
      className={`board-grid board-row${active ? " board-row-active" : ""}${running ? "" : " board-row-openable"}`}
      data-testid="board-row"
      data-task-id={task.id}
      data-ready={row.ready}
      data-state={state}
      title={running ? undefined : `Open the review of ${task.customerName}, order ${task.orderId}`}
      onClick={() => {
        rows.setActive(index);
        if (!running) onOpen(row);
      }}
    >
      <div role="gridcell" className="cell cell-check">
        <input
          type="checkbox"
          className="check"
          data-testid={`board-check-${task.id}`}
          tabIndex={-1}
          checked={rows.isTicked(task.id)}
          disabled={running}
          aria-label={`Select ${task.customerName}, order ${task.orderId}`}
          onChange={() => rows.toggle(task.id)}
          onClick={(event) => event.stopPropagation()}
        />
      </div>
      <div role="gridcell" className="cell" title={`${task.customerName} (${task.customerId})`}>
        <span className="cell-primary">{task.customerName}</span>
        <span className="cell-secondary mono">{task.customerId}</span>
      </div>
      <div role="gridcell" className="cell">
        <span>{TASK_TYPE_LABELS[task.taskType]}</span>
        <span className="cell-secondary mono">{task.orderId}</span>
      </div>
      <div role="gridcell" className="cell" data-testid="board-agreement" title={agreementTitle(row)}>
        <span>{row.agreementName ?? "—"}</span>
        {row.companyName !== null && <span className="cell-secondary">{row.companyName}</span>}
      </div>
      <div role="gridcell" className="cell tabular" data-testid="board-effective" title={row.effectiveNote ?? undefined}>
        <span>{row.effectiveDate === "" ? "—" : row.effectiveDate}</span>{" "}
        {row.effectiveNote !== null && <span className="cell-secondary">usage period</span>}
      </div>
      <div role="gridcell" className="cell cell-amount" data-testid="board-writes">
        {row.writes}
      </div>
      <div role="gridcell" className="cell cell-amount" data-testid="board-one-time">
        <span>{amountText(row.oneTime, row.currency)}</span>{" "}
        {row.oneTimeParts.length > 0 && <span className="cell-secondary">{oneTimeKindsText(row.oneTimeParts)}</span>}
      </div>
      <div
        role="gridcell"
        className="cell cell-amount cell-recurring"
        data-testid="board-recurring"
        title={row.billingCycle === "" ? undefined : `Recurring amount per ${row.per} (${row.billingCycle} billing cycle), before → after`}
      >
        <span>{recurringText(row.recurringBefore, row.recurringAfter)}</span>{" "}
        {row.per !== "" && row.recurringBefore !== "" && <span className="cell-secondary">/ {row.per}</span>}
        {row.agreementAmount !== "" && (
          <span
            className="cell-secondary"
            data-testid="board-agreement-amount"
            title="The agreement's own amount, billed every period besides its additions: both figures include it."
          >
            incl. {row.agreementAmount} the agreement's own
          </span>
        )}
      </div>
      <BoardNextInvoice row={row} />
      <div role="gridcell" className="cell cell-board-state">
        <RowState row={row} syncShown={syncShown} onUndo={running ? null : onUndo} />
      </div>
    </div>
  );
}

/**
 * The board's rows: ↑ ↓ Home End move the focused row, Space ticks it, Enter opens its review.
 */
export function BoardTable({ rows, syncShown, running, onOpen, onUndo = null, gridRef }: BoardTableProps) {
  const { shown, active, setActive } = rows;
  const activeRow = shown[active];

  // The focused row stays in view.
  useEffect(() => {
    if (activeRow === undefined) return;
    document.getElementById(boardRowDomId(activeRow.task.id))?.scrollIntoView?.({ block: "nearest" });
  }, [activeRow]);

  const headRef = useRef<HTMLInputElement>(null);
  const tickedShown = shown.filter((row) => rows.isTicked(row.task.id)).length;
  useEffect(() => {
    if (headRef.current !== null) headRef.current.indeterminate = tickedShown > 0 && tickedShown < shown.length;
  }, [tickedShown, shown.length]);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.altKey || event.metaKey || event.ctrlKey || shown.length === 0) return;
    let next: number | null = null;
    switch (event.key) {
      case "ArrowDown":
        next = active + 1;
        break;
      case "ArrowUp":
        next = active - 1;
        break;
      case "Home":
        next = 0;
        break;
      case "End":
        next = shown.length - 1;
        break;
      case " ":
        event.preventDefault();
        if (activeRow !== undefined && !running) rows.toggle(activeRow.task.id);
        return;
      case "Enter":
        event.preventDefault();
        if (activeRow !== undefined && !running) onOpen(activeRow);
        return;
      default:
        return;
    }
    event.preventDefault();
    setActive(Math.min(shown.length - 1, Math.max(0, next)));
  };

  return (
    <div
      ref={gridRef}
      className="board-scroll"
      role="grid"
      aria-label="Tasks of the batch"
      aria-rowcount={shown.length + 1}
      aria-activedescendant={activeRow === undefined ? undefined : boardRowDomId(activeRow.task.id)}
      tabIndex={0}
      data-testid="board"
      onKeyDown={onKeyDown}
    >
      <div role="row" className="board-grid board-head" aria-rowindex={1}>
        <div role="columnheader" className="cell cell-check">
          <input
            ref={headRef}
            type="checkbox"
            className="check"
            data-testid="board-check-all"
            tabIndex={-1}
            disabled={running || shown.length === 0}
            checked={shown.length > 0 && tickedShown === shown.length}
            aria-label="Select every row shown"
            onChange={rows.toggleShown}
          />
        </div>
        <div role="columnheader" className="cell">Customer</div>
        <div role="columnheader" className="cell">Type · order</div>
        <div role="columnheader" className="cell">Agreement</div>
        <div role="columnheader" className="cell" title="The effective date the task's writes take (a Billing Order: the period it bills)">
          Effective
        </div>
        <div role="columnheader" className="cell cell-amount">Writes</div>
        <div role="columnheader" className="cell cell-amount" title="Billed once: prorates, usage, fees">
          One-time
        </div>
        <div role="columnheader" className="cell cell-amount cell-recurring" title="Recurring amount per billing period of the task's cycle, before → after">
          Recurring
        </div>
        <div role="columnheader" className="cell cell-amount cell-next-invoice" title="The total of the agreement's next invoice, before → after the task's sync">
          Next invoice
        </div>
        <div role="columnheader" className="cell">State</div>
      </div>
      {shown.length === 0 ? (
        <p className="board-empty" data-testid="board-empty">
          No tasks here.
        </p>
      ) : (
        shown.map((row, index) => (
          <BoardLine key={row.task.id} row={row} index={index} rows={rows} syncShown={syncShown} running={running} onOpen={onOpen} onUndo={onUndo} />
        ))
      )}
    </div>
  );
}
