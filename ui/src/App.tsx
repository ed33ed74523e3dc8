import { useCallback, useEffect, useRef } from "react";
import type { AppStatus } from "./bindings/AppStatus";
import type { ProfileForm } from "./bindings/ProfileForm";
import { CheckButton, CheckOutcome } from "./components/CheckChanges";
import { ConnectionsScreen } from "./components/connections/ConnectionsScreen";
import { EmptyState } from "./components/EmptyState";
import { Header } from "./components/Header";
import { TaskDetails } from "./components/TaskDetails";
import { TaskList } from "./components/TaskList";
import { Toolbar } from "./components/Toolbar";
import { UnfinishedSyncs } from "./components/UnfinishedSyncs";
import { ReviewWizard } from "./components/wizard/ReviewWizard";
import { useAppStatus } from "./hooks/useAppStatus";
import { useCheckChanges } from "./hooks/useCheckChanges";
import { useConnections } from "./hooks/useConnections";
import { useConnectivity } from "./hooks/useConnectivity";
import { useProfileSwitch } from "./hooks/useProfileSwitch";
import { useProfiles } from "./hooks/useProfiles";
import { useReview } from "./hooks/useReview";
import { useSearchShortcut } from "./hooks/useSearchShortcut";
import { useTaskFilters } from "./hooks/useTaskFilters";
import { queryKey, useTaskPages } from "./hooks/useTaskPages";
import { useTaskSelection } from "./hooks/useTaskSelection";
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
  const profiles = useProfiles();
  const { reload: reloadProfiles, isOpen: isOpenProfile } = profiles;

  // Start: show the cache at once, then find out in the background whether the services answer.
  useEffect(() => {
    let cancelled = false;
    void reloadProfiles();
    void (async () => {
      const first = await reloadStatus();
      if (cancelled) return;
      if (first !== null) showConnectivity(first.connectivity);
      await probeConnectivity();
    })();
    return () => {
      cancelled = true;
    };
  }, [reloadStatus, probeConnectivity, reloadProfiles, showConnectivity]);

  // After Check Changes or a sync: the task list, the unfinished syncs and the connection as Rust now sees them.
  const rereadAfterWork = useCallback(async () => {
    pages.refresh();
    const next = await reloadStatus();
    if (next !== null) showKnownConnectivity(next.connectivity);
  }, [pages, reloadStatus, showKnownConnectivity]);

  const check = useCheckChanges({ refreshTasks: pages.refresh, showConnectivity, afterCheck: rereadAfterWork });
  const review = useReview(pages, reloadStatus, listRef);

  // Another profile is open: the window starts over on it — its status, its tasks (nothing
  // selected, no wizard, no outcome of the other profile's check) and its connection.
  const { reset: resetCheck } = check;
  const { clear: clearReview } = review;
  const { clear: clearSelection } = selection;
  const startOver = useCallback(
    (next: AppStatus) => {
      showStatus(next);
      resetCheck();
      clearReview();
      clearSelection();
      pages.refresh();
      showConnectivity(next.connectivity);
      void probeConnectivity();
    },
    [showStatus, resetCheck, clearReview, clearSelection, pages, showConnectivity, probeConnectivity],
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

  useSearchShortcut(filters.searchRef, review.reviewing !== null || connections.isOpen);

  const { check: checkState } = check;
  const neverChecked = status !== null && status.lastCheckedAt === null;
  // A sync this window runs shows as running; only those stopped with the app need finishing.
  const unfinished = (status?.unfinishedSyncs ?? []).filter((sync) => sync.state !== "running");
  const switchBlocked = checkState.phase === "running" ? "Check Changes is running: wait until it finishes" : null;
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
          action={<CheckButton check={checkState} onCheck={(whole) => void check.run(whole)} />}
          profiles={profiles.profiles}
          switching={switcher.switching}
          switchBlocked={switchBlocked}
          onSwitchProfile={switcher.switchFromHeader}
          onOpenConnections={connections.open}
        />
        <CheckOutcome
          check={checkState}
          onDismiss={resetCheck}
          otherError={otherError}
          onDismissOtherError={() => (switcher.error !== null ? switcher.dismissError() : appStatus.dismissError())}
        />
        <div className="work-area">
          <div className="list-area" inert={review.reviewing !== null}>
            <UnfinishedSyncs syncs={unfinished} onFinish={review.finish} />
            <Toolbar
              filters={filters.filters}
              onChange={filters.setFilters}
              onClear={filters.clear}
              total={pages.total}
              searchRef={filters.searchRef}
            />
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
                  empty={
                    <EmptyState
                      filtered={filters.active}
                      neverChecked={neverChecked}
                      filters={filters.filters}
                      onClear={filters.clear}
                      firstCheckDays={status?.firstCheckDays ?? null}
                      onFirstCheckDays={appStatus.setFirstCheckDays}
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
              />
            </main>
          </div>
          {review.reviewing !== null && (
            <ReviewWizard
              key={review.reviewing.task.id}
              task={review.reviewing.task}
              resume={review.reviewing.resume}
              now={now}
              offline={connectivity.offline}
              onClose={review.close}
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
