//! Batches (SPEC §12): the tasks of one board, and each one's state in the batch's sync.

use rusqlite::{params, Connection, OptionalExtension};

use crate::error::{Error, Result};
use crate::record::batch::BatchTaskState;

/// A batch as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchRecord {
    pub id: i64,
    pub created_at: String,
    pub sync_started_at: Option<String>,
    pub sync_finished_at: Option<String>,
}

/// One task of a batch, and where it is in the batch's sync.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchTask {
    pub task_id: i64,
    pub position: i64,
    pub state: BatchTaskState,
    pub message: Option<String>,
    pub addition_ids: Vec<i64>,
    pub sync_id: Option<i64>,
    /// The plan's figures when its sync began (JSON of `batch::board::Figures`).
    pub planned: Option<String>,
}

/// Records a new batch of `task_ids`, in that order. Returns its id.
pub fn create(conn: &Connection, task_ids: &[i64], now: &str) -> Result<i64> {
    conn.execute("INSERT INTO batches (created_at) VALUES (?1)", [now])?;
    let id = conn.last_insert_rowid();
    let mut stmt = conn.prepare_cached(
        "INSERT INTO batch_tasks (batch_id, task_id, position, updated_at) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for (position, task_id) in task_ids.iter().enumerate() {
        stmt.execute(params![id, task_id, position as i64, now])?;
    }
    Ok(id)
}

pub fn get(conn: &Connection, id: i64) -> Result<BatchRecord> {
    conn.query_row(
        "SELECT id, created_at, sync_started_at, sync_finished_at FROM batches WHERE id = ?1",
        [id],
        |r| {
            Ok(BatchRecord {
                id: r.get(0)?,
                created_at: r.get(1)?,
                sync_started_at: r.get(2)?,
                sync_finished_at: r.get(3)?,
            })
        },
    )
    .optional()?
    .ok_or_else(|| Error::NotFound(format!("Batch {id}")))
}

/// The batch's tasks, in board order.
pub fn tasks_of(conn: &Connection, batch_id: i64) -> Result<Vec<BatchTask>> {
    let mut stmt = conn.prepare_cached(
        "SELECT task_id, position, state, message, addition_ids, sync_id, planned FROM batch_tasks
         WHERE batch_id = ?1 ORDER BY position",
    )?;
    let rows = stmt
        .query_map([batch_id], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, Option<String>>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, Option<i64>>(5)?,
                r.get::<_, Option<String>>(6)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter()
        .map(
            |(task_id, position, state, message, ids, sync_id, planned)| {
                Ok(BatchTask {
                    task_id,
                    position,
                    state: BatchTaskState::parse(&state).ok_or_else(|| {
                        Error::Store(format!(
                            "task {task_id} of batch {batch_id} has an unknown state “{state}”"
                        ))
                    })?,
                    message,
                    addition_ids: serde_json::from_str(&ids).map_err(|e| {
                        Error::Store(format!(
                        "the additions of task {task_id} of batch {batch_id} are unreadable: {e}"
                    ))
                    })?,
                    sync_id,
                    planned,
                })
            },
        )
        .collect()
}

/// Where a task of a batch now is in the batch's sync.
pub struct TaskUpdate<'a> {
    pub state: BatchTaskState,
    pub message: Option<&'a str>,
    /// `None` keeps the additions recorded.
    pub addition_ids: Option<&'a [i64]>,
    /// `None` keeps the sync recorded.
    pub sync_id: Option<i64>,
}

pub fn set_task(
    conn: &Connection,
    batch_id: i64,
    task_id: i64,
    update: &TaskUpdate,
    now: &str,
) -> Result<()> {
    let ids = update
        .addition_ids
        .map(|ids| serde_json::to_string(ids).unwrap_or_else(|_| "[]".into()));
    conn.prepare_cached(
        "UPDATE batch_tasks SET state = ?3, message = ?4,
                addition_ids = coalesce(?5, addition_ids), sync_id = coalesce(?6, sync_id),
                updated_at = ?7
         WHERE batch_id = ?1 AND task_id = ?2",
    )?
    .execute(params![
        batch_id,
        task_id,
        update.state.as_str(),
        update.message,
        ids,
        update.sync_id,
        now
    ])?;
    Ok(())
}

/// Keeps the plan's figures of a task as its sync begins.
pub fn set_planned(conn: &Connection, batch_id: i64, task_id: i64, planned: &str) -> Result<()> {
    conn.prepare_cached(
        "UPDATE batch_tasks SET planned = ?3 WHERE batch_id = ?1 AND task_id = ?2",
    )?
    .execute(params![batch_id, task_id, planned])?;
    Ok(())
}

/// A sync run of the batch begins: it is unfinished until [`finish_sync`].
pub fn start_sync(conn: &Connection, batch_id: i64, now: &str) -> Result<()> {
    conn.execute(
        "UPDATE batches SET sync_started_at = coalesce(sync_started_at, ?2), sync_finished_at = NULL
         WHERE id = ?1",
        params![batch_id, now],
    )?;
    Ok(())
}

