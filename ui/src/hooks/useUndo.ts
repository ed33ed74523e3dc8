import { useCallback, useEffect, useRef, useState } from "react";
import type { ErrorView } from "../bindings/ErrorView";
import type { SyncView } from "../bindings/SyncView";
import type { UndoView } from "../bindings/UndoView";
import { openUndo, selectUndoRow, toIpcError, undoSync } from "../ipc";
import { useCommand } from "./useCommand";
import { useMounted } from "./useMounted";

export type UndoPhase =
  /** The undo's plan is on screen (or being read). */
  | { kind: "plan" }
  /** `undo_sync` runs; `view` is the latest snapshot of the undo's sync (or the one it finishes). */
  | { kind: "running"; view: SyncView | null }
  /** The undo's sync once it stopped, however it ended. */
  | { kind: "shown"; view: SyncView };

export interface UndoRun {
  /** The sync being undone; `null` while no undo is open. */
  syncId: number | null;
  /** The compensating plan as Rust made it; `null` until read. */
  plan: UndoView | null;
  /** `open_undo` runs (the agreement is read again from ConnectWise). */
  loading: boolean;
  /** Why the plan could not be made. */
  planError: ErrorView | null;
  /** Reads the plan again (Try again). */
  reload: () => void;
  /** The optional row whose choice is on its way to Rust. */
  selecting: string | null;
  /** Why a choice was refused. */
  selectError: ErrorView | null;
  dismissSelectError: () => void;
  /** Writes an optional row (a credit) with the undo, or leaves it out. */
  select: (rowKey: string, selected: boolean) => void;
  phase: UndoPhase;
  /** `undo_sync` runs: the wizard must not be left. */
  running: boolean;
  /** Why the last run could not start or finish. */
  runError: ErrorView | null;
  dismissRunError: () => void;
  /** Runs `undo_sync` (the undo, or Retry of an unfinished one). Does nothing while one runs. */
  start: () => void;
  /**
   * Back to the plan, read again from ConnectWise (Refresh of an undo that stopped on changes);
   * answers the error, if it failed, and the outcome stays on screen.
   */
  backToPlan: () => Promise<ErrorView | null>;
  /** The plan again, read anew (an unfinished undo was set aside): a failure shows over the plan. */
  reopen: () => void;
}

interface UndoOptions {
  /** The run has settled, however it ended: the task and the lists are read again. */
  afterRun: () => Promise<unknown>;
}

/**
 * The undo of one sync (SPEC §17): its plan, the credits chosen, and writing it with progress. What
 * it writes and why is Rust's; this only shows it. A new `syncId` starts over.
 */
export function useUndo(syncId: number | null, { afterRun }: UndoOptions): UndoRun {
  const plan = useCommand<UndoView>({ keepErrorWhileBusy: true });
  const { run: runPlan, reset: resetPlan } = plan;
  const [selecting, setSelecting] = useState<string | null>(null);
  const [selectError, setSelectError] = useState<ErrorView | null>(null);
  const [phase, setPhase] = useState<UndoPhase>({ kind: "plan" });
  const { run: runUndo, error: runError, dismissError: dismissRunError } = useCommand<SyncView>();
  const phaseRef = useRef(phase);
  phaseRef.current = phase;
  const runningRef = useRef(false);
  const mounted = useMounted();
  const afterRunRef = useRef(afterRun);
  afterRunRef.current = afterRun;

  const load = useCallback(
    (id: number) => {
      void runPlan(() => openUndo(id));
    },
    [runPlan],
  );

  // Another sync to undo (or none): its plan, from the start.
  useEffect(() => {
    if (runningRef.current) return;
    setPhase({ kind: "plan" });
    setSelectError(null);
    dismissRunError();
    resetPlan();
    if (syncId !== null) load(syncId);
  }, [syncId, load, resetPlan, dismissRunError]);

  const reload = useCallback(() => {
    if (syncId !== null) load(syncId);
  }, [syncId, load]);

  const select = useCallback(
    (rowKey: string, selected: boolean) => {
      if (syncId === null) return;
      setSelecting(rowKey);
      setSelectError(null);
      void runPlan(() => selectUndoRow(syncId, rowKey, selected), { quiet: true })
        .catch((reason: unknown) => {
          if (mounted()) setSelectError(toIpcError(reason).view);
        })
        .finally(() => {
          if (mounted()) setSelecting((current) => (current === rowKey ? null : current));
        });
    },
    [syncId, runPlan, mounted],
  );

  const start = useCallback(() => {
    if (syncId === null || runningRef.current) return;
    runningRef.current = true;
    setSelectError(null);
    const current = phaseRef.current;
    const previous = current.kind === "plan" ? null : current.view;
    let latest: SyncView | null = previous;
    // Until the first snapshot, the undo it finishes is shown as running again.
    setPhase({ kind: "running", view: previous === null ? null : { ...previous, state: "running", activity: null, message: null } });

    const snapshots = (live: () => boolean) =>
      undoSync(syncId, (snapshot) => {
        // A snapshot that arrives after the answer is older than it.
        if (!live()) return;
        latest = snapshot;
        setPhase({ kind: "running", view: snapshot });
      });
    void runUndo(snapshots).then((result) => {
      runningRef.current = false;
      if (!mounted()) return;
      // No result: the run failed, and `runError` says why — over the plan if nothing was sent.
      const shown = result ?? latest;
      setPhase(shown === null ? { kind: "plan" } : { kind: "shown", view: shown });
      void afterRunRef.current();
    });
  }, [syncId, runUndo, mounted]);

  const backToPlan = useCallback(async (): Promise<ErrorView | null> => {
    if (syncId === null || runningRef.current) return null;
    try {
      const next = await runPlan(() => openUndo(syncId), { quiet: true });
      if (next === null || !mounted()) return null;
      dismissRunError();
      setPhase({ kind: "plan" });
      return null;
    } catch (reason: unknown) {
      return toIpcError(reason).view;
    }
  }, [syncId, runPlan, mounted, dismissRunError]);

  const reopen = useCallback(() => {
    if (syncId === null || runningRef.current) return;
    dismissRunError();
    setPhase({ kind: "plan" });
    load(syncId);
  }, [syncId, load, dismissRunError]);

  return {
    syncId,
    plan: plan.data,
    loading: plan.busy,
    planError: plan.error,
    reload,
    selecting,
    selectError,
    dismissSelectError: () => setSelectError(null),
    select,
    phase,
    running: phase.kind === "running",
    runError,
    dismissRunError,
    start,
    backToPlan,
    reopen,
  };
}
