import { useCallback } from "react";
import type { InterruptedBatch } from "../bindings/InterruptedBatch";
import { interruptedBatch } from "../ipc";
import { useCommand } from "./useCommand";

export interface InterruptedBatchState {
  /** The batch whose sync the app stopped in the middle of, if there is one. */
  batch: InterruptedBatch | null;
  /** Asks Rust again (at start, after a profile switch, after a batch sync). */
  reload: () => Promise<void>;
}

/** The batch left unfinished when the app last closed (`interrupted_batch`). Only the latest answer counts. */
export function useInterruptedBatch(): InterruptedBatchState {
  // Not knowing is not a reason to stop the window: on an error the banner stays as it was.
  const { data, run } = useCommand<InterruptedBatch | null>();

  const reload = useCallback(async () => {
    await run(() => interruptedBatch());
  }, [run]);

  return { batch: data ?? null, reload };
}
