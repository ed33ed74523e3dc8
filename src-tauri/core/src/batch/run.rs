//! Batch sync (SPEC §12): each task of a batch written with the safe sync of SPEC §7
//! (`sync::apply::sync_task`: re-read, journal, reconcile). Tasks of different agreements run
//! concurrently (bounded), never two of one agreement: each agreement's tasks run one after the
//! other, oldest order first, and a task that does not finish holds back the later ones of its
//! agreement (their plans build on it). Each task's state is kept in the batch as it moves, so a
//! batch cut off by a crash is found at the next start and finished.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use futures::StreamExt;

use crate::batch::board::{self, Figures, Prepared};
use crate::batch::{BatchProgress, BatchResult, BatchTaskState, BoardRow, InterruptedBatch};
use crate::clock::Clock;
use crate::connectwise::ConnectWiseClient;
use crate::error::{Error, ErrorField, Result};
use crate::http::RetryPolicy;
use crate::review::DirectoryCache;
use crate::store::batches::{self, TaskUpdate};
use crate::store::journal::SyncRecord;
use crate::store::{journal, Store};
use crate::sync::apply::{self, Syncer};
use crate::sync::{SyncState, WriteState};
use crate::task::TaskStatus;
use crate::view::SyncView;
use crate::words;

/// What a batch sync needs.
pub struct BatchSyncer<'a> {
    pub cw: &'a ConnectWiseClient,
    pub store: &'a Store,
    pub profile_name: &'a str,
    pub backoff: RetryPolicy,
    pub clock: &'a Clock,
    pub directory: &'a Arc<DirectoryCache>,
    /// Agreements written to at once (at least 1).
    pub concurrency: usize,
    /// Set to stop: the syncs under way finish, the rest is left not started.
    pub stop: &'a AtomicBool,
    /// Called as the batch moves on.
    pub progress: &'a (dyn Fn(BatchProgress) + Send + Sync),
    /// The invoice calendars read during this run: one read per agreement (SPEC §16).
    pub calendars: crate::sync::apply::CalendarReads,
}

/// One task to run, in its agreement's queue.
struct Job {
    task_id: i64,
    order_date: String,
    figures: Figures,
    /// Writes confirmed before this run (a sync to finish).
    confirmed_before: u32,
    /// An earlier task of its agreement needs attention: this one, which builds on it, waits.
    blocked_by: Option<String>,
    /// Synced already: checked again, writing nothing, whatever comes before it.
    synced: bool,
}

/// What the batch knows as it runs; reported under its lock so reports come in order.
struct Tally {
    batch_id: i64,
    rows: HashMap<i64, BoardRow>,
    /// task → (writes confirmed, writes in all) of the tasks this run syncs.
    writes: HashMap<i64, (u32, u32)>,
    tasks_total: u32,
    tasks_done: u32,
    writes_made: u32,
    /// A task could not reach ConnectWise: no more are started.
    offline: bool,
}

impl Tally {
    fn progress(&self, stopping: bool, changed: Vec<BoardRow>) -> BatchProgress {
        let (done, total) = self.writes.values().fold((0u32, 0u32), |(d, t), (wd, wt)| {
            (d.saturating_add(*wd), t.saturating_add(*wt))
        });
        BatchProgress {
            batch_id: self.batch_id,
            tasks_done: self.tasks_done,
            tasks_total: self.tasks_total,
            writes_done: done,
            writes_total: total,
            stopping,
            rows: changed,
        }
    }
}

/// How one task's sync ended, for the batch.
struct Outcome {
    state: BatchTaskState,
    message: Option<String>,
    addition_ids: Option<Vec<i64>>,
    sync_id: Option<i64>,
    writes_made: u32,
    /// The task's writes in all (for the progress and the kept figures).
    writes: Option<u32>,
}

