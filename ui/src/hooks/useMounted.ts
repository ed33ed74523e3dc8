import { useCallback, useEffect, useRef } from "react";

/**
 * Whether the component is still on screen. An answer that arrives after it has gone has no one
 * to show it to, and a callback it was given (re-read the list) must not run for it.
 */
export function useMounted(): () => boolean {
  const mounted = useRef(true);

  useEffect(() => {
    // Set again on mount: React may mount, unmount and mount the same component (Strict Mode).
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  return useCallback(() => mounted.current, []);
}
