//! Reconcile (SPEC §13): is ConnectWise right today? For every customer, the marketplace's
//! subscriptions are compared product by product with the active additions of the company's
//! fitting agreements (billing cycle and currency, SPEC §2), and each product gets an
//! [`Outcome`] with both sides and its effect on the recurring amount per period.
//!
//! [`reconcile`] is pure: the subscriptions read, the cached ConnectWise data and the mappings
//! in, typed decisions out; "today" is a parameter. Showing them is [`present`]'s work; reading
//! and caching them is [`run`]'s.
//!
//! What ConnectWise bills is taken as scheduled: an addition that starts later counts, and one
//! with a cancel date (even one still ahead, active until then) does not count for what it bills
//! from then on. So a fix written as "cancel the current addition at the period's end, add the
//! right one from the next period" reads In sync at once, and a cancelled subscription whose
//! addition already ends is not Still billing.

pub mod csv;
pub mod fix;
pub mod map;
pub mod present;
pub mod run;

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::connectwise::wire::{
    Addition, Agreement, BillingCycle, CatalogItem, Company, Currency as CwCurrency,
};
use crate::marketplace::wire::{Subscription, SubscriptionProduct};
use crate::money::{self, Currency, MoneyError};
use crate::period::{self, BillingPeriod};
use crate::plan::{self, BillCustomer, PriceSource};
use crate::review;

/// What Reconcile found for one product of a customer (SPEC §13).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum Outcome {
    /// Quantity and (with marketplace prices) unit price agree.
    InSync,
    /// ConnectWise bills another quantity than the marketplace has.
    QuantityDiffers,
    /// The addition's unit price is not the marketplace's (marketplace price source).
    PriceDiffers,
    /// An active subscription product with no active addition.
    MissingInConnectWise,
    /// An active addition whose subscription is cancelled or suspended.
    StillBilling,
    /// Two or more active additions of one product on the company's fitting agreements.
    Duplicate,
    /// The customer or the product has no mapping.
    Unmapped,
    /// The additions of a fitting agreement of the company are not read yet (a customer mapped
    /// offline): what ConnectWise bills is not known, so nothing is compared.
    NotRead,
}

impl Outcome {
    pub const ALL: [Outcome; 8] = [
        Outcome::InSync,
        Outcome::QuantityDiffers,
        Outcome::PriceDiffers,
        Outcome::MissingInConnectWise,
        Outcome::StillBilling,
        Outcome::Duplicate,
        Outcome::Unmapped,
        Outcome::NotRead,
    ];

    /// In words, as the SPEC's table names it.
    pub fn label(self) -> &'static str {
        match self {
            Outcome::InSync => "In sync",
            Outcome::QuantityDiffers => "Quantity differs",
            Outcome::PriceDiffers => "Price differs",
            Outcome::MissingInConnectWise => "Missing in ConnectWise",
            Outcome::StillBilling => "Still billing",
            Outcome::Duplicate => "Duplicate",
            Outcome::Unmapped => "Unmapped",
            Outcome::NotRead => "Not compared yet",
        }
    }

    /// ConnectWise bills other than it should: not In sync, and not a product that could not
    /// be compared (unmapped, additions not read), which is counted apart.
    pub fn is_drift(self) -> bool {
        !matches!(self, Outcome::InSync | Outcome::Unmapped | Outcome::NotRead)
    }

    /// Stable name used in the cache.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::InSync => "inSync",
            Outcome::QuantityDiffers => "quantityDiffers",
            Outcome::PriceDiffers => "priceDiffers",
            Outcome::MissingInConnectWise => "missingInConnectWise",
            Outcome::StillBilling => "stillBilling",
            Outcome::Duplicate => "duplicate",
            Outcome::Unmapped => "unmapped",
            Outcome::NotRead => "notRead",
        }
    }

    pub fn parse(s: &str) -> Option<Outcome> {
        Outcome::ALL.into_iter().find(|o| o.as_str() == s)
    }
}

