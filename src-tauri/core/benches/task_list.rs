//! Benchmarks: the task list over 50,000 cached tasks, and Check Changes against the simulator.
//! Prints figures and ratios; never fails on time. Run with `make bench`.

use std::time::Instant;

use agreement_sync_core::check::{check_changes, CheckOptions};
use agreement_sync_core::connectwise::{ConnectWiseClient, ConnectWiseConfig};
use agreement_sync_core::http::{RetryPolicy, Timeouts};
use agreement_sync_core::marketplace::{MarketplaceClient, MarketplaceConfig};
use agreement_sync_core::secret::Secret;
use agreement_sync_core::store::{tasks, Store};
use agreement_sync_core::task::{TaskStatus, TaskType};
use agreement_sync_core::view::{TaskQuery, TaskSort};
use agreement_sync_sim::{Credentials, SimConfig};
use chrono::{Duration as Days, TimeZone, Utc};

const TASKS: usize = 50_000;

fn peak_rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

fn task_list() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("bench.sqlite")).unwrap();
    let start = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
    let t = Instant::now();
    store
        .with(|c| {
            let tx = c.transaction()?;
            for i in 0..TASKS {
                let task = tasks::NewTask {
                    order_id: format!("{}", 2_000_000 + i),
                    task_type: TaskType::FROM_ORDERS[i % 4],
                    order_date: (start + Days::minutes(i as i64 * 7)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                    customer_id: format!("{}", 1_000_100_000 + i % 5000),
                    customer_name: format!("Customer {:05} Holdings", (i * 7919) % 5000),
                    subscription_id: format!("{}", 3_000_000 + i),
                    subscription_name: "Microsoft 365 Business Premium".into(),
                    amount: format!("{}.{:02}", i % 900, i % 100),
                    currency: "USD".into(),
                    amounts: Default::default(),
                };
                // The cache has orders for its tasks (foreign key).
                tx.execute(
                    "INSERT INTO orders (id, order_type, customer_id, creation_date, status, body, fetched_at)
                     VALUES (?1, 'sales', ?2, ?3, 'completed', '{}', ?3)",
                    rusqlite::params![task.order_id, task.customer_id, task.order_date],
                )?;
                tasks::insert(&tx, &task, "2026-11-24T00:00:00Z")?;
            }
            tx.commit()?;
            Ok(())
        })
        .unwrap();
    println!("task list: {TASKS} tasks inserted in {:?}", t.elapsed());

    let window = 200u32;
    let search = |text: &str| TaskQuery {
        search: text.into(),
        ..Default::default()
    };
    let cases: Vec<(&str, TaskQuery)> = vec![
        ("newest first", TaskQuery::default()),
        (
            "oldest first",
            TaskQuery {
                sort: TaskSort::DateAsc,
                ..Default::default()
            },
        ),
        (
            "customer A-Z",
            TaskQuery {
                sort: TaskSort::CustomerAsc,
                ..Default::default()
            },
        ),
        (
            "customer Z-A",
            TaskQuery {
                sort: TaskSort::CustomerDesc,
                ..Default::default()
            },
        ),
        ("search 'holdings' (all)", search("holdings")),
        ("search 'microsoft' (all)", search("microsoft")),
        ("search 'customer 0421'", search("customer 0421")),
        ("search customer id", search("1000100042")),
        ("search '42' (2 chars)", search("42")),
        ("search 'mi' (2 chars, all)", search("mi")),
        ("search 'zzz' (none)", search("zzz")),
        (
            "type+status filter",
            TaskQuery {
                types: vec![TaskType::ChangeOrder],
                statuses: vec![TaskStatus::Pending],
                ..Default::default()
            },
        ),
        (
            "2 types+2 statuses",
            TaskQuery {
                types: vec![TaskType::ChangeOrder, TaskType::SalesOrder],
                statuses: vec![TaskStatus::Pending, TaskStatus::Failed],
                ..Default::default()
            },
        ),
    ];
    // As the window asks: the first window of a filter (its count included), then windows all
    // along the list (the count kept by the store until the cache changes).
    const TARGET_MS: f64 = 16.0;
    let mut worst = 0f64;
    for (name, query) in cases {
        let counts = agreement_sync_core::store::tasks::ListCounts::default();
        let t = Instant::now();
        let total = store
            .with(|c| tasks::list_counted(c, &query, 0, window, Some(&counts)))
            .unwrap()
            .total;
        let first = t.elapsed();
        let mut times = Vec::new();
        for step in 0..25u32 {
            let offset = (total.saturating_sub(window) as u64 * step as u64 / 24) as u32;
            for _ in 0..4 {
                let t = Instant::now();
                std::hint::black_box(
                    store
                        .with(|c| tasks::list_counted(c, &query, offset, window, Some(&counts)))
                        .unwrap(),
                );
                times.push(t.elapsed());
            }
        }
        times.sort();
        let p95 = times[times.len() * 95 / 100].as_secs_f64() * 1e3;
        let first_ms = first.as_secs_f64() * 1e3;
        let slowest = p95.max(first_ms);
        worst = worst.max(slowest);
        println!(
            "task list | {name:<26} | {total:>6} rows | first window {first_ms:>6.2} ms, windows p95 {p95:>6.2} ms | target <= {TARGET_MS} ms | {:.2}x",
            slowest / TARGET_MS
        );
    }
    println!("task list | slowest query of a window of {window} | {worst:.2} ms | target <= {TARGET_MS} ms | {:.2}x", worst / TARGET_MS);
    let page = store
        .with(|c| tasks::list(c, &TaskQuery::default(), 0, window))
        .unwrap();
    let bytes = serde_json::to_vec(&page).unwrap().len();
    println!("task list: one window of {window} rows is {bytes} bytes of JSON over IPC");
}

