import type { ErrorView } from "../../bindings/ErrorView";
import type { BusyAction } from "../../hooks/useBusyAction";
import type { InlineConfirm } from "../../hooks/useInlineConfirm";
import { ErrorPanel } from "../ErrorPanel";
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
        <ErrorPanel
          error={saveError}
          title="Not saved"
          testId="save-error"
          className="pane-message"
          id={saveErrorId}
          onDismiss={onDismissSaveError}
          dismissLabel="Dismiss error"
        />
      )}

      {failed !== null && (
        <ErrorPanel
          error={failed.error}
          title={failed.which === "use" ? "Couldn't open this profile" : "Couldn't remove this profile"}
          testId={`${failed.which}-error`}
          className="pane-message"
          onDismiss={actions.dismiss}
          dismissLabel="Dismiss error"
        />
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
