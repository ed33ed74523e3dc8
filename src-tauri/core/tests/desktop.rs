//! A good desktop citizen (SPEC §18): scheduled checks and their notices, each service's health
//! after a refusal or a timeout, and the task list saved as CSV. Today is pinned.

mod support;

use std::time::Duration;

use agreement_sync_core::check::scheduled::Ticked;
use agreement_sync_core::clock::Clock;
use agreement_sync_core::connectwise::ConnectWiseClient;
use agreement_sync_core::error::Service;
use agreement_sync_core::health::HealthState;
use agreement_sync_core::http::{RetryPolicy, Timeouts};
use agreement_sync_core::marketplace::MarketplaceClient;
use agreement_sync_core::saving::Destination;
use agreement_sync_core::schedule::NoticeView;
use agreement_sync_core::secret::Secret;
use agreement_sync_core::session::{ProfileKind, Session};
use agreement_sync_core::store::{mappings, settings, Store};
use agreement_sync_core::task::{TaskQuery, TaskStatus};
use agreement_sync_core::turn::Work;
use agreement_sync_sim::{FaultKind, FaultRule, SimHandle};
use support::{connectwise, connectwise_config, marketplace, marketplace_config, quick_retry};

/// Green Lane LLC's account id: two Demo tasks (a Change Order and a Billing Order).
const GREEN_LANE: &str = "1000048531";

/// A Demo session on the cache at `path`, its clock reading `hours` after the tests' noon.
fn session_on(
    path: &std::path::Path,
    hours: i64,
    mp: MarketplaceClient,
    cw: ConnectWiseClient,
) -> Session {
    Session::new(
        "Acme",
        ProfileKind::Real,
        "/tmp/nowhere",
        Store::open(path).unwrap(),
        mp,
        cw,
    )
    .with_clock(Clock::starting_at(
        support::now() + chrono::Duration::hours(hours),
    ))
}

fn plain(sim: &SimHandle, path: &std::path::Path, hours: i64) -> Session {
    session_on(path, hours, marketplace(sim), connectwise(sim))
}

fn checked(t: &Ticked) -> (bool, Option<&agreement_sync_core::schedule::Notice>) {
    match t {
        Ticked::Checked { checked, notice } => (*checked, notice.as_ref()),
        other => panic!("a check was due: {other:?}"),
    }
}

