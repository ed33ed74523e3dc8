import { act, renderHook } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import type { Connectivity } from "../bindings/Connectivity";
import * as ipc from "../ipc";
import { deferred } from "../test/fixtures";
import { useConnectivity } from "./useConnectivity";

vi.mock("../ipc", async (importOriginal) => (await import("../test/mockIpc")).mockIpc(importOriginal));

const checkConnectivity = vi.mocked(ipc.checkConnectivity);

describe("useConnectivity", () => {
  it("shows only the latest probe's answer", async () => {
    const first = deferred<Connectivity>();
    const second = deferred<Connectivity>();
    checkConnectivity.mockReturnValueOnce(first.promise).mockReturnValueOnce(second.promise);
    const { result } = renderHook(() => useConnectivity());

    let probes: Promise<void>[] = [];
    act(() => {
      probes = [result.current.probe(), result.current.probe()];
    });
    expect(result.current.connectivity.checking).toBe(true);
    expect(result.current.offline).toBe(false);

    await act(async () => {
      second.resolve({ state: "online" });
      first.resolve({ state: "offline", message: "no route to host" });
      await Promise.all(probes);
    });
    expect(result.current.connectivity).toEqual({ value: { state: "online" }, checking: false });
  });

  it("shows a failed probe as offline, with its message", async () => {
    checkConnectivity.mockRejectedValueOnce({ code: "unreachable", message: "connection refused" });
    const { result } = renderHook(() => useConnectivity());
    await act(() => result.current.probe());
    expect(result.current.connectivity.value).toEqual({ state: "offline", message: "connection refused" });
    expect(result.current.offline).toBe(true);
  });

  it("keeps what it shows when Rust has not tried yet", () => {
    const { result } = renderHook(() => useConnectivity());
    act(() => result.current.show({ state: "online" }));
    act(() => result.current.showKnown({ state: "unknown" }));
    expect(result.current.connectivity.value).toEqual({ state: "online" });
    act(() => result.current.showKnown({ state: "notSetUp", message: "no ConnectWise keys" }));
    expect(result.current.connectivity.value).toEqual({ state: "notSetUp", message: "no ConnectWise keys" });
  });
});
