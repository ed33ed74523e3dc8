import { useCallback, useEffect, useRef, type Dispatch, type RefObject } from "react";
import type { SyncView } from "../bindings/SyncView";
import type { TaskRow } from "../bindings/TaskRow";
import type { TaskRef, UndoRequest } from "../components/wizard/wizardTask";
import type { Reviewing, ScreenAction } from "../screens";
import type { TaskPages } from "./useTaskPages";

export interface Review {
  /** The wizard's task; `null` while the list is shown. */
  reviewing: Reviewing | null;
  /** Sync Changes of the details pane: the task's wizard. */
  open: (task: TaskRow) => void;
  /** Finish of the unfinished-syncs banner: the task's wizard, which finishes the sync at once. */
  finish: (sync: SyncView) => void;
  /** Undo this sync… (the activity log, a batch's result): the task's wizard, on the undo. */
  undo: (task: TaskRow | TaskRef, request: UndoRequest) => void;
  /** Back to tasks: the list is re-read (the task may have changed), and so is the status. */
  close: () => void;
}

/**
 * The review wizard over the list: opening and closing it. Which task it is open on is one of the
 * window's screens (`screens.ts`); when it closes, the list gets the focus back.
 */
export function useReview(
  reviewing: Reviewing | null,
  dispatch: Dispatch<ScreenAction>,
  pages: TaskPages,
  reloadStatus: () => Promise<unknown>,
  listRef: RefObject<HTMLElement | null>,
): Review {
  const open = useCallback((task: TaskRow) => dispatch({ kind: "openWizard", reviewing: { task, resume: false } }), [dispatch]);

  const finish = useCallback(
    (sync: SyncView) => {
      const index = pages.indexOf(sync.taskId);
      const row = index === null ? undefined : pages.getRow(index);
      dispatch({ kind: "openWizard", reviewing: { task: row ?? { id: sync.taskId, label: sync.taskLabel }, resume: true } });
    },
    [pages, dispatch],
  );

  const undo = useCallback(
    (task: TaskRow | TaskRef, request: UndoRequest) => dispatch({ kind: "openWizard", reviewing: { task, resume: false, undo: request } }),
    [dispatch],
  );

  const close = useCallback(() => {
    dispatch({ kind: "closeWizard" });
    pages.refresh();
    void reloadStatus();
  }, [pages, reloadStatus, dispatch]);

  const wasReviewing = useRef(false);
  useEffect(() => {
    if (wasReviewing.current && reviewing === null) listRef.current?.focus({ preventScroll: true });
    wasReviewing.current = reviewing !== null;
  }, [reviewing, listRef]);

  return { reviewing, open, finish, undo, close };
}