/// More about a product's outcome: what is missing to compare it, or why it reads so.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum Note {
    /// The customer is not mapped to a ConnectWise company.
    CustomerNotMapped,
    /// The product is not mapped to a cached ConnectWise catalog item.
    ProductNotMapped,
    /// None of the company's agreements has the subscription's billing cycle and currency.
    NoFittingAgreement,
    /// A fitting agreement's additions are not read yet: the product is not compared.
    AdditionsNotCached,
    /// The subscriptions of the product have different unit prices (amounts are compared).
    SeveralPrices,
}

/// A subscription's state as far as Reconcile is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum SubscriptionState {
    Active,
    Cancelled,
    Suspended,
}

impl SubscriptionState {
    /// The states Reconcile reads; others (pending, expired, ...) bill nothing yet or any more.
    pub fn of(status: &str) -> Option<SubscriptionState> {
        let s = status.trim();
        if s.eq_ignore_ascii_case("active") {
            Some(SubscriptionState::Active)
        } else if s.eq_ignore_ascii_case("cancelled") || s.eq_ignore_ascii_case("canceled") {
            Some(SubscriptionState::Cancelled)
        } else if s.eq_ignore_ascii_case("suspended") {
            Some(SubscriptionState::Suspended)
        } else {
            None
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            SubscriptionState::Active => "Active",
            SubscriptionState::Cancelled => "Cancelled",
            SubscriptionState::Suspended => "Suspended",
        }
    }
}

/// A customer's subscriptions as read from the marketplace.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CustomerSubscriptions {
    pub customer_id: String,
    pub customer_name: String,
    pub subscriptions: Vec<Subscription>,
}

/// Everything Reconcile reads from the ConnectWise cache and the mappings, once.
#[derive(Debug, Clone, Default)]
pub struct ConnectWiseData {
    pub companies: Vec<Company>,
    pub agreements: Vec<Agreement>,
    /// Agreement id → its cached additions (absent: never read).
    pub additions: HashMap<i64, Vec<Addition>>,
    pub catalog: Vec<CatalogItem>,
    pub cycles: Vec<BillingCycle>,
    pub currencies: Vec<CwCurrency>,
    /// Marketplace customer id → ConnectWise company id.
    pub customer_map: HashMap<String, i64>,
    /// Product key (MPN) → catalog item id.
    pub product_map: HashMap<String, i64>,
}

/// How to compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Settings {
    /// The day the comparison is made for.
    pub today: NaiveDate,
    /// Marketplace prices (unit prices are compared) or ConnectWise's (they are not).
    pub price_source: PriceSource,
}

/// The marketplace side of a product.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MarketplaceSide {
    /// The subscriptions holding the product (of one billing period and currency).
    pub subscription_ids: Vec<String>,
    /// The MPN (the product mapping's key).
    pub product_key: String,
    pub product_name: String,
    /// The quantity of the subscriptions together.
    pub quantity: Decimal,
    /// The recurring unit price; `None` when the subscriptions have different ones.
    pub unit_price: Option<Decimal>,
    pub currency: String,
    pub status: SubscriptionState,
    pub period: BillingPeriod,
}

/// A fitting agreement of the company.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AgreementLine {
    pub id: i64,
    pub name: String,
    /// The agreement's own amount per period (ConnectWise's `billAmount`): billed besides its
    /// additions, never compared with the marketplace, shown as its own line.
    #[serde(default)]
    pub own_amount: Decimal,
}

/// An addition of the product on a fitting agreement, active today or starting later.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AdditionLine {
    pub id: i64,
    pub agreement_id: i64,
    pub agreement_name: String,
    pub quantity: Decimal,
    /// ConnectWise's `lessIncluded`: units the agreement includes, not billed.
    pub less_included: Decimal,
    pub unit_price: Decimal,
    pub effective_date: Option<NaiveDate>,
    pub cancel_date: Option<NaiveDate>,
    pub billable: bool,
    /// It has a cancel date: it bills until then, and is not counted as going on.
    pub ending: bool,
    /// What the app wrote it for, read from its key (SPEC §15), from any desk.
    #[serde(default)]
    pub written_for: Option<WrittenFor>,
}

