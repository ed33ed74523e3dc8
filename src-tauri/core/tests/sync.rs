//! Sync (SPEC §7) against the simulator: Green Lane's reviewed change order written to
//! ConnectWise, and the same under every fault — a 500 before the write, a lost answer after it,
//! a timeout, a dropped connection, a 429, the network gone part-way, the process killed between
//! writes. Whatever happens, the agreement ends with exactly the planned additions: none missing,
//! none twice.

mod support;

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use agreement_sync_core::connectwise::wire::Addition;
use agreement_sync_core::session::Session;
use agreement_sync_core::task::TaskStatus;
use agreement_sync_core::view::{SyncState, SyncView, TaskQuery, WriteAction, WriteState};
use agreement_sync_sim::{FaultKind, FaultRule, SimHandle};

const GREEN_LANE_CHANGE: &str = "1000231";
const AGREEMENT: i64 = 4127;
const ADDITIONS: &str = "/finance/agreements/4127/additions";

fn session(path: &Path, sim: &SimHandle) -> Session {
    support::session_at(
        path,
        &sim.marketplace_base_url(),
        &sim.connectwise_site(),
        Duration::from_secs(2),
    )
}

async fn task_id(s: &Session) -> i64 {
    s.list_tasks(
        TaskQuery {
            search: GREEN_LANE_CHANGE.into(),
            ..Default::default()
        },
        0,
        10,
    )
    .await
    .unwrap()
    .rows
    .iter()
    .find(|r| r.order_id == GREEN_LANE_CHANGE)
    .expect("the Green Lane task")
    .id
}

/// Check Changes, then Green Lane's task reviewed as a person accepting the suggestions would:
/// ready to sync with its six writes (two cancel dates, four new additions).
async fn reviewed(path: &Path, sim: &SimHandle) -> (Session, i64) {
    let s = session(path, sim);
    s.check_changes(&|_| {}).await.unwrap();
    let id = task_id(&s).await;
    let v = support::accept_suggestions(&s, id).await;
    assert!(v.problems.is_empty(), "{:?}", v.problems);
    assert_eq!(v.plan.as_ref().unwrap().summary.writes.len(), 6);
    (s, id)
}

/// The agreement's additions, read over the simulator's API, as a multiset of essences.
async fn agreement_state(sim: &SimHandle) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    for a in support::connectwise(sim)
        .additions(AGREEMENT)
        .await
        .unwrap()
    {
        *out.entry(support::essence(&a)).or_insert(0) += 1;
    }
    out
}

/// What the agreement holds after Green Lane synced with no fault at all.
async fn expected_state() -> BTreeMap<String, usize> {
    let dir = tempfile::tempdir().unwrap();
    let sim = support::sim().await;
    let (s, id) = reviewed(&dir.path().join("cache.sqlite"), &sim).await;
    let v = s.sync_task(id, &|_| {}).await.unwrap();
    assert_eq!(v.state, SyncState::Synced, "{v:?}");
    let state = agreement_state(&sim).await;
    sim.shutdown();
    state
}

fn writes_sent(sim: &SimHandle) -> (usize, usize) {
    let r = sim.requests();
    let count = |m: &str| {
        r.iter()
            .filter(|q| q.method == m && q.path.contains(ADDITIONS))
            .count()
    };
    (count("POST"), count("PATCH"))
}

fn assert_all_confirmed(v: &SyncView) {
    assert_eq!(v.state, SyncState::Synced, "{v:#?}");
    assert_eq!(v.writes.len(), 6);
    for w in &v.writes {
        assert_eq!(w.state, WriteState::Confirmed, "{w:?}");
        assert!(w.addition_id.is_some(), "{w:?}");
    }
}

