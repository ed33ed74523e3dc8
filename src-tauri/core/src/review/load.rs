//! Loading a task's review: everything [`super::review`] decides on, read from the cache once
//! ([`Loaded`]), and the companies and catalog kept between the wizard's calls ([`Directory`]).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use rusqlite::Connection;

use crate::calendar::RecapRead;
use crate::connectwise::wire::{Addition, Agreement, BillingCycle, Currency as CwCurrency};
use crate::draft::Draft;
use crate::error::{Error, Result};
use crate::marketplace::wire::{Order, Subscription};
use crate::record::fix::Fix;
use crate::store::{connectwise as cw_store, drafts, fixes, journal, mappings, marketplace, tasks};
use crate::suggest::{CatalogIndex, CompanyIndex};
use crate::task::{TaskRow, TaskType};

/// Everything a review reads from the cache for one task.
pub struct Loaded {
    pub task: TaskRow,
    pub order: Order,
    pub subscription: Subscription,
    /// The cached companies, with their suggestion index.
    pub companies: Arc<CompanyIndex>,
    pub company_id: Option<i64>,
    pub agreements: Vec<Agreement>,
    pub additions: HashMap<i64, (Vec<Addition>, String)>,
    /// What the last read of each agreement's invoice calendar gave (SPEC §16).
    pub recaps: HashMap<i64, RecapRead>,
    /// The cached catalog, with its suggestion index.
    pub catalog: Arc<CatalogIndex>,
    pub cycles: Vec<BillingCycle>,
    pub currencies: Vec<CwCurrency>,
    pub product_map: HashMap<String, i64>,
    pub fetched_at: Option<String>,
    pub draft: Draft,
    /// The saved draft could not be read (it is then replaced by an empty one until reset).
    pub draft_unreadable: bool,
    /// The task's syncs, newest first.
    pub history: Vec<journal::SyncRecord>,
    /// What a reconcile fix fixes (the task type is `ReconcileFix`).
    pub fix: Option<Fix>,
    /// The currency ConnectWise's catalog prices are in, when the profile names it.
    pub catalog_currency: Option<String>,
    /// Why the additions of an agreement (by id) could not be read from ConnectWise just now,
    /// when a read was tried and ConnectWise answered with an error.
    pub additions_unreadable: HashMap<i64, String>,
}

/// Reads what the review of task `task_id` needs, once.
pub fn load(conn: &Connection, task_id: i64) -> Result<Loaded> {
    load_with(conn, task_id, Directory::read(conn)?)
}

/// [`load`], with the companies and catalog already read (see [`DirectoryCache`]).
pub fn load_with(conn: &Connection, task_id: i64, directory: Directory) -> Result<Loaded> {
    let task = tasks::get(conn, task_id)?;
    let order = marketplace::order(conn, &task.order_id)?.ok_or_else(|| {
        Error::NotFound(format!("The cached order {} of this task", task.order_id))
    })?;
    let subscription =
        marketplace::subscription(conn, &task.subscription_id)?.ok_or_else(|| {
            Error::NotFound(format!(
                "The cached subscription {} of this task",
                task.subscription_id
            ))
        })?;
    let company_id = mappings::company_for(conn, &task.customer_id)?;
    let (agreements, additions, recaps) = company_agreements(conn, company_id)?;
    let (draft, draft_unreadable) = match drafts::get(conn, task_id) {
        Ok(draft) => (draft, false),
        Err(e) => {
            // The parser's details stay in the log.
            tracing::warn!(task_id, "{e}");
            (Draft::default(), true)
        }
    };
    let fix = match task.task_type {
        TaskType::ReconcileFix => fixes::get(conn, task_id)?,
        _ => None,
    };
    Ok(Loaded {
        draft,
        draft_unreadable,
        fix,
        history: journal::history(conn, task_id)?,
        task,
        order,
        subscription,
        companies: directory.companies,
        company_id,
        agreements,
        additions,
        recaps,
        catalog: directory.catalog,
        cycles: cw_store::billing_cycles(conn)?,
        currencies: cw_store::currencies(conn)?,
        product_map: mappings::products(conn)?,
        fetched_at: directory.fetched_at,
        catalog_currency: crate::store::settings::get(
            conn,
            crate::store::settings::CW_CATALOG_CURRENCY,
        )?
        .filter(|c| !c.trim().is_empty()),
        additions_unreadable: HashMap::new(),
    })
}

