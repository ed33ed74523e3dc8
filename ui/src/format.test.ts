import { describe, expect, it } from "vitest";
import type { CheckSummary } from "./bindings/CheckSummary";
import {
  futureOrdersText,
  unreadableLines,
  amountText,
  connectwiseAgeText,
  matchText,
  readinessText,
  formatAge,
  formatDateTime,
  lastCheckedText,
  offlineText,
  parseTimestamp,
  progressFraction,
  progressText,
  summaryText,
  confirmedText,
  syncTimeText,
  unfinishedSyncText,
  writeStateText,
  foundLockText,
  writtenText,
  nextInvoiceText,
  rowKind,
  writeKindText,
  ROW_KIND_LABELS,
  SYNC_STATE_LABELS,
  SYNC_TITLES,
  isActivityKind,
  isActivityResult,
  undoKindText,
  undoLinkText,
  undoRowsText,
  clockText,
  durationText,
  healthTitle,
  lastContactText,
  nextCheckText,
  refusalStatusText,
  savedTasksText,
  tokenText,
  worstHealth,
} from "./format";
import { syncView, write } from "./test/sync";

const NOW = new Date("2026-11-16T12:00:00Z");
const ago = (ms: number) => new Date(NOW.getTime() - ms).toISOString();
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

describe("formatAge", () => {
  it.each([
    [0, "just now"],
    [59 * 1000, "just now"],
    [MIN, "1 min ago"],
    [12 * MIN + 30_000, "12 min ago"],
    [59 * MIN, "59 min ago"],
    [HOUR, "1 h ago"],
    [2 * HOUR + 5 * MIN, "2 h ago"],
    [23 * HOUR + 59 * MIN, "23 h ago"],
    [DAY, "1 day ago"],
    [3 * DAY + HOUR, "3 days ago"],
    [59 * DAY, "59 days ago"],
    [90 * DAY, "3 months ago"],
    [366 * DAY, "1 year ago"],
    [800 * DAY, "2 years ago"],
  ])("%d ms before now reads %s", (elapsed, expected) => {
    expect(formatAge(ago(elapsed), NOW)).toBe(expected);
  });

  it("treats a time slightly in the future (clock skew) as just now", () => {
    expect(formatAge(new Date(NOW.getTime() + 5000).toISOString(), NOW)).toBe("just now");
  });

  it("says so when the timestamp can't be read", () => {
    expect(formatAge("not a date", NOW)).toBe("at an unknown time");
  });

  it("reads the marketplace's naive UTC format", () => {
    expect(formatAge("2026-11-16 10:00:00", NOW)).toBe("2 h ago");
  });
});

describe("lastCheckedText and offlineText", () => {
  it("says never when Check Changes never ran", () => {
    expect(lastCheckedText(null, NOW)).toBe("Never checked");
    expect(offlineText(null, NOW)).toBe("Offline — nothing cached yet");
  });

  it("gives the age of the cache", () => {
    expect(lastCheckedText(ago(12 * MIN), NOW)).toBe("Last checked 12 min ago");
    expect(offlineText(ago(2 * HOUR), NOW)).toBe("Offline — showing cached data from 2 h ago");
  });
});

describe("formatDateTime", () => {
  it("shows yyyy-MM-dd HH:mm in local time", () => {
    const local = new Date(2026, 10, 6, 9, 4, 7);
    expect(formatDateTime(local.toISOString())).toBe("2026-11-06 09:04");
    expect(formatDateTime(local.toISOString(), true)).toBe("2026-11-06 09:04:07");
  });

  it("shows text that is not a timestamp unchanged", () => {
    expect(formatDateTime("soon")).toBe("soon");
  });

  it("parses naive marketplace times as UTC", () => {
    expect(parseTimestamp("2026-11-16 10:04:11")?.toISOString()).toBe("2026-11-16T10:04:11.000Z");
    expect(parseTimestamp("")).toBeNull();
  });
});

