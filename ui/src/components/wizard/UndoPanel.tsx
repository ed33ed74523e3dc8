import { useEffect, useId, useRef } from "react";
import type { ErrorView } from "../../bindings/ErrorView";
import type { UndoView } from "../../bindings/UndoView";
import { formatDateTime, plural, syncTimeText } from "../../format";
import type { UndoRun } from "../../hooks/useUndo";
import { ErrorPanel } from "../ErrorPanel";
import { CalendarNote } from "./CalendarNote";
import { NextInvoicePanel } from "./NextInvoicePanel";
import { SyncResult } from "./SyncResult";
import { UndoRows } from "./UndoRows";
import "./wizard.css";
import "./sync.css";
import "./undo.css";

interface UndoPanelProps {
  undo: UndoRun;
  /** The services can't be reached: the undo waits. */
  offline: boolean;
  /** Sets the undo's unfinished sync aside; answers the error, if it failed. */
  onDiscard: () => Promise<ErrorView | null>;
  /** Back to the task's syncs (where Undo this sync… was offered); `null` when there is no such step. */
  onBack: (() => void) | null;
  onClose: () => void;
  /** The close button's words: where it goes ("Back to Activity"). */
  backLabel: string;
}

/** Which sync the undo takes back: its task, agreement, when, by which desk and profile. */
function UndoOf({ plan }: { plan: UndoView }) {
  const { sync } = plan;
  return (
    <dl className="undo-of" data-testid="undo-of" data-sync-id={sync.id}>
      <dt>Sync</dt>
      <dd>
        <span className="tabular">Sync {sync.id}</span> — {sync.taskLabel}
      </dd>
      <dt>Agreement</dt>
      <dd>
        {sync.agreementName} <span className="mono muted">#{sync.agreementId}</span>
        {plan.companyName !== "" && <span className="muted"> · {plan.companyName}</span>}
      </dd>
      <dt>When</dt>
      <dd className="tabular" title={`Started ${formatDateTime(sync.startedAt, true)}`}>
        {syncTimeText(sync)}
      </dd>
      <dt>Desk</dt>
      <dd>
        {sync.desk ?? "Not recorded"} <span className="muted">· profile {sync.profileName}</span>
      </dd>
    </dl>
  );
}

/** "3 writes to ConnectWise", or why there are none. */
function writesText(plan: UndoView): string {
  if (plan.writes === 0) return "Nothing to write";
  return `${plural(plan.writes, "write", "writes")} to ConnectWise`;
}

/** The undo's plan: what it undoes, the invoice calendar, each row, the next invoice, and Undo sync. */
function UndoPlan({ undo, plan, offline, onBack }: { undo: UndoRun; plan: UndoView; offline: boolean; onBack: (() => void) | null }) {
  const busy = undo.loading || undo.selecting !== null;
  const canRun = plan.writes > 0 && !offline && !busy;
  return (
    <>
      <UndoOf plan={plan} />

      <CalendarNote calendar={plan.calendar} testId="undo-calendar" />

      {plan.offline !== null && (
        <div className="panel panel-warning" data-testid="undo-offline" role="note">
          <span className="panel-title">From the cache</span>
          <span className="panel-text">{plan.offline}</span>
        </div>
      )}

      <div className="step-block">
        <h4 className="block-title">
          What undoing writes
          {plan.connectwiseFetchedAt !== null && (
            <span className="muted"> — agreement read {formatDateTime(plan.connectwiseFetchedAt)}</span>
          )}
        </h4>
        <UndoRows
          rows={plan.rows}
          currency={plan.sync.currency}
          disabled={busy}
          onSelect={undo.select}
          label={`What undoing sync ${plan.sync.id} writes`}
        />
      </div>

      {undo.selectError !== null && (
        <ErrorPanel
          error={undo.selectError}
          title="Couldn't change the credit"
          testId="undo-select-error"
          onDismiss={undo.dismissSelectError}
        />
      )}

      {plan.nothingToWrite !== null && (
        <div className="panel panel-info" data-testid="undo-nothing" role="status">
          <span className="panel-title">Nothing to write</span>
          <span className="panel-text">{plan.nothingToWrite}</span>
        </div>
      )}

      {plan.nextInvoice !== null && <NextInvoicePanel next={plan.nextInvoice} />}

      {undo.runError !== null && (
        <ErrorPanel error={undo.runError} title="Couldn't undo" testId="undo-error" onDismiss={undo.dismissRunError} dismissLabel="Dismiss error" />
      )}

      <div className="sync-actions undo-actions">
        <button
          type="button"
          className="btn btn-primary"
          data-testid="undo-sync"
          disabled={!canRun}
          onClick={undo.start}
          title={
            plan.writes === 0
              ? "Nothing is left to write"
              : offline
                ? "Undo needs a connection to ConnectWise"
                : "Write the undo to ConnectWise, as a sync of its own; the agreement is read again first"
          }
        >
          Undo sync
        </button>
        <span className="undo-writes tabular" data-testid="undo-writes" data-writes={plan.writes}>
          {writesText(plan)}
        </span>
        {offline && plan.writes > 0 && (
          <span className="sync-offline" data-testid="undo-needs-connection" role="status">
            Undo needs a connection to ConnectWise.
          </span>
        )}
        <span className="sheet-foot-spacer" />
        {onBack !== null && (
          <button type="button" className="btn" data-testid="undo-back" onClick={onBack}>
            Sync history
          </button>
        )}
      </div>
    </>
  );
}

