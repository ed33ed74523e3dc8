//! Test connection (SPEC §2.1): does a ConnectWise or Cloud Marketplace account work, and if not,
//! why — in words a billing person can act on.

use crate::connectwise::{self, ConnectWiseClient, ConnectWiseConfig};
use crate::error::{Error, Result};
use crate::http::{RetryPolicy, Timeouts};
use crate::marketplace::{MarketplaceClient, MarketplaceConfig};
use crate::view::{ConnectWiseTestView, MarketplaceTestView};

/// Test connection answers within this, so a wrong address does not keep the form waiting.
pub const TEST_TIMEOUTS: Timeouts = Timeouts {
    connect: std::time::Duration::from_secs(10),
    request: std::time::Duration::from_secs(20),
};

/// The reads the app does, each needing one permission (see `connectwise::required_permission`).
const PROBES: &[(&str, &str)] = &[
    ("company/companies", "companies"),
    ("finance/agreements", "agreements"),
    ("finance/currencies", "currencies"),
    ("procurement/catalog", "product catalog"),
    ("finance/billingCycles", "billing cycles"),
];

/// Tests a ConnectWise account: finds the company and its codebase (`/login/companyinfo`), signs
/// in (a 401 means wrong keys or client id), and reads one row of everything the app reads, to
/// name any permission the security role lacks. Writing needs Finance › Agreements (Add, Edit),
/// which cannot be tested without writing; it is named on the first refused write.
pub async fn test_connectwise(
    config: &ConnectWiseConfig,
    timeouts: Timeouts,
) -> Result<ConnectWiseTestView> {
    let info = connectwise::company_info(&config.site, &config.company_id, timeouts)
        .await
        .map_err(|e| match e {
            Error::NotFound(_) => Error::invalid(
                "companyId",
                format!(
                    "ConnectWise has no company “{}” on {}: check the company id (the one you log in with).",
                    config.company_id.trim(),
                    config.site.trim()
                ),
            ),
            other => other,
        })?;
    let codebase = if config.codebase.trim().is_empty() {
        info.codebase.clone()
    } else {
        config.codebase.clone()
    };
    let client = ConnectWiseClient::with_options(
        &ConnectWiseConfig {
            codebase: codebase.clone(),
            ..config.clone()
        },
        timeouts,
        RetryPolicy {
            max_attempts: 2,
            ..RetryPolicy::default()
        },
    )?;
    let mut missing = Vec::new();
    for (path, what) in PROBES {
        match client.probe(path, what).await {
            Ok(()) => {}
            // 401: wrong keys or client id — nothing else can be tested.
            Err(e @ Error::Unauthorized { .. }) if !is_forbidden(&e) => return Err(e),
            Err(e) if is_forbidden(&e) => missing.push(format!(
                "{} — to read {what}",
                connectwise::required_permission(
                    &reqwest::Method::GET,
                    &format!("/apis/3.0/{path}")
                )
                .unwrap_or_else(|| what.to_string())
            )),
            Err(e) => return Err(e),
        }
    }
    Ok(ConnectWiseTestView {
        company_name: info.company_name,
        codebase,
        missing_permissions: missing,
    })
}

/// A 403 (a permission), as opposed to a 401 (the credentials).
fn is_forbidden(e: &Error) -> bool {
    matches!(e, Error::Unauthorized { message, .. } if message.contains("security role"))
}

/// Tests a Cloud Marketplace account: signs in (token request). Says the address reached.
pub async fn test_marketplace(
    config: &MarketplaceConfig,
    timeouts: Timeouts,
) -> Result<MarketplaceTestView> {
    let client = MarketplaceClient::with_options(
        config,
        timeouts,
        RetryPolicy {
            max_attempts: 2,
            ..RetryPolicy::default()
        },
    )?;
    client.authenticate().await?;
    Ok(MarketplaceTestView {
        base_url: config.base_url.clone(),
    })
}
