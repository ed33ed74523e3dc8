import type { BoardRow } from "../../bindings/BoardRow";
import { nextInvoiceText } from "../../format";

/** What the cell's tooltip says: the invoice, its date and currency, before → after. */
function nextInvoiceTitle(row: BoardRow): string | undefined {
  if (row.nextInvoiceBefore === "" && row.nextInvoiceAfter === "") return undefined;
  const on = row.nextInvoiceDate === "" ? "" : ` on ${row.nextInvoiceDate}`;
  const currency = row.currency === "" ? "" : ` ${row.currency}`;
  return `The agreement's next invoice${on}: ${row.nextInvoiceBefore || "—"}${currency} before this task's sync → ${row.nextInvoiceAfter || "—"}${currency} after`;
}

/**
 * A board row's next invoice (SPEC §16): its total before → after the task's sync, and its date.
 * In a narrow window it goes under the Recurring figures (batch.css).
 */
export function BoardNextInvoice({ row }: { row: BoardRow }) {
  return (
    <div role="gridcell" className="cell cell-amount cell-next-invoice" data-testid="board-next-invoice" title={nextInvoiceTitle(row)}>
      <span className="board-next-amounts">{nextInvoiceText(row.nextInvoiceBefore, row.nextInvoiceAfter)}</span>{" "}
      {row.nextInvoiceDate !== "" && <span className="cell-secondary">on {row.nextInvoiceDate}</span>}
    </div>
  );
}

/** The agreement cell's tooltip: its name and, once planned, its invoice calendar in words. */
export function agreementTitle(row: BoardRow): string | undefined {
  const parts = [row.agreementName, row.calendar].filter((part): part is string => part !== null && part !== "");
  return parts.length === 0 ? undefined : parts.join("\n");
}
