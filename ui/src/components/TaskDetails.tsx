import { useEffect, useId, useRef, useState, type FormEvent, type RefObject } from "react";
import type { OrderLine } from "../bindings/OrderLine";
import type { TaskRow } from "../bindings/TaskRow";
import { TASK_TYPE_LABELS, amountText, formatDateTime, taskAmount, taskAmountLines } from "../format";
import { toIpcError } from "../ipc";
import { StatusBadge } from "./StatusBadge";
import "./TaskDetails.css";

export const IGNORE_REASON_MAX = 500;

interface TaskDetailsProps {
  task: TaskRow | null;
  /** Ignores the task (`reason`) or un-ignores it (`null`); rejects with an IpcError. */
  onSetIgnored: (task: TaskRow, reason: string | null) => Promise<void>;
  /** Where Enter on the list sends the focus: the first action of the task. */
  actionRef: RefObject<HTMLButtonElement | null>;
  /** Gives the focus back to the list (after an action or Escape). */
  onDone: () => void;
  /** Opens the wizard of the task: its review (Pending and Failed tasks) or its sync history (Synced). */
  onSyncChanges: (task: TaskRow) => void;
  /** What the task's order changed, product by product; `null` while not known. */
  lines: OrderLine[] | null;
  /** The search and filters hide the task: no action is offered on it. */
  hidden: boolean;
  /** What hides it, in words ("“muller”, Pending"). */
  hiddenBy: string;
  /** Clears the search and filters, so the task is in the list again. */
  onShowAll: () => void;
}

/** Whether a task can be reviewed and synced. */
export function canSync(task: TaskRow): boolean {
  return task.status === "pending" || task.status === "failed";
}

/** Why a reason can't be used, or `null` when it can. */
export function ignoreReasonProblem(reason: string): string | null {
  if (reason.trim() === "") return "Enter a reason: it is kept with the task.";
  if (reason.length > IGNORE_REASON_MAX) return `Keep the reason to ${IGNORE_REASON_MAX} characters (now ${reason.length}).`;
  return null;
}

