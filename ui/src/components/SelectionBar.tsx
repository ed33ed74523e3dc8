import type { TaskChecks } from "../hooks/useTaskChecks";
import { formatCount, plural } from "../format";
import "./SelectionBar.css";

interface SelectionBarProps {
  checks: TaskChecks;
  /** Tasks matching the search and filters. */
  total: number | null;
  /** The board is being prepared. */
  opening: boolean;
  onReview: () => void;
}

/** "N selected", Select all N matching, Clear and Review N tasks; or why the selection was cleared. */
export function SelectionBar({ checks, total, opening, onReview }: SelectionBarProps) {
  const { count, matching, notice } = checks;
  if ((count === null || count === 0) && !matching) {
    return notice === null ? null : (
      <span className="selection-notice" data-testid="selection-notice" role="status">
        {notice}
      </span>
    );
  }
  const shown = count ?? 0;
  const countText = matching
    ? count === null || shown === total
      ? count === null
        ? "All matching selected"
        : `All ${formatCount(shown)} matching selected`
      : `${formatCount(shown)} of ${formatCount(total ?? 0)} matching selected`
    : `${formatCount(shown)} selected`;
  return (
    <div className="selection-bar" role="group" aria-label="Selection">
      <span className="selection-count" data-testid="selection-count" data-count={shown} aria-live="polite">
        {countText}
      </span>
      {!matching && total !== null && total > shown && (
        <button type="button" className="btn btn-small btn-ghost" data-testid="select-all-matching" onClick={checks.selectAllMatching}>
          Select all {formatCount(total)} matching
        </button>
      )}
      <button type="button" className="btn btn-small" data-testid="clear-selection" onClick={checks.clear}>
        Clear
      </button>
      <button
        type="button"
        className="btn btn-small btn-primary"
        data-testid="review-selection"
        disabled={opening || shown === 0}
        onClick={onReview}
      >
        {opening && <span className="spinner" aria-hidden="true" />}
        {opening ? "Preparing…" : `Review ${plural(shown, "task", "tasks")}`}
      </button>
      {checks.error !== null && (
        <span className="field-error" role="alert" data-testid="selection-error">
          {checks.error}
        </span>
      )}
    </div>
  );
}
