//! Fills the Demo profile's cache in a data folder with N tasks, as a reseller's cache would
//! hold after months of checks — for the app-level benchmark (`make bench`):
//! `cargo run --release -p agreement-sync-core --example seed_tasks -- <data folder> <N>`.

use std::path::PathBuf;

use agreement_sync_core::period::BillingPeriod;
use agreement_sync_core::profiles::{cache_path, DEMO_ID};
use agreement_sync_core::store::{tasks, Store};
use agreement_sync_core::task::{OrderAmounts, TaskType};
use chrono::{Duration, TimeZone, Utc};
use rust_decimal::Decimal;

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(dir), Some(count)) = (args.next(), args.next()) else {
        eprintln!("usage: seed_tasks <data folder> <number of tasks>");
        std::process::exit(2);
    };
    let Ok(count) = count.parse::<usize>() else {
        eprintln!("the number of tasks must be a whole number, not {count}");
        std::process::exit(2);
    };
    let path = cache_path(&PathBuf::from(dir), DEMO_ID);
    let store = Store::open(&path).unwrap_or_else(|e| {
        eprintln!("{e}");
        std::process::exit(1);
    });
    let start = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
    let seeded = store.with(|c| {
        let tx = c.transaction()?;
        for i in 0..count {
            let order_date = (start + Duration::minutes(i as i64 * 7))
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
            let task = tasks::NewTask {
                order_id: format!("{}", 7_000_000 + i),
                task_type: TaskType::FROM_ORDERS[i % 4],
                order_date: order_date.clone(),
                customer_id: format!("{}", 1_000_100_000 + i % 5000),
                customer_name: format!("Customer {:05} Holdings", (i * 7919) % 5000),
                subscription_id: format!("{}", 3_000_000 + i),
                subscription_name: "Microsoft 365 Business Premium".into(),
                amount: format!("{}.{:02}", i % 900, i % 100),
                currency: "USD".into(),
                amounts: OrderAmounts {
                    recurring: Some(Decimal::new((i % 900 * 100 + i % 100) as i64, 2)),
                    one_time: None,
                    period: Some(BillingPeriod::MONTHLY),
                },
            };
            tx.execute(
                "INSERT INTO orders (id, order_type, customer_id, creation_date, status, body, fetched_at)
                 VALUES (?1, 'sales', ?2, ?3, 'completed', '{}', ?3)",
                rusqlite::params![task.order_id, task.customer_id, order_date],
            )?;
            tasks::insert(&tx, &task, "2026-11-24T00:00:00Z")?;
        }
        tx.commit()?;
        Ok(())
    });
    if let Err(e) = seeded {
        eprintln!("{e}");
        std::process::exit(1);
    }
    println!("{count} tasks in {}", path.display());
}