/// Check Changes against the in-process simulator with `latency` on every answer: the first
/// check of a reseller's world, and a check with nothing new. Requests are counted from the
/// simulator's log (both services); the lower bound is requests x latency / the concurrency
/// ceiling.
fn check(customers: usize, orders_per_customer: usize, latency: std::time::Duration) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        let now = Utc.with_ymd_and_hms(2026, 11, 24, 12, 0, 0).unwrap();
        let mut config = SimConfig::demo(today);
        config.customers = customers;
        config.orders_per_customer = orders_per_customer;
        config.latency = latency;
        let sim = agreement_sync_sim::start(config, ([127, 0, 0, 1], 0).into()).await.unwrap();
        let c = Credentials::demo();
        let client = MarketplaceClient::with_options(
            &MarketplaceConfig {
                base_url: sim.marketplace_base_url(),
                username: c.marketplace_username,
                password: Secret::new(c.marketplace_password),
                subscription_key: Secret::new(c.subscription_key),
            },
            Timeouts::default(),
            RetryPolicy::default(),
        )
        .unwrap();
        let cw = ConnectWiseClient::new(&ConnectWiseConfig {
            site: format!("http://{}", sim.connectwise_site()),
            company_id: c.cw_company_id.clone(),
            public_key: Secret::new(c.cw_public_key.clone()),
            private_key: Secret::new(c.cw_private_key.clone()),
            client_id: c.cw_client_id.clone(),
            codebase: String::new(),
            addition_key_field: String::new(),
        catalog_currency: "USD".into(),
        })
        .unwrap();
        let ceiling = client.limiter().ceiling();
        let ms = latency.as_secs_f64() * 1e3;
        // With no latency there is no round trip to bound the time by.
        let against = |d: f64, bound: f64, target: &str| {
            if bound > 0.0 {
                format!("lower bound {bound:.2} s: {:.2}x (target <= {target})", d / bound)
            } else {
                "no latency: no lower bound".to_owned()
            }
        };
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("bench.sqlite")).unwrap();
        let options = CheckOptions::default();

        let t = Instant::now();
        let first = check_changes(&client, Some(&cw), &store, &options, now, &|_| {}).await.unwrap();
        assert_eq!(first.connectwise_error, None);
        let d1 = t.elapsed().as_secs_f64();
        let r1 = sim.requests().len();
        let bound1 = r1 as f64 * latency.as_secs_f64() / ceiling as f64;
        let sequential1 = r1 as f64 * latency.as_secs_f64();
        println!(
            "check changes | first check with the ConnectWise refresh, {customers} customers, {} orders read, {} tasks, {ms:.0} ms latency | {d1:.2} s, {r1} requests, concurrency up to {} of {ceiling} | {} | sequential {sequential1:.0} s: {:.1}x faster (target >= 12x)",
            first.orders_read,
            first.tasks_created,
            client.limiter().peak(),
            against(d1, bound1, "1.3x"),
            sequential1 / d1,
        );

        sim.clear_requests();
        let t = Instant::now();
        let again = check_changes(&client, Some(&cw), &store, &options, now, &|_| {}).await.unwrap();
        let d2 = t.elapsed().as_secs_f64();
        let r2 = sim.requests().len();
        let bound2 = (r2 as f64 * latency.as_secs_f64() / ceiling as f64).max(latency.as_secs_f64());
        println!(
            "check changes | nothing new, {} orders read | {:.2} s, {r2} requests: {:.1}% of the first check's (target <= 10%) | {}",
            again.orders_read,
            d2,
            100.0 * r2 as f64 / r1 as f64,
            against(d2, bound2, "1.5x"),
        );
        sim.shutdown();
    });
}

fn main() {
    // `BENCH_ONLY=list` or `BENCH_ONLY=check` runs one part.
    let only = std::env::var("BENCH_ONLY").unwrap_or_default();
    if only != "check" {
        task_list();
    }
    if only != "list" {
        check(2_000, 5, std::time::Duration::from_millis(0));
        check(2_000, 5, std::time::Duration::from_millis(50));
    }
    println!(
        "peak memory (RSS) of the benchmark process: {:.0} MiB",
        peak_rss_mib()
    );
}
