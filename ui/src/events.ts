// The only module that listens to events from the Rust side (as `ipc.ts` is the only one that calls
// commands). Each event's payload is checked before a handler sees it: nothing untyped gets past here.

import { listen, type UnlistenFn } from "@tauri-apps/api/event";
import type { NoticeView } from "./bindings/NoticeView";

/** A scheduled check ran in the background; its payload says whether it worked. */
export const SCHEDULED_CHECK_EVENT = "scheduled-check";
/** A desktop notification was clicked; its payload names the view to show. */
export const OPEN_VIEW_EVENT = "open-view";

/** Stops listening. */
export type Unlisten = UnlistenFn;

const NOTICE_VIEWS: readonly NoticeView[] = ["tasks", "connections", "activity"];

export function isNoticeView(value: unknown): value is NoticeView {
  return (NOTICE_VIEWS as readonly unknown[]).includes(value);
}

/** Calls `handler` after each scheduled check, with whether it worked; resolves once listening. */
export function listenScheduledCheck(handler: (worked: boolean) => void): Promise<Unlisten> {
  return listen<unknown>(SCHEDULED_CHECK_EVENT, (event) => handler(event.payload === true));
}

/** Calls `handler` with the view a clicked notification asks for (a payload naming none is dropped); resolves once listening. */
export function listenOpenView(handler: (view: NoticeView) => void): Promise<Unlisten> {
  return listen<unknown>(OPEN_VIEW_EVENT, (event) => {
    if (isNoticeView(event.payload)) handler(event.payload);
  });
}
