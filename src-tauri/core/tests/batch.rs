//! Bulk review and sync (SPEC §12) against the simulator: the board of the Demo world's tasks,
//! bulk actions re-planning rows, selection by the list's query, a batch sync that never runs
//! two tasks of one agreement at once, Stop, a second sync that writes nothing, offline, and a
//! batch of more than a hundred tasks under faults and a kill that ends with exactly what a
//! fault-free run writes.

mod support;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;
use std::sync::Mutex;
use std::time::Duration;

use agreement_sync_core::batch::{
    AttentionReason, BatchProgress, BoardRow, BoardView, BulkAction, OneTimeKind, TaskSelection,
};
use agreement_sync_core::session::Session;
use agreement_sync_core::store::journal;
use agreement_sync_core::task::TaskStatus;
use agreement_sync_core::view::{
    BatchTaskState, PriceSourceView, TaskQuery, WizardEdit, WriteState,
};
use agreement_sync_sim::{FaultKind, FaultRule, SimConfig, SimHandle};

const GREEN_LANE_CHANGE: &str = "1000231";
const NORTHWIND_SALES: &str = "1000221";
const CONTOSO_CHANGE: &str = "1000225";
const RIVERBEND_SALES: &str = "1000224";
/// Fabrikam's cancellation on its quarterly agreement, with a 25.00 cancellation fee.
const FABRIKAM_CANCELLATION: &str = "1000219";
/// Wingtip's usage billing: 28.91 of usage above the included amount.
const WINGTIP_USAGE: &str = "1000218";
/// Summit Ridge's new monthly subscription: +154.00 a month.
const SUMMIT_SALES: &str = "1000233";

fn session(path: &Path, sim: &SimHandle) -> Session {
    support::session_at(
        path,
        &sim.marketplace_base_url(),
        &sim.connectwise_site(),
        Duration::from_secs(2),
    )
}

/// A session on a fresh cache after Check Changes.
async fn checked(dir: &Path, sim: &SimHandle) -> Session {
    let s = session(&dir.join("cache.sqlite"), sim);
    s.check_changes(&|_| {}).await.unwrap();
    s
}

fn row(board: &BoardView, task_id: i64) -> &BoardRow {
    board
        .rows
        .iter()
        .find(|r| r.task.id == task_id)
        .expect("the task's row")
}

fn reasons(r: &BoardRow) -> Vec<AttentionReason> {
    r.attention.iter().map(|a| a.reason).collect()
}

/// Every pending task's customer and products mapped as a person accepting the suggestions
/// would (generated customers to their own company).
async fn map_everything(s: &Session) -> Vec<i64> {
    let page = s
        .list_tasks(
            TaskQuery {
                statuses: vec![TaskStatus::Pending],
                ..Default::default()
            },
            0,
            1000,
        )
        .await
        .unwrap();
    let mut ids = Vec::new();
    for t in &page.rows {
        ids.push(t.id);
        support::map_as_suggested(s, t).await;
    }
    ids
}

#[tokio::test]
async fn the_board_says_which_tasks_are_ready_and_why_the_others_are_not() {
    let dir = tempfile::tempdir().unwrap();
    let sim = support::sim().await;
    let s = checked(dir.path(), &sim).await;
    let green = support::task_id(&s, GREEN_LANE_CHANGE).await;
    let northwind = support::task_id(&s, NORTHWIND_SALES).await;
    let contoso = support::task_id(&s, CONTOSO_CHANGE).await;
    let riverbend = support::task_id(&s, RIVERBEND_SALES).await;
    for id in [green, northwind, contoso] {
        support::accept_suggestions(&s, id).await;
    }
    let board = s
        .open_batch(TaskSelection::Ids {
            ids: vec![green, northwind, contoso, riverbend, green],
        })
        .await
        .unwrap();
    assert_eq!(board.rows.len(), 4, "each task once");

    let g = row(&board, green);
    assert!(g.ready, "{:?}", g.attention);
    assert!(g.attention.is_empty());
    assert_eq!(g.writes, 6);
    assert_eq!(g.agreement_id, Some(4127));
    assert_eq!(g.company_name.as_deref(), Some("Green Lane LLC"));
    assert_eq!(g.currency, "USD");
    assert!(!g.prorated.is_empty() && !g.recurring_change.is_empty());
    assert_eq!(g.state, BatchTaskState::Waiting);

    let n = row(&board, northwind);
    assert_eq!(reasons(n), [AttentionReason::SeveralAgreementsFit]);
    assert!(!n.ready);
    assert_eq!(n.agreement_id, None);
    let c = row(&board, contoso);
    assert_eq!(reasons(c), [AttentionReason::NoAgreementFits]);
    assert!(
        c.attention[0].message.contains("None of"),
        "{:?}",
        c.attention
    );
    let r = row(&board, riverbend);
    assert_eq!(reasons(r), [AttentionReason::CustomerNotMapped]);
    assert!(r.attention[0].message.contains("Map Riverbend"));

    assert_eq!((board.ready, board.needs_attention), (1, 3));
    assert_eq!(board.totals.len(), 1);
    let usd = &board.totals[0];
    assert_eq!(
        (usd.currency.as_str(), usd.tasks, usd.writes),
        ("USD", 1, 6)
    );
    assert_eq!(usd.prorated, g.prorated);
    let cycles: Vec<(&str, &str)> = usd
        .recurring
        .iter()
        .map(|c| (c.per.as_str(), c.change.as_str()))
        .collect();
    assert_eq!(cycles, [("month", g.recurring_change.as_str())]);
    assert!(!board.sync_started);

    // A mapping made in one task's wizard re-plans its row when the board opens again.
    support::accept_suggestions(&s, riverbend).await;
    s.edit_wizard(
        northwind,
        WizardEdit::ChooseAgreement { agreement_id: 4131 },
    )
    .await
    .unwrap();
    // Its products can be mapped once its agreement is chosen.
    support::accept_suggestions(&s, northwind).await;
    let again = s.batch_board(board.batch_id).await.unwrap();
    assert!(row(&again, riverbend).ready, "{:?}", row(&again, riverbend));
    assert_eq!(row(&again, northwind).agreement_id, Some(4131));
    assert!(row(&again, northwind).ready);
    assert_eq!(again.ready, 3);
}