/**
 * Undo this sync… in the wizard's frame (SPEC §17): the compensating plan Rust made from the
 * agreement as it is now, shown like any plan, then the undo written with the same safe sync as a
 * sync of its own, and its result.
 */
export function UndoPanel({ undo, offline, onDiscard, onBack, onClose, backLabel }: UndoPanelProps) {
  const id = useId();
  const titleRef = useRef<HTMLHeadingElement>(null);
  const { plan, phase } = undo;

  useEffect(() => {
    titleRef.current?.focus();
  }, [undo.syncId]);

  if (phase.kind !== "plan") {
    return (
      <div className="undo-result" data-testid="undo-result" data-state={phase.kind === "running" ? "running" : phase.view.state}>
        <SyncResult
          kind="undo"
          view={phase.view}
          running={undo.running}
          offline={offline}
          error={undo.runError}
          onDismissError={undo.dismissRunError}
          onRetry={undo.start}
          onRefresh={undo.backToPlan}
          onDiscard={onDiscard}
          onClose={onClose}
          backLabel={backLabel}
          onShowHistory={onBack}
        />
      </div>
    );
  }

  return (
    <section className="wizard-step undo-panel" data-testid="undo-panel" data-sync-id={undo.syncId ?? undefined} aria-labelledby={`${id}-title`} aria-busy={undo.loading}>
      <h3 id={`${id}-title`} className="step-title" tabIndex={-1} ref={titleRef}>
        Undo sync {undo.syncId}
      </h3>
      <p className="step-intro">
        What undoing the sync writes to ConnectWise, made from the agreement as it is now: an addition it created and no invoice
        holds is removed, an invoiced one ends on the last invoiced day, and what it changed is put back. Anything changed in
        ConnectWise since is left alone, and says why. Nothing is written until you click Undo sync.
      </p>

      {undo.planError !== null && (
        <ErrorPanel error={undo.planError} title="Couldn't prepare the undo" testId="undo-plan-error">
          <button type="button" className="btn btn-small" onClick={undo.reload} disabled={undo.loading}>
            Try again
          </button>
        </ErrorPanel>
      )}

      {plan === null ? (
        undo.loading && (
          <p className="wizard-loading" role="status">
            Reading the agreement from ConnectWise…
          </p>
        )
      ) : (
        <UndoPlan undo={undo} plan={plan} offline={offline} onBack={onBack} />
      )}

      {plan === null && onBack !== null && (
        <div className="sync-actions">
          <span className="sheet-foot-spacer" />
          <button type="button" className="btn" data-testid="undo-back" onClick={onBack}>
            Sync history
          </button>
        </div>
      )}
    </section>
  );
}
