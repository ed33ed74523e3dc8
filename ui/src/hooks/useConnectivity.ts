import { useCallback, useRef, useState } from "react";
import type { Connectivity } from "../bindings/Connectivity";
import type { ConnectivityView } from "../components/Header";
import { checkConnectivity, toIpcError } from "../ipc";

export interface ConnectivityState {
  connectivity: ConnectivityView;
  /** The services can't be reached (and no probe is running to say otherwise). */
  offline: boolean;
  /** Asks Rust whether the services answer now; only the latest probe's answer is shown. */
  probe: () => Promise<void>;
  /** Shows what another command found out (the status, a check that reached the services). */
  show: (value: Connectivity) => void;
  /** As `show`, unless Rust has not tried yet (`unknown`): then what is shown stays. */
  showKnown: (value: Connectivity) => void;
}

/** Whether the services answer, as the badge in the header shows it, and the probe that asks again. */
export function useConnectivity(): ConnectivityState {
  const [connectivity, setConnectivity] = useState<ConnectivityView>({ value: { state: "unknown" }, checking: false });

  // Only the latest probe counts (a profile switched meanwhile has its own).
  const probes = useRef(0);
  const probe = useCallback(async () => {
    probes.current += 1;
    const mine = probes.current;
    setConnectivity((c) => ({ ...c, checking: true }));
    let value: Connectivity;
    try {
      value = await checkConnectivity();
    } catch (reason: unknown) {
      value = { state: "offline", message: toIpcError(reason).message };
    }
    if (probes.current === mine) setConnectivity({ value, checking: false });
  }, []);

  const show = useCallback((value: Connectivity) => setConnectivity({ value, checking: false }), []);

  const showKnown = useCallback((value: Connectivity) => {
    if (value.state !== "unknown") setConnectivity({ value, checking: false });
  }, []);

  const offline = !connectivity.checking && connectivity.value.state === "offline";
  return { connectivity, offline, probe, show, showKnown };
}
