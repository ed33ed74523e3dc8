import { useRef, type KeyboardEvent, type ReactNode } from "react";
import type { BookRow } from "../../bindings/BookRow";
import { OUTCOME_LABELS, formatAge, isDrift, plural } from "../../format";
import { effectClass } from "./CustomerPanel";
import { OutcomeBadge } from "./OutcomeBadge";
import { VirtualRows, useGridRows } from "../VirtualRows";
import "../TaskList.css";

export const BOOK_ROW_HEIGHT = 58;
/** Recurring lines a row shows; the rest are in its title. */
const LINES_SHOWN = 2;

interface BookListProps {
  rows: BookRow[];
  /** Changes when the filters change: the list goes back to the top. */
  queryKey: string;
  openId: string | null;
  onOpen: (customerId: string) => void;
  now: Date;
  /** Shown instead of rows when there are none. */
  empty: ReactNode;
  /** A customer is open beside the book: the amounts in words are left to its title and the customer. */
  compact?: boolean;
}

export function bookRowDomId(customerId: string): string {
  return `book-row-${customerId}`;
}

/** What the customer's drift changes per period and currency: "+88.00 / month". */
function EffectCell({ row }: { row: BookRow }) {
  const lines = row.recurring;
  const title = lines.map((r) => `${r.currency}: ${r.words}`).join("\n");
  return (
    <div role="gridcell" className="cell cell-effect" title={title === "" ? undefined : title}>
      {lines.length === 0 ? (
        <span className="muted">—</span>
      ) : (
        lines.slice(0, LINES_SHOWN).map((r) => (
          <span key={`${r.currency}-${r.per}`} className={`effect-line tabular ${effectClass(r.effect)}`} data-testid="book-effect">
            {r.effect} {r.currency} / {r.per}
          </span>
        ))
      )}
      {lines.length > LINES_SHOWN && <span className="recurring-more muted">+{lines.length - LINES_SHOWN} more</span>}
    </div>
  );
}

/** Both sides' recurring amounts in words. */
function RecurringCell({ row }: { row: BookRow }) {
  const lines = row.recurring;
  if (lines.length === 0) {
    return (
      <div role="gridcell" className="cell cell-recurring muted">
        {row.notReadCount > 0
          ? "Not compared yet: ConnectWise's additions not read"
          : row.outcomes.includes("unmapped")
            ? "Not comparable until mapped"
            : "—"}
      </div>
    );
  }
  return (
    <div role="gridcell" className="cell cell-recurring">
      {lines.slice(0, LINES_SHOWN).map((r) => (
        <span key={`${r.currency}-${r.per}`} className="recurring-line" data-testid="book-recurring">
          <span className="recurring-currency mono">{r.currency}</span>
          <span className="recurring-words tabular">{r.words}</span>
        </span>
      ))}
    </div>
  );
}

/**
 * What the customer's products come to: "In sync" only when every product was compared and
 * agrees; drift apart from what could not be compared ("1 drift · 24 unmapped").
 */
export function driftWords(row: BookRow): { text: string; tone: "in-sync" | "drift" | "unknown" } {
  const parts: string[] = [];
  if (row.driftCount > 0) parts.push(plural(row.driftCount, "drift", "drifts"));
  if (row.unmappedCount > 0) parts.push(`${row.unmappedCount} unmapped`);
  if (row.notReadCount > 0) parts.push(`${row.notReadCount} not compared`);
  if (parts.length === 0) return { text: "In sync", tone: "in-sync" };
  return { text: parts.join(" · "), tone: row.driftCount > 0 ? "drift" : "unknown" };
}

