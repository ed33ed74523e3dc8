//! Health (SPEC §18): per service, the last successful contact, the last refusal of the
//! credentials (401: the keys or client id; 403: the permission the role lacks) with what to do,
//! the last time it could not be reached, and the marketplace token's lifetime.
//!
//! Each client notes every answer it gets in its log; the window reads a [`HealthView`] of both.

use std::sync::{Mutex, PoisonError};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::clock::{time_text, Clock};
use crate::error::{Error, Result, Service};

/// Where a service stands, by its last answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum HealthState {
    /// Not contacted since the profile opened.
    Unknown,
    /// It answered.
    Ok,
    /// It refused the credentials or a permission.
    Refused,
    /// It could not be reached, or answered with a failure of its own (5xx, a web page).
    Unreachable,
}

/// A refusal: when, the status (401 or 403), why in ConnectWise's or the marketplace's words,
/// and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Refusal {
    pub at: String,
    pub status: u16,
    pub reason: String,
    pub what_to_do: String,
}

/// A failure to reach a service: when, and what happened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Failure {
    pub at: String,
    pub reason: String,
}

/// One service's health.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ServiceHealth {
    pub service: Service,
    /// Its name as a person says it: "ConnectWise", "Cloud Marketplace".
    pub name: String,
    pub state: HealthState,
    /// The last answer that was not a refusal or a failure, ISO-8601.
    pub last_contact_at: Option<String>,
    pub last_refusal: Option<Refusal>,
    pub last_failure: Option<Failure>,
    /// The marketplace token's end, ISO-8601 (the marketplace only; `None` before sign-in).
    pub token_expires_at: Option<String>,
}

/// Both services' health, and, when one refuses the credentials now, what to do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct HealthView {
    pub services: Vec<ServiceHealth>,
    /// The banner's words while a service refuses: which, and what to do.
    pub banner: Option<String>,
}

#[derive(Debug, Default, Clone)]
struct Entry {
    state: Option<HealthState>,
    last_ok: Option<DateTime<Utc>>,
    refusal: Option<(DateTime<Utc>, u16, String)>,
    failure: Option<(DateTime<Utc>, String)>,
    token_expires: Option<DateTime<Utc>>,
}

/// What a service answered, as health counts it.
enum Answer {
    Ok,
    Refused(u16, String),
    Failed(String),
}

/// One service's log of answers. Cheap to note into; read when the window asks.
#[derive(Debug)]
pub struct HealthLog {
    service: Service,
    clock: Mutex<Clock>,
    entry: Mutex<Entry>,
}

impl HealthLog {
    pub fn new(service: Service) -> Self {
        HealthLog {
            service,
            clock: Mutex::new(Clock::system()),
            entry: Mutex::new(Entry::default()),
        }
    }

    /// Reads "now" from `clock` from here on (a pinned clock in tests and demos).
    pub fn set_clock(&self, clock: Clock) {
        *self.clock.lock().unwrap_or_else(PoisonError::into_inner) = clock;
    }

    fn now(&self) -> DateTime<Utc> {
        self.clock
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .now()
    }

    /// Notes what a call to the service says about it. Errors that are not the service's
    /// (a bad setting, the cache) say nothing.
    pub fn observe<T>(&self, result: &Result<T>) {
        match result {
            Ok(_) => self.note(Answer::Ok),
            Err(e) => self.observe_error(e),
        }
    }

    /// Notes what an error says about the service, if anything.
    pub fn observe_error(&self, e: &Error) {
        if let Some(answer) = classify(e) {
            self.note(answer);
        }
    }

    fn note(&self, answer: Answer) {
        let now = self.now();
        let mut entry = self.entry.lock().unwrap_or_else(PoisonError::into_inner);
        match answer {
            Answer::Ok => {
                entry.state = Some(HealthState::Ok);
                entry.last_ok = Some(now);
            }
            Answer::Refused(status, reason) => {
                entry.state = Some(HealthState::Refused);
                entry.refusal = Some((now, status, reason));
            }
            Answer::Failed(reason) => {
                entry.state = Some(HealthState::Unreachable);
                entry.failure = Some((now, reason));
            }
        }
    }