#[tokio::test]
async fn a_scheduled_check_is_due_hours_after_the_last_waits_for_a_sync_and_tells_new_tasks_once() {
    let sim = support::sim().await;
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("cache.db");
    let s = plain(&sim, &cache, 0);

    // Off by default: nothing is due, a tick does nothing.
    let off = s.schedule().await.unwrap();
    assert_eq!(
        (off.every_hours, off.notify, off.next_due_at),
        (None, true, None)
    );
    assert!(matches!(s.scheduled_tick().await.unwrap(), Ticked::Idle));
    // Out of bounds is refused in words.
    let refused = s.set_schedule(Some(0), true).await.unwrap_err().to_string();
    assert!(refused.contains("every 1 to 168 hours"), "{refused}");

    // Never checked: due at once — but a sync runs, so it waits, and reads nothing.
    let on = s.set_schedule(Some(4), true).await.unwrap();
    assert_eq!(on.every_hours, Some(4));
    assert!(on.next_due_at.unwrap().starts_with("2026-11-24T12:00"));
    sim.clear_requests();
    {
        let _sync = s.turn.syncing.take(Work::Sync).unwrap();
        assert!(matches!(
            s.scheduled_tick().await.unwrap(),
            Ticked::Waiting(Work::Sync)
        ));
        assert_eq!(
            s.schedule().await.unwrap().waiting_for.as_deref(),
            Some("A sync is running")
        );
        let _reconcile = s.turn.checking.take(Work::Reconcile).unwrap();
        assert!(matches!(
            s.scheduled_tick().await.unwrap(),
            Ticked::Waiting(Work::Sync)
        ));
    }
    assert!(sim.requests().is_empty(), "a waiting check reads nothing");

    // Its turn: it checks, quietly, and tells what it found. Green Lane is mapped already: its
    // two tasks need no mapping.
    s.store()
        .with(|c| mappings::set_company(c, GREEN_LANE, 250, "2026-11-24T11:00:00Z"))
        .unwrap();
    let ticked = s.scheduled_tick().await.unwrap();
    let (ok, notice) = checked(&ticked);
    assert!(ok);
    let notice = notice.expect("new tasks are told");
    assert_eq!(notice.view, NoticeView::Tasks);
    let total = s.status().await.unwrap().task_count;
    assert!(total > 0);
    let green_lane = s
        .list_tasks(
            TaskQuery {
                search: GREEN_LANE.into(),
                ..TaskQuery::default()
            },
            0,
            100,
        )
        .await
        .unwrap()
        .total;
    assert_eq!(green_lane, 2);
    assert_eq!(
        notice.body,
        format!(
            "{total} new tasks for Acme — {} need a mapping",
            total - green_lane
        ),
    );
    // The next one is due four hours after this check; not before.
    let next = s.schedule().await.unwrap().next_due_at.unwrap();
    assert!(next.starts_with("2026-11-24T16:00"), "{next}");
    assert!(matches!(s.scheduled_tick().await.unwrap(), Ticked::Idle));
    drop(s);

    // Four hours on: checked again, nothing new, nothing told.
    let later = plain(&sim, &cache, 4);
    let ticked = later.scheduled_tick().await.unwrap();
    assert_eq!(checked(&ticked), (true, None));
    let next = later.schedule().await.unwrap().next_due_at.unwrap();
    assert!(next.starts_with("2026-11-24T20:00"), "{next}");

    // Every hour from now; Green Lane orders again: told, with no mapping needed.
    let every_hour = later.set_schedule(Some(1), true).await.unwrap();
    // Changing the hours moves the next check from the last one, not from now.
    assert!(every_hour
        .next_due_at
        .unwrap()
        .starts_with("2026-11-24T17:00"));
    drop(later);
    let order = |hours| {
        sim.create_order(
            GREEN_LANE,
            "change",
            "completed",
            support::now() + chrono::Duration::hours(hours),
        )
    };
    order(5);
    let hour_on = plain(&sim, &cache, 6);
    let ticked = hour_on.scheduled_tick().await.unwrap();
    assert_eq!(
        checked(&ticked).1.map(|n| n.body.as_str()),
        Some("1 new task for Acme")
    );
    // Notifications off: a check still runs, but tells nothing.
    hour_on.set_schedule(Some(1), false).await.unwrap();
    drop(hour_on);
    order(7);
    let quiet = plain(&sim, &cache, 8);
    let ticked = quiet.scheduled_tick().await.unwrap();
    assert_eq!(checked(&ticked), (true, None));
    assert_eq!(quiet.status().await.unwrap().task_count, total + 2);
}

#[tokio::test]
async fn a_sync_waits_for_a_running_scheduled_check_and_a_last_check_dated_ahead_does_not_stop_the_schedule(
) {
    let sim = support::sim().await;
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("cache.db");
    let s = plain(&sim, &cache, 0);
    s.check_changes(&|_| {}).await.unwrap();
    let task = support::task_id(&s, "1000231").await;
    // Written on a clock that ran a day ahead: not waited for.
    s.store()
        .with(|c| settings::set(c, settings::LAST_CHECKED_AT, "2026-11-25T12:00:00Z"))
        .unwrap();
    s.set_schedule(Some(4), true).await.unwrap();
    // While the scheduled check reads (each answer 300 ms late), a sync is refused in words.
    sim.set_latency(Duration::from_millis(300));
    let (ticked, refused) = tokio::join!(s.scheduled_tick(), async {
        tokio::time::sleep(Duration::from_millis(300)).await;
        s.sync_task(task, &|_| {}).await
    });
    sim.set_latency(Duration::ZERO);
    assert!(checked(&ticked.unwrap()).0);
    assert_eq!(
        refused.unwrap_err().to_string(),
        "A scheduled check is running; wait for it to finish."
    );
}

