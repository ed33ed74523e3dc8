//! Check Changes and the marketplace client against the simulator, as the app uses them.

use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};

use agreement_sync_core::check::CheckProgress;
use agreement_sync_core::check::{check_changes, CheckOptions};
use agreement_sync_core::error::Error;
use agreement_sync_core::http::{RetryPolicy, Timeouts};
use agreement_sync_core::marketplace::MarketplaceClient;
use agreement_sync_core::secret::Secret;
use agreement_sync_core::store::{settings, tasks, Store};
use agreement_sync_core::task::SkipReason;
use agreement_sync_core::task::{TaskStatus, TaskType};
use agreement_sync_core::view::{CheckSummary, FutureOrder, TaskQuery, TaskSort};
use agreement_sync_sim::{FaultKind, FaultRule, NewShape, OrderListing, Reshape};

mod support;
use support::{marketplace as client, marketplace_config as config, now, quick_retry, sim};

async fn check(client: &MarketplaceClient, store: &Store) -> Result<CheckSummary, Error> {
    check_at(client, store, now()).await
}

/// A check that starts at `at` (a later check than the first one of a test).
async fn check_at(
    client: &MarketplaceClient,
    store: &Store,
    at: DateTime<Utc>,
) -> Result<CheckSummary, Error> {
    check_changes(client, None, store, &CheckOptions::default(), at, &|_| {}).await
}

fn watermark(store: &Store) -> Option<String> {
    store
        .with(|c| settings::get(c, settings::ORDERS_WATERMARK))
        .unwrap()
}

fn order_requests(sim: &agreement_sync_sim::SimHandle) -> usize {
    sim.requests()
        .iter()
        .filter(|r| r.method == "GET" && r.path.ends_with("/orders"))
        .count()
}

fn all_tasks(store: &Store) -> Vec<agreement_sync_core::view::TaskRow> {
    store
        .with(|c| tasks::list(c, &TaskQuery::default(), 0, 1000))
        .unwrap()
        .rows
}

fn skipped(summary: &CheckSummary, reason: SkipReason) -> u32 {
    summary
        .skipped
        .iter()
        .find(|s| s.reason == reason)
        .map_or(0, |s| s.count)
}

#[tokio::test]
async fn client_pages_through_every_order_once_with_one_token() {
    let sim = sim().await;
    let client = client(&sim);
    let from = now() - chrono::Duration::days(30);
    let mut reports = Vec::new();
    let orders = client
        .orders_since(from, |read, total| reports.push((read, total)))
        .await
        .unwrap()
        .orders;
    assert!(!orders.is_empty());
    let mut ids: Vec<_> = orders.iter().map(|o| o.id.clone()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), orders.len(), "an order came twice");
    assert!(orders.iter().all(|o| o.creation_date >= from));
    let (read, total) = *reports.last().unwrap();
    assert_eq!(read, total);
    assert_eq!(read as usize, orders.len());

    let requests = sim.requests();
    let tokens = requests
        .iter()
        .filter(|r| r.path.ends_with("/token"))
        .count();
    assert_eq!(tokens, 1, "the token is reused across pages");
    let pages = requests
        .iter()
        .filter(|r| r.path.ends_with("/orders"))
        .count();
    assert_eq!(pages, orders.len().div_ceil(100).max(1));
}

#[tokio::test]
async fn client_pages_with_small_pages_too() {
    // Many customers: more than one page of 100.
    let sim = support::sim_with(80).await;
    let client = client(&sim);
    let orders = client
        .orders_since(now() - chrono::Duration::days(30), |_, _| {})
        .await
        .unwrap()
        .orders;
    assert!(orders.len() > 200, "{} orders", orders.len());
    let mut ids: Vec<_> = orders.iter().map(|o| &o.id).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), orders.len());
}

#[tokio::test]
async fn reads_the_green_lane_change_order_subscription_and_customer() {
    let sim = sim().await;
    let client = client(&sim);
    let order = client.order("1000231").await.unwrap();
    assert_eq!(order.order_type, "change");
    assert_eq!(order.customer_id, "1000048531");
    assert_eq!(order.products.len(), 2);
    let sub = client.subscription("1000517").await.unwrap();
    assert_eq!(sub.billing_period.unit, "month");
    assert_eq!(sub.products.len(), 2);
    let customer = client.customer("1000048531").await.unwrap();
    assert_eq!(customer.name, "Green Lane LLC");
    let missing = client.order("does-not-exist").await.unwrap_err();
    assert!(matches!(missing, Error::NotFound(_)), "{missing}");
}

#[tokio::test]
async fn an_expired_token_is_refreshed_once() {
    let sim = sim().await;
    let client = client(&sim);
    client.customer("1000048531").await.unwrap();
    sim.expire_tokens();
    sim.clear_requests();
    client.customer("1000048531").await.unwrap();
    let statuses: Vec<(String, u16)> = sim
        .requests()
        .into_iter()
        .map(|r| (r.path, r.status))
        .collect();
    assert_eq!(
        statuses
            .iter()
            .filter(|(p, _)| p.ends_with("/token"))
            .count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|(_, s)| *s == 401).count(),
        1,
        "{statuses:?}"
    );
}

