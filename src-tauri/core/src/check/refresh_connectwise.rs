//! Part of Check Changes: refresh the ConnectWise data the pending tasks need, so the review
//! wizard works offline — companies, agreements, catalog, billing cycles, currencies, and the
//! additions of the agreements of the companies the tasks' customers map to (or most likely map
//! to, when not mapped yet).

use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::Arc;

use futures::stream::{self, StreamExt, TryStreamExt};

use crate::check::UnreadableRecord;
use chrono::{DateTime, Utc};

use crate::connectwise::wire::{
    Addition, Agreement, BillingCycle, CatalogItem, Company, Currency, Info,
};
use crate::connectwise::ConnectWiseClient;
use crate::error::{Error, Result};
use crate::reading::Listed;
use crate::store::{connectwise as cw_store, mappings, parse_time, settings, time_text, Store};
use crate::suggest::CompanyIndex;

/// How many suggested companies per unmapped customer get their additions cached.
const SUGGESTED_COMPANIES: usize = 2;
/// A suggestion this weak is not worth caching for.
const MIN_SCORE: u8 = 60;

/// A refresh reads every list whole when the last whole read is this old (by the app's clock);
/// in between, it asks only for what changed.
pub const FULL_REFRESH_AGE: chrono::Duration = chrono::Duration::days(7);

/// The additions of an agreement the tasks need are read again once this old, even if the
/// agreement does not say it changed (Sync reads them again before writing anyway).
pub const ADDITIONS_MAX_AGE: chrono::Duration = chrono::Duration::days(1);

/// What changed is asked for since the latest change seen less this: records changed at nearly
/// the same moment as the last read, or stamped by servers whose clocks differ a little.
const CHANGED_OVERLAP: chrono::Duration = chrono::Duration::minutes(10);

/// What one refresh read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refreshed {
    /// Every list was read whole (otherwise only what changed since the last refresh).
    pub full: bool,
    /// Records read: all of them in a full refresh, those that changed otherwise.
    pub companies: usize,
    pub agreements: usize,
    pub agreements_with_additions: usize,
    pub catalog_items: usize,
    /// Records that could not be read and were left out (the rest was cached).
    pub unreadable: Vec<UnreadableRecord>,
}

/// Where the last refresh left each list: the latest `lastUpdated` it saw (ConnectWise's clock).
#[derive(Debug, Clone, Copy)]
struct Marks {
    companies: DateTime<Utc>,
    agreements: DateTime<Utc>,
    catalog: DateTime<Utc>,
}

/// What was cached before this refresh, for an incremental one.
struct Cached {
    marks: Marks,
    companies: Vec<Company>,
    agreements: Vec<Agreement>,
    additions_read: HashMap<i64, String>,
}

/// Refreshes the cached ConnectWise data: every list whole the first time, when asked
/// (`full`), or when the last whole read is [`FULL_REFRESH_AGE`] old; otherwise only the
/// companies, agreements and catalog items changed since the last refresh, and the additions of
/// the agreements the tasks need that changed, were never read or are [`ADDITIONS_MAX_AGE`] old.
pub async fn refresh_connectwise(
    cw: &ConnectWiseClient,
    store: &Store,
    now: &str,
) -> Result<Refreshed> {
    refresh(cw, store, now, false).await
}

/// As [`refresh_connectwise`]; with `full`, every list is read whole whatever the cache holds.
pub async fn refresh(
    cw: &ConnectWiseClient,
    store: &Store,
    now: &str,
    full: bool,
) -> Result<Refreshed> {
    let prepared = prepare(cw, store, now, full).await?;
    complete(cw, store, prepared).await
}

/// As [`refresh_connectwise`], and the additions of the open agreements of `companies` too
/// (those Reconcile compares: every mapped customer's), read under the same rules.
pub async fn refresh_with_companies(
    cw: &ConnectWiseClient,
    store: &Store,
    now: &str,
    companies: BTreeSet<i64>,
) -> Result<Refreshed> {
    let mut prepared = prepare(cw, store, now, false).await?;
    let mut wanted = prepared.wanted.clone();
    wanted.extend(companies);
    prepared.read_additions(cw, wanted).await?;
    complete(cw, store, prepared).await
}

