import type { RefObject } from "react";
import "./connections.css";

/** The head of the Connections screen: its title, what a profile is, and Close. */
export function ConnectionsHead({ titleId, titleRef, onClose }: { titleId: string; titleRef: RefObject<HTMLHeadingElement | null>; onClose: () => void }) {
  return (
    <header className="sheet-head connections-head">
      <div className="sheet-heading">
        <h2 className="sheet-title connections-title" id={titleId} ref={titleRef} tabIndex={-1}>
          Connections
        </h2>
        <span className="sheet-subtitle">
          Each profile connects one ConnectWise site and one Cloud Marketplace account, with its own tasks. Keys and passwords are
          kept in the OS keyring.
        </span>
      </div>
      <button type="button" className="btn" data-testid="close-connections" onClick={onClose} title="Back to the tasks (Esc)">
        Close
      </button>
    </header>
  );
}
