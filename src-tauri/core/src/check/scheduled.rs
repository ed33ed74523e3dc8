//! Scheduled checks (SPEC §18): a profile may check for changes every N hours while the app is
//! open. A due check runs like Check Changes, quietly, when nothing else runs (it waits its turn
//! otherwise), and says what the person should be told.

use chrono::{DateTime, Utc};

use crate::context::Context;
use crate::error::{Error, ErrorField, Result};
use crate::health::HealthState;
use crate::schedule::{self, Found, Notice, ScheduleView, Standing, Tick};
use crate::store::settings;

/// Check every this many hours (absent: off).
pub const EVERY_HOURS: &str = "check_every_hours";
/// Desktop notifications: "0" off (absent: on).
pub const NOTIFY: &str = "notify";
/// When the last scheduled check started (a failed one counts: it is not tried again at once).
pub const LAST_SCHEDULED_AT: &str = "last_scheduled_check_at";
/// The standing last told in a notification (JSON of [`Standing`]).
pub const TOLD: &str = "notice_standing";

/// What a tick did.
#[derive(Debug)]
pub enum Ticked {
    /// Nothing was due, or no schedule.
    Idle,
    /// Due, but this ran: it waits.
    Waiting(crate::turn::Work),
    /// A check ran (`checked`: it worked); `notice`: what to tell, if notifications are on.
    Checked {
        checked: bool,
        notice: Option<Notice>,
    },
}

struct Settings {
    every_hours: Option<u32>,
    notify: bool,
    last: Option<DateTime<Utc>>,
    told: Option<Standing>,
}

fn parse_time(text: Option<String>) -> Option<DateTime<Utc>> {
    text.and_then(|t| DateTime::parse_from_rfc3339(&t).ok())
        .map(|t| t.with_timezone(&Utc))
}

impl Context {
    async fn schedule_settings(&self) -> Result<Settings> {
        self.store
            .call(|c| {
                let every = settings::get(c, EVERY_HOURS)?.and_then(|v| v.parse().ok());
                let notify = settings::get(c, NOTIFY)?.as_deref() != Some("0");
                let checked = parse_time(settings::get(c, settings::LAST_CHECKED_AT)?);
                let scheduled = parse_time(settings::get(c, LAST_SCHEDULED_AT)?);
                let told = settings::get(c, TOLD)?.and_then(|t| serde_json::from_str(&t).ok());
                Ok(Settings {
                    every_hours: every,
                    notify,
                    last: checked.max(scheduled),
                    told,
                })
            })
            .await
    }

    fn running(&self) -> Option<crate::turn::Work> {
        self.turn
            .syncing
            .running()
            .or_else(|| self.turn.checking.running())
    }

    /// The profile's schedule, with when the next check is due.
    pub async fn schedule(&self) -> Result<ScheduleView> {
        let s = self.schedule_settings().await?;
        let now = self.clock.now();
        let due = schedule::next_due(s.every_hours, s.last, now);
        let waiting_for = match schedule::tick(due, now, self.running()) {
            Tick::Wait(work) => Some(format!("{} is running", work.words())),
            _ => None,
        };
        Ok(ScheduleView {
            every_hours: s.every_hours,
            notify: s.notify,
            next_due_at: due.map(crate::clock::time_text),
            waiting_for,
        })
    }

    /// Sets the schedule: check every `every_hours` hours (1 to a week; `None`: only when
    /// asked), and whether to notify.
    pub async fn set_schedule(
        &self,
        every_hours: Option<u32>,
        notify: bool,
    ) -> Result<ScheduleView> {
        if let Some(h) = every_hours {
            if !(1..=schedule::MAX_EVERY_HOURS).contains(&h) {
                return Err(Error::invalid(
                    ErrorField::CheckEvery,
                    format!(
                        "Scheduled checks run every 1 to {} hours (a week).",
                        schedule::MAX_EVERY_HOURS
                    ),
                ));
            }
        }
        let now = self.clock.now_text();
        self.store
            .call(move |c| {
                match every_hours {
                    Some(h) => {
                        settings::set(c, EVERY_HOURS, &h.to_string())?;
                        // The first check is due `h` hours from now, or at once if never checked.
                        if settings::get(c, settings::LAST_CHECKED_AT)?.is_some() {
                            settings::set(c, LAST_SCHEDULED_AT, &now)?;
                        }
                    }
                    None => settings::remove(c, EVERY_HOURS)?,
                }
                settings::set(c, NOTIFY, if notify { "1" } else { "0" })
            })
            .await?;
        self.schedule().await
    }

