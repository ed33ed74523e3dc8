// Test data only: the review wizard of one change order, as the Rust side returns it at each step.
//
// Green Lane LLC (1000048531), change order 1000231 of 16 Nov 2026: Microsoft 365 Business Premium
// 20 → 25 and Exchange Online 11 → 9, in a 1–30 November monthly period (15 of 30 days remain).
// Recurring before: 150.00 (managed services) + 20 × 22.00 + 11 × 4.00 = 634.00; after: 150.00 +
// 25 × 22.00 + 9 × 4.00 = 736.00. Prorated: 5 × 11.0000 = 55.00 and −2 × 2.0000 = −4.00 → 51.00.
//
// The agreement is invoiced through October (SPEC §16): its next invoice, November's on 2026-11-01,
// bills the old additions (active on the 1st) and the prorates: 634.00 → 685.00. `catchUpView` is
// the same order with November invoiced already (#1042): the new additions start on 2026-12-01, a
// catch-up bills 16–30 November on December's invoice, and a credit is proposed, not selected.

import type { AgreementStep } from "../bindings/AgreementStep";
import type { CalendarView } from "../bindings/CalendarView";
import type { CompanyOption } from "../bindings/CompanyOption";
import type { InvoiceLineView } from "../bindings/InvoiceLineView";
import type { NextInvoiceView } from "../bindings/NextInvoiceView";
import type { PlanRowView } from "../bindings/PlanRowView";
import type { PlanStep } from "../bindings/PlanStep";
import type { PlanSummary } from "../bindings/PlanSummary";
import type { Problem } from "../bindings/Problem";
import type { TaskRow } from "../bindings/TaskRow";
import type { WizardView } from "../bindings/WizardView";

export const FETCHED_12_MIN_AGO = (): string => new Date(Date.now() - 12 * 60_000).toISOString();

export function greenLaneTask(overrides: Partial<TaskRow> = {}): TaskRow {
  return {
    id: 1,
    taskType: "changeOrder",
    status: "pending",
    orderId: "1000231",
    orderDate: "2026-11-16T10:04:11Z",
    customerId: "1000048531",
    customerName: "Green Lane LLC",
    subscriptionId: "SUB-88412",
    subscriptionName: "Microsoft 365 Business Premium",
    amount: "102.00",
    currency: "USD",
    ignoredReason: null,
    recurring: "102.00",
    per: "month",
    oneTime: "",
    ...overrides,
  };
}

export const GREEN_LANE: CompanyOption = { id: 250, identifier: "GreenLane", name: "Green Lane LLC", score: 92, likeness: "match" };
export const GREEN_LANDSCAPING: CompanyOption = { id: 311, identifier: "GreenLand", name: "Green Land Landscaping", score: 61, likeness: "guess" };

/** Step 1: the customer is not mapped yet. */
export function unmappedView(): WizardView {
  return {
    task: greenLaneTask(),
    fix: null,
    connectwiseFetchedAt: FETCHED_12_MIN_AGO(),
    customer: {
      customerId: "1000048531",
      customerName: "Green Lane LLC",
      company: null,
      suggestions: [GREEN_LANE, GREEN_LANDSCAPING],
    },
    agreements: null,
    plan: null,
    problems: [{ rowKey: null, field: "company", message: "Map Green Lane LLC to a ConnectWise company." }],
    history: [],
    draftProblem: null,
  };
}

export function agreementStep(overrides: Partial<AgreementStep> = {}): AgreementStep {
  return {
    options: [
      {
        id: 7001,
        name: "Green Lane — Microsoft 365",
        billingCycle: "Monthly",
        currency: "USD",
        prorateFlag: false,
        fits: true,
        reason: null,
      },
      {
        id: 7002,
        name: "Green Lane — Managed Services",
        billingCycle: "Monthly",
        currency: "USD",
        prorateFlag: true,
        fits: true,
        reason: null,
      },
      {
        id: 7003,
        name: "Green Lane — Annual licences",
        billingCycle: "Yearly",
        currency: "USD",
        prorateFlag: false,
        fits: false,
        reason: "Yearly — subscription is Monthly",
      },
      {
        id: 7004,
        name: "Green Lane Europe",
        billingCycle: "Monthly",
        currency: "EUR",
        prorateFlag: false,
        fits: false,
        reason: "EUR — subscription is USD",
      },
    ],
    chosen: null,
    message: null,
    subscriptionCycle: "Monthly",
    subscriptionCurrency: "USD",
    ...overrides,
  };
}

