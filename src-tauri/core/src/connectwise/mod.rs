//! ConnectWise Manage REST 3.0 client (SPEC §10): Basic auth with `clientId`, `conditions`,
//! forward-only paging through the `Link` header, clear error messages; and the two writes —
//! create an addition, patch an addition — which say whether a failed write may have happened.

pub mod wire;

use base64::Engine;
use reqwest::header::{HeaderMap, LINK};
use reqwest::StatusCode;
use serde::de::DeserializeOwned;
use url::Url;

use crate::concurrency::{Concurrency, Limiter};
use crate::error::{Error, ErrorField, Result, Service};
use crate::http::{self, RetryPolicy, Timeouts};
use crate::reading::{self, Answer, Listed, Record};
use crate::secret::Secret;
use wire::{
    Addition, Agreement, AgreementRecap, BillingCycle, CatalogItem, Company, CompanyInfo, Currency,
    NewAddition, PatchOp,
};

const SERVICE: Service = Service::ConnectWise;
/// The largest page ConnectWise serves.
pub const PAGE_SIZE: u32 = 1000;
/// The usual codebase when the site does not say.
pub const DEFAULT_CODEBASE: &str = "v4_6_release/";

/// Where and as whom to connect.
#[derive(Debug, Clone)]
pub struct ConnectWiseConfig {
    /// The site host (`api-na.myconnectwise.net`), or a full `https://host` (`http://` only for
    /// loopback).
    pub site: String,
    pub company_id: String,
    pub public_key: Secret,
    pub private_key: Secret,
    pub client_id: String,
    /// `v4_6_release/`; discovered with [`company_info`] when not known.
    pub codebase: String,
    /// The addition custom field (Text) that keeps the app's keys (SPEC §15); empty: the keys
    /// go in `serialNumber`.
    pub addition_key_field: String,
    /// The currency the ConnectWise company's catalog prices are in (its own currency, which the
    /// API does not tell); empty: not known, and catalog prices are not used.
    pub catalog_currency: String,
}

/// The site's origin (`https://host/`), from a bare host or a URL.
pub fn site_url(site: &str) -> Result<Url> {
    let site = site.trim().trim_end_matches('/');
    if site.is_empty() {
        return Err(Error::invalid(
            ErrorField::Site,
            "Enter the ConnectWise site, e.g. api-na.myconnectwise.net.",
        ));
    }
    let raw = if site.contains("://") {
        format!("{site}/")
    } else {
        format!("https://{site}/")
    };
    http::checked_base_url(SERVICE, &raw)
}

/// `GET https://{site}/login/companyinfo/{companyId}`: the company's name and codebase. Needs no
/// credentials.
pub async fn company_info(site: &str, company_id: &str, timeouts: Timeouts) -> Result<CompanyInfo> {
    let url = site_url(site)?
        .join(&format!("login/companyinfo/{}", segment(company_id)))
        .map_err(|e| Error::Config(format!("bad company id: {e}")))?;
    let client = http::client(timeouts)?;
    let response = http::send_read(SERVICE, &RetryPolicy::default(), None, &url, || {
        client.get(url.clone()).header("Accept", "application/json")
    })
    .await?;
    if response.status() == StatusCode::NOT_FOUND {
        return Err(Error::NotFound(format!(
            "The ConnectWise company \"{company_id}\" on {site}"
        )));
    }
    read_body(&url, &reqwest::Method::GET, response, "company info").await
}

pub struct ConnectWiseClient {
    http: reqwest::Client,
    base: Url,
    authorization: Secret,
    client_id: String,
    retry: RetryPolicy,
    /// How many reads run at once.
    limiter: Limiter,
    /// The addition custom field the profile names for the app's keys (SPEC §15).
    key_field: Option<String>,
    /// The currency the catalog's prices are in (see [`ConnectWiseConfig::catalog_currency`]).
    catalog_currency: Option<String>,
    /// What every answer said about ConnectWise (SPEC §18).
    health: crate::health::HealthLog,
}

impl ConnectWiseClient {
    pub fn new(config: &ConnectWiseConfig) -> Result<Self> {
        Self::with_options(config, Timeouts::default(), RetryPolicy::default())
    }

