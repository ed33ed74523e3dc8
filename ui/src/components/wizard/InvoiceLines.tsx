import type { InvoiceLineView } from "../../bindings/InvoiceLineView";
import type { InvoiceView } from "../../bindings/InvoiceView";
import "./invoice.css";

/** The line kinds of each part of the invoice, as Rust totals them. */
const RECURRING: readonly InvoiceLineView["kind"][] = ["agreement", "recurring"];
const ONE_TIME: readonly InvoiceLineView["kind"][] = ["oneTime", "backBilled"];

function InvoiceLine({ line }: { line: InvoiceLineView }) {
  const added = line.rowKey !== null;
  return (
    <tr
      className={`invoice-line${added ? " invoice-line-added" : ""}`}
      data-testid="next-invoice-line"
      data-kind={line.kind}
      data-row-key={line.rowKey ?? undefined}
    >
      <td className="invoice-description">
        <span className="invoice-description-text">{line.description}</span>
        {line.kind === "backBilled" && " "}
        {line.kind === "backBilled" && (
          <span className="badge invoice-tag invoice-tag-back" title="ConnectWise bills an invoiced period again for an addition dated back into it">
            billed back
          </span>
        )}
        {added && " "}
        {added && (
          <span className="badge invoice-tag invoice-tag-added" data-testid="next-invoice-added" title="This sync adds it">
            added by this sync
          </span>
        )}
      </td>
      <td className="tabular invoice-period">
        <span className="invoice-day">{line.from}</span> – <span className="invoice-day">{line.to}</span>
      </td>
      <td className="num">{line.quantity}</td>
      <td className="num">{line.unitPrice}</td>
      <td className={`num invoice-amount${line.amount.startsWith("-") ? " amount-negative" : ""}`}>{line.amount}</td>
    </tr>
  );
}

/** The lines of one part of the invoice (recurring or one-time) under its name; nothing when it has none. */
function LineGroup({ title, lines }: { title: string; lines: InvoiceLineView[] }) {
  if (lines.length === 0) return null;
  return (
    <tbody data-testid="next-invoice-group" data-group={title}>
      <tr className="invoice-group">
        <th scope="rowgroup" colSpan={5}>
          {title}
        </th>
      </tr>
      {lines.map((line, index) => (
        <InvoiceLine key={`${line.rowKey ?? line.additionId ?? "line"}-${line.kind}-${index}`} line={line} />
      ))}
    </tbody>
  );
}

function linesOf(invoice: InvoiceView, kinds: readonly InvoiceLineView["kind"][]): InvoiceLineView[] {
  return invoice.lines.filter((line) => kinds.includes(line.kind));
}

/**
 * An invoice's lines (SPEC §16), recurring then one-time: description, period, quantity, unit
 * price and amount, each as Rust sent it; back-billed lines and the lines a sync adds are marked.
 * The table scrolls sideways inside its frame, never the window. `narrow` (beside the Reconcile
 * book) lets the period and the headings wrap so the five columns fit a panel of ~400 px.
 */
export function InvoiceLinesTable({ invoice, narrow = false }: { invoice: InvoiceView; narrow?: boolean }) {
  return (
    <div className="invoice-scroll">
      <table className={`invoice-table${narrow ? " invoice-table-narrow" : ""}`}>
        <thead>
          <tr>
            <th>Description</th>
            <th>Period</th>
            <th className="num">Qty</th>
            <th className="num">Unit price</th>
            <th className="num">Amount</th>
          </tr>
        </thead>
        <LineGroup title="Recurring" lines={linesOf(invoice, RECURRING)} />
        <LineGroup title="One-time" lines={linesOf(invoice, ONE_TIME)} />
      </table>
    </div>
  );
}