#[tokio::test]
async fn wrong_credentials_are_refused_clearly() {
    let sim = sim().await;
    let mut cfg = config(&sim);
    cfg.password = Secret::new("wrong-password");
    let client = MarketplaceClient::with_options(&cfg, Timeouts::default(), quick_retry()).unwrap();
    let err = client.authenticate().await.unwrap_err();
    assert!(matches!(err, Error::Unauthorized { .. }), "{err}");
    let text = err.to_string();
    assert!(text.contains("Cloud Marketplace"), "{text}");
    assert!(
        !text.contains("wrong-password"),
        "a secret leaked into the error: {text}"
    );
}

#[tokio::test]
async fn first_check_makes_one_task_per_relevant_order_and_counts_the_rest() {
    let sim = sim().await;
    let client = client(&sim);
    let store = Store::open_in_memory().unwrap();
    let events = std::sync::Mutex::new(Vec::new());
    let summary = check_changes(
        &client,
        None,
        &store,
        &CheckOptions::default(),
        now(),
        &|p| events.lock().unwrap().push(p),
    )
    .await
    .unwrap();

    let rows = all_tasks(&store);
    assert_eq!(rows.len() as u32, summary.tasks_created);
    assert_eq!(
        summary.orders_read,
        summary.tasks_created
            + summary.already_known
            + summary.skipped.iter().map(|s| s.count).sum::<u32>()
    );
    assert!(skipped(&summary, SkipReason::Renewal) >= 1, "{summary:?}");
    assert!(
        skipped(&summary, SkipReason::NotCompleted) >= 1,
        "{summary:?}"
    );
    for t in TaskType::FROM_ORDERS {
        assert!(rows.iter().any(|r| r.task_type == t), "no {t:?} task");
    }
    assert!(rows.iter().all(|r| r.status == TaskStatus::Pending));

    let green = rows
        .iter()
        .find(|r| r.order_id == "1000231")
        .expect("Green Lane's change order");
    assert_eq!(green.task_type, TaskType::ChangeOrder);
    assert_eq!(green.customer_name, "Green Lane LLC");
    assert_eq!(green.customer_id, "1000048531");
    assert_eq!(green.subscription_id, "1000517");
    assert_eq!(green.amount, "102.00");
    assert_eq!(green.currency, "USD");

    // Only the last 30 days were asked for.
    let from = sim
        .requests()
        .into_iter()
        .find(|r| r.path.ends_with("/orders"))
        .map(|r| r.query)
        .unwrap();
    assert!(
        from.contains("creationTimeFrom=2026-10-25T12%3A00%3A00Z"),
        "{from}"
    );

    let events = events.into_inner().unwrap();
    assert!(matches!(
        events.first(),
        Some(CheckProgress::ListingOrders { .. })
    ));
    assert!(events
        .iter()
        .any(|e| matches!(e, CheckProgress::ReadingOrders { .. })));
    assert!(matches!(
        events.last(),
        Some(CheckProgress::Finished { .. })
    ));
}

/// The list says what each amount is: a change per the subscription's billing period, a charge
/// billed once, or both; a Billing Order is named by the product that bills.
#[tokio::test]
async fn each_amount_says_what_it_is_and_a_billing_order_names_the_product_that_bills() {
    let sim = sim().await;
    let client = client(&sim);
    let store = Store::open_in_memory().unwrap();
    check(&client, &store).await.unwrap();
    let rows = all_tasks(&store);
    let task = |order: &str| {
        rows.iter()
            .find(|r| r.order_id == order)
            .unwrap_or_else(|| panic!("no task for order {order}"))
            .clone()
    };
    let parts = |order: &str| {
        let t = task(order);
        (t.amount, t.recurring, t.per, t.one_time)
    };
    // Green Lane's change order: +102.00 a month, nothing once.
    assert_eq!(
        parts("1000231"),
        (
            "102.00".into(),
            "102.00".into(),
            "month".into(),
            String::new()
        )
    );
    // Wingtip's usage: 28.91 once, nothing recurring.
    assert_eq!(
        parts("1000218"),
        ("28.91".into(), String::new(), String::new(), "28.91".into())
    );
    // Fabrikam's cancellation of a quarterly subscription with an early cancellation fee: both.
    assert_eq!(
        parts("1000219"),
        (
            "-1025.00".into(),
            "-1050.00".into(),
            "quarter".into(),
            "25.00".into()
        )
    );
    // Wingtip's backup storage is within its included 500 GB: the order bills the desktop hours.
    assert_eq!(
        task("1000218").subscription_name,
        "Azure Virtual Desktop (hours)"
    );
}

#[tokio::test]
async fn checking_again_reads_from_the_last_seen_order_and_never_duplicates() {
    let sim = sim().await;
    let client = client(&sim);
    let store = Store::open_in_memory().unwrap();
    let first = check(&client, &store).await.unwrap();
    let watermark = store
        .with(|c| settings::get(c, settings::ORDERS_WATERMARK))
        .unwrap()
        .unwrap();
    let before = all_tasks(&store);

    sim.clear_requests();
    let second = check(&client, &store).await.unwrap();
    assert_eq!(second.tasks_created, 0);
    assert_eq!(all_tasks(&store), before);
    assert!(second.orders_read < first.orders_read, "{second:?}");
    let query = sim
        .requests()
        .into_iter()
        .find(|r| r.path.ends_with("/orders"))
        .map(|r| r.query)
        .unwrap();
    let encoded = watermark.replace(':', "%3A");
    assert!(
        query.contains(&format!("creationTimeFrom={encoded}")),
        "{query} vs {watermark}"
    );

    // A new order becomes exactly one task.
    let id = sim.create_order(
        "1000048531",
        "change",
        "completed",
        now() - chrono::Duration::minutes(5),
    );
    let third = check(&client, &store).await.unwrap();
    assert_eq!(third.tasks_created, 1);
    let after = all_tasks(&store);
    assert_eq!(after.len(), before.len() + 1);
    assert_eq!(after.iter().filter(|t| t.order_id == id).count(), 1);
}