function IgnoreForm({
  onConfirm,
  onCancel,
}: {
  onConfirm: (reason: string) => Promise<string | null>;
  onCancel: () => void;
}) {
  const [reason, setReason] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);
  const id = useId();

  useEffect(() => {
    inputRef.current?.focus();
  }, []);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found = ignoreReasonProblem(reason);
    setProblem(found);
    if (found !== null) {
      inputRef.current?.focus();
      return;
    }
    setBusy(true);
    const failure = await onConfirm(reason.trim());
    setBusy(false);
    if (failure !== null) {
      setProblem(failure);
      inputRef.current?.focus();
    }
  };

  return (
    <form
      className="ignore-form"
      onSubmit={(event) => void submit(event)}
      onKeyDown={(event) => {
        if (event.key === "Escape") {
          event.preventDefault();
          onCancel();
        }
      }}
      noValidate
    >
      <label htmlFor={`${id}-reason`} className="field-label">
        Reason for ignoring <span className="required">(required)</span>
      </label>
      <input
        ref={inputRef}
        id={`${id}-reason`}
        data-testid="ignore-reason"
        className={`input${problem !== null ? " input-invalid" : ""}`}
        type="text"
        value={reason}
        maxLength={IGNORE_REASON_MAX}
        required
        autoComplete="off"
        aria-invalid={problem !== null}
        aria-describedby={`${id}-hint${problem !== null ? ` ${id}-problem` : ""}`}
        placeholder="e.g. billed manually this month"
        onChange={(event) => {
          setReason(event.target.value);
          if (problem !== null) setProblem(null);
        }}
        disabled={busy}
      />
      <div className="ignore-form-meta">
        <span id={`${id}-hint`} className="hint tabular">
          {reason.length} / {IGNORE_REASON_MAX}
        </span>
        {problem !== null && (
          <span id={`${id}-problem`} className="field-error" role="alert" data-testid="ignore-error">
            {problem}
          </span>
        )}
      </div>
      <div className="actions">
        <button type="submit" className="btn btn-primary btn-small" data-testid="ignore-confirm" disabled={busy}>
          {busy ? "Ignoring…" : "Ignore task"}
        </button>
        <button type="button" className="btn btn-small" onClick={onCancel} disabled={busy}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** What the order changed, product by product: "Microsoft 365 Business Premium — 20 → 25 (+5)". */
function OrderLines({ lines, currency }: { lines: OrderLine[]; currency: string }) {
  if (lines.length === 0) return null;
  return (
    <section className="details-lines" aria-label="What the order changed" data-testid="order-lines">
      <h3 className="details-subtitle">What the order changed</h3>
      <ul className="order-lines">
        {lines.map((line, index) => (
          <li key={`${line.mpn}-${String(index)}`} className="order-line" data-testid="order-line" data-kind={line.kind}>
            <span className="order-line-product">{line.productName}</span>
            <span className="order-line-change">
              <span className="order-line-words tabular">{line.words}</span>
              {line.amount !== "" && <span className="order-line-amount tabular">{amountText(line.amount, currency)}</span>}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function TaskDetails({ task, onSetIgnored, actionRef, onDone, onSyncChanges, lines, hidden, hiddenBy, onShowAll }: TaskDetailsProps) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  // Another task: close the form, forget the last error.
  const taskId = task?.id ?? null;
  useEffect(() => {
    setAsking(false);
    setError(null);
  }, [taskId]);

  if (task === null) {
    return (
      <aside className="details details-empty" aria-label="Task details" data-testid="task-details">
        <p>Select a task to see its details.</p>
        <p className="hint">↑ ↓ move through the list · / searches</p>
      </aside>
    );
  }

  const confirmIgnore = async (reason: string): Promise<string | null> => {
    try {
      await onSetIgnored(task, reason);
      setAsking(false);
      onDone();
      return null;
    } catch (reason_: unknown) {
      return toIpcError(reason_).message;
    }
  };

  const unignore = async () => {
    setBusy(true);
    setError(null);
    try {
      await onSetIgnored(task, null);
      onDone();
    } catch (reason: unknown) {
      setError(toIpcError(reason).message);
    } finally {
      setBusy(false);
    }
  };

  const amount = taskAmount(task);

  return (
    <aside className="details" aria-label="Task details" data-testid="task-details" data-task-id={task.id} data-hidden={hidden}>
      <div className="details-head">
        <h2 className="details-title">{task.customerName}</h2>
        <StatusBadge status={task.status} reason={task.ignoredReason} />
      </div>
      <dl className="details-list">
        <dt>Account</dt>
        <dd className="mono">{task.customerId}</dd>
        <dt>Type</dt>
        <dd>{TASK_TYPE_LABELS[task.taskType]}</dd>
        <dt>Order</dt>
        <dd>
          <span className="mono">{task.orderId}</span>
          <br />
          <span className="muted tabular" title={formatDateTime(task.orderDate, true)}>
            {formatDateTime(task.orderDate)}
          </span>
        </dd>
        <dt>Subscription</dt>
        <dd>
          {task.subscriptionName || "—"}
          <br />
          <span className="mono muted">{task.subscriptionId}</span>
        </dd>
        <dt>Amount</dt>
        <dd className="tabular" title={amount.title} data-testid="details-amount">
          {taskAmountLines(task).map((line) => (
            <span key={line} className="details-amount-line">
              {line}
            </span>
          ))}
        </dd>
        {task.status === "ignored" && (
          <>
            <dt>Reason</dt>
            <dd className="details-reason" data-testid="ignored-reason">
              {task.ignoredReason ?? "—"}
            </dd>
          </>
        )}
      </dl>

      {lines !== null && <OrderLines lines={lines} currency={task.currency} />}

      {hidden ? (
        <div className="details-hidden" data-testid="details-hidden" role="status">
          <p className="details-hidden-text">
            Not in the list: the search and filters ({hiddenBy}) hide this task. Show it to act on it.
          </p>
          <button type="button" className="btn btn-small" data-testid="show-hidden-task" onClick={onShowAll}>
            Clear search and filters
          </button>
        </div>
      ) : task.status === "ignored" ? (
        <div className="actions">
          <button
            ref={actionRef}
            type="button"
            className="btn btn-small"
            data-testid="unignore-task"
            onClick={() => void unignore()}
            disabled={busy}
          >
            {busy ? "Un-ignoring…" : "Un-ignore"}
          </button>
        </div>
      ) : task.status === "synced" ? (
        <div className="actions">
          <button
            ref={actionRef}
            type="button"
            className="btn btn-small"
            data-testid="sync-changes"
            data-action="history"
            onClick={() => onSyncChanges(task)}
            title="What was written to ConnectWise, and Sync again"
          >
            Sync history
          </button>
        </div>
      ) : asking ? (
        <IgnoreForm
          onConfirm={confirmIgnore}
          onCancel={() => {
            setAsking(false);
            onDone();
          }}
        />
      ) : (
        <div className="actions">
          {canSync(task) && (
            <button
              ref={actionRef}
              type="button"
              className="btn btn-primary btn-small"
              data-testid="sync-changes"
              onClick={() => onSyncChanges(task)}
              title="Review the changes to the ConnectWise agreement"
            >
              Sync Changes
            </button>
          )}
          <button
            ref={canSync(task) ? undefined : actionRef}
            type="button"
            className="btn btn-small"
            data-testid="ignore-task"
            onClick={() => setAsking(true)}
            title="Set this task aside, with a reason"
          >
            Ignore…
          </button>
        </div>
      )}
      {error !== null && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </aside>
  );
}
