//! Check Changes (SPEC §2.2, §3): read the marketplace orders created since the last check, turn
//! each relevant one into a task exactly once, and cache what the tasks need.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use futures::stream::{self, StreamExt, TryStreamExt};
use rust_decimal::Decimal;
use tokio::sync::{Mutex, OnceCell};

use crate::check::refresh_connectwise::refresh_connectwise;
use crate::check::{CheckProgress, CheckSummary, FutureOrder, SkipCount};
use crate::connectwise::ConnectWiseClient;
use crate::error::{Error, Result};
use crate::marketplace::wire::{Customer, Order, OrderSummary, Subscription};
use crate::marketplace::{MarketplaceClient, OrderList};
use crate::store::{checks, marketplace, parse_time, settings, tasks, time_text, Store};
use crate::task::{SkipReason, TaskType};

/// How far before its own start a check's watermark is set: orders that show up in the list a
/// little late are still read (order ids dedupe, so reading one twice is harmless).
pub const WATERMARK_OVERLAP: Duration = Duration::minutes(5);

/// How a check runs.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    /// How far back the very first check reads.
    pub first_check_days: i64,
    /// Order details fetched at once.
    pub concurrency: usize,
    /// Tasks written to the cache per transaction (the list refreshes per batch).
    pub batch: usize,
}

impl Default for CheckOptions {
    fn default() -> Self {
        CheckOptions {
            first_check_days: 30,
            concurrency: 8,
            batch: 50,
        }
    }
}

/// A new order with everything its task needs.
struct Fetched {
    order: Order,
    customer: Arc<Customer>,
    subscriptions: Vec<Arc<Subscription>>,
}

/// Fetches each customer/subscription once per check, even with requests in flight.
struct Memo<T> {
    cells: Mutex<HashMap<String, Arc<OnceCell<Arc<T>>>>>,
}

impl<T> Memo<T> {
    fn new() -> Self {
        Memo {
            cells: Mutex::new(HashMap::new()),
        }
    }

    async fn get<F, Fut>(&self, id: &str, fetch: F) -> Result<Arc<T>>
    where
        F: FnOnce() -> Fut,
        Fut: std::future::Future<Output = Result<T>>,
    {
        let cell = self
            .cells
            .lock()
            .await
            .entry(id.to_owned())
            .or_default()
            .clone();
        cell.get_or_try_init(|| async { fetch().await.map(Arc::new) })
            .await
            .cloned()
    }
}