/// What an addition the app created was written for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WrittenFor {
    /// The order id (or reconcile fix) its key names.
    pub source: String,
    pub role: crate::ledger::Role,
    /// When it was written, when ConnectWise says.
    pub on: Option<NaiveDate>,
}

impl WrittenFor {
    /// Read from an addition's key; `None` for an addition the app did not create.
    pub fn of(a: &crate::connectwise::wire::Addition) -> Option<WrittenFor> {
        let key = crate::ledger::parse(crate::ledger::key_of(a)?)?;
        Some(WrittenFor {
            source: key.source,
            role: key.role,
            on: a
                .info
                .as_ref()
                .and_then(|i| i.date_entered)
                .map(|d| d.date_naive()),
        })
    }
}

/// The ConnectWise side of a product.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConnectWiseSide {
    /// The catalog item the product maps to.
    pub catalog_item_id: Option<i64>,
    pub agreements: Vec<AgreementLine>,
    pub additions: Vec<AdditionLine>,
}

impl ConnectWiseSide {
    /// The additions that go on billing (no cancel date).
    pub fn counted(&self) -> impl Iterator<Item = &AdditionLine> {
        self.additions.iter().filter(|a| !a.ending)
    }
}

/// One product of a customer, reconciled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProductReconcile {
    pub outcome: Outcome,
    pub notes: Vec<Note>,
    pub marketplace: MarketplaceSide,
    pub connectwise: ConnectWiseSide,
    /// The currency amounts are rounded in.
    pub currency: Currency,
    /// What ConnectWise should bill per period (the marketplace's quantity and price).
    pub marketplace_amount: Decimal,
    /// What ConnectWise bills per period, as scheduled; `None` when it cannot be known (not
    /// mapped).
    pub connectwise_amount: Option<Decimal>,
    /// `marketplace_amount − connectwise_amount`: positive when ConnectWise bills too little.
    pub effect: Option<Decimal>,
}

impl ProductReconcile {
    /// The product line's key within its customer: MPN, billing period and currency
    /// (`MPN|month1|USD`); a product may be held monthly and yearly, or in two currencies.
    pub fn line_key(&self) -> String {
        let m = &self.marketplace;
        format!(
            "{}|{}{}|{}",
            m.product_key,
            m.period.unit().as_str(),
            m.period.count(),
            m.currency
        )
    }
}

/// A customer's company.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CompanyLine {
    pub id: i64,
    pub name: String,
}

/// A customer, reconciled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CustomerReconcile {
    pub customer_id: String,
    pub customer_name: String,
    pub company: Option<CompanyLine>,
    pub products: Vec<ProductReconcile>,
    /// Subscriptions or products that could not be compared, in words.
    pub problems: Vec<String>,
}

/// Recurring amounts of one billing period and currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PeriodTotals {
    pub period: BillingPeriod,
    pub currency: String,
    /// What ConnectWise bills per period (products whose ConnectWise side is known).
    pub connectwise: Decimal,
    /// What it should bill (the same products).
    pub marketplace: Decimal,
    pub effect: Decimal,
}

impl CustomerReconcile {
    /// Products ConnectWise bills other than it should (see [`Outcome::is_drift`]).
    pub fn drift_count(&self) -> u32 {
        self.count(Outcome::is_drift)
    }

    /// Products not compared because the customer or the product is not mapped.
    pub fn unmapped_count(&self) -> u32 {
        self.count(|o| o == Outcome::Unmapped)
    }

    /// Products not compared because their agreements' additions are not read yet.
    pub fn not_read_count(&self) -> u32 {
        self.count(|o| o == Outcome::NotRead)
    }

    fn count(&self, of: impl Fn(Outcome) -> bool) -> u32 {
        self.products.iter().filter(|p| of(p.outcome)).count() as u32
    }

