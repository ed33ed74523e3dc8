import type { ProfilesView } from "../../bindings/ProfilesView";
import { ErrorPanel } from "../ErrorPanel";
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
        <ErrorPanel error={profiles.problem} title="The saved profiles can't be read" testId="profiles-problem" className="connections-message" />
      )}
    </>
  );
}
