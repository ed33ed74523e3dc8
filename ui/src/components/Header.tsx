import type { ReactNode } from "react";
import type { AppStatus } from "../bindings/AppStatus";
import type { Connectivity } from "../bindings/Connectivity";
import type { HealthView } from "../bindings/HealthView";
import type { ProfilesView } from "../bindings/ProfilesView";
import type { ScheduleView } from "../bindings/ScheduleView";
import {
  HEALTH_BADGE_LABELS,
  formatDateTime,
  healthTitle,
  lastCheckedText,
  nextCheckText,
  offlineText,
  summaryText,
  summaryWarnings,
  worstHealth,
} from "../format";
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

/**
 * One state of the connectivity badge: a dot in the state's tone and a short label. A problem's
 * message is the badge's tooltip, and is written out on the line under the header.
 */
function ConnectivityState({ state, tone, label, message }: { state: string; tone: string; label: string; message?: string }) {
  return (
    <span
      className={`connectivity connectivity-${tone}`}
      data-testid="connectivity"
      data-state={state}
      role="status"
      title={message}
      aria-describedby={message === undefined ? undefined : "connectivity-line"}
    >
      <span className={`dot dot-${tone}`} aria-hidden="true" />
      {label}
    </span>
  );
}

function ConnectivityBadge({ connectivity }: { connectivity: ConnectivityView }) {
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
      return <ConnectivityState state="notSetUp" tone="not-set-up" label="Not set up" message={value.message} />;
    case "unknown":
      return <ConnectivityState state="unknown" tone="unknown" label="Connection not checked" />;
  }
}

/** The line under the header when the services can't be used: why, and what to do. */
function ConnectivityLine({
  connectivity,
  lastCheckedAt,
  now,
  onRetry,
  onOpenConnections,
}: {
  connectivity: ConnectivityView;
  lastCheckedAt: string | null;
  now: Date;
  onRetry: () => void;
  onOpenConnections: () => void;
}) {
  if (connectivity.checking) return null;
  const value = connectivity.value;
  if (value.state === "offline") {
    return (
      <div className="status-line offline-banner" id="connectivity-line" data-testid="offline-banner" role="status">
        <strong className="status-line-title">{offlineText(lastCheckedAt, now)}</strong>
        <span className="status-line-note">Reviewing works offline; Check Changes and Sync need a connection.</span>
        <button type="button" className="btn btn-small" data-testid="retry-connectivity" onClick={onRetry}>
          Try again
        </button>
        <span className="status-line-reason" data-testid="connectivity-reason">
          {value.message}
        </span>
      </div>
    );
  }
  if (value.state === "notSetUp") {
    return (
      <div className="status-line not-set-up-line" id="connectivity-line" data-testid="not-set-up-line" role="status">
        <span className="status-line-text">
          <strong>Not set up:</strong> {value.message}
        </span>
        <button type="button" className="btn btn-small" data-testid="fix-connections" onClick={onOpenConnections}>
          Open Connections
        </button>
      </div>
    );
  }
  return null;
}

/**
 * Both services' health in one badge, in the tone of the worse of the two; its tooltip names each
 * service and its state. It opens Connections, where the details are.
 */
function HealthBadge({ health, onOpen }: { health: HealthView; onOpen: () => void }) {
  const state = worstHealth(health.services);
  const title = healthTitle(health.services);
  return (
    <button
      type="button"
      className={`health-badge health-${state}`}
      data-testid="health-badge"
      data-state={state}
      title={title}
      onClick={onOpen}
    >
      <span className={`dot dot-health-${state}`} aria-hidden="true" />
      {HEALTH_BADGE_LABELS[state]}
    </button>
  );
}

/** When the next scheduled check runs, or what it waits for; nothing when checks run only when asked. */
function NextCheck({ schedule, now }: { schedule: ScheduleView; now: Date }) {
  const text = nextCheckText(schedule, now);
  if (text === null || schedule.nextDueAt === null) return null;
  return (
    <span className="next-check" data-testid="next-check" title={`Scheduled check due ${formatDateTime(schedule.nextDueAt)}`}>
      {text}
    </span>
  );
}

/** While a service refuses the credentials: what to do, and the way to Connections. */
function HealthBanner({ banner, onOpenConnections }: { banner: string | null; onOpenConnections: () => void }) {
  if (banner === null) return null;
  return (
    <div className="status-line health-banner" data-testid="health-banner" role="alert">
      <span className="status-line-text">{banner}</span>
      <button type="button" className="btn btn-small" data-testid="health-open-connections" onClick={onOpenConnections}>
        Open Connections
      </button>
    </div>
  );
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

  return (
    <header className="app-header">
      <div className="header-row">
        {/* Where to go: the profile, its settings, Tasks | Reconcile. */}
        <div className="header-group header-nav">
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
            className="btn btn-small header-control"
            data-testid="open-connections"
            onClick={onOpenConnections}
            title="Profiles: ConnectWise and Cloud Marketplace settings"
          >
            Connections
          </button>
          {views !== undefined && <div className="header-control">{views}</div>}
        </div>
        {/* How fresh the data is, and the command that refreshes it: on the right, or on a line of their own. */}
        <div className="header-group header-status">
          <ConnectivityBadge connectivity={connectivity} />
          {status !== null && <HealthBadge health={status.health} onOpen={onOpenConnections} />}
          <span className="last-checked" data-testid="last-checked" title={lastCheckedTitle}>
            {status === null ? "" : lastCheckedText(lastCheckedAt, now)}
          </span>
          {status !== null && <NextCheck schedule={status.schedule} now={now} />}
          <div className="header-control">{action}</div>
        </div>
      </div>
      <ConnectivityLine
        connectivity={connectivity}
        lastCheckedAt={lastCheckedAt}
        now={now}
        onRetry={onRetryConnectivity}
        onOpenConnections={onOpenConnections}
      />
      <HealthBanner banner={status?.health.banner ?? null} onOpenConnections={onOpenConnections} />
    </header>
  );
}
