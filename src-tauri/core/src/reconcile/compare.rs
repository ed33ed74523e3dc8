//! The comparison of Reconcile, pure: the subscriptions read, the cached ConnectWise data and
//! the mappings in, a [`CustomerReconcile`] per customer out; "today" is a parameter.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::connectwise::wire::{
    Addition, Agreement, BillingCycle, CatalogItem, Company, Currency as CwCurrency,
};
use crate::fit;
use crate::marketplace::wire::{Subscription, SubscriptionProduct};
use crate::money::{self, Currency, MoneyError};
use crate::period::{self, BillingPeriod};
use crate::plan::{self, BillCustomer, PriceSource};
use crate::record::reconcile::{
    AdditionLine, AgreementLine, CompanyLine, ConnectWiseSide, CustomerReconcile,
    CustomerSubscriptions, MarketplaceSide, Note, Outcome, ProductReconcile, SubscriptionState,
    WrittenFor,
};

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

/// The cached ConnectWise data, indexed once for many customers.
struct Index<'a> {
    data: &'a ConnectWiseData,
    companies: HashMap<i64, &'a Company>,
    agreements: HashMap<i64, Vec<&'a Agreement>>,
    catalog: HashSet<i64>,
}

impl<'a> Index<'a> {
    /// The price of catalog item `item`, if it has one.
    fn catalog_price(&self, item: i64) -> Option<Decimal> {
        self.data
            .catalog
            .iter()
            .find(|c| c.id == item)
            .and_then(|c| c.price)
    }

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
            return fit::agreement_currency(a, &self.data.currencies);
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
        let currency = fit::subscription_currency(s).to_ascii_uppercase();
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
        let key = Key {
            mpn: &mpn,
            period,
            currency_code: &currency,
            company_id,
        };
        match compare(&group, &key, index, settings) {
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

/// What one product group is compared against: where, and how.
struct Key<'k> {
    mpn: &'k str,
    period: BillingPeriod,
    currency_code: &'k str,
    company_id: Option<i64>,
}

/// A marketplace line of a product group: its subscription, quantity and unit price.
type Line<'s> = (&'s Subscription, Decimal, Decimal);