/// The part of a refresh that does not wait for new tasks: the lists read (whole or what
/// changed), the company index built, and the additions of the companies that the tasks pending
/// when it began need. Check Changes runs it while the marketplace orders are read, then
/// [`complete`]s it for the customers of the tasks it created.
pub struct Prepared {
    at: DateTime<Utc>,
    now: String,
    cached: Option<Cached>,
    companies: Arc<CompanyIndex>,
    changed_companies: Vec<Company>,
    changed_agreements: Vec<Agreement>,
    all_agreements: Vec<Agreement>,
    catalog: Vec<CatalogItem>,
    cycles: Vec<BillingCycle>,
    currencies: Vec<Currency>,
    unreadable: Vec<UnreadableRecord>,
    /// The customers already looked at (their companies are in `wanted`).
    considered: HashSet<String>,
    wanted: BTreeSet<i64>,
    /// Agreements whose additions were read, with them.
    additions: Vec<(i64, Vec<Addition>)>,
}

/// Reads the lists and the additions the tasks pending now need (see [`Prepared`]).
pub async fn prepare(
    cw: &ConnectWiseClient,
    store: &Store,
    now: &str,
    full: bool,
) -> Result<Prepared> {
    let at = parse_time(now)
        .ok_or_else(|| Error::Store(format!("the refresh time {now} is not a time")))?;
    let cached = if full { None } else { cached(store, at).await? };
    let since = |mark: DateTime<Utc>| {
        format!(
            "lastUpdated > [{}]",
            (mark - CHANGED_OVERLAP).format("%Y-%m-%dT%H:%M:%SZ")
        )
    };
    let conditions = cached.as_ref().map(|c| {
        (
            since(c.marks.companies),
            since(c.marks.agreements),
            since(c.marks.catalog),
        )
    });
    let (on_companies, on_agreements, on_catalog) = match &conditions {
        Some((c, a, k)) => (Some(c.as_str()), Some(a.as_str()), Some(k.as_str())),
        None => (None, None, None),
    };

    // The companies the pending tasks' customers map (or likely map) to. Ranking the unmapped
    // customers is CPU that grows with the customer base: it runs on a blocking thread, from one
    // index, while the other lists download.
    let cached_companies = cached.as_ref().map(|c| c.companies.clone());
    let companies_and_wanted = async {
        let (listed, pending) =
            tokio::try_join!(cw.companies(on_companies), pending_customers(store))?;
        let Listed { rows, unreadable } = listed;
        let all = match cached_companies {
            Some(before) => merged(before, &rows, |c| c.id),
            None => rows.clone(),
        };
        let companies = Arc::new(CompanyIndex::new(all));
        let considered = pending.customers.iter().map(|(id, _)| id.clone()).collect();
        let wanted = likely_companies(companies.clone(), pending).await;
        Ok::<_, Error>((companies, rows, unreadable, considered, wanted))
    };
    let (
        (companies, changed_companies, mut unreadable, considered, wanted),
        agreements,
        catalog,
        cycles,
        currencies,
    ) = tokio::try_join!(
        companies_and_wanted,
        cw.agreements(on_agreements),
        cw.catalog(on_catalog),
        cw.billing_cycles(),
        cw.currencies(),
    )?;
    let changed_agreements: Vec<Agreement> = readable(agreements, &mut unreadable);
    let catalog: Vec<CatalogItem> = readable(catalog, &mut unreadable);
    let cycles: Vec<BillingCycle> = readable(cycles, &mut unreadable);
    let currencies: Vec<Currency> = readable(currencies, &mut unreadable);
    let all_agreements = match &cached {
        Some(c) => merged(c.agreements.clone(), &changed_agreements, |a| a.id),
        None => changed_agreements.clone(),
    };
    let mut prepared = Prepared {
        at,
        now: now.to_owned(),
        cached,
        companies,
        changed_companies,
        changed_agreements,
        all_agreements,
        catalog,
        cycles,
        currencies,
        unreadable,
        considered,
        wanted: BTreeSet::new(),
        additions: Vec::new(),
    };
    prepared.read_additions(cw, wanted).await?;
    Ok(prepared)
}

