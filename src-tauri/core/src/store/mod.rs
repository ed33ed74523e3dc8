//! The offline cache: SQLite (bundled, WAL), embedded numbered migrations recorded in
//! `PRAGMA user_version`, and a refusal of files written by a newer version.

pub mod activity;
pub mod batches;
pub mod checks;
pub mod connectwise;
pub mod drafts;
pub mod fixes;
pub mod journal;
pub mod mappings;
pub mod marketplace;
pub mod reconcile;
pub mod settings;
pub mod tasks;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rusqlite::Connection;

use crate::error::{Error, Result};

/// The migrations, in order. Migration `n` (1-based) brings the schema to version `n`.
const MIGRATIONS: &[(&str, &str)] = &[
    (
        "0001_cache",
        include_str!("../../migrations/0001_cache.sql"),
    ),
    (
        "0002_connectwise",
        include_str!("../../migrations/0002_connectwise.sql"),
    ),
    ("0003_sync", include_str!("../../migrations/0003_sync.sql")),
    (
        "0004_task_search",
        include_str!("../../migrations/0004_task_search.sql"),
    ),
    (
        "0005_batches",
        include_str!("../../migrations/0005_batches.sql"),
    ),
    (
        "0006_reconcile",
        include_str!("../../migrations/0006_reconcile.sql"),
    ),
    (
        "0007_fixes",
        include_str!("../../migrations/0007_fixes.sql"),
    ),
    ("0008_keys", include_str!("../../migrations/0008_keys.sql")),
    (
        "0009_task_words",
        include_str!("../../migrations/0009_task_words.sql"),
    ),
    (
        "0010_task_search_words",
        include_str!("../../migrations/0010_task_search_words.sql"),
    ),
    (
        "0011_fix_found",
        include_str!("../../migrations/0011_fix_found.sql"),
    ),
    (
        "0012_calendars",
        include_str!("../../migrations/0012_calendars.sql"),
    ),
    (
        "0013_activity",
        include_str!("../../migrations/0013_activity.sql"),
    ),
];

/// What a migration cannot say in SQL, run after its SQL in the same transaction: values that
/// only the app can compute from what the cache already holds.
fn fill(name: &str, conn: &Connection) -> Result<()> {
    match name {
        "0009_task_words" => tasks::fill_words(conn),
        _ => Ok(()),
    }
}

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// A handle on one cache database; cheap to clone. Work runs on tokio's blocking pool.
#[derive(Clone)]
pub struct Store {
    conn: Arc<Mutex<Connection>>,
    path: Option<PathBuf>,
    /// The task list's counts per filter, valid while this connection has written nothing since.
    task_counts: Arc<tasks::ListCounts>,
}

impl Store {
    /// Opens (creating if needed) and migrates the cache at `path`.
    pub fn open(path: &Path) -> Result<Store> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| {
                Error::Store(format!(
                    "could not create the folder {}: {e}",
                    dir.display()
                ))
            })?;
        }
        let shown = path.display().to_string();
        let conn = Connection::open(path)
            .map_err(|e| Error::Store(format!("could not open {shown}: {e}")))?;
        Self::prepare(conn, Some(path.to_path_buf()), &shown)
    }

    /// A private in-memory cache (tests).
    pub fn open_in_memory() -> Result<Store> {
        Self::prepare(Connection::open_in_memory()?, None, ":memory:")
    }

    fn prepare(mut conn: Connection, path: Option<PathBuf>, shown: &str) -> Result<Store> {
        let setup = |conn: &Connection| -> rusqlite::Result<()> {
            conn.busy_timeout(Duration::from_secs(5))?;
            conn.pragma_update(None, "foreign_keys", true)?;
            // Reading the journal mode also proves the file is a database.
            let _: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
            conn.pragma_update(None, "synchronous", "NORMAL")?;
            Ok(())
        };
        setup(&conn).map_err(|e| {
            Error::Store(format!(
                "{shown} is not a usable cache file ({e}); it was left untouched"
            ))
        })?;
        migrate(&mut conn, shown)?;
        Ok(Store {
            conn: Arc::new(Mutex::new(conn)),
            path,
            task_counts: Arc::default(),
        })
    }

    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// The task list's counts per filter (see [`tasks::list_counted`]).
    pub fn task_counts(&self) -> Arc<tasks::ListCounts> {
        self.task_counts.clone()
    }

    /// Runs `f` with the connection on the blocking pool.
    pub async fn call<R, F>(&self, f: F) -> Result<R>
    where
        R: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<R> + Send + 'static,
    {
        let conn = self.conn.clone();
        tokio::task::spawn_blocking(move || run_guarded(&conn, f))
            .await
            .map_err(|e| Error::Store(format!("cache task failed: {e}")))?
    }

    /// Runs `f` with the connection on the current thread (for synchronous callers and tests).
    pub fn with<R>(&self, f: impl FnOnce(&mut Connection) -> Result<R>) -> Result<R> {
        run_guarded(&self.conn, f)
    }
}