describe("amountText", () => {
  it("shows the amount exactly as given, with its currency", () => {
    expect(amountText("102.00", "USD")).toBe("102.00 USD");
    expect(amountText("0.000125", "USD")).toBe("0.000125 USD");
    expect(amountText("-7.48", "EUR")).toBe("-7.48 EUR");
  });

  it("shows a dash when the order carries no amount", () => {
    expect(amountText("", "USD")).toBe("—");
  });
});

describe("progressText", () => {
  it("describes each phase", () => {
    expect(progressText(null)).toBe("Starting…");
    expect(progressText({ kind: "listingOrders", read: 0, total: 0 })).toBe("Reading order list…");
    expect(progressText({ kind: "listingOrders", read: 120, total: 241 })).toBe("Reading order list… 120 of 241");
    expect(progressText({ kind: "readingOrders", done: 12, total: 40, tasksCreated: 9 })).toBe(
      "Fetching order details… 12 of 40 — 9 new tasks",
    );
    expect(progressText({ kind: "readingOrders", done: 1, total: 40, tasksCreated: 1 })).toBe(
      "Fetching order details… 1 of 40 — 1 new task",
    );
  });

  it("fills the bar in order", () => {
    const listing = progressFraction({ kind: "listingOrders", read: 120, total: 241 });
    const reading = progressFraction({ kind: "readingOrders", done: 12, total: 40, tasksCreated: 9 });
    expect(progressFraction(null)).toBeNull();
    expect(listing).not.toBeNull();
    expect(reading).not.toBeNull();
    expect(listing ?? 1).toBeLessThan(reading ?? 0);
    expect(reading ?? 2).toBeLessThan(1);
  });
});

describe("summaryText", () => {
  const summary: CheckSummary = {
    ordersRead: 241,
    tasksCreated: 40,
    alreadyKnown: 3,
    skipped: [
      { reason: "renewal", label: "renewal (nothing changes on the agreement)", count: 12 },
      { reason: "otherType", label: "other type", count: 0 },
      { reason: "notCompleted", label: "not completed (still processing)", count: 2 },
    ],
    from: "2026-10-17T00:00:00Z",
    connectwiseError: null,
    connectwiseRefused: false,
    finishedAt: "2026-11-16T12:00:00Z",
    futureOrders: [],
    unreadable: [],
  };

  it("lists what was read, created, known and skipped", () => {
    expect(summaryText(summary)).toBe(
      "241 orders read · 40 new tasks · 3 already known · skipped: 12 renewal (nothing changes on the agreement), 2 not completed (still processing)",
    );
  });

  it("leaves out the skipped part when nothing was skipped, and counts in the singular", () => {
    expect(summaryText({ ...summary, ordersRead: 1, tasksCreated: 1, alreadyKnown: 0, skipped: [] })).toBe(
      "1 order read · 1 new task · 0 already known",
    );
  });
});

describe("futureOrdersText", () => {
  it("names each order dated in the future with its day, in the marketplace's time", () => {
    expect(futureOrdersText([])).toBeNull();
    expect(futureOrdersText([{ orderId: "5000001", creationDate: "9999-12-31T00:00:00Z" }])).toBe(
      "1 order dated in the future: 5000001, 9999-12-31 — check the marketplace",
    );
    expect(
      futureOrdersText([
        { orderId: "5000001", creationDate: "9999-12-31T00:00:00Z" },
        { orderId: "5000002", creationDate: "2027-01-01T23:30:00Z" },
      ]),
    ).toBe("2 orders dated in the future: 5000001, 9999-12-31; 5000002, 2027-01-01 — check the marketplace");
  });
});

describe("unreadableLines", () => {
  const record = (n: number) => ({
    service: "marketplace" as const,
    list: "order list",
    record: `order ${n}`,
    field: "customer id",
    reason: "its customer id could not be read",
    message: `Order ${n} was left out of the order list from the Cloud Marketplace: its customer id could not be read`,
  });

  it("gives each left-out record its sentence, and counts the rest past a few", () => {
    expect(unreadableLines([])).toEqual([]);
    expect(unreadableLines([record(1)])).toEqual([
      "Order 1 was left out of the order list from the Cloud Marketplace: its customer id could not be read",
    ]);
    const many = unreadableLines([1, 2, 3, 4, 5, 6, 7].map(record));
    expect(many).toHaveLength(6);
    expect(many[5]).toBe("…and 2 more (the log has them all)");
  });
});