#[tokio::test]
async fn totals_are_per_cycle_and_one_time_charges_show_on_the_board_and_in_the_csv() {
    let dir = tempfile::tempdir().unwrap();
    let sim = support::sim().await;
    let s = checked(dir.path(), &sim).await;
    let fabrikam = support::task_id(&s, FABRIKAM_CANCELLATION).await;
    let wingtip = support::task_id(&s, WINGTIP_USAGE).await;
    let summit = support::task_id(&s, SUMMIT_SALES).await;
    let green = support::task_id(&s, GREEN_LANE_CHANGE).await;
    let ids = vec![fabrikam, wingtip, summit, green];
    for id in &ids {
        support::accept_suggestions(&s, *id).await;
    }
    let board = s
        .open_batch(TaskSelection::Ids { ids: ids.clone() })
        .await
        .unwrap();
    assert_eq!(board.ready, 4, "{:#?}", board.rows);
    assert_eq!(board.today, "2026-11-24", "the app's day, from its clock");

    // Each row as its wizard has it: the cycle, the effective date, the one-time charges.
    for id in &ids {
        let r = row(&board, *id);
        let wizard = s.open_wizard(*id).await.unwrap();
        let plan = wizard.plan.as_ref().unwrap();
        assert_eq!(
            r.billing_cycle,
            wizard.agreements.as_ref().unwrap().subscription_cycle,
            "{}",
            r.task.order_id
        );
        assert_eq!(r.one_time, plan.summary.one_time, "{}", r.task.order_id);
        // The agreement's own amount, in both recurring figures, is its own line here too.
        assert_eq!(
            Some(r.agreement_amount.as_str()).filter(|a| !a.is_empty()),
            plan.summary.agreement_amount.as_deref(),
            "{}",
            r.task.order_id
        );
        assert_eq!(r.prorated, plan.summary.prorated, "{}", r.task.order_id);
        if *id != wingtip {
            assert_eq!(r.effective_date, plan.effective_date, "{}", r.task.order_id);
        }
    }
    let parts = |r: &BoardRow| -> Vec<(OneTimeKind, String)> {
        r.one_time_parts
            .iter()
            .map(|p| (p.kind, p.amount.clone()))
            .collect()
    };
    let f = row(&board, fabrikam);
    assert_eq!(
        (f.billing_cycle.as_str(), f.per.as_str()),
        ("Quarterly", "quarter")
    );
    assert_eq!(f.recurring_change, "-1050.00");
    assert_eq!(f.one_time, "25.00", "the cancellation fee");
    assert_eq!(parts(f), [(OneTimeKind::Fee, "25.00".to_owned())]);
    assert_eq!(f.effective_date, "2026-11-03");
    let w = row(&board, wingtip);
    assert_eq!(w.one_time, "28.91", "the usage charge");
    assert_eq!(parts(w), [(OneTimeKind::Usage, "28.91".to_owned())]);
    assert_eq!(w.prorated, "0.00");
    // A Billing Order bills the period that closed before it: that period is its date.
    let usage = s.open_wizard(wingtip).await.unwrap().plan.unwrap().rows;
    let usage = usage.iter().find(|r| r.key.starts_with("usage:")).unwrap();
    assert_eq!(w.effective_date, usage.effective_date);
    assert!(
        w.effective_note
            .as_deref()
            .is_some_and(|n| n.contains(&usage.effective_date) && n.contains(&usage.cancel_date)),
        "{:?}",
        w.effective_note
    );
    let g = row(&board, green);
    assert_eq!(parts(g), [(OneTimeKind::Prorate, "51.00".to_owned())]);
    assert_eq!(g.agreement_amount, "150.00");
    assert_eq!(
        (g.billing_cycle.as_str(), g.per.as_str()),
        ("Monthly", "month")
    );
    let m = row(&board, summit);
    assert_eq!(m.recurring_change, "154.00");

    // One currency, two cycles: a quarter's change is never added to a month's.
    assert_eq!(board.totals.len(), 1);
    let usd = &board.totals[0];
    assert_eq!(
        (usd.currency.as_str(), usd.tasks, usd.writes),
        ("USD", 4, 10)
    );
    let cycles: Vec<(&str, &str, &str)> = usd
        .recurring
        .iter()
        .map(|c| (c.cycle.as_str(), c.per.as_str(), c.change.as_str()))
        .collect();
    assert_eq!(
        cycles,
        [
            ("Monthly", "month", "256.00"),
            ("Quarterly", "quarter", "-1050.00")
        ]
    );
    assert_eq!(
        usd.one_time, "104.91",
        "51.00 prorated + 28.91 usage + 25.00 fee"
    );
    assert_eq!(usd.prorated, "51.00");
    let total_parts: Vec<(OneTimeKind, &str)> = usd
        .one_time_parts
        .iter()
        .map(|p| (p.kind, p.amount.as_str()))
        .collect();
    assert_eq!(
        total_parts,
        [
            (OneTimeKind::Prorate, "51.00"),
            (OneTimeKind::Usage, "28.91"),
            (OneTimeKind::Fee, "25.00"),
        ]
    );

    // The CSV keeps its columns and adds the one-time charges, the effective date and the cycle.
    let out = tempfile::tempdir().unwrap();
    let saved = s
        .save_batch_csv(board.batch_id, out.path().to_path_buf())
        .await
        .unwrap();
    let text = std::fs::read_to_string(&saved.path).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next().unwrap(),
        "Task,Order,Type,Customer,Account id,Agreement,Writes,Addition ids,Prorated,\
Recurring before,Recurring after,Recurring change,Currency,State,Message,\
One-time charges,Usage charges,Fees,Effective date,Billing cycle,Agreement's own amount"
    );
    let line = |order: &str| -> Vec<String> {
        text.lines()
            .find(|l| l.split(',').nth(1) == Some(order))
            .unwrap_or_else(|| panic!("no line of {order}: {text}"))
            .split(',')
            .map(str::to_owned)
            .collect()
    };
    let fab = line(FABRIKAM_CANCELLATION);
    assert_eq!(
        fab[8..],
        [
            "0.00",
            "1050.00",
            "0.00",
            "-1050.00",
            "USD",
            "Waiting",
            "",
            "25.00",
            "0.00",
            "25.00",
            "2026-11-03",
            "Quarterly",
            "" // its agreement bills nothing of its own
        ]
    );
    let win = line(WINGTIP_USAGE);
    assert_eq!(win[15..18], ["28.91", "28.91", "0.00"]);
    assert_eq!(win[18], usage.effective_date);
    assert_eq!(win[19], "Monthly");
    let gre = line(GREEN_LANE_CHANGE);
    assert_eq!(
        gre[15..],
        ["51.00", "0.00", "0.00", "2026-11-16", "Monthly", "150.00"]
    );

    // Once synced (when the CSV is saved from the result), each row keeps what it wrote.
    let result = s.sync_batch(board.batch_id, &|_| {}).await.unwrap();
    assert_eq!(result.synced, 4, "{}", result.message);
    let f = row(&result.board, fabrikam);
    assert_eq!(
        (
            f.one_time.as_str(),
            f.billing_cycle.as_str(),
            f.effective_date.as_str()
        ),
        ("25.00", "Quarterly", "2026-11-03")
    );
    let saved = s
        .save_batch_csv(board.batch_id, out.path().to_path_buf())
        .await
        .unwrap();
    let text = std::fs::read_to_string(&saved.path).unwrap();
    let fab: Vec<&str> = text
        .lines()
        .find(|l| l.split(',').nth(1) == Some(FABRIKAM_CANCELLATION))
        .unwrap()
        .split(',')
        .collect();
    assert_eq!(fab[13], "Synced");
    assert_eq!(
        fab[15..],
        ["25.00", "0.00", "25.00", "2026-11-03", "Quarterly", ""]
    );
}

