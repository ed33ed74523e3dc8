//! Scheduled checks and their notices (SPEC §18), decided without a clock of their own: when
//! the next check is due, whether it may run now, and what — if anything — to tell the person
//! about how it went. Only a change of state is told: a refusal or a failure is told once, until
//! a check works again.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Service};
use crate::turn::Work;

/// The longest a profile may wait between scheduled checks: a week.
pub const MAX_EVERY_HOURS: u32 = 168;

/// A profile's schedule, as the window shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ScheduleView {
    /// Check every this many hours while the app is open; `None`: only when asked.
    pub every_hours: Option<u32>,
    /// Desktop notifications on (new tasks, a failed check or sync, refused credentials).
    pub notify: bool,
    /// When the next scheduled check is due, ISO-8601 (`None` when none is scheduled).
    pub next_due_at: Option<String>,
    /// What keeps a due check waiting, in words ("A sync is running"), if anything.
    pub waiting_for: Option<String>,
}

/// When the next scheduled check is due: `every_hours` after the last check (by hand or on
/// schedule), or at once (`now`) when the profile never checked. A last check dated after `now`
/// (written on a clock that ran ahead) counts as made now: the schedule never stops waiting for
/// it.
pub fn next_due(
    every_hours: Option<u32>,
    last_checked_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    let every = chrono::Duration::hours(i64::from(every_hours?));
    Some(match last_checked_at {
        Some(last) => {
            let last = last.min(now);
            last.checked_add_signed(every).unwrap_or(last)
        }
        None => now,
    })
}

/// What a scheduled check does at a tick.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tick {
    /// No schedule.
    Off,
    /// Not due before this.
    NotYet(DateTime<Utc>),
    /// Due, and nothing else runs: check now.
    Run,
    /// Due, but this runs: wait for it to finish (the next tick tries again).
    Wait(Work),
}

/// Whether a scheduled check runs `now`, given what runs (`running`: Check Changes or a
/// reconcile, a sync or a batch sync).
pub fn tick(due: Option<DateTime<Utc>>, now: DateTime<Utc>, running: Option<Work>) -> Tick {
    match due {
        None => Tick::Off,
        Some(due) if due > now => Tick::NotYet(due),
        Some(_) => match running {
            Some(work) => Tick::Wait(work),
            None => Tick::Run,
        },
    }
}

/// Where a profile's checks stand, as far as notices go: each state is told once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "state")]
pub enum Standing {
    /// The last check worked.
    Fine,
    /// A service refused the credentials (401) or a permission (403).
    Refused { service: Service, status: u16 },
    /// The last check failed for another reason.
    Failed,
}

/// The last failed sync or batch sync told (kept apart from the checks' standing: a failed sync
/// never makes a check's refusal be told again).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "kind", content = "id")]
pub enum FailedWork {
    Sync(i64),
    Batch(i64),
}

/// Where the window goes when a notice is clicked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum NoticeView {
    Tasks,
    Connections,
    Activity,
}

/// A desktop notification: its title, its words, and the view a click opens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Notice {
    pub title: String,
    pub body: String,
    pub view: NoticeView,
}

/// What a check found, as notices count it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub new_tasks: u32,
    /// Of the new tasks, those whose customer has no ConnectWise company yet.
    pub need_mapping: u32,
    /// The check read the marketplace, but a service refused while it refreshed the rest
    /// (ConnectWise's keys, say): its 401 or 403, and why.
    pub refused: Option<(Service, u16, String)>,
}

fn refusal_notice(profile: &str, service: Service, status: u16, reason: &str) -> Notice {
    Notice {
        title: format!(
            "{} refused Agreement Sync",
            crate::health::service_name(service)
        ),
        body: format!(
            "{profile}: {}",
            crate::health::refusal_words(service, status, reason)
        ),
        view: NoticeView::Connections,
    }
}

