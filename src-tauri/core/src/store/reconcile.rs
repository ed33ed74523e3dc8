//! Reconcile's cache (SPEC §13): each customer's subscriptions as last read and its last
//! comparison, each with its time. Domain records, never views (DESIGN rule 12).

use std::collections::BTreeMap;

use rusqlite::{params, Connection, OptionalExtension};
use serde::{de::DeserializeOwned, Serialize};

use crate::error::{Error, Result};
use crate::marketplace::wire::Subscription;
use crate::reading::UnreadableRecord;
use crate::record::reconcile::{CustomerReconcile, CustomerSubscriptions};

fn json<T: Serialize>(v: &T) -> Result<String> {
    serde_json::to_string(v)
        .map_err(|e| Error::Store(format!("could not encode a cached record: {e}")))
}

fn parse<T: DeserializeOwned>(what: &str, customer_id: &str, body: &str) -> Result<T> {
    serde_json::from_str(body).map_err(|e| {
        Error::Store(format!(
            "the cached {what} of customer {customer_id} is unreadable: {e}"
        ))
    })
}

/// A customer's subscriptions as last read.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadSubscriptions {
    pub customer: CustomerSubscriptions,
    /// Records of its list that could not be read (left out, each named).
    pub unreadable: Vec<UnreadableRecord>,
    pub read_at: String,
}

/// Keeps a customer's subscriptions as just read, replacing what was kept before.
pub fn put_subscriptions(
    conn: &Connection,
    customer_id: &str,
    customer_name: &str,
    subscriptions: &[Subscription],
    unreadable: &[UnreadableRecord],
    read_at: &str,
) -> Result<()> {
    conn.execute(
        "INSERT INTO reconcile_subscriptions (customer_id, customer_name, body, unreadable, read_at)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT(customer_id) DO UPDATE SET customer_name = excluded.customer_name,
            body = excluded.body, unreadable = excluded.unreadable, read_at = excluded.read_at",
        params![
            customer_id,
            customer_name,
            json(&subscriptions)?,
            json(&unreadable)?,
            read_at
        ],
    )?;
    Ok(())
}

/// Every customer's subscriptions as last read, by customer id.
pub fn subscriptions(conn: &Connection) -> Result<Vec<ReadSubscriptions>> {
    let mut stmt = conn.prepare_cached(
        "SELECT customer_id, customer_name, body, unreadable, read_at FROM reconcile_subscriptions
         ORDER BY customer_id",
    )?;
    let rows = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter()
        .map(|(id, name, body, unreadable, read_at)| {
            Ok(ReadSubscriptions {
                customer: CustomerSubscriptions {
                    subscriptions: parse("subscriptions", &id, &body)?,
                    customer_name: name,
                    customer_id: id.clone(),
                },
                unreadable: parse("unreadable records", &id, &unreadable)?,
                read_at,
            })
        })
        .collect()
}

/// One customer's subscriptions as last read (none when never read).
pub fn subscriptions_of(conn: &Connection, customer_id: &str) -> Result<Vec<Subscription>> {
    let body: Option<String> = conn
        .query_row(
            "SELECT body FROM reconcile_subscriptions WHERE customer_id = ?1",
            [customer_id],
            |r| r.get(0),
        )
        .optional()?;
    body.map(|b| parse("subscriptions", customer_id, &b))
        .transpose()
        .map(Option::unwrap_or_default)
}

/// When each customer's subscriptions were read (customer id → time).
pub fn read_times(conn: &Connection) -> Result<BTreeMap<String, String>> {
    let mut stmt =
        conn.prepare_cached("SELECT customer_id, read_at FROM reconcile_subscriptions")?;
    let rows = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// Keeps a customer's comparison, replacing the one before.
pub fn put_result(
    conn: &Connection,
    result: &CustomerReconcile,
    reconciled_at: &str,
) -> Result<()> {
    conn.execute(
        "INSERT INTO reconcile_results (customer_id, body, drift, reconciled_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT(customer_id) DO UPDATE SET body = excluded.body, drift = excluded.drift,
            reconciled_at = excluded.reconciled_at",
        params![
            result.customer_id,
            json(result)?,
            result.drift_count(),
            reconciled_at
        ],
    )?;
    Ok(())
}

/// Every customer's last comparison with its time, by customer id.
pub fn results(conn: &Connection) -> Result<Vec<(CustomerReconcile, String)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT customer_id, body, reconciled_at FROM reconcile_results ORDER BY customer_id",
    )?;
    let rows = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter()
        .map(|(id, body, at)| Ok((parse("comparison", &id, &body)?, at)))
        .collect()
}

