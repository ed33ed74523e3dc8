import { useCallback, useRef, useState } from "react";
import type { ErrorView } from "../bindings/ErrorView";
import type { ProfilesView } from "../bindings/ProfilesView";
import { listProfiles, toIpcError } from "../ipc";

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
  const [profiles, setProfiles] = useState<ProfilesView | null>(null);
  const [error, setError] = useState<ErrorView | null>(null);
  const profilesRef = useRef(profiles);
  profilesRef.current = profiles;

  const reload = useCallback(async () => {
    try {
      setProfiles(await listProfiles());
      setError(null);
    } catch (reason: unknown) {
      setError(toIpcError(reason).view);
    }
  }, []);

  const show = useCallback((view: ProfilesView) => {
    setProfiles(view);
    setError(null);
  }, []);

  const markOpen = useCallback((id: string) => setProfiles((p) => (p === null ? p : { ...p, activeId: id })), []);

  const isOpen = useCallback((id: string) => id === profilesRef.current?.activeId, []);

  return { profiles, error, reload, show, markOpen, isOpen };
}
