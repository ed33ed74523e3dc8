import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { AppStatus } from "./bindings/AppStatus";
import type { ErrorView } from "./bindings/ErrorView";
import type { SyncView } from "./bindings/SyncView";
import type { TaskQuery } from "./bindings/TaskQuery";
import type { TaskRow } from "./bindings/TaskRow";
import { CheckButton, CheckOutcome, type CheckState } from "./components/CheckChanges";
import { EmptyState } from "./components/EmptyState";
import { Header, type ConnectivityView } from "./components/Header";
import { TaskDetails } from "./components/TaskDetails";
import { TaskList } from "./components/TaskList";
import { UnfinishedSyncs } from "./components/UnfinishedSyncs";
import { ReviewWizard, type TaskRef } from "./components/wizard/ReviewWizard";
import { DEFAULT_FILTERS, Toolbar, filtersActive, type Filters } from "./components/Toolbar";
import { useDebouncedValue, useNow, useThrottledCallback } from "./hooks/time";
import { queryKey, useTaskPages } from "./hooks/useTaskPages";
import { appStatus, checkChanges, checkConnectivity, setFirstCheckDays, setTaskIgnored, toIpcError } from "./ipc";

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
  const now = useNow();
  const [status, setStatus] = useState<AppStatus | null>(null);
  const [statusError, setStatusError] = useState<ErrorView | null>(null);
  const [connectivity, setConnectivity] = useState<ConnectivityView>({ value: { state: "unknown" }, checking: false });
  const [check, setCheck] = useState<CheckState>({ phase: "idle" });
  const [filters, setFilters] = useState<Filters>(DEFAULT_FILTERS);
  const [selected, setSelected] = useState<TaskRow | null>(null);
  const [activeIndex, setActiveIndex] = useState<number | null>(null);
  const [reviewing, setReviewing] = useState<Reviewing | null>(null);
  const reviewingRef = useRef(reviewing);
  reviewingRef.current = reviewing;

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

  const probeConnectivity = useCallback(async () => {
    setConnectivity((c) => ({ ...c, checking: true }));
    try {
      const value = await checkConnectivity();
      setConnectivity({ value, checking: false });
    } catch (reason: unknown) {
      setConnectivity({ value: { state: "offline", message: toIpcError(reason).message }, checking: false });
    }
  }, []);

  // Start: show the cache at once, then find out in the background whether the services answer.
  useEffect(() => {
    let cancelled = false;
    void (async () => {
      const first = await reloadStatus();
      if (cancelled) return;
      if (first !== null) setConnectivity({ value: first.connectivity, checking: false });
      await probeConnectivity();
    })();
    return () => {
      cancelled = true;
    };
  }, [reloadStatus, probeConnectivity]);

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

  // `/` or Ctrl+F: search.
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (reviewingRef.current !== null) return;
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

  return (
    <div className="app">
      <Header
        status={status}
        connectivity={connectivity}
        now={now}
        onRetryConnectivity={() => void probeConnectivity()}
        action={<CheckButton check={check} onCheck={() => void runCheck()} />}
      />
      <CheckOutcome
        check={check}
        onDismiss={() => setCheck({ phase: "idle" })}
        otherError={statusError === null ? null : { title: "Couldn't read the app's state", error: statusError }}
        onDismissOtherError={() => setStatusError(null)}
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
  );
}
