import { useCallback, useRef, useState } from "react";
import type { ErrorView } from "../bindings/ErrorView";
import type { SyncView } from "../bindings/SyncView";
import type { WizardView } from "../bindings/WizardView";
import { syncTask } from "../ipc";
import { useCommand } from "./useCommand";
import { useMounted } from "./useMounted";

export type SyncPhase =
  /** No sync on screen: the review (or the history) is. */
  | { kind: "idle" }
  /** `sync_task` runs; `view` is its latest snapshot (or the sync it finishes, until the first one). */
  | { kind: "running"; view: SyncView | null }
  /** A sync that is not running: the outcome of the last run, or an unfinished one from the history. */
  | { kind: "shown"; view: SyncView };

export interface SyncRun {
  phase: SyncPhase;
  /** `sync_task` is running: the wizard must not be left. */
  running: boolean;
  /** Why the last run could not start or finish (rejected by Rust), if it was. */
  error: ErrorView | null;
  /** Runs `sync_task` (a first sync, a Retry, or Sync again). Does nothing while one runs. */
  start: () => void;
  /** Shows a sync that is not running (an unfinished one from the history). */
  show: (view: SyncView) => void;
  /** Back to the review. */
  leave: () => void;
  dismissError: () => void;
}

interface SyncOptions {
  /**
   * Called when a run has settled, however it ended: re-reads the wizard (its history and the
   * task's status) and tells the list. Answers the new wizard state, if it could be read.
   */
  afterRun: () => Promise<WizardView | null>;
}

/**
 * One task's sync: runs it, follows its progress snapshots, and keeps its outcome on screen. All
 * decisions (what to write, whether it happened) are Rust's; this only shows them.
 */
export function useSync(taskId: number, { afterRun }: SyncOptions): SyncRun {
  const [phase, setPhase] = useState<SyncPhase>({ kind: "idle" });
  // The run's error; what the run shows is `phase`.
  const { run, error, dismissError } = useCommand<SyncView>();
  const phaseRef = useRef(phase);
  phaseRef.current = phase;
  const runningRef = useRef(false);
  const mounted = useMounted();
  const afterRunRef = useRef(afterRun);
  afterRunRef.current = afterRun;

  const start = useCallback(() => {
    if (runningRef.current) return;
    runningRef.current = true;
    const current = phaseRef.current;
    const previous = current.kind === "idle" ? null : current.view;
    let latest: SyncView | null = previous;
    // Until the first snapshot, the sync it finishes is shown as running again.
    setPhase({ kind: "running", view: previous === null ? null : { ...previous, state: "running", activity: null, message: null } });

    const snapshots = (live: () => boolean) =>
      syncTask(taskId, (snapshot) => {
        // A snapshot that arrives after the answer is older than it.
        if (!live()) return;
        latest = snapshot;
        setPhase({ kind: "running", view: snapshot });
      });
    void run(snapshots).then((result) => {
      runningRef.current = false;
      if (!mounted()) return;
      if (result !== null) {
        setPhase({ kind: "shown", view: result });
        void afterRunRef.current();
        return;
      }
      // No result: the run failed, and `error` says why.
      const shown = latest;
      setPhase(shown === null ? { kind: "idle" } : { kind: "shown", view: shown });
      void afterRunRef.current().then((next) => {
        // The sync as Rust recorded it, rather than the last snapshot seen.
        const recorded = shown === null ? undefined : next?.history.find((s) => s.id === shown.id);
        if (recorded !== undefined && mounted() && !runningRef.current) {
          setPhase({ kind: "shown", view: recorded });
        }
      });
    });
  }, [taskId, run, mounted]);

  const show = useCallback((view: SyncView) => {
    if (runningRef.current) return;
    setPhase({ kind: "shown", view });
  }, []);

  const leave = useCallback(() => {
    if (runningRef.current) return;
    dismissError();
    setPhase({ kind: "idle" });
  }, [dismissError]);

  return { phase, running: phase.kind === "running", error, start, show, leave, dismissError };
}
