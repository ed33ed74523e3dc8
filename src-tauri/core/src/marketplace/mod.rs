//! Cloud Marketplace API client (SPEC §10): token auth with refresh, order paging, details.

pub mod wire;

use std::time::{Duration, Instant};

use base64::Engine;
use chrono::{DateTime, SecondsFormat, Utc};
use futures::stream::{self, StreamExt, TryStreamExt};
use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use tokio::sync::Mutex;
use url::Url;

use crate::concurrency::{Concurrency, Limiter};
use crate::error::{Error, Result, Service};
use crate::http::{self, RetryPolicy, Timeouts};
use crate::reading::UnreadableRecord;
use crate::reading::{self, Answer, Listed};
use crate::secret::Secret;
use wire::{CreationDate, Customer, Order, OrderSummary, Page, Pagination, Subscription, Token};

const SERVICE: Service = Service::Marketplace;
/// The largest page the marketplace serves.
pub const PAGE_LIMIT: u32 = 100;
/// Refresh a token this long before it expires.
const TOKEN_MARGIN: Duration = Duration::from_secs(60);

/// Where and as whom to connect.
#[derive(Debug, Clone)]
pub struct MarketplaceConfig {
    /// `https://api.cloud.im/marketplace/us/` or any full base URL.
    pub base_url: String,
    pub username: String,
    pub password: Secret,
    pub subscription_key: Secret,
}

impl MarketplaceConfig {
    /// The base URL for a marketplace code (`us`, `eu`, `uk`, ...) or a full URL given as is.
    pub fn base_url_for(code_or_url: &str) -> String {
        let v = code_or_url.trim();
        if v.contains("://") {
            v.to_owned()
        } else {
            format!(
                "https://api.cloud.im/marketplace/{}/",
                v.to_ascii_lowercase()
            )
        }
    }
}

struct CachedToken {
    value: Secret,
    expires_at: Instant,
}

pub struct MarketplaceClient {
    http: reqwest::Client,
    base: Url,
    username: String,
    password: Secret,
    subscription_key: Secret,
    token: Mutex<Option<CachedToken>>,
    retry: RetryPolicy,
    /// How many reads run at once.
    limiter: Limiter,
    /// What every answer said about the marketplace, and the token's lifetime (SPEC §18).
    health: crate::health::HealthLog,
}

impl MarketplaceClient {
    pub fn new(config: &MarketplaceConfig) -> Result<Self> {
        Self::with_options(config, Timeouts::default(), RetryPolicy::default())
    }

    pub fn with_options(
        config: &MarketplaceConfig,
        timeouts: Timeouts,
        retry: RetryPolicy,
    ) -> Result<Self> {
        Ok(MarketplaceClient {
            http: http::client(timeouts)?,
            base: http::checked_base_url(SERVICE, &config.base_url)?,
            username: config.username.clone(),
            password: config.password.clone(),
            subscription_key: config.subscription_key.clone(),
            token: Mutex::new(None),
            retry,
            limiter: Limiter::new(Concurrency::default()),
            health: crate::health::HealthLog::new(SERVICE),
        })
    }

    /// Sets how many reads may run at once (it adapts between 1 and the ceiling).
    pub fn with_concurrency(mut self, concurrency: Concurrency) -> Self {
        self.limiter = Limiter::new(concurrency);
        self
    }

    /// The limiter of this client's reads.
    pub fn limiter(&self) -> &Limiter {
        &self.limiter
    }

    /// What its answers said about the marketplace, and the token's lifetime.
    pub fn health(&self) -> &crate::health::HealthLog {
        &self.health
    }

    pub fn base_url(&self) -> &Url {
        &self.base
    }

    fn url(&self, path: &str) -> Result<Url> {
        self.base
            .join(path)
            .map_err(|e| Error::Config(format!("bad marketplace path {path}: {e}")))
    }

    /// Obtains a fresh token (`POST /token`). Also the cheapest way to test the connection.
    pub async fn authenticate(&self) -> Result<()> {
        let mut slot = self.token.lock().await;
        *slot = Some(self.fetch_token().await?);
        Ok(())
    }

    async fn fetch_token(&self) -> Result<CachedToken> {
        let result = self.fetch_token_unnoted().await;
        self.health.observe(&result);
        result
    }

