//! Check Changes (SPEC §2.2, §3): read the marketplace orders created since the last check, turn
//! each relevant one into a task exactly once, and cache what the tasks need.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use futures::stream::{self, StreamExt, TryStreamExt};
use rust_decimal::Decimal;
use tokio::sync::{Mutex, OnceCell};

use crate::check::refresh_connectwise::{complete, prepare};
use crate::check::{CheckProgress, CheckSummary, FutureOrder, SkipCount, UnreadableRecord};
use crate::connectwise::ConnectWiseClient;
use crate::error::{Error, Result};
use crate::marketplace::wire::{Customer, Order, OrderSummary, Subscription};
use crate::marketplace::{MarketplaceClient, OrderList};
use crate::store::{checks, marketplace, parse_time, settings, tasks, time_text, Store};
use crate::task::{OrderAmounts, SkipReason, TaskType};

/// How far before its own start a check's watermark is set: orders that show up in the list a
/// little late are still read (order ids dedupe, so reading one twice is harmless).
pub const WATERMARK_OVERLAP: Duration = Duration::minutes(5);

pub use crate::context::CheckOptions;

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
    let from = window_start(store, options, now).await?;
    let stamp = time_text(now);

    // The ConnectWise lists do not wait for the orders: they are read meanwhile (a failure there
    // does not undo the tasks; the summary says so), and completed for the new tasks after.
    let connectwise_lists = async {
        Ok(match connectwise {
            Some(cw) => Some(prepare(cw, store, &stamp, options.connectwise_whole).await),
            None => None,
        })
    };
    let (read, prepared) = tokio::try_join!(
        read_orders(client, store, options, from, now, &stamp, progress),
        connectwise_lists
    )?;
    let ReadOrders {
        orders_read,
        created,
        sorted,
        future_orders,
        next_watermark,
        unreadable: unreadable_orders,
    } = read;

    let mut unreadable = unreadable_orders;
    let refreshed = match (connectwise, prepared) {
        (Some(cw), Some(Ok(prepared))) => Some(complete(cw, store, prepared).await),
        (_, Some(Err(e))) => Some(Err(e)),
        _ => None,
    };
    let (connectwise_error, connectwise_refused) = match refreshed {
        Some(Ok(refreshed)) => {
            unreadable.extend(refreshed.unreadable);
            (None, false)
        }
        Some(Err(e)) => {
            tracing::warn!("ConnectWise data not refreshed: {e}");
            (Some(e.to_string()), matches!(e, Error::Unauthorized { .. }))
        }
        None => (None, false),
    };

    let summary = CheckSummary {
        orders_read,
        tasks_created: created,
        already_known: sorted.already_known,
        skipped: sorted
            .skipped
            .into_iter()
            .map(|(reason, count)| SkipCount {
                reason,
                label: reason.label().to_owned(),
                count,
            })
            .collect(),
        from: time_text(from),
        finished_at: stamp,
        connectwise_error,
        connectwise_refused,
        future_orders,
        unreadable,
    };
    finish(store, &summary, next_watermark).await?;
    progress(CheckProgress::Finished {
        summary: summary.clone(),
    });
    Ok(summary)
}

/// What the marketplace side of a check read and stored.
struct ReadOrders {
    orders_read: u32,
    created: u32,
    sorted: Sorted,
    future_orders: Vec<FutureOrder>,
    next_watermark: DateTime<Utc>,
    unreadable: Vec<UnreadableRecord>,
}

/// Lists the orders since `from` while the orders not completed last time are read again, sorts
/// them, and stores the new ones with their tasks.
async fn read_orders(
    client: &MarketplaceClient,
    store: &Store,
    options: &CheckOptions,
    from: DateTime<Utc>,
    now: DateTime<Utc>,
    stamp: &str,
    progress: &(dyn Fn(CheckProgress) + Send + Sync),
) -> Result<ReadOrders> {
    progress(CheckProgress::ListingOrders { read: 0, total: 0 });
    let listing = client.orders_since(from, |read, total| {
        progress(CheckProgress::ListingOrders { read, total })
    });
    let (
        OrderList {
            orders: listed,
            unreadable,
            reread_from,
        },
        unfinished,
    ) = tokio::try_join!(listing, read_unfinished(client, store))?;
    let future_orders = future_orders(&listed, now);
    let next_watermark = next_watermark(&listed, from, now, reread_from);
    let (candidates, prefetched) = with_unfinished(store, listed, unfinished).await?;
    let mut sorted = sort_candidates(store, &candidates, stamp).await?;
    let created = fetch_and_store(
        client,
        store,
        options,
        std::mem::take(&mut sorted.new_orders),
        prefetched,
        stamp,
        progress,
    )
    .await?;
    Ok(ReadOrders {
        orders_read: candidates.len() as u32,
        created,
        sorted,
        future_orders,
        next_watermark,
        unreadable,
    })
}

