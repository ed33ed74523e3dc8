//! The sync journal: each sync of a task and each of its writes, recorded before the write is
//! sent and marked with its result after (SPEC §7). Also the task's sync history.

use rusqlite::{params, Connection, OptionalExtension};

use crate::connectwise::wire::Addition;
use crate::error::{Error, Result};
use crate::record::sync::{SyncState, WriteState};
use crate::record::write::WriteSpec;

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
    /// The desk it runs on (SPEC §17).
    pub desk: &'a str,
    /// The sync this one undoes, for an undo.
    pub undoes: Option<i64>,
    /// The agreement's invoiced boundary when it writes, when known.
    pub boundary: Option<chrono::NaiveDate>,
}

/// An addition as a write found or left it (SPEC §17).
#[derive(Debug, Clone, PartialEq)]
pub enum State {
    /// Not recorded (a write journaled before states were kept, or not sent yet).
    NotRecorded,
    /// There was no addition (before a create, after a removal).
    Absent,
    /// The addition as ConnectWise sent it.
    Addition(Box<Addition>),
}

impl State {
    pub fn of(addition: Option<&Addition>) -> State {
        match addition {
            Some(a) => State::Addition(Box::new(a.clone())),
            None => State::Absent,
        }
    }

    pub fn addition(&self) -> Option<&Addition> {
        match self {
            State::Addition(a) => Some(a),
            _ => None,
        }
    }

    fn column(&self) -> Result<Option<String>> {
        Ok(match self {
            State::NotRecorded => None,
            State::Absent => Some("null".to_owned()),
            State::Addition(a) => Some(json(a)?),
        })
    }

    /// A stored state; one that cannot be read counts as not recorded (the write itself stays
    /// readable).
    pub fn read_column(text: Option<&str>) -> State {
        match text.map(str::trim) {
            None => State::NotRecorded,
            Some("null") => State::Absent,
            Some(t) => serde_json::from_str::<Addition>(t)
                .map(|a| State::Addition(Box::new(a)))
                .unwrap_or(State::NotRecorded),
        }
    }
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
    /// The addition right before the write was sent, and as ConnectWise answered after.
    pub before: State,
    pub after: State,
    /// When it was last written to (sent, or its result recorded).
    pub updated_at: String,
}

fn json<T: serde::Serialize>(v: &T) -> Result<String> {
    serde_json::to_string(v).map_err(|e| Error::Store(format!("could not record the sync: {e}")))
}

/// What a write found already in ConnectWise says.
pub const ALREADY: &str =
    "Already in ConnectWise (written before, from this desk or another): not sent again.";

/// Records a sync and its writes (pending, or confirmed when already in ConnectWise) in one go. Returns the sync's id.
pub fn insert(conn: &Connection, sync: &NewSync, writes: &[WriteSpec]) -> Result<i64> {
    conn.execute(
        "INSERT INTO syncs (task_id, profile_name, agreement_id, agreement_name, currency, state,
                            message, changes, known_ids, started_at, finished_at, desk, undoes,
                            boundary)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10,
                 CASE WHEN ?6 IN ('running') THEN NULL ELSE ?10 END, ?11, ?12, ?13)",
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
            sync.desk,
            sync.undoes,
            sync.boundary.map(|d| d.to_string()),
        ],
    )?;
    let id = conn.last_insert_rowid();
    for (i, spec) in writes.iter().enumerate() {
        // A write already in ConnectWise before this sync is confirmed at once, with its evidence.
        let (state, message) = match spec.already {
            Some(_) => (WriteState::Confirmed, Some(ALREADY)),
            None => (WriteState::Pending, None),
        };
        conn.execute(
            "INSERT INTO sync_writes (sync_id, seq, spec, state, addition_id, message, updated_at,
                                      addition_key)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                id,
                i as i64 + 1,
                json(spec)?,
                state.as_str(),
                spec.already,
                message,
                sync.now,
                spec.key
            ],
        )?;
    }
    Ok(id)
}

/// Marks a write as about to be sent (one more attempt), with the addition as it is right before
/// its first attempt (a later attempt may find what the first one did, so the first is kept).
pub fn mark_sending(conn: &Connection, write_id: i64, before: &State, now: &str) -> Result<()> {
    conn.execute(
        "UPDATE sync_writes SET state = 'sending', attempts = attempts + 1, message = NULL,
                updated_at = ?2, before_state = COALESCE(before_state, ?3)
         WHERE id = ?1",
        params![write_id, now, before.column()?],
    )?;
    Ok(())
}

