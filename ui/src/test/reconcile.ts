// Test data only: a fake reconciled book that answers the Reconcile commands the way the Rust side
// does — rows filtered by outcome and search, the largest effect first, customers product by
// product, mappings that turn Unmapped into compared products, and the CSV saved.

import type { AgreementInvoiceView } from "../bindings/AgreementInvoiceView";
import type { BookQuery } from "../bindings/BookQuery";
import type { BookRow } from "../bindings/BookRow";
import type { BookView } from "../bindings/BookView";
import type { CalendarView } from "../bindings/CalendarView";
import type { CustomerView } from "../bindings/CustomerView";
import type { InvoiceLineView } from "../bindings/InvoiceLineView";
import type { Outcome } from "../bindings/Outcome";
import type { ProductRow } from "../bindings/ProductRow";
import { TEST_NOW } from "./now";
import { isDrift } from "../format";

export const RECONCILED_AT = "2026-11-24T11:50:00Z";

export function emptyBook(): BookView {
  return {
    rows: [],
    customers: 0,
    counts: [],
    lastReconciledAt: null,
    connectwiseReadAt: null,
    unreadable: [],
    connectwiseError: null,
    priceSource: "cloudMarketplace",
    now: TEST_NOW,
  };
}

export function product(outcome: Outcome, overrides: Partial<ProductRow> = {}): ProductRow {
  return {
    lineKey: `CFQ7TTC0LCHC:0002_P1M|month1|USD|${outcome}`,
    cannotFix:
      outcome === "inSync"
        ? "Microsoft 365 Business Premium is in sync: nothing to fix."
        : outcome === "unmapped"
          ? "Map “Microsoft 365 Business Premium” to a ConnectWise catalog item."
          : null,
    fixTaskIds: [],
    unsyncedOrders: [],
    outcome,
    label: outcome,
    words: "ConnectWise bills 10, the marketplace has 14.",
    notes: outcome === "unmapped" ? ["productNotMapped"] : [],
    productKey: "CFQ7TTC0LCHC:0002_P1M",
    productName: "Microsoft 365 Business Premium",
    marketplace: {
      subscriptionIds: ["1000501"],
      quantity: "14",
      unitPrice: "22.00",
      currency: "USD",
      status: "active",
      statusLabel: "Active",
      billing: "Monthly",
    },
    connectwise:
      outcome === "unmapped"
        ? { agreements: [], additions: [] }
        : {
            agreements: ["Green Lane — Microsoft 365 (Monthly)"],
            additions: [
              {
                id: 30200,
                agreementId: 4127,
                agreementName: "Green Lane — Microsoft 365 (Monthly)",
                quantity: "10",
                lessIncluded: "0",
                unitPrice: "22.00",
                effectiveDate: "2026-01-01",
                cancelDate: null,
                billable: true,
                ending: false,
                writtenFor: null,
              },
            ],
          },
    marketplaceAmount: "308.00",
    connectwiseAmount: outcome === "unmapped" ? null : "220.00",
    effect: outcome === "unmapped" ? null : "+88.00",
    per: "month",
    ...overrides,
  };
}

/** Green Lane's agreement, the one its Microsoft 365 addition (30200) is on. */
export const GREEN_LANE_AGREEMENT_ID = 4127;

/** Invoiced through November (#1042 on 2026-11-01): December's invoice is next. */
export const CALENDAR_INVOICED_NOVEMBER: CalendarView = {
  words: "Invoiced through 2026-11-30 — last invoice #1042 on 2026-11-01",
  invoicedThrough: "2026-11-30",
  unreadable: false,
};

/** The recap could not be read: Rust's words name the permission. */
export const CALENDAR_UNREADABLE: CalendarView = {
  words:
    "The invoice calendar could not be read: ConnectWise needs the permission Finance › Invoicing (Inquire) for it. Nothing is dated before 2026-11-24.",
  invoicedThrough: null,
  unreadable: true,
};

export function invoiceLine(overrides: Partial<InvoiceLineView> & Pick<InvoiceLineView, "kind" | "description" | "amount">): InvoiceLineView {
  return {
    quantity: "1",
    unitPrice: overrides.amount,
    from: "2026-12-01",
    to: "2026-12-31",
    rowKey: null,
    additionId: null,
    ...overrides,
  };
}

/**
 * Green Lane — Microsoft 365 (Monthly): December's invoice, 634.00 USD — the agreement's own
 * 150.00, and two recurring additions (Microsoft 365 at 10 × 22.00, the addition Reconcile compares,
 * and a managed backup not sold on the marketplace).
 */
export function greenLaneInvoice(): AgreementInvoiceView {
  return {
    agreementId: GREEN_LANE_AGREEMENT_ID,
    agreementName: "Green Lane — Microsoft 365 (Monthly)",
    currency: "USD",
    calendar: CALENDAR_INVOICED_NOVEMBER,
    nextInvoice: {
      date: "2026-12-01",
      from: "2026-12-01",
      to: "2026-12-31",
      lines: [
        invoiceLine({ kind: "agreement", description: "Agreement amount", amount: "150.00" }),
        invoiceLine({ kind: "recurring", description: "Microsoft 365 Business Premium", quantity: "10", unitPrice: "22.00", amount: "220.00", additionId: 30200 }),
        invoiceLine({ kind: "recurring", description: "Managed Backup (per user)", quantity: "33", unitPrice: "8.00", amount: "264.00", additionId: 30201 }),
      ],
      recurring: "634.00",
      oneTime: "0.00",
      total: "634.00",
    },
  };
}