/** Step 2: mapped to Green Lane LLC; two agreements fit, none chosen yet. */
export function mappedView(): WizardView {
  return {
    ...unmappedView(),
    customer: { ...unmappedView().customer, company: { ...GREEN_LANE, score: null } },
    agreements: agreementStep(),
    problems: [{ rowKey: null, field: "agreement", message: "Choose the agreement for this subscription." }],
  };
}

/** What Rust offers for a row's Billing. */
export const BILL_CHOICES = [
  { value: "Billable", label: "Billable" },
  { value: "DoNotBill", label: "Do not bill" },
  { value: "NoCharge", label: "No charge" },
];

function row(overrides: Partial<PlanRowView> & Pick<PlanRowView, "key" | "action">): PlanRowView {
  return {
    selected: true,
    productKey: "CFQ7TTC0LCHC:0002",
    productName: "Microsoft 365 Business Premium",
    catalogIdentifier: "M365-BP",
    existingAdditionId: null,
    effectiveDate: "2026-11-16",
    cancelDate: "",
    description: "Microsoft 365 Business Premium",
    quantity: "25",
    unitPrice: "22.00",
    unitCost: "18.70",
    billCustomer: "Billable",
    billLabel: "Billable",
    billChoices: BILL_CHOICES,
    taxable: false,
    priceSource: "cloudMarketplace",
    extPrice: "550.00",
    note: null,
    stops: overrides.action === "cancel" ? `stops ${overrides.extPrice ?? "550.00"} / period from 2026-11-16` : null,
    edited: [],
    found: null,
    ...overrides,
  };
}

const EXO = { productKey: "CFQ7TTC0LH16:0001", productName: "Exchange Online (Plan 1)", catalogIdentifier: "EXO-P1" };

export function planRows(): PlanRowView[] {
  return [
    row({
      key: "unchanged:30190",
      action: "unchanged",
      productKey: "MSP-BASE",
      productName: "Managed Services — base fee",
      catalogIdentifier: "MSP-BASE",
      existingAdditionId: 30190,
      effectiveDate: "2026-01-01",
      description: "Managed Services — base fee",
      quantity: "1",
      unitPrice: "150.00",
      unitCost: "0.00",
      priceSource: "connectWise",
      extPrice: "150.00",
    }),
    row({
      key: "cancel:30211",
      action: "cancel",
      existingAdditionId: 30211,
      effectiveDate: "2026-01-01",
      cancelDate: "2026-11-15",
      quantity: "20",
      extPrice: "440.00",
    }),
    row({ key: "add:CFQ7TTC0LCHC:0002", action: "add" }),
    row({
      key: "prorate:CFQ7TTC0LCHC:0002",
      action: "prorate",
      cancelDate: "2026-11-30",
      description: "Microsoft 365 Business Premium — prorated 16–30 Nov 2026",
      quantity: "5",
      unitPrice: "11.0000",
      unitCost: "9.3500",
      extPrice: "55.00",
      note: "15 of 30 days of the period from 2026-11-01",
    }),
    row({
      key: "cancel:30212",
      action: "cancel",
      ...EXO,
      existingAdditionId: 30212,
      effectiveDate: "2026-01-01",
      cancelDate: "2026-11-15",
      description: "Exchange Online (Plan 1)",
      quantity: "11",
      unitPrice: "4.00",
      unitCost: "3.40",
      extPrice: "44.00",
    }),
    row({
      key: "add:CFQ7TTC0LH16:0001",
      action: "add",
      ...EXO,
      description: "Exchange Online (Plan 1)",
      quantity: "9",
      unitPrice: "4.00",
      unitCost: "3.40",
      extPrice: "36.00",
    }),
    row({
      key: "prorate:CFQ7TTC0LH16:0001",
      action: "prorate",
      ...EXO,
      cancelDate: "2026-11-30",
      description: "Exchange Online (Plan 1) — credit 16–30 Nov 2026",
      quantity: "-2",
      unitPrice: "2.0000",
      unitCost: "1.7000",
      extPrice: "-4.00",
      note: "A credit for the 2 licences removed; deselect it to give no credit",
    }),
  ];
}

/** Invoiced through October: nothing the plan dates is in an invoiced period. */
export const CALENDAR_OCTOBER: CalendarView = {
  words: "Invoiced through 2026-10-31 — last invoice #1041 on 2026-10-01",
  invoicedThrough: "2026-10-31",
  unreadable: false,
};

