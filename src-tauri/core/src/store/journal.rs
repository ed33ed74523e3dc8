//! The sync journal: each sync of a task and each of its writes, recorded before the write is
//! sent and marked with its result after (SPEC §7). Also the task's sync history.

use rusqlite::{params, Connection, OptionalExtension};

use crate::error::{Error, Result};
use crate::sync::write::WriteSpec;
use crate::sync::{SyncState, WriteState};
use crate::view::{SyncView, WriteView};

/// A sync about to be recorded.
pub struct NewSync<'a> {
    pub task_id: i64,
    pub profile_name: &'a str,
    pub agreement_id: i64,
    pub agreement_name: &'a str,
    pub currency: &'a str,
    pub state: SyncState,
    pub message: Option<&'a str>,
    pub changes: &'a [String],
    pub known_ids: &'a [i64],
    pub now: &'a str,
}

/// One journaled write.
#[derive(Debug, Clone)]
pub struct JournaledWrite {
    pub id: i64,
    pub seq: u32,
    pub spec: WriteSpec,
    pub state: WriteState,
    pub addition_id: Option<i64>,
    pub message: Option<String>,
    pub attempts: u32,
}

/// A sync as journaled.
#[derive(Debug, Clone)]
pub struct Journal {
    pub id: i64,
    pub task_id: i64,
    pub agreement_id: i64,
    pub state: SyncState,
    pub known_ids: Vec<i64>,
    pub writes: Vec<JournaledWrite>,
}

fn json<T: serde::Serialize>(v: &T) -> Result<String> {
    serde_json::to_string(v).map_err(|e| Error::Store(format!("could not record the sync: {e}")))
}

/// Records a sync and its writes (all pending) in one go. Returns the sync's id.
pub fn insert(conn: &Connection, sync: &NewSync, writes: &[WriteSpec]) -> Result<i64> {
    conn.execute(
        "INSERT INTO syncs (task_id, profile_name, agreement_id, agreement_name, currency, state,
                            message, changes, known_ids, started_at, finished_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10,
                 CASE WHEN ?6 IN ('running') THEN NULL ELSE ?10 END)",
        params![
            sync.task_id,
            sync.profile_name,
            sync.agreement_id,
            sync.agreement_name,
            sync.currency,
            sync.state.as_str(),
            sync.message,
            json(&sync.changes)?,
            json(&sync.known_ids)?,
            sync.now,
        ],
    )?;
    let id = conn.last_insert_rowid();
    for (i, spec) in writes.iter().enumerate() {
        conn.execute(
            "INSERT INTO sync_writes (sync_id, seq, spec, state, updated_at)
             VALUES (?1, ?2, ?3, 'pending', ?4)",
            params![id, i as i64 + 1, json(spec)?, sync.now],
        )?;
    }
    Ok(id)
}

/// Marks a write as about to be sent (one more attempt).
pub fn mark_sending(conn: &Connection, write_id: i64, now: &str) -> Result<()> {
    conn.execute(
        "UPDATE sync_writes SET state = 'sending', attempts = attempts + 1, message = NULL,
                updated_at = ?2
         WHERE id = ?1",
        params![write_id, now],
    )?;
    Ok(())
}

/// Records a write's result.
pub fn set_write(
    conn: &Connection,
    write_id: i64,
    state: WriteState,
    addition_id: Option<i64>,
    message: Option<&str>,
    now: &str,
) -> Result<()> {
    conn.execute(
        "UPDATE sync_writes SET state = ?2, addition_id = COALESCE(?3, addition_id), message = ?4,
                updated_at = ?5
         WHERE id = ?1",
        params![write_id, state.as_str(), addition_id, message, now],
    )?;
    Ok(())
}

/// Sets a sync's state and message; a state that is not `running` also sets when it finished.
pub fn set_state(
    conn: &Connection,
    sync_id: i64,
    state: SyncState,
    message: Option<&str>,
    now: &str,
) -> Result<()> {
    conn.execute(
        "UPDATE syncs SET state = ?2, message = ?3,
                finished_at = CASE WHEN ?2 = 'running' THEN NULL ELSE ?4 END
         WHERE id = ?1",
        params![sync_id, state.as_str(), message, now],
    )?;
    Ok(())
}

/// Syncs left `running` by an app that stopped (closed or killed) become `interrupted`.
/// Returns how many.
pub fn mark_interrupted(conn: &Connection, now: &str) -> Result<usize> {
    Ok(conn.execute(
        "UPDATE syncs SET state = 'interrupted', finished_at = ?1,
                message = 'The app stopped during this sync. Retry checks what was written and finishes the rest.'
         WHERE state = 'running'",
        [now],
    )?)
}

fn state_of(text: &str) -> Result<SyncState> {
    SyncState::parse(text)
        .ok_or_else(|| Error::Store(format!("a sync has an unknown state “{text}”")))
}

