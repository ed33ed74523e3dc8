//! The history of Check Changes runs.
//!
//! The `skipped` column holds, as JSON, what a check left out or flagged: the orders skipped by
//! reason, the orders dated in the future, and the records that could not be read. Rows written
//! before the last two existed hold the bare list of skip counts; both forms are read.

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::reading::UnreadableRecord;
use crate::record::check::{CheckSummary, FutureOrder, SkipCount};

/// What the `skipped` column holds.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct LeftOut {
    skipped: Vec<SkipCount>,
    /// Whether the ConnectWise error was a refusal (kept here, with the other details, rather
    /// than in a column of its own).
    #[serde(default)]
    connectwise_refused: bool,
    #[serde(default)]
    future_orders: Vec<FutureOrder>,
    #[serde(default)]
    unreadable: Vec<UnreadableRecord>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Stored {
    LeftOut(LeftOut),
    /// As written before future orders and unreadable records were kept.
    SkipCounts(Vec<SkipCount>),
}

fn left_out(text: &str) -> LeftOut {
    match serde_json::from_str::<Stored>(text) {
        Ok(Stored::LeftOut(l)) => l,
        Ok(Stored::SkipCounts(skipped)) => LeftOut {
            skipped,
            ..LeftOut::default()
        },
        // An unreadable history entry shows no details rather than failing the screen.
        Err(e) => {
            tracing::warn!("the details of the last check are unreadable: {e}");
            LeftOut::default()
        }
    }
}

pub fn record(conn: &Connection, summary: &CheckSummary) -> Result<()> {
    let skipped = serde_json::to_string(&LeftOut {
        skipped: summary.skipped.clone(),
        connectwise_refused: summary.connectwise_refused,
        future_orders: summary.future_orders.clone(),
        unreadable: summary.unreadable.clone(),
    })
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
            let left_out = left_out(&skipped);
            CheckSummary {
                orders_read,
                tasks_created,
                already_known,
                skipped: left_out.skipped,
                from,
                finished_at,
                connectwise_error,
                connectwise_refused: left_out.connectwise_refused,
                future_orders: left_out.future_orders,
                unreadable: left_out.unreadable,
            }
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Service;

    fn summary() -> CheckSummary {
        CheckSummary {
            orders_read: 3,
            tasks_created: 1,
            already_known: 0,
            skipped: vec![SkipCount {
                reason: crate::task::SkipReason::Renewal,
                label: "renewal".into(),
                count: 1,
            }],
            from: "2026-10-25T12:00:00Z".into(),
            finished_at: "2026-11-24T12:00:00Z".into(),
            connectwise_error: None,
            connectwise_refused: false,
            future_orders: vec![FutureOrder {
                order_id: "5000001".into(),
                creation_date: "9999-12-31T00:00:00Z".into(),
            }],
            unreadable: vec![UnreadableRecord {
                service: Service::ConnectWise,
                list: "company list".into(),
                record: "company 251".into(),
                field: Some("identifier".into()),
                reason: "its identifier could not be read".into(),
                message: "Company 251 was left out".into(),
            }],
        }
    }

    #[test]
    fn the_last_summary_comes_back_whole_and_older_rows_still_read() {
        let store = crate::store::Store::open_in_memory().unwrap();
        store
            .with(|c| {
                assert_eq!(last(c)?, None);
                record(c, &summary())?;
                assert_eq!(last(c)?, Some(summary()));
                // A refusal of ConnectWise's comes back as one.
                let refused = CheckSummary {
                    connectwise_error: Some("ConnectWise refused a permission: …".into()),
                    connectwise_refused: true,
                    ..summary()
                };
                record(c, &refused)?;
                assert_eq!(last(c)?, Some(refused));
                // A row as written before future orders and unreadable records were kept.
                c.execute(
                    "INSERT INTO checks (window_from, finished_at, orders_read, tasks_created, already_known, skipped)
                     VALUES ('a', 'b', 1, 1, 0, '[{\"reason\":\"renewal\",\"label\":\"renewal\",\"count\":2}]')",
                    [],
                )?;
                let old = last(c)?.unwrap();
                assert_eq!(old.skipped[0].count, 2);
                assert!(old.future_orders.is_empty() && old.unreadable.is_empty());
                assert!(!old.connectwise_refused);
                Ok(())
            })
            .unwrap();
    }
}
