//! The invoice calendar (SPEC §16) against the simulator, which invoices agreements on its own
//! (it shares no code with core): for each task type, with the invoiced boundary before, on and
//! after the effective date, ConnectWise's proration off and on, the task is reviewed, synced,
//! and the simulator's next invoice run is read back. Its invoice equals the "next invoice" the
//! Summary showed before Sync, line for line; with proration off nothing the app wrote is dated
//! wholly inside an invoiced period; and the app never wrote an invoice.

mod support;

use agreement_sync_core::calendar;
use agreement_sync_core::period;
use agreement_sync_core::session::Session;
use agreement_sync_core::view::{InvoiceView, RowAction, SyncState, WizardEdit, WizardView};
use agreement_sync_sim::SimHandle;
use chrono::NaiveDate;
use rust_decimal::Decimal;

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// Where the invoiced boundary stands against the effective date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Boundary {
    /// The period of the effective date is not invoiced.
    Before,
    /// The effective date is moved to the first day of the next period, the boundary.
    On,
    /// The period of the effective date is invoiced already.
    After,
}

struct Case {
    order: &'static str,
    agreement: u64,
    boundary: Boundary,
    prorates: bool,
}

/// The agreement's billing period containing `date`, as ConnectWise counts it.
async fn period_of(sim: &SimHandle, agreement: u64, date: NaiveDate) -> period::Span {
    let a = support::connectwise(sim)
        .agreement(agreement as i64)
        .await
        .unwrap();
    let cycle = calendar::cycle_period(&a.billing_cycle.unwrap().name).unwrap();
    let anchor = a.bill_start_date.unwrap();
    period::checked_period_containing(anchor, cycle, date).unwrap()
}

fn amounts(lines: impl Iterator<Item = Decimal>) -> Vec<Decimal> {
    let mut v: Vec<Decimal> = lines.filter(|a| !a.is_zero()).collect();
    v.sort();
    v
}

fn dec(text: &str) -> Decimal {
    text.parse().unwrap()
}

fn panel(v: &WizardView) -> &InvoiceView {
    &v.plan
        .as_ref()
        .expect("a plan")
        .summary
        .next_invoice
        .as_ref()
        .expect("the next invoice is shown")
        .after
}

/// Reviews the case's task as a person accepting the plan, with the boundary placed; returns the
/// session, the task, the reviewed view and the boundary.
async fn reviewed(sim: &SimHandle, c: &Case) -> (Session, i64, WizardView, NaiveDate) {
    // The task's effective date, from a first look.
    let first = support::checked(sim).await;
    let id = support::task_id(&first, c.order).await;
    let v = first.open_wizard(id).await.unwrap();
    let effective: NaiveDate = v.plan.as_ref().unwrap().effective_date.parse().unwrap();
    let span = period_of(sim, c.agreement, effective).await;
    let boundary = match c.boundary {
        Boundary::Before => span.start,
        Boundary::On | Boundary::After => span.end_exclusive,
    };
    // ConnectWise as the desk finds it: the calendar placed, its proration set.
    assert!(sim.set_agreement_calendar(c.agreement, Some(boundary), c.prorates));
    let s = support::checked(sim).await;
    let id = support::task_id(&s, c.order).await;
    support::map_the_rest(&s, id).await;
    if c.boundary == Boundary::On {
        s.edit_wizard(
            id,
            WizardEdit::SetEffectiveDate {
                value: boundary.to_string(),
            },
        )
        .await
        .unwrap();
    }
    // Opening the task again reads the calendar as a review does.
    let v = s.open_wizard(id).await.unwrap();
    assert!(v.problems.is_empty(), "{}: {:?}", c.order, v.problems);
    (s, id, v, boundary)
}