/// Runs one Check Changes. On error nothing already cached is lost; tasks written before the
/// failure stay (they are complete), and the watermark only moves when the whole check succeeds.
pub async fn check_changes(
    client: &MarketplaceClient,
    connectwise: Option<&ConnectWiseClient>,
    store: &Store,
    options: &CheckOptions,
    now: DateTime<Utc>,
    progress: &(dyn Fn(CheckProgress) + Send + Sync),
) -> Result<CheckSummary> {
    let (watermark, days) = store
        .call(|c| {
            Ok((
                settings::get(c, settings::ORDERS_WATERMARK)?,
                settings::get(c, settings::FIRST_CHECK_DAYS)?,
            ))
        })
        .await?;
    let first_days = days
        .and_then(|d| d.parse::<i64>().ok())
        .filter(|d| *d > 0)
        .unwrap_or(options.first_check_days);
    // The watermark is never after this check's start (less the overlap). One that is — left by
    // an older version after an order dated in the future, or by a clock set back — says
    // nothing about what was read: the first check's window is read again (order ids dedupe).
    let ceiling = now - WATERMARK_OVERLAP;
    let first_window = now - Duration::days(first_days);
    let from = match watermark.as_deref().and_then(parse_time) {
        Some(mark) if mark <= ceiling => mark,
        Some(mark) => {
            tracing::warn!(
                watermark = %time_text(mark),
                "the order watermark lies after this check's start: reading the first window again"
            );
            first_window
        }
        None => first_window,
    };

    progress(CheckProgress::ListingOrders { read: 0, total: 0 });
    let OrderList {
        orders: listed,
        unreadable: unreadable_orders,
        reread_from,
    } = client
        .orders_since(from, |read, total| {
            progress(CheckProgress::ListingOrders { read, total })
        })
        .await?;
    let future_orders: Vec<FutureOrder> = listed
        .iter()
        .filter(|o| o.creation_date > now)
        .map(|o| FutureOrder {
            order_id: o.id.clone(),
            creation_date: time_text(o.creation_date),
        })
        .collect();
    if !future_orders.is_empty() {
        tracing::warn!(
            orders = ?future_orders.iter().map(|o| format!("{} {}", o.order_id, o.creation_date)).collect::<Vec<_>>(),
            "orders dated after the check started"
        );
    }
    // The next check starts at the newest order listed, never after this check's start, and
    // never after an order that could not be read (so that it is read again).
    let mut next_watermark = listed
        .iter()
        .map(|o| o.creation_date)
        .max()
        .map_or(from, |newest| newest.min(ceiling))
        .max(from);
    if let Some(reread) = reread_from {
        next_watermark = next_watermark.min(reread.max(from));
    }

    // Orders that were not completed last time are looked at again, wherever they fall.
    let listed_ids: HashSet<String> = listed.iter().map(|o| o.id.clone()).collect();
    let unfinished: Vec<String> = store
        .call(|c| marketplace::unfinished_order_ids(c))
        .await?
        .into_iter()
        .filter(|id| !listed_ids.contains(id))
        .collect();
    let mut prefetched: HashMap<String, Order> = HashMap::new();
    let mut candidates: Vec<OrderSummary> = listed;
    for id in unfinished {
        match client.order(&id).await {
            Ok(order) => {
                candidates.push(order.summary());
                prefetched.insert(order.id.clone(), order);
            }
            // An order the marketplace no longer knows is not worth failing the check for.
            Err(Error::NotFound(_)) => {
                store
                    .call(move |c| marketplace::remove_skipped(c, &id))
                    .await?;
            }
            Err(e) => return Err(e),
        }
    }

    // Which orders already have a task.
    let ids: Vec<String> = candidates.iter().map(|o| o.id.clone()).collect();
    let known: HashSet<String> = store
        .call(move |c| {
            let mut known = HashSet::new();
            for id in ids {
                if tasks::exists_for_order(c, &id)? {
                    known.insert(id);
                }
            }
            Ok(known)
        })
        .await?;

    let mut skipped: BTreeMap<SkipReason, u32> = BTreeMap::new();
    let mut to_skip: Vec<(OrderSummary, SkipReason)> = Vec::new();
    let mut new_orders: Vec<OrderSummary> = Vec::new();
    let mut already_known = 0u32;
    for order in &candidates {
        if known.contains(&order.id) {
            already_known += 1;
        } else if let Some(reason) = SkipReason::for_order(&order.order_type, &order.status) {
            *skipped.entry(reason).or_default() += 1;
            to_skip.push((order.clone(), reason));
        } else {
            new_orders.push(order.clone());
        }
    }
    let stamp = time_text(now);
    {
        let stamp = stamp.clone();
        store
            .call(move |c| {
                let tx = c.transaction()?;
                for (order, reason) in &to_skip {
                    marketplace::put_skipped(&tx, order, *reason, &stamp)?;
                }
                tx.commit()?;
                Ok(())
            })
            .await?;
    }

    // Fetch the details of the new orders, a few at a time, and store them in batches.
    let total_new = new_orders.len() as u32;
    let customers: Memo<Customer> = Memo::new();
    let subscriptions: Memo<Subscription> = Memo::new();
    let prefetched = Mutex::new(prefetched);
    let mut created = 0u32;
    let mut done = 0u32;
    progress(CheckProgress::ReadingOrders {
        done,
        total: total_new,
        tasks_created: created,
    });
    let mut fetched = stream::iter(new_orders)
        .map(|summary| {
            let customers = &customers;
            let subscriptions = &subscriptions;
            let prefetched = &prefetched;
            async move {
                let known = prefetched.lock().await.remove(&summary.id);
                let order = match known {
                    Some(o) => o,
                    None => client.order(&summary.id).await?,
                };
                let customer = customers
                    .get(&order.customer_id, || client.customer(&order.customer_id))
                    .await?;
                let mut subs = Vec::new();
                let mut seen = HashSet::new();
                for id in order
                    .products
                    .iter()
                    .filter_map(|p| p.subscription_id.as_deref())
                {
                    if seen.insert(id.to_owned()) {
                        subs.push(subscriptions.get(id, || client.subscription(id)).await?);
                    }
                }
                Ok::<_, Error>(Fetched {
                    order,
                    customer,
                    subscriptions: subs,
                })
            }
        })
        .buffer_unordered(options.concurrency.max(1))
        .try_chunks(options.batch.max(1));
    while let Some(batch) = fetched.try_next().await.map_err(|e| e.1)? {
        done += batch.len() as u32;
        let stamp = stamp.clone();
        created += store.call(move |c| store_batch(c, &batch, &stamp)).await?;
        progress(CheckProgress::ReadingOrders {
            done,
            total: total_new,
            tasks_created: created,
        });
    }

    // The ConnectWise side: a failure here does not undo the tasks; the summary says so.
    let mut unreadable = unreadable_orders;
    let connectwise_error = match connectwise {
        Some(cw) => match refresh_connectwise(cw, store, &stamp).await {
            Ok(refreshed) => {
                unreadable.extend(refreshed.unreadable);
                None
            }
            Err(e) => {
                tracing::warn!("ConnectWise data not refreshed: {e}");
                Some(e.to_string())
            }
        },
        None => None,
    };

    let summary = CheckSummary {
        orders_read: candidates.len() as u32,
        tasks_created: created,
        already_known,
        skipped: skipped
            .into_iter()
            .map(|(reason, count)| SkipCount {
                reason,
                label: reason.label().to_owned(),
                count,
            })
            .collect(),
        from: time_text(from),
        finished_at: stamp.clone(),
        connectwise_error,
        future_orders,
        unreadable,
    };
    {
        let summary = summary.clone();
        store
            .call(move |c| {
                let tx = c.transaction()?;
                settings::set(&tx, settings::ORDERS_WATERMARK, &time_text(next_watermark))?;
                settings::set(&tx, settings::LAST_CHECKED_AT, &summary.finished_at)?;
                checks::record(&tx, &summary)?;
                tx.commit()?;
                Ok(())
            })
            .await?;
    }
    progress(CheckProgress::Finished {
        summary: summary.clone(),
    });
    tracing::info!(
        orders_read = summary.orders_read,
        tasks_created = summary.tasks_created,
        already_known = summary.already_known,
        future_orders = summary.future_orders.len(),
        left_out = summary.unreadable.len(),
        from = %summary.from,
        "check changes finished"
    );
    Ok(summary)
}