    /// Recurring amounts per billing period and currency, of the products whose both sides are
    /// known; `None` if a sum does not fit.
    pub fn totals(&self) -> Option<Vec<PeriodTotals>> {
        let mut by: BTreeMap<(String, u32, String), PeriodTotals> = BTreeMap::new();
        for p in &self.products {
            let (Some(cw), Some(effect)) = (p.connectwise_amount, p.effect) else {
                continue;
            };
            let period = p.marketplace.period;
            let key = (
                period.unit().as_str().to_owned(),
                period.count(),
                p.currency.code.clone(),
            );
            let t = by.entry(key).or_insert_with(|| PeriodTotals {
                period,
                currency: p.currency.code.clone(),
                connectwise: Decimal::ZERO,
                marketplace: Decimal::ZERO,
                effect: Decimal::ZERO,
            });
            t.connectwise = t.connectwise.checked_add(cw)?;
            t.marketplace = t.marketplace.checked_add(p.marketplace_amount)?;
            t.effect = t.effect.checked_add(effect)?;
        }
        Some(by.into_values().collect())
    }
}

/// The cached ConnectWise data, indexed once for many customers.
struct Index<'a> {
    data: &'a ConnectWiseData,
    companies: HashMap<i64, &'a Company>,
    agreements: HashMap<i64, Vec<&'a Agreement>>,
    catalog: HashSet<i64>,
}

impl<'a> Index<'a> {
    fn new(data: &'a ConnectWiseData) -> Self {
        let mut agreements: HashMap<i64, Vec<&Agreement>> = HashMap::new();
        for a in &data.agreements {
            agreements.entry(a.company.id).or_default().push(a);
        }
        for list in agreements.values_mut() {
            list.sort_by_key(|a| a.id);
        }
        Index {
            data,
            companies: data.companies.iter().map(|c| (c.id, c)).collect(),
            agreements,
            catalog: data.catalog.iter().map(|c| c.id).collect(),
        }
    }

    /// The currency of amounts in `code`: the fitting agreement's, else ConnectWise's list's.
    fn currency(&self, code: &str, agreement: Option<&Agreement>) -> Currency {
        if let Some(a) = agreement {
            return review::agreement_currency(a, &self.data.currencies);
        }
        let decimals = self
            .data
            .currencies
            .iter()
            .find(|c| c.code().is_some_and(|x| x.eq_ignore_ascii_case(code)))
            .and_then(|c| c.number_of_decimals)
            .unwrap_or(Currency::DEFAULT_DECIMALS);
        Currency::new(code.to_owned(), decimals)
    }
}

/// Reconciles every customer (pure): see the module's words.
pub fn reconcile(
    customers: &[CustomerSubscriptions],
    data: &ConnectWiseData,
    settings: Settings,
) -> Vec<CustomerReconcile> {
    let index = Index::new(data);
    customers
        .iter()
        .map(|c| reconcile_customer(c, &index, settings))
        .collect()
}

/// The products of a customer's subscriptions, grouped by product, billing period and currency.
#[derive(Default)]
struct Group<'s> {
    name: String,
    active: Vec<(&'s Subscription, &'s SubscriptionProduct, Decimal)>,
    ended: Vec<(
        &'s Subscription,
        &'s SubscriptionProduct,
        Decimal,
        SubscriptionState,
    )>,
}

/// The recurring unit price of a product; `None` for a usage product (billed per closed period
/// by Billing orders, never as a recurring addition).
pub fn recurring_price(p: &SubscriptionProduct) -> Option<Decimal> {
    if let Some(line) = p
        .prices
        .iter()
        .find(|l| l.kind.eq_ignore_ascii_case("recurring"))
    {
        return Some(line.amount);
    }
    let usage = p.included_quantity.is_some()
        || p.prices
            .iter()
            .any(|l| l.kind.eq_ignore_ascii_case("overuse"));
    if usage {
        return None;
    }
    Some(p.unit_price.as_ref().map(|m| m.amount).unwrap_or_default())
}

