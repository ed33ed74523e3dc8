import { useEffect, useRef, type KeyboardEvent, type ReactNode, type RefObject } from "react";
import type { TaskRow } from "../bindings/TaskRow";
import { TASK_TYPE_LABELS, formatCount, formatDateTime, taskAmount } from "../format";
import type { TaskChecks } from "../hooks/useTaskChecks";
import type { TaskPages } from "../hooks/useTaskPages";
import { StatusBadge } from "./StatusBadge";
import { VirtualRows, useGridRows } from "./VirtualRows";
import "./TaskList.css";

export const ROW_HEIGHT = 42;

interface TaskListProps {
  pages: TaskPages;
  /** Changes when search, filters or sort change: the list goes back to the top. */
  queryKey: string;
  selectedId: number | null;
  activeIndex: number | null;
  onSelect: (index: number) => void;
  /** Enter or Space on the selected row. */
  onActivate: () => void;
  /** Shown instead of rows when the query matches nothing. */
  empty: ReactNode;
  listRef: RefObject<HTMLDivElement | null>;
  /** The ticks for a batch review. */
  checks: TaskChecks;
}

export function rowDomId(id: number): string {
  return `task-row-${id}`;
}

/** The tick of a row; shift-click ticks (or unticks) the range from the last row toggled. */
function RowCheck({ row, index, checks }: { row: TaskRow; index: number; checks: TaskChecks }) {
  return (
    <div role="gridcell" className="cell cell-check">
      <input
        type="checkbox"
        className="check"
        data-testid={`task-check-${row.id}`}
        tabIndex={-1}
        checked={checks.isChecked(row.id)}
        aria-label={`Select ${row.customerName}, order ${row.orderId}`}
        onChange={() => {}}
        onClick={(event) => {
          event.stopPropagation();
          checks.toggle(index, row.id, event.shiftKey);
        }}
      />
    </div>
  );
}

/** The header's tick: all the tasks matching the search and filters (not only the rows loaded), or none. */
function HeaderCheck({ checks, total }: { checks: TaskChecks; total: number }) {
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (ref.current !== null) ref.current.indeterminate = checks.headerState === "some";
  }, [checks.headerState]);
  const all = checks.headerState === "all";
  return (
    <div role="columnheader" className="cell cell-check">
      <input
        ref={ref}
        type="checkbox"
        className="check"
        data-testid="check-all"
        tabIndex={-1}
        disabled={total === 0}
        checked={all}
        aria-label={all ? "Clear the selection" : `Select all ${formatCount(total)} matching`}
        title={all ? "Clear the selection" : `Select all ${formatCount(total)} tasks matching the search and filters`}
        onChange={() => (all ? checks.clear() : checks.selectAllMatching())}
      />
    </div>
  );
}

function RowCells({ row }: { row: TaskRow }) {
  const orderDate = formatDateTime(row.orderDate);
  const amount = taskAmount(row);
  return (
    <>
      <div role="gridcell" className="cell cell-customer" title={`${row.customerName} (${row.customerId})`}>
        <span className="cell-primary">{row.customerName}</span>
        <span className="cell-secondary mono">{row.customerId}</span>
      </div>
      <div role="gridcell" className="cell cell-type">
        <span className={`type-label type-${row.taskType}`}>{TASK_TYPE_LABELS[row.taskType]}</span>
      </div>
      <div role="gridcell" className="cell cell-order" title={`Order ${row.orderId}, ${formatDateTime(row.orderDate, true)}`}>
        <span className="cell-primary mono">{row.orderId}</span>
        <span className="cell-secondary tabular">{orderDate}</span>
      </div>
      <div role="gridcell" className="cell cell-subscription" title={`${row.subscriptionName} (${row.subscriptionId})`}>
        <span className="cell-primary">{row.subscriptionName || "—"}</span>
        <span className="cell-secondary mono">{row.subscriptionId}</span>
      </div>
      <div role="gridcell" className="cell cell-amount tabular" title={amount.title} data-testid="task-amount">
        <span className="cell-primary">{amount.main}</span>
        {amount.label !== "" && <span className="cell-secondary">{amount.label}</span>}
      </div>
      <div role="gridcell" className="cell cell-status">
        <StatusBadge status={row.status} reason={row.ignoredReason} />
      </div>
    </>
  );
}

function PlaceholderCells() {
  return (
    <>
      <div role="gridcell" className="cell cell-check" />
      <div role="gridcell" className="cell cell-customer">
        <span className="skeleton skeleton-wide" />
        <span className="skeleton skeleton-narrow" />
      </div>
      <div role="gridcell" className="cell cell-type">
        <span className="skeleton skeleton-narrow" />
      </div>
      <div role="gridcell" className="cell cell-order">
        <span className="skeleton skeleton-narrow" />
        <span className="skeleton skeleton-narrow" />
      </div>
      <div role="gridcell" className="cell cell-subscription">
        <span className="skeleton skeleton-wide" />
      </div>
      <div role="gridcell" className="cell cell-amount">
        <span className="skeleton skeleton-narrow" />
      </div>
      <div role="gridcell" className="cell cell-status">
        <span className="skeleton skeleton-badge" />
      </div>
    </>
  );
}