/** The recap could not be read: Rust's words name the permission and the floor. */
export const CALENDAR_UNREADABLE: CalendarView = {
  words:
    "The invoice calendar could not be read: ConnectWise needs the permission Finance › Invoicing (Inquire) for it. Nothing is dated before 2026-11-24.",
  invoicedThrough: null,
  unreadable: true,
};

function invoiceLine(overrides: Partial<InvoiceLineView> & Pick<InvoiceLineView, "kind" | "description" | "amount">): InvoiceLineView {
  return {
    quantity: "1",
    unitPrice: overrides.amount,
    from: "2026-11-01",
    to: "2026-11-30",
    rowKey: null,
    additionId: null,
    ...overrides,
  };
}

/** What the agreement bills every period before the order: its own amount, 20 × 22.00 and 11 × 4.00. */
function oldLines(from: string, to: string): InvoiceLineView[] {
  return [
    invoiceLine({ kind: "agreement", description: "Agreement amount", amount: "150.00", from, to }),
    invoiceLine({ kind: "recurring", description: "Microsoft 365 Business Premium", quantity: "20", unitPrice: "22.00", amount: "440.00", additionId: 30211, from, to }),
    invoiceLine({ kind: "recurring", description: "Exchange Online (Plan 1)", quantity: "11", unitPrice: "4.00", amount: "44.00", additionId: 30212, from, to }),
  ];
}

/** November's invoice (2026-11-01), before → after the default plan: the prorates are dated in November. */
export function novemberInvoice(): NextInvoiceView {
  const invoice = { date: "2026-11-01", from: "2026-11-01", to: "2026-11-30" };
  return {
    currency: "USD",
    before: { ...invoice, lines: oldLines(invoice.from, invoice.to), recurring: "634.00", oneTime: "0.00", total: "634.00" },
    after: {
      ...invoice,
      lines: [
        ...oldLines(invoice.from, invoice.to),
        invoiceLine({
          kind: "oneTime",
          description: "Microsoft 365 Business Premium — prorated 16–30 Nov 2026",
          quantity: "5",
          unitPrice: "11.0000",
          amount: "55.00",
          from: "2026-11-16",
          rowKey: "prorate:CFQ7TTC0LCHC:0002",
        }),
        invoiceLine({
          kind: "oneTime",
          description: "Exchange Online (Plan 1) — credit 16–30 Nov 2026",
          quantity: "-2",
          unitPrice: "2.0000",
          amount: "-4.00",
          from: "2026-11-16",
          rowKey: "prorate:CFQ7TTC0LH16:0001",
        }),
      ],
      recurring: "634.00",
      oneTime: "51.00",
      total: "685.00",
    },
  };
}

export function planStep(overrides: Partial<PlanStep> = {}): PlanStep {
  return {
    effectiveDate: "2026-11-16",
    effectiveDateNotUsed: null,
    priceSource: "cloudMarketplace",
    rows: planRows(),
    products: [],
    choices: [],
    notes: ["Quantities changed on 2026-11-16, inside the period 2026-11-01 – 2026-11-30."],
    calendar: CALENDAR_OCTOBER,
    summary: {
      agreementName: "Green Lane - Microsoft 365",
      companyName: "Green Lane LLC",
      currency: "USD",
      prorated: "51.00",
      oneTime: "51.00",
      agreementAmount: "150.00",
      recurringBefore: "634.00",
      recurringAfter: "736.00",
      writes: [
        { rowKey: "cancel:30211", kind: "setCancelDate", description: "Microsoft 365 Business Premium (30211): cancel 2026-11-15" },
        { rowKey: "add:CFQ7TTC0LCHC:0002", kind: "createAddition", description: "M365-BP 25 × 22.00 from 2026-11-16" },
        { rowKey: "prorate:CFQ7TTC0LCHC:0002", kind: "createAddition", description: "M365-BP 5 × 11.0000, 2026-11-16 – 2026-11-30" },
        { rowKey: "cancel:30212", kind: "setCancelDate", description: "Exchange Online (Plan 1) (30212): cancel 2026-11-15" },
        { rowKey: "add:CFQ7TTC0LH16:0001", kind: "createAddition", description: "EXO-P1 9 × 4.00 from 2026-11-16" },
        { rowKey: "prorate:CFQ7TTC0LH16:0001", kind: "createAddition", description: "EXO-P1 −2 × 2.0000, 2026-11-16 – 2026-11-30" },
      ],
      prorationWarning: null,
      nextInvoice: novemberInvoice(),
      ready: true,
      written: [],
      already: null,
      problems: [],
    },
    ...overrides,
  };
}

