// Pure formatting: words and dates for the screen. No money arithmetic: amounts are shown exactly
// as the Rust side sends them.

import type { ActivityKind } from "./bindings/ActivityKind";
import type { ActivityResult } from "./bindings/ActivityResult";
import type { BatchProgress } from "./bindings/BatchProgress";
import type { BatchTaskState } from "./bindings/BatchTaskState";
import type { CheckProgress } from "./bindings/CheckProgress";
import type { CheckSummary } from "./bindings/CheckSummary";
import type { FoundKind } from "./bindings/FoundKind";
import type { FoundView } from "./bindings/FoundView";
import type { FutureOrder } from "./bindings/FutureOrder";
import type { HealthState } from "./bindings/HealthState";
import type { InterruptedBatch } from "./bindings/InterruptedBatch";
import type { Likeness } from "./bindings/Likeness";
import type { Outcome } from "./bindings/Outcome";
import type { PlanRowView } from "./bindings/PlanRowView";
import type { PlannedWrite } from "./bindings/PlannedWrite";
import type { PriceSourceView } from "./bindings/PriceSourceView";
import type { ReconcileProgress } from "./bindings/ReconcileProgress";
import type { RowAction } from "./bindings/RowAction";
import type { ScheduleView } from "./bindings/ScheduleView";
import type { ServiceHealth } from "./bindings/ServiceHealth";
import type { SyncState } from "./bindings/SyncState";
import type { SyncView } from "./bindings/SyncView";
import type { WriteState } from "./bindings/WriteState";
import type { WriteView } from "./bindings/WriteView";
import type { TaskRow } from "./bindings/TaskRow";
import type { TaskSort } from "./bindings/TaskSort";
import type { TaskStatus } from "./bindings/TaskStatus";
import type { TaskType } from "./bindings/TaskType";
import type { UndoKind } from "./bindings/UndoKind";
import type { UndoRowView } from "./bindings/UndoRowView";
import type { UnreadableRecord } from "./bindings/UnreadableRecord";
import type { WriteAction } from "./bindings/WriteAction";

export const TASK_TYPE_LABELS: Readonly<Record<TaskType, string>> = {
  salesOrder: "Sales Order",
  changeOrder: "Change Order",
  billingOrder: "Billing Order",
  cancellationOrder: "Cancellation Order",
  reconcileFix: "Reconcile fix",
};

export const TASK_STATUS_LABELS: Readonly<Record<TaskStatus, string>> = {
  pending: "Pending",
  synced: "Synced",
  ignored: "Ignored",
  failed: "Failed",
};

export const TASK_SORT_LABELS: Readonly<Record<TaskSort, string>> = {
  dateDesc: "Newest first",
  dateAsc: "Oldest first",
  customerAsc: "Customer A–Z",
  customerDesc: "Customer Z–A",
};

export const TASK_TYPES: readonly TaskType[] = ["salesOrder", "changeOrder", "billingOrder", "cancellationOrder", "reconcileFix"];
export const TASK_STATUSES: readonly TaskStatus[] = ["pending", "synced", "ignored", "failed"];
export const TASK_SORTS: readonly TaskSort[] = ["dateDesc", "dateAsc", "customerAsc", "customerDesc"];

export function isTaskType(value: string): value is TaskType {
  return (TASK_TYPES as readonly string[]).includes(value);
}

export function isTaskStatus(value: string): value is TaskStatus {
  return (TASK_STATUSES as readonly string[]).includes(value);
}

export function isTaskSort(value: string): value is TaskSort {
  return (TASK_SORTS as readonly string[]).includes(value);
}

/** "1 task", "2 tasks". */
export function plural(count: number, one: string, many: string): string {
  return `${formatCount(count)} ${count === 1 ? one : many}`;
}

/** One formatter for every count: each `Intl.NumberFormat` holds a native formatter, and making
 * one per call (the list's counts re-render as it scrolls) left the web view's memory larger. */
const COUNT_FORMAT = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

/** A whole number with thousands separators ("50,000"). */
export function formatCount(count: number): string {
  return COUNT_FORMAT.format(count);
}

const NAIVE_UTC = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)$/;