impl BatchSyncer<'_> {
    fn stopping(&self) -> bool {
        self.stop.load(Ordering::SeqCst)
    }

    fn tally<'t>(&self, t: &'t Mutex<Tally>) -> std::sync::MutexGuard<'t, Tally> {
        t.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Sets a task's state in the batch (kept in the cache first), and reports it.
    async fn set(&self, tally: &Mutex<Tally>, task_id: i64, o: Outcome) -> Result<()> {
        let batch_id = self.tally(tally).batch_id;
        let now = self.clock.now_text();
        let (state, message, ids, sync_id) = (
            o.state,
            o.message.clone(),
            o.addition_ids.clone(),
            o.sync_id,
        );
        self.store
            .call(move |c| {
                batches::set_task(
                    c,
                    batch_id,
                    task_id,
                    &TaskUpdate {
                        state,
                        message: message.as_deref(),
                        addition_ids: ids.as_deref(),
                        sync_id,
                    },
                    &now,
                )
            })
            .await?;
        let stopping = self.stopping();
        let mut t = self.tally(tally);
        t.writes_made = t.writes_made.saturating_add(o.writes_made);
        if matches!(
            o.state,
            BatchTaskState::Synced | BatchTaskState::Failed | BatchTaskState::NotStarted
        ) && t.writes.contains_key(&task_id)
        {
            t.tasks_done += 1;
        }
        if let (Some(writes), Some(w)) = (o.writes, t.writes.get_mut(&task_id)) {
            w.1 = writes;
        }
        // Writes a task will not make in this run leave the total.
        if let (BatchTaskState::Failed | BatchTaskState::NotStarted, Some(w)) =
            (o.state, t.writes.get_mut(&task_id))
        {
            w.1 = w.0;
        }
        let changed = t.rows.get_mut(&task_id).map(|row| {
            row.state = o.state;
            row.message = o.message;
            if let Some(ids) = o.addition_ids {
                row.addition_ids = ids;
            }
            if let Some(writes) = o.writes {
                row.writes = writes;
            }
            row.clone()
        });
        (self.progress)(t.progress(stopping, changed.into_iter().collect()));
        Ok(())
    }

    /// A sync's progress: the task's writes confirmed so far, and what it is doing.
    fn on_sync(&self, tally: &Mutex<Tally>, task_id: i64, v: &SyncView) {
        let stopping = self.stopping();
        let mut t = self.tally(tally);
        let confirmed = v
            .writes
            .iter()
            .filter(|w| w.state == WriteState::Confirmed)
            .count() as u32;
        if let Some(w) = t.writes.get_mut(&task_id) {
            *w = (confirmed, (v.writes.len() as u32).max(w.1));
        }
        let changed = t.rows.get_mut(&task_id).map(|row| {
            row.message = v.activity.clone();
            row.clone()
        });
        (self.progress)(t.progress(stopping, changed.into_iter().collect()));
    }

    /// Runs one task's safe sync and says how it ended.
    async fn sync_one(&self, tally: &Mutex<Tally>, job: &Job) -> Result<Outcome> {
        let task_id = job.task_id;
        let report = |v: SyncView| self.on_sync(tally, task_id, &v);
        let syncer = Syncer {
            cw: self.cw,
            store: self.store,
            profile_name: self.profile_name,
            backoff: self.backoff,
            clock: self.clock,
            progress: &report,
            calendars: Some(&self.calendars),
        };
        let view = match apply::sync_task(&syncer, task_id).await {
            Ok(view) => view,
            Err(e) => {
                if e.is_offline() {
                    self.tally(tally).offline = true;
                }
                return Ok(Outcome {
                    state: BatchTaskState::Failed,
                    message: Some(e.to_string()),
                    addition_ids: None,
                    sync_id: None,
                    writes_made: 0,
                    writes: None,
                });
            }
        };
        let confirmed: Vec<i64> = view
            .writes
            .iter()
            .filter(|w| w.state == WriteState::Confirmed)
            .filter_map(|w| w.addition_id)
            .collect();
        let made = (view
            .writes
            .iter()
            .filter(|w| w.state == WriteState::Confirmed)
            .count() as u32)
            .saturating_sub(job.confirmed_before);
        Ok(match view.state {
            SyncState::Synced | SyncState::AlreadyInConnectWise => Outcome {
                state: BatchTaskState::Synced,
                message: view.message.clone(),
                addition_ids: Some(confirmed),
                sync_id: Some(view.id),
                writes_made: made,
                writes: Some(view.writes.len() as u32),
            },
            SyncState::NothingToWrite => {
                // Checked again: what its sync wrote is still the task's.
                let ids = self
                    .store
                    .call(move |c| {
                        Ok(match journal::last_synced_of_task(c, task_id)? {
                            Some(id) => journal::record(c, id)?
                                .writes
                                .iter()
                                .filter_map(|w| w.addition_id)
                                .collect(),
                            None => Vec::new(),
                        })
                    })
                    .await?;
                Outcome {
                    state: BatchTaskState::Synced,
                    message: view.message.clone(),
                    addition_ids: Some(ids),
                    sync_id: None,
                    writes_made: 0,
                    writes: None,
                }
            }
            _ => Outcome {
                state: BatchTaskState::Failed,
                message: Some(failure_text(&view)),
                addition_ids: Some(confirmed),
                sync_id: Some(view.id),
                writes_made: made,
                writes: Some(view.writes.len() as u32),
            },
        })
    }

    /// Runs one agreement's tasks, one after the other.
    async fn run_queue(
        &self,
        tally: &Mutex<Tally>,
        agreement: &str,
        queue: Vec<Job>,
    ) -> Result<()> {
        let mut held_back: Option<String> = None;
        for job in queue {
            if held_back.is_none() && !job.synced {
                held_back = job.blocked_by.clone();
            }
            let not_started = if let (Some(why), false) = (&held_back, job.synced) {
                Some(why.clone())
            } else if self.stopping() {
                Some(
                    "Not started: the batch was stopped. Sync the batch again to go on.".to_owned(),
                )
            } else if self.tally(tally).offline {
                Some("Not started: ConnectWise could not be reached. Sync the batch again once connected.".to_owned())
            } else {
                None
            };
            if let Some(message) = not_started {
                self.set(
                    tally,
                    job.task_id,
                    Outcome {
                        state: BatchTaskState::NotStarted,
                        message: Some(message),
                        addition_ids: None,
                        sync_id: None,
                        writes_made: 0,
                        writes: None,
                    },
                )
                .await?;
                continue;
            }
            let (batch_id, task_id) = (self.tally(tally).batch_id, job.task_id);
            let kept = serde_json::to_string(&job.figures).unwrap_or_default();
            self.store
                .call(move |c| batches::set_planned(c, batch_id, task_id, &kept))
                .await?;
            self.set(
                tally,
                task_id,
                Outcome {
                    state: BatchTaskState::Syncing,
                    message: None,
                    addition_ids: None,
                    sync_id: None,
                    writes_made: 0,
                    writes: None,
                },
            )
            .await?;
            let outcome = self.sync_one(tally, &job).await?;
            if outcome.state != BatchTaskState::Synced {
                held_back = Some(format!(
                    "Not started: an earlier task on “{agreement}” did not finish, and this one builds on it. Fix that one, then sync the batch again."
                ));
            }
            if let (Some(writes), BatchTaskState::Synced) = (outcome.writes, outcome.state) {
                let mut figures = job.figures.clone();
                figures.writes = writes;
                let kept = serde_json::to_string(&figures).unwrap_or_default();
                self.store
                    .call(move |c| batches::set_planned(c, batch_id, task_id, &kept))
                    .await?;
            }
            self.set(tally, task_id, outcome).await?;
        }
        Ok(())
    }
}