#[tokio::test]
async fn green_lane_syncs_exactly_its_plan_and_a_second_sync_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let sim = support::sim().await;
    let before = support::connectwise(&sim)
        .additions(AGREEMENT)
        .await
        .unwrap();
    let (s, id) = reviewed(&dir.path().join("cache.sqlite"), &sim).await;
    sim.clear_requests();

    let seen = std::sync::Mutex::new(Vec::new());
    let v = s
        .sync_task(id, &|p: SyncView| seen.lock().unwrap().push(p))
        .await
        .unwrap();
    assert_all_confirmed(&v);
    assert_eq!(writes_sent(&sim), (4, 2), "one request per write");
    // The agreement was re-read before anything was written.
    let r = sim.requests();
    let first_write = r.iter().position(|q| q.method != "GET").unwrap();
    assert!(r[..first_write]
        .iter()
        .any(|q| q.method == "GET" && q.path.ends_with(ADDITIONS)));
    // Progress showed each write being sent.
    let seen = seen.into_inner().unwrap();
    assert!(seen.iter().any(|p| p
        .activity
        .as_deref()
        .is_some_and(|a| a.starts_with("Writing 6 of 6"))));

    // ConnectWise holds the plan: the two old additions cancelled the day before the change, four
    // new ones from the change's date, with the reviewed amounts.
    let after = support::connectwise(&sim)
        .additions(AGREEMENT)
        .await
        .unwrap();
    assert_eq!(after.len(), before.len() + 4);
    let by_id = |id: i64| after.iter().find(|a| a.id == id).unwrap();
    for cancelled in [30211, 30212] {
        assert_eq!(
            by_id(cancelled)
                .cancelled_date
                .map(|d| d.date_naive().to_string())
                .as_deref(),
            Some("2026-11-15"),
        );
    }
    let created: Vec<&Addition> = after
        .iter()
        .filter(|a| !before.iter().any(|b| b.id == a.id))
        .collect();
    let mut amounts: Vec<String> = created
        .iter()
        .map(|a| {
            format!(
                "{} × {}",
                a.quantity.unwrap().normalize(),
                a.unit_price.unwrap().normalize()
            )
        })
        .collect();
    amounts.sort();
    assert_eq!(amounts, ["-2 × 2", "25 × 22", "5 × 11", "9 × 4"]);
    for a in &created {
        assert_eq!(
            a.effective_date
                .map(|d| d.date_naive().to_string())
                .as_deref(),
            Some("2026-11-16")
        );
    }
    // The result names the ConnectWise ids.
    let ids: Vec<i64> = v.writes.iter().filter_map(|w| w.addition_id).collect();
    for a in &created {
        assert!(ids.contains(&a.id));
    }
    let status = s.open_wizard(id).await.unwrap();
    assert_eq!(status.task.status, TaskStatus::Synced);
    assert_eq!(status.history.len(), 1);
    assert_eq!(status.history[0].profile_name, "Demo");

    // Again: nothing new, and it says so.
    sim.clear_requests();
    let again = s.sync_task(id, &|_| {}).await.unwrap();
    assert_eq!(again.state, SyncState::NothingToWrite);
    assert!(
        again.message.as_deref().unwrap().contains("Nothing new"),
        "{again:?}"
    );
    assert_eq!(writes_sent(&sim), (0, 0));
    assert_eq!(
        support::connectwise(&sim)
            .additions(AGREEMENT)
            .await
            .unwrap()
            .len(),
        after.len()
    );
    assert_eq!(s.open_wizard(id).await.unwrap().history.len(), 2);
}

/// Syncs Green Lane with `faults` set, then (if the first sync did not finish) retries with no
/// faults; returns the views and the requests the simulator saw.
async fn sync_with(faults: Vec<FaultRule>) -> (Vec<SyncView>, SimHandle, (usize, usize)) {
    let dir = tempfile::tempdir().unwrap();
    let sim = support::sim().await;
    let (s, id) = reviewed(&dir.path().join("cache.sqlite"), &sim).await;
    sim.clear_requests();
    sim.set_faults(faults);
    let first = s.sync_task(id, &|_| {}).await.unwrap();
    let mut views = vec![first.clone()];
    if first.state != SyncState::Synced {
        sim.set_faults(Vec::new());
        views.push(s.sync_task(id, &|_| {}).await.unwrap());
    }
    let sent = writes_sent(&sim);
    (views, sim, sent)
}

