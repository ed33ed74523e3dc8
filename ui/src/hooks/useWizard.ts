import { useCallback, useEffect, useState } from "react";
import type { ErrorView } from "../bindings/ErrorView";
import type { WizardEdit } from "../bindings/WizardEdit";
import type { WizardView } from "../bindings/WizardView";
import { editWizard, openWizard, toIpcError } from "../ipc";
import { useCommand } from "./useCommand";
import { useMounted } from "./useMounted";

export interface Wizard {
  /** The last state Rust returned; `null` until the wizard has opened. */
  view: WizardView | null;
  /** The last command that failed, for the wizard's error banner. */
  error: ErrorView | null;
  /** `open_wizard` is running. */
  opening: boolean;
  /** Commands sent and not answered yet. */
  inFlight: number;
  /**
   * The highest sequence number answered (applied, failed, or superseded by a newer answer). A
   * field that sent edit `n` shows Rust's value again once `answered >= n`.
   */
  answered: number;
  /** Sends an edit; returns its sequence number. The answer replaces the view unless a newer one came first. */
  send: (edit: WizardEdit) => number;
  /** Reads the wizard again (after an error). */
  reload: () => void;
  /** Shows an error of another command (a search) in the banner. */
  reportError: (reason: unknown) => void;
  dismissError: () => void;
  /**
   * Shows a state another command returned (a refresh or a set-aside sync); answers to edits sent
   * before it are dropped.
   */
  replace: (next: WizardView) => void;
}

/**
 * The review wizard of one task. Every edit goes to Rust, which validates, recomputes and saves the
 * draft, and answers with the whole new state. Answers are numbered: one that arrives after a newer
 * one was shown is dropped, so the screen never goes back to an older state.
 */
export function useWizard(taskId: number): Wizard {
  const {
    data: view,
    error,
    inFlight,
    answered,
    start,
    show,
    setError,
    dismissError,
  } = useCommand<WizardView>({ newestAnswer: true, keepErrorUntilDismissed: true, countCalls: true });
  // Only `open_wizard`: an edit running is not the wizard opening.
  const [opening, setOpening] = useState(true);
  const mounted = useMounted();

  const reload = useCallback(() => {
    setOpening(true);
    dismissError();
    start(() =>
      openWizard(taskId).finally(() => {
        if (mounted()) setOpening(false);
      }),
    );
  }, [start, dismissError, taskId, mounted]);

  useEffect(() => {
    reload();
  }, [reload]);

  const send = useCallback((edit: WizardEdit) => start(() => editWizard(taskId, edit)), [start, taskId]);

  const reportError = useCallback(
    (reason: unknown) => {
      if (mounted()) setError(toIpcError(reason).view);
    },
    [mounted, setError],
  );

  const replace = useCallback(
    (next: WizardView) => {
      if (mounted()) show(next);
    },
    [mounted, show],
  );

  return { view, error, opening, inFlight, answered, send, reload, reportError, dismissError, replace };
}
