//! Cached ConnectWise records (companies, agreements, additions, catalog, billing cycles,
//! currencies), each with the time it was fetched. Lists are replaced whole when refreshed.

use rusqlite::{params, Connection, OptionalExtension, Params};
use serde::{de::DeserializeOwned, Serialize};

use crate::connectwise::wire::{Addition, Agreement, BillingCycle, CatalogItem, Company, Currency};
use crate::error::{Error, Result};

fn json<T: Serialize>(v: &T) -> Result<String> {
    serde_json::to_string(v)
        .map_err(|e| Error::Store(format!("could not encode a cached record: {e}")))
}

fn bodies<T: DeserializeOwned>(
    conn: &Connection,
    what: &str,
    sql: &str,
    args: impl Params,
) -> Result<Vec<T>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map(args, |r| r.get::<_, String>(0))?;
    let mut out = Vec::new();
    for body in rows {
        let body = body?;
        out.push(
            serde_json::from_str(&body)
                .map_err(|e| Error::Store(format!("a cached {what} is unreadable: {e}")))?,
        );
    }
    Ok(out)
}

pub fn replace_companies(conn: &Connection, rows: &[Company], now: &str) -> Result<()> {
    conn.execute("DELETE FROM cw_companies", [])?;
    let mut stmt = conn.prepare_cached(
        "INSERT INTO cw_companies (id, identifier, name, body, fetched_at) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for c in rows {
        stmt.execute(params![c.id, c.identifier, c.name, json(c)?, now])?;
    }
    Ok(())
}

/// Adds or updates the companies that changed.
pub fn upsert_companies(conn: &Connection, rows: &[Company], now: &str) -> Result<()> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO cw_companies (id, identifier, name, body, fetched_at) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT(id) DO UPDATE SET identifier = excluded.identifier, name = excluded.name,
                                       body = excluded.body, fetched_at = excluded.fetched_at",
    )?;
    for c in rows {
        stmt.execute(params![c.id, c.identifier, c.name, json(c)?, now])?;
    }
    Ok(())
}

pub fn companies(conn: &Connection) -> Result<Vec<Company>> {
    bodies(
        conn,
        "company",
        "SELECT body FROM cw_companies ORDER BY name COLLATE NOCASE, id",
        [],
    )
}

pub fn company(conn: &Connection, id: i64) -> Result<Option<Company>> {
    Ok(bodies(
        conn,
        "company",
        "SELECT body FROM cw_companies WHERE id = ?1",
        [id],
    )?
    .into_iter()
    .next())
}

pub fn replace_agreements(conn: &Connection, rows: &[Agreement], now: &str) -> Result<()> {
    conn.execute("DELETE FROM cw_agreements", [])?;
    let mut stmt = conn.prepare_cached(
        "INSERT INTO cw_agreements (id, company_id, body, fetched_at) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for a in rows {
        stmt.execute(params![a.id, a.company.id, json(a)?, now])?;
    }
    Ok(())
}

/// Every cached agreement.
pub fn all_agreements(conn: &Connection) -> Result<Vec<Agreement>> {
    bodies(
        conn,
        "agreement",
        "SELECT body FROM cw_agreements ORDER BY id",
        [],
    )
}

/// Stores one agreement as just read, keeping the others.
pub fn put_agreement(conn: &Connection, a: &Agreement, now: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO cw_agreements (id, company_id, body, fetched_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT(id) DO UPDATE SET company_id = excluded.company_id, body = excluded.body,
                                       fetched_at = excluded.fetched_at",
        params![a.id, a.company.id, json(a)?, now],
    )?;
    Ok(())
}

pub fn agreements_of(conn: &Connection, company_id: i64) -> Result<Vec<Agreement>> {
    bodies(
        conn,
        "agreement",
        "SELECT body FROM cw_agreements WHERE company_id = ?1 ORDER BY id",
        [company_id],
    )
}

pub fn agreement(conn: &Connection, id: i64) -> Result<Option<Agreement>> {
    Ok(bodies(
        conn,
        "agreement",
        "SELECT body FROM cw_agreements WHERE id = ?1",
        [id],
    )?
    .into_iter()
    .next())
}