/// Records the addition as a confirmed write left it.
pub fn set_after(conn: &Connection, write_id: i64, after: &State) -> Result<()> {
    conn.execute(
        "UPDATE sync_writes SET after_state = COALESCE(?2, after_state) WHERE id = ?1",
        params![write_id, after.column()?],
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

fn writes_of(conn: &Connection, sync_id: i64) -> Result<Vec<JournaledWrite>> {
    let mut stmt = conn.prepare(
        "SELECT id, seq, spec, state, addition_id, message, attempts, before_state, after_state,
                updated_at
         FROM sync_writes WHERE sync_id = ?1 ORDER BY seq",
    )?;
    type Columns = (i64, u32, String, String, Option<i64>, Option<String>, u32);
    let rows = stmt
        .query_map([sync_id], |r| {
            let columns: Columns = (
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
            );
            let states = (
                State::read_column(r.get::<_, Option<String>>(7)?.as_deref()),
                State::read_column(r.get::<_, Option<String>>(8)?.as_deref()),
                r.get::<_, String>(9)?,
            );
            Ok((columns, states))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter()
        .map(
            |(
                (id, seq, spec, state, addition_id, message, attempts),
                (before, after, updated_at),
            )| {
                Ok(JournaledWrite {
                    before,
                    after,
                    updated_at,
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
            },
        )
        .collect()
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
            "SELECT id FROM syncs WHERE task_id = ?1 AND state IN ('synced', 'alreadyInConnectWise')
             ORDER BY id DESC LIMIT 1",
            [task_id],
            |r| r.get(0),
        )
        .optional()?)
}

/// Syncs interrupted by a stopped app, oldest first.
pub fn interrupted(conn: &Connection) -> Result<Vec<SyncRecord>> {
    let ids: Vec<i64> = conn
        .prepare("SELECT id FROM syncs WHERE state IN ('running', 'interrupted') ORDER BY id")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    ids.into_iter().map(|id| record(conn, id)).collect()
}

/// A sync as recorded, with what people are shown of it: which task, profile and agreement.
#[derive(Debug, Clone)]
pub struct SyncRecord {
    pub id: i64,
    pub task_id: i64,
    /// "Customer — order N".
    pub task_label: String,
    pub profile_name: String,
    pub agreement_id: i64,
    pub agreement_name: String,
    pub currency: String,
    pub state: SyncState,
    pub message: Option<String>,
    /// The additions the agreement had when the sync was reviewed.
    pub known_ids: Vec<i64>,
    /// What changed in ConnectWise since the review (state `changed`).
    pub changes: Vec<String>,
    pub started_at: String,
    pub finished_at: Option<String>,
    pub writes: Vec<JournaledWrite>,
    /// The desk it ran on; `None` for syncs recorded before desks were.
    pub desk: Option<String>,
    /// The sync it undoes, when it is an undo.
    pub undoes: Option<i64>,
    /// The undo of it that wrote everything, if any.
    pub undone_by: Option<i64>,
    /// The agreement's invoiced boundary when it wrote, when recorded.
    pub boundary: Option<chrono::NaiveDate>,
}

/// A column holding JSON; a value that cannot be read is named in the error.
fn json_column<T: serde::de::DeserializeOwned>(
    row: &rusqlite::Row,
    i: usize,
) -> rusqlite::Result<T> {
    let text: String = row.get(i)?;
    serde_json::from_str(&text).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e))
    })
}

/// One sync, whole.
pub fn record(conn: &Connection, sync_id: i64) -> Result<SyncRecord> {
    let mut record = conn
        .query_row(
            "SELECT s.task_id, s.profile_name, s.agreement_id, s.agreement_name, s.currency, s.state,
                    s.message, s.changes, s.started_at, s.finished_at,
                    t.customer_name || ' — order ' || t.order_id, s.known_ids, s.desk, s.undoes,
                    (SELECT max(u.id) FROM syncs u WHERE u.undoes = s.id AND u.state = 'synced'),
                    s.boundary
             FROM syncs s JOIN tasks t ON t.id = s.task_id WHERE s.id = ?1",
            [sync_id],
            |r| {
                Ok(SyncRecord {
                    id: sync_id,
                    task_id: r.get(0)?,
                    profile_name: r.get(1)?,
                    agreement_id: r.get(2)?,
                    agreement_name: r.get(3)?,
                    currency: r.get(4)?,
                    state: r.get(5)?,
                    message: r.get(6)?,
                    changes: json_column(r, 7)?,
                    started_at: r.get(8)?,
                    finished_at: r.get(9)?,
                    task_label: r.get(10)?,
                    known_ids: json_column(r, 11)?,
                    desk: r.get(12)?,
                    undoes: r.get(13)?,
                    undone_by: r.get(14)?,
                    boundary: r
                        .get::<_, Option<String>>(15)?
                        .and_then(|d| d.parse().ok()),
                    writes: Vec::new(),
                })
            },
        )
        .optional()?
        .ok_or_else(|| Error::NotFound(format!("Sync {sync_id}")))?;
    record.writes = writes_of(conn, sync_id)?;
    Ok(record)
}

