import { useCallback, useMemo, useRef, useState, type Dispatch, type RefObject, type SetStateAction } from "react";
import type { TaskQuery } from "../bindings/TaskQuery";
import { DEFAULT_FILTERS, filtersActive, type Filters } from "../components/Toolbar";
import { useDebouncedValue } from "./time";

export const LIST_SEARCH_DEBOUNCE_MS = 150;

export interface TaskFilters {
  /** The toolbar as the user left it (the search as typed). */
  filters: Filters;
  setFilters: Dispatch<SetStateAction<Filters>>;
  /** Anything but the sort narrows the list. */
  active: boolean;
  /** Clears the search and the filters (the sort stays) and puts the focus in the search. */
  clear: () => void;
  /** The query the list is read with: the search once the typing has stopped, trimmed. */
  query: TaskQuery;
  searchRef: RefObject<HTMLInputElement | null>;
}

/** The task query of the toolbar's filters and sort, with `search` (as typed, or once the typing has stopped). */
export function taskQuery(filters: Filters, search: string): TaskQuery {
  return {
    search: search.trim(),
    types: filters.type === null ? [] : [filters.type],
    statuses: filters.status === null ? [] : [filters.status],
    sort: filters.sort,
  };
}

/** The toolbar's search, filters and sort, and the task query they make. */
export function useTaskFilters(): TaskFilters {
  const [filters, setFilters] = useState<Filters>(DEFAULT_FILTERS);
  const searchRef = useRef<HTMLInputElement>(null);

  const search = useDebouncedValue(filters.search.trim(), LIST_SEARCH_DEBOUNCE_MS);
  const { type, status, sort } = filters;
  const query = useMemo<TaskQuery>(() => taskQuery({ search, type, status, sort }, search), [search, type, status, sort]);

  const clear = useCallback(() => {
    setFilters((f) => ({ ...DEFAULT_FILTERS, sort: f.sort }));
    searchRef.current?.focus();
  }, []);

  return { filters, setFilters, active: filtersActive(filters), clear, query, searchRef };
}