#[tokio::test]
async fn an_order_not_completed_yet_becomes_a_task_once_it_completes() {
    let sim = sim().await;
    let client = client(&sim);
    let store = Store::open_in_memory().unwrap();
    let id = sim.create_order(
        "1000048531",
        "sales",
        "processing",
        now() - chrono::Duration::hours(2),
    );
    let first = check(&client, &store).await.unwrap();
    assert!(all_tasks(&store).iter().all(|t| t.order_id != id));
    assert!(skipped(&first, SkipReason::NotCompleted) >= 1);

    sim.set_order_status(&id, "completed");
    let second = check(&client, &store).await.unwrap();
    assert_eq!(second.tasks_created, 1, "{second:?}");
    assert!(all_tasks(&store).iter().any(|t| t.order_id == id));
    // And only once.
    let third = check(&client, &store).await.unwrap();
    assert_eq!(third.tasks_created, 0);
}

#[tokio::test]
async fn the_first_check_window_is_configurable() {
    let sim = sim().await;
    let client = client(&sim);
    let store = Store::open_in_memory().unwrap();
    store
        .with(|c| settings::set(c, settings::FIRST_CHECK_DAYS, "3"))
        .unwrap();
    let summary = check(&client, &store).await.unwrap();
    assert_eq!(summary.from, "2026-11-21T12:00:00Z");
    let earliest = all_tasks(&store)
        .into_iter()
        .map(|t| t.order_date)
        .min()
        .unwrap_or_default();
    assert!(earliest.as_str() >= "2026-11-21T12:00:00Z", "{earliest}");
}

#[tokio::test]
async fn without_the_network_check_changes_fails_clearly_and_leaves_the_cache_alone() {
    let sim = sim().await;
    let client = client(&sim);
    let store = Store::open_in_memory().unwrap();
    check(&client, &store).await.unwrap();
    let before = all_tasks(&store);
    let watermark = store
        .with(|c| settings::get(c, settings::ORDERS_WATERMARK))
        .unwrap();
    sim.shutdown();
    tokio::time::sleep(Duration::from_millis(200)).await;

    let fresh =
        MarketplaceClient::with_options(&config(&sim), Timeouts::default(), quick_retry()).unwrap();
    let err = check(&fresh, &store).await.unwrap_err();
    assert!(err.is_offline(), "{err:?}");
    assert!(
        err.to_string()
            .starts_with("Can't reach the Cloud Marketplace"),
        "{err}"
    );
    assert_eq!(all_tasks(&store), before);
    assert_eq!(
        store
            .with(|c| settings::get(c, settings::ORDERS_WATERMARK))
            .unwrap(),
        watermark
    );
}

#[tokio::test]
async fn transient_errors_are_retried_and_a_malformed_body_is_reported() {
    let sim = sim().await;
    let client = client(&sim);
    sim.set_faults(vec![
        FaultRule::new("/orders", FaultKind::ServerError)
            .method("GET")
            .times(1),
        FaultRule::new(
            "/customers/",
            FaultKind::TooManyRequests {
                retry_after_secs: 1,
            },
        )
        .method("GET")
        .times(1),
    ]);
    let store = Store::open_in_memory().unwrap();
    let summary = check(&client, &store).await.unwrap();
    assert!(summary.tasks_created > 0);
    let statuses: Vec<u16> = sim.requests().iter().map(|r| r.status).collect();
    assert!(
        statuses.contains(&500) && statuses.contains(&429),
        "{statuses:?}"
    );

    sim.set_faults(vec![FaultRule::new(
        "/customers/",
        FaultKind::MalformedBody,
    )]);
    let err = client.customer("1000048531").await.unwrap_err();
    assert!(matches!(err, Error::BadResponse { .. }), "{err}");
    let text = err.to_string();
    assert!(text.contains("customer 1000048531"), "{text}");
    assert!(text.contains("cut off"), "{text}");
    // The parser's details are for the log, not for the person.
    assert!(!text.contains("line") && !text.contains("column"), "{text}");
}

#[tokio::test]
async fn a_dropped_connection_or_timeout_is_reported_as_unreachable() {
    let sim = sim().await;
    let timeouts = Timeouts {
        connect: Duration::from_secs(2),
        request: Duration::from_millis(500),
    };
    let no_retry = RetryPolicy {
        max_attempts: 1,
        ..quick_retry()
    };
    let client = MarketplaceClient::with_options(&config(&sim), timeouts, no_retry).unwrap();
    client.authenticate().await.unwrap();
    sim.set_faults(vec![
        FaultRule::new("/customers/", FaultKind::Timeout).times(1)
    ]);
    let err = client.customer("1000048531").await.unwrap_err();
    assert!(
        err.is_offline() && err.to_string().contains("timed out"),
        "{err}"
    );

    sim.set_faults(vec![FaultRule::new(
        "/customers/",
        FaultKind::DropConnection,
    )
    .times(1)]);
    let err = client.customer("1000048531").await.unwrap_err();
    assert!(err.is_offline(), "{err:?}");
}

