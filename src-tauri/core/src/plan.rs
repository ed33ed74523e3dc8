//! Planning (SPEC §4): order + subscription + agreement + its additions + mappings + catalog →
//! the additions to add, cancel, change or prorate, with their amounts. Pure: no I/O.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::calendar::{Calendar, Invoiced};
use crate::connectwise::wire::{Addition, Agreement, CatalogItem};
use crate::error::{Error, ErrorField, Result};
use crate::marketplace::wire::{Order, OrderProduct, Subscription, SubscriptionProduct};
use crate::money::{self, Currency};
use crate::period::{self, BillingPeriod, Span};
pub use crate::record::fix::{FixMode, FixTarget};
pub use crate::record::write::{Action, BillCustomer, PriceSource, WriteAction};
use crate::task::TaskType;

/// One row of the plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PlannedAddition {
    /// Stable within a task (drafts key their edits by it): `add:MPN`, `cancel:ID`, ...
    pub key: String,
    pub action: Action,
    pub selected: bool,
    /// The marketplace product: its MPN, or `setup:MPN` for a setup fee.
    pub product_key: String,
    pub product_name: String,
    pub catalog_item_id: Option<i64>,
    pub existing_addition_id: Option<i64>,
    pub effective_date: NaiveDate,
    pub cancel_date: Option<NaiveDate>,
    pub description: String,
    pub quantity: Decimal,
    pub unit_price: Decimal,
    pub unit_cost: Decimal,
    pub bill_customer: BillCustomer,
    pub taxable: bool,
    pub price_source: PriceSource,
    /// `quantity × unit_price`, rounded to the currency's decimals.
    pub ext_price: Decimal,
    /// Why the row is as it is (put into words by `wizard::notes`).
    pub notes: Vec<RowNote>,
    /// The key a create writes with its addition (SPEC §15), the same on every desk.
    #[serde(default)]
    pub source_key: Option<String>,
    /// What ConnectWise already holds of this row (any desk), when it holds something.
    #[serde(default)]
    pub found: Option<Found>,
}

/// What an agreement already holds of a planned row (SPEC §15).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum FoundKind {
    /// An addition carrying this row's key: written before, by this desk or another. Not
    /// written again.
    Keyed,
    /// The addition a patch changes already holds every planned value. Nothing to send.
    AsPlanned,
    /// An addition without a key that is identical to this one-time row (written by hand, or
    /// before keys): the row starts unselected, the person decides.
    Twin,
    /// The addition a cancel row ends already has another cancel date: shown, not overwritten
    /// unless the person selects the row.
    Conflict,
}

/// What ConnectWise holds of a row, and which addition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Found {
    pub kind: FoundKind,
    pub addition_id: i64,
    /// For a conflict: the cancel date ConnectWise has.
    pub cancel_date: Option<NaiveDate>,
    /// When the addition was written, when ConnectWise says.
    pub entered: Option<NaiveDate>,
    /// For a keyed addition: where it differs from the row as planned here.
    pub differs: Vec<Difference>,
}

/// Where a keyed addition differs from the row planned here: ConnectWise's value, then this
/// desk's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum Difference {
    Quantity {
        theirs: Decimal,
        here: Decimal,
    },
    UnitPrice {
        theirs: Decimal,
        here: Decimal,
    },
    EffectiveDate {
        theirs: Option<NaiveDate>,
        here: NaiveDate,
    },
    CancelDate {
        theirs: Option<NaiveDate>,
        here: Option<NaiveDate>,
    },
}

impl Found {
    /// The row is already in ConnectWise: nothing is written for it.
    pub fn is_written(&self) -> bool {
        matches!(self.kind, FoundKind::Keyed | FoundKind::AsPlanned)
    }
}

impl PlannedAddition {
    /// What the row's addition is for, when the row creates one.
    pub fn role(&self) -> Option<crate::ledger::Role> {
        use crate::ledger::Role;
        match self.action {
            Action::Prorate => Some(match self.key.split_once(':').map(|(k, _)| k) {
                Some(CATCH_UP) => Role::CatchUp,
                Some(CREDIT) => Role::Credit,
                _ => Role::Prorate,
            }),
            Action::Add => Some(match self.key.split_once(':').map(|(k, _)| k) {
                Some("usage") => Role::Usage,
                Some("fee") => Role::Fee,
                Some("add") if self.key.starts_with("add:setup:") => Role::Setup,
                _ => Role::Recurring,
            }),
            Action::Cancel | Action::Change | Action::Unchanged | Action::Remove => None,
        }
    }

    /// Whether Sync writes this row: selected, not left as it is, not already in ConnectWise.
    pub fn is_write(&self) -> bool {
        self.selected
            && self.action != Action::Unchanged
            && !self.found.as_ref().is_some_and(Found::is_written)
    }
}

/// Row key prefixes of the one-time charges and credits for invoiced periods (SPEC §16).
pub const CATCH_UP: &str = "catchup";
pub const CREDIT: &str = "credit";

impl PlannedAddition {
    /// A catch-up or a credit for an invoiced period (SPEC §16).
    pub fn is_catch_up(&self) -> bool {
        matches!(
            self.key.split_once(':').map(|(k, _)| k),
            Some(CATCH_UP | CREDIT)
        )
    }

    /// What the row's key names as its product: the MPN, and for a catch-up or a credit the
    /// period it is for (one key per period).
    fn key_product(&self) -> String {
        let product = self
            .product_key
            .strip_prefix("setup:")
            .unwrap_or(&self.product_key);
        // `catchup:MPN:2026-11-01` → `MPN@20261101`; a credit for one ended addition carries
        // its id too (`credit:MPN:2026-11-01:30211` → `MPN@20261101.30211`).
        let what = self
            .key
            .split_once(':')
            .and_then(|(_, rest)| rest.strip_prefix(self.product_key.as_str()))
            .and_then(|rest| rest.strip_prefix(':'))
            .filter(|_| self.is_catch_up());
        match what {
            Some(what) => format!("{product}@{}", what.replace('-', "").replace(':', ".")),
            None => product.to_owned(),
        }
    }
}

/// A marketplace product with no ConnectWise catalog item yet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UnmappedProduct {
    pub product_key: String,
    pub name: String,
}

/// Several active additions match one product: the user chooses which one the task changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Ambiguity {
    pub product_key: String,
    pub addition_ids: Vec<i64>,
}

/// Where several additions bill one product and a fix keeps one of them: which are there and
/// which one is kept (the person may choose another).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Kept {
    pub product_key: String,
    pub addition_ids: Vec<i64>,
    pub kept: i64,
}

/// Everything planning needs.
pub struct PlanInput<'a> {
    pub task_type: TaskType,
    pub order: &'a Order,
    pub subscription: &'a Subscription,
    pub agreement: &'a Agreement,
    /// The agreement's additions as ConnectWise has them.
    pub additions: &'a [Addition],
    pub catalog: &'a [CatalogItem],
    /// Product key → catalog item id.
    pub product_map: &'a HashMap<String, i64>,
    pub currency: &'a Currency,
    /// The task's effective date (default: the order's creation date).
    pub effective_date: NaiveDate,
    pub price_source: PriceSource,
    /// Product key → a price source chosen for that product alone.
    pub price_overrides: &'a HashMap<String, PriceSource>,
    /// Product key → the existing addition the user chose where several match.
    pub chosen: &'a HashMap<String, i64>,
    /// A reconcile fix's target (the task type is `ReconcileFix`).
    pub fix: Option<&'a FixTarget>,
    /// The currency ConnectWise's catalog prices are in (the ConnectWise company's own, which
    /// its API does not tell: the profile names it); `None` when not known. A catalog price is
    /// used only on an agreement billing in that currency ([`catalog_price_refusal`]).
    pub catalog_currency: Option<&'a str>,
    /// Which of the agreement's periods are already invoiced (SPEC §16): nothing is dated
    /// before its floor.
    pub invoiced: &'a Invoiced,
}

/// Why a ConnectWise catalog price cannot be used on an agreement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum CatalogRefusal {
    /// The catalog's prices are in `catalog`, the agreement bills in `agreement`.
    OtherCurrency { catalog: String, agreement: String },
    /// Which currency the catalog's prices are in is not known (the profile does not say).
    CurrencyUnknown,
}

/// Why a ConnectWise catalog price cannot be used on an agreement billing in `agreement_currency`,
/// if it cannot: the catalog's prices are in `catalog_currency` (the ConnectWise company's own
/// currency), and a price is never written in another currency than it is in. The one place
/// this rule lives.
pub fn catalog_price_refusal(
    catalog_currency: Option<&str>,
    agreement_currency: &str,
) -> Option<CatalogRefusal> {
    match catalog_currency.map(str::trim).filter(|c| !c.is_empty()) {
        Some(c) if c.eq_ignore_ascii_case(agreement_currency.trim()) => None,
        Some(c) => Some(CatalogRefusal::OtherCurrency {
            catalog: c.to_ascii_uppercase(),
            agreement: agreement_currency.to_owned(),
        }),
        None => Some(CatalogRefusal::CurrencyUnknown),
    }
}

/// Why a planned row is as it is (put into words by `wizard::notes`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum RowNote {
    /// A prorate for the rest of the period: `remaining` of its `days` days; a credit for a
    /// downgrade (which may be deselected to give none).
    Prorated {
        remaining: i64,
        days: i64,
        credit: bool,
    },
    /// A one-time setup fee, at the catalog's price or the marketplace's.
    SetupFee { from_catalog: bool },
    /// A one-time setup fee at the marketplace's price, the catalog's being refused.
    SetupFeeAtMarketplacePrice(CatalogRefusal),
    /// Usage over what the subscription includes, billed for a closed period.
    UsageBilled {
        usage: Decimal,
        included: Decimal,
        over: Decimal,
        from: NaiveDate,
        to: NaiveDate,
    },
    /// The addition ends with a period already invoiced in advance.
    EndsWithInvoicedPeriod { from: NaiveDate, to: NaiveDate },
    /// A one-time cancellation fee from the order.
    CancellationFee,
    /// The addition starts on the change's date: changed in place.
    ChangedInPlace,
    /// A fix's addition starts on or after the effective date: corrected in place.
    CorrectedInPlace,
    /// A fix adds the marketplace's quantity and price from the effective date.
    FixAdds,
    /// The marketplace no longer bills the product here: the addition ends.
    NoLongerBilledHere,
    /// A duplicate of addition `kept`: it ends.
    DuplicateOf { kept: i64 },
    /// It bills another quantity or price than the marketplace: it ends before the corrected one.
    BillsOtherwise,
    /// The catalog's price was asked for and refused: the marketplace's is used.
    CatalogPriceRefused(CatalogRefusal),
    /// A date that fell in an invoiced period (or before today, when the invoice calendar could
    /// not be read) moved to `to` (SPEC §16); `why` names the period and its invoice.
    Moved {
        from: NaiveDate,
        to: NaiveDate,
        why: String,
    },
    /// A one-time charge (or, negative, a credit) for the quantity added (removed) in an
    /// invoiced period, `from`–`to`: `remaining` of its `days` days (SPEC §16).
    /// `connectwise_prorates`: at the full unit price over its true dates, which ConnectWise
    /// prorates and bills on the next invoice itself. A credit is selected only when the
    /// marketplace refunds it (`refunded`).
    CatchUp {
        from: NaiveDate,
        to: NaiveDate,
        remaining: i64,
        days: i64,
        credit: bool,
        refunded: bool,
        connectwise_prorates: bool,
        why: String,
    },
    /// Dated over its whole billing period, which an agreement that prorates itself bills in
    /// full (a shorter date would be billed for its days only).
    WholePeriod { from: NaiveDate, to: NaiveDate },
}

/// What a plan says besides its rows, of one product (put into words by `wizard::notes`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum PlanNote {
    /// ConnectWise has no price for it yet: the marketplace's is used.
    NoConnectWisePrice { product: String },
    /// No prorate: the agreement has ConnectWise's proration on.
    ConnectWiseProrates { product: String },
    /// No prorate: prorates are made for marketplace prices only.
    NoProrateForConnectWisePrices { product: String },
    /// The order's product is not on the subscription: nothing planned for it.
    NotOnSubscription {
        product: String,
        subscription: String,
    },
    /// The agreement has no active addition for it: a new one is added.
    NoActiveAddition { product: String },
    /// Its usage is within what the subscription includes: nothing to bill.
    UsageWithinIncluded {
        product: String,
        usage: Decimal,
        included: Decimal,
    },
    /// A fix that ends it finds the agreement no longer bills it.
    NothingToFix { product: String },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Plan {
    pub rows: Vec<PlannedAddition>,
    pub notes: Vec<PlanNote>,
    pub unmapped: Vec<UnmappedProduct>,
    pub ambiguous: Vec<Ambiguity>,
    /// A fix's duplicates: which addition is kept of several (the others end).
    pub kept: Vec<Kept>,
    /// The subscription's billing period and its anchor.
    pub period: BillingPeriod,
    pub anchor: NaiveDate,
}

/// Amounts of a plan (SPEC §5).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Totals {
    /// Sum of the selected prorate rows' extended amounts.
    pub prorated: Decimal,
    /// Sum of every selected one-time charge the sync adds: prorates, usage, setup and
    /// cancellation fees (new additions that end within their period).
    pub one_time: Decimal,
    /// The agreement's own amount per period (ConnectWise's `billAmount`), billed besides its
    /// additions and included in both recurring figures.
    pub agreement_amount: Decimal,
    /// Per billing period: the agreement's own amount + what its active, billable, recurring
    /// additions bill ([`addition_billed`]).
    pub recurring_before: Decimal,
    pub recurring_after: Decimal,
}