/// Where this check starts reading: the watermark the last check left, or the first check's
/// window. The watermark is never after this check's start (less the overlap). One that is — left
/// by an older version after an order dated in the future, or by a clock set back — says nothing
/// about what was read: the first check's window is read again (order ids dedupe).
async fn window_start(
    store: &Store,
    options: &CheckOptions,
    now: DateTime<Utc>,
) -> Result<DateTime<Utc>> {
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
    let first_window = now - Duration::days(first_days);
    Ok(match watermark.as_deref().and_then(parse_time) {
        Some(mark) if mark <= now - WATERMARK_OVERLAP => mark,
        Some(mark) => {
            tracing::warn!(
                watermark = %time_text(mark),
                "the order watermark lies after this check's start: reading the first window again"
            );
            first_window
        }
        None => first_window,
    })
}

/// The listed orders dated after the check started (clock skew or a bad record at the
/// marketplace): they become tasks, and the summary names them.
fn future_orders(listed: &[OrderSummary], now: DateTime<Utc>) -> Vec<FutureOrder> {
    let future: Vec<FutureOrder> = listed
        .iter()
        .filter(|o| o.creation_date > now)
        .map(|o| FutureOrder {
            order_id: o.id.clone(),
            creation_date: time_text(o.creation_date),
        })
        .collect();
    if !future.is_empty() {
        tracing::warn!(
            orders = ?future.iter().map(|o| format!("{} {}", o.order_id, o.creation_date)).collect::<Vec<_>>(),
            "orders dated after the check started"
        );
    }
    future
}

/// Where the next check starts: the newest order listed, never after this check's start (less
/// the overlap), and never after an order that could not be read (so that it is read again).
fn next_watermark(
    listed: &[OrderSummary],
    from: DateTime<Utc>,
    now: DateTime<Utc>,
    reread_from: Option<DateTime<Utc>>,
) -> DateTime<Utc> {
    let ceiling = now - WATERMARK_OVERLAP;
    let newest = listed
        .iter()
        .map(|o| o.creation_date)
        .max()
        .map_or(from, |newest| newest.min(ceiling))
        .max(from);
    match reread_from {
        Some(reread) => newest.min(reread.max(from)),
        None => newest,
    }
}

/// The orders not completed last time, read again (`None`: the marketplace no longer knows it).
async fn read_unfinished(
    client: &MarketplaceClient,
    store: &Store,
) -> Result<Vec<(String, Option<Order>)>> {
    let unfinished: Vec<String> = store.call(|c| marketplace::unfinished_order_ids(c)).await?;
    // A reseller may have hundreds of orders not completed yet: they are read while the list is.
    stream::iter(unfinished)
        .map(|id| async move {
            match client.order(&id).await {
                Ok(order) => Ok((id, Some(order))),
                // An order the marketplace no longer knows is not worth failing the check for.
                Err(Error::NotFound(_)) => Ok((id, None)),
                Err(e) => Err(e),
            }
        })
        // The client's limiter decides how many run at once.
        .buffer_unordered(client.limiter().ceiling())
        .try_collect()
        .await
}