/// The company's cached agreements, the additions of those whose additions were read, and
/// what their invoice calendars' reads gave.
type CompanyAgreements = (
    Vec<Agreement>,
    HashMap<i64, (Vec<Addition>, String)>,
    HashMap<i64, RecapRead>,
);

fn company_agreements(conn: &Connection, company_id: Option<i64>) -> Result<CompanyAgreements> {
    let agreements = match company_id {
        Some(id) => cw_store::agreements_of(conn, id)?,
        None => Vec::new(),
    };
    let mut additions = HashMap::new();
    let mut recaps = HashMap::new();
    for a in &agreements {
        if let Some(found) = cw_store::additions_of(conn, a.id)? {
            additions.insert(a.id, found);
        }
        recaps.insert(a.id, cw_store::recap(conn, a.id)?);
    }
    Ok((agreements, additions, recaps))
}

impl Loaded {
    /// The customer is now mapped to `company_id`: its agreements and their additions are read
    /// as a new load would read them.
    pub fn read_company(&mut self, conn: &Connection, company_id: Option<i64>) -> Result<()> {
        let (agreements, additions, recaps) = company_agreements(conn, company_id)?;
        self.company_id = company_id;
        self.agreements = agreements;
        self.additions = additions;
        self.recaps = recaps;
        Ok(())
    }
}

/// The cached ConnectWise companies and catalog as one refresh left them, each with its
/// suggestion index (built on the first ranking). Cheap to clone: the lists are shared.
#[derive(Clone)]
pub struct Directory {
    pub companies: Arc<CompanyIndex>,
    pub catalog: Arc<CatalogIndex>,
    /// When the companies were read from ConnectWise.
    pub fetched_at: Option<String>,
}

impl Directory {
    pub fn read(conn: &Connection) -> Result<Directory> {
        Ok(Directory {
            companies: Arc::new(CompanyIndex::new(cw_store::companies(conn)?)),
            catalog: Arc::new(CatalogIndex::new(cw_store::catalog(conn)?)),
            fetched_at: cw_store::refreshed_at(conn)?,
        })
    }
}

/// What a refresh changes about the cached companies and catalog: when they were read, and
/// how many there are. A refresh replaces both lists, stamped with its time.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Stamp(Option<String>, i64, Option<String>, i64);

impl Stamp {
    fn read(conn: &Connection) -> Result<Stamp> {
        Ok(conn.query_row(
            "SELECT (SELECT max(fetched_at) FROM cw_companies), (SELECT count(*) FROM cw_companies),
                    (SELECT max(fetched_at) FROM cw_catalog), (SELECT count(*) FROM cw_catalog)",
            [],
            |r| Ok(Stamp(r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )?)
    }
}

/// A [`Directory`] kept between the wizard's calls (DESIGN rule 15): the companies and catalog
/// are read, and their indexes built, once per refresh instead of on every edit. It is read
/// again when the cache's stamp changes, or after [`DirectoryCache::forget`] (which a session
/// calls once a Check Changes ends, in case a refresh kept the same time and counts).
#[derive(Default)]
pub struct DirectoryCache {
    held: Mutex<Option<(Stamp, Directory)>>,
}

impl DirectoryCache {
    /// The directory of the cache `conn` opens, read now if the one held is not its latest.
    pub fn get(&self, conn: &Connection) -> Result<Directory> {
        let stamp = Stamp::read(conn)?;
        // Held while reading, so a `forget` cannot slip between the read and keeping it.
        let mut held = self.held.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some((at, directory)) = held.as_ref() {
            if *at == stamp {
                return Ok(directory.clone());
            }
        }
        let directory = Directory::read(conn)?;
        *held = Some((stamp, directory.clone()));
        Ok(directory)
    }

    /// Drops the directory held: the next call reads the cache again.
    pub fn forget(&self) {
        *self.held.lock().unwrap_or_else(PoisonError::into_inner) = None;
    }
}