fn reconcile_customer(
    customer: &CustomerSubscriptions,
    index: &Index<'_>,
    settings: Settings,
) -> CustomerReconcile {
    let company_id = index.data.customer_map.get(&customer.customer_id).copied();
    let mut out = CustomerReconcile {
        customer_id: customer.customer_id.clone(),
        customer_name: customer.customer_name.clone(),
        company: company_id.map(|id| CompanyLine {
            id,
            name: index
                .companies
                .get(&id)
                .map(|c| c.name.clone())
                .unwrap_or_else(|| format!("company {id}")),
        }),
        products: Vec::new(),
        problems: Vec::new(),
    };
    // (MPN, period, currency) → the subscriptions holding it.
    let mut groups: HashMap<(String, BillingPeriod, String), Group> = HashMap::new();
    let mut order: Vec<(String, BillingPeriod, String)> = Vec::new();
    for s in &customer.subscriptions {
        let Some(state) = SubscriptionState::of(&s.status) else {
            continue;
        };
        let period = match plan::subscription_period(s) {
            Ok((period, _)) => period,
            Err(e) => {
                out.problems.push(e.to_string());
                continue;
            }
        };
        let currency = review::subscription_currency(s).to_ascii_uppercase();
        for p in &s.products {
            let Some(price) = recurring_price(p) else {
                continue;
            };
            let key = (p.mpn.clone(), period, currency.clone());
            let group = groups.entry(key.clone()).or_insert_with(|| {
                order.push(key);
                Group {
                    name: p.name.clone(),
                    ..Group::default()
                }
            });
            if state == SubscriptionState::Active {
                group.active.push((s, p, price));
            } else {
                group.ended.push((s, p, price, state));
            }
        }
    }
    for key in order {
        let Some(group) = groups.remove(&key) else {
            continue;
        };
        let (mpn, period, currency) = key;
        match compare(&group, &mpn, period, &currency, company_id, index, settings) {
            Ok(Some(p)) => out.products.push(p),
            Ok(None) => {}
            Err(e) => out.problems.push(format!(
                "{} ({}, {}) could not be compared: {e}",
                group.name, period, currency
            )),
        }
    }
    out.products.sort_by(|a, b| {
        (&a.marketplace.product_name, a.marketplace.period.months())
            .cmp(&(&b.marketplace.product_name, b.marketplace.period.months()))
    });
    out
}

fn add(a: Decimal, b: Decimal) -> Result<Decimal, MoneyError> {
    a.checked_add(b).ok_or(MoneyError::Overflow)
}

