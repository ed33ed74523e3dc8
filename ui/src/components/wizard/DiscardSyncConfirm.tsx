import type { WriteView } from "../../bindings/WriteView";
import { confirmedCount, plural } from "../../format";
import type { InlineConfirm } from "../../hooks/useInlineConfirm";
import "./sync.css";

interface DiscardSyncConfirmProps {
  writes: WriteView[];
  questionId: string;
  confirm: InlineConfirm;
  /** Setting aside (or Refresh) runs: the answers wait. */
  busy: boolean;
  discarding: boolean;
  onDiscard: () => void;
}

/** The question before an unfinished sync is set aside: what stays in ConnectWise and what is not sent. */
export function DiscardSyncConfirm({ writes, questionId, confirm, busy, discarding, onDiscard }: DiscardSyncConfirmProps) {
  const confirmed = confirmedCount(writes);
  const notConfirmed = writes.length - confirmed;
  return (
    <div className="panel panel-warning sync-confirm" data-testid="sync-discard-confirm" role="alertdialog" aria-labelledby={questionId} onKeyDown={confirm.onKeyDown}>
      <span className="panel-title" id={questionId}>
        Set this sync aside?
      </span>
      <span className="panel-text">
        {confirmed > 0
          ? `${plural(confirmed, "write is", "writes are")} already in ConnectWise and stay${confirmed === 1 ? "s" : ""} there. `
          : "Nothing of it is in ConnectWise. "}
        {notConfirmed > 0 && `The ${plural(notConfirmed, "write", "writes")} not confirmed will not be sent. `}
        The agreement is read again and you review the task from what ConnectWise has now.
      </span>
      <button type="button" className="btn btn-small btn-danger" data-testid="sync-discard-yes" ref={confirm.confirmRef} disabled={busy} onClick={onDiscard}>
        {discarding ? "Setting aside…" : "Set aside"}
      </button>
      <button type="button" className="btn btn-small" data-testid="sync-discard-no" disabled={busy} onClick={confirm.cancel}>
        Keep it
      </button>
    </div>
  );
}