async fn run(c: Case) {
    let sim = support::sim().await;
    let (s, id, v, boundary) = reviewed(&sim, &c).await;
    let what = format!(
        "{} on {} ({:?}, proration {})",
        c.order, c.agreement, c.boundary, c.prorates
    );
    let plan = v.plan.as_ref().unwrap();
    assert_eq!(
        plan.calendar.invoiced_through.as_deref(),
        boundary.pred_opt().map(|d| d.to_string()).as_deref(),
        "{what}: {}",
        plan.calendar.words
    );
    let shown = panel(&v).clone();
    let synced = s.sync_task(id, &|_| {}).await.unwrap();
    assert_eq!(
        synced.state,
        SyncState::Synced,
        "{what}: {:?}",
        synced.message
    );

    // The simulator's invoice for the period at the boundary, read back over its API.
    let invoices = sim.invoice_run(boundary, Some(c.agreement));
    let invoice = invoices
        .iter()
        .find(|i| i["date"] == boundary.to_string())
        .unwrap_or_else(|| panic!("{what}: no invoice on {boundary}: {invoices:?}"));
    let lines = invoice["lines"].as_array().unwrap();
    assert_eq!(
        dec(invoice["total"].as_str().unwrap()),
        dec(&shown.total),
        "{what}: the invoice {invoice:#} against the panel {shown:#?}"
    );
    assert_eq!(
        amounts(lines.iter().map(|l| dec(l["amount"].as_str().unwrap()))),
        amounts(shown.lines.iter().map(|l| dec(&l.amount))),
        "{what}: every charge once, line for line"
    );

    // With ConnectWise's proration off nothing the app wrote lies wholly inside an invoiced
    // period (it would never be billed); with it on, what lies there is billed back.
    for a in sim.additions_of(c.agreement) {
        let key = a["serialNumber"].as_str().unwrap_or_default();
        if !key.starts_with("AS1:") {
            continue;
        }
        let day = |f: &str| a[f].as_str().map(|t| t[..10].parse::<NaiveDate>().unwrap());
        let (effective, cancel) = (day("effectiveDate").unwrap(), day("cancelledDate"));
        if !c.prorates {
            assert!(
                effective >= boundary,
                "{what}: {key} starts {effective}, inside the invoiced periods"
            );
        }
        if let Some(cancel) = cancel.filter(|_| !c.prorates) {
            assert!(
                cancel >= boundary.pred_opt().unwrap(),
                "{what}: {key} ends {cancel}"
            );
        }
    }
    // The app never creates, changes or deletes an invoice.
    let invoice_writes: Vec<String> = sim
        .requests()
        .iter()
        .filter(|r| {
            r.path.contains("/finance/invoices") && r.method != "GET"
                || r.path.ends_with("/invoice") && r.method == "POST"
        })
        .map(|r| format!("{} {}", r.method, r.path))
        .collect();
    assert!(invoice_writes.is_empty(), "{what}: {invoice_writes:?}");
}

macro_rules! cases {
    ($($name:ident: $order:expr, $agreement:expr, $boundary:ident, $prorates:expr;)*) => {$(
        #[tokio::test]
        async fn $name() {
            run(Case {
                order: $order,
                agreement: $agreement,
                boundary: Boundary::$boundary,
                prorates: $prorates,
            })
            .await;
        }
    )*};
}

// Green Lane's change (+5 Business Premium, −2 Exchange), Riverbend's new subscription with a
// setup fee, Green Lane's Azure usage, Lakeshore's cancellation (billed in advance).
cases! {
    change_boundary_before: "1000231", 4127, Before, false;
    change_boundary_on: "1000231", 4127, On, false;
    change_boundary_after: "1000231", 4127, After, false;
    change_boundary_after_prorating: "1000231", 4127, After, true;
    change_boundary_before_prorating: "1000231", 4127, Before, true;
    sales_boundary_before: "1000224", 4143, Before, false;
    sales_boundary_on: "1000224", 4143, On, false;
    sales_boundary_after: "1000224", 4143, After, false;
    sales_boundary_after_prorating: "1000224", 4143, After, true;
    billing_boundary_before: "1000240", 4127, Before, false;
    billing_boundary_after: "1000240", 4127, After, false;
    billing_boundary_after_prorating: "1000240", 4127, After, true;
    cancellation_boundary_before: "1000232", 4142, Before, false;
    cancellation_boundary_after: "1000232", 4142, After, false;
    cancellation_boundary_after_prorating: "1000232", 4142, After, true;
}

