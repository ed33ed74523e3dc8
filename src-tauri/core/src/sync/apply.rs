//! Sync (SPEC §7): writes a task's reviewed plan to ConnectWise safely.
//!
//! 1. The agreement's additions are read again; if they differ from what the person reviewed,
//!    nothing is written and the differences are shown.
//! 2. Every write is journaled (SQLite) before anything is sent, and each is marked `sending`
//!    before it goes out and with its result after.
//! 3. A write whose answer is lost (timeout, dropped connection, 5xx) is never sent again
//!    blindly: the agreement is re-read and the write looked for (product, dates, quantity,
//!    price). Only a write shown not to have happened is sent again, a bounded number of times.
//! 4. A sync left unfinished (an error, or the app killed) is finished by running it again from
//!    its journal — the same checks, so no addition is ever written twice.

use std::collections::HashSet;
use std::time::Duration;

use crate::calendar::{self, Invoiced, RecapRead};
use crate::clock::Clock;
use crate::connectwise::wire::{Addition, Agreement};
use crate::connectwise::{ConnectWiseClient, WriteError};
use crate::error::{Error, ErrorField, Result};
use crate::found;
use crate::http::RetryPolicy;
use crate::ledger::{self, KeyPlace};
use crate::money::Currency;
use crate::plan::PlannedAddition;
use crate::review;
use crate::store::journal::{JournaledWrite, SyncRecord};
use crate::store::{self, connectwise as cw_store, journal, tasks, Store};
use crate::sync::write::{self, WriteKind};
use crate::sync::{SyncState, WriteState};
use crate::task::TaskStatus;
use crate::view::{SyncView, WizardView};
use crate::wizard;
use crate::words;

/// How many times one write that was shown not to have happened is sent.
pub const MAX_SENDS: u32 = 3;

/// What a sync needs.
pub struct Syncer<'a> {
    pub cw: &'a ConnectWiseClient,
    pub store: &'a Store,
    pub profile_name: &'a str,
    /// The wait before sending again a write that did not happen.
    pub backoff: RetryPolicy,
    /// Where "now" comes from.
    pub clock: &'a Clock,
    /// Called with the sync as it moves on (each write's state, what it is doing).
    pub progress: &'a (dyn Fn(SyncView) + Send + Sync),
    /// The invoice calendars a batch read already (one read per agreement per run); `None`
    /// reads the agreement's each time.
    pub calendars: Option<&'a CalendarReads>,
}

/// Invoice calendars read during one batch, by agreement.
pub type CalendarReads = std::sync::Mutex<std::collections::HashMap<i64, RecapRead>>;

/// The agreement's invoice calendar right before writing (SPEC §16): read from ConnectWise, or
/// from what this batch read of it already.
pub(crate) async fn calendar_now(s: &Syncer<'_>, agreement_id: i64) -> Result<RecapRead> {
    let lock = |c: &'_ CalendarReads| {
        c.lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(&agreement_id)
            .cloned()
    };
    if let Some(read) = s.calendars.and_then(lock) {
        return Ok(read);
    }
    let read = read_calendar(s.cw, s.store, s.clock, agreement_id).await?;
    if let Some(c) = s.calendars {
        c.lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(agreement_id, read.clone());
    }
    Ok(read)
}

impl Syncer<'_> {
    pub(crate) async fn view(&self, sync_id: i64, activity: Option<String>) -> Result<SyncView> {
        let mut v = SyncView::from(
            self.store
                .call(move |c| journal::record(c, sync_id))
                .await?,
        );
        v.activity = activity;
        Ok(v)
    }

    async fn report(&self, sync_id: i64, activity: impl Into<String>) {
        if let Ok(v) = self.view(sync_id, Some(activity.into())).await {
            (self.progress)(v);
        }
    }
}

/// What Sync writes from: the task's review, decided again from the cache.
struct Reviewed {
    /// The order (or fix) and subscription the task's keys name.
    source: (String, String),
    agreement: Agreement,
    currency: Currency,
    /// The agreement's additions as reviewed.
    before: Vec<Addition>,
    rows: Vec<PlannedAddition>,
    /// The invoice calendar as reviewed.
    invoiced: Invoiced,
}

/// The task's review, if it has no problem left (Sync writes nothing else).
fn reviewed(conn: &rusqlite::Connection, task_id: i64) -> Result<Reviewed> {
    let loaded = review::load(conn, task_id)?;
    let decided = review::review(&loaded)?;
    if let Some(first) = decided.problems.first() {
        let n = decided.problems.len();
        return Err(Error::invalid(
            ErrorField::Sync,
            format!(
                "{} must be fixed before Sync: {}",
                words::counted(n, "problem", "problems"),
                first.message
            ),
        ));
    }
    let planned = decided.planned.ok_or_else(|| {
        Error::invalid(
            crate::error::ReviewField::Agreement,
            "Choose the agreement to change.",
        )
    })?;
    Ok(Reviewed {
        source: (loaded.order.id.clone(), loaded.subscription.id.clone()),
        agreement: planned.agreement.clone(),
        currency: planned.currency,
        before: planned.additions.to_vec(),
        rows: planned.plan.rows,
        invoiced: planned.invoiced,
    })
}