/// The billing period and anchor of a subscription.
pub fn subscription_period(s: &Subscription) -> Result<(BillingPeriod, NaiveDate)> {
    let period = BillingPeriod::from_marketplace(&s.billing_period.unit, s.billing_period.duration)
        .ok_or_else(|| {
            Error::invalid(
                crate::error::ReviewField::BillingPeriod,
                format!(
                    "Subscription {} has a billing period this app does not know ({} × {}).",
                    s.id, s.billing_period.duration, s.billing_period.unit
                ),
            )
        })?;
    Ok((period, s.billing_start_date.unwrap_or(s.creation_date)))
}

fn date_of(t: Option<DateTime<Utc>>) -> Option<NaiveDate> {
    t.map(|t| t.date_naive())
}

/// A one-time charge the app wrote (a prorate, usage, a fee — its key says so, SPEC §15): never
/// the ongoing addition of a product that a change or a fix changes.
fn one_time_of_the_app(a: &Addition) -> bool {
    crate::ledger::key_of(a)
        .and_then(crate::ledger::parse)
        .is_some_and(|k| k.role != crate::ledger::Role::Recurring)
}

/// An addition the app wrote (any desk, SPEC §15) for another subscription of the same product:
/// never the line a change of this subscription changes.
fn of_another_subscription(a: &Addition, subscription: &str) -> bool {
    crate::ledger::key_of(a)
        .and_then(crate::ledger::parse)
        .is_some_and(|k| k.subscription != subscription.trim().replace(':', "."))
}

/// Active on `date`: not cancelled by then (SPEC §4 "active (not cancelled)").
pub fn is_active(a: &Addition, date: NaiveDate) -> bool {
    let status_cancelled = a
        .agreement_status
        .as_deref()
        .is_some_and(|s| s.eq_ignore_ascii_case("cancelled"));
    let cancelled_before = date_of(a.cancelled_date).is_some_and(|c| c < date);
    !status_cancelled && !cancelled_before
}

fn price_of(lines: &[crate::marketplace::wire::PriceLine], kind: &str) -> Option<Decimal> {
    lines
        .iter()
        .find(|l| l.kind.eq_ignore_ascii_case(kind))
        .map(|l| l.amount)
}

/// The recurring unit price and cost of a subscription product.
fn recurring(p: &SubscriptionProduct) -> (Decimal, Decimal) {
    let price = price_of(&p.prices, "recurring")
        .or(p.unit_price.as_ref().map(|m| m.amount))
        .unwrap_or_default();
    (price, price_of(&p.costs, "recurring").unwrap_or_default())
}

struct Planner<'a> {
    input: &'a PlanInput<'a>,
    period: BillingPeriod,
    anchor: NaiveDate,
    rows: Vec<PlannedAddition>,
    notes: Vec<PlanNote>,
    unmapped: Vec<UnmappedProduct>,
    ambiguous: Vec<Ambiguity>,
    /// Existing additions a row cancels or changes.
    touched: HashSet<i64>,
    kept: Vec<Kept>,
    /// Product key → why its ConnectWise catalog price was not used (said on its rows).
    refused: HashMap<String, CatalogRefusal>,
}

