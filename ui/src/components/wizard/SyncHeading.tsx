import type { RefObject } from "react";
import type { SyncState } from "../../bindings/SyncState";
import type { SyncView } from "../../bindings/SyncView";
import { SYNC_TITLES, formatDateTime, syncTimeText, undoLinkText } from "../../format";
import { TONE_ICONS, type Tone } from "./syncOutcome";
import "./wizard.css";
import "./sync.css";

interface SyncHeadingProps {
  view: SyncView | null;
  state: SyncState;
  tone: Tone;
  titleId: string;
  titleRef: RefObject<HTMLHeadingElement | null>;
  /** The title of each state (an undo's are its own). */
  titles?: Readonly<Record<SyncState, string>>;
}

/** The head of the sync screen: the state's icon and title, and which agreement, when, by which profile and desk. */
export function SyncHeading({ view, state, tone, titleId, titleRef, titles = SYNC_TITLES }: SyncHeadingProps) {
  const link = view === null ? null : undoLinkText(view);
  return (
    <div className="sync-head">
      <span className={`sync-icon sync-icon-${tone}`} aria-hidden="true">
        {tone === "running" ? <span className="spinner" /> : TONE_ICONS[tone]}
      </span>
      <div className="sync-heading">
        <h3 id={titleId} className="step-title sync-title" tabIndex={-1} ref={titleRef} data-testid="sync-title">
          {titles[state]}
        </h3>
        {view !== null && (
          <p className="sync-sub">
            <span>{view.agreementName}</span>
            <span className="tabular" title={`Started ${formatDateTime(view.startedAt, true)}`}>
              {syncTimeText(view)}
            </span>
            <span>Profile {view.profileName}</span>
            {view.desk !== null && <span data-testid="sync-desk">{view.desk}</span>}
            {link !== null && <span data-testid="sync-undo-link">{link}</span>}
          </p>
        )}
      </div>
    </div>
  );
}
