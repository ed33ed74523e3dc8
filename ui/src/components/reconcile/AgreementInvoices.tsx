import { useId } from "react";
import type { AgreementInvoiceView } from "../../bindings/AgreementInvoiceView";
import type { InvoiceView } from "../../bindings/InvoiceView";
import { Amount } from "../wizard/Amount";
import { CalendarNote } from "../wizard/CalendarNote";
import { InvoiceLinesTable } from "../wizard/InvoiceLines";

/** The next invoice in one line, its lines folded away below it. Every amount is as Rust sent it. */
function NextInvoice({ next, currency }: { next: InvoiceView; currency: string }) {
  const count = next.lines.length;
  return (
    <>
      <p className="rec-next-invoice tabular" data-testid="agreement-next-invoice">
        <span className="rec-next-invoice-label">Next invoice</span> {next.date} ({next.from} to {next.to}):{" "}
        <strong>
          <Amount value={next.total} testId="agreement-next-invoice-total" />
        </strong>{" "}
        <span className="muted">{currency}</span>
      </p>
      {count === 0 ? (
        <p className="muted rec-next-invoice-empty">Nothing is billed on it.</p>
      ) : (
        <details className="rec-invoice-lines" data-testid="agreement-invoice-lines">
          <summary>
            {count === 1 ? "1 line" : `${count} lines`}
            <span className="muted tabular">
              {" "}
              · recurring {next.recurring} · one-time {next.oneTime}
            </span>
          </summary>
          <InvoiceLinesTable invoice={next} narrow />
        </details>
      )}
    </>
  );
}

function AgreementInvoice({ invoice }: { invoice: AgreementInvoiceView }) {
  const id = useId();
  const { calendar, nextInvoice } = invoice;
  return (
    <li className="rec-invoice" data-testid="agreement-invoice" data-agreement-id={invoice.agreementId} aria-labelledby={id}>
      <h5 id={id} className="rec-invoice-name">
        {invoice.agreementName}
      </h5>
      <CalendarNote calendar={calendar} testId="agreement-calendar" />
      {nextInvoice !== null ? (
        <NextInvoice next={nextInvoice} currency={invoice.currency} />
      ) : (
        !calendar.unreadable && <p className="muted rec-next-invoice-empty">No next invoice is known yet.</p>
      )}
    </li>
  );
}

/**
 * A customer's agreements, each with its invoice calendar and the next invoice ConnectWise will
 * make (SPEC §16) — an unreadable calendar as a warning; nothing when no agreement is known.
 */
export function AgreementInvoices({ invoices }: { invoices: AgreementInvoiceView[] }) {
  const id = useId();
  if (invoices.length === 0) return null;
  return (
    <section className="rec-invoices" data-testid="customer-invoices" aria-labelledby={id}>
      <h4 id={id} className="rec-section-title">
        Invoices
      </h4>
      <ul className="rec-invoice-list">
        {invoices.map((invoice) => (
          <AgreementInvoice key={invoice.agreementId} invoice={invoice} />
        ))}
      </ul>
    </section>
  );
}