#[tokio::test]
async fn search_filter_and_sort_over_the_cached_tasks() {
    let sim = sim().await;
    let client = client(&sim);
    let store = Store::open_in_memory().unwrap();
    check(&client, &store).await.unwrap();
    let list = |q: TaskQuery| store.with(|c| tasks::list(c, &q, 0, 1000)).unwrap();

    let by_id = list(TaskQuery {
        search: "1000048531".into(),
        ..Default::default()
    });
    assert!(by_id.total >= 1);
    assert!(by_id.rows.iter().all(|r| r.customer_id == "1000048531"));
    let by_name = list(TaskQuery {
        search: "green LANE".into(),
        ..Default::default()
    });
    assert_eq!(by_name.total, by_id.total);

    let changes = list(TaskQuery {
        types: vec![TaskType::ChangeOrder],
        ..Default::default()
    });
    assert!(
        changes.total >= 1
            && changes
                .rows
                .iter()
                .all(|r| r.task_type == TaskType::ChangeOrder)
    );

    let by_customer = list(TaskQuery {
        sort: TaskSort::CustomerAsc,
        ..Default::default()
    });
    let names: Vec<String> = by_customer
        .rows
        .iter()
        .map(|r| r.customer_name.to_lowercase())
        .collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted);

    let newest = list(TaskQuery::default());
    let dates: Vec<&String> = newest.rows.iter().map(|r| &r.order_date).collect();
    assert!(dates.windows(2).all(|w| w[0] >= w[1]));

    // Ignore with a reason, see it under its filter, un-ignore.
    let id = newest.rows[0].id;
    let now = "2026-11-24T12:00:00Z";
    let err = store
        .with(|c| tasks::set_ignored(c, id, Some("  "), now))
        .unwrap_err();
    assert!(
        matches!(err, Error::Invalid { ref field, .. } if *field == agreement_sync_core::error::ErrorField::Reason)
    );
    store
        .with(|c| tasks::set_ignored(c, id, Some("billed by hand"), now))
        .unwrap();
    let ignored = list(TaskQuery {
        statuses: vec![TaskStatus::Ignored],
        ..Default::default()
    });
    assert_eq!(ignored.total, 1);
    assert_eq!(
        ignored.rows[0].ignored_reason.as_deref(),
        Some("billed by hand")
    );
    store
        .with(|c| tasks::set_ignored(c, id, None, now))
        .unwrap();
    assert_eq!(
        store.with(|c| tasks::get(c, id)).unwrap().status,
        TaskStatus::Pending
    );

    // Windows of the list add up to the whole.
    let mut seen = Vec::new();
    let mut offset = 0;
    loop {
        let page = store
            .with(|c| tasks::list(c, &TaskQuery::default(), offset, 7))
            .unwrap();
        if page.rows.is_empty() {
            break;
        }
        offset += page.rows.len() as u32;
        seen.extend(page.rows.into_iter().map(|r| r.id));
    }
    assert_eq!(seen, newest.rows.iter().map(|r| r.id).collect::<Vec<_>>());
}

#[tokio::test]
async fn check_changes_caches_the_connectwise_data_the_tasks_need() {
    use agreement_sync_core::store::connectwise as cw_store;
    let sim = sim().await;
    let client = client(&sim);
    let cw = support::connectwise(&sim);
    let store = Store::open_in_memory().unwrap();
    let summary = check_changes(
        &client,
        Some(&cw),
        &store,
        &CheckOptions::default(),
        now(),
        &|_| {},
    )
    .await
    .unwrap();
    assert_eq!(summary.connectwise_error, None);
    store
        .with(|c| {
            let companies = cw_store::companies(c)?;
            assert!(companies
                .iter()
                .any(|x| x.id == 250 && x.name == "Green Lane LLC"));
            let agreements = cw_store::agreements_of(c, 250)?;
            assert!(agreements.iter().any(|a| a.id == 4127));
            // Green Lane's agreements' additions are there for offline review.
            let (additions, fetched_at) =
                cw_store::additions_of(c, 4127)?.expect("additions of 4127 cached");
            assert!(additions.iter().any(|a| a.product.identifier == "M365-BP"));
            assert_eq!(fetched_at, "2026-11-24T12:00:00Z");
            assert!(!cw_store::catalog(c)?.is_empty());
            assert_eq!(cw_store::billing_cycles(c)?.len(), 5);
            assert_eq!(cw_store::currencies(c)?.len(), 3);
            // A cancelled agreement takes no additions: none are read for it.
            assert!(cw_store::additions_of(c, 4141)?.is_none());
            Ok(())
        })
        .unwrap();
    let last = store
        .with(|c| agreement_sync_core::store::checks::last(c))
        .unwrap()
        .unwrap();
    assert_eq!(last.connectwise_error, None);
}

#[tokio::test]
async fn a_connectwise_failure_keeps_the_tasks_and_says_so() {
    let sim = sim().await;
    let client = client(&sim);
    let cw = support::connectwise(&sim);
    sim.set_faults(vec![FaultRule::new("/apis/3.0/", FaultKind::ServerError)]);
    let store = Store::open_in_memory().unwrap();
    let summary = check_changes(
        &client,
        Some(&cw),
        &store,
        &CheckOptions::default(),
        now(),
        &|_| {},
    )
    .await
    .unwrap();
    assert!(summary.tasks_created > 0);
    let error = summary
        .connectwise_error
        .clone()
        .expect("the ConnectWise failure is reported");
    assert!(error.contains("ConnectWise"), "{error}");
    // A failure of ConnectWise's own is not a refusal of the credentials.
    assert!(!summary.connectwise_refused);
    assert!(all_tasks(&store).iter().any(|t| t.order_id == "1000231"));
    let last = store
        .with(|c| agreement_sync_core::store::checks::last(c))
        .unwrap()
        .unwrap();
    assert_eq!(last.connectwise_error, Some(error));
}

