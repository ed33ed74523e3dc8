import { useCallback, useEffect, useRef, useState } from "react";
import type { AppStatus } from "./bindings/AppStatus";
import type { CustomerView } from "./bindings/CustomerView";
import type { FixResult } from "./bindings/FixResult";
import type { ProfileForm } from "./bindings/ProfileForm";
import { CheckButton, CheckOutcome } from "./components/CheckChanges";
import { ConnectionsScreen } from "./components/connections/ConnectionsScreen";
import { Header } from "./components/Header";
import { EmptyState, describeFilters } from "./components/EmptyState";
import { TaskDetails } from "./components/TaskDetails";
import { TaskList } from "./components/TaskList";
import { Toolbar } from "./components/Toolbar";
import { UnfinishedSyncs } from "./components/UnfinishedSyncs";
import { BatchScreen } from "./components/batch/BatchScreen";
import { InterruptedBatchBanner } from "./components/InterruptedBatchBanner";
import { SelectionBar } from "./components/SelectionBar";
import { ReconcileScreen } from "./components/reconcile/ReconcileScreen";
import { ViewSwitch, type View } from "./components/reconcile/ViewSwitch";
import { ReviewWizard } from "./components/wizard/ReviewWizard";
import { useAppStatus } from "./hooks/useAppStatus";
import { useBatch } from "./hooks/useBatch";
import { useBatchSync } from "./hooks/useBatchSync";
import { useCheckChanges } from "./hooks/useCheckChanges";
import { useFirstCheckDays } from "./hooks/useFirstCheckDays";
import { useConnections } from "./hooks/useConnections";
import { useConnectivity } from "./hooks/useConnectivity";
import { useInterruptedBatch } from "./hooks/useInterruptedBatch";
import { useProfileSwitch } from "./hooks/useProfileSwitch";
import { useProfiles } from "./hooks/useProfiles";
import { useReconcileBook } from "./hooks/useReconcile";
import { useReview } from "./hooks/useReview";
import { useSearchShortcut } from "./hooks/useSearchShortcut";
import { useTaskChecks } from "./hooks/useTaskChecks";
import { useTaskDetails } from "./hooks/useTaskDetails";
import { useTaskFilters } from "./hooks/useTaskFilters";
import { queryKey, useTaskPages } from "./hooks/useTaskPages";
import { useTaskSelection } from "./hooks/useTaskSelection";
import { fixReconcile } from "./ipc";
import "./App.css";

/**
 * The main window: the header, Check Changes, the task list with its toolbar and details, the review
 * wizard over the list and the Connections screen over everything. Each concern's state is a hook;
 * this component wires them where one concern's event is another's business, and renders.
 */
