import { useCallback, useEffect, useRef, useState } from "react";
import type { ErrorView } from "../../bindings/ErrorView";
import type { WizardView } from "../../bindings/WizardView";
import type { SyncView } from "../../bindings/SyncView";
import { useSync, type SyncRun } from "../../hooks/useSync";
import { useUndo, type UndoRun } from "../../hooks/useUndo";
import type { Wizard } from "../../hooks/useWizard";
import { discardSync, openWizard, refreshAgreement, toIpcError } from "../../ipc";
import type { UndoRequest } from "./wizardTask";
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
  /** Open on the undo of a sync instead of the review. */
  undoRequest: UndoRequest | null;
  /** A sync (or setting one aside) has changed the task. */
  onSynced: () => void;
}

export interface WizardScreen {
  sync: SyncRun;
  /** The undo of one of the task's syncs, when one is open. */
  undo: UndoRun;
  /** A sync is on screen (running, or its outcome). */
  showingSync: boolean;
  /** An undo is on screen (its plan, running, or its outcome). */
  showingUndo: boolean;
  /** A sync or an undo runs: the wizard must not be left. */
  running: boolean;
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
  /** Undo this sync…: the undo of `sync` in place of the history or the result. */
  openUndo: (sync: SyncView) => void;
  /** From the undo back to the task's syncs; `null` while it runs. */
  leaveUndo: (() => void) | null;
  /** Set aside of an unfinished undo: answers the error, if it failed. */
  discardUndo: () => Promise<ErrorView | null>;
}

/**
 * What the wizard shows (the review, a sync, the undo of a sync, or the task's history), where it
 * opens, and the ways back to the review.
 */
export function useWizardScreen({ taskId, wizard, steps, resume, undoRequest, onSynced }: ScreenOptions): WizardScreen {
  const { view, replace } = wizard;
  const { goTo, startAt } = steps;
  const [screen, setScreen] = useState<Screen>("review");
  // The sync whose undo is open; a named one opens at once, before the wizard has.
  const [undoing, setUndoing] = useState<number | null>(undoRequest?.kind === "sync" ? undoRequest.syncId : null);
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
  const undo = useUndo(undoing, { afterRun });
  const { reopen: reopenUndo } = undo;
  const undoRequestRef = useRef(undoRequest);

  // The first answer: start where the draft was left — or on the task's unfinished sync, or on the
  // history of a synced task.
  const opened = useRef(false);
  useEffect(() => {
    if (view === null || opened.current) return;
    opened.current = true;
    startAt(view);
    const latest = view.history[0];
    const request = undoRequestRef.current;
    if (latest !== undefined && latest.open) {
      showSync(latest);
      if (resume) startSync();
    } else if (request?.kind === "latest") {
      // The newest sync Rust says can be undone; without one, the history says why none is offered.
      const target = view.history.find((s) => s.undoable);
      if (target !== undefined) setUndoing(target.id);
      setScreen("history");
    } else if (view.task.status === "synced" || request?.kind === "sync") {
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

  // The unfinished undo set aside: its plan again, as ConnectWise has the agreement now.
  const discardUndo = useCallback(async (): Promise<ErrorView | null> => {
    try {
      replace(await discardSync(taskId));
    } catch (reason: unknown) {
      return toIpcError(reason).view;
    }
    onSyncedRef.current();
    reopenUndo();
    return null;
  }, [taskId, replace, reopenUndo]);

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
  const showingUndo = !showingSync && undoing !== null;
  const showingHistory = !showingSync && !showingUndo && screen === "history" && view !== null;
  const running = sync.running || undo.running;
  const showHistory =
    view !== null && view.history.length > 0
      ? () => {
          sync.leave();
          setUndoing(null);
          setScreen("history");
        }
      : null;
  const openUndo = (target: SyncView) => {
    if (running) return;
    sync.leave();
    setUndoing(target.id);
  };
  const leaveUndo = undo.running
    ? null
    : () => {
        setUndoing(null);
        setScreen("history");
      };
  const syncNow = () => {
    setNotice(null);
    sync.start();
  };

  return {
    sync,
    undo,
    showingSync,
    showingUndo,
    running,
    showingHistory,
    reviewing: !showingSync && !showingUndo && !showingHistory,
    notice,
    dismissNotice: () => setNotice(null),
    syncNow,
    refresh,
    discard,
    showHistory,
    openUndo,
    leaveUndo,
    discardUndo,
  };
}
