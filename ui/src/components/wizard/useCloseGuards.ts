import { useEffect } from "react";

/** How the wizard is left: Escape closes it, except while a sync runs; closing the window mid-sync asks first. */
export function useCloseGuards(running: boolean, onClose: () => void) {
  // Fields that use Escape themselves mark it as handled. A running sync must not be left by accident.
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== "Escape" || event.defaultPrevented) return;
      event.preventDefault();
      if (running) return;
      onClose();
    };
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  }, [onClose, running]);

  // The sync itself would be resumed on the next start.
  useEffect(() => {
    if (!running) return;
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      event.preventDefault();
    };
    window.addEventListener("beforeunload", onBeforeUnload);
    return () => window.removeEventListener("beforeunload", onBeforeUnload);
  }, [running]);
}