/// Syncs a task: finishes its unfinished sync if it has one; checks again (writing nothing) if
/// it is synced; otherwise writes its reviewed plan.
pub async fn sync_task(s: &Syncer<'_>, task_id: i64) -> Result<SyncView> {
    let (task, open, last) = s
        .store
        .call(move |c| {
            Ok((
                tasks::get(c, task_id)?,
                journal::open_of_task(c, task_id)?,
                journal::last_synced_of_task(c, task_id)?,
            ))
        })
        .await?;
    if let Some(id) = open {
        return run(s, id, None).await;
    }
    match task.status {
        TaskStatus::Synced => return check_again(s, task_id, last).await,
        TaskStatus::Ignored => {
            return Err(Error::invalid(
                ErrorField::Status,
                "This task is ignored: un-ignore it before syncing.",
            ))
        }
        TaskStatus::Pending | TaskStatus::Failed => {}
    }

    let Reviewed {
        source,
        agreement,
        currency,
        before,
        mut rows,
        invoiced,
    } = s.store.call(move |c| reviewed(c, task_id)).await?;
    // 1. What ConnectWise has now, against what was reviewed — leaving out what this task's
    //    own writes did from another desk since (SPEC §15), which is recognised instead.
    let current = s.cw.additions(agreement.id).await?;
    let source = (source.0.as_str(), source.1.as_str());
    let not_ours = |list: &[Addition]| -> Vec<Addition> {
        list.iter()
            .filter(|a| !ledger::is_of(a, source.0, source.1))
            .cloned()
            .collect()
    };
    let mut changes = write::changes(
        &not_ours(&before),
        &found::without_own_writes(&before, &current, &rows, source),
    );
    // A boundary that moved since the review stops the sync like any other change (SPEC §16).
    let now_invoiced = calendar::invoiced(&agreement, &calendar_now(s, agreement.id).await?);
    if now_invoiced.floor() != invoiced.floor() {
        changes.push(calendar::moved_words(&invoiced, &now_invoiced));
    }
    if changes.is_empty() {
        let (mine, others) = found::split(&current, source.0, source.1);
        found::mark_written(&mut rows, &mine, &others);
    }
    let now = s.clock.now_text();
    if !changes.is_empty() {
        let id = record_unwritten(
            s,
            Unwritten {
                task_id,
                agreement_id: agreement.id,
                agreement_name: agreement.name.clone(),
                currency: currency.code.clone(),
                state: SyncState::Changed,
                message: "Nothing was written: the agreement changed in ConnectWise since it was reviewed. Refresh and review the changes again.".into(),
                changes,
                additions: None,
                undoes: None,
            },
        )
        .await?;
        return s.view(id, None).await;
    }
    let specs = write::specs(&rows, &current, &currency)?;
    if specs.is_empty() {
        return Err(Error::invalid(
            ErrorField::Sync,
            "Nothing is selected to write: select at least one row.",
        ));
    }
    if specs.iter().all(|w| w.already.is_some()) {
        return already_in_connectwise(s, task_id, (&agreement, &currency), specs, current).await;
    }

    // 2. The journal, before anything is sent.
    let known: Vec<i64> = current.iter().map(|a| a.id).collect();
    let boundary = now_invoiced.calendar().map(|c| c.boundary);
    let (name, code, profile) = (
        agreement.name.clone(),
        currency.code.clone(),
        s.profile_name.to_owned(),
    );
    let id = s
        .store
        .call(move |c| {
            let sync = journal::NewSync {
                task_id,
                profile_name: &profile,
                agreement_id: agreement.id,
                agreement_name: &name,
                currency: &code,
                state: SyncState::Running,
                message: None,
                changes: &[],
                known_ids: &known,
                now: &now,
                desk: crate::desk::this_desk(),
                undoes: None,
                boundary,
            };
            let tx = c.transaction()?;
            let id = journal::insert(&tx, &sync, &specs)?;
            tx.commit()?;
            Ok(id)
        })
        .await?;
    run(s, id, Some(current)).await
}