    pub fn with_options(
        config: &ConnectWiseConfig,
        timeouts: Timeouts,
        retry: RetryPolicy,
    ) -> Result<Self> {
        let codebase = if config.codebase.trim().is_empty() {
            DEFAULT_CODEBASE.to_owned()
        } else {
            format!("{}/", config.codebase.trim().trim_matches('/'))
        };
        let base = site_url(&config.site)?
            .join(&format!("{codebase}apis/3.0/"))
            .map_err(|e| Error::Config(format!("bad ConnectWise codebase {codebase:?}: {e}")))?;
        let credentials = format!(
            "{}+{}:{}",
            config.company_id.trim(),
            config.public_key.expose(),
            config.private_key.expose()
        );
        Ok(ConnectWiseClient {
            http: http::client(timeouts)?,
            base,
            authorization: Secret::new(format!(
                "Basic {}",
                base64::engine::general_purpose::STANDARD.encode(credentials)
            )),
            client_id: config.client_id.trim().to_owned(),
            retry,
            limiter: Limiter::new(Concurrency::default()),
            health: crate::health::HealthLog::new(SERVICE),
            key_field: None,
            catalog_currency: Some(config.catalog_currency.trim().to_ascii_uppercase())
                .filter(|c| !c.is_empty()),
        }
        .with_key_field(Some(&config.addition_key_field)))
    }

    /// The currency the catalog's prices are in, when the profile names it.
    pub fn catalog_currency(&self) -> Option<&str> {
        self.catalog_currency.as_deref()
    }

    /// Names the addition custom field that keeps the app's keys (blank: none, `serialNumber`).
    pub fn with_key_field(mut self, caption: Option<&str>) -> Self {
        self.key_field = caption
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(str::to_owned);
        self
    }