    async fn fetch_token_unnoted(&self) -> Result<CachedToken> {
        let url = self.url("token")?;
        let basic = base64::engine::general_purpose::STANDARD.encode(format!(
            "{}:{}",
            self.username,
            self.password.expose()
        ));
        let response = self
            .http
            .post(url.clone())
            .header("Authorization", format!("Basic {basic}"))
            .header("X-Subscription-Key", self.subscription_key.expose())
            .header("Accept", "application/json")
            .send()
            .await
            .map_err(|e| http::transport_error(SERVICE, &url, &e))?;
        let token: Token = read_body(&url, response, "sign-in").await?;
        if token.token.is_empty() {
            return Err(Error::BadResponse {
                service: SERVICE,
                what: "sign-in".into(),
                reason: "the token is empty".into(),
            });
        }
        self.health
            .token_issued(Duration::from_secs(token.expires_in_seconds));
        Ok(CachedToken {
            value: Secret::new(token.token),
            expires_at: Instant::now() + Duration::from_secs(token.expires_in_seconds),
        })
    }

    /// The current token, refreshed when it is about to expire (or when `force`).
    async fn bearer(&self, force: bool) -> Result<Secret> {
        let mut slot = self.token.lock().await;
        let fresh = slot
            .as_ref()
            .is_some_and(|t| t.expires_at > Instant::now() + TOKEN_MARGIN);
        if force || !fresh {
            *slot = Some(self.fetch_token().await?);
        }
        Ok(slot
            .as_ref()
            .map(|t| t.value.clone())
            .unwrap_or_else(|| Secret::new("")))
    }

    /// GET with bearer auth: a 401 refreshes the token once; transient failures are retried
    /// (reads are idempotent).
    async fn get<T: DeserializeOwned>(
        &self,
        path: &str,
        query: &[(&str, String)],
        what: &str,
    ) -> Result<T> {
        let url = self.url(path)?;
        let mut refreshed = false;
        loop {
            let token = self.bearer(refreshed).await?;
            let response = http::send_read(SERVICE, &self.retry, Some(&self.limiter), &url, || {
                self.http
                    .request(Method::GET, url.clone())
                    .query(query)
                    .bearer_auth(token.expose())
                    .header("X-Subscription-Key", self.subscription_key.expose())
                    .header("Accept", "application/json")
            })
            .await
            .inspect_err(|e| self.health.observe_error(e))?;
            if response.status() == StatusCode::UNAUTHORIZED && !refreshed {
                refreshed = true;
                continue;
            }
            let result = read_body(&url, response, what).await;
            self.health.observe(&result);
            return result;
        }
    }

    /// One page of the order list, each order read on its own (an unreadable one is left out
    /// and named). `from`: only orders created at or after it — which real tenants have been
    /// seen to ignore.
    pub async fn orders_page(
        &self,
        from: Option<DateTime<Utc>>,
        offset: u32,
        limit: u32,
    ) -> Result<PageOfOrders> {
        let mut query = vec![("offset", offset.to_string()), ("limit", limit.to_string())];
        if let Some(from) = from {
            query.push((
                "creationTimeFrom",
                from.to_rfc3339_opts(SecondsFormat::Secs, true),
            ));
        }
        let page: Page<serde_json::Value> = self.get("orders", &query, ORDER_LIST).await?;
        let listed = page.data.len() as u32;
        // Where each unreadable order lies, when at least its date can be read.
        let dates: Vec<Option<DateTime<Utc>>> = page
            .data
            .iter()
            .map(|v| CreationDate::deserialize(v).ok().map(|d| d.creation_date))
            .collect();
        let mut orders = Listed::default();
        let mut unreadable_dates = Vec::new();
        for (value, date) in page.data.into_iter().zip(dates) {
            let one = reading::records::<OrderSummary>(SERVICE, ORDER_LIST, vec![value]);
            if !one.unreadable.is_empty() {
                unreadable_dates.push(date);
            }
            orders.extend(one);
        }
        Ok(PageOfOrders {
            orders,
            unreadable_dates,
            listed,
            pagination: page.pagination,
        })
    }