impl Prepared {
    /// Reads the additions of the open agreements of `wanted` companies not wanted before — all
    /// of them in a full refresh; otherwise those that changed, were never read, or are old.
    async fn read_additions(
        &mut self,
        cw: &ConnectWiseClient,
        wanted: BTreeSet<i64>,
    ) -> Result<()> {
        let new: BTreeSet<i64> = wanted.difference(&self.wanted).copied().collect();
        if new.is_empty() {
            return Ok(());
        }
        let changed_ids: HashSet<i64> = self.changed_agreements.iter().map(|a| a.id).collect();
        let (cached, at) = (&self.cached, self.at);
        let stale = |id: i64| match cached {
            None => true,
            Some(c) => {
                changed_ids.contains(&id)
                    || c.additions_read
                        .get(&id)
                        .and_then(|read| parse_time(read))
                        .is_none_or(|read| at - read >= ADDITIONS_MAX_AGE)
            }
        };
        let open: Vec<i64> = self
            .all_agreements
            .iter()
            .filter(|a| new.contains(&a.company.id) && !a.cancelled_flag && stale(a.id))
            .map(|a| a.id)
            .collect();
        let read: Vec<(i64, Listed<Addition>)> = stream::iter(open)
            .map(|id| async move { cw.additions_listed(id).await.map(|rows| (id, rows)) })
            // The client's limiter decides how many run at once.
            .buffer_unordered(cw.limiter().ceiling())
            .try_collect()
            .await?;
        for (id, listed) in read {
            self.unreadable.extend(listed.unreadable);
            self.additions.push((id, listed.rows));
        }
        self.wanted.extend(new);
        Ok(())
    }
}