async fn assert_exactly_planned(sim: &SimHandle) {
    assert_eq!(agreement_state(sim).await, expected_state().await);
}

#[tokio::test]
async fn a_500_before_the_write_is_checked_then_sent_again() {
    let (views, sim, sent) = sync_with(vec![FaultRule::new(ADDITIONS, FaultKind::ServerError)
        .method("POST")
        .skip(1)
        .times(1)])
    .await;
    assert_eq!(views.len(), 1, "finished without a Retry");
    assert_all_confirmed(&views[0]);
    let second_post = views[0]
        .writes
        .iter()
        .filter(|w| w.kind == WriteAction::CreateAddition)
        .nth(1);
    assert_eq!(second_post.unwrap().attempts, 2);
    assert_eq!(sent, (5, 2), "the failed POST was sent once more");
    assert_exactly_planned(&sim).await;
}

#[tokio::test]
async fn a_lost_answer_after_the_write_is_found_and_not_sent_again() {
    let (views, sim, sent) = sync_with(vec![FaultRule::new(ADDITIONS, FaultKind::ServerError)
        .method("POST")
        .after_apply()
        .times(1)])
    .await;
    assert_eq!(views.len(), 1);
    assert_all_confirmed(&views[0]);
    let first_post = views[0]
        .writes
        .iter()
        .find(|w| w.kind == WriteAction::CreateAddition)
        .unwrap();
    assert_eq!(first_post.attempts, 1);
    assert!(first_post
        .message
        .as_deref()
        .unwrap()
        .contains("not sent again"));
    assert_eq!(sent, (4, 2), "never re-posted");
    assert_exactly_planned(&sim).await;
}

/// Syncs with `rule` striking before the write, then (on a new simulator) after it; each time
/// the agreement ends with exactly the plan, and the writes sent are `(POSTs, PATCHes)`.
async fn before_and_after(
    rule: FaultRule,
    sent_before: (usize, usize),
    sent_after: (usize, usize),
) {
    for (after, expected) in [(false, sent_before), (true, sent_after)] {
        let rule = if after {
            rule.clone().after_apply()
        } else {
            rule.clone()
        };
        let (views, sim, sent) = sync_with(vec![rule]).await;
        assert_eq!(views.len(), 1, "after apply: {after}");
        assert_all_confirmed(&views[0]);
        assert_eq!(sent, expected, "after apply: {after}");
        assert_exactly_planned(&sim).await;
        sim.shutdown();
    }
}

#[tokio::test]
async fn a_timeout_before_and_after_the_write() {
    // Before: the POST is checked, not found, sent again. After: found, not sent again.
    let rule = FaultRule::new(ADDITIONS, FaultKind::Timeout)
        .method("POST")
        .skip(2)
        .times(1);
    before_and_after(rule, (5, 2), (4, 2)).await;
}

#[tokio::test]
async fn a_dropped_connection_before_and_after_the_write() {
    let rule = FaultRule::new(
        "/finance/agreements/4127/additions/",
        FaultKind::DropConnection,
    )
    .method("PATCH")
    .times(1);
    before_and_after(rule, (4, 3), (4, 2)).await;
}

#[tokio::test]
async fn a_429_is_waited_out_and_the_write_sent_once() {
    let (views, sim, sent) = sync_with(vec![FaultRule::new(
        ADDITIONS,
        FaultKind::TooManyRequests {
            retry_after_secs: 1,
        },
    )
    .method("POST")
    .times(2)])
    .await;
    assert_eq!(views.len(), 1);
    assert_all_confirmed(&views[0]);
    assert_eq!(sent, (6, 2), "two refused, then each once");
    assert_exactly_planned(&sim).await;
}