/// Why a sync did not finish, in one message.
fn failure_text(view: &SyncView) -> String {
    let mut text = view
        .message
        .clone()
        .unwrap_or_else(|| "The sync did not finish.".to_owned());
    if !view.changes.is_empty() {
        text.push_str(" Changed in ConnectWise: ");
        text.push_str(&view.changes.join("; "));
    }
    text
}

/// Syncs the batch's tasks: ready ones, syncs to finish, and synced ones checked again.
pub async fn sync_batch(s: &BatchSyncer<'_>, batch_id: i64) -> Result<BatchResult> {
    let directory = s.directory.clone();
    let prepared = s
        .store
        .call(move |c| {
            batches::get(c, batch_id)?;
            board::prepare_all(c, batch_id, &directory.get(c)?)
        })
        .await?;
    if !prepared.iter().any(Prepared::runnable) {
        return Err(Error::invalid(
            ErrorField::Batch,
            "No task of this batch is ready to sync: fix the rows that need attention first.",
        ));
    }
    let journals = journals_of(s.store, &prepared).await?;
    let queues = queues(&prepared, &journals);
    // Offline, nothing starts: the sync needs a connection; the board works from the cache.
    if let Some(first) = queues.keys().next() {
        s.cw.agreement(*first).await?;
    }
    let in_queue: Vec<i64> = queues
        .values()
        .flat_map(|(_, q)| q.iter().map(|j| j.task_id))
        .collect();
    let left = left_out(&prepared, &in_queue);
    start_on_board(s, batch_id, &left, &in_queue).await?;
    let tally = Mutex::new(Tally::start(batch_id, prepared, &queues, &in_queue));
    {
        let t = s.tally(&tally);
        let mut all: Vec<BoardRow> = t.rows.values().cloned().collect();
        all.sort_by_key(|r| r.task.id);
        (s.progress)(t.progress(s.stopping(), all));
    }

    let concurrency = s.concurrency.max(1);
    let results: Vec<Result<()>> = futures::stream::iter(queues.into_values())
        .map(|(name, queue)| {
            let tally = &tally;
            async move { s.run_queue(tally, &name, queue).await }
        })
        .buffer_unordered(concurrency)
        .collect()
        .await;
    for r in results {
        r?;
    }

    let now = s.clock.now_text();
    let (writes_made, offline) = {
        let t = s.tally(&tally);
        (t.writes_made, t.offline)
    };
    let directory = s.directory.clone();
    let today = s.clock.today();
    let board = s
        .store
        .call(move |c| {
            batches::finish_sync(c, batch_id, &now)?;
            board::board(c, batch_id, today, &directory.get(c)?)
        })
        .await?;
    let count = |state: BatchTaskState| board.rows.iter().filter(|r| r.state == state).count();
    let counts = Counts {
        queued: in_queue.len(),
        total: board.rows.len(),
        synced: count(BatchTaskState::Synced),
        failed: count(BatchTaskState::Failed),
        not_started: count(BatchTaskState::NotStarted),
        writes_made,
        stopped: s.stopping(),
        offline,
    };
    Ok(BatchResult {
        synced: counts.synced as u32,
        failed: counts.failed as u32,
        not_started: counts.not_started as u32,
        writes_made,
        message: result_message(&counts),
        board,
    })
}