/// Runs (or finishes) a journaled sync.
pub(crate) async fn run(
    s: &Syncer<'_>,
    sync_id: i64,
    fresh: Option<Vec<Addition>>,
) -> Result<SyncView> {
    let now = s.clock.now_text();
    let j = s
        .store
        .call(move |c| {
            journal::set_state(c, sync_id, SyncState::Running, None, &now)?;
            journal::record(c, sync_id)
        })
        .await?;
    let place = key_place(s, fresh.as_deref()).await;
    let mut run = Run {
        place,
        known: j.known_ids.iter().copied().collect(),
        claimed: j
            .writes
            .iter()
            .filter(|w| w.state == WriteState::Confirmed && w.spec.kind == WriteKind::Create)
            .filter_map(|w| w.addition_id)
            .collect(),
        fresh,
        j: &j,
    };
    for w in j.writes.iter().filter(|w| w.state != WriteState::Confirmed) {
        if let Step::Stopped(view) = write_one(s, &mut run, w).await? {
            return Ok(*view);
        }
    }
    let fresh = run.fresh;
    let done = Done {
        sync_id,
        task_id: j.task_id,
        agreement_id: j.agreement_id,
        total: j.writes.len(),
        undoes: j.undoes,
    };
    finish(s, done, fresh).await
}

/// A sync whose writes are all confirmed.
struct Done {
    sync_id: i64,
    task_id: i64,
    agreement_id: i64,
    total: usize,
    /// The sync it undid, for an undo.
    undoes: Option<i64>,
}

/// What a run of a sync knows as it goes.
struct Run<'j> {
    j: &'j SyncRecord,
    /// Where this desk writes the keys of the additions it creates.
    place: KeyPlace,
    /// The agreement's additions before the sync's first write.
    known: HashSet<i64>,
    /// Additions this sync's creates have made (one write, one addition).
    claimed: HashSet<i64>,
    /// The agreement's additions as last read, kept up to date with each write's answer.
    fresh: Option<Vec<Addition>>,
}

impl Run<'_> {
    /// Addition `id` as last read: absent when the read does not hold it.
    fn state_of(&self, id: i64) -> journal::State {
        match &self.fresh {
            Some(list) => journal::State::of(list.iter().find(|a| a.id == id)),
            None => journal::State::NotRecorded,
        }
    }

    /// `addition` is what write `w` made or changed.
    fn written(&mut self, w: &JournaledWrite, addition: Addition) {
        if w.spec.kind == WriteKind::Create {
            self.claimed.insert(addition.id);
        }
        if let Some(list) = self.fresh.as_mut() {
            list.retain(|a| a.id != addition.id);
            list.push(addition);
        }
    }
}

/// How a write ended in this run.
enum Step {
    /// Confirmed: go on with the next.
    Written,
    /// The sync stopped here (failed, or its outcome cannot be known now).
    Stopped(Box<SyncView>),
}

/// Writes one journaled write: looks first if it may have been sent before, sends it (again,
/// up to `MAX_SENDS` in a run, while its answer is lost), and records each outcome.
async fn write_one(s: &Syncer<'_>, run: &mut Run<'_>, w: &JournaledWrite) -> Result<Step> {
    let (seq, write_id, total) = (w.seq, w.id, run.j.writes.len());
    let (sync_id, task_id, agreement_id) = (run.j.id, run.j.task_id, run.j.agreement_id);
    let mut state = w.state;
    let mut attempts = w.attempts;
    // Sends in this run; each run (a Retry) may send a write that did not happen again.
    let mut sent = 0;
    loop {
        if matches!(state, WriteState::Sending | WriteState::Unknown) {
            // Sent before, answer unknown: look before sending again.
            if let Some(step) = look_for(s, run, w).await? {
                return Ok(step);
            }
        }
        if sent >= MAX_SENDS {
            let message = format!(
                "Write {seq} did not happen after {sent} attempts; nothing more was sent. Retry tries again."
            );
            return fail(s, sync_id, task_id, write_id, WriteState::Failed, &message)
                .await
                .map(|view| Step::Stopped(Box::new(view)));
        }
        if state == WriteState::Pending && w.spec.key.is_some() {
            // Before creating: did another desk write it since the review (SPEC §15)?
            if let Some(step) = look_for_key(s, run, w).await? {
                return Ok(step);
            }
        }
        if w.spec.kind == WriteKind::Patch && w.spec.fields.is_empty() {
            let id = w.spec.addition_id.unwrap_or_default();
            let after = run.state_of(id);
            let note = "Already as planned in ConnectWise; nothing to send.";
            confirm(s, write_id, id, after, Some(note)).await?;
            return Ok(Step::Written);
        }
        let before = state_before(s, run, w).await;
        let now = s.clock.now_text();
        s.store
            .call(move |c| journal::mark_sending(c, write_id, &before, &now))
            .await?;
        attempts += 1;
        sent += 1;
        let doing = format!(
            "Writing {seq} of {total}: {}",
            w.spec.label.label().to_lowercase()
        );
        s.report(sync_id, doing).await;
        let id = w.spec.addition_id.unwrap_or_default();
        let result = match w.spec.kind {
            WriteKind::Create => {
                s.cw.create_addition(agreement_id, &w.spec.new_addition(&run.place))
                    .await
                    .map(Some)
            }
            WriteKind::Patch => {
                s.cw.patch_addition(agreement_id, id, &w.spec.patch())
                    .await
                    .map(Some)
            }
            WriteKind::Delete => s.cw.delete_addition(agreement_id, id).await.map(|()| None),
        };
        match result {
            Ok(Some(addition)) if w.spec.key.is_some() => {
                converge(s, run, w, addition).await?;
                return Ok(Step::Written);
            }
            Ok(Some(addition)) => {
                let after = journal::State::of(Some(&addition));
                confirm(s, write_id, addition.id, after, None).await?;
                run.written(w, addition);
                return Ok(Step::Written);
            }
            Ok(None) => {
                confirm(s, write_id, id, journal::State::Absent, None).await?;
                if let Some(list) = run.fresh.as_mut() {
                    list.retain(|a| a.id != id);
                }
                return Ok(Step::Written);
            }
            Err(WriteError::NotApplied(e)) => {
                let message = format!("ConnectWise did not accept write {seq}: {e}");
                return fail(s, sync_id, task_id, write_id, WriteState::Failed, &message)
                    .await
                    .map(|view| Step::Stopped(Box::new(view)));
            }
            Err(WriteError::Unknown(e)) => {
                let text = format!("The answer was lost ({e}); checking whether it happened.");
                let now = s.clock.now_text();
                s.store
                    .call(move |c| {
                        let unknown = WriteState::Unknown;
                        journal::set_write(c, write_id, unknown, None, Some(&text), &now)
                    })
                    .await?;
                tracing::warn!(sync_id, seq, "write outcome unknown: {e}");
                state = WriteState::Unknown;
                run.fresh = None;
                tokio::time::sleep(s.backoff.delay(attempts, None)).await;
            }
        }
    }
}