/// The listed orders and those not completed last time (looked at again wherever they fall),
/// with the details already read of the latter.
async fn with_unfinished(
    store: &Store,
    listed: Vec<OrderSummary>,
    unfinished: Vec<(String, Option<Order>)>,
) -> Result<(Vec<OrderSummary>, HashMap<String, Order>)> {
    let listed_ids: HashSet<String> = listed.iter().map(|o| o.id.clone()).collect();
    let mut prefetched: HashMap<String, Order> = HashMap::new();
    let mut candidates = listed;
    let mut gone = Vec::new();
    for (id, order) in unfinished {
        match order {
            Some(order) => {
                if !listed_ids.contains(&order.id) {
                    candidates.push(order.summary());
                }
                prefetched.insert(order.id.clone(), order);
            }
            None if listed_ids.contains(&id) => {}
            None => gone.push(id),
        }
    }
    if !gone.is_empty() {
        store
            .call(move |c| {
                for id in &gone {
                    marketplace::remove_skipped(c, id)?;
                }
                Ok(())
            })
            .await?;
    }
    Ok((candidates, prefetched))
}

/// The candidates sorted: already a task, skipped (and why), or new.
struct Sorted {
    already_known: u32,
    skipped: BTreeMap<SkipReason, u32>,
    new_orders: Vec<OrderSummary>,
}

/// Sorts the candidates and records the skipped ones (so that an order not completed yet is
/// looked at again next time).
async fn sort_candidates(
    store: &Store,
    candidates: &[OrderSummary],
    stamp: &str,
) -> Result<Sorted> {
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

    let mut sorted = Sorted {
        already_known: 0,
        skipped: BTreeMap::new(),
        new_orders: Vec::new(),
    };
    let mut to_skip: Vec<(OrderSummary, SkipReason)> = Vec::new();
    for order in candidates {
        if known.contains(&order.id) {
            sorted.already_known += 1;
        } else if let Some(reason) = SkipReason::for_order(&order.order_type, &order.status) {
            *sorted.skipped.entry(reason).or_default() += 1;
            to_skip.push((order.clone(), reason));
        } else {
            sorted.new_orders.push(order.clone());
        }
    }
    let stamp = stamp.to_owned();
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
    Ok(sorted)
}

/// Fetches the details of the new orders, a few at a time, and stores them and their tasks in
/// batches (the list refreshes per batch). Returns how many tasks were created.
async fn fetch_and_store(
    client: &MarketplaceClient,
    store: &Store,
    options: &CheckOptions,
    new_orders: Vec<OrderSummary>,
    prefetched: HashMap<String, Order>,
    stamp: &str,
    progress: &(dyn Fn(CheckProgress) + Send + Sync),
) -> Result<u32> {
    let total = new_orders.len() as u32;
    let customers: Memo<Customer> = Memo::new();
    let subscriptions: Memo<Subscription> = Memo::new();
    let prefetched = Mutex::new(prefetched);
    let (mut created, mut done) = (0u32, 0u32);
    progress(CheckProgress::ReadingOrders {
        done,
        total,
        tasks_created: created,
    });
    let mut fetched = stream::iter(new_orders)
        .map(|summary| {
            let (customers, subscriptions, prefetched) = (&customers, &subscriptions, &prefetched);
            async move {
                let known = prefetched.lock().await.remove(&summary.id);
                let order = match known {
                    Some(o) => o,
                    None => client.order(&summary.id).await?,
                };
                fetch_details(client, order, customers, subscriptions).await
            }
        })
        .buffer_unordered(client.limiter().ceiling())
        .try_chunks(options.batch.max(1));
    while let Some(batch) = fetched.try_next().await.map_err(|e| e.1)? {
        done += batch.len() as u32;
        let stamp = stamp.to_owned();
        created += store.call(move |c| store_batch(c, &batch, &stamp)).await?;
        progress(CheckProgress::ReadingOrders {
            done,
            total,
            tasks_created: created,
        });
    }
    Ok(created)
}

