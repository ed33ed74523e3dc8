// Test data only: a fake batch that answers the batch commands the way the Rust side does — a board
// of the tasks selected (ready, or needing attention with the reasons), bulk actions that re-plan
// the rows, and a batch sync's progress and result.
//
// Each task of the board plans, in its agreement's currency and on a monthly cycle, one addition
// and its prorated part (16–30 Nov of a November period: 15 of 30 days) and, for change orders, a
// prorated credit of −4.00; its prorated amount is its one-time charge. Tasks whose id is a
// multiple of 5 have a customer not mapped yet; those whose id ends in 7 have two agreements that
// fit; synced and ignored tasks are not pending any more. `quarterlyCancellation` and
// `usageBilling` make a row a cancellation with a fee on a quarterly agreement and a usage charge.
//
// Every planned agreement is invoiced through October (SPEC §16): its next invoice, on 2026-11-01,
// bills November — the recurring additions as they were on the 1st, and the one-time charges dated
// in November — so after the sync it is the recurring amount before plus the one-time charge.

import type { BatchProgress } from "../bindings/BatchProgress";
import type { BatchResult } from "../bindings/BatchResult";
import type { BatchTaskState } from "../bindings/BatchTaskState";
import type { BoardRow } from "../bindings/BoardRow";
import type { BoardView } from "../bindings/BoardView";
import type { BulkAction } from "../bindings/BulkAction";
import type { CurrencyTotals } from "../bindings/CurrencyTotals";
import type { CycleChange } from "../bindings/CycleChange";
import type { OneTimeKind } from "../bindings/OneTimeKind";
import type { ErrorField } from "../bindings/ErrorField";
import type { ErrorView } from "../bindings/ErrorView";
import type { InterruptedBatch } from "../bindings/InterruptedBatch";
import type { PriceSourceView } from "../bindings/PriceSourceView";
import type { SavedFile } from "../bindings/SavedFile";
import type { TaskRow } from "../bindings/TaskRow";
import type { TaskSelection } from "../bindings/TaskSelection";
import type { FakeTasks } from "./fixtures";

export const BATCH_ID = 12;
export const BATCH_CREATED_AT = "2026-11-24T11:58:00Z";
/** The app's day, as Rust's clock has it. */
export const BATCH_TODAY = "2026-11-24";
/** The invoice calendar of every planned agreement of the board, in Rust's words. */
export const BOARD_CALENDAR = "Invoiced through 2026-10-31 — last invoice #1041 on 2026-10-01";
/** The date of their next invoice. */
export const BOARD_NEXT_INVOICE_DATE = "2026-11-01";

/** Cents as a decimal string ("-4.00"), for the fake's own sums (the UI does no money math). */
function money(cents: number): string {
  const sign = cents < 0 ? "-" : "";
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
}

function cents(text: string): number {
  return text === "" ? 0 : Math.round(Number(text) * 100);
}

/** What the fake remembers of one task's plan, beyond its row. */
interface Planned {
  row: BoardRow;
  /** The effective date the person set, if any. */
  effectiveDate: string | null;
  priceSource: PriceSourceView;
  creditLeftOut: boolean;
}