/// For a write sent before whose answer was lost: is it in ConnectWise? `Some(Written)` when it
/// is (confirmed, not sent again), `None` when it is not (safe to send), `Some(Stopped)` when the
/// agreement cannot be read to tell.
async fn look_for(s: &Syncer<'_>, run: &mut Run<'_>, w: &JournaledWrite) -> Result<Option<Step>> {
    let (seq, total) = (w.seq, run.j.writes.len());
    let doing = format!("Checking in ConnectWise whether write {seq} of {total} happened");
    s.report(run.j.id, doing).await;
    let additions = match run.fresh.take() {
        Some(a) => a,
        None => match s.cw.additions(run.j.agreement_id).await {
            Ok(a) => a,
            Err(e) => {
                let message = format!(
                    "Write {seq} was sent but its answer was lost, and the agreement could not be read to check whether it happened ({e}). Nothing was sent again. Retry checks and finishes the rest."
                );
                let (sync_id, task_id) = (run.j.id, run.j.task_id);
                return fail(s, sync_id, task_id, w.id, WriteState::Unknown, &message)
                    .await
                    .map(|view| Some(Step::Stopped(Box::new(view))));
            }
        },
    };
    let found = w.spec.find_in(&additions, &run.known, &run.claimed);
    run.fresh = Some(additions);
    let Some(addition_id) = found else {
        return Ok(None);
    };
    let mut note =
        "Its answer was lost; found in ConnectWise, so it was not sent again.".to_owned();
    if let Some(copies) = remove_copies(s, run, w, addition_id).await {
        note = format!("{note} {copies}");
    }
    let after = run.state_of(addition_id);
    confirm(s, w.id, addition_id, after, Some(&note)).await?;
    if w.spec.kind == WriteKind::Create {
        run.claimed.insert(addition_id);
    }
    Ok(Some(Step::Written))
}

/// Records a write as confirmed, with the addition as it left it.
async fn confirm(
    s: &Syncer<'_>,
    write_id: i64,
    addition_id: i64,
    after: journal::State,
    message: Option<&str>,
) -> Result<()> {
    let now = s.clock.now_text();
    let message = message.map(str::to_owned);
    s.store
        .call(move |c| {
            let tx = c.transaction()?;
            journal::set_write(
                &tx,
                write_id,
                WriteState::Confirmed,
                Some(addition_id),
                message.as_deref(),
                &now,
            )?;
            journal::set_after(&tx, write_id, &after)?;
            tx.commit()?;
            Ok(())
        })
        .await
}

