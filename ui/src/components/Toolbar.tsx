import type { ReactNode, RefObject } from "react";
import type { TaskSort } from "../bindings/TaskSort";
import type { TaskStatus } from "../bindings/TaskStatus";
import type { TaskType } from "../bindings/TaskType";
import {
  TASK_SORTS,
  TASK_SORT_LABELS,
  TASK_STATUSES,
  TASK_STATUS_LABELS,
  TASK_TYPES,
  TASK_TYPE_LABELS,
  formatCount,
  isTaskSort,
  isTaskStatus,
  isTaskType,
} from "../format";
import "./Toolbar.css";

export interface Filters {
  search: string;
  type: TaskType | null;
  status: TaskStatus | null;
  sort: TaskSort;
}

export const DEFAULT_FILTERS: Filters = { search: "", type: null, status: null, sort: "dateDesc" };

export function filtersActive(filters: Filters): boolean {
  return filters.search.trim() !== "" || filters.type !== null || filters.status !== null;
}

interface ToolbarProps {
  filters: Filters;
  onChange: (filters: Filters) => void;
  onClear: () => void;
  total: number | null;
  searchRef: RefObject<HTMLInputElement | null>;
  /** After the count: Export CSV, and the selection for a batch review. */
  children?: ReactNode;
}

export function Toolbar({ filters, onChange, onClear, total, searchRef, children }: ToolbarProps) {
  return (
    <div className="toolbar task-toolbar" role="search">
      <label className="field field-search">
        <span className="visually-hidden">Search tasks</span>
        <input
          ref={searchRef}
          type="search"
          data-testid="search"
          className="input"
          placeholder="Search customer, order or subscription   ( / )"
          value={filters.search}
          spellCheck={false}
          autoComplete="off"
          onChange={(event) => onChange({ ...filters, search: event.target.value })}
          onKeyDown={(event) => {
            if (event.key === "Escape" && filters.search !== "") {
              event.preventDefault();
              onChange({ ...filters, search: "" });
            }
          }}
        />
      </label>

      <label className="field">
        <span className="field-label">Type</span>
        <select
          data-testid="filter-type"
          className="select"
          value={filters.type ?? ""}
          onChange={(event) => {
            const value = event.target.value;
            onChange({ ...filters, type: isTaskType(value) ? value : null });
          }}
        >
          <option value="">All types</option>
          {TASK_TYPES.map((type) => (
            <option key={type} value={type}>
              {TASK_TYPE_LABELS[type]}
            </option>
          ))}
        </select>
      </label>

      <label className="field">
        <span className="field-label">Status</span>
        <select
          data-testid="filter-status"
          className="select"
          value={filters.status ?? ""}
          onChange={(event) => {
            const value = event.target.value;
            onChange({ ...filters, status: isTaskStatus(value) ? value : null });
          }}
        >
          <option value="">All statuses</option>
          {TASK_STATUSES.map((status) => (
            <option key={status} value={status}>
              {TASK_STATUS_LABELS[status]}
            </option>
          ))}
        </select>
      </label>

      <label className="field">
        <span className="field-label">Sort</span>
        <select
          data-testid="sort"
          className="select"
          value={filters.sort}
          onChange={(event) => {
            const value = event.target.value;
            if (isTaskSort(value)) onChange({ ...filters, sort: value });
          }}
        >
          {TASK_SORTS.map((sort) => (
            <option key={sort} value={sort}>
              {TASK_SORT_LABELS[sort]}
            </option>
          ))}
        </select>
      </label>

      {filtersActive(filters) && (
        <button type="button" className="btn btn-small btn-ghost" data-testid="clear-filters" onClick={onClear}>
          Clear filters
        </button>
      )}

      <div className="toolbar-spacer" />
      <span className="task-count" data-testid="task-count" data-count={total ?? undefined} aria-live="polite">
        {total === null ? "Loading…" : `${formatCount(total)} ${total === 1 ? "task" : "tasks"}`}
      </span>
      {children}
    </div>
  );
}