/// The journal of each runnable task's sync to finish, or of its last sync (a synced task is
/// checked again): where that sync writes, and what it confirmed already.
async fn journals_of(
    store: &Store,
    prepared: &[Prepared],
) -> Result<HashMap<i64, Option<SyncRecord>>> {
    let open: Vec<(i64, Option<i64>, TaskStatus)> = prepared
        .iter()
        .filter(|p| p.runnable())
        .map(|p| (p.row.task.id, p.open_sync, p.row.task.status))
        .collect();
    store
        .call(move |c| {
            open.into_iter()
                .map(|(task_id, open, status)| {
                    let id = match (open, status) {
                        (Some(id), _) => Some(id),
                        (None, TaskStatus::Synced) => journal::last_synced_of_task(c, task_id)?,
                        _ => None,
                    };
                    Ok((task_id, id.map(|id| journal::record(c, id)).transpose()?))
                })
                .collect()
        })
        .await
}

/// The runnable tasks by the agreement they write to (for a sync to finish, its journal's), each
/// agreement's oldest order first; a task after an earlier order of its agreement that needs
/// attention is held back, saying why (its plan builds on what that one writes).
fn queues(
    prepared: &[Prepared],
    journals: &HashMap<i64, Option<SyncRecord>>,
) -> BTreeMap<i64, (String, Vec<Job>)> {
    let mut queues: BTreeMap<i64, (String, Vec<Job>)> = BTreeMap::new();
    for p in prepared.iter().filter(|p| p.runnable()) {
        let record = journals.get(&p.row.task.id).and_then(|r| r.as_ref());
        let (agreement_id, agreement_name) = match record {
            Some(r) => (r.agreement_id, r.agreement_name.clone()),
            None => match (p.figures.agreement_id, &p.figures.agreement_name) {
                (Some(id), name) => (id, name.clone().unwrap_or_default()),
                (None, _) => continue,
            },
        };
        let confirmed_before = match (record, p.open_sync) {
            (Some(r), Some(_)) => r
                .writes
                .iter()
                .filter(|w| w.state == WriteState::Confirmed)
                .count() as u32,
            _ => 0,
        };
        queues
            .entry(agreement_id)
            .or_insert_with(|| (agreement_name, Vec::new()))
            .1
            .push(Job {
                task_id: p.row.task.id,
                order_date: p.row.task.order_date.clone(),
                figures: p.figures.clone(),
                confirmed_before,
                blocked_by: None,
                synced: p.row.task.status == TaskStatus::Synced,
            });
    }
    let blockers = blockers(prepared);
    for (agreement, (name, queue)) in queues.iter_mut() {
        hold_back(queue, name, blockers.get(agreement).copied());
    }
    queues
}

