import { useEffect, useRef, type ReactNode } from "react";
import type { ErrorView } from "../../bindings/ErrorView";
import type { ProfileSummary } from "../../bindings/ProfileSummary";
import { useBusyAction } from "../../hooks/useBusyAction";
import { ErrorPanel } from "../ErrorPanel";
import "./connections.css";

interface DemoProfileProps {
  profile: ProfileSummary;
  isOpen: boolean;
  /** Why no other profile can be opened now, if so. */
  switchBlocked: string | null;
  onUse: (id: string) => Promise<ErrorView | null>;
  /** Its health and scheduled checks, while it is the open profile. */
  openProfile?: ReactNode;
}

/** The built-in Demo profile: nothing to set up, only to open. */
export function DemoProfile({ profile, isOpen, switchBlocked, onUse, openProfile }: DemoProfileProps) {
  // On success the screen closes; on failure Rust's refusal stays under the button.
  const action = useBusyAction<"use">();
  const busy = action.busy !== null;
  const error = action.failed?.error ?? null;
  const titleRef = useRef<HTMLHeadingElement>(null);
  const openButtonRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    (openButtonRef.current ?? titleRef.current)?.focus();
  }, []);

  const use = () => action.run("use", () => onUse(profile.id));

  return (
    <div className="profile-demo" data-testid="demo-profile" data-profile-id={profile.id}>
      <header className="pane-head">
        <h3 className="pane-title" ref={titleRef} tabIndex={-1}>
          {profile.name}
        </h3>
        {isOpen && <span className="badge badge-open">Open</span>}
      </header>
      <div className="pane-body">
        <p className="demo-text">Demo mode uses the built-in simulator with made-up customers; there is nothing to set up.</p>
        <p className="muted demo-note">
          Check Changes, the review and Sync work as they do with real connections, against the simulator: nothing reaches a
          real ConnectWise or Cloud Marketplace.
        </p>
        {!isOpen && (
          <div className="demo-actions">
            <button
              type="button"
              className="btn btn-primary"
              data-testid="use-profile"
              ref={openButtonRef}
              onClick={() => void use()}
              disabled={busy || switchBlocked !== null}
              title={switchBlocked ?? undefined}
            >
              {busy ? "Opening…" : "Use this profile"}
            </button>
            {switchBlocked !== null && (
              <span className="hint" data-testid="use-profile-hint">
                {switchBlocked}
              </span>
            )}
          </div>
        )}
        {error !== null && (
          <ErrorPanel error={error} title="Couldn't open this profile" testId="use-error" />
        )}
        {openProfile}
      </div>
    </div>
  );
}