#[tokio::test]
async fn select_all_matching_takes_every_match_less_those_unticked() {
    let dir = tempfile::tempdir().unwrap();
    let sim = support::sim_with(40).await;
    let s = checked(dir.path(), &sim).await;
    let query = TaskQuery {
        statuses: vec![TaskStatus::Pending],
        ..Default::default()
    };
    let listed = s.list_tasks(query.clone(), 0, 1000).await.unwrap();
    assert!(listed.total > 20, "{}", listed.total);
    let all: Vec<i64> = listed.rows.iter().map(|r| r.id).collect();
    let except = vec![all[0], all[5]];
    let board = s
        .open_batch(TaskSelection::Matching {
            query: query.clone(),
            except: except.clone(),
        })
        .await
        .unwrap();
    let on_board: Vec<i64> = board.rows.iter().map(|r| r.task.id).collect();
    let expected: Vec<i64> = all.into_iter().filter(|id| !except.contains(id)).collect();
    assert_eq!(on_board, expected, "every match, in the list's order");

    let search = TaskQuery {
        search: "Green Lane".into(),
        ..Default::default()
    };
    let found = s.list_tasks(search.clone(), 0, 100).await.unwrap();
    let board = s
        .open_batch(TaskSelection::Matching {
            query: search,
            except: vec![],
        })
        .await
        .unwrap();
    assert_eq!(board.rows.len() as u32, found.total);
    assert!(board
        .rows
        .iter()
        .all(|r| r.task.customer_name == "Green Lane LLC"));

    let nothing = s
        .open_batch(TaskSelection::Ids { ids: vec![] })
        .await
        .unwrap_err();
    assert!(
        nothing.to_string().contains("Select at least one"),
        "{nothing}"
    );
}