export function TaskList({ pages, queryKey, selectedId, activeIndex, onSelect, onActivate, empty, listRef, checks }: TaskListProps) {
  const count = pages.total ?? 0;
  const virtualizer = useGridRows(count, listRef, ROW_HEIGHT, 12, queryKey);

  const items = virtualizer.getVirtualItems();
  const firstIndex = items[0]?.index ?? -1;
  const lastIndex = items[items.length - 1]?.index ?? -1;

  // Load the pages of the rows on screen.
  const { showRange } = pages;
  useEffect(() => {
    if (firstIndex >= 0) showRange(firstIndex, lastIndex);
  }, [firstIndex, lastIndex, showRange]);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.altKey || event.metaKey || count === 0) return;
    const pageRows = Math.max(1, Math.floor((listRef.current?.clientHeight ?? ROW_HEIGHT * 10) / ROW_HEIGHT) - 2);
    const from = activeIndex ?? (selectedId !== null ? pages.indexOf(selectedId) : null);
    let next: number | null = null;
    switch (event.key) {
      case "ArrowDown":
      case "ArrowUp":
        next = from === null ? 0 : from + (event.key === "ArrowDown" ? 1 : -1);
        // Shift extends the ticks to the row moved to.
        if (event.shiftKey) {
          event.preventDefault();
          const target = Math.min(count - 1, Math.max(0, next));
          virtualizer.scrollToIndex(target, { align: "auto" });
          onSelect(target);
          checks.extendTo(from ?? target, target);
          return;
        }
        break;
      case "PageDown":
        next = (from ?? 0) + pageRows;
        break;
      case "PageUp":
        next = (from ?? 0) - pageRows;
        break;
      case "Home":
        next = 0;
        break;
      case "End":
        next = count - 1;
        break;
      case "Enter":
        if (from !== null) {
          event.preventDefault();
          onActivate();
        }
        return;
      case " ": {
        // Space ticks the row (for a batch review).
        const row = from === null ? undefined : pages.getRow(from);
        if (from !== null && row !== undefined) {
          event.preventDefault();
          checks.toggle(from, row.id, event.shiftKey);
        }
        return;
      }
      default:
        return;
    }
    event.preventDefault();
    const target = Math.min(count - 1, Math.max(0, next));
    virtualizer.scrollToIndex(target, { align: "auto" });
    onSelect(target);
  };

  const activeRow = activeIndex === null ? undefined : pages.getRow(activeIndex);
  const activeDescendant = activeRow !== undefined ? rowDomId(activeRow.id) : undefined;

  return (
    <div
      ref={listRef}
      className="task-scroll"
      role="grid"
      aria-label="Tasks"
      aria-rowcount={count + 1}
      aria-colcount={7}
      aria-busy={pages.total === null}
      aria-activedescendant={activeDescendant}
      tabIndex={0}
      data-testid="task-list"
      onKeyDown={onKeyDown}
    >
      <div role="rowgroup" className="task-head">
        <div role="row" className="task-grid task-head-row" aria-rowindex={1}>
          <HeaderCheck checks={checks} total={count} />
          <div role="columnheader" className="cell">Customer</div>
          <div role="columnheader" className="cell">Type</div>
          <div role="columnheader" className="cell">Order</div>
          <div role="columnheader" className="cell">Subscription</div>
          <div role="columnheader" className="cell cell-amount">Amount</div>
          <div role="columnheader" className="cell">Status</div>
        </div>
      </div>

      {pages.total === 0 ? (
        <div className="task-empty">{empty}</div>
      ) : (
        <VirtualRows virtualizer={virtualizer} className="task-body">
          {(index, frame) => {
            const row = pages.getRow(index);
            if (row === undefined) {
              return (
                <div
                  role="row"
                  aria-rowindex={frame.ariaRowIndex}
                  aria-busy="true"
                  className="task-grid task-row task-row-placeholder"
                  data-testid="task-row-placeholder"
                  style={frame.style}
                  onClick={() => onSelect(index)}
                >
                  <PlaceholderCells />
                </div>
              );
            }
            const selected = row.id === selectedId;
            return (
              <div
                id={rowDomId(row.id)}
                role="row"
                aria-rowindex={frame.ariaRowIndex}
                aria-selected={selected}
                className={`task-grid task-row${selected ? " task-row-selected" : ""}${frame.odd ? " task-row-odd" : ""}`}
                data-testid="task-row"
                data-task-id={row.id}
                data-order-id={row.orderId}
                data-customer-id={row.customerId}
                data-status={row.status}
                data-task-type={row.taskType}
                style={frame.style}
                onClick={() => onSelect(index)}
              >
                <RowCheck row={row} index={index} checks={checks} />
                <RowCells row={row} />
              </div>
            );
          }}
        </VirtualRows>
      )}
    </div>
  );
}
