import { useCallback, useEffect, useRef, useState } from "react";
import type { ErrorView } from "../bindings/ErrorView";

export interface FirstCheckDays {
  /** The field as typed. */
  text: string;
  setText: (text: string) => void;
  /** Why what is typed can't be used, under the field. */
  error: string | null;
  /**
   * Saves what is typed, if it changed: a whole number, then Rust's own check (1–365). Resolves
   * with whether the first check may run with it; Check Changes runs only then.
   */
  save: () => Promise<boolean>;
}

/**
 * The first check's window as typed in the empty list ("the last [30] days"). It is saved on Enter,
 * when the field is left, and before Check Changes runs: a value that can't be used is said under the
 * field and no check runs (it would otherwise read the window saved before, silently).
 */
export function useFirstCheckDays(days: number | null, onChange: (days: number) => Promise<ErrorView | null>): FirstCheckDays {
  // What was typed since the window was last saved; until then the field shows the saved window.
  const [edited, setEdited] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const text = edited ?? (days === null ? "" : String(days));
  const textRef = useRef(text);
  textRef.current = text;
  // A window saved (or another profile's): the field shows it.
  useEffect(() => setEdited(null), [days]);

  const setText = useCallback((next: string) => {
    setEdited(next);
    setError(null);
  }, []);

  const save = useCallback(async (): Promise<boolean> => {
    const trimmed = textRef.current.trim();
    if (days !== null && trimmed === String(days)) {
      setError(null);
      return true;
    }
    if (!/^\d+$/.test(trimmed)) {
      setError("Enter a whole number of days.");
      return false;
    }
    const refused = await onChange(Number(trimmed));
    setError(refused?.message ?? null);
    return refused === null;
  }, [days, onChange]);

  return { text, setText, error, save };
}
