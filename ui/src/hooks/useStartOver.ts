import { useCallback, type Dispatch } from "react";
import type { AppStatus } from "../bindings/AppStatus";
import type { ScreenAction } from "../screens";
import type { AppStatusState } from "./useAppStatus";
import type { Batch } from "./useBatch";
import type { BatchSync } from "./useBatchSync";
import type { CheckChanges } from "./useCheckChanges";
import type { ConnectivityState } from "./useConnectivity";
import type { InterruptedBatchState } from "./useInterruptedBatch";
import type { ReconcileBook } from "./useReconcile";
import type { TaskChecks } from "./useTaskChecks";
import type { TaskPages } from "./useTaskPages";
import type { TaskSelection } from "./useTaskSelection";

interface StartOverDeps {
  appStatus: Pick<AppStatusState, "show">;
  dispatch: Dispatch<ScreenAction>;
  check: Pick<CheckChanges, "reset">;
  selection: Pick<TaskSelection, "clear">;
  checks: Pick<TaskChecks, "clear">;
  batch: Pick<Batch, "close">;
  batchSync: Pick<BatchSync, "reset">;
  interrupted: Pick<InterruptedBatchState, "reload">;
  pages: TaskPages;
  connectivity: Pick<ConnectivityState, "show" | "probe">;
  rec: Pick<ReconcileBook, "reload">;
}

/**
 * Another profile is open: the window starts over on it — its status, its tasks (nothing selected,
 * no wizard, no outcome of the other profile's check), its connection and its book.
 */
export function useStartOver({ appStatus, dispatch, check, selection, checks, batch, batchSync, interrupted, pages, connectivity, rec }: StartOverDeps): (next: AppStatus) => void {
  const { show: showStatus } = appStatus;
  const { reset: resetCheck } = check;
  const { clear: clearSelection } = selection;
  const { clear: clearChecks } = checks;
  const { close: closeBatch } = batch;
  const { reset: resetBatchSync } = batchSync;
  const { reload: reloadInterrupted } = interrupted;
  const { show: showConnectivity, probe: probeConnectivity } = connectivity;
  const { reload: reloadBook } = rec;

  return useCallback(
    (next: AppStatus) => {
      showStatus(next);
      resetCheck();
      dispatch({ kind: "startOver" });
      clearSelection();
      clearChecks();
      closeBatch();
      resetBatchSync();
      void reloadInterrupted();
      pages.refresh();
      showConnectivity(next.connectivity);
      void probeConnectivity();
      void reloadBook();
    },
    [
      showStatus,
      resetCheck,
      dispatch,
      clearSelection,
      clearChecks,
      closeBatch,
      resetBatchSync,
      reloadInterrupted,
      pages,
      showConnectivity,
      probeConnectivity,
      reloadBook,
    ],
  );
}
