import { useCallback, useRef, type RefObject } from "react";
import type { AppStatus } from "../bindings/AppStatus";
import type { SyncView } from "../bindings/SyncView";
import type { TaskRow } from "../bindings/TaskRow";
import type { Batch } from "../hooks/useBatch";
import type { FirstCheckDays } from "../hooks/useFirstCheckDays";
import type { InterruptedBatchState } from "../hooks/useInterruptedBatch";
import type { TaskChecks } from "../hooks/useTaskChecks";
import type { TaskDetailsState } from "../hooks/useTaskDetails";
import type { TaskFilters } from "../hooks/useTaskFilters";
import type { TaskPages } from "../hooks/useTaskPages";
import type { TaskSelection } from "../hooks/useTaskSelection";
import { useTasksCsv } from "../hooks/useTasksCsv";
import { profileKey } from "../screens";
import { EmptyState, describeFilters } from "./EmptyState";
import { ErrorPanel } from "./ErrorPanel";
import { InterruptedBatchBanner } from "./InterruptedBatchBanner";
import { SelectionBar } from "./SelectionBar";
import { TaskDetails } from "./TaskDetails";
import { TaskList } from "./TaskList";
import { TasksExportButton, TasksExportNotice } from "./TasksExport";
import { Toolbar } from "./Toolbar";
import { UnfinishedSyncs } from "./UnfinishedSyncs";

interface TasksScreenProps {
  status: AppStatus | null;
  filters: TaskFilters;
  pages: TaskPages;
  queryKey: string;
  selection: TaskSelection;
  /** What the list's row doesn't carry: the order's lines, and whether the search and filters hide the task. */
  details: TaskDetailsState;
  checks: TaskChecks;
  /** The board being prepared from the ticked rows, or why it couldn't be. */
  batch: Pick<Batch, "loading" | "error" | "dismissError">;
  interrupted: InterruptedBatchState;
  /** A batch is being prepared or synced: the interrupted one can't be finished meanwhile. */
  batchBusy: boolean;
  neverChecked: boolean;
  firstCheck: FirstCheckDays;
  listRef: RefObject<HTMLDivElement | null>;
  /** Finish of an unfinished sync: its task's wizard, which finishes it. */
  onFinishSync: (sync: SyncView) => void;
  onFinishBatch: (batchId: number) => void;
  onReviewSelection: () => void;
  /** Sync Changes of the details: the task's wizard. */
  onSyncChanges: (task: TaskRow) => void;
}

/** The Tasks view: what is left unfinished, the toolbar with Export CSV and the selection, the list and the selected task's details. */
export function TasksScreen({
  status,
  filters,
  pages,
  queryKey,
  selection,
  details,
  checks,
  batch,
  interrupted,
  batchBusy,
  neverChecked,
  firstCheck,
  listRef,
  onFinishSync,
  onFinishBatch,
  onReviewSelection,
  onSyncChanges,
}: TasksScreenProps) {
  const actionRef = useRef<HTMLButtonElement>(null);
  const csv = useTasksCsv(filters.filters, status === null ? null : profileKey(status.demo, status.profileName));
  const focusList = useCallback(() => listRef.current?.focus({ preventScroll: true }), [listRef]);
  // A sync this window runs shows as running; only those stopped with the app need finishing. A sync
  // cut off inside an interrupted batch is finished with the batch, not on its own.
  const unfinished = (status?.unfinishedSyncs ?? []).filter(
    (sync) => sync.state !== "running" && !(interrupted.batch?.taskIds.includes(sync.taskId) ?? false),
  );

  return (
    <>
      <UnfinishedSyncs syncs={unfinished} onFinish={onFinishSync} />
      <InterruptedBatchBanner batch={interrupted.batch} busy={batchBusy} onFinish={(found) => onFinishBatch(found.batchId)} />
      <Toolbar filters={filters.filters} onChange={filters.setFilters} onClear={filters.clear} total={pages.total} searchRef={filters.searchRef}>
        <TasksExportButton csv={csv} total={pages.total} />
        <SelectionBar checks={checks} total={pages.total} opening={batch.loading} onReview={onReviewSelection} />
      </Toolbar>
      <TasksExportNotice csv={csv} />
      {batch.error !== null && (
        <ErrorPanel
          error={batch.error}
          title="Couldn't prepare the review"
          testId="batch-open-error"
          className="batch-open-error"
          onDismiss={batch.dismissError}
        />
      )}
      <main className="workspace">
        <section className="task-table" aria-label="Task list">
          {pages.error !== null && (
            <div className="list-error" role="alert" data-testid="list-error">
              <span>Couldn't read the task list: {pages.error.message}</span>
              <button type="button" className="btn btn-small" onClick={pages.refresh}>
                Try again
              </button>
            </div>
          )}
          <TaskList
            pages={pages}
            queryKey={queryKey}
            selectedId={selection.selected?.id ?? null}
            activeIndex={selection.activeIndex}
            onSelect={selection.selectIndex}
            onActivate={() => actionRef.current?.focus()}
            listRef={listRef}
            checks={checks}
            empty={
              <EmptyState
                filtered={filters.active}
                neverChecked={neverChecked}
                filters={filters.filters}
                onClear={filters.clear}
                firstCheck={status === null ? null : firstCheck}
              />
            }
          />
        </section>
        <TaskDetails
          task={selection.selected}
          onSetIgnored={selection.setIgnored}
          actionRef={actionRef}
          onDone={focusList}
          onSyncChanges={onSyncChanges}
          lines={details.lines}
          hidden={details.hidden}
          hiddenBy={describeFilters(filters.filters)}
          onShowAll={filters.clear}
        />
      </main>
    </>
  );
}