/// Runs `f` on the connection so that a panic inside it fails this call alone: what it had begun
/// is rolled back and the next call finds the connection as it was before (DESIGN rule 14).
fn run_guarded<R>(
    conn: &Mutex<Connection>,
    f: impl FnOnce(&mut Connection) -> Result<R>,
) -> Result<R> {
    // A panic is caught below while the lock is held, so the lock is never poisoned by one; if
    // it ever were, the connection itself is still sound once rolled back.
    let mut guard = conn.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(&mut guard)));
    match outcome {
        Ok(result) => result,
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "an unexpected failure".to_owned());
            tracing::error!(panic = %what, "a cache call failed unexpectedly; its changes were rolled back");
            if !guard.is_autocommit() {
                if let Err(e) = guard.execute_batch("ROLLBACK") {
                    tracing::error!("could not roll back after the failure: {e}");
                }
            }
            Err(Error::Store(
                "this step failed unexpectedly and nothing it began was saved; the rest of the app goes on (details are in the log)".into(),
            ))
        }
    }
}

fn migrate(conn: &mut Connection, shown: &str) -> Result<()> {
    let current: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if current > SCHEMA_VERSION {
        return Err(Error::SchemaTooNew {
            path: shown.to_owned(),
            found: current,
            supported: SCHEMA_VERSION,
        });
    }
    for (index, (name, sql)) in MIGRATIONS.iter().enumerate() {
        let version = index as i64 + 1;
        if version <= current {
            continue;
        }
        let tx = conn.transaction()?;
        tx.execute_batch(sql)
            .map_err(|e| Error::Store(format!("migration {name} failed on {shown}: {e}")))?;
        fill(name, &tx)
            .map_err(|e| Error::Store(format!("migration {name} failed on {shown}: {e}")))?;
        tx.pragma_update(None, "user_version", version)?;
        tx.commit()?;
        tracing::info!(migration = name, version, "cache migrated");
    }
    Ok(())
}

/// Now, as stored in the cache (ISO-8601 UTC, seconds).
pub fn now_text() -> String {
    time_text(chrono::Utc::now())
}

pub use crate::clock::time_text;

