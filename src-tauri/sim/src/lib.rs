//! Agreement Sync's simulator: a loopback HTTP server that speaks the Cloud Marketplace and
//! ConnectWise Manage API subsets the app uses (SPEC §10), over seeded deterministic data.
//!
//! It writes the wire format on its own (from the spec and the wire fixtures), never through the
//! core crate's models, so a client that reads a field wrongly fails a test here instead of being
//! mirrored.
//!
//! # The seeded world (curated part; ids are stable, dates relative to `today`)
//!
//! | Marketplace customer | ConnectWise company | Agreements (cycle, currency) | Story |
//! |---|---|---|---|
//! | 1000048531 Green Lane LLC | 250 GreenLane "Green Lane LLC" | 4127 Monthly USD (fits 1000517/1000522), 4128 Yearly USD (fits 1000519), 4129 Monthly EUR | change 1000231 (+5 M365 BP, −2 EXO P1), renewal 1000230, usage billing 1000240 |
//! | 1000048602 Bluewater Dental Group | 252 "Bluewater Dental Group, P.A." | 4130 Monthly USD | sales 1000229 (processing), change 1000236 |
//! | 1000048617 Northwind Traders Inc. | 253 "Northwind Traders" | 4131 and 4132, both Monthly USD (two fit) | sales 1000221 |
//! | 1000048655 Contoso Pharmaceuticals | 254 "Contoso Pharma" | 4133 Quarterly USD, 4134 Monthly EUR (none fits) | change 1000225 |
//! | 1000048703 Müller & Söhne GmbH | 255 "Mueller & Soehne GmbH" | 4135 Monthly EUR | EUR sales 1000220 |
//! | 1000048729 Fabrikam Logistics | 256 "Fabrikam Logistics LLC" | 4136 Quarterly USD, 4137 Monthly USD | cancellation 1000219 with a fee, cancelled sales 1000234 |
//! | 1000048744 Tailspin Toys | 257 "Tailspin Toys Ltd" | 4138 Yearly USD, prorateFlag true | change 1000223 on a yearly subscription |
//! | 1000048790 Adatum Corporation | 258 "A. Datum Corporation" | 4139 Monthly USD | downgrade 1000222 on an anchor on the 31st |
//! | 1000048812 Wingtip Accounting | 259 "Wingtip Accounting & Tax" | 4140 Monthly USD | usage billing 1000218 (one product under, one over its included quantity), change 1000235 |
//! | 1000048835 Lakeshore Veterinary Clinic | 260 "Lakeshore Veterinary" | 4141 cancelled, 4142 Monthly USD | cancellation 1000232; old change 1000203 |
//! | 1000048851 Riverbend Family Dental | 261 "Riverbend Family Dentistry" | 4143 Monthly USD | sales 1000224 with a setup fee; old sales 1000201 |
//! | 1000048876 Summit Ridge Engineering | 262 "Summit Ridge Engineering" | 4144 Monthly USD | sales 1000233; old sales 1000202 |
//!
//! Companies without a customer (name-matching distractors): 251 GreenLeaf "Green Leaf
//! Landscaping" (agreement 4145), 263 "Greenlane Property Management", 264 "Blue Water Marine
//! Supply", 265 "Northwind Health Partners", 266 "Summit Roofing & Gutters".
//! Generated customers are `2000000000 + i` with company `1000 + i`, agreement `10000 + i`.
//!
//! ConnectWise additions can be written: `POST finance/agreements/{id}/additions` (201),
//! `PATCH finance/agreements/{id}/additions/{aid}` (JSON Patch), validated like ConnectWise
//! (400 `InvalidObject` listing every field problem; nothing changes), and
//! `DELETE finance/agreements/{id}/additions/{aid}` (204). Additions carry the addition custom
//! field when one is defined ([`SimHandle::set_addition_custom_field`]); their lists take
//! `customFieldConditions`. [`SimHandle::hold_creates`] makes POSTs race. [`FaultRule::after_apply`]
//! loses the answer of a write that was applied; [`FaultRule::skip`] picks e.g. the second POST.
//!
//! ConnectWise's invoice calendar (SPEC §16): every agreement has a stored `nextInvoiceDate`
//! (by default the start of the billing period containing today: the periods before it are
//! invoiced, today's invoice is the next; 4138, 4139 and 4140 are invoiced in advance, through
//! the current period) and a last invoice, both shown by `GET finance/agreementrecap/{id}`.
//! [`SimHandle::invoice_run`] invoices agreements the way ConnectWise does (see the `billing`
//! module: whole periods, or prorated and back-billed when `prorateFlag` is on) and records the
//! invoices ([`SimHandle::invoices`]); [`SimHandle::set_agreement_calendar`] places the
//! boundary. Nothing writes invoices through the API: `.../agreements/{id}/invoice` and writes
//! under `finance/invoices` get a 405 (and are recorded).
//!
//! Answers that differ from the documented ones, as real tenants send them: [`FaultKind::WebPage`]
//! (a 200 HTML page), [`FaultKind::MalformedBody`] (cut-off JSON), [`FaultKind::Reshape`] (one
//! field of every record, or of one, in another shape: a reference as its bare name, a number as
//! text, any other value), and [`OrderListing`] (a `GET /orders` that ignores its window and lists
//! newest or oldest first).
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use agreement_sync_sim::{start, SimConfig};
//! let today = chrono::Utc::now().date_naive();
//! let sim = start(SimConfig::demo(today), "127.0.0.1:0".parse().unwrap()).await?;
//! println!("{} {}", sim.marketplace_base_url(), sim.connectwise_base_url());
//! sim.shutdown();
//! # Ok(()) }
//! ```

