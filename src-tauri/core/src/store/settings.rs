//! Small key/value settings of one profile's cache.

use rusqlite::{Connection, OptionalExtension};

use crate::error::Result;

pub const LAST_CHECKED_AT: &str = "last_checked_at";
pub const ORDERS_WATERMARK: &str = "orders_watermark";
pub const FIRST_CHECK_DAYS: &str = "first_check_days";
pub const LAST_ONLINE_AT: &str = "last_online_at";

pub fn get(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
            r.get(0)
        })
        .optional()?)
}

pub fn set(conn: &Connection, key: &str, value: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO settings (key, value) VALUES (?1, ?2)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        [key, value],
    )?;
    Ok(())
}