#[tokio::test]
async fn the_network_gone_part_way_then_retry_finishes_without_duplicates() {
    // The third POST is applied but its answer is lost, and the agreement cannot be read to
    // check: the sync stops and says exactly what happened.
    let (views, sim, sent) = sync_with(vec![
        FaultRule::new(ADDITIONS, FaultKind::DropConnection)
            .method("POST")
            .after_apply()
            .skip(2),
        // Every read after the one before the first write fails.
        FaultRule::new(ADDITIONS, FaultKind::ServerError)
            .method("GET")
            .skip(1),
    ])
    .await;
    assert_eq!(views.len(), 2, "stopped, then retried");
    let failed = &views[0];
    assert_eq!(failed.state, SyncState::Failed, "{failed:#?}");
    let states: Vec<WriteState> = failed.writes.iter().map(|w| w.state).collect();
    assert_eq!(
        states,
        [
            WriteState::Confirmed,
            WriteState::Confirmed,
            WriteState::Confirmed,
            WriteState::Confirmed,
            WriteState::Unknown,
            WriteState::Pending
        ]
    );
    assert!(
        failed
            .message
            .as_deref()
            .unwrap()
            .contains("Nothing was sent again"),
        "{failed:?}"
    );
    assert_all_confirmed(&views[1]);
    assert_eq!(sent, (4, 2), "the lost write was found, not re-posted");
    assert_exactly_planned(&sim).await;
}

#[tokio::test]
async fn a_changed_agreement_stops_the_sync_before_any_write() {
    let dir = tempfile::tempdir().unwrap();
    let sim = support::sim().await;
    let (s, id) = reviewed(&dir.path().join("cache.sqlite"), &sim).await;
    // Someone edits an addition in ConnectWise after the review.
    support::connectwise(&sim)
        .patch_addition(
            AGREEMENT,
            30212,
            &[agreement_sync_core::connectwise::wire::PatchOp::number(
                "quantity",
                rust_decimal::Decimal::from(12),
            )],
        )
        .await
        .unwrap();
    sim.clear_requests();
    let v = s.sync_task(id, &|_| {}).await.unwrap();
    assert_eq!(v.state, SyncState::Changed);
    assert!(v.writes.is_empty());
    assert_eq!(v.changes.len(), 1, "{:?}", v.changes);
    assert!(v.changes[0].contains("30212") && v.changes[0].contains("quantity 11 → 12"));
    assert_eq!(writes_sent(&sim), (0, 0), "nothing written");
    assert_eq!(
        s.open_wizard(id).await.unwrap().task.status,
        TaskStatus::Pending
    );

    // Refresh: the review now starts from ConnectWise's 12; Sync goes through.
    let view = s.refresh_agreement(id).await.unwrap();
    let cancel = view
        .plan
        .unwrap()
        .rows
        .into_iter()
        .find(|r| r.existing_addition_id == Some(30212) && r.key.starts_with("cancel"))
        .unwrap();
    assert_eq!(cancel.quantity, "12");
    let v = s.sync_task(id, &|_| {}).await.unwrap();
    assert_all_confirmed(&v);
}

#[tokio::test]
async fn offline_sync_is_refused_and_the_draft_stays() {
    let dir = tempfile::tempdir().unwrap();
    let sim = support::sim().await;
    let (s, id) = reviewed(&dir.path().join("cache.sqlite"), &sim).await;
    let before = s.open_wizard(id).await.unwrap();
    sim.shutdown();
    tokio::time::sleep(Duration::from_millis(100)).await;
    let err = s.sync_task(id, &|_| {}).await.unwrap_err();
    assert!(err.is_offline(), "{err}");
    assert!(err.to_string().contains("Can't reach ConnectWise"), "{err}");
    let after = s.open_wizard(id).await.unwrap();
    assert_eq!(after.plan, before.plan);
    assert_eq!(after.task.status, TaskStatus::Pending);
    assert!(after.history.is_empty());
}