describe("wizard words", () => {
  it("says how old the ConnectWise data is", () => {
    expect(connectwiseAgeText(ago(12 * MIN), NOW)).toBe("ConnectWise data from 12 min ago");
    expect(connectwiseAgeText(ago(3 * DAY), NOW)).toBe("ConnectWise data from 3 days ago");
    expect(connectwiseAgeText(null, NOW)).toBe("No ConnectWise data read yet");
  });

  it("shows a match score only when there is one, and a guess as a guess", () => {
    expect(matchText(92, "match")).toBe("92% match");
    expect(matchText(100, "match")).toBe("100% match");
    expect(matchText(59, "guess")).toBe("guess — 59% alike");
    expect(matchText(null, null)).toBe("");
  });

  it.each([
    [0, 6, "Ready: 6 writes to ConnectWise"],
    [0, 1, "Ready: 1 write to ConnectWise"],
    [3, 6, "3 problems must be fixed first"],
    [1, 0, "1 problem must be fixed first"],
    [0, 0, "Nothing to write: no change is selected"],
  ])("readiness with %i problems and %i writes", (problems, writes, text) => {
    expect(readinessText(problems, writes)).toBe(text);
  });

  it("says Sync sends nothing when every write is already in ConnectWise", () => {
    expect(readinessText(0, 0, true)).toBe("Ready: every write is already in ConnectWise — Sync sends nothing and closes the task as synced");
    expect(readinessText(2, 0, true)).toBe("2 problems must be fixed first");
  });

  it("says why the selection of a row already in ConnectWise can't be changed", () => {
    expect(foundLockText({ kind: "keyed", additionId: 40123, words: "" })).toBe("Already in ConnectWise (addition 40123): not written again");
    expect(foundLockText({ kind: "asPlanned", additionId: 30212, words: "" })).toBe("Addition 30212 already holds every planned value: nothing to send");
    expect(foundLockText({ kind: "twin", additionId: 40188, words: "" })).toBeNull();
    expect(foundLockText({ kind: "conflict", additionId: 30211, words: "" })).toBeNull();
    expect(foundLockText(null)).toBeNull();
  });

  it("counts the writes already in ConnectWise among all of a task's", () => {
    expect(writtenText(2, 4)).toBe("2 of 6 writes already in ConnectWise");
    expect(writtenText(1, 0)).toBe("1 of 1 write already in ConnectWise");
  });

  it("names catch-up and credit rows (SPEC §16) by their key, whatever their action says", () => {
    expect(rowKind({ key: "catchup:CFQ7TTC0LCHC:0002_P1M:2026-11-01", action: "prorate" })).toBe("catchUp");
    expect(rowKind({ key: "credit:CFQ7TTC0LH16:0001_P1M:2026-11-01", action: "prorate" })).toBe("credit");
    expect(rowKind({ key: "prorate:CFQ7TTC0LCHC:0002", action: "prorate" })).toBe("prorate");
    expect(rowKind({ key: "add:CFQ7TTC0LCHC:0002", action: "add" })).toBe("add");
    expect([ROW_KIND_LABELS.catchUp, ROW_KIND_LABELS.credit, ROW_KIND_LABELS.prorate]).toEqual(["Catch-up", "Credit", "Prorate (one-time)"]);
    expect(writeKindText({ kind: "createAddition", rowKey: "catchup:X:2026-11-01" })).toBe("Create catch-up");
    expect(writeKindText({ kind: "createAddition", rowKey: "credit:X:2026-11-01" })).toBe("Create credit");
    expect(writeKindText({ kind: "createAddition", rowKey: "add:X" })).toBe("Create addition");
    expect(writeKindText({ kind: "setCancelDate", rowKey: "cancel:30211" })).toBe("Set cancel date");
  });

  it("shows a next invoice's total before → after, the arrow kept with the amount before it", () => {
    expect(nextInvoiceText("634.00", "791.00")).toBe("634.00\u00a0→ 791.00");
    expect(nextInvoiceText("", "")).toBe("—");
    expect(nextInvoiceText("", "55.00")).toBe("—\u00a0→ 55.00");
  });

  it("names a sync that found every write already in ConnectWise", () => {
    expect(SYNC_TITLES.alreadyInConnectWise).toBe("Already in ConnectWise");
    expect(SYNC_STATE_LABELS.alreadyInConnectWise).toBe("Already in ConnectWise");
  });
});

