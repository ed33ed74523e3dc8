//! Running a reconcile: the ConnectWise data refreshed as Check Changes refreshes it (with the
//! additions of every mapped customer's company), every known customer's subscriptions read
//! with progress, both kept in the cache, then every customer compared and the result kept with
//! its time. The book and a customer are shown from the cache, offline too.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use futures::stream::{self, StreamExt};
use rusqlite::Connection;

use crate::check::refresh_connectwise::refresh_with_companies;
use crate::clock::Clock;
use crate::connectwise::ConnectWiseClient;
use crate::error::{Error, ErrorField, Result};
use crate::marketplace::wire::Subscription;
use crate::marketplace::wire::{Order, OrderProduct};
use crate::marketplace::MarketplaceClient;
use crate::money;
use crate::plan::PriceSource;
use crate::reading::Listed;
use crate::reconcile::fix;
use crate::reconcile::present::{
    self, BookQuery, BookView, CustomerView, FixRefusal, FixResult, ReconcileProgress,
};
use crate::reconcile::{
    reconcile, ConnectWiseData, CustomerReconcile, ProductReconcile, Settings, SubscriptionState,
};
use crate::store::{self, connectwise as cw_store, mappings, marketplace, settings, Store};
use crate::task::TaskType;

/// Settings key: why the last reconcile could not refresh the ConnectWise data, if it could not.
const CONNECTWISE_ERROR: &str = "reconcile_connectwise_error";
/// Settings key: the price source the last reconcile compared with.
const PRICE_SOURCE: &str = "reconcile_price_source";

/// What a reconcile needs.
pub struct Reconciler<'a> {
    pub marketplace: &'a MarketplaceClient,
    pub connectwise: &'a ConnectWiseClient,
    pub store: &'a Store,
    pub clock: &'a Clock,
    pub progress: &'a (dyn Fn(ReconcileProgress) + Send + Sync),
}

/// Everything Reconcile reads from the ConnectWise cache and the mappings.
pub fn load_connectwise(conn: &Connection) -> Result<ConnectWiseData> {
    Ok(ConnectWiseData {
        companies: cw_store::companies(conn)?,
        agreements: cw_store::all_agreements(conn)?,
        additions: cw_store::all_additions(conn)?,
        catalog: cw_store::catalog(conn)?,
        cycles: cw_store::billing_cycles(conn)?,
        currencies: cw_store::currencies(conn)?,
        customer_map: mappings::companies(conn)?,
        product_map: mappings::products(conn)?,
    })
}

/// Compares every customer whose subscriptions are cached and keeps the results, stamped `now`
/// (in one transaction). Works offline: everything comes from the cache.
pub fn compare_cached(
    conn: &mut Connection,
    settings: Settings,
    now: &str,
) -> Result<Vec<CustomerReconcile>> {
    let customers: Vec<_> = store::reconcile::subscriptions(conn)?
        .into_iter()
        .map(|r| r.customer)
        .collect();
    let data = load_connectwise(conn)?;
    let results = reconcile(&customers, &data, settings);
    let tx = conn.transaction()?;
    for r in &results {
        store::reconcile::put_result(&tx, r, now)?;
    }
    settings::set(&tx, PRICE_SOURCE, price_source_key(settings.price_source))?;
    tx.commit()?;
    Ok(results)
}

fn price_source_key(p: PriceSource) -> &'static str {
    match p {
        PriceSource::CloudMarketplace => "cloudMarketplace",
        PriceSource::ConnectWise => "connectWise",
    }
}

/// The price source the last reconcile compared with (marketplace prices if none yet).
pub fn last_price_source(conn: &Connection) -> Result<PriceSource> {
    Ok(match settings::get(conn, PRICE_SOURCE)?.as_deref() {
        Some("connectWise") => PriceSource::ConnectWise,
        _ => PriceSource::CloudMarketplace,
    })
}

