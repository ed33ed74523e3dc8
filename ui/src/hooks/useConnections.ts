import { useCallback, useEffect, useRef, useState, type RefObject } from "react";
import type { ErrorView } from "../bindings/ErrorView";

export interface Connections {
  /** The Connections screen covers the window. */
  isOpen: boolean;
  /** Opens it (the profiles are read again); the focus comes back to what had it when it closes. */
  open: () => void;
  close: () => void;
  /** Use this profile: the window starts over on it and Connections closes; a refusal stays on the screen. */
  use: (id: string) => Promise<ErrorView | null>;
}

/**
 * The Connections screen over the window: opening, closing and Use this profile. On close the focus
 * goes back to what had it when the screen opened, or to the list if that is gone.
 */
export function useConnections(
  reloadProfiles: () => Promise<void>,
  switchTo: (id: string) => Promise<ErrorView | null>,
  listRef: RefObject<HTMLElement | null>,
): Connections {
  const [isOpen, setIsOpen] = useState(false);
  /** What had the focus when Connections opened: it gets it back on close. */
  const opener = useRef<HTMLElement | null>(null);

  const open = useCallback(() => {
    opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    setIsOpen(true);
    void reloadProfiles();
  }, [reloadProfiles]);

  const close = useCallback(() => {
    setIsOpen(false);
    void reloadProfiles();
  }, [reloadProfiles]);

  const wasOpen = useRef(false);
  useEffect(() => {
    if (wasOpen.current && !isOpen) {
      const focused = opener.current;
      opener.current = null;
      if (focused !== null && focused.isConnected) focused.focus();
      else listRef.current?.focus({ preventScroll: true });
    }
    wasOpen.current = isOpen;
  }, [isOpen, listRef]);

  // The list is re-read by the switch.
  const use = useCallback(
    async (id: string): Promise<ErrorView | null> => {
      const error = await switchTo(id);
      if (error === null) setIsOpen(false);
      return error;
    },
    [switchTo],
  );

  return { isOpen, open, close, use };
}
