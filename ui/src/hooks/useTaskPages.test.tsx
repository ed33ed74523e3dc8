import { act, renderHook, waitFor } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { TaskPage } from "../bindings/TaskPage";
import type { TaskQuery } from "../bindings/TaskQuery";
import * as ipc from "../ipc";
import { FakeTasks, deferred, makeRow } from "../test/fixtures";
import { PAGE_SIZE, WINDOW_MARGIN_PAGES, useTaskPages, type TaskPages } from "./useTaskPages";

vi.mock("../ipc", async (importOriginal) => {
  const actual = await importOriginal<typeof import("../ipc")>();
  return { ...actual, listTasks: vi.fn() };
});

const listTasks = vi.mocked(ipc.listTasks);
const ALL: TaskQuery = { search: "", types: [], statuses: [], sort: "dateDesc" };
let tasks: FakeTasks;

/** Rows the hook holds, counted the way the list sees them: every index `getRow` answers for. */
function heldRows(pages: TaskPages): number {
  let held = 0;
  for (let index = 0; index < (pages.total ?? 0); index++) if (pages.getRow(index) !== undefined) held++;
  return held;
}

/** The offsets `listTasks` was asked for, in order. */
function readOffsets(): number[] {
  return listTasks.mock.calls.map(([, offset]) => offset);
}

/** A screen of 50 rows spans at most two pages; the window adds the margin on each side. */
const SCREEN_ROWS = 50;
const MAX_HELD_ROWS = (2 + 2 * WINDOW_MARGIN_PAGES) * PAGE_SIZE;

