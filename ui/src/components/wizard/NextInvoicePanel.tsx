import { useId } from "react";
import type { InvoiceLineView } from "../../bindings/InvoiceLineView";
import type { InvoiceView } from "../../bindings/InvoiceView";
import type { NextInvoiceView } from "../../bindings/NextInvoiceView";
import { Amount } from "./Amount";
import "./wizard.css";
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
        {line.from} – {line.to}
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

/** One total, before → after, in the invoice's currency. */
function Total({ label, before, after, currency, testId }: { label: string; before: string; after: string; currency: string; testId: string }) {
  const total = testId === "next-invoice-total";
  return (
    <>
      <dt className={total ? "invoice-total-label" : undefined}>{label}</dt>
      <dd data-testid={`${testId}-row`}>
        <Amount value={before} testId={`${testId}-before`} />
        <span className="summary-arrow" aria-label="becomes">
          {" "}
          →{" "}
        </span>
        <Amount value={after} testId={testId} /> <span className="muted">{currency}</span>
      </dd>
    </>
  );
}

function lines(invoice: InvoiceView, kinds: readonly InvoiceLineView["kind"][]): InvoiceLineView[] {
  return invoice.lines.filter((line) => kinds.includes(line.kind));
}

/**
 * The Summary's next invoice (SPEC §16): what ConnectWise will bill on the agreement's next
 * invoice once this sync is written — its lines, recurring and one-time, and the totals before →
 * after. Every amount is as Rust sent it.
 */
export function NextInvoicePanel({ next }: { next: NextInvoiceView }) {
  const id = useId();
  const { before, after, currency } = next;
  return (
    <section className="next-invoice" data-testid="next-invoice" aria-labelledby={`${id}-title`}>
      <h4 id={`${id}-title`} className="block-title next-invoice-title" data-testid="next-invoice-title">
        Next invoice — {after.date} ({after.from} to {after.to})
      </h4>
      {after.lines.length === 0 ? (
        <p className="muted next-invoice-empty">Nothing is billed on it.</p>
      ) : (
        <div className="invoice-scroll">
          <table className="invoice-table">
            <thead>
              <tr>
                <th>Description</th>
                <th>Period</th>
                <th className="num">Qty</th>
                <th className="num">Unit price</th>
                <th className="num">Amount</th>
              </tr>
            </thead>
            <LineGroup title="Recurring" lines={lines(after, RECURRING)} />
            <LineGroup title="One-time" lines={lines(after, ONE_TIME)} />
          </table>
        </div>
      )}
      <dl className="invoice-totals">
        <Total label="Recurring" before={before.recurring} after={after.recurring} currency={currency} testId="next-invoice-recurring" />
        <Total label="One-time" before={before.oneTime} after={after.oneTime} currency={currency} testId="next-invoice-one-time" />
        <Total label="Total" before={before.total} after={after.total} currency={currency} testId="next-invoice-total" />
      </dl>
    </section>
  );
}
