import { useEffect, useState } from "react";
import type { ErrorView } from "../bindings/ErrorView";
import { TASK_STATUS_LABELS, TASK_TYPE_LABELS } from "../format";
import type { Filters } from "./Toolbar";
import "./EmptyState.css";

interface EmptyStateProps {
  filtered: boolean;
  neverChecked: boolean;
  filters: Filters;
  onClear: () => void;
  /** How far back the first check reads, and how to change it (resolves with Rust's refusal). */
  /** How far back the first check reads, as the app says (null until it has said). */
  firstCheckDays: number | null;
  onFirstCheckDays: (days: number) => Promise<ErrorView | null>;
}

/** "Read orders from the last [30] days": saved on Enter or when the field is left. */
function FirstCheckWindow({
  days,
  onChange,
}: {
  days: number;
  onChange: (days: number) => Promise<ErrorView | null>;
}) {
  const [text, setText] = useState(String(days));
  const [error, setError] = useState<string | null>(null);
  useEffect(() => setText(String(days)), [days]);

  const save = async () => {
    const trimmed = text.trim();
    if (trimmed === String(days)) return;
    const value = /^\d+$/.test(trimmed) ? Number(trimmed) : Number.NaN;
    if (Number.isNaN(value)) {
      setError("Enter a whole number of days.");
      return;
    }
    const refused = await onChange(value);
    setError(refused?.message ?? null);
  };

  return (
    <div className="first-check">
      <label className="first-check-label">
        Click Check Changes to read orders from the last{" "}
        <input
          className="input input-days"
          data-testid="first-check-days"
          inputMode="numeric"
          aria-invalid={error !== null}
          aria-describedby={error !== null ? "first-check-error" : undefined}
          value={text}
          onChange={(e) => setText(e.target.value)}
          onBlur={() => void save()}
          onKeyDown={(e) => {
            if (e.key === "Enter") void save();
          }}
        />{" "}
        days.
      </label>
      {error !== null && (
        <p className="field-error" id="first-check-error" data-testid="first-check-days-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

/** "“green”, Change Order, Pending": what the user filtered by, in words. */
export function describeFilters(filters: Filters): string {
  const parts: string[] = [];
  if (filters.search.trim() !== "") parts.push(`“${filters.search.trim()}”`);
  if (filters.type !== null) parts.push(TASK_TYPE_LABELS[filters.type]);
  if (filters.status !== null) parts.push(TASK_STATUS_LABELS[filters.status]);
  return parts.join(", ");
}

export function EmptyState({
  filtered,
  neverChecked,
  filters,
  onClear,
  firstCheckDays,
  onFirstCheckDays,
}: EmptyStateProps) {
  if (filtered) {
    return (
      <div className="empty" data-testid="empty-filtered" role="status">
        <p className="empty-title">No tasks match {describeFilters(filters)}.</p>
        <button type="button" className="btn btn-small" data-testid="clear-filters-empty" onClick={onClear}>
          Clear filters
        </button>
      </div>
    );
  }
  if (neverChecked) {
    return (
      <div className="empty" data-testid="empty-never-checked" role="status">
        <p className="empty-title">No tasks yet.</p>
        {firstCheckDays !== null && <FirstCheckWindow days={firstCheckDays} onChange={onFirstCheckDays} />}
      </div>
    );
  }
  return (
    <div className="empty" data-testid="empty-no-tasks" role="status">
      <p className="empty-title">No tasks. The orders read so far need no change to an agreement.</p>
      <p className="hint">Click Check Changes to read orders placed since the last check.</p>
    </div>
  );
}
