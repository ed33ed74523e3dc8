//! Cloud Marketplace API client (SPEC §10): token auth with refresh, order paging, details.

pub mod wire;

use std::time::{Duration, Instant};

use base64::Engine;
use chrono::{DateTime, SecondsFormat, Utc};
use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;
use tokio::sync::Mutex;
use url::Url;

use crate::error::{Error, Result, Service};
use crate::http::{self, RetryPolicy, Timeouts};
use crate::secret::Secret;
use wire::{Customer, Order, OrderSummary, OrdersPage, Subscription, Token};

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
        })
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
        let token: Token = read_body(&url, response, "token").await?;
        if token.token.is_empty() {
            return Err(Error::BadResponse {
                service: SERVICE,
                what: "token".into(),
                reason: "the token is empty".into(),
            });
        }
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
            let response = http::send_read(SERVICE, &self.retry, &url, || {
                self.http
                    .request(Method::GET, url.clone())
                    .query(query)
                    .bearer_auth(token.expose())
                    .header("X-Subscription-Key", self.subscription_key.expose())
                    .header("Accept", "application/json")
            })
            .await?;
            if response.status() == StatusCode::UNAUTHORIZED && !refreshed {
                refreshed = true;
                continue;
            }
            return read_body(&url, response, what).await;
        }
    }

    /// One page of orders created at or after `from`.
    pub async fn orders_page(
        &self,
        from: DateTime<Utc>,
        offset: u32,
        limit: u32,
    ) -> Result<OrdersPage> {
        let query = [
            ("offset", offset.to_string()),
            ("limit", limit.to_string()),
            (
                "creationTimeFrom",
                from.to_rfc3339_opts(SecondsFormat::Secs, true),
            ),
        ];
        self.get("orders", &query, "order list").await
    }

    /// Every order created at or after `from`, following the pages; `progress(read, total)`.
    pub async fn orders_since(
        &self,
        from: DateTime<Utc>,
        mut progress: impl FnMut(u32, u32),
    ) -> Result<Vec<OrderSummary>> {
        let mut orders: Vec<OrderSummary> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        let mut offset = 0;
        loop {
            let page = self.orders_page(from, offset, PAGE_LIMIT).await?;
            let count = page.data.len() as u32;
            for order in page.data {
                // Pages can shift while new orders arrive; an order is taken once.
                if seen.insert(order.id.clone()) {
                    orders.push(order);
                }
            }
            offset += count;
            progress(
                orders.len() as u32,
                page.pagination.total.max(orders.len() as u32),
            );
            if count == 0 || offset >= page.pagination.total {
                break;
            }
        }
        Ok(orders)
    }

    pub async fn order(&self, id: &str) -> Result<Order> {
        self.get(&format!("orders/{}", segment(id)), &[], "order")
            .await
    }

    pub async fn subscription(&self, id: &str) -> Result<Subscription> {
        self.get(
            &format!("subscriptions/{}", segment(id)),
            &[],
            "subscription",
        )
        .await
    }

    pub async fn customer(&self, id: &str) -> Result<Customer> {
        self.get(&format!("customers/{}", segment(id)), &[], "customer")
            .await
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
    let bytes = response
        .bytes()
        .await
        .map_err(|e| http::transport_error(SERVICE, url, &e))?;
    if status.is_success() {
        return serde_json::from_slice(&bytes).map_err(|e| {
            tracing::warn!(
                path = url.path(),
                correlation_id = correlation.as_deref().unwrap_or("-"),
                "unreadable {what}: {e}"
            );
            Error::BadResponse {
                service: SERVICE,
                what: what.to_owned(),
                reason: e.to_string(),
            }
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