/// One customer's last comparison with its time.
pub fn result(conn: &Connection, customer_id: &str) -> Result<Option<(CustomerReconcile, String)>> {
    let row: Option<(String, String)> = conn
        .query_row(
            "SELECT body, reconciled_at FROM reconcile_results WHERE customer_id = ?1",
            [customer_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    row.map(|(body, at)| Ok((parse("comparison", customer_id, &body)?, at)))
        .transpose()
}

/// The marketplace customers the app knows of — mapped to a company, read with an order (made
/// a task or not) or reconciled before — with their names when known, by id.
pub fn known_customers(conn: &Connection) -> Result<BTreeMap<String, Option<String>>> {
    let mut stmt = conn.prepare_cached(
        "SELECT customer_id, NULL FROM customer_mappings
         UNION ALL SELECT customer_id, NULL FROM skipped_orders
         UNION ALL SELECT customer_id, customer_name FROM tasks
         UNION ALL SELECT id, name FROM customers
         UNION ALL SELECT customer_id, customer_name FROM reconcile_subscriptions",
    )?;
    let rows = stmt
        .query_map([], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, Option<String>>(1)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut known: BTreeMap<String, Option<String>> = BTreeMap::new();
    for (id, name) in rows {
        let id = id.trim().to_owned();
        if id.is_empty() {
            continue;
        }
        let name = name.filter(|n| !n.trim().is_empty());
        let slot = known.entry(id).or_default();
        if slot.is_none() {
            *slot = name;
        }
    }
    Ok(known)
}

/// The records of the subscription lists last read that could not be read.
pub fn unreadable(conn: &Connection) -> Result<Vec<UnreadableRecord>> {
    let mut stmt = conn.prepare_cached(
        "SELECT customer_id, unreadable FROM reconcile_subscriptions WHERE unreadable != '[]'
         ORDER BY customer_id",
    )?;
    let rows = stmt
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut out = Vec::new();
    for (id, body) in rows {
        out.extend(parse::<Vec<UnreadableRecord>>(
            "unreadable records",
            &id,
            &body,
        )?);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::reconcile::{CompanyLine, CustomerReconcile};
    use crate::store::{mappings, Store};

    #[test]
    fn subscriptions_and_results_are_kept_per_customer_with_their_time() {
        let store = Store::open_in_memory().unwrap();
        store
            .with(|c| {
                let sub: Subscription = serde_json::from_str(include_str!(
                    "../../tests/fixtures/marketplace/subscription.json"
                ))
                .unwrap();
                put_subscriptions(
                    c,
                    "1000048531",
                    "Green Lane LLC",
                    std::slice::from_ref(&sub),
                    &[],
                    "2026-11-24T12:00:00Z",
                )?;
                put_subscriptions(
                    c,
                    "1000048531",
                    "Green Lane LLC",
                    &[sub],
                    &[],
                    "2026-11-24T13:00:00Z",
                )?;
                let read = subscriptions(c)?;
                assert_eq!(read.len(), 1);
                assert_eq!(read[0].read_at, "2026-11-24T13:00:00Z");
                assert_eq!(read[0].customer.subscriptions[0].id, "1000517");

                let kept = CustomerReconcile {
                    customer_id: "1000048531".into(),
                    customer_name: "Green Lane LLC".into(),
                    company: Some(CompanyLine {
                        id: 250,
                        name: "Green Lane LLC".into(),
                    }),
                    products: Vec::new(),
                    problems: vec!["a problem".into()],
                };
                put_result(c, &kept, "2026-11-24T13:00:01Z")?;
                assert_eq!(
                    results(c)?,
                    vec![(kept.clone(), "2026-11-24T13:00:01Z".to_owned())]
                );
                assert_eq!(
                    result(c, "1000048531")?.map(|r| r.1),
                    Some("2026-11-24T13:00:01Z".to_owned())
                );
                assert_eq!(result(c, "nobody")?, None);

                mappings::set_company(c, "1000048999", 999, "2026-11-24T12:00:00Z")?;
                let known = known_customers(c)?;
                assert_eq!(
                    known.get("1000048531"),
                    Some(&Some("Green Lane LLC".to_owned()))
                );
                assert_eq!(known.get("1000048999"), Some(&None));
                Ok(())
            })
            .unwrap();
    }
}
