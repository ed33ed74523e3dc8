//! What the integration tests share: a simulator world on a fixed day, and clients for it.
#![allow(dead_code)] // each test file uses a part

use std::path::Path;
use std::time::Duration;

use agreement_sync_core::clock::Clock;
use agreement_sync_core::connectwise::{ConnectWiseClient, ConnectWiseConfig};
use agreement_sync_core::http::{RetryPolicy, Timeouts};
use agreement_sync_core::marketplace::{MarketplaceClient, MarketplaceConfig};
use agreement_sync_core::secret::Secret;
use agreement_sync_core::session::{ProfileKind, Session};
use agreement_sync_core::store::{mappings, Store};
use agreement_sync_core::view::{WizardEdit, WizardView};
use agreement_sync_sim::{Credentials, SimConfig, SimHandle};
use chrono::{DateTime, NaiveDate, TimeZone, Utc};

pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
}

pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 24, 12, 0, 0).unwrap()
}

/// The sessions' clock: it reads [`now`] at first and runs on from there.
pub fn clock() -> Clock {
    Clock::starting_at(now())
}

/// The demo world with `customers` customers, on loopback.
pub async fn sim_with(customers: usize) -> SimHandle {
    let mut config = SimConfig::demo(today());
    config.customers = customers;
    agreement_sync_sim::start(config, ([127, 0, 0, 1], 0).into())
        .await
        .expect("simulator starts")
}

pub async fn sim() -> SimHandle {
    sim_with(12).await
}

/// Retries quickly, so fault tests stay fast.
pub fn quick_retry() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 3,
        base_delay: Duration::from_millis(10),
        max_delay: Duration::from_secs(2),
    }
}

pub fn marketplace_config(sim: &SimHandle) -> MarketplaceConfig {
    let c = Credentials::demo();
    MarketplaceConfig {
        base_url: sim.marketplace_base_url(),
        username: c.marketplace_username,
        password: Secret::new(c.marketplace_password),
        subscription_key: Secret::new(c.subscription_key),
    }
}

pub fn marketplace(sim: &SimHandle) -> MarketplaceClient {
    let timeouts = Timeouts {
        connect: Duration::from_secs(2),
        request: Duration::from_secs(3),
    };
    MarketplaceClient::with_options(&marketplace_config(sim), timeouts, quick_retry()).unwrap()
}

pub fn connectwise_config(sim: &SimHandle) -> ConnectWiseConfig {
    let c = Credentials::demo();
    ConnectWiseConfig {
        site: format!("http://{}", sim.connectwise_site()),
        company_id: c.cw_company_id,
        public_key: Secret::new(c.cw_public_key),
        private_key: Secret::new(c.cw_private_key),
        client_id: c.cw_client_id,
        codebase: String::new(),
        addition_key_field: String::new(),
        catalog_currency: "USD".into(),
    }
}

pub fn connectwise_with(config: &ConnectWiseConfig) -> ConnectWiseClient {
    ConnectWiseClient::with_options(config, Timeouts::default(), quick_retry()).unwrap()
}

pub fn connectwise(sim: &SimHandle) -> ConnectWiseClient {
    connectwise_with(&connectwise_config(sim))
}

/// The id of the task of marketplace order `order_id`.
pub async fn task_id(s: &Session, order_id: &str) -> i64 {
    let page = s
        .list_tasks(
            agreement_sync_core::view::TaskQuery {
                search: order_id.into(),
                ..Default::default()
            },
            0,
            10,
        )
        .await
        .unwrap();
    page.rows
        .iter()
        .find(|r| r.order_id == order_id)
        .expect("task")
        .id
}

/// Maps each product still without a catalog item to the top suggestion (a setup fee, a usage
/// meter), as a person accepting them would.
pub async fn map_the_rest(s: &Session, id: i64) {
    let v = s.open_wizard(id).await.unwrap();
    let unmapped: Vec<(String, i64)> = v
        .plan
        .iter()
        .flat_map(|p| p.products.iter())
        .filter(|m| m.catalog.is_none())
        .map(|m| (m.product_key.clone(), m.suggestions[0].id))
        .collect();
    for (product_key, catalog_id) in unmapped {
        s.edit_wizard(
            id,
            WizardEdit::MapProduct {
                product_key,
                catalog_id,
            },
        )
        .await
        .unwrap();
    }
}

/// Maps the customer and every product to the top suggestion, as a person accepting them would.
pub async fn accept_suggestions(s: &Session, id: i64) -> WizardView {
    let v = s.open_wizard(id).await.unwrap();
    let company = v.customer.suggestions[0].id;
    let mut v = s
        .edit_wizard(
            id,
            WizardEdit::MapCustomer {
                company_id: company,
            },
        )
        .await
        .unwrap();
    let unmapped: Vec<(String, i64)> = v
        .plan
        .as_ref()
        .map(|p| {
            p.products
                .iter()
                .filter(|m| m.catalog.is_none())
                .map(|m| (m.product_key.clone(), m.suggestions[0].id))
                .collect()
        })
        .unwrap_or_default();
    for (product_key, catalog_id) in unmapped {
        v = s
            .edit_wizard(
                id,
                WizardEdit::MapProduct {
                    product_key,
                    catalog_id,
                },
            )
            .await
            .unwrap();
    }
    v
}

