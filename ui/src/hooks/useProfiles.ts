import { useCallback, useRef } from "react";
import type { ErrorView } from "../bindings/ErrorView";
import type { ProfilesView } from "../bindings/ProfilesView";
import { listProfiles } from "../ipc";
import { useCommand } from "./useCommand";

export interface Profiles {
  /** The saved profiles and which is open; `null` until read. */
  profiles: ProfilesView | null;
  /** Why the profiles could not be read, for the Connections screen. */
  error: ErrorView | null;
  reload: () => Promise<void>;
  /** Shows the list another command returned (a save, a removal). */
  show: (view: ProfilesView) => void;
  /** Marks `id` as the open profile before the list is read again (a switch). */
  markOpen: (id: string) => void;
  /** Whether `id` is the open profile, as the list last said. */
  isOpen: (id: string) => boolean;
}

/** The saved connection profiles (`list_profiles`), as the header and the Connections screen show them. */
export function useProfiles(): Profiles {
  // Every answer is shown as it arrives, and the error stays until a read succeeds.
  const { data: profiles, error, run, show: showData, update, dismissError } = useCommand<ProfilesView>({ keepErrorWhileBusy: true, everyAnswer: true });
  const profilesRef = useRef(profiles);
  profilesRef.current = profiles;

  const reload = useCallback(async () => {
    await run(() => listProfiles());
  }, [run]);

  const show = useCallback(
    (view: ProfilesView) => {
      showData(view);
      dismissError();
    },
    [showData, dismissError],
  );

  const markOpen = useCallback((id: string) => update((p) => (p === null ? p : { ...p, activeId: id })), [update]);

  const isOpen = useCallback((id: string) => id === profilesRef.current?.activeId, []);

  return { profiles, error, reload, show, markOpen, isOpen };
}
