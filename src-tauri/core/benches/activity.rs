//! Benchmark: the activity log (SPEC §17) over 100,000 journaled writes and 2,000 additions of
//! other desks, as the window asks for it: the first window (its count included), windows deep
//! in the log, a search and filters. Prints figures and ratios; never fails on time. Run with
//! `make bench`.

use std::time::{Duration, Instant};

use agreement_sync_core::activity::log;
use agreement_sync_core::record::write::{Action, BillCustomer, WriteAction, WriteKind, WriteSpec};
use agreement_sync_core::store::journal::{self, NewSync, State};
use agreement_sync_core::store::{tasks, Store};
use agreement_sync_core::sync::{SyncState, WriteState};
use agreement_sync_core::task::TaskType;
use agreement_sync_core::view::{ActivityKind, ActivityQuery, ActivityResult};
use chrono::{Duration as Days, NaiveDate, TimeZone, Utc};
use rust_decimal::Decimal;

const WRITES: usize = 100_000;
const PER_SYNC: usize = 4;
const TASKS: usize = 5_000;
const OTHER_DESKS: usize = 2_000;
const TARGET_MS: f64 = 16.0;

fn spec(i: usize) -> WriteSpec {
    let create = i.is_multiple_of(2);
    WriteSpec {
        kind: if create {
            WriteKind::Create
        } else {
            WriteKind::Patch
        },
        action: if create { Action::Add } else { Action::Cancel },
        row_key: format!("add:MPN-{}", i % 50),
        addition_id: (!create).then_some(30_000 + i as i64),
        product_id: 611 + (i % 8) as i64,
        product_name: "Microsoft 365 Business Premium".into(),
        bill_customer: BillCustomer::Billable,
        quantity: Decimal::from(5 + i % 40),
        unit_price: Decimal::new(2200, 2),
        unit_cost: Decimal::new(1800, 2),
        effective_date: NaiveDate::from_ymd_opt(2026, 1 + (i % 12) as u32, 1).unwrap(),
        cancel_date: None,
        taxable: false,
        invoice_description: "Microsoft 365 Business Premium".into(),
        fields: Vec::new(),
        key: create.then(|| format!("AS1:{}:{}:MPN:R", 2_000_000 + i, 3_000_000 + i)),
        already: None,
        label: if create {
            WriteAction::CreateAddition
        } else {
            WriteAction::SetCancelDate
        },
        description: format!(
            "{} × Microsoft 365 Business Premium @ 22.00 USD",
            5 + i % 40
        ),
        amount: "110.00".into(),
    }
}

