import { useRef } from "react";
import { CheckButton, CheckOutcome } from "./components/CheckChanges";
import { ConnectionsScreen } from "./components/connections/ConnectionsScreen";
import { OpenProfileStatus } from "./components/connections/OpenProfileStatus";
import { Header } from "./components/Header";
import { ActivityScreen } from "./components/activity/ActivityScreen";
import { TasksScreen } from "./components/TasksScreen";
import { BatchScreen } from "./components/batch/BatchScreen";
import { ReconcileScreen } from "./components/reconcile/ReconcileScreen";
import { ViewSwitch } from "./components/reconcile/ViewSwitch";
import { ReviewWizard } from "./components/wizard/ReviewWizard";
import { useActivity } from "./hooks/useActivity";
import { useAppStatus } from "./hooks/useAppStatus";
import { useBatch } from "./hooks/useBatch";
import { useBatchSync } from "./hooks/useBatchSync";
import { useCheckChanges } from "./hooks/useCheckChanges";
import { useConnectivity } from "./hooks/useConnectivity";
import { useDesktopEvents } from "./hooks/useDesktopEvents";
import { useInterruptedBatch } from "./hooks/useInterruptedBatch";
import { useProfileChanges } from "./hooks/useProfileChanges";
import { useProfiles } from "./hooks/useProfiles";
import { useReconcileBook } from "./hooks/useReconcile";
import { useRereadAfterWork } from "./hooks/useRereadAfterWork";
import { useReview } from "./hooks/useReview";
import { useRunCheck } from "./hooks/useRunCheck";
import { useScreenMoves } from "./hooks/useScreenMoves";
import { useScreens } from "./hooks/useScreens";
import { useSearchShortcut } from "./hooks/useSearchShortcut";
import { useStartOver } from "./hooks/useStartOver";
import { useTaskChecks } from "./hooks/useTaskChecks";
import { useTaskDetails } from "./hooks/useTaskDetails";
import { useTaskFilters } from "./hooks/useTaskFilters";
import { queryKey, useTaskPages } from "./hooks/useTaskPages";
import { useTaskSelection } from "./hooks/useTaskSelection";
import { useWindowStart } from "./hooks/useWindowStart";
import { boardBackTo, wizardOrigin } from "./screens";
import { connectwiseRefusalAbove, otherErrorOf, switchBlockedBy } from "./windowNotices";
import "./App.css";

/**
 * The main window: the header, Check Changes, the task list with its toolbar and details (or Reconcile, or Activity), the review
 * wizard over them and the Connections screen over everything. Each concern's state is a hook, which screen shows is `screens.ts`;
 * this component wires them where one concern's event is another's business (a scheduled check, a notification), and renders.
 */