#[tokio::test]
async fn a_connectwise_refusal_keeps_the_tasks_and_is_marked_as_one() {
    let sim = sim().await;
    let client = client(&sim);
    let cw = support::connectwise(&sim);
    sim.deny_permissions(&[("Finance › Agreements", "Inquire")]);
    let store = Store::open_in_memory().unwrap();
    let summary = check_with_connectwise(&client, &cw, &store).await;
    assert!(summary.tasks_created > 0);
    let error = summary
        .connectwise_error
        .clone()
        .expect("the refusal is reported");
    assert!(error.contains("Finance › Agreements (Inquire)"), "{error}");
    assert!(summary.connectwise_refused);
    let last = store
        .with(|c| agreement_sync_core::store::checks::last(c))
        .unwrap()
        .unwrap();
    assert!(last.connectwise_refused);
}

#[tokio::test]
async fn an_order_dated_in_the_future_does_not_hide_the_orders_after_it() {
    let sim = sim().await;
    let client = client(&sim);
    let store = Store::open_in_memory().unwrap();
    let far = Utc.with_ymd_and_hms(9999, 12, 31, 0, 0, 0).unwrap();
    let future = sim.create_order("1000048531", "change", "completed", far);
    let first = check(&client, &store).await.unwrap();
    // It still becomes a task, and the summary names it...
    assert!(all_tasks(&store).iter().any(|t| t.order_id == future));
    assert_eq!(
        first.future_orders,
        [FutureOrder {
            order_id: future.clone(),
            creation_date: "9999-12-31T00:00:00Z".into()
        }]
    );
    let last = store
        .with(|c| agreement_sync_core::store::checks::last(c))
        .unwrap()
        .unwrap();
    assert_eq!(
        last.future_orders, first.future_orders,
        "kept for the next start"
    );
    // ...but the next check does not start after it: at most at this check's start.
    let mark = watermark(&store).unwrap();
    assert!(mark.as_str() <= "2026-11-24T12:00:00Z", "{mark}");

    // An order created after the first check is read by the next one.
    let later = sim.create_order(
        "1000048602",
        "change",
        "completed",
        now() + chrono::Duration::minutes(30),
    );
    let second = check_at(&client, &store, now() + chrono::Duration::hours(1))
        .await
        .unwrap();
    assert_eq!(second.tasks_created, 1, "{second:?}");
    assert!(all_tasks(&store).iter().any(|t| t.order_id == later));
}

#[tokio::test]
async fn a_watermark_left_in_the_future_is_brought_back() {
    let sim = sim().await;
    let client = client(&sim);
    let store = Store::open_in_memory().unwrap();
    check(&client, &store).await.unwrap();
    // As an older version left it after an order dated 9999-12-31.
    store
        .with(|c| settings::set(c, settings::ORDERS_WATERMARK, "9999-12-31T00:00:00Z"))
        .unwrap();
    let id = sim.create_order(
        "1000048531",
        "change",
        "completed",
        now() + chrono::Duration::minutes(10),
    );
    let summary = check_at(&client, &store, now() + chrono::Duration::hours(1))
        .await
        .unwrap();
    assert_eq!(summary.tasks_created, 1, "{summary:?}");
    assert!(all_tasks(&store).iter().any(|t| t.order_id == id));
    assert!(
        summary.from.as_str() <= "2026-11-24T13:00:00Z",
        "{}",
        summary.from
    );
}

/// Orders the marketplace lists but that lie before the window a check reads.
fn outside(store: &Store, from: &str) -> Vec<String> {
    all_tasks(store)
        .into_iter()
        .filter(|t| t.order_date.as_str() < from)
        .map(|t| format!("{} {}", t.order_id, t.order_date))
        .collect()
}

#[tokio::test]
async fn a_marketplace_that_ignores_the_window_and_lists_newest_first() {
    // Three pages of orders, three of them older than the first window of 30 days.
    let sim = support::sim_with(80).await;
    sim.set_order_listing(OrderListing::IGNORES_WINDOW_NEWEST_FIRST);
    let client = client(&sim);
    let store = Store::open_in_memory().unwrap();
    let first = check(&client, &store).await.unwrap();
    assert!(first.tasks_created > 100, "{first:?}");
    assert_eq!(
        outside(&store, "2026-10-25T12:00:00Z"),
        Vec::<String>::new()
    );
    let before = all_tasks(&store);

    // The next check stops at the first page that reaches its watermark.
    sim.clear_requests();
    let second = check(&client, &store).await.unwrap();
    assert_eq!(second.tasks_created, 0, "{second:?}");
    assert_eq!(all_tasks(&store), before);
    assert_eq!(order_requests(&sim), 1, "{:?}", sim.requests());

    // A new order is read, once.
    let id = sim.create_order(
        "1000048531",
        "change",
        "completed",
        now() + chrono::Duration::minutes(20),
    );
    let third = check_at(&client, &store, now() + chrono::Duration::hours(1))
        .await
        .unwrap();
    assert_eq!(third.tasks_created, 1, "{third:?}");
    assert_eq!(
        all_tasks(&store)
            .iter()
            .filter(|t| t.order_id == id)
            .count(),
        1
    );
}