/// Reads the additions of the open agreements of `company_id` (as the cache lists them) and
/// caches them: what a customer just mapped to the company is compared with. Returns how many
/// agreements were read.
pub async fn read_company_additions(
    cw: &ConnectWiseClient,
    store: &Store,
    company_id: i64,
    now: &str,
) -> Result<usize> {
    let open: Vec<i64> = store
        .call(move |c| {
            Ok(cw_store::agreements_of(c, company_id)?
                .into_iter()
                .filter(|a| !a.cancelled_flag)
                .map(|a| a.id)
                .collect())
        })
        .await?;
    let read: Vec<(i64, Listed<crate::connectwise::wire::Addition>)> = stream::iter(open)
        .map(|id| async move { cw.additions_listed(id).await.map(|rows| (id, rows)) })
        // The client's limiter decides how many run at once.
        .buffer_unordered(cw.limiter().ceiling())
        .collect::<Vec<_>>()
        .await
        .into_iter()
        .collect::<Result<_>>()?;
    for (id, listed) in &read {
        for record in &listed.unreadable {
            tracing::warn!(
                agreement_id = id,
                "an addition could not be read: {record:?}"
            );
        }
    }
    let now = now.to_owned();
    store
        .call(move |c| {
            let tx = c.transaction()?;
            for (id, listed) in &read {
                cw_store::replace_additions(&tx, *id, &listed.rows, &now)?;
            }
            tx.commit()?;
            Ok(read.len())
        })
        .await
}

/// Whose subscriptions a reconcile reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// The customers the app knows of (mapped, with an order, reconciled before), each its own
    /// list.
    KnownCustomers,
    /// The whole subscription list: every customer with an active subscription, and the
    /// customers the app knows of (a new profile's first day).
    AllActive,
}

/// The whole list's subscriptions by customer: every customer with an active subscription and
/// every customer in `known`. Records that could not be read go with the first customer (the
/// book lists them all).
fn by_customer(
    listed: Listed<Subscription>,
    known: &BTreeMap<String, Option<String>>,
) -> Vec<(String, Listed<Subscription>)> {
    let mut by: BTreeMap<String, Listed<Subscription>> = known
        .keys()
        .map(|id| (id.clone(), Listed::default()))
        .collect();
    let active: BTreeSet<String> = listed
        .rows
        .iter()
        .filter(|s| SubscriptionState::of(&s.status) == Some(SubscriptionState::Active))
        .map(|s| s.customer_id.trim().to_owned())
        .filter(|id| !id.is_empty())
        .collect();
    for s in listed.rows {
        let id = s.customer_id.trim().to_owned();
        if known.contains_key(&id) || active.contains(&id) {
            by.entry(id).or_default().rows.push(s);
        }
    }
    if let Some((_, first)) = by.iter_mut().next() {
        first.unreadable = listed.unreadable;
    }
    by.into_iter().collect()
}

