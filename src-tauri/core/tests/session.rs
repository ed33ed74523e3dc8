//! A session as the window drives it: status, the first-check window, connectivity.

mod support;

use agreement_sync_core::batch::TaskSelection;
use agreement_sync_core::error::Error;
use agreement_sync_core::plan::PriceSource;
use agreement_sync_core::reconcile::present::BookQuery;
use agreement_sync_core::session::{ProfileKind, Session};
use agreement_sync_core::store::Store;
use agreement_sync_core::view::{Connectivity, TaskQuery};

async fn session(sim: &agreement_sync_sim::SimHandle) -> Session {
    Session::new(
        "Demo",
        ProfileKind::Demo,
        "/tmp/nowhere",
        Store::open_in_memory().unwrap(),
        support::marketplace(sim),
        support::connectwise(sim),
    )
    .with_clock(support::clock())
}

#[tokio::test]
async fn the_first_check_window_is_set_within_bounds() {
    let sim = support::sim().await;
    let s = session(&sim).await;
    assert_eq!(s.status().await.unwrap().first_check_days, 30);
    s.set_first_check_days(7).await.unwrap();
    assert_eq!(s.status().await.unwrap().first_check_days, 7);
    for bad in [0, 366] {
        let err = s.set_first_check_days(bad).await.unwrap_err();
        assert!(
            matches!(err, Error::Invalid { ref field, .. } if *field == agreement_sync_core::error::ErrorField::FirstCheckDays),
            "{err}"
        );
    }
    assert_eq!(s.status().await.unwrap().first_check_days, 7);
}

#[tokio::test]
async fn connectivity_follows_what_the_services_answer() {
    let sim = support::sim().await;
    let s = session(&sim).await;
    assert_eq!(
        s.status().await.unwrap().connectivity,
        Connectivity::Unknown
    );
    assert_eq!(s.check_connectivity().await, Connectivity::Online);
    let summary = s.check_changes(&|_| {}).await.unwrap();
    let status = s.status().await.unwrap();
    assert_eq!(status.task_count, summary.tasks_created);
    assert_eq!(
        status.last_checked_at.as_deref(),
        Some(summary.finished_at.as_str())
    );
    assert_eq!(status.last_summary, Some(summary));

    sim.shutdown();
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    match s.check_connectivity().await {
        Connectivity::Offline { message } => {
            assert!(message.starts_with("Can't reach"), "{message}")
        }
        other => panic!("expected offline, got {other:?}"),
    }
    // The cache still answers.
    let page = s.list_tasks(TaskQuery::default(), 0, 50).await.unwrap();
    assert_eq!(page.total, status.task_count);
}

#[tokio::test]
async fn bad_list_requests_are_refused_with_the_field_named() {
    let sim = support::sim().await;
    let s = session(&sim).await;
    let long = TaskQuery {
        search: "x".repeat(201),
        ..Default::default()
    };
    let err = s.list_tasks(long, 0, 50).await.unwrap_err();
    assert!(
        matches!(err, Error::Invalid { ref field, .. } if *field == agreement_sync_core::error::ErrorField::Search),
        "{err}"
    );
    let err = s.list_tasks(TaskQuery::default(), 0, 0).await.unwrap_err();
    assert!(
        matches!(err, Error::Invalid { ref field, .. } if *field == agreement_sync_core::error::ErrorField::Limit),
        "{err}"
    );
    let err = s
        .set_task_ignored(12345, Some("gone".into()))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::NotFound(_)), "{err}");
}

