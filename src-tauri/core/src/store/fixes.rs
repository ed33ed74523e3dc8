//! Reconcile fixes in the cache (SPEC §13): what each fix task fixes. Domain records, never views
//! (DESIGN rule 12).

use std::collections::BTreeMap;

use rusqlite::{params, Connection, OptionalExtension, Row};
use rust_decimal::Decimal;

use crate::error::{Error, Result};
use crate::record::fix::{Fix, FixFound, FixMode, FixTarget};
use crate::record::reconcile::Outcome;
use crate::task::TaskStatus;

/// Keeps what fix task `task_id` fixes.
pub fn put(conn: &Connection, task_id: i64, f: &Fix, now: &str) -> Result<()> {
    let t = &f.target;
    let (words, found) = match &f.found {
        FixFound::Words(words) => (words.as_str(), None),
        line @ FixFound::Line { .. } => (
            "",
            Some(serde_json::to_string(line).map_err(|e| {
                Error::Store(format!("what Reconcile found could not be kept: {e}"))
            })?),
        ),
    };
    conn.execute(
        "INSERT INTO fixes (task_id, customer_id, line_key, product_key, product_name, outcome,
                            words, mode, quantity, unit_price, unit_cost, agreement_id, created_at,
                            found)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
        params![
            task_id,
            f.customer_id,
            f.line_key,
            t.product_key,
            t.product_name,
            f.outcome.as_str(),
            words,
            t.mode.as_str(),
            t.quantity.to_string(),
            t.unit_price.to_string(),
            t.unit_cost.to_string(),
            f.agreement_id,
            now,
            found
        ],
    )?;
    Ok(())
}

fn decimal(
    row: &Row,
    i: usize,
    task_id: i64,
) -> rusqlite::Result<std::result::Result<Decimal, String>> {
    let text: String = row.get(i)?;
    Ok(text
        .parse::<Decimal>()
        .map_err(|_| format!("fix of task {task_id}: “{text}” is not an amount")))
}

fn read(row: &Row) -> rusqlite::Result<std::result::Result<Fix, String>> {
    let task_id: i64 = row.get(0)?;
    let outcome: String = row.get(5)?;
    let mode: String = row.get(7)?;
    let (quantity, unit_price, unit_cost) = (
        decimal(row, 8, task_id)?,
        decimal(row, 9, task_id)?,
        decimal(row, 10, task_id)?,
    );
    let f = || -> std::result::Result<Fix, String> {
        Ok(Fix {
            customer_id: row.get(1).map_err(|e| e.to_string())?,
            line_key: row.get(2).map_err(|e| e.to_string())?,
            outcome: Outcome::parse(&outcome)
                .ok_or_else(|| format!("fix of task {task_id}: unknown outcome “{outcome}”"))?,
            found: match row
                .get::<_, Option<String>>(12)
                .map_err(|e| e.to_string())?
            {
                Some(json) => serde_json::from_str(&json).map_err(|_| {
                    format!("fix of task {task_id}: what Reconcile found cannot be read")
                })?,
                None => FixFound::Words(row.get(6).map_err(|e| e.to_string())?),
            },
            target: FixTarget {
                product_key: row.get(3).map_err(|e| e.to_string())?,
                product_name: row.get(4).map_err(|e| e.to_string())?,
                mode: FixMode::parse(&mode)
                    .ok_or_else(|| format!("fix of task {task_id}: unknown mode “{mode}”"))?,
                quantity: quantity?,
                unit_price: unit_price?,
                unit_cost: unit_cost?,
            },
            agreement_id: row.get(11).map_err(|e| e.to_string())?,
        })
    };
    Ok(f())
}

const COLUMNS: &str = "f.task_id, f.customer_id, f.line_key, f.product_key, f.product_name, \
     f.outcome, f.words, f.mode, f.quantity, f.unit_price, f.unit_cost, f.agreement_id, f.found";

/// What fix task `task_id` fixes; `None` when the task is no fix.
pub fn get(conn: &Connection, task_id: i64) -> Result<Option<Fix>> {
    let found = conn
        .query_row(
            &format!("SELECT {COLUMNS} FROM fixes f WHERE f.task_id = ?1"),
            [task_id],
            read,
        )
        .optional()?;
    found.map(|r| r.map_err(Error::Store)).transpose()
}

/// A customer's fix tasks not synced yet (pending or failed), by product line: each line's
/// task ids, oldest first.
pub fn open_of_customer(
    conn: &Connection,
    customer_id: &str,
) -> Result<BTreeMap<String, Vec<(i64, TaskStatus)>>> {
    let mut stmt = conn.prepare(
        "SELECT f.line_key, f.task_id, t.status FROM fixes f JOIN tasks t ON t.id = f.task_id
         WHERE f.customer_id = ?1 AND t.status IN ('pending', 'failed') ORDER BY f.task_id",
    )?;
    let rows = stmt.query_map([customer_id], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, String>(2)?,
        ))
    })?;
    let mut by: BTreeMap<String, Vec<(i64, TaskStatus)>> = BTreeMap::new();
    for row in rows {
        let (line, id, status) = row?;
        let status = TaskStatus::parse(&status)
            .ok_or_else(|| Error::Store(format!("task {id} has an unknown status “{status}”")))?;
        by.entry(line).or_default().push((id, status));
    }
    Ok(by)
}

/// How many fix orders were ever made (they are numbered from it).
pub fn count(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT count(*) FROM orders WHERE order_type = 'reconcileFix'",
        [],
        |r| r.get(0),
    )?)
}