describe("sync words", () => {
  it("counts the confirmed writes", () => {
    expect(confirmedText([write(1, "confirmed"), write(2, "sending"), write(3, "pending")])).toBe("1 of 3 writes confirmed");
    expect(confirmedText([write(1, "failed")])).toBe("0 of 1 write confirmed");
  });

  it("says which sync was interrupted", () => {
    expect(unfinishedSyncText(syncView({ state: "interrupted", writes: [write(1, "confirmed"), write(2, "unknown"), write(3, "pending")] }))).toBe(
      "A sync was interrupted when the app stopped: Green Lane LLC — order 1000231 (1 of 3 writes confirmed).",
    );
  });

  it("names a write's state, live or stopped", () => {
    expect(writeStateText("sending", true)).toBe("Sending…");
    expect(writeStateText("unknown", true)).toBe("Answer lost — checking");
    expect(writeStateText("sending", false)).toBe("Sent, not confirmed — Retry checks it");
    expect(writeStateText("confirmed", false)).toBe("Written");
    expect(writeStateText("pending", false)).toBe("Not written yet");
    expect(writeStateText("failed", true)).toBe("Failed");
  });

  it("says when a sync ran, with the day once when it ended the same day", () => {
    const started = formatDateTime("2026-11-16T12:00:00Z");
    expect(syncTimeText(syncView({ startedAt: "2026-11-16T12:00:00Z", finishedAt: null }))).toBe(`Started ${started}`);
    const sameDay = syncTimeText(syncView({ startedAt: "2026-11-16T12:00:00Z", finishedAt: "2026-11-16T12:01:00Z" }));
    expect(sameDay).toBe(`${started} – ${formatDateTime("2026-11-16T12:01:00Z").slice(11)}`);
    const later = syncTimeText(syncView({ startedAt: "2026-11-16T12:00:00Z", finishedAt: "2026-11-18T09:00:00Z" }));
    expect(later).toBe(`${started} – ${formatDateTime("2026-11-18T09:00:00Z")}`);
  });
});

describe("activity and undo words", () => {
  it("names an undo row's kind, saying when it is a choice", () => {
    expect(undoKindText({ kind: "restore", optional: false })).toBe("Put back");
    expect(undoKindText({ kind: "recreate", optional: false })).toBe("Write again");
    expect(undoKindText({ kind: "credit", optional: true })).toBe("Credit (optional)");
  });

  it("sums up an undo's rows by kind, in a fixed order", () => {
    expect(undoRowsText([{ kind: "conflict" }, { kind: "remove" }, { kind: "remove" }, { kind: "end" }])).toBe("Remove 2 · End 1 · Conflict 1");
    expect(undoRowsText([])).toBe("No rows");
  });

  it("says how a sync and its undo name each other", () => {
    expect(undoLinkText(syncView({ undoes: 11 }))).toBe("Undo of sync 11");
    expect(undoLinkText(syncView({ undoneBy: 14 }))).toBe("Undone by sync 14");
    expect(undoLinkText(syncView())).toBeNull();
  });

  it("tells the filters' values from anything else", () => {
    expect(isActivityKind("cancelDate")).toBe(true);
    expect(isActivityKind("")).toBe(false);
    expect(isActivityResult("otherDesk")).toBe(true);
    expect(isActivityResult("Another desk")).toBe(false);
  });
});

