//! Cached marketplace records, each with the time it was fetched.

use rusqlite::{params, Connection, OptionalExtension};
use serde::{de::DeserializeOwned, Serialize};

use crate::error::{Error, Result};
use crate::marketplace::wire::{Customer, Order, OrderSummary, Subscription};
use crate::store::time_text;
use crate::task::SkipReason;

fn json<T: Serialize>(v: &T) -> Result<String> {
    serde_json::to_string(v)
        .map_err(|e| Error::Store(format!("could not encode a cached record: {e}")))
}

fn parse<T: DeserializeOwned>(what: &str, body: &str) -> Result<T> {
    serde_json::from_str(body)
        .map_err(|e| Error::Store(format!("the cached {what} is unreadable: {e}")))
}

pub fn put_customer(conn: &Connection, c: &Customer, now: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO customers (id, name, body, fetched_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT(id) DO UPDATE SET name = excluded.name, body = excluded.body, fetched_at = excluded.fetched_at",
        params![c.id, c.name, json(c)?, now],
    )?;
    Ok(())
}

pub fn customer(conn: &Connection, id: &str) -> Result<Option<Customer>> {
    let body: Option<String> = conn
        .query_row("SELECT body FROM customers WHERE id = ?1", [id], |r| {
            r.get(0)
        })
        .optional()?;
    body.map(|b| parse("customer", &b)).transpose()
}

pub fn put_subscription(conn: &Connection, s: &Subscription, now: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO subscriptions (id, customer_id, body, fetched_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT(id) DO UPDATE SET customer_id = excluded.customer_id, body = excluded.body,
                                       fetched_at = excluded.fetched_at",
        params![s.id, s.customer_id, json(s)?, now],
    )?;
    Ok(())
}

pub fn subscription(conn: &Connection, id: &str) -> Result<Option<Subscription>> {
    let body: Option<String> = conn
        .query_row("SELECT body FROM subscriptions WHERE id = ?1", [id], |r| {
            r.get(0)
        })
        .optional()?;
    body.map(|b| parse("subscription", &b)).transpose()
}

pub fn put_order(conn: &Connection, o: &Order, now: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO orders (id, order_type, customer_id, creation_date, status, body, fetched_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT(id) DO UPDATE SET order_type = excluded.order_type, customer_id = excluded.customer_id,
            creation_date = excluded.creation_date, status = excluded.status, body = excluded.body,
            fetched_at = excluded.fetched_at",
        params![
            o.id,
            o.order_type,
            o.customer_id,
            time_text(o.creation_date),
            o.status,
            json(o)?,
            now
        ],
    )?;
    Ok(())
}

pub fn order(conn: &Connection, id: &str) -> Result<Option<Order>> {
    let body: Option<String> = conn
        .query_row("SELECT body FROM orders WHERE id = ?1", [id], |r| r.get(0))
        .optional()?;
    body.map(|b| parse("order", &b)).transpose()
}

pub fn put_skipped(
    conn: &Connection,
    o: &OrderSummary,
    reason: SkipReason,
    now: &str,
) -> Result<()> {
    conn.execute(
        "INSERT INTO skipped_orders (order_id, reason, order_type, status, customer_id, creation_date, seen_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT(order_id) DO UPDATE SET reason = excluded.reason, order_type = excluded.order_type,
            status = excluded.status, seen_at = excluded.seen_at",
        params![
            o.id,
            reason.as_str(),
            o.order_type,
            o.status,
            o.customer_id,
            time_text(o.creation_date),
            now
        ],
    )?;
    Ok(())
}

pub fn remove_skipped(conn: &Connection, order_id: &str) -> Result<()> {
    conn.execute("DELETE FROM skipped_orders WHERE order_id = ?1", [order_id])?;
    Ok(())
}

/// Orders seen before that were not completed yet; they are looked at again on each check.
pub fn unfinished_order_ids(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt = conn
        .prepare("SELECT order_id FROM skipped_orders WHERE reason = ?1 ORDER BY creation_date")?;
    let ids = stmt
        .query_map([SkipReason::NotCompleted.as_str()], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<String>>>()?;
    Ok(ids)
}
