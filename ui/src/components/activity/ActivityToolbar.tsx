import type { ActivityFilterState } from "../../hooks/useActivityFilters";
import { ACTIVITY_KINDS, ACTIVITY_KIND_LABELS, ACTIVITY_RESULTS, ACTIVITY_RESULT_LABELS, isActivityKind, isActivityResult } from "../../format";

interface ActivityToolbarProps {
  filters: ActivityFilterState;
  /** The profiles the log holds writes of. */
  profiles: readonly string[];
}

/** The Activity view's search and filters: profile, what was written, how it ended, and the days. */
export function ActivityToolbar({ filters: state, profiles }: ActivityToolbarProps) {
  const { filters, setFilters, active, clear, searchRef } = state;
  // A profile chosen stays a choice even when the log no longer names it (another profile is open).
  const profileChoices = filters.profile !== null && !profiles.includes(filters.profile) ? [filters.profile, ...profiles] : profiles;
  const backwards = filters.from !== "" && filters.to !== "" && filters.from > filters.to;

  return (
    <div className="toolbar activity-toolbar" role="search" aria-label="Search and filter the activity log">
      <label className="field field-search activity-search">
        <span className="visually-hidden">Search the activity log</span>
        <input
          ref={searchRef}
          type="search"
          data-testid="activity-search"
          className="input"
          placeholder="Search customer, order, agreement or addition id   ( / )"
          value={filters.search}
          spellCheck={false}
          autoComplete="off"
          onChange={(event) => {
            const search = event.target.value;
            setFilters((f) => ({ ...f, search }));
          }}
          onKeyDown={(event) => {
            if (event.key === "Escape" && filters.search !== "") {
              event.preventDefault();
              setFilters((f) => ({ ...f, search: "" }));
            }
          }}
        />
      </label>

      <label className="field">
        <span className="field-label">Profile</span>
        <select
          data-testid="activity-filter-profile"
          className="select"
          value={filters.profile ?? ""}
          onChange={(event) => {
            const value = event.target.value;
            setFilters((f) => ({ ...f, profile: value === "" ? null : value }));
          }}
        >
          <option value="">All profiles</option>
          {profileChoices.map((profile) => (
            <option key={profile} value={profile}>
              {profile}
            </option>
          ))}
        </select>
      </label>

      <label className="field">
        <span className="field-label">What</span>
        <select
          data-testid="activity-filter-kind"
          className="select"
          value={filters.kind ?? ""}
          onChange={(event) => {
            const value = event.target.value;
            setFilters((f) => ({ ...f, kind: isActivityKind(value) ? value : null }));
          }}
        >
          <option value="">All writes</option>
          {ACTIVITY_KINDS.map((kind) => (
            <option key={kind} value={kind}>
              {ACTIVITY_KIND_LABELS[kind]}
            </option>
          ))}
        </select>
      </label>

      <label className="field">
        <span className="field-label">Result</span>
        <select
          data-testid="activity-filter-result"
          className="select"
          value={filters.result ?? ""}
          onChange={(event) => {
            const value = event.target.value;
            setFilters((f) => ({ ...f, result: isActivityResult(value) ? value : null }));
          }}
        >
          <option value="">All results</option>
          {ACTIVITY_RESULTS.map((result) => (
            <option key={result} value={result}>
              {ACTIVITY_RESULT_LABELS[result]}
            </option>
          ))}
        </select>
      </label>

      <div className="activity-days" role="group" aria-label="Written between">
        <label className="field">
          <span className="field-label">From</span>
          <input
            type="date"
            data-testid="activity-from"
            className="input activity-date"
            value={filters.from}
            max={filters.to === "" ? undefined : filters.to}
            aria-invalid={backwards}
            aria-describedby={backwards ? "activity-days-error" : undefined}
            onChange={(event) => {
              const from = event.target.value;
              setFilters((f) => ({ ...f, from }));
            }}
          />
        </label>
        <label className="field">
          <span className="field-label">To</span>
          <input
            type="date"
            data-testid="activity-to"
            className="input activity-date"
            value={filters.to}
            min={filters.from === "" ? undefined : filters.from}
            aria-invalid={backwards}
            aria-describedby={backwards ? "activity-days-error" : undefined}
            onChange={(event) => {
              const to = event.target.value;
              setFilters((f) => ({ ...f, to }));
            }}
          />
        </label>
        {backwards && (
          <span id="activity-days-error" className="field-error" data-testid="activity-days-error" role="alert">
            From is after To: no day is in between.
          </span>
        )}
      </div>

      {active && (
        <button type="button" className="btn btn-small btn-ghost" data-testid="activity-clear" onClick={clear}>
          Clear filters
        </button>
      )}
    </div>
  );
}
