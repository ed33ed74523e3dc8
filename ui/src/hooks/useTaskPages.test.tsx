import { act, renderHook, waitFor } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { TaskPage } from "../bindings/TaskPage";
import type { TaskQuery } from "../bindings/TaskQuery";
import * as ipc from "../ipc";
import { FakeTasks, deferred } from "../test/fixtures";
import { PAGE_SIZE, useTaskPages } from "./useTaskPages";

vi.mock("../ipc", async (importOriginal) => {
  const actual = await importOriginal<typeof import("../ipc")>();
  return { ...actual, listTasks: vi.fn() };
});

const listTasks = vi.mocked(ipc.listTasks);
const ALL: TaskQuery = { search: "", types: [], statuses: [], sort: "dateDesc" };
let tasks: FakeTasks;

beforeEach(() => {
  tasks = new FakeTasks(50_000);
  listTasks.mockImplementation((query, offset, limit) => Promise.resolve(tasks.list(query, offset, limit)));
});

describe("useTaskPages", () => {
  it("reads only the pages on screen of a 50,000-task list", async () => {
    const { result } = renderHook(() => useTaskPages(ALL));
    await waitFor(() => expect(result.current.total).toBe(50_000));
    expect(listTasks).toHaveBeenCalledTimes(1);
    expect(listTasks).toHaveBeenCalledWith(ALL, 0, PAGE_SIZE);

    act(() => result.current.showRange(30_190, 30_215));
    expect(result.current.getRow(30_200)).toBeUndefined(); // placeholder while it loads
    await waitFor(() => expect(result.current.getRow(30_215)?.orderId).toBe("SO130215"));
    expect(listTasks.mock.calls.map(([, offset]) => offset)).toEqual([0, 30_000, 30_200]);
    expect(result.current.getRow(30_190)?.id).toBe(30_191);
  });

  it("keeps showing the rows while a refresh re-reads them, then shows the new ones", async () => {
    const { result } = renderHook(() => useTaskPages(ALL));
    await waitFor(() => expect(result.current.getRow(0)?.customerName).toBe("Green Lane LLC"));

    const slow = deferred<TaskPage>();
    listTasks.mockImplementationOnce(() => slow.promise);
    act(() => result.current.refresh());
    expect(result.current.getRow(0)?.customerName).toBe("Green Lane LLC");

    const renamed = new FakeTasks(10);
    const first = renamed.rows[0];
    if (first) first.customerName = "Blue Lane Inc";
    await act(async () => slow.resolve(renamed.list(ALL, 0, PAGE_SIZE)));
    expect(result.current.getRow(0)?.customerName).toBe("Blue Lane Inc");
    expect(result.current.total).toBe(10);
  });

  it("drops the pages of the old query and ignores its late answers", async () => {
    const late = deferred<TaskPage>();
    listTasks.mockImplementationOnce(() => late.promise);
    const { result, rerender } = renderHook(({ query }) => useTaskPages(query), { initialProps: { query: ALL } });

    const green: TaskQuery = { ...ALL, search: "green" };
    rerender({ query: green });
    await waitFor(() => expect(result.current.total).toBe(1));
    await act(async () => late.resolve(tasks.list(ALL, 0, PAGE_SIZE)));
    expect(result.current.total).toBe(1);
    expect(result.current.getRow(1)).toBeUndefined();
    expect(listTasks).toHaveBeenLastCalledWith(green, 0, PAGE_SIZE);
  });

  it("reports a failed read and tries again on refresh", async () => {
    listTasks.mockRejectedValueOnce(new ipc.IpcError({ code: "store", message: "database is locked", field: null }));
    const { result } = renderHook(() => useTaskPages(ALL));
    await waitFor(() => expect(result.current.error?.message).toBe("database is locked"));
    act(() => result.current.refresh());
    await waitFor(() => expect(result.current.total).toBe(50_000));
    expect(result.current.error).toBeNull();
  });
});