    /// Every order created at or after `from`, following the pages; `progress(read, total)`.
    ///
    /// The marketplace is not trusted to honour the window: orders created before `from` are
    /// dropped here, and when the list comes newest first, paging stops at the first page that
    /// reaches past `from` (everything after it is older).
    pub async fn orders_since(
        &self,
        from: DateTime<Utc>,
        mut progress: impl FnMut(u32, u32),
    ) -> Result<OrderList> {
        let mut listing = Listing::new(from);
        let first = self.orders_page(Some(from), 0, PAGE_LIMIT).await?;
        if listing.take(first, &mut progress) {
            return Ok(listing.list);
        }
        if !listing.order.is_newest_first() {
            // The total is known and the list may hold the window anywhere: the other pages are
            // read ahead, a few at a time (the limiter decides), and taken in order.
            let offsets: Vec<u32> = (listing.offset..listing.total)
                .step_by(PAGE_LIMIT as usize)
                .collect();
            let mut pages = stream::iter(offsets)
                .map(|offset| self.orders_page(Some(from), offset, PAGE_LIMIT))
                .buffered(self.limiter.ceiling());
            while let Some(page) = pages.try_next().await? {
                if listing.take(page, &mut progress) {
                    return Ok(listing.list);
                }
            }
        }
        // Newest first: the list may go on past the window's start (a tenant that ignores
        // `creationTimeFrom`), so pages are read ahead in growing runs — 2, 4, 8, ... up to the
        // ceiling — taken in order, stopping at the first page past the window. What is read
        // past it is at most one run, never more than was read before it. Pages that shifted
        // while they were read are followed the same way to the end.
        let mut run = 2usize;
        loop {
            let offsets: Vec<u32> = (0..run as u32)
                .map(|i| listing.offset + i * PAGE_LIMIT)
                .take_while(|offset| *offset < listing.total.max(listing.offset + 1))
                .collect();
            let mut pages = stream::iter(offsets)
                .map(|offset| self.orders_page(Some(from), offset, PAGE_LIMIT))
                .buffered(run);
            while let Some(page) = pages.try_next().await? {
                let short = page.listed < PAGE_LIMIT;
                if listing.take(page, &mut progress) {
                    return Ok(listing.list);
                }
                if short {
                    // A short page before the end: the run's later offsets no longer follow it.
                    break;
                }
            }
            run = (run * 2).min(self.limiter.ceiling().max(1));
        }
    }

    /// One page of the subscription list (`GET /subscriptions`), of one customer or of all,
    /// in one status (or several, separated by commas) or any; each subscription read on its own
    /// (an unreadable one is left out and named).
    pub async fn subscriptions_page(
        &self,
        customer_id: Option<&str>,
        status: Option<&str>,
        offset: u32,
        limit: u32,
    ) -> Result<PageOfSubscriptions> {
        let mut query = vec![("offset", offset.to_string()), ("limit", limit.to_string())];
        if let Some(id) = customer_id {
            query.push(("customerId", id.to_owned()));
        }
        if let Some(status) = status {
            query.push(("status", status.to_owned()));
        }
        let list = match customer_id {
            Some(id) => format!("subscriptions of customer {id}"),
            None => SUBSCRIPTION_LIST.to_owned(),
        };
        let page: Page<serde_json::Value> = self.get("subscriptions", &query, &list).await?;
        let listed = page.data.len() as u32;
        Ok(PageOfSubscriptions {
            subscriptions: reading::records(SERVICE, &list, page.data),
            listed,
            pagination: page.pagination,
        })
    }

    /// Every subscription of a customer, whatever its status: the first page says how many
    /// there are, and the others are read ahead together (the limiter decides how many at once).
    /// A subscription listed twice (pages shift while they are read) is taken once.
    pub async fn subscriptions_of_customer(
        &self,
        customer_id: &str,
    ) -> Result<Listed<Subscription>> {
        let first = self
            .subscriptions_page(Some(customer_id), None, 0, PAGE_LIMIT)
            .await?;
        let total = first.pagination.total;
        let mut read = first.listed;
        let mut out = first.subscriptions;
        if read > 0 && read < total {
            let offsets: Vec<u32> = (read..total).step_by(PAGE_LIMIT as usize).collect();
            let mut pages = stream::iter(offsets)
                .map(|offset| self.subscriptions_page(Some(customer_id), None, offset, PAGE_LIMIT))
                .buffered(self.limiter.ceiling());
            while let Some(page) = pages.try_next().await? {
                read += page.listed;
                out.extend(page.subscriptions);
            }
        }
        let mut seen = std::collections::HashSet::new();
        out.rows.retain(|s| seen.insert(s.id.clone()));
        tracing::debug!(customer_id, read, total, "subscriptions read");
        Ok(out)
    }

