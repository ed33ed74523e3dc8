import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { AppStatus } from "./bindings/AppStatus";
import type { Connectivity } from "./bindings/Connectivity";
import type { ErrorView } from "./bindings/ErrorView";
import type { ProfileForm } from "./bindings/ProfileForm";
import type { ProfilesView } from "./bindings/ProfilesView";
import type { SyncView } from "./bindings/SyncView";
import type { TaskQuery } from "./bindings/TaskQuery";
import type { TaskRow } from "./bindings/TaskRow";
import { CheckButton, CheckOutcome, type CheckState } from "./components/CheckChanges";
import { ConnectionsScreen } from "./components/connections/ConnectionsScreen";
import { EmptyState } from "./components/EmptyState";
import { Header, type ConnectivityView } from "./components/Header";
import { TaskDetails } from "./components/TaskDetails";
import { TaskList } from "./components/TaskList";
import { UnfinishedSyncs } from "./components/UnfinishedSyncs";
import { ReviewWizard, type TaskRef } from "./components/wizard/ReviewWizard";
import { DEFAULT_FILTERS, Toolbar, filtersActive, type Filters } from "./components/Toolbar";
import { clockOffset, useDebouncedValue, useNow, useThrottledCallback } from "./hooks/time";
import { queryKey, useTaskPages } from "./hooks/useTaskPages";
import {
  appStatus,
  checkChanges,
  checkConnectivity,
  listProfiles,
  setFirstCheckDays,
  setTaskIgnored,
  switchProfile,
  toIpcError,
} from "./ipc";

export const SEARCH_DEBOUNCE_MS = 150;
/** While Check Changes runs, the rows on screen are re-read at most this often. */
export const LIVE_REFRESH_MS = 500;

function isEditable(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName);
}

/** The task the wizard is open on, and whether to finish its unfinished sync at once. */
interface Reviewing {
  task: TaskRow | TaskRef;
  resume: boolean;
}

