import { TASK_STATUS_LABELS, TASK_TYPE_LABELS } from "../format";
import type { FirstCheckDays } from "../hooks/useFirstCheckDays";
import type { Filters } from "./Toolbar";
import "./EmptyState.css";

interface EmptyStateProps {
  filtered: boolean;
  neverChecked: boolean;
  filters: Filters;
  onClear: () => void;
  /** How far back the first check reads, as typed (null until the app has said). */
  firstCheck: FirstCheckDays | null;
}

/** "Read orders from the last [30] days": saved on Enter, when the field is left, and before Check Changes. */
function FirstCheckWindow({ firstCheck }: { firstCheck: FirstCheckDays }) {
  const { text, setText, error, save } = firstCheck;
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
  firstCheck,
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
        {firstCheck !== null && <FirstCheckWindow firstCheck={firstCheck} />}
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
