import { useCallback, useEffect, useRef, useState } from "react";
import type { ActivityPage } from "../bindings/ActivityPage";
import type { ActivityQuery } from "../bindings/ActivityQuery";
import type { ActivityRow } from "../bindings/ActivityRow";
import type { ErrorView } from "../bindings/ErrorView";
import type { SavedFile } from "../bindings/SavedFile";
import { listActivity, saveActivityCsv } from "../ipc";
import { useDebouncedValue } from "./time";
import { useCommand } from "./useCommand";
import { activityKey, activityQuery, type ActivityFilters } from "./useActivityFilters";
import { useWindowedPages, type WindowedPages } from "./useWindowedPages";

/** The search is sent to Rust once the person stops typing for this long. */
export const ACTIVITY_SEARCH_DEBOUNCE_MS = 200;

export interface ActivityLog {
  /** The log's rows for the query, read a window at a time as the list scrolls. */
  pages: WindowedPages<ActivityRow, string>;
  /** The query the rows were read with (the search once the typing has stopped). */
  queryKey: string;
  /** The profiles the log holds writes of, for the profile filter. */
  profiles: string[];
  /** Where Export CSV saved the log, and how many rows; `null` until it has (or once the query changed, or the save dialog was cancelled). */
  saved: SavedFile | null;
  saving: boolean;
  csvError: ErrorView | null;
  dismissCsvError: () => void;
  /** Saves every row matching the search and filters as shown (the search as typed) as CSV. */
  exportCsv: () => void;
}

const rowId = (row: ActivityRow): string => row.id;

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((value, index) => value === b[index]);
}

/**
 * The activity log as the Activity view shows it: its rows for the filters (the search once typing
 * stops), the profiles to filter by, and its CSV. `stale` bumps when something may have written
 * (a sync or an undo finished): the rows on screen are read again.
 */
export function useActivityLog(filters: ActivityFilters, stale: number): ActivityLog {
  const settled = useDebouncedValue(filters.search, ACTIVITY_SEARCH_DEBOUNCE_MS);
  const query = activityQuery(filters, settled);
  const queryKey = activityKey(query);
  const [profiles, setProfiles] = useState<string[]>([]);

  const onPage = useCallback((page: ActivityPage) => {
    setProfiles((known) => (sameList(known, page.profiles) ? known : page.profiles));
  }, []);
  const pages = useWindowedPages<ActivityQuery, ActivityRow, string, ActivityPage>(query, { key: queryKey, read: listActivity, idOf: rowId, onPage });

  // Something was written since: the rows on screen are read again (not on the first render).
  const { refresh } = pages;
  const seen = useRef(stale);
  useEffect(() => {
    if (seen.current === stale) return;
    seen.current = stale;
    refresh();
  }, [stale, refresh]);

  // A cancelled save dialog answers `null`: nothing was saved, so nothing is said (not even an earlier file).
  const csv = useCommand<SavedFile | null>();
  const { run: runCsv, update: updateCsv, dismissError: dismissCsvError } = csv;
  // What Export CSV saves: the filters and the search as shown, settled or not.
  const shown = activityQuery(filters, filters.search);
  const shownRef = useRef(shown);
  shownRef.current = shown;
  const shownKey = activityKey(shown);
  // The file saved no longer matches the log once the search or a filter changes.
  useEffect(() => {
    updateCsv(() => null);
    dismissCsvError();
  }, [shownKey, updateCsv, dismissCsvError]);

  const exportCsv = useCallback(() => {
    void runCsv(() => saveActivityCsv(shownRef.current));
  }, [runCsv]);

  return {
    pages,
    queryKey,
    profiles,
    saved: csv.data,
    saving: csv.busy,
    csvError: csv.error,
    dismissCsvError,
    exportCsv,
  };
}