#[tokio::test]
async fn bulk_actions_re_plan_the_rows_through_their_drafts() {
    let dir = tempfile::tempdir().unwrap();
    let sim = support::sim().await;
    let s = checked(dir.path(), &sim).await;
    let green = support::task_id(&s, GREEN_LANE_CHANGE).await;
    let riverbend = support::task_id(&s, RIVERBEND_SALES).await;
    support::accept_suggestions(&s, green).await;
    let board = s
        .open_batch(TaskSelection::Ids {
            ids: vec![green, riverbend],
        })
        .await
        .unwrap();
    let id = board.batch_id;
    let before = row(&board, green).clone();
    assert_eq!(before.writes, 6);

    // Leave out prorate credits: Exchange's −2 prorate is unselected.
    let b = s
        .apply_bulk(id, vec![green], BulkAction::LeaveOutProrateCredits)
        .await
        .unwrap();
    let g = row(&b, green);
    assert_eq!(g.writes, 5);
    assert!(g.ready);
    assert_ne!(g.prorated, before.prorated);
    let wizard = s.open_wizard(green).await.unwrap();
    let credit = wizard
        .plan
        .unwrap()
        .rows
        .into_iter()
        .find(|r| r.key.starts_with("prorate:") && r.quantity.starts_with('-'))
        .unwrap();
    assert!(!credit.selected, "the wizard shows the same draft");

    // Effective date: a later day prorates less.
    let b = s
        .apply_bulk(
            id,
            vec![green],
            BulkAction::SetEffectiveDate {
                value: "2026-11-25".into(),
            },
        )
        .await
        .unwrap();
    let g = row(&b, green);
    assert!(g.ready, "{:?}", g.attention);
    assert_ne!(g.prorated, row(&board, green).prorated);
    let wizard = s.open_wizard(green).await.unwrap();
    assert_eq!(wizard.plan.unwrap().effective_date, "2026-11-25");

    // A value that is no date is refused for all, and nothing changes.
    let refused = s
        .apply_bulk(
            id,
            vec![green],
            BulkAction::SetEffectiveDate {
                value: "2026-11-31".into(),
            },
        )
        .await
        .unwrap_err();
    assert!(refused.to_string().contains("effective date"), "{refused}");
    // A date the agreement does not cover gives the row a problem in the review's words.
    let b = s
        .apply_bulk(
            id,
            vec![green],
            BulkAction::SetEffectiveDate {
                value: "2001-01-01".into(),
            },
        )
        .await
        .unwrap();
    let g = row(&b, green);
    assert!(!g.ready);
    assert!(
        reasons(g).contains(&AttentionReason::Invalid),
        "{:?}",
        g.attention
    );
    // ... and the row not mapped refuses it with the others going on.
    let b = s
        .apply_bulk(
            id,
            vec![green, riverbend],
            BulkAction::SetEffectiveDate {
                value: "2026-11-20".into(),
            },
        )
        .await
        .unwrap();
    assert!(row(&b, green).ready, "{:?}", row(&b, green).attention);
    assert_eq!(
        s.open_wizard(riverbend)
            .await
            .unwrap()
            .plan
            .map(|p| p.effective_date),
        None,
        "no plan without a company"
    );

    // Price source ConnectWise: no prorated amounts (they are for marketplace prices only).
    let b = s
        .apply_bulk(
            id,
            vec![green],
            BulkAction::SetPriceSource {
                source: PriceSourceView::ConnectWise,
            },
        )
        .await
        .unwrap();
    assert_eq!(row(&b, green).prorated, "0.00");

    // Ignore: with a reason only; the row leaves the sync.
    let empty = s
        .apply_bulk(id, vec![green], BulkAction::Ignore { reason: " ".into() })
        .await
        .unwrap_err();
    assert!(empty.to_string().contains("Say why"), "{empty}");
    let b = s
        .apply_bulk(
            id,
            vec![green],
            BulkAction::Ignore {
                reason: "Billed by hand".into(),
            },
        )
        .await
        .unwrap();
    let g = row(&b, green);
    assert!(!g.ready);
    assert_eq!(reasons(g), [AttentionReason::NotPending]);
    assert!(g.attention[0].message.contains("Billed by hand"));
    assert_eq!(b.ready, 0);
    assert!(b.totals.is_empty());

    // A task not on the board is refused.
    let stray = s
        .apply_bulk(id, vec![999_999], BulkAction::LeaveOutProrateCredits)
        .await
        .unwrap_err();
    assert!(stray.to_string().contains("not on this board"), "{stray}");
}

/// The progress reports, and the states they show.
#[derive(Default)]
struct Seen {
    reports: Vec<BatchProgress>,
    states: HashMap<i64, BatchTaskState>,
    agreement: HashMap<i64, Option<i64>>,
    /// The most tasks syncing at once, and whether two of one agreement ever were.
    most_at_once: usize,
    same_agreement_at_once: bool,
}

impl Seen {
    fn take(&mut self, p: BatchProgress) {
        for r in &p.rows {
            self.states.insert(r.task.id, r.state);
            self.agreement.insert(r.task.id, r.agreement_id);
        }
        let syncing: Vec<Option<i64>> = self
            .states
            .iter()
            .filter(|(_, s)| **s == BatchTaskState::Syncing)
            .map(|(id, _)| self.agreement[id])
            .collect();
        let distinct: HashSet<Option<i64>> = syncing.iter().copied().collect();
        self.most_at_once = self.most_at_once.max(syncing.len());
        self.same_agreement_at_once |= distinct.len() < syncing.len();
        self.reports.push(p);
    }
}

fn writes_sent(sim: &SimHandle) -> usize {
    sim.requests()
        .iter()
        .filter(|q| (q.method == "POST" || q.method == "PATCH") && q.path.contains("/additions"))
        .count()
}