/** One row of the board, as Rust plans it for `task` (see the header of this file). */
export function boardRow(task: TaskRow, overrides: Partial<BoardRow> = {}): BoardRow {
  const unmapped = task.id % 5 === 0;
  const several = task.id % 10 === 7;
  const unitCents = 1000 + (task.id % 7) * 100;
  const credit = task.taskType === "changeOrder";
  const prorated = Math.round(unitCents / 2) + (credit ? -400 : 0);
  const before = 15_000 + (task.id % 4) * 1000;
  const after = before + unitCents;
  const done = task.status === "synced" || task.status === "ignored";
  const attention = done
    ? [{ reason: "notPending" as const, message: task.status === "synced" ? "Already synced." : `Ignored: ${task.ignoredReason ?? ""}` }]
    : unmapped
      ? [{ reason: "customerNotMapped" as const, message: `${task.customerName} is not mapped to a ConnectWise company.` }]
      : several
        ? [{ reason: "severalAgreementsFit" as const, message: "Two agreements fit: choose one in the task's review." }]
        : [];
  const planned = attention.length === 0;
  return {
    task,
    companyName: unmapped ? null : task.customerName,
    agreementId: planned ? 7000 + task.id : null,
    agreementName: planned ? `${task.customerName} — Microsoft 365` : null,
    currency: task.currency,
    writes: planned ? (credit ? 4 : 3) : 0,
    prorated: planned ? money(prorated) : "",
    oneTime: planned ? money(prorated) : "",
    oneTimeParts: planned && prorated !== 0 ? [{ kind: "prorate", amount: money(prorated) }] : [],
    recurringBefore: planned ? money(before) : "",
    recurringAfter: planned ? money(after) : "",
    recurringChange: planned ? money(after - before) : "",
    agreementAmount: "",
    billingCycle: "Monthly",
    per: "month",
    effectiveDate: unmapped ? "" : task.orderDate.slice(0, 10),
    effectiveNote: null,
    calendar: planned ? BOARD_CALENDAR : null,
    nextInvoiceBefore: planned ? money(before) : "",
    nextInvoiceAfter: planned ? money(before + prorated) : "",
    nextInvoiceDate: planned ? BOARD_NEXT_INVOICE_DATE : "",
    ready: planned,
    attention,
    state: "waiting",
    message: null,
    additionIds: [],
    syncId: null,
    written: 0,
    already: null,
    ...overrides,
  };
}

/** A cancellation on a quarterly agreement: −1050.00 a quarter, and a 25.00 cancellation fee. */
export function quarterlyCancellation(row: BoardRow): Partial<BoardRow> {
  return {
    task: { ...row.task, taskType: "cancellationOrder" },
    writes: 2,
    prorated: "0.00",
    oneTime: "25.00",
    oneTimeParts: [{ kind: "fee", amount: "25.00" }],
    recurringBefore: "1050.00",
    recurringAfter: "0.00",
    recurringChange: "-1050.00",
    billingCycle: "Quarterly",
    per: "quarter",
    effectiveDate: "2026-11-03",
    // The quarter's invoice still bills the addition (active on its first day), and the fee.
    nextInvoiceBefore: "1050.00",
    nextInvoiceAfter: "1075.00",
  };
}

/** A usage billing: 28.91 of usage in October, nothing recurring changes. */
export function usageBilling(row: BoardRow): Partial<BoardRow> {
  return {
    task: { ...row.task, taskType: "billingOrder" },
    writes: 1,
    prorated: "0.00",
    oneTime: "28.91",
    oneTimeParts: [{ kind: "usage", amount: "28.91" }],
    recurringAfter: row.recurringBefore,
    recurringChange: "0.00",
    effectiveDate: "2026-10-01",
    effectiveNote: "Usage of the closed period 2026-10-01 to 2026-10-31",
    // October is invoiced: the usage is billed on the next invoice.
    nextInvoiceAfter: money(cents(row.nextInvoiceBefore) + 2891),
  };
}

const CYCLE_ORDER = ["Monthly", "Quarterly", "SemiAnnual", "Yearly"];
const KIND_ORDER: readonly OneTimeKind[] = ["prorate", "usage", "fee", "setupFee", "other"];

/** The totals of the ready rows, per currency and, for the recurring change, per cycle, as Rust sums them. */
export function totalsOf(rows: readonly BoardRow[]): CurrencyTotals[] {
  interface Sum {
    tasks: number;
    writes: number;
    prorated: number;
    oneTime: number;
    parts: Map<OneTimeKind, number>;
    cycles: Map<string, { per: string; change: number }>;
  }
  const by = new Map<string, Sum>();
  for (const row of rows) {
    if (!row.ready) continue;
    const sum = by.get(row.currency) ?? { tasks: 0, writes: 0, prorated: 0, oneTime: 0, parts: new Map(), cycles: new Map() };
    sum.tasks += 1;
    sum.writes += row.writes;
    sum.prorated += cents(row.prorated);
    sum.oneTime += cents(row.oneTime);
    for (const part of row.oneTimeParts) sum.parts.set(part.kind, (sum.parts.get(part.kind) ?? 0) + cents(part.amount));
    const cycle = sum.cycles.get(row.billingCycle) ?? { per: row.per, change: 0 };
    cycle.change += cents(row.recurringChange);
    sum.cycles.set(row.billingCycle, cycle);
    by.set(row.currency, sum);
  }
  return [...by.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([currency, s]) => ({
      currency,
      tasks: s.tasks,
      writes: s.writes,
      oneTime: money(s.oneTime),
      oneTimeParts: KIND_ORDER.filter((kind) => (s.parts.get(kind) ?? 0) !== 0).map((kind) => ({ kind, amount: money(s.parts.get(kind) ?? 0) })),
      prorated: money(s.prorated),
      recurring: [...s.cycles.entries()]
        .sort(([a], [b]) => CYCLE_ORDER.indexOf(a) - CYCLE_ORDER.indexOf(b))
        .map(([cycle, c]): CycleChange => ({ cycle, per: c.per, change: money(c.change) })),
    }));
}