#[tokio::test]
async fn refused_credentials_are_told_once_until_a_check_works_again() {
    let sim = support::sim().await;
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("cache.db");
    let wrong = |sim: &SimHandle| {
        let mut config = marketplace_config(sim);
        config.password = Secret::new("not-the-password");
        MarketplaceClient::with_options(&config, Timeouts::default(), quick_retry()).unwrap()
    };
    let s = session_on(&cache, 0, wrong(&sim), connectwise(&sim));
    s.set_schedule(Some(1), true).await.unwrap();
    let ticked = s.scheduled_tick().await.unwrap();
    let (ok, notice) = checked(&ticked);
    assert!(!ok);
    let notice = notice.expect("the refusal is told");
    assert_eq!(notice.view, NoticeView::Connections);
    assert_eq!(notice.title, "Cloud Marketplace refused Agreement Sync");
    assert!(notice
        .body
        .contains("username, password and subscription key"));
    drop(s);

    // An hour on, still refused: nothing told again.
    let s = session_on(&cache, 1, wrong(&sim), connectwise(&sim));
    assert_eq!(checked(&s.scheduled_tick().await.unwrap()), (false, None));
    drop(s);

    // Mended: the check works (its new tasks told); refused again later: told again.
    let s = plain(&sim, &cache, 2);
    let ticked = s.scheduled_tick().await.unwrap();
    assert!(checked(&ticked).1.is_some());
    drop(s);
    let s = session_on(&cache, 3, wrong(&sim), connectwise(&sim));
    let ticked = s.scheduled_tick().await.unwrap();
    assert_eq!(
        checked(&ticked).1.map(|n| n.view),
        Some(NoticeView::Connections)
    );
}

#[tokio::test]
async fn health_names_a_401_a_403_and_a_timeout_and_the_token_lifetime() {
    let sim = support::sim().await;

    // ConnectWise refuses the keys (401): the check reads the marketplace, the refusal is named.
    let mut keys = connectwise_config(&sim);
    keys.private_key = Secret::new("revoked");
    let cw = ConnectWiseClient::with_options(&keys, Timeouts::default(), quick_retry()).unwrap();
    let s = session_on(
        &tempfile::tempdir().unwrap().path().join("a.db"),
        0,
        marketplace(&sim),
        cw,
    );
    let summary = s.check_changes(&|_| {}).await.unwrap();
    assert!(summary.connectwise_error.is_some());
    let health = s.health();
    let cw = health
        .services
        .iter()
        .find(|h| h.service == Service::ConnectWise)
        .unwrap();
    assert_eq!(cw.state, HealthState::Refused);
    let refusal = cw.last_refusal.as_ref().unwrap();
    assert_eq!(refusal.status, 401);
    assert!(refusal.at.starts_with("2026-11-24T12:00"), "{}", refusal.at);
    assert!(refusal.what_to_do.contains("public and private keys"));
    let mp = health
        .services
        .iter()
        .find(|h| h.service == Service::Marketplace)
        .unwrap();
    assert_eq!(mp.state, HealthState::Ok);
    assert!(mp
        .last_contact_at
        .as_deref()
        .unwrap()
        .starts_with("2026-11-24T12:00"));
    // The simulator's tokens last an hour.
    let token_end = mp.token_expires_at.as_deref().unwrap();
    assert!(token_end.starts_with("2026-11-24T13:00"), "{token_end}");
    assert!(health
        .banner
        .unwrap()
        .starts_with("ConnectWise refused: the API keys"));

    // A permission the role lacks (403) is named, with where to give it.
    sim.deny_permissions(&[("Finance › Agreements", "Inquire")]);
    let s = plain(&sim, &tempfile::tempdir().unwrap().path().join("b.db"), 0);
    s.check_changes(&|_| {}).await.unwrap();
    let cw = s.health().services.into_iter().next().unwrap();
    assert_eq!(cw.state, HealthState::Refused);
    let refusal = cw.last_refusal.unwrap();
    assert_eq!(refusal.status, 403);
    assert!(
        refusal.reason.contains("Finance › Agreements"),
        "{}",
        refusal.reason
    );
    assert!(refusal.what_to_do.contains("Security Roles"));
    assert!(
        s.health().banner.unwrap().contains("Finance › Agreements"),
        "the banner names the permission"
    );
    sim.deny_permissions(&[]);

    // The marketplace does not answer in time: a failure to reach it, not a refusal.
    let timeouts = Timeouts {
        connect: Duration::from_secs(2),
        request: Duration::from_millis(400),
    };
    let once = RetryPolicy {
        max_attempts: 1,
        ..quick_retry()
    };
    let mp = MarketplaceClient::with_options(&marketplace_config(&sim), timeouts, once).unwrap();
    let s = session_on(
        &tempfile::tempdir().unwrap().path().join("c.db"),
        0,
        mp,
        connectwise(&sim),
    );
    sim.set_faults(vec![FaultRule::new("/orders", FaultKind::Timeout).times(1)]);
    s.check_changes(&|_| {}).await.unwrap_err();
    let mp = s
        .health()
        .services
        .into_iter()
        .find(|h| h.service == Service::Marketplace)
        .unwrap();
    assert_eq!(mp.state, HealthState::Unreachable);
    assert!(mp.last_failure.unwrap().reason.contains("timed out"));
    assert!(mp.last_refusal.is_none());
    // The sign-in before it worked.
    assert!(mp.last_contact_at.is_some());
}

