import { act, renderHook } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { ErrorView } from "../bindings/ErrorView";
import { IpcError } from "../ipc";
import { deferred } from "../test/fixtures";
import { useCommand } from "./useCommand";

const REFUSED: ErrorView = { code: "invalid", message: "The date must be yyyy-MM-dd", field: "effectiveDate" };

describe("useCommand", () => {
  it("is busy while the call runs, then keeps its answer", async () => {
    const answer = deferred<string>();
    const { result } = renderHook(() => useCommand<string>());
    expect(result.current).toMatchObject({ data: null, error: null, busy: false });

    let call: Promise<string | null> = Promise.resolve(null);
    act(() => {
      call = result.current.run(() => answer.promise);
    });
    expect(result.current.busy).toBe(true);

    await act(async () => {
      answer.resolve("board 7");
      await call;
    });
    expect(result.current).toMatchObject({ data: "board 7", error: null, busy: false });
    await expect(call).resolves.toBe("board 7");
  });

  it("drops the answer of a call a newer one overtook, whichever arrives last", async () => {
    const older = deferred<string>();
    const newer = deferred<string>();
    const { result } = renderHook(() => useCommand<string>());

    let calls: Promise<string | null>[] = [];
    act(() => {
      calls = [result.current.run(() => older.promise), result.current.run(() => newer.promise)];
    });
    await act(async () => {
      newer.resolve("newer");
      older.resolve("older");
      await Promise.all(calls);
    });
    expect(result.current.data).toBe("newer");
    expect(result.current.busy).toBe(false);
    await expect(calls[0]).resolves.toBeNull();
  });

  it("drops an overtaken call's error too, and stays busy until the newest answers", async () => {
    const older = deferred<string>();
    const newer = deferred<string>();
    const { result } = renderHook(() => useCommand<string>());

    let calls: Promise<string | null>[] = [];
    act(() => {
      calls = [result.current.run(() => older.promise), result.current.run(() => newer.promise)];
    });
    await act(async () => {
      older.reject(REFUSED);
      await calls[0];
    });
    expect(result.current.error).toBeNull();
    expect(result.current.busy).toBe(true);

    await act(async () => {
      newer.resolve("newer");
      await calls[1];
    });
    expect(result.current).toMatchObject({ data: "newer", error: null, busy: false });
  });

  it("keeps a failure as the ErrorView Rust sent, or as an unexpected one", async () => {
    const { result } = renderHook(() => useCommand<string>());

    await act(() => result.current.run(() => Promise.reject(REFUSED)));
    expect(result.current.error).toEqual(REFUSED);
    expect(result.current.busy).toBe(false);

    await act(() => result.current.run(() => Promise.reject(new Error("socket closed"))));
    expect(result.current.error).toEqual({ code: "unexpected", message: "socket closed", field: null });
  });

  it("clears the error when the next call starts, or — keeping it while busy — when it answers", async () => {
    const plain = renderHook(() => useCommand<string>());
    const kept = renderHook(() => useCommand<string>({ keepErrorWhileBusy: true }));
    for (const { result } of [plain, kept]) await act(() => result.current.run(() => Promise.reject(REFUSED)));

    const answers = [deferred<string>(), deferred<string>()];
    let calls: Promise<string | null>[] = [];
    act(() => {
      calls = [plain.result.current.run(() => answers[0]!.promise), kept.result.current.run(() => answers[1]!.promise)];
    });
    expect(plain.result.current.error).toBeNull();
    expect(kept.result.current.error).toEqual(REFUSED);

    await act(async () => {
      for (const answer of answers) answer.resolve("read again");
      await Promise.all(calls);
    });
    expect(kept.result.current.error).toBeNull();
  });

  it("with everyAnswer, keeps each answer as it arrives", async () => {
    const older = deferred<string>();
    const newer = deferred<string>();
    const { result } = renderHook(() => useCommand<string>({ everyAnswer: true }));

    let calls: Promise<string | null>[] = [];
    act(() => {
      calls = [result.current.run(() => older.promise), result.current.run(() => newer.promise)];
    });
    await act(async () => {
      newer.resolve("newer");
      older.resolve("older");
      await Promise.all(calls);
    });
    expect(result.current.data).toBe("older");
  });

  it("drops answers after drop, reset, or the component has gone", async () => {
    const dropped = deferred<string>();
    const afterReset = deferred<string>();
    const afterUnmount = deferred<string>();
    const { result, unmount } = renderHook(() => useCommand<string>());

    let calls: Promise<string | null>[] = [];
    act(() => {
      calls = [result.current.run(() => dropped.promise)];
      result.current.drop();
    });
    expect(result.current.busy).toBe(false);
    await act(async () => {
      dropped.resolve("dropped");
      await calls[0];
    });
    expect(result.current.data).toBeNull();

    act(() => {
      calls = [result.current.run(() => afterReset.promise)];
      result.current.reset();
    });
    await act(async () => {
      afterReset.reject(REFUSED);
      await calls[0];
    });
    expect(result.current).toMatchObject({ data: null, error: null, busy: false });

    const live: (() => boolean)[] = [];
    act(() => {
      calls = [
        result.current.run((isLive) => {
          live.push(isLive);
          return afterUnmount.promise;
        }),
      ];
    });
    expect(live[0]?.()).toBe(true);
    unmount();
    expect(live[0]?.()).toBe(false);
    afterUnmount.resolve("too late");
    await expect(calls[0]).resolves.toBeNull();
  });

  it("says a call's reports are no longer wanted once it has answered", async () => {
    const { result } = renderHook(() => useCommand<string>());
    let live: () => boolean = () => true;
    await act(() =>
      result.current.run((isLive) => {
        live = isLive;
        return Promise.resolve("done");
      }),
    );
    expect(live()).toBe(false);
  });

  it("leaves a quiet call's failure to the caller, as an IpcError", async () => {
    const { result } = renderHook(() => useCommand<string>());
    let thrown: unknown = null;
    await act(async () => {
      try {
        await result.current.run(() => Promise.reject(REFUSED), { quiet: true });
      } catch (reason: unknown) {
        thrown = reason;
      }
    });
    expect(thrown).toBeInstanceOf(IpcError);
    expect(thrown instanceof IpcError ? thrown.view : null).toEqual(REFUSED);
    expect(result.current).toMatchObject({ error: null, busy: false });
  });

  it("shows an answer another command gave, overtaking a call still running", async () => {
    const running = deferred<string>();
    const { result } = renderHook(() => useCommand<string>());
    let call: Promise<string | null> = Promise.resolve(null);
    act(() => {
      call = result.current.run(() => running.promise);
      result.current.show("from the sync");
    });
    await act(async () => {
      running.resolve("stale");
      await call;
    });
    expect(result.current.data).toBe("from the sync");

    act(() => result.current.update((data) => `${data ?? ""}, patched`));
    expect(result.current.data).toBe("from the sync, patched");
  });

  it("keeping the error until dismissed, leaves it while the next call runs and after it answers", async () => {
    const { result } = renderHook(() => useCommand<string>({ keepErrorUntilDismissed: true }));
    await act(() => result.current.run(() => Promise.reject(REFUSED)));

    const answer = deferred<string>();
    let call: Promise<string | null> = Promise.resolve(null);
    act(() => {
      call = result.current.run(() => answer.promise);
    });
    expect(result.current.error).toEqual(REFUSED);
    await act(async () => {
      answer.resolve("saved");
      await call;
    });
    expect(result.current).toMatchObject({ data: "saved", error: REFUSED, busy: false });

    act(() => result.current.dismissError());
    expect(result.current.error).toBeNull();
  });

  it("with newestAnswer, keeps each answer unless a newer call's is already shown", async () => {
    const first = deferred<string>();
    const second = deferred<string>();
    const third = deferred<string>();
    const { result } = renderHook(() => useCommand<string>({ newestAnswer: true }));

    let calls: Promise<string | null>[] = [];
    act(() => {
      calls = [first, second, third].map((answer) => result.current.run(() => answer.promise));
    });
    await act(async () => {
      first.resolve("first");
      await calls[0];
    });
    // Not the newest call's, yet nothing newer is shown.
    expect(result.current).toMatchObject({ data: "first", busy: false });

    await act(async () => {
      third.resolve("third");
      second.resolve("second");
      await Promise.all(calls);
    });
    expect(result.current.data).toBe("third");
    await expect(calls[1]).resolves.toBeNull();
  });

  it("with newestAnswer, drops a failure that a newer answer or a shown one overtook", async () => {
    const older = deferred<string>();
    const newer = deferred<string>();
    const beforeShow = deferred<string>();
    const { result } = renderHook(() => useCommand<string>({ newestAnswer: true }));

    let calls: Promise<string | null>[] = [];
    act(() => {
      calls = [result.current.run(() => older.promise), result.current.run(() => newer.promise)];
    });
    await act(async () => {
      newer.resolve("newer");
      older.reject(REFUSED);
      await Promise.all(calls);
    });
    expect(result.current).toMatchObject({ data: "newer", error: null });

    act(() => {
      calls = [result.current.run(() => beforeShow.promise)];
      result.current.show("from a refresh");
    });
    await act(async () => {
      beforeShow.reject(REFUSED);
      await calls[0];
    });
    expect(result.current).toMatchObject({ data: "from a refresh", error: null });
  });

  it("counting calls, gives each started call's number and says when it has settled", async () => {
    const answers = [deferred<string>(), deferred<string>()];
    const { result } = renderHook(() => useCommand<string>({ countCalls: true }));
    expect(result.current).toMatchObject({ inFlight: 0, answered: 0 });

    let numbers: number[] = [];
    act(() => {
      numbers = answers.map((answer) => result.current.start(() => answer.promise));
    });
    expect(numbers).toEqual([1, 2]);
    expect(result.current).toMatchObject({ inFlight: 2, answered: 0 });

    // The overtaken call is counted too, answer and failure alike.
    await act(async () => {
      answers[0]!.reject(REFUSED);
      await answers[0]!.promise.catch(() => null);
    });
    expect(result.current).toMatchObject({ inFlight: 1, answered: 1, error: null });

    act(() => result.current.show("from a refresh"));
    expect(result.current).toMatchObject({ inFlight: 1, answered: 3 });

    await act(async () => {
      answers[1]!.resolve("stale");
      await answers[1]!.promise;
    });
    expect(result.current).toMatchObject({ inFlight: 0, answered: 3, data: "from a refresh" });
  });

  it("without countCalls, leaves the counts at 0", async () => {
    const { result } = renderHook(() => useCommand<string>());
    let number = 0;
    await act(async () => {
      number = result.current.start(() => Promise.resolve("done"));
    });
    expect(number).toBe(1);
    expect(result.current).toMatchObject({ data: "done", inFlight: 0, answered: 0 });
  });
});