impl<'a> Planner<'a> {
    fn catalog_item(&mut self, key: &str, name: &str) -> Option<&'a CatalogItem> {
        let item = self
            .input
            .product_map
            .get(key)
            .and_then(|id| self.input.catalog.iter().find(|c| c.id == *id));
        if item.is_none() && !self.unmapped.iter().any(|u| u.product_key == key) {
            self.unmapped.push(UnmappedProduct {
                product_key: key.to_owned(),
                name: name.to_owned(),
            });
        }
        item
    }

    fn sub_product(&self, mpn: &str) -> Option<&'a SubscriptionProduct> {
        self.input
            .subscription
            .products
            .iter()
            .find(|p| p.mpn == mpn)
    }

    /// The subscription's period containing `date` (its "current period").
    fn span(&self, date: NaiveDate) -> Result<Span> {
        period::checked_period_containing(self.anchor, self.period, date)
            .ok_or_else(|| self.out_of_calendar(date))
    }

    /// The period before the one containing `date`: the last one closed by then.
    fn closed_span(&self, date: NaiveDate) -> Result<Span> {
        period::checked_period_index(self.anchor, self.period, date)
            .and_then(|n| n.checked_sub(1))
            .and_then(|n| period::checked_period_at(self.anchor, self.period, n))
            .ok_or_else(|| self.out_of_calendar(date))
    }

    fn out_of_calendar(&self, date: NaiveDate) -> Error {
        Error::invalid(
            crate::error::ReviewField::EffectiveDate,
            format!(
                "The billing period of subscription {} around {date} cannot be worked out (its start is {}).",
                self.input.subscription.id, self.anchor
            ),
        )
    }

    /// The active additions of the agreement for a catalog item on the effective date.
    fn existing(&mut self, key: &str, item: Option<&CatalogItem>) -> Option<&'a Addition> {
        let item = item?;
        let eff = self.input.effective_date;
        // A change changes what bills on its date: an addition that only starts later belongs to
        // a later order (synced first, perhaps from another desk) and is not this change's. One
        // starting on the invoiced boundary is what an earlier change inside the invoiced
        // periods wrote (SPEC §16): it bills from there, and this change changes it.
        let from = self.input.invoiced.floor().map_or(eff, |f| eff.max(f));
        let later = |a: &Addition| {
            self.input.task_type == TaskType::ChangeOrder
                && date_of(a.effective_date).is_some_and(|d| d > from)
        };
        let subscription = &self.input.subscription.id;
        let matches: Vec<&'a Addition> = self
            .input
            .additions
            .iter()
            .filter(|a| a.product.id == item.id && is_active(a, eff) && !later(a))
            .filter(|a| !one_time_of_the_app(a) && !of_another_subscription(a, subscription))
            .collect();
        // An addition set to end (a prorate an earlier change wrote, one being cancelled) is
        // not the ongoing one a change changes: where one open-ended addition stands among
        // them, it is that one.
        let open: Vec<&'a Addition> = matches
            .iter()
            .copied()
            .filter(|a| a.cancelled_date.is_none())
            .collect();
        match (matches.as_slice(), open.as_slice()) {
            ([], _) => None,
            ([one], _) | (_, [one]) => Some(one),
            (many, _) => {
                let chosen = self.input.chosen.get(key).copied();
                match many.iter().find(|a| Some(a.id) == chosen) {
                    Some(a) => Some(a),
                    None => {
                        self.ambiguous.push(Ambiguity {
                            product_key: key.to_owned(),
                            addition_ids: many.iter().map(|a| a.id).collect(),
                        });
                        None
                    }
                }
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn row(
        &self,
        key: String,
        action: Action,
        product_key: &str,
        name: &str,
        item: Option<&CatalogItem>,
        effective_date: NaiveDate,
        cancel_date: Option<NaiveDate>,
        quantity: Decimal,
        unit_price: Decimal,
        unit_cost: Decimal,
    ) -> Result<PlannedAddition> {
        Ok(PlannedAddition {
            key,
            action,
            selected: action != Action::Unchanged,
            product_key: product_key.to_owned(),
            product_name: name.to_owned(),
            catalog_item_id: item.map(|i| i.id),
            existing_addition_id: None,
            effective_date,
            cancel_date,
            description: name.to_owned(),
            quantity,
            unit_price,
            unit_cost,
            bill_customer: BillCustomer::Billable,
            taxable: item.is_some_and(|i| i.taxable_flag),
            price_source: self.input.price_source,
            ext_price: money::extend(quantity, unit_price, self.input.currency)?,
            notes: Vec::new(),
            source_key: None,
            found: None,
        })
    }

    /// Why a catalog price cannot be used on this agreement, if it cannot.
    fn catalog_refusal(&self) -> Option<CatalogRefusal> {
        catalog_price_refusal(self.input.catalog_currency, &self.input.currency.code)
    }

    /// The unit price and cost for a product under the chosen price source.
    fn prices(
        &mut self,
        product_key: &str,
        marketplace: (Decimal, Decimal),
        existing: Option<&Addition>,
        item: Option<&CatalogItem>,
        name: &str,
    ) -> (Decimal, Decimal, PriceSource) {
        let source = self
            .input
            .price_overrides
            .get(product_key)
            .copied()
            .unwrap_or(self.input.price_source);
        if source == PriceSource::ConnectWise {
            if let Some(a) = existing.filter(|a| a.unit_price.is_some()) {
                return (
                    a.unit_price.unwrap_or_default(),
                    a.unit_cost.unwrap_or_default(),
                    PriceSource::ConnectWise,
                );
            }
            if let Some(i) = item.filter(|i| i.price.is_some()) {
                match self.catalog_refusal() {
                    None => {
                        return (
                            i.price.unwrap_or_default(),
                            i.cost.unwrap_or_default(),
                            PriceSource::ConnectWise,
                        )
                    }
                    Some(why) => {
                        self.refused.insert(product_key.to_owned(), why);
                        return (marketplace.0, marketplace.1, PriceSource::CloudMarketplace);
                    }
                }
            }
            self.notes.push(PlanNote::NoConnectWisePrice {
                product: name.to_owned(),
            });
        }
        (marketplace.0, marketplace.1, PriceSource::CloudMarketplace)
    }

    /// The one-time prorate row for `quantity` from the effective date to the period's end, if
    /// one is due (SPEC §4, §5).
    fn prorate(
        &mut self,
        mpn: &str,
        name: &str,
        item: Option<&CatalogItem>,
        quantity: Decimal,
        price: (Decimal, Decimal),
        source: PriceSource,
    ) -> Result<()> {
        let eff = self.input.effective_date;
        if quantity.is_zero() {
            return Ok(());
        }
        if let Some(cal) = self.input.invoiced.calendar() {
            if eff < cal.boundary {
                let refunded = self.refunded(mpn);
                return self.catch_up(
                    (mpn, name),
                    item,
                    quantity,
                    price,
                    (eff, None),
                    refunded,
                    cal,
                );
            }
        }
        let span = self.span(eff)?;
        if span.start == eff {
            return Ok(());
        }
        if self.input.agreement.prorate_flag {
            self.notes.push(PlanNote::ConnectWiseProrates {
                product: name.to_owned(),
            });
            return Ok(());
        }
        if source != PriceSource::CloudMarketplace {
            self.notes.push(PlanNote::NoProrateForConnectWisePrices {
                product: name.to_owned(),
            });
            return Ok(());
        }
        let currency = self.input.currency;
        let unit_price = money::prorate(price.0, &span, eff, currency)?;
        let unit_cost = money::prorate(price.1, &span, eff, currency)?;
        let mut row = self.row(
            format!("prorate:{mpn}"),
            Action::Prorate,
            mpn,
            name,
            item,
            eff,
            Some(span.last_day()),
            quantity,
            unit_price,
            unit_cost,
        )?;
        row.description = format!(
            "{name} — prorated {} to {}",
            eff.format("%Y-%m-%d"),
            span.last_day().format("%Y-%m-%d")
        );
        row.notes.push(RowNote::Prorated {
            remaining: (span.end_exclusive - eff).num_days(),
            days: span.days(),
            credit: quantity.is_sign_negative(),
        });
        self.rows.push(row);
        Ok(())
    }

    /// Whether the marketplace refunds what the order removes of `mpn` (its extended price is
    /// negative): a credit for it is then selected.
    fn refunded(&self, mpn: &str) -> bool {
        self.input
            .order
            .products
            .iter()
            .filter(|p| p.mpn == mpn)
            .filter_map(|p| p.extended_price.as_ref())
            .any(|m| m.amount.is_sign_negative() && !m.amount.is_zero())
    }

    /// One one-time row per invoiced period from `from` to the boundary for `quantity` added
    /// (a catch-up) or removed (negative: a credit), SPEC §16. Where ConnectWise prorates the
    /// agreement itself, at the full unit price over the true dates (ConnectWise bills the
    /// invoiced part on the next invoice); otherwise prorated here (§5, on the agreement's
    /// period) and dated in the first period not invoiced.
    #[allow(clippy::too_many_arguments)]
    fn catch_up(
        &mut self,
        (mpn, name): (&str, &str),
        item: Option<&CatalogItem>,
        quantity: Decimal,
        price: (Decimal, Decimal),
        (from, ended): (NaiveDate, Option<i64>),
        refunded: bool,
        cal: &Calendar,
    ) -> Result<()> {
        let credit = quantity.is_sign_negative();
        let first = cal
            .period(cal.boundary)
            .ok_or_else(|| self.out_of_calendar(cal.boundary))?;
        let currency = self.input.currency;
        for span in cal.invoiced_periods_from(from) {
            let start = from.max(span.start);
            let (unit_price, unit_cost, dates) = if cal.prorates {
                (price.0, price.1, (start, span.last_day()))
            } else {
                (
                    money::prorate(price.0, &span, start, currency)?,
                    money::prorate(price.1, &span, start, currency)?,
                    (cal.boundary, first.last_day()),
                )
            };
            let prefix = if credit { CREDIT } else { CATCH_UP };
            let mut row = self.row(
                match ended {
                    // One row per period, and per addition when several of a product end.
                    Some(id) => format!("{prefix}:{mpn}:{}:{id}", span.start),
                    None => format!("{prefix}:{mpn}:{}", span.start),
                },
                Action::Prorate,
                mpn,
                name,
                item,
                dates.0,
                Some(dates.1),
                quantity,
                unit_price,
                unit_cost,
            )?;
            row.selected = !credit || refunded;
            row.description = format!(
                "{name} — {} {start} to {}",
                if credit { "credit" } else { "catch-up" },
                span.last_day()
            );
            row.notes.push(RowNote::CatchUp {
                from: start,
                to: span.last_day(),
                remaining: (span.end_exclusive - start).num_days(),
                days: span.days(),
                credit,
                refunded,
                connectwise_prorates: cal.prorates,
                why: cal.invoiced_words(&span),
            });
            self.rows.push(row);
        }
        Ok(())
    }

    /// Nothing dated in an invoiced period (SPEC §16): an ongoing addition starts at the
    /// boundary, an end falls on the last invoiced day, a one-time charge is dated in the first
    /// period not invoiced; where the calendar could not be read, nothing before today. The
    /// catch-ups and credits are dated already.
    fn keep_out_of_invoiced(&mut self) -> Result<()> {
        let invoiced = self.input.invoiced;
        let Some(floor) = invoiced.floor() else {
            return Ok(());
        };
        let cal = invoiced.calendar();
        let last_open = floor
            .pred_opt()
            .ok_or_else(|| self.out_of_calendar(floor))?;
        let first = cal.and_then(|c| c.period(floor));
        let why = |date: NaiveDate| match cal.and_then(|c| c.period(date).map(|s| (c, s))) {
            Some((c, span)) => c.invoiced_words(&span),
            None => "the invoice calendar could not be read, so nothing is dated before today"
                .to_owned(),
        };
        for row in self.rows.iter_mut().filter(|r| !r.is_catch_up()) {
            let (from_eff, from_cancel) = (row.effective_date, row.cancel_date);
            match (row.action, row.cancel_date) {
                (Action::Add | Action::Change, None) if row.effective_date < floor => {
                    row.effective_date = floor;
                }
                (Action::Add | Action::Prorate, Some(cancel)) if row.effective_date < floor => {
                    row.effective_date = floor;
                    row.cancel_date = Some(match first {
                        Some(span) => span.last_day(),
                        None => cancel.max(floor),
                    });
                }
                (Action::Cancel, Some(cancel)) if cancel < last_open => {
                    row.cancel_date = Some(last_open);
                }
                _ => {}
            }
            if row.effective_date != from_eff {
                row.notes.push(RowNote::Moved {
                    from: from_eff,
                    to: row.effective_date,
                    why: why(from_eff),
                });
            } else if let (Some(was), Some(now)) = (from_cancel, row.cancel_date) {
                if was != now {
                    row.notes.push(RowNote::Moved {
                        from: was,
                        to: now,
                        why: why(was),
                    });
                }
            }
            // An agreement that prorates itself bills a one-time charge for its days only:
            // it is dated over its whole period.
            let whole = cal
                .filter(|c| c.prorates && row.action == Action::Add && row.cancel_date.is_some())
                .and_then(|c| c.period(row.effective_date));
            if let Some(span) = whole {
                if (row.effective_date, row.cancel_date) != (span.start, Some(span.last_day())) {
                    row.effective_date = span.start;
                    row.cancel_date = Some(span.last_day());
                    row.notes.push(RowNote::WholePeriod {
                        from: span.start,
                        to: span.last_day(),
                    });
                }
            }
        }
        Ok(())
    }

    fn sales(&mut self) -> Result<()> {
        let eff = self.input.effective_date;
        for p in &self.input.order.products {
            let Some(sp) = self.sub_product(&p.mpn) else {
                self.notes.push(PlanNote::NotOnSubscription {
                    product: p.name.clone(),
                    subscription: self.input.subscription.id.clone(),
                });
                continue;
            };
            let item = self.catalog_item(&p.mpn, &p.name);
            let (price, cost, source) = self.prices(&p.mpn, recurring(sp), None, item, &p.name);
            let quantity = if p.quantity.is_zero() {
                sp.quantity
            } else {
                p.quantity
            };
            let row = self.row(
                format!("add:{}", p.mpn),
                Action::Add,
                &p.mpn,
                &p.name,
                item,
                eff,
                None,
                quantity,
                price,
                cost,
            )?;
            self.rows.push(PlannedAddition {
                price_source: source,
                ..row
            });
            if let Some(setup) = price_of(&sp.prices, "setup").filter(|s| !s.is_zero()) {
                let key = format!("setup:{}", p.mpn);
                let name = format!("{} — setup fee", p.name);
                let setup_item = self.catalog_item(&key, &name);
                let from_catalog =
                    setup_item.and_then(|i| i.price.map(|pr| (pr, i.cost.unwrap_or_default())));
                let refusal = from_catalog.and_then(|_| self.catalog_refusal());
                let (price, cost) = match from_catalog.filter(|_| refusal.is_none()) {
                    Some(from_catalog) => from_catalog,
                    None => (setup, price_of(&sp.costs, "setup").unwrap_or_default()),
                };
                let mut row = self.row(
                    format!("add:{key}"),
                    Action::Add,
                    &key,
                    &name,
                    setup_item,
                    eff,
                    Some(eff),
                    Decimal::ONE,
                    price,
                    cost,
                )?;
                match refusal {
                    None if from_catalog.is_some() => {
                        row.notes.push(RowNote::SetupFee { from_catalog: true });
                        row.price_source = PriceSource::ConnectWise;
                    }
                    None => {
                        row.notes.push(RowNote::SetupFee {
                            from_catalog: false,
                        });
                        row.price_source = PriceSource::CloudMarketplace;
                    }
                    Some(why) => {
                        row.notes.push(RowNote::SetupFeeAtMarketplacePrice(why));
                        row.price_source = PriceSource::CloudMarketplace;
                    }
                }
                self.rows.push(row);
            }
            self.prorate(&p.mpn, &p.name, item, quantity, (price, cost), source)?;
        }
        Ok(())
    }

    fn change(&mut self) -> Result<()> {
        let eff = self.input.effective_date;
        for p in &self.input.order.products {
            let Some(sp) = self.sub_product(&p.mpn) else {
                self.notes.push(PlanNote::NotOnSubscription {
                    product: p.name.clone(),
                    subscription: self.input.subscription.id.clone(),
                });
                continue;
            };
            let item = self.catalog_item(&p.mpn, &p.name);
            let existing = match self.existing(&p.mpn, item) {
                None if !self.ambiguous.iter().any(|x| x.product_key == p.mpn) => {
                    self.ended_day_before(item)?
                }
                found => found,
            };
            let (price, cost, source) = self.prices(&p.mpn, recurring(sp), existing, item, &p.name);
            let new_quantity = sp.quantity;
            let price_changed = existing.is_some_and(|a| a.unit_price.unwrap_or_default() != price);
            if p.quantity.is_zero() && !price_changed {
                continue;
            }
            let open = |d: NaiveDate| self.input.invoiced.floor().is_none_or(|f| d >= f);
            match existing {
                Some(a) if date_of(a.effective_date).is_some_and(|d| d >= eff && open(d)) => {
                    // Started on (or after) the change's date, in a period not invoiced:
                    // change it in place.
                    self.change_in_place(
                        a,
                        (&p.mpn, &p.name),
                        item,
                        new_quantity,
                        (price, cost, source),
                        RowNote::ChangedInPlace,
                    )?;
                }
                Some(a) => {
                    let mut cancel = self.existing_row(a, Action::Cancel, &p.mpn, &p.name, item)?;
                    cancel.cancel_date = Some(self.day_before()?);
                    self.touched.insert(a.id);
                    self.rows.push(cancel);
                    if !new_quantity.is_zero() {
                        self.add_ongoing(
                            (&p.mpn, &p.name),
                            item,
                            new_quantity,
                            (price, cost, source),
                            None,
                        )?;
                    }
                }
                None => {
                    if !self.ambiguous.iter().any(|x| x.product_key == p.mpn) && item.is_some() {
                        self.notes.push(PlanNote::NoActiveAddition {
                            product: p.name.clone(),
                        });
                    }
                    if !new_quantity.is_zero() {
                        self.add_ongoing(
                            (&p.mpn, &p.name),
                            item,
                            new_quantity,
                            (price, cost, source),
                            None,
                        )?;
                    }
                }
            }
            self.prorate(&p.mpn, &p.name, item, p.quantity, (price, cost), source)?;
        }
        Ok(())
    }

    fn billing(&mut self) -> Result<()> {
        let order_day = self.input.order.creation_date.date_naive();
        // A billing order bills the last period closed before it was created: the one before
        // the period containing its day, whatever day of the new period it arrives.
        let span = self.closed_span(order_day)?;
        for p in &self.input.order.products {
            let Some(sp) = self.sub_product(&p.mpn) else {
                self.notes.push(PlanNote::NotOnSubscription {
                    product: p.name.clone(),
                    subscription: self.input.subscription.id.clone(),
                });
                continue;
            };
            let included = sp.included_quantity.unwrap_or_default();
            let over = p.quantity - included;
            if over <= Decimal::ZERO {
                self.notes.push(PlanNote::UsageWithinIncluded {
                    product: p.name.clone(),
                    usage: p.quantity,
                    included,
                });
                continue;
            }
            let item = self.catalog_item(&p.mpn, &p.name);
            let overuse = (
                price_of(&sp.prices, "overuse").unwrap_or_default(),
                price_of(&sp.costs, "overuse").unwrap_or_default(),
            );
            let (price, cost, source) = self.prices(&p.mpn, overuse, None, item, &p.name);
            let mut row = self.row(
                format!("usage:{}", p.mpn),
                Action::Add,
                &p.mpn,
                &p.name,
                item,
                span.start,
                Some(span.last_day()),
                over,
                price,
                cost,
            )?;
            row.price_source = source;
            row.notes.push(RowNote::UsageBilled {
                usage: p.quantity,
                included,
                over,
                from: span.start,
                to: span.last_day(),
            });
            row.description = format!(
                "{} — usage over {} included, {} to {}",
                p.name,
                included,
                span.start.format("%Y-%m-%d"),
                span.last_day().format("%Y-%m-%d")
            );
            self.rows.push(row);
        }
        Ok(())
    }

    fn cancellation(&mut self) -> Result<()> {
        let eff = self.input.effective_date;
        let span = self.span(eff)?;
        let in_advance = self
            .input
            .subscription
            .billing_model
            .as_deref()
            .is_some_and(|m| m.to_ascii_lowercase().contains("before"));
        let cancel_date = if in_advance { span.last_day() } else { eff };
        let subscription_products: Vec<(String, String)> = self
            .input
            .subscription
            .products
            .iter()
            .map(|p| (p.mpn.clone(), p.name.clone()))
            .collect();
        for (mpn, name) in &subscription_products {
            let item = self.catalog_item(mpn, name);
            let Some(item) = item else { continue };
            let actives: Vec<&'a Addition> = self
                .input
                .additions
                .iter()
                .filter(|a| a.product.id == item.id && is_active(a, eff))
                // A one-time charge the app wrote (a prorate, a catch-up) ends by itself.
                .filter(|a| !one_time_of_the_app(a))
                .collect();
            for a in actives {
                let mut row = self.existing_row(a, Action::Cancel, mpn, name, Some(item))?;
                row.cancel_date = Some(cancel_date);
                if in_advance {
                    row.notes.push(RowNote::EndsWithInvoicedPeriod {
                        from: span.start,
                        to: span.last_day(),
                    });
                }
                self.touched.insert(a.id);
                self.rows.push(row);
                self.credit_ended(a, (mpn, name), Some(item), cancel_date)?;
            }
        }
        // Products on the order that are not the subscription's own are fees.
        let fees: Vec<&'a OrderProduct> = self
            .input
            .order
            .products
            .iter()
            .filter(|p| !subscription_products.iter().any(|(m, _)| *m == p.mpn))
            .collect();
        for p in fees {
            let Some(amount) = p
                .extended_price
                .as_ref()
                .map(|m| m.amount)
                .filter(|a| !a.is_zero())
            else {
                continue;
            };
            let item = self.catalog_item(&p.mpn, &p.name);
            let quantity = if p.quantity.is_zero() {
                Decimal::ONE
            } else {
                p.quantity.abs()
            };
            let unit = amount.checked_div(quantity).unwrap_or(amount);
            let mut row = self.row(
                format!("fee:{}", p.mpn),
                Action::Add,
                &p.mpn,
                &p.name,
                item,
                eff,
                Some(eff),
                quantity,
                unit,
                Decimal::ZERO,
            )?;
            row.notes.push(RowNote::CancellationFee);
            row.price_source = PriceSource::CloudMarketplace;
            self.rows.push(row);
        }
        Ok(())
    }

    /// A reconcile fix (SPEC §13), from the agreement's additions of the product as they are
    /// now: where the product should bill, one addition of the marketplace's quantity and price
    /// from the effective date (the one kept is cancelled the day before and added again, a new
    /// one added where there is none, every other one ends the day before); where it should not
    /// (`End`), every one ends the day before. A prorate for the quantity's difference is
    /// planned, with the usual rules, only when the effective date is not a period's start.
    fn fix(&mut self) -> Result<()> {
        let Some(target) = self.input.fix else {
            return Err(Error::invalid(
                ErrorField::Fix,
                "This reconcile fix has lost what it fixes; remove it and fix the drift again from Reconcile.",
            ));
        };
        let eff = self.input.effective_date;
        let (mpn, name) = (target.product_key.as_str(), target.product_name.as_str());
        let item = self.catalog_item(mpn, name);
        let Some(found) = item else { return Ok(()) };
        let day_before = self.day_before()?;
        // The additions that go on billing the product: active on the effective date, with no
        // cancel date (one already ending is left as it is).
        let billing: Vec<&'a Addition> = self
            .input
            .additions
            .iter()
            .filter(|a| a.product.id == found.id && is_active(a, eff))
            .filter(|a| a.cancelled_date.is_none())
            .collect();
        let end = |planner: &mut Self, a: &Addition, why: RowNote| -> Result<()> {
            let mut row = planner.existing_row(a, Action::Cancel, mpn, name, item)?;
            row.cancel_date = Some(day_before);
            // What the fix's own quantity does not replace is credited (SPEC §16).
            let credited = !matches!(why, RowNote::BillsOtherwise);
            row.notes.push(why);
            planner.touched.insert(a.id);
            planner.rows.push(row);
            if credited {
                planner.credit_ended(a, (mpn, name), item, day_before)?;
            }
            Ok(())
        };
        if target.mode == FixMode::End {
            if billing.is_empty() {
                self.notes.push(PlanNote::NothingToFix {
                    product: name.to_owned(),
                });
            }
            for a in billing {
                end(self, a, RowNote::NoLongerBilledHere)?;
            }
            return Ok(());
        }
        let marketplace = (target.unit_price, target.unit_cost);
        let Some(keep) = self.kept_addition(mpn, &billing, target) else {
            return Ok(());
        };
        for a in billing.iter().filter(|a| Some(a.id) != keep.map(|k| k.id)) {
            let kept = keep.map(|k| k.id).unwrap_or_default();
            end(self, a, RowNote::DuplicateOf { kept })?;
        }
        let (price, cost, source) = self.prices(mpn, marketplace, keep, item, name);
        let before = keep
            .map(|k| k.quantity.unwrap_or_default())
            .unwrap_or_default();
        let in_place = match keep {
            Some(k)
                if k.quantity.unwrap_or_default() == target.quantity
                    && k.unit_price.unwrap_or_default() == price =>
            {
                // Already right: nothing to write for it.
                return Ok(());
            }
            Some(k)
                if date_of(k.effective_date).is_some_and(|d| {
                    d >= eff && self.input.invoiced.floor().is_none_or(|f| d >= f)
                }) =>
            {
                self.change_in_place(
                    k,
                    (mpn, name),
                    item,
                    target.quantity,
                    (price, cost, source),
                    RowNote::CorrectedInPlace,
                )?;
                true
            }
            Some(k) => {
                end(self, k, RowNote::BillsOtherwise)?;
                false
            }
            None => false,
        };
        if !in_place {
            self.add_ongoing(
                (mpn, name),
                item,
                target.quantity,
                (price, cost, source),
                Some(RowNote::FixAdds),
            )?;
        }
        let delta = target.quantity.checked_sub(before).ok_or_else(|| {
            Error::invalid(
                crate::error::ReviewField::Quantity,
                "The quantity is too large.",
            )
        })?;
        self.prorate(mpn, name, item, delta, (price, cost), source)
    }

    /// The addition a fix keeps among those billing the product: the person's choice, else the
    /// one already right, else the only one (`Some(None)`: there is none). `None` when several
    /// bill it and none can be told: the person chooses (an ambiguity is recorded).
    fn kept_addition(
        &mut self,
        mpn: &str,
        billing: &[&'a Addition],
        target: &FixTarget,
    ) -> Option<Option<&'a Addition>> {
        let many = match billing {
            [] => return Some(None),
            [one] => return Some(Some(*one)),
            many => many,
        };
        let chosen = self.input.chosen.get(mpn).copied();
        let right = |a: &&&Addition| {
            a.quantity.unwrap_or_default() == target.quantity
                && a.unit_price.unwrap_or_default() == target.unit_price
        };
        let ids: Vec<i64> = many.iter().map(|a| a.id).collect();
        let picked = many
            .iter()
            .find(|a| Some(a.id) == chosen)
            .or_else(|| many.iter().find(right))
            .copied();
        match picked {
            Some(k) => {
                self.kept.push(Kept {
                    product_key: mpn.to_owned(),
                    addition_ids: ids,
                    kept: k.id,
                });
                Some(Some(k))
            }
            None => {
                self.ambiguous.push(Ambiguity {
                    product_key: mpn.to_owned(),
                    addition_ids: ids,
                });
                None
            }
        }
    }

    /// With no active addition of the product, the one addition that ends the day before the
    /// effective date — the one a change replaces, already ended (by another desk, SPEC §15):
    /// its cancel row then reads as already done. Additions the app wrote as one-time charges
    /// are never it; with several candidates there is none.
    fn ended_day_before(&self, item: Option<&CatalogItem>) -> Result<Option<&'a Addition>> {
        let Some(item) = item else { return Ok(None) };
        // Inside invoiced periods the replaced addition ends with the last invoiced day.
        let day_before = match self.input.invoiced.floor() {
            Some(f) if f > self.input.effective_date => f.pred_opt().unwrap_or(f),
            _ => self.day_before()?,
        };
        let candidates: Vec<&'a Addition> = self
            .input
            .additions
            .iter()
            .filter(|a| a.product.id == item.id && date_of(a.cancelled_date) == Some(day_before))
            .filter(|a| date_of(a.effective_date).is_none_or(|d| d < day_before))
            .filter(|a| !one_time_of_the_app(a))
            .collect();
        Ok(match candidates.as_slice() {
            [one] => Some(one),
            _ => None,
        })
    }

    /// A credit for an addition that ends (its last day `last`) inside invoiced periods: its
    /// quantity from the day after to the boundary (SPEC §16), selected when refunded.
    fn credit_ended(
        &mut self,
        a: &Addition,
        (mpn, name): (&str, &str),
        item: Option<&CatalogItem>,
        last: NaiveDate,
    ) -> Result<()> {
        let Some(cal) = self.input.invoiced.calendar() else {
            return Ok(());
        };
        let Some(from) = last.succ_opt().filter(|d| *d < cal.boundary) else {
            return Ok(());
        };
        let quantity = -a.quantity.unwrap_or_default();
        let price = (
            a.unit_price.unwrap_or_default(),
            a.unit_cost.unwrap_or_default(),
        );
        let refunded = self.refunded(mpn);
        self.catch_up(
            (mpn, name),
            item,
            quantity,
            price,
            (from, Some(a.id)),
            refunded,
            cal,
        )
    }

    /// The day before the effective date: the cancel date of an addition a new one replaces.
    fn day_before(&self) -> Result<NaiveDate> {
        let eff = self.input.effective_date;
        eff.pred_opt().ok_or_else(|| {
            Error::invalid(
                crate::error::ReviewField::EffectiveDate,
                format!("The effective date {eff} has no day before it."),
            )
        })
    }

    /// A new ongoing addition of `quantity` from the effective date.
    fn add_ongoing(
        &mut self,
        (mpn, name): (&str, &str),
        item: Option<&CatalogItem>,
        quantity: Decimal,
        (price, cost, source): (Decimal, Decimal, PriceSource),
        note: Option<RowNote>,
    ) -> Result<()> {
        let row = self.row(
            format!("add:{mpn}"),
            Action::Add,
            mpn,
            name,
            item,
            self.input.effective_date,
            None,
            quantity,
            price,
            cost,
        )?;
        self.rows.push(PlannedAddition {
            price_source: source,
            notes: note.into_iter().collect(),
            ..row
        });
        Ok(())
    }

    /// An existing addition that starts on or after the effective date, changed in place.
    fn change_in_place(
        &mut self,
        a: &Addition,
        (mpn, name): (&str, &str),
        item: Option<&CatalogItem>,
        quantity: Decimal,
        (price, cost, source): (Decimal, Decimal, PriceSource),
        note: RowNote,
    ) -> Result<()> {
        let mut row = self.row(
            format!("change:{}", a.id),
            Action::Change,
            mpn,
            name,
            item,
            date_of(a.effective_date).unwrap_or(self.input.effective_date),
            None,
            quantity,
            price,
            cost,
        )?;
        row.existing_addition_id = Some(a.id);
        row.price_source = source;
        row.notes.push(note);
        self.touched.insert(a.id);
        self.rows.push(row);
        Ok(())
    }

    /// A row for an existing addition (to cancel, or to leave unchanged).
    fn existing_row(
        &self,
        a: &Addition,
        action: Action,
        product_key: &str,
        name: &str,
        item: Option<&CatalogItem>,
    ) -> Result<PlannedAddition> {
        let prefix = if action == Action::Cancel {
            "cancel"
        } else {
            "keep"
        };
        let quantity = a.quantity.unwrap_or_default();
        let price = a.unit_price.unwrap_or_default();
        let mut row = self.row(
            format!("{prefix}:{}", a.id),
            action,
            product_key,
            name,
            item,
            date_of(a.effective_date).unwrap_or(self.input.effective_date),
            date_of(a.cancelled_date),
            quantity,
            price,
            a.unit_cost.unwrap_or_default(),
        )?;
        row.existing_addition_id = Some(a.id);
        row.bill_customer = BillCustomer::parse(&a.bill_customer).unwrap_or_default();
        row.taxable = a.taxable_flag;
        row.description = a
            .invoice_description
            .clone()
            .or(a.description.clone())
            .filter(|d| !d.is_empty())
            .unwrap_or_else(|| name.to_owned());
        row.price_source = PriceSource::ConnectWise;
        Ok(row)
    }

    fn unchanged(&mut self) -> Result<()> {
        let eff = self.input.effective_date;
        let keep: Vec<&'a Addition> = self
            .input
            .additions
            .iter()
            .filter(|a| is_active(a, eff) && !self.touched.contains(&a.id))
            .collect();
        for a in keep {
            let item = self.input.catalog.iter().find(|c| c.id == a.product.id);
            let name = item
                .map(|c| c.description.clone())
                .unwrap_or_else(|| a.product.identifier.clone());
            let row =
                self.existing_row(a, Action::Unchanged, &a.product.identifier, &name, item)?;
            self.rows.push(row);
        }
        Ok(())
    }
}

