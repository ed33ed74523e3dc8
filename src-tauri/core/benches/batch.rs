//! Benchmarks of bulk review and sync (SPEC §12): preparing a board of 500 tasks and re-planning
//! it after a bulk action at 2,000 customers, and syncing 200 tasks against the simulator at
//! 50 ms a request. Prints figures, targets and ratios; never fails on time. Run with `make bench`.

#[path = "../tests/support/mod.rs"]
mod support;

use std::collections::HashMap;
use std::time::{Duration, Instant};

use agreement_sync_core::batch::{BulkAction, TaskSelection};
use agreement_sync_core::session::{ProfileKind, Session};
use agreement_sync_core::store::Store;
use agreement_sync_core::task::TaskStatus;
use agreement_sync_core::view::{PriceSourceView, TaskQuery};
use agreement_sync_sim::SimHandle;

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        board(2_000, 500).await;
        sync(120, 200, Duration::from_millis(50)).await;
    });
}

fn session(sim: &SimHandle, dir: &std::path::Path) -> Session {
    Session::new(
        "Demo",
        ProfileKind::Demo,
        "/tmp/nowhere",
        Store::open(&dir.join("bench.sqlite")).unwrap(),
        support::marketplace(sim),
        support::connectwise(sim),
    )
    .with_clock(support::clock())
}

/// Maps the customers and products of the first `n` pending tasks; returns their ids.
async fn map_tasks(s: &Session, n: usize) -> Vec<i64> {
    let query = TaskQuery {
        statuses: vec![TaskStatus::Pending],
        ..Default::default()
    };
    let mut ids = Vec::new();
    let mut offset = 0;
    while ids.len() < n {
        let page = s.list_tasks(query.clone(), offset, 1000).await.unwrap();
        if page.rows.is_empty() {
            break;
        }
        offset += page.rows.len() as u32;
        for t in page.rows {
            if ids.len() == n {
                break;
            }
            ids.push(t.id);
            support::map_as_suggested(s, &t).await;
        }
    }
    ids
}

fn line(what: &str, figure: Duration, target: Duration) {
    println!(
        "{what}: {:.0} ms (target ≤ {:.0} ms, ratio {:.2})",
        figure.as_secs_f64() * 1000.0,
        target.as_secs_f64() * 1000.0,
        figure.as_secs_f64() / target.as_secs_f64()
    );
}

async fn board(customers: usize, tasks: usize) {
    let sim = support::sim_with(customers).await;
    let dir = tempfile::tempdir().unwrap();
    let s = session(&sim, dir.path());
    s.check_changes(&|_| {}).await.unwrap();
    let ids = map_tasks(&s, tasks).await;

    let t = Instant::now();
    let board = s
        .open_batch(TaskSelection::Ids { ids: ids.clone() })
        .await
        .unwrap();
    let prepared = t.elapsed();
    println!(
        "board: {} tasks at {customers} customers, {} ready, {} need attention, {} with the next invoice before → after (SPEC §16)",
        board.rows.len(),
        board.ready,
        board.needs_attention,
        board
            .rows
            .iter()
            .filter(|r| !r.next_invoice_after.is_empty())
            .count()
    );
    line("preparing the board", prepared, Duration::from_secs(2));

    let t = Instant::now();
    let again = s
        .apply_bulk(
            board.batch_id,
            ids,
            BulkAction::SetPriceSource {
                source: PriceSourceView::ConnectWise,
            },
        )
        .await
        .unwrap();
    let replanned = t.elapsed();
    assert_eq!(again.rows.len(), board.rows.len());
    line(
        &format!(
            "bulk action (price source) re-planning {} rows",
            again.rows.len()
        ),
        replanned,
        Duration::from_millis(500),
    );
    sim.shutdown();
}

async fn sync(customers: usize, tasks: usize, latency: Duration) {
    let sim = support::sim_with(customers).await;
    let dir = tempfile::tempdir().unwrap();
    let s = session(&sim, dir.path());
    s.check_changes(&|_| {}).await.unwrap();
    let ids = map_tasks(&s, usize::MAX).await;
    let all = s.open_batch(TaskSelection::Ids { ids }).await.unwrap();
    let ready: Vec<i64> = all
        .rows
        .iter()
        .filter(|r| r.ready)
        .map(|r| r.task.id)
        .take(tasks)
        .collect();
    let board = s
        .open_batch(TaskSelection::Ids { ids: ready })
        .await
        .unwrap();
    sim.set_latency(latency);
    sim.clear_requests();
    let concurrency = agreement_sync_core::context::BATCH_CONCURRENCY;
    let t = Instant::now();
    let result = s.sync_batch(board.batch_id, &|_| {}).await.unwrap();
    let wall = t.elapsed();
    // The lower bound: every request takes the latency; an agreement's requests follow one
    // another, and at most `concurrency` agreements are written at once.
    let requests = sim.requests();
    let mut per_agreement: HashMap<String, u32> = HashMap::new();
    for q in &requests {
        // An agreement's additions and its invoice calendar (SPEC §16) are its own requests.
        let key = ["/finance/agreements/", "/finance/agreementrecap/"]
            .iter()
            .find_map(|p| q.path.split(p).nth(1))
            .and_then(|rest| rest.split('/').next())
            .unwrap_or("other")
            .to_owned();
        *per_agreement.entry(key).or_default() += 1;
    }
    let longest = per_agreement.values().copied().max().unwrap_or(0);
    let total = requests.len() as u32;
    // Reads include those that recognise what other desks wrote (SPEC §15): before the first
    // write and after each create.
    let reads = requests.iter().filter(|q| q.method == "GET").count();
    let calendars = requests
        .iter()
        .filter(|q| q.path.contains("/finance/agreementrecap/"))
        .count();
    println!(
        "batch sync: {calendars} invoice calendar reads for {} agreements (target ≤ 1 per agreement)",
        per_agreement.len()
    );
    let bound = latency.mul_f64(
        f64::from((total as f64 / concurrency as f64).ceil() as u32).max(f64::from(longest)),
    );
    println!(
        "batch sync: {} tasks ({} synced, {} writes) on {} agreements, {} requests ({reads} reads) at {} ms, concurrency {concurrency}: {:.2} s; lower bound {:.2} s; ratio {:.2} (target ≤ 1.5)",
        board.rows.len(),
        result.synced,
        result.writes_made,
        per_agreement.len(),
        total,
        latency.as_millis(),
        wall.as_secs_f64(),
        bound.as_secs_f64(),
        wall.as_secs_f64() / bound.as_secs_f64()
    );
    sim.shutdown();
}