    /// The addition custom field named for the app's keys, if any.
    pub fn key_field(&self) -> Option<&str> {
        self.key_field.as_deref()
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

    /// What its answers said about ConnectWise.
    pub fn health(&self) -> &crate::health::HealthLog {
        &self.health
    }

    pub fn base_url(&self) -> &Url {
        &self.base
    }

    fn request(&self, url: &Url) -> reqwest::RequestBuilder {
        self.http
            .get(url.clone())
            .header("Authorization", self.authorization.expose())
            .header("clientId", &self.client_id)
            .header("Accept", "application/json")
    }

    async fn get<T: DeserializeOwned>(&self, path: &str, what: &str) -> Result<T> {
        let result = self.get_unnoted(path, what).await;
        self.health.observe(&result);
        result
    }

    async fn get_unnoted<T: DeserializeOwned>(&self, path: &str, what: &str) -> Result<T> {
        let url = self
            .base
            .join(path)
            .map_err(|e| Error::Config(format!("bad ConnectWise path {path}: {e}")))?;
        let response = http::send_read(SERVICE, &self.retry, Some(&self.limiter), &url, || {
            self.request(&url)
        })
        .await?;
        read_body(&url, &reqwest::Method::GET, response, what).await
    }

    /// Every record of a list, following `Link: <...>; rel="next"` (forward-only paging). Each
    /// record is read on its own: one that cannot be read is left out and named.
    pub async fn list<T: Record>(
        &self,
        path: &str,
        conditions: Option<&str>,
        what: &str,
    ) -> Result<Listed<T>> {
        let result = self.list_unnoted(path, conditions, what).await;
        self.health.observe(&result);
        result
    }

    async fn list_unnoted<T: Record>(
        &self,
        path: &str,
        conditions: Option<&str>,
        what: &str,
    ) -> Result<Listed<T>> {
        let mut url = self
            .base
            .join(path)
            .map_err(|e| Error::Config(format!("bad ConnectWise path {path}: {e}")))?;
        {
            let mut q = url.query_pairs_mut();
            q.append_pair("pageSize", &PAGE_SIZE.to_string());
            if let Some(c) = conditions.filter(|c| !c.trim().is_empty()) {
                q.append_pair("conditions", c);
            }
        }
        let mut rows = Listed::default();
        let mut pages = 0;
        loop {
            pages += 1;
            let response = http::send_read(SERVICE, &self.retry, Some(&self.limiter), &url, || {
                self.request(&url).header("pagination-type", "forward-only")
            })
            .await?;
            let next = next_link(response.headers());
            let page: Listed<T> = read_list(&url, response, what).await?;
            rows.extend(page);
            match next {
                Some(next) => {
                    let next = self.base.join(&next).map_err(|e| Error::BadResponse {
                        service: SERVICE,
                        what: what.to_owned(),
                        reason: format!("the next-page link is not a URL: {e}"),
                    })?;
                    // Never send the credentials to another host than the one configured.
                    if next.origin() != self.base.origin() {
                        return Err(Error::BadResponse {
                            service: SERVICE,
                            what: what.to_owned(),
                            reason: format!(
                                "the next-page link points to another host ({})",
                                next.origin().ascii_serialization()
                            ),
                        });
                    }
                    if pages > 10_000 {
                        return Err(Error::BadResponse {
                            service: SERVICE,
                            what: what.to_owned(),
                            reason: "the list never ends (more than 10,000 pages)".into(),
                        });
                    }
                    url = next;
                }
                None => return Ok(rows),
            }
        }
    }

    /// The first record of a list, read exactly as [`list`](Self::list) reads its records —
    /// for Test connection, which proves the permission to read the list and that its records
    /// can be read. A record that cannot be read is an error naming the list and the field.
    pub async fn first<T: Record>(&self, path: &str, what: &str) -> Result<Option<T>> {
        let result = self.first_unnoted(path, what).await;
        self.health.observe(&result);
        result
    }

    async fn first_unnoted<T: Record>(&self, path: &str, what: &str) -> Result<Option<T>> {
        let mut url = self
            .base
            .join(path)
            .map_err(|e| Error::Config(format!("bad ConnectWise path {path}: {e}")))?;
        url.query_pairs_mut().append_pair("pageSize", "1");
        let response = http::send_read(SERVICE, &self.retry, Some(&self.limiter), &url, || {
            self.request(&url)
        })
        .await?;
        let page: Listed<T> = read_list(&url, response, what).await?;
        Ok(page.all()?.into_iter().next())
    }

    pub async fn companies(&self, conditions: Option<&str>) -> Result<Listed<Company>> {
        self.list(COMPANIES, conditions, COMPANY_LIST).await
    }

    pub async fn agreements(&self, conditions: Option<&str>) -> Result<Listed<Agreement>> {
        self.list(AGREEMENTS, conditions, AGREEMENT_LIST).await
    }

    pub async fn agreement(&self, id: i64) -> Result<Agreement> {
        self.get(&format!("{AGREEMENTS}/{id}"), &format!("agreement {id}"))
            .await
    }

    /// Where the agreement's invoicing stands (SPEC §16): needs Finance › Invoicing (Inquire).
    pub async fn agreement_recap(&self, id: i64) -> Result<AgreementRecap> {
        self.get(
            &format!("{AGREEMENT_RECAP}/{id}"),
            &format!("invoice calendar of agreement {id}"),
        )
        .await
    }

    /// Every addition of an agreement, or an error naming one that could not be read: a sync
    /// must know them all.
    pub async fn additions(&self, agreement_id: i64) -> Result<Vec<Addition>> {
        self.additions_listed(agreement_id).await?.all()
    }

    /// The additions of an agreement that could be read, and those left out (for review).
    pub async fn additions_listed(&self, agreement_id: i64) -> Result<Listed<Addition>> {
        self.list(
            &additions_path(agreement_id),
            None,
            &additions_list(agreement_id),
        )
        .await
    }

    pub async fn catalog(&self, conditions: Option<&str>) -> Result<Listed<CatalogItem>> {
        self.list(CATALOG, conditions, CATALOG_LIST).await
    }

    pub async fn billing_cycles(&self) -> Result<Listed<BillingCycle>> {
        self.list(BILLING_CYCLES, None, BILLING_CYCLE_LIST).await
    }

    pub async fn currencies(&self) -> Result<Listed<Currency>> {
        self.list(CURRENCIES, None, CURRENCY_LIST).await
    }
}

// The lists the app reads, and their names in words.
pub const COMPANIES: &str = "company/companies";
pub const COMPANY_LIST: &str = "company list";
pub const AGREEMENTS: &str = "finance/agreements";
pub const AGREEMENT_RECAP: &str = "finance/agreementrecap";
pub const AGREEMENT_LIST: &str = "agreement list";
pub const CATALOG: &str = "procurement/catalog";
pub const CATALOG_LIST: &str = "product catalog";
pub const BILLING_CYCLES: &str = "finance/billingCycles";
pub const BILLING_CYCLE_LIST: &str = "billing cycles";
pub const CURRENCIES: &str = "finance/currencies";
pub const CURRENCY_LIST: &str = "currencies";

pub fn additions_path(agreement_id: i64) -> String {
    format!("{AGREEMENTS}/{agreement_id}/additions")
}

pub fn additions_list(agreement_id: i64) -> String {
    format!("additions of agreement {agreement_id}")
}

/// Why a write failed, and what that says about whether ConnectWise applied it.
#[derive(Debug)]
pub enum WriteError {
    /// ConnectWise did not apply it: it answered 4xx (or 429 too often), or the request never
    /// left this computer (host not found, connection refused).
    NotApplied(Error),
    /// It may or may not have been applied (timeout, dropped connection, 5xx, an unreadable
    /// success): re-read the agreement to know. Never re-sent blindly.
    Unknown(Error),
}

impl WriteError {
    pub fn error(&self) -> &Error {
        match self {
            WriteError::NotApplied(e) | WriteError::Unknown(e) => e,
        }
    }
}

impl ConnectWiseClient {
    /// `POST /finance/agreements/{id}/additions`.
    pub async fn create_addition(
        &self,
        agreement_id: i64,
        addition: &NewAddition,
    ) -> std::result::Result<Addition, WriteError> {
        let body = serde_json::to_vec(addition)
            .map_err(|e| WriteError::NotApplied(Error::Config(format!("bad addition: {e}"))))?;
        self.write(
            reqwest::Method::POST,
            &format!("finance/agreements/{agreement_id}/additions"),
            body,
            "new addition",
        )
        .await
    }

