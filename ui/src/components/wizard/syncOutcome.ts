import type { SyncState } from "../../bindings/SyncState";
import type { SyncView } from "../../bindings/SyncView";

/** The colour family a sync's state is shown in. */
export type Tone = "running" | "success" | "warning" | "error" | "neutral";

const TONES: Readonly<Record<SyncState, Tone>> = {
  running: "running",
  synced: "success",
  nothingToWrite: "success",
  alreadyInConnectWise: "success",
  changed: "warning",
  failed: "error",
  interrupted: "error",
  discarded: "neutral",
};

/** The icon beside the title of each tone (a running sync has a spinner instead). */
export const TONE_ICONS: Readonly<Record<Tone, string>> = {
  running: "",
  success: "✓",
  warning: "!",
  error: "!",
  neutral: "–",
};

export interface SyncOutcome {
  /** The state as Rust recorded it (`data-state`). */
  recorded: SyncState;
  /** The state as shown: a sync recorded as running that is not running here is interrupted. */
  state: SyncState;
  tone: Tone;
  /** It stopped before every write was confirmed: Retry or Set aside. */
  unfinished: boolean;
  /** Nothing more to do: Back to tasks. */
  done: boolean;
}

/** Where a sync stands, from its last snapshot and whether `sync_task` runs now. */
export function syncOutcome(view: SyncView | null, running: boolean): SyncOutcome {
  // A sync recorded as running that is not running here stopped with the app: it is unfinished.
  const recorded: SyncState = running ? "running" : (view?.state ?? "running");
  const state: SyncState = running ? "running" : recorded === "running" ? "interrupted" : recorded;
  return {
    recorded,
    state,
    tone: TONES[state],
    unfinished: state === "failed" || state === "interrupted",
    done: state === "synced" || state === "nothingToWrite" || state === "alreadyInConnectWise" || state === "discarded",
  };
}