/// The addition a write changes, right before it is sent (SPEC §17): none for a create; for a
/// change or a removal, from the agreement as last read (read now if it was not).
async fn state_before(s: &Syncer<'_>, run: &mut Run<'_>, w: &JournaledWrite) -> journal::State {
    if w.spec.kind == WriteKind::Create {
        return journal::State::Absent;
    }
    if run.fresh.is_none() {
        match s.cw.additions(run.j.agreement_id).await {
            Ok(list) => run.fresh = Some(list),
            Err(e) => {
                tracing::warn!(
                    seq = w.seq,
                    "could not read the addition before writing: {e}"
                );
                return journal::State::NotRecorded;
            }
        }
    }
    run.state_of(w.spec.addition_id.unwrap_or_default())
}

/// Where this desk writes its keys: the custom field the profile names when ConnectWise shows it
/// (on the additions just read, else on any cached one) and it is Text; else `serialNumber`.
async fn key_place(s: &Syncer<'_>, fresh: Option<&[Addition]>) -> KeyPlace {
    let Some(named) = s.cw.key_field().map(str::to_owned) else {
        return KeyPlace::SerialNumber;
    };
    if let ledger::FieldCheck::Found { id, caption } =
        ledger::check_field(Some(&named), fresh.unwrap_or_default())
    {
        return KeyPlace::CustomField { id, caption };
    }
    let cached = s
        .store
        .call(move |c| {
            let all = cw_store::all_additions(c)?;
            Ok(ledger::check_field(Some(&named), all.values().flatten()).place())
        })
        .await;
    cached.unwrap_or_else(|e| {
        tracing::warn!("could not look for the key field in the cache: {e}");
        KeyPlace::SerialNumber
    })
}

/// Before a keyed create is sent: is an addition with its key in ConnectWise already (another
/// desk wrote it since the review)? `Some(Written)` when it is (confirmed, not sent), `None`
/// when it is not, `Some(Stopped)` when the agreement cannot be read to tell.
async fn look_for_key(
    s: &Syncer<'_>,
    run: &mut Run<'_>,
    w: &JournaledWrite,
) -> Result<Option<Step>> {
    if run.fresh.is_none() {
        match s.cw.additions(run.j.agreement_id).await {
            Ok(a) => run.fresh = Some(a),
            Err(e) => {
                let message = format!(
                    "The agreement could not be read to check that no other desk wrote write {} already ({e}). Nothing was sent. Retry checks and finishes the rest.",
                    w.seq
                );
                let (sync_id, task_id) = (run.j.id, run.j.task_id);
                return fail(s, sync_id, task_id, w.id, WriteState::Pending, &message)
                    .await
                    .map(|view| Some(Step::Stopped(Box::new(view))));
            }
        }
    }
    let additions = run.fresh.as_deref().unwrap_or_default();
    let Some(id) = w.spec.find_in(additions, &run.known, &run.claimed) else {
        return Ok(None);
    };
    let mut note = format!(
        "Already in ConnectWise as addition {id}, written with the same key by another desk since the review: not sent."
    );
    if let Some(copies) = remove_copies(s, run, w, id).await {
        note = format!("{note} {copies}");
    }
    let after = run.state_of(id);
    confirm(s, w.id, id, after, Some(&note)).await?;
    run.claimed.insert(id);
    Ok(Some(Step::Written))
}

/// After a keyed create: reads the agreement again, and if another desk created the same key at
/// the same moment, the two converge on one (SPEC §15): the addition with the lowest id stays and
/// every later copy made since this sync began (seconds ago, never invoiced) is removed — by
/// whichever desk sees it first; the other desk's removal of the same copy finds it gone.
async fn converge(
    s: &Syncer<'_>,
    run: &mut Run<'_>,
    w: &JournaledWrite,
    ours: Addition,
) -> Result<()> {
    let (agreement_id, mine) = (run.j.agreement_id, ours.id);
    let list = match s.cw.additions(agreement_id).await {
        Ok(list) => list,
        Err(e) => {
            tracing::warn!(mine, "could not read the agreement after a create: {e}");
            let after = journal::State::of(Some(&ours));
            confirm(s, w.id, mine, after, None).await?;
            run.written(w, ours);
            return Ok(());
        }
    };
    run.fresh = Some(list);
    let kept = w
        .spec
        .find_in(
            run.fresh.as_deref().unwrap_or_default(),
            &run.known,
            &run.claimed,
        )
        .unwrap_or(mine)
        .min(mine);
    let note = remove_copies(s, run, w, kept).await;
    let after = if kept == mine {
        journal::State::of(Some(&ours))
    } else {
        run.state_of(kept)
    };
    confirm(s, w.id, kept, after, note.as_deref()).await?;
    if kept == mine {
        run.written(w, ours);
    } else {
        run.claimed.insert(kept);
    }
    Ok(())
}

