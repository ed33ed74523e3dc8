import { useEffect, useRef, type KeyboardEvent as ReactKeyboardEvent, type RefObject } from "react";

/** Escape in a dialog over the window, also when the focus is on the page itself; answers the dialog's own key handler. */
export function useDialogEscape(dialogRef: RefObject<HTMLElement | null>, onEscape: () => void): (event: ReactKeyboardEvent) => void {
  const onEscapeRef = useRef(onEscape);
  onEscapeRef.current = onEscape;

  // With the focus nowhere in particular (the page itself), the key is taken before the window's other
  // listeners (the wizard behind) see it. Fields that use Escape themselves mark it as handled.
  useEffect(() => {
    const onWindowKeyDown = (event: KeyboardEvent) => {
      if (event.key !== "Escape" || event.defaultPrevented) return;
      if (event.target instanceof Node && (dialogRef.current?.contains(event.target) ?? false)) return;
      event.preventDefault();
      onEscapeRef.current();
    };
    window.addEventListener("keydown", onWindowKeyDown, true);
    return () => window.removeEventListener("keydown", onWindowKeyDown, true);
  }, [dialogRef]);

  return (event: ReactKeyboardEvent) => {
    if (event.key !== "Escape" || event.defaultPrevented) return;
    event.preventDefault();
    onEscape();
  };
}