pub fn finish_sync(conn: &Connection, batch_id: i64, now: &str) -> Result<()> {
    conn.execute(
        "UPDATE batches SET sync_finished_at = ?2 WHERE id = ?1",
        params![batch_id, now],
    )?;
    Ok(())
}

/// The newest batch whose sync run was cut off (the app closed or was killed while it ran),
/// with how many of its tasks are synced and how many it has.
/// A batch whose sync was cut off: how far it got, and its tasks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Interrupted {
    pub batch: BatchRecord,
    pub synced: u32,
    pub total: u32,
    pub task_ids: Vec<i64>,
}

pub fn interrupted(conn: &Connection) -> Result<Option<Interrupted>> {
    let id: Option<i64> = conn
        .query_row(
            "SELECT id FROM batches
             WHERE sync_started_at IS NOT NULL AND sync_finished_at IS NULL
             ORDER BY id DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .optional()?;
    let Some(id) = id else {
        return Ok(None);
    };
    let (synced, total): (u32, u32) = conn.query_row(
        "SELECT count(*) FILTER (WHERE state = 'synced'), count(*) FROM batch_tasks WHERE batch_id = ?1",
        [id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let task_ids = conn
        .prepare("SELECT task_id FROM batch_tasks WHERE batch_id = ?1 ORDER BY task_id")?
        .query_map([id], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<i64>>>()?;
    Ok(Some(Interrupted {
        batch: get(conn, id)?,
        synced,
        total,
        task_ids,
    }))
}

/// Tasks left `syncing` by an app that stopped go back to waiting, saying so. Returns how many.
pub fn mark_interrupted(conn: &Connection, now: &str) -> Result<usize> {
    Ok(conn.execute(
        "UPDATE batch_tasks SET state = 'waiting', updated_at = ?1,
                message = 'The app stopped while this task was syncing. Finish the batch to check what was written and complete it.'
         WHERE state = 'syncing'",
        [now],
    )?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    #[test]
    fn a_batch_keeps_its_tasks_states_and_says_when_it_was_cut_off() {
        let store = Store::open_in_memory().unwrap();
        store
            .with(|c| {
                // Tasks need orders (foreign keys).
                for (id, order) in [(1, "o1"), (2, "o2")] {
                    c.execute(
                        "INSERT INTO orders (id, order_type, customer_id, creation_date, status, body, fetched_at)
                         VALUES (?1, 'sales', 'c', '2026-11-01T00:00:00Z', 'completed', '{}', 'now')",
                        [order],
                    )?;
                    c.execute(
                        "INSERT INTO tasks (id, task_type, status, order_id, order_date, customer_id, customer_name,
                                            subscription_id, subscription_name, amount, currency, created_at, updated_at)
                         VALUES (?1, 'salesOrder', 'pending', ?2, '2026-11-01T00:00:00Z', 'c', 'C', 's', 'S', '1', 'USD', 'now', 'now')",
                        params![id, order],
                    )?;
                }
                let id = create(c, &[2, 1], "2026-11-24T12:00:00Z")?;
                assert_eq!(interrupted(c)?, None, "a board only is not interrupted");
                let order: Vec<i64> = tasks_of(c, id)?.iter().map(|t| t.task_id).collect();
                assert_eq!(order, [2, 1]);

                start_sync(c, id, "2026-11-24T12:01:00Z")?;
                let update = TaskUpdate {
                    state: BatchTaskState::Synced,
                    message: Some("6 writes confirmed in ConnectWise."),
                    addition_ids: Some(&[40001, 40002]),
                    sync_id: None,
                };
                set_task(c, id, 2, &update, "2026-11-24T12:02:00Z")?;
                let syncing = TaskUpdate {
                    state: BatchTaskState::Syncing,
                    message: None,
                    addition_ids: None,
                    sync_id: None,
                };
                set_task(c, id, 1, &syncing, "2026-11-24T12:02:00Z")?;
                let Interrupted {
                    batch,
                    synced,
                    total,
                    ..
                } = interrupted(c)?.expect("interrupted");
                assert_eq!((batch.id, synced, total), (id, 1, 2));
                assert_eq!(mark_interrupted(c, "2026-11-24T13:00:00Z")?, 1);
                let tasks = tasks_of(c, id)?;
                assert_eq!(tasks[0].addition_ids, [40001, 40002]);
                assert_eq!(tasks[1].state, BatchTaskState::Waiting);
                assert!(tasks[1].message.as_deref().unwrap().contains("Finish"));

                finish_sync(c, id, "2026-11-24T13:05:00Z")?;
                assert_eq!(interrupted(c)?, None);
                assert!(matches!(get(c, 99), Err(Error::NotFound(_))));
                Ok(())
            })
            .unwrap();
    }
}