    /// Runs the scheduled check if it is due and nothing else runs; says what it did and what
    /// to tell the person (only a change of state is told).
    pub async fn scheduled_tick(&self) -> Result<Ticked> {
        let s = self.schedule_settings().await?;
        let now = self.clock.now();
        let due = schedule::next_due(s.every_hours, s.last, now);
        match schedule::tick(due, now, self.running()) {
            Tick::Off | Tick::NotYet(_) => return Ok(Ticked::Idle),
            Tick::Wait(work) => return Ok(Ticked::Waiting(work)),
            Tick::Run => {}
        }
        let started = self.clock.now_text();
        let kept = started.clone();
        self.store
            .call(move |c| settings::set(c, LAST_SCHEDULED_AT, &kept))
            .await?;
        let checked = self.check_changes(&|_| {}).await;
        if let Err(Error::Invalid { field, .. }) = &checked {
            if *field == ErrorField::CheckChanges {
                // Something took the turn meanwhile: it is tried again at the next tick.
                if let Some(work) = self.running() {
                    self.store
                        .call(|c| settings::remove(c, LAST_SCHEDULED_AT))
                        .await?;
                    return Ok(Ticked::Waiting(work));
                }
            }
        }
        let outcome = match checked {
            Ok(summary) => self.found(&summary, started).await,
            Err(e) => Err(e),
        };
        let (notice, standing) =
            schedule::after_check(&self.profile_name, &outcome, s.told.as_ref());
        self.keep_told(&standing).await?;
        Ok(Ticked::Checked {
            checked: outcome.is_ok(),
            notice: notice.filter(|_| s.notify),
        })
    }

    /// What a check found, as notices count it; a ConnectWise refusal during the refresh (the
    /// check itself worked) counts as the refusal it is.
    async fn found(&self, summary: &crate::check::CheckSummary, started: String) -> Result<Found> {
        if summary.connectwise_error.is_some() {
            if let Ok(cw) = self.connectwise() {
                let health = cw.health().view();
                if let (HealthState::Refused, Some(r)) = (health.state, health.last_refusal) {
                    return Err(Error::Unauthorized {
                        service: health.service,
                        status: r.status,
                        message: r.reason,
                    });
                }
            }
        }
        let new_tasks = summary.tasks_created;
        self.store
            .call(move |c| {
                let need_mapping: u32 = c.query_row(
                    "SELECT COUNT(*) FROM tasks t
                     WHERE t.created_at >= ?1
                       AND NOT EXISTS (SELECT 1 FROM customer_mappings m
                                       WHERE m.customer_id = t.customer_id)",
                    [&started],
                    |r| r.get(0),
                )?;
                Ok(Found {
                    new_tasks,
                    need_mapping: need_mapping.min(new_tasks),
                })
            })
            .await
    }

    async fn keep_told(&self, standing: &Standing) -> Result<()> {
        let text = serde_json::to_string(standing)
            .map_err(|e| Error::Store(format!("the notice's state could not be kept: {e}")))?;
        self.store
            .call(move |c| settings::set(c, TOLD, &text))
            .await
    }

    /// The notice of a sync that failed (once per sync), if notifications are on.
    pub async fn notice_after_failed_sync(
        &self,
        sync_id: i64,
        task: &str,
        message: &str,
    ) -> Result<Option<Notice>> {
        self.tell(|profile, told| {
            schedule::after_failed_sync(profile, sync_id, task, message, told)
        })
        .await
    }

    /// The notice of a batch sync that ended with failed tasks (once per batch), if
    /// notifications are on.
    pub async fn notice_after_failed_batch(
        &self,
        batch_id: i64,
        message: &str,
    ) -> Result<Option<Notice>> {
        self.tell(|profile, told| schedule::after_failed_batch(profile, batch_id, message, told))
            .await
    }

    async fn tell(
        &self,
        decide: impl FnOnce(&str, Option<&Standing>) -> (Option<Notice>, Standing),
    ) -> Result<Option<Notice>> {
        let s = self.schedule_settings().await?;
        let (notice, standing) = decide(&self.profile_name, s.told.as_ref());
        self.keep_told(&standing).await?;
        Ok(notice.filter(|_| s.notify))
    }
}
