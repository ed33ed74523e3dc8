import type { ProfileSummary } from "../../bindings/ProfileSummary";
import "./connections.css";

/** What the right side of the screen shows: a saved profile, or the form of a new one. */
export type Selection = { kind: "profile"; id: string } | { kind: "new" };

function subtitle(profile: ProfileSummary): string {
  if (profile.demo) return "Built-in simulator";
  const parts = [profile.connectwiseSite, profile.marketplace].filter((part) => part !== "");
  return parts.length === 0 ? "Not set up yet" : parts.join(" · ");
}

interface ProfileListProps {
  profiles: ProfileSummary[];
  activeId: string;
  selection: Selection | null;
  onSelect: (selection: Selection) => void;
  /** Why no profile can be added, if so. */
  newDisabled: string | null;
}

export function ProfileList({ profiles, activeId, selection, onSelect, newDisabled }: ProfileListProps) {
  const newSelected = selection?.kind === "new";
  return (
    <nav className="profile-nav" aria-label="Profiles">
      <ul className="profile-items">
        {profiles.map((profile) => {
          const selected = selection?.kind === "profile" && selection.id === profile.id;
          const open = profile.id === activeId;
          return (
            <li key={profile.id}>
              <button
                type="button"
                className={`profile-item${selected ? " profile-item-selected" : ""}`}
                data-testid="profile-item"
                data-profile-id={profile.id}
                data-open={open}
                aria-current={selected ? "true" : undefined}
                onClick={() => onSelect({ kind: "profile", id: profile.id })}
              >
                <span className="profile-item-main">
                  <span className="profile-item-name">{profile.name}</span>
                  {open && <span className="badge badge-open">Open</span>}
                </span>
                <span className="profile-item-sub" title={subtitle(profile)}>
                  {subtitle(profile)}
                </span>
              </button>
            </li>
          );
        })}
        {newSelected && (
          <li>
            <span className="profile-item profile-item-selected profile-item-new" aria-current="true">
              <span className="profile-item-main">
                <span className="profile-item-name">New profile</span>
              </span>
              <span className="profile-item-sub">Not saved yet</span>
            </span>
          </li>
        )}
      </ul>
      <button
        type="button"
        className="btn btn-small profile-new"
        data-testid="new-profile"
        onClick={() => onSelect({ kind: "new" })}
        disabled={newDisabled !== null || newSelected}
        title={newDisabled ?? "Add a profile: a ConnectWise site and a Cloud Marketplace account"}
      >
        <span aria-hidden="true">+</span> New profile
      </button>
    </nav>
  );
}