/// The notice a check's outcome calls for, given the standing last told, and the standing now.
/// New tasks are always told (they are new); a refusal or a failure only when it was not the
/// standing already.
pub fn after_check(
    profile: &str,
    outcome: &Result<Found, Error>,
    told: Option<&Standing>,
) -> (Option<Notice>, Standing) {
    match outcome {
        Ok(found) => {
            let news = (found.new_tasks > 0).then(|| new_tasks_words(profile, found));
            let Some((service, status, reason)) = &found.refused else {
                let notice = news.map(|body| Notice {
                    title: "Agreement Sync".into(),
                    body,
                    view: NoticeView::Tasks,
                });
                return (notice, Standing::Fine);
            };
            let now = Standing::Refused {
                service: *service,
                status: *status,
            };
            let notice = if told != Some(&now) {
                let mut notice = refusal_notice(profile, *service, *status, reason);
                if let Some(news) = news {
                    notice.body.push_str(&format!(" Meanwhile: {news}."));
                }
                Some(notice)
            } else {
                news.map(|body| Notice {
                    title: "Agreement Sync".into(),
                    body,
                    view: NoticeView::Tasks,
                })
            };
            (notice, now)
        }
        Err(Error::Unauthorized {
            service,
            status,
            message,
        }) => {
            let now = Standing::Refused {
                service: *service,
                status: *status,
            };
            let notice =
                (told != Some(&now)).then(|| refusal_notice(profile, *service, *status, message));
            (notice, now)
        }
        Err(e) => {
            let now = Standing::Failed;
            let notice = (told != Some(&now)).then(|| Notice {
                title: "Check Changes failed".into(),
                body: format!("{profile}: {e}"),
                view: if e.is_offline() {
                    NoticeView::Tasks
                } else {
                    NoticeView::Connections
                },
            });
            (notice, now)
        }
    }
}

/// The notice of a sync (`Sync(id)`, about `what`) or a batch sync that failed, saying
/// `message` — unless it was the last one told.
pub fn after_failed(
    profile: &str,
    work: FailedWork,
    what: &str,
    message: &str,
    told: Option<&FailedWork>,
) -> Option<Notice> {
    (told != Some(&work)).then(|| match work {
        FailedWork::Sync(_) => Notice {
            title: "A sync failed".into(),
            body: format!("{profile}, {what}: {message}"),
            view: NoticeView::Activity,
        },
        FailedWork::Batch(_) => Notice {
            title: "A batch sync failed".into(),
            body: format!("{profile}: {message}"),
            view: NoticeView::Tasks,
        },
    })
}

