// The form of one real profile (or a new one): its name, its ConnectWise and Cloud Marketplace
// settings with Test connection for each, then Save, Use this profile and Remove profile.
//
// Laid out as a column: the head, the body that scrolls (every field is in it), the messages, then
// the foot. The foot is below the body, not over it, so it never covers a field.

import type { ReactNode } from "react";
import type { ErrorView } from "../../bindings/ErrorView";
import type { KeyringState } from "../../bindings/KeyringState";
import type { ProfileForm } from "../../bindings/ProfileForm";
import { useBusyAction } from "../../hooks/useBusyAction";
import { useInlineConfirm } from "../../hooks/useInlineConfirm";
import { ProfileEditorFoot } from "./ProfileEditorFoot";
import { ProfileEditorHead } from "./ProfileEditorHead";
import { ProfileEditorMessages, type ProfileAction } from "./ProfileEditorMessages";
import { ProfileFormBody } from "./ProfileFormBody";
import { useProfileEditor } from "./useProfileEditor";
import "./connections.css";
import "./form.css";

interface ProfileEditorProps {
  /** The saved profile, or `null` for a new one. */
  form: ProfileForm | null;
  keyring: KeyringState;
  /** The saved profiles can't be read: nothing can be saved or removed. */
  locked: boolean;
  /** This is the profile the window has open. */
  isOpen: boolean;
  /** Why no other profile can be opened now, if so. */
  switchBlocked: string | null;
  /** Its health and scheduled checks, while it is the open profile: at the top of the form's body. */
  openProfile?: ReactNode;
  onDirtyChange: (dirty: boolean) => void;
  onSaved: (form: ProfileForm) => void;
  /** Opens the profile; resolves with the error when it could not. */
  onUse: (id: string) => Promise<ErrorView | null>;
  /** Removes the profile; resolves with the error when it could not. */
  onRemove: (id: string) => Promise<ErrorView | null>;
}

/** The form of one real profile, or of a new one. */
export function ProfileEditor({ form, keyring, locked, isOpen, switchBlocked, openProfile, onDirtyChange, onSaved, onUse, onRemove }: ProfileEditorProps) {
  const editor = useProfileEditor(form, keyring, onDirtyChange, onSaved);
  const { id, profile, save } = editor;
  const actions = useBusyAction<ProfileAction>();
  const confirm = useInlineConfirm();
  const saved = profile.saved;
  const savedId = saved?.id ?? null;

  // On success the screen moves on (closes, or shows another profile).
  const act = (which: ProfileAction, action: (id: string) => Promise<ErrorView | null>) => {
    if (savedId === null) return;
    void actions.run(which, () => action(savedId));
  };

  return (
    <div className="profile-editor" ref={editor.rootRef} data-testid="profile-form" data-profile-id={savedId ?? ""}>
      <ProfileEditorHead saved={saved} isOpen={isOpen} />

      <ProfileFormBody editor={editor} before={openProfile} />

      <ProfileEditorMessages
        saveError={save.saveError}
        saveErrorId={editor.errorIds.save}
        onDismissSaveError={save.dismissSaveError}
        actions={actions}
        confirm={confirm}
        profileName={saved?.name ?? null}
        questionId={`${id}-remove-question`}
        busy={actions.busy !== null || save.saving}
        onRemove={() => act("remove", onRemove)}
      />

      <ProfileEditorFoot
        isSaved={saved !== null}
        isOpen={isOpen}
        locked={locked}
        dirty={profile.dirty}
        saving={save.saving}
        testing={editor.testing}
        savedNote={save.savedNote}
        useDisabledReason={profile.dirty ? "Save your changes first" : switchBlocked}
        busy={actions.busy}
        confirming={confirm.confirming}
        removeRef={confirm.askRef}
        onSave={() => void save.save()}
        onUse={() => act("use", onUse)}
        onAskRemove={confirm.ask}
      />
    </div>
  );
}
