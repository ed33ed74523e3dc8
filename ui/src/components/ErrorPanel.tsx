import type { ReactNode } from "react";
import type { ErrorView } from "../bindings/ErrorView";

interface ErrorPanelProps {
  /**
   * What went wrong: an `ErrorView` (its code goes on `data-code` for the tests), or only words —
   * a problem Rust describes in a view's field, which has no code.
   */
  error: ErrorView | string;
  /** The heading above the words; some panels are the words alone. */
  title?: string;
  testId: string;
  /** Classes after `panel panel-error`: where the panel sits. */
  className?: string;
  /** For a field that names the panel (`aria-describedby`). */
  id?: string;
  /** After the words: a note, or an action such as Try again. */
  children?: ReactNode;
  /** Hides the panel; without it, the panel has no × button. */
  onDismiss?: (() => void) | undefined;
  /** The × button's name for a screen reader. */
  dismissLabel?: string;
}

/** A command's error where it failed: the title, Rust's words, and the way to dismiss it or try again. */
export function ErrorPanel({ error, title, testId, className, id, children, onDismiss, dismissLabel = "Dismiss" }: ErrorPanelProps) {
  const code = typeof error === "string" ? undefined : error.code;
  const message = typeof error === "string" ? error : error.message;
  return (
    <div className={className === undefined ? "panel panel-error" : `panel panel-error ${className}`} id={id} role="alert" data-testid={testId} data-code={code}>
      {title !== undefined && <span className="panel-title">{title}</span>}
      <span className="panel-text">{message}</span>
      {children}
      {onDismiss !== undefined && (
        <button type="button" className="btn-icon" aria-label={dismissLabel} onClick={onDismiss}>
          ×
        </button>
      )}
    </div>
  );
}