/// Plans a task (SPEC §4).
pub fn plan(input: &PlanInput<'_>) -> Result<Plan> {
    let (period, anchor) = subscription_period(input.subscription)?;
    let mut planner = Planner {
        input,
        period,
        anchor,
        rows: Vec::new(),
        notes: Vec::new(),
        unmapped: Vec::new(),
        ambiguous: Vec::new(),
        touched: HashSet::new(),
        kept: Vec::new(),
        refused: HashMap::new(),
    };
    match input.task_type {
        TaskType::SalesOrder => planner.sales()?,
        TaskType::ChangeOrder => planner.change()?,
        TaskType::BillingOrder => planner.billing()?,
        TaskType::CancellationOrder => planner.cancellation()?,
        TaskType::ReconcileFix => planner.fix()?,
    }
    planner.keep_out_of_invoiced()?;
    planner.unchanged()?;
    let mut rows = planner.rows;
    // A refused catalog price is said on the rows that would have carried it.
    for r in rows.iter_mut() {
        if r.price_source != PriceSource::CloudMarketplace {
            continue;
        }
        if let Some(why) = planner.refused.get(&r.product_key) {
            r.notes.push(RowNote::CatalogPriceRefused(why.clone()));
        }
    }
    for r in rows.iter_mut() {
        let product = r.key_product();
        r.source_key = r.role().map(|role| {
            crate::ledger::key(&input.order.id, &input.subscription.id, &product, role)
        });
    }
    Ok(Plan {
        rows,
        notes: planner.notes,
        unmapped: planner.unmapped,
        ambiguous: planner.ambiguous,
        kept: planner.kept,
        period,
        anchor,
    })
}

/// What a billable addition with no end bills per period — its quantity less what the agreement
/// includes (ConnectWise's `lessIncluded`), at its unit price. The one definition of what an
/// addition bills: the Summary's recurring billing and Reconcile's "ConnectWise bills" both use
/// it.
pub fn addition_billed(
    quantity: Decimal,
    less_included: Decimal,
    unit_price: Decimal,
    currency: &Currency,
) -> std::result::Result<Decimal, money::MoneyError> {
    let billed = quantity
        .checked_sub(less_included)
        .ok_or(money::MoneyError::Overflow)?
        .max(Decimal::ZERO);
    money::extend(billed, unit_price, currency)
}

/// A row's contribution to the recurring amount per period: billable, with no end; a changed
/// addition keeps what the agreement includes of it (`original`).
fn recurring_amount(
    row: &PlannedAddition,
    original: Option<&Addition>,
    currency: &Currency,
) -> Result<Decimal> {
    if row.bill_customer != BillCustomer::Billable || row.cancel_date.is_some() {
        return Ok(Decimal::ZERO);
    }
    let included = match row.action {
        Action::Change => original.and_then(|a| a.less_included).unwrap_or_default(),
        _ => Decimal::ZERO,
    };
    Ok(addition_billed(
        row.quantity,
        included,
        row.unit_price,
        currency,
    )?)
}

/// An existing addition's contribution to the recurring amount per period.
fn existing_amount(a: &Addition, currency: &Currency) -> Result<Decimal> {
    let billable = BillCustomer::parse(&a.bill_customer) == Some(BillCustomer::Billable);
    if !billable || a.cancelled_date.is_some() {
        return Ok(Decimal::ZERO);
    }
    Ok(addition_billed(
        a.quantity.unwrap_or_default(),
        a.less_included.unwrap_or_default(),
        a.unit_price.unwrap_or_default(),
        currency,
    )?)
}

/// What a one-time row bills: its extended amount, or — for a full-price row over invoiced days
/// that ConnectWise prorates itself (SPEC §16) — the prorated amount ConnectWise bills.
pub fn billed_once(row: &PlannedAddition, currency: &Currency) -> Result<Decimal> {
    let prorated_by_connectwise = row.notes.iter().find_map(|n| match n {
        RowNote::CatchUp {
            remaining,
            days,
            connectwise_prorates: true,
            ..
        } => Some((*remaining, *days)),
        _ => None,
    });
    match prorated_by_connectwise {
        Some((remaining, days)) if remaining != days => {
            let unit = money::prorate_days(row.unit_price, remaining, days, currency)?;
            Ok(money::extend(row.quantity, unit, currency)?)
        }
        _ => Ok(row.ext_price),
    }
}