/** Steps 3–5: agreement 7001 chosen, the plan computed, nothing blocks Sync. */
export function plannedView(): WizardView {
  const mapped = mappedView();
  return {
    ...mapped,
    agreements: agreementStep({ chosen: 7001 }),
    plan: planStep(),
    problems: [],
  };
}

export const CATCH_UP_M365 = "catchup:CFQ7TTC0LCHC:0002:2026-11-01";
export const CREDIT_EXO_NOVEMBER = "credit:CFQ7TTC0LH16:0001:2026-11-01";

/** Invoiced through November, #1042: the order's dates are in an invoiced period. */
export const CALENDAR_NOVEMBER: CalendarView = {
  words: "Invoiced through 2026-11-30 — last invoice #1042 on 2026-11-01",
  invoicedThrough: "2026-11-30",
  unreadable: false,
};

const MOVED = "November 2026 already invoiced, #1042";

/** The default plan with November invoiced: no recurring date before 2026-12-01, a catch-up and a credit instead of the prorates. */
export function catchUpRows(): PlanRowView[] {
  const rows = planRows();
  const [unchanged, cancelM365, cancelExo] = [rows[0], rows[1], rows[4]];
  if (unchanged === undefined || cancelM365 === undefined || cancelExo === undefined) throw new Error("planRows changed");
  return [
    unchanged,
    { ...cancelM365, cancelDate: "2026-11-30", stops: "stops 440.00 / period from 2026-12-01", note: `Moved from 2026-11-15 to 2026-11-30: ${MOVED}.` },
    row({ key: "add:CFQ7TTC0LCHC:0002", action: "add", effectiveDate: "2026-12-01", note: `Moved from 2026-11-16 to 2026-12-01: ${MOVED}.` }),
    row({
      key: CATCH_UP_M365,
      action: "prorate",
      effectiveDate: "2026-12-01",
      cancelDate: "2026-12-31",
      description: "Microsoft 365 Business Premium — catch-up 2026-11-16 to 2026-11-30",
      quantity: "5",
      unitPrice: "11.0000",
      unitCost: "9.3500",
      extPrice: "55.00",
      note: `Catch-up for 2026-11-16 to 2026-11-30 (15 of 30 days): ${MOVED}, so it is billed on the next invoice.`,
    }),
    { ...cancelExo, cancelDate: "2026-11-30", stops: "stops 44.00 / period from 2026-12-01", note: `Moved from 2026-11-15 to 2026-11-30: ${MOVED}.` },
    row({
      key: "add:CFQ7TTC0LH16:0001",
      action: "add",
      ...EXO,
      effectiveDate: "2026-12-01",
      description: "Exchange Online (Plan 1)",
      quantity: "9",
      unitPrice: "4.00",
      unitCost: "3.40",
      extPrice: "36.00",
      note: `Moved from 2026-11-16 to 2026-12-01: ${MOVED}.`,
    }),
    row({
      key: CREDIT_EXO_NOVEMBER,
      action: "prorate",
      ...EXO,
      selected: false,
      effectiveDate: "2026-12-01",
      cancelDate: "2026-12-31",
      description: "Exchange Online (Plan 1) — credit 2026-11-16 to 2026-11-30",
      quantity: "-2",
      unitPrice: "2.0000",
      unitCost: "1.7000",
      extPrice: "-4.00",
      note: `Credit for 2026-11-16 to 2026-11-30 (15 of 30 days): ${MOVED}. Not selected: the marketplace does not refund it — select it to credit the customer.`,
    }),
  ];
}