/// Replaces one agreement's cached additions.
pub fn replace_additions(
    conn: &Connection,
    agreement_id: i64,
    rows: &[Addition],
    now: &str,
) -> Result<()> {
    // When each was written, as read before: an addition ConnectWise gives no date for keeps
    // the day it was first read (the activity log lists other desks' additions by it).
    let known: std::collections::HashMap<i64, String> = conn
        .prepare_cached(
            "SELECT id, entered_at FROM cw_additions
             WHERE agreement_id = ?1 AND entered_at IS NOT NULL",
        )?
        .query_map([agreement_id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    conn.execute(
        "DELETE FROM cw_additions WHERE agreement_id = ?1",
        [agreement_id],
    )?;
    let mut stmt = conn.prepare_cached(
        "INSERT INTO cw_additions (id, agreement_id, body, fetched_at, addition_key, entered_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT(id) DO UPDATE SET agreement_id = excluded.agreement_id, body = excluded.body,
                                       fetched_at = excluded.fetched_at,
                                       addition_key = excluded.addition_key,
                                       entered_at = excluded.entered_at",
    )?;
    for a in rows {
        // Its key, from any desk (SPEC §15), and when it was written: the activity log lists
        // other desks' additions by them (SPEC §17).
        let key = crate::ledger::key_of(a);
        let entered = a
            .info
            .as_ref()
            .and_then(|i| i.date_entered)
            .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
            .or_else(|| known.get(&a.id).cloned())
            .unwrap_or_else(|| now.to_owned());
        stmt.execute(params![a.id, agreement_id, json(a)?, now, key, entered])?;
    }
    conn.execute(
        "INSERT INTO cw_additions_read (agreement_id, fetched_at) VALUES (?1, ?2)
         ON CONFLICT(agreement_id) DO UPDATE SET fetched_at = excluded.fetched_at",
        params![agreement_id, now],
    )?;
    Ok(())
}

/// An agreement's cached additions and when they were read; `None` if never read.
pub fn additions_of(
    conn: &Connection,
    agreement_id: i64,
) -> Result<Option<(Vec<Addition>, String)>> {
    let read: Option<String> = conn
        .query_row(
            "SELECT fetched_at FROM cw_additions_read WHERE agreement_id = ?1",
            [agreement_id],
            |r| r.get(0),
        )
        .optional()?;
    match read {
        None => Ok(None),
        Some(at) => Ok(Some((
            bodies(
                conn,
                "addition",
                "SELECT body FROM cw_additions WHERE agreement_id = ?1 ORDER BY id",
                [agreement_id],
            )?,
            at,
        ))),
    }
}

pub fn replace_catalog(conn: &Connection, rows: &[CatalogItem], now: &str) -> Result<()> {
    conn.execute("DELETE FROM cw_catalog", [])?;
    let mut stmt = conn.prepare_cached(
        "INSERT INTO cw_catalog (id, identifier, body, fetched_at) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for c in rows {
        stmt.execute(params![c.id, c.identifier, json(c)?, now])?;
    }
    Ok(())
}

/// Adds or updates the catalog items that changed.
pub fn upsert_catalog(conn: &Connection, rows: &[CatalogItem], now: &str) -> Result<()> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO cw_catalog (id, identifier, body, fetched_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT(id) DO UPDATE SET identifier = excluded.identifier, body = excluded.body,
                                       fetched_at = excluded.fetched_at",
    )?;
    for c in rows {
        stmt.execute(params![c.id, c.identifier, json(c)?, now])?;
    }
    Ok(())
}

/// When each agreement's additions were last read (agreement id → time).
pub fn additions_read(conn: &Connection) -> Result<std::collections::HashMap<i64, String>> {
    let mut stmt = conn.prepare_cached("SELECT agreement_id, fetched_at FROM cw_additions_read")?;
    let rows = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

pub fn catalog(conn: &Connection) -> Result<Vec<CatalogItem>> {
    bodies(
        conn,
        "catalog item",
        "SELECT body FROM cw_catalog ORDER BY identifier, id",
        [],
    )
}

pub fn replace_billing_cycles(conn: &Connection, rows: &[BillingCycle], now: &str) -> Result<()> {
    conn.execute("DELETE FROM cw_billing_cycles", [])?;
    let mut stmt = conn.prepare_cached(
        "INSERT INTO cw_billing_cycles (id, body, fetched_at) VALUES (?1, ?2, ?3)",
    )?;
    for c in rows {
        stmt.execute(params![c.id, json(c)?, now])?;
    }
    Ok(())
}

pub fn billing_cycles(conn: &Connection) -> Result<Vec<BillingCycle>> {
    bodies(
        conn,
        "billing cycle",
        "SELECT body FROM cw_billing_cycles ORDER BY id",
        [],
    )
}

pub fn replace_currencies(conn: &Connection, rows: &[Currency], now: &str) -> Result<()> {
    conn.execute("DELETE FROM cw_currencies", [])?;
    let mut stmt = conn
        .prepare_cached("INSERT INTO cw_currencies (id, body, fetched_at) VALUES (?1, ?2, ?3)")?;
    for c in rows {
        stmt.execute(params![c.id, json(c)?, now])?;
    }
    Ok(())
}

pub fn currencies(conn: &Connection) -> Result<Vec<Currency>> {
    bodies(
        conn,
        "currency",
        "SELECT body FROM cw_currencies ORDER BY id",
        [],
    )
}

/// When the ConnectWise data was last refreshed, whole or in part (before such refreshes were
/// recorded: the companies' fetch time), if ever.
pub fn refreshed_at(conn: &Connection) -> Result<Option<String>> {
    if let Some(at) = crate::store::settings::get(conn, crate::store::settings::CW_REFRESHED_AT)? {
        return Ok(Some(at));
    }
    Ok(conn.query_row("SELECT max(fetched_at) FROM cw_companies", [], |r| r.get(0))?)
}

/// The cached additions of every agreement whose additions were read (agreement id → them).
pub fn all_additions(conn: &Connection) -> Result<std::collections::HashMap<i64, Vec<Addition>>> {
    let mut out: std::collections::HashMap<i64, Vec<Addition>> = additions_read(conn)?
        .into_keys()
        .map(|id| (id, Vec::new()))
        .collect();
    let mut stmt = conn
        .prepare_cached("SELECT agreement_id, body FROM cw_additions ORDER BY agreement_id, id")?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?;
    for row in rows {
        let (agreement_id, body) = row?;
        let addition: Addition = serde_json::from_str(&body)
            .map_err(|e| Error::Store(format!("a cached addition is unreadable: {e}")))?;
        if let Some(list) = out.get_mut(&agreement_id) {
            list.push(addition);
        }
    }
    Ok(out)
}

/// Keeps what a read of an agreement's invoice calendar gave (SPEC §16).
pub fn put_recap(
    conn: &Connection,
    agreement_id: i64,
    read: &crate::calendar::RecapRead,
    now: &str,
) -> Result<()> {
    conn.execute(
        "INSERT INTO cw_recaps (agreement_id, body, read_at) VALUES (?1, ?2, ?3)
         ON CONFLICT(agreement_id) DO UPDATE SET body = excluded.body, read_at = excluded.read_at",
        params![agreement_id, json(read)?, now],
    )?;
    Ok(())
}

/// What the last read of an agreement's invoice calendar gave; not read when none was kept (or
/// what was kept cannot be read: it is read again at the next review).
pub fn recap(conn: &Connection, agreement_id: i64) -> Result<crate::calendar::RecapRead> {
    let body: Option<String> = conn
        .query_row(
            "SELECT body FROM cw_recaps WHERE agreement_id = ?1",
            [agreement_id],
            |r| r.get(0),
        )
        .optional()?;
    Ok(body
        .and_then(|b| serde_json::from_str(&b).ok())
        .unwrap_or(crate::calendar::RecapRead::NotRead))
}