/// One product group compared; `None` when there is nothing to show (an ended subscription with
/// nothing billing, or one of a customer or product not mapped).
#[allow(clippy::too_many_arguments)]
fn compare(
    group: &Group<'_>,
    mpn: &str,
    period: BillingPeriod,
    currency_code: &str,
    company_id: Option<i64>,
    index: &Index<'_>,
    settings: Settings,
) -> Result<Option<ProductReconcile>, MoneyError> {
    let active = !group.active.is_empty();
    // The marketplace side: the active subscriptions, else the ended ones.
    let lines: Vec<(&Subscription, Decimal, Decimal)> = if active {
        group
            .active
            .iter()
            .map(|(s, p, price)| (*s, p.quantity, *price))
            .collect()
    } else {
        group
            .ended
            .iter()
            .map(|(s, p, price, _)| (*s, p.quantity, *price))
            .collect()
    };
    let status = if active {
        SubscriptionState::Active
    } else if group
        .ended
        .iter()
        .any(|(_, _, _, st)| *st == SubscriptionState::Suspended)
    {
        SubscriptionState::Suspended
    } else {
        SubscriptionState::Cancelled
    };
    let mut quantity = Decimal::ZERO;
    let mut ids = Vec::new();
    for (s, q, _) in &lines {
        quantity = add(quantity, *q)?;
        if !ids.contains(&s.id) {
            ids.push(s.id.clone());
        }
    }
    let first_price = lines.first().map(|(_, _, p)| *p).unwrap_or_default();
    let uniform = lines.iter().all(|(_, _, p)| *p == first_price);
    let marketplace = MarketplaceSide {
        subscription_ids: ids,
        product_key: mpn.to_owned(),
        product_name: group.name.clone(),
        quantity,
        unit_price: uniform.then_some(first_price),
        currency: currency_code.to_owned(),
        status,
        period,
    };
    let mut notes = Vec::new();
    if !uniform {
        notes.push(Note::SeveralPrices);
    }

    // Not mapped: shown for an active subscription (to map it here), with what it should bill.
    let item = index
        .data
        .product_map
        .get(mpn)
        .copied()
        .filter(|id| index.catalog.contains(id));
    let (Some(company_id), Some(item)) = (company_id, item) else {
        if !active {
            return Ok(None);
        }
        if company_id.is_none() {
            notes.push(Note::CustomerNotMapped);
        }
        if item.is_none() {
            notes.push(Note::ProductNotMapped);
        }
        let currency = index.currency(currency_code, None);
        return Ok(Some(ProductReconcile {
            outcome: Outcome::Unmapped,
            notes,
            marketplace_amount: marketplace_amount(&lines, active, &currency)?,
            marketplace,
            connectwise: ConnectWiseSide {
                catalog_item_id: item,
                ..ConnectWiseSide::default()
            },
            currency,
            connectwise_amount: None,
            effect: None,
        }));
    };

    // The company's fitting agreements and their additions of the product.
    let today = settings.today;
    let fitting: Vec<&Agreement> = index
        .agreements
        .get(&company_id)
        .map(|list| {
            list.iter()
                .copied()
                .filter(|a| {
                    review::unfit(a, &index.data.cycles, period, currency_code, today).is_none()
                })
                .collect()
        })
        .unwrap_or_default();
    if fitting.is_empty() {
        notes.push(Note::NoFittingAgreement);
    }
    let mut connectwise = ConnectWiseSide {
        catalog_item_id: Some(item),
        agreements: fitting
            .iter()
            .map(|a| AgreementLine {
                id: a.id,
                name: a.name.clone(),
                own_amount: a.bill_amount.unwrap_or_default(),
            })
            .collect(),
        additions: Vec::new(),
    };
    // What ConnectWise bills is only said from additions read: an agreement whose additions
    // were never read may bill the product.
    if fitting
        .iter()
        .any(|a| !index.data.additions.contains_key(&a.id))
    {
        notes.push(Note::AdditionsNotCached);
        let currency = index.currency(currency_code, fitting.first().copied());
        return Ok(Some(ProductReconcile {
            outcome: Outcome::NotRead,
            notes,
            marketplace_amount: marketplace_amount(&lines, active, &currency)?,
            marketplace,
            connectwise,
            currency,
            connectwise_amount: None,
            effect: None,
        }));
    }
    for a in &fitting {
        let Some(additions) = index.data.additions.get(&a.id) else {
            continue;
        };
        for x in additions
            .iter()
            .filter(|x| x.product.id == item && plan::is_active(x, today))
            .filter(|x| !is_one_time(x, period))
        {
            connectwise.additions.push(AdditionLine {
                id: x.id,
                agreement_id: a.id,
                agreement_name: a.name.clone(),
                quantity: x.quantity.unwrap_or_default(),
                less_included: x.less_included.unwrap_or_default(),
                unit_price: x.unit_price.unwrap_or_default(),
                effective_date: x.effective_date.map(|d| d.date_naive()),
                cancel_date: x.cancelled_date.map(|d| d.date_naive()),
                billable: BillCustomer::parse(&x.bill_customer) == Some(BillCustomer::Billable),
                ending: x.cancelled_date.is_some(),
                written_for: WrittenFor::of(x),
            });
        }
    }
    if !active && connectwise.additions.is_empty() {
        return Ok(None);
    }
    let currency = index.currency(currency_code, fitting.first().copied());
    let counted: Vec<&AdditionLine> = connectwise.counted().collect();

    // What ConnectWise bills, as scheduled.
    let mut billed = Decimal::ZERO;
    for a in &counted {
        if a.billable {
            billed = add(billed, billed_amount(a, &currency)?)?;
        }
    }
    // What it should bill.
    let single = match counted.as_slice() {
        [one] => Some(*one),
        _ => None,
    };
    let should = if !active {
        Decimal::ZERO
    } else if single.is_some_and(|a| !a.billable) {
        // Deliberately not billed in ConnectWise: nothing to bill.
        Decimal::ZERO
    } else {
        let included = single.map(|a| a.less_included).unwrap_or_default();
        match settings.price_source {
            PriceSource::CloudMarketplace => {
                let mut amount = Decimal::ZERO;
                let mut left = included;
                for (_, q, p) in &lines {
                    let off = left.min(*q).max(Decimal::ZERO);
                    left = left.checked_sub(off).ok_or(MoneyError::Overflow)?;
                    let billed_q = q.checked_sub(off).ok_or(MoneyError::Overflow)?;
                    amount = add(amount, money::extend(billed_q, *p, &currency)?)?;
                }
                amount
            }
            PriceSource::ConnectWise => {
                // The existing addition's price, else the catalog item's.
                let price = single
                    .map(|a| a.unit_price)
                    .or_else(|| {
                        index
                            .data
                            .catalog
                            .iter()
                            .find(|c| c.id == item)
                            .and_then(|c| c.price)
                    })
                    .unwrap_or_default();
                let billed_q = quantity
                    .checked_sub(included)
                    .ok_or(MoneyError::Overflow)?
                    .max(Decimal::ZERO);
                money::extend(billed_q, price, &currency)?
            }
        }
    };
    let outcome = if !active {
        if counted.is_empty() {
            Outcome::InSync
        } else {
            Outcome::StillBilling
        }
    } else {
        match counted.as_slice() {
            [] => Outcome::MissingInConnectWise,
            [one] => {
                let price_differs = settings.price_source == PriceSource::CloudMarketplace
                    && match marketplace.unit_price {
                        Some(p) => one.unit_price != p,
                        None => one.billable && billed != should,
                    };
                if one.quantity != quantity {
                    Outcome::QuantityDiffers
                } else if price_differs {
                    Outcome::PriceDiffers
                } else {
                    Outcome::InSync
                }
            }
            _ => Outcome::Duplicate,
        }
    };
    let places = currency.amount_places();
    let (should, billed) = (
        money::round_half_away(should, places),
        money::round_half_away(billed, places),
    );
    let effect = money::round_half_away(
        should.checked_sub(billed).ok_or(MoneyError::Overflow)?,
        places,
    );
    Ok(Some(ProductReconcile {
        outcome,
        notes,
        marketplace,
        connectwise,
        currency,
        marketplace_amount: should,
        connectwise_amount: Some(billed),
        effect: Some(effect),
    }))
}

