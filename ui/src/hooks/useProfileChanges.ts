import { useCallback, type RefObject } from "react";
import type { AppStatus } from "../bindings/AppStatus";
import type { ProfileForm } from "../bindings/ProfileForm";
import type { AppStatusState } from "./useAppStatus";
import { useConnections, type Connections } from "./useConnections";
import { useProfileSwitch, type ProfileSwitch } from "./useProfileSwitch";
import type { Profiles } from "./useProfiles";

interface ProfileChangesDeps {
  profiles: Profiles;
  appStatus: Pick<AppStatusState, "read" | "reload">;
  probeConnectivity: () => Promise<void>;
  /** The window starts over on the profile now open, whose status this is. */
  startOver: (next: AppStatus) => void;
  listRef: RefObject<HTMLElement | null>;
}

export interface ProfileChanges {
  switcher: ProfileSwitch;
  connections: Connections;
  /** A profile was saved on the Connections screen. */
  onProfileSaved: (form: ProfileForm) => void;
}

/** Another profile opened (from the header or Connections), and the open profile's settings changed. */
export function useProfileChanges({ profiles, appStatus, probeConnectivity, startOver, listRef }: ProfileChangesDeps): ProfileChanges {
  const { reload: reloadProfiles, isOpen: isOpenProfile } = profiles;
  const { reload: reloadStatus } = appStatus;
  const switcher = useProfileSwitch({ profiles, startOver, readStatus: appStatus.read });
  const connections = useConnections(reloadProfiles, switcher.switchTo, listRef);

  // The open profile's settings changed: its name and whether it can connect.
  const onProfileSaved = useCallback(
    (form: ProfileForm) => {
      void reloadProfiles();
      if (!isOpenProfile(form.id)) return;
      void (async () => {
        await reloadStatus();
        await probeConnectivity();
      })();
    },
    [reloadProfiles, isOpenProfile, reloadStatus, probeConnectivity],
  );

  return { switcher, connections, onProfileSaved };
}