#[tokio::test]
async fn the_task_list_is_saved_as_the_list_shows_it() {
    let sim = support::sim().await;
    let s = support::checked(&sim).await;
    let dir = tempfile::tempdir().unwrap();
    let all = s
        .save_tasks_csv(TaskQuery::default(), dir.path().to_path_buf())
        .await
        .unwrap();
    assert_eq!(
        all.path,
        dir.path()
            .join("agreement-sync-tasks-2026-11-24.csv")
            .display()
            .to_string()
    );
    let text = std::fs::read_to_string(&all.path).unwrap();
    let lines: Vec<&str> = text.trim_end().split("\r\n").collect();
    let total = s.status().await.unwrap().task_count;
    assert_eq!((all.rows, lines.len() as u32), (total, total + 1));
    assert!(lines[0].starts_with("Task,Order,Type,State,Order date,Customer"));
    assert!(text.contains("Green Lane"), "{text}");

    // Searched and filtered, into the file the person chose.
    let chosen = dir.path().join("mine").join("green.csv");
    let query = TaskQuery {
        search: "green lane".into(),
        statuses: vec![TaskStatus::Pending],
        ..TaskQuery::default()
    };
    let some = s
        .save_tasks_csv(query, Destination::File(chosen.clone()))
        .await
        .unwrap();
    assert_eq!(some.path, chosen.display().to_string());
    let text = std::fs::read_to_string(&chosen).unwrap();
    assert!(some.rows >= 1 && some.rows < total, "{}", some.rows);
    assert_eq!(text.trim_end().split("\r\n").count() as u32, some.rows + 1);
    assert!(
        text.lines()
            .skip(1)
            .all(|l| l.contains("Green Lane") && l.contains(",Pending,")),
        "{text}"
    );

    // A search that cannot be read is refused before anything is written.
    let bad = TaskQuery {
        search: "x".repeat(10_000),
        ..TaskQuery::default()
    };
    assert!(s.save_tasks_csv(bad, dir.path().join("bad")).await.is_err());
    assert!(!dir.path().join("bad").exists());
}