/// Prorated and recurring amounts of a plan (SPEC §5). `additions` are the agreement's additions
/// the plan was made from.
pub fn totals(
    agreement: &Agreement,
    additions: &[Addition],
    plan: &Plan,
    effective: NaiveDate,
    currency: &Currency,
) -> Result<Totals> {
    let base = agreement.bill_amount.unwrap_or_default();
    let add = |sum: &mut Decimal, amount: Decimal| -> Result<()> {
        *sum = sum.checked_add(amount).ok_or(money::MoneyError::Overflow)?;
        Ok(())
    };
    let mut before = base;
    for a in additions.iter().filter(|a| is_active(a, effective)) {
        add(&mut before, existing_amount(a, currency)?)?;
    }
    let original = |row: &PlannedAddition| {
        additions
            .iter()
            .find(|a| Some(a.id) == row.existing_addition_id)
    };
    let mut after = base;
    let mut prorated = Decimal::ZERO;
    let mut one_time = Decimal::ZERO;
    for row in &plan.rows {
        // A row already in ConnectWise (SPEC §15) counts as the task's: its effect stands.
        let selected = row.selected || row.found.as_ref().is_some_and(Found::is_written);
        let one_time_add = row.action == Action::Add && row.cancel_date.is_some();
        let billed = billed_once(row, currency)?;
        if selected && (row.action == Action::Prorate || one_time_add) {
            add(&mut one_time, billed)?;
        }
        match (row.action, selected) {
            (Action::Prorate, true) => add(&mut prorated, billed)?,
            (Action::Prorate, false)
            | (Action::Cancel, true)
            | (Action::Add, false)
            | (Action::Remove, true) => {}
            (Action::Add | Action::Change, true) => {
                add(&mut after, recurring_amount(row, original(row), currency)?)?
            }
            // Left as it is: the existing addition counts as it was.
            (Action::Cancel | Action::Change | Action::Unchanged | Action::Remove, _) => {
                if let Some(a) = original(row) {
                    add(&mut after, existing_amount(a, currency)?)?;
                }
            }
        }
    }
    Ok(Totals {
        agreement_amount: money::round_half_away(base, currency.amount_places()),
        prorated,
        one_time,
        recurring_before: money::round_half_away(before, currency.amount_places()),
        recurring_after: money::round_half_away(after, currency.amount_places()),
    })
}

#[cfg(test)]
mod tests {
    /// A row's notes in words, as the wizard shows them.
    fn said(r: &PlannedAddition) -> Option<String> {
        crate::wizard::notes::row_notes(&r.notes)
    }

    /// The plan's notes in words.
    fn plan_said(plan: &Plan) -> Vec<String> {
        plan.notes
            .iter()
            .map(crate::wizard::notes::plan_note)
            .collect()
    }

    use super::*;
    use chrono::Datelike;
    use rust_decimal_macros::dec;
    use serde_json::json;

    fn from<T: serde::de::DeserializeOwned>(v: serde_json::Value) -> T {
        serde_json::from_value(v).expect("test data reads")
    }

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn usd() -> Currency {
        Currency::new("USD", 2)
    }

    fn catalog() -> Vec<CatalogItem> {
        serde_json::from_str(include_str!("../tests/fixtures/connectwise/catalog.json")).unwrap()
    }

    fn agreement(prorate: bool) -> Agreement {
        let mut a: Agreement =
            serde_json::from_str(include_str!("../tests/fixtures/connectwise/agreement.json"))
                .unwrap();
        a.prorate_flag = prorate;
        a
    }

    fn addition(
        id: i64,
        product: i64,
        identifier: &str,
        qty: &str,
        price: &str,
        start: &str,
        cancelled: Option<&str>,
    ) -> Addition {
        from(json!({
            "id": id, "product": {"id": product, "identifier": identifier}, "billCustomer": "Billable",
            "quantity": qty.parse::<f64>().unwrap(), "unitPrice": price.parse::<f64>().unwrap(), "unitCost": 1.0,
            "effectiveDate": format!("{start}T00:00:00Z"),
            "cancelledDate": cancelled.map(|c| format!("{c}T00:00:00Z")),
            "agreementStatus": if cancelled.is_some() { "Cancelled" } else { "Active" },
        }))
    }

    /// Agreement 4127 before Green Lane's change order: 20 Business Premium, 11 Exchange P1.
    fn green_lane_additions() -> Vec<Addition> {
        vec![
            addition(
                30210,
                612,
                "EXO-P1",
                "3",
                "4.0",
                "2024-02-15",
                Some("2025-02-28"),
            ),
            addition(30211, 611, "M365-BP", "20", "22.0", "2025-03-01", None),
            addition(30212, 612, "EXO-P1", "11", "4.0", "2025-03-01", None),
        ]
    }

    fn green_lane_map() -> HashMap<String, i64> {
        HashMap::from([
            ("CFQ7TTC0LCHC:0002_P1M".to_owned(), 611),
            ("CFQ7TTC0LH16:0001_P1M".to_owned(), 612),
        ])
    }

    struct Case {
        task_type: TaskType,
        order: Order,
        subscription: Subscription,
        agreement: Agreement,
        additions: Vec<Addition>,
        map: HashMap<String, i64>,
        chosen: HashMap<String, i64>,
        overrides: HashMap<String, PriceSource>,
        effective: NaiveDate,
        source: PriceSource,
        currency: Currency,
        fix: Option<FixTarget>,
        catalog_currency: Option<String>,
        invoiced: Invoiced,
    }

    impl Case {
        fn green_lane() -> Case {
            Case {
                task_type: TaskType::ChangeOrder,
                order: serde_json::from_str(include_str!(
                    "../tests/fixtures/marketplace/order_change.json"
                ))
                .unwrap(),
                subscription: serde_json::from_str(include_str!(
                    "../tests/fixtures/marketplace/subscription.json"
                ))
                .unwrap(),
                agreement: agreement(false),
                additions: green_lane_additions(),
                map: green_lane_map(),
                chosen: HashMap::new(),
                overrides: HashMap::new(),
                effective: ymd(2026, 11, 16),
                source: PriceSource::CloudMarketplace,
                currency: usd(),
                fix: None,
                catalog_currency: Some("USD".into()),
                invoiced: Invoiced::Nothing,
            }
        }

        fn run(&self) -> (Plan, Totals) {
            let catalog = catalog();
            let input = PlanInput {
                task_type: self.task_type,
                order: &self.order,
                subscription: &self.subscription,
                agreement: &self.agreement,
                additions: &self.additions,
                catalog: &catalog,
                product_map: &self.map,
                currency: &self.currency,
                effective_date: self.effective,
                price_source: self.source,
                price_overrides: &self.overrides,
                chosen: &self.chosen,
                fix: self.fix.as_ref(),
                catalog_currency: self.catalog_currency.as_deref(),
                invoiced: &self.invoiced,
            };
            let plan = plan(&input).unwrap();
            let totals = totals(
                &self.agreement,
                &self.additions,
                &plan,
                self.effective,
                &self.currency,
            )
            .unwrap();
            (plan, totals)
        }
    }

