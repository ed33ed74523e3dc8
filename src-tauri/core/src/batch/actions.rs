//! Bulk actions on a board's ticked rows (SPEC §12): each goes through the wizard's own edits
//! (`wizard::apply`, saved as the task's draft) or the task list's Ignore, row by row; a row
//! that refuses the change keeps its draft as it was and says why, the others change.

use rusqlite::Connection;

use crate::batch::board::{self, Prepared};
use crate::batch::{Attention, AttentionReason, BoardView, BulkAction};
use crate::error::{Error, ErrorField, Result};
use crate::plan::Action;
use crate::review::{self, Directory, Loaded};
use crate::store::{batches, journal, tasks};
use crate::task::TaskStatus;
use crate::validate::{self, ReviewField};
use crate::view::WizardEdit;
use crate::wizard;

/// The action's name in a sentence ("Set effective date was not applied: ...").
fn label(action: &BulkAction) -> &'static str {
    match action {
        BulkAction::SetEffectiveDate { .. } => "Set effective date",
        BulkAction::SetPriceSource { .. } => "Set price source",
        BulkAction::LeaveOutProrateCredits => "Leave out prorate credits",
        BulkAction::Ignore { .. } => "Ignore",
    }
}

/// Checks what the action carries once, before any row changes.
fn check(action: &BulkAction) -> Result<()> {
    match action {
        BulkAction::SetEffectiveDate { value } => {
            validate::date(ReviewField::EffectiveDate, "The effective date", value)
                .map_err(|r| Error::invalid(crate::error::ReviewField::EffectiveDate, r.message))?;
        }
        BulkAction::Ignore { reason } => {
            let reason = reason.trim();
            if reason.is_empty() {
                return Err(Error::invalid(
                    ErrorField::Reason,
                    "Say why the tasks are ignored.",
                ));
            }
            if reason.chars().count() > tasks::MAX_IGNORE_REASON {
                return Err(Error::invalid(
                    ErrorField::Reason,
                    format!(
                        "The reason is too long (at most {} characters).",
                        tasks::MAX_IGNORE_REASON
                    ),
                ));
            }
        }
        BulkAction::SetPriceSource { .. } | BulkAction::LeaveOutProrateCredits => {}
    }
    Ok(())
}

/// The wizard edits that carry the action out on one task.
fn edits_for(loaded: &Loaded, action: &BulkAction) -> Result<Vec<WizardEdit>> {
    Ok(match action {
        BulkAction::SetEffectiveDate { value } => vec![WizardEdit::SetEffectiveDate {
            value: value.trim().to_owned(),
        }],
        BulkAction::SetPriceSource { source } => {
            vec![WizardEdit::SetPriceSourceAll { source: *source }]
        }
        BulkAction::LeaveOutProrateCredits => {
            let decided = review::review(loaded)?;
            decided
                .planned
                .iter()
                .flat_map(|p| &p.plan.rows)
                .filter(|r| {
                    r.selected
                        && r.action == Action::Prorate
                        && r.ext_price.is_sign_negative()
                        && !r.ext_price.is_zero()
                })
                .map(|r| WizardEdit::SelectRow {
                    row_key: r.key.clone(),
                    selected: false,
                })
                .collect()
        }
        BulkAction::Ignore { .. } => Vec::new(),
    })
}

