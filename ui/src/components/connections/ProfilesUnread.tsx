import type { ErrorView } from "../../bindings/ErrorView";
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
        <div className="panel panel-error" data-testid="profiles-error" role="alert" data-code={error.code}>
          <span className="panel-title">Couldn't read the profiles</span>
          <span className="panel-text">{error.message}</span>
          <button type="button" className="btn btn-small" onClick={onReload}>
            Try again
          </button>
        </div>
      )}
    </div>
  );
}
