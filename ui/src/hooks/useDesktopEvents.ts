import { useEffect, useRef, type Dispatch } from "react";
import type { NoticeView } from "../bindings/NoticeView";
import { listenOpenView, listenScheduledCheck, type Unlisten } from "../events";
import type { ScreenAction } from "../screens";

export interface DesktopEventDeps {
  /**
   * A scheduled check ran in the background, whether or not it worked: the list, the status and the
   * connection are read again as after Check Changes — quietly, with no progress and no summary.
   */
  afterScheduledCheck: () => unknown;
  /** Opens the Connections screen. */
  openConnections: () => void;
  /** Shows a view (Tasks, Activity). */
  dispatch: Dispatch<ScreenAction>;
}

/** Stops listening; Tauri's unlisten answers a promise, whose failure (the window closing) is of no concern. */
function stop(unlisten: Unlisten): void {
  try {
    const done: unknown = unlisten();
    if (done instanceof Promise) done.catch(() => undefined);
  } catch {
    // Already stopped.
  }
}

/**
 * What the app does on its own while the window is open (SPEC §18): a scheduled check has run, a
 * notification was clicked. Listens while the window is on screen and stops when it goes; without
 * Tauri (a plain browser) there is nothing to hear, and nothing breaks.
 */
export function useDesktopEvents({ afterScheduledCheck, openConnections, dispatch }: DesktopEventDeps): void {
  // The newest handlers, so that listening starts once and never misses an event between renders.
  const handlers = useRef({ afterScheduledCheck, openConnections, dispatch });
  handlers.current = { afterScheduledCheck, openConnections, dispatch };

  useEffect(() => {
    let gone = false;
    const unlistens: Unlisten[] = [];
    const keep = (listening: Promise<Unlisten>) => {
      listening.then(
        (unlisten) => {
          // Gone before listening started: stop at once.
          if (gone) stop(unlisten);
          else unlistens.push(unlisten);
        },
        () => {
          // No Tauri to listen to: the window works without these events.
        },
      );
    };
    keep(listenScheduledCheck(() => void handlers.current.afterScheduledCheck()));
    keep(
      listenOpenView((view: NoticeView) => {
        if (view === "connections") handlers.current.openConnections();
        else handlers.current.dispatch({ kind: "showView", view });
      }),
    );
    return () => {
      gone = true;
      for (const unlisten of unlistens.splice(0)) stop(unlisten);
    };
  }, []);
}