#[tokio::test]
async fn a_batch_syncs_across_agreements_never_two_of_one_at_once_and_again_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let sim = support::sim_with(30).await;
    let s = checked(dir.path(), &sim).await;
    let ids = map_everything(&s).await;
    let board = s.open_batch(TaskSelection::Ids { ids }).await.unwrap();
    let ready: Vec<&BoardRow> = board.rows.iter().filter(|r| r.ready).collect();
    let mut per_agreement: HashMap<i64, usize> = HashMap::new();
    for r in &ready {
        *per_agreement.entry(r.agreement_id.unwrap()).or_default() += 1;
    }
    assert!(
        per_agreement.values().any(|n| *n >= 2),
        "some agreement has two ready tasks: {per_agreement:?}"
    );
    assert!(per_agreement.len() >= 4);

    sim.set_latency(Duration::from_millis(15));
    sim.clear_requests();
    let seen = Mutex::new(Seen::default());
    let result = s
        .sync_batch(board.batch_id, &|p| seen.lock().unwrap().take(p))
        .await
        .unwrap();
    let seen = seen.into_inner().unwrap();
    println!(
        "{} ready tasks on {} agreements: {}; at most {} syncing at once",
        ready.len(),
        per_agreement.len(),
        result.message,
        seen.most_at_once
    );
    assert!(
        !seen.same_agreement_at_once,
        "two tasks of one agreement ran at once"
    );
    assert!(seen.most_at_once >= 2, "agreements ran concurrently");
    assert!(seen.most_at_once <= 4, "bounded");
    let failures: Vec<String> = result
        .board
        .rows
        .iter()
        .filter(|r| r.state == BatchTaskState::Failed)
        .map(|r| {
            format!(
                "{} {:?}: {:?}",
                r.task.order_id, r.task.task_type, r.message
            )
        })
        .collect();
    // Orders stacked on one subscription: after the first is synced, a later one may find two
    // active additions of its product (the new one and its prorate) and asks for a choice — its
    // sync refuses to write and says why, and the later tasks of its agreement wait.
    for f in &failures {
        assert!(f.contains("must be fixed before Sync"), "{f}");
    }
    let held_back = result
        .board
        .rows
        .iter()
        .filter(|r| r.state == BatchTaskState::NotStarted)
        .filter(|r| r.message.as_deref().is_some_and(|m| m.contains("earlier")))
        .count();
    assert!(
        result.synced as usize >= ready.len() * 3 / 4,
        "{}",
        result.message
    );
    assert_eq!(
        result.synced as usize + failures.len() + held_back,
        ready.len(),
        "{} {failures:#?}",
        result.message
    );
    assert_eq!(
        result.not_started as usize,
        board.rows.len() - ready.len() + held_back,
        "the rows needing attention are left"
    );
    let planned: u32 = ready.iter().map(|r| r.writes).sum();
    assert_eq!(result.writes_made as usize, writes_sent(&sim));
    assert!(result.writes_made >= planned.min(1));
    let last = seen.reports.last().unwrap();
    assert_eq!(last.tasks_done, last.tasks_total);
    assert_eq!(last.writes_done, last.writes_total);
    assert_eq!(last.writes_done, result.writes_made);
    assert!(
        seen.reports[0].rows.len() == board.rows.len(),
        "the first report has every row"
    );
    for r in result
        .board
        .rows
        .iter()
        .filter(|r| r.state == BatchTaskState::Synced)
    {
        assert!(!r.addition_ids.is_empty(), "{r:?}");
        assert_eq!(r.task.status, TaskStatus::Synced);
    }
    assert!(s.interrupted_batch().await.unwrap().is_none());

    // Again: nothing new is written, and the result says so.
    sim.clear_requests();
    let again = s.sync_batch(board.batch_id, &|_| {}).await.unwrap();
    assert_eq!(writes_sent(&sim), 0);
    assert_eq!(again.writes_made, 0);
    assert_eq!(again.synced, result.synced);
    assert!(
        again.message.starts_with("Nothing new to write"),
        "{}",
        again.message
    );

    // The CSV has a line per task, quoted where needed.
    let out = tempfile::tempdir().unwrap();
    let saved = s
        .save_batch_csv(board.batch_id, out.path().to_path_buf())
        .await
        .unwrap();
    assert!(saved.path.ends_with(&format!(
        "agreement-sync-batch-{}-2026-11-24.csv",
        board.batch_id
    )));
    let text = std::fs::read_to_string(&saved.path).unwrap();
    assert_eq!(text.lines().count(), board.rows.len() + 1);
    assert_eq!(saved.rows as usize, board.rows.len());
    assert!(text.starts_with("Task,Order,Type,Customer,Account id,Agreement,Writes,Addition ids"));
    assert!(text.contains(",Synced,"));
}

#[tokio::test]
async fn stop_finishes_the_sync_under_way_and_leaves_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let sim = support::sim_with(20).await;
    let s = checked(dir.path(), &sim).await.with_batch_concurrency(1);
    let ids = map_everything(&s).await;
    let board = s.open_batch(TaskSelection::Ids { ids }).await.unwrap();
    let ready = board.ready as usize;
    assert!(ready >= 3, "{ready}");
    let id = board.batch_id;
    let result = s
        .sync_batch(id, &|p| {
            if p.rows.iter().any(|r| r.state == BatchTaskState::Syncing) {
                // Stop as the first task starts: it finishes, no other starts.
                s.stop_batch(id).unwrap();
            }
        })
        .await
        .unwrap();
    assert_eq!(result.synced, 1, "{}", result.message);
    assert_eq!(result.failed, 0);
    assert!(result.message.contains("Stopped"), "{}", result.message);
    let left: Vec<&BoardRow> = result
        .board
        .rows
        .iter()
        .filter(|r| r.state == BatchTaskState::NotStarted && r.ready)
        .collect();
    assert_eq!(left.len(), ready - 1);
    assert!(left[0].message.as_deref().unwrap().contains("stopped"));
    // A stopped batch is not an interrupted one; syncing it again finishes it.
    assert!(s.interrupted_batch().await.unwrap().is_none());
    let rest = s.sync_batch(id, &|_| {}).await.unwrap();
    assert!(rest.synced as usize > 1, "{}", rest.message);
    for r in &rest.board.rows {
        assert!(
            !matches!(r.state, BatchTaskState::Waiting | BatchTaskState::Syncing),
            "{r:?}"
        );
        if r.ready {
            // Only a task held back behind an earlier one of its agreement is left ready.
            assert_eq!(r.state, BatchTaskState::NotStarted);
            assert!(r.message.as_deref().unwrap().contains("earlier"), "{r:?}");
        }
    }
}

#[tokio::test]
async fn offline_the_board_works_and_sync_says_it_needs_a_connection() {
    let dir = tempfile::tempdir().unwrap();
    let sim = support::sim().await;
    let s = checked(dir.path(), &sim).await;
    let green = support::task_id(&s, GREEN_LANE_CHANGE).await;
    support::accept_suggestions(&s, green).await;
    sim.shutdown();
    tokio::time::sleep(Duration::from_millis(100)).await;
    let board = s
        .open_batch(TaskSelection::Ids { ids: vec![green] })
        .await
        .unwrap();
    assert!(row(&board, green).ready);
    let b = s
        .apply_bulk(
            board.batch_id,
            vec![green],
            BulkAction::LeaveOutProrateCredits,
        )
        .await
        .unwrap();
    assert_eq!(row(&b, green).writes, 5);
    let err = s.sync_batch(board.batch_id, &|_| {}).await.unwrap_err();
    assert!(err.is_offline(), "{err}");
    assert!(err.to_string().contains("Can't reach ConnectWise"), "{err}");
    let after = s.batch_board(board.batch_id).await.unwrap();
    assert!(!after.sync_started, "nothing started");
    assert_eq!(row(&after, green).task.status, TaskStatus::Pending);
}