// ---------------------------------------------------------------------------------------------
// The process killed in the middle of a sync. The test binary runs itself as the child process
// (this ignored test, selected by name), which syncs until the parent kills it.

const CHILD_DB: &str = "AGREEMENT_SYNC_TEST_CHILD_DB";
const CHILD_MARKETPLACE: &str = "AGREEMENT_SYNC_TEST_CHILD_MARKETPLACE";
const CHILD_SITE: &str = "AGREEMENT_SYNC_TEST_CHILD_SITE";

#[tokio::test]
#[ignore = "run by killed_mid_sync_* as the process to kill"]
async fn child_syncs_until_killed() {
    let (Ok(db), Ok(mp), Ok(site)) = (
        std::env::var(CHILD_DB),
        std::env::var(CHILD_MARKETPLACE),
        std::env::var(CHILD_SITE),
    ) else {
        return;
    };
    // A patient client: the write held by the simulator keeps it waiting until it is killed.
    let s = support::session_at(Path::new(&db), &mp, &site, Duration::from_secs(300));
    let id = task_id(&s).await;
    let v = s.sync_task(id, &|_| {}).await;
    panic!("the child should have been killed mid-sync, but the sync ended: {v:?}");
}

async fn killed_mid_sync(after_apply: bool) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cache.sqlite");
    let sim = support::sim().await;
    {
        let (_s, _id) = reviewed(&db, &sim).await;
    }
    // The third POST (the fifth write) is held: the child waits on it until it is killed.
    let mut rule = FaultRule::new(ADDITIONS, FaultKind::Timeout)
        .method("POST")
        .skip(2)
        .times(1);
    if after_apply {
        rule = rule.after_apply();
    }
    sim.clear_requests();
    sim.set_faults(vec![rule]);
    let mut child = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "child_syncs_until_killed",
            "--ignored",
            "--nocapture",
        ])
        .env(CHILD_DB, &db)
        .env(CHILD_MARKETPLACE, sim.marketplace_base_url())
        .env(CHILD_SITE, sim.connectwise_site())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    while writes_sent(&sim).0 < 3 {
        assert!(
            std::time::Instant::now() < deadline,
            "the child never reached its third POST"
        );
        assert!(child.try_wait().unwrap().is_none(), "the child ended early");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    child.kill().unwrap();
    child.wait().unwrap();
    sim.set_faults(Vec::new());

    // The next start shows the unfinished sync...
    let s = session(&db, &sim);
    let status = s.status().await.unwrap();
    assert_eq!(status.unfinished_syncs.len(), 1);
    let unfinished = &status.unfinished_syncs[0];
    assert_eq!(unfinished.state, SyncState::Interrupted);
    let states: Vec<WriteState> = unfinished.writes.iter().map(|w| w.state).collect();
    assert_eq!(
        states,
        [
            WriteState::Confirmed,
            WriteState::Confirmed,
            WriteState::Confirmed,
            WriteState::Confirmed,
            WriteState::Sending,
            WriteState::Pending
        ]
    );
    // ... and finishes it, writing each addition exactly once.
    let id = task_id(&s).await;
    let v = s.sync_task(id, &|_| {}).await.unwrap();
    assert_all_confirmed(&v);
    assert!(s.status().await.unwrap().unfinished_syncs.is_empty());
    assert_eq!(writes_sent(&sim), (if after_apply { 4 } else { 5 }, 2));
    assert_exactly_planned(&sim).await;
}

#[tokio::test]
async fn killed_mid_sync_before_the_write_reached_connectwise() {
    killed_mid_sync(false).await;
}

#[tokio::test]
async fn killed_mid_sync_after_the_write_reached_connectwise() {
    killed_mid_sync(true).await;
}