export function App() {
  const appStatus = useAppStatus();
  const { status, now, reload: reloadStatus } = appStatus;
  const connectivity = useConnectivity();
  const { probe: probeConnectivity, show: showConnectivity, showKnown: showKnownConnectivity } = connectivity;
  const filters = useTaskFilters();
  const key = queryKey(filters.query);
  const pages = useTaskPages(filters.query);
  const listRef = useRef<HTMLDivElement>(null);
  const boardRef = useRef<HTMLDivElement>(null);
  const selection = useTaskSelection(pages, key, listRef);
  const details = useTaskDetails(selection.selected, filters.query, pages.total);
  const checks = useTaskChecks(pages, filters.query);
  const batch = useBatch();
  const interrupted = useInterruptedBatch();
  const profiles = useProfiles();
  const { reload: reloadProfiles } = profiles;
  const { reload: reloadInterrupted } = interrupted;
  useWindowStart({ reloadProfiles, reloadInterrupted, reloadStatus, showConnectivity, probeConnectivity });

  const rereadAfterWork = useRereadAfterWork(pages, reloadStatus, showKnownConnectivity);
  const check = useCheckChanges({ refreshTasks: pages.refresh, showConnectivity, afterCheck: rereadAfterWork });
  const rec = useReconcileBook(() => void rereadAfterWork());
  const { screens, dispatch, firstDay } = useScreens(status);
  const review = useReview(screens.reviewing, dispatch, pages, reloadStatus, listRef);
  const activity = useActivity({ status, undo: review.undo, rereadAfterWork });
  const batchSync = useBatchSync({
    onRows: batch.patchRows,
    onBoard: batch.show,
    afterRun: () => {
      activity.afterWrites();
      void reloadInterrupted();
    },
  });
  const moves = useScreenMoves({ screens, dispatch, review, batch, batchSync, pages, checks, recompareBook: rec.recompare, boardRef });
  const startOver = useStartOver({ appStatus, dispatch, check, selection, checks, batch, batchSync, interrupted, pages, connectivity, rec });
  const { switcher, connections, onProfileSaved } = useProfileChanges({ profiles, appStatus, probeConnectivity, startOver, listRef });
  useDesktopEvents({ afterScheduledCheck: rereadAfterWork, openConnections: connections.open, dispatch });

  const onBoard = batch.board !== null;
  const { view, customer } = screens;
  const searchCovered = review.reviewing !== null || connections.isOpen || (view !== "activity" && onBoard);
  useSearchShortcut(view === "activity" ? activity.filters.searchRef : filters.searchRef, searchCovered);
  const { neverChecked, firstCheck, runCheck } = useRunCheck({ status, view, check, dispatch, setFirstCheckDays: appStatus.setFirstCheckDays });
  const switchBlocked = switchBlockedBy(check.check, batchSync.running, rec.run);

  return (
    <div className="app">
      <div className="app-window" inert={connections.isOpen}>
        <Header
          status={status}
          connectivity={connectivity.connectivity}
          now={now}
          onRetryConnectivity={() => void probeConnectivity()}
          action={<CheckButton check={check.check} onCheck={(whole) => void runCheck(whole)} />}
          profiles={profiles.profiles}
          switching={switcher.switching}
          switchBlocked={switchBlocked}
          onSwitchProfile={switcher.switchFromHeader}
          onOpenConnections={connections.open}
          views={<ViewSwitch view={view} onChange={(next) => dispatch({ kind: "showView", view: next })} />}
        />
        <CheckOutcome
          check={check.check}
          onDismiss={check.reset}
          otherError={otherErrorOf(switcher.error, appStatus.error)}
          refusalAbove={connectwiseRefusalAbove(status?.health)}
          onDismissOtherError={() => (switcher.error !== null ? switcher.dismissError() : appStatus.dismissError())}
        />
        <div className="work-area">
          <div className="list-area" inert={review.reviewing !== null}>
            {view === "activity" ? (
              <ActivityScreen key={activity.shownProfile} filters={activity.filters} stale={activity.written} onUndo={activity.undoFromActivity} />
            ) : view === "reconcile" ? (
              <ReconcileScreen
                rec={rec}
                now={now}
                offline={connectivity.offline}
                firstDay={firstDay}
                onFix={moves.fixDrift}
                openId={customer}
                onOpen={(customerId) => dispatch({ kind: "openCustomer", customerId })}
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
                onUndoTask={activity.undoFromBoard}
                onUndone={activity.afterWrites}
                onReplan={() => void batch.reload()}
                onBack={moves.backToList}
                backTo={boardBackTo(screens)}
                gridRef={boardRef}
              />
            ) : (
              <TasksScreen
                status={status}
                filters={filters}
                pages={pages}
                queryKey={key}
                selection={selection}
                details={details}
                checks={checks}
                batch={batch}
                interrupted={interrupted}
                batchBusy={batch.loading || batchSync.running}
                neverChecked={neverChecked}
                firstCheck={firstCheck}
                listRef={listRef}
                onFinishSync={review.finish}
                onFinishBatch={moves.finishBatch}
                onReviewSelection={moves.reviewSelection}
                onSyncChanges={review.open}
              />
            )}
          </div>
          {review.reviewing !== null && (
            <ReviewWizard
              key={review.reviewing.task.id}
              task={review.reviewing.task}
              resume={review.reviewing.resume}
              now={now}
              offline={connectivity.offline}
              origin={wizardOrigin(screens, onBoard)}
              undo={review.reviewing.undo ?? null}
              onClose={moves.closeReview}
              onSynced={activity.afterWrites}
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
          openProfile={status !== null && <OpenProfileStatus status={status} now={now} onScheduleChanged={() => void reloadStatus()} />}
          onClose={connections.close}
        />
      )}
    </div>
  );
}
