//! Benchmarks: the task list over 50,000 cached tasks, and Check Changes against the simulator.
//! Prints figures and ratios; never fails on time. Run with `make bench`.

use std::time::{Duration, Instant};

use agreement_sync_core::check::{check_changes, CheckOptions};
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

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn time<R>(runs: usize, mut f: impl FnMut() -> R) -> Duration {
    median(
        (0..runs)
            .map(|_| {
                let t = Instant::now();
                std::hint::black_box(f());
                t.elapsed()
            })
            .collect(),
    )
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
                    task_type: TaskType::ALL[i % 4],
                    order_date: (start + Days::minutes(i as i64 * 7)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                    customer_id: format!("{}", 1_000_100_000 + i % 5000),
                    customer_name: format!("Customer {:05} Holdings", (i * 7919) % 5000),
                    subscription_id: format!("{}", 3_000_000 + i),
                    subscription_name: "Microsoft 365 Business Premium".into(),
                    amount: format!("{}.{:02}", i % 900, i % 100),
                    currency: "USD".into(),
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

    let window = 200;
    let cases: Vec<(&str, TaskQuery)> = vec![
        ("newest first", TaskQuery::default()),
        (
            "customer A-Z",
            TaskQuery {
                sort: TaskSort::CustomerAsc,
                ..Default::default()
            },
        ),
        (
            "search 'holdings'",
            TaskQuery {
                search: "holdings".into(),
                ..Default::default()
            },
        ),
        (
            "search customer id",
            TaskQuery {
                search: "1000100042".into(),
                ..Default::default()
            },
        ),
        (
            "type+status filter",
            TaskQuery {
                types: vec![TaskType::ChangeOrder],
                statuses: vec![TaskStatus::Pending],
                ..Default::default()
            },
        ),
    ];
    let first = time(15, || {
        store
            .with(|c| tasks::list(c, &TaskQuery::default(), 0, window))
            .unwrap()
    });
    for (name, query) in cases {
        for offset in [0u32, 25_000, 49_800] {
            let d = time(15, || {
                store
                    .with(|c| tasks::list(c, &query, offset, window))
                    .unwrap()
            });
            println!(
                "task list: window of {window} at {offset:>5}, {name:<20} {:>8.2} ms  ({:.1}x the first window, newest first)",
                d.as_secs_f64() * 1e3,
                d.as_secs_f64() / first.as_secs_f64()
            );
        }
    }
    let page = store
        .with(|c| tasks::list(c, &TaskQuery::default(), 0, window))
        .unwrap();
    let bytes = serde_json::to_vec(&page).unwrap().len();
    println!("task list: one window of {window} rows is {bytes} bytes of JSON over IPC");
}

fn check(customers: usize, orders_per_customer: usize) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let today = Utc::now().date_naive();
        let mut config = SimConfig::demo(today);
        config.customers = customers;
        config.orders_per_customer = orders_per_customer;
        let t = Instant::now();
        let sim = agreement_sync_sim::start(config, ([127, 0, 0, 1], 0).into()).await.unwrap();
        println!("check changes: simulator with {customers} customers started in {:?}", t.elapsed());
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
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("bench.sqlite")).unwrap();
        for concurrency in [8usize] {
            let options = CheckOptions { concurrency, ..Default::default() };
            let t = Instant::now();
            let first = check_changes(&client, None, &store, &options, Utc::now(), &|_| {}).await.unwrap();
            let d1 = t.elapsed();
            let requests = sim.requests().len();
            println!(
                "check changes: first check read {} orders, made {} tasks in {:.2} s ({:.0} orders/s, {requests} requests, concurrency {concurrency})",
                first.orders_read,
                first.tasks_created,
                d1.as_secs_f64(),
                first.orders_read as f64 / d1.as_secs_f64()
            );
            let t = Instant::now();
            let again = check_changes(&client, None, &store, &options, Utc::now(), &|_| {}).await.unwrap();
            let d2 = t.elapsed();
            println!(
                "check changes: checking again read {} orders in {:.1} ms ({:.3}x the first check)",
                again.orders_read,
                d2.as_secs_f64() * 1e3,
                d2.as_secs_f64() / d1.as_secs_f64()
            );
        }
        sim.shutdown();
    });
}

fn main() {
    task_list();
    check(2_000, 3);
    println!(
        "peak memory (RSS) of the benchmark process: {:.0} MiB",
        peak_rss_mib()
    );
}
