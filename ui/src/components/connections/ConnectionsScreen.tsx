// The Connections screen: the profiles on the left, the one selected on the right (Demo's
// explanation, or the form of a real profile), over the whole window.

import { useCallback, useEffect, useId, useRef, type ReactNode } from "react";
import type { ErrorView } from "../../bindings/ErrorView";
import type { ProfileForm } from "../../bindings/ProfileForm";
import type { ProfilesView } from "../../bindings/ProfilesView";
import { removeProfile, toIpcError } from "../../ipc";
import { ConnectionsHead } from "./ConnectionsHead";
import { DiscardChangesConfirm } from "./DiscardChangesConfirm";
import { ProfileList } from "./ProfileList";
import { ProfilePane } from "./ProfilePane";
import { ProfilesNotices } from "./ProfilesNotices";
import { ProfilesUnread } from "./ProfilesUnread";
import { useDialogEscape } from "./useDialogEscape";
import { useProfileSelection } from "./useProfileSelection";
import { useUnsavedGuard, type Leave } from "./useUnsavedGuard";
import "./connections.css";

interface ConnectionsScreenProps {
  /** `null` until read (or when it could not be: `profilesError`). */
  profiles: ProfilesView | null;
  profilesError: ErrorView | null;
  onReloadProfiles: () => void;
  /** The profiles as Rust answered a change. */
  onProfiles: (view: ProfilesView) => void;
  /** A profile was saved. */
  onSaved: (form: ProfileForm) => void;
  /** The open profile was removed: Rust opened Demo. */
  onOpenProfileRemoved: () => void;
  /** Opens a profile (the screen closes on success); resolves with the error when it could not. */
  onUse: (id: string) => Promise<ErrorView | null>;
  /** Why no other profile can be opened now, if so. */
  switchBlocked: string | null;
  /** What only the open profile has (its health, its scheduled checks), shown in its pane. */
  openProfile?: ReactNode;
  onClose: () => void;
}

/** The Connections screen over the window: the profile list, and the selected profile's pane. */
export function ConnectionsScreen({
  profiles,
  profilesError,
  onReloadProfiles,
  onProfiles,
  onSaved,
  onOpenProfileRemoved,
  onUse,
  switchBlocked,
  openProfile,
  onClose,
}: ConnectionsScreenProps) {
  const id = useId();
  const selected = useProfileSelection(profiles);
  const { selection, select, showSaved, showAfterRemove } = selected;
  const dialogRef = useRef<HTMLElement>(null);
  const titleRef = useRef<HTMLHeadingElement>(null);

  // The focus starts inside the screen (on the form's first field when a form opens at once).
  useEffect(() => {
    if (!(dialogRef.current?.contains(document.activeElement) ?? false)) titleRef.current?.focus();
  }, []);

  const leave = useCallback((to: Leave) => (to.kind === "close" ? onClose() : select(to.selection)), [onClose, select]);
  const guard = useUnsavedGuard(selection, leave);
  const { leaving, request, keepEditing, setDirty } = guard;

  // Escape: takes back the question on screen, else closes (asking first about unsaved changes).
  const onKeyDown = useDialogEscape(dialogRef, () => (leaving !== null ? keepEditing() : request({ kind: "close" })));

  const saved = useCallback(
    (form: ProfileForm) => {
      showSaved(form);
      onSaved(form);
    },
    [showSaved, onSaved],
  );

  const activeId = profiles?.activeId ?? null;
  const remove = useCallback(
    async (removedId: string): Promise<ErrorView | null> => {
      const wasOpen = activeId === removedId;
      let view: ProfilesView;
      try {
        view = await removeProfile(removedId);
      } catch (reason: unknown) {
        return toIpcError(reason).view;
      }
      onProfiles(view);
      if (wasOpen) onOpenProfileRemoved();
      setDirty(false);
      showAfterRemove(view);
      return null;
    },
    [activeId, onProfiles, onOpenProfileRemoved, setDirty, showAfterRemove],
  );

  return (
    <div className="connections-backdrop">
      <section
        className="sheet connections"
        ref={dialogRef}
        role="dialog"
        aria-modal="true"
        aria-labelledby={`${id}-title`}
        data-testid="connections"
        onKeyDown={onKeyDown}
      >
        <ConnectionsHead titleId={`${id}-title`} titleRef={titleRef} onClose={() => request({ kind: "close" })} />

        {leaving !== null && <DiscardChangesConfirm id={id} discardRef={guard.discardRef} onDiscard={() => guard.go(leaving)} onKeepEditing={keepEditing} />}

        {profiles !== null && <ProfilesNotices profiles={profiles} />}

        {profiles === null ? (
          <ProfilesUnread error={profilesError} onReload={onReloadProfiles} />
        ) : (
          <div className="connections-body">
            <ProfileList
              profiles={profiles.profiles}
              activeId={profiles.activeId}
              selection={selection}
              onSelect={(next) => request({ kind: "select", selection: next })}
              newDisabled={profiles.problem !== null ? "The saved profiles can't be read: no profile can be added" : null}
            />
            <div className="profile-pane">
              <ProfilePane
                profiles={profiles}
                selected={selected}
                switchBlocked={switchBlocked}
                openProfile={openProfile}
                onDirtyChange={setDirty}
                onSaved={saved}
                onUse={onUse}
                onRemove={remove}
              />
            </div>
          </div>
        )}
      </section>
    </div>
  );
}
