//! Test connection (SPEC §2.1): does a ConnectWise or Cloud Marketplace account work, and if not,
//! why — in words a billing person can act on.

use crate::connectwise::wire::{Addition, Agreement, BillingCycle, CatalogItem, Company, Currency};
use crate::connectwise::{
    self, ConnectWiseClient, ConnectWiseConfig, AGREEMENTS, AGREEMENT_LIST, BILLING_CYCLES,
    BILLING_CYCLE_LIST, CATALOG, CATALOG_LIST, COMPANIES, COMPANY_LIST, CURRENCIES, CURRENCY_LIST,
};
use crate::error::{Error, ErrorField, Result};
use crate::http::{RetryPolicy, Timeouts};
use crate::marketplace::{MarketplaceClient, MarketplaceConfig};
use crate::reading::Record;
use crate::view::{ConnectWiseTestView, MarketplaceTestView};

/// Test connection answers within this, so a wrong address does not keep the form waiting.
pub const TEST_TIMEOUTS: Timeouts = Timeouts {
    connect: std::time::Duration::from_secs(10),
    request: std::time::Duration::from_secs(20),
};

/// Tests a ConnectWise account: finds the company and its codebase (`/login/companyinfo`), signs
/// in (a 401 means wrong keys or client id), and reads one record of every list Check Changes
/// reads, as it reads them, and an agreement's invoice calendar — to name any permission the
/// security role lacks, and any field that could not be read (which fails the test, as it would
/// fail Check Changes). Writing needs Finance › Agreements (Add, Edit),
/// which cannot be tested without writing; it is named on the first refused write.
pub async fn test_connectwise(
    config: &ConnectWiseConfig,
    timeouts: Timeouts,
) -> Result<ConnectWiseTestView> {
    let info = connectwise::company_info(&config.site, &config.company_id, timeouts)
        .await
        .map_err(|e| match e {
            Error::NotFound(_) => Error::invalid(
                ErrorField::CompanyId,
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
    // One record of each list Check Changes reads, read by the same functions into the same
    // models: the test fails whenever Check Changes could not read them.
    let mut missing = Vec::new();
    let c = &client;
    first::<Company>(c, COMPANIES, COMPANY_LIST, "companies", &mut missing).await?;
    let agreement =
        first::<Agreement>(c, AGREEMENTS, AGREEMENT_LIST, "agreements", &mut missing).await?;
    first::<Currency>(c, CURRENCIES, CURRENCY_LIST, "currencies", &mut missing).await?;
    first::<CatalogItem>(c, CATALOG, CATALOG_LIST, "product catalog", &mut missing).await?;
    first::<BillingCycle>(
        c,
        BILLING_CYCLES,
        BILLING_CYCLE_LIST,
        "billing cycles",
        &mut missing,
    )
    .await?;
    let mut addition = None;
    if let Some(a) = &agreement {
        // The invoice calendar (SPEC §16): the recap needs Finance › Invoicing (Inquire).
        match c.agreement_recap(a.id).await {
            Ok(_) | Err(Error::Api { status: 404, .. }) => {}
            Err(e) if is_forbidden(&e) => missing.push(format!(
                "{} — to read each agreement's invoice calendar (without it nothing is dated before today)",
                crate::calendar::PERMISSION
            )),
            Err(e) => return Err(e),
        }
    }
    if let Some(a) = agreement {
        addition = first::<Addition>(
            c,
            &connectwise::additions_path(a.id),
            &connectwise::additions_list(a.id),
            "agreement additions",
            &mut missing,
        )
        .await?;
    }
    let key_field = crate::ledger::check_field(Some(&config.addition_key_field), addition.as_ref());
    Ok(ConnectWiseTestView {
        company_name: info.company_name,
        codebase,
        missing_permissions: missing,
        key_field: key_field.words(),
        key_field_ok: matches!(
            key_field,
            crate::ledger::FieldCheck::Found { .. } | crate::ledger::FieldCheck::NotNamed
        ),
    })
}

/// The first record of a list, read as Check Changes reads it. A 403 adds the permission the
/// security role lacks to `missing` (to read `purpose`); any other failure fails the test.
async fn first<T: Record>(
    client: &ConnectWiseClient,
    path: &str,
    list: &str,
    purpose: &str,
    missing: &mut Vec<String>,
) -> Result<Option<T>> {
    match client.first::<T>(path, list).await {
        Ok(row) => Ok(row),
        Err(e) if is_forbidden(&e) => {
            missing.push(format!(
                "{} — to read {purpose}",
                connectwise::required_permission(
                    &reqwest::Method::GET,
                    &format!("/apis/3.0/{path}")
                )
                .unwrap_or_else(|| purpose.to_owned())
            ));
            Ok(None)
        }
        // 401: wrong keys or client id — nothing else can be tested; or a list that cannot
        // be read.
        Err(e) => Err(e),
    }
}

/// A 403 (a permission), as opposed to a 401 (the credentials).
fn is_forbidden(e: &Error) -> bool {
    matches!(e, Error::Unauthorized { message, .. } if message.contains("security role"))
}

/// Tests a Cloud Marketplace account: signs in (token request), then reads the first order listed
/// with its details, customer and subscription as Check Changes reads them. Says the address
/// reached.
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
    // The first order listed, its details, customer and subscription, read as Check Changes
    // reads them: the test fails whenever Check Changes could not read them.
    if let Some(first) = client.first_order().await? {
        let order = client.order(&first.id).await?;
        client.customer(&order.customer_id).await?;
        if let Some(id) = order
            .products
            .iter()
            .find_map(|p| p.subscription_id.as_deref())
        {
            client.subscription(id).await?;
        }
    }
    Ok(MarketplaceTestView {
        base_url: config.base_url.clone(),
    })
}