    fn row<'p>(plan: &'p Plan, key: &str) -> &'p PlannedAddition {
        plan.rows.iter().find(|r| r.key == key).unwrap_or_else(|| {
            panic!(
                "no row {key}: {:?}",
                plan.rows.iter().map(|r| &r.key).collect::<Vec<_>>()
            )
        })
    }

    #[test]
    fn green_lane_change_order_cancels_adds_and_prorates_each_product() {
        let (plan, totals) = Case::green_lane().run();
        let keys: Vec<&str> = plan.rows.iter().map(|r| r.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "cancel:30211",
                "add:CFQ7TTC0LCHC:0002_P1M",
                "prorate:CFQ7TTC0LCHC:0002_P1M",
                "cancel:30212",
                "add:CFQ7TTC0LH16:0001_P1M",
                "prorate:CFQ7TTC0LH16:0001_P1M"
            ]
        );
        let cancel = row(&plan, "cancel:30211");
        assert_eq!(cancel.cancel_date, Some(ymd(2026, 11, 15)));
        assert_eq!(cancel.existing_addition_id, Some(30211));
        let add = row(&plan, "add:CFQ7TTC0LCHC:0002_P1M");
        assert_eq!(
            (add.quantity, add.unit_price, add.unit_cost),
            (dec!(25), dec!(22.00), dec!(18.70))
        );
        assert_eq!(
            (add.effective_date, add.cancel_date),
            (ymd(2026, 11, 16), None)
        );
        assert_eq!(add.catalog_item_id, Some(611));
        // 1–30 November, effective the 16th: 15 of 30 days remain.
        let prorate = row(&plan, "prorate:CFQ7TTC0LCHC:0002_P1M");
        assert_eq!(
            (prorate.quantity, prorate.unit_price, prorate.ext_price),
            (dec!(5), dec!(11.0000), dec!(55.00))
        );
        assert_eq!(prorate.cancel_date, Some(ymd(2026, 11, 30)));
        let credit = row(&plan, "prorate:CFQ7TTC0LH16:0001_P1M");
        assert_eq!(
            (credit.quantity, credit.unit_price, credit.ext_price),
            (dec!(-2), dec!(2.0000), dec!(-4.00))
        );
        assert!(said(credit)
            .as_deref()
            .unwrap()
            .starts_with("Credit for the downgrade"));
        assert_eq!(row(&plan, "add:CFQ7TTC0LH16:0001_P1M").quantity, dec!(9));
        assert!(plan.unmapped.is_empty() && plan.ambiguous.is_empty());
        // 150 + 20 × 22 + 11 × 4 before; 150 + 25 × 22 + 9 × 4 after; 55.00 − 4.00 prorated.
        assert_eq!(totals.recurring_before, dec!(634.00));
        assert_eq!(totals.recurring_after, dec!(736.00));
        assert_eq!(totals.prorated, dec!(51.00));
        assert_eq!(
            totals.one_time,
            dec!(51.00),
            "the prorates are the one-time charges"
        );
    }

    #[test]
    fn a_deselected_credit_is_not_prorated_and_a_deselected_cancel_keeps_the_addition() {
        let case = Case::green_lane();
        let (mut plan, _) = case.run();
        for r in plan.rows.iter_mut().filter(|r| {
            r.key == "prorate:CFQ7TTC0LH16:0001_P1M"
                || r.key.ends_with("LH16:0001_P1M")
                || r.key == "cancel:30212"
        }) {
            r.selected = false;
        }
        let t = totals(
            &case.agreement,
            &case.additions,
            &plan,
            case.effective,
            &case.currency,
        )
        .unwrap();
        assert_eq!(t.prorated, dec!(55.00));
        // Exchange left as it was: 150 + 25 × 22 + 11 × 4.
        assert_eq!(t.recurring_after, dec!(744.00));
    }

    #[test]
    fn the_agreements_own_amount_is_its_own_figure_and_additions_bill_less_what_is_included() {
        let mut case = Case::green_lane();
        // 2 of the 11 Exchange licences are included in the agreement: 9 are billed.
        case.additions[2].less_included = Some(dec!(2));
        let (_, t) = case.run();
        assert_eq!(t.agreement_amount, dec!(150.00));
        // 150 of its own + 20 × 22 + (11 − 2) × 4.
        assert_eq!(t.recurring_before, dec!(626.00));
        // The Exchange addition is replaced by one of 9 with nothing included: 150 + 25 × 22 + 9 × 4.
        assert_eq!(t.recurring_after, dec!(736.00));
        // What Reconcile counts an addition as billing is the same figure.
        assert_eq!(
            addition_billed(dec!(11), dec!(2), dec!(4.0), &case.currency).unwrap(),
            dec!(36.00)
        );
        assert_eq!(
            addition_billed(dec!(1), dec!(2), dec!(4.0), &case.currency).unwrap(),
            dec!(0)
        );
    }

    #[test]
    fn connectwise_proration_on_means_no_prorate_rows_and_says_why() {
        let mut case = Case::green_lane();
        case.agreement = agreement(true);
        let (plan, totals) = case.run();
        assert!(plan.rows.iter().all(|r| r.action != Action::Prorate));
        assert!(
            plan_said(&plan)
                .iter()
                .any(|n| n.contains("ConnectWise proration on")),
            "{:?}",
            plan_said(&plan)
        );
        assert_eq!(totals.prorated, Decimal::ZERO);
    }

    #[test]
    fn connectwise_prices_come_from_the_existing_addition_and_are_not_prorated() {
        let mut case = Case::green_lane();
        case.additions[1] = addition(30211, 611, "M365-BP", "20", "21.5", "2025-03-01", None);
        case.source = PriceSource::ConnectWise;
        let (plan, _) = case.run();
        let add = row(&plan, "add:CFQ7TTC0LCHC:0002_P1M");
        assert_eq!(
            (add.unit_price, add.price_source),
            (dec!(21.5), PriceSource::ConnectWise)
        );
        assert!(plan.rows.iter().all(|r| r.action != Action::Prorate));
        assert!(plan_said(&plan)
            .iter()
            .any(|n| n.contains("only for Cloud Marketplace prices")));
    }

    #[test]
    fn an_addition_starting_on_the_change_date_is_changed_in_place() {
        let mut case = Case::green_lane();
        case.additions[1] = addition(30211, 611, "M365-BP", "20", "22.0", "2026-11-16", None);
        let (plan, totals) = case.run();
        let change = row(&plan, "change:30211");
        assert_eq!(
            (change.action, change.quantity, change.existing_addition_id),
            (Action::Change, dec!(25), Some(30211))
        );
        assert!(plan
            .rows
            .iter()
            .all(|r| r.key != "cancel:30211" && r.key != "add:CFQ7TTC0LCHC:0002_P1M"));
        assert_eq!(totals.recurring_after, dec!(736.00));
    }

    #[test]
    fn a_one_time_addition_ending_this_period_is_not_the_one_a_change_changes() {
        // An earlier change this month wrote a prorate: the same product, active until the
        // period's end. The later change changes the ongoing addition, and leaves the prorate.
        let mut case = Case::green_lane();
        let mut prorate = addition(
            30299,
            611,
            "M365-BP",
            "2",
            "10.5",
            "2026-11-10",
            Some("2026-11-30"),
        );
        prorate.agreement_status = Some("Active".into());
        case.additions.push(prorate);
        let (plan, _) = case.run();
        assert!(plan.ambiguous.is_empty(), "{:?}", plan.ambiguous);
        assert_eq!(
            row(&plan, "cancel:30211").cancel_date,
            Some(ymd(2026, 11, 15))
        );
        assert_eq!(row(&plan, "keep:30299").action, Action::Unchanged);
    }

    #[test]
    fn several_matching_additions_need_a_choice() {
        let mut case = Case::green_lane();
        case.additions.push(addition(
            30299,
            611,
            "M365-BP",
            "2",
            "22.0",
            "2025-06-01",
            None,
        ));
        let (plan, _) = case.run();
        assert_eq!(
            plan.ambiguous,
            vec![Ambiguity {
                product_key: "CFQ7TTC0LCHC:0002_P1M".into(),
                addition_ids: vec![30211, 30299]
            }]
        );
        assert!(plan
            .rows
            .iter()
            .all(|r| r.key != "cancel:30211" && r.key != "cancel:30299"));
        case.chosen.insert("CFQ7TTC0LCHC:0002_P1M".into(), 30299);
        let (plan, _) = case.run();
        assert!(plan.ambiguous.is_empty());
        assert_eq!(
            row(&plan, "cancel:30299").cancel_date,
            Some(ymd(2026, 11, 15))
        );
        assert_eq!(row(&plan, "keep:30211").action, Action::Unchanged);
    }

    #[test]
    fn unmapped_products_are_listed_and_their_rows_have_no_catalog_item() {
        let mut case = Case::green_lane();
        case.map.remove("CFQ7TTC0LH16:0001_P1M");
        let (plan, _) = case.run();
        assert_eq!(
            plan.unmapped,
            vec![UnmappedProduct {
                product_key: "CFQ7TTC0LH16:0001_P1M".into(),
                name: "Exchange Online (Plan 1)".into()
            }]
        );
        assert_eq!(
            row(&plan, "add:CFQ7TTC0LH16:0001_P1M").catalog_item_id,
            None
        );
        // Without a mapping its existing addition is not recognised: it stays unchanged.
        assert_eq!(row(&plan, "keep:30212").action, Action::Unchanged);
    }

    fn sales_case(order_day: &str, anchor: &str, setup: &str) -> Case {
        Case {
            task_type: TaskType::SalesOrder,
            order: from(
                json!({"id": "9", "type": "sales", "customerId": "1", "creationDate": format!("{order_day} 09:00:00"), "status": "completed",
                "products": [{"mpn": "CFQ7TTC0LCHC:0002_P1M", "name": "Microsoft 365 Business Premium", "quantity": 10, "subscriptionId": "5"}]}),
            ),
            subscription: from(
                json!({"id": "5", "customerId": "1", "creationDate": anchor, "billingStartDate": anchor,
                "billingPeriod": {"type": "month", "duration": 1},
                "products": [{"mpn": "CFQ7TTC0LCHC:0002_P1M", "name": "Microsoft 365 Business Premium", "quantity": 10,
                    "prices": [{"type": "recurring", "amount": "22.00", "currency": "USD"}, {"type": "setup", "amount": setup, "currency": "USD"}],
                    "costs": [{"type": "recurring", "amount": "18.70", "currency": "USD"}]}]}),
            ),
            agreement: agreement(false),
            additions: vec![],
            map: HashMap::from([
                ("CFQ7TTC0LCHC:0002_P1M".to_owned(), 611),
                ("setup:CFQ7TTC0LCHC:0002_P1M".to_owned(), 612),
            ]),
            chosen: HashMap::new(),
            overrides: HashMap::new(),
            effective: NaiveDate::parse_from_str(order_day, "%Y-%m-%d").unwrap(),
            source: PriceSource::CloudMarketplace,
            currency: usd(),
            fix: None,
            catalog_currency: Some("USD".into()),
            invoiced: Invoiced::Nothing,
        }
    }

    #[test]
    fn sales_order_the_spec_example_ten_licences_give_120_65() {
        let (plan, totals) = sales_case("2026-03-15", "2026-03-01", "0.00").run();
        let add = row(&plan, "add:CFQ7TTC0LCHC:0002_P1M");
        assert_eq!(
            (add.quantity, add.unit_price, add.ext_price, add.cancel_date),
            (dec!(10), dec!(22.00), dec!(220.00), None)
        );
        let prorate = row(&plan, "prorate:CFQ7TTC0LCHC:0002_P1M");
        assert_eq!(
            (prorate.unit_price, prorate.ext_price),
            (dec!(12.0645), dec!(120.65))
        );
        assert_eq!(
            (prorate.effective_date, prorate.cancel_date),
            (ymd(2026, 3, 15), Some(ymd(2026, 3, 31)))
        );
        assert_eq!(totals.prorated, dec!(120.65));
        assert_eq!(
            totals.recurring_after - totals.recurring_before,
            dec!(220.00)
        );
        assert!(
            plan.rows.iter().all(|r| !r.key.starts_with("add:setup")),
            "no setup fee when it is 0"
        );
    }

    #[test]
    fn sales_order_on_the_period_start_has_no_prorate_and_a_setup_fee_is_priced_from_the_catalog() {
        let (plan, _) = sales_case("2026-03-01", "2026-03-01", "49.00").run();
        assert!(plan.rows.iter().all(|r| r.action != Action::Prorate));
        let setup = row(&plan, "add:setup:CFQ7TTC0LCHC:0002_P1M");
        // Mapped to catalog item 612 (price 4.5 in the fixture): the catalog price wins.
        assert_eq!(
            (setup.unit_price, setup.quantity, setup.cancel_date),
            (dec!(4.5), dec!(1), Some(ymd(2026, 3, 1)))
        );
    }

    #[test]
    fn catalog_prices_in_another_currency_than_the_agreements_are_refused_for_the_row_with_why() {
        // The agreement bills in EUR; the catalog's prices are in USD (the ConnectWise company's
        // own currency): 4.50 USD must never be written as 4.50 EUR.
        let mut case = sales_case("2026-03-01", "2026-03-01", "49.00");
        case.currency = Currency::new("EUR", 2);
        case.source = PriceSource::ConnectWise;
        case.catalog_currency = Some("USD".into());
        let (plan, _) = case.run();
        let setup = row(&plan, "add:setup:CFQ7TTC0LCHC:0002_P1M");
        assert_eq!(setup.unit_price, dec!(49.00), "the marketplace's setup fee");
        assert_eq!(setup.price_source, PriceSource::CloudMarketplace);
        assert!(
            said(setup).as_deref().is_some_and(|n| n.contains(
                "ConnectWise's catalog prices are in USD and this agreement bills in EUR"
            )),
            "{:?}",
            said(setup)
        );
        let add = row(&plan, "add:CFQ7TTC0LCHC:0002_P1M");
        assert_eq!(add.unit_price, dec!(22), "the marketplace's price");
        assert_eq!(add.price_source, PriceSource::CloudMarketplace);
        assert!(
            said(add)
                .as_deref()
                .is_some_and(|n| n.contains("the catalog price is not used")),
            "{:?}",
            said(add)
        );

        // Not known at all: refused too, saying where to name it.
        case.catalog_currency = None;
        let (plan, _) = case.run();
        let add = row(&plan, "add:CFQ7TTC0LCHC:0002_P1M");
        assert_eq!(add.price_source, PriceSource::CloudMarketplace);
        assert!(
            said(add)
                .as_deref()
                .is_some_and(|n| n.contains("Catalog price currency")),
            "{:?}",
            said(add)
        );

        // The same currency (any case): the catalog price is used.
        case.catalog_currency = Some("eur".into());
        let (plan, _) = case.run();
        let add = row(&plan, "add:CFQ7TTC0LCHC:0002_P1M");
        assert_eq!(add.price_source, PriceSource::ConnectWise);
        assert_eq!(said(add), None);
    }

    #[test]
    fn yearly_period_anchored_on_29_february_prorates_over_365_days() {
        let mut case = sales_case("2027-03-01", "2024-02-29", "0.00");
        case.subscription.billing_period = from(json!({"type": "year", "duration": 1}));
        let (plan, _) = case.run();
        let prorate = row(&plan, "prorate:CFQ7TTC0LCHC:0002_P1M");
        // Period 2027-02-28 .. 2028-02-29 (366 days, a leap day inside); from 1 March 365 remain.
        assert_eq!(prorate.cancel_date, Some(ymd(2028, 2, 28)));
        assert_eq!(
            prorate.unit_price,
            money::round_half_away(dec!(22) * dec!(365) / dec!(366), 4)
        );
    }

    #[test]
    fn billing_order_bills_usage_over_the_included_amount_for_the_closed_period() {
        let case = Case {
            task_type: TaskType::BillingOrder,
            order: serde_json::from_str(include_str!(
                "../tests/fixtures/marketplace/order_billing.json"
            ))
            .unwrap(),
            subscription: from(
                json!({"id": "1000522", "customerId": "1000048531", "creationDate": "2025-03-01",
                "billingPeriod": {"type": "month", "duration": 1}, "billingModel": "usage",
                "products": [{"mpn": "AZ-PLAN-USAGE", "name": "Azure plan", "quantity": 1, "includedQuantity": 1000,
                    "prices": [{"type": "overuse", "amount": "0.0025", "currency": "USD"}],
                    "costs": [{"type": "overuse", "amount": "0.002", "currency": "USD"}]}]}),
            ),
            agreement: agreement(false),
            additions: vec![],
            map: HashMap::from([("AZ-PLAN-USAGE".to_owned(), 611)]),
            chosen: HashMap::new(),
            overrides: HashMap::new(),
            effective: ymd(2026, 11, 1),
            source: PriceSource::CloudMarketplace,
            currency: usd(),
            fix: None,
            catalog_currency: Some("USD".into()),
            invoiced: Invoiced::Nothing,
        };
        let (plan, totals) = case.run();
        let usage = row(&plan, "usage:AZ-PLAN-USAGE");
        assert_eq!(
            (usage.effective_date, usage.cancel_date),
            (ymd(2026, 10, 1), Some(ymd(2026, 10, 31)))
        );
        assert_eq!(
            (usage.quantity, usage.unit_price, usage.unit_cost),
            (dec!(17250.5), dec!(0.0025), dec!(0.002))
        );
        assert_eq!(usage.ext_price, dec!(43.13));
        assert_eq!(
            said(usage).as_deref(),
            Some("Usage 18250.5 with 1000 included: bills 17250.5 for the closed period 2026-10-01 to 2026-10-31.")
        );
        assert_eq!(
            (totals.prorated, totals.one_time),
            (Decimal::ZERO, dec!(43.13)),
            "the usage charge is one-time, not prorated"
        );
        assert_eq!(
            totals.recurring_after, totals.recurring_before,
            "usage is one-time"
        );
    }

    /// A billing order bills the last closed period, whatever day of the new period it arrives.
    #[test]
    fn billing_order_bills_the_last_closed_period_on_any_day_of_the_new_one() {
        // (anchor, period unit, duration, order day, billed first day, billed last day)
        type Row = (
            &'static str,
            &'static str,
            u32,
            &'static str,
            &'static str,
            &'static str,
        );
        let table: &[Row] = &[
            // monthly, anchored on the 5th
            (
                "2025-03-05",
                "month",
                1,
                "2026-11-05",
                "2026-10-05",
                "2026-11-04",
            ), // first day
            (
                "2025-03-05",
                "month",
                1,
                "2026-11-06",
                "2026-10-05",
                "2026-11-04",
            ), // second day
            (
                "2025-03-05",
                "month",
                1,
                "2026-11-20",
                "2026-10-05",
                "2026-11-04",
            ), // mid-period
            (
                "2025-03-05",
                "month",
                1,
                "2026-12-04",
                "2026-10-05",
                "2026-11-04",
            ), // last day
            // monthly, anchored on the 31st (clamped in short months)
            (
                "2025-01-31",
                "month",
                1,
                "2026-03-31",
                "2026-02-28",
                "2026-03-30",
            ),
            (
                "2025-01-31",
                "month",
                1,
                "2026-04-01",
                "2026-02-28",
                "2026-03-30",
            ),
            (
                "2025-01-31",
                "month",
                1,
                "2026-04-15",
                "2026-02-28",
                "2026-03-30",
            ),
            (
                "2025-01-31",
                "month",
                1,
                "2026-04-29",
                "2026-02-28",
                "2026-03-30",
            ),
            (
                "2025-01-31",
                "month",
                1,
                "2026-04-30",
                "2026-03-31",
                "2026-04-29",
            ),
            (
                "2027-01-31",
                "month",
                1,
                "2028-03-01",
                "2028-01-31",
                "2028-02-28",
            ),
            // quarterly
            (
                "2025-01-01",
                "month",
                3,
                "2026-10-01",
                "2026-07-01",
                "2026-09-30",
            ),
            (
                "2025-01-01",
                "month",
                3,
                "2026-10-02",
                "2026-07-01",
                "2026-09-30",
            ),
            (
                "2025-01-01",
                "month",
                3,
                "2026-11-15",
                "2026-07-01",
                "2026-09-30",
            ),
            (
                "2025-01-01",
                "month",
                3,
                "2026-12-31",
                "2026-07-01",
                "2026-09-30",
            ),
            // yearly, and a 29 February anchor
            (
                "2024-02-29",
                "year",
                1,
                "2026-02-28",
                "2025-02-28",
                "2026-02-27",
            ),
            (
                "2024-02-29",
                "year",
                1,
                "2026-03-01",
                "2025-02-28",
                "2026-02-27",
            ),
            (
                "2024-06-10",
                "year",
                1,
                "2026-06-09",
                "2024-06-10",
                "2025-06-09",
            ),
            (
                "2024-06-10",
                "year",
                1,
                "2026-06-10",
                "2025-06-10",
                "2026-06-09",
            ),
        ];
        for &(anchor, unit, duration, order_day, first, last) in table {
            let mut order: Order = serde_json::from_str(include_str!(
                "../tests/fixtures/marketplace/order_billing.json"
            ))
            .unwrap();
            order.creation_date = NaiveDate::parse_from_str(order_day, "%Y-%m-%d")
                .unwrap()
                .and_hms_opt(9, 30, 0)
                .unwrap()
                .and_utc();
            let case = Case {
                task_type: TaskType::BillingOrder,
                order,
                subscription: from(json!({"id": "1000522", "customerId": "1000048531",
                    "creationDate": anchor, "billingPeriod": {"type": unit, "duration": duration},
                    "billingModel": "usage",
                    "products": [{"mpn": "AZ-PLAN-USAGE", "name": "Azure plan", "quantity": 1,
                        "includedQuantity": 1000,
                        "prices": [{"type": "overuse", "amount": "0.0025", "currency": "USD"}],
                        "costs": [{"type": "overuse", "amount": "0.002", "currency": "USD"}]}]})),
                agreement: agreement(false),
                additions: vec![],
                map: HashMap::from([("AZ-PLAN-USAGE".to_owned(), 611)]),
                chosen: HashMap::new(),
                overrides: HashMap::new(),
                effective: NaiveDate::parse_from_str(order_day, "%Y-%m-%d").unwrap(),
                source: PriceSource::CloudMarketplace,
                currency: usd(),
                fix: None,
                catalog_currency: Some("USD".into()),
                invoiced: Invoiced::Nothing,
            };
            let (plan, _) = case.run();
            let usage = row(&plan, "usage:AZ-PLAN-USAGE");
            let shown = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
            assert_eq!(
                (shown(usage.effective_date), usage.cancel_date.map(shown)),
                (first.to_owned(), Some(last.to_owned())),
                "anchor {anchor}, {duration} {unit}, order on {order_day}"
            );
        }
    }

    #[test]
    fn dates_at_the_ends_of_the_calendar_are_refused_not_panicked_on() {
        let mut case = Case::green_lane();
        for effective in [
            NaiveDate::MAX,
            NaiveDate::MIN,
            NaiveDate::MAX.pred_opt().unwrap(),
        ] {
            case.effective = effective;
            let input = PlanInput {
                task_type: case.task_type,
                order: &case.order,
                subscription: &case.subscription,
                agreement: &case.agreement,
                additions: &case.additions,
                catalog: &catalog(),
                product_map: &case.map,
                currency: &case.currency,
                effective_date: case.effective,
                price_source: case.source,
                price_overrides: &case.overrides,
                chosen: &case.chosen,
                fix: None,
                catalog_currency: Some("USD"),
                invoiced: &Invoiced::Nothing,
            };
            // A plan where the periods fit in the calendar, else a refusal naming the date.
            match plan(&input) {
                Ok(_) => assert_eq!(effective, NaiveDate::MIN),
                Err(e) => assert!(
                    matches!(
                        &e,
                        Error::Invalid {
                            field: crate::error::ErrorField::Review(
                                crate::error::ReviewField::EffectiveDate
                            ),
                            ..
                        }
                    ),
                    "{e}"
                ),
            }
        }
    }

    #[test]
    fn totals_that_do_not_fit_are_refused_not_panicked_on() {
        let case = Case::green_lane();
        let (mut planned, _) = case.run();
        for r in planned.rows.iter_mut().filter(|r| r.action == Action::Add) {
            r.quantity = Decimal::MAX;
            r.unit_price = Decimal::ONE;
        }
        let err = totals(
            &case.agreement,
            &case.additions,
            &planned,
            case.effective,
            &case.currency,
        );
        assert!(err.is_err());
        let mut two = planned.rows.clone();
        two.retain(|r| r.action == Action::Add);
        for r in two.iter_mut() {
            r.quantity = dec!(40000000000000000000000000000);
            r.ext_price = dec!(40000000000000000000000000000);
            r.action = Action::Prorate;
        }
        planned.rows = two;
        assert!(totals(
            &case.agreement,
            &case.additions,
            &planned,
            case.effective,
            &case.currency
        )
        .is_err());
    }

    #[test]
    fn cancellation_in_advance_ends_with_the_invoiced_period_and_adds_the_fee() {
        let mut sub: Subscription = serde_json::from_str(include_str!(
            "../tests/fixtures/marketplace/subscription.json"
        ))
        .unwrap();
        sub.billing_model = Some("chargeBeforeBillingPeriod".into());
        let case = Case {
            task_type: TaskType::CancellationOrder,
            order: from(
                json!({"id": "7", "type": "cancellation", "customerId": "1000048531", "creationDate": "2026-11-16 10:00:00", "status": "completed",
                "products": [{"mpn": "CANCEL-FEE", "name": "Early cancellation fee", "quantity": 1, "subscriptionId": "1000517",
                    "extendedPrice": {"amount": "25.00", "currency": "USD"}}]}),
            ),
            subscription: sub,
            agreement: agreement(false),
            additions: green_lane_additions(),
            map: green_lane_map(),
            chosen: HashMap::new(),
            overrides: HashMap::new(),
            effective: ymd(2026, 11, 16),
            source: PriceSource::CloudMarketplace,
            currency: usd(),
            fix: None,
            catalog_currency: Some("USD".into()),
            invoiced: Invoiced::Nothing,
        };
        let (plan, totals) = case.run();
        for key in ["cancel:30211", "cancel:30212"] {
            let r = row(&plan, key);
            assert_eq!(r.cancel_date, Some(ymd(2026, 11, 30)), "{key}");
            assert!(said(r).as_deref().unwrap().contains("already invoiced"));
        }
        let fee = row(&plan, "fee:CANCEL-FEE");
        assert_eq!(
            (fee.unit_price, fee.ext_price, fee.cancel_date),
            (dec!(25.00), dec!(25.00), Some(ymd(2026, 11, 16)))
        );
        assert_eq!(plan.unmapped.len(), 1, "the fee still needs a catalog item");
        assert_eq!(totals.recurring_after, dec!(150.00));
    }

    #[test]
    fn zero_decimal_currency_rounds_extended_amounts_to_whole_units() {
        let mut case = sales_case("2026-03-15", "2026-03-01", "0.00");
        case.currency = Currency::new("JPY", 0);
        let (plan, _) = case.run();
        let prorate = row(&plan, "prorate:CFQ7TTC0LCHC:0002_P1M");
        assert_eq!(
            (prorate.unit_price, prorate.ext_price),
            (dec!(12.06), dec!(121))
        );
    }

    fn fix_case(mode: FixMode, quantity: &str, additions: Vec<Addition>) -> Case {
        Case {
            task_type: TaskType::ReconcileFix,
            additions,
            effective: ymd(2026, 12, 1),
            fix: Some(FixTarget {
                product_key: "CFQ7TTC0LCHC:0002_P1M".into(),
                product_name: "Microsoft 365 Business Premium".into(),
                mode,
                quantity: quantity.parse().unwrap(),
                unit_price: dec!(22.00),
                unit_cost: dec!(18.70),
            }),
            ..Case::green_lane()
        }
    }

    fn writes_of(plan: &Plan) -> Vec<(String, Option<NaiveDate>, Decimal)> {
        plan.rows
            .iter()
            .filter(|r| r.action != Action::Unchanged)
            .map(|r| (r.key.clone(), r.cancel_date, r.quantity))
            .collect()
    }

    #[test]
    fn a_fix_keeps_the_addition_already_right_and_asks_when_none_is() {
        let bp = |id, q: &str, p: &str| addition(id, 611, "M365-BP", q, p, "2025-03-01", None);
        // One of two is already right: kept, the other ends the day before.
        let (plan, _) = fix_case(
            FixMode::Set,
            "20",
            vec![bp(1, "20", "22.0"), bp(2, "5", "22.0")],
        )
        .run();
        assert_eq!(
            writes_of(&plan),
            [("cancel:2".to_owned(), Some(ymd(2026, 11, 30)), dec!(5))]
        );
        assert_eq!(plan.kept[0].kept, 1);
        assert!(plan.ambiguous.is_empty());
        // Neither is right: the person chooses, and nothing is planned until then.
        let mut case = fix_case(
            FixMode::Set,
            "25",
            vec![bp(1, "20", "22.0"), bp(2, "5", "22.0")],
        );
        let (plan, _) = case.run();
        assert_eq!(plan.ambiguous[0].addition_ids, [1, 2]);
        assert!(writes_of(&plan).is_empty());
        // Chosen: it is corrected (cancel + add), the other ends.
        case.chosen.insert("CFQ7TTC0LCHC:0002_P1M".into(), 2);
        let (plan, _) = case.run();
        assert_eq!(
            writes_of(&plan),
            [
                ("cancel:1".to_owned(), Some(ymd(2026, 11, 30)), dec!(20)),
                ("cancel:2".to_owned(), Some(ymd(2026, 11, 30)), dec!(5)),
                ("add:CFQ7TTC0LCHC:0002_P1M".to_owned(), None, dec!(25)),
            ]
        );
    }

    #[test]
    fn a_fix_that_ends_cancels_every_billing_addition_and_leaves_an_ending_one() {
        let additions = vec![
            addition(1, 611, "M365-BP", "20", "22.0", "2025-03-01", None),
            addition(
                2,
                611,
                "M365-BP",
                "3",
                "22.0",
                "2025-03-01",
                Some("2027-01-31"),
            ),
        ];
        let (plan, _) = fix_case(FixMode::End, "0", additions).run();
        assert_eq!(
            writes_of(&plan),
            [("cancel:1".to_owned(), Some(ymd(2026, 11, 30)), dec!(20))]
        );
        // Nothing left billing: nothing to write, and the plan says so.
        let (plan, _) = fix_case(FixMode::End, "0", vec![]).run();
        assert!(writes_of(&plan).is_empty());
        assert_eq!(
            plan_said(&plan),
            ["Microsoft 365 Business Premium: the agreement no longer bills it; nothing to fix."]
        );
    }

    #[test]
    fn a_fix_of_an_addition_starting_on_its_date_changes_it_in_place() {
        let additions = vec![addition(
            7,
            611,
            "M365-BP",
            "20",
            "22.0",
            "2026-12-01",
            None,
        )];
        let (plan, _) = fix_case(FixMode::Set, "24", additions).run();
        assert_eq!(writes_of(&plan), [("change:7".to_owned(), None, dec!(24))]);
    }

    #[test]
    fn a_current_addition_left_as_it_is_names_its_catalog_item() {
        // Shown "not mapped" before, though its product is the catalog's own.
        let additions = vec![
            addition(1, 611, "M365-BP", "20", "22.0", "2025-03-01", None),
            addition(2, 612, "EXO-P1", "11", "4.0", "2025-03-01", None),
        ];
        let (plan, _) = fix_case(FixMode::Set, "20", additions.clone()).run();
        let kept: Vec<(Option<i64>, Option<i64>)> = plan
            .rows
            .iter()
            .filter(|r| r.action == Action::Unchanged)
            .map(|r| (r.existing_addition_id, r.catalog_item_id))
            .collect();
        assert!(!kept.is_empty());
        for (id, item) in kept {
            let product = additions
                .iter()
                .find(|a| Some(a.id) == id)
                .map(|a| a.product.id);
            assert_eq!(item, product, "addition {id:?}");
        }
    }

    // ---- SPEC §16: the invoice calendar ------------------------------------------------------

    /// Green Lane's agreement invoiced up to `boundary` (monthly from 2024-01-01), last invoice
    /// #1042.
    fn invoiced_to(boundary: NaiveDate, prorates: bool) -> Invoiced {
        Invoiced::Through(Calendar {
            boundary,
            next_invoice_date: boundary,
            cycle: BillingPeriod::MONTHLY,
            anchor: ymd(2024, 1, 1),
            last_invoice: Some(crate::calendar::LastInvoice {
                number: Some("1042".into()),
                date: boundary.pred_opt().unwrap().with_day(1).unwrap(),
            }),
            prorates,
        })
    }

    fn calendar_case(boundary: NaiveDate, prorates: bool) -> Case {
        let mut case = Case::green_lane();
        case.agreement.prorate_flag = prorates;
        case.invoiced = invoiced_to(boundary, prorates);
        case
    }

    fn next_invoice(case: &Case, plan: &Plan) -> crate::invoice::InvoiceChange {
        let Invoiced::Through(cal) = &case.invoiced else {
            panic!("no calendar")
        };
        crate::invoice::change(
            cal,
            case.agreement.bill_amount.unwrap_or_default(),
            &case.additions,
            &plan.rows,
            &case.currency,
        )
        .unwrap()
    }

    fn dates(r: &PlannedAddition) -> (NaiveDate, Option<NaiveDate>) {
        (r.effective_date, r.cancel_date)
    }

    #[test]
    fn a_change_inside_an_invoiced_month_starts_at_the_boundary_with_a_catch_up_and_a_credit() {
        let case = calendar_case(ymd(2026, 12, 1), false);
        let (plan, totals) = case.run();
        let keys: Vec<&str> = plan.rows.iter().map(|r| r.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "cancel:30211",
                "add:CFQ7TTC0LCHC:0002_P1M",
                "catchup:CFQ7TTC0LCHC:0002_P1M:2026-11-01",
                "cancel:30212",
                "add:CFQ7TTC0LH16:0001_P1M",
                "credit:CFQ7TTC0LH16:0001_P1M:2026-11-01"
            ]
        );
        // No recurring date before the boundary; the row says why.
        let cancel = row(&plan, "cancel:30211");
        assert_eq!(cancel.cancel_date, Some(ymd(2026, 11, 30)));
        assert_eq!(
            said(cancel).unwrap(),
            "Moved from 2026-11-15 to 2026-11-30: November 2026 already invoiced, #1042."
        );
        let add = row(&plan, "add:CFQ7TTC0LCHC:0002_P1M");
        assert_eq!(dates(add), (ymd(2026, 12, 1), None));
        assert!(said(add)
            .unwrap()
            .starts_with("Moved from 2026-11-16 to 2026-12-01"));
        // The catch-up: 5 × 22.00 for 16–30 November (15 of 30 days), dated in December.
        let catch_up = row(&plan, "catchup:CFQ7TTC0LCHC:0002_P1M:2026-11-01");
        assert_eq!(
            (catch_up.quantity, catch_up.unit_price, catch_up.ext_price),
            (dec!(5), dec!(11.0000), dec!(55.00))
        );
        assert_eq!(dates(catch_up), (ymd(2026, 12, 1), Some(ymd(2026, 12, 31))));
        assert!(catch_up.selected);
        assert!(catch_up
            .description
            .contains("catch-up 2026-11-16 to 2026-11-30"));
        assert_eq!(catch_up.role(), Some(crate::ledger::Role::CatchUp));
        // The credit: the marketplace refunds the two Exchange licences (−8.00), so it is selected.
        let credit = row(&plan, "credit:CFQ7TTC0LH16:0001_P1M:2026-11-01");
        assert_eq!(
            (credit.quantity, credit.unit_price, credit.ext_price),
            (dec!(-2), dec!(2.0000), dec!(-4.00))
        );
        assert!(credit.selected, "{:?}", said(credit));
        assert!(said(credit).unwrap().contains("the marketplace refunds it"));
        // Keys differ per period and from the prorate's.
        assert_ne!(catch_up.source_key, credit.source_key);
        assert!(catch_up.source_key.as_deref().unwrap().len() <= 50);
        assert_eq!(totals.one_time, dec!(51.00));
        // December's invoice: 150 + 25 × 22 + 9 × 4 recurring, and 55.00 − 4.00 once.
        let next = next_invoice(&case, &plan);
        assert_eq!(next.before.total, dec!(634.00));
        assert_eq!(
            (next.after.recurring, next.after.one_time, next.after.total),
            (dec!(736.00), dec!(51.00), dec!(787.00))
        );
        assert_eq!(next.after.date, ymd(2026, 12, 1));
    }

    #[test]
    fn a_boundary_before_the_change_plans_as_before_and_one_on_it_needs_no_prorate() {
        // Invoiced through October: the change of 16 November is planned as it always was.
        let case = calendar_case(ymd(2026, 11, 1), false);
        let (plan, _) = case.run();
        let (nothing, _) = Case::green_lane().run();
        assert_eq!(plan.rows, nothing.rows);
        let next = next_invoice(&case, &plan);
        // November's invoice: the old additions bill November (active on the 1st), the new ones
        // from December; the prorates are dated in November: 150 + 440 + 44 + 55 − 4.
        assert_eq!(next.after.total, dec!(685.00));
        assert_eq!(next.after.one_time, dec!(51.00));
        // A change on the boundary itself: nothing to catch up, nothing to prorate.
        let mut on = calendar_case(ymd(2026, 12, 1), false);
        on.effective = ymd(2026, 12, 1);
        let (plan, _) = on.run();
        assert!(plan.rows.iter().all(|r| r.action != Action::Prorate));
        assert_eq!(
            row(&plan, "cancel:30211").cancel_date,
            Some(ymd(2026, 11, 30))
        );
        assert!(said(row(&plan, "cancel:30211")).is_none());
        assert_eq!(next_invoice(&on, &plan).after.total, dec!(736.00));
    }

    #[test]
    fn an_agreement_that_prorates_itself_gets_full_price_rows_over_the_true_dates_never_both() {
        let case = calendar_case(ymd(2026, 12, 1), true);
        let (plan, _) = case.run();
        assert!(!plan.rows.iter().any(|r| r.key.starts_with("prorate:")));
        let back = row(&plan, "catchup:CFQ7TTC0LCHC:0002_P1M:2026-11-01");
        assert_eq!(
            (back.quantity, back.unit_price, dates(back)),
            (
                dec!(5),
                dec!(22.00),
                (ymd(2026, 11, 16), Some(ymd(2026, 11, 30)))
            )
        );
        assert!(said(back)
            .unwrap()
            .contains("ConnectWise prorates it (15 of 30 days)"));
        assert_eq!(
            dates(row(&plan, "add:CFQ7TTC0LCHC:0002_P1M")).0,
            ymd(2026, 12, 1)
        );
        assert_eq!(
            row(&plan, "cancel:30211").cancel_date,
            Some(ymd(2026, 11, 30))
        );
        // ConnectWise bills 5 × 11.00 back and −2 × 2.00: the same as the catch-up of ours.
        let next = next_invoice(&case, &plan);
        let back_billed: Vec<Decimal> = next
            .after
            .lines
            .iter()
            .filter(|l| l.kind == crate::invoice::LineKind::BackBilled)
            .map(|l| l.amount)
            .collect();
        assert_eq!(back_billed, [dec!(55.00), dec!(-4.00)]);
        assert_eq!(next.after.total, dec!(787.00));
        // The Summary's one-time figure is what ConnectWise bills, not the full price written.
        let (_, totals) = case.run();
        assert_eq!(totals.one_time, dec!(51.00));
    }

    #[test]
    fn two_invoiced_months_give_two_catch_ups_and_a_cancellation_inside_them_a_credit() {
        let case = calendar_case(ymd(2027, 1, 1), false);
        let (plan, _) = case.run();
        let nov = row(&plan, "catchup:CFQ7TTC0LCHC:0002_P1M:2026-11-01");
        let dec_ = row(&plan, "catchup:CFQ7TTC0LCHC:0002_P1M:2026-12-01");
        assert_eq!(
            (nov.unit_price, dec_.unit_price),
            (dec!(11.0000), dec!(22.0000))
        );
        assert_eq!(dates(dec_), (ymd(2027, 1, 1), Some(ymd(2027, 1, 31))));
        assert_ne!(nov.source_key, dec_.source_key);
        let next = next_invoice(&case, &plan);
        assert_eq!(
            next.after.one_time,
            dec!(55.00) + dec!(110.00) - dec!(4.00) - dec!(8.00)
        );

        // A cancellation on 16 November, invoiced through December: the end falls on
        // 31 December and December is proposed as a credit, not selected (no refund).
        let mut sub: Subscription = serde_json::from_str(include_str!(
            "../tests/fixtures/marketplace/subscription.json"
        ))
        .unwrap();
        sub.billing_model = Some("chargeBeforeBillingPeriod".into());
        let mut cancel = calendar_case(ymd(2027, 1, 1), false);
        cancel.task_type = TaskType::CancellationOrder;
        cancel.subscription = sub;
        cancel.order = from(
            json!({"id": "7", "type": "cancellation", "customerId": "1000048531",
            "creationDate": "2026-11-16 10:00:00", "status": "completed", "products": []}),
        );
        let (plan, _) = cancel.run();
        let ended = row(&plan, "cancel:30211");
        assert_eq!(ended.cancel_date, Some(ymd(2026, 12, 31)));
        let credit = row(&plan, "credit:CFQ7TTC0LCHC:0002_P1M:2026-12-01:30211");
        assert_eq!(
            (credit.quantity, credit.unit_price, credit.selected),
            (dec!(-20), dec!(22.0000), false)
        );
        assert!(said(credit).unwrap().contains("Not selected"));
    }

    #[test]
    fn a_second_change_inside_invoiced_periods_changes_the_addition_the_first_started_at_the_boundary(
    ) {
        // The first change (+5 on 16 November, invoiced through November) ended 30211 on
        // 30 November and started 30220 (25) on 1 December. A second change (+3 on the 20th)
        // changes 30220 to 28 in place and catches up its 3 — never a second addition from
        // 1 December next to the first.
        let mut case = calendar_case(ymd(2026, 12, 1), false);
        case.effective = ymd(2026, 11, 20);
        case.order = from(
            json!({"id": "9", "type": "change", "customerId": "1000048531",
            "creationDate": "2026-11-20 10:00:00", "status": "completed",
            "products": [{"mpn": "CFQ7TTC0LCHC:0002_P1M", "name": "Microsoft 365 Business Premium",
                "quantity": 3, "subscriptionId": "1000517"}]}),
        );
        for p in case.subscription.products.iter_mut() {
            if p.mpn == "CFQ7TTC0LCHC:0002_P1M" {
                p.quantity = dec!(28);
            }
        }
        case.additions = vec![
            addition(
                30211,
                611,
                "M365-BP",
                "20",
                "22.0",
                "2025-03-01",
                Some("2026-11-30"),
            ),
            addition(30220, 611, "M365-BP", "25", "22.0", "2026-12-01", None),
        ];
        let (plan, _) = case.run();
        let writes: Vec<&str> = plan
            .rows
            .iter()
            .filter(|r| r.action != Action::Unchanged)
            .map(|r| r.key.as_str())
            .collect();
        assert_eq!(
            writes,
            ["change:30220", "catchup:CFQ7TTC0LCHC:0002_P1M:2026-11-01"]
        );
        assert_eq!(row(&plan, "change:30220").quantity, dec!(28));
        let catch_up = row(&plan, "catchup:CFQ7TTC0LCHC:0002_P1M:2026-11-01");
        // 20–30 November: 11 of 30 days of 22.00 = 8.0667.
        assert_eq!(
            (catch_up.quantity, catch_up.unit_price),
            (dec!(3), dec!(8.0667))
        );
    }

    #[test]
    fn a_cancellation_leaves_the_one_time_charges_the_app_wrote_to_end_by_themselves() {
        // An earlier change wrote a catch-up (one-time, dated in December): the cancellation ends
        // the recurring additions only.
        let mut case = calendar_case(ymd(2026, 12, 1), false);
        case.task_type = TaskType::CancellationOrder;
        case.order = from(
            json!({"id": "7", "type": "cancellation", "customerId": "1000048531",
            "creationDate": "2026-11-20 10:00:00", "status": "completed", "products": []}),
        );
        case.effective = ymd(2026, 11, 20);
        let mut catch_up = addition(
            30230,
            611,
            "M365-BP",
            "5",
            "11.0",
            "2026-12-01",
            Some("2026-12-31"),
        );
        catch_up.agreement_status = Some("Active".into());
        catch_up.serial_number =
            Some("AS1:1000231:1000517:CFQ7TTC0LCHC.0002_P1M@20261101:C".into());
        case.additions.push(catch_up);
        let (plan, _) = case.run();
        assert!(
            !plan.rows.iter().any(|r| r.key == "cancel:30230"),
            "{:?}",
            plan.rows.iter().map(|r| &r.key).collect::<Vec<_>>()
        );
        assert!(plan.rows.iter().any(|r| r.key == "cancel:30211"));
    }

    #[test]
    fn two_additions_of_one_product_ended_in_invoiced_periods_get_a_credit_and_a_key_each() {
        // Two Business Premium additions (an earlier order's, stacked) end with the cancellation:
        // each is credited, under its own row and key — one key for both would make the second
        // write look like a copy of the first, and ConnectWise would keep one credit.
        let mut sub: Subscription = serde_json::from_str(include_str!(
            "../tests/fixtures/marketplace/subscription.json"
        ))
        .unwrap();
        sub.billing_model = None;
        let mut case = calendar_case(ymd(2026, 12, 1), false);
        case.task_type = TaskType::CancellationOrder;
        case.subscription = sub;
        case.order = from(
            json!({"id": "7", "type": "cancellation", "customerId": "1000048531",
            "creationDate": "2026-11-16 10:00:00", "status": "completed", "products": []}),
        );
        case.additions.push(addition(
            30215,
            611,
            "M365-BP",
            "5",
            "22.0",
            "2026-10-01",
            None,
        ));
        let (plan, _) = case.run();
        let credits: Vec<&PlannedAddition> = plan
            .rows
            .iter()
            .filter(|r| r.key.starts_with("credit:CFQ7TTC0LCHC"))
            .collect();
        assert_eq!(
            credits.len(),
            2,
            "{:?}",
            plan.rows.iter().map(|r| &r.key).collect::<Vec<_>>()
        );
        assert_ne!(credits[0].key, credits[1].key);
        assert_ne!(credits[0].source_key, credits[1].source_key);
        let quantities: Vec<Decimal> = credits.iter().map(|c| c.quantity).collect();
        assert_eq!(quantities, [dec!(-20), dec!(-5)]);
    }

    #[test]
    fn usage_for_an_invoiced_period_is_dated_in_the_first_period_not_invoiced() {
        let mut case = Case::green_lane();
        case.task_type = TaskType::BillingOrder;
        case.order = from(
            json!({"id": "8", "type": "billing", "customerId": "1000048531",
            "creationDate": "2026-12-02 00:05:00", "status": "completed",
            "products": [{"mpn": "CFQ7TTC0LCHC:0002_P1M", "name": "Usage", "quantity": 30, "subscriptionId": "1000517"}]}),
        );
        let (before, _) = case.run();
        let usage = before.rows.iter().find(|r| r.key.starts_with("usage:"));
        let Some(usage) = usage else {
            return; // the fixture's product bills no overuse: nothing to date
        };
        let (from_, to_) = dates(usage);
        case.invoiced = invoiced_to(ymd(2026, 12, 1), false);
        let (plan, _) = case.run();
        let moved = row(&plan, &usage.key);
        assert_eq!(dates(moved), (ymd(2026, 12, 1), Some(ymd(2026, 12, 31))));
        assert!(said(moved)
            .unwrap()
            .contains(&format!("Moved from {from_}")));
        assert!(moved.description.contains(&to_.unwrap().to_string()));
    }

    #[test]
    fn an_unreadable_calendar_dates_nothing_before_the_day_it_was_tried() {
        let mut case = Case::green_lane();
        case.invoiced = Invoiced::Unreadable {
            floor: ymd(2026, 11, 20),
            why: crate::calendar::Unreadable::Refused {
                message: "403".into(),
            },
        };
        let (plan, _) = case.run();
        for r in plan.rows.iter().filter(|r| r.action != Action::Unchanged) {
            assert!(
                r.effective_date >= ymd(2026, 11, 20) || r.action == Action::Cancel,
                "{}",
                r.key
            );
            if let Some(c) = r.cancel_date {
                assert!(c >= ymd(2026, 11, 19), "{}", r.key);
            }
        }
        // The prorate keeps its amount (16–30 November) and is dated from the 20th.
        let prorate = row(&plan, "prorate:CFQ7TTC0LCHC:0002_P1M");
        assert_eq!(prorate.ext_price, dec!(55.00));
        assert_eq!(dates(prorate), (ymd(2026, 11, 20), Some(ymd(2026, 11, 30))));
    }
}