beforeEach(() => {
  tasks = new FakeTasks(50_000);
  listTasks.mockReset();
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

  it("holds a bounded window of pages while the whole 50,000-task list scrolls by", async () => {
    const { result } = renderHook(() => useTaskPages(ALL));
    await waitFor(() => expect(result.current.total).toBe(50_000));

    let mostHeld = 0;
    for (let first = 0; first < 50_000; first += 150) {
      const last = Math.min(first + SCREEN_ROWS - 1, 49_999);
      await act(async () => result.current.showRange(first, last));
      expect(result.current.getRow(first)).toBeDefined();
      expect(result.current.getRow(last)).toBeDefined();
      mostHeld = Math.max(mostHeld, heldRows(result.current));
    }

    // Every page was read on the way down, and no more than the window was ever held.
    expect(new Set(readOffsets()).size).toBe(50_000 / PAGE_SIZE);
    expect(mostHeld).toBeLessThanOrEqual(MAX_HELD_ROWS);
    expect(result.current.getRow(49_999)?.id).toBe(50_000);
    expect(result.current.total).toBe(50_000);
  }, 20_000); // some 330 screens, each counted over the whole list: give a busy machine time

  it("keeps the pages just off screen: scrolling back a little reads nothing again", async () => {
    const { result } = renderHook(() => useTaskPages(ALL));
    await waitFor(() => expect(result.current.total).toBe(50_000));
    for (const page of [1, 2]) {
      act(() => result.current.showRange(page * PAGE_SIZE, page * PAGE_SIZE + SCREEN_ROWS - 1));
      await waitFor(() => expect(result.current.getRow(page * PAGE_SIZE)).toBeDefined());
    }
    act(() => result.current.showRange(0, SCREEN_ROWS - 1));
    expect(result.current.getRow(0)?.customerName).toBe("Green Lane LLC");
    expect(readOffsets()).toEqual([0, PAGE_SIZE, 2 * PAGE_SIZE]);
  });

  it("reads the first page again, showing placeholders meanwhile, when the list scrolls back to the top", async () => {
    const { result } = renderHook(() => useTaskPages(ALL));
    await waitFor(() => expect(result.current.total).toBe(50_000));
    act(() => result.current.showRange(49_950, 49_999));
    await waitFor(() => expect(result.current.getRow(49_999)).toBeDefined());

    act(() => result.current.showRange(0, SCREEN_ROWS - 1));
    expect(result.current.getRow(0)).toBeUndefined(); // placeholder while it loads
    await waitFor(() => expect(result.current.getRow(0)?.customerName).toBe("Green Lane LLC"));
    expect(readOffsets()).toEqual([0, 49_800, 0]);
    expect(result.current.getRow(49_999)).toBeUndefined();
    expect(result.current.total).toBe(50_000);
  });

  it("doesn't keep an answer for a page that left the window while it was read", async () => {
    const { result } = renderHook(() => useTaskPages(ALL));
    await waitFor(() => expect(result.current.total).toBe(50_000));

    const late = deferred<TaskPage>();
    listTasks.mockImplementationOnce(() => late.promise);
    act(() => result.current.showRange(20_000, 20_049));
    act(() => result.current.showRange(40_000, 40_049));
    await waitFor(() => expect(result.current.getRow(40_000)).toBeDefined());

    await act(async () => late.resolve(tasks.list(ALL, 20_000, PAGE_SIZE)));
    expect(result.current.getRow(20_000)).toBeUndefined();
    expect(heldRows(result.current)).toBeLessThanOrEqual(MAX_HELD_ROWS);

    // Back there, the page is read again.
    act(() => result.current.showRange(20_000, 20_049));
    await waitFor(() => expect(result.current.getRow(20_000)?.id).toBe(20_001));
    expect(readOffsets()).toEqual([0, 20_000, 40_000, 20_000]);
  });

  it("keeps an answer for a page that left the window and came back while it was read, and reads it once", async () => {
    const { result } = renderHook(() => useTaskPages(ALL));
    await waitFor(() => expect(result.current.total).toBe(50_000));

    const late = deferred<TaskPage>();
    listTasks.mockImplementationOnce(() => late.promise);
    act(() => result.current.showRange(20_000, 20_049));
    act(() => result.current.showRange(40_000, 40_049));
    await waitFor(() => expect(result.current.getRow(40_000)).toBeDefined());
    act(() => result.current.showRange(20_000, 20_049));

    await act(async () => late.resolve(tasks.list(ALL, 20_000, PAGE_SIZE)));
    expect(result.current.getRow(20_000)?.id).toBe(20_001);
    expect(readOffsets()).toEqual([0, 20_000, 40_000]);
  });

  it("reads a page that failed again once it has left the window and comes back", async () => {
    const { result } = renderHook(() => useTaskPages(ALL));
    await waitFor(() => expect(result.current.total).toBe(50_000));

    listTasks.mockRejectedValueOnce(new ipc.IpcError({ code: "store", message: "database is locked", field: null }));
    act(() => result.current.showRange(20_000, 20_049));
    await waitFor(() => expect(result.current.error?.message).toBe("database is locked"));

    act(() => result.current.showRange(40_000, 40_049));
    await waitFor(() => expect(result.current.getRow(40_000)).toBeDefined());
    act(() => result.current.showRange(20_000, 20_049));
    await waitFor(() => expect(result.current.getRow(20_000)?.id).toBe(20_001));
    expect(result.current.error).toBeNull();
    expect(readOffsets()).toEqual([0, 20_000, 40_000, 20_000]);
  });

  it("refreshes and patches the pages it holds, and finds the tasks only in them", async () => {
    const { result } = renderHook(() => useTaskPages(ALL));
    await waitFor(() => expect(result.current.total).toBe(50_000));
    act(() => result.current.showRange(30_000, 30_049));
    await waitFor(() => expect(result.current.getRow(30_000)).toBeDefined());

    // The first page has left the window: its tasks aren't found, and patching one changes nothing held.
    expect(result.current.indexOf(30_001)).toBe(30_000);
    expect(result.current.indexOf(1)).toBeNull();
    const version = result.current.version;
    act(() => result.current.patchRow(makeRow(0, { customerName: "Not held" })));
    expect(result.current.version).toBe(version);
    expect(result.current.getRow(0)).toBeUndefined();

    const ignored = makeRow(30_000, { status: "ignored", ignoredReason: "billed manually" });
    act(() => result.current.patchRow(ignored));
    expect(result.current.getRow(30_000)).toBe(ignored);

    // Rust changed a row on screen: a refresh reads the page on screen again, and only it.
    listTasks.mockClear();
    tasks.rows[30_001] = makeRow(30_001, { customerName: "Blue Lane Inc" });
    act(() => result.current.refresh());
    expect(result.current.getRow(30_001)?.customerName).toBe("Customer 30001"); // shown until the new rows arrive
    await waitFor(() => expect(result.current.getRow(30_001)?.customerName).toBe("Blue Lane Inc"));
    expect(readOffsets()).toEqual([30_000]);
    expect(result.current.indexOf(30_002)).toBe(30_001);
  });

  it("reads the first page once when a refresh leaves the list shorter than where it was scrolled to", async () => {
    const { result } = renderHook(() => useTaskPages(ALL));
    await waitFor(() => expect(result.current.total).toBe(50_000));
    for (const first of [29_800, 30_000]) {
      act(() => result.current.showRange(first, first + SCREEN_ROWS - 1));
      await waitFor(() => expect(result.current.getRow(first)).toBeDefined());
    }

    listTasks.mockClear();
    tasks.rows = tasks.rows.slice(0, 10);
    act(() => result.current.refresh());
    await waitFor(() => expect(result.current.getRow(0)?.customerName).toBe("Green Lane LLC"));
    for (let tick = 0; tick < 5; tick++) await act(async () => {});
    expect(result.current.total).toBe(10);
    expect(readOffsets()).toEqual([30_000, 0]);
    // Nothing past the end of the list is held any more, not even the page kept in the margin.
    expect(result.current.getRow(29_800)).toBeUndefined();
    expect(result.current.indexOf(29_801)).toBeNull();
  });
});
