//! Many desks, one ConnectWise (SPEC §15), against the simulator: two sessions with two data
//! folders on one world, as two computers of one billing team. Green Lane's change order synced
//! on one desk is recognised on the other by the keys its additions carry, and never billed twice
//! — after a full sync, when both press Sync at the same moment, when one dies part-way, and
//! beside additions without a key (a twin written by hand, another integration's mark).

mod support;

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use agreement_sync_core::connectwise::wire::{Addition, NewAddition, PatchOp, ProductId};
use agreement_sync_core::session::Session;
use agreement_sync_core::task::TaskStatus;
use agreement_sync_core::view::{
    FoundKind, PlanRowView, RowAction, SyncState, WizardEdit, WizardView, WriteState,
};
use agreement_sync_sim::{FaultKind, FaultRule, SimHandle};
use chrono::NaiveDate;
use rust_decimal::Decimal;

const GREEN_LANE_CHANGE: &str = "1000231";
const AGREEMENT: i64 = 4127;
const ADDITIONS: &str = "/finance/agreements/4127/additions";
const KEY_FIELD: &str = "Agreement Sync Key";

fn desk(dir: &Path, sim: &SimHandle, key_field: Option<&str>) -> Session {
    support::session_keyed(
        &dir.join("cache.sqlite"),
        &sim.marketplace_base_url(),
        &sim.connectwise_site(),
        Duration::from_secs(2),
        key_field,
    )
}

/// A desk's Check Changes, then Green Lane's task reviewed as a person accepting the suggestions.
async fn reviewed(s: &Session) -> (i64, WizardView) {
    s.check_changes(&|_| {}).await.unwrap();
    let id = support::task_id(s, GREEN_LANE_CHANGE).await;
    let v = support::accept_suggestions(s, id).await;
    assert!(v.problems.is_empty(), "{:?}", v.problems);
    (id, v)
}

fn rows(v: &WizardView) -> &[PlanRowView] {
    &v.plan.as_ref().expect("a plan").rows
}

fn found(v: &WizardView) -> Vec<(String, Option<FoundKind>)> {
    rows(v)
        .iter()
        .filter(|r| r.action != RowAction::Unchanged)
        .map(|r| (r.key.clone(), r.found.as_ref().map(|f| f.kind)))
        .collect()
}

/// (POSTs, PATCHes, DELETEs) the simulator received for the agreement's additions.
fn writes_sent(sim: &SimHandle) -> (usize, usize, usize) {
    let r = sim.requests();
    let count = |m: &str| {
        r.iter()
            .filter(|q| q.method == m && q.path.contains(ADDITIONS))
            .count()
    };
    (count("POST"), count("PATCH"), count("DELETE"))
}

async fn additions(sim: &SimHandle) -> Vec<Addition> {
    support::connectwise(sim)
        .additions(AGREEMENT)
        .await
        .unwrap()
}

/// The agreement's additions as a multiset of what bears on the invoice.
async fn agreement_state(sim: &SimHandle) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    for a in additions(sim).await {
        *out.entry(support::essence(&a)).or_insert(0) += 1;
    }
    out
}

/// What the agreement holds after one desk synced Green Lane with no fault.
async fn one_desk_state() -> BTreeMap<String, usize> {
    let dir = tempfile::tempdir().unwrap();
    let sim = support::sim().await;
    let a = desk(dir.path(), &sim, None);
    let (id, _) = reviewed(&a).await;
    let v = a.sync_task(id, &|_| {}).await.unwrap();
    assert_eq!(v.state, SyncState::Synced, "{:?}", v.message);
    agreement_state(&sim).await
}