#![recursion_limit = "512"]
// the wire bodies are large `json!` literals
// Handlers reject a request with the finished HTTP response; it is built once per rejected
// request, so boxing it would buy nothing.
#![allow(clippy::result_large_err)]

mod billing;
mod conditions;
mod connectwise;
mod control;
mod correlation;
mod faults;
mod marketplace;
mod server;
mod state;
mod world;

/// The words the generated world names its companies from.
pub mod names {
    pub use crate::world::{ADJECTIVES, NOUNS};
}

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, NaiveDate, Utc};
use tokio::net::TcpListener;

pub use faults::{FaultKind, FaultRule, FaultTiming, NewShape, Reshape};
pub use state::RecordedRequest;

use state::SimState;
use world::{SeedParams, World};

/// How the simulated world is built and how the server behaves.
#[derive(Clone, Debug)]
pub struct SimConfig {
    /// Seed of the generated part of the world (default 42).
    pub seed: u64,
    /// Marketplace customers in all (default 12): the 12 curated ones always exist, the rest are
    /// generated.
    pub customers: usize,
    /// Orders per generated customer (default 3), spread over the 28 days before `today`.
    pub orders_per_customer: usize,
    /// The world's "today": seeded orders lie in the 28 days before it (plus three older than
    /// 35 days).
    pub today: NaiveDate,
    /// Added to every response (default 0).
    pub latency: Duration,
    /// Marketplace token lifetime (default 3600 s).
    pub token_ttl: Duration,
    /// The credentials both APIs accept (default [`Credentials::demo`]).
    pub credentials: Credentials,
}

impl SimConfig {
    /// The default world.
    pub fn demo(today: NaiveDate) -> Self {
        SimConfig {
            seed: 42,
            customers: 12,
            orders_per_customer: 3,
            today,
            latency: Duration::ZERO,
            token_ttl: Duration::from_secs(3600),
            credentials: Credentials::demo(),
        }
    }
}

impl Default for SimConfig {
    /// The demo world with today's date (UTC).
    fn default() -> Self {
        SimConfig::demo(Utc::now().date_naive())
    }
}

/// How `GET /orders` answers. The documented API honours `creationTimeFrom`/`creationTimeTo` and
/// lists newest first (the default); real tenants have been seen to ignore the window and list
/// every order, newest or oldest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OrderListing {
    /// Whether `creationTimeFrom`/`creationTimeTo` filter the list.
    pub honours_window: bool,
    /// Newest first (else oldest first).
    pub newest_first: bool,
}

