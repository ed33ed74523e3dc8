// Test data only: an activity log and undo plans as the Rust side answers them (SPEC §17).
//
// The log holds `count` writes, newest first, one an hour back from 2026-11-24 11:00 UTC: this
// desk's writes of syncs 100, 99, … (three writes each, the first a Create), and every fifth row a
// write of another desk, recognised by its key. The first row is Green Lane's. Profiles: Demo and
// Contoso (every fourth row). Only confirmed writes of this desk's syncs can be undone.
//
// Sync 11 of Green Lane's change order undoes into: remove an addition no invoice holds, end an
// invoiced one with an optional credit, put back a cancel date, and leave an addition someone
// changed in ConnectWise since.

import type { ActivityKind } from "../bindings/ActivityKind";
import type { ActivityPage } from "../bindings/ActivityPage";
import type { ActivityQuery } from "../bindings/ActivityQuery";
import type { ActivityResult } from "../bindings/ActivityResult";
import type { ActivityRow } from "../bindings/ActivityRow";
import type { NextInvoiceView } from "../bindings/NextInvoiceView";
import type { SavedFile } from "../bindings/SavedFile";
import type { SyncView } from "../bindings/SyncView";
import type { UndoBoardView } from "../bindings/UndoBoardView";
import type { UndoRowView } from "../bindings/UndoRowView";
import type { UndoView } from "../bindings/UndoView";
import { syncedSync, write } from "./sync";
import { CALENDAR_OCTOBER, greenLaneTask } from "./wizard";

const KINDS: ActivityKind[] = ["create", "cancelDate", "change"];
const FIRST_AT = Date.UTC(2026, 10, 24, 11, 0);

/** Row `i` of the log (0 the newest). */
export function activityRow(i: number, overrides: Partial<ActivityRow> = {}): ActivityRow {
  const other = i % 5 === 4;
  const syncId = 100 - Math.floor(i / 3);
  const kind: ActivityKind = other ? "create" : (KINDS[i % 3] ?? "create");
  const result: ActivityResult = other ? "otherDesk" : i % 11 === 7 ? "failed" : "confirmed";
  const customer = i === 0 ? "Green Lane LLC" : `Customer ${String(i).padStart(5, "0")}`;
  const orderId = String(1000231 + i);
  return {
    id: other ? `a${50_000 + i}` : `w${9000 - i}`,
    at: new Date(FIRST_AT - i * 3_600_000).toISOString(),
    profileName: i % 4 === 3 ? "Contoso" : "Demo",
    desk: other ? "another desk" : "ana on BILLING-PC",
    otherDesk: other,
    syncId: other ? null : syncId,
    taskId: other ? null : 1 + i,
    source: other ? `Order ${orderId} (another desk)` : `Change Order ${orderId}`,
    customer,
    orderId,
    agreementId: 7001 + i,
    agreementName: `${customer} — Microsoft 365`,
    kind,
    additionId: 40_000 + i,
    product: "Microsoft 365 Business Premium",
    before: kind === "create" ? "—" : "20 × 22.00 from 2026-10-01",
    after: kind === "cancelDate" ? "20 × 22.00 from 2026-10-01 to 2026-11-15" : "25 × 22.00 from 2026-11-16",
    result,
    message: other ? "AS1:1000231:5000123:MS-365-BP:R" : result === "failed" ? "ConnectWise did not accept it: 400 Bad Request" : null,
    undoable: !other && result === "confirmed",
    ...overrides,
  };
}

/** The activity log as `activity` and `save_activity_csv` answer it. */
export class FakeActivity {
  rows: ActivityRow[];

  constructor(count: number) {
    this.rows = Array.from({ length: count }, (_, i) => activityRow(i));
  }

  matching(query: ActivityQuery): ActivityRow[] {
    const search = query.search.trim().toLowerCase();
    return this.rows.filter(
      (row) =>
        (search === "" ||
          [row.customer, row.orderId ?? "", row.agreementName, String(row.agreementId), String(row.additionId ?? "")].some((v) =>
            v.toLowerCase().includes(search),
          )) &&
        (query.profile === null || row.profileName === query.profile) &&
        (query.kind === null || row.kind === query.kind) &&
        (query.result === null || row.result === query.result) &&
        (query.from === null || row.at.slice(0, 10) >= query.from) &&
        (query.to === null || row.at.slice(0, 10) <= query.to),
    );
  }

  page(query: ActivityQuery, offset: number, limit: number): ActivityPage {
    const matching = this.matching(query);
    return { total: matching.length, offset, rows: matching.slice(offset, offset + limit), profiles: ["Contoso", "Demo"] };
  }

  saved(query: ActivityQuery): SavedFile {
    return { path: "/home/billing/Downloads/agreement-sync-activity-2026-11-24.csv", rows: this.matching(query).length };
  }
}

export const REMOVE_KEY = "undo:3:remove";
export const END_KEY = "undo:2:end";
export const CREDIT_KEY = "undo:2:credit";
export const RESTORE_KEY = "undo:1:restore";
export const CONFLICT_KEY = "undo:4:conflict";

export function undoRow(overrides: Partial<UndoRowView> & Pick<UndoRowView, "key" | "kind">): UndoRowView {
  return {
    selected: true,
    optional: false,
    seq: 1,
    additionId: 40002,
    productName: "Microsoft 365 Business Premium",
    now: "25 × 22.00 from 2026-11-16",
    after: "—",
    amount: null,
    words: "",
    ...overrides,
  };
}

