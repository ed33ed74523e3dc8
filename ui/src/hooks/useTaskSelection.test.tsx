import { act, renderHook } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import type { TaskRow } from "../bindings/TaskRow";
import { makeRow } from "../test/fixtures";
import type { TaskPages } from "./useTaskPages";
import { useTaskSelection } from "./useTaskSelection";

vi.mock("../ipc", async (importOriginal) => (await import("../test/mockIpc")).mockIpc(importOriginal));

/** The loaded rows of a list, by index; `undefined` where a page is still loading. */
function pagesOf(rows: (TaskRow | undefined)[]): TaskPages {
  return {
    total: rows.length,
    error: null,
    version: 0,
    getRow: (index) => rows[index],
    indexOf: (id) => {
      const at = rows.findIndex((row) => row?.id === id);
      return at < 0 ? null : at;
    },
    showRange: () => {},
    refresh: () => {},
    patchRow: () => {},
  };
}

const [a, b, c, d] = [makeRow(0), makeRow(1), makeRow(2), makeRow(3)];

function setup(pages: TaskPages, key = "all") {
  const list = document.createElement("div");
  list.tabIndex = 0;
  document.body.append(list);
  const listRef = { current: list };
  const hook = renderHook(({ pages, key }) => useTaskSelection(pages, key, listRef), { initialProps: { pages, key } });
  return { ...hook, list };
}

describe("useTaskSelection", () => {
  it("selects the row moved to and keeps the focus in the list", () => {
    const { result, list } = setup(pagesOf([a, b, c]));
    act(() => result.current.selectIndex(1));
    expect(result.current.selected).toBe(b);
    expect(result.current.activeIndex).toBe(1);
    expect(list).toHaveFocus();
  });

  it("follows the selected task when rows arrive above it, and shows its new state", () => {
    const { result, rerender } = setup(pagesOf([a, b, c]));
    act(() => result.current.selectIndex(1));

    rerender({ pages: pagesOf([d, a, b, c]), key: "all" });
    expect(result.current.activeIndex).toBe(2);
    expect(result.current.selected).toBe(b);

    const ignored = { ...b, status: "ignored" as const, ignoredReason: "billed manually" };
    rerender({ pages: pagesOf([d, a, ignored, c]), key: "all" });
    expect(result.current.activeIndex).toBe(2);
    expect(result.current.selected).toBe(ignored);
  });

  it("selects a row moved to before its page has loaded once it arrives", () => {
    const { result, rerender } = setup(pagesOf([a, undefined, undefined]));
    act(() => result.current.selectIndex(2));
    expect(result.current.activeIndex).toBe(2);
    expect(result.current.selected).toBeNull();

    rerender({ pages: pagesOf([a, b, c]), key: "all" });
    expect(result.current.selected).toBe(c);
    expect(result.current.activeIndex).toBe(2);
  });

  it("keeps the selection and its place while its page is dropped, scrolled far away", () => {
    const { result, rerender } = setup(pagesOf([a, b, c]));
    act(() => result.current.selectIndex(1));

    rerender({ pages: pagesOf([a, undefined, c]), key: "all" });
    expect(result.current.selected).toBe(b);
    expect(result.current.activeIndex).toBe(1); // the keyboard moves on from there

    rerender({ pages: pagesOf([a, b, c]), key: "all" });
    expect(result.current.selected).toBe(b);
    expect(result.current.activeIndex).toBe(1);
  });

  it("follows the selected task when its page comes back with the task elsewhere", () => {
    const { result, rerender } = setup(pagesOf([a, b, c]));
    act(() => result.current.selectIndex(1));
    rerender({ pages: pagesOf([a, undefined, c]), key: "all" });

    rerender({ pages: pagesOf([d, a, b, c]), key: "all" });
    expect(result.current.activeIndex).toBe(2);
    expect(result.current.selected).toBe(b);
  });

  it("drops the highlight under another query until the selected task is found in it", () => {
    const { result, rerender } = setup(pagesOf([a, b, c]));
    act(() => result.current.selectIndex(1));

    rerender({ pages: pagesOf([undefined]), key: "search" });
    expect(result.current.activeIndex).toBeNull();
    expect(result.current.selected).toBe(b); // the details stay

    rerender({ pages: pagesOf([b]), key: "search" });
    expect(result.current.activeIndex).toBe(0);
  });

  it("forgets the selection, even a row still loading, when cleared", () => {
    const { result, rerender } = setup(pagesOf([a, undefined]));
    act(() => result.current.selectIndex(1));
    act(() => result.current.clear());
    rerender({ pages: pagesOf([a, b]), key: "all" });
    expect(result.current.selected).toBeNull();
    expect(result.current.activeIndex).toBeNull();
  });
});