    /// A token was issued for `lifetime`, now.
    pub fn token_issued(&self, lifetime: std::time::Duration) {
        let now = self.now();
        let lifetime = chrono::Duration::from_std(lifetime).unwrap_or(chrono::Duration::zero());
        let mut entry = self.entry.lock().unwrap_or_else(PoisonError::into_inner);
        entry.token_expires = now.checked_add_signed(lifetime);
    }

    /// The service's health now.
    pub fn view(&self) -> ServiceHealth {
        let entry = self
            .entry
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        ServiceHealth {
            service: self.service,
            name: service_name(self.service).to_owned(),
            state: entry.state.unwrap_or(HealthState::Unknown),
            last_contact_at: entry.last_ok.map(time_text),
            last_refusal: entry.refusal.map(|(at, status, reason)| Refusal {
                at: time_text(at),
                status,
                what_to_do: what_to_do(self.service, status),
                reason,
            }),
            last_failure: entry.failure.map(|(at, reason)| Failure {
                at: time_text(at),
                reason,
            }),
            token_expires_at: entry.token_expires.map(time_text),
        }
    }
}

/// Both services' health, and the banner while one refuses.
pub fn view(services: Vec<ServiceHealth>) -> HealthView {
    let banner = services
        .iter()
        .filter(|s| s.state == HealthState::Refused)
        .filter_map(|s| {
            s.last_refusal.as_ref().map(|r| {
                format!(
                    "{} refused: {}",
                    s.name,
                    refusal_words(s.service, r.status, &r.reason)
                )
            })
        })
        .collect::<Vec<_>>();
    HealthView {
        services,
        banner: (!banner.is_empty()).then(|| banner.join(" ")),
    }
}

/// A service's name as a person says it.
pub fn service_name(service: Service) -> &'static str {
    match service {
        Service::ConnectWise => "ConnectWise",
        Service::Marketplace => "Cloud Marketplace",
    }
}

/// What to do when `service` refuses with `status` (shown after the refusal's reason).
pub fn what_to_do(service: Service, status: u16) -> String {
    match (service, status) {
        (Service::ConnectWise, 403) => "In ConnectWise, open System › Security Roles and give the API member's role the permission the refusal names, then run Check Changes again.".into(),
        (Service::ConnectWise, _) => "the API keys were refused. In Connections, check the company id, the public and private keys and the client id (an API member's keys can be revoked or expire), save, then run Check Changes again.".into(),
        (Service::Marketplace, 403) => "the marketplace account may not read what Check Changes reads. Ask your marketplace administrator for the API role that reads orders and subscriptions, then run Check Changes again.".into(),
        (Service::Marketplace, _) => "the sign-in was refused. In Connections, check the marketplace username, password and subscription key (a changed password or a renewed key needs entering again), save, then run Check Changes again.".into(),
    }
}

/// A refusal in one sentence, with what to do, for a banner or a notification. ConnectWise's
/// 403 names the permission and where to give it itself (its own words after that are left
/// out); any other 403 is said with what to do after it.
pub fn refusal_words(service: Service, status: u16, reason: &str) -> String {
    match (service, status) {
        (Service::ConnectWise, 403) => match reason.split_once(" (ConnectWise said:") {
            Some((named, _)) => named.trim().to_owned(),
            None => format!("{} {}", reason.trim(), what_to_do(service, status)),
        },
        (_, 403) => format!(
            "{} (it said: {})",
            what_to_do(service, status),
            reason.trim()
        ),
        _ => what_to_do(service, status),
    }
}