/// The case by hand: Green Lane's change of 16 November on an agreement invoiced through
/// November. The add starts 1 December, the catch-up for 16–30 November is one line of
/// December's invoice, and the credit the marketplace refunds another.
#[tokio::test]
async fn a_change_in_an_invoiced_month_is_caught_up_on_the_next_invoice() {
    let sim = support::sim().await;
    let c = Case {
        order: "1000231",
        agreement: 4127,
        boundary: Boundary::After,
        prorates: false,
    };
    let (s, id, v, boundary) = reviewed(&sim, &c).await;
    assert_eq!(boundary, ymd(2026, 12, 1));
    let plan = v.plan.as_ref().unwrap();
    assert!(
        plan.calendar
            .words
            .starts_with("Invoiced through 2026-11-30 — last invoice #"),
        "{}",
        plan.calendar.words
    );
    let catch_up = plan
        .rows
        .iter()
        .find(|r| r.key.starts_with("catchup:CFQ7TTC0LCHC"))
        .expect("a catch-up row");
    assert_eq!(catch_up.action, RowAction::Prorate);
    assert_eq!(
        (
            catch_up.effective_date.as_str(),
            catch_up.ext_price.as_str()
        ),
        ("2026-12-01", "55.00")
    );
    let added = plan
        .rows
        .iter()
        .find(|r| r.key == "add:CFQ7TTC0LCHC:0002_P1M")
        .unwrap();
    assert_eq!(added.effective_date, "2026-12-01");
    assert!(added
        .note
        .as_deref()
        .unwrap()
        .contains("Moved from 2026-11-16 to 2026-12-01: November 2026 already invoiced"));
    let next = plan.summary.next_invoice.as_ref().unwrap();
    assert_eq!(next.after.total, "787.00", "{next:#?}");
    s.sync_task(id, &|_| {}).await.unwrap();
    let invoice = &sim.invoice_run(boundary, Some(4127))[0];
    assert_eq!(invoice["total"], "787.00");
}

/// Without Finance › Invoicing the calendar cannot be read: the wizard says so once, naming the
/// permission, and plans nothing before today.
#[tokio::test]
async fn an_unreadable_calendar_is_said_once_and_nothing_is_dated_before_today() {
    let sim = support::sim().await;
    let s = support::checked(&sim).await;
    // The API member loses Finance › Invoicing after the cache was filled.
    sim.deny_permissions(&[("Finance › Invoicing", "Inquire")]);
    let id = support::task_id(&s, "1000231").await;
    let v = s.open_wizard(id).await.unwrap();
    let plan = v.plan.as_ref().unwrap();
    assert!(plan.calendar.unreadable);
    assert!(
        plan.calendar.words.contains(calendar::PERMISSION),
        "{}",
        plan.calendar.words
    );
    assert!(plan.summary.next_invoice.is_none());
    let today = support::today().to_string();
    for r in plan
        .rows
        .iter()
        .filter(|r| r.action != RowAction::Unchanged)
    {
        if r.action == RowAction::Cancel {
            assert!(r.cancel_date.as_str() >= "2026-11-23", "{}", r.key);
        } else {
            assert!(r.effective_date >= today, "{} {}", r.key, r.effective_date);
        }
    }
}