export function App() {
  const appStatus = useAppStatus();
  const { status, now, reload: reloadStatus, show: showStatus } = appStatus;
  const connectivity = useConnectivity();
  const { probe: probeConnectivity, show: showConnectivity, showKnown: showKnownConnectivity } = connectivity;
  const filters = useTaskFilters();
  const key = queryKey(filters.query);
  const pages = useTaskPages(filters.query);

  const listRef = useRef<HTMLDivElement>(null);
  const actionRef = useRef<HTMLButtonElement>(null);
  const focusList = useCallback(() => listRef.current?.focus({ preventScroll: true }), []);

  const selection = useTaskSelection(pages, key, listRef);
  // What the list's row doesn't carry: the order's lines, and whether the search and filters hide the task.
  const details = useTaskDetails(selection.selected, filters.query, pages.total);
  const checks = useTaskChecks(pages, filters.query);
  const batch = useBatch();
  const interrupted = useInterruptedBatch();
  const boardRef = useRef<HTMLDivElement>(null);
  const profiles = useProfiles();
  const { reload: reloadProfiles, isOpen: isOpenProfile } = profiles;

  // Start: show the cache at once, then find out in the background whether the services answer.
  const { reload: reloadInterrupted } = interrupted;
  useEffect(() => {
    let cancelled = false;
    void reloadProfiles();
    void reloadInterrupted();
    void (async () => {
      const first = await reloadStatus();
      if (cancelled) return;
      if (first !== null) showConnectivity(first.connectivity);
      await probeConnectivity();
    })();
    return () => {
      cancelled = true;
    };
  }, [reloadStatus, probeConnectivity, reloadProfiles, showConnectivity, reloadInterrupted]);

  // After Check Changes or a sync: the task list, the unfinished syncs and the connection as Rust now sees them.
  const rereadAfterWork = useCallback(async () => {
    pages.refresh();
    const next = await reloadStatus();
    if (next !== null) showKnownConnectivity(next.connectivity);
  }, [pages, reloadStatus, showKnownConnectivity]);

  const check = useCheckChanges({ refreshTasks: pages.refresh, showConnectivity, afterCheck: rereadAfterWork });
  const review = useReview(pages, reloadStatus, listRef);
  const rec = useReconcileBook(() => void rereadAfterWork());
  const [view, setView] = useState<View>("tasks");
  // A new real profile with no tasks yet starts on Reconcile (the first day's work); Demo and a
  // profile with tasks start on the task list. Decided once each time a profile opens.
  const firstDay = status !== null && !status.demo && status.taskCount === 0 && status.lastCheckedAt === null;
  const viewDecidedFor = useRef<string | null>(null);
  useEffect(() => {
    if (status === null) return;
    const profile = `${status.demo ? "demo" : "real"}:${status.profileName}`;
    if (viewDecidedFor.current === profile) return;
    viewDecidedFor.current = profile;
    setView(firstDay ? "reconcile" : "tasks");
  }, [status, firstDay]);
  const batchSync = useBatchSync({
    onRows: batch.patchRows,
    onBoard: batch.show,
    afterRun: () => {
      void rereadAfterWork();
      void reloadInterrupted();
    },
  });

  // A task's wizard closes: back to the board if it was opened from one, every row re-planned (a
  // mapping made in the wizard may change other rows too).
  const { reload: reloadBoard } = batch;
  const onBoard = batch.board !== null;
  const { recompare: recompareBook } = rec;
  const closeReview = useCallback(() => {
    review.close();
    // A fix reviewed (or synced) from Reconcile: the customer is compared again at once.
    if (view === "reconcile") void recompareBook();
    if (!onBoard) return;
    void reloadBoard();
    boardRef.current?.focus({ preventScroll: true });
  }, [review, onBoard, reloadBoard, view, recompareBook]);

  // Fix from Reconcile: one task opens in its wizard over the customer; several go to a batch
  // board, and Back returns to Reconcile with the book compared again.
  const [recOpenId, setRecOpenId] = useState<string | null>(null);
  const [boardFromReconcile, setBoardFromReconcile] = useState(false);
  const { open: openReview } = review;
  const { open: openBoard } = batch;
  const fixDrift = useCallback(
    async (customer: CustomerView, lineKeys: string[]): Promise<FixResult> => {
      const made = await fixReconcile(customer.customerId, lineKeys);
      const [first, ...more] = made.tasks;
      if (first !== undefined && more.length === 0) {
        openReview(first);
      } else if (first !== undefined) {
        setBoardFromReconcile(true);
        setView("tasks");
        await openBoard({ kind: "ids", ids: made.taskIds });
      }
      return made;
    },
    [openReview, openBoard],
  );

  const reviewSelection = useCallback(() => {
    const chosen = checks.selection();
    if (chosen !== null) void batch.open(chosen);
  }, [checks, batch]);

  // Finish of the interrupted batch's banner: its board, and its sync finished at once.
  const { openExisting, close: closeBatch } = batch;
  const { start: startBatchSync, reset: resetBatchSync } = batchSync;
  const finishBatch = useCallback(
    (batchId: number) => {
      resetBatchSync();
      void openExisting(batchId).then((board) => {
        if (board !== null) startBatchSync(board.batchId);
      });
    },
    [openExisting, startBatchSync, resetBatchSync],
  );
  const backToList = useCallback(() => {
    closeBatch();
    resetBatchSync();
    pages.refresh();
    if (boardFromReconcile) {
      setBoardFromReconcile(false);
      setView("reconcile");
      void recompareBook();
    }
  }, [closeBatch, resetBatchSync, pages, boardFromReconcile, recompareBook]);

  // Another profile is open: the window starts over on it — its status, its tasks (nothing
  // selected, no wizard, no outcome of the other profile's check) and its connection.
  const { reset: resetCheck } = check;
  const { reload: reloadBook } = rec;
  const { clear: clearReview } = review;
  const { clear: clearSelection } = selection;
  const { clear: clearChecks } = checks;
  const startOver = useCallback(
    (next: AppStatus) => {
      showStatus(next);
      resetCheck();
      clearReview();
      clearSelection();
      clearChecks();
      closeBatch();
      resetBatchSync();
      void reloadInterrupted();
      pages.refresh();
      showConnectivity(next.connectivity);
      void probeConnectivity();
      void reloadBook();
      setRecOpenId(null);
      setBoardFromReconcile(false);
    },
    [
      reloadBook,
      showStatus,
      resetCheck,
      clearReview,
      clearSelection,
      clearChecks,
      closeBatch,
      resetBatchSync,
      reloadInterrupted,
      pages,
      showConnectivity,
      probeConnectivity,
    ],
  );

  const switcher = useProfileSwitch({ profiles, startOver, readStatus: appStatus.read });
  const connections = useConnections(reloadProfiles, switcher.switchTo, listRef);

  // The open profile's settings changed: its name and whether it can connect.
  const onProfileSaved = useCallback(
    (form: ProfileForm) => {
      void reloadProfiles();
      if (!isOpenProfile(form.id)) return;
      void (async () => {
        await reloadStatus();
        await probeConnectivity();
      })();
    },
    [reloadProfiles, isOpenProfile, reloadStatus, probeConnectivity],
  );

  useSearchShortcut(filters.searchRef, review.reviewing !== null || connections.isOpen || onBoard);

  const { check: checkState } = check;
  const neverChecked = status !== null && status.lastCheckedAt === null;
  // The first check's window as typed: saved (and checked by Rust) before Check Changes runs with it.
  const firstCheck = useFirstCheckDays(status?.firstCheckDays ?? null, appStatus.setFirstCheckDays);
  // A sync this window runs shows as running; only those stopped with the app need finishing.
  const unfinished = (status?.unfinishedSyncs ?? []).filter((sync) => sync.state !== "running");
  const switchBlocked =
    checkState.phase === "running"
      ? "Check Changes is running: wait until it finishes"
      : batchSync.running
        ? "A batch sync is running: wait until it finishes"
        : rec.run.phase === "running"
          ? "A reconcile is running: wait until it finishes"
          : null;
  const otherError =
    switcher.error !== null
      ? { title: "Couldn't switch profile", error: switcher.error }
      : appStatus.error !== null
        ? { title: "Couldn't read the app's state", error: appStatus.error }
        : null;

  return (
    <div className="app">
      <div className="app-window" inert={connections.isOpen}>
        <Header
          status={status}
          connectivity={connectivity.connectivity}
          now={now}
          onRetryConnectivity={() => void probeConnectivity()}
          action={
            <CheckButton
              check={checkState}
              onCheck={(whole) => {
                void (async () => {
                  // A first check's window that can't be used stops it, said under the field.
                  if (neverChecked && view === "tasks" && !(await firstCheck.save())) return;
                  // What Check Changes finds are tasks: the list shows them as they come.
                  setView("tasks");
                  await check.run(whole);
                })();
              }}
            />
          }
          profiles={profiles.profiles}
          switching={switcher.switching}
          switchBlocked={switchBlocked}
          onSwitchProfile={switcher.switchFromHeader}
          onOpenConnections={connections.open}
          views={<ViewSwitch view={view} onChange={setView} />}
        />
        <CheckOutcome
          check={checkState}
          onDismiss={resetCheck}
          otherError={otherError}
          onDismissOtherError={() => (switcher.error !== null ? switcher.dismissError() : appStatus.dismissError())}
        />
        <div className="work-area">
          <div className="list-area" inert={review.reviewing !== null}>
            {view === "reconcile" ? (
              <ReconcileScreen
                rec={rec}
                now={now}
                offline={connectivity.offline}
                firstDay={firstDay}
                onFix={fixDrift}
                openId={recOpenId}
                onOpen={setRecOpenId}
              />
            ) : batch.board !== null ? (
              <BatchScreen
                key={batch.board.batchId}
                board={batch.board}
                loading={batch.loading}
                error={batch.error}
                onDismissError={batch.dismissError}
                sync={batchSync}
                offline={connectivity.offline}
                onApply={batch.apply}
                onOpenTask={(row) => review.open(row.task)}
                onBack={backToList}
                backTo={boardFromReconcile ? "Reconcile" : "the list"}
                gridRef={boardRef}
              />
            ) : (
              <>
              {/* A sync cut off inside an interrupted batch is finished with the batch, not on its own. */}
              <UnfinishedSyncs
                syncs={unfinished.filter((s) => !(interrupted.batch?.taskIds.includes(s.taskId) ?? false))}
                onFinish={review.finish}
              />
              <InterruptedBatchBanner
                batch={interrupted.batch}
                busy={batch.loading || batchSync.running}
                onFinish={(found) => finishBatch(found.batchId)}
              />
              <Toolbar
                filters={filters.filters}
                onChange={filters.setFilters}
                onClear={filters.clear}
                total={pages.total}
                searchRef={filters.searchRef}
              >
                <SelectionBar checks={checks} total={pages.total} opening={batch.loading} onReview={reviewSelection} />
              </Toolbar>
              {batch.error !== null && (
                <div className="panel panel-error batch-open-error" role="alert" data-testid="batch-open-error" data-code={batch.error.code}>
                  <span className="panel-title">Couldn't prepare the review</span>
                  <span className="panel-text">{batch.error.message}</span>
                  <button type="button" className="btn-icon" aria-label="Dismiss" onClick={batch.dismissError}>
                    ×
                  </button>
                </div>
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
                    queryKey={key}
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
                  onSyncChanges={review.open}
                  lines={details.lines}
                  hidden={details.hidden}
                  hiddenBy={describeFilters(filters.filters)}
                  onShowAll={filters.clear}
                />
              </main>
              </>
            )}
          </div>
          {review.reviewing !== null && (
            <ReviewWizard
              key={review.reviewing.task.id}
              task={review.reviewing.task}
              resume={review.reviewing.resume}
              now={now}
              offline={connectivity.offline}
              origin={onBoard ? "board" : view === "reconcile" ? "reconcile" : "tasks"}
              onClose={closeReview}
              onSynced={() => void rereadAfterWork()}
            />
          )}
        </div>
      </div>
      {connections.isOpen && (
        <ConnectionsScreen
          profiles={profiles.profiles}
          profilesError={profiles.error}
          onReloadProfiles={() => void reloadProfiles()}
          onProfiles={profiles.show}
          onSaved={onProfileSaved}
          onOpenProfileRemoved={switcher.followRemoval}
          onUse={connections.use}
          switchBlocked={switchBlocked}
          onClose={connections.close}
        />
      )}
    </div>
  );
}
