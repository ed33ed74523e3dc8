// Test-only: a stand-in for `@tauri-apps/api/event`, which needs Tauri. The test setup mocks the
// module with it for every test, so none reaches the real `listen`; a test emits the Rust side's
// events with `emitEvent` and sees who listens with `listenerCount`.

import type { EventCallback, EventName, UnlistenFn } from "@tauri-apps/api/event";

const listeners = new Map<string, Set<EventCallback<unknown>>>();
let nextId = 1;

/** As Tauri's `listen`: resolves with the function that stops listening. */
function listen<T>(event: EventName, handler: EventCallback<T>): Promise<UnlistenFn> {
  const name = String(event);
  const set = listeners.get(name) ?? new Set<EventCallback<unknown>>();
  listeners.set(name, set);
  // Each listener is its own entry, even with the same handler.
  const entry: EventCallback<unknown> = (event) => handler(event as Parameters<EventCallback<T>>[0]);
  set.add(entry);
  return Promise.resolve(() => {
    set.delete(entry);
  });
}

/** The module as `vi.mock("@tauri-apps/api/event", …)` wants it. */
export function mockEventModule() {
  return { listen };
}

/** Sends `payload` to every listener of `event`, as Rust's `emit` does. */
export function emitEvent(event: string, payload: unknown): void {
  for (const handler of [...(listeners.get(event) ?? [])]) {
    handler({ event, id: nextId++, payload });
  }
}

/** How many listen to `event` now. */
export function listenerCount(event: string): number {
  return listeners.get(event)?.size ?? 0;
}

/** Forgets every listener (between tests). */
export function resetEvents(): void {
  listeners.clear();
}