/// What an error says about the service that gave it, if anything.
fn classify(e: &Error) -> Option<Answer> {
    match e {
        Error::Unauthorized {
            status, message, ..
        } => Some(Answer::Refused(*status, message.clone())),
        Error::Unreachable { .. } => Some(Answer::Failed(e.to_string())),
        Error::Api { status, .. } if *status >= 500 => Some(Answer::Failed(e.to_string())),
        Error::WebPage { .. } => Some(Answer::Failed(e.to_string())),
        // It answered: a refused write, a record that is gone, a body it could not read.
        Error::Api { .. } | Error::NotFound(_) | Error::BadResponse { .. } => Some(Answer::Ok),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn log() -> HealthLog {
        let log = HealthLog::new(Service::ConnectWise);
        log.set_clock(Clock::pinned_to(
            chrono::NaiveDate::from_ymd_opt(2026, 11, 24).unwrap(),
        ));
        log
    }

    fn refused(status: u16) -> Result<()> {
        Err(Error::Unauthorized {
            service: Service::ConnectWise,
            status,
            message: "the API member's security role lacks the permission Finance › Agreements (Inquire), needed to read the agreements. In ConnectWise, open System › Security Roles, give the API member's role Finance › Agreements (Inquire), and try again. (ConnectWise said: no access)".into(),
        })
    }

    #[test]
    fn a_refusal_is_kept_after_a_later_contact_but_the_banner_goes() {
        let log = log();
        assert_eq!(log.view().state, HealthState::Unknown);
        log.observe(&refused(401));
        let v = log.view();
        assert_eq!(v.state, HealthState::Refused);
        assert_eq!(v.last_refusal.as_ref().unwrap().status, 401);
        assert!(v.last_refusal.as_ref().unwrap().what_to_do.contains("keys"));
        assert!(view(vec![v])
            .banner
            .unwrap()
            .starts_with("ConnectWise refused"));
        log.observe(&Ok::<(), Error>(()));
        let v = log.view();
        assert_eq!(v.state, HealthState::Ok);
        assert!(v.last_contact_at.is_some());
        assert!(v.last_refusal.is_some());
        assert_eq!(view(vec![v]).banner, None);
    }

    #[test]
    fn a_403_names_the_permission_to_give_and_errors_of_this_computer_say_nothing() {
        let log = log();
        log.observe(&refused(403));
        let banner = view(vec![log.view()]).banner.unwrap();
        assert!(
            banner.starts_with("ConnectWise refused: the API member's security role lacks the permission Finance › Agreements (Inquire)"),
            "{banner}"
        );
        assert!(banner.ends_with("and try again."), "{banner}");
        log.observe(&Err::<(), _>(Error::Store("disk full".into())));
        assert_eq!(log.view().state, HealthState::Refused);
    }

    #[test]
    fn every_refusal_says_what_to_do_once() {
        let cw = |reason: &str| refusal_words(Service::ConnectWise, 403, reason);
        assert_eq!(
            cw("the role lacks X. Give it X. (ConnectWise said: no)"),
            "the role lacks X. Give it X."
        );
        // No permission named: what to do is added.
        assert!(
            cw("Forbidden (the API member's security role lacks a permission for agreements)")
                .ends_with("the permission the refusal names, then run Check Changes again.")
        );
        let market = refusal_words(Service::Marketplace, 403, "Role missing");
        assert!(market.ends_with("(it said: Role missing)"), "{market}");
        assert!(!what_to_do(Service::Marketplace, 403).contains("Role missing"));
        assert_eq!(
            refusal_words(Service::Marketplace, 401, "Unauthorized"),
            what_to_do(Service::Marketplace, 401)
        );
    }

    #[test]
    fn a_timeout_is_a_failure_and_a_token_has_an_end() {
        let log = log();
        log.observe(&Err::<(), _>(Error::Unreachable {
            service: Service::ConnectWise,
            url: "https://cw.example".into(),
            reason: "timed out".into(),
        }));
        let v = log.view();
        assert_eq!(v.state, HealthState::Unreachable);
        assert!(v.last_failure.unwrap().reason.contains("timed out"));
        log.token_issued(std::time::Duration::from_secs(3600));
        let end = log.view().token_expires_at.unwrap();
        assert!(end.starts_with("2026-11-24T13:00"), "{end}");
    }
}
