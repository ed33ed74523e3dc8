import type { Dispatch } from "react";
import type { AppStatus } from "../bindings/AppStatus";
import type { ErrorView } from "../bindings/ErrorView";
import type { View } from "../components/reconcile/ViewSwitch";
import type { ScreenAction } from "../screens";
import type { CheckChanges } from "./useCheckChanges";
import { useFirstCheckDays } from "./useFirstCheckDays";

interface Options {
  status: AppStatus | null;
  view: View;
  check: CheckChanges;
  dispatch: Dispatch<ScreenAction>;
  setFirstCheckDays: (days: number) => Promise<ErrorView | null>;
}

/**
 * Check Changes as the header's button runs it: a first check's window as typed is saved (and
 * checked by Rust) first, and what the check finds — tasks — is shown in the list as it comes.
 */
export function useRunCheck({ status, view, check, dispatch, setFirstCheckDays }: Options) {
  const neverChecked = status !== null && status.lastCheckedAt === null;
  const firstCheck = useFirstCheckDays(status?.firstCheckDays ?? null, setFirstCheckDays);
  const runCheck = async (whole: boolean) => {
    // A first check's window that can't be used stops it, said under the field.
    if (neverChecked && view === "tasks" && !(await firstCheck.save())) return;
    dispatch({ kind: "showView", view: "tasks" });
    await check.run(whole);
  };
  return { neverChecked, firstCheck, runCheck };
}
