//! The app's clock: the computer's, or one pinned to a chosen day.
//!
//! Everything that depends on "now" — the window a first Check Changes reads, when a check or a
//! sync happened, the Demo world's "today" — asks a [`Clock`]. Tests pin one so that their
//! expected amounts hold on any date; `AGREEMENT_SYNC_TODAY=2026-11-24` pins the app's (handy for
//! demos and screenshots too).

use std::time::Instant;

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};

/// Environment variable: the app's "today" as `YYYY-MM-DD` (its clock starts at noon UTC that
/// day and runs on from there). Demo mode builds its world around that day.
pub const TODAY_ENV: &str = "AGREEMENT_SYNC_TODAY";

/// Environment variable, with [`TODAY_ENV`] only: the pinned clock runs this many times faster
/// than the computer's (the benchmark lives through days of scheduled checks in a minute).
pub const SPEED_ENV: &str = "AGREEMENT_SYNC_CLOCK_SPEED";

/// The current time, from the computer or from a pinned start.
#[derive(Debug, Clone, Copy)]
pub struct Clock {
    /// The pinned start and the moment it was pinned; `None` for the computer's clock.
    pinned: Option<(DateTime<Utc>, Instant)>,
    /// How many times faster than the computer's a pinned clock runs (1 but in benchmarks).
    speed: u32,
}

impl Default for Clock {
    fn default() -> Self {
        Clock::system()
    }
}

impl Clock {
    /// The computer's clock.
    pub fn system() -> Self {
        Clock {
            pinned: None,
            speed: 1,
        }
    }

    /// A clock that reads `start` now and runs on from there.
    pub fn starting_at(start: DateTime<Utc>) -> Self {
        Clock {
            pinned: Some((start, Instant::now())),
            speed: 1,
        }
    }

    /// A clock that starts at noon (UTC) on `day` and runs on from there.
    pub fn pinned_to(day: NaiveDate) -> Self {
        Clock::starting_at(day.and_time(NaiveTime::MIN).and_utc() + chrono::Duration::hours(12))
    }

    /// The clock [`TODAY_ENV`] asks for, or the computer's when it is not set; an error that
    /// names the variable when its value is not a date.
    pub fn from_env() -> Result<Self, String> {
        match std::env::var(TODAY_ENV) {
            Ok(value) if !value.trim().is_empty() => parse_day(&value)
                .map(Clock::pinned_to)
                .map(|clock| clock.faster(speed_from_env()))
                .ok_or_else(|| {
                    format!(
                        "{TODAY_ENV} must be a date like 2026-11-24 (a year from 2000 to 2099), not “{}”",
                        value.trim()
                    )
                }),
            _ => Ok(Clock::system()),
        }
    }

    /// This clock, running `speed` times faster (a pinned clock only; at least 1).
    pub fn faster(mut self, speed: u32) -> Self {
        if self.pinned.is_some() {
            self.speed = speed.max(1);
        }
        self
    }

    /// True when the clock was pinned rather than read from the computer.
    pub fn is_pinned(&self) -> bool {
        self.pinned.is_some()
    }

    pub fn now(&self) -> DateTime<Utc> {
        match self.pinned {
            None => Utc::now(),
            Some((start, at)) => {
                let elapsed =
                    chrono::Duration::from_std(at.elapsed() * self.speed).unwrap_or_default();
                start.checked_add_signed(elapsed).unwrap_or(start)
            }
        }
    }

    /// Today's date (UTC).
    pub fn today(&self) -> NaiveDate {
        self.now().date_naive()
    }

    /// Now, as the cache stores it (ISO-8601 UTC, seconds).
    pub fn now_text(&self) -> String {
        time_text(self.now())
    }
}

/// [`SPEED_ENV`], or 1.
fn speed_from_env() -> u32 {
    std::env::var(SPEED_ENV)
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(1)
}

/// A moment as the cache stores it: ISO-8601 UTC, to the second.
pub fn time_text(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// A day written `YYYY-MM-DD` with a year from 2000 to 2099.
fn parse_day(text: &str) -> Option<NaiveDate> {
    crate::validate::date(crate::validate::ReviewField::EffectiveDate, "Today", text).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pinned_clock_starts_at_noon_of_its_day_and_runs_on() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        let clock = Clock::pinned_to(day);
        assert!(clock.is_pinned());
        assert_eq!(clock.today(), day);
        let now = clock.now();
        assert_eq!(now.format("%Y-%m-%dT%H").to_string(), "2026-11-24T12");
        assert!(clock.now() >= now);
        assert!(!Clock::system().is_pinned());
    }

    #[test]
    fn a_faster_clock_runs_ahead_and_the_computers_never_does() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        let fast = Clock::pinned_to(day).faster(3600);
        let start = fast.now();
        std::thread::sleep(std::time::Duration::from_millis(20));
        // 20 ms at 3600 times is over a minute.
        assert!(fast.now() - start >= chrono::Duration::seconds(60));
        assert_eq!(Clock::system().faster(3600).speed, 1);
    }

    #[test]
    fn days_are_read_strictly() {
        assert_eq!(
            parse_day("2028-02-29"),
            NaiveDate::from_ymd_opt(2028, 2, 29)
        );
        for bad in [
            "2027-02-29",
            "+262142-12-31",
            "1999-12-31",
            "24-11-2026",
            "",
        ] {
            assert_eq!(parse_day(bad), None, "{bad}");
        }
    }
}