#[tokio::test]
async fn a_newest_first_list_is_read_ahead_and_past_the_window_by_at_most_one_run() {
    // A list that honours the window: every page is wanted, and each is read once.
    let sim = support::sim_with(400).await;
    let client = client(&sim);
    let store = Store::open_in_memory().unwrap();
    let first = check(&client, &store).await.unwrap();
    let pages = (first.orders_read as usize).div_ceil(100);
    assert!(pages >= 8, "{first:?}");
    assert_eq!(order_requests(&sim), pages, "{:?}", sim.requests());

    // A list that ignores it, with a window of a few days: reading stops at the first page past
    // the window, having read at most one run of pages beyond what the window needed.
    sim.set_order_listing(OrderListing::IGNORES_WINDOW_NEWEST_FIRST);
    sim.clear_requests();
    let fresh = Store::open_in_memory().unwrap();
    fresh
        .with(|c| settings::set(c, settings::FIRST_CHECK_DAYS, "5"))
        .unwrap();
    let short = check(&client, &fresh).await.unwrap();
    assert!(short.tasks_created > 0, "{short:?}");
    assert_eq!(
        outside(&fresh, "2026-11-19T12:00:00Z"),
        Vec::<String>::new()
    );
    let needed = (short.orders_read as usize) / 100 + 1;
    let read = order_requests(&sim);
    assert!(read >= needed, "{read} pages read, {needed} needed");
    assert!(read <= 2 * needed, "{read} pages read, {needed} needed");
    assert!(read < pages, "{read} pages read of {pages}");
}

#[tokio::test]
async fn a_marketplace_that_ignores_the_window_and_lists_oldest_first() {
    let sim = support::sim_with(80).await;
    sim.set_order_listing(OrderListing::IGNORES_WINDOW_OLDEST_FIRST);
    let client = client(&sim);
    let store = Store::open_in_memory().unwrap();
    store
        .with(|c| settings::set(c, settings::FIRST_CHECK_DAYS, "3"))
        .unwrap();
    let first = check(&client, &store).await.unwrap();
    assert!(first.tasks_created > 0, "{first:?}");
    assert_eq!(
        outside(&store, "2026-11-21T12:00:00Z"),
        Vec::<String>::new()
    );

    // Nothing tells where the window starts in this order: every page is read, and filtered.
    sim.clear_requests();
    let second = check(&client, &store).await.unwrap();
    assert_eq!(second.tasks_created, 0, "{second:?}");
    assert_eq!(order_requests(&sim), 3, "{:?}", sim.requests());
    assert_eq!(
        outside(&store, "2026-11-21T12:00:00Z"),
        Vec::<String>::new()
    );
}

async fn check_with_connectwise(
    client: &MarketplaceClient,
    cw: &agreement_sync_core::connectwise::ConnectWiseClient,
    store: &Store,
) -> CheckSummary {
    check_changes(
        client,
        Some(cw),
        store,
        &CheckOptions::default(),
        now(),
        &|_| {},
    )
    .await
    .unwrap()
}

#[tokio::test]
async fn currencies_whose_code_is_a_bare_name_are_read_and_everything_is_cached() {
    use agreement_sync_core::store::connectwise as cw_store;
    let sim = sim().await;
    sim.set_faults(vec![FaultRule::new(
        "/finance/currencies",
        FaultKind::Reshape(Reshape::new("currencyCode", NewShape::NameOnly)),
    )]);
    let store = Store::open_in_memory().unwrap();
    let summary = check_with_connectwise(&client(&sim), &support::connectwise(&sim), &store).await;
    assert_eq!(summary.connectwise_error, None);
    assert_eq!(summary.unreadable, []);
    store
        .with(|c| {
            assert!(cw_store::companies(c)?.iter().any(|x| x.id == 250));
            assert!(cw_store::agreements_of(c, 250)?
                .iter()
                .any(|a| a.id == 4127));
            assert!(cw_store::additions_of(c, 4127)?.is_some());
            assert!(!cw_store::catalog(c)?.is_empty());
            let codes: Vec<Option<String>> = cw_store::currencies(c)?
                .iter()
                .map(|x| x.code().map(str::to_owned))
                .collect();
            assert_eq!(codes.len(), 3);
            assert!(codes.contains(&Some("EUR".to_owned())), "{codes:?}");
            Ok(())
        })
        .unwrap();
}

#[tokio::test]
async fn one_unreadable_connectwise_record_is_left_out_and_the_rest_cached() {
    use agreement_sync_core::store::connectwise as cw_store;
    let sim = sim().await;
    // The second company (251, Green Leaf Landscaping) has an identifier nobody can read.
    sim.set_faults(vec![FaultRule::new(
        "/company/companies",
        FaultKind::Reshape(
            Reshape::new("identifier", NewShape::Value(serde_json::json!({"x": 1}))).record(1),
        ),
    )]);
    let store = Store::open_in_memory().unwrap();
    let summary = check_with_connectwise(&client(&sim), &support::connectwise(&sim), &store).await;
    assert_eq!(summary.connectwise_error, None);
    let named: Vec<(&str, &str, Option<&str>)> = summary
        .unreadable
        .iter()
        .map(|u| (u.list.as_str(), u.record.as_str(), u.field.as_deref()))
        .collect();
    assert_eq!(named, [("company list", "company 251", Some("identifier"))]);
    assert_eq!(
        summary.unreadable[0].message,
        "Company 251 was left out of the company list from ConnectWise: its identifier could not be read (a group of fields where text was expected)"
    );
    let last = store
        .with(|c| agreement_sync_core::store::checks::last(c))
        .unwrap()
        .unwrap();
    assert_eq!(
        last.unreadable, summary.unreadable,
        "kept for the next start"
    );
    let companies = store.with(|c| cw_store::companies(c)).unwrap();
    assert!(companies.iter().any(|x| x.id == 250));
    assert!(companies.iter().all(|x| x.id != 251));
    assert!(companies.len() > 5);
    assert!(store
        .with(|c| cw_store::agreements_of(c, 250))
        .unwrap()
        .iter()
        .any(|a| a.id == 4127));
}