    /// `PATCH /finance/agreements/{id}/additions/{aid}` with a JSON Patch.
    pub async fn patch_addition(
        &self,
        agreement_id: i64,
        addition_id: i64,
        ops: &[PatchOp],
    ) -> std::result::Result<Addition, WriteError> {
        let body = serde_json::to_vec(ops)
            .map_err(|e| WriteError::NotApplied(Error::Config(format!("bad patch: {e}"))))?;
        self.write(
            reqwest::Method::PATCH,
            &format!("finance/agreements/{agreement_id}/additions/{addition_id}"),
            body,
            "changed addition",
        )
        .await
    }

    /// `DELETE /finance/agreements/{id}/additions/{aid}`. An addition already gone counts as
    /// removed.
    pub async fn delete_addition(
        &self,
        agreement_id: i64,
        addition_id: i64,
    ) -> std::result::Result<(), WriteError> {
        let result = self.delete_unnoted(agreement_id, addition_id).await;
        self.note_write(&result);
        result
    }

    /// Notes what a write's answer said about ConnectWise.
    fn note_write<T>(&self, result: &std::result::Result<T, WriteError>) {
        match result {
            Ok(_) => self.health.observe(&Ok(())),
            Err(e) => self.health.observe_error(e.error()),
        }
    }

    async fn delete_unnoted(
        &self,
        agreement_id: i64,
        addition_id: i64,
    ) -> std::result::Result<(), WriteError> {
        let method = reqwest::Method::DELETE;
        let path = format!("finance/agreements/{agreement_id}/additions/{addition_id}");
        let (url, response) = self.send(method.clone(), &path, None).await?;
        let status = response.status();
        if status.is_success() || status == StatusCode::NOT_FOUND {
            return Ok(());
        }
        let err = match read_body::<serde_json::Value>(&url, &method, response, "removal").await {
            Err(e) => e,
            Ok(_) => Error::Config(format!("ConnectWise answered {status} to a removal")),
        };
        Err(if status.is_server_error() {
            WriteError::Unknown(err)
        } else {
            WriteError::NotApplied(err)
        })
    }

    /// Sends one write and reads the addition it answers with.
    async fn write(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Vec<u8>,
        what: &str,
    ) -> std::result::Result<Addition, WriteError> {
        let result = self.write_unnoted(method, path, body, what).await;
        self.note_write(&result);
        result
    }