/// Reconciles the whole book (SPEC §13) and returns it.
pub async fn reconcile_all(
    r: &Reconciler<'_>,
    price_source: PriceSource,
    reach: Reach,
) -> Result<BookView> {
    let now = r.clock.now_text();
    let today = r.clock.today();
    let (known, companies) = r
        .store
        .call(|c| {
            Ok((
                store::reconcile::known_customers(c)?,
                mappings::companies(c)?,
            ))
        })
        .await?;
    let ids: Vec<String> = known.keys().cloned().collect();
    let wanted: BTreeSet<i64> = companies.values().copied().collect();

    (r.progress)(ReconcileProgress::RefreshingConnectWise);
    let refresh = refresh_with_companies(r.connectwise, r.store, &now, wanted);
    let read = async {
        match reach {
            Reach::KnownCustomers => {
                let reading = |read, total| {
                    (r.progress)(ReconcileProgress::ReadingSubscriptions { read, total })
                };
                r.marketplace.subscriptions_of(&ids, &reading).await
            }
            Reach::AllActive => {
                let reading = |read, total| {
                    (r.progress)(ReconcileProgress::ReadingAllSubscriptions { read, total })
                };
                let listed = r.marketplace.all_subscriptions(&reading).await?;
                Ok(by_customer(listed, &known))
            }
        }
    };
    let (refreshed, read) = tokio::join!(refresh, read);
    let read = read?;
    let mut known = known;
    for (id, _) in &read {
        known.entry(id.clone()).or_default();
    }
    let connectwise_error = match refreshed {
        Ok(_) => None,
        Err(e) => {
            tracing::warn!("reconcile: the ConnectWise data could not be refreshed: {e}");
            Some(e.to_string())
        }
    };

    // Customers known only by their id: their names from the marketplace.
    let unnamed: Vec<String> = known
        .iter()
        .filter(|(_, name)| name.is_none())
        .map(|(id, _)| id.clone())
        .collect();
    let named: Vec<_> = stream::iter(unnamed)
        .map(|id| async move {
            match r.marketplace.customer(&id).await {
                Ok(c) => Some(c),
                Err(e) => {
                    tracing::warn!(customer_id = %id, "reconcile: the customer's name could not be read: {e}");
                    None
                }
            }
        })
        .buffer_unordered(r.marketplace.limiter().ceiling())
        .collect()
        .await;
    let mut names: HashMap<String, String> = known
        .iter()
        .filter_map(|(id, name)| name.clone().map(|n| (id.clone(), n)))
        .collect();
    let fetched: Vec<_> = named.into_iter().flatten().collect();
    for c in &fetched {
        names.insert(c.id.clone(), c.name.clone());
    }

    let customers = read.len() as u32;
    (r.progress)(ReconcileProgress::Comparing { customers });
    let settings_now = Settings {
        today,
        price_source,
    };
    let stamp = now.clone();
    let results = r
        .store
        .call(move |c| {
            let tx = c.transaction()?;
            for customer in &fetched {
                marketplace::put_customer(&tx, customer, &stamp)?;
            }
            for (id, listed) in &read {
                let name = names.get(id).cloned().unwrap_or_else(|| id.clone());
                store::reconcile::put_subscriptions(
                    &tx,
                    id,
                    &name,
                    &listed.rows,
                    &listed.unreadable,
                    &stamp,
                )?;
            }
            match &connectwise_error {
                Some(e) => settings::set(&tx, CONNECTWISE_ERROR, e)?,
                None => settings::remove(&tx, CONNECTWISE_ERROR)?,
            }
            tx.commit()?;
            compare_cached(c, settings_now, &stamp)
        })
        .await?;
    let drift = results.iter().map(|c| c.drift_count()).sum();
    (r.progress)(ReconcileProgress::Finished { customers, drift });
    r.store
        .call(move |c| book(c, &BookQuery::default(), &now))
        .await
}

/// The book from the cache: the customers' last results, the largest effect first.
pub fn book(conn: &Connection, query: &BookQuery, now: &str) -> Result<BookView> {
    check_query(query)?;
    let results = store::reconcile::results(conn)?;
    let read = store::reconcile::read_times(conn)?;
    let shown = shown(&results, query);
    Ok(BookView {
        rows: shown
            .iter()
            .map(|(c, at)| present::book_row(c, at, read.get(&c.customer_id).map(String::as_str)))
            .collect(),
        customers: results.len() as u32,
        counts: present::counts(results.iter().map(|(c, _)| c)),
        last_reconciled_at: results.iter().map(|(_, at)| at.clone()).max(),
        connectwise_read_at: cw_store::refreshed_at(conn)?,
        unreadable: store::reconcile::unreadable(conn)?,
        connectwise_error: settings::get(conn, CONNECTWISE_ERROR)?,
        price_source: crate::wizard::source_view(last_price_source(conn)?),
        now: now.to_owned(),
    })
}

fn check_query(query: &BookQuery) -> Result<()> {
    crate::validate::search(&query.search)
}

/// The results the query shows, the largest effect first (then the most drift, then by name).
fn shown<'a>(
    results: &'a [(CustomerReconcile, String)],
    query: &BookQuery,
) -> Vec<&'a (CustomerReconcile, String)> {
    let mut shown: Vec<&(CustomerReconcile, String)> = results
        .iter()
        .filter(|(c, _)| present::matches(c, query))
        .collect();
    shown.sort_by(|(a, _), (b, _)| {
        present::effect_size(b)
            .cmp(&present::effect_size(a))
            .then(b.drift_count().cmp(&a.drift_count()))
            .then_with(|| {
                a.customer_name
                    .to_lowercase()
                    .cmp(&b.customer_name.to_lowercase())
            })
    });
    shown
}