    /// The subscriptions of each customer (active, cancelled, suspended and the rest: Reconcile
    /// keeps what it compares), customers read together through the limiter;
    /// `progress(customers read, customers)`. The answer follows `customer_ids`' order.
    pub async fn subscriptions_of(
        &self,
        customer_ids: &[String],
        progress: &(dyn Fn(u32, u32) + Send + Sync),
    ) -> Result<Vec<(String, Listed<Subscription>)>> {
        let total = customer_ids.len() as u32;
        progress(0, total);
        let done = std::sync::atomic::AtomicU32::new(0);
        let mut read: Vec<(usize, Listed<Subscription>)> =
            stream::iter(customer_ids.iter().cloned().enumerate())
                .map(|(i, id)| {
                    let done = &done;
                    async move {
                        let listed = self.subscriptions_of_customer(&id).await?;
                        let n = done.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
                        progress(n, total);
                        Ok::<_, Error>((i, listed))
                    }
                })
                .buffer_unordered(self.limiter.ceiling())
                .try_collect()
                .await?;
        read.sort_by_key(|(i, _)| *i);
        Ok(read
            .into_iter()
            .filter_map(|(i, listed)| customer_ids.get(i).map(|id| (id.clone(), listed)))
            .collect())
    }

    /// The whole subscription list, of every customer and in any status (a new profile's first
    /// reconcile: the customers are not known yet); `progress(subscriptions read, listed)`. The
    /// first page says how many there are, and the others are read ahead together. A
    /// subscription listed twice (pages shift while they are read) is taken once.
    pub async fn all_subscriptions(
        &self,
        progress: &(dyn Fn(u32, u32) + Send + Sync),
    ) -> Result<Listed<Subscription>> {
        let first = self.subscriptions_page(None, None, 0, PAGE_LIMIT).await?;
        let total = first.pagination.total;
        let mut read = first.listed;
        progress(read.min(total), total);
        let mut out = first.subscriptions;
        if read > 0 && read < total {
            let offsets: Vec<u32> = (read..total).step_by(PAGE_LIMIT as usize).collect();
            let mut pages = stream::iter(offsets)
                .map(|offset| self.subscriptions_page(None, None, offset, PAGE_LIMIT))
                .buffered(self.limiter.ceiling());
            while let Some(page) = pages.try_next().await? {
                read += page.listed;
                progress(read.min(total), total);
                out.extend(page.subscriptions);
            }
        }
        let mut seen = std::collections::HashSet::new();
        out.rows.retain(|s| seen.insert(s.id.clone()));
        tracing::debug!(read, total, "whole subscription list read");
        Ok(out)
    }

    /// The first order listed (any date), for Test connection: read as Check Changes reads the
    /// list.
    pub async fn first_order(&self) -> Result<Option<OrderSummary>> {
        let page = self.orders_page(None, 0, 1).await?;
        Ok(page.orders.all()?.into_iter().next())
    }

    pub async fn order(&self, id: &str) -> Result<Order> {
        self.get(
            &format!("orders/{}", segment(id)),
            &[],
            &format!("order {id}"),
        )
        .await
    }

    pub async fn subscription(&self, id: &str) -> Result<Subscription> {
        self.get(
            &format!("subscriptions/{}", segment(id)),
            &[],
            &format!("subscription {id}"),
        )
        .await
    }

    pub async fn customer(&self, id: &str) -> Result<Customer> {
        self.get(
            &format!("customers/{}", segment(id)),
            &[],
            &format!("customer {id}"),
        )
        .await
    }
}

const ORDER_LIST: &str = "order list";
const SUBSCRIPTION_LIST: &str = "subscription list";

/// One page of the subscription list as read.
#[derive(Debug, Clone)]
pub struct PageOfSubscriptions {
    /// The subscriptions that could be read, in the order listed, and those that could not.
    pub subscriptions: Listed<Subscription>,
    /// How many records the page held.
    pub listed: u32,
    pub pagination: Pagination,
}

/// One page of the order list as read.
#[derive(Debug, Clone)]
pub struct PageOfOrders {
    /// The orders that could be read, in the order listed, and those that could not.
    pub orders: Listed<OrderSummary>,
    /// The creation date of each unreadable order (as `orders.unreadable`), when at least that
    /// could be read.
    pub unreadable_dates: Vec<Option<DateTime<Utc>>>,
    /// How many records the page held.
    pub listed: u32,
    pub pagination: Pagination,
}

/// The orders of a window.
#[derive(Debug, Clone, Default)]
pub struct OrderList {
    /// Each order created in the window, once.
    pub orders: Vec<OrderSummary>,
    /// Orders of the window that could not be read: left out, each named.
    pub unreadable: Vec<UnreadableRecord>,
    /// When orders could not be read: where the next check must start at the latest to read
    /// them again (the earliest of their dates; the window's start when a date is unknown).
    pub reread_from: Option<DateTime<Utc>>,
}

/// The order list as it is read, page after page.
struct Listing {
    from: DateTime<Utc>,
    list: OrderList,
    seen: std::collections::HashSet<String>,
    order: ListingOrder,
    /// Records listed so far (where the next page starts).
    offset: u32,
    /// The list's length, as its last page said.
    total: u32,
}

