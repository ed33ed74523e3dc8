//! Benchmarks: suggestions at a reseller's size — the Demo world with 2,000 customers (and as
//! many ConnectWise companies), a catalog of a few hundred items, an agreement of 200 additions.
//! Prints each figure as "figure | target | ratio"; never fails on time. Run with
//! `cargo bench -p agreement-sync-core --bench suggest_scale`.
//!
//! (a) ranking every customer against the companies: the index against the exhaustive scan;
//! (b) one wizard edit → view with the companies cached (p50 and p95 over many edits);
//! (c) the ConnectWise refresh of a Check Changes at that size (wall and CPU time).

#[path = "../tests/support/mod.rs"]
mod support;

use std::time::{Duration, Instant};

use agreement_sync_core::check::refresh_connectwise::refresh_connectwise;
use agreement_sync_core::connectwise::wire::{CatalogItem, ProductRef};
use agreement_sync_core::session::{ProfileKind, Session};
use agreement_sync_core::store::{connectwise as cw_store, Store};
use agreement_sync_core::suggest::{self, CatalogIndex, CompanyIndex};
use agreement_sync_core::view::{EditableField, RowAction, WizardEdit};

/// Customers (and companies) in the world; `SUGGEST_BENCH_CUSTOMERS` sets another number.
fn customers() -> usize {
    std::env::var("SUGGEST_BENCH_CUSTOMERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2_000)
}
const EXTRA_CATALOG: usize = 300;
const ADDITIONS: usize = 200;
const EDITS: usize = 60;

/// CPU time of the whole process so far (all threads; the in-process simulator included).
fn cpu_time() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command's closing parenthesis; utime and stime are the 14th and 15th.
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map(|(_, rest)| rest.split_whitespace().collect())
        .unwrap_or_default();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<u64>().ok())
            .unwrap_or(0)
    };
    // Fields are counted from the state (3rd field) here; clock ticks are 1/100 s on Linux.
    Duration::from_millis((ticks(11) + ticks(12)) * 10)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn row(what: &str, figure: f64, target: Option<f64>, unit: &str) {
    match target {
        Some(t) => println!(
            "{what:<58} {figure:>10.2} {unit} | {t:>8.0} {unit} | {:.2}",
            figure / t
        ),
        None => println!("{what:<58} {figure:>10.2} {unit} | {:>11} |", "-"),
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[i]
}

/// A few hundred more catalog items: vendor, product and term, most with a part number.
fn more_catalog(count: usize) -> Vec<CatalogItem> {
    let vendors = ["Microsoft", "Adobe", "Acronis", "Dropbox", "Zoom", "Cisco"];
    let products = [
        "365 Business Premium",
        "365 Apps for business",
        "Exchange Online Kiosk",
        "Teams Essentials",
        "Creative Cloud All Apps",
        "Acrobat Pro",
        "Cyber Protect Backup",
        "Business Plus",
        "Meetings Pro",
        "Defender for Endpoint",
    ];
    let terms = ["", "(Monthly)", "(Annual)", "NCE 1 Year", "Add-on"];
    (0..count)
        .map(|i| CatalogItem {
            id: 90_000 + i as i64,
            identifier: format!("BENCH-{i:03}"),
            description: format!(
                "{} {} {}",
                vendors[i % vendors.len()],
                products[(i / vendors.len()) % products.len()],
                terms[i % terms.len()]
            )
            .trim()
            .to_owned(),
            price: None,
            cost: None,
            taxable_flag: false,
            inactive_flag: i % 23 == 5,
            manufacturer_part_number: (i % 4 != 0).then(|| format!("BENCHPN{i:04}")),
            customer_description: None,
            info: None,
        })
        .collect()
}

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(run());
}

