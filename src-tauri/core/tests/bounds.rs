//! Values at and past the bounds of SPEC §6, typed into the review as a person (or a broken
//! window) could: each is refused inline, naming the field, and nothing locks the session — the
//! next call, another task, a restart all work.

mod support;

use agreement_sync_core::session::{ProfileKind, Session};
use agreement_sync_core::store::Store;
use agreement_sync_core::view::{
    EditableField, ReviewField, RowAction, TaskQuery, WizardEdit, WizardView,
};

const GREEN_LANE_CHANGE: &str = "1000231";

async fn checked_session(path: &std::path::Path) -> (Session, agreement_sync_sim::SimHandle) {
    let sim = support::sim().await;
    let s = reopen(path, &sim);
    s.check_changes(&|_| {}).await.unwrap();
    (s, sim)
}

fn reopen(path: &std::path::Path, sim: &agreement_sync_sim::SimHandle) -> Session {
    Session::new(
        "Demo",
        ProfileKind::Demo,
        "/tmp/nowhere",
        Store::open(path).unwrap(),
        support::marketplace(sim),
        support::connectwise(sim),
    )
    .with_clock(support::clock())
}

/// Green Lane mapped, with its plan on screen.
async fn green_lane(s: &Session) -> (i64, WizardView) {
    let id = support::task_id(s, GREEN_LANE_CHANGE).await;
    let v = support::accept_suggestions(s, id).await;
    assert!(v.problems.is_empty(), "{:?}", v.problems);
    (id, v)
}

fn rows_of(v: &WizardView, action: RowAction) -> Vec<String> {
    v.plan
        .as_ref()
        .unwrap()
        .rows
        .iter()
        .filter(|r| r.action == action)
        .map(|r| r.key.clone())
        .collect()
}

fn edit_row(row_key: &str, field: EditableField, value: &str) -> WizardEdit {
    WizardEdit::EditRow {
        row_key: row_key.into(),
        field,
        value: value.into(),
    }
}

/// The problems on `field` (of `row` when given).
fn problems_on(v: &WizardView, row: Option<&str>, field: ReviewField) -> Vec<String> {
    v.problems
        .iter()
        .filter(|p| p.field == field && p.row_key.as_deref() == row)
        .map(|p| p.message.clone())
        .collect()
}

/// The session still answers everything: the list, another task, its status.
async fn session_goes_on(s: &Session) {
    let page = s.list_tasks(TaskQuery::default(), 0, 50).await.unwrap();
    assert!(page.total > 1);
    for row in page.rows.iter().filter(|r| r.order_id != GREEN_LANE_CHANGE) {
        s.open_wizard(row.id).await.unwrap();
    }
    s.status().await.unwrap();
}

#[tokio::test]
async fn a_far_future_effective_date_is_a_problem_of_the_field_not_a_locked_session() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cache.sqlite");
    let (s, sim) = checked_session(&path).await;
    let (id, _) = green_lane(&s).await;

    for typed in ["+262142-12-31", "-262143-01-01", "9999-12-31", "1999-12-31"] {
        let v = s
            .edit_wizard(
                id,
                WizardEdit::SetEffectiveDate {
                    value: typed.into(),
                },
            )
            .await
            .unwrap_or_else(|e| panic!("{typed}: {e}"));
        let found = problems_on(&v, None, ReviewField::EffectiveDate);
        assert_eq!(found.len(), 1, "{typed}: {:?}", v.problems);
        assert!(
            found[0].contains("2000") && found[0].contains("2099")
                || found[0].contains("written like"),
            "{typed}: {}",
            found[0]
        );
        assert_eq!(v.plan.as_ref().unwrap().effective_date, typed);
        session_goes_on(&s).await;
    }

    // The same on a row's dates.
    let v = s
        .edit_wizard(
            id,
            WizardEdit::SetEffectiveDate {
                value: "2026-11-16".into(),
            },
        )
        .await
        .unwrap();
    let add = rows_of(&v, RowAction::Add)[0].clone();
    for (field, typed) in [
        (EditableField::EffectiveDate, "+262142-12-31"),
        (EditableField::CancelDate, "+262142-12-31"),
        (EditableField::EffectiveDate, "2100-01-01"),
    ] {
        let v = s
            .edit_wizard(id, edit_row(&add, field, typed))
            .await
            .unwrap();
        assert_eq!(
            problems_on(&v, Some(&add), field.into()).len(),
            1,
            "{field:?} {typed}: {:?}",
            v.problems
        );
        session_goes_on(&s).await;
        s.edit_wizard(
            id,
            WizardEdit::ResetRow {
                row_key: add.clone(),
            },
        )
        .await
        .unwrap();
    }

    // A restart: the task opens, with the problem of what is still typed in it.
    s.edit_wizard(
        id,
        WizardEdit::SetEffectiveDate {
            value: "+262142-12-31".into(),
        },
    )
    .await
    .unwrap();
    drop(s);
    let s = reopen(&path, &sim);
    let v = s.open_wizard(id).await.unwrap();
    assert_eq!(problems_on(&v, None, ReviewField::EffectiveDate).len(), 1);
    let err = s
        .sync_task(id, &|_| {})
        .await
        .expect_err("nothing is synced");
    assert!(err.to_string().contains("effective date"), "{err}");
    session_goes_on(&s).await;
}

