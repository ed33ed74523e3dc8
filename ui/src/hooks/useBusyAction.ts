import { useCallback, useState } from "react";
import type { ErrorView } from "../bindings/ErrorView";

export interface BusyAction<Which extends string> {
  /** The action running now, if one is. */
  busy: Which | null;
  /** The last action that failed, and why. */
  failed: { which: Which; error: ErrorView } | null;
  /** Runs `action`, which resolves with its error, or with `null` once the screen has moved on. */
  run: (which: Which, action: () => Promise<ErrorView | null>) => Promise<void>;
  dismiss: () => void;
}

/** The actions of a screen that leave it on success (Use, Remove, Refresh, Set aside): which one runs, which failed and why. */
export function useBusyAction<Which extends string>(): BusyAction<Which> {
  const [busy, setBusy] = useState<Which | null>(null);
  const [failed, setFailed] = useState<{ which: Which; error: ErrorView } | null>(null);

  const run = useCallback(async (which: Which, action: () => Promise<ErrorView | null>) => {
    setBusy(which);
    setFailed(null);
    const failure = await action();
    // On success the screen has moved on: `busy` stays set until it is gone.
    if (failure !== null) {
      setBusy(null);
      setFailed({ which, error: failure });
    }
  }, []);

  const dismiss = useCallback(() => setFailed(null), []);

  return { busy, failed, run, dismiss };
}
