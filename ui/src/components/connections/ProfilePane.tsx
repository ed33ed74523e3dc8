import type { ReactNode } from "react";
import type { ErrorView } from "../../bindings/ErrorView";
import type { ProfileForm } from "../../bindings/ProfileForm";
import type { ProfilesView } from "../../bindings/ProfilesView";
import { DemoProfile } from "./DemoProfile";
import { ProfileEditor } from "./ProfileEditor";
import type { ProfileSelection } from "./useProfileSelection";
import { ErrorPanel } from "../ErrorPanel";
import "./connections.css";

interface ProfilePaneProps {
  profiles: ProfilesView;
  selected: ProfileSelection;
  /** Why no other profile can be opened now, if so. */
  switchBlocked: string | null;
  /** What only the open profile has (its health, its scheduled checks), in its pane when it is selected. */
  openProfile?: ReactNode;
  onDirtyChange: (dirty: boolean) => void;
  onSaved: (form: ProfileForm) => void;
  onUse: (id: string) => Promise<ErrorView | null>;
  onRemove: (id: string) => Promise<ErrorView | null>;
}

/** The right side of the Connections screen: Demo's explanation, the form of the selected profile, or why it can't be read yet. */
export function ProfilePane({ profiles, selected, switchBlocked, openProfile, onDirtyChange, onSaved, onUse, onRemove }: ProfilePaneProps) {
  const { selection, summary, loaded, loadError, editorKey } = selected;
  if (selection === null) return null;
  if (selection.kind === "profile" && summary?.demo === true) {
    const isOpen = summary.id === profiles.activeId;
    return (
      <DemoProfile key={editorKey} profile={summary} isOpen={isOpen} switchBlocked={switchBlocked} onUse={onUse} openProfile={isOpen ? openProfile : undefined} />
    );
  }
  if (selection.kind === "new" || loaded?.id === selection.id) {
    const form = selection.kind === "new" ? null : (loaded?.form ?? null);
    const isOpen = form !== null && form.id === profiles.activeId;
    return (
      <ProfileEditor
        key={editorKey}
        form={form}
        keyring={profiles.keyring}
        locked={profiles.problem !== null}
        isOpen={isOpen}
        switchBlocked={switchBlocked}
        openProfile={isOpen ? openProfile : undefined}
        onDirtyChange={onDirtyChange}
        onSaved={onSaved}
        onUse={onUse}
        onRemove={onRemove}
      />
    );
  }
  if (loadError !== null) {
    return (
      <ErrorPanel error={loadError} title="Couldn't read this profile" testId="profile-load-error" className="pane-message">
        <button type="button" className="btn btn-small" onClick={selected.retry}>
          Try again
        </button>
      </ErrorPanel>
    );
  }
  return (
    <p className="pane-loading" role="status">
      Reading the profile…
    </p>
  );
}
