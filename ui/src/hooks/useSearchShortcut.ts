import { useEffect, useRef, type RefObject } from "react";

function isEditable(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName);
}

/**
 * `/` or Ctrl+F (⌘F) anywhere in the window focuses the search and selects its text — `/` only when
 * the user isn't typing in a field. Nothing happens while `off` (a wizard or a screen covers the list).
 */
export function useSearchShortcut(searchRef: RefObject<HTMLInputElement | null>, off: boolean): void {
  const offRef = useRef(off);
  offRef.current = off;

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (offRef.current) return;
      const ctrlF = (event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === "f";
      const slash = event.key === "/" && !event.ctrlKey && !event.metaKey && !event.altKey && !isEditable(event.target);
      if (ctrlF || slash) {
        event.preventDefault();
        searchRef.current?.focus();
        searchRef.current?.select();
      }
    };
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  }, [searchRef]);
}
