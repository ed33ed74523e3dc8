import { useEffect, useRef, useState, type KeyboardEvent, type ReactNode } from "react";
import type { ActivityRow } from "../../bindings/ActivityRow";
import { ACTIVITY_KIND_LABELS, ACTIVITY_RESULT_LABELS, formatDateTime } from "../../format";
import type { WindowedPages } from "../../hooks/useWindowedPages";
import { VirtualRows, useGridRows } from "../VirtualRows";

export const ACTIVITY_ROW_HEIGHT = 50;

interface ActivityListProps {
  pages: WindowedPages<ActivityRow, string>;
  /** Changes when the search or a filter changes: the list goes back to the top. */
  queryKey: string;
  /** Shown instead of rows when the query matches nothing. */
  empty: ReactNode;
  /** Undo this sync… of a row: the undo of the sync that wrote it. */
  onUndo: (row: ActivityRow) => void;
}

export function activityRowDomId(id: string): string {
  return `activity-row-${id}`;
}

/** The row's sync can be undone from here (Rust says so, and the row names the sync and its task). */
export function canUndo(row: ActivityRow): boolean {
  return row.undoable && row.syncId !== null && row.taskId !== null;
}

function RowCells({ row, onUndo }: { row: ActivityRow; onUndo: (row: ActivityRow) => void }) {
  const kind = ACTIVITY_KIND_LABELS[row.kind];
  const before = row.before === "" ? "—" : row.before;
  const after = row.after === "" ? "—" : row.after;
  return (
    <>
      <div role="gridcell" className="cell" title={formatDateTime(row.at, true)}>
        <span className="cell-primary tabular" data-testid="activity-when">
          {formatDateTime(row.at)}
        </span>
      </div>
      <div role="gridcell" className="cell" title={`${row.desk} — profile ${row.profileName}`}>
        {row.otherDesk ? (
          <span className="activity-other" data-testid="activity-other-desk">
            <span className="badge activity-other-badge">Another desk</span>
          </span>
        ) : (
          <span className="cell-primary" data-testid="activity-desk">
            {row.desk}
          </span>
        )}
        <span className="cell-secondary" data-testid="activity-profile">
          {row.profileName}
        </span>
      </div>
      <div role="gridcell" className="cell" title={`${row.customer}\n${row.source}`}>
        <span className="cell-primary" data-testid="activity-customer">
          {row.customer === "" ? "—" : row.customer}
        </span>
        <span className="cell-secondary" data-testid="activity-source">
          {row.source}
        </span>
      </div>
      <div role="gridcell" className="cell" title={`${row.agreementName} (agreement ${row.agreementId})`}>
        <span className="cell-primary" data-testid="activity-agreement">
          {row.agreementName === "" ? "—" : row.agreementName}
        </span>
        <span className="cell-secondary mono" data-testid="activity-agreement-id">
          #{row.agreementId}
        </span>
      </div>
      <div role="gridcell" className="cell" title={row.product === "" ? kind : `${kind}: ${row.product}`}>
        <span className={`activity-kind activity-kind-${row.kind}`} data-testid="activity-kind">
          {kind}
        </span>
        {row.product !== "" && <span className="cell-secondary">{row.product}</span>}
      </div>
      <div role="gridcell" className="cell">
        <span className="mono" data-testid="activity-addition">
          {row.additionId === null ? "—" : `#${row.additionId}`}
        </span>
      </div>
      <div role="gridcell" className="cell activity-change" title={`Before: ${before}\nAfter: ${after}`} data-testid="activity-change">
        <span className="activity-before">{before}</span>{" "}
        <span className="activity-after">
          <span aria-label="becomes">→</span> {after}
        </span>
      </div>
      <div role="gridcell" className="cell" title={row.message ?? ACTIVITY_RESULT_LABELS[row.result]}>
        <span className={`badge activity-result activity-result-${row.result}`} data-testid="activity-result" data-result={row.result}>
          {ACTIVITY_RESULT_LABELS[row.result]}
        </span>
        {row.message !== null && !row.otherDesk && <span className="cell-secondary activity-message">{row.message}</span>}
      </div>
      <div role="gridcell" className="cell cell-undo">
        {canUndo(row) && (
          <button
            type="button"
            className="btn btn-small"
            data-testid="activity-undo"
            title={`See what undoing sync ${row.syncId ?? ""} would write, before anything is written`}
            onClick={(event) => {
              event.stopPropagation();
              onUndo(row);
            }}
          >
            Undo this sync…
          </button>
        )}
      </div>
    </>
  );
}

function PlaceholderCells() {
  return (
    <>
      {Array.from({ length: 8 }, (_, index) => (
        <div key={index} role="gridcell" className="cell">
          <span className="skeleton skeleton-wide" />
          <span className="skeleton skeleton-narrow" />
        </div>
      ))}
      <div role="gridcell" className="cell" />
    </>
  );
}