export function App() {
  const [status, setStatus] = useState<AppStatus | null>(null);
  const offset = useMemo(() => clockOffset(status?.now), [status?.now]);
  const now = useNow(30_000, offset);
  const [statusError, setStatusError] = useState<ErrorView | null>(null);
  const [connectivity, setConnectivity] = useState<ConnectivityView>({ value: { state: "unknown" }, checking: false });
  const [check, setCheck] = useState<CheckState>({ phase: "idle" });
  const [filters, setFilters] = useState<Filters>(DEFAULT_FILTERS);
  const [selected, setSelected] = useState<TaskRow | null>(null);
  const [activeIndex, setActiveIndex] = useState<number | null>(null);
  const [reviewing, setReviewing] = useState<Reviewing | null>(null);
  const reviewingRef = useRef(reviewing);
  reviewingRef.current = reviewing;
  const [profiles, setProfiles] = useState<ProfilesView | null>(null);
  const [profilesError, setProfilesError] = useState<ErrorView | null>(null);
  const profilesRef = useRef(profiles);
  profilesRef.current = profiles;
  const [connectionsOpen, setConnectionsOpen] = useState(false);
  const connectionsOpenRef = useRef(connectionsOpen);
  connectionsOpenRef.current = connectionsOpen;
  /** What had the focus when Connections opened: it gets it back on close. */
  const connectionsOpener = useRef<HTMLElement | null>(null);
  const [switching, setSwitching] = useState(false);
  const [switchError, setSwitchError] = useState<ErrorView | null>(null);

  const searchRef = useRef<HTMLInputElement>(null);
  const listRef = useRef<HTMLDivElement>(null);
  const actionRef = useRef<HTMLButtonElement>(null);

  const search = useDebouncedValue(filters.search.trim(), SEARCH_DEBOUNCE_MS);
  const query = useMemo<TaskQuery>(
    () => ({
      search,
      types: filters.type === null ? [] : [filters.type],
      statuses: filters.status === null ? [] : [filters.status],
      sort: filters.sort,
    }),
    [search, filters.type, filters.status, filters.sort],
  );
  const key = queryKey(query);
  const pages = useTaskPages(query);

  // The selected task is followed by id: when rows arrive, move, or change state (a refresh while
  // Check Changes adds tasks, another query), the highlight and the details follow it. A row moved to
  // with the keyboard before its page has loaded becomes the selection when it arrives.
  const awaitingRow = useRef(false);
  const lastKey = useRef(key);
  useEffect(() => {
    let index = activeIndex;
    if (lastKey.current !== key) {
      lastKey.current = key;
      awaitingRow.current = false;
      index = null;
    }
    if (awaitingRow.current && index !== null) {
      const row = pages.getRow(index);
      if (row !== undefined) {
        awaitingRow.current = false;
        setSelected(row);
      }
      return;
    }
    if (selected === null) {
      if (index !== activeIndex) setActiveIndex(index);
      return;
    }
    const atIndex = index === null ? undefined : pages.getRow(index);
    const found = atIndex?.id === selected.id ? index : pages.indexOf(selected.id);
    if (found !== activeIndex) setActiveIndex(found);
    const fresh = found === null ? undefined : pages.getRow(found);
    if (fresh !== undefined && fresh !== selected) setSelected(fresh);
  }, [key, pages, activeIndex, selected]);

  const reloadStatus = useCallback(async (): Promise<AppStatus | null> => {
    try {
      const next = await appStatus();
      setStatus(next);
      setStatusError(null);
      return next;
    } catch (reason: unknown) {
      setStatusError(toIpcError(reason).view);
      return null;
    }
  }, []);

  const onFirstCheckDays = useCallback(
    async (days: number): Promise<ErrorView | null> => {
      try {
        await setFirstCheckDays(days);
        await reloadStatus();
        return null;
      } catch (reason: unknown) {
        return toIpcError(reason).view;
      }
    },
    [reloadStatus],
  );

  // Only the latest probe counts (a profile switched meanwhile has its own).
  const probes = useRef(0);
  const probeConnectivity = useCallback(async () => {
    probes.current += 1;
    const mine = probes.current;
    setConnectivity((c) => ({ ...c, checking: true }));
    let value: Connectivity;
    try {
      value = await checkConnectivity();
    } catch (reason: unknown) {
      value = { state: "offline", message: toIpcError(reason).message };
    }
    if (probes.current === mine) setConnectivity({ value, checking: false });
  }, []);

  const reloadProfiles = useCallback(async () => {
    try {
      setProfiles(await listProfiles());
      setProfilesError(null);
    } catch (reason: unknown) {
      setProfilesError(toIpcError(reason).view);
    }
  }, []);

  // Start: show the cache at once, then find out in the background whether the services answer.
  useEffect(() => {
    let cancelled = false;
    void reloadProfiles();
    void (async () => {
      const first = await reloadStatus();
      if (cancelled) return;
      if (first !== null) setConnectivity({ value: first.connectivity, checking: false });
      await probeConnectivity();
    })();
    return () => {
      cancelled = true;
    };
  }, [reloadStatus, probeConnectivity, reloadProfiles]);

  const liveRefresh = useThrottledCallback(pages.refresh, LIVE_REFRESH_MS);

  const runCheck = useCallback(async () => {
    setCheck({ phase: "running", progress: null });
    let known = 0;
    try {
      const summary = await checkChanges((progress) => {
        setCheck((current) => (current.phase === "running" ? { phase: "running", progress } : current));
        const created = progress.kind === "readingOrders" ? progress.tasksCreated : progress.kind === "finished" ? progress.summary.tasksCreated : 0;
        if (created > known) {
          known = created;
          liveRefresh.call();
        }
      });
      setCheck({ phase: "done", summary });
      setConnectivity({ value: { state: "online" }, checking: false });
    } catch (reason: unknown) {
      setCheck({ phase: "failed", error: toIpcError(reason).view });
    }
    liveRefresh.flush();
    pages.refresh();
    const next = await reloadStatus();
    if (next !== null && next.connectivity.state !== "unknown") {
      setConnectivity({ value: next.connectivity, checking: false });
    }
  }, [liveRefresh, pages, reloadStatus]);

  const selectIndex = useCallback(
    (index: number) => {
      setActiveIndex(index);
      const row = pages.getRow(index);
      awaitingRow.current = row === undefined;
      if (row !== undefined) setSelected(row);
      listRef.current?.focus({ preventScroll: true });
    },
    [pages],
  );

  const onSetIgnored = useCallback(
    async (task: TaskRow, reason: string | null) => {
      const updated = await setTaskIgnored(task.id, reason);
      pages.patchRow(updated);
      setSelected(updated);
      pages.refresh();
    },
    [pages],
  );

  // Closing the wizard gives the list back, re-read (the task may have changed), with the focus.
  const closeWizard = useCallback(() => {
    setReviewing(null);
    pages.refresh();
    void reloadStatus();
  }, [pages, reloadStatus]);

  const openWizard = useCallback((task: TaskRow) => setReviewing({ task, resume: false }), []);

  // Finish of the banner: the task's wizard, which finishes the sync at once and shows how it went.
  const finishSync = useCallback(
    (sync: SyncView) => {
      const index = pages.indexOf(sync.taskId);
      const row = index === null ? undefined : pages.getRow(index);
      setReviewing({ task: row ?? { id: sync.taskId, label: sync.taskLabel }, resume: true });
    },
    [pages],
  );

  // A sync ran (or was set aside): the task's status in the list, the unfinished syncs and the
  // connection as Rust now sees them.
  const afterSync = useCallback(async () => {
    pages.refresh();
    const next = await reloadStatus();
    if (next !== null && next.connectivity.state !== "unknown") {
      setConnectivity({ value: next.connectivity, checking: false });
    }
  }, [pages, reloadStatus]);
  const wasReviewing = useRef(false);
  useEffect(() => {
    if (wasReviewing.current && reviewing === null) listRef.current?.focus({ preventScroll: true });
    wasReviewing.current = reviewing !== null;
  }, [reviewing]);

  const clearFilters = useCallback(() => {
    setFilters((f) => ({ ...DEFAULT_FILTERS, sort: f.sort }));
    searchRef.current?.focus();
  }, []);

  // Another profile is open: the window starts over on it — its status, its tasks (nothing
  // selected, no wizard, no outcome of the other profile's check) and its connection.
  const resetTo = useCallback(
    (next: AppStatus) => {
      setStatus(next);
      setStatusError(null);
      setSwitchError(null);
      setCheck({ phase: "idle" });
      setReviewing(null);
      awaitingRow.current = false;
      setSelected(null);
      setActiveIndex(null);
      pages.refresh();
      setConnectivity({ value: next.connectivity, checking: false });
      void probeConnectivity();
    },
    [pages, probeConnectivity],
  );

  const switchTo = useCallback(
    async (id: string): Promise<ErrorView | null> => {
      setSwitching(true);
      setSwitchError(null);
      try {
        const next = await switchProfile(id);
        setProfiles((p) => (p === null ? p : { ...p, activeId: id }));
        resetTo(next);
        void reloadProfiles();
        return null;
      } catch (reason: unknown) {
        return toIpcError(reason).view;
      } finally {
        setSwitching(false);
      }
    },
    [resetTo, reloadProfiles],
  );

  const onSwitchProfile = useCallback(
    (id: string) => {
      void switchTo(id).then((error) => setSwitchError(error));
    },
    [switchTo],
  );

  const openConnections = useCallback(() => {
    connectionsOpener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    setConnectionsOpen(true);
    void reloadProfiles();
  }, [reloadProfiles]);

  const closeConnections = useCallback(() => {
    setConnectionsOpen(false);
    void reloadProfiles();
  }, [reloadProfiles]);

  const wasConnectionsOpen = useRef(false);
  useEffect(() => {
    if (wasConnectionsOpen.current && !connectionsOpen) {
      const opener = connectionsOpener.current;
      connectionsOpener.current = null;
      if (opener !== null && opener.isConnected) opener.focus();
      else listRef.current?.focus({ preventScroll: true });
    }
    wasConnectionsOpen.current = connectionsOpen;
  }, [connectionsOpen]);

  // Use this profile: the window starts over on it, and Connections closes (the list is re-read by the switch).
  const chooseProfile = useCallback(
    async (id: string): Promise<ErrorView | null> => {
      const error = await switchTo(id);
      if (error === null) setConnectionsOpen(false);
      return error;
    },
    [switchTo],
  );

  const onProfiles = useCallback((view: ProfilesView) => {
    setProfiles(view);
    setProfilesError(null);
  }, []);

  // The open profile's settings changed: its name and whether it can connect.
  const onProfileSaved = useCallback(
    (form: ProfileForm) => {
      void reloadProfiles();
      if (form.id !== profilesRef.current?.activeId) return;
      void (async () => {
        await reloadStatus();
        await probeConnectivity();
      })();
    },
    [reloadProfiles, reloadStatus, probeConnectivity],
  );

  const onOpenProfileRemoved = useCallback(() => {
    void (async () => {
      try {
        resetTo(await appStatus());
      } catch (reason: unknown) {
        setStatusError(toIpcError(reason).view);
      }
    })();
  }, [resetTo]);

  // `/` or Ctrl+F: search.
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (reviewingRef.current !== null || connectionsOpenRef.current) return;
      const ctrlF = (event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === "f";
      const slash = event.key === "/" && !event.ctrlKey && !event.metaKey && !event.altKey && !isEditable(event.target);
      if (ctrlF || slash) {
        event.preventDefault();
        searchRef.current?.focus();
        searchRef.current?.select();
      }
    };
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  }, []);

  const neverChecked = status !== null && status.lastCheckedAt === null;
  const offline = !connectivity.checking && connectivity.value.state === "offline";
  // A sync this window runs shows as running; only those stopped with the app need finishing.
  const unfinished = (status?.unfinishedSyncs ?? []).filter((sync) => sync.state !== "running");
  const switchBlocked = check.phase === "running" ? "Check Changes is running: wait until it finishes" : null;
  const otherError =
    switchError !== null
      ? { title: "Couldn't switch profile", error: switchError }
      : statusError !== null
        ? { title: "Couldn't read the app's state", error: statusError }
        : null;

  return (
    <div className="app">
      <div className="app-window" inert={connectionsOpen}>
        <Header
          status={status}
          connectivity={connectivity}
          now={now}
          onRetryConnectivity={() => void probeConnectivity()}
          action={<CheckButton check={check} onCheck={() => void runCheck()} />}
          profiles={profiles}
          switching={switching}
          switchBlocked={switchBlocked}
          onSwitchProfile={onSwitchProfile}
          onOpenConnections={openConnections}
        />
        <CheckOutcome
          check={check}
          onDismiss={() => setCheck({ phase: "idle" })}
          otherError={otherError}
          onDismissOtherError={() => (switchError !== null ? setSwitchError(null) : setStatusError(null))}
        />
        <div className="work-area">
          <div className="list-area" inert={reviewing !== null}>
            <UnfinishedSyncs syncs={unfinished} onFinish={finishSync} />
            <Toolbar filters={filters} onChange={setFilters} onClear={clearFilters} total={pages.total} searchRef={searchRef} />
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
                  selectedId={selected?.id ?? null}
                  activeIndex={activeIndex}
                  onSelect={selectIndex}
                  onActivate={() => actionRef.current?.focus()}
                  listRef={listRef}
                  empty={
                    <EmptyState
                      filtered={filtersActive(filters)}
                      neverChecked={neverChecked}
                      filters={filters}
                      onClear={clearFilters}
                      firstCheckDays={status?.firstCheckDays ?? 30}
                      onFirstCheckDays={onFirstCheckDays}
                    />
                  }
                />
              </section>
              <TaskDetails
                task={selected}
                onSetIgnored={onSetIgnored}
                actionRef={actionRef}
                onDone={() => listRef.current?.focus({ preventScroll: true })}
                onSyncChanges={openWizard}
              />
            </main>
          </div>
          {reviewing !== null && (
            <ReviewWizard
              key={reviewing.task.id}
              task={reviewing.task}
              resume={reviewing.resume}
              now={now}
              offline={offline}
              onClose={closeWizard}
              onSynced={() => void afterSync()}
            />
          )}
        </div>
      </div>
      {connectionsOpen && (
        <ConnectionsScreen
          profiles={profiles}
          profilesError={profilesError}
          onReloadProfiles={() => void reloadProfiles()}
          onProfiles={onProfiles}
          onSaved={onProfileSaved}
          onOpenProfileRemoved={onOpenProfileRemoved}
          onUse={chooseProfile}
          switchBlocked={switchBlocked}
          onClose={closeConnections}
        />
      )}
    </div>
  );
}
