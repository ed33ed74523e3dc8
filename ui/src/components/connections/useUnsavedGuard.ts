import { useCallback, useEffect, useRef, useState, type RefObject } from "react";
import type { Selection } from "./ProfileList";

/** Where the user asked to go while the form had unsaved changes. */
export type Leave = { kind: "close" } | { kind: "select"; selection: Selection };

function sameSelection(a: Selection | null, b: Selection): boolean {
  if (a === null || a.kind !== b.kind) return false;
  return a.kind === "new" || (b.kind === "profile" && a.id === b.id);
}

export interface UnsavedGuard {
  /** The form on screen has unsaved changes. */
  setDirty: (dirty: boolean) => void;
  /** Where the user asked to go, while Discard unsaved changes? is asked. */
  leaving: Leave | null;
  /** The user asks to close or to select another profile: asked first when there are unsaved changes. */
  request: (to: Leave) => void;
  /** Goes, unsaved changes or not (Discard). */
  go: (to: Leave) => void;
  /** Takes the question back; the focus returns where it was. */
  keepEditing: () => void;
  /** Discard: it takes the focus when the question appears. */
  discardRef: RefObject<HTMLButtonElement | null>;
}

/** Leaving a profile form with unsaved changes (Close, or another profile): asks first; `leave` goes once it may. */
export function useUnsavedGuard(selection: Selection | null, leave: (to: Leave) => void): UnsavedGuard {
  const [dirty, setDirty] = useState(false);
  const [leaving, setLeaving] = useState<Leave | null>(null);
  const discardRef = useRef<HTMLButtonElement>(null);
  const askedFrom = useRef<HTMLElement | null>(null);

  const go = useCallback(
    (to: Leave) => {
      setLeaving(null);
      setDirty(false);
      leave(to);
    },
    [leave],
  );

  const request = useCallback(
    (to: Leave) => {
      if (to.kind === "select" && sameSelection(selection, to.selection)) return;
      if (!dirty) {
        go(to);
        return;
      }
      askedFrom.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      setLeaving(to);
    },
    [dirty, go, selection],
  );

  const keepEditing = useCallback(() => {
    setLeaving(null);
    const from = askedFrom.current;
    askedFrom.current = null;
    if (from !== null && from.isConnected) from.focus();
  }, []);

  useEffect(() => {
    if (leaving !== null) discardRef.current?.focus();
  }, [leaving]);

  return { setDirty, leaving, request, go, keepEditing, discardRef };
}