#[tokio::test]
async fn an_order_synced_on_one_desk_is_already_in_connectwise_on_the_other() {
    let (dir_a, dir_b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let sim = support::sim().await;
    let a = desk(dir_a.path(), &sim, None);
    let (id_a, before) = reviewed(&a).await;
    let synced = a.sync_task(id_a, &|_| {}).await.unwrap();
    assert_eq!(synced.state, SyncState::Synced);
    let expected = agreement_state(&sim).await;

    // Every addition desk A created carries its key in serialNumber, written with the POST.
    let keyed: Vec<String> = additions(&sim)
        .await
        .iter()
        .filter_map(|a| a.serial_number.clone())
        .filter(|s| s.starts_with("AS1:1000231:"))
        .collect();
    assert_eq!(keyed.len(), 4, "{keyed:?}");
    assert!(keyed.iter().all(|k| k.len() <= 50));

    // Desk B, another computer with its own cache, gets the same order as a task...
    let b = desk(dir_b.path(), &sim, None);
    let (id_b, v) = reviewed(&b).await;
    let plan = v.plan.as_ref().unwrap();
    assert!(plan.summary.writes.is_empty(), "{:?}", plan.summary.writes);
    assert_eq!(plan.summary.written.len(), 6);
    let already = plan
        .summary
        .already
        .as_deref()
        .expect("already in ConnectWise");
    assert!(already.starts_with("Already in ConnectWise"), "{already}");
    assert!(plan.summary.ready, "Sync closes the task as synced");
    // The same task, the same amounts: what it does to the agreement, as desk A saw it.
    let amounts = |s: &agreement_sync_core::view::PlanSummary| {
        (
            s.recurring_before.clone(),
            s.recurring_after.clone(),
            s.prorated.clone(),
            s.one_time.clone(),
        )
    };
    assert_eq!(
        amounts(&plan.summary),
        amounts(&before.plan.as_ref().unwrap().summary)
    );
    for (key, kind) in found(&v) {
        assert!(
            matches!(kind, Some(FoundKind::Keyed | FoundKind::AsPlanned)),
            "{key}: {kind:?}"
        );
    }

    // ... and its Sync sends nothing, closes the task as synced, and says why.
    sim.clear_requests();
    let v = b.sync_task(id_b, &|_| {}).await.unwrap();
    assert_eq!(writes_sent(&sim), (0, 0, 0));
    assert_eq!(v.state, SyncState::AlreadyInConnectWise);
    assert!(v
        .message
        .as_deref()
        .unwrap()
        .contains("Already in ConnectWise"));
    assert!(v
        .writes
        .iter()
        .all(|w| w.state == WriteState::Confirmed && w.addition_id.is_some()));
    let task = b.open_wizard(id_b).await.unwrap().task;
    assert_eq!(task.status, TaskStatus::Synced);
    // Syncing it again still writes nothing.
    let again = b.sync_task(id_b, &|_| {}).await.unwrap();
    assert_eq!(
        again.state,
        SyncState::NothingToWrite,
        "{:?}",
        again.message
    );
    assert_eq!(writes_sent(&sim), (0, 0, 0));
    assert_eq!(agreement_state(&sim).await, expected);
}

#[tokio::test]
async fn two_desks_pressing_sync_at_the_same_moment_end_with_one_set() {
    let expected = one_desk_state().await;
    let (dir_a, dir_b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let sim = support::sim().await;
    let a = desk(dir_a.path(), &sim, None);
    let b = desk(dir_b.path(), &sim, None);
    let (id_a, _) = reviewed(&a).await;
    let (id_b, _) = reviewed(&b).await;
    sim.clear_requests();
    // The two desks' first creates reach ConnectWise together.
    sim.hold_creates(2);
    let (va, vb) = tokio::join!(a.sync_task(id_a, &|_| {}), b.sync_task(id_b, &|_| {}));
    let (va, vb) = (va.unwrap(), vb.unwrap());
    for v in [&va, &vb] {
        assert_eq!(v.state, SyncState::Synced, "{:?}", v.message);
    }
    assert_eq!(agreement_state(&sim).await, expected, "exactly one set");
    // Each desk's result says what it found: one kept its addition, the other removed its copy.
    let said: Vec<String> = va
        .writes
        .iter()
        .chain(&vb.writes)
        .filter_map(|w| w.message.clone())
        .filter(|m| m.contains("Another desk"))
        .collect();
    assert!(
        said.iter().any(|m| m.contains("was removed")),
        "{said:?}\n{va:?}\n{vb:?}"
    );
    assert!(said.iter().any(|m| m.contains("stays")), "{said:?}");
    let (_, _, deletes) = writes_sent(&sim);
    assert!(deletes >= 1);
    // Both desks point at the same additions.
    let ids = |v: &agreement_sync_core::view::SyncView| {
        let mut ids: Vec<i64> = v.writes.iter().filter_map(|w| w.addition_id).collect();
        ids.sort();
        ids
    };
    assert_eq!(ids(&va), ids(&vb));
}

#[tokio::test]
async fn a_desk_that_dies_part_way_is_finished_by_the_other_and_then_finds_nothing_to_do() {
    let expected = one_desk_state().await;
    let (dir_a, dir_b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let sim = support::sim().await;
    {
        let a = desk(dir_a.path(), &sim, None);
        let (id_a, _) = reviewed(&a).await;
        // Desk A's third create hangs, and desk A dies while it waits.
        sim.set_faults(vec![FaultRule::new(ADDITIONS, FaultKind::Timeout)
            .method("POST")
            .skip(2)
            .times(1)]);
        let died = tokio::time::timeout(Duration::from_millis(1500), a.sync_task(id_a, &|_| {}));
        assert!(died.await.is_err(), "desk A was still writing");
        sim.set_faults(Vec::new());
    }
    let (posts_by_a, patches_by_a, _) = writes_sent(&sim);
    assert_eq!(posts_by_a, 3, "two creates done, the third hung");

    // Desk B plans only what is missing and says which writes exist.
    let b = desk(dir_b.path(), &sim, None);
    let (id_b, v) = reviewed(&b).await;
    let summary = &v.plan.as_ref().unwrap().summary;
    assert_eq!(summary.writes.len(), 2, "{:?}", summary.writes);
    assert_eq!(summary.written.len(), 4, "{:?}", summary.written);
    assert!(summary.already.is_none());
    sim.clear_requests();
    let v = b.sync_task(id_b, &|_| {}).await.unwrap();
    assert_eq!(v.state, SyncState::Synced, "{:?}", v.message);
    assert_eq!(writes_sent(&sim), (2, 0, 0), "only the missing creates");
    assert_eq!(agreement_state(&sim).await, expected);
    assert!(patches_by_a == 2);

    // Desk A starts again: its unfinished sync finishes with nothing sent.
    let a = desk(dir_a.path(), &sim, None);
    let unfinished = a.status().await.unwrap().unfinished_syncs;
    assert_eq!(unfinished.len(), 1);
    sim.clear_requests();
    let id_a = support::task_id(&a, GREEN_LANE_CHANGE).await;
    let v = a.sync_task(id_a, &|_| {}).await.unwrap();
    assert_eq!(v.state, SyncState::Synced, "{:?}", v.message);
    assert_eq!(writes_sent(&sim), (0, 0, 0));
    assert_eq!(agreement_state(&sim).await, expected);
}

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

fn number(text: &str) -> Decimal {
    text.parse().unwrap()
}

#[tokio::test]
async fn an_unkeyed_twin_of_a_prorate_is_named_and_starts_unselected_and_a_foreign_mark_stays() {
    let dir = tempfile::tempdir().unwrap();
    let sim = support::sim().await;
    let s = desk(dir.path(), &sim, None);
    let (id, v) = reviewed(&s).await;
    let prorate = rows(&v)
        .iter()
        .find(|r| r.action == RowAction::Prorate && r.quantity.parse::<Decimal>().is_ok())
        .expect("a prorate row")
        .clone();
    let product = v
        .plan
        .as_ref()
        .unwrap()
        .products
        .iter()
        .find(|p| p.product_key == prorate.product_key)
        .and_then(|p| p.catalog.as_ref().map(|c| c.id))
        .expect("its catalog item");
    // The same prorate, written by hand (or by another integration that marks serial numbers).
    let twin = support::connectwise(&sim)
        .create_addition(
            AGREEMENT,
            &NewAddition {
                product: ProductId { id: product },
                bill_customer: "Billable".into(),
                quantity: number(&prorate.quantity),
                unit_price: number(&prorate.unit_price),
                unit_cost: Decimal::ZERO,
                effective_date: day(&prorate.effective_date),
                cancelled_date: Some(day(&prorate.cancel_date)),
                taxable_flag: false,
                invoice_description: "by hand".into(),
                serial_number: Some("Cloudconsole".into()),
                custom_fields: Vec::new(),
            },
        )
        .await
        .unwrap();
    let v = s.refresh_agreement(id).await.unwrap();
    let row = rows(&v).iter().find(|r| r.key == prorate.key).unwrap();
    let f = row.found.as_ref().expect("the twin is named");
    assert_eq!((f.kind, f.addition_id), (FoundKind::Twin, twin.id));
    assert!(
        f.words
            .contains(&format!("identical one-time addition {}", twin.id)),
        "{}",
        f.words
    );
    assert!(!row.selected, "the row starts unselected");
    let summary = &v.plan.as_ref().unwrap().summary;
    assert!(summary.writes.iter().all(|w| w.row_key != prorate.key));

    // A person may still add it: selecting the row makes it a write again.
    let select = |selected| WizardEdit::SelectRow {
        row_key: prorate.key.clone(),
        selected,
    };
    let v = s.edit_wizard(id, select(true)).await.unwrap();
    let writes = &v.plan.as_ref().unwrap().summary.writes;
    assert!(writes.iter().any(|w| w.row_key == prorate.key));
    s.edit_wizard(id, select(false)).await.unwrap();

    sim.clear_requests();
    let done = s.sync_task(id, &|_| {}).await.unwrap();
    assert_eq!(done.state, SyncState::Synced, "{:?}", done.message);
    let after = additions(&sim).await;
    let kept = after
        .iter()
        .find(|a| a.id == twin.id)
        .expect("the twin stays");
    assert_eq!(kept.serial_number.as_deref(), Some("Cloudconsole"));
    assert_eq!(
        after
            .iter()
            .filter(|a| support::essence(a) == support::essence(kept))
            .count(),
        1,
        "the prorate is billed once"
    );
}

#[tokio::test]
async fn a_cancel_date_set_elsewhere_to_another_day_is_a_conflict_not_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let sim = support::sim().await;
    let s = desk(dir.path(), &sim, None);
    let (id, v) = reviewed(&s).await;
    let cancel = rows(&v)
        .iter()
        .find(|r| r.action == RowAction::Cancel)
        .expect("a cancel row")
        .clone();
    let addition = cancel.existing_addition_id.unwrap();
    // After the pinned today, so ConnectWise still shows the addition active.
    let elsewhere = day(&cancel.cancel_date) + chrono::Days::new(20);
    support::connectwise(&sim)
        .patch_addition(
            AGREEMENT,
            addition,
            &[PatchOp::date("cancelledDate", Some(elsewhere))],
        )
        .await
        .unwrap();
    let v = s.refresh_agreement(id).await.unwrap();
    let row = rows(&v)
        .iter()
        .find(|r| r.key == cancel.key)
        .unwrap_or_else(|| panic!("{:#?}\n{:?}", rows(&v), v.problems));
    let f = row.found.as_ref().expect("the conflict is shown");
    assert_eq!(f.kind, FoundKind::Conflict);
    assert!(f.words.contains(&elsewhere.to_string()), "{}", f.words);
    assert!(!row.selected);
    let done = s.sync_task(id, &|_| {}).await.unwrap();
    assert_eq!(done.state, SyncState::Synced, "{:?}", done.message);
    let now = additions(&sim).await;
    let kept = now.iter().find(|a| a.id == addition).unwrap();
    assert_eq!(
        kept.cancelled_date.map(|d| d.date_naive()),
        Some(elsewhere),
        "not overwritten"
    );
}

#[tokio::test]
async fn keys_go_in_the_named_custom_field_and_are_recognised_by_a_desk_that_names_none() {
    let expected = one_desk_state().await;
    let (dir_a, dir_b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let sim = support::sim().await;
    sim.set_addition_custom_field(KEY_FIELD, "Text").unwrap();
    let a = desk(dir_a.path(), &sim, Some(KEY_FIELD));
    let (id_a, _) = reviewed(&a).await;
    sim.clear_requests();
    let v = a.sync_task(id_a, &|_| {}).await.unwrap();
    assert_eq!(v.state, SyncState::Synced, "{:?}", v.message);
    // The key went with each POST (no write after it), in the custom field, not in serialNumber.
    assert_eq!(writes_sent(&sim), (4, 2, 0));
    let created: Vec<Addition> = additions(&sim)
        .await
        .into_iter()
        .filter(|a| {
            a.custom_fields.iter().any(|f| {
                f.value
                    .as_deref()
                    .is_some_and(|v| v.starts_with("AS1:1000231:"))
            })
        })
        .collect();
    assert_eq!(created.len(), 4);
    assert!(created
        .iter()
        .all(|a| a.serial_number.as_deref().unwrap_or("").is_empty()));

    let b = desk(dir_b.path(), &sim, None);
    let (id_b, v) = reviewed(&b).await;
    assert!(v.plan.as_ref().unwrap().summary.already.is_some());
    sim.clear_requests();
    let v = b.sync_task(id_b, &|_| {}).await.unwrap();
    assert_eq!(v.state, SyncState::AlreadyInConnectWise);
    assert_eq!(writes_sent(&sim), (0, 0, 0));
    assert_eq!(agreement_state(&sim).await, expected);
}

#[tokio::test]
async fn the_board_shows_a_task_already_written_elsewhere_as_its_own_state_and_reconcile_names_it()
{
    let (dir_a, dir_b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let sim = support::sim().await;
    let a = desk(dir_a.path(), &sim, None);
    let (id_a, _) = reviewed(&a).await;
    a.sync_task(id_a, &|_| {}).await.unwrap();

    let b = desk(dir_b.path(), &sim, None);
    let (id_b, _) = reviewed(&b).await;
    let board = b
        .open_batch(agreement_sync_core::batch::TaskSelection::Ids { ids: vec![id_b] })
        .await
        .unwrap();
    let row = &board.rows[0];
    assert!(!row.ready, "not Ready");
    assert!(row.attention.is_empty(), "{:?}", row.attention);
    assert_eq!(row.written, 6);
    assert!(row
        .already
        .as_deref()
        .unwrap()
        .starts_with("Already in ConnectWise"));
    assert_eq!((board.ready, board.already), (0, 1));
    sim.clear_requests();
    let result = b.sync_batch(board.batch_id, &|_| {}).await.unwrap();
    assert_eq!(result.synced, 1, "{}", result.message);
    assert_eq!(writes_sent(&sim), (0, 0, 0));

    // Reconcile says what each of desk A's additions was written for, on either desk.
    let customer = row.task.customer_id.clone();
    b.reconcile(
        agreement_sync_core::plan::PriceSource::CloudMarketplace,
        &|_| {},
    )
    .await
    .unwrap();
    let view = b.reconcile_customer(customer).await.unwrap();
    let written: Vec<String> = view
        .products
        .iter()
        .flat_map(|p| p.connectwise.additions.iter())
        .filter_map(|a| a.written_for.clone())
        .collect();
    assert!(
        written.iter().any(|w| w.starts_with(
            "written by Agreement Sync for Change Order 1000231 (the recurring addition) on "
        )),
        "{written:?}"
    );
}