impl Default for OrderListing {
    fn default() -> Self {
        OrderListing {
            honours_window: true,
            newest_first: true,
        }
    }
}

impl OrderListing {
    /// Every order, whatever window is asked for, newest first.
    pub const IGNORES_WINDOW_NEWEST_FIRST: OrderListing = OrderListing {
        honours_window: false,
        newest_first: true,
    };
    /// Every order, whatever window is asked for, oldest first.
    pub const IGNORES_WINDOW_OLDEST_FIRST: OrderListing = OrderListing {
        honours_window: false,
        newest_first: false,
    };
}

/// The credentials the simulator accepts.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    pub marketplace_username: String,
    pub marketplace_password: String,
    pub subscription_key: String,
    pub cw_company_id: String,
    pub cw_public_key: String,
    pub cw_private_key: String,
    pub cw_client_id: String,
}

impl Credentials {
    /// `demo` / `demo-password` / `demo-subscription-key` for the marketplace;
    /// `demo` / `demo-public` / `demo-private` / `00000000-0000-4000-8000-000000000001` for
    /// ConnectWise.
    pub fn demo() -> Self {
        Credentials {
            marketplace_username: "demo".into(),
            marketplace_password: "demo-password".into(),
            subscription_key: "demo-subscription-key".into(),
            cw_company_id: "demo".into(),
            cw_public_key: "demo-public".into(),
            cw_private_key: "demo-private".into(),
            cw_client_id: "00000000-0000-4000-8000-000000000001".into(),
        }
    }
}

impl fmt::Debug for Credentials {
    /// Secrets are not printed.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("marketplace_username", &self.marketplace_username)
            .field("marketplace_password", &"***")
            .field("subscription_key", &"***")
            .field("cw_company_id", &self.cw_company_id)
            .field("cw_public_key", &"***")
            .field("cw_private_key", &"***")
            .field("cw_client_id", &self.cw_client_id)
            .finish()
    }
}

/// Starts the simulator on `addr` (port 0: any free port) and returns at once; the server runs
/// on the current tokio runtime until [`SimHandle::shutdown`].
pub async fn start(config: SimConfig, addr: SocketAddr) -> std::io::Result<SimHandle> {
    let listener = TcpListener::bind(addr).await?;
    let local = listener.local_addr()?;
    let host = match local.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    let public = SocketAddr::new(host, local.port());
    let origin = format!("http://{public}");
    let params = SeedParams {
        seed: config.seed,
        customers: config.customers,
        orders_per_customer: config.orders_per_customer,
        today: config.today,
    };
    let world = tokio::task::spawn_blocking(move || World::seed(&params))
        .await
        .map_err(std::io::Error::other)?;
    let state = Arc::new(SimState::new(
        world,
        config.credentials,
        config.token_ttl,
        config.latency,
        public,
        origin,
    ));
    let router = server::router(state.clone());
    tokio::spawn(server::serve(listener, router, state.clone()));
    Ok(SimHandle { state })
}

/// A running simulator. Clones share it.
#[derive(Clone)]
pub struct SimHandle {
    state: Arc<SimState>,
}

impl fmt::Debug for SimHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SimHandle")
            .field("addr", &self.state.addr)
            .finish()
    }
}

impl SimHandle {
    /// The address it listens on (an unspecified bind address is reported as loopback).
    pub fn addr(&self) -> SocketAddr {
        self.state.addr
    }

    /// `http://127.0.0.1:PORT/marketplace/us/`
    pub fn marketplace_base_url(&self) -> String {
        format!("{}/marketplace/us/", self.state.origin)
    }

    /// `127.0.0.1:PORT`
    pub fn connectwise_site(&self) -> String {
        self.state.addr.to_string()
    }

    /// `http://127.0.0.1:PORT/v4_6_release/apis/3.0/`
    pub fn connectwise_base_url(&self) -> String {
        self.state.connectwise_base()
    }

