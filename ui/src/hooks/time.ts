import { useCallback, useEffect, useMemo, useRef, useState } from "react";

/**
 * The current time by the app's clock — the window's moved by `offsetMs` (the app's clock can be
 * pinned to another day) — re-read every `intervalMs` so relative ages ("12 min ago") stay true.
 */
export function useNow(intervalMs = 30_000, offsetMs = 0): Date {
  const [now, setNow] = useState(() => new Date(Date.now() + offsetMs));
  useEffect(() => {
    setNow(new Date(Date.now() + offsetMs));
    const timer = window.setInterval(() => setNow(new Date(Date.now() + offsetMs)), intervalMs);
    return () => window.clearInterval(timer);
  }, [intervalMs, offsetMs]);
  return now;
}

/**
 * How far the app's clock (`appNow`, ISO-8601, as the app last said it) is from the window's,
 * in whole seconds' worth of milliseconds so that the moment of asking does not jitter it.
 */
export function clockOffset(appNow: string | undefined): number {
  if (appNow === undefined) return 0;
  const app = Date.parse(appNow);
  if (Number.isNaN(app)) return 0;
  const offset = app - Date.now();
  // Under a minute apart is the same clock (the answer took a moment to arrive).
  return Math.abs(offset) < 60_000 ? 0 : Math.round(offset / 60_000) * 60_000;
}

/** `value`, once it has stopped changing for `delayMs`. */
export function useDebouncedValue<T>(value: T, delayMs: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = window.setTimeout(() => setSettled(value), delayMs);
    return () => window.clearTimeout(timer);
  }, [value, delayMs]);
  return settled;
}

/**
 * A function that runs `fn` at most once per `intervalMs`: the first call runs at once, calls during
 * the interval collapse into one trailing run at its end. `flush()` runs a pending call now.
 */
export function useThrottledCallback(fn: () => void, intervalMs: number): { call: () => void; flush: () => void } {
  const fnRef = useRef(fn);
  fnRef.current = fn;
  const lastRun = useRef(Number.NEGATIVE_INFINITY);
  const timer = useRef<number | null>(null);

  const run = useCallback(() => {
    if (timer.current !== null) {
      window.clearTimeout(timer.current);
      timer.current = null;
    }
    lastRun.current = Date.now();
    fnRef.current();
  }, []);

  const call = useCallback(() => {
    const wait = lastRun.current + intervalMs - Date.now();
    if (wait <= 0) run();
    else if (timer.current === null) timer.current = window.setTimeout(run, wait);
  }, [intervalMs, run]);

  const flush = useCallback(() => {
    if (timer.current !== null) run();
  }, [run]);

  useEffect(
    () => () => {
      if (timer.current !== null) window.clearTimeout(timer.current);
    },
    [],
  );

  return useMemo(() => ({ call, flush }), [call, flush]);
}
