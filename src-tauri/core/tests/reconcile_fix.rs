//! Fixing drift from Reconcile (SPEC §13): a drift becomes a reconcile-fix task, planned in the
//! same editor, written by the same safe sync (one task, or many through a batch), after which
//! the customer reads In sync and a second reconcile proposes nothing for it.

mod support;

use agreement_sync_core::batch::TaskSelection;
use agreement_sync_core::connectwise::wire::Addition;
use agreement_sync_core::plan::PriceSource;
use agreement_sync_core::reconcile::present::CustomerView;
use agreement_sync_core::view::{
    Outcome, PlanRowView, RowAction, SyncState, WizardEdit, WizardView,
};
use agreement_sync_sim::SimHandle;
use support::checked;

const GREEN_LANE: &str = "1000048531";
const PINECREST: &str = "1000048920";

async fn customer(s: &agreement_sync_core::session::Session, id: &str) -> CustomerView {
    s.reconcile_customer(id.into()).await.unwrap()
}

fn line<'c>(
    c: &'c CustomerView,
    name: &str,
) -> &'c agreement_sync_core::reconcile::present::ProductRow {
    c.products
        .iter()
        .find(|p| p.product_name == name)
        .unwrap_or_else(|| panic!("no product {name}"))
}

fn row<'v>(v: &'v WizardView, key: &str) -> &'v PlanRowView {
    let plan = v.plan.as_ref().expect("a plan");
    plan.rows.iter().find(|r| r.key == key).unwrap_or_else(|| {
        panic!(
            "no row {key}: {:?}",
            plan.rows.iter().map(|r| &r.key).collect::<Vec<_>>()
        )
    })
}

/// The writes a view's plan makes: (key, cancel date, quantity, unit price).
fn writes(v: &WizardView) -> Vec<(String, String, String, String)> {
    let plan = v.plan.as_ref().expect("a plan");
    plan.rows
        .iter()
        .filter(|r| r.selected && r.action != RowAction::Unchanged)
        .map(|r| {
            (
                r.key.clone(),
                r.cancel_date.clone(),
                r.quantity.clone(),
                r.unit_price.clone(),
            )
        })
        .collect()
}

/// The agreement's additions as the simulator holds them, over its API.
async fn additions(sim: &SimHandle, agreement_id: i64) -> Vec<Addition> {
    support::connectwise(sim)
        .additions(agreement_id)
        .await
        .expect("additions")
}