/// Applies the action to one task, or says why it is refused (nothing of it is then saved).
fn apply_one(
    conn: &Connection,
    task_id: i64,
    action: &BulkAction,
    now: &str,
    directory: &Directory,
) -> Result<()> {
    let task = tasks::get(conn, task_id)?;
    if let BulkAction::Ignore { reason } = action {
        if journal::open_of_task(conn, task_id)?.is_some() {
            return Err(Error::invalid(
                ErrorField::Status,
                "Its last sync stopped part-way: finish it before ignoring the task.",
            ));
        }
        tasks::set_ignored(conn, task_id, Some(reason), now)?;
        return Ok(());
    }
    match task.status {
        TaskStatus::Synced => {
            return Err(Error::invalid(
                ErrorField::Status,
                "The task is synced already.",
            ))
        }
        TaskStatus::Ignored => {
            return Err(Error::invalid(
                ErrorField::Status,
                "The task is ignored: un-ignore it first.",
            ))
        }
        TaskStatus::Pending | TaskStatus::Failed => {}
    }
    if journal::open_of_task(conn, task_id)?.is_some() {
        return Err(Error::invalid(
            ErrorField::Status,
            "Its last sync stopped part-way: Sync finishes it as it was reviewed.",
        ));
    }
    // Loaded once: each edit is applied to it, and it is reviewed as applied.
    let mut loaded = review::load_with(conn, task_id, directory.clone())?;
    for edit in edits_for(&loaded, action)? {
        wizard::apply(conn, &mut loaded, &edit, now)?;
    }
    // As in the wizard: an edit after which the task cannot be planned is refused.
    let decided = review::review(&loaded)?;
    // Catalog prices in another currency than the agreement's are refused for the task, with
    // why (in the wizard each such row keeps its marketplace price and says so).
    if let (
        BulkAction::SetPriceSource {
            source: crate::view::PriceSourceView::ConnectWise,
        },
        Some(planned),
    ) = (action, &decided.planned)
    {
        let new_addition = planned
            .plan
            .rows
            .iter()
            .any(|r| r.existing_addition_id.is_none() && r.action != Action::Cancel);
        if let Some(why) = crate::plan::catalog_price_refusal(
            loaded.catalog_currency.as_deref(),
            &planned.currency.code,
        )
        .filter(|_| new_addition)
        {
            return Err(Error::invalid(
                crate::error::ReviewField::PriceSource,
                crate::wizard::notes::catalog_refusal(&why),
            ));
        }
    }
    Ok(())
}

/// The reason a refusal gives a row.
fn refusal_reason(e: &Error) -> AttentionReason {
    match e {
        Error::Invalid {
            field: ErrorField::Status,
            ..
        } => AttentionReason::NotPending,
        Error::Invalid {
            field: ErrorField::Review(crate::error::ReviewField::Draft),
            ..
        } => AttentionReason::DraftProblem,
        _ => AttentionReason::Invalid,
    }
}

/// Applies `action` to the tasks `task_ids` of batch `batch_id`, each in its own savepoint, and
/// returns the board planned again. Rows that refused it say so (and are not ready).
pub fn apply(
    conn: &mut Connection,
    batch_id: i64,
    task_ids: &[i64],
    action: &BulkAction,
    now: &str,
    today: chrono::NaiveDate,
    directory: &Directory,
) -> Result<BoardView> {
    check(action)?;
    let batch = batches::get(conn, batch_id)?;
    let entries = batches::tasks_of(conn, batch_id)?;
    if task_ids.is_empty() {
        return Err(Error::invalid(
            ErrorField::TaskIds,
            "Tick the rows to change first.",
        ));
    }
    if let Some(stray) = task_ids
        .iter()
        .find(|id| !entries.iter().any(|e| e.task_id == **id))
    {
        return Err(Error::invalid(
            ErrorField::TaskIds,
            format!("Task {stray} is not on this board."),
        ));
    }
    let mut refused: Vec<(i64, Error)> = Vec::new();
    let mut tx = conn.transaction()?;
    for &task_id in task_ids {
        let mut sp = tx.savepoint()?;
        match apply_one(&sp, task_id, action, now, directory) {
            Ok(()) => sp.commit()?,
            Err(e @ Error::Store(_)) => return Err(e),
            Err(e) => {
                sp.rollback()?;
                refused.push((task_id, e));
            }
        }
    }
    tx.commit()?;
    let mut prepared: Vec<Prepared> = board::prepare_all(conn, batch_id, directory)?;
    for (task_id, e) in refused {
        if let Some(p) = prepared.iter_mut().find(|p| p.row.task.id == task_id) {
            p.row.attention.push(Attention {
                reason: refusal_reason(&e),
                message: format!("{} was not applied: {e}", label(action)),
            });
            p.row.ready = false;
        }
    }
    Ok(board::assemble(&batch, prepared, today))
}