/** A board of `rows` with its totals and counts. */
export function makeBoard(rows: BoardRow[], overrides: Partial<BoardView> = {}): BoardView {
  return {
    batchId: BATCH_ID,
    createdAt: BATCH_CREATED_AT,
    today: BATCH_TODAY,
    rows,
    totals: totalsOf(rows),
    ready: rows.filter((row) => row.ready).length,
    already: rows.filter((row) => row.already !== null).length,
    needsAttention: rows.filter((row) => row.attention.length > 0).length,
    syncStarted: false,
    ...overrides,
  };
}

function refusal(message: string, field: ErrorField | null = null): ErrorView {
  return { code: "invalid", message, field };
}

/** A batch as the Rust side keeps it: opened from a selection, re-planned by bulk actions, synced. */
export class FakeBatch {
  planned: Planned[] = [];
  syncStarted = false;
  /** Every selection `open` was given. */
  selections: TaskSelection[] = [];

  /** Opens the batch of `selection`: the ids ticked, or all matching the query less those unticked. */
  open(selection: TaskSelection, tasks: FakeTasks): BoardView {
    this.selections.push(selection);
    const chosen =
      selection.kind === "ids"
        ? tasks.rows.filter((row) => selection.ids.includes(row.id))
        : tasks.list(selection.query, 0, Number.MAX_SAFE_INTEGER).rows.filter((row) => !selection.except.includes(row.id));
    this.planned = chosen.map((task) => ({ row: boardRow(task), effectiveDate: null, priceSource: "cloudMarketplace", creditLeftOut: false }));
    this.syncStarted = false;
    return this.board();
  }

  board(): BoardView {
    return makeBoard(
      this.planned.map((p) => p.row),
      { syncStarted: this.syncStarted },
    );
  }

  row(taskId: number): BoardRow {
    const found = this.planned.find((p) => p.row.task.id === taskId);
    if (found === undefined) throw new Error(`task ${taskId} is not in the batch`);
    return found.row;
  }

  /** Changes one task's row (a mapping made in its wizard, say). */
  patch(taskId: number, patch: Partial<BoardRow>): void {
    for (const p of this.planned) if (p.row.task.id === taskId) p.row = { ...p.row, ...patch };
  }

  /** A bulk action on `taskIds`: re-plans those rows, or rejects with an ErrorView as Rust does. */
  apply(taskIds: readonly number[], action: BulkAction): BoardView {
    const targets = this.planned.filter((p) => taskIds.includes(p.row.task.id));
    switch (action.kind) {
      case "setEffectiveDate": {
        if (!/^\d{4}-\d{2}-\d{2}$/.test(action.value))
          throw refusal(`The effective date must be a date written like 2026-11-16 (year, month, day), not “${action.value}”.`, "effectiveDate");
        if (action.value < "2026-11-01") throw refusal(`${action.value} is before the subscription's current period (2026-11-01).`, "effectiveDate");
        for (const p of targets) {
          p.effectiveDate = action.value;
          // From the next period's start nothing is prorated.
          if (p.row.ready && action.value >= "2026-12-01")
            p.row = {
              ...p.row,
              prorated: "0.00",
              oneTime: "0.00",
              oneTimeParts: [],
              writes: p.row.writes - (p.creditLeftOut ? 1 : 2),
              nextInvoiceAfter: p.row.nextInvoiceBefore,
            };
          if (p.row.effectiveDate !== "") p.row = { ...p.row, effectiveDate: action.value };
        }
        break;
      }
      case "setPriceSource":
        for (const p of targets) {
          p.priceSource = action.source;
          if (p.row.ready && action.source === "connectWise") {
            const after = cents(p.row.recurringBefore) + 1500;
            p.row = { ...p.row, recurringAfter: money(after), recurringChange: "15.00" };
          }
        }
        break;
      case "leaveOutProrateCredits":
        for (const p of targets) {
          if (p.row.ready && p.row.task.taskType === "changeOrder" && !p.creditLeftOut && p.effectiveDate === null) {
            p.creditLeftOut = true;
            const prorated = money(cents(p.row.prorated) + 400);
            p.row = {
              ...p.row,
              writes: p.row.writes - 1,
              prorated,
              oneTime: prorated,
              oneTimeParts: [{ kind: "prorate", amount: prorated }],
              nextInvoiceAfter: money(cents(p.row.nextInvoiceAfter) + 400),
            };
          }
        }
        break;
      case "ignore":
        if (action.reason.trim() === "") throw refusal("Enter a reason: it is kept with the tasks.", "reason");
        for (const p of targets) {
          p.row = {
            ...p.row,
            task: { ...p.row.task, status: "ignored", ignoredReason: action.reason },
            ready: false,
            attention: [{ reason: "notPending", message: `Ignored: ${action.reason}` }],
          };
        }
        break;
    }
    return this.board();
  }

