import { useState, type FormEvent, type ReactNode } from "react";
import type { BulkAction } from "../../bindings/BulkAction";
import type { ErrorView } from "../../bindings/ErrorView";
import type { PriceSourceView } from "../../bindings/PriceSourceView";
import { PRICE_SOURCES, PRICE_SOURCE_LABELS, isPriceSource, plural } from "../../format";
import { IGNORE_REASON_MAX, ignoreReasonProblem } from "../TaskDetails";

interface BulkActionsProps {
  /** The ticked rows' task ids. */
  ticked: number[];
  /** The app's day (its clock, which can be pinned), `yyyy-MM-dd`: where the effective date starts. */
  today: string;
  disabled: boolean;
  /** Applies the action to the ticked rows; answers Rust's refusal, if any. */
  onApply: (action: BulkAction) => Promise<ErrorView | null>;
  onClearTicks: () => void;
}

type Which = "date" | "price" | "credits" | "ignore";

function ActionForm({ label, children, onSubmit }: { label: string; children: ReactNode; onSubmit: () => void }) {
  return (
    <form
      className="bulk-action"
      aria-label={label}
      onSubmit={(event: FormEvent) => {
        event.preventDefault();
        onSubmit();
      }}
    >
      {children}
    </form>
  );
}

/**
 * Changes to every ticked row at once: the effective date (typed as the app writes dates,
 * yyyy-MM-dd, starting from the app's day), the price source, leaving out prorate credits,
 * ignoring with a reason. Each is re-planned in Rust and the board shows the result; a refusal is
 * shown with Rust's words and changes nothing.
 */
export function BulkActions({ ticked, today, disabled, onApply, onClearTicks }: BulkActionsProps) {
  const [date, setDate] = useState(today);
  const [source, setSource] = useState<PriceSourceView>("cloudMarketplace");
  const [reason, setReason] = useState("");
  const [busy, setBusy] = useState<Which | null>(null);
  const [refused, setRefused] = useState<ErrorView | null>(null);
  const [reasonProblem, setReasonProblem] = useState<string | null>(null);

  if (ticked.length === 0) {
    return (
      <p className="bulk-none hint" data-testid="bulk-none">
        Tick rows to change their effective date or price source, leave out prorate credits, or ignore them.
      </p>
    );
  }

  const run = async (which: Which, action: BulkAction) => {
    setBusy(which);
    setRefused(null);
    const failure = await onApply(action);
    setBusy(null);
    setRefused(failure);
    if (failure === null && which === "ignore") setReason("");
  };
  const off = disabled || busy !== null;
  const dateRefused = refused !== null && refused.field === "effectiveDate";

  return (
    <section className="bulk-actions" data-testid="bulk-actions" aria-label="Bulk actions">
      <span className="bulk-count" data-testid="bulk-count">
        {plural(ticked.length, "row", "rows")} ticked
      </span>
      <ActionForm label="Set the effective date" onSubmit={() => void run("date", { kind: "setEffectiveDate", value: date })}>
        <label className="field">
          <span className="field-label">Effective date</span>
          <input
            type="text"
            className={`input bulk-date${dateRefused ? " input-invalid" : ""}`}
            data-testid="bulk-date"
            inputMode="numeric"
            placeholder="yyyy-MM-dd"
            autoComplete="off"
            spellCheck={false}
            value={date}
            disabled={off}
            aria-invalid={dateRefused}
            aria-describedby={dateRefused ? "bulk-error" : undefined}
            onChange={(e) => {
              setDate(e.target.value);
              if (dateRefused) setRefused(null);
            }}
          />
        </label>
        <button type="submit" className="btn btn-small" data-testid="bulk-date-apply" disabled={off || date.trim() === ""}>
          Set date
        </button>
      </ActionForm>
      <ActionForm label="Set the price source" onSubmit={() => void run("price", { kind: "setPriceSource", source })}>
        <label className="field">
          <span className="field-label">Price source</span>
          <select
            className="select"
            data-testid="bulk-price-source"
            value={source}
            disabled={off}
            onChange={(e) => {
              if (isPriceSource(e.target.value)) setSource(e.target.value);
            }}
          >
            {PRICE_SOURCES.map((value) => (
              <option key={value} value={value}>
                {PRICE_SOURCE_LABELS[value]}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="btn btn-small" data-testid="bulk-price-apply" disabled={off}>
          Set price source
        </button>
      </ActionForm>
      <button
        type="button"
        className="btn btn-small"
        data-testid="bulk-leave-out-credits"
        disabled={off}
        onClick={() => void run("credits", { kind: "leaveOutProrateCredits" })}
        title="Unselect the prorated credits of removed licences on the ticked tasks"
      >
        Leave out prorate credits
      </button>
      <ActionForm
        label="Ignore the ticked tasks"
        onSubmit={() => {
          const problem = ignoreReasonProblem(reason);
          setReasonProblem(problem);
          if (problem === null) void run("ignore", { kind: "ignore", reason: reason.trim() });
        }}
      >
        <label className="field">
          <span className="field-label">Ignore, because</span>
          <input
            type="text"
            className={`input${reasonProblem !== null ? " input-invalid" : ""}`}
            data-testid="bulk-ignore-reason"
            value={reason}
            maxLength={IGNORE_REASON_MAX}
            disabled={off}
            placeholder="e.g. billed manually"
            aria-invalid={reasonProblem !== null}
            onChange={(e) => {
              setReason(e.target.value);
              setReasonProblem(null);
            }}
          />
        </label>
        <button type="submit" className="btn btn-small" data-testid="bulk-ignore" disabled={off}>
          Ignore
        </button>
      </ActionForm>
      <button type="button" className="btn btn-small btn-ghost" data-testid="bulk-clear" onClick={onClearTicks} disabled={busy !== null}>
        Untick all
      </button>
      {busy !== null && (
        <span className="hint" role="status">
          Re-planning…
        </span>
      )}
      {reasonProblem !== null && (
        <span className="field-error" role="alert">
          {reasonProblem}
        </span>
      )}
      {refused !== null && (
        <span id="bulk-error" className="field-error" role="alert" data-testid="bulk-error" data-code={refused.code}>
          {refused.message}
        </span>
      )}
    </section>
  );
}
