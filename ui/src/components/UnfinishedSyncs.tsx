import type { SyncView } from "../bindings/SyncView";
import { confirmedText, unfinishedSyncText } from "../format";
import "./UnfinishedSyncs.css";

interface UnfinishedSyncsProps {
  /** Syncs stopped part-way when the app last closed (`AppStatus.unfinishedSyncs`). */
  syncs: SyncView[];
  /** Opens the task and finishes its sync. */
  onFinish: (sync: SyncView) => void;
}

/** Above the list: syncs the app was stopped in the middle of, each with Finish. */
export function UnfinishedSyncs({ syncs, onFinish }: UnfinishedSyncsProps) {
  if (syncs.length === 0) return null;
  const [only] = syncs;
  return (
    <section className="unfinished-syncs" data-testid="unfinished-syncs" role="alert" aria-label="Unfinished syncs">
      {syncs.length === 1 && only !== undefined ? (
        <div className="unfinished-sync" data-testid="unfinished-sync" data-task-id={only.taskId}>
          <span className="unfinished-text">{unfinishedSyncText(only)}</span>
          <FinishButton sync={only} onFinish={onFinish} />
        </div>
      ) : (
        <>
          <span className="unfinished-title">{syncs.length} syncs were interrupted when the app stopped:</span>
          <ul className="unfinished-list">
            {syncs.map((sync) => (
              <li key={sync.id} className="unfinished-sync" data-testid="unfinished-sync" data-task-id={sync.taskId}>
                <span className="unfinished-text">
                  {sync.taskLabel} ({confirmedText(sync.writes)})
                </span>
                <FinishButton sync={sync} onFinish={onFinish} />
              </li>
            ))}
          </ul>
        </>
      )}
      <span className="unfinished-note">Finish checks in ConnectWise what was written and writes the rest — nothing twice.</span>
    </section>
  );
}

function FinishButton({ sync, onFinish }: { sync: SyncView; onFinish: (sync: SyncView) => void }) {
  return (
    <button
      type="button"
      className="btn btn-small btn-primary"
      data-testid="unfinished-finish"
      data-task-id={sync.taskId}
      onClick={() => onFinish(sync)}
      title={`Open ${sync.taskLabel} and finish its sync`}
    >
      Finish
    </button>
  );
}
