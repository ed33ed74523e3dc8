import { useEffect, useRef, useState } from "react";
import type { HealthView } from "../bindings/HealthView";
import { health } from "../ipc";
import { useMounted } from "./useMounted";

/**
 * The services' health as the status said it, read again (`health`) when it comes on screen: the
 * answer is shown until a newer status brings its own.
 */
export function useFreshHealth(fromStatus: HealthView): HealthView {
  const [fresh, setFresh] = useState<{ over: HealthView; view: HealthView } | null>(null);
  const shown = useRef(fromStatus);
  shown.current = fromStatus;
  const mounted = useMounted();

  useEffect(() => {
    const over = shown.current;
    health().then(
      (view) => {
        if (mounted()) setFresh({ over, view });
      },
      () => {
        // Not read again: the status's health stays on screen.
      },
    );
  }, [mounted]);

  return fresh !== null && fresh.over === fromStatus ? fresh.view : fromStatus;
}
