import "./wizard.css";
import "./sync.css";

/** What changed in ConnectWise since the review, for a sync that stopped because of it. */
export function SyncChanges({ changes }: { changes: string[] }) {
  return (
    <div className="step-block">
      <h4 className="block-title">What changed in ConnectWise since the review</h4>
      {changes.length > 0 ? (
        <ul className="sync-changes">
          {changes.map((change, index) => (
            <li key={index} data-testid="sync-change">
              {change}
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">ConnectWise did not say what changed.</p>
      )}
    </div>
  );
}