describe("desktop citizen words (SPEC §18)", () => {
  const ahead = (ms: number) => new Date(NOW.getTime() + ms).toISOString();

  it("takes the worst state of the services: refused, then unreachable, then ok, then unknown", () => {
    expect(worstHealth([])).toBe("unknown");
    expect(worstHealth([{ state: "unknown" }, { state: "unknown" }])).toBe("unknown");
    expect(worstHealth([{ state: "unknown" }, { state: "ok" }])).toBe("ok");
    expect(worstHealth([{ state: "unreachable" }, { state: "ok" }])).toBe("unreachable");
    expect(worstHealth([{ state: "ok" }, { state: "refused" }])).toBe("refused");
    expect(worstHealth([{ state: "refused" }, { state: "unreachable" }])).toBe("refused");
  });

  it("names each service and its state in the badge's tooltip", () => {
    expect(
      healthTitle([
        { name: "ConnectWise", state: "ok" },
        { name: "Cloud Marketplace", state: "refused" },
      ]),
    ).toBe("ConnectWise: working\nCloud Marketplace: refusing access\nDetails in Connections");
  });

  it("says what a refusal's status means", () => {
    expect(refusalStatusText(401)).toBe("the keys were refused");
    expect(refusalStatusText(403)).toBe("a permission is missing");
    expect(refusalStatusText(407)).toBe("access was refused (407)");
  });

  it("gives the last contact's age, or that there was none", () => {
    expect(lastContactText(ago(12 * MIN), NOW)).toBe("Last contact: 12 min ago");
    expect(lastContactText(null, NOW)).toBe("No contact since the app opened");
  });

  it.each([
    [30 * 1000, "less than a minute"],
    [42 * MIN + 30_000, "42 min"],
    [HOUR, "1 h"],
    [2 * HOUR + 5 * MIN, "2 h 5 min"],
    [3 * DAY, "3 days"],
  ])("says %d ms ahead as %s", (ms, expected) => {
    expect(durationText(ms)).toBe(expected);
  });

  it("says how long the marketplace token is good for", () => {
    expect(tokenText(ahead(42 * MIN + 10_000), NOW)).toBe("Token valid for 42 min more");
    expect(tokenText(ahead(0), NOW)).toBe("Token expired");
    expect(tokenText(ago(5 * MIN), NOW)).toBe("Token expired");
    expect(tokenText(null, NOW)).toBe("Not signed in yet");
  });

  it("says a time as a clock does, with tomorrow or the date when it is not today", () => {
    const now = new Date(2026, 10, 24, 9, 30);
    expect(clockText(new Date(2026, 10, 24, 14, 5).toISOString(), now)).toBe("14:05");
    expect(clockText(new Date(2026, 10, 25, 8, 0).toISOString(), now)).toBe("08:00 tomorrow");
    expect(clockText(new Date(2026, 10, 27, 23, 59).toISOString(), now)).toBe("23:59 on 2026-11-27");
    // Over a month's end.
    expect(clockText(new Date(2026, 11, 1, 0, 5).toISOString(), new Date(2026, 10, 30, 22, 0))).toBe("00:05 tomorrow");
  });

  it("says when the next scheduled check runs, or what it waits for, and nothing when none is due", () => {
    const now = new Date(2026, 10, 24, 9, 30);
    const at = new Date(2026, 10, 24, 14, 5).toISOString();
    expect(nextCheckText({ nextDueAt: at, waitingFor: null }, now)).toBe("Next check at 14:05");
    expect(nextCheckText({ nextDueAt: at, waitingFor: "A sync is running" }, now)).toBe("Next check waits: A sync is running");
    expect(nextCheckText({ nextDueAt: null, waitingFor: null }, now)).toBeNull();
    expect(nextCheckText({ nextDueAt: new Date(2026, 10, 25, 1, 30).toISOString(), waitingFor: null }, now)).toBe("Next check at 01:30 tomorrow");
  });

  it("says how many tasks were saved, and where", () => {
    expect(savedTasksText(1204, "/home/billing/tasks.csv")).toBe("Saved 1,204 tasks to /home/billing/tasks.csv");
    expect(savedTasksText(1, "/tmp/t.csv")).toBe("Saved 1 task to /tmp/t.csv");
  });
});