/// Maps a task's customer (if not mapped yet) and each of its products still without a catalog
/// item to the top suggestion, as a person accepting them would; generated customers
/// (2000000000 + i) go to their own company (1000 + i).
pub async fn map_as_suggested(s: &Session, task: &agreement_sync_core::view::TaskRow) {
    let mut v = s.open_wizard(task.id).await.unwrap();
    if v.customer.company.is_none() {
        let company_id = match task.customer_id.parse::<i64>() {
            Ok(n) if n >= 2_000_000_000 => 1000 + (n - 2_000_000_000),
            _ => v.customer.suggestions[0].id,
        };
        v = s
            .edit_wizard(task.id, WizardEdit::MapCustomer { company_id })
            .await
            .unwrap();
    }
    let unmapped: Vec<(String, i64)> = v
        .plan
        .iter()
        .flat_map(|p| &p.products)
        .filter(|m| m.catalog.is_none() && !m.suggestions.is_empty())
        .map(|m| (m.product_key.clone(), m.suggestions[0].id))
        .collect();
    for (product_key, catalog_id) in unmapped {
        s.edit_wizard(
            task.id,
            WizardEdit::MapProduct {
                product_key,
                catalog_id,
            },
        )
        .await
        .unwrap();
    }
}

/// A Demo session on the cache at `path`, talking to the simulator at `marketplace` / `site`,
/// with `request` as its request timeout and quick retries.
pub fn session_at(path: &Path, marketplace: &str, site: &str, request: Duration) -> Session {
    session_keyed(path, marketplace, site, request, None)
}

/// [`session_at`], its profile naming `key_field` as the addition custom field for its keys.
pub fn session_keyed(
    path: &Path,
    marketplace: &str,
    site: &str,
    request: Duration,
    key_field: Option<&str>,
) -> Session {
    let c = Credentials::demo();
    let timeouts = Timeouts {
        connect: Duration::from_secs(2),
        request,
    };
    let mp = MarketplaceClient::with_options(
        &MarketplaceConfig {
            base_url: marketplace.to_owned(),
            username: c.marketplace_username.clone(),
            password: Secret::new(c.marketplace_password.clone()),
            subscription_key: Secret::new(c.subscription_key.clone()),
        },
        timeouts,
        quick_retry(),
    )
    .unwrap();
    let cw = ConnectWiseClient::with_options(
        &ConnectWiseConfig {
            site: format!("http://{site}"),
            company_id: c.cw_company_id.clone(),
            public_key: Secret::new(c.cw_public_key.clone()),
            private_key: Secret::new(c.cw_private_key.clone()),
            client_id: c.cw_client_id.clone(),
            codebase: String::new(),
            addition_key_field: String::new(),
            catalog_currency: "USD".into(),
        },
        timeouts,
        quick_retry(),
    )
    .unwrap()
    .with_key_field(key_field);
    Session::new(
        "Demo",
        ProfileKind::Demo,
        "/tmp/nowhere",
        Store::open(path).unwrap(),
        mp,
        cw,
    )
    .with_clock(clock())
    .with_sync_backoff(quick_retry())
}

/// An addition as it bears on the invoice, without its id.
pub fn essence(a: &agreement_sync_core::connectwise::wire::Addition) -> String {
    let day = |d: Option<chrono::DateTime<chrono::Utc>>| {
        d.map(|d| d.date_naive().to_string()).unwrap_or_default()
    };
    format!(
        "product {} × {} @ {} (cost {}) {} from {} to {} taxable {}",
        a.product.id,
        a.quantity.unwrap_or_default().normalize(),
        a.unit_price.unwrap_or_default().normalize(),
        a.unit_cost.unwrap_or_default().normalize(),
        a.bill_customer,
        day(a.effective_date),
        day(a.cancelled_date),
        a.taxable_flag
    )
}

// ---------- Reconcile: the Demo world mapped ----------

/// A Demo session on `store`, on the pinned clock.
pub fn session(sim: &SimHandle, store: Store) -> Session {
    Session::new(
        "Demo",
        ProfileKind::Demo,
        "/tmp/nowhere",
        store,
        marketplace(sim),
        connectwise(sim),
    )
    .with_clock(clock())
}

/// Customer → company, as the Demo world pairs them.
pub const COMPANIES: [(&str, i64); 15] = [
    ("1000048531", 250),
    ("1000048602", 252),
    ("1000048617", 253),
    ("1000048655", 254),
    ("1000048703", 255),
    ("1000048729", 256),
    ("1000048744", 257),
    ("1000048790", 258),
    ("1000048812", 259),
    ("1000048835", 260),
    ("1000048851", 261),
    ("1000048876", 262),
    ("1000048890", 267),
    ("1000048905", 268),
    ("1000048920", 269),
];

/// Product → catalog item; Power BI Pro has none.
pub const PRODUCTS: [(&str, i64); 8] = [
    ("CFQ7TTC0LCHC:0002_P1M", 611),
    ("CFQ7TTC0LH16:0001_P1M", 612),
    ("CFQ7TTC0LH1G:0001_P1Y", 614),
    ("CFQ7TTC0LH18:0001_P1M", 615),
    ("CFQ7TTC0LDPB:0001_P1M", 616),
    ("CFQ7TTC0LHSF:0001_P1M", 617),
    ("CFQ7TTC0LHWF:0001_P3M", 618),
    ("ACR-CP-WS:BASE", 619),
];

pub fn map_all(store: &Store) {
    store
        .with(|c| {
            for (customer, company) in COMPANIES {
                mappings::set_company(c, customer, company, "2026-11-24T11:00:00Z")?;
            }
            for (product, item) in PRODUCTS {
                mappings::set_product(c, product, item, "2026-11-24T11:00:00Z")?;
            }
            Ok(())
        })
        .unwrap();
}

/// A Demo session after a Check Changes, everything mapped.
pub async fn checked(sim: &SimHandle) -> Session {
    let s = session(sim, Store::open_in_memory().unwrap());
    s.check_changes(&|_| {}).await.expect("check");
    map_all(s.store());
    s
}