/// Per agreement, the earliest order (date, order id) of a task still to sync that needs
/// attention.
fn blockers(prepared: &[Prepared]) -> HashMap<i64, (&str, &str)> {
    let mut blockers: HashMap<i64, (&str, &str)> = HashMap::new();
    for p in prepared.iter().filter(|p| !p.runnable()) {
        let pending = matches!(p.row.task.status, TaskStatus::Pending | TaskStatus::Failed);
        if let (true, Some(agreement)) = (pending, p.figures.agreement_id) {
            let candidate = (p.row.task.order_date.as_str(), p.row.task.order_id.as_str());
            let earliest = blockers.entry(agreement).or_insert(candidate);
            if candidate < *earliest {
                *earliest = candidate;
            }
        }
    }
    blockers
}

/// Orders an agreement's queue, oldest order first, and holds back the jobs after `blocker`
/// (the earliest order of the agreement that needs attention), saying why.
fn hold_back(queue: &mut [Job], agreement_name: &str, blocker: Option<(&str, &str)>) {
    queue.sort_by(|a, b| (&a.order_date, a.task_id).cmp(&(&b.order_date, b.task_id)));
    let Some((date, order)) = blocker else {
        return;
    };
    for job in queue.iter_mut().filter(|j| j.order_date.as_str() > date) {
        job.blocked_by = Some(format!(
            "Not started: the earlier order {order} on “{agreement_name}” needs attention, and this task builds on it. Fix that one, then sync the batch again."
        ));
    }
}

/// The tasks this run does not take on, each with why (what needs attention, or no agreement).
fn left_out(prepared: &[Prepared], in_queue: &[i64]) -> Vec<(i64, String)> {
    prepared
        .iter()
        .filter(|p| !in_queue.contains(&p.row.task.id))
        .map(|p| {
            let why = p
                .row
                .attention
                .first()
                .map(|a| a.message.clone())
                .unwrap_or_else(|| "It has no agreement to write to.".to_owned());
            (p.row.task.id, format!("Not ready: {why}"))
        })
        .collect()
}

