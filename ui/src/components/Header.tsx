import type { ReactNode } from "react";
import type { AppStatus } from "../bindings/AppStatus";
import type { Connectivity } from "../bindings/Connectivity";
import type { ProfilesView } from "../bindings/ProfilesView";
import { formatDateTime, lastCheckedText, offlineText, summaryText, summaryWarnings } from "../format";
import "./Header.css";

export interface ConnectivityView {
  value: Connectivity;
  checking: boolean;
}

interface HeaderProps {
  status: AppStatus | null;
  connectivity: ConnectivityView;
  now: Date;
  onRetryConnectivity: () => void;
  /** The Check Changes button, beside the age of the data it refreshes. */
  action: ReactNode;
  /** The profiles to switch between; `null` until read. */
  profiles: ProfilesView | null;
  /** A switch to another profile is running. */
  switching: boolean;
  /** Why no other profile can be opened now, if so. */
  switchBlocked: string | null;
  onSwitchProfile: (id: string) => void;
  onOpenConnections: () => void;
  /** Tasks | Reconcile. */
  views?: ReactNode;
}

/** One state of the connectivity badge: a dot in the state's tone, a label and, for a problem, its message. */
function ConnectivityState({ state, tone, label, message }: { state: string; tone: string; label: string; message?: string }) {
  return (
    <span className={`connectivity connectivity-${tone}`} data-testid="connectivity" data-state={state} role="status" title={message}>
      <span className={`dot dot-${tone}`} aria-hidden="true" />
      {label}
      {message !== undefined && <span className="connectivity-message">— {message}</span>}
    </span>
  );
}

function ConnectivityBadge({ connectivity, onOpenConnections }: { connectivity: ConnectivityView; onOpenConnections: () => void }) {
  if (connectivity.checking) {
    return <ConnectivityState state="checking" tone="checking" label="Checking…" />;
  }
  const value = connectivity.value;
  switch (value.state) {
    case "online":
      return <ConnectivityState state="online" tone="online" label="Online" />;
    case "offline":
      return <ConnectivityState state="offline" tone="offline" label="Offline" message={value.message} />;
    case "notSetUp":
      return (
        <>
          <ConnectivityState state="notSetUp" tone="not-set-up" label="Not set up" message={value.message} />
          <button type="button" className="btn btn-small" data-testid="fix-connections" onClick={onOpenConnections}>
            Open Connections
          </button>
        </>
      );
    case "unknown":
      return <ConnectivityState state="unknown" tone="unknown" label="Connection not checked" />;
  }
}

/** The open profile, and the others to switch to. */
function ProfileSwitch({
  status,
  profiles,
  switching,
  switchBlocked,
  onSwitchProfile,
}: {
  status: AppStatus;
  profiles: ProfilesView | null;
  switching: boolean;
  switchBlocked: string | null;
  onSwitchProfile: (id: string) => void;
}) {
  return (
    <div className="profile" data-testid="profile">
      <span className="profile-label">Profile</span>
      {profiles === null ? (
        <span className="profile-name">{status.profileName}</span>
      ) : (
        <select
          className="select profile-select"
          data-testid="profile-switch"
          aria-label="Profile"
          value={profiles.activeId}
          disabled={switching || switchBlocked !== null}
          aria-busy={switching}
          title={switchBlocked ?? "Open another profile"}
          onChange={(event) => onSwitchProfile(event.currentTarget.value)}
        >
          {profiles.profiles.map((profile) => (
            <option key={profile.id} value={profile.id}>
              {profile.name}
            </option>
          ))}
        </select>
      )}
      {switching && <span className="spinner spinner-dark" aria-hidden="true" />}
      {status.demo && (
        <span className="badge badge-demo" data-testid="demo-badge">
          Demo mode — simulated data
        </span>
      )}
    </div>
  );
}

export function Header({
  status,
  connectivity,
  now,
  onRetryConnectivity,
  action,
  profiles,
  switching,
  switchBlocked,
  onSwitchProfile,
  onOpenConnections,
  views,
}: HeaderProps) {
  const lastCheckedAt = status?.lastCheckedAt ?? null;
  const lastSummary = status?.lastSummary ?? null;
  const lastSummaryLines = lastSummary ? [summaryText(lastSummary), ...summaryWarnings(lastSummary)] : [];
  const lastCheckedTitle =
    lastCheckedAt === null
      ? "Check Changes has not run yet"
      : [formatDateTime(lastCheckedAt, true), ...lastSummaryLines].join("\n");
  const offline = !connectivity.checking && connectivity.value.state === "offline";

  return (
    <header className="app-header">
      <div className="header-row">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">
            AS
          </span>
          <h1 className="brand-name">Agreement Sync</h1>
        </div>
        {status !== null && (
          <ProfileSwitch
            status={status}
            profiles={profiles}
            switching={switching}
            switchBlocked={switchBlocked}
            onSwitchProfile={onSwitchProfile}
          />
        )}
        <button
          type="button"
          className="btn btn-small"
          data-testid="open-connections"
          onClick={onOpenConnections}
          title="Profiles: ConnectWise and Cloud Marketplace settings"
        >
          Connections
        </button>
        {views}
        <div className="header-spacer" />
        <ConnectivityBadge connectivity={connectivity} onOpenConnections={onOpenConnections} />
        <span className="last-checked" data-testid="last-checked" title={lastCheckedTitle}>
          {status === null ? "" : lastCheckedText(lastCheckedAt, now)}
        </span>
        {action}
      </div>
      {offline && connectivity.value.state === "offline" && (
        <div className="offline-banner" data-testid="offline-banner" role="status">
          <strong>{offlineText(lastCheckedAt, now)}</strong>
          <span className="offline-note">Reviewing works offline; Check Changes and Sync need a connection.</span>
          <button type="button" className="btn btn-small" onClick={onRetryConnectivity}>
            Try again
          </button>
        </div>
      )}
    </header>
  );
}
