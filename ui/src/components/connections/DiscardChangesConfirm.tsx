import type { RefObject } from "react";
import "./connections.css";

interface DiscardChangesConfirmProps {
  /** The base of the question's ids. */
  id: string;
  discardRef: RefObject<HTMLButtonElement | null>;
  onDiscard: () => void;
  onKeepEditing: () => void;
}

/** The question before unsaved changes of a profile are left behind (closing, or selecting another profile). */
export function DiscardChangesConfirm({ id, discardRef, onDiscard, onKeepEditing }: DiscardChangesConfirmProps) {
  return (
    <div
      className="panel panel-warning connections-message"
      data-testid="discard-confirm"
      role="alertdialog"
      aria-labelledby={`${id}-discard`}
      aria-describedby={`${id}-discard-text`}
    >
      <span className="panel-title" id={`${id}-discard`}>
        Discard unsaved changes?
      </span>
      <span className="panel-text" id={`${id}-discard-text`}>
        The changes made to this profile are not saved.
      </span>
      <button type="button" className="btn btn-small btn-danger" data-testid="discard-changes" ref={discardRef} onClick={onDiscard}>
        Discard
      </button>
      <button type="button" className="btn btn-small" data-testid="keep-editing" onClick={onKeepEditing}>
        Keep editing
      </button>
    </div>
  );
}