/** An agreement whose invoice calendar could not be read: no next invoice. */
export function unreadableInvoice(agreementId: number, agreementName: string): AgreementInvoiceView {
  return { agreementId, agreementName, currency: "USD", calendar: CALENDAR_UNREADABLE, nextInvoice: null };
}

interface FakeCustomer {
  id: string;
  name: string;
  company: string | null;
  products: ProductRow[];
  /** The effect the book sorts by. */
  size: number;
  /** Its agreements' own amounts, in words. */
  agreementAmounts?: string[];
  /** Its agreements' invoice calendars and next invoices; none when left out. */
  invoices?: AgreementInvoiceView[];
}

function customerRow(c: FakeCustomer): BookRow {
  const outcomes = [...new Set(c.products.map((p) => p.outcome))];
  const compared = c.products.filter((p) => p.effect !== null);
  return {
    customerId: c.id,
    customerName: c.name,
    account: `${c.name} ${c.id}`,
    companyName: c.company,
    driftCount: c.products.filter((p) => isDrift(p.outcome)).length,
    unmappedCount: c.products.filter((p) => p.outcome === "unmapped").length,
    notReadCount: c.products.filter((p) => p.outcome === "notRead").length,
    outcomes,
    recurring:
      compared.length === 0
        ? []
        : [
            {
              per: "month",
              currency: "USD",
              connectwise: "220.00",
              marketplace: "308.00",
              effect: c.size === 0 ? "0.00" : `+${c.size}.00`,
              words: `ConnectWise bills 220.00, the marketplace ${c.size === 0 ? "220.00" : "308.00"} — ${c.size === 0 ? "0.00" : `+${c.size}.00`} / month`,
            },
          ],
    lastReconciledAt: RECONCILED_AT,
    dataReadAt: RECONCILED_AT,
    problems: [],
  };
}

export class FakeBook {
  customers: FakeCustomer[];
  reconciled: boolean;
  saved: BookQuery[] = [];

  /**
   * `count` customers; the first is Green Lane (Quantity differs, +88, invoiced through November),
   * the second Pinecrest (unmapped, no agreement), the third's invoice calendar is unreadable.
   */
  constructor(count: number, reconciled = true) {
    this.reconciled = reconciled;
    this.customers = Array.from({ length: count }, (_, i) => {
      if (i === 0)
        return { id: "1000048531", name: "Green Lane LLC", company: "Green Lane LLC", products: [product("quantityDiffers")], size: 88, invoices: [greenLaneInvoice()] };
      if (i === 1)
        return {
          id: "1000048920",
          name: "Pinecrest Dental Studio",
          company: null,
          products: [product("unmapped", { notes: ["customerNotMapped"], words: "Map Pinecrest Dental Studio to a ConnectWise company." })],
          size: 0,
        };
      return {
        id: String(1000060000 + i),
        name: `Customer ${String(i).padStart(4, "0")}`,
        company: `Company ${i}`,
        products: [product("inSync", { effect: "0.00", words: "In sync: ConnectWise bills 14 as the marketplace has." })],
        size: 0,
        invoices: i === 2 ? [unreadableInvoice(4302, "Company 2 — Microsoft 365 (Monthly)")] : [],
      };
    });
  }

  book(query: BookQuery): BookView {
    if (!this.reconciled) return emptyBook();
    const search = query.search.trim().toLowerCase();
    const rows = this.customers
      .filter((c) => search === "" || c.name.toLowerCase().includes(search) || c.id.includes(search))
      .filter((c) => query.outcome === null || c.products.some((p) => p.outcome === query.outcome))
      .sort((a, b) => b.size - a.size)
      .map(customerRow);
    const counts = (["inSync", "quantityDiffers", "priceDiffers", "missingInConnectWise", "stillBilling", "duplicate", "unmapped", "notRead"] as Outcome[]).map(
      (outcome) => ({
        outcome,
        label: outcome,
        count: this.customers.flatMap((c) => c.products).filter((p) => p.outcome === outcome).length,
      }),
    );
    return {
      rows,
      customers: this.customers.length,
      counts,
      lastReconciledAt: RECONCILED_AT,
      connectwiseReadAt: RECONCILED_AT,
      unreadable: [],
      connectwiseError: null,
      priceSource: "cloudMarketplace",
      now: TEST_NOW,
    };
  }

  customer(id: string): CustomerView {
    const c = this.customers.find((x) => x.id === id);
    if (c === undefined) throw { code: "notFound", message: `A reconcile of customer ${id} (reconcile the book first) was not found.`, field: null };
    const row = customerRow(c);
    return {
      customerId: c.id,
      customerName: c.name,
      account: row.account,
      companyName: c.company,
      products: c.products,
      recurring: row.recurring,
      agreementAmounts: c.agreementAmounts ?? [],
      lastReconciledAt: RECONCILED_AT,
      dataReadAt: RECONCILED_AT,
      problems: [],
      now: TEST_NOW,
      invoices: c.invoices ?? [],
    };
  }

  /** Maps the customer: its products become Missing in ConnectWise (compared, no addition). */
  mapCustomer(id: string, company: string): CustomerView {
    const c = this.customers.find((x) => x.id === id);
    if (c === undefined) throw { code: "notFound", message: "no such customer", field: null };
    c.company = company;
    c.products = c.products.map((p) =>
      product("missingInConnectWise", {
        productName: p.productName,
        productKey: p.productKey,
        words: "The marketplace has 14; no addition in ConnectWise bills it.",
        connectwise: { agreements: ["Pinecrest — Microsoft 365 (Monthly)"], additions: [] },
        connectwiseAmount: "0.00",
        effect: "+308.00",
      }),
    );
    c.size = 308;
    return this.customer(id);
  }
}
