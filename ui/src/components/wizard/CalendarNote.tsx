import type { CalendarView } from "../../bindings/CalendarView";
import "./invoice.css";

/**
 * The agreement's invoice calendar when it could not be read (SPEC §16): a warning, not an error —
 * its words name the missing permission and say that nothing is dated before today.
 */
export function CalendarWarning({ calendar }: { calendar: CalendarView }) {
  if (!calendar.unreadable) return null;
  return (
    <div className="panel panel-warning calendar-warning" data-testid="calendar-warning" role="note">
      <span className="panel-title">Invoice calendar</span>
      <span className="panel-text">{calendar.words}</span>
    </div>
  );
}

/**
 * Which periods ConnectWise has invoiced — or, unreadable, the warning: near the top of the Changes
 * step, and per agreement in Reconcile's customer view (`testId` tells them apart).
 */
export function CalendarNote({ calendar, testId = "plan-calendar" }: { calendar: CalendarView; testId?: string }) {
  if (calendar.unreadable) return <CalendarWarning calendar={calendar} />;
  if (calendar.words === "") return null;
  return (
    <p className="calendar-note" data-testid={testId}>
      <span className="calendar-label">Invoice calendar</span>{" "}
      <span className="calendar-words">{calendar.words}</span>
    </p>
  );
}