    /// The credentials it accepts.
    pub fn credentials(&self) -> Credentials {
        self.state.credentials.clone()
    }

    /// Replaces the fault rules (the first matching rule decides for a request: see
    /// [`FaultRule`]).
    pub fn set_faults(&self, rules: Vec<FaultRule>) {
        self.state.set_faults(rules);
    }

    /// The additions of an agreement as the API shows them (the JSON of
    /// `GET finance/agreements/{id}/additions/{aid}`), by id; empty for an unknown agreement.
    pub fn additions_of(&self, agreement_id: u64) -> Vec<serde_json::Value> {
        let w = self.state.read_world();
        let base = self.state.connectwise_base();
        w.additions_of(agreement_id)
            .into_iter()
            .map(|a| connectwise::addition_json(&w, a, &base))
            .collect()
    }

    /// Makes the ConnectWise API member's security role lack these permissions, as ConnectWise
    /// names them: `("Finance › Agreements", "Add")`. Requests that need one get a 403. An empty
    /// list grants everything again.
    pub fn deny_permissions(&self, denied: &[(&str, &str)]) {
        self.state.set_denied(
            denied
                .iter()
                .map(|(a, l)| ((*a).to_owned(), (*l).to_owned()))
                .collect(),
        );
    }

    /// How `GET /orders` treats its window and orders its list, from now on.
    pub fn set_order_listing(&self, listing: OrderListing) {
        self.state.set_order_listing(listing);
    }

    /// Latency added to every response from now on.
    pub fn set_latency(&self, d: Duration) {
        self.state.set_latency(d);
    }

    /// Every marketplace token issued so far becomes invalid (401).
    pub fn expire_tokens(&self) {
        self.state.expire_tokens();
    }