    async fn write_unnoted(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Vec<u8>,
        what: &str,
    ) -> std::result::Result<Addition, WriteError> {
        let (url, response) = self.send(method.clone(), path, Some(body)).await?;
        let status = response.status();
        match read_body::<Addition>(&url, &method, response, what).await {
            Ok(a) => Ok(a),
            Err(e) if status.is_success() || status.is_server_error() => {
                Err(WriteError::Unknown(e))
            }
            Err(e @ Error::Unreachable { .. }) => Err(WriteError::Unknown(e)),
            Err(e) => Err(WriteError::NotApplied(e)),
        }
    }

    /// Sends one write request. Only a 429 is sent again (ConnectWise refused it unread), after
    /// its `Retry-After` or a bounded backoff; a failure to send is returned with what it says
    /// about the write's outcome.
    async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Vec<u8>>,
    ) -> std::result::Result<(Url, reqwest::Response), WriteError> {
        let url = self.base.join(path).map_err(|e| {
            WriteError::NotApplied(Error::Config(format!("bad ConnectWise path {path}: {e}")))
        })?;
        let mut attempt = 0;
        loop {
            attempt += 1;
            let mut request = self
                .http
                .request(method.clone(), url.clone())
                .header("Authorization", self.authorization.expose())
                .header("clientId", &self.client_id)
                .header("Accept", "application/json");
            if let Some(body) = &body {
                request = request
                    .header("Content-Type", "application/json")
                    .body(body.clone());
            }
            let response = match request.send().await {
                Ok(r) => r,
                Err(e) => {
                    let err = http::transport_error(SERVICE, &url, &e);
                    tracing::warn!(path = url.path(), %method, "write failed: {err}");
                    return Err(if e.is_connect() {
                        WriteError::NotApplied(err)
                    } else {
                        WriteError::Unknown(err)
                    });
                }
            };
            if response.status() == StatusCode::TOO_MANY_REQUESTS
                && attempt < self.retry.max_attempts
            {
                let wait = self
                    .retry
                    .delay(attempt, http::retry_after(response.headers()));
                tracing::warn!(
                    path = url.path(),
                    attempt,
                    ?wait,
                    "ConnectWise asks to slow down"
                );
                tokio::time::sleep(wait).await;
                continue;
            }
            return Ok((url, response));
        }
    }
}

/// The `rel="next"` target of a `Link` header, if any.
fn next_link(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(LINK)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|value| {
            value.split(',').find_map(|part| {
                let (target, params) = part.split_once(';')?;
                let is_next = params.split(';').any(|p| {
                    let p = p.trim().replace(' ', "");
                    p.eq_ignore_ascii_case("rel=\"next\"") || p.eq_ignore_ascii_case("rel=next")
                });
                is_next.then(|| {
                    target
                        .trim()
                        .trim_start_matches('<')
                        .trim_end_matches('>')
                        .to_owned()
                })
            })
        })
}

fn segment(id: &str) -> String {
    url::form_urlencoded::byte_serialize(id.trim().as_bytes()).collect()
}

/// The security-role permission a ConnectWise request needs, in ConnectWise's words
/// (`Finance › Agreements (Add)`), for 403 messages a person can act on.
pub fn required_permission(method: &reqwest::Method, path: &str) -> Option<String> {
    let rest = path.split_once("/apis/3.0/").map(|(_, r)| r)?;
    let area = [
        ("company/", "Companies › Company Maintenance"),
        ("finance/agreementrecap", "Finance › Invoicing"),
        ("finance/agreements", "Finance › Agreements"),
        ("finance/billingCycles", "System › Table Setup"),
        ("finance/currencies", "Finance › Invoicing"),
        ("procurement/catalog", "Procurement › Product Catalog"),
    ]
    .into_iter()
    .find(|(prefix, _)| rest.starts_with(prefix))
    .map(|(_, area)| area)?;
    let level = match *method {
        reqwest::Method::POST => "Add",
        reqwest::Method::PATCH | reqwest::Method::PUT => "Edit",
        reqwest::Method::DELETE => "Delete",
        _ => "Inquire",
    };
    Some(format!("{area} ({level})"))
}

/// A list answer, read record by record.
async fn read_list<T: Record>(
    url: &Url,
    response: reqwest::Response,
    what: &str,
) -> Result<Listed<T>> {
    let values: Vec<serde_json::Value> =
        read_body(url, &reqwest::Method::GET, response, what).await?;
    Ok(reading::records(SERVICE, what, values))
}

