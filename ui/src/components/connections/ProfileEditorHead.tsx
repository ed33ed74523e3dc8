import type { ProfileForm } from "../../bindings/ProfileForm";
import "./connections.css";

/** The head of the profile form: the profile's name (or "New profile"), and whether the window has it open. */
export function ProfileEditorHead({ saved, isOpen }: { saved: ProfileForm | null; isOpen: boolean }) {
  return (
    <header className="pane-head">
      <h3 className="pane-title" data-testid="profile-title">
        {saved === null ? "New profile" : saved.name}
      </h3>
      {isOpen && (
        <span className="badge badge-open" title="The window shows this profile's tasks">
          Open
        </span>
      )}
      {saved === null && <span className="muted">Not saved yet</span>}
    </header>
  );
}