/// Removes every copy of a keyed write's addition but `kept` that was made since this sync began
/// (two desks wrote it at once), from the agreement as last read. Says what it found, if any.
async fn remove_copies(
    s: &Syncer<'_>,
    run: &mut Run<'_>,
    w: &JournaledWrite,
    kept: i64,
) -> Option<String> {
    let copies: Vec<i64> = run
        .fresh
        .as_deref()
        .unwrap_or_default()
        .iter()
        .filter(|a| a.id != kept && !run.known.contains(&a.id) && !run.claimed.contains(&a.id))
        .filter(|a| w.spec.is_keyed_as(a))
        .map(|a| a.id)
        .collect();
    if copies.is_empty() {
        return None;
    }
    let mut removed = Vec::new();
    let mut left = Vec::new();
    for id in copies {
        match s.cw.delete_addition(run.j.agreement_id, id).await {
            Ok(()) => removed.push(id),
            Err(e) => {
                tracing::warn!(id, kept, "could not remove a copy: {}", e.error());
                left.push(format!("{id} ({})", e.error()));
            }
        }
    }
    if let Some(list) = run.fresh.as_mut() {
        list.retain(|a| !removed.contains(&a.id));
    }
    let ids = |v: &[i64]| v.iter().map(i64::to_string).collect::<Vec<_>>().join(", ");
    let mut note =
        format!("Another desk wrote the same addition at the same moment: addition {kept} stays");
    if !removed.is_empty() {
        note.push_str(&format!(
            ", the copy {} was removed, so it is billed once",
            ids(&removed)
        ));
    }
    if !left.is_empty() {
        note.push_str(&format!(
            "; the copy {} could not be removed — remove it in ConnectWise, or it is billed twice",
            left.join(", ")
        ));
    }
    note.push('.');
    Some(note)
}

/// Every write of the task was already in ConnectWise (SPEC §15): nothing is sent; the sync is
/// recorded with the additions that show it, and the task is synced.
async fn already_in_connectwise(
    s: &Syncer<'_>,
    task_id: i64,
    (agreement, currency): (&Agreement, &Currency),
    specs: Vec<write::WriteSpec>,
    current: Vec<Addition>,
) -> Result<SyncView> {
    let now = s.clock.now_text();
    let ids: Vec<String> = specs
        .iter()
        .filter_map(|w| w.already)
        .map(|id| id.to_string())
        .collect();
    let message = format!(
        "Already in ConnectWise: every write of this task is there (addition{} {}), written from this desk before or from another. Nothing was sent; the task is closed as synced.",
        if ids.len() == 1 { "" } else { "s" },
        ids.join(", ")
    );
    let (agreement_id, name, code, profile) = (
        agreement.id,
        agreement.name.clone(),
        currency.code.clone(),
        s.profile_name.to_owned(),
    );
    let id = s
        .store
        .call(move |c| {
            let tx = c.transaction()?;
            let sync = journal::NewSync {
                task_id,
                profile_name: &profile,
                agreement_id,
                agreement_name: &name,
                currency: &code,
                state: SyncState::AlreadyInConnectWise,
                message: Some(&message),
                changes: &[],
                known_ids: &[],
                now: &now,
                desk: crate::desk::this_desk(),
                undoes: None,
                boundary: None,
            };
            let id = journal::insert(&tx, &sync, &specs)?;
            tasks::set_status(&tx, task_id, TaskStatus::Synced, &now)?;
            cw_store::replace_additions(&tx, agreement_id, &current, &now)?;
            tx.commit()?;
            Ok(id)
        })
        .await?;
    tracing::info!(
        sync_id = id,
        task_id,
        "already in ConnectWise: nothing sent"
    );
    s.view(id, None).await
}

/// Ends a sync that could not finish: the write's state, the sync failed, the task failed.
async fn fail(
    s: &Syncer<'_>,
    sync_id: i64,
    task_id: i64,
    write_id: i64,
    write_state: WriteState,
    message: &str,
) -> Result<SyncView> {
    let now = s.clock.now_text();
    let text = message.to_owned();
    s.store
        .call(move |c| {
            let tx = c.transaction()?;
            journal::set_write(&tx, write_id, write_state, None, Some(&text), &now)?;
            journal::set_state(&tx, sync_id, SyncState::Failed, Some(&text), &now)?;
            tasks::set_status(&tx, task_id, TaskStatus::Failed, &now)?;
            tx.commit()?;
            Ok(())
        })
        .await?;
    tracing::warn!(sync_id, "sync failed: {message}");
    s.view(sync_id, None).await
}

