import { useCallback, useEffect, useRef, useState, type KeyboardEvent, type RefObject } from "react";

export interface InlineConfirm {
  /** The question is on screen. */
  confirming: boolean;
  ask: () => void;
  /** Takes the question back (Keep it, or Escape). */
  cancel: () => void;
  /** The button that asks: the focus returns to it when the question is taken back. */
  askRef: RefObject<HTMLButtonElement | null>;
  /** The button that answers yes: it takes the focus when the question appears. */
  confirmRef: RefObject<HTMLButtonElement | null>;
  /** For the question's panel: Escape takes the question back. */
  onKeyDown: (event: KeyboardEvent) => void;
}

/** A question asked inside the screen before what can't be undone: it takes the focus, and gives it back to the button that asked. */
export function useInlineConfirm(): InlineConfirm {
  const [confirming, setConfirming] = useState(false);
  const askRef = useRef<HTMLButtonElement>(null);
  const confirmRef = useRef<HTMLButtonElement>(null);

  const wasConfirming = useRef(false);
  useEffect(() => {
    if (confirming) confirmRef.current?.focus();
    else if (wasConfirming.current) askRef.current?.focus();
    wasConfirming.current = confirming;
  }, [confirming]);

  const ask = useCallback(() => setConfirming(true), []);
  const cancel = useCallback(() => setConfirming(false), []);
  const onKeyDown = useCallback((event: KeyboardEvent) => {
    if (event.key === "Escape") {
      event.preventDefault();
      setConfirming(false);
    }
  }, []);

  return { confirming, ask, cancel, askRef, confirmRef, onKeyDown };
}
