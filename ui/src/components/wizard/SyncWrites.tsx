import type { WriteView } from "../../bindings/WriteView";
import { WRITE_ACTION_LABELS, additionText, amountText, writeStateText } from "../../format";
import "./wizard.css";
import "./sync.css";

interface SyncWritesProps {
  writes: WriteView[];
  /** The agreement's currency: every amount is in it. */
  currency: string;
  /** The sync is running now (the states are live). */
  running: boolean;
}

/** The journaled writes of one sync: what, how much, where it stands, and the ConnectWise addition. */
export function SyncWrites({ writes, currency, running }: SyncWritesProps) {
  return (
    <ol className="sync-writes">
      {writes.map((write) => {
        const busy = running && (write.state === "sending" || write.state === "unknown");
        return (
          <li
            key={write.seq}
            className={`sync-write sync-write-${write.state}`}
            data-testid="sync-write"
            data-state={write.state}
            data-seq={write.seq}
            data-addition-id={write.additionId ?? undefined}
            aria-current={busy ? "step" : undefined}
          >
            <span className="sync-write-seq tabular" aria-hidden="true">
              {write.seq}
            </span>
            <span className="sync-write-main">
              <span className="write-kind">{WRITE_ACTION_LABELS[write.kind]}</span>
              <span className="write-text">{write.description}</span>
              {write.message !== null && (
                <span className="sync-write-message" data-testid="sync-write-message">
                  {write.message}
                </span>
              )}
            </span>
            <span
              className={`sync-write-amount tabular${write.amount.startsWith("-") && write.kind !== "removeAddition" ? " amount-negative" : ""}`}
              data-testid="sync-write-amount"
            >
              {/* A cancel date or a removal bills nothing: its description says what stops. */}
              {write.kind === "setCancelDate" || write.kind === "removeAddition" ? "—" : amountText(write.amount, currency)}
            </span>
            <span className={`write-state write-state-${write.state}`} data-testid="sync-write-state">
              {busy && <span className="spinner spinner-dark" aria-hidden="true" />}
              {writeStateText(write.state, running)}
            </span>
            <span className="sync-write-addition mono" data-testid="sync-write-addition">
              {write.additionId === null ? "" : additionText(write.additionId)}
            </span>
          </li>
        );
      })}
    </ol>
  );
}