/// Finishes a prepared refresh: the customers of tasks pending now that it has not looked at yet
/// (those of the tasks just created) get their companies' additions read; then everything read
/// is cached in one transaction.
pub async fn complete(
    cw: &ConnectWiseClient,
    store: &Store,
    mut prepared: Prepared,
) -> Result<Refreshed> {
    let mut pending = pending_customers(store).await?;
    pending
        .customers
        .retain(|(id, _)| !prepared.considered.contains(id));
    if !pending.customers.is_empty() {
        let mut wanted = prepared.wanted.clone();
        wanted.extend(likely_companies(prepared.companies.clone(), pending).await);
        prepared.read_additions(cw, wanted).await?;
    }
    let Prepared {
        now,
        cached,
        companies,
        changed_companies,
        changed_agreements,
        catalog,
        cycles,
        currencies,
        unreadable,
        additions,
        ..
    } = prepared;

    let is_full = cached.is_none();
    let refreshed = Refreshed {
        full: is_full,
        companies: changed_companies.len(),
        agreements: changed_agreements.len(),
        agreements_with_additions: additions.len(),
        catalog_items: catalog.len(),
        unreadable,
    };
    // Where the next refresh starts: the latest change seen in each list (kept if none came).
    let latest = |seen: Option<DateTime<Utc>>, before: Option<DateTime<Utc>>| match (seen, before) {
        (Some(s), Some(b)) => Some(s.max(b)),
        (s, b) => s.or(b),
    };
    let before = cached.as_ref().map(|c| c.marks);
    let marks = [
        (
            settings::CW_COMPANIES_MARK,
            latest(
                changed_companies
                    .iter()
                    .filter_map(|c| updated(&c.info))
                    .max(),
                before.map(|m| m.companies),
            ),
        ),
        (
            settings::CW_AGREEMENTS_MARK,
            latest(
                changed_agreements
                    .iter()
                    .filter_map(|a| updated(&a.info))
                    .max(),
                before.map(|m| m.agreements),
            ),
        ),
        (
            settings::CW_CATALOG_MARK,
            latest(
                catalog.iter().filter_map(|c| updated(&c.info)).max(),
                before.map(|m| m.catalog),
            ),
        ),
    ];
    store
        .call(move |c| {
            let tx = c.transaction()?;
            if is_full {
                cw_store::replace_companies(&tx, companies.companies(), &now)?;
                cw_store::replace_agreements(&tx, &changed_agreements, &now)?;
                cw_store::replace_catalog(&tx, &catalog, &now)?;
                settings::set(&tx, settings::CW_FULL_REFRESH_AT, &now)?;
            } else {
                cw_store::upsert_companies(&tx, &changed_companies, &now)?;
                for a in &changed_agreements {
                    cw_store::put_agreement(&tx, a, &now)?;
                }
                cw_store::upsert_catalog(&tx, &catalog, &now)?;
            }
            cw_store::replace_billing_cycles(&tx, &cycles, &now)?;
            cw_store::replace_currencies(&tx, &currencies, &now)?;
            for (agreement_id, rows) in &additions {
                cw_store::replace_additions(&tx, *agreement_id, rows, &now)?;
            }
            for (key, mark) in marks {
                match mark {
                    Some(m) => settings::set(&tx, key, &time_text(m))?,
                    // Records without a change time: the next refresh reads the list whole.
                    None => settings::remove(&tx, key)?,
                }
            }
            settings::set(&tx, settings::CW_REFRESHED_AT, &now)?;
            tx.commit()?;
            Ok(())
        })
        .await?;
    tracing::info!(
        full = refreshed.full,
        companies = refreshed.companies,
        agreements = refreshed.agreements,
        agreements_with_additions = refreshed.agreements_with_additions,
        catalog_items = refreshed.catalog_items,
        left_out = refreshed.unreadable.len(),
        "ConnectWise data refreshed"
    );
    Ok(refreshed)
}

/// A record's change time, when it came with one.
fn updated(info: &Option<Info>) -> Option<DateTime<Utc>> {
    info.as_ref().and_then(|i| i.last_updated)
}

/// `before` with `changed` in place of the records of the same id, and the new ones after.
fn merged<T: Clone>(before: Vec<T>, changed: &[T], id: impl Fn(&T) -> i64) -> Vec<T> {
    let fresh: HashMap<i64, &T> = changed.iter().map(|r| (id(r), r)).collect();
    let mut out: Vec<T> = before
        .into_iter()
        .filter(|r| !fresh.contains_key(&id(r)))
        .collect();
    out.extend(changed.iter().cloned());
    out
}

/// What an incremental refresh starts from, or `None` when a full one is due: never read whole,
/// read whole too long ago, or a list whose latest change is not known.
async fn cached(store: &Store, at: DateTime<Utc>) -> Result<Option<Cached>> {
    store
        .call(move |c| {
            let time = |key: &str| -> Result<Option<DateTime<Utc>>> {
                Ok(settings::get(c, key)?.as_deref().and_then(parse_time))
            };
            let full_at = time(settings::CW_FULL_REFRESH_AT)?;
            let marks = (
                time(settings::CW_COMPANIES_MARK)?,
                time(settings::CW_AGREEMENTS_MARK)?,
                time(settings::CW_CATALOG_MARK)?,
            );
            let (Some(full_at), (Some(companies), Some(agreements), Some(catalog))) =
                (full_at, marks)
            else {
                return Ok(None);
            };
            if at - full_at >= FULL_REFRESH_AGE || full_at > at {
                return Ok(None);
            }
            Ok(Some(Cached {
                marks: Marks {
                    companies,
                    agreements,
                    catalog,
                },
                companies: cw_store::companies(c)?,
                agreements: cw_store::all_agreements(c)?,
                additions_read: cw_store::additions_read(c)?,
            }))
        })
        .await
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
