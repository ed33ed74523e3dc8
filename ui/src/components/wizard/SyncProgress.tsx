import type { WriteView } from "../../bindings/WriteView";
import { confirmedCount, confirmedText } from "../../format";
import { ProgressBar } from "../CheckChanges";
import "./sync.css";

/** A running sync's progress: the bar, what it is doing now, and how many writes are confirmed. */
export function SyncProgress({ writes, activity }: { writes: WriteView[]; activity: string | null }) {
  const confirmed = confirmedCount(writes);
  return (
    <div className="sync-progress" data-testid="sync-activity" role="status" aria-live="polite">
      <ProgressBar fraction={writes.length === 0 ? null : confirmed / writes.length} label="Sync progress" />
      <span className="sync-progress-text">{activity ?? "Starting the sync…"}</span>
      {writes.length > 0 && <span className="sync-progress-count tabular">{confirmedText(writes)}</span>}
    </div>
  );
}