/// The customers the query shows, product by product, in the book's order (the CSV report).
pub fn report(conn: &Connection, query: &BookQuery, now: &str) -> Result<Vec<CustomerView>> {
    check_query(query)?;
    let results = store::reconcile::results(conn)?;
    let read = store::reconcile::read_times(conn)?;
    Ok(shown(&results, query)
        .into_iter()
        .map(|(c, at)| {
            present::customer(
                c,
                at,
                read.get(&c.customer_id).map(String::as_str),
                now,
                &present::Unsynced::default(),
            )
        })
        .collect())
}

/// The most product lines one Fix makes tasks of.
pub const MAX_FIX_LINES: usize = 500;

/// Turns product lines of a customer's last reconcile into reconcile-fix tasks (SPEC §13): one
/// per agreement a line concerns, each with its own order (`FIX-n`), made `now`. A line that
/// already has a fix not synced yet gives that one again; a line that cannot be fixed is named
/// with why in the result, and the others are made.
pub fn create_fixes(
    conn: &mut Connection,
    customer_id: &str,
    line_keys: &[String],
    now: chrono::DateTime<chrono::Utc>,
) -> Result<FixResult> {
    if line_keys.is_empty() {
        return Err(Error::invalid(
            ErrorField::Fix,
            "Tick at least one product to fix.",
        ));
    }
    if line_keys.len() > MAX_FIX_LINES {
        return Err(Error::invalid(
            ErrorField::Fix,
            format!("At most {MAX_FIX_LINES} products can be fixed at once."),
        ));
    }
    let now_text = store::time_text(now);
    let tx = conn.transaction()?;
    let (c, _) = store::reconcile::result(&tx, customer_id)?.ok_or_else(|| {
        Error::NotFound(format!(
            "A reconcile of customer {customer_id} (reconcile the book first)"
        ))
    })?;
    let subscriptions = store::reconcile::subscriptions_of(&tx, customer_id)?;
    let open = store::fixes::open_of_customer(&tx, customer_id)?;
    let mut result = FixResult::default();
    let mut seen = BTreeSet::new();
    for key in line_keys {
        if !seen.insert(key.as_str()) {
            continue;
        }
        let Some(p) = c.products.iter().find(|p| p.line_key() == *key) else {
            return Err(Error::invalid(
                ErrorField::Fix,
                format!(
                    "A product ticked is no longer in {}'s last reconcile. Reconcile again, then fix it.",
                    c.customer_name
                ),
            ));
        };
        if let Some(tasks) = open.get(key) {
            result.task_ids.extend(tasks.iter().map(|(id, _)| *id));
            result.reused += 1;
            continue;
        }
        let cost = fix::unit_cost(&subscriptions, p);
        let fixes = match fix::fixes_for(&c, p, cost) {
            Ok(f) => f,
            Err(why) => {
                result.refused.push(FixRefusal {
                    product_name: p.marketplace.product_name.clone(),
                    message: present::refusal_words(&c, p, why),
                });
                continue;
            }
        };
        let subscription = p
            .marketplace
            .subscription_ids
            .iter()
            .find_map(|id| subscriptions.iter().find(|s| s.id == *id))
            .ok_or_else(|| {
                Error::NotFound(format!(
                    "The cached subscription of {} (reconcile again)",
                    p.marketplace.product_name
                ))
            })?;
        marketplace::put_subscription(&tx, subscription, &now_text)?;
        for f in &fixes {
            let task_id = put_fix_task(&tx, f, &c, p, subscription, now)?;
            result.task_ids.push(task_id);
            result.made += 1;
        }
    }
    for id in &result.task_ids {
        result.tasks.push(store::tasks::get(&tx, *id)?);
    }
    tx.commit()?;
    Ok(result)
}

