import type { RefObject } from "react";
import type { ProfileAction } from "./ProfileEditorMessages";
import "./connections.css";

interface ProfileEditorFootProps {
  /** The profile is saved (not a new one). */
  isSaved: boolean;
  isOpen: boolean;
  locked: boolean;
  dirty: boolean;
  saving: boolean;
  /** A Test connection runs: Save waits. */
  testing: boolean;
  savedNote: boolean;
  /** Why Use this profile can't be clicked now, if so. */
  useDisabledReason: string | null;
  /** Use or Remove runs now. */
  busy: ProfileAction | null;
  /** The question before Remove is on screen. */
  confirming: boolean;
  removeRef: RefObject<HTMLButtonElement | null>;
  onSave: () => void;
  onUse: () => void;
  onAskRemove: () => void;
}

/** The profile form's foot, below its scrolling body (never over it): Save and its state, Use this profile, Remove profile. */
export function ProfileEditorFoot({
  isSaved,
  isOpen,
  locked,
  dirty,
  saving,
  testing,
  savedNote,
  useDisabledReason,
  busy,
  confirming,
  removeRef,
  onSave,
  onUse,
  onAskRemove,
}: ProfileEditorFootProps) {
  const actionBusy = busy !== null || saving;
  return (
    <footer className="sheet-foot pane-foot">
      <button
        type="button"
        className="btn btn-primary"
        data-testid="save-profile"
        onClick={onSave}
        disabled={saving || locked || testing || (isSaved && !dirty)}
        aria-busy={saving}
        title={locked ? "The saved profiles can't be read: nothing can be saved" : isSaved && !dirty ? "No changes to save" : undefined}
      >
        {saving && <span className="spinner" aria-hidden="true" />}
        {saving ? "Saving…" : "Save"}
      </button>
      {savedNote && (
        <span className="save-status" data-testid="save-status" role="status">
          Saved
        </span>
      )}
      {!savedNote && dirty && (
        <span className="unsaved-note" data-testid="unsaved-note">
          Unsaved changes
        </span>
      )}
      <span className="sheet-foot-spacer" />
      {isSaved && !isOpen && (
        <>
          {useDisabledReason !== null && (
            <span className="hint" data-testid="use-profile-hint">
              {useDisabledReason}
            </span>
          )}
          <button type="button" className="btn" data-testid="use-profile" onClick={onUse} disabled={useDisabledReason !== null || actionBusy}>
            {busy === "use" ? "Opening…" : "Use this profile"}
          </button>
        </>
      )}
      {isSaved && (
        <button
          type="button"
          className="btn btn-ghost btn-danger-text"
          data-testid="remove-profile"
          ref={removeRef}
          onClick={onAskRemove}
          disabled={locked || actionBusy || confirming}
          title={locked ? "The saved profiles can't be read: nothing can be removed" : undefined}
        >
          Remove profile
        </button>
      )}
    </footer>
  );
}
