import { useCallback, useEffect, useState } from "react";
import type { ActivityRow } from "../bindings/ActivityRow";
import type { AppStatus } from "../bindings/AppStatus";
import type { BoardRow } from "../bindings/BoardRow";
import type { TaskRow } from "../bindings/TaskRow";
import type { TaskRef, UndoRequest } from "../components/wizard/wizardTask";
import { profileKey } from "../screens";
import { NO_ACTIVITY_FILTERS, useActivityFilters } from "./useActivityFilters";

interface Options {
  status: AppStatus | null;
  /** Opens a task's wizard on the undo of one of its syncs. */
  undo: (task: TaskRow | TaskRef, request: UndoRequest) => void;
  /** What the window reads again once something was written (tasks, status). */
  rereadAfterWork: () => Promise<unknown>;
}

/**
 * The activity log's concerns in the main window (SPEC §17): its filters (started over for another
 * profile, whose log is another log), a count that bumps when a sync or an undo has written so the
 * log is read again, and "Undo this sync…" from a row of the log or of a batch's board.
 */
export function useActivity({ status, undo, rereadAfterWork }: Options) {
  const filters = useActivityFilters();
  const shownProfile = status === null ? null : profileKey(status.demo, status.profileName);
  const { setFilters } = filters;
  useEffect(() => setFilters(NO_ACTIVITY_FILTERS), [shownProfile, setFilters]);
  const [written, setWritten] = useState(0);
  const afterWrites = useCallback(() => {
    setWritten((n) => n + 1);
    void rereadAfterWork();
  }, [rereadAfterWork]);
  // A row of the log: the wizard of its task, on the undo of its sync.
  const undoFromActivity = (row: ActivityRow) => {
    if (row.syncId === null || row.taskId === null) return;
    undo({ id: row.taskId, label: row.customer === "" ? row.source : `${row.customer} — ${row.source}` }, { kind: "sync", syncId: row.syncId });
  };
  // A task a batch synced: the sync its row names (else the newest of its syncs that can be undone).
  const undoFromBoard = (row: BoardRow) =>
    undo(row.task, row.syncId !== null ? { kind: "sync", syncId: row.syncId } : { kind: "latest" });
  return { filters, shownProfile, written, afterWrites, undoFromActivity, undoFromBoard };
}