/// A search typed anywhere follows one rule (`validate::search`): too long, or holding a tab or
/// a line break, it is refused with the field named, before anything is read.
#[tokio::test]
async fn every_search_follows_one_rule() {
    let sim = support::sim().await;
    let s = session(&sim).await;
    for text in [
        "x".repeat(201),
        "Green\tLane".to_owned(),
        "Green\nLane".to_owned(),
    ] {
        let query = TaskQuery {
            search: text.clone(),
            ..Default::default()
        };
        let book = BookQuery {
            outcome: None,
            search: text.clone(),
        };
        let selection = TaskSelection::Matching {
            query: query.clone(),
            except: Vec::new(),
        };
        let refusals = [
            ("task list", s.list_tasks(query.clone(), 0, 50).await.err()),
            ("task details", s.task_details(1, query.clone()).await.err()),
            ("companies", s.search_companies(1, text.clone()).await.err()),
            ("catalog", s.search_catalog(text.clone()).await.err()),
            ("board", s.open_batch(selection).await.err()),
            ("book", s.reconcile_book(book).await.err()),
            (
                "reconcile companies",
                s.reconcile_companies("1000048531".into(), text.clone())
                    .await
                    .err(),
            ),
            (
                "reconcile catalog",
                s.reconcile_catalog("1000048531".into(), "x".into(), text.clone())
                    .await
                    .err(),
            ),
        ];
        for (place, err) in refusals {
            assert!(
                matches!(err, Some(Error::Invalid { ref field, .. }) if *field == agreement_sync_core::error::ErrorField::Search),
                "{place} with {text:?}: {err:?}"
            );
        }
    }
}

/// While a reconcile runs, Check Changes and another reconcile are refused naming it, and the
/// profile is busy with "a reconcile", not "Check Changes".
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_running_reconcile_is_named_when_other_work_is_refused() {
    let sim = support::sim().await;
    let s = std::sync::Arc::new(session(&sim).await);
    sim.set_latency(std::time::Duration::from_millis(300));
    let running = {
        let s = s.clone();
        tokio::spawn(async move {
            s.reconcile(PriceSource::CloudMarketplace, &|_| {})
                .await
                .map(|_| ())
        })
    };
    let started = std::time::Instant::now();
    while s.busy().is_none() {
        assert!(
            started.elapsed() < std::time::Duration::from_secs(20),
            "the reconcile never started"
        );
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    assert_eq!(s.busy().as_deref(), Some("a reconcile is running"));
    let check = s.check_changes(&|_| {}).await.unwrap_err();
    assert_eq!(
        check.to_string(),
        "A reconcile is running; wait for it to finish."
    );
    let again = s
        .reconcile(PriceSource::CloudMarketplace, &|_| {})
        .await
        .unwrap_err();
    assert_eq!(
        again.to_string(),
        "A reconcile is already running; wait for it to finish."
    );
    sim.set_latency(std::time::Duration::ZERO);
    running.await.unwrap().unwrap();
    assert_eq!(s.busy(), None);
}

/// How many tokens the marketplace was asked for since the last `clear_requests`.
fn tokens(sim: &agreement_sync_sim::SimHandle) -> usize {
    sim.requests()
        .iter()
        .filter(|r| r.path.ends_with("/token"))
        .count()
}

#[tokio::test]
async fn a_check_asks_the_marketplace_for_one_token() {
    let sim = support::sim().await;
    let s = session(&sim).await;
    s.check_changes(&|_| {}).await.unwrap();
    assert_eq!(tokens(&sim), 1, "a first check");

    // The window asks whether the services answer when it opens and then checks: the probe's
    // token serves the check.
    let s = session(&sim).await;
    sim.clear_requests();
    assert_eq!(s.check_connectivity().await, Connectivity::Online);
    s.check_changes(&|_| {}).await.unwrap();
    assert_eq!(tokens(&sim), 1, "a probe and then a check");
}

#[tokio::test]
async fn a_check_asked_to_read_connectwise_whole_reads_every_list_whole() {
    let sim = support::sim().await;
    let s = session(&sim).await;
    s.check_changes(&|_| {}).await.unwrap();
    let companies_asked = |sim: &agreement_sync_sim::SimHandle| -> Vec<String> {
        sim.requests()
            .into_iter()
            .filter(|r| r.path.ends_with("/company/companies"))
            .map(|r| r.query)
            .collect()
    };
    // Right after a whole read, a check asks only for what changed...
    sim.clear_requests();
    s.check_changes(&|_| {}).await.unwrap();
    let asked = companies_asked(&sim);
    assert!(asked.iter().all(|q| q.contains("lastUpdated")), "{asked:?}");
    // ...unless asked to read ConnectWise whole.
    sim.clear_requests();
    let summary = s
        .check_changes_reading_connectwise_whole(&|_| {})
        .await
        .unwrap();
    assert_eq!(summary.connectwise_error, None);
    let asked = companies_asked(&sim);
    assert!(
        !asked.is_empty() && asked.iter().all(|q| !q.contains("lastUpdated")),
        "{asked:?}"
    );
}
