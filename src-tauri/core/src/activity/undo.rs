//! Undoing a sync (SPEC §17): its compensating plan (`crate::undo`) made from the agreement as
//! last read, shown like any plan, and written by the same safe sync (journal, look first, no
//! blind retry) as a sync of its own that names the sync it undoes. After it the task is Pending
//! again, its review kept.

use std::collections::{HashMap, HashSet};

use rusqlite::{params, Connection};

use crate::calendar::{self, Invoiced};
use crate::connectwise::wire::{Addition, Agreement};
use crate::connectwise::ConnectWiseClient;
use crate::error::{Error, ErrorField, Result};
use crate::money::Currency;
use crate::store::journal::{self, SyncRecord};
use crate::store::{connectwise as cw_store, tasks, Store};
use crate::sync::apply::{self, Syncer, Unwritten};
use crate::sync::write;
use crate::sync::SyncState;
use crate::undo::{self, UndoInput, UndoKind, UndoRow};
use crate::view::{CalendarView, NextInvoiceView, SyncView, UndoRowView, UndoView};
use crate::{clock::Clock, words};

/// A sync to undo and what its plan is made from, as cached.
struct Undoing {
    record: SyncRecord,
    task: crate::task::TaskRow,
    agreement: Agreement,
    company_name: String,
    currency: Currency,
    additions: Vec<Addition>,
    fetched_at: Option<String>,
    invoiced: Invoiced,
    choices: HashMap<String, bool>,
    /// The rows earlier undos of this sync wrote.
    undone: HashSet<String>,
}

impl Undoing {
    fn rows(&self, current: &[Addition], invoiced: &Invoiced) -> Result<Vec<UndoRow>> {
        undo::plan(&UndoInput {
            sync: &self.record,
            current,
            invoiced,
            boundary_then: self.record.boundary,
            currency: &self.currency,
            choices: &self.choices,
            undone: &self.undone,
        })
    }
}

/// The rows the undos of a sync wrote (confirmed), by key.
fn undone_rows(conn: &Connection, sync_id: i64) -> Result<HashSet<String>> {
    Ok(conn
        .prepare_cached(
            "SELECT json_extract(w.spec, '$.rowKey') FROM sync_writes w
             JOIN syncs u ON u.id = w.sync_id
             WHERE u.undoes = ?1 AND w.state = 'confirmed' AND json_valid(w.spec)",
        )?
        .query_map([sync_id], |r| r.get::<_, Option<String>>(0))?
        .filter_map(|k| k.transpose())
        .collect::<rusqlite::Result<_>>()?)
}