pub fn parse_time(s: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    chrono::DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|t| t.with_timezone(&chrono::Utc))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrates_an_empty_database_to_the_current_version() {
        let store = Store::open_in_memory().unwrap();
        let v: i64 = store
            .with(|c| Ok(c.query_row("PRAGMA user_version", [], |r| r.get(0))?))
            .unwrap();
        assert_eq!(v, SCHEMA_VERSION);
        let tables: i64 = store
            .with(|c| {
                Ok(c.query_row(
                    "SELECT count(*) FROM sqlite_master WHERE type='table' AND name IN ('tasks','orders','settings')",
                    [],
                    |r| r.get(0),
                )?)
            })
            .unwrap();
        assert_eq!(tables, 3);
    }

    #[test]
    fn reopening_keeps_data_and_does_not_migrate_again() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cache.sqlite");
        let store = Store::open(&path).unwrap();
        store.with(|c| settings::set(c, "k", "v")).unwrap();
        drop(store);
        let store = Store::open(&path).unwrap();
        assert_eq!(
            store.with(|c| settings::get(c, "k")).unwrap().as_deref(),
            Some("v")
        );
    }

    #[test]
    fn a_version_1_cache_migrates_forward_keeping_its_tasks() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cache.sqlite");
        {
            let conn = Connection::open(&path).unwrap();
            conn.execute_batch(MIGRATIONS[0].1).unwrap();
            conn.execute_batch(
                "PRAGMA user_version = 1;
                 INSERT INTO orders VALUES ('1000231','change','1000048531','2026-11-16T10:04:11Z','completed','{}','2026-11-24T00:00:00Z');
                 INSERT INTO tasks (order_id, task_type, order_date, customer_id, customer_name, subscription_id,
                                    subscription_name, amount, currency, created_at, updated_at)
                 VALUES ('1000231','changeOrder','2026-11-16T10:04:11Z','1000048531','Green Lane LLC','1000517',
                         'Microsoft 365 Business Premium','102.00','USD','2026-11-24T00:00:00Z','2026-11-24T00:00:00Z');
                 INSERT INTO checks (window_from, finished_at, orders_read, tasks_created, already_known, skipped)
                 VALUES ('2026-10-25T00:00:00Z','2026-11-24T00:00:00Z',3,1,0,'[]');",
            )
            .unwrap();
        }
        let store = Store::open(&path).unwrap();
        let v: i64 = store
            .with(|c| Ok(c.query_row("PRAGMA user_version", [], |r| r.get(0))?))
            .unwrap();
        assert_eq!(v, SCHEMA_VERSION);
        let page = store
            .with(|c| tasks::list(c, &crate::task::TaskQuery::default(), 0, 10))
            .unwrap();
        assert_eq!(page.total, 1);
        assert_eq!(page.rows[0].customer_name, "Green Lane LLC");
        // The search index is built from the tasks already there.
        let query = crate::task::TaskQuery {
            search: "green lane".into(),
            ..Default::default()
        };
        let found = store.with(|c| tasks::list(c, &query, 0, 10)).unwrap();
        assert_eq!(found.total, 1);
        let last = store.with(|c| checks::last(c)).unwrap().unwrap();
        assert_eq!((last.orders_read, last.connectwise_error), (3, None));
        assert!(store.with(|c| mappings::companies(c)).unwrap().is_empty());
    }

    /// A version 12 journal: a confirmed create and a confirmed cancel date, journaled before
    /// states, desks and keys of other desks were kept. The migration fills what they can give.
    #[test]
    fn a_version_12_journal_migrates_with_what_its_writes_can_tell() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cache.sqlite");
        {
            let conn = Connection::open(&path).unwrap();
            for (_, sql) in &MIGRATIONS[..12] {
                conn.execute_batch(sql).unwrap();
            }
            let create = r#"{"kind":"create","action":"add","rowKey":"add:MPN","additionId":null,
                "productId":611,"productName":"Microsoft 365 Business Premium","billCustomer":"Billable",
                "quantity":"25","unitPrice":"22.00","unitCost":"18.00","effectiveDate":"2026-11-16",
                "cancelDate":null,"taxable":false,"invoiceDescription":"Microsoft 365 Business Premium",
                "fields":[],"key":"AS1:1000231:1000517:MPN:R","already":null,"label":"Create addition",
                "description":"25 × Microsoft 365","amount":"550.00"}"#;
            let cancel = create
                .replace(
                    r#""kind":"create","action":"add""#,
                    r#""kind":"patch","action":"cancel""#,
                )
                .replace(r#""cancelDate":null"#, r#""cancelDate":"2026-11-15""#)
                .replace(r#""key":"AS1:1000231:1000517:MPN:R""#, r#""key":null"#);
            conn.execute_batch(
                "PRAGMA user_version = 12;
                 INSERT INTO orders VALUES ('1000231','change','1000048531','2026-11-16T10:04:11Z','completed','{}','2026-11-24T00:00:00Z');
                 INSERT INTO tasks (order_id, task_type, order_date, customer_id, customer_name, subscription_id,
                                    subscription_name, amount, currency, created_at, updated_at)
                 VALUES ('1000231','changeOrder','2026-11-16T10:04:11Z','1000048531','Green Lane LLC','1000517',
                         'Microsoft 365 Business Premium','102.00','USD','2026-11-24T00:00:00Z','2026-11-24T00:00:00Z');
                 INSERT INTO syncs (task_id, profile_name, agreement_id, agreement_name, currency, state,
                                    started_at, finished_at)
                 VALUES (1, 'Demo', 4127, 'Green Lane — Microsoft 365', 'USD', 'synced',
                         '2026-11-24T12:00:00Z', '2026-11-24T12:00:05Z');",
            )
            .unwrap();
            let theirs = serde_json::json!({
                "id": 900777, "product": {"id": 611},
                "serialNumber": "AS1:1000299:1000517:MPN:R",
                "_info": {"dateEntered": "2026-11-20T09:00:00Z"}
            });
            conn.execute(
                "INSERT INTO cw_additions (id, agreement_id, body, fetched_at)
                 VALUES (900777, 4127, ?1, '2026-11-24T12:00:00Z')",
                [theirs.to_string()],
            )
            .unwrap();
            for (seq, spec, id) in [(1, create, 900001), (2, cancel.as_str(), 30211)] {
                conn.execute(
                    "INSERT INTO sync_writes (sync_id, seq, spec, state, addition_id, updated_at)
                     VALUES (1, ?1, ?2, 'confirmed', ?3, '2026-11-24T12:00:02Z')",
                    rusqlite::params![seq, spec, id],
                )
                .unwrap();
            }
        }
        let store = Store::open(&path).unwrap();
        let r = store.with(|c| journal::record(c, 1)).unwrap();
        assert_eq!(r.desk, None, "not recorded then");
        let (create, cancel) = (&r.writes[0], &r.writes[1]);
        assert_eq!(
            create.before,
            journal::State::Absent,
            "a create had nothing before it"
        );
        let made = create
            .after
            .addition()
            .expect("what the create left, from its spec");
        assert_eq!(made.id, 900001);
        assert_eq!(made.quantity, Some(rust_decimal::Decimal::from(25)));
        assert_eq!(
            made.effective_date
                .map(|d| d.date_naive().to_string())
                .as_deref(),
            Some("2026-11-16")
        );
        assert_eq!(
            made.serial_number.as_deref(),
            Some("AS1:1000231:1000517:MPN:R")
        );
        assert_eq!(
            cancel.before,
            journal::State::NotRecorded,
            "never kept for a change"
        );
        let ended = cancel.after.addition().expect("what the cancel left");
        assert_eq!(
            ended
                .cancelled_date
                .map(|d| d.date_naive().to_string())
                .as_deref(),
            Some("2026-11-15")
        );
        // The keyed addition of another desk in the cache is known by its key and date.
        let (key, entered): (Option<String>, Option<String>) = store
            .with(|c| {
                Ok(c.query_row(
                    "SELECT addition_key, entered_at FROM cw_additions WHERE id = 900777",
                    [],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )?)
            })
            .unwrap();
        assert_eq!(key.as_deref(), Some("AS1:1000299:1000517:MPN:R"));
        assert_eq!(entered.as_deref(), Some("2026-11-20T09:00:00Z"));
    }

    #[test]
    fn a_version_8_cache_migrates_to_words_in_any_column_and_amounts_that_say_what_they_are() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cache.sqlite");
        // Three tasks as version 8 wrote them: a change, a usage order with one product within
        // its included amount, and a sale whose order is not cached readably.
        let change = r#"{"id":"1000231","type":"change","customerId":"1000048531","creationDate":"2026-11-16 10:04:11","status":"completed",
            "products":[{"mpn":"CFQ7TTC0LF8R","name":"Microsoft 365 Business Premium","quantity":5,"subscriptionId":"1000517",
                         "extendedPrice":{"amount":"110.00","currency":"USD"}},
                        {"mpn":"CFQ7TTC0LH16","name":"Exchange Online (Plan 1)","quantity":-2,"subscriptionId":"1000517",
                         "extendedPrice":{"amount":"-8.00","currency":"USD"}}]}"#;
        let monthly = r#"{"id":"1000517","customerId":"1000048531","status":"active","creationDate":"2025-03-05",
            "billingPeriod":{"type":"month","duration":1},
            "products":[{"mpn":"CFQ7TTC0LF8R","name":"Microsoft 365 Business Premium","quantity":25,
                         "prices":[{"type":"recurring","amount":"22.00","currency":"USD"}]},
                        {"mpn":"CFQ7TTC0LH16","name":"Exchange Online (Plan 1)","quantity":8,
                         "prices":[{"type":"recurring","amount":"4.00","currency":"USD"}]}]}"#;
        let usage = r#"{"id":"1000218","type":"billing","customerId":"1000048600","creationDate":"2026-11-01 00:07:30","status":"completed",
            "products":[{"mpn":"AZ-BACKUP-GB","name":"Azure Backup storage (GB)","quantity":412,"subscriptionId":"1000541",
                         "extendedPrice":{"amount":"0.00","currency":"USD"}},
                        {"mpn":"AZ-AVD-HRS","name":"Azure Virtual Desktop (hours)","quantity":164.25,"subscriptionId":"1000541",
                         "extendedPrice":{"amount":"28.91","currency":"USD"}}]}"#;
        let metered = r#"{"id":"1000541","customerId":"1000048600","status":"active","creationDate":"2025-06-01",
            "billingPeriod":{"type":"month","duration":1},"billingModel":"usage",
            "products":[{"mpn":"AZ-BACKUP-GB","name":"Azure Backup storage (GB)","quantity":1,"includedQuantity":500,
                         "prices":[{"type":"overuse","amount":"0.024","currency":"USD"}]},
                        {"mpn":"AZ-AVD-HRS","name":"Azure Virtual Desktop (hours)","quantity":1,"includedQuantity":100,
                         "prices":[{"type":"overuse","amount":"0.45","currency":"USD"}]}]}"#;
        {
            let conn = Connection::open(&path).unwrap();
            for (_, sql) in &MIGRATIONS[..8] {
                conn.execute_batch(sql).unwrap();
            }
            conn.execute_batch("PRAGMA user_version = 8;").unwrap();
            for (id, kind, customer, body) in [
                ("1000231", "change", "1000048531", change),
                ("1000218", "billing", "1000048600", usage),
                ("1000220", "sales", "1000048570", "{}"),
            ] {
                conn.execute(
                    "INSERT INTO orders VALUES (?1, ?2, ?3, '2026-11-16T10:04:11Z', 'completed', ?4, '2026-11-24T00:00:00Z')",
                    rusqlite::params![id, kind, customer, body],
                )
                .unwrap();
            }
            for (id, customer, body) in [
                ("1000517", "1000048531", monthly),
                ("1000541", "1000048600", metered),
            ] {
                conn.execute(
                    "INSERT INTO subscriptions VALUES (?1, ?2, ?3, '2026-11-24T00:00:00Z')",
                    rusqlite::params![id, customer, body],
                )
                .unwrap();
            }
            conn.execute_batch(
                "INSERT INTO tasks (order_id, task_type, order_date, customer_id, customer_name, subscription_id,
                                    subscription_name, amount, currency, created_at, updated_at)
                 VALUES ('1000231','changeOrder','2026-11-16T10:04:11Z','1000048531','Green Lane LLC','1000517',
                         'Microsoft 365 Business Premium','102.00','USD','2026-11-24T00:00:00Z','2026-11-24T00:00:00Z'),
                        ('1000218','billingOrder','2026-11-01T00:07:30Z','1000048600','Wingtip Toys','1000541',
                         'Azure Backup storage (GB)','28.91','USD','2026-11-24T00:00:00Z','2026-11-24T00:00:00Z'),
                        ('1000220','salesOrder','2026-11-05T08:45:00Z','1000048570','Müller & Söhne GmbH','1000536',
                         'Exchange Online (Plan 1)','20.00','USD','2026-11-24T00:00:00Z','2026-11-24T00:00:00Z');",
            )
            .unwrap();
        }
        let store = Store::open(&path).unwrap();
        let found = |search: &str| {
            let query = crate::task::TaskQuery {
                search: search.into(),
                ..Default::default()
            };
            let page = store.with(|c| tasks::list(c, &query, 0, 10)).unwrap();
            page.rows
                .into_iter()
                .map(|r| r.order_id)
                .collect::<Vec<_>>()
        };
        assert_eq!(found("muller"), ["1000220"]);
        assert_eq!(found("Green Lane 1000231"), ["1000231"]);
        assert_eq!(found("wingtip desktop"), ["1000218"]);
        assert!(found("wingtip backup").is_empty());
        let task = |order: &str| {
            let id = store.with(|c| tasks::id_for_order(c, order)).unwrap();
            store.with(|c| tasks::get(c, id)).unwrap()
        };
        let change = task("1000231");
        assert_eq!(
            (
                change.recurring.as_str(),
                change.per.as_str(),
                change.one_time.as_str()
            ),
            ("102.00", "month", "")
        );
        let billing = task("1000218");
        assert_eq!(
            (
                billing.recurring.as_str(),
                billing.per.as_str(),
                billing.one_time.as_str()
            ),
            ("", "", "28.91")
        );
        assert_eq!(billing.subscription_name, "Azure Virtual Desktop (hours)");
        // An order that cannot be read keeps its amount, said as before.
        let sale = task("1000220");
        assert_eq!(
            (
                sale.amount.as_str(),
                sale.recurring.as_str(),
                sale.one_time.as_str()
            ),
            ("20.00", "", "")
        );
    }

    #[test]
    fn syncs_journaled_before_keys_still_read_and_a_key_in_a_spec_is_kept_beside_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cache.sqlite");
        // A journaled create as version 7 wrote it (no key), and one whose spec names a key.
        let old = r#"{"kind":"create","action":"add","rowKey":"add:M365","additionId":null,"productId":611,"productName":"Microsoft 365","billCustomer":"Billable","quantity":"25","unitPrice":"22.00","unitCost":"18.70","effectiveDate":"2026-11-16","cancelDate":null,"taxable":false,"invoiceDescription":"Microsoft 365","fields":[],"label":"Create addition","description":"25 × Microsoft 365 @ 22.00 USD","amount":"550.00"}"#;
        let keyed = old.replace(
            r#""fields":[]"#,
            r#""fields":[],"key":"AS1:1000231:1000517:M365:R""#,
        );
        {
            let conn = Connection::open(&path).unwrap();
            for (_, sql) in &MIGRATIONS[..7] {
                conn.execute_batch(sql).unwrap();
            }
            conn.execute_batch(
                "PRAGMA user_version = 7;
                 INSERT INTO orders VALUES ('1000231','change','1000048531','2026-11-16T10:04:11Z','completed','{}','2026-11-24T00:00:00Z');
                 INSERT INTO tasks (order_id, task_type, order_date, customer_id, customer_name, subscription_id,
                                    subscription_name, amount, currency, created_at, updated_at, status)
                 VALUES ('1000231','changeOrder','2026-11-16T10:04:11Z','1000048531','Green Lane LLC','1000517',
                         'Microsoft 365 Business Premium','102.00','USD','2026-11-24T00:00:00Z','2026-11-24T00:00:00Z','synced');
                 INSERT INTO syncs (task_id, profile_name, agreement_id, agreement_name, currency, state,
                                    started_at, finished_at)
                 VALUES (1, 'Demo', 4127, 'Green Lane - Microsoft 365', 'USD', 'synced',
                         '2026-11-24T12:00:00Z', '2026-11-24T12:00:05Z');",
            )
            .unwrap();
            for (seq, spec) in [(1, old), (2, keyed.as_str())] {
                conn.execute(
                    "INSERT INTO sync_writes (sync_id, seq, spec, state, addition_id, updated_at)
                     VALUES (1, ?1, ?2, 'confirmed', 900000 + ?1, '2026-11-24T12:00:05Z')",
                    rusqlite::params![seq, spec],
                )
                .unwrap();
            }
        }
        let store = Store::open(&path).unwrap();
        let record = store.with(|c| journal::record(c, 1)).unwrap();
        assert_eq!(record.writes.len(), 2);
        assert_eq!(record.writes[0].spec.key, None);
        assert_eq!(
            record.writes[1].spec.key.as_deref(),
            Some("AS1:1000231:1000517:M365:R")
        );
        assert_eq!(
            store.with(|c| journal::last_synced_of_task(c, 1)).unwrap(),
            Some(1)
        );
        let kept: Vec<Option<String>> = store
            .with(|c| {
                let mut stmt = c.prepare("SELECT addition_key FROM sync_writes ORDER BY seq")?;
                let rows = stmt.query_map([], |r| r.get(0))?;
                Ok(rows.collect::<rusqlite::Result<_>>()?)
            })
            .unwrap();
        assert_eq!(kept, [None, Some("AS1:1000231:1000517:M365:R".to_owned())]);
    }

    #[tokio::test]
    async fn a_call_that_panics_fails_alone_and_the_next_one_works() {
        let store = Store::open_in_memory().unwrap();
        store.with(|c| settings::set(c, "kept", "yes")).unwrap();
        let err = store
            .call(|c| -> Result<()> {
                c.execute_batch("BEGIN")?;
                settings::set(c, "half-done", "1")?;
                panic!("something that should never happen");
            })
            .await
            .expect_err("the panicking call fails");
        assert!(err.to_string().contains("failed unexpectedly"), "{err}");
        assert!(!store.conn.is_poisoned());
        // The next calls work, and what the failed call began was not saved.
        assert_eq!(
            store
                .call(|c| settings::get(c, "kept"))
                .await
                .unwrap()
                .as_deref(),
            Some("yes")
        );
        assert_eq!(store.with(|c| settings::get(c, "half-done")).unwrap(), None);
        let panicked_in_with = store.with(|_| -> Result<()> { panic!("again") });
        assert!(panicked_in_with.is_err());
        store.with(|c| settings::set(c, "after", "ok")).unwrap();
        assert_eq!(
            store
                .with(|c| settings::get(c, "after"))
                .unwrap()
                .as_deref(),
            Some("ok")
        );
    }

    #[test]
    fn refuses_a_newer_schema_and_leaves_the_file_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cache.sqlite");
        {
            let conn = Connection::open(&path).unwrap();
            conn.execute_batch("CREATE TABLE future (x); PRAGMA user_version = 99;")
                .unwrap();
        }
        let before = std::fs::read(&path).unwrap();
        let err = Store::open(&path)
            .err()
            .expect("newer schema must be refused");
        assert!(
            matches!(err, Error::SchemaTooNew { found: 99, .. }),
            "{err}"
        );
        assert!(err.to_string().contains("newer version"), "{err}");
        let v: i64 = Connection::open(&path)
            .unwrap()
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(v, 99);
        assert_eq!(std::fs::read(&path).unwrap().len(), before.len());
    }

    #[test]
    fn a_corrupt_file_gets_a_clear_error_and_is_kept() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cache.sqlite");
        let junk =
            b"this is not a database, just some bytes that a crash left behind......".repeat(20);
        std::fs::write(&path, &junk).unwrap();
        let err = Store::open(&path)
            .err()
            .expect("a corrupt file must be refused");
        let text = err.to_string();
        assert!(
            text.contains("cache.sqlite") && text.contains("left untouched"),
            "{text}"
        );
        assert_eq!(std::fs::read(&path).unwrap(), junk);
    }

    /// A fix made before Reconcile's findings were kept as a record still shows its words; a fix
    /// made now keeps the product line itself and reads it back whole.
    #[test]
    fn a_fix_made_before_keeps_its_words_and_a_new_one_keeps_the_line() {
        use crate::record::fix::{Fix, FixFound, FixMode, FixTarget};
        use crate::record::reconcile::Outcome;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cache.sqlite");
        {
            let conn = Connection::open(&path).unwrap();
            for (_, sql) in &MIGRATIONS[..10] {
                conn.execute_batch(sql).unwrap();
            }
            conn.execute_batch(
                "PRAGMA user_version = 10;
                 INSERT INTO orders VALUES ('FIX-1', 'reconcileFix', '1000048920',
                         '2026-11-24T12:00:00Z', 'completed', '{}', '2026-11-24T12:00:00Z');
                 INSERT INTO tasks (order_id, task_type, order_date, customer_id, customer_name,
                                    subscription_id, subscription_name, amount, currency,
                                    created_at, updated_at)
                 VALUES ('FIX-1','reconcileFix','2026-11-24T12:00:00Z','1000048920',
                         'Pinecrest Dental Studio','1000560','Exchange Online (Plan 1)','8.00',
                         'USD','2026-11-24T12:00:00Z','2026-11-24T12:00:00Z');
                 INSERT INTO fixes (task_id, customer_id, line_key, product_key, product_name,
                                    outcome, words, mode, quantity, unit_price, unit_cost,
                                    agreement_id, created_at)
                 VALUES (1, '1000048920', 'CFQ7TTC0LH16:0001_P1M|month1|USD',
                         'CFQ7TTC0LH16:0001_P1M', 'Exchange Online (Plan 1)', 'duplicate',
                         'ConnectWise bills it twice.', 'set', '2', '4.00', '3.40', 4151,
                         '2026-11-24T12:00:00Z');",
            )
            .unwrap();
        }
        let store = Store::open(&path).unwrap();
        let old = store.with(|c| fixes::get(c, 1)).unwrap().unwrap();
        assert_eq!(
            old.found,
            FixFound::Words("ConnectWise bills it twice.".into())
        );
        assert_eq!(old.outcome, Outcome::Duplicate);

        let line: crate::record::reconcile::ProductReconcile = serde_json::from_value(
            serde_json::json!({
                "outcome": "quantityDiffers", "notes": [],
                "marketplace": {"subscriptionIds": ["1000560"], "productKey": "P", "productName": "Exchange Online (Plan 1)",
                                "quantity": "14", "unitPrice": "4.00", "currency": "USD", "status": "active",
                                "period": {"unit": "month", "count": 1}},
                "connectwise": {"catalogItemId": 612, "agreements": [], "additions": []},
                "currency": {"code": "USD", "decimals": 2},
                "marketplaceAmount": "56.00", "connectwiseAmount": "40.00", "effect": "16.00"
            }),
        )
        .unwrap();
        let fix = Fix {
            customer_id: "1000048920".into(),
            line_key: line.line_key(),
            outcome: Outcome::QuantityDiffers,
            found: FixFound::Line {
                customer_name: "Pinecrest Dental Studio".into(),
                company: None,
                product: Box::new(line),
            },
            target: FixTarget {
                product_key: "P".into(),
                product_name: "Exchange Online (Plan 1)".into(),
                mode: FixMode::Set,
                quantity: "14".parse().unwrap(),
                unit_price: "4.00".parse().unwrap(),
                unit_cost: "3.40".parse().unwrap(),
            },
            agreement_id: Some(4151),
        };
        store
            .with(|c| fixes::put(c, 1, &fix, "2026-11-24T12:00:00Z"))
            .unwrap_err(); // one fix a task: the old one stands
        store
            .with(|c| {
                c.execute("DELETE FROM fixes", [])?;
                fixes::put(c, 1, &fix, "2026-11-24T12:00:00Z")
            })
            .unwrap();
        assert_eq!(store.with(|c| fixes::get(c, 1)).unwrap(), Some(fix));
    }
}
