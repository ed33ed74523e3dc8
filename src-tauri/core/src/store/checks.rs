//! The history of Check Changes runs.

use rusqlite::{params, Connection, OptionalExtension};

use crate::error::Result;
use crate::view::{CheckSummary, SkipCount};

pub fn record(conn: &Connection, summary: &CheckSummary) -> Result<()> {
    let skipped = serde_json::to_string(&summary.skipped)
        .map_err(|e| crate::error::Error::Store(e.to_string()))?;
    conn.execute(
        "INSERT INTO checks (window_from, finished_at, orders_read, tasks_created, already_known, skipped,
                             connectwise_error)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            summary.from,
            summary.finished_at,
            summary.orders_read,
            summary.tasks_created,
            summary.already_known,
            skipped,
            summary.connectwise_error
        ],
    )?;
    Ok(())
}

pub fn last(conn: &Connection) -> Result<Option<CheckSummary>> {
    let found = conn
        .query_row(
            "SELECT window_from, finished_at, orders_read, tasks_created, already_known, skipped,
                    connectwise_error
             FROM checks ORDER BY id DESC LIMIT 1",
            [],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, u32>(2)?,
                    r.get::<_, u32>(3)?,
                    r.get::<_, u32>(4)?,
                    r.get::<_, String>(5)?,
                    r.get::<_, Option<String>>(6)?,
                ))
            },
        )
        .optional()?;
    Ok(found.map(
        |(
            from,
            finished_at,
            orders_read,
            tasks_created,
            already_known,
            skipped,
            connectwise_error,
        )| {
            CheckSummary {
                orders_read,
                tasks_created,
                already_known,
                // An unreadable history entry shows no skip details rather than failing the screen.
                skipped: serde_json::from_str::<Vec<SkipCount>>(&skipped).unwrap_or_default(),
                from,
                finished_at,
                connectwise_error,
            }
        },
    ))
}