#[tokio::test]
async fn a_duplicate_a_price_and_a_cancelled_subscription_are_fixed_and_read_in_sync() {
    let sim = support::sim().await;
    let s = checked(&sim).await;
    s.reconcile(PriceSource::CloudMarketplace, &|_| {})
        .await
        .unwrap();
    let before = customer(&s, PINECREST).await;
    let exo = line(&before, "Exchange Online (Plan 1)");
    let premium = line(&before, "Microsoft 365 Business Premium");
    let apps = line(&before, "Microsoft 365 Apps for business (annual)");
    let power_bi = line(&before, "Power BI Pro");
    assert_eq!(
        (exo.outcome, premium.outcome, apps.outcome, power_bi.outcome),
        (
            Outcome::Duplicate,
            Outcome::PriceDiffers,
            Outcome::StillBilling,
            Outcome::Unmapped
        )
    );
    assert_eq!(exo.cannot_fix, None);
    assert!(exo.unsynced_orders.is_empty());
    assert_eq!(
        power_bi.cannot_fix.as_deref(),
        Some("Map “Power BI Pro” to a ConnectWise catalog item.")
    );

    // Fix the duplicate alone: one task, planned with the wizard's review.
    let made = s
        .fix_reconcile(PINECREST.into(), vec![exo.line_key.clone()])
        .await
        .unwrap();
    assert_eq!((made.made, made.reused, made.task_ids.len()), (1, 0, 1));
    let dup_task = made.task_ids[0];
    let v = s.open_wizard(dup_task).await.unwrap();
    let fix = v.fix.as_ref().expect("a fix view");
    assert_eq!(fix.label, "Duplicate");
    assert_eq!(
        fix.words,
        "2 active additions (30250, 30251) bill 10 together; the marketplace has 5."
    );
    // Monthly from the 3rd: the next period starts on 3 December, so nothing is prorated.
    assert_eq!(fix.default_effective_date, "2026-12-03");
    assert_eq!(v.task.task_type.as_str(), "reconcileFix");
    assert_eq!(
        v.agreements.as_ref().and_then(|a| a.chosen),
        Some(4151),
        "the agreement holding the additions is chosen"
    );
    assert_eq!(
        writes(&v),
        [(
            "cancel:30251".to_owned(),
            "2026-12-02".to_owned(),
            "5".to_owned(),
            "4.00".to_owned()
        )],
        "the one already right is kept; the other ends with the period"
    );
    let choice = &v.plan.as_ref().unwrap().choices[0];
    assert_eq!(
        (choice.addition_ids.clone(), choice.kept),
        (vec![30250, 30251], Some(30250))
    );
    // The person keeps the other one instead: the first then ends.
    let v = s
        .edit_wizard(
            dup_task,
            WizardEdit::ChooseAddition {
                product_key: exo.product_key.clone(),
                addition_id: 30251,
            },
        )
        .await
        .unwrap();
    assert_eq!(writes(&v)[0].0, "cancel:30250");
    assert!(v.problems.is_empty(), "{:?}", v.problems);

    // Fixing it again opens the same task rather than a second one.
    let again = s
        .fix_reconcile(PINECREST.into(), vec![exo.line_key.clone()])
        .await
        .unwrap();
    assert_eq!(
        (again.made, again.reused, again.task_ids),
        (0, 1, vec![dup_task])
    );
    let shown = customer(&s, PINECREST).await;
    assert_eq!(
        line(&shown, "Exchange Online (Plan 1)").fix_task_ids,
        [dup_task]
    );

    // Fix the rest at once (the unmapped product is named, not made).
    let lines: Vec<String> = [premium, apps, power_bi, exo]
        .iter()
        .map(|p| p.line_key.clone())
        .collect();
    let made = s.fix_reconcile(PINECREST.into(), lines).await.unwrap();
    assert_eq!((made.made, made.reused), (2, 1));
    assert_eq!(made.refused.len(), 1);
    assert_eq!(made.refused[0].product_name, "Power BI Pro");
    let premium_task = made.task_ids[0];
    let apps_task = made.task_ids[1];
    let v = s.open_wizard(premium_task).await.unwrap();
    assert_eq!(
        writes(&v),
        [
            (
                "cancel:30249".to_owned(),
                "2026-12-02".to_owned(),
                "5".to_owned(),
                "20.00".to_owned()
            ),
            (
                "add:CFQ7TTC0LCHC:0002_P1M".to_owned(),
                String::new(),
                "5".to_owned(),
                "22.00".to_owned()
            ),
        ]
    );
    assert_eq!(
        row(&v, "add:CFQ7TTC0LCHC:0002_P1M").effective_date,
        "2026-12-03"
    );
    let v = s.open_wizard(apps_task).await.unwrap();
    // Yearly from 10 June, billed in advance: the licences end with the invoiced year.
    assert_eq!(v.fix.as_ref().unwrap().default_effective_date, "2027-06-10");
    assert!(v.fix.as_ref().unwrap().ends_only);
    assert_eq!(
        writes(&v),
        [(
            "cancel:30252".to_owned(),
            "2027-06-09".to_owned(),
            "2".to_owned(),
            "99.00".to_owned()
        )]
    );
    assert_eq!(v.agreements.as_ref().and_then(|a| a.chosen), Some(4152));

    // The three go through the batch board and its sync.
    let board = s
        .open_batch(TaskSelection::Ids {
            ids: made.task_ids.clone(),
        })
        .await
        .unwrap();
    assert_eq!(board.rows.len(), 3);
    assert!(
        board.rows.iter().all(|r| r.attention.is_empty()),
        "{:?}",
        board.rows.iter().map(|r| &r.attention).collect::<Vec<_>>()
    );
    let result = s.sync_batch(board.batch_id, &|_| {}).await.unwrap();
    assert_eq!(result.synced, 3, "{result:?}");

    // The simulator's agreements hold exactly the fixes.
    let monthly = additions(&sim, 4151).await;
    let by_id = |id: i64| monthly.iter().find(|a| a.id == id).unwrap();
    assert_eq!(
        by_id(30250)
            .cancelled_date
            .map(|d| d.date_naive().to_string()),
        Some("2026-12-02".to_owned())
    );
    assert_eq!(by_id(30251).cancelled_date, None);
    assert_eq!(
        by_id(30249)
            .cancelled_date
            .map(|d| d.date_naive().to_string()),
        Some("2026-12-02".to_owned())
    );
    let new: Vec<&Addition> = monthly.iter().filter(|a| a.id > 30252).collect();
    assert_eq!(new.len(), 1, "{new:?}");
    assert_eq!(
        (
            new[0].product.id,
            new[0].quantity,
            new[0].unit_price.map(|p| p.normalize().to_string()),
            new[0].effective_date.map(|d| d.date_naive().to_string()),
            new[0].cancelled_date
        ),
        (
            611,
            Some(rust_decimal::Decimal::from(5)),
            Some("22".to_owned()),
            Some("2026-12-03".to_owned()),
            None
        )
    );
    let annual = additions(&sim, 4152).await;
    assert_eq!(
        annual[0].cancelled_date.map(|d| d.date_naive().to_string()),
        Some("2027-06-09".to_owned())
    );
    assert_eq!(annual.len(), 1);

    // Compared again from the cache: in sync but for the unmapped product. The cancelled
    // subscription's licences now end with their invoiced year, so it has nothing left to show.
    s.recompare(PriceSource::CloudMarketplace).await.unwrap();
    let after = customer(&s, PINECREST).await;
    let outcomes: Vec<(&str, Outcome)> = after
        .products
        .iter()
        .map(|p| (p.product_name.as_str(), p.outcome))
        .collect();
    assert_eq!(
        outcomes,
        [
            ("Exchange Online (Plan 1)", Outcome::InSync),
            ("Microsoft 365 Business Premium", Outcome::InSync),
            ("Power BI Pro", Outcome::Unmapped),
        ]
    );
    assert!(after.products.iter().all(|p| p.fix_task_ids.is_empty()));

    // A second reconcile, read afresh from both services, proposes nothing more.
    s.reconcile(PriceSource::CloudMarketplace, &|_| {})
        .await
        .unwrap();
    let second = customer(&s, PINECREST).await;
    assert_eq!(
        second
            .products
            .iter()
            .filter(|p| p.cannot_fix.is_none())
            .count(),
        0,
        "{:?}",
        second.products
    );
    let nothing = s
        .fix_reconcile(
            PINECREST.into(),
            vec![line(&second, "Microsoft 365 Business Premium")
                .line_key
                .clone()],
        )
        .await
        .unwrap();
    assert!(nothing.task_ids.is_empty());
    assert_eq!(
        nothing.refused[0].message,
        "Microsoft 365 Business Premium is in sync: nothing to fix."
    );
}