/// One product group compared; `None` when there is nothing to show (an ended subscription with
/// nothing billing, or one of a customer or product not mapped).
fn compare(
    group: &Group<'_>,
    key: &Key<'_>,
    index: &Index<'_>,
    settings: Settings,
) -> Result<Option<ProductReconcile>, MoneyError> {
    let (marketplace, lines) = marketplace_side(group, key)?;
    let active = marketplace.status == SubscriptionState::Active;
    let mut notes = Vec::new();
    if marketplace.unit_price.is_none() {
        notes.push(Note::SeveralPrices);
    }

    // Not mapped: shown for an active subscription (to map it here), with what it should bill.
    let item = index
        .data
        .product_map
        .get(key.mpn)
        .copied()
        .filter(|id| index.catalog.contains(id));
    let (Some(company_id), Some(item)) = (key.company_id, item) else {
        if !active {
            return Ok(None);
        }
        if key.company_id.is_none() {
            notes.push(Note::CustomerNotMapped);
        }
        if item.is_none() {
            notes.push(Note::ProductNotMapped);
        }
        let connectwise = ConnectWiseSide {
            catalog_item_id: item,
            ..ConnectWiseSide::default()
        };
        let currency = index.currency(key.currency_code, None);
        let unmapped = (Outcome::Unmapped, notes, connectwise, currency);
        return not_compared(unmapped, marketplace, &lines).map(Some);
    };

    let fitting = fitting_agreements(index, company_id, key, settings.today);
    if fitting.is_empty() {
        notes.push(Note::NoFittingAgreement);
    }
    let agreements = fitting
        .iter()
        .map(|a| AgreementLine {
            id: a.id,
            name: a.name.clone(),
            own_amount: a.bill_amount.unwrap_or_default(),
        })
        .collect();
    let currency = index.currency(key.currency_code, fitting.first().copied());
    // What ConnectWise bills is only said from additions read: an agreement whose additions
    // were never read may bill the product.
    if fitting
        .iter()
        .any(|a| !index.data.additions.contains_key(&a.id))
    {
        notes.push(Note::AdditionsNotCached);
        let connectwise = ConnectWiseSide {
            catalog_item_id: Some(item),
            agreements,
            additions: Vec::new(),
        };
        let not_read = (Outcome::NotRead, notes, connectwise, currency);
        return not_compared(not_read, marketplace, &lines).map(Some);
    }
    let connectwise = ConnectWiseSide {
        catalog_item_id: Some(item),
        agreements,
        additions: addition_lines(index, &fitting, item, key.period, settings.today),
    };
    if !active && connectwise.additions.is_empty() {
        return Ok(None);
    }
    let counted: Vec<&AdditionLine> = connectwise.counted().collect();
    // What ConnectWise bills, as scheduled, and what it should bill.
    let billed = billed_total(&counted, &currency)?;
    let catalog_price = || index.catalog_price(item);
    let should = should_bill(
        &lines,
        &marketplace,
        &counted,
        catalog_price,
        settings.price_source,
        &currency,
    )?;
    let outcome = outcome(
        &marketplace,
        &counted,
        settings.price_source,
        billed,
        should,
    );
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

/// A product whose ConnectWise side is not known (`outcome` says why): what the marketplace
/// has and should be billed, no amount billed and no effect.
fn not_compared(
    (outcome, notes, connectwise, currency): (Outcome, Vec<Note>, ConnectWiseSide, Currency),
    marketplace: MarketplaceSide,
    lines: &[Line<'_>],
) -> Result<ProductReconcile, MoneyError> {
    let active = marketplace.status == SubscriptionState::Active;
    Ok(ProductReconcile {
        outcome,
        notes,
        marketplace_amount: marketplace_amount(lines, active, &currency)?,
        marketplace,
        connectwise,
        currency,
        connectwise_amount: None,
        effect: None,
    })
}

/// The marketplace side of a product group: its active subscriptions, else the ended ones,
/// their quantity together, and one unit price when they share it.
fn marketplace_side<'s>(
    group: &Group<'s>,
    key: &Key<'_>,
) -> Result<(MarketplaceSide, Vec<Line<'s>>), MoneyError> {
    let active = !group.active.is_empty();
    let lines: Vec<Line<'s>> = if active {
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
    let side = MarketplaceSide {
        subscription_ids: ids,
        product_key: key.mpn.to_owned(),
        product_name: group.name.clone(),
        quantity,
        unit_price: uniform.then_some(first_price),
        currency: key.currency_code.to_owned(),
        status,
        period: key.period,
    };
    Ok((side, lines))
}

/// The company's agreements that can take the product (billing cycle, currency, active).
fn fitting_agreements<'a>(
    index: &Index<'a>,
    company_id: i64,
    key: &Key<'_>,
    today: NaiveDate,
) -> Vec<&'a Agreement> {
    index
        .agreements
        .get(&company_id)
        .map(|list| {
            list.iter()
                .copied()
                .filter(|a| {
                    fit::unfit(a, &index.data.cycles, key.period, key.currency_code, today)
                        .is_none()
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The recurring additions of catalog item `item` on the fitting agreements, active today or
/// starting later.
fn addition_lines(
    index: &Index<'_>,
    fitting: &[&Agreement],
    item: i64,
    period: BillingPeriod,
    today: NaiveDate,
) -> Vec<AdditionLine> {
    let mut lines = Vec::new();
    for a in fitting {
        let Some(additions) = index.data.additions.get(&a.id) else {
            continue;
        };
        for x in additions
            .iter()
            .filter(|x| x.product.id == item && plan::is_active(x, today))
            .filter(|x| !is_one_time(x, period))
        {
            lines.push(AdditionLine {
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
    lines
}

/// What ConnectWise should bill per period for the product: nothing for an ended subscription
/// or one deliberately not billed; else the marketplace's quantities (less what the agreement
/// includes) at the marketplace's prices, or at ConnectWise's (the existing addition's price,
/// else the catalog item's).
fn should_bill(
    lines: &[Line<'_>],
    marketplace: &MarketplaceSide,
    counted: &[&AdditionLine],
    catalog_price: impl Fn() -> Option<Decimal>,
    price_source: PriceSource,
    currency: &Currency,
) -> Result<Decimal, MoneyError> {
    let single = match counted {
        [one] => Some(*one),
        _ => None,
    };
    if marketplace.status != SubscriptionState::Active || single.is_some_and(|a| !a.billable) {
        return Ok(Decimal::ZERO);
    }
    let included = single.map(|a| a.less_included).unwrap_or_default();
    match price_source {
        PriceSource::CloudMarketplace => {
            let mut amount = Decimal::ZERO;
            let mut left = included;
            for (_, q, p) in lines {
                let off = left.min(*q).max(Decimal::ZERO);
                left = left.checked_sub(off).ok_or(MoneyError::Overflow)?;
                let billed_q = q.checked_sub(off).ok_or(MoneyError::Overflow)?;
                amount = add(amount, money::extend(billed_q, *p, currency)?)?;
            }
            Ok(amount)
        }
        PriceSource::ConnectWise => {
            let price = single
                .map(|a| a.unit_price)
                .or_else(catalog_price)
                .unwrap_or_default();
            let billed_q = marketplace
                .quantity
                .checked_sub(included)
                .ok_or(MoneyError::Overflow)?
                .max(Decimal::ZERO);
            money::extend(billed_q, price, currency)
        }
    }
}

/// What ConnectWise bills per period, as scheduled: the billable additions counted.
fn billed_total(counted: &[&AdditionLine], currency: &Currency) -> Result<Decimal, MoneyError> {
    let mut billed = Decimal::ZERO;
    for a in counted.iter().filter(|a| a.billable) {
        billed = add(billed, billed_amount(a, currency)?)?;
    }
    Ok(billed)
}

/// What Reconcile finds for a product whose both sides are known (SPEC §13): from the
/// marketplace side, the additions counted (going on billing), and the amounts billed and to
/// bill per period.
fn outcome(
    marketplace: &MarketplaceSide,
    counted: &[&AdditionLine],
    price_source: PriceSource,
    billed: Decimal,
    should: Decimal,
) -> Outcome {
    if marketplace.status != SubscriptionState::Active {
        return if counted.is_empty() {
            Outcome::InSync
        } else {
            Outcome::StillBilling
        };
    }
    match counted {
        [] => Outcome::MissingInConnectWise,
        [one] => {
            let price_differs = price_source == PriceSource::CloudMarketplace
                && match marketplace.unit_price {
                    Some(p) => one.unit_price != p,
                    None => one.billable && billed != should,
                };
            if one.quantity != marketplace.quantity {
                Outcome::QuantityDiffers
            } else if price_differs {
                Outcome::PriceDiffers
            } else {
                Outcome::InSync
            }
        }
        _ => Outcome::Duplicate,
    }
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
