import { act, renderHook, waitFor } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { OPEN_VIEW_EVENT, SCHEDULED_CHECK_EVENT } from "../events";
import { emitEvent, listenerCount } from "../test/events";
import { useDesktopEvents } from "./useDesktopEvents";

function deps() {
  return { afterScheduledCheck: vi.fn(), openConnections: vi.fn(), dispatch: vi.fn() };
}

async function listening(): Promise<void> {
  await waitFor(() => expect(listenerCount(SCHEDULED_CHECK_EVENT)).toBe(1));
  await waitFor(() => expect(listenerCount(OPEN_VIEW_EVENT)).toBe(1));
}

describe("useDesktopEvents", () => {
  it("reads again after a scheduled check, whether it worked or not", async () => {
    const d = deps();
    renderHook(() => useDesktopEvents(d));
    await listening();
    act(() => emitEvent(SCHEDULED_CHECK_EVENT, true));
    act(() => emitEvent(SCHEDULED_CHECK_EVENT, false));
    expect(d.afterScheduledCheck).toHaveBeenCalledTimes(2);
    expect(d.dispatch).not.toHaveBeenCalled();
    expect(d.openConnections).not.toHaveBeenCalled();
  });

  it("shows the view a clicked notification names, Connections included, and drops any other payload", async () => {
    const d = deps();
    renderHook(() => useDesktopEvents(d));
    await listening();
    act(() => emitEvent(OPEN_VIEW_EVENT, "activity"));
    act(() => emitEvent(OPEN_VIEW_EVENT, "tasks"));
    expect(d.dispatch.mock.calls).toEqual([[{ kind: "showView", view: "activity" }], [{ kind: "showView", view: "tasks" }]]);
    act(() => emitEvent(OPEN_VIEW_EVENT, "connections"));
    expect(d.openConnections).toHaveBeenCalledTimes(1);
    act(() => emitEvent(OPEN_VIEW_EVENT, "reconcile"));
    act(() => emitEvent(OPEN_VIEW_EVENT, 3));
    act(() => emitEvent(OPEN_VIEW_EVENT, null));
    expect(d.dispatch).toHaveBeenCalledTimes(2);
    expect(d.openConnections).toHaveBeenCalledTimes(1);
    expect(d.afterScheduledCheck).not.toHaveBeenCalled();
  });

  it("listens once, calling the newest handlers", async () => {
    const first = deps();
    const second = deps();
    const { rerender } = renderHook((props) => useDesktopEvents(props), { initialProps: first });
    await listening();
    rerender(second);
    expect(listenerCount(SCHEDULED_CHECK_EVENT)).toBe(1);
    act(() => emitEvent(SCHEDULED_CHECK_EVENT, true));
    expect(first.afterScheduledCheck).not.toHaveBeenCalled();
    expect(second.afterScheduledCheck).toHaveBeenCalledTimes(1);
  });

  it("stops listening when the window goes, also when it goes before listening had started", async () => {
    const d = deps();
    const { unmount } = renderHook(() => useDesktopEvents(d));
    await listening();
    unmount();
    expect(listenerCount(SCHEDULED_CHECK_EVENT)).toBe(0);
    expect(listenerCount(OPEN_VIEW_EVENT)).toBe(0);
    emitEvent(SCHEDULED_CHECK_EVENT, true);
    expect(d.afterScheduledCheck).not.toHaveBeenCalled();

    // Gone in the same tick it came: the listeners that start afterwards stop at once.
    renderHook(() => useDesktopEvents(d)).unmount();
    await act(async () => {
      await Promise.resolve();
    });
    expect(listenerCount(SCHEDULED_CHECK_EVENT)).toBe(0);
    expect(listenerCount(OPEN_VIEW_EVENT)).toBe(0);
  });

  it("works without Tauri: a listen that fails leaves the window as it is", async () => {
    const event = await import("@tauri-apps/api/event");
    const spy = vi.spyOn(event, "listen").mockRejectedValue(new TypeError("window.__TAURI_INTERNALS__ is undefined"));
    const d = deps();
    const { unmount } = renderHook(() => useDesktopEvents(d));
    await waitFor(() => expect(spy).toHaveBeenCalledTimes(2));
    await act(async () => {
      await Promise.resolve();
    });
    unmount();
    expect(d.afterScheduledCheck).not.toHaveBeenCalled();
  });
});
