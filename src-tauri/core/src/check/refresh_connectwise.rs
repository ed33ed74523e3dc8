//! Part of Check Changes: refresh the ConnectWise data the pending tasks need, so the review
//! wizard works offline — companies, agreements, catalog, billing cycles, currencies, and the
//! additions of the agreements of the companies the tasks' customers map to (or most likely map
//! to, when not mapped yet).

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use futures::stream::{self, StreamExt, TryStreamExt};

use crate::check::UnreadableRecord;
use crate::connectwise::wire::{Addition, Agreement, BillingCycle, CatalogItem, Currency};
use crate::connectwise::ConnectWiseClient;
use crate::error::{Error, Result};
use crate::reading::Listed;
use crate::store::{connectwise as cw_store, mappings, Store};
use crate::suggest::CompanyIndex;

/// How many suggested companies per unmapped customer get their additions cached.
const SUGGESTED_COMPANIES: usize = 2;
/// A suggestion this weak is not worth caching for.
const MIN_SCORE: u8 = 60;

/// What one refresh read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refreshed {
    pub companies: usize,
    pub agreements: usize,
    pub agreements_with_additions: usize,
    pub catalog_items: usize,
    /// Records that could not be read and were left out (the rest was cached).
    pub unreadable: Vec<UnreadableRecord>,
}

pub async fn refresh_connectwise(
    cw: &ConnectWiseClient,
    store: &Store,
    now: &str,
) -> Result<Refreshed> {
    // The companies the pending tasks' customers map (or likely map) to. Ranking the unmapped
    // customers is CPU that grows with the customer base: it runs on a blocking thread, from one
    // index, while the other lists download.
    let companies_and_wanted = async {
        let (listed, pending) = tokio::try_join!(cw.companies(None), pending_customers(store))?;
        let Listed { rows, unreadable } = listed;
        let companies = Arc::new(CompanyIndex::new(rows));
        let wanted = likely_companies(companies.clone(), pending).await;
        Ok::<_, Error>((companies, unreadable, wanted))
    };
    let ((companies, mut unreadable, wanted), agreements, catalog, cycles, currencies) = tokio::try_join!(
        companies_and_wanted,
        cw.agreements(None),
        cw.catalog(None),
        cw.billing_cycles(),
        cw.currencies(),
    )?;
    let agreements: Vec<Agreement> = readable(agreements, &mut unreadable);
    let catalog: Vec<CatalogItem> = readable(catalog, &mut unreadable);
    let cycles: Vec<BillingCycle> = readable(cycles, &mut unreadable);
    let currencies: Vec<Currency> = readable(currencies, &mut unreadable);

    let open: Vec<i64> = agreements
        .iter()
        .filter(|a| wanted.contains(&a.company.id) && !a.cancelled_flag)
        .map(|a| a.id)
        .collect();
    let read: Vec<(i64, Listed<Addition>)> = stream::iter(open)
        .map(|id| async move { cw.additions_listed(id).await.map(|rows| (id, rows)) })
        // The client's limiter decides how many run at once.
        .buffer_unordered(cw.limiter().ceiling())
        .try_collect()
        .await?;
    let mut additions = Vec::with_capacity(read.len());
    for (id, listed) in read {
        unreadable.extend(listed.unreadable);
        additions.push((id, listed.rows));
    }

    let refreshed = Refreshed {
        companies: companies.len(),
        agreements: agreements.len(),
        agreements_with_additions: additions.len(),
        catalog_items: catalog.len(),
        unreadable,
    };
    let now = now.to_owned();
    store
        .call(move |c| {
            let tx = c.transaction()?;
            cw_store::replace_companies(&tx, companies.companies(), &now)?;
            cw_store::replace_agreements(&tx, &agreements, &now)?;
            cw_store::replace_catalog(&tx, &catalog, &now)?;
            cw_store::replace_billing_cycles(&tx, &cycles, &now)?;
            cw_store::replace_currencies(&tx, &currencies, &now)?;
            for (agreement_id, rows) in &additions {
                cw_store::replace_additions(&tx, *agreement_id, rows, &now)?;
            }
            tx.commit()?;
            Ok(())
        })
        .await?;
    tracing::info!(
        companies = refreshed.companies,
        agreements = refreshed.agreements,
        agreements_with_additions = refreshed.agreements_with_additions,
        catalog_items = refreshed.catalog_items,
        left_out = refreshed.unreadable.len(),
        "ConnectWise data refreshed"
    );
    Ok(refreshed)
}

/// The customers of tasks still to review (id, name), and the companies mapped so far.
struct Pending {
    customers: Vec<(String, String)>,
    mapped: HashMap<String, i64>,
}

async fn pending_customers(store: &Store) -> Result<Pending> {
    store
        .call(|c| {
            let mut stmt = c.prepare(
                "SELECT DISTINCT customer_id, customer_name FROM tasks WHERE status IN ('pending', 'failed')",
            )?;
            let customers = stmt
                .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(Pending {
                customers,
                mapped: mappings::companies(c)?,
            })
        })
        .await
}

/// Each pending customer's mapped company, or the companies suggested for it (at most
/// [`SUGGESTED_COMPANIES`], scoring [`MIN_SCORE`] or more). Should ranking fail, only the
/// mapped companies are wanted: the refresh goes on without the suggestions' additions.
async fn likely_companies(companies: Arc<CompanyIndex>, pending: Pending) -> BTreeSet<i64> {
    let mut wanted = BTreeSet::new();
    let mut unmapped: BTreeSet<String> = BTreeSet::new();
    for (customer_id, name) in pending.customers {
        match pending.mapped.get(&customer_id) {
            Some(company) => {
                wanted.insert(*company);
            }
            None => {
                unmapped.insert(name);
            }
        }
    }
    let suggested = tokio::task::spawn_blocking(move || {
        unmapped
            .iter()
            .flat_map(|name| companies.rank(name, SUGGESTED_COMPANIES))
            .filter(|r| r.score >= MIN_SCORE)
            .map(|r| r.item.id)
            .collect::<Vec<i64>>()
    })
    .await;
    match suggested {
        Ok(ids) => wanted.extend(ids),
        Err(e) => tracing::error!("suggesting companies for unmapped customers failed: {e}"),
    }
    wanted
}

/// The records that could be read; those that could not join `unreadable`.
fn readable<T>(listed: Listed<T>, unreadable: &mut Vec<UnreadableRecord>) -> Vec<T> {
    unreadable.extend(listed.unreadable);
    listed.rows
}
