import type { RefObject } from "react";
import type { TaskRow } from "../../bindings/TaskRow";
import type { WizardView } from "../../bindings/WizardView";
import { TASK_TYPE_LABELS, connectwiseAgeText, formatDateTime } from "../../format";
import { isRow, type TaskRef } from "./wizardTask";
import "./wizard.css";

interface WizardHeaderProps {
  /** The task as the list shows it (the header, until the wizard has opened). */
  task: TaskRow | TaskRef;
  view: WizardView | null;
  now: Date;
  /** The steps are on screen: the draft's state is shown. */
  reviewing: boolean;
  /** Edits are on their way to Rust. */
  saving: boolean;
  /** A sync runs: the wizard can't be closed. */
  running: boolean;
  onClose: () => void;
  /** The close button's words: where it goes ("Back to tasks"). */
  backLabel: string;
  titleRef: RefObject<HTMLHeadingElement | null>;
}

/** The wizard's head: which task (customer, order, date), how old the ConnectWise data is, the draft's state, and the way back. */
export function WizardHeader({ task, view, now, reviewing, saving, running, onClose, backLabel, titleRef }: WizardHeaderProps) {
  const shown: TaskRow | null = view?.task ?? (isRow(task) ? task : null);
  const fetchedAt = view?.connectwiseFetchedAt ?? null;
  return (
    <header className="sheet-head wizard-head">
      <div className="sheet-heading">
        <h2 id="wizard-title" className="sheet-title wizard-title" ref={titleRef} tabIndex={-1}>
          {shown === null ? (
            isRow(task) ? "" : task.label
          ) : (
            <>
              {shown.customerName} <span className="mono muted">{shown.customerId}</span>
            </>
          )}
        </h2>
        {shown !== null && (
          <div className="sheet-subtitle wizard-meta">
            <span>{TASK_TYPE_LABELS[shown.taskType]}</span>
            <span>
              Order <span className="mono">{shown.orderId}</span>
            </span>
            <span className="tabular" title={formatDateTime(shown.orderDate, true)}>
              {formatDateTime(shown.orderDate)}
            </span>
            {shown.subscriptionName !== "" && <span>{shown.subscriptionName}</span>}
          </div>
        )}
      </div>
      <div className="wizard-head-side">
        {view !== null && (
          <span
            className={`connectwise-age${fetchedAt === null ? " connectwise-age-none" : ""}`}
            data-testid="connectwise-age"
            title={fetchedAt === null ? "Check Changes reads the ConnectWise data" : `Read ${formatDateTime(fetchedAt, true)}`}
          >
            {connectwiseAgeText(fetchedAt, now)}
          </span>
        )}
        {reviewing && (
          <span className="draft-status" data-testid="draft-status" role="status">
            {saving ? "Saving draft…" : view !== null ? "Draft saved" : ""}
          </span>
        )}
        <button
          type="button"
          className="btn"
          data-testid="wizard-close"
          onClick={onClose}
          disabled={running}
          title={running ? "A sync is running: wait until it finishes" : `${backLabel} (Esc); the draft is kept`}
        >
          {backLabel}
        </button>
      </div>
    </header>
  );
}