/// Keeps on the batch that its sync started: the tasks left out, not started and why; those it
/// takes on, waiting.
async fn start_on_board(
    s: &BatchSyncer<'_>,
    batch_id: i64,
    left: &[(i64, String)],
    in_queue: &[i64],
) -> Result<()> {
    let now = s.clock.now_text();
    let left = left.to_vec();
    let to_wait = in_queue.to_vec();
    s.store
        .call(move |c| {
            let tx = c.transaction()?;
            batches::start_sync(&tx, batch_id, &now)?;
            fn update(state: BatchTaskState, message: Option<&str>) -> TaskUpdate<'_> {
                TaskUpdate {
                    state,
                    message,
                    addition_ids: None,
                    sync_id: None,
                }
            }
            for (task_id, why) in &left {
                let not_started = update(BatchTaskState::NotStarted, Some(why));
                batches::set_task(&tx, batch_id, *task_id, &not_started, &now)?;
            }
            for task_id in &to_wait {
                let waiting = update(BatchTaskState::Waiting, None);
                batches::set_task(&tx, batch_id, *task_id, &waiting, &now)?;
            }
            tx.commit()?;
            Ok(())
        })
        .await
}

impl Tally {
    /// The tally as the run starts: the tasks it takes on waiting, the others not started.
    fn start(
        batch_id: i64,
        prepared: Vec<Prepared>,
        queues: &BTreeMap<i64, (String, Vec<Job>)>,
        in_queue: &[i64],
    ) -> Tally {
        let mut rows: HashMap<i64, BoardRow> = prepared
            .into_iter()
            .map(|p| (p.row.task.id, p.row))
            .collect();
        for (id, row) in rows.iter_mut() {
            if in_queue.contains(id) {
                row.state = BatchTaskState::Waiting;
                row.message = None;
            } else {
                row.state = BatchTaskState::NotStarted;
            }
        }
        let writes: HashMap<i64, (u32, u32)> = queues
            .values()
            .flat_map(|(_, q)| q.iter())
            .map(|j| (j.task_id, (0, j.figures.writes)))
            .collect();
        Tally {
            batch_id,
            tasks_total: in_queue.len() as u32,
            tasks_done: 0,
            writes,
            writes_made: 0,
            offline: false,
            rows,
        }
    }
}

/// How a batch's run ended, counted on its board.
struct Counts {
    /// The tasks the run took on.
    queued: usize,
    /// The tasks of the batch.
    total: usize,
    synced: usize,
    failed: usize,
    not_started: usize,
    writes_made: u32,
    stopped: bool,
    offline: bool,
}

/// What a batch's result says.
fn result_message(c: &Counts) -> String {
    if c.writes_made == 0 && c.synced == c.queued && c.synced > 0 {
        return format!(
            "Nothing new to write: {} of this batch {} synced already and still in ConnectWise.",
            words::all_of(c.synced, "task", "tasks"),
            if c.synced == 1 { "is" } else { "are" }
        );
    }
    // The tasks this sync took on; the others were not ready and were left as they were.
    let not_ready = c.total.saturating_sub(c.queued);
    let mut m = format!(
        "{} of {} synced",
        c.synced,
        words::counted(c.queued, "task", "tasks")
    );
    if c.failed > 0 {
        m.push_str(&format!("; {} failed", c.failed));
    }
    let left = c.not_started.saturating_sub(not_ready);
    if left > 0 {
        m.push_str(&format!("; {left} not started"));
    }
    m.push('.');
    if not_ready > 0 {
        m.push_str(&format!(
            " {} not ready {} left as {} {}.",
            words::counted(not_ready, "task", "tasks"),
            if not_ready == 1 { "was" } else { "were" },
            if not_ready == 1 { "it" } else { "they" },
            if not_ready == 1 { "was" } else { "were" },
        ));
    }
    if c.stopped {
        m.push_str(" Stopped on request: the syncs under way finished, the rest was left.");
    } else if c.offline {
        m.push_str(
            " ConnectWise could not be reached part-way: sync the batch again once connected.",
        );
    }
    m
}

/// The newest batch whose sync was cut off, unless it is `running` now.
pub fn interrupted(
    conn: &rusqlite::Connection,
    running: Option<i64>,
) -> Result<Option<InterruptedBatch>> {
    Ok(batches::interrupted(conn)?
        .filter(|i| Some(i.batch.id) != running)
        .map(|i| InterruptedBatch {
            batch_id: i.batch.id,
            synced: i.synced,
            total: i.total,
            started_at: i.batch.sync_started_at.unwrap_or(i.batch.created_at),
            task_ids: i.task_ids,
        }))
}

