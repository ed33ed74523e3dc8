import { useCallback, useRef, useState, type Dispatch, type RefObject, type SetStateAction } from "react";
import type { ActivityKind } from "../bindings/ActivityKind";
import type { ActivityQuery } from "../bindings/ActivityQuery";
import type { ActivityResult } from "../bindings/ActivityResult";

/** The Activity view's search and filters, as the person left them. */
export interface ActivityFilters {
  /** Customer, order, agreement (name or id) or addition id, as typed. */
  search: string;
  profile: string | null;
  kind: ActivityKind | null;
  result: ActivityResult | null;
  /** `yyyy-MM-dd` as the date field gives it; empty for no bound. */
  from: string;
  to: string;
}

export const NO_ACTIVITY_FILTERS: ActivityFilters = { search: "", profile: null, kind: null, result: null, from: "", to: "" };

export function activityFiltersActive(filters: ActivityFilters): boolean {
  return (
    filters.search.trim() !== "" ||
    filters.profile !== null ||
    filters.kind !== null ||
    filters.result !== null ||
    filters.from !== "" ||
    filters.to !== ""
  );
}

/** The query the log is read (and exported) with, for `search` as it stands. */
export function activityQuery(filters: ActivityFilters, search: string): ActivityQuery {
  return {
    search,
    profile: filters.profile,
    kind: filters.kind,
    result: filters.result,
    from: filters.from === "" ? null : filters.from,
    to: filters.to === "" ? null : filters.to,
  };
}

/** A query as a key: a new key reads the log from its top. */
export function activityKey(query: ActivityQuery): string {
  return JSON.stringify([query.search, query.profile, query.kind, query.result, query.from, query.to]);
}

export interface ActivityFilterState {
  filters: ActivityFilters;
  setFilters: Dispatch<SetStateAction<ActivityFilters>>;
  /** Anything narrows the log. */
  active: boolean;
  /** Clears the search and the filters and puts the focus in the search. */
  clear: () => void;
  searchRef: RefObject<HTMLInputElement | null>;
}

/**
 * The Activity view's search and filters. They belong to the window, not to the view, so that they
 * are as the person left them when they come back to Activity from Tasks or Reconcile.
 */
export function useActivityFilters(): ActivityFilterState {
  const [filters, setFilters] = useState<ActivityFilters>(NO_ACTIVITY_FILTERS);
  const searchRef = useRef<HTMLInputElement>(null);
  const clear = useCallback(() => {
    setFilters(NO_ACTIVITY_FILTERS);
    searchRef.current?.focus();
  }, []);
  return { filters, setFilters, active: activityFiltersActive(filters), clear, searchRef };
}