fn choices(conn: &Connection, sync_id: i64) -> Result<HashMap<String, bool>> {
    Ok(conn
        .prepare_cached("SELECT row_key, selected FROM undo_choices WHERE sync_id = ?1")?
        .query_map([sync_id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?)
}

/// Whether a sync can be undone at all: it finished and wrote something of its own.
fn undoable(r: &SyncRecord) -> Result<()> {
    let refuse = |why: String| Err(Error::invalid(ErrorField::Sync, why));
    match r.state {
        SyncState::Synced => Ok(()),
        SyncState::AlreadyInConnectWise => refuse(format!(
            "Sync {} wrote nothing (its writes were already in ConnectWise, from another desk): there is nothing of it to undo here.",
            r.id
        )),
        s if s.is_open() => refuse(format!(
            "Sync {} is unfinished: finish it (Retry) or set it aside before undoing it.",
            r.id
        )),
        _ => refuse(format!("Sync {} wrote nothing: there is nothing to undo.", r.id)),
    }
}

fn load(conn: &Connection, sync_id: i64) -> Result<Undoing> {
    let record = journal::record(conn, sync_id)?;
    undoable(&record)?;
    let task = tasks::get(conn, record.task_id)?;
    let agreement = cw_store::agreement(conn, record.agreement_id)?.ok_or_else(|| {
        Error::NotFound(format!(
            "The cached agreement {} of sync {sync_id}",
            record.agreement_id
        ))
    })?;
    let (additions, fetched_at) = match cw_store::additions_of(conn, agreement.id)? {
        Some((a, at)) => (a, Some(at)),
        None => (Vec::new(), None),
    };
    let currency = crate::fit::agreement_currency(&agreement, &cw_store::currencies(conn)?);
    let invoiced = calendar::invoiced(&agreement, &cw_store::recap(conn, agreement.id)?);
    let company_name = agreement.company.name.clone();
    Ok(Undoing {
        choices: choices(conn, sync_id)?,
        undone: undone_rows(conn, sync_id)?,
        record,
        task,
        agreement,
        company_name,
        currency,
        additions,
        fetched_at,
        invoiced,
    })
}

/// The next invoice before → after the undo's rows.
fn next_invoice(u: &Undoing, rows: &[UndoRow]) -> Result<Option<NextInvoiceView>> {
    let Some(cal) = u.invoiced.calendar() else {
        return Ok(None);
    };
    let planned: Vec<_> = rows.iter().map(|r| r.row.clone()).collect();
    let bill = u.agreement.bill_amount.unwrap_or_default();
    let change = crate::invoice::change(cal, bill, &u.additions, &planned, &u.currency)?;
    Ok(Some(NextInvoiceView::of(&change, &u.currency)))
}

fn row_view(u: &Undoing, r: &UndoRow) -> UndoRowView {
    let now = r
        .row
        .existing_addition_id
        .and_then(|id| u.additions.iter().find(|a| a.id == id));
    let now_words = now.map_or_else(|| "—".to_owned(), super::log::addition_words);
    let places = u.currency.amount_places();
    let after = match r.kind {
        UndoKind::Remove => "removed".to_owned(),
        UndoKind::End => format!(
            "ends {}",
            r.row.cancel_date.map(|d| d.to_string()).unwrap_or_default()
        ),
        UndoKind::Credit => format!(
            "credit {} {} on the next invoice",
            crate::money::format(r.row.ext_price, places),
            u.currency.code
        ),
        UndoKind::Restore | UndoKind::Recreate => format!(
            "{} × {} @ {}, {} → {}",
            r.row.quantity.normalize(),
            r.row.product_key,
            crate::money::format_price(r.row.unit_price, &u.currency),
            r.row.effective_date,
            r.row
                .cancel_date
                .map_or_else(|| "open".to_owned(), |d| d.to_string())
        ),
        UndoKind::Conflict | UndoKind::Done => "left as it is".to_owned(),
    };
    UndoRowView {
        key: r.row.key.clone(),
        kind: r.kind,
        selected: r.row.selected,
        optional: r.kind == UndoKind::Credit,
        seq: r.seq,
        addition_id: r.row.existing_addition_id,
        product_name: r.row.product_name.clone(),
        now: now_words,
        after,
        amount: (r.kind == UndoKind::Credit).then(|| crate::money::format(r.row.ext_price, places)),
        words: r.words.clone(),
    }
}

/// Why an undo has nothing to write, when it has nothing.
fn nothing_words(u: &Undoing, rows: &[UndoRow]) -> Option<String> {
    if rows.iter().any(UndoRow::writes) {
        return None;
    }
    Some(match (u.record.undone_by, rows.is_empty()) {
        (Some(by), _) => format!("Undone already by sync {by}: nothing left to write."),
        (None, true) => "This sync wrote nothing that can be undone.".to_owned(),
        (None, false) => {
            if rows.iter().any(|r| r.kind == UndoKind::Conflict) {
                "Nothing can be undone automatically: each row says why.".to_owned()
            } else {
                "Nothing left to undo: ConnectWise already holds the agreement as before this sync."
                    .to_owned()
            }
        }
    })
}

fn view(u: &Undoing, offline: Option<String>) -> Result<UndoView> {
    let rows = u.rows(&u.additions, &u.invoiced)?;
    Ok(UndoView {
        sync: SyncView::from(u.record.clone()),
        task: u.task.clone(),
        company_name: u.company_name.clone(),
        writes: rows.iter().filter(|r| r.writes()).count() as u32,
        nothing_to_write: nothing_words(u, &rows),
        calendar: CalendarView::of(&u.invoiced),
        next_invoice: next_invoice(u, &rows)?,
        rows: rows.iter().map(|r| row_view(u, r)).collect(),
        connectwise_fetched_at: u.fetched_at.clone(),
        offline,
    })
}

/// The undo of a sync from the cache, as it stands.
pub fn build(conn: &Connection, sync_id: i64) -> Result<UndoView> {
    view(&load(conn, sync_id)?, None)
}

/// Opens the undo of a sync: reads its agreement, additions and invoice calendar again (when
/// ConnectWise answers; else the plan is made from the cache, and says so), then builds it.
pub async fn open(
    cw: Option<&ConnectWiseClient>,
    store: &Store,
    clock: &Clock,
    sync_id: i64,
) -> Result<UndoView> {
    let agreement_id = store
        .call(move |c| {
            let r = journal::record(c, sync_id)?;
            undoable(&r)?;
            Ok(r.agreement_id)
        })
        .await?;
    let offline = match cw {
        None => Some("ConnectWise is not connected: the plan is made from the cached agreement; Sync reads it again before writing.".to_owned()),
        Some(cw) => match apply::read_agreement(cw, store, clock, agreement_id).await {
            Ok(()) => None,
            Err(e) => Some(format!(
                "ConnectWise could not be read ({e}): the plan is made from the cached agreement; Sync reads it again before writing."
            )),
        },
    };
    store.call(move |c| view(&load(c, sync_id)?, offline)).await
}

/// Selects an optional row of the undo (a credit) or leaves it out.
pub fn select(conn: &Connection, sync_id: i64, row_key: &str, selected: bool) -> Result<UndoView> {
    let u = load(conn, sync_id)?;
    let rows = u.rows(&u.additions, &u.invoiced)?;
    let row = rows.iter().find(|r| r.row.key == row_key).ok_or_else(|| {
        Error::invalid(
            ErrorField::Sync,
            format!("The undo of sync {sync_id} has no row “{row_key}”: open it again."),
        )
    })?;
    if row.kind != UndoKind::Credit {
        return Err(Error::invalid(
            ErrorField::Sync,
            "Only a credit is optional: the other rows of an undo are written as shown.",
        ));
    }
    conn.execute(
        "INSERT INTO undo_choices (sync_id, row_key, selected) VALUES (?1, ?2, ?3)
         ON CONFLICT (sync_id, row_key) DO UPDATE SET selected = excluded.selected",
        params![sync_id, row_key, selected],
    )?;
    build(conn, sync_id)
}

/// What a row writes, to tell the undo shown from the undo made again before writing.
fn essentials(r: &UndoRow) -> String {
    let row = &r.row;
    format!(
        "{:?} {:?} {:?} {} {:?} {} {} {} {}",
        r.kind,
        row.action,
        row.existing_addition_id,
        row.effective_date,
        row.cancel_date,
        row.quantity.normalize(),
        row.unit_price.normalize(),
        row.bill_customer.as_str(),
        row.selected
    )
}

/// How the undo made now differs from the one shown, in words; empty when it is the same.
fn differences(shown: &[UndoRow], now: &[UndoRow]) -> Vec<String> {
    let mut out = Vec::new();
    for r in shown {
        match now.iter().find(|n| n.row.key == r.row.key) {
            None => out.push(format!(
                "write {}: {} — no longer part of the undo",
                r.seq, r.words
            )),
            Some(n) if essentials(n) != essentials(r) => {
                out.push(format!("write {}: now — {}", r.seq, n.words))
            }
            Some(_) => {}
        }
    }
    for n in now
        .iter()
        .filter(|n| !shown.iter().any(|r| r.row.key == n.row.key))
    {
        out.push(format!("write {}: new — {}", n.seq, n.words));
    }
    out
}

/// Writes the undo of a sync (SPEC §17): the agreement is read again; if it changed since the
/// undo was shown, nothing is written and the changes are named; otherwise its writes are
/// journaled as a sync of their own and written like any sync. An unfinished undo of the same
/// sync is finished instead; an undo with nothing left to write writes nothing.
pub async fn run(s: &Syncer<'_>, sync_id: i64) -> Result<SyncView> {
    let (u, open) = s
        .store
        .call(move |c| {
            let u = load(c, sync_id)?;
            let open = journal::open_of_task(c, u.record.task_id)?;
            let open = match open {
                Some(id) => Some((id, journal::record(c, id)?.undoes)),
                None => None,
            };
            Ok((u, open))
        })
        .await?;
    match open {
        Some((id, Some(undone))) if undone == sync_id => return apply::run(s, id, None).await,
        Some((id, _)) => {
            return Err(Error::invalid(
                ErrorField::Sync,
                format!("This task has an unfinished sync ({id}): finish it (Retry) or set it aside before undoing."),
            ))
        }
        None => {}
    }
    let reviewed = u.rows(&u.additions, &u.invoiced)?;
    let agreement = &u.agreement;
    let current = s.cw.additions(agreement.id).await?;
    let now_invoiced = calendar::invoiced(agreement, &apply::calendar_now(s, agreement.id).await?);
    // The undo is made again from ConnectWise as it is now (each row's lastUpdated checked
    // again); it is written only if it is the undo that was shown.
    let fresh = u.rows(&current, &now_invoiced)?;
    let mut changes = differences(&reviewed, &fresh);
    if now_invoiced.floor() != u.invoiced.floor() {
        changes.push(calendar::moved_words(&u.invoiced, &now_invoiced));
    }
    let unwritten = |state, message: String, changes: Vec<String>, additions| Unwritten {
        task_id: u.record.task_id,
        agreement_id: agreement.id,
        agreement_name: agreement.name.clone(),
        currency: u.currency.code.clone(),
        state,
        message,
        changes,
        additions,
        undoes: Some(sync_id),
    };
    if !changes.is_empty() {
        let message = "Nothing was undone: the agreement changed in ConnectWise since the undo was shown. Open the undo again to see it as it is now.".to_owned();
        let id = apply::record_unwritten(
            s,
            unwritten(SyncState::Changed, message, changes, Some(current)),
        )
        .await?;
        return s.view(id, None).await;
    }
    let rows: Vec<_> = fresh
        .iter()
        .filter(|r| r.writes())
        .map(|r| r.row.clone())
        .collect();
    let specs = write::specs(&rows, &current, &u.currency)?;
    if specs.is_empty() {
        let message =
            nothing_words(&u, &fresh).unwrap_or_else(|| "Nothing left to undo.".to_owned());
        let id = apply::record_unwritten(
            s,
            unwritten(
                SyncState::NothingToWrite,
                message,
                Vec::new(),
                Some(current),
            ),
        )
        .await?;
        return s.view(id, None).await;
    }
    let known: Vec<i64> = current.iter().map(|a| a.id).collect();
    let boundary = now_invoiced.calendar().map(|c| c.boundary);
    let (now, profile) = (s.clock.now_text(), s.profile_name.to_owned());
    let (task_id, name, code) = (
        u.record.task_id,
        agreement.name.clone(),
        u.currency.code.clone(),
    );
    let agreement_id = agreement.id;
    let id = s
        .store
        .call(move |c| {
            let sync = journal::NewSync {
                task_id,
                profile_name: &profile,
                agreement_id,
                agreement_name: &name,
                currency: &code,
                state: SyncState::Running,
                message: None,
                changes: &[],
                known_ids: &known,
                now: &now,
                desk: crate::desk::this_desk(),
                undoes: Some(sync_id),
                boundary,
            };
            let tx = c.transaction()?;
            let id = journal::insert(&tx, &sync, &specs)?;
            tx.commit()?;
            Ok(id)
        })
        .await?;
    tracing::info!(sync_id = id, undoes = sync_id, "undo journaled");
    apply::run(s, id, Some(current)).await
}

/// The syncs of a batch's tasks to undo (the last of each task that wrote something), and the
/// tasks left out with why.
pub fn batch_syncs(conn: &Connection, batch_id: i64) -> Result<(Vec<i64>, Vec<String>)> {
    let rows: Vec<(i64, Option<i64>, String)> = conn
        .prepare(
            "SELECT b.task_id, b.sync_id, t.customer_name || ' — order ' || t.order_id
             FROM batch_tasks b JOIN tasks t ON t.id = b.task_id
             WHERE b.batch_id = ?1 ORDER BY b.position",
        )?
        .query_map([batch_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    if rows.is_empty() {
        return Err(Error::NotFound(format!("Batch {batch_id}")));
    }
    let mut syncs = Vec::new();
    let mut skipped = Vec::new();
    for (_, sync_id, label) in rows {
        let Some(id) = sync_id else {
            skipped.push(format!("{label}: not synced in this batch."));
            continue;
        };
        let r = journal::record(conn, id)?;
        match (undoable(&r), r.undone_by) {
            (Ok(()), None) => syncs.push(id),
            (Ok(()), Some(by)) => skipped.push(format!("{label}: undone already by sync {by}.")),
            (Err(e), _) => skipped.push(format!("{label}: {e}")),
        }
    }
    Ok((syncs, skipped))
}

/// What undoing several syncs did, in words.
pub fn board_words(results: &[SyncView]) -> String {
    let count = |state| results.iter().filter(|r| r.state == state).count();
    let undone = count(SyncState::Synced);
    let mut parts = vec![format!(
        "{} undone",
        words::counted(undone, "sync", "syncs")
    )];
    for (state, what) in [
        (SyncState::NothingToWrite, "had nothing left to undo"),
        (SyncState::Changed, "changed in ConnectWise and were left"),
        (SyncState::Failed, "failed (Retry finishes them)"),
    ] {
        let n = count(state);
        if n > 0 {
            parts.push(format!("{n} {what}"));
        }
    }
    format!("{}.", parts.join(", "))
}