fn fill(store: &Store) {
    let start = Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap();
    let stamp = |minutes: usize| {
        (start + Days::minutes(minutes as i64)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
    };
    store
        .with(|c| {
            let tx = c.transaction()?;
            for i in 0..TASKS {
                let order = format!("{}", 2_000_000 + i);
                tx.execute(
                    "INSERT INTO orders (id, order_type, customer_id, creation_date, status, body, fetched_at)
                     VALUES (?1, 'change', ?2, ?3, 'completed', '{}', ?3)",
                    rusqlite::params![order, format!("{}", 1_000_100_000 + i % 2000), stamp(i)],
                )?;
                tasks::insert(
                    &tx,
                    &tasks::NewTask {
                        order_id: order,
                        task_type: TaskType::FROM_ORDERS[i % 4],
                        order_date: stamp(i),
                        customer_id: format!("{}", 1_000_100_000 + i % 2000),
                        customer_name: format!("Customer {:04} Holdings", (i * 7919) % 2000),
                        subscription_id: format!("{}", 3_000_000 + i),
                        subscription_name: "Microsoft 365 Business Premium".into(),
                        amount: "110.00".into(),
                        currency: "USD".into(),
                        amounts: Default::default(),
                    },
                    &stamp(i),
                )?;
            }
            let task_ids: Vec<i64> = tx
                .prepare("SELECT id FROM tasks ORDER BY id")?
                .query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            for s in 0..WRITES / PER_SYNC {
                let when = stamp(10 * s);
                let specs: Vec<WriteSpec> = (0..PER_SYNC).map(|k| spec(s * PER_SYNC + k)).collect();
                let id = journal::insert(
                    &tx,
                    &NewSync {
                        task_id: task_ids[s % task_ids.len()],
                        profile_name: if s % 5 == 0 { "Second office" } else { "Main" },
                        agreement_id: 4000 + (s % 2000) as i64,
                        agreement_name: format!("Customer {:04} — Microsoft 365", s % 2000).as_str(),
                        currency: "USD",
                        state: SyncState::Running,
                        message: None,
                        changes: &[],
                        known_ids: &[],
                        now: &when,
                        desk: "ana on BILLING-PC",
                        undoes: None,
                        boundary: None,
                    },
                    &specs,
                )?;
                let writes = journal::record(&tx, id)?.writes;
                for w in writes {
                    let state = if s % 97 == 0 { WriteState::Failed } else { WriteState::Confirmed };
                    journal::set_write(&tx, w.id, state, Some(40_000 + w.id), None, &when)?;
                    journal::set_after(&tx, w.id, &State::Absent)?;
                }
                journal::set_state(&tx, id, SyncState::Synced, None, &when)?;
            }
            for i in 0..OTHER_DESKS {
                let body = serde_json::json!({
                    "id": 900_000 + i, "product": {"id": 611, "identifier": "MS-365-BP"},
                    "quantity": 3, "unitPrice": 22, "billCustomer": "Billable",
                    "serialNumber": format!("AS1:{}:{}:MS-365-BP:R", 5_000_000 + i, 6_000_000 + i),
                    "_info": {"dateEntered": stamp(2_500 * i + 7)}
                });
                tx.execute(
                    "INSERT INTO cw_additions (id, agreement_id, body, fetched_at, addition_key, entered_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?4)",
                    rusqlite::params![
                        900_000 + i as i64,
                        4000 + (i % 2000) as i64,
                        body.to_string(),
                        stamp(2_500 * i + 7),
                        body["serialNumber"].as_str()
                    ],
                )?;
            }
            tx.commit()?;
            Ok(())
        })
        .unwrap();
}

fn p95(mut times: Vec<Duration>) -> f64 {
    times.sort();
    times[(times.len() * 95).div_ceil(100) - 1].as_secs_f64() * 1000.0
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    // `ACTIVITY_BENCH_DB=path` keeps the filled store there (to read its query plans).
    let path = std::env::var("ACTIVITY_BENCH_DB")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|_| dir.path().join("bench.sqlite"));
    let _ = std::fs::remove_file(&path);
    let store = Store::open(&path).unwrap();
    let t = Instant::now();
    fill(&store);
    println!(
        "activity: {WRITES} writes in {} syncs and {OTHER_DESKS} other desks' additions stored in {:?}",
        WRITES / PER_SYNC,
        t.elapsed()
    );
    let window = 200u32;
    let cases: Vec<(&str, ActivityQuery, u32)> = vec![
        ("first window (newest)", ActivityQuery::default(), 0),
        ("window at 50,000", ActivityQuery::default(), 50_000),
        (
            "last window",
            ActivityQuery::default(),
            (WRITES + OTHER_DESKS) as u32 - window,
        ),
        (
            "search 'customer 0421'",
            ActivityQuery {
                search: "customer 0421".into(),
                ..Default::default()
            },
            0,
        ),
        (
            "search an addition id",
            ActivityQuery {
                search: "40077".into(),
                ..Default::default()
            },
            0,
        ),
        (
            "kind: cancel date",
            ActivityQuery {
                kind: Some(ActivityKind::CancelDate),
                ..Default::default()
            },
            0,
        ),
        (
            "result: failed",
            ActivityQuery {
                result: Some(ActivityResult::Failed),
                ..Default::default()
            },
            0,
        ),
        (
            "result: another desk",
            ActivityQuery {
                result: Some(ActivityResult::OtherDesk),
                ..Default::default()
            },
            0,
        ),
        (
            "profile + date range",
            ActivityQuery {
                profile: Some("Second office".into()),
                from: Some("2024-06-01".into()),
                to: Some("2024-06-30".into()),
                ..Default::default()
            },
            0,
        ),
    ];
    let mut first_p95 = 0.0;
    for (name, query, offset) in cases {
        let mut times = Vec::new();
        let mut total = 0;
        for _ in 0..40 {
            let t = Instant::now();
            let page = store
                .with(|c| log::page(c, &query, offset, window, "Main"))
                .unwrap();
            times.push(t.elapsed());
            total = page.total;
            std::hint::black_box(page);
        }
        let p = p95(times);
        if offset == 0 && query == ActivityQuery::default() {
            first_p95 = p;
        }
        println!("activity: {name:<28} {total:>7} rows match, window of {window}: p95 {p:6.2} ms");
    }
    println!(
        "activity: first window at {} writes: p95 {first_p95:.2} ms, {:.2} of the {TARGET_MS} ms target",
        WRITES + OTHER_DESKS,
        first_p95 / TARGET_MS
    );
}
