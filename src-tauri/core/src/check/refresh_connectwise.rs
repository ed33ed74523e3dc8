//! Part of Check Changes: refresh the ConnectWise data the pending tasks need, so the review
//! wizard works offline — companies, agreements, catalog, billing cycles, currencies, and the
//! additions of the agreements of the companies the tasks' customers map to (or most likely map
//! to, when not mapped yet).

use std::collections::BTreeSet;

use futures::stream::{self, StreamExt, TryStreamExt};

use crate::check::UnreadableRecord;
use crate::connectwise::wire::{Addition, Agreement, BillingCycle, CatalogItem, Company, Currency};
use crate::connectwise::ConnectWiseClient;
use crate::error::Result;
use crate::reading::Listed;
use crate::store::{connectwise as cw_store, mappings, Store};
use crate::suggest;

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
    let (companies, agreements, catalog, cycles, currencies) = tokio::try_join!(
        cw.companies(None),
        cw.agreements(None),
        cw.catalog(None),
        cw.billing_cycles(),
        cw.currencies(),
    )?;
    let mut unreadable = Vec::new();
    let companies: Vec<Company> = readable(companies, &mut unreadable);
    let agreements: Vec<Agreement> = readable(agreements, &mut unreadable);
    let catalog: Vec<CatalogItem> = readable(catalog, &mut unreadable);
    let cycles: Vec<BillingCycle> = readable(cycles, &mut unreadable);
    let currencies: Vec<Currency> = readable(currencies, &mut unreadable);

    // The customers of tasks still to review, and the companies they map (or likely map) to.
    let (customers, mapped) = store
        .call(|c| {
            let mut stmt = c.prepare(
                "SELECT DISTINCT customer_id, customer_name FROM tasks WHERE status IN ('pending', 'failed')",
            )?;
            let rows = stmt
                .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok((rows, mappings::companies(c)?))
        })
        .await?;
    let mut wanted: BTreeSet<i64> = BTreeSet::new();
    for (customer_id, name) in &customers {
        match mapped.get(customer_id) {
            Some(company) => {
                wanted.insert(*company);
            }
            None => wanted.extend(
                suggest::companies(name, &companies, SUGGESTED_COMPANIES)
                    .into_iter()
                    .filter(|r| r.score >= MIN_SCORE)
                    .map(|r| r.item.id),
            ),
        }
    }
    let open: Vec<i64> = agreements
        .iter()
        .filter(|a| wanted.contains(&a.company.id) && !a.cancelled_flag)
        .map(|a| a.id)
        .collect();
    let read: Vec<(i64, Listed<Addition>)> = stream::iter(open)
        .map(|id| async move { cw.additions_listed(id).await.map(|rows| (id, rows)) })
        .buffer_unordered(6)
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
            cw_store::replace_companies(&tx, &companies, &now)?;
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

/// The records that could be read; those that could not join `unreadable`.
fn readable<T>(listed: Listed<T>, unreadable: &mut Vec<UnreadableRecord>) -> Vec<T> {
    unreadable.extend(listed.unreadable);
    listed.rows
}
