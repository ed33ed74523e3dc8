import { useCallback, useRef, useState } from "react";
import type { ErrorView } from "../bindings/ErrorView";
import { toIpcError } from "../ipc";
import { useMounted } from "./useMounted";

export interface CommandOptions {
  /**
   * The last error stays on screen while the next call runs, and goes when that call answers (a
   * re-read behind an error banner). By default it goes as soon as the next call starts.
   */
  keepErrorWhileBusy?: boolean;
  /**
   * Every answer is kept as it arrives, even one that a newer call overtook, and any answer ends
   * `busy`. By default only the newest call's answer counts, so the screen never goes back to an
   * older state.
   */
  everyAnswer?: boolean;
}

/**
 * What a call runs. `live()` says whether what it reports on the way (a progress channel) is still
 * wanted: not once it has answered, been overtaken, or the component has gone.
 */
export type CommandTask<T> = (live: () => boolean) => Promise<T>;

export interface RunOptions {
  /**
   * The caller shows the failure itself (Rust's refusal beside a form): `busy` and `error` are left
   * as they are, and the rejection is thrown on as an `IpcError`.
   */
  quiet?: boolean;
}

export interface Command<T> {
  /** The latest answer kept; `null` until one comes. */
  data: T | null;
  /** Why the latest call failed, as Rust described it. */
  error: ErrorView | null;
  /** The latest call has not answered yet. */
  busy: boolean;
  /** Runs `task` as the newest call; resolves with its answer, or `null` if it failed or was overtaken. */
  run: (task: CommandTask<T>, options?: RunOptions) => Promise<T | null>;
  /** Shows an answer another command gave (the end of a sync); calls still running are overtaken, as by a newer call. */
  show: (data: T | null) => void;
  /** Changes the answer kept (rows patched); calls still running are not overtaken. */
  update: (change: (data: T | null) => T | null) => void;
  /** Shows an error another command gave. */
  setError: (error: ErrorView | null) => void;
  dismissError: () => void;
  /** The calls running now are forgotten (the screen that asked has moved on): their answers are dropped. */
  drop: () => void;
  /** As `drop`, and the answer and the error are forgotten too. */
  reset: () => void;
}

/**
 * One command's latest answer, its error and whether it runs. Every call is numbered: the answer
 * of a call overtaken by a newer one, or of a component that has gone, is dropped.
 */
export function useCommand<T>({ keepErrorWhileBusy = false, everyAnswer = false }: CommandOptions = {}): Command<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<ErrorView | null>(null);
  const [busy, setBusy] = useState(false);
  const calls = useRef(0);
  // Calls numbered up to this one were dropped, in either mode.
  const dropped = useRef(0);
  const mounted = useMounted();

  const run = useCallback(
    async (task: CommandTask<T>, { quiet = false }: RunOptions = {}): Promise<T | null> => {
      calls.current += 1;
      const call = calls.current;
      const counts = () => mounted() && call > dropped.current && (everyAnswer || call === calls.current);
      let answered = false;
      const live = () => !answered && counts();
      if (!quiet) {
        setBusy(true);
        if (!keepErrorWhileBusy) setError(null);
      }
      try {
        const answer = await task(live);
        answered = true;
        if (!counts()) return null;
        // As an updater: a `T` that is itself a function would otherwise be called by React.
        setData(() => answer);
        if (!quiet && keepErrorWhileBusy) setError(null);
        return answer;
      } catch (reason: unknown) {
        answered = true;
        if (quiet) throw toIpcError(reason);
        if (counts()) setError(toIpcError(reason).view);
        return null;
      } finally {
        if (!quiet && counts()) setBusy(false);
      }
    },
    [mounted, everyAnswer, keepErrorWhileBusy],
  );

  const show = useCallback((next: T | null) => {
    calls.current += 1;
    setData(() => next);
  }, []);

  const update = useCallback((change: (current: T | null) => T | null) => setData(change), []);

  const dismissError = useCallback(() => setError(null), []);

  const drop = useCallback(() => {
    dropped.current = calls.current;
    setBusy(false);
  }, []);

  const reset = useCallback(() => {
    drop();
    setData(null);
    setError(null);
  }, [drop]);

  return { data, error, busy, run, show, update, setError, dismissError, drop, reset };
}