/// Writes one batch of new orders and their tasks in one transaction; returns how many were new.
fn store_batch(conn: &mut rusqlite::Connection, batch: &[Fetched], now: &str) -> Result<u32> {
    let tx = conn.transaction()?;
    let mut created = 0;
    for f in batch {
        marketplace::put_order(&tx, &f.order, now)?;
        marketplace::put_customer(&tx, &f.customer, now)?;
        for s in &f.subscriptions {
            marketplace::put_subscription(&tx, s, now)?;
        }
        marketplace::remove_skipped(&tx, &f.order.id)?;
        if tasks::insert(&tx, &new_task(f)?, now)? {
            created += 1;
        }
    }
    tx.commit()?;
    Ok(created)
}

fn new_task(f: &Fetched) -> Result<tasks::NewTask> {
    let order = &f.order;
    let task_type =
        TaskType::from_order_type(&order.order_type).ok_or_else(|| Error::BadResponse {
            service: crate::error::Service::Marketplace,
            what: format!("order {}", order.id),
            reason: format!("unexpected order type {:?}", order.order_type),
        })?;
    let subscription_id = order
        .products
        .iter()
        .find_map(|p| p.subscription_id.clone())
        .unwrap_or_default();
    let subscription_name = f
        .subscriptions
        .iter()
        .find(|s| s.id == subscription_id)
        .and_then(|s| s.products.first())
        .map(|p| p.name.clone())
        .filter(|n| !n.is_empty())
        .or_else(|| order.products.first().map(|p| p.name.clone()))
        .unwrap_or_default();
    let prices: Vec<_> = order
        .products
        .iter()
        .filter_map(|p| p.extended_price.as_ref())
        .collect();
    let currency = prices
        .first()
        .map(|m| m.currency.clone())
        .unwrap_or_default();
    let amount = if prices.is_empty() {
        String::new()
    } else {
        prices.iter().map(|m| m.amount).sum::<Decimal>().to_string()
    };
    Ok(tasks::NewTask {
        order_id: order.id.clone(),
        task_type,
        order_date: time_text(order.creation_date),
        customer_id: order.customer_id.clone(),
        customer_name: f.customer.name.clone(),
        subscription_id,
        subscription_name,
        amount,
        currency,
    })
}