#[tokio::test]
async fn a_web_page_instead_of_data_is_named_as_such() {
    let sim = sim().await;
    let client = client(&sim);
    let cw = support::connectwise(&sim);
    sim.set_faults(vec![
        FaultRule::new("/orders", FaultKind::WebPage).times(1),
        FaultRule::new("/company/companies", FaultKind::WebPage),
    ]);
    let store = Store::open_in_memory().unwrap();
    let err = check(&client, &store).await.unwrap_err();
    let text = err.to_string();
    assert!(text.contains("web page instead of data"), "{text}");
    assert!(text.contains("order list"), "{text}");
    assert!(text.contains("check the marketplace address"), "{text}");
    assert!(!text.contains("line") && !text.contains("column"), "{text}");

    let summary = check_with_connectwise(&client, &cw, &store).await;
    let text = summary.connectwise_error.expect("ConnectWise failed");
    assert!(
        text.contains("ConnectWise answered with a web page instead of data"),
        "{text}"
    );
    assert!(text.contains("company list"), "{text}");
    assert!(text.contains("check the site address"), "{text}");
}

#[tokio::test]
async fn an_unreadable_order_in_the_list_is_left_out_and_read_once_it_is_readable() {
    let sim = sim().await;
    let client = client(&sim);
    // The newest order, so the first in the list.
    let id = sim.create_order(
        "1000048531",
        "change",
        "completed",
        now() - chrono::Duration::minutes(1),
    );
    // Only the list page: the order's own details stay readable.
    sim.set_faults(vec![FaultRule::new(
        "/orders",
        FaultKind::Reshape(
            Reshape::new("customerId", NewShape::Value(serde_json::json!(["?"]))).record(0),
        ),
    )
    .method("GET")
    .times(1)]);
    let store = Store::open_in_memory().unwrap();
    let first = check(&client, &store).await.unwrap();
    assert!(first.tasks_created > 5, "{first:?}");
    assert!(all_tasks(&store).iter().all(|t| t.order_id != id));
    assert_eq!(first.unreadable.len(), 1, "{first:?}");
    let named = &first.unreadable[0];
    assert_eq!(
        named.service,
        agreement_sync_core::error::Service::Marketplace
    );
    assert_eq!(named.list, "order list");
    assert_eq!(named.record, format!("order {id}"));
    assert_eq!(named.field.as_deref(), Some("customer id"));
    assert_eq!(
        named.message,
        format!(
            "Order {id} was left out of the order list from the Cloud Marketplace: its customer id could not be read (a list where text was expected)"
        )
    );
    // The watermark did not pass it...
    assert!(
        watermark(&store).unwrap().as_str() <= "2026-11-24T11:59:00Z",
        "{:?}",
        watermark(&store)
    );
    // ...so once readable, the next check reads it.
    let second = check(&client, &store).await.unwrap();
    assert!(second.unreadable.is_empty(), "{second:?}");
    assert_eq!(second.tasks_created, 1, "{second:?}");
    assert!(all_tasks(&store).iter().any(|t| t.order_id == id));
}

#[tokio::test]
async fn an_unreadable_order_names_the_order_and_the_field_in_words() {
    let sim = sim().await;
    let client = client(&sim);
    sim.set_faults(vec![FaultRule::new(
        "/orders/1000231",
        FaultKind::Reshape(Reshape::new(
            "creationDate",
            NewShape::Value(serde_json::json!("soon")),
        )),
    )]);
    let err = client.order("1000231").await.unwrap_err();
    let text = err.to_string();
    assert!(text.starts_with("the Cloud Marketplace sent"), "{text}");
    assert!(text.contains("order 1000231"), "{text}");
    assert!(text.contains("creation date"), "{text}");
    assert!(!text.contains("line") && !text.contains("column"), "{text}");

    // Quantities as text and ids as numbers are read.
    sim.set_faults(vec![
        FaultRule::new(
            "/orders/1000231",
            FaultKind::Reshape(Reshape::new("products.quantity", NewShape::Text)),
        ),
        FaultRule::new(
            "/customers/1000048531",
            FaultKind::Reshape(Reshape::new(
                "id",
                NewShape::Value(serde_json::json!(1000048531)),
            )),
        ),
    ]);
    let order = client.order("1000231").await.unwrap();
    assert_eq!(order.products[0].quantity, rust_decimal::Decimal::from(5));
    assert_eq!(
        client.customer("1000048531").await.unwrap().id,
        "1000048531"
    );
}