#[tokio::test]
async fn amounts_past_connectwise_numbers_are_refused_inline_and_nothing_overflows() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cache.sqlite");
    let (s, _sim) = checked_session(&path).await;
    let (id, v) = green_lane(&s).await;
    let adds = rows_of(&v, RowAction::Add);
    assert_eq!(adds.len(), 2);

    // Two Add rows at a quantity no sum can hold.
    for add in &adds {
        let v = s
            .edit_wizard(id, edit_row(add, EditableField::UnitPrice, "1"))
            .await
            .unwrap();
        assert!(problems_on(&v, Some(add), ReviewField::UnitPrice).is_empty());
        let v = s
            .edit_wizard(
                id,
                edit_row(
                    add,
                    EditableField::Quantity,
                    "40000000000000000000000000000",
                ),
            )
            .await
            .unwrap();
        let found = problems_on(&v, Some(add), ReviewField::Quantity);
        assert!(
            found.len() == 1 && found[0].contains("too large"),
            "{:?}",
            v.problems
        );
    }
    session_goes_on(&s).await;

    let add = &adds[0];
    s.edit_wizard(id, edit_row(&adds[1], EditableField::Quantity, "3"))
        .await
        .unwrap();
    type Case = (EditableField, &'static str, &'static str);
    let refused: &[Case] = &[
        (EditableField::Quantity, "-0", "more than 0"),
        (EditableField::Quantity, "0", "more than 0"),
        (EditableField::Quantity, "-3", "more than 0"),
        (
            EditableField::UnitPrice,
            "0.00000000000000000000000000001",
            "29 decimal places",
        ),
        (EditableField::UnitPrice, "-5", "cannot be negative"),
        (EditableField::UnitCost, "-5", "cannot be negative"),
        (
            EditableField::UnitCost,
            "79228162514264337593543950335",
            "too large",
        ),
        (
            EditableField::UnitCost,
            "-79228162514264337593543950335",
            "too large",
        ),
        (EditableField::UnitPrice, "1000000000000", "too large"),
    ];
    for &(field, typed, why) in refused {
        let v = s
            .edit_wizard(id, edit_row(add, field, typed))
            .await
            .unwrap();
        let found = problems_on(&v, Some(add), field.into());
        assert!(
            found.len() == 1 && found[0].contains(why),
            "{field:?} {typed}: {:?}",
            v.problems
        );
        let row = v
            .plan
            .as_ref()
            .unwrap()
            .rows
            .iter()
            .find(|r| &r.key == add)
            .unwrap();
        let shown = match field {
            EditableField::Quantity => &row.quantity,
            EditableField::UnitPrice => &row.unit_price,
            _ => &row.unit_cost,
        };
        assert_eq!(shown, typed, "what was typed stays on screen");
        // Reset the field.
        s.edit_wizard(
            id,
            WizardEdit::ResetRow {
                row_key: add.clone(),
            },
        )
        .await
        .unwrap();
        let fixed = s
            .edit_wizard(id, edit_row(&adds[1], EditableField::Quantity, "3"))
            .await
            .unwrap();
        assert!(fixed.problems.is_empty(), "{:?}", fixed.problems);
    }

    // A prorate credit may be negative, as before.
    let v = s.open_wizard(id).await.unwrap();
    let prorate = rows_of(&v, RowAction::Prorate)[0].clone();
    let v = s
        .edit_wizard(id, edit_row(&prorate, EditableField::Quantity, "-2"))
        .await
        .unwrap();
    assert!(
        problems_on(&v, Some(&prorate), ReviewField::Quantity).is_empty(),
        "{:?}",
        v.problems
    );
    session_goes_on(&s).await;
}

