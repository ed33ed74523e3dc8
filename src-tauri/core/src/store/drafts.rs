//! The wizard's draft of each task, saved as the user edits.

use rusqlite::{params, Connection, OptionalExtension};

use crate::draft::Draft;
use crate::error::{Error, Result};

pub fn get(conn: &Connection, task_id: i64) -> Result<Draft> {
    let body: Option<String> = conn
        .query_row(
            "SELECT body FROM drafts WHERE task_id = ?1",
            [task_id],
            |r| r.get(0),
        )
        .optional()?;
    match body {
        None => Ok(Draft::default()),
        Some(b) => serde_json::from_str(&b)
            .map_err(|e| Error::Store(format!("the draft of task {task_id} is unreadable: {e}"))),
    }
}

pub fn put(conn: &Connection, task_id: i64, draft: &Draft, now: &str) -> Result<()> {
    let body = serde_json::to_string(draft)
        .map_err(|e| Error::Store(format!("could not save the draft: {e}")))?;
    conn.execute(
        "INSERT INTO drafts (task_id, body, updated_at) VALUES (?1, ?2, ?3)
         ON CONFLICT(task_id) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at",
        params![task_id, body, now],
    )?;
    Ok(())
}
