import type { InterruptedBatch } from "../bindings/InterruptedBatch";
import { interruptedBatchText } from "../format";
import "./UnfinishedSyncs.css";

interface InterruptedBatchBannerProps {
  batch: InterruptedBatch | null;
  /** Finishing runs (its board is opening). */
  busy: boolean;
  /** Opens the batch's board and finishes its sync. */
  onFinish: (batch: InterruptedBatch) => void;
}

/** Above the list: a batch sync the app was stopped in the middle of, with Finish. */
export function InterruptedBatchBanner({ batch, busy, onFinish }: InterruptedBatchBannerProps) {
  if (batch === null) return null;
  return (
    <section className="unfinished-syncs" data-testid="interrupted-batch" data-batch-id={batch.batchId} role="alert" aria-label="Interrupted batch">
      <div className="unfinished-sync">
        <span className="unfinished-text">{interruptedBatchText(batch)}</span>
        <button
          type="button"
          className="btn btn-small btn-primary"
          data-testid="interrupted-finish"
          disabled={busy}
          onClick={() => onFinish(batch)}
          title="Open the batch and finish its sync"
        >
          Finish
        </button>
      </div>
      <span className="unfinished-note">Finish checks in ConnectWise what was written and syncs the rest — nothing twice.</span>
    </section>
  );
}