#[tokio::test]
async fn reads_run_more_at_once_while_answers_are_fast_and_fewer_when_the_marketplace_is_busy() {
    use agreement_sync_core::concurrency::Concurrency;
    let sim = support::sim_with(80).await;
    let client = MarketplaceClient::with_options(&config(&sim), Timeouts::default(), quick_retry())
        .unwrap()
        .with_concurrency(Concurrency {
            start: 2,
            ceiling: 16,
        });
    let store = Store::open_in_memory().unwrap();
    let first = check(&client, &store).await.unwrap();
    assert!(first.tasks_created > 100, "{first:?}");
    // Fast answers: more at once than it started with, never past the ceiling.
    let grown = client.limiter().limit();
    assert!(grown > 2 && grown <= 16, "limit {grown}");
    assert!(client.limiter().peak() <= 16);

    // Busy: a burst of 429s halves it, and the check still reads everything.
    sim.set_faults(vec![FaultRule::new(
        "/orders/",
        FaultKind::TooManyRequests {
            retry_after_secs: 0,
        },
    )
    .method("GET")
    .times(3)]);
    let id = sim.create_order(
        "1000048531",
        "change",
        "completed",
        now() - chrono::Duration::minutes(5),
    );
    let before = client.limiter().limit();
    let again = check(&client, &store).await.unwrap();
    assert_eq!(again.tasks_created, 1, "{again:?}");
    assert!(tasks_by_order(&store, &id));
    assert!(
        sim.requests().iter().any(|r| r.status == 429),
        "the faults were met"
    );
    assert!(
        client.limiter().limit() < before,
        "{} then {}",
        before,
        client.limiter().limit()
    );
}

fn tasks_by_order(store: &Store, order_id: &str) -> bool {
    let order_id = order_id.to_owned();
    store
        .with(move |c| tasks::exists_for_order(c, &order_id))
        .unwrap()
}

#[tokio::test]
async fn a_later_check_asks_connectwise_only_for_what_changed_and_misses_none_of_it() {
    use agreement_sync_core::store::connectwise as cw_store;
    use rust_decimal::Decimal;
    let sim = sim().await;
    let client = client(&sim);
    let cw = support::connectwise(&sim);
    let store = Store::open_in_memory().unwrap();
    let options = CheckOptions::default();
    let check_with_cw =
        |at: DateTime<Utc>| check_changes(&client, Some(&cw), &store, &options, at, &|_| {});
    let first = check_with_cw(now()).await.unwrap();
    assert_eq!(first.connectwise_error, None);
    let first_requests = sim.requests().len();
    let item = store
        .with(|c| cw_store::catalog(c))
        .unwrap()
        .into_iter()
        .find(|i| i.identifier == "M365-BP")
        .unwrap();

    // A person changes ConnectWise between the two checks: a company, an agreement, a catalog
    // item and an addition.
    assert!(sim.rename_company(250, "Green Lane Holdings LLC"));
    assert!(sim.rename_agreement(4127, "Green Lane - Microsoft 365 (2027)"));
    assert!(sim.set_catalog_price(item.id as u64, Decimal::new(2350, 2)));
    assert!(sim.set_addition_quantity(30211, Decimal::from(26)));
    sim.clear_requests();
    let second = check_with_cw(now() + chrono::Duration::minutes(30))
        .await
        .unwrap();
    assert_eq!(second.connectwise_error, None);

    // Only what changed was asked for, and only the changed agreement's additions were read.
    let requests = sim.requests();
    for list in [
        "/company/companies",
        "/finance/agreements",
        "/procurement/catalog",
    ] {
        let asked: Vec<&str> = requests
            .iter()
            .filter(|r| r.path.ends_with(list))
            .map(|r| r.query.as_str())
            .collect();
        assert!(!asked.is_empty(), "{list} was not read");
        assert!(
            asked.iter().all(|q| q.contains("lastUpdated")),
            "{list}: {asked:?}"
        );
    }
    let additions_read: Vec<&str> = requests
        .iter()
        .filter(|r| r.path.ends_with("/additions"))
        .map(|r| r.path.as_str())
        .collect();
    assert!(
        !additions_read.is_empty() && additions_read.iter().all(|p| p.contains("/4127/")),
        "{additions_read:?}"
    );
    assert!(
        requests.len() < first_requests,
        "{} requests after {first_requests}",
        requests.len()
    );

    // Each change is in the cache.
    store
        .with(|c| {
            let company = cw_store::company(c, 250)?.unwrap();
            assert_eq!(company.name, "Green Lane Holdings LLC");
            let agreement = cw_store::agreement(c, 4127)?.unwrap();
            assert_eq!(agreement.name, "Green Lane - Microsoft 365 (2027)");
            let priced = cw_store::catalog(c)?
                .into_iter()
                .find(|i| i.id == item.id)
                .unwrap();
            assert_eq!(priced.price, Some(Decimal::new(2350, 2)));
            let (additions, _) = cw_store::additions_of(c, 4127)?.unwrap();
            let changed = additions.iter().find(|a| a.id == 30211).unwrap();
            assert_eq!(changed.quantity, Some(Decimal::from(26)));
            // Nothing else was lost: every company and agreement is still there.
            assert!(cw_store::companies(c)?.len() > 10);
            assert!(cw_store::agreements_of(c, 250)?.len() >= 3);
            Ok(())
        })
        .unwrap();

    // A week after the last whole read, the lists are read whole again.
    sim.clear_requests();
    let later = check_with_cw(now() + chrono::Duration::days(8))
        .await
        .unwrap();
    assert_eq!(later.connectwise_error, None);
    let companies_asked: Vec<String> = sim
        .requests()
        .into_iter()
        .filter(|r| r.path.ends_with("/company/companies"))
        .map(|r| r.query)
        .collect();
    assert!(
        !companies_asked.is_empty() && companies_asked.iter().all(|q| !q.contains("lastUpdated")),
        "{companies_asked:?}"
    );
}
