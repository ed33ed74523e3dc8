//! Scheduled checks (SPEC §18): a profile may check for changes every N hours while the app is
//! open. A due check runs like Check Changes, quietly, when nothing else runs (it waits its turn
//! otherwise, and no sync starts while it runs), and says what the person should be told.

use chrono::{DateTime, Utc};

use crate::context::Context;
use crate::error::{Error, ErrorField, Result};
use crate::health::HealthState;
use crate::schedule::{self, FailedWork, Found, Notice, ScheduleView, Standing, Tick};
use crate::store::{parse_time, settings};
use crate::turn::Work;

/// Check every this many hours (absent: off).
pub const EVERY_HOURS: &str = "check_every_hours";
/// Desktop notifications: "0" off (absent: on).
pub const NOTIFY: &str = "notify";
/// When the last scheduled check started (a failed one counts: it is not tried again at once).
pub const LAST_SCHEDULED_AT: &str = "last_scheduled_check_at";
/// The checks' standing last told in a notification (JSON of [`Standing`]).
pub const TOLD: &str = "notice_standing";
/// The failed sync or batch last told (JSON of [`FailedWork`]).
pub const TOLD_FAILED: &str = "notice_failed_work";

/// What a tick did.
#[derive(Debug)]
pub enum Ticked {
    /// Nothing was due, or no schedule.
    Idle,
    /// Due, but this ran: it waits.
    Waiting(Work),
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

fn time_of(text: Option<String>) -> Option<DateTime<Utc>> {
    text.as_deref().and_then(parse_time)
}

impl Context {
    /// The schedule's settings. A last check dated after `now` (written on a clock that ran
    /// ahead) is not counted: the schedule never waits for it.
    async fn schedule_settings(&self, now: DateTime<Utc>) -> Result<Settings> {
        self.store
            .call(move |c| {
                let every = settings::get(c, EVERY_HOURS)?.and_then(|v| v.parse().ok());
                let notify = settings::get(c, NOTIFY)?.as_deref() != Some("0");
                let past = |t: Option<DateTime<Utc>>| t.filter(|t| *t <= now);
                let checked = past(time_of(settings::get(c, settings::LAST_CHECKED_AT)?));
                let scheduled = past(time_of(settings::get(c, LAST_SCHEDULED_AT)?));
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

    /// What runs now, if anything: a sync or batch sync first, then Check Changes or a
    /// reconcile.
    fn running(&self) -> Option<Work> {
        self.turn
            .syncing
            .running()
            .or_else(|| self.turn.checking.running())
    }

    /// The profile's schedule, with when the next check is due.
    pub async fn schedule(&self) -> Result<ScheduleView> {
        let now = self.clock.now();
        let s = self.schedule_settings(now).await?;
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
    /// asked), and whether to notify. The next check is due that many hours after the last one
    /// (by hand or on schedule; at once when that is longer ago, or when the profile never
    /// checked): turning it on, changing the hours or the notifications moves no check.
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
        self.store
            .call(move |c| {
                match every_hours {
                    Some(h) => settings::set(c, EVERY_HOURS, &h.to_string())?,
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
        let now = self.clock.now();
        let s = self.schedule_settings(now).await?;
        let due = schedule::next_due(s.every_hours, s.last, now);
        match schedule::tick(due, now, self.running()) {
            Tick::Off | Tick::NotYet(_) => return Ok(Ticked::Idle),
            Tick::Wait(work) => return Ok(Ticked::Waiting(work)),
            Tick::Run => {}
        }
        // No sync or batch starts while it runs (they are told a scheduled check runs).
        let _no_sync = match self.turn.syncing.take(Work::ScheduledCheck) {
            Ok(turn) => turn,
            Err(work) => return Ok(Ticked::Waiting(work)),
        };
        if let Some(work) = self.turn.checking.running() {
            return Ok(Ticked::Waiting(work));
        }
        let started = self.clock.now_text();
        let kept = started.clone();
        self.store
            .call(move |c| settings::set(c, LAST_SCHEDULED_AT, &kept))
            .await?;
        let outcome = match self.check_changes(&|_| {}).await {
            Ok(summary) => self.found(&summary, started).await,
            // Something took the turn meanwhile: tried again at the next tick.
            Err(Error::Invalid {
                field: ErrorField::CheckChanges,
                ..
            }) => {
                self.store
                    .call(|c| settings::remove(c, LAST_SCHEDULED_AT))
                    .await?;
                return Ok(Ticked::Waiting(
                    self.turn.checking.running().unwrap_or(Work::CheckChanges),
                ));
            }
            Err(e) => Err(e),
        };
        let (notice, standing) =
            schedule::after_check(&self.profile_name, &outcome, s.told.as_ref());
        let text = serde_json::to_string(&standing)
            .map_err(|e| Error::Store(format!("the notice's state could not be kept: {e}")))?;
        self.store
            .call(move |c| settings::set(c, TOLD, &text))
            .await?;
        Ok(Ticked::Checked {
            checked: outcome.is_ok(),
            notice: notice.filter(|_| s.notify),
        })
    }

    /// What a check that started at `started` found, as notices count it: the tasks it made,
    /// those whose customer has no ConnectWise company yet, and a ConnectWise refusal during the
    /// refresh (the check itself worked).
    async fn found(&self, summary: &crate::check::CheckSummary, started: String) -> Result<Found> {
        // This check's refresh was refused (not merely failed): health has its status and reason.
        let refused = summary
            .connectwise_refused
            .then(|| self.connectwise().ok())
            .flatten()
            .map(|cw| cw.health().view())
            .filter(|h| h.state == HealthState::Refused)
            .and_then(|h| h.last_refusal.map(|r| (h.service, r.status, r.reason)));
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
                    refused,
                })
            })
            .await
    }

    /// The notice of a failed sync (`FailedWork::Sync`, about `what`) or batch sync, once
    /// each, if notifications are on.
    pub async fn notice_after_failed(
        &self,
        work: FailedWork,
        what: &str,
        message: &str,
    ) -> Result<Option<Notice>> {
        let text = serde_json::to_string(&work)
            .map_err(|e| Error::Store(format!("the notice's state could not be kept: {e}")))?;
        let (notify, told) = self
            .store
            .call(move |c| {
                let notify = settings::get(c, NOTIFY)?.as_deref() != Some("0");
                let told: Option<FailedWork> =
                    settings::get(c, TOLD_FAILED)?.and_then(|t| serde_json::from_str(&t).ok());
                settings::set(c, TOLD_FAILED, &text)?;
                Ok((notify, told))
            })
            .await?;
        let notice = schedule::after_failed(&self.profile_name, work, what, message, told.as_ref());
        Ok(notice.filter(|_| notify))
    }
}