export function undoRows(): UndoRowView[] {
  return [
    undoRow({
      key: REMOVE_KEY,
      kind: "remove",
      seq: 3,
      additionId: 40003,
      productName: "Exchange Online (Plan 1)",
      now: "−2 × 2.0000, 2026-11-16 – 2026-11-30",
      after: "—",
      words: "Created by the sync and on no invoice yet: removed.",
    }),
    undoRow({
      key: END_KEY,
      kind: "end",
      seq: 2,
      additionId: 40002,
      now: "25 × 22.00 from 2026-11-16",
      after: "25 × 22.00 from 2026-11-16 to 2026-11-30",
      words: "November already invoiced, #1042: it ends on 2026-11-30.",
    }),
    undoRow({
      key: CREDIT_KEY,
      kind: "credit",
      seq: 2,
      additionId: null,
      selected: false,
      optional: true,
      now: "—",
      after: "−25 × 11.0000, 2026-12-01 – 2026-12-01",
      amount: "-275.00",
      words: "A credit of what invoice #1042 billed of it since 2026-11-16; select it to give it.",
    }),
    undoRow({
      key: RESTORE_KEY,
      kind: "restore",
      seq: 1,
      additionId: 30211,
      now: "20 × 22.00 from 2026-10-01 to 2026-11-15",
      after: "20 × 22.00 from 2026-10-01",
      words: "Its cancel date is put back as it was before the sync.",
    }),
    undoRow({
      key: CONFLICT_KEY,
      kind: "conflict",
      seq: 4,
      additionId: 40004,
      productName: "Teams Phone Standard",
      now: "3 × 8.00 from 2026-11-16",
      after: "3 × 8.00 from 2026-11-16",
      selected: false,
      words: "Changed in ConnectWise on 2026-11-20 by someone else (quantity 2 → 3): left alone.",
    }),
  ];
}

/** December's invoice before → after the undo: the invoiced addition's December is no longer billed. */
export function undoInvoice(): NextInvoiceView {
  const invoice = { date: "2026-12-01", from: "2026-12-01", to: "2026-12-31" };
  const line = { kind: "recurring" as const, quantity: "20", unitPrice: "22.00", rowKey: null, additionId: 30211, ...invoice };
  return {
    currency: "USD",
    before: {
      ...invoice,
      lines: [{ ...line, description: "Microsoft 365 Business Premium", quantity: "25", amount: "550.00", additionId: 40002 }],
      recurring: "550.00",
      oneTime: "0.00",
      total: "550.00",
    },
    after: { ...invoice, lines: [{ ...line, description: "Microsoft 365 Business Premium", amount: "440.00" }], recurring: "440.00", oneTime: "0.00", total: "440.00" },
  };
}

/** The sync being undone: Green Lane's change order, synced and undoable. */
export function undoneSync(overrides: Partial<SyncView> = {}): SyncView {
  return syncedSync({ undoable: true, ...overrides });
}

/** The undo of sync 11 as `open_undo` answers it: 4 writes (the credit left out). */
export function undoView(overrides: Partial<UndoView> = {}): UndoView {
  return {
    sync: undoneSync(),
    task: greenLaneTask({ status: "synced" }),
    companyName: "Green Lane LLC",
    rows: undoRows(),
    writes: 3,
    nothingToWrite: null,
    calendar: { ...CALENDAR_OCTOBER, words: "Invoiced through 2026-11-30 — last invoice #1042 on 2026-11-01" },
    nextInvoice: undoInvoice(),
    connectwiseFetchedAt: "2026-11-24T11:58:00Z",
    offline: null,
    ...overrides,
  };
}

/** The undo with its credit selected, as `select_undo_row` answers. */
export function undoWithCredit(): UndoView {
  return undoView({ rows: undoRows().map((row) => (row.key === CREDIT_KEY ? { ...row, selected: true } : row)), writes: 4 });
}

/** A snapshot of the undo's own sync (12) of sync 11. */
export function undoSyncView(overrides: Partial<SyncView> = {}): SyncView {
  return syncedSync({
    id: 12,
    undoes: 11,
    undoable: true,
    message: "3 writes confirmed in ConnectWise.",
    writes: [
      write(1, "confirmed", { kind: "removeAddition", description: "EXO-P1 (40003): remove", amount: "0.00", additionId: 40003 }),
      write(2, "confirmed", { kind: "setCancelDate", description: "M365-BP (40002): cancel 2026-11-30", amount: "0.00", additionId: 40002 }),
      write(3, "confirmed", { kind: "changeAddition", description: "M365-BP (30211): no cancel date", amount: "440.00", additionId: 30211 }),
    ],
    ...overrides,
  });
}

/** The undos of batch 12's syncs: two that write, one with nothing left, and a task left out. */
export function undoBoardView(): UndoBoardView {
  const undo = (syncId: number, taskId: number, label: string, overrides: Partial<UndoView> = {}): UndoView =>
    undoView({
      sync: undoneSync({ id: syncId, taskId, taskLabel: label, agreementName: `${label.split(" — ")[0] ?? label} — Microsoft 365` }),
      task: greenLaneTask({ id: taskId, status: "synced" }),
      ...overrides,
    });
  return {
    batchId: 12,
    undos: [
      undo(21, 1, "Green Lane LLC — order 1000231"),
      undo(22, 6, "Customer 00005 — order SO100005", {
        rows: [undoRow({ key: "undo:1:remove", kind: "remove", words: "Created by the sync and on no invoice yet: removed." })],
        writes: 1,
      }),
      undo(23, 2, "Customer 00001 — order SO100001", {
        rows: [undoRow({ key: "undo:1:done", kind: "done", selected: false, words: "Removed already in ConnectWise." })],
        writes: 0,
        nothingToWrite: "Nothing is left to undo: every addition the sync wrote is gone already.",
      }),
    ],
    skipped: ["Customer 00004 — order SO100004: not synced in this batch."],
  };
}