/// "A batch was interrupted: 37 of 120 synced".
pub fn interrupted_text(b: &InterruptedBatch) -> String {
    format!(
        "A batch was interrupted: {} of {} synced.",
        b.synced, b.total
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(task_id: i64, order_date: &str) -> Job {
        Job {
            task_id,
            order_date: order_date.into(),
            figures: Figures::default(),
            confirmed_before: 0,
            blocked_by: None,
            synced: false,
        }
    }

    #[test]
    fn an_agreements_queue_runs_oldest_first_and_waits_behind_an_order_needing_attention() {
        let held = |blocker: Option<(&str, &str)>| {
            let mut queue = vec![
                job(3, "2026-11-20T10:00:00Z"),
                job(1, "2026-11-10T10:00:00Z"),
                job(2, "2026-11-10T10:00:00Z"),
            ];
            hold_back(&mut queue, "Green Lane - Microsoft 365", blocker);
            queue
                .iter()
                .map(|j| (j.task_id, j.blocked_by.is_some()))
                .collect::<Vec<_>>()
        };
        assert_eq!(held(None), [(1, false), (2, false), (3, false)]);
        // An order needing attention between them: the later one waits.
        assert_eq!(
            held(Some(("2026-11-15T10:00:00Z", "1000299"))),
            [(1, false), (2, false), (3, true)]
        );
        // Before them all: all wait. After them all: none does.
        assert_eq!(
            held(Some(("2026-11-01T10:00:00Z", "1000299"))),
            [(1, true), (2, true), (3, true)]
        );
        assert_eq!(
            held(Some(("2026-11-30T10:00:00Z", "1000299"))),
            [(1, false), (2, false), (3, false)]
        );
        let mut queue = vec![job(3, "2026-11-20T10:00:00Z")];
        hold_back(
            &mut queue,
            "Green Lane - Microsoft 365",
            Some(("2026-11-15T10:00:00Z", "1000299")),
        );
        assert_eq!(
            queue[0].blocked_by.as_deref(),
            Some("Not started: the earlier order 1000299 on “Green Lane - Microsoft 365” needs attention, and this task builds on it. Fix that one, then sync the batch again.")
        );
    }

    #[test]
    fn the_result_says_what_the_run_did() {
        let counts = |queued, total, synced, failed, not_started, writes_made| Counts {
            queued,
            total,
            synced,
            failed,
            not_started,
            writes_made,
            stopped: false,
            offline: false,
        };
        #[rustfmt::skip]
        let table = [
            (counts(3, 3, 3, 0, 0, 7), "3 of 3 tasks synced."),
            (counts(2, 2, 2, 0, 0, 0), "Nothing new to write: all 2 tasks of this batch are synced already and still in ConnectWise."),
            (counts(1, 1, 1, 0, 0, 0), "Nothing new to write: the task of this batch is synced already and still in ConnectWise."),
            (counts(4, 5, 2, 1, 2, 3), "2 of 4 tasks synced; 1 failed; 1 not started. 1 task not ready was left as it was."),
            (counts(2, 4, 2, 0, 2, 2), "2 of 2 tasks synced. 2 tasks not ready were left as they were."),
        ];
        for (c, said) in table {
            assert_eq!(result_message(&c), said);
        }
        let stopped = Counts {
            stopped: true,
            ..counts(3, 3, 1, 0, 2, 1)
        };
        assert_eq!(
            result_message(&stopped),
            "1 of 3 tasks synced; 2 not started. Stopped on request: the syncs under way finished, the rest was left."
        );
        let offline = Counts {
            offline: true,
            ..counts(3, 3, 1, 1, 1, 1)
        };
        assert!(result_message(&offline).ends_with(
            "ConnectWise could not be reached part-way: sync the batch again once connected."
        ));
    }
}