/**
 * The activity log, newest first: one row per write, read a window at a time as it scrolls. ↑ ↓
 * PageUp PageDown Home End move the focused row; Enter opens the undo of its sync, where it has one.
 */
export function ActivityList({ pages, queryKey, empty, onUndo }: ActivityListProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const count = pages.total ?? 0;
  const virtualizer = useGridRows(count, scrollRef, ACTIVITY_ROW_HEIGHT, 10, queryKey);
  const [active, setActive] = useState<number | null>(null);

  const items = virtualizer.getVirtualItems();
  const firstIndex = items[0]?.index ?? -1;
  const lastIndex = items[items.length - 1]?.index ?? -1;

  // Load the windows of the rows on screen.
  const { showRange } = pages;
  useEffect(() => {
    if (firstIndex >= 0) showRange(firstIndex, lastIndex);
  }, [firstIndex, lastIndex, showRange]);

  // Another query: no row is focused in it yet.
  useEffect(() => setActive(null), [queryKey]);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    // Keys on the row's button are the button's.
    if (event.target !== event.currentTarget || event.altKey || event.metaKey || event.ctrlKey || count === 0) return;
    const pageRows = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? ACTIVITY_ROW_HEIGHT * 10) / ACTIVITY_ROW_HEIGHT) - 2);
    let next: number;
    switch (event.key) {
      case "ArrowDown":
        next = active === null ? 0 : active + 1;
        break;
      case "ArrowUp":
        next = active === null ? 0 : active - 1;
        break;
      case "PageDown":
        next = (active ?? 0) + pageRows;
        break;
      case "PageUp":
        next = (active ?? 0) - pageRows;
        break;
      case "Home":
        next = 0;
        break;
      case "End":
        next = count - 1;
        break;
      case "Enter": {
        const row = active === null ? undefined : pages.getRow(active);
        if (row !== undefined && canUndo(row)) {
          event.preventDefault();
          onUndo(row);
        }
        return;
      }
      default:
        return;
    }
    event.preventDefault();
    const target = Math.min(count - 1, Math.max(0, next));
    virtualizer.scrollToIndex(target, { align: "auto" });
    setActive(target);
  };

  const activeRow = active === null ? undefined : pages.getRow(active);

  return (
    <div
      ref={scrollRef}
      className="activity-scroll"
      role="grid"
      aria-label="Activity log"
      aria-rowcount={count + 1}
      aria-colcount={9}
      aria-busy={pages.total === null}
      aria-activedescendant={activeRow === undefined ? undefined : activityRowDomId(activeRow.id)}
      tabIndex={0}
      data-testid="activity-list"
      onKeyDown={onKeyDown}
    >
      <div role="rowgroup" className="activity-head">
        <div role="row" className="activity-grid activity-head-row" aria-rowindex={1}>
          <div role="columnheader" className="cell">When</div>
          <div role="columnheader" className="cell">Desk · profile</div>
          <div role="columnheader" className="cell">Customer · source</div>
          <div role="columnheader" className="cell">Agreement</div>
          <div role="columnheader" className="cell">What</div>
          <div role="columnheader" className="cell">Addition</div>
          <div role="columnheader" className="cell">Before → after</div>
          <div role="columnheader" className="cell">Result</div>
          <div role="columnheader" className="cell">
            <span className="visually-hidden">Undo</span>
          </div>
        </div>
      </div>

      {pages.total === 0 ? (
        <div className="activity-empty">{empty}</div>
      ) : pages.total === null ? (
        <p className="activity-empty muted" role="status">
          Reading the activity log…
        </p>
      ) : (
        <VirtualRows virtualizer={virtualizer} className="activity-body">
          {(index, frame) => {
            const row = pages.getRow(index);
            if (row === undefined) {
              return (
                <div
                  role="row"
                  aria-rowindex={frame.ariaRowIndex}
                  aria-busy="true"
                  className="activity-grid activity-row activity-row-placeholder"
                  data-testid="activity-row-placeholder"
                  style={frame.style}
                >
                  <PlaceholderCells />
                </div>
              );
            }
            const focused = index === active;
            return (
              <div
                id={activityRowDomId(row.id)}
                role="row"
                aria-rowindex={frame.ariaRowIndex}
                aria-selected={focused}
                className={`activity-grid activity-row${frame.odd ? " activity-row-odd" : ""}${row.otherDesk ? " activity-row-other" : ""}${
                  focused ? " activity-row-active" : ""
                }`}
                data-testid="activity-row"
                data-id={row.id}
                data-other-desk={row.otherDesk ? "true" : "false"}
                data-sync-id={row.syncId ?? undefined}
                data-result={row.result}
                style={frame.style}
                onClick={() => setActive(index)}
              >
                <RowCells row={row} onUndo={onUndo} />
              </div>
            );
          }}
        </VirtualRows>
      )}
    </div>
  );
}