/** December's invoice (2026-12-01), before → after the catch-up plan (the credit left out). */
export function decemberInvoice(): NextInvoiceView {
  const invoice = { date: "2026-12-01", from: "2026-12-01", to: "2026-12-31" };
  const { from, to } = invoice;
  return {
    currency: "USD",
    before: { ...invoice, lines: oldLines(from, to), recurring: "634.00", oneTime: "0.00", total: "634.00" },
    after: {
      ...invoice,
      lines: [
        invoiceLine({ kind: "agreement", description: "Agreement amount", amount: "150.00", from, to }),
        invoiceLine({ kind: "recurring", description: "Microsoft 365 Business Premium", quantity: "25", unitPrice: "22.00", amount: "550.00", rowKey: "add:CFQ7TTC0LCHC:0002", from, to }),
        invoiceLine({ kind: "recurring", description: "Exchange Online (Plan 1)", quantity: "9", unitPrice: "4.00", amount: "36.00", rowKey: "add:CFQ7TTC0LH16:0001", from, to }),
        invoiceLine({
          kind: "oneTime",
          description: "Microsoft 365 Business Premium — catch-up 2026-11-16 to 2026-11-30",
          quantity: "5",
          unitPrice: "11.0000",
          amount: "55.00",
          rowKey: CATCH_UP_M365,
          from,
          to,
        }),
      ],
      recurring: "736.00",
      oneTime: "55.00",
      total: "791.00",
    },
  };
}

/** Steps 3–5 of the order with November already invoiced (see the header of this file). */
export function catchUpView(): WizardView {
  const base = planStep();
  return {
    ...plannedView(),
    plan: {
      ...base,
      effectiveDate: "2026-11-16",
      rows: catchUpRows(),
      notes: [],
      calendar: CALENDAR_NOVEMBER,
      summary: {
        ...base.summary,
        prorated: "55.00",
        oneTime: "55.00",
        writes: [
          { rowKey: "cancel:30211", kind: "setCancelDate", description: "Microsoft 365 Business Premium (30211): cancel 2026-11-30" },
          { rowKey: "add:CFQ7TTC0LCHC:0002", kind: "createAddition", description: "M365-BP 25 × 22.00 from 2026-12-01" },
          { rowKey: CATCH_UP_M365, kind: "createAddition", description: "M365-BP 5 × 11.0000, 2026-12-01 – 2026-12-31" },
          { rowKey: "cancel:30212", kind: "setCancelDate", description: "Exchange Online (Plan 1) (30212): cancel 2026-11-30" },
          { rowKey: "add:CFQ7TTC0LH16:0001", kind: "createAddition", description: "EXO-P1 9 × 4.00 from 2026-12-01" },
        ],
        nextInvoice: decemberInvoice(),
      },
    },
  };
}

export const ADD_M365 = "add:CFQ7TTC0LCHC:0002";
export const CREDIT_EXO = "prorate:CFQ7TTC0LH16:0001";

/** `view` with one row changed (and, optionally, other problems and summary amounts). */
export function withRow(
  view: WizardView,
  key: string,
  patch: Partial<PlanRowView>,
  extra: { problems?: Problem[]; summary?: Partial<PlanStep["summary"]> } = {},
): WizardView {
  const plan = view.plan;
  if (plan === null) throw new Error("the view has no plan");
  const problems = extra.problems ?? view.problems;
  const rows = plan.rows.map((r) => (r.key === key ? { ...r, ...patch } : r));
  let summary: PlanSummary = { ...plan.summary, ...extra.summary };
  // As Rust decides it: ready when no problem is left and a change is selected; with problems,
  // the summary lists them where they are and holds no amount or write.
  summary.ready = extra.summary?.ready ?? (problems.length === 0 && summary.writes.length > 0);
  if (problems.length > 0 && extra.summary?.problems === undefined) {
    summary = {
      ...summary,
      prorated: "",
      oneTime: "",
      recurringBefore: "",
      recurringAfter: "",
      writes: [],
      written: [],
      already: null,
      nextInvoice: null,
      ready: false,
      problems: problems.map((p) => ({ ...p, place: placeOf(p, rows) })),
    };
  }
  return { ...view, plan: { ...plan, rows, summary }, problems };
}

const FIELD_NAMES: Partial<Record<Problem["field"], string>> = {
  quantity: "Quantity",
  unitPrice: "Unit price",
  cancelDate: "Cancel date",
  effectiveDate: "Effective date",
};

/** Where Rust says a problem is: "Microsoft 365 Business Premium, new addition — Quantity". */
function placeOf(problem: Problem, rows: PlanRowView[]): string {
  const field = FIELD_NAMES[problem.field] ?? problem.field;
  const row = rows.find((r) => r.key === problem.rowKey);
  if (row === undefined) return field;
  const role = row.action === "add" ? "new addition" : row.action === "prorate" ? "prorate (one-time)" : `${row.action} of addition ${row.existingAdditionId ?? ""}`;
  return `${row.productName}, ${role} — ${field}`;
}
