import { useCallback, useMemo } from "react";
import type { AppStatus } from "../bindings/AppStatus";
import type { ErrorView } from "../bindings/ErrorView";
import { appStatus, setFirstCheckDays, toIpcError } from "../ipc";
import { clockOffset, useNow } from "./time";
import { useCommand } from "./useCommand";

export interface AppStatusState {
  /** What Rust last said about the open profile; `null` until the first answer. */
  status: AppStatus | null;
  /** Why the status could not be read, for the window's error banner. */
  error: ErrorView | null;
  /** The app's clock (which can be pinned to another day), re-read every 30 s. */
  now: Date;
  /** Reads the status again; its answer, or `null` if it failed (then `error` says why). */
  reload: () => Promise<AppStatus | null>;
  /** Reads the status without showing it (a caller shows it with `show`); `null` on failure, as `reload`. */
  read: () => Promise<AppStatus | null>;
  /** Shows a status another command returned (a profile switched), clearing the error. */
  show: (next: AppStatus) => void;
  dismissError: () => void;
  /** Sets how far back the first Check Changes reads; Rust's refusal, if any, for the field. */
  setFirstCheckDays: (days: number) => Promise<ErrorView | null>;
}

/**
 * The app's status (`app_status`: the open profile, the last check, the unfinished syncs, the
 * connection as last seen, the app's clock) and the error of its last failed read.
 */
export function useAppStatus(): AppStatusState {
  // Every answer is shown as it arrives, and the error banner stays until a read succeeds.
  const { data: status, error, run, show: showData, setError, dismissError } = useCommand<AppStatus>({ keepErrorWhileBusy: true, everyAnswer: true });
  const offset = useMemo(() => clockOffset(status?.now), [status?.now]);
  const now = useNow(30_000, offset);

  const reload = useCallback(() => run(() => appStatus()), [run]);

  const read = useCallback(async (): Promise<AppStatus | null> => {
    try {
      return await appStatus();
    } catch (reason: unknown) {
      setError(toIpcError(reason).view);
      return null;
    }
  }, [setError]);

  const show = useCallback(
    (next: AppStatus) => {
      showData(next);
      dismissError();
    },
    [showData, dismissError],
  );

  const onFirstCheckDays = useCallback(
    async (days: number): Promise<ErrorView | null> => {
      try {
        await setFirstCheckDays(days);
        await reload();
        return null;
      } catch (reason: unknown) {
        return toIpcError(reason).view;
      }
    },
    [reload],
  );

  return { status, error, now, reload, read, show, dismissError, setFirstCheckDays: onFirstCheckDays };
}