/// Keeps one fix as a task of its own: an order `FIX-<n>` for the product, its task (its amount
/// the line's effect) and what it fixes. Returns the task's id.
fn put_fix_task(
    tx: &Connection,
    f: &fix::Fix,
    c: &CustomerReconcile,
    p: &ProductReconcile,
    subscription: &Subscription,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<i64> {
    let now_text = store::time_text(now);
    let n = store::fixes::count(tx)? + 1;
    let order = Order {
        id: format!("FIX-{n}"),
        order_type: TaskType::ReconcileFix.as_str().to_owned(),
        customer_id: c.customer_id.clone(),
        creation_date: now,
        status: "completed".to_owned(),
        products: vec![OrderProduct {
            mpn: f.target.product_key.clone(),
            name: f.target.product_name.clone(),
            quantity: f.target.quantity,
            subscription_id: Some(subscription.id.clone()),
            extended_price: None,
        }],
    };
    marketplace::put_order(tx, &order, &now_text)?;
    store::tasks::insert(
        tx,
        &store::tasks::NewTask {
            order_id: order.id.clone(),
            task_type: TaskType::ReconcileFix,
            order_date: now_text.clone(),
            customer_id: c.customer_id.clone(),
            customer_name: c.customer_name.clone(),
            subscription_id: subscription.id.clone(),
            subscription_name: f.target.product_name.clone(),
            amount: p
                .effect
                .map(|e| money::format(e, p.currency.amount_places()))
                .unwrap_or_default(),
            currency: p.currency.code.clone(),
            amounts: crate::task::OrderAmounts {
                recurring: p.effect,
                one_time: None,
                period: p.effect.map(|_| p.marketplace.period),
            },
        },
        &now_text,
    )?;
    let task_id = store::tasks::id_for_order(tx, &order.id)?;
    store::fixes::put(tx, task_id, f, &now_text)?;
    Ok(task_id)
}

/// One customer from the cache, product by product.
pub fn customer(conn: &Connection, customer_id: &str, now: &str) -> Result<CustomerView> {
    let (c, at) = store::reconcile::result(conn, customer_id)?.ok_or_else(|| {
        Error::NotFound(format!(
            "A reconcile of customer {customer_id} (reconcile the book first)"
        ))
    })?;
    let read = store::reconcile::read_times(conn)?;
    let mut view = present::customer(
        &c,
        &at,
        read.get(customer_id).map(String::as_str),
        now,
        &present::Unsynced {
            fixes: store::fixes::open_of_customer(conn, customer_id)?,
            orders: store::tasks::unsynced_orders_of(conn, customer_id)?,
            order_types: store::tasks::order_types_of(conn, customer_id)?,
        },
    );
    view.invoices = invoices(conn, &present::agreement_ids(&c))?;
    Ok(view)
}

/// Each agreement's invoice calendar and next invoice, from the cache (SPEC §16).
fn invoices(conn: &Connection, ids: &[i64]) -> Result<Vec<present::AgreementInvoiceView>> {
    use crate::connectwise::wire::Currency as CwCurrency;
    let currencies: Vec<CwCurrency> = store::connectwise::currencies(conn)?;
    let mut out = Vec::new();
    for id in ids {
        let Some(agreement) = store::connectwise::agreement(conn, *id)? else {
            continue;
        };
        let invoiced =
            crate::calendar::invoiced(&agreement, &store::connectwise::recap(conn, *id)?);
        let currency = crate::fit::agreement_currency(&agreement, &currencies);
        let additions = store::connectwise::additions_of(conn, *id)?.map(|(a, _)| a);
        let next_invoice = match (invoiced.calendar(), additions) {
            (Some(cal), Some(additions)) => {
                let billed: Vec<_> = additions
                    .iter()
                    .map(|a| crate::invoice::Billed::of_addition(a, cal))
                    .collect();
                let bill = agreement.bill_amount.unwrap_or_default();
                let next = crate::invoice::next_invoice(cal, bill, &billed, &currency)?;
                Some(crate::view::InvoiceView::of(&next, &currency))
            }
            _ => None,
        };
        out.push(present::AgreementInvoiceView {
            agreement_id: agreement.id,
            agreement_name: agreement.name.clone(),
            currency: currency.code.clone(),
            calendar: crate::view::CalendarView::of(&invoiced),
            next_invoice,
        });
    }
    Ok(out)
}
