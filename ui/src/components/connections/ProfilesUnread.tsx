import type { ErrorView } from "../../bindings/ErrorView";
import { ErrorPanel } from "../ErrorPanel";
import "./connections.css";

/** In place of the profiles while they are read, or why they could not be, with Try again. */
export function ProfilesUnread({ error, onReload }: { error: ErrorView | null; onReload: () => void }) {
  return (
    <div className="connections-empty">
      {error === null ? (
        <p className="pane-loading" role="status">
          Reading the profiles…
        </p>
      ) : (
        <ErrorPanel error={error} title="Couldn't read the profiles" testId="profiles-error">
          <button type="button" className="btn btn-small" onClick={onReload}>
            Try again
          </button>
        </ErrorPanel>
      )}
    </div>
  );
}
