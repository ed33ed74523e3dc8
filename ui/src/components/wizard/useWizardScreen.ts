import { useCallback, useEffect, useRef, useState } from "react";
import type { ErrorView } from "../../bindings/ErrorView";
import type { WizardView } from "../../bindings/WizardView";
import { useSync, type SyncRun } from "../../hooks/useSync";
import type { Wizard } from "../../hooks/useWizard";
import { discardSync, openWizard, refreshAgreement, toIpcError } from "../../ipc";
import { startStep } from "./wizardSteps";
import type { WizardSteps } from "./useWizardSteps";

/** What the wizard shows in place of the steps (a sync on screen comes before both). */
type Screen = "review" | "history";

interface ScreenOptions {
  taskId: number;
  wizard: Pick<Wizard, "view" | "replace">;
  steps: Pick<WizardSteps, "goTo" | "startAt">;
  /** Finish the task's unfinished sync as soon as the wizard has opened. */
  resume: boolean;
  /** A sync (or setting one aside) has changed the task. */
  onSynced: () => void;
}

export interface WizardScreen {
  sync: SyncRun;
  /** A sync is on screen (running, or its outcome). */
  showingSync: boolean;
  /** The task's sync history is on screen. */
  showingHistory: boolean;
  /** The steps are on screen. */
  reviewing: boolean;
  /** Why the review starts over (after a refresh or a sync set aside). */
  notice: string | null;
  dismissNotice: () => void;
  /** Sync of the summary. */
  syncNow: () => void;
  /** Refresh of a sync that stopped on changes: answers the error, if it failed. */
  refresh: () => Promise<ErrorView | null>;
  /** Set aside of an unfinished sync: answers the error, if it failed. */
  discard: () => Promise<ErrorView | null>;
  /** From a finished sync to the history; `null` when the task has none. */
  showHistory: (() => void) | null;
}

/** What the wizard shows (the review, a sync, or the task's history), where it opens, and the ways back to the review. */
export function useWizardScreen({ taskId, wizard, steps, resume, onSynced }: ScreenOptions): WizardScreen {
  const { view, replace } = wizard;
  const { goTo, startAt } = steps;
  const [screen, setScreen] = useState<Screen>("review");
  const [notice, setNotice] = useState<string | null>(null);
  const onSyncedRef = useRef(onSynced);
  onSyncedRef.current = onSynced;

  // After a run: the task's history and status as Rust recorded them, here and in the list.
  const afterRun = useCallback(async (): Promise<WizardView | null> => {
    onSyncedRef.current();
    try {
      const next = await openWizard(taskId);
      replace(next);
      return next;
    } catch {
      return null;
    }
  }, [replace, taskId]);
  const sync = useSync(taskId, { afterRun });
  const { show: showSync, start: startSync, leave: leaveSync } = sync;

  // The first answer: start where the draft was left — or on the task's unfinished sync, or on the
  // history of a synced task.
  const opened = useRef(false);
  useEffect(() => {
    if (view === null || opened.current) return;
    opened.current = true;
    startAt(view);
    const latest = view.history[0];
    if (latest !== undefined && latest.open) {
      showSync(latest);
      if (resume) startSync();
    } else if (view.task.status === "synced") {
      setScreen("history");
    }
  }, [view, showSync, startSync, resume, startAt]);

  /** Back to the review of a new state from Rust (refreshed, or a sync set aside): its changes. */
  const backToReview = useCallback(
    (next: WizardView, message: string) => {
      replace(next);
      leaveSync();
      setScreen("review");
      setNotice(message);
      goTo(next.plan !== null ? "changes" : startStep(next));
    },
    [replace, leaveSync, goTo],
  );

  const refresh = useCallback(async (): Promise<ErrorView | null> => {
    try {
      const next = await refreshAgreement(taskId);
      backToReview(next, "The agreement was read again from ConnectWise. Review the changes, then Sync.");
      return null;
    } catch (reason: unknown) {
      return toIpcError(reason).view;
    }
  }, [taskId, backToReview]);

  const discard = useCallback(async (): Promise<ErrorView | null> => {
    try {
      const next = await discardSync(taskId);
      backToReview(next, "The unfinished sync was set aside. Review the changes against the agreement as it is now, then Sync.");
      onSyncedRef.current();
      return null;
    } catch (reason: unknown) {
      return toIpcError(reason).view;
    }
  }, [taskId, backToReview]);

  const showingSync = sync.phase.kind !== "idle";
  const showingHistory = !showingSync && screen === "history" && view !== null;
  const showHistory =
    view !== null && view.history.length > 0
      ? () => {
          sync.leave();
          setScreen("history");
        }
      : null;
  const syncNow = () => {
    setNotice(null);
    sync.start();
  };

  return {
    sync,
    showingSync,
    showingHistory,
    reviewing: !showingSync && !showingHistory,
    notice,
    dismissNotice: () => setNotice(null),
    syncNow,
    refresh,
    discard,
    showHistory,
  };
}
