//! Demo mode: the built-in simulator on loopback, reached by the real clients like any service.

use agreement_sync_core::clock::Clock;
use agreement_sync_core::connectwise::ConnectWiseConfig;
use agreement_sync_core::marketplace::MarketplaceConfig;
use agreement_sync_core::secret::Secret;
use agreement_sync_core::store::{settings, Store};
use agreement_sync_core::{Error, Result};
use agreement_sync_sim::{Credentials, SimConfig, SimHandle};
use chrono::NaiveDate;

/// Environment variable: use a simulator already running at this address (e.g.
/// `http://127.0.0.1:8080`) instead of starting one inside the app. Tests use it to take the
/// network away.
pub const DEMO_URL_ENV: &str = "AGREEMENT_SYNC_DEMO_URL";

/// Demo's world at a reseller's size: `AGREEMENT_SYNC_DEMO_SIZE=2000` gives it 2,000 customers
/// (five orders a month each) instead of its curated dozen.
pub const DEMO_SIZE_ENV: &str = "AGREEMENT_SYNC_DEMO_SIZE";

/// The largest Demo world.
const MAX_DEMO_SIZE: usize = 5_000;

/// The Demo world's size from `AGREEMENT_SYNC_DEMO_SIZE`: `None` for the curated world (unset, or
/// a value that is not a number of customers, which is logged).
fn demo_size(value: Option<&str>) -> Option<usize> {
    let text = value?.trim();
    if text.is_empty() {
        return None;
    }
    match text.parse::<usize>() {
        Ok(n) if (1..=MAX_DEMO_SIZE).contains(&n) => Some(n),
        _ => {
            tracing::warn!(
                value = text,
                "{DEMO_SIZE_ENV} is not a number of customers from 1 to {MAX_DEMO_SIZE}; Demo uses its own world"
            );
            None
        }
    }
}

/// The demo world's "today" is fixed at first use, so the demo data stays stable for an install
/// (unless the app's clock is pinned, which sets it).
const DEMO_TODAY: &str = "demo_today";

pub struct Demo {
    pub marketplace: MarketplaceConfig,
    pub connectwise: ConnectWiseConfig,
    /// Keeps the in-process simulator running.
    #[allow(dead_code)]
    pub sim: Option<SimHandle>,
}

impl Drop for Demo {
    /// Leaving Demo mode stops its simulator.
    fn drop(&mut self) {
        if let Some(sim) = &self.sim {
            sim.shutdown();
        }
    }
}

pub async fn start(store: &Store, clock: &Clock) -> Result<Demo> {
    let credentials = Credentials::demo();
    let marketplace = |base_url: String| MarketplaceConfig {
        base_url,
        username: credentials.marketplace_username.clone(),
        password: Secret::new(credentials.marketplace_password.clone()),
        subscription_key: Secret::new(credentials.subscription_key.clone()),
    };
    let connectwise = |site: String| ConnectWiseConfig {
        site,
        company_id: credentials.cw_company_id.clone(),
        public_key: Secret::new(credentials.cw_public_key.clone()),
        private_key: Secret::new(credentials.cw_private_key.clone()),
        client_id: credentials.cw_client_id.clone(),
        codebase: String::new(),
        addition_key_field: String::new(),
        catalog_currency: "USD".into(),
    };
    if let Some(url) = std::env::var(DEMO_URL_ENV)
        .ok()
        .filter(|u| !u.trim().is_empty())
    {
        let origin = url.trim().trim_end_matches('/').to_owned();
        tracing::info!(%origin, "demo mode uses an external simulator");
        return Ok(Demo {
            marketplace: marketplace(format!("{origin}/marketplace/us/")),
            connectwise: connectwise(origin),
            sim: None,
        });
    }
    // A pinned clock (AGREEMENT_SYNC_TODAY) sets the world's day; otherwise the day of first use.
    let (pinned, clock_today) = (clock.is_pinned(), clock.today());
    let today = store
        .call(move |c| {
            let saved = settings::get(c, DEMO_TODAY)?
                .and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok());
            match saved {
                Some(d) if !pinned => Ok(d),
                _ => {
                    settings::set(c, DEMO_TODAY, &clock_today.format("%Y-%m-%d").to_string())?;
                    Ok(clock_today)
                }
            }
        })
        .await?;
    let mut config = SimConfig::demo(today);
    if let Some(customers) = demo_size(std::env::var(DEMO_SIZE_ENV).ok().as_deref()) {
        config.customers = customers.max(config.customers);
        config.orders_per_customer = 5;
        tracing::info!(
            customers = config.customers,
            "demo world at a reseller's size"
        );
    }
    let sim = agreement_sync_sim::start(config, ([127, 0, 0, 1], 0).into())
        .await
        .map_err(|e| Error::Config(format!("the demo simulator could not start: {e}")))?;
    tracing::info!(base = %sim.marketplace_base_url(), %today, "demo simulator started");
    Ok(Demo {
        marketplace: marketplace(sim.marketplace_base_url()),
        connectwise: connectwise(format!("http://{}", sim.connectwise_site())),
        sim: Some(sim),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_size_is_a_number_of_customers_or_the_curated_world() {
        assert_eq!(demo_size(Some("2000")), Some(2000));
        assert_eq!(demo_size(Some(" 12 ")), Some(12));
        for curated in [
            None,
            Some(""),
            Some("0"),
            Some("lots"),
            Some("-5"),
            Some("5001"),
        ] {
            assert_eq!(demo_size(curated), None, "{curated:?}");
        }
    }
}