/**
 * A timestamp from the Rust side as a Date. ISO-8601 with an offset is the norm; the marketplace's
 * own `yyyy-MM-dd HH:mm:ss` (UTC) is accepted too. `null` when it can't be read.
 */
export function parseTimestamp(text: string): Date | null {
  const trimmed = text.trim();
  if (trimmed === "") return null;
  const naive = NAIVE_UTC.exec(trimmed);
  const iso = naive ? `${naive[1] ?? ""}T${naive[2] ?? ""}Z` : trimmed;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? null : date;
}

function pad2(value: number): string {
  return value.toString().padStart(2, "0");
}

/** `yyyy-MM-dd HH:mm` (or with `:ss`) in local time; the input itself if it isn't a timestamp. */
export function formatDateTime(text: string, withSeconds = false): string {
  const date = parseTimestamp(text);
  if (!date) return text;
  const day = `${date.getFullYear()}-${pad2(date.getMonth() + 1)}-${pad2(date.getDate())}`;
  const time = `${pad2(date.getHours())}:${pad2(date.getMinutes())}`;
  return withSeconds ? `${day} ${time}:${pad2(date.getSeconds())}` : `${day} ${time}`;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * How long ago `text` was, relative to `now`: "just now", "12 min ago", "2 h ago", "3 days ago",
 * "2 months ago", "1 year ago". A time slightly in the future (clock skew) counts as "just now".
 */
export function formatAge(text: string, now: Date): string {
  const date = parseTimestamp(text);
  if (!date) return "at an unknown time";
  const elapsed = now.getTime() - date.getTime();
  if (elapsed < MINUTE) return "just now";
  if (elapsed < HOUR) return `${Math.floor(elapsed / MINUTE)} min ago`;
  if (elapsed < DAY) return `${Math.floor(elapsed / HOUR)} h ago`;
  const days = Math.floor(elapsed / DAY);
  if (days < 60) return days === 1 ? "1 day ago" : `${days} days ago`;
  if (days < 365) return `${Math.floor(days / 30)} months ago`;
  const years = Math.floor(days / 365);
  return years === 1 ? "1 year ago" : `${years} years ago`;
}

/** "Last checked 12 min ago" / "Never checked". */
export function lastCheckedText(lastCheckedAt: string | null, now: Date): string {
  return lastCheckedAt === null ? "Never checked" : `Last checked ${formatAge(lastCheckedAt, now)}`;
}

/** "Offline — showing cached data from 2 h ago". */
export function offlineText(lastCheckedAt: string | null, now: Date): string {
  return lastCheckedAt === null
    ? "Offline — nothing cached yet"
    : `Offline — showing cached data from ${formatAge(lastCheckedAt, now)}`;
}

/** An amount exactly as given, with its currency; a dash when the order carries none. */
export function amountText(amount: string, currency: string): string {
  if (amount.trim() === "") return "—";
  return currency.trim() === "" ? amount : `${amount} ${currency}`;
}

/** A task's amount as the list and the details show it: the amount, what it is, and both in a sentence. */
export interface TaskAmount {
  /** "+102.00 USD", "28.91 USD", "−1050.00 USD"; "—" when the order states none. */
  main: string;
  /** "per month", "one-time", "per quarter + once" (both); empty when it cannot be told. */
  label: string;
  /** The whole in words, for a tooltip. */
  title: string;
}

export function taskAmount(row: Pick<TaskRow, "amount" | "currency" | "recurring" | "per" | "oneTime">): TaskAmount {
  const cur = row.currency.trim();
  const withCur = (amount: string) => (cur === "" ? amount : `${amount} ${cur}`);
  const per = row.per === "" ? "period" : row.per;
  if (row.recurring !== "" && row.oneTime !== "") {
    return {
      main: withCur(signedText(row.recurring)),
      // Short enough for the list's amount column; the title and the details say both amounts.
      label: `per ${per} + once`,
      title: `${withCur(signedText(row.recurring))} per ${per} (the change of what the agreement bills every ${per}), and ${withCur(row.oneTime)} billed once`,
    };
  }
  if (row.recurring !== "") {
    return {
      main: withCur(signedText(row.recurring)),
      label: `per ${per}`,
      title: `${withCur(signedText(row.recurring))} per ${per}: the change of what the agreement bills every ${per}`,
    };
  }
  if (row.oneTime !== "") {
    return { main: withCur(row.oneTime), label: "one-time", title: `${withCur(row.oneTime)} billed once` };
  }
  const main = amountText(row.amount, row.currency);
  return { main, label: "", title: main === "—" ? "The order states no amount" : `${main}: the order's total` };
}

/** A task's amount in full, a line per part: "+102.00 USD per month", "25.00 USD one-time". */
export function taskAmountLines(row: Pick<TaskRow, "amount" | "currency" | "recurring" | "per" | "oneTime">): string[] {
  const cur = row.currency.trim();
  const withCur = (amount: string) => (cur === "" ? amount : `${amount} ${cur}`);
  const lines: string[] = [];
  if (row.recurring !== "") lines.push(`${withCur(signedText(row.recurring))} per ${row.per === "" ? "period" : row.per}`);
  if (row.oneTime !== "") lines.push(`${withCur(row.oneTime)} one-time`);
  return lines.length > 0 ? lines : [amountText(row.amount, row.currency)];
}

/** The line under the progress bar while Check Changes runs. *//** The line under the progress bar while Check Changes runs. */
export function progressText(progress: CheckProgress | null): string {
  if (progress === null) return "Starting…";
  switch (progress.kind) {
    case "listingOrders":
      return progress.total > 0
        ? `Reading order list… ${formatCount(progress.read)} of ${formatCount(progress.total)}`
        : "Reading order list…";
    case "readingOrders":
      return (
        `Fetching order details… ${formatCount(progress.done)} of ${formatCount(progress.total)}` +
        ` — ${plural(progress.tasksCreated, "new task", "new tasks")}`
      );
    case "finished":
      return "Finishing…";
  }
}

/**
 * How far along Check Changes is, 0..1, or `null` when it can't be told yet. Reading the order list
 * is the first fifth of the bar, fetching the details the rest.
 */
export function progressFraction(progress: CheckProgress | null): number | null {
  if (progress === null) return null;
  switch (progress.kind) {
    case "listingOrders":
      return progress.total > 0 ? 0.2 * Math.min(1, progress.read / progress.total) : null;
    case "readingOrders":
      return progress.total > 0 ? 0.2 + 0.8 * Math.min(1, progress.done / progress.total) : 0.2;
    case "finished":
      return 1;
  }
}

/** "241 orders read · 40 new tasks · 3 already known · skipped: 12 renewal (…), 2 not completed (…)". */
export function summaryText(summary: CheckSummary): string {
  const parts = [
    plural(summary.ordersRead, "order read", "orders read"),
    plural(summary.tasksCreated, "new task", "new tasks"),
    `${formatCount(summary.alreadyKnown)} already known`,
  ];
  const skipped = summary.skipped.filter((skip) => skip.count > 0);
  if (skipped.length > 0) {
    parts.push(`skipped: ${skipped.map((skip) => `${formatCount(skip.count)} ${skip.label}`).join(", ")}`);
  }
  return parts.join(" · ");
}

/** The day of a timestamp as the service dated it (UTC), `yyyy-MM-dd`; the input if unreadable. */
export function formatUtcDay(text: string): string {
  const date = parseTimestamp(text);
  if (!date) return text;
  return `${date.getUTCFullYear()}-${pad2(date.getUTCMonth() + 1)}-${pad2(date.getUTCDate())}`;
}

/**
 * "1 order dated in the future: 5000001, 9999-12-31 — check the marketplace"; `null` when there
 * are none.
 */
export function futureOrdersText(orders: readonly FutureOrder[]): string | null {
  if (orders.length === 0) return null;
  const named = orders.map((order) => `${order.orderId}, ${formatUtcDay(order.creationDate)}`).join("; ");
  return `${plural(orders.length, "order dated in the future", "orders dated in the future")}: ${named} — check the marketplace`;
}

/** Left-out records shown one per line; past this many, the rest are counted. */
const UNREADABLE_SHOWN = 5;

/** One sentence per record that could not be read, the rest counted past a few. */
export function unreadableLines(records: readonly UnreadableRecord[]): string[] {
  const lines = records.slice(0, UNREADABLE_SHOWN).map((record) => record.message);
  const rest = records.length - lines.length;
  if (rest > 0) lines.push(`…and ${formatCount(rest)} more (the log has them all)`);
  return lines;
}

/** What a check flagged, one line each: orders dated in the future, records left out. */
export function summaryWarnings(summary: CheckSummary): string[] {
  const future = futureOrdersText(summary.futureOrders);
  return [...(future === null ? [] : [future]), ...unreadableLines(summary.unreadable)];
}

// ---------- The review wizard ----------

export const ROW_ACTION_LABELS: Readonly<Record<RowAction, string>> = {
  add: "Add",
  cancel: "Cancel",
  change: "Change",
  prorate: "Prorate (one-time)",
  unchanged: "Unchanged",
  remove: "Remove",
};

export const WRITE_ACTION_LABELS: Readonly<Record<WriteAction, string>> = {
  createAddition: "Create addition",
  setCancelDate: "Set cancel date",
  changeAddition: "Change addition",
  removeAddition: "Remove addition",
};

/**
 * What a plan row is, as its badge names it: a catch-up or a credit for invoiced periods (SPEC §16)
 * comes as a prorate, and its key says which.
 */
export type RowKind = RowAction | "catchUp" | "credit";

export const ROW_KIND_LABELS: Readonly<Record<RowKind, string>> = {
  ...ROW_ACTION_LABELS,
  catchUp: "Catch-up",
  credit: "Credit",
};

/** The kind of a row (or a write) by its key: `catchup:…` and `credit:…` rows are invoiced periods' charges. */
function keyKind(key: string): "catchUp" | "credit" | null {
  if (key.startsWith("catchup:")) return "catchUp";
  if (key.startsWith("credit:")) return "credit";
  return null;
}

export function rowKind(row: Pick<PlanRowView, "key" | "action">): RowKind {
  return keyKind(row.key) ?? row.action;
}

/** A planned write in a few words: "Create addition", or "Create catch-up" / "Create credit" for those rows. */
export function writeKindText(write: Pick<PlannedWrite, "kind" | "rowKey">): string {
  const kind = keyKind(write.rowKey);
  if (write.kind === "createAddition" && kind !== null) return `Create ${ROW_KIND_LABELS[kind].toLowerCase()}`;
  return WRITE_ACTION_LABELS[write.kind];
}

export const PRICE_SOURCE_LABELS: Readonly<Record<PriceSourceView, string>> = {
  cloudMarketplace: "Cloud Marketplace",
  connectWise: "ConnectWise",
};

export const PRICE_SOURCES: readonly PriceSourceView[] = ["cloudMarketplace", "connectWise"];

export function isPriceSource(value: string): value is PriceSourceView {
  return (PRICE_SOURCES as readonly string[]).includes(value);
}

/** What ConnectWise already holds of a plan row (SPEC §15), as its badge says it. */
export const FOUND_LABELS: Readonly<Record<FoundKind, string>> = {
  keyed: "In ConnectWise",
  asPlanned: "Already as planned",
  twin: "Identical addition exists",
  conflict: "Cancel date conflict",
};

/** Why a row's selection can't be changed (Sync sends nothing for it, whatever is selected); `null` when it can. */
export function foundLockText(found: FoundView | null): string | null {
  if (found?.kind === "keyed") return `Already in ConnectWise (addition ${found.additionId}): not written again`;
  if (found?.kind === "asPlanned") return `Addition ${found.additionId} already holds every planned value: nothing to send`;
  return null;
}

/** "2 of 6 writes already in ConnectWise": `written` there already, `writes` still to send. */
export function writtenText(written: number, writes: number): string {
  return `${formatCount(written)} of ${plural(written + writes, "write", "writes")} already in ConnectWise`;
}

/** "92% match", or "guess — 59% alike" below the line Rust draws; nothing when the option carries no ranking. */
export function matchText(score: number | null, likeness: Likeness | null): string {
  if (score === null) return "";
  const percent = Math.round(score);
  return likeness === "guess" ? `guess — ${percent}% alike` : `${percent}% match`;
}

/** "ConnectWise data from 12 min ago" — how old the data under review is. */
export function connectwiseAgeText(fetchedAt: string | null, now: Date): string {
  return fetchedAt === null ? "No ConnectWise data read yet" : `ConnectWise data from ${formatAge(fetchedAt, now)}`;
}

/**
 * The readiness line of the summary: "Ready: 6 writes to ConnectWise" / "3 problems must be fixed
 * first"; `already` when every write of the task is in ConnectWise already.
 */
export function readinessText(problems: number, writes: number, already = false): string {
  if (problems > 0) return `${plural(problems, "problem", "problems")} must be fixed first`;
  if (already) return "Ready: every write is already in ConnectWise — Sync sends nothing and closes the task as synced";
  if (writes === 0) return "Nothing to write: no change is selected";
  return `Ready: ${plural(writes, "write", "writes")} to ConnectWise`;
}

// ---------- Sync ----------

/** The title of the sync screen, by the sync's state. */
export const SYNC_TITLES: Readonly<Record<SyncState, string>> = {
  running: "Syncing…",
  interrupted: "Sync did not finish",
  failed: "Sync did not finish",
  synced: "Synced",
  changed: "Sync stopped: the agreement changed",
  nothingToWrite: "Nothing new to write",
  discarded: "Sync set aside",
  alreadyInConnectWise: "Already in ConnectWise",
};

/** A sync's state in a few words (history, badges). */
export const SYNC_STATE_LABELS: Readonly<Record<SyncState, string>> = {
  running: "Running",
  interrupted: "Interrupted",
  failed: "Did not finish",
  synced: "Synced",
  changed: "Stopped — agreement changed",
  nothingToWrite: "Nothing new to write",
  discarded: "Set aside",
  alreadyInConnectWise: "Already in ConnectWise",
};

/** A write's state in words, while its sync runs. */
export const WRITE_STATE_LABELS: Readonly<Record<WriteState, string>> = {
  pending: "Not written yet",
  sending: "Sending…",
  unknown: "Answer lost — checking",
  confirmed: "Written",
  failed: "Failed",
};

/**
 * A write's state in words. Once its sync has stopped, a write that was sent without a recorded
 * answer is no longer being sent or checked: it says that Retry checks it.
 */
export function writeStateText(state: WriteState, syncRunning: boolean): string {
  if (!syncRunning && (state === "sending" || state === "unknown")) return "Sent, not confirmed — Retry checks it";
  return WRITE_STATE_LABELS[state];
}

/** "Addition #40001". */
export function additionText(id: number): string {
  return `Addition #${id}`;
}

/** How many of the writes ConnectWise has confirmed. */
export function confirmedCount(writes: readonly WriteView[]): number {
  return writes.filter((w) => w.state === "confirmed").length;
}

/** How many of the writes ConnectWise has confirmed ("1 of 3 writes confirmed"). */
export function confirmedText(writes: readonly WriteView[]): string {
  const confirmed = confirmedCount(writes);
  return `${formatCount(confirmed)} of ${plural(writes.length, "write", "writes")} confirmed`;
}

/** "A sync was interrupted when the app stopped: Green Lane LLC — order 1000231 (1 of 3 writes confirmed)." */
export function unfinishedSyncText(sync: SyncView): string {
  return `A sync was interrupted when the app stopped: ${sync.taskLabel} (${confirmedText(sync.writes)}).`;
}

/** "2026-11-16 10:04 – 10:05", or only the start while it has not finished. */
export function syncTimeText(sync: SyncView): string {
  const started = formatDateTime(sync.startedAt);
  if (sync.finishedAt === null) return `Started ${started}`;
  const finished = formatDateTime(sync.finishedAt);
  const sameDay = started.slice(0, 10) === finished.slice(0, 10) && /^\d{4}-\d{2}-\d{2} /.test(finished);
  return `${started} – ${sameDay ? finished.slice(11) : finished}`;
}

// ---------- Batches ----------

/** A task's state in a batch's sync. */
export const BATCH_STATE_LABELS: Readonly<Record<BatchTaskState, string>> = {
  waiting: "Waiting",
  syncing: "Syncing",
  synced: "Synced",
  failed: "Failed",
  notStarted: "Not started",
};

/** "12 of 120 tasks · 30 of 300 writes". */
export function batchProgressText(progress: BatchProgress): string {
  return (
    `${formatCount(progress.tasksDone)} of ${plural(progress.tasksTotal, "task", "tasks")} · ` +
    `${formatCount(progress.writesDone)} of ${plural(progress.writesTotal, "write", "writes")}`
  );
}

/** "A batch was interrupted: 37 of 120 synced". */
export function interruptedBatchText(batch: InterruptedBatch): string {
  return `A batch was interrupted: ${formatCount(batch.synced)} of ${formatCount(batch.total)} synced`;
}

/** "Before → after" of a row's recurring amount per period; a dash while there is no plan. */
export function recurringText(before: string, after: string): string {
  if (before === "" && after === "") return "—";
  return `${before === "" ? "—" : before} → ${after === "" ? "—" : after}`;
}

/**
 * A next invoice's total before → after a sync, as the board shows it; a dash while it is unknown.
 * The arrow stays with the amount before it when the column is narrow.
 */
export function nextInvoiceText(before: string, after: string): string {
  if (before === "" && after === "") return "—";
  return `${before === "" ? "—" : before}\u00a0→ ${after === "" ? "—" : after}`;
}

/** A signed amount as Rust sent it, with a plus when positive ("+15.00"). */
export function signedText(amount: string): string {
  if (amount === "" || amount.startsWith("-")) return amount;
  return /^0*(\.0*)?$/.test(amount) ? amount : `+${amount}`;
}

// ---------- Reconcile ----------

/** The outcomes in the order the book's filters show them (SPEC §13). */
export const OUTCOMES: readonly Outcome[] = [
  "inSync",
  "quantityDiffers",
  "priceDiffers",
  "missingInConnectWise",
  "stillBilling",
  "duplicate",
  "unmapped",
  "notRead",
];

export const OUTCOME_LABELS: Readonly<Record<Outcome, string>> = {
  inSync: "In sync",
  quantityDiffers: "Quantity differs",
  priceDiffers: "Price differs",
  missingInConnectWise: "Missing in ConnectWise",
  stillBilling: "Still billing",
  duplicate: "Duplicate",
  unmapped: "Unmapped",
  notRead: "Not compared yet",
};

/** Outcomes that say ConnectWise bills other than it should (not those not compared). */
export function isDrift(outcome: Outcome): boolean {
  return outcome !== "inSync" && outcome !== "unmapped" && outcome !== "notRead";
}

export function isOutcome(value: string): value is Outcome {
  return (OUTCOMES as readonly string[]).includes(value);
}

/** The line beside the progress bar while a reconcile runs. */
export function reconcileProgressText(progress: ReconcileProgress | null): string {
  if (progress === null) return "Starting…";
  switch (progress.kind) {
    case "refreshingConnectWise":
      return "Reading ConnectWise agreements and additions…";
    case "readingSubscriptions":
      return `Reading subscriptions… ${formatCount(progress.read)} of ${plural(progress.total, "customer", "customers")}`;
    case "readingAllSubscriptions":
      return `Reading all subscriptions… ${formatCount(progress.read)} of ${formatCount(progress.total)}`;
    case "comparing":
      return `Comparing ${plural(progress.customers, "customer", "customers")}…`;
    case "finished":
      return `${plural(progress.customers, "customer", "customers")} compared — ${plural(progress.drift, "drift", "drifts")}`;
  }
}

/** How far along a reconcile is, 0..1, or `null` when it can't be told yet. */
export function reconcileProgressFraction(progress: ReconcileProgress | null): number | null {
  if (progress === null) return null;
  switch (progress.kind) {
    case "refreshingConnectWise":
      return null;
    case "readingSubscriptions":
    case "readingAllSubscriptions":
      return progress.total > 0 ? 0.9 * Math.min(1, progress.read / progress.total) : null;
    case "comparing":
      return 0.95;
    case "finished":
      return 1;
  }
}

/** "Reconciled 12 min ago" / "Never reconciled". */
export function lastReconciledText(at: string | null, now: Date): string {
  return at === null ? "Never reconciled" : `Reconciled ${formatAge(at, now)}`;
}

// ---------- Activity and undo (SPEC §17) ----------

/** What a write did, in the activity log's words. */
export const ACTIVITY_KIND_LABELS: Readonly<Record<ActivityKind, string>> = {
  create: "Create",
  cancelDate: "Cancel date",
  change: "Change",
  remove: "Remove",
};

export const ACTIVITY_KINDS: readonly ActivityKind[] = ["create", "cancelDate", "change", "remove"];

export function isActivityKind(value: string): value is ActivityKind {
  return (ACTIVITY_KINDS as readonly string[]).includes(value);
}

/** How a write ended, in the activity log's words (the CSV says the same). */
export const ACTIVITY_RESULT_LABELS: Readonly<Record<ActivityResult, string>> = {
  confirmed: "Confirmed",
  failed: "Failed",
  unknown: "Outcome unknown",
  pending: "Not sent",
  otherDesk: "Another desk",
};

export const ACTIVITY_RESULTS: readonly ActivityResult[] = ["confirmed", "failed", "unknown", "pending", "otherDesk"];

export function isActivityResult(value: string): value is ActivityResult {
  return (ACTIVITY_RESULTS as readonly string[]).includes(value);
}

/** What an undo row does, as its badge names it. */
export const UNDO_KIND_LABELS: Readonly<Record<UndoKind, string>> = {
  remove: "Remove",
  end: "End",
  credit: "Credit",
  restore: "Put back",
  recreate: "Write again",
  conflict: "Conflict",
  done: "Done",
};

/** An undo row's badge: a credit says that it is a choice. */
export function undoKindText(row: Pick<UndoRowView, "kind" | "optional">): string {
  const label = UNDO_KIND_LABELS[row.kind];
  return row.optional ? `${label} (optional)` : label;
}

/** The undo kinds in the order a short summary lists them. */
const UNDO_KINDS: readonly UndoKind[] = ["remove", "end", "credit", "restore", "recreate", "conflict", "done"];

/** An undo's rows in short: "Remove 2 · End 1 · Credit 1 · Conflict 1". */
export function undoRowsText(rows: readonly Pick<UndoRowView, "kind">[]): string {
  if (rows.length === 0) return "No rows";
  return UNDO_KINDS.flatMap((kind) => {
    const count = rows.filter((row) => row.kind === kind).length;
    return count === 0 ? [] : [`${UNDO_KIND_LABELS[kind]} ${formatCount(count)}`];
  }).join(" · ");
}

/** The title of an undo's sync screen, by its state: an undo is a sync of its own, said as an undo. */
export const UNDO_TITLES: Readonly<Record<SyncState, string>> = {
  running: "Undoing…",
  interrupted: "Undo did not finish",
  failed: "Undo did not finish",
  synced: "Undone",
  changed: "Undo stopped: the agreement changed",
  nothingToWrite: "Nothing left to undo",
  discarded: "Undo set aside",
  alreadyInConnectWise: "Already in ConnectWise",
};

/** An undo's state in a few words (the undo board's items and result). */
export const UNDO_STATE_LABELS: Readonly<Record<SyncState, string>> = {
  running: "Undoing",
  interrupted: "Interrupted",
  failed: "Did not finish",
  synced: "Undone",
  changed: "Left — agreement changed",
  nothingToWrite: "Nothing left to undo",
  discarded: "Set aside",
  alreadyInConnectWise: "Already in ConnectWise",
};

/** "Undo of sync 12" / "Undone by sync 14": how a sync and its undo name each other. */
export function undoLinkText(sync: Pick<SyncView, "undoes" | "undoneBy">): string | null {
  if (sync.undoes !== null) return `Undo of sync ${sync.undoes}`;
  if (sync.undoneBy !== null) return `Undone by sync ${sync.undoneBy}`;
  return null;
}

// ---------- A good desktop citizen (SPEC §18) ----------

/** A service's state in words, as Connections and the header's tooltip say it. */
export const HEALTH_STATE_LABELS: Readonly<Record<HealthState, string>> = {
  unknown: "Not contacted yet",
  ok: "Working",
  refused: "Refusing access",
  unreachable: "Can't be reached",
};

/** The header's health badge, by the worst state of the two services. */
export const HEALTH_BADGE_LABELS: Readonly<Record<HealthState, string>> = {
  unknown: "Not contacted yet",
  ok: "Services OK",
  refused: "Access refused",
  unreachable: "Can't reach a service",
};

/** How bad each state is: a refusal needs the person, an unreachable service may come back on its own. */
const HEALTH_RANK: Readonly<Record<HealthState, number>> = { unknown: 0, ok: 1, unreachable: 2, refused: 3 };

/** The worst state among the services ("refused" > "unreachable" > "ok" > "unknown"); "unknown" when there are none. */
export function worstHealth(services: readonly Pick<ServiceHealth, "state">[]): HealthState {
  return services.reduce<HealthState>((worst, s) => (HEALTH_RANK[s.state] > HEALTH_RANK[worst] ? s.state : worst), "unknown");
}

/** The health badge's tooltip: each service and its state, a line each, and where the details are. */
export function healthTitle(services: readonly Pick<ServiceHealth, "name" | "state">[]): string {
  const lines = services.map((s) => `${s.name}: ${HEALTH_STATE_LABELS[s.state].toLowerCase()}`);
  return [...lines, "Details in Connections"].join("\n");
}

/** What a refusal's status means: 401 "the keys were refused", 403 "a permission is missing". */
export function refusalStatusText(status: number): string {
  if (status === 401) return "the keys were refused";
  if (status === 403) return "a permission is missing";
  return `access was refused (${status})`;
}

/** "Last contact: 12 min ago", or "No contact since the app opened". */
export function lastContactText(at: string | null, now: Date): string {
  return at === null ? "No contact since the app opened" : `Last contact: ${formatAge(at, now)}`;
}

/** A length of time ahead in a few words: "less than a minute", "42 min", "2 h 5 min", "3 days". */
export function durationText(ms: number): string {
  if (ms < MINUTE) return "less than a minute";
  if (ms < HOUR) return `${Math.floor(ms / MINUTE)} min`;
  if (ms < 2 * DAY) {
    const hours = Math.floor(ms / HOUR);
    const minutes = Math.floor((ms % HOUR) / MINUTE);
    return minutes === 0 ? `${hours} h` : `${hours} h ${minutes} min`;
  }
  return `${Math.floor(ms / DAY)} days`;
}

/** The marketplace token's lifetime: "Token valid for 42 min more", "Token expired", or "Not signed in yet". */
export function tokenText(expiresAt: string | null, now: Date): string {
  if (expiresAt === null) return "Not signed in yet";
  const end = parseTimestamp(expiresAt);
  if (end === null) return `Token valid until ${expiresAt}`;
  const left = end.getTime() - now.getTime();
  return left <= 0 ? "Token expired" : `Token valid for ${durationText(left)} more`;
}

function sameLocalDay(a: Date, b: Date): boolean {
  return a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
}

/**
 * A moment as a clock says it, in local time: "14:05" on `now`'s day, "14:05 tomorrow" on the next,
 * else "14:05 on 2026-11-27". The time always comes first.
 */
export function clockText(text: string, now: Date): string {
  const date = parseTimestamp(text);
  if (date === null) return text;
  const time = `${pad2(date.getHours())}:${pad2(date.getMinutes())}`;
  if (sameLocalDay(date, now)) return time;
  const tomorrow = new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1);
  if (sameLocalDay(date, tomorrow)) return `${time} tomorrow`;
  return `${time} on ${formatDateTime(text).slice(0, 10)}`;
}

/** "Next check at 14:05", or "Next check waits: A sync is running"; `null` when no check is scheduled. */
export function nextCheckText(schedule: Pick<ScheduleView, "nextDueAt" | "waitingFor">, now: Date): string | null {
  if (schedule.nextDueAt === null) return null;
  if (schedule.waitingFor !== null) return `Next check waits: ${schedule.waitingFor}`;
  return `Next check at ${clockText(schedule.nextDueAt, now)}`;
}

/** "Saved 1,204 tasks to /home/…/tasks.csv". */
export function savedTasksText(rows: number, path: string): string {
  return `Saved ${plural(rows, "task", "tasks")} to ${path}`;
}
