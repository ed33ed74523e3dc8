import { useCallback, useRef, useState } from "react";
import type { ErrorView } from "../bindings/ErrorView";
import { toIpcError } from "../ipc";
import { useMounted } from "./useMounted";

interface CommonOptions {
  /**
   * The last error stays on screen while the next call runs, and goes when that call answers (a
   * re-read behind an error banner). By default it goes as soon as the next call starts.
   */
  keepErrorWhileBusy?: boolean;
  /**
   * The last error stays until it is dismissed or a newer one replaces it: neither the next call
   * starting nor its answer takes it away (a banner the person closes). Goes further than
   * `keepErrorWhileBusy`, which it makes needless.
   */
  keepErrorUntilDismissed?: boolean;
  /**
   * `inFlight` and `answered` count the calls, so that whoever started one can tell when it has
   * settled (a field shows Rust's value again once its edit is answered). Off, both stay 0.
   */
  countCalls?: boolean;
}

/** Which answers are kept; at most one of the two, since they disagree about an older answer. */
type AnswerOptions =
  | {
      /**
       * Every answer is kept as it arrives, even one that a newer call overtook, and any answer ends
       * `busy`. By default only the newest call's answer counts, so the screen never goes back to an
       * older state.
       */
      everyAnswer?: boolean;
      newestAnswer?: never;
    }
  | {
      everyAnswer?: never;
      /**
       * An answer is kept unless a newer call's answer is already shown, and any answer kept ends
       * `busy`: edits sent one after another each show as they answer, without waiting for the
       * last, and the screen still never goes back to an older state. A failure is kept on the same
       * terms.
       */
      newestAnswer?: boolean;
    };

export type CommandOptions = CommonOptions & AnswerOptions;

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
  /**
   * With `countCalls`: the calls started and not settled yet, kept or not (`drop` and `reset` do
   * not stop them settling). Calls settling after the component has gone are not counted.
   */
  inFlight: number;
  /**
   * With `countCalls`: the highest number of a call that has settled (answered, failed or been
   * dropped), or of an answer `show` gave. Calls are numbered 1, 2, … in the order they start.
   */
  answered: number;
  /** Runs `task` as the newest call; resolves with its answer, or `null` if it failed or was overtaken. */
  run: (task: CommandTask<T>, options?: RunOptions) => Promise<T | null>;
  /** As `run`, without waiting for the answer: gives the call's number at once, to compare with `answered`. */
  start: (task: CommandTask<T>) => number;
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
export function useCommand<T>({
  keepErrorWhileBusy = false,
  keepErrorUntilDismissed = false,
  countCalls = false,
  everyAnswer = false,
  newestAnswer = false,
}: CommandOptions = {}): Command<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<ErrorView | null>(null);
  const [busy, setBusy] = useState(false);
  const [inFlight, setInFlight] = useState(0);
  const [answered, setAnswered] = useState(0);
  const calls = useRef(0);
  // Calls numbered up to this one were dropped, whichever answers are kept.
  const dropped = useRef(0);
  // The number of the call (or `show`) whose answer is on screen; with `newestAnswer`, older ones no longer count.
  const shown = useRef(0);
  const mounted = useMounted();

  // Numbers the call at once, so that `start` can give the number before the task answers.
  const launch = useCallback(
    (task: CommandTask<T>, quiet: boolean): { call: number; outcome: Promise<T | null> } => {
      calls.current += 1;
      const call = calls.current;
      const counts = () =>
        mounted() &&
        call > dropped.current &&
        (everyAnswer || (newestAnswer ? call > shown.current : call === calls.current));
      let settled = false;
      const live = () => !settled && counts();
      if (countCalls) setInFlight((n) => n + 1);
      if (!quiet) {
        setBusy(true);
        if (!keepErrorWhileBusy && !keepErrorUntilDismissed) setError(null);
      }
      const outcome = (async (): Promise<T | null> => {
        // Whether this call's outcome is kept, decided once it settles: keeping it changes `shown`.
        let kept = false;
        try {
          const answer = await task(live);
          settled = true;
          kept = counts();
          if (!kept) return null;
          shown.current = call;
          // As an updater: a `T` that is itself a function would otherwise be called by React.
          setData(() => answer);
          if (!quiet && keepErrorWhileBusy && !keepErrorUntilDismissed) setError(null);
          return answer;
        } catch (reason: unknown) {
          settled = true;
          kept = counts();
          if (quiet) throw toIpcError(reason);
          if (kept) setError(toIpcError(reason).view);
          return null;
        } finally {
          if (!quiet && kept) setBusy(false);
          if (countCalls && mounted()) {
            setInFlight((n) => Math.max(0, n - 1));
            setAnswered((n) => Math.max(n, call));
          }
        }
      })();
      return { call, outcome };
    },
    [mounted, everyAnswer, newestAnswer, keepErrorWhileBusy, keepErrorUntilDismissed, countCalls],
  );

  const run = useCallback(
    (task: CommandTask<T>, { quiet = false }: RunOptions = {}): Promise<T | null> => launch(task, quiet).outcome,
    [launch],
  );

  // Not quiet, so the outcome never rejects and nothing need wait for it.
  const start = useCallback((task: CommandTask<T>): number => launch(task, false).call, [launch]);

  const show = useCallback(
    (next: T | null) => {
      calls.current += 1;
      const call = calls.current;
      shown.current = call;
      setData(() => next);
      if (countCalls) setAnswered((n) => Math.max(n, call));
    },
    [countCalls],
  );

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

  return { data, error, busy, inFlight, answered, run, start, show, update, setError, dismissError, drop, reset };
}