/// What the marketplace's side amounts to per period (its quantities at its prices), when it
/// cannot be compared: nothing for an ended subscription.
fn marketplace_amount(
    lines: &[(&Subscription, Decimal, Decimal)],
    active: bool,
    currency: &Currency,
) -> Result<Decimal, MoneyError> {
    let mut amount = Decimal::ZERO;
    if active {
        for (_, q, p) in lines {
            amount = add(amount, money::extend(*q, *p, currency)?)?;
        }
    }
    Ok(money::round_half_away(amount, currency.amount_places()))
}

/// What an addition bills per period: its quantity less what the agreement includes, at its
/// unit price.
fn billed_amount(a: &AdditionLine, currency: &Currency) -> Result<Decimal, MoneyError> {
    plan::addition_billed(a.quantity, a.less_included, a.unit_price, currency)
}

/// A one-time addition (a prorate, a closed period's usage, a fee): its effective and cancel
/// dates lie within one billing period (SPEC §4).
fn is_one_time(a: &Addition, period: BillingPeriod) -> bool {
    match (a.effective_date, a.cancelled_date) {
        (Some(e), Some(c)) => {
            let (e, c) = (e.date_naive(), c.date_naive());
            period::checked_add_periods(e, period, 1).is_some_and(|next| c < next)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests;
