import { useCallback } from "react";
import type { Connectivity } from "../bindings/Connectivity";
import type { ConnectivityView } from "../components/Header";
import { checkConnectivity, toIpcError } from "../ipc";
import { useCommand } from "./useCommand";

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

const NOT_ASKED: ConnectivityView = { value: { state: "unknown" }, checking: false };

/** Whether the services answer, as the badge in the header shows it, and the probe that asks again. */
export function useConnectivity(): ConnectivityState {
  // `checking` is kept with the answer rather than as `busy`: what another command found out ends it,
  // yet the probe still running must show its answer when it comes (`update` overtakes no call).
  const { data, run, update } = useCommand<ConnectivityView>();
  const connectivity = data ?? NOT_ASKED;

  // Only the latest probe counts (a profile switched meanwhile has its own).
  const probe = useCallback(async () => {
    update((c) => ({ ...(c ?? NOT_ASKED), checking: true }));
    // Quiet: a failure is shown as offline, a value like any other, never as an error.
    await run(
      async () => {
        let value: Connectivity;
        try {
          value = await checkConnectivity();
        } catch (reason: unknown) {
          value = { state: "offline", message: toIpcError(reason).message };
        }
        return { value, checking: false };
      },
      { quiet: true },
    );
  }, [run, update]);

  const show = useCallback((value: Connectivity) => update(() => ({ value, checking: false })), [update]);

  const showKnown = useCallback(
    (value: Connectivity) => {
      if (value.state !== "unknown") update(() => ({ value, checking: false }));
    },
    [update],
  );

  const offline = !connectivity.checking && connectivity.value.state === "offline";
  return { connectivity, offline, probe, show, showKnown };
}