#[tokio::test]
async fn a_quantity_fixed_from_today_is_prorated_on_request_and_synced_alone() {
    let sim = support::sim().await;
    let s = checked(&sim).await;
    s.reconcile(PriceSource::CloudMarketplace, &|_| {})
        .await
        .unwrap();
    let c = customer(&s, GREEN_LANE).await;
    let exo = line(&c, "Exchange Online (Plan 1)");
    assert_eq!(exo.outcome, Outcome::QuantityDiffers);
    assert_eq!(exo.words, "ConnectWise bills 11, the marketplace has 9.");
    // Green Lane's change order is not synced yet: syncing it may be the fix, and the line says so.
    assert_eq!(exo.unsynced_orders, ["Change Order 1000231"]);
    let made = s
        .fix_reconcile(GREEN_LANE.into(), vec![exo.line_key.clone()])
        .await
        .unwrap();
    let task = made.task_ids[0];
    let v = s.open_wizard(task).await.unwrap();
    let default_rows = writes(&v);
    assert_eq!(default_rows.len(), 2, "{default_rows:?}");
    assert!(
        v.plan
            .as_ref()
            .unwrap()
            .rows
            .iter()
            .all(|r| r.action != RowAction::Prorate),
        "from the next period's start nothing is prorated"
    );

    // Proration on request: effective today, the rest of the period is credited for 2.
    let v = s
        .edit_wizard(
            task,
            WizardEdit::SetEffectiveDate {
                value: "2026-11-24".into(),
            },
        )
        .await
        .unwrap();
    let prorate = v
        .plan
        .as_ref()
        .unwrap()
        .rows
        .iter()
        .find(|r| r.action == RowAction::Prorate)
        .expect("a prorate row");
    assert_eq!(prorate.quantity, "-2");
    assert_eq!(prorate.effective_date, "2026-11-24");
    assert!(v.problems.is_empty(), "{:?}", v.problems);
    let summary = &v.plan.as_ref().unwrap().summary;
    assert!(summary.ready);
    let done = s.sync_task(task, &|_| {}).await.unwrap();
    assert_eq!(done.state, SyncState::Synced, "{:?}", done.message);

    s.recompare(PriceSource::CloudMarketplace).await.unwrap();
    let after = customer(&s, GREEN_LANE).await;
    assert_eq!(
        line(&after, "Exchange Online (Plan 1)").outcome,
        Outcome::InSync
    );
}