/// Every write confirmed: the task is synced (after an undo, pending again with its draft kept)
/// and the cache shows the agreement as it now is.
async fn finish(s: &Syncer<'_>, done: Done, fresh: Option<Vec<Addition>>) -> Result<SyncView> {
    let Done {
        sync_id,
        task_id,
        agreement_id,
        total,
        undoes,
    } = done;
    s.report(sync_id, "Reading the agreement back from ConnectWise")
        .await;
    let additions = match s.cw.additions(agreement_id).await {
        Ok(a) => Some(a),
        Err(e) => {
            tracing::warn!(sync_id, "could not read the agreement back: {e}");
            fresh
        }
    };
    let now = s.clock.now_text();
    let writes = words::counted(total, "write", "writes");
    s.store
        .call(move |c| {
            // An undo leaves the task Pending, its review kept; an undo of an undo puts the
            // sync back, and the task is synced again.
            let (message, status) = match undoes {
                Some(undone) if journal::record(c, undone)?.undoes.is_some() => (
                    format!("Undo {undone} taken back: {writes} confirmed in ConnectWise. The task is synced again."),
                    TaskStatus::Synced,
                ),
                Some(undone) => (
                    format!("Sync {undone} undone: {writes} confirmed in ConnectWise. The task is Pending again, its review kept."),
                    TaskStatus::Pending,
                ),
                None => (format!("{writes} confirmed in ConnectWise."), TaskStatus::Synced),
            };
            let tx = c.transaction()?;
            journal::set_state(&tx, sync_id, SyncState::Synced, Some(&message), &now)?;
            tasks::set_status(&tx, task_id, status, &now)?;
            if let Some(rows) = &additions {
                cw_store::replace_additions(&tx, agreement_id, rows, &now)?;
            }
            tx.commit()?;
            Ok(())
        })
        .await?;
    tracing::info!(sync_id, task_id, "sync finished");
    s.view(sync_id, None).await
}

/// A sync that wrote nothing (the agreement changed, or nothing new to write).
pub(crate) struct Unwritten {
    pub(crate) task_id: i64,
    pub(crate) agreement_id: i64,
    pub(crate) agreement_name: String,
    pub(crate) currency: String,
    pub(crate) state: SyncState,
    pub(crate) message: String,
    pub(crate) changes: Vec<String>,
    /// The agreement's additions as just read, to keep in the cache.
    pub(crate) additions: Option<Vec<Addition>>,
    /// The sync it would have undone, for an undo.
    pub(crate) undoes: Option<i64>,
}

/// Records a sync that wrote nothing in the task's history. Returns its id.
pub(crate) async fn record_unwritten(s: &Syncer<'_>, u: Unwritten) -> Result<i64> {
    let now = s.clock.now_text();
    let profile = s.profile_name.to_owned();
    s.store
        .call(move |c| {
            let tx = c.transaction()?;
            let id = journal::insert(
                &tx,
                &journal::NewSync {
                    task_id: u.task_id,
                    profile_name: &profile,
                    agreement_id: u.agreement_id,
                    agreement_name: &u.agreement_name,
                    currency: &u.currency,
                    state: u.state,
                    message: Some(&u.message),
                    changes: &u.changes,
                    known_ids: &[],
                    now: &now,
                    desk: crate::desk::this_desk(),
                    undoes: u.undoes,
                    boundary: None,
                },
                &[],
            )?;
            if let Some(rows) = &u.additions {
                cw_store::replace_additions(&tx, u.agreement_id, rows, &now)?;
            }
            tx.commit()?;
            Ok(id)
        })
        .await
}

/// A synced task synced again: writes nothing, checks its writes are still in ConnectWise, and
/// says so.
async fn check_again(s: &Syncer<'_>, task_id: i64, last: Option<i64>) -> Result<SyncView> {
    let Some(last) = last else {
        return Err(Error::invalid(
            ErrorField::Status,
            "This task is marked Synced but has no recorded sync to check.",
        ));
    };
    let j = s.store.call(move |c| journal::record(c, last)).await?;
    let current = s.cw.additions(j.agreement_id).await?;
    let gone: Vec<String> = j
        .writes
        .iter()
        .filter(|w| {
            let present = match w.spec.kind {
                WriteKind::Create => w
                    .addition_id
                    .is_some_and(|id| current.iter().any(|a| a.id == id)),
                WriteKind::Patch | WriteKind::Delete => w
                    .spec
                    .find_in(&current, &HashSet::new(), &HashSet::new())
                    .is_some(),
            };
            !present
        })
        .map(|w| {
            format!(
                "write {} ({}, addition {})",
                w.seq,
                w.spec.label.label().to_lowercase(),
                w.addition_id.unwrap_or_default()
            )
        })
        .collect();
    let stamp = j.finished_at.clone().unwrap_or(j.started_at.clone());
    let when = store::parse_time(&stamp)
        .map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string())
        .unwrap_or(stamp);
    let message = if gone.is_empty() {
        format!(
            "Nothing new to write: {} of the sync of {when} {} in ConnectWise.",
            words::all_of(j.writes.len(), "write", "writes"),
            if j.writes.len() == 1 { "is" } else { "are" }
        )
    } else {
        format!(
            "Nothing was written. Since the sync of {when}, ConnectWise no longer shows: {}. Check the agreement in ConnectWise.",
            gone.join("; ")
        )
    };
    let id = record_unwritten(
        s,
        Unwritten {
            task_id,
            agreement_id: j.agreement_id,
            agreement_name: j.agreement_name,
            currency: j.currency,
            state: SyncState::NothingToWrite,
            message,
            changes: Vec::new(),
            additions: Some(current),
            undoes: None,
        },
    )
    .await?;
    s.view(id, None).await
}

