import { useCallback, useEffect, useRef, useState } from "react";
import type { ErrorView } from "../bindings/ErrorView";
import type { SyncView } from "../bindings/SyncView";
import type { UndoBoardResult } from "../bindings/UndoBoardResult";
import type { UndoBoardView } from "../bindings/UndoBoardView";
import { openBatchUndo, selectUndoRow, toIpcError, undoBatch } from "../ipc";
import { useCommand } from "./useCommand";
import { useMounted } from "./useMounted";

export type UndoBoardPhase =
  | { kind: "idle" }
  /** `undo_batch` runs; `latest` holds the latest snapshot of each undo, by the sync it undoes. */
  | { kind: "running"; latest: ReadonlyMap<number, SyncView>; total: number }
  | { kind: "done"; result: UndoBoardResult };

export interface UndoBoard {
  /** The batch's undos as Rust planned them; `null` until read. */
  board: UndoBoardView | null;
  /** `open_batch_undo` runs (each agreement is read again from ConnectWise). */
  loading: boolean;
  error: ErrorView | null;
  /** Reads every undo again (Try again, or Look again after a run). */
  reload: () => void;
  /** Whether the undo of sync `syncId` is ticked to run. */
  isTicked: (syncId: number) => boolean;
  toggle: (syncId: number) => void;
  /** The ticked undos that write something: what Undo N syncs runs. */
  chosen: number[];
  /** The undo whose credit choice is on its way. */
  selecting: number | null;
  selectError: ErrorView | null;
  dismissSelectError: () => void;
  /** Writes an optional row (a credit) of one undo, or leaves it out. */
  select: (syncId: number, rowKey: string, selected: boolean) => void;
  phase: UndoBoardPhase;
  running: boolean;
  runError: ErrorView | null;
  dismissRunError: () => void;
  /** Runs `undo_batch` on the undos chosen. Does nothing while it runs. */
  start: () => void;
}

/** Those that write something are ticked when the board is read. */
function firstTicks(board: UndoBoardView): Set<number> {
  return new Set(board.undos.filter((undo) => undo.writes > 0).map((undo) => undo.sync.id));
}

/**
 * Undo this batch… (SPEC §17): one board of the batch's undos, which to run, and the run with its
 * progress and result. What each undo writes is Rust's; this only shows it.
 */
export function useUndoBoard(batchId: number, { afterRun }: { afterRun: () => void }): UndoBoard {
  const command = useCommand<UndoBoardView>({ keepErrorWhileBusy: true });
  const { data: board, run: runBoard, update: updateBoard } = command;
  const [ticked, setTicked] = useState<ReadonlySet<number>>(new Set());
  const [selecting, setSelecting] = useState<number | null>(null);
  const [selectError, setSelectError] = useState<ErrorView | null>(null);
  const [phase, setPhase] = useState<UndoBoardPhase>({ kind: "idle" });
  const { run: runUndo, error: runError, dismissError: dismissRunError } = useCommand<UndoBoardResult>();
  const runningRef = useRef(false);
  const mounted = useMounted();
  const afterRunRef = useRef(afterRun);
  afterRunRef.current = afterRun;

  const reload = useCallback(() => {
    if (runningRef.current) return;
    setPhase({ kind: "idle" });
    setSelectError(null);
    void runBoard(() => openBatchUndo(batchId)).then((read) => {
      if (read !== null && mounted()) setTicked(firstTicks(read));
    });
  }, [batchId, runBoard, mounted]);

  useEffect(() => {
    reload();
  }, [reload]);

  const writesOf = useCallback((syncId: number) => board?.undos.find((undo) => undo.sync.id === syncId)?.writes ?? 0, [board]);
  const isTicked = useCallback((syncId: number) => ticked.has(syncId) && writesOf(syncId) > 0, [ticked, writesOf]);
  const chosen = (board?.undos ?? []).map((undo) => undo.sync.id).filter(isTicked);

  const toggle = useCallback(
    (syncId: number) => {
      if (runningRef.current) return;
      setTicked((current) => {
        const next = new Set(current);
        if (next.has(syncId)) next.delete(syncId);
        else next.add(syncId);
        return next;
      });
    },
    [],
  );

  const select = useCallback(
    (syncId: number, rowKey: string, selected: boolean) => {
      if (runningRef.current) return;
      setSelecting(syncId);
      setSelectError(null);
      selectUndoRow(syncId, rowKey, selected)
        .then((undo) => {
          if (!mounted()) return;
          updateBoard((current) =>
            current === null ? null : { ...current, undos: current.undos.map((u) => (u.sync.id === undo.sync.id ? undo : u)) },
          );
        })
        .catch((reason: unknown) => {
          if (mounted()) setSelectError(toIpcError(reason).view);
        })
        .finally(() => {
          if (mounted()) setSelecting(null);
        });
    },
    [updateBoard, mounted],
  );

  const chosenRef = useRef(chosen);
  chosenRef.current = chosen;
  const start = useCallback(() => {
    const syncIds = chosenRef.current;
    if (runningRef.current || syncIds.length === 0) return;
    runningRef.current = true;
    setSelectError(null);
    const latest = new Map<number, SyncView>();
    setPhase({ kind: "running", latest: new Map(latest), total: syncIds.length });
    const snapshots = (live: () => boolean) =>
      undoBatch(batchId, syncIds, (snapshot) => {
        // A snapshot that arrives after the answer is older than it.
        if (!live()) return;
        latest.set(snapshot.undoes ?? snapshot.id, snapshot);
        setPhase({ kind: "running", latest: new Map(latest), total: syncIds.length });
      });
    void runUndo(snapshots).then((result) => {
      runningRef.current = false;
      if (!mounted()) return;
      // No result: the run failed, and `runError` says why.
      setPhase(result === null ? { kind: "idle" } : { kind: "done", result });
      afterRunRef.current();
    });
  }, [batchId, runUndo, mounted]);

  return {
    board,
    loading: command.busy,
    error: command.error,
    reload,
    isTicked,
    toggle,
    chosen,
    selecting,
    selectError,
    dismissSelectError: () => setSelectError(null),
    select,
    phase,
    running: phase.kind === "running",
    runError,
    dismissRunError,
    start,
  };
}
