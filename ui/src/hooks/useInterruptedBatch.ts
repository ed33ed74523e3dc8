import { useCallback, useRef, useState } from "react";
import type { InterruptedBatch } from "../bindings/InterruptedBatch";
import { interruptedBatch } from "../ipc";

export interface InterruptedBatchState {
  /** The batch whose sync the app stopped in the middle of, if there is one. */
  batch: InterruptedBatch | null;
  /** Asks Rust again (at start, after a profile switch, after a batch sync). */
  reload: () => Promise<void>;
}

/** The batch left unfinished when the app last closed (`interrupted_batch`). Only the latest answer counts. */
export function useInterruptedBatch(): InterruptedBatchState {
  const [batch, setBatch] = useState<InterruptedBatch | null>(null);
  const asks = useRef(0);

  const reload = useCallback(async () => {
    asks.current += 1;
    const mine = asks.current;
    try {
      const next = await interruptedBatch();
      if (asks.current === mine) setBatch(next ?? null);
    } catch {
      // Not knowing is not a reason to stop the window: the banner stays as it was.
    }
  }, []);

  return { batch, reload };
}
