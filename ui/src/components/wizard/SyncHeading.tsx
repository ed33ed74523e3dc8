import type { RefObject } from "react";
import type { SyncState } from "../../bindings/SyncState";
import type { SyncView } from "../../bindings/SyncView";
import { SYNC_TITLES, formatDateTime, syncTimeText } from "../../format";
import { TONE_ICONS, type Tone } from "./syncOutcome";
import "./wizard.css";
import "./sync.css";

interface SyncHeadingProps {
  view: SyncView | null;
  state: SyncState;
  tone: Tone;
  titleId: string;
  titleRef: RefObject<HTMLHeadingElement | null>;
}

/** The head of the sync screen: the state's icon and title, and which agreement, when and by which profile. */
export function SyncHeading({ view, state, tone, titleId, titleRef }: SyncHeadingProps) {
  return (
    <div className="sync-head">
      <span className={`sync-icon sync-icon-${tone}`} aria-hidden="true">
        {tone === "running" ? <span className="spinner" /> : TONE_ICONS[tone]}
      </span>
      <div className="sync-heading">
        <h3 id={titleId} className="step-title sync-title" tabIndex={-1} ref={titleRef} data-testid="sync-title">
          {SYNC_TITLES[state]}
        </h3>
        {view !== null && (
          <p className="sync-sub">
            <span>{view.agreementName}</span>
            <span className="tabular" title={`Started ${formatDateTime(view.startedAt, true)}`}>
              {syncTimeText(view)}
            </span>
            <span>Profile {view.profileName}</span>
          </p>
        )}
      </div>
    </div>
  );
}
