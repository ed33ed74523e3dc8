import { TASK_STATUS_LABELS, TASK_TYPE_LABELS } from "../format";
import type { Filters } from "./Toolbar";

interface EmptyStateProps {
  filtered: boolean;
  neverChecked: boolean;
  filters: Filters;
  onClear: () => void;
}

/** "“green”, Change Order, Pending": what the user filtered by, in words. */
export function describeFilters(filters: Filters): string {
  const parts: string[] = [];
  if (filters.search.trim() !== "") parts.push(`“${filters.search.trim()}”`);
  if (filters.type !== null) parts.push(TASK_TYPE_LABELS[filters.type]);
  if (filters.status !== null) parts.push(TASK_STATUS_LABELS[filters.status]);
  return parts.join(", ");
}

export function EmptyState({ filtered, neverChecked, filters, onClear }: EmptyStateProps) {
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
        <p className="empty-title">No tasks yet. Click Check Changes to read orders from the last 30 days.</p>
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