/// A boundary that moved since the review stops the sync like any other change: nothing is
/// written, and the review is made again from the new calendar.
#[tokio::test]
async fn a_boundary_that_moved_since_the_review_stops_the_sync() {
    let sim = support::sim().await;
    let c = Case {
        order: "1000231",
        agreement: 4127,
        boundary: Boundary::Before,
        prorates: false,
    };
    let (s, id, _, _) = reviewed(&sim, &c).await;
    // ConnectWise invoices November while the person looks at the review.
    sim.invoice_run(ymd(2026, 11, 1), Some(4127));
    sim.clear_requests();
    let v = s.sync_task(id, &|_| {}).await.unwrap();
    assert_eq!(v.state, SyncState::Changed, "{:?}", v.message);
    assert!(
        v.changes
            .iter()
            .any(|c| c.contains("invoice calendar moved")),
        "{:?}",
        v.changes
    );
    let posted = sim.requests().iter().filter(|r| r.method != "GET").count();
    assert_eq!(posted, 0, "nothing is written");
    let again = s.open_wizard(id).await.unwrap();
    assert!(again
        .plan
        .unwrap()
        .rows
        .iter()
        .any(|r| r.key.starts_with("catchup:")));
}

/// A Reconcile fix (Green Lane's Exchange, 11 billed and 9 in the marketplace) effective today,
/// on an agreement invoiced through November: the addition ends on 30 November, the corrected
/// one starts 1 December, the credit for the rest of November is proposed (not refunded, not
/// selected); the simulator's December invoice equals the panel. Also with proration on.
async fn fix_case(prorates: bool) {
    use agreement_sync_core::plan::PriceSource;
    let sim = support::sim().await;
    assert!(sim.set_agreement_calendar(4127, Some(ymd(2026, 12, 1)), prorates));
    let s = support::checked(&sim).await;
    s.reconcile(PriceSource::CloudMarketplace, &|_| {})
        .await
        .unwrap();
    let c = s.reconcile_customer("1000048531".into()).await.unwrap();
    let shown = c
        .invoices
        .iter()
        .find(|i| i.agreement_id == 4127)
        .expect("Reconcile shows the agreement's next invoice");
    assert_eq!(
        shown.calendar.invoiced_through.as_deref(),
        Some("2026-11-30")
    );
    assert_eq!(shown.next_invoice.as_ref().unwrap().total, "634.00");
    let exo = c
        .products
        .iter()
        .find(|p| p.product_name == "Exchange Online (Plan 1)")
        .unwrap();
    let made = s
        .fix_reconcile("1000048531".into(), vec![exo.line_key.clone()])
        .await
        .unwrap();
    let task = made.task_ids[0];
    s.open_wizard(task).await.unwrap();
    let v = s
        .edit_wizard(
            task,
            WizardEdit::SetEffectiveDate {
                value: "2026-11-24".into(),
            },
        )
        .await
        .unwrap();
    assert!(v.problems.is_empty(), "{:?}", v.problems);
    let plan = v.plan.as_ref().unwrap();
    let credit = plan
        .rows
        .iter()
        .find(|r| r.key.starts_with("credit:"))
        .expect("a credit row");
    assert!(!credit.selected, "not refunded: not selected");
    assert_eq!(credit.quantity, "-2");
    let ended = plan
        .rows
        .iter()
        .find(|r| r.action == RowAction::Cancel)
        .unwrap();
    assert_eq!(ended.cancel_date, "2026-11-30");
    let panel_total = panel(&v).total.clone();
    let panel_lines = amounts(panel(&v).lines.iter().map(|l| dec(&l.amount)));
    let done = s.sync_task(task, &|_| {}).await.unwrap();
    assert_eq!(done.state, SyncState::Synced, "{:?}", done.message);
    let invoice = &sim.invoice_run(ymd(2026, 12, 1), Some(4127))[0];
    assert_eq!(dec(invoice["total"].as_str().unwrap()), dec(&panel_total));
    let lines = invoice["lines"].as_array().unwrap();
    assert_eq!(
        amounts(lines.iter().map(|l| dec(l["amount"].as_str().unwrap()))),
        panel_lines
    );
}

#[tokio::test]
async fn a_fix_inside_an_invoiced_month_ends_at_the_boundary_and_offers_a_credit() {
    fix_case(false).await;
}

#[tokio::test]
async fn a_fix_inside_an_invoiced_month_on_an_agreement_that_prorates_itself() {
    fix_case(true).await;
}
