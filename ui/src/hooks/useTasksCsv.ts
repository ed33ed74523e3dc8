import { useCallback, useEffect, useRef } from "react";
import type { ErrorView } from "../bindings/ErrorView";
import type { SavedFile } from "../bindings/SavedFile";
import type { Filters } from "../components/Toolbar";
import { saveTasksCsv } from "../ipc";
import { useCommand } from "./useCommand";
import { taskQuery } from "./useTaskFilters";
import { queryKey } from "./useTaskPages";

export interface TasksCsv {
  /** Where Export CSV saved the tasks, and how many; `null` until it has, once the list shows others, or when the save dialog was cancelled. */
  saved: SavedFile | null;
  saving: boolean;
  error: ErrorView | null;
  dismissError: () => void;
  /** Saves the tasks the list shows — the search as typed, the filters and the sort — as CSV, where the person chooses. */
  exportCsv: () => void;
}

/**
 * Export CSV of the task list. `profile` names the open profile: the file saved was of another
 * profile's tasks once it changes.
 */
export function useTasksCsv(filters: Filters, profile: string | null): TasksCsv {
  // A cancelled save dialog answers `null`: nothing was saved, so nothing is said.
  const csv = useCommand<SavedFile | null>();
  const { run, update, dismissError } = csv;
  const shown = taskQuery(filters, filters.search);
  const shownRef = useRef(shown);
  shownRef.current = shown;
  const shownKey = queryKey(shown);

  // The file saved no longer matches the list once it shows other tasks.
  useEffect(() => {
    update(() => null);
    dismissError();
  }, [shownKey, profile, update, dismissError]);

  const exportCsv = useCallback(() => {
    void run(() => saveTasksCsv(shownRef.current));
  }, [run]);

  return { saved: csv.data, saving: csv.busy, error: csv.error, dismissError, exportCsv };
}