  /** The ready tasks, in board order: those a sync runs. */
  readyIds(): number[] {
    return this.planned.filter((p) => p.row.ready).map((p) => p.row.task.id);
  }

  /** Puts `taskId` in `state` (with the additions a synced one wrote) and answers its row. */
  setState(taskId: number, state: BatchTaskState, message: string | null = null): BoardRow {
    const p = this.planned.find((q) => q.row.task.id === taskId);
    if (p === undefined) throw new Error(`task ${taskId} is not in the batch`);
    const additionIds = state === "synced" ? Array.from({ length: p.row.writes }, (_, i) => 40_000 + taskId * 10 + i) : [];
    const status = state === "synced" ? "synced" : state === "failed" ? "failed" : p.row.task.status;
    // A synced row names its sync (101 for task 1), as Rust's board does.
    const syncId = state === "synced" ? 100 + taskId : p.row.syncId;
    p.row = { ...p.row, state, message, additionIds, syncId, task: { ...p.row.task, status } };
    return p.row;
  }

  /** A progress report: counts over the ready tasks, with `rows` as the rows that changed. */
  progress(rows: BoardRow[], stopping = false): BatchProgress {
    this.syncStarted = true;
    const ready = this.planned.filter((p) => p.row.ready || p.row.state !== "waiting");
    const done = ready.filter((p) => p.row.state === "synced" || p.row.state === "failed");
    return {
      batchId: BATCH_ID,
      tasksDone: done.length,
      tasksTotal: ready.length,
      writesDone: done.filter((p) => p.row.state === "synced").reduce((n, p) => n + p.row.writes, 0),
      writesTotal: ready.reduce((n, p) => n + p.row.writes, 0),
      stopping,
      rows,
    };
  }

  /** The end of the sync: rows still waiting are left Not started. */
  result(): BatchResult {
    this.syncStarted = true;
    for (const p of this.planned) if (p.row.state === "waiting" || p.row.state === "syncing") p.row = { ...p.row, state: "notStarted" };
    const count = (state: BatchTaskState) => this.planned.filter((p) => p.row.state === state).length;
    const synced = count("synced");
    const failed = count("failed");
    const notStarted = this.planned.filter((p) => p.row.ready && p.row.state === "notStarted").length;
    const total = synced + failed + notStarted;
    const parts = [`${synced} of ${total} tasks synced`];
    if (failed > 0) parts.push(`${failed} failed`);
    if (notStarted > 0) parts.push(`${notStarted} not started`);
    return {
      board: this.board(),
      synced,
      failed,
      notStarted,
      writesMade: this.planned.filter((p) => p.row.state === "synced").reduce((n, p) => n + p.row.writes, 0),
      message: `${parts.join("; ")}.`,
    };
  }

  saved(): SavedFile {
    return { path: `/home/billing/Documents/agreement-sync-batch-${BATCH_ID}.csv`, rows: this.planned.length };
  }
}

export function interrupted(overrides: Partial<InterruptedBatch> = {}): InterruptedBatch {
  return { batchId: BATCH_ID, synced: 37, total: 120, startedAt: "2026-11-24T09:12:00Z", taskIds: [1, 2, 6], ...overrides };
}