/// Re-reads the task's chosen agreement and its additions into the cache, so the review starts
/// again from what ConnectWise has now.
pub async fn refresh_agreement(
    cw: &ConnectWiseClient,
    store: &Store,
    clock: &Clock,
    task_id: i64,
) -> Result<WizardView> {
    let chosen = store
        .call(move |c| {
            let view = wizard::build(&review::load(c, task_id)?)?;
            Ok(view.agreements.and_then(|a| a.chosen))
        })
        .await?
        .ok_or_else(|| {
            Error::invalid(
                crate::error::ReviewField::Agreement,
                "Choose the agreement to refresh first.",
            )
        })?;
    read_agreement(cw, store, clock, chosen).await?;
    store
        .call(move |c| wizard::build(&review::load(c, task_id)?))
        .await
}

/// Reads an agreement, its additions and its invoice calendar from ConnectWise into the cache.
pub async fn read_agreement(
    cw: &ConnectWiseClient,
    store: &Store,
    clock: &Clock,
    agreement_id: i64,
) -> Result<()> {
    let (agreement, additions, _) = tokio::try_join!(
        cw.agreement(agreement_id),
        cw.additions(agreement_id),
        read_calendar(cw, store, clock, agreement_id)
    )?;
    let now = clock.now_text();
    store
        .call(move |c| {
            let tx = c.transaction()?;
            cw_store::put_agreement(&tx, &agreement, &now)?;
            cw_store::replace_additions(&tx, agreement.id, &additions, &now)?;
            tx.commit()?;
            Ok(())
        })
        .await
}

/// Reads an agreement's invoice calendar from ConnectWise into the cache (SPEC §16). A refusal
/// (the permission is missing) is kept as such: the review then dates nothing before today and
/// says why. A tenant that does not serve the recap leaves the agreement's own next invoice date.
pub async fn read_calendar(
    cw: &ConnectWiseClient,
    store: &Store,
    clock: &Clock,
    agreement_id: i64,
) -> Result<RecapRead> {
    let read = match cw.agreement_recap(agreement_id).await {
        Ok(recap) => RecapRead::Read(recap),
        Err(Error::Unauthorized { message, .. }) => RecapRead::Refused {
            on: clock.today(),
            message,
        },
        Err(Error::Api { status: 404, .. }) => RecapRead::NotRead,
        Err(e) => return Err(e),
    };
    let (kept, now) = (read.clone(), clock.now_text());
    store
        .call(move |c| cw_store::put_recap(c, agreement_id, &kept, &now))
        .await?;
    Ok(read)
}

/// Sets the task's unfinished sync aside (its confirmed writes stay in its history) so the task
/// can be reviewed again from the agreement as it now is.
pub async fn discard(
    cw: &ConnectWiseClient,
    store: &Store,
    clock: &Clock,
    task_id: i64,
) -> Result<WizardView> {
    let now = clock.now_text();
    store
        .call(move |c| {
            let open = journal::open_of_task(c, task_id)?.ok_or_else(|| {
                Error::invalid(
                    ErrorField::Sync,
                    "This task has no unfinished sync to set aside.",
                )
            })?;
            let tx = c.transaction()?;
            journal::set_state(
                &tx,
                open,
                SyncState::Discarded,
                Some("Set aside to review again; the writes not confirmed were not sent."),
                &now,
            )?;
            tasks::set_status(&tx, task_id, TaskStatus::Pending, &now)?;
            tx.commit()?;
            Ok(())
        })
        .await?;
    match refresh_agreement(cw, store, clock, task_id).await {
        Ok(view) => Ok(view),
        Err(e) => {
            tracing::warn!(
                task_id,
                "could not refresh the agreement after discarding: {e}"
            );
            store
                .call(move |c| wizard::build(&review::load(c, task_id)?))
                .await
        }
    }
}

/// A backoff for tests and callers that want none.
pub fn no_backoff() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 1,
        base_delay: Duration::ZERO,
        max_delay: Duration::ZERO,
    }
}
