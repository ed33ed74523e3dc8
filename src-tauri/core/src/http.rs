//! What both API clients share: the HTTP client, URL rules, error wording and the retry policy.

use std::time::Duration;

use rand::Rng;
use url::Url;

use crate::concurrency::{Limiter, Outcome};
use crate::error::{Error, Result, Service};

/// Timeouts for one service.
#[derive(Debug, Clone, Copy)]
pub struct Timeouts {
    pub connect: Duration,
    pub request: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts {
            connect: Duration::from_secs(10),
            request: Duration::from_secs(60),
        }
    }
}

/// One `reqwest::Client` per service: rustls, gzip, timeouts, no redirects to other hosts.
pub fn client(timeouts: Timeouts) -> Result<reqwest::Client> {
    reqwest::Client::builder()
        .use_rustls_tls()
        .https_only(false) // enforced per URL by `checked_base_url`, loopback may be http
        .connect_timeout(timeouts.connect)
        .timeout(timeouts.request)
        .gzip(true)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("AgreementSync/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| Error::Config(format!("could not set up HTTP: {e}")))
}

/// Parses a base URL, demanding https unless the host is a loopback address, and a trailing `/`
/// so that relative paths join under it.
pub fn checked_base_url(service: Service, raw: &str) -> Result<Url> {
    let trimmed = raw.trim();
    let mut url = Url::parse(trimmed).map_err(|e| {
        Error::Config(format!(
            "The address of {service} \"{trimmed}\" is not a valid URL: {e}"
        ))
    })?;
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(&url) => {}
        "http" => {
            return Err(Error::Config(format!(
                "The address of {service} must use https:// (http:// is only allowed for this computer's own loopback address): {trimmed}"
            )))
        }
        other => {
            return Err(Error::Config(format!(
                "The address of {service} must start with https://, not {other}://"
            )))
        }
    }
    if !url.path().ends_with('/') {
        let path = format!("{}/", url.path());
        url.set_path(&path);
    }
    Ok(url)
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

/// Words for a transport failure, without the URL's query (which may carry filters) or secrets.
pub fn transport_error(service: Service, url: &Url, e: &reqwest::Error) -> Error {
    let reason = if e.is_timeout() {
        "no answer in time (timed out)".to_owned()
    } else if e.is_connect() {
        let text = error_chain(e);
        if text.contains("dns") || text.contains("failed to lookup") {
            "host not found: check the address".to_owned()
        } else if text.contains("certificate") || text.contains("Certificate") {
            format!(
                "its security certificate is not trusted ({}). Check the address; a proxy or \
                 firewall that inspects HTTPS traffic can also cause this",
                innermost(e)
            )
        } else if text.contains("tls") || text.contains("TLS") {
            format!("a secure connection could not be made ({text})")
        } else if text.contains("refused") {
            "connection refused".to_owned()
        } else {
            format!("could not connect ({text})")
        }
    } else if e.is_body() || e.is_decode() {
        "the connection dropped while reading the answer".to_owned()
    } else {
        let text = error_chain(e);
        if text.contains("connection closed")
            || text.contains("reset")
            || text.contains("IncompleteMessage")
        {
            "the connection dropped before an answer arrived".to_owned()
        } else {
            text
        }
    };
    let mut shown = url.clone();
    shown.set_query(None);
    Error::Unreachable {
        service,
        url: shown.to_string(),
        reason,
    }
}

fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut parts = vec![e.to_string()];
    let mut source = e.source();
    while let Some(s) = source {
        parts.push(s.to_string());
        source = s.source();
    }
    parts.join(": ")
}

/// The deepest cause of an error (e.g. `invalid peer certificate: UnknownIssuer`).
fn innermost(e: &(dyn std::error::Error + 'static)) -> String {
    let mut last = e;
    while let Some(s) = last.source() {
        last = s;
    }
    last.to_string()
}

/// Bounded exponential backoff with jitter for reads; `Retry-After` wins when given.
#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    pub max_attempts: u32,
    pub base_delay: Duration,
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 4,
            base_delay: Duration::from_millis(250),
            max_delay: Duration::from_secs(20),
        }
    }
}

impl RetryPolicy {
    /// The wait before attempt `attempt + 1` (attempt counts from 1).
    pub fn delay(&self, attempt: u32, retry_after: Option<Duration>) -> Duration {
        if let Some(after) = retry_after {
            return after.min(self.max_delay);
        }
        let exp = self
            .base_delay
            .saturating_mul(2u32.saturating_pow(attempt.saturating_sub(1)));
        let capped = exp.min(self.max_delay);
        let jitter = rand::rng().random_range(0.5..=1.0);
        capped.mul_f64(jitter)
    }
}

