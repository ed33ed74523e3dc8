import { useEffect } from "react";
import type { AppStatus } from "../bindings/AppStatus";
import type { Connectivity } from "../bindings/Connectivity";

interface WindowStartDeps {
  reloadProfiles: () => Promise<void>;
  reloadInterrupted: () => Promise<void>;
  reloadStatus: () => Promise<AppStatus | null>;
  showConnectivity: (value: Connectivity) => void;
  probeConnectivity: () => Promise<void>;
}

/** Start: show the cache at once, then find out in the background whether the services answer. */
export function useWindowStart({ reloadProfiles, reloadInterrupted, reloadStatus, showConnectivity, probeConnectivity }: WindowStartDeps): void {
  useEffect(() => {
    let cancelled = false;
    void reloadProfiles();
    void reloadInterrupted();
    void (async () => {
      const first = await reloadStatus();
      if (cancelled) return;
      if (first !== null) showConnectivity(first.connectivity);
      await probeConnectivity();
    })();
    return () => {
      cancelled = true;
    };
  }, [reloadStatus, probeConnectivity, reloadProfiles, showConnectivity, reloadInterrupted]);
}