// ---------------------------------------------------------------------------------------------
// A batch of more than a hundred tasks, a fifth of its writes faulted, the process killed
// part-way; finished, every agreement holds exactly what a fault-free run on a twin world writes.
// The test binary runs itself as the child process to kill (this ignored test, by name).

const CHILD_DB: &str = "AGREEMENT_SYNC_TEST_BATCH_DB";
const CHILD_MARKETPLACE: &str = "AGREEMENT_SYNC_TEST_BATCH_MARKETPLACE";
const CHILD_SITE: &str = "AGREEMENT_SYNC_TEST_BATCH_SITE";
const CHILD_BATCH: &str = "AGREEMENT_SYNC_TEST_BATCH_ID";
const FAULT_CUSTOMERS: usize = 64;

#[tokio::test]
#[ignore = "run by a_faulted_batch_killed_part_way as the process to kill"]
async fn child_syncs_a_batch_until_killed() {
    let (Ok(db), Ok(mp), Ok(site), Ok(batch)) = (
        std::env::var(CHILD_DB),
        std::env::var(CHILD_MARKETPLACE),
        std::env::var(CHILD_SITE),
        std::env::var(CHILD_BATCH),
    ) else {
        return;
    };
    let s = support::session_at(Path::new(&db), &mp, &site, Duration::from_secs(2));
    let r = s.sync_batch(batch.parse().unwrap(), &|_| {}).await;
    panic!("the child should have been killed mid-batch, but the batch ended: {r:?}");
}

async fn fault_sim() -> SimHandle {
    let mut config = SimConfig::demo(support::today());
    config.customers = FAULT_CUSTOMERS;
    agreement_sync_sim::start(config, ([127, 0, 0, 1], 0).into())
        .await
        .unwrap()
}

/// Every agreement's additions, as multisets of essences.
async fn agreements_state(sim: &SimHandle, ids: &[i64]) -> BTreeMap<i64, BTreeMap<String, usize>> {
    let cw = support::connectwise(sim);
    let mut out = BTreeMap::new();
    for id in ids {
        let mut state = BTreeMap::new();
        for a in cw.additions(*id).await.unwrap() {
            *state.entry(support::essence(&a)).or_insert(0) += 1;
        }
        out.insert(*id, state);
    }
    out
}

/// A batch of every task of the world, mapped; with its runnable rows' agreements.
async fn prepared_batch(path: &Path, sim: &SimHandle) -> (i64, usize, Vec<i64>) {
    let s = session(path, sim);
    s.check_changes(&|_| {}).await.unwrap();
    map_everything(&s).await;
    let board = s
        .open_batch(TaskSelection::Matching {
            query: TaskQuery::default(),
            except: vec![],
        })
        .await
        .unwrap();
    let mut agreements: Vec<i64> = board
        .rows
        .iter()
        .filter(|r| r.ready)
        .filter_map(|r| r.agreement_id)
        .collect();
    agreements.sort_unstable();
    agreements.dedup();
    (board.batch_id, board.ready as usize, agreements)
}

/// The faults: one write in five of the fault-free run, each kind in turn; before and after the
/// write reaches ConnectWise. One rule per POSTed agreement (rules on one path shadow each
/// other), one per PATCHed addition: a write that cannot take a rule passes its turn to the next,
/// so the share faulted does not depend on the order the agreements' writes came in.
fn faults_for(writes: &[(String, String)]) -> Vec<FaultRule> {
    let kinds = [
        (FaultKind::ServerError, false),
        (FaultKind::ServerError, true),
        (FaultKind::Timeout, false),
        (FaultKind::Timeout, true),
        (FaultKind::DropConnection, false),
        (FaultKind::DropConnection, true),
        (
            FaultKind::TooManyRequests {
                retry_after_secs: 1,
            },
            false,
        ),
    ];
    let mut rules = Vec::new();
    let mut posts_seen: HashMap<&str, u32> = HashMap::new();
    let mut posted_rule: HashSet<&str> = HashSet::new();
    for (i, (method, path)) in writes.iter().enumerate() {
        let nth = posts_seen.entry(path.as_str()).or_default();
        let index = *nth;
        if method == "POST" {
            *nth += 1;
        }
        if rules.len() * 5 > i {
            continue;
        }
        let (kind, after) = kinds[rules.len() % kinds.len()].clone();
        let rule = if method == "POST" {
            if !posted_rule.insert(path.as_str()) {
                continue;
            }
            FaultRule::new(path.clone(), kind)
                .method("POST")
                .skip(index)
                .times(1)
        } else {
            FaultRule::new(path.clone(), kind).method("PATCH").times(1)
        };
        rules.push(if after { rule.after_apply() } else { rule });
    }
    rules
}

/// The fault campaign's twin: the same world, every task synced by one desk with no fault.
struct Twin {
    ready: usize,
    agreements: Vec<i64>,
    /// The writes it sent, in order (method, path).
    writes: Vec<(String, String)>,
    /// What every agreement ends with.
    expected: BTreeMap<i64, BTreeMap<String, usize>>,
    result: agreement_sync_core::batch::BatchResult,
}

async fn fault_free_twin() -> Twin {
    let twin_dir = tempfile::tempdir().unwrap();
    let twin = fault_sim().await;
    let db = twin_dir.path().join("cache.sqlite");
    let (batch, ready, agreements) = prepared_batch(&db, &twin).await;
    assert!(
        ready >= 110,
        "a batch of more than 100 ready tasks: {ready}"
    );
    twin.clear_requests();
    let result = session(&db, &twin)
        .sync_batch(batch, &|_| {})
        .await
        .unwrap();
    assert!(result.synced >= 100, "{}", result.message);
    let writes = twin
        .requests()
        .into_iter()
        .filter(|q| (q.method == "POST" || q.method == "PATCH") && q.path.contains("/additions"))
        .map(|q| (q.method, q.path))
        .collect();
    let expected = agreements_state(&twin, &agreements).await;
    Twin {
        ready,
        agreements,
        writes,
        expected,
        result,
    }
}