async fn read_body<T: DeserializeOwned>(
    url: &Url,
    method: &reqwest::Method,
    response: reqwest::Response,
    what: &str,
) -> Result<T> {
    let status = response.status();
    tracing::debug!(path = url.path(), %status, "connectwise response");
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
        .one();
    }
    let message = serde_json::from_slice::<wire::ApiError>(&bytes)
        .ok()
        .map(|e| e.describe())
        .filter(|m| !m.is_empty())
        .unwrap_or_else(|| status.canonical_reason().unwrap_or("error").to_owned());
    tracing::warn!(path = url.path(), %status, "connectwise error: {message}");
    Err(match status {
        StatusCode::UNAUTHORIZED => Error::Unauthorized {
            service: SERVICE,
            status: 401,
            message: format!(
                "{message} Check the company id, the API member's public and private keys, and the client id."
            ),
        },
        StatusCode::FORBIDDEN => Error::Unauthorized {
            service: SERVICE,
            status: 403,
            message: match required_permission(method, url.path()) {
                Some(permission) => format!(
                    "the API member's security role lacks the permission {permission}, needed to {} the {what}. In ConnectWise, open System › Security Roles, give the API member's role {permission}, and try again. (ConnectWise said: {message})",
                    if *method == reqwest::Method::GET { "read" } else { "write" }
                ),
                None => format!(
                    "{message} (the API member's security role lacks a permission for {what})"
                ),
            },
        },
        StatusCode::NOT_FOUND => {
            Error::NotFound(format!("The ConnectWise {what} ({})", url.path()))
        }
        _ => Error::Api {
            service: SERVICE,
            status: status.as_u16(),
            message,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn finds_the_next_link() {
        let mut h = HeaderMap::new();
        h.insert(
            LINK,
            HeaderValue::from_static(
                "<https://x/v4_6_release/apis/3.0/company/companies?pageSize=1000&pageId=250>; rel=\"next\", <https://x/last>; rel=\"last\"",
            ),
        );
        assert_eq!(
            next_link(&h).as_deref(),
            Some("https://x/v4_6_release/apis/3.0/company/companies?pageSize=1000&pageId=250")
        );
        let mut last = HeaderMap::new();
        last.insert(
            LINK,
            HeaderValue::from_static("<https://x/first>; rel=\"first\""),
        );
        assert_eq!(next_link(&last), None);
        assert_eq!(next_link(&HeaderMap::new()), None);
    }

    #[test]
    fn each_request_names_the_permission_it_needs() {
        let p = |m: reqwest::Method, path: &str| required_permission(&m, path);
        let base = "/v4_6_release/apis/3.0/";
        assert_eq!(
            p(
                reqwest::Method::POST,
                &format!("{base}finance/agreements/4127/additions")
            )
            .as_deref(),
            Some("Finance › Agreements (Add)")
        );
        assert_eq!(
            p(
                reqwest::Method::PATCH,
                &format!("{base}finance/agreements/4127/additions/1")
            )
            .as_deref(),
            Some("Finance › Agreements (Edit)")
        );
        assert_eq!(
            p(reqwest::Method::GET, &format!("{base}company/companies")).as_deref(),
            Some("Companies › Company Maintenance (Inquire)")
        );
        assert_eq!(
            p(
                reqwest::Method::GET,
                &format!("{base}finance/billingCycles")
            )
            .as_deref(),
            Some("System › Table Setup (Inquire)")
        );
        assert_eq!(
            p(reqwest::Method::GET, &format!("{base}procurement/catalog")).as_deref(),
            Some("Procurement › Product Catalog (Inquire)")
        );
        assert_eq!(
            p(reqwest::Method::GET, &format!("{base}finance/currencies")).as_deref(),
            Some("Finance › Invoicing (Inquire)")
        );
        assert_eq!(p(reqwest::Method::GET, &format!("{base}system/info")), None);
    }

    #[test]
    fn site_urls() {
        assert_eq!(
            site_url("api-na.myconnectwise.net").unwrap().as_str(),
            "https://api-na.myconnectwise.net/"
        );
        assert_eq!(
            site_url("http://127.0.0.1:9000/").unwrap().as_str(),
            "http://127.0.0.1:9000/"
        );
        assert!(site_url("http://na.myconnectwise.net").is_err());
        assert!(site_url("  ").is_err());
    }
}
