import { useEffect, useReducer, type Dispatch } from "react";
import type { AppStatus } from "../bindings/AppStatus";
import { FIRST_SCREENS, profileKey, screensReducer, type ScreenAction, type Screens } from "../screens";

export interface ScreensState {
  screens: Screens;
  dispatch: Dispatch<ScreenAction>;
  /** A new real profile with no tasks yet and never checked: its first day's work is on Reconcile. */
  firstDay: boolean;
}

/**
 * The window's screens (`screens.ts`). Each time a profile opens, its first view is chosen: Reconcile
 * on a new real profile's first day; the task list for Demo and for a profile with tasks.
 */
export function useScreens(status: AppStatus | null): ScreensState {
  const [screens, dispatch] = useReducer(screensReducer, FIRST_SCREENS);
  const firstDay = status !== null && !status.demo && status.taskCount === 0 && status.lastCheckedAt === null;

  useEffect(() => {
    if (status === null) return;
    dispatch({ kind: "profileShown", profile: profileKey(status.demo, status.profileName), firstDay });
  }, [status, firstDay]);

  return { screens, dispatch, firstDay };
}
