import type { ErrorView } from "../../bindings/ErrorView";
import type { BusyAction } from "../../hooks/useBusyAction";
import type { InlineConfirm } from "../../hooks/useInlineConfirm";
import "./connections.css";

/** Use this profile and Remove profile: the actions that leave the form when they succeed. */
export type ProfileAction = "use" | "remove";

interface ProfileEditorMessagesProps {
  saveError: ErrorView | null;
  saveErrorId: string;
  onDismissSaveError: () => void;
  actions: BusyAction<ProfileAction>;
  /** The question before Remove profile; `profileName` is `null` for a profile not saved yet. */
  confirm: InlineConfirm;
  profileName: string | null;
  questionId: string;
  /** Save, Use or Remove runs: the answers wait. */
  busy: boolean;
  onRemove: () => void;
}

/** The messages between the form and its foot: why Save, Use or Remove failed, and the question before Remove. */
export function ProfileEditorMessages({
  saveError,
  saveErrorId,
  onDismissSaveError,
  actions,
  confirm,
  profileName,
  questionId,
  busy,
  onRemove,
}: ProfileEditorMessagesProps) {
  const failed = actions.failed;
  return (
    <>
      {saveError !== null && (
        <div className="panel panel-error pane-message" id={saveErrorId} data-testid="save-error" role="alert" data-code={saveError.code}>
          <span className="panel-title">Not saved</span>
          <span className="panel-text">{saveError.message}</span>
          <button type="button" className="btn-icon" onClick={onDismissSaveError} aria-label="Dismiss error">
            ×
          </button>
        </div>
      )}

      {failed !== null && (
        <div className="panel panel-error pane-message" data-testid={`${failed.which}-error`} role="alert" data-code={failed.error.code}>
          <span className="panel-title">{failed.which === "use" ? "Couldn't open this profile" : "Couldn't remove this profile"}</span>
          <span className="panel-text">{failed.error.message}</span>
          <button type="button" className="btn-icon" onClick={actions.dismiss} aria-label="Dismiss error">
            ×
          </button>
        </div>
      )}

      {confirm.confirming && profileName !== null && (
        <div className="panel panel-warning pane-message" data-testid="remove-confirm" role="alertdialog" aria-labelledby={questionId} onKeyDown={confirm.onKeyDown}>
          <span className="panel-text" id={questionId}>
            Remove {profileName}? Its cached tasks and its credentials in the keyring are deleted. This cannot be undone.
          </span>
          <button type="button" className="btn btn-small btn-danger" data-testid="confirm-remove" ref={confirm.confirmRef} disabled={busy} onClick={onRemove}>
            {actions.busy === "remove" ? "Removing…" : "Remove"}
          </button>
          <button type="button" className="btn btn-small" data-testid="cancel-remove" disabled={busy} onClick={confirm.cancel}>
            Keep it
          </button>
        </div>
      )}
    </>
  );
}
