import { useId } from "react";
import type { NextInvoiceView } from "../../bindings/NextInvoiceView";
import { Amount } from "./Amount";
import { InvoiceLinesTable } from "./InvoiceLines";
import "./wizard.css";
import "./invoice.css";

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
        <InvoiceLinesTable invoice={after} />
      )}
      <dl className="invoice-totals">
        <Total label="Recurring" before={before.recurring} after={after.recurring} currency={currency} testId="next-invoice-recurring" />
        <Total label="One-time" before={before.oneTime} after={after.oneTime} currency={currency} testId="next-invoice-one-time" />
        <Total label="Total" before={before.total} after={after.total} currency={currency} testId="next-invoice-total" />
      </dl>
    </section>
  );
}