/// "7 new tasks for Acme — 3 need a mapping".
pub fn new_tasks_words(profile: &str, found: &Found) -> String {
    let tasks = if found.new_tasks == 1 {
        "1 new task".to_owned()
    } else {
        format!("{} new tasks", found.new_tasks)
    };
    match found.need_mapping {
        0 => format!("{tasks} for {profile}"),
        1 if found.new_tasks == 1 => format!("{tasks} for {profile} — it needs a mapping"),
        1 => format!("{tasks} for {profile} — 1 needs a mapping"),
        n => format!("{tasks} for {profile} — {n} need a mapping"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 24, h, m, 0).unwrap()
    }

    #[test]
    fn the_next_check_is_due_hours_after_the_last_and_at_once_when_never_checked() {
        assert_eq!(next_due(None, Some(at(9, 0)), at(10, 0)), None);
        assert_eq!(
            next_due(Some(4), Some(at(9, 0)), at(10, 0)),
            Some(at(13, 0))
        );
        assert_eq!(next_due(Some(4), None, at(8, 0)), Some(at(8, 0)));
        // A last check dated ahead of the clock counts as made now.
        assert_eq!(
            next_due(Some(4), Some(at(23, 0)), at(9, 0)),
            Some(at(13, 0))
        );
    }

    #[test]
    fn a_due_check_waits_for_what_runs() {
        let due = Some(at(13, 0));
        assert_eq!(tick(due, at(12, 59), None), Tick::NotYet(at(13, 0)));
        assert_eq!(
            tick(due, at(13, 0), Some(Work::Sync)),
            Tick::Wait(Work::Sync)
        );
        assert_eq!(tick(due, at(13, 1), None), Tick::Run);
        assert_eq!(tick(None, at(13, 1), None), Tick::Off);
    }

    #[test]
    fn new_tasks_are_counted_in_words() {
        let w = |n, m| {
            new_tasks_words(
                "Acme",
                &Found {
                    new_tasks: n,
                    need_mapping: m,
                    refused: None,
                },
            )
        };
        assert_eq!(w(7, 3), "7 new tasks for Acme — 3 need a mapping");
        assert_eq!(w(7, 0), "7 new tasks for Acme");
        assert_eq!(w(1, 1), "1 new task for Acme — it needs a mapping");
        assert_eq!(w(2, 1), "2 new tasks for Acme — 1 needs a mapping");
    }

    #[test]
    fn a_refusal_is_told_once_until_a_check_works_again() {
        let refused = || -> Result<Found, Error> {
            Err(Error::Unauthorized {
                service: Service::ConnectWise,
                status: 401,
                message: "no".into(),
            })
        };
        let (first, told) = after_check("Acme", &refused(), Some(&Standing::Fine));
        assert_eq!(first.unwrap().view, NoticeView::Connections);
        let (second, told) = after_check("Acme", &refused(), Some(&told));
        assert_eq!(second, None);
        let nothing = Ok(Found {
            new_tasks: 0,
            need_mapping: 0,
            refused: None,
        });
        let (quiet, told) = after_check("Acme", &nothing, Some(&told));
        assert_eq!((quiet, &told), (None, &Standing::Fine));
        let (again, _) = after_check("Acme", &refused(), Some(&told));
        assert!(again.is_some());
    }

    #[test]
    fn a_refusal_during_the_refresh_is_told_with_the_new_tasks_and_then_the_tasks_alone() {
        let found = |n| -> Result<Found, Error> {
            Ok(Found {
                new_tasks: n,
                need_mapping: 0,
                refused: Some((
                    Service::ConnectWise,
                    403,
                    "the role lacks Finance › Agreements (Inquire). (ConnectWise said: no)".into(),
                )),
            })
        };
        let (first, told) = after_check("Acme", &found(2), Some(&Standing::Fine));
        let first = first.unwrap();
        assert_eq!(first.view, NoticeView::Connections);
        assert_eq!(
            first.body,
            "Acme: the role lacks Finance › Agreements (Inquire). Meanwhile: 2 new tasks for Acme."
        );
        // Still refused an hour on: the new tasks are told, the refusal is not.
        let (second, told) = after_check("Acme", &found(3), Some(&told));
        assert_eq!(second.unwrap().body, "3 new tasks for Acme");
        assert_eq!(after_check("Acme", &found(0), Some(&told)).0, None);
    }

    #[test]
    fn a_failed_check_is_told_once_and_each_failed_sync_once() {
        let failed = || -> Result<Found, Error> {
            Err(Error::Unreachable {
                service: Service::Marketplace,
                url: "https://m.example".into(),
                reason: "timed out".into(),
            })
        };
        let (first, told) = after_check("Acme", &failed(), None);
        assert!(first.unwrap().body.contains("timed out"));
        assert_eq!(after_check("Acme", &failed(), Some(&told)).0, None);
        let sync = FailedWork::Sync(4);
        let told_sync = after_failed("Acme", sync, "Green Lane", "refused", None).unwrap();
        assert_eq!(told_sync.view, NoticeView::Activity);
        assert_eq!(told_sync.body, "Acme, Green Lane: refused");
        assert_eq!(
            after_failed("Acme", sync, "Green Lane", "refused", Some(&sync)),
            None
        );
        assert!(after_failed("Acme", FailedWork::Sync(5), "x", "y", Some(&sync)).is_some());
        let batch = after_failed(
            "Acme",
            FailedWork::Batch(4),
            "",
            "1 of 3 failed",
            Some(&sync),
        );
        assert_eq!(batch.unwrap().view, NoticeView::Tasks);
    }
}