async fn run() {
    let t = Instant::now();
    let customers = customers();
    let sim = support::sim_with(customers).await;
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("bench.sqlite")).unwrap();
    let connectwise = support::connectwise(&sim);
    let s = Session::new(
        "Demo",
        ProfileKind::Demo,
        "/tmp/nowhere",
        store.clone(),
        support::marketplace(&sim),
        support::connectwise(&sim),
    )
    .with_clock(support::clock());
    let summary = s.check_changes(&|_| {}).await.unwrap();
    println!(
        "setup: {customers} customers, first Check Changes made {} tasks ({:.1} s in all)",
        summary.tasks_created,
        t.elapsed().as_secs_f64()
    );

    // (c) The ConnectWise refresh again, every customer still unmapped.
    let (cpu, t) = (cpu_time(), Instant::now());
    let refreshed = refresh_connectwise(&connectwise, &store, "2026-11-24T12:30:00Z")
        .await
        .unwrap();
    let (wall, cpu) = (t.elapsed(), cpu_time().saturating_sub(cpu));
    println!(
        "\n(c) ConnectWise refresh: {} companies, {} agreements, additions of {} read",
        refreshed.companies, refreshed.agreements, refreshed.agreements_with_additions
    );
    row("refresh, wall time", ms(wall), None, "ms");
    row(
        "refresh, CPU (whole process, simulator included)",
        ms(cpu),
        Some(2_000.0),
        "ms",
    );

    // (a) Ranking every customer name.
    let (companies, mut catalog) = store
        .with(|c| Ok((cw_store::companies(c)?, cw_store::catalog(c)?)))
        .unwrap();
    catalog.extend(more_catalog(EXTRA_CATALOG));
    let names: Vec<String> = store
        .with(|c| {
            let mut stmt = c.prepare("SELECT DISTINCT customer_name FROM tasks")?;
            let names = stmt
                .query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<Vec<String>>>()?;
            Ok(names)
        })
        .unwrap();
    println!(
        "\n(a) ranking {} customer names against {} companies (top 2, as Check Changes asks)",
        names.len(),
        companies.len()
    );
    let t = Instant::now();
    let index = CompanyIndex::new(companies.clone());
    let by_index: Vec<Vec<(i64, u8)>> = names
        .iter()
        .map(|n| {
            index
                .rank(n, 2)
                .iter()
                .map(|r| (r.item.id, r.score))
                .collect()
        })
        .collect();
    let indexed = t.elapsed();
    let t = Instant::now();
    let by_scan: Vec<Vec<(i64, u8)>> = names
        .iter()
        .map(|n| {
            suggest::companies(n, &companies, 2)
                .iter()
                .map(|r| (r.item.id, r.score))
                .collect()
        })
        .collect();
    let scanned = t.elapsed();
    let same = by_index
        .iter()
        .zip(&by_scan)
        .filter(|(a, b)| a == b)
        .count();
    row(
        "index: build + rank every name",
        ms(indexed),
        Some(2_000.0),
        "ms",
    );
    row("exhaustive scan (before)", ms(scanned), None, "ms");
    println!(
        "{:<58} {:>10.1}x faster; the same top 2 for {same} of {} names",
        "index against the scan",
        scanned.as_secs_f64() / indexed.as_secs_f64(),
        names.len()
    );

    let products: Vec<(String, String)> = catalog
        .iter()
        .map(|c| {
            (
                c.manufacturer_part_number
                    .clone()
                    .map(|m| format!("{m}:0001_P1M"))
                    .unwrap_or_else(|| "NEW:0001".into()),
                c.description.to_uppercase(),
            )
        })
        .collect();
    let t = Instant::now();
    let items = CatalogIndex::new(catalog.clone());
    let mut same = 0;
    let mut by_index = Vec::new();
    for (mpn, name) in &products {
        by_index.push(
            items
                .rank(mpn, name, 5)
                .iter()
                .map(|r| (r.item.id, r.score))
                .collect::<Vec<_>>(),
        );
    }
    let indexed = t.elapsed();
    let t = Instant::now();
    for ((mpn, name), got) in products.iter().zip(&by_index) {
        let scan: Vec<(i64, u8)> = suggest::catalog_items(mpn, name, &catalog, 5)
            .iter()
            .map(|r| (r.item.id, r.score))
            .collect();
        same += usize::from(&scan == got);
    }
    let scanned = t.elapsed();
    row(
        &format!(
            "catalog: {} products against {} items, index",
            products.len(),
            catalog.len()
        ),
        ms(indexed),
        None,
        "ms",
    );
    row("catalog: exhaustive scan (before)", ms(scanned), None, "ms");
    println!(
        "{:<58} {:>10.1}x faster; the same top 5 for {same} of {}",
        "catalog index against the scan",
        scanned.as_secs_f64() / indexed.as_secs_f64(),
        products.len()
    );

    // (b) The wizard at this size: Green Lane's change order, its agreement grown to 200
    // additions, the catalog grown to a few hundred items.
    store
        .with(|c| {
            cw_store::replace_catalog(c, &catalog, "2026-11-24T12:30:00Z")?;
            let (mut additions, at) = cw_store::additions_of(c, 4127)?.expect("4127 cached");
            // Active additions of other products: each one a row of the plan.
            let template = additions
                .iter()
                .find(|a| a.cancelled_date.is_none())
                .expect("an active addition")
                .clone();
            for i in additions.len()..ADDITIONS {
                let mut a = template.clone();
                a.id = 800_000 + i as i64;
                a.product = ProductRef {
                    id: 90_000 + (i % EXTRA_CATALOG) as i64,
                    identifier: format!("BENCH-{:03}", i % EXTRA_CATALOG),
                };
                a.description = Some(format!("Bench addition {i}"));
                additions.push(a);
            }
            cw_store::replace_additions(c, 4127, &additions, &at)
        })
        .unwrap();
    let id = support::task_id(&s, "1000231").await;
    let t = Instant::now();
    s.open_wizard(id).await.unwrap();
    let first_open = t.elapsed();
    let v = support::accept_suggestions(&s, id).await;
    let plan = v.plan.as_ref().expect("Green Lane's plan");
    let key = plan
        .rows
        .iter()
        .find(|r| r.action == RowAction::Add)
        .expect("a row to edit")
        .key
        .clone();
    println!(
        "\n(b) wizard: {} companies, {} catalog items, agreement 4127 with {ADDITIONS} additions ({} plan rows)",
        companies.len(),
        catalog.len(),
        plan.rows.len()
    );
    let mut times = Vec::with_capacity(EDITS);
    for i in 0..EDITS {
        let edit = if i % 2 == 0 {
            WizardEdit::EditRow {
                row_key: key.clone(),
                field: EditableField::Description,
                value: format!("Microsoft 365 Business Premium — seat {i}"),
            }
        } else {
            WizardEdit::SelectRow {
                row_key: key.clone(),
                selected: i % 4 == 1,
            }
        };
        let t = Instant::now();
        std::hint::black_box(s.edit_wizard(id, edit).await.unwrap());
        times.push(t.elapsed());
    }
    times.sort();
    row(
        &format!("one edit -> view, p50 ({EDITS} edits)"),
        ms(percentile(&times, 0.5)),
        None,
        "ms",
    );
    row(
        &format!("one edit -> view, p95 ({EDITS} edits; 3.9 ms with two loads per edit)"),
        ms(percentile(&times, 0.95)),
        Some(5.0),
        "ms",
    );
    row(
        "first view after a refresh (reads lists, builds index)",
        ms(first_open),
        None,
        "ms",
    );
    let mut searches: Vec<Duration> = Vec::new();
    for text in ["", "g", "gr", "gre", "green", "green l", "a", "dental"] {
        let t = Instant::now();
        std::hint::black_box(s.search_companies(id, text.into()).await.unwrap());
        searches.push(t.elapsed());
    }
    searches.sort();
    row(
        "company search as typed, slowest of 8 keystrokes",
        ms(*searches.last().unwrap()),
        None,
        "ms",
    );
    sim.shutdown();
}