/// An order's customer and subscriptions, each fetched once per check.
async fn fetch_details(
    client: &MarketplaceClient,
    order: Order,
    customers: &Memo<Customer>,
    subscriptions: &Memo<Subscription>,
) -> Result<Fetched> {
    // The customer and the subscriptions depend only on the order: read them together.
    let mut ids: Vec<&str> = Vec::new();
    for id in order
        .products
        .iter()
        .filter_map(|p| p.subscription_id.as_deref())
    {
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    let customer = customers.get(&order.customer_id, || client.customer(&order.customer_id));
    let subscriptions = futures::future::try_join_all(
        ids.iter()
            .map(|id| subscriptions.get(id, || client.subscription(id))),
    );
    let (customer, subs) = futures::future::try_join(customer, subscriptions).await?;
    Ok(Fetched {
        order,
        customer,
        subscriptions: subs,
    })
}

/// Records the check: the next watermark, when it finished, and its summary, in one go.
async fn finish(
    store: &Store,
    summary: &CheckSummary,
    next_watermark: DateTime<Utc>,
) -> Result<()> {
    let summary_for_store = summary.clone();
    store
        .call(move |c| {
            let tx = c.transaction()?;
            settings::set(&tx, settings::ORDERS_WATERMARK, &time_text(next_watermark))?;
            settings::set(
                &tx,
                settings::LAST_CHECKED_AT,
                &summary_for_store.finished_at,
            )?;
            checks::record(&tx, &summary_for_store)?;
            tx.commit()?;
            Ok(())
        })
        .await?;
    tracing::info!(
        orders_read = summary.orders_read,
        tasks_created = summary.tasks_created,
        already_known = summary.already_known,
        future_orders = summary.future_orders.len(),
        left_out = summary.unreadable.len(),
        from = %summary.from,
        "check changes finished"
    );
    Ok(())
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
    // A Billing Order is named by the products it bills (usage over the included amount), not
    // by one whose usage is within it.
    let billing = (task_type == TaskType::BillingOrder)
        .then(|| crate::task::billing_products(order, &f.subscriptions))
        .flatten();
    let subscription_name = billing
        .or_else(|| {
            f.subscriptions
                .iter()
                .find(|s| s.id == subscription_id)
                .and_then(|s| s.products.first())
                .map(|p| p.name.clone())
                .filter(|n| !n.is_empty())
        })
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
        amounts: OrderAmounts::of(task_type, order, &f.subscriptions),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        parse_time(text).unwrap()
    }

    fn listed(dates: &[&str]) -> Vec<OrderSummary> {
        dates
            .iter()
            .enumerate()
            .map(|(i, d)| OrderSummary {
                id: format!("{}", 1000 + i),
                order_type: "change".into(),
                customer_id: "1000048531".into(),
                creation_date: at(d),
                status: "completed".into(),
            })
            .collect()
    }

    #[test]
    fn the_next_watermark_is_the_newest_order_never_past_the_start_nor_an_unread_one() {
        let now = at("2026-11-24T12:00:00Z");
        let from = at("2026-10-25T12:00:00Z");
        let ceiling = now - WATERMARK_OVERLAP;
        let cases: [(&[&str], Option<&str>, DateTime<Utc>); 6] = [
            // Nothing listed: where this check started.
            (&[], None, from),
            // The newest order listed.
            (
                &["2026-11-01T00:00:00Z", "2026-11-20T08:00:00Z"],
                None,
                at("2026-11-20T08:00:00Z"),
            ),
            // An order dated in the future does not carry the watermark past the start.
            (
                &["2026-11-20T08:00:00Z", "9999-12-31T00:00:00Z"],
                None,
                ceiling,
            ),
            // An order within the overlap: the ceiling.
            (&["2026-11-24T11:58:00Z"], None, ceiling),
            // An order that could not be read holds the watermark back to it.
            (
                &["2026-11-20T08:00:00Z"],
                Some("2026-11-02T00:00:00Z"),
                at("2026-11-02T00:00:00Z"),
            ),
            // ... but never before where this check started.
            (
                &["2026-11-20T08:00:00Z"],
                Some("2026-01-01T00:00:00Z"),
                from,
            ),
        ];
        for (dates, reread, want) in cases {
            let got = next_watermark(&listed(dates), from, now, reread.map(at));
            assert_eq!(got, want, "{dates:?} reread {reread:?}");
        }
    }

    #[test]
    fn orders_dated_after_the_start_are_named() {
        let now = at("2026-11-24T12:00:00Z");
        let future = future_orders(
            &listed(&["2026-11-20T08:00:00Z", "9999-12-31T00:00:00Z"]),
            now,
        );
        assert_eq!(
            future,
            vec![FutureOrder {
                order_id: "1001".into(),
                creation_date: "9999-12-31T00:00:00Z".into()
            }]
        );
    }
}
