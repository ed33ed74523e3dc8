//! Small key/value settings of one profile's cache.

use rusqlite::{Connection, OptionalExtension};

use crate::error::Result;

pub const LAST_CHECKED_AT: &str = "last_checked_at";
pub const ORDERS_WATERMARK: &str = "orders_watermark";
pub const FIRST_CHECK_DAYS: &str = "first_check_days";
pub const LAST_ONLINE_AT: &str = "last_online_at";
/// When the ConnectWise data was last refreshed (whole or in part), in the app's clock.
pub const CW_REFRESHED_AT: &str = "cw_refreshed_at";
/// When the ConnectWise lists were last read whole, in the app's clock.
pub const CW_FULL_REFRESH_AT: &str = "cw_full_refresh_at";
/// The latest `lastUpdated` seen in each ConnectWise list, in ConnectWise's clock: the next
/// refresh asks for what changed since (less an overlap).
pub const CW_COMPANIES_MARK: &str = "cw_companies_mark";
pub const CW_AGREEMENTS_MARK: &str = "cw_agreements_mark";
pub const CW_CATALOG_MARK: &str = "cw_catalog_mark";
/// The currency ConnectWise's catalog prices are in, as the profile names it (empty: not known).
pub const CW_CATALOG_CURRENCY: &str = "cw_catalog_currency";

pub fn get(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
            r.get(0)
        })
        .optional()?)
}

/// Forgets a setting.
pub fn remove(conn: &Connection, key: &str) -> Result<()> {
    conn.execute("DELETE FROM settings WHERE key = ?1", [key])?;
    Ok(())
}

pub fn set(conn: &Connection, key: &str, value: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO settings (key, value) VALUES (?1, ?2)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        [key, value],
    )?;
    Ok(())
}