/// A sync's state as stored; an unknown one is named in the error.
impl rusqlite::types::FromSql for SyncState {
    fn column_result(value: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
        let text = value.as_str()?;
        SyncState::parse(text).ok_or_else(|| {
            rusqlite::types::FromSqlError::Other(
                format!("a sync has an unknown state “{text}”").into(),
            )
        })
    }
}

/// The task's syncs, newest first.
pub fn history(conn: &Connection, task_id: i64) -> Result<Vec<SyncRecord>> {
    let ids: Vec<i64> = conn
        .prepare("SELECT id FROM syncs WHERE task_id = ?1 ORDER BY id DESC")?
        .query_map([task_id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    ids.into_iter().map(|id| record(conn, id)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::tasks::{self, NewTask};
    use crate::task::TaskType;

    const NOW: &str = "2026-11-24T12:00:00Z";

    /// A store with one task and one journaled sync of it with no writes. Returns the sync's id.
    fn one_sync(conn: &Connection) -> i64 {
        conn.execute(
            "INSERT INTO orders VALUES ('1000231','change','1000048531','2026-11-16T10:04:11Z',
                                        'completed','{}','2026-11-24T00:00:00Z')",
            [],
        )
        .unwrap();
        tasks::insert(
            conn,
            &NewTask {
                order_id: "1000231".into(),
                task_type: TaskType::ChangeOrder,
                order_date: "2026-11-16T10:04:11Z".into(),
                customer_id: "1000048531".into(),
                customer_name: "Green Lane LLC".into(),
                subscription_id: "1000517".into(),
                subscription_name: "Microsoft 365 Business Premium".into(),
                amount: "102.00".into(),
                currency: "USD".into(),
                amounts: Default::default(),
            },
            NOW,
        )
        .unwrap();
        let task_id: i64 = conn
            .query_row("SELECT id FROM tasks", [], |r| r.get(0))
            .unwrap();
        insert(
            conn,
            &NewSync {
                task_id,
                profile_name: "Demo",
                agreement_id: 4127,
                agreement_name: "Green Lane — Microsoft 365",
                currency: "USD",
                state: SyncState::Failed,
                message: Some("ConnectWise refused write 2"),
                changes: &["addition 30211 was removed".to_owned()],
                known_ids: &[30211, 30212],
                now: NOW,
                desk: "ana on BILLING-PC",
                undoes: None,
                boundary: None,
            },
            &[],
        )
        .unwrap()
    }

    #[test]
    fn a_sync_reads_back_as_it_was_recorded_with_its_task_named() {
        let store = crate::store::Store::open_in_memory().unwrap();
        store
            .with(|c| {
                let id = one_sync(c);
                let r = record(c, id)?;
                assert_eq!(r.task_label, "Green Lane LLC — order 1000231");
                assert_eq!((r.agreement_id, r.state), (4127, SyncState::Failed));
                assert_eq!(r.known_ids, vec![30211, 30212]);
                assert_eq!(r.changes, vec!["addition 30211 was removed".to_owned()]);
                assert_eq!(r.finished_at.as_deref(), Some(NOW));
                assert_eq!(history(c, r.task_id)?.len(), 1);
                assert_eq!(open_of_task(c, r.task_id)?, Some(id));
                Ok(())
            })
            .unwrap();
    }

    #[test]
    fn a_damaged_sync_is_named_not_guessed() {
        let store = crate::store::Store::open_in_memory().unwrap();
        store
            .with(|c| {
                let id = one_sync(c);
                c.execute("UPDATE syncs SET state = 'half-done' WHERE id = ?1", [id])?;
                let err = record(c, id).unwrap_err().to_string();
                assert!(err.contains("unknown state “half-done”"), "{err}");
                c.execute(
                    "UPDATE syncs SET state = 'failed', known_ids = '[30211,' WHERE id = ?1",
                    [id],
                )?;
                assert!(record(c, id).is_err());
                assert!(matches!(record(c, id + 1), Err(Error::NotFound(_))));
                Ok(())
            })
            .unwrap();
    }
}