#[tokio::test]
async fn a_faulted_batch_killed_part_way_ends_with_exactly_the_fault_free_additions() {
    let Twin {
        ready: twin_ready,
        agreements,
        writes,
        expected,
        result: twin_result,
    } = fault_free_twin().await;

    // The world under faults.
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cache.sqlite");
    let sim = fault_sim().await;
    let (batch, ready, same_agreements) = prepared_batch(&db, &sim).await;
    assert_eq!(
        (ready, &same_agreements),
        (twin_ready, &agreements),
        "twin worlds"
    );
    let rules = faults_for(&writes);
    let faulted = rules.len();
    sim.clear_requests();
    sim.set_faults(rules);

    // The batch runs in a child process, killed once about 40 % of the writes were sent.
    let mut child = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "child_syncs_a_batch_until_killed",
            "--ignored",
            "--nocapture",
        ])
        .env(CHILD_DB, &db)
        .env(CHILD_MARKETPLACE, sim.marketplace_base_url())
        .env(CHILD_SITE, sim.connectwise_site())
        .env(CHILD_BATCH, batch.to_string())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(120);
    while writes_sent(&sim) < writes.len() * 2 / 5 {
        assert!(
            std::time::Instant::now() < deadline,
            "the child never got 40 % of the way"
        );
        assert!(child.try_wait().unwrap().is_none(), "the child ended early");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let sent_before_kill = writes_sent(&sim);

    // The next start finds the batch interrupted, and finishing it completes it.
    let s = session(&db, &sim);
    let interrupted = s.interrupted_batch().await.unwrap().expect("interrupted");
    assert_eq!(interrupted.batch_id, batch);
    assert!(interrupted.synced < interrupted.total);
    println!(
        "A batch was interrupted: {} of {} synced",
        interrupted.synced, interrupted.total
    );
    let mut runs = 0;
    let result = loop {
        runs += 1;
        let r = s.sync_batch(batch, &|_| {}).await.unwrap();
        let write_failures = r
            .board
            .rows
            .iter()
            .filter(|row| row.state == BatchTaskState::Failed)
            .filter(|row| {
                !row.message
                    .as_deref()
                    .unwrap_or("")
                    .contains("must be fixed")
            })
            .count();
        if write_failures == 0 || runs == 5 {
            break r;
        }
    };
    let synced_orders = |b: &BoardView| -> Vec<String> {
        b.rows
            .iter()
            .filter(|r| r.state == BatchTaskState::Synced)
            .map(|r| r.task.order_id.clone())
            .collect()
    };
    assert_eq!(
        synced_orders(&result.board),
        synced_orders(&twin_result.board),
        "the same tasks synced as in the fault-free run: {}",
        result.message
    );
    assert!(s.interrupted_batch().await.unwrap().is_none());

    // No task is Synced with a write missing.
    let synced: Vec<i64> = result
        .board
        .rows
        .iter()
        .filter(|r| r.state == BatchTaskState::Synced)
        .map(|r| r.task.id)
        .collect();
    let incomplete = s
        .store()
        .with(|c| {
            let mut incomplete = Vec::new();
            for id in &synced {
                let last = journal::last_synced_of_task(c, *id)?.expect("a synced sync");
                let record = journal::record(c, last)?;
                if record
                    .writes
                    .iter()
                    .any(|w| w.state != WriteState::Confirmed || w.addition_id.is_none())
                {
                    incomplete.push(*id);
                }
            }
            Ok(incomplete)
        })
        .unwrap();
    assert!(
        incomplete.is_empty(),
        "synced with a write missing: {incomplete:?}"
    );

    let struck = sim
        .requests()
        .iter()
        .filter(|q| (q.method == "POST" || q.method == "PATCH") && q.path.contains("/additions"))
        .filter(|q| q.status == 0 || q.status == 429 || q.status >= 500)
        .count();
    println!(
        "fault test: {} ready tasks ({} synced) on {} agreements, {} writes in the fault-free run; {} faults set ({:.0} % of writes), {} struck; killed after {} writes sent; finished in {} run(s), {} writes sent in all",
        ready,
        result.synced,
        agreements.len(),
        writes.len(),
        faulted,
        faulted as f64 * 100.0 / writes.len() as f64,
        struck,
        sent_before_kill,
        runs,
        writes_sent(&sim)
    );
    assert!(
        faulted * 100 >= writes.len() * 15,
        "about a fifth of the writes faulted"
    );
    assert_eq!(
        agreements_state(&sim, &agreements).await,
        expected,
        "every agreement holds exactly the fault-free additions"
    );
}

/// A desk's batch of the ready tasks on `agreements` (all of them when `None`).
async fn desk_batch(s: &Session, agreements: Option<&[i64]>) -> i64 {
    let board = s
        .open_batch(TaskSelection::Matching {
            query: TaskQuery::default(),
            except: vec![],
        })
        .await
        .unwrap();
    let Some(only) = agreements else {
        return board.batch_id;
    };
    let ids: Vec<i64> = board
        .rows
        .iter()
        .filter(|r| r.ready && r.agreement_id.is_some_and(|a| only.contains(&a)))
        .map(|r| r.task.id)
        .collect();
    s.open_batch(TaskSelection::Ids { ids })
        .await
        .unwrap()
        .batch_id
}

/// Failed rows of a batch result, other than those that a person must fix.
fn write_failures(b: &BoardView) -> usize {
    b.rows
        .iter()
        .filter(|row| row.state == BatchTaskState::Failed)
        .filter(|row| {
            !row.message
                .as_deref()
                .unwrap_or("")
                .contains("must be fixed")
        })
        .count()
}