/// Reads a `Retry-After` header given in seconds.
pub fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    headers
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim()
        .parse::<u64>()
        .ok()
        .map(Duration::from_secs)
}

/// Sends an idempotent read, retrying transport drops, 429 (honouring `Retry-After`) and 5xx with
/// bounded backoff. A refused connection or a timeout is reported at once: it will not heal in a
/// second. Returns the last response, whatever its status. With a `limiter`, each attempt waits
/// for a place among the reads running at once and tells how its answer went; the wait before a
/// retry holds no place.
pub async fn send_read(
    service: Service,
    retry: &RetryPolicy,
    limiter: Option<&Limiter>,
    url: &Url,
    build: impl Fn() -> reqwest::RequestBuilder,
) -> Result<reqwest::Response> {
    let mut attempt = 0;
    loop {
        attempt += 1;
        let last = attempt >= retry.max_attempts;
        let permit = match limiter {
            Some(l) => Some(l.acquire().await),
            None => None,
        };
        let sent = build().send().await;
        if let Some(permit) = permit {
            permit.done(match &sent {
                Err(e) if e.is_timeout() => Outcome::Overloaded,
                Err(_) => Outcome::Slow,
                Ok(r) if r.status() == reqwest::StatusCode::TOO_MANY_REQUESTS => {
                    Outcome::Overloaded
                }
                Ok(r) if r.status().is_server_error() => Outcome::Slow,
                Ok(_) => Outcome::Fast,
            });
        }
        match sent {
            Err(e) => {
                let err = transport_error(service, url, &e);
                if last || e.is_connect() || e.is_timeout() {
                    return Err(err);
                }
                tracing::warn!(
                    path = url.path(),
                    attempt,
                    "request to {service} failed, retrying: {err}"
                );
                tokio::time::sleep(retry.delay(attempt, None)).await;
            }
            Ok(response) if is_transient(response.status()) && !last => {
                let wait = retry.delay(attempt, retry_after(response.headers()));
                tracing::warn!(path = url.path(), status = %response.status(), attempt, ?wait, "{service} busy or failing, retrying");
                tokio::time::sleep(wait).await;
            }
            Ok(response) => return Ok(response),
        }
    }
}

/// Whether a status is worth retrying for an idempotent read.
pub fn is_transient(status: reqwest::StatusCode) -> bool {
    status == reqwest::StatusCode::TOO_MANY_REQUESTS || status.is_server_error()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_is_required_except_for_loopback() {
        assert!(
            checked_base_url(Service::Marketplace, "https://api.cloud.im/marketplace/us").is_ok()
        );
        assert!(checked_base_url(
            Service::Marketplace,
            "http://127.0.0.1:8080/marketplace/us/"
        )
        .is_ok());
        assert!(checked_base_url(Service::Marketplace, "http://localhost:8080/x").is_ok());
        assert!(checked_base_url(Service::Marketplace, "http://[::1]:8080/x").is_ok());
        let err = checked_base_url(Service::Marketplace, "http://api.cloud.im/marketplace/us/")
            .unwrap_err();
        assert!(err.to_string().contains("https://"), "{err}");
        assert!(checked_base_url(Service::ConnectWise, "ftp://x/").is_err());
        assert!(checked_base_url(Service::ConnectWise, "not a url").is_err());
    }

    #[test]
    fn base_url_gets_a_trailing_slash() {
        let url =
            checked_base_url(Service::Marketplace, "https://api.cloud.im/marketplace/us").unwrap();
        assert_eq!(
            url.join("orders").unwrap().as_str(),
            "https://api.cloud.im/marketplace/us/orders"
        );
    }

    #[test]
    fn backoff_grows_is_bounded_and_honours_retry_after() {
        let p = RetryPolicy::default();
        assert!(p.delay(1, None) <= Duration::from_millis(250));
        assert!(p.delay(3, None) >= Duration::from_millis(500));
        assert!(p.delay(30, None) <= p.max_delay);
        assert_eq!(
            p.delay(1, Some(Duration::from_secs(3))),
            Duration::from_secs(3)
        );
        assert_eq!(p.delay(1, Some(Duration::from_secs(3600))), p.max_delay);
    }
}
