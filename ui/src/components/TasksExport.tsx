import { formatCount, savedTasksText } from "../format";
import type { TasksCsv } from "../hooks/useTasksCsv";
import { ErrorPanel } from "./ErrorPanel";

/** Export CSV in the toolbar: the tasks the list shows, where the person chooses. */
export function TasksExportButton({ csv, total }: { csv: TasksCsv; total: number | null }) {
  const none = total === 0;
  return (
    <button
      type="button"
      className="btn btn-small tasks-export"
      data-testid="tasks-export"
      disabled={csv.saving || total === null || none}
      title={
        none
          ? "No task matches the search and filters"
          : `Save the ${total === null ? "" : `${formatCount(total)} `}tasks the list shows, as sorted, as CSV (you choose where)`
      }
      onClick={csv.exportCsv}
    >
      {csv.saving ? "Saving…" : "Export CSV"}
    </button>
  );
}

/** Under the toolbar: where the CSV was saved, or why it couldn't be. Nothing when the save was cancelled. */
export function TasksExportNotice({ csv }: { csv: TasksCsv }) {
  return (
    <>
      {csv.saved !== null && (
        <div className="toolbar-note">
          <span className="panel-meta tasks-saved" data-testid="tasks-saved" role="status" title={csv.saved.path}>
            {savedTasksText(csv.saved.rows, csv.saved.path)}
          </span>
        </div>
      )}
      {csv.error !== null && (
        <ErrorPanel error={csv.error} title="Couldn't save the CSV" testId="tasks-csv-error" className="batch-open-error" onDismiss={csv.dismissError} />
      )}
    </>
  );
}