#[tokio::test]
async fn two_desks_syncing_overlapping_batches_under_faults_end_with_the_one_desk_additions() {
    // One desk, no fault: what every agreement must end with.
    let Twin {
        agreements,
        writes,
        expected,
        ..
    } = fault_free_twin().await;

    // Two desks of one team on the same world: A batches every task, B two thirds of the
    // agreements (their every task) — most tasks are in both batches.
    let sim = fault_sim().await;
    let (dir_a, dir_b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let a = checked(dir_a.path(), &sim).await;
    let b = checked(dir_b.path(), &sim).await;
    map_everything(&a).await;
    map_everything(&b).await;
    let b_agreements: Vec<i64> = agreements
        .iter()
        .enumerate()
        .filter(|(i, _)| i % 3 != 0)
        .map(|(_, id)| *id)
        .collect();
    let batch_a = desk_batch(&a, None).await;
    let batch_b = desk_batch(&b, Some(&b_agreements)).await;
    sim.clear_requests();
    sim.set_faults(faults_for(&writes));

    // Both press Sync at once; each then checks again and syncs its batch again, as a person
    // would, until nothing fails (a desk whose review the other desk's writes made stale is
    // stopped before writing, and reviews again after Check Changes).
    let mut runs = 0;
    let (ra, rb) = loop {
        runs += 1;
        let (ra, rb) = tokio::join!(
            a.sync_batch(batch_a, &|_| {}),
            b.sync_batch(batch_b, &|_| {})
        );
        let (ra, rb) = (ra.unwrap(), rb.unwrap());
        if (write_failures(&ra.board) == 0 && write_failures(&rb.board) == 0) || runs == 6 {
            break (ra, rb);
        }
        sim.set_faults(Vec::new());
        a.check_changes(&|_| {}).await.unwrap();
        b.check_changes(&|_| {}).await.unwrap();
    };
    let closed_as_already = rb
        .board
        .rows
        .iter()
        .chain(&ra.board.rows)
        .filter(|r| {
            r.message
                .as_deref()
                .is_some_and(|m| m.contains("Already in ConnectWise") || m.contains("Another desk"))
        })
        .count();
    println!(
        "two desks: A synced {} and B {} in {runs} run(s); {closed_as_already} tasks found written by the other desk; {} writes sent, {} removals",
        ra.synced,
        rb.synced,
        writes_sent(&sim),
        sim.requests().iter().filter(|q| q.method == "DELETE").count()
    );
    assert_eq!(write_failures(&ra.board), 0, "{}", ra.message);
    assert_eq!(write_failures(&rb.board), 0, "{}", rb.message);
    let got = agreements_state(&sim, &agreements).await;
    // On a difference: each desk's syncs of the agreement's tasks, to see how it came about.
    for (who, r) in ra
        .board
        .rows
        .iter()
        .map(|r| ("A", r))
        .chain(rb.board.rows.iter().map(|r| ("B", r)))
    {
        if r.agreement_id
            .is_some_and(|id| got.get(&id) != expected.get(&id))
        {
            println!(
                "{who} {:?} {} {:?} {:?} {:?}",
                r.agreement_id, r.task.order_id, r.task.task_type, r.state, r.message
            );
            let desk = if who == "A" { &a } else { &b };
            for h in desk.open_wizard(r.task.id).await.unwrap().history {
                println!("   sync {:?} {:?}", h.state, h.message);
                for w in h.writes {
                    println!(
                        "      {} {:?} {:?} {:?}",
                        w.description, w.state, w.addition_id, w.message
                    );
                }
            }
        }
    }
    let differ: Vec<String> = expected
        .iter()
        .filter(|(id, want)| got.get(id) != Some(want))
        .map(|(id, want)| {
            let have = got.get(id).cloned().unwrap_or_default();
            let only = |x: &BTreeMap<String, usize>, y: &BTreeMap<String, usize>| {
                x.iter()
                    .filter(|(k, n)| y.get(*k) != Some(n))
                    .map(|(k, n)| format!("{n} × {k}"))
                    .collect::<Vec<_>>()
            };
            format!(
                "agreement {id}: one-desk only {:?}; two-desk only {:?}",
                only(want, &have),
                only(&have, want)
            )
        })
        .collect();
    assert!(
        differ.is_empty(),
        "every agreement holds exactly the one-desk, fault-free additions:\n{}",
        differ.join("\n")
    );
}

#[tokio::test]
async fn in_bulk_connectwise_prices_are_refused_for_a_euro_agreement_with_why_and_the_others_take_them(
) {
    let dir = tempfile::tempdir().unwrap();
    let sim = support::sim().await;
    let s = checked(dir.path(), &sim).await;
    let green = support::task_id(&s, GREEN_LANE_CHANGE).await;
    let mueller = support::task_id(&s, "1000220").await; // a sales order on a EUR agreement
    support::accept_suggestions(&s, green).await;
    support::accept_suggestions(&s, mueller).await;
    let board = s
        .open_batch(TaskSelection::Ids {
            ids: vec![green, mueller],
        })
        .await
        .unwrap();
    assert!(
        row(&board, mueller).ready,
        "{:?}",
        row(&board, mueller).attention
    );
    let b = s
        .apply_bulk(
            board.batch_id,
            vec![green, mueller],
            BulkAction::SetPriceSource {
                source: PriceSourceView::ConnectWise,
            },
        )
        .await
        .unwrap();
    let m = row(&b, mueller);
    assert!(
        m.attention.iter().any(|a| a
            .message
            .contains("ConnectWise's catalog prices are in USD and this agreement bills in EUR")),
        "{:?}",
        m.attention
    );
    // Its draft is as it was: the marketplace's prices.
    let wizard = s.open_wizard(mueller).await.unwrap();
    assert_eq!(
        wizard.plan.unwrap().price_source,
        PriceSourceView::CloudMarketplace
    );
    // Green Lane (USD) took them.
    assert_eq!(row(&b, green).prorated, "0.00");
    assert!(row(&b, green).ready, "{:?}", row(&b, green).attention);
}