fn writes_of(conn: &Connection, sync_id: i64) -> Result<Vec<JournaledWrite>> {
    let mut stmt = conn.prepare(
        "SELECT id, seq, spec, state, addition_id, message, attempts FROM sync_writes
         WHERE sync_id = ?1 ORDER BY seq",
    )?;
    let rows = stmt
        .query_map([sync_id], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, u32>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, Option<i64>>(4)?,
                r.get::<_, Option<String>>(5)?,
                r.get::<_, u32>(6)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter()
        .map(|(id, seq, spec, state, addition_id, message, attempts)| {
            Ok(JournaledWrite {
                id,
                seq,
                spec: serde_json::from_str(&spec).map_err(|e| {
                    Error::Store(format!("write {seq} of sync {sync_id} is unreadable: {e}"))
                })?,
                state: WriteState::parse(&state).ok_or_else(|| {
                    Error::Store(format!("write {seq} has an unknown state “{state}”"))
                })?,
                addition_id,
                message,
                attempts,
            })
        })
        .collect()
}

pub fn get(conn: &Connection, sync_id: i64) -> Result<Journal> {
    let (task_id, agreement_id, state, known): (i64, i64, String, String) = conn
        .query_row(
            "SELECT task_id, agreement_id, state, known_ids FROM syncs WHERE id = ?1",
            [sync_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?
        .ok_or_else(|| Error::NotFound(format!("Sync {sync_id}")))?;
    Ok(Journal {
        id: sync_id,
        task_id,
        agreement_id,
        state: state_of(&state)?,
        known_ids: serde_json::from_str(&known)
            .map_err(|e| Error::Store(format!("sync {sync_id} is unreadable: {e}")))?,
        writes: writes_of(conn, sync_id)?,
    })
}

/// The task's sync that still has writes to finish, if any.
pub fn open_of_task(conn: &Connection, task_id: i64) -> Result<Option<i64>> {
    Ok(conn
        .query_row(
            "SELECT id FROM syncs WHERE task_id = ?1
               AND state IN ('running', 'interrupted', 'failed')
             ORDER BY id DESC LIMIT 1",
            [task_id],
            |r| r.get(0),
        )
        .optional()?)
}

/// The task's last sync that wrote everything.
pub fn last_synced_of_task(conn: &Connection, task_id: i64) -> Result<Option<i64>> {
    Ok(conn
        .query_row(
            "SELECT id FROM syncs WHERE task_id = ?1 AND state = 'synced' ORDER BY id DESC LIMIT 1",
            [task_id],
            |r| r.get(0),
        )
        .optional()?)
}

/// Syncs interrupted by a stopped app, oldest first.
pub fn interrupted(conn: &Connection) -> Result<Vec<SyncView>> {
    let ids: Vec<i64> = conn
        .prepare("SELECT id FROM syncs WHERE state IN ('running', 'interrupted') ORDER BY id")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    ids.into_iter().map(|id| view(conn, id)).collect()
}

/// One sync for people.
pub fn view(conn: &Connection, sync_id: i64) -> Result<SyncView> {
    type Head = (
        i64,
        String,
        i64,
        String,
        String,
        String,
        Option<String>,
        String,
        String,
        Option<String>,
        String,
    );
    let head: Head = conn
        .query_row(
            "SELECT s.task_id, s.profile_name, s.agreement_id, s.agreement_name, s.currency, s.state,
                    s.message, s.changes, s.started_at, s.finished_at,
                    t.customer_name || ' — order ' || t.order_id
             FROM syncs s JOIN tasks t ON t.id = s.task_id WHERE s.id = ?1",
            [sync_id],
            |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                    r.get(7)?,
                    r.get(8)?,
                    r.get(9)?,
                    r.get(10)?,
                ))
            },
        )
        .optional()?
        .ok_or_else(|| Error::NotFound(format!("Sync {sync_id}")))?;
    let (task_id, profile, agreement_id, agreement_name, currency, state, message, changes) = (
        head.0, head.1, head.2, head.3, head.4, head.5, head.6, head.7,
    );
    let state = state_of(&state)?;
    Ok(SyncView {
        id: sync_id,
        task_id,
        task_label: head.10,
        profile_name: profile,
        agreement_id,
        agreement_name,
        currency,
        state,
        open: state.is_open(),
        message,
        activity: None,
        changes: serde_json::from_str(&changes).unwrap_or_default(),
        started_at: head.8,
        finished_at: head.9,
        writes: writes_of(conn, sync_id)?
            .into_iter()
            .map(|w| WriteView {
                seq: w.seq,
                kind: w.spec.label,
                description: w.spec.description.clone(),
                amount: w.spec.amount.clone(),
                state: w.state,
                addition_id: w.addition_id,
                message: w.message,
                attempts: w.attempts,
            })
            .collect(),
    })
}

/// The task's syncs, newest first.
pub fn history(conn: &Connection, task_id: i64) -> Result<Vec<SyncView>> {
    let ids: Vec<i64> = conn
        .prepare("SELECT id FROM syncs WHERE task_id = ?1 ORDER BY id DESC")?
        .query_map([task_id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    ids.into_iter().map(|id| view(conn, id)).collect()
}
