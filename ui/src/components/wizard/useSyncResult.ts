import { useEffect, useRef, type RefObject } from "react";
import type { ErrorView } from "../../bindings/ErrorView";
import type { SyncView } from "../../bindings/SyncView";
import { useBusyAction, type BusyAction } from "../../hooks/useBusyAction";
import { useInlineConfirm, type InlineConfirm } from "../../hooks/useInlineConfirm";
import { syncOutcome, type SyncOutcome } from "./syncOutcome";

/** Refresh and Set aside: the two actions that take the wizard back to the review. */
export type SyncAction = "refresh" | "discard";

export interface SyncResultState {
  outcome: SyncOutcome;
  actions: BusyAction<SyncAction>;
  /** The question before Set aside. */
  confirm: InlineConfirm;
  titleRef: RefObject<HTMLHeadingElement | null>;
  /** What comes next once the run ends (Refresh, Retry or Back to tasks): it takes the focus. */
  primaryRef: RefObject<HTMLButtonElement | null>;
  /** The error on screen: of Refresh or Set aside, else of the run. */
  shownError: ErrorView | null;
  errorTitle: string;
  /** Dismisses both the action's error and the run's. */
  dismissError: () => void;
}

/** The sync screen's state: where the sync stands, Refresh and Set aside with their errors, and where the focus goes. */
export function useSyncResult(
  view: SyncView | null,
  running: boolean,
  error: ErrorView | null,
  onDismissError: () => void,
  runFailure = "Couldn't sync",
): SyncResultState {
  const outcome = syncOutcome(view, running);
  const actions = useBusyAction<SyncAction>();
  const titleRef = useRef<HTMLHeadingElement>(null);
  const primaryRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    titleRef.current?.focus();
  }, []);

  // When the run ends, the focus goes to what comes next (Enter continues).
  const wasRunning = useRef(running);
  useEffect(() => {
    if (wasRunning.current && !running) primaryRef.current?.focus();
    wasRunning.current = running;
  }, [running]);

  const confirm = useInlineConfirm();

  const failed = actions.failed;
  const shownError = failed?.error ?? error;
  const errorTitle =
    failed === null ? runFailure : failed.which === "refresh" ? "Couldn't read the agreement again" : "Couldn't set the sync aside";
  const dismissAction = actions.dismiss;
  const dismissError = () => {
    dismissAction();
    onDismissError();
  };

  return { outcome, actions, confirm, titleRef, primaryRef, shownError, errorTitle, dismissError };
}