function RowCells({ row, now, compact }: { row: BookRow; now: Date; compact: boolean }) {
  const drift = row.outcomes.filter((o) => o !== "inSync");
  const summary = driftWords(row);
  return (
    <>
      <div role="gridcell" className="cell cell-customer" title={row.account}>
        <span className="cell-primary">{row.customerName}</span>
        <span className="cell-secondary mono">{row.customerId}</span>
      </div>
      <div role="gridcell" className="cell cell-company">
        {row.companyName === null ? <span className="muted">Not mapped</span> : <span className="cell-primary">{row.companyName}</span>}
      </div>
      <div role="gridcell" className="cell cell-drift" title={drift.map((o) => OUTCOME_LABELS[o]).join(", ") || "In sync"}>
        <span
          className={`drift-count tabular${summary.tone === "in-sync" ? " drift-none" : summary.tone === "unknown" ? " drift-unknown" : ""}`}
          data-testid="book-drift"
          data-drift-tone={summary.tone}
        >
          {summary.text}
        </span>
        <span className="outcome-badges" aria-label={drift.map((o) => OUTCOME_LABELS[o]).join(", ")}>
          {drift.filter(isDrift).map((o) => (
            <OutcomeBadge key={o} outcome={o} small />
          ))}
        </span>
      </div>
      <EffectCell row={row} />
      {!compact && <RecurringCell row={row} />}
      <div role="gridcell" className="cell cell-reconciled tabular" title={row.dataReadAt === null ? undefined : `Subscriptions read ${formatAge(row.dataReadAt, now)}`}>
        {formatAge(row.lastReconciledAt, now)}
      </div>
    </>
  );
}

/** The book, one row per customer, virtualised (thousands of customers stay fast). */
export function BookList({ rows, queryKey, openId, onOpen, now, empty, compact = false }: BookListProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const count = rows.length;
  const virtualizer = useGridRows(count, scrollRef, BOOK_ROW_HEIGHT, 10, queryKey);

  const openIndex = openId === null ? -1 : rows.findIndex((r) => r.customerId === openId);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.altKey || event.metaKey || count === 0) return;
    let next: number;
    switch (event.key) {
      case "ArrowDown":
        next = openIndex + 1;
        break;
      case "ArrowUp":
        next = openIndex <= 0 ? 0 : openIndex - 1;
        break;
      case "Home":
        next = 0;
        break;
      case "End":
        next = count - 1;
        break;
      default:
        return;
    }
    event.preventDefault();
    const target = Math.min(count - 1, Math.max(0, next));
    virtualizer.scrollToIndex(target, { align: "auto" });
    const row = rows[target];
    if (row !== undefined) onOpen(row.customerId);
  };

  return (
    <div
      ref={scrollRef}
      className={`book-scroll${compact ? " book-compact" : ""}`}
      role="grid"
      aria-label="Reconciled customers"
      aria-rowcount={count + 1}
      aria-colcount={compact ? 5 : 6}
      aria-activedescendant={openId !== null && openIndex >= 0 ? bookRowDomId(openId) : undefined}
      tabIndex={0}
      data-testid="book-list"
      onKeyDown={onKeyDown}
    >
      <div role="rowgroup" className="book-head">
        <div role="row" className="book-grid book-head-row" aria-rowindex={1}>
          <div role="columnheader" className="cell">Customer</div>
          <div role="columnheader" className="cell">ConnectWise company</div>
          <div role="columnheader" className="cell">Drift</div>
          <div role="columnheader" className="cell">Effect</div>
          {!compact && <div role="columnheader" className="cell">Recurring per period</div>}
          <div role="columnheader" className="cell">Reconciled</div>
        </div>
      </div>
      {count === 0 ? (
        <div className="book-empty">{empty}</div>
      ) : (
        <VirtualRows virtualizer={virtualizer} className="book-body">
          {(index, frame) => {
            const row = rows[index];
            if (row === undefined) return null;
            const open = row.customerId === openId;
            return (
              <div
                id={bookRowDomId(row.customerId)}
                role="row"
                aria-rowindex={frame.ariaRowIndex}
                aria-selected={open}
                className={`book-grid book-row${open ? " book-row-open" : ""}${frame.odd ? " book-row-odd" : ""}`}
                data-testid="book-row"
                data-customer-id={row.customerId}
                data-drift={row.driftCount}
                style={frame.style}
                onClick={() => onOpen(row.customerId)}
              >
                <RowCells row={row} now={now} compact={compact} />
              </div>
            );
          }}
        </VirtualRows>
      )}
    </div>
  );
}
