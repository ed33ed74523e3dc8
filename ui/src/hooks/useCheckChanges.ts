import { useCallback, useState } from "react";
import type { Connectivity } from "../bindings/Connectivity";
import type { CheckState } from "../components/CheckChanges";
import { checkChanges, toIpcError } from "../ipc";
import { useThrottledCallback } from "./time";

/** While Check Changes runs, the rows on screen are re-read at most this often. */
export const LIVE_REFRESH_MS = 500;

interface CheckChangesDeps {
  /** Re-reads the rows on screen: tasks appear in the list while the check creates them. */
  refreshTasks: () => void;
  /** Shows the connection as the check found it (it reached the services). */
  showConnectivity: (value: Connectivity) => void;
  /** Once the check has ended, either way: the list, the status and the connection are read again. */
  afterCheck: () => Promise<void>;
}

export interface CheckChanges {
  check: CheckState;
  /**
   * Runs Check Changes, showing its progress, then its summary or its error. With
   * `readConnectwiseWhole`, every ConnectWise list is read whole (not only what changed).
   */
  run: (readConnectwiseWhole?: boolean) => Promise<void>;
  /** Back to idle: the outcome is dismissed (or belonged to another profile). */
  reset: () => void;
}

/** Check Changes: its progress from the channel, the list re-read as tasks are created, its outcome. */
export function useCheckChanges({ refreshTasks, showConnectivity, afterCheck }: CheckChangesDeps): CheckChanges {
  const [check, setCheck] = useState<CheckState>({ phase: "idle" });
  const liveRefresh = useThrottledCallback(refreshTasks, LIVE_REFRESH_MS);

  const run = useCallback(async (readConnectwiseWhole = false) => {
    setCheck({ phase: "running", progress: null });
    let known = 0;
    try {
      const summary = await checkChanges((progress) => {
        setCheck((current) => (current.phase === "running" ? { phase: "running", progress } : current));
        const created = progress.kind === "readingOrders" ? progress.tasksCreated : progress.kind === "finished" ? progress.summary.tasksCreated : 0;
        if (created > known) {
          known = created;
          liveRefresh.call();
        }
      }, readConnectwiseWhole);
      setCheck({ phase: "done", summary });
      showConnectivity({ state: "online" });
    } catch (reason: unknown) {
      setCheck({ phase: "failed", error: toIpcError(reason).view });
    }
    liveRefresh.flush();
    await afterCheck();
  }, [liveRefresh, showConnectivity, afterCheck]);

  const reset = useCallback(() => setCheck({ phase: "idle" }), []);

  return { check, run, reset };
}