#[tokio::test]
async fn a_missing_product_is_added_and_fixes_are_drafts_offline() {
    let sim = support::sim().await;
    let s = checked(&sim).await;
    s.reconcile(PriceSource::CloudMarketplace, &|_| {})
        .await
        .unwrap();
    let c = customer(&s, "1000048617").await;
    let defender = line(&c, "Microsoft Defender for Business");
    assert_eq!(defender.outcome, Outcome::MissingInConnectWise);

    // Offline: the fix is made and reviewed from the cache; only Sync needs a connection.
    let store = s.store().clone();
    sim.shutdown();
    drop(s);
    let offline = support::session(&sim, store);
    let made = offline
        .fix_reconcile("1000048617".into(), vec![defender.line_key.clone()])
        .await
        .unwrap();
    let task = made.task_ids[0];
    let v = offline.open_wizard(task).await.unwrap();
    // Northwind has two fitting agreements and neither bills it yet: the person chooses.
    let fitting: Vec<i64> = v
        .agreements
        .as_ref()
        .unwrap()
        .options
        .iter()
        .filter(|o| o.fits)
        .map(|o| o.id)
        .collect();
    assert_eq!(fitting.len(), 2, "{fitting:?}");
    assert_eq!(v.problems[0].message, "Choose the agreement to change.");
    let v = offline
        .edit_wizard(
            task,
            WizardEdit::ChooseAgreement {
                agreement_id: fitting[0],
            },
        )
        .await
        .unwrap();
    assert!(v.problems.is_empty(), "{:?}", v.problems);
    let adds = writes(&v);
    assert_eq!(adds.len(), 1, "{adds:?}");
    assert!(adds[0].0.starts_with("add:"), "{adds:?}");
    assert_eq!(adds[0].2, "40");
    let err = offline.sync_task(task, &|_| {}).await.unwrap_err();
    assert!(err.is_offline(), "{err}");
}

/// Forgets what the cache holds of an agreement's additions, as for a customer mapped while
/// ConnectWise could not be reached.
fn forget_additions(s: &agreement_sync_core::session::Session, agreement_id: i64) {
    s.store()
        .with(|c| {
            c.execute(
                "DELETE FROM cw_additions WHERE agreement_id = ?1",
                [agreement_id],
            )?;
            c.execute(
                "DELETE FROM cw_additions_read WHERE agreement_id = ?1",
                [agreement_id],
            )?;
            Ok(())
        })
        .unwrap();
}

#[tokio::test]
async fn a_fix_whose_additions_are_not_read_reads_them_itself_online_and_offline_says_so_plainly() {
    let sim = support::sim().await;
    let s = checked(&sim).await;
    s.reconcile(PriceSource::CloudMarketplace, &|_| {})
        .await
        .unwrap();
    let before = customer(&s, PINECREST).await;
    let exo = line(&before, "Exchange Online (Plan 1)");
    let made = s
        .fix_reconcile(PINECREST.into(), vec![exo.line_key.clone()])
        .await
        .unwrap();
    let id = made.task_ids[0];

    // Online: the review reads the agreement's additions itself and plans the fix.
    forget_additions(&s, 4151);
    let v = s.open_wizard(id).await.unwrap();
    assert!(v.plan.is_some(), "{:?}", v.problems);
    assert!(
        v.problems.iter().all(|p| !p.message.contains("connect")),
        "{:?}",
        v.problems
    );
    assert!(!writes(&v).is_empty(), "the duplicate's fix is planned");

    // ConnectWise answers with something else than the additions: the review says it could
    // not read them, naming the agreement and why.
    forget_additions(&s, 4151);
    sim.set_faults(vec![agreement_sync_sim::FaultRule::new(
        "agreements/4151/additions",
        agreement_sync_sim::FaultKind::WebPage,
    )
    .method("GET")]);
    let v = s.open_wizard(id).await.unwrap();
    sim.set_faults(Vec::new());
    assert!(v.plan.is_none());
    let problem = v
        .problems
        .iter()
        .find(|p| p.message.contains("Pinecrest - Microsoft 365"))
        .unwrap_or_else(|| panic!("{:?}", v.problems));
    assert!(
        problem.message.starts_with(
            "The additions of “Pinecrest - Microsoft 365” could not be read from ConnectWise: \
             ConnectWise answered with a web page instead of data"
        ),
        "{}",
        problem.message
    );

    // Offline: it says they are not read yet, never to connect.
    forget_additions(&s, 4151);
    sim.shutdown();
    let v = s.open_wizard(id).await.unwrap();
    assert!(v.plan.is_none());
    let problem = v
        .problems
        .iter()
        .find(|p| p.message.contains("Pinecrest - Microsoft 365"))
        .unwrap_or_else(|| panic!("{:?}", v.problems));
    assert_eq!(
        problem.message,
        "The additions of “Pinecrest - Microsoft 365” are not read yet: they are read as soon as ConnectWise can be reached (open this task again then)."
    );
}
