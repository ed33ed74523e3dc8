// Test data only: syncs of the Green Lane change order (see ./wizard.ts), as the Rust side reports them.

import type { SyncView } from "../bindings/SyncView";
import type { WriteState } from "../bindings/WriteState";
import type { WriteView } from "../bindings/WriteView";
import type { WizardView } from "../bindings/WizardView";
import { greenLaneTask, plannedView } from "./wizard";

export function write(seq: number, state: WriteState, overrides: Partial<WriteView> = {}): WriteView {
  const plan: Record<number, Pick<WriteView, "kind" | "description" | "amount">> = {
    1: { kind: "setCancelDate", description: "Microsoft 365 Business Premium (30211): cancel 2026-11-15", amount: "440.00" },
    2: { kind: "createAddition", description: "M365-BP 25 × 22.00 from 2026-11-16", amount: "550.00" },
    3: { kind: "createAddition", description: "EXO-P1 −2 × 2.0000, 2026-11-16 – 2026-11-30", amount: "-4.00" },
  };
  const base = plan[seq] ?? { kind: "createAddition", description: `Write ${seq}`, amount: "1.00" };
  return {
    seq,
    ...base,
    state,
    additionId: state === "confirmed" ? (seq === 1 ? 30211 : 40000 + seq) : null,
    message: null,
    attempts: state === "pending" ? 0 : 1,
    ...overrides,
  };
}

export function syncView(overrides: Partial<SyncView> = {}): SyncView {
  const state = overrides.state ?? "running";
  return {
    id: 11,
    taskId: 1,
    taskLabel: "Green Lane LLC — order 1000231",
    profileName: "Demo",
    agreementId: 7001,
    agreementName: "Green Lane — Microsoft 365",
    currency: "USD",
    state,
    // As Rust says it: writes still to finish.
    open: state === "running" || state === "interrupted" || state === "failed",
    message: null,
    activity: null,
    changes: [],
    startedAt: "2026-11-16T12:00:00Z",
    finishedAt: null,
    writes: [write(1, "pending"), write(2, "pending"), write(3, "pending")],
    desk: "ana on BILLING-PC",
    undoes: null,
    undoneBy: null,
    undoable: false,
    ...overrides,
  };
}

export function syncedSync(overrides: Partial<SyncView> = {}): SyncView {
  return syncView({
    state: "synced",
    message: "3 writes confirmed in ConnectWise.",
    finishedAt: "2026-11-16T12:00:09Z",
    writes: [write(1, "confirmed"), write(2, "confirmed"), write(3, "confirmed")],
    ...overrides,
  });
}

export function failedSync(overrides: Partial<SyncView> = {}): SyncView {
  const message = "ConnectWise did not accept write 2: 400 Bad Request — quantity";
  return syncView({
    state: "failed",
    message,
    finishedAt: "2026-11-16T12:00:05Z",
    writes: [write(1, "confirmed"), write(2, "failed", { message }), write(3, "pending")],
    ...overrides,
  });
}

/** The planned Green Lane task, with its sync history and status. */
export function viewWithHistory(history: SyncView[], status: WizardView["task"]["status"] = "pending"): WizardView {
  return { ...plannedView(), task: greenLaneTask({ status }), history };
}
