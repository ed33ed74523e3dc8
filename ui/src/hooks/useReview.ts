import { useCallback, useEffect, useRef, useState, type RefObject } from "react";
import type { SyncView } from "../bindings/SyncView";
import type { TaskRow } from "../bindings/TaskRow";
import type { TaskRef } from "../components/wizard/wizardTask";
import type { TaskPages } from "./useTaskPages";

/** The task the wizard is open on, and whether to finish its unfinished sync at once. */
export interface Reviewing {
  task: TaskRow | TaskRef;
  resume: boolean;
}

export interface Review {
  /** The wizard's task; `null` while the list is shown. */
  reviewing: Reviewing | null;
  /** Sync Changes of the details pane: the task's wizard. */
  open: (task: TaskRow) => void;
  /** Finish of the unfinished-syncs banner: the task's wizard, which finishes the sync at once. */
  finish: (sync: SyncView) => void;
  /** Back to tasks: the list is re-read (the task may have changed), and so is the status. */
  close: () => void;
  /** The wizard goes away with nothing re-read (another profile opened). */
  clear: () => void;
}

/**
 * The review wizard over the list: which task it is open on, opening and closing it. When it closes,
 * the list gets the focus back.
 */
export function useReview(pages: TaskPages, reloadStatus: () => Promise<unknown>, listRef: RefObject<HTMLElement | null>): Review {
  const [reviewing, setReviewing] = useState<Reviewing | null>(null);

  const open = useCallback((task: TaskRow) => setReviewing({ task, resume: false }), []);

  const finish = useCallback(
    (sync: SyncView) => {
      const index = pages.indexOf(sync.taskId);
      const row = index === null ? undefined : pages.getRow(index);
      setReviewing({ task: row ?? { id: sync.taskId, label: sync.taskLabel }, resume: true });
    },
    [pages],
  );

  const close = useCallback(() => {
    setReviewing(null);
    pages.refresh();
    void reloadStatus();
  }, [pages, reloadStatus]);

  const clear = useCallback(() => setReviewing(null), []);

  const wasReviewing = useRef(false);
  useEffect(() => {
    if (wasReviewing.current && reviewing === null) listRef.current?.focus({ preventScroll: true });
    wasReviewing.current = reviewing !== null;
  }, [reviewing, listRef]);

  return { reviewing, open, finish, close, clear };
}
