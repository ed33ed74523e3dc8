import type { TaskStatus } from "../bindings/TaskStatus";
import { TASK_STATUS_LABELS } from "../format";

export function StatusBadge({ status, reason }: { status: TaskStatus; reason: string | null }) {
  const title = status === "ignored" && reason ? `Ignored: ${reason}` : TASK_STATUS_LABELS[status];
  return (
    <span className={`badge badge-${status}`} title={title} data-status={status}>
      {TASK_STATUS_LABELS[status]}
    </span>
  );
}
