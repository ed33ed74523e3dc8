import { useCallback, useState } from "react";
import type { AppStatus } from "../bindings/AppStatus";
import type { ErrorView } from "../bindings/ErrorView";
import { switchProfile, toIpcError } from "../ipc";
import type { Profiles } from "./useProfiles";

interface ProfileSwitchDeps {
  profiles: Pick<Profiles, "reload" | "markOpen">;
  /** The window starts over on the profile now open, whose status this is. */
  startOver: (next: AppStatus) => void;
  /** Reads the status of the profile Rust has open (`null` when that failed, which it shows). */
  readStatus: () => Promise<AppStatus | null>;
}

export interface ProfileSwitch {
  /** A switch is running. */
  switching: boolean;
  /** Why the last switch from the header failed, for the window's error banner. */
  error: ErrorView | null;
  dismissError: () => void;
  /** Opens profile `id`; Rust's refusal, if any, for the caller to show. */
  switchTo: (id: string) => Promise<ErrorView | null>;
  /** The header's profile menu: as `switchTo`, its refusal in the banner. */
  switchFromHeader: (id: string) => void;
  /** The open profile was removed and Rust opened another: the window starts over on that one. */
  followRemoval: () => void;
}

/** Opening another profile (`switch_profile`), after which the window starts over on it. */
export function useProfileSwitch({ profiles, startOver, readStatus }: ProfileSwitchDeps): ProfileSwitch {
  const [switching, setSwitching] = useState(false);
  const [error, setError] = useState<ErrorView | null>(null);
  const { reload: reloadProfiles, markOpen } = profiles;

  const switchTo = useCallback(
    async (id: string): Promise<ErrorView | null> => {
      setSwitching(true);
      setError(null);
      try {
        const next = await switchProfile(id);
        markOpen(id);
        setError(null);
        startOver(next);
        void reloadProfiles();
        return null;
      } catch (reason: unknown) {
        return toIpcError(reason).view;
      } finally {
        setSwitching(false);
      }
    },
    [markOpen, startOver, reloadProfiles],
  );

  const switchFromHeader = useCallback(
    (id: string) => {
      void switchTo(id).then((failure) => setError(failure));
    },
    [switchTo],
  );

  const followRemoval = useCallback(() => {
    void (async () => {
      const next = await readStatus();
      if (next === null) return;
      setError(null);
      startOver(next);
    })();
  }, [readStatus, startOver]);

  const dismissError = useCallback(() => setError(null), []);

  return { switching, error, dismissError, switchTo, switchFromHeader, followRemoval };
}
