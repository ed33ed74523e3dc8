import { useCallback } from "react";
import type { AppStatus } from "../bindings/AppStatus";
import type { Connectivity } from "../bindings/Connectivity";
import type { TaskPages } from "./useTaskPages";

/** After Check Changes or a sync: the task list, the unfinished syncs and the connection as Rust now sees them. */
export function useRereadAfterWork(
  pages: TaskPages,
  reloadStatus: () => Promise<AppStatus | null>,
  showKnownConnectivity: (value: Connectivity) => void,
): () => Promise<void> {
  return useCallback(async () => {
    pages.refresh();
    const next = await reloadStatus();
    if (next !== null) showKnownConnectivity(next.connectivity);
  }, [pages, reloadStatus, showKnownConnectivity]);
}
