// The task list, fetched from Rust a page at a time for the rows on screen (`useWindowedPages`).

import type { TaskPage } from "../bindings/TaskPage";
import type { TaskQuery } from "../bindings/TaskQuery";
import type { TaskRow } from "../bindings/TaskRow";
import { listTasks } from "../ipc";
import { useWindowedPages, type WindowedPages } from "./useWindowedPages";

export { PAGE_SIZE, WINDOW_MARGIN_PAGES } from "./useWindowedPages";

export function queryKey(query: TaskQuery): string {
  return JSON.stringify([query.search, [...query.types].sort(), [...query.statuses].sort(), query.sort]);
}

/** The task list's rows as the list holds them, by task id. */
export type TaskPages = WindowedPages<TaskRow, number>;

const taskId = (row: TaskRow): number => row.id;

export function useTaskPages(query: TaskQuery): TaskPages {
  return useWindowedPages<TaskQuery, TaskRow, number, TaskPage>(query, { key: queryKey(query), read: listTasks, idOf: taskId });
}
