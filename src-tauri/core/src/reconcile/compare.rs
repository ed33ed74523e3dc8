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
                    fit::unfit(a, &index.data.cycles, period, currency_code, today).is_none()
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
