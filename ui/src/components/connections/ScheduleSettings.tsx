import { useCallback, useEffect, useId, useRef, useState, type KeyboardEvent } from "react";
import type { ScheduleView } from "../../bindings/ScheduleView";
import { useCommand } from "../../hooks/useCommand";
import { setSchedule } from "../../ipc";
import "./form.css";
import "./health.css";

/** The hours between checks offered when they are first turned on. */
export const DEFAULT_EVERY_HOURS = 4;

/** Typed hours go to Rust this long after the last key (at once on Enter or when the field is left). */
export const SCHEDULE_HOURS_DEBOUNCE_MS = 250;

/** The hours as typed, as a whole number; `null` when what is typed isn't one. */
function typedHours(text: string): number | null {
  const trimmed = text.trim();
  return /^\d{1,6}$/.test(trimmed) ? Number(trimmed) : null;
}

interface ScheduleSettingsProps {
  /** The open profile's schedule, as Rust last said it. */
  schedule: ScheduleView;
  /** Rust took a change: the window reads the status again (the header's next check). */
  onChanged: () => void;
}

/**
 * Scheduled checks of the open profile (SPEC §18): every N hours while the app is open, and desktop
 * notifications. Each change goes to Rust at once (`set_schedule`), which checks it; its refusal is
 * said beside the hours.
 */
export function ScheduleSettings({ schedule, onChanged }: ScheduleSettingsProps) {
  const id = useId();
  const [on, setOn] = useState(schedule.everyHours !== null);
  const [hours, setHours] = useState(String(schedule.everyHours ?? DEFAULT_EVERY_HOURS));
  const [notify, setNotify] = useState(schedule.notify);
  const [typo, setTypo] = useState(false);
  const { run, error, busy } = useCommand<ScheduleView>();
  // The hours last sent, so that a field left after its debounce sends nothing twice.
  const lastSent = useRef<number | null>(schedule.everyHours);
  // The hours Rust last took.
  const held = useRef<number | null>(schedule.everyHours);
  const timer = useRef<number | null>(null);
  // The hours typed and waiting for the debounce, sent at once if Connections closes first.
  const pending = useRef<string | null>(null);
  // As shown now, for a send the debounce makes later.
  const latest = useRef({ on, notify, onChanged });
  latest.current = { on, notify, onChanged };

  const send = useCallback(
    async (everyHours: number | null, withNotify: boolean) => {
      lastSent.current = everyHours;
      const view = await run(() => setSchedule(everyHours, withNotify));
      if (view === null) return;
      // What Rust holds now; the hours typed stay as they are.
      held.current = view.everyHours;
      setOn(view.everyHours !== null);
      setNotify(view.notify);
      latest.current.onChanged();
    },
    [run],
  );

  const cancelTimer = () => {
    if (timer.current !== null) window.clearTimeout(timer.current);
    timer.current = null;
    pending.current = null;
  };

  // Closed (Escape) while typed hours wait: they are sent still, and the window reads the status after.
  useEffect(
    () => () => {
      const text = pending.current;
      cancelTimer();
      const value = text === null ? null : typedHours(text);
      if (value === null || !latest.current.on || value === lastSent.current) return;
      const { notify: withNotify, onChanged: changed } = latest.current;
      setSchedule(value, withNotify).then(changed, () => {
        // Refused, with no field left to say it beside: the schedule stays as it was.
      });
    },
    [],
  );

  /**
   * Sends the hours as typed, unless they were sent already or aren't a whole number: then the field
   * says so once it is left (`settled`), not while the person pauses in typing.
   */
  const commitHours = (text: string, settled: boolean) => {
    cancelTimer();
    const value = typedHours(text);
    if (value === null && !settled) return;
    setTypo(value === null);
    if (value === null || !latest.current.on || value === lastSent.current) return;
    void send(value, latest.current.notify);
  };

  const toggleEvery = (next: boolean) => {
    cancelTimer();
    setOn(next);
    const value = typedHours(hours);
    if (next && value === null) setHours(String(DEFAULT_EVERY_HOURS));
    setTypo(false);
    void send(next ? (value ?? DEFAULT_EVERY_HOURS) : null, notify);
  };

  const toggleNotify = (next: boolean) => {
    setNotify(next);
    cancelTimer();
    void send(on ? (typedHours(hours) ?? held.current ?? DEFAULT_EVERY_HOURS) : null, next);
  };

  const onHoursKey = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === "Enter") commitHours(event.currentTarget.value, true);
  };

  const message = typo ? "Type the number of hours as a whole number." : (error?.message ?? null);
  const errorId = `${id}-schedule-error`;

  return (
    <section className="form-section schedule" data-testid="schedule" aria-labelledby={`${id}-title`} aria-busy={busy}>
      <header className="form-section-head">
        <h4 className="form-section-title" id={`${id}-title`}>
          Scheduled checks
        </h4>
        <span className="hint">Check Changes on its own, for this profile, while the window is open</span>
      </header>
      {/* One sentence: the tick's name reads it whole, with the hours typed ("… every 4 hours while …"). */}
      <div className="schedule-line">
        <input
          type="checkbox"
          id={`${id}-every`}
          data-testid="schedule-every"
          aria-labelledby={`${id}-every-text ${id}-hours ${id}-every-rest`}
          checked={on}
          onChange={(event) => toggleEvery(event.currentTarget.checked)}
        />
        <label htmlFor={`${id}-every`} id={`${id}-every-text`}>
          Check for changes every
        </label>
        <input
          type="number"
          id={`${id}-hours`}
          className="input schedule-hours"
          data-testid="schedule-hours"
          data-field="checkEvery"
          aria-labelledby={`${id}-hours-name`}
          min={1}
          max={168}
          step={1}
          inputMode="numeric"
          value={hours}
          disabled={!on}
          aria-invalid={message !== null}
          aria-describedby={message === null ? undefined : errorId}
          onChange={(event) => {
            const text = event.currentTarget.value;
            setHours(text);
            cancelTimer();
            pending.current = text;
            timer.current = window.setTimeout(() => commitHours(text, false), SCHEDULE_HOURS_DEBOUNCE_MS);
          }}
          onBlur={(event) => commitHours(event.currentTarget.value, true)}
          onKeyDown={onHoursKey}
        />
        <span id={`${id}-every-rest`}>hours while Agreement Sync is open</span>
        <span className="visually-hidden" id={`${id}-hours-name`}>
          Hours between checks
        </span>
        {message !== null && (
          <span className="field-error schedule-error" id={errorId} data-testid="schedule-error" role="alert">
            {message}
          </span>
        )}
      </div>
      <div className="schedule-line">
        <input
          type="checkbox"
          id={`${id}-notify`}
          data-testid="schedule-notify"
          aria-describedby={`${id}-notify-hint`}
          checked={notify}
          onChange={(event) => toggleNotify(event.currentTarget.checked)}
        />
        <label htmlFor={`${id}-notify`}>Show desktop notifications</label>
        <span className="hint" id={`${id}-notify-hint`}>
          when a check finds new tasks, a check or a sync fails, or the keys are refused
        </span>
      </div>
    </section>
  );
}
