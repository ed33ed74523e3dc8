import type { ErrorView } from "../../bindings/ErrorView";
import type { ProfilesView } from "../../bindings/ProfilesView";
import "./connections.css";

/** Why profiles can't be kept as usual: no OS keyring, or a saved profiles file that can't be read. */
export function ProfilesNotices({ profiles }: { profiles: ProfilesView }) {
  return (
    <>
      {profiles.keyring.state === "unavailable" && (
        <div className="panel panel-warning connections-message" data-testid="keyring-unavailable" role="alert">
          <span className="panel-title">The OS keyring can't be used</span>
          <span className="panel-text">{profiles.keyring.message}</span>
        </div>
      )}

      {profiles.problem !== null && (
        <div className="panel panel-error connections-message" data-testid="profiles-problem" role="alert">
          <span className="panel-title">The saved profiles can't be read</span>
          <span className="panel-text">{profiles.problem}</span>
        </div>
      )}
    </>
  );
}

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