#[tokio::test]
async fn saved_edits_that_cannot_be_read_open_with_the_problem_and_can_be_reset() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cache.sqlite");
    let (s, sim) = checked_session(&path).await;
    let (id, _) = green_lane(&s).await;
    // As the review shows it once opened (its invoice calendar read).
    let before = s.open_wizard(id).await.unwrap();
    s.edit_wizard(
        id,
        WizardEdit::SetEffectiveDate {
            value: "2026-11-20".into(),
        },
    )
    .await
    .unwrap();
    // An older version's draft, in a shape this one does not read.
    s.store()
        .with(move |c| {
            c.execute(
                "UPDATE drafts SET body = '{\"rows\": \"from an older version\"}' WHERE task_id = ?1",
                [id],
            )?;
            Ok(())
        })
        .unwrap();
    drop(s);
    let s = reopen(&path, &sim);

    let v = s.open_wizard(id).await.unwrap();
    let problem = v.draft_problem.clone().expect("the problem is shown");
    assert!(problem.contains("Reset this task's edits"), "{problem}");
    assert!(
        !problem.contains("line") && !problem.contains("invalid type"),
        "parser details stay in the log: {problem}"
    );
    assert!(problems_on(&v, None, ReviewField::Draft).len() == 1);
    // Sync waits, edits are refused until the reset, and the rest goes on.
    assert!(s.sync_task(id, &|_| {}).await.is_err());
    let err = s
        .edit_wizard(
            id,
            WizardEdit::SetEffectiveDate {
                value: "2026-11-18".into(),
            },
        )
        .await
        .expect_err("reset first");
    assert!(err.to_string().contains("reset"), "{err}");
    session_goes_on(&s).await;

    let v = s.edit_wizard(id, WizardEdit::ResetTask).await.unwrap();
    assert_eq!(v.draft_problem, None);
    assert!(v.problems.is_empty(), "{:?}", v.problems);
    assert_eq!(v.plan, before.plan, "back to the plan from the order");
}

/// Dates near and past the ends of the range, on every Demo task and every row: each edit is
/// answered (a view, or a refusal naming the field), never a failure of the cache.
#[tokio::test]
async fn a_sweep_of_dates_at_the_ends_of_the_range_never_breaks_a_task() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cache.sqlite");
    let (s, _sim) = checked_session(&path).await;
    const DATES: &[&str] = &[
        "2000-01-01",
        "1999-12-31",
        "2099-12-31",
        "2100-01-01",
        "+262142-12-31",
        "-262143-01-01",
        "9999-12-31",
        "0000-01-01",
        "2000-02-29",
        "2099-02-28",
    ];
    let answered = |result: agreement_sync_core::Result<WizardView>, what: &str| match result {
        Ok(_) | Err(agreement_sync_core::Error::Invalid { .. }) => {}
        Err(e) => panic!("{what}: {e}"),
    };
    let page = s.list_tasks(TaskQuery::default(), 0, 50).await.unwrap();
    let mut edits = 0;
    for task in &page.rows {
        let v = support::accept_suggestions(&s, task.id).await;
        let rows: Vec<String> = v
            .plan
            .as_ref()
            .map(|p| {
                p.rows
                    .iter()
                    .filter(|r| r.action != RowAction::Unchanged)
                    .map(|r| r.key.clone())
                    .collect()
            })
            .unwrap_or_default();
        for date in DATES {
            let what = format!("task {} effective date {date}", task.order_id);
            let edit = WizardEdit::SetEffectiveDate {
                value: (*date).into(),
            };
            answered(s.edit_wizard(task.id, edit).await, &what);
            answered(s.open_wizard(task.id).await, &what);
            edits += 1;
            for row in &rows {
                for field in [EditableField::EffectiveDate, EditableField::CancelDate] {
                    let what = format!("task {} row {row} {field:?} {date}", task.order_id);
                    answered(
                        s.edit_wizard(task.id, edit_row(row, field, date)).await,
                        &what,
                    );
                    edits += 1;
                }
            }
        }
        answered(s.open_wizard(task.id).await, &task.order_id);
    }
    assert!(edits > 500, "{edits} edits");
    session_goes_on(&s).await;
}