impl Listing {
    fn new(from: DateTime<Utc>) -> Self {
        Listing {
            from,
            list: OrderList::default(),
            seen: std::collections::HashSet::new(),
            order: ListingOrder::default(),
            offset: 0,
            total: 0,
        }
    }

    /// Takes the next page; whether the list is read to its end (or past the window's start, in
    /// a list that comes newest first).
    fn take(&mut self, page: PageOfOrders, progress: &mut impl FnMut(u32, u32)) -> bool {
        let from = self.from;
        let mut reached_past = false;
        for o in page.orders.rows {
            self.order.note(o.creation_date);
            if o.creation_date < from {
                reached_past = true;
                continue;
            }
            // Pages can shift while new orders arrive; an order is taken once.
            if self.seen.insert(o.id.clone()) {
                self.list.orders.push(o);
            }
        }
        for (record, date) in page
            .orders
            .unreadable
            .into_iter()
            .zip(page.unreadable_dates)
        {
            match date {
                Some(d) if d < from => reached_past = true,
                Some(d) => {
                    self.list.reread_from = Some(self.list.reread_from.map_or(d, |r| r.min(d)));
                    self.list.unreadable.push(record);
                }
                None => {
                    self.list.reread_from = Some(from);
                    self.list.unreadable.push(record);
                }
            }
        }
        self.offset += page.listed;
        self.total = page.pagination.total;
        let (offset, total) = (self.offset, self.total);
        let stop =
            page.listed == 0 || offset >= total || (reached_past && self.order.is_newest_first());
        progress(
            offset.min(total),
            if stop { offset.min(total) } else { total },
        );
        if stop && offset < total {
            tracing::info!(
                listed = offset,
                total,
                "the order list went past the window's start: stopped paging"
            );
        }
        stop
    }
}

/// Whether a list has come newest first so far: every date at or before the one listed before
/// it, and at least one strictly before (equal dates alone prove nothing).
#[derive(Debug, Default)]
struct ListingOrder {
    last: Option<DateTime<Utc>>,
    ascending_seen: bool,
    descending_seen: bool,
}

impl ListingOrder {
    fn note(&mut self, date: DateTime<Utc>) {
        if let Some(last) = self.last {
            if date > last {
                self.ascending_seen = true;
            } else if date < last {
                self.descending_seen = true;
            }
        }
        self.last = Some(date);
    }

    fn is_newest_first(&self) -> bool {
        self.descending_seen && !self.ascending_seen
    }
}

/// An id as one URL path segment.
fn segment(id: &str) -> String {
    url::form_urlencoded::byte_serialize(id.as_bytes()).collect()
}

async fn read_body<T: DeserializeOwned>(
    url: &Url,
    response: reqwest::Response,
    what: &str,
) -> Result<T> {
    let status = response.status();
    let correlation = response
        .headers()
        .get("X-Correlation-ID")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    tracing::debug!(path = url.path(), %status, correlation_id = correlation.as_deref().unwrap_or("-"), "marketplace response");
    let content_type = response
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let bytes = response
        .bytes()
        .await
        .map_err(|e| http::transport_error(SERVICE, url, &e))?;
    if status.is_success() {
        return Answer {
            service: SERVICE,
            what,
            content_type: content_type.as_deref(),
            body: &bytes,
        }
        .one()
        .inspect_err(|_| {
            tracing::warn!(
                path = url.path(),
                correlation_id = correlation.as_deref().unwrap_or("-"),
                "unreadable {what}"
            );
        });
    }
    let body: Option<wire::ApiError> = serde_json::from_slice(&bytes).ok();
    let correlation = body
        .as_ref()
        .and_then(|b| b.correlation_id.clone())
        .or(correlation);
    let mut message = body
        .map(|b| b.message)
        .filter(|m| !m.is_empty())
        .unwrap_or_else(|| status.canonical_reason().unwrap_or("error").to_owned());
    if let Some(id) = &correlation {
        message.push_str(&format!(" (correlation id {id})"));
    }
    tracing::warn!(path = url.path(), %status, correlation_id = correlation.as_deref().unwrap_or("-"), "marketplace error: {message}");
    Err(match status {
        StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => Error::Unauthorized {
            service: SERVICE,
            status: status.as_u16(),
            message,
        },
        StatusCode::NOT_FOUND => {
            Error::NotFound(format!("The marketplace {what} ({})", url.path()))
        }
        _ => Error::Api {
            service: SERVICE,
            status: status.as_u16(),
            message,
        },
    })
}