    /// Every request seen (control endpoints excluded), oldest first.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.state.requests()
    }

    pub fn clear_requests(&self) {
        self.state.clear_requests();
    }

    /// Adds an order consistent with the customer's subscriptions and returns its id:
    /// `sales` makes a new subscription (like the customer's first one, 5 seats), `change` adds
    /// one seat to the first product of the first active subscription, `billing` reports the
    /// usage subscription's usage, `cancellation` cancels the first active subscription, other
    /// types repeat the first subscription's products. A `completed` order is applied to the
    /// subscription. An unknown customer gets an order without products.
    pub fn create_order(
        &self,
        customer_id: &str,
        order_type: &str,
        status: &str,
        created: DateTime<Utc>,
    ) -> String {
        self.state
            .write_world()
            .create_order(customer_id, order_type, status, created.naive_utc())
    }

    /// Changes an order's status (no-op for an unknown order).
    pub fn set_order_status(&self, order_id: &str, status: &str) {
        self.state.write_world().set_order_status(order_id, status);
    }

    /// Renames a ConnectWise company, as a person would in ConnectWise (its `lastUpdated` moves
    /// on). Returns whether it exists.
    pub fn rename_company(&self, id: u64, name: &str) -> bool {
        let mut w = self.state.write_world();
        let Some(c) = w.companies.get_mut(&id) else {
            return false;
        };
        c.name = name.to_owned();
        c.last_updated = Utc::now();
        true
    }

    /// Renames a ConnectWise agreement (its `lastUpdated` moves on). Returns whether it exists.
    pub fn rename_agreement(&self, id: u64, name: &str) -> bool {
        let mut w = self.state.write_world();
        let Some(a) = w.agreements.get_mut(&id) else {
            return false;
        };
        a.name = name.to_owned();
        a.last_updated = Utc::now();
        true
    }

    /// Sets a catalog item's price (its `lastUpdated` moves on). Returns whether it exists.
    pub fn set_catalog_price(&self, id: u64, price: rust_decimal::Decimal) -> bool {
        let mut w = self.state.write_world();
        let Some(item) = w.catalog.get_mut(&id) else {
            return false;
        };
        item.price = price;
        item.last_updated = Utc::now();
        true
    }

    /// Sets an addition's quantity, as a person would in ConnectWise: the addition's and its
    /// agreement's `lastUpdated` move on. Returns whether it exists.
    pub fn set_addition_quantity(&self, id: u64, quantity: rust_decimal::Decimal) -> bool {
        let mut w = self.state.write_world();
        let now = Utc::now();
        let Some(a) = w.additions.get_mut(&id) else {
            return false;
        };
        a.quantity = quantity;
        a.last_updated = now;
        let agreement = a.agreement_id;
        w.touch_agreement(agreement, now);
        true
    }

    /// Defines the custom field additions carry (ConnectWise's user-defined field of the
    /// Agreement Addition screen), e.g. `("Agreement Sync Key", "Text")`, replacing any defined
    /// before, and returns its id (31). `field_type` is one of ConnectWise's types (`Text`,
    /// `TextArea`, `Number`, `Currency`, `Percent`, `Date`, `Checkbox`, `Hyperlink`, `IPAddress`,
    /// `Button`; any letter case); an unknown type or an empty caption is refused. Additions keep
    /// their values when the field is redefined with the same id.
    pub fn set_addition_custom_field(
        &self,
        caption: &str,
        field_type: &str,
    ) -> Result<u64, String> {
        let def = control::custom_field(None, caption, field_type)?;
        let id = def.id;
        self.state
            .write_world()
            .set_addition_custom_field(Some(def));
        Ok(id)
    }

    /// No addition custom field from now on (additions show `"customFields": []`; their values
    /// are gone).
    pub fn clear_addition_custom_field(&self) {
        self.state.write_world().set_addition_custom_field(None);
    }

    /// Holds the next `n` `POST finance/agreements/{id}/additions` until all `n` have arrived,
    /// then applies and answers them in arrival order (two desks creating at the same moment). A
    /// held POST proceeds anyway after 10 s. Then creates are no longer held; 0 stops holding
    /// (and releases a group still waiting).
    pub fn hold_creates(&self, n: usize) {
        self.state.hold_creates(n);
    }

    /// ConnectWise's invoice run: every agreement (or only `agreement_id`) that is not cancelled
    /// and whose next invoice date is on or before `through` is invoiced period by period (the
    /// billing period containing its next invoice date, then the next one, ...) until its next
    /// invoice date is after `through`. Returns the invoices made, as
    /// [`SimHandle::invoices`] shows them; an unknown agreement makes none.
    pub fn invoice_run(
        &self,
        through: NaiveDate,
        agreement_id: Option<u64>,
    ) -> Vec<serde_json::Value> {
        let mut w = self.state.write_world();
        billing::invoice_run(&mut w, through, agreement_id, Utc::now())
    }

    /// The invoices the invoice runs made for an agreement, oldest first:
    /// `{id, invoiceNumber, date, agreementId, periodStart, periodEnd (inclusive), currency,
    /// lines: [{kind: agreement|recurring|oneTime|backBilled, additionId, description, quantity,
    /// unitPrice, amount, from, to}], total}`, dates `yyyy-MM-dd`, decimals as strings.
    pub fn invoices(&self, agreement_id: u64) -> Vec<serde_json::Value> {
        billing::invoices_json(&self.state.read_world(), Some(agreement_id))
    }

    /// Places an agreement's invoice calendar: its next invoice date (`None`: none, as for a
    /// cancelled agreement) and its `prorateFlag`, as if ConnectWise had invoiced it up to that
    /// date (its last invoice follows; its `lastUpdated` moves on). Returns whether it exists.
    pub fn set_agreement_calendar(
        &self,
        id: u64,
        next_invoice_date: Option<NaiveDate>,
        prorate_flag: bool,
    ) -> bool {
        self.state.write_world().set_agreement_calendar(
            id,
            next_invoice_date,
            prorate_flag,
            Utc::now(),
        )
    }

    /// Stops accepting connections; idle connections close, busy ones finish their request.
    pub fn shutdown(&self) {
        self.state.shutdown.send_replace(true);
    }
}
