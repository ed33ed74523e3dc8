//! What Reconcile found (SPEC §13), as the cache keeps it: per customer and product, the
//! outcome with both sides and its effect on the recurring amount per period.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::marketplace::wire::Subscription;
use crate::money::Currency;
use crate::period::BillingPeriod;

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
