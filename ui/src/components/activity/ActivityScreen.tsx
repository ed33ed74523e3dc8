import type { ActivityRow } from "../../bindings/ActivityRow";
import { formatCount, plural } from "../../format";
import type { ActivityFilterState } from "../../hooks/useActivityFilters";
import { useActivityLog } from "../../hooks/useActivityLog";
import { ErrorPanel } from "../ErrorPanel";
import { ActivityList } from "./ActivityList";
import { ActivityToolbar } from "./ActivityToolbar";
import "../EmptyState.css";
import "../TaskList.css";
import "./activity.css";

interface ActivityScreenProps {
  filters: ActivityFilterState;
  /** Bumps when a sync or an undo has finished: the rows on screen are read again. */
  stale: number;
  /** Undo this sync… of a row. */
  onUndo: (row: ActivityRow) => void;
}

/**
 * Activity (SPEC §17): every write the app made to ConnectWise, and those of other desks recognised
 * by their keys — searched, filtered, exported as CSV, and each sync undone from here.
 */
export function ActivityScreen({ filters, stale, onUndo }: ActivityScreenProps) {
  const log = useActivityLog(filters.filters, stale);
  const { pages } = log;
  const total = pages.total;

  return (
    <section className="activity" aria-label="Activity" data-testid="activity-screen">
      <ActivityToolbar filters={filters} profiles={log.profiles} />

      <div className="activity-bar">
        <span className="task-count" data-testid="activity-total" data-count={total ?? undefined} aria-live="polite">
          {total === null ? "Loading…" : filters.active ? `${plural(total, "write matches", "writes match")}` : plural(total, "write", "writes")}
        </span>
        <span className="toolbar-spacer" />
        {log.saved !== null && (
          <span className="panel-meta activity-saved" data-testid="activity-saved" role="status" title={log.saved.path}>
            Saved to {log.saved.path} ({plural(log.saved.rows, "row", "rows")})
          </span>
        )}
        <button
          type="button"
          className="btn btn-small"
          data-testid="activity-export"
          disabled={log.saving || total === null || total === 0}
          title={
            total === 0
              ? "No write matches the search and filters"
              : `Save the ${total === null ? "" : `${formatCount(total)} `}writes matching the search and filters as CSV (you choose where)`
          }
          onClick={log.exportCsv}
        >
          {log.saving ? "Saving…" : "Export CSV"}
        </button>
      </div>

      {log.csvError !== null && (
        <ErrorPanel
          error={log.csvError}
          title="Couldn't save the CSV"
          testId="activity-csv-error"
          className="activity-panel"
          onDismiss={log.dismissCsvError}
        />
      )}

      <div className="activity-work">
        <section className="activity-table" aria-label="Writes">
          {pages.error !== null && (
            <div className="list-error" role="alert" data-testid="activity-error">
              <span>Couldn't read the activity log: {pages.error.message}</span>
              <button type="button" className="btn btn-small" onClick={pages.refresh}>
                Try again
              </button>
            </div>
          )}
          <ActivityList
            pages={pages}
            queryKey={log.queryKey}
            onUndo={onUndo}
            empty={
              <div className="empty" data-testid="activity-empty">
                {filters.active ? (
                  <>
                    <p className="muted">No write matches the search and filters.</p>
                    <button type="button" className="btn btn-small" onClick={filters.clear}>
                      Clear filters
                    </button>
                  </>
                ) : (
                  <>
                    <p className="empty-title">Nothing written yet</p>
                    <p className="muted">Every write a sync or an undo makes to ConnectWise is listed here, with the writes of other desks.</p>
                  </>
                )}
              </div>
            }
          />
        </section>
      </div>
    </section>
  );
}
