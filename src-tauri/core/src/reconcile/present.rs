//! What the Reconcile screens show (DESIGN rule 12): the book (one row per customer) and a
//! customer (product by product), made from the decisions kept in the cache. Money and dates
//! cross as strings; the window measures ages against `now`.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::money::{self, Currency};
use crate::period::BillingPeriod;
use crate::reading::UnreadableRecord;
use crate::reconcile::fix::{self, FixFound, Refusal};
use crate::reconcile::{
    CompanyLine, CustomerReconcile, Note, Outcome, PeriodTotals, ProductReconcile,
    SubscriptionState,
};
use crate::task::TaskStatus;

/// Progress of a running reconcile, streamed to the window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum ReconcileProgress {
    /// The ConnectWise agreements and additions are being refreshed (as Check Changes does).
    RefreshingConnectWise,
    /// The customers' subscriptions are being read from the marketplace.
    ReadingSubscriptions {
        read: u32,
        total: u32,
    },
    /// The whole subscription list is being read (a first reconcile, before the app knows the
    /// customers): subscriptions read of those listed.
    ReadingAllSubscriptions {
        read: u32,
        total: u32,
    },
    /// Everything is read; the customers are being compared.
    Comparing {
        customers: u32,
    },
    Finished {
        customers: u32,
        drift: u32,
    },
}

/// Which rows of the book to show.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BookQuery {
    /// Only customers with a product of this outcome.
    pub outcome: Option<Outcome>,
    /// Only customers whose name, account id or company contains this text (any case).
    pub search: String,
}

/// Recurring amounts per period and currency, both sides and the effect.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RecurringView {
    /// "month", "quarter", "year".
    pub per: String,
    pub currency: String,
    pub connectwise: String,
    pub marketplace: String,
    /// What ConnectWise should bill minus what it bills: "+88.00", "-50.00", "0.00".
    pub effect: String,
    /// "ConnectWise bills 220.00, the marketplace 308.00 — +88.00 / month".
    pub words: String,
}

/// How many products of the book (or of a customer) have an outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct OutcomeCount {
    pub outcome: Outcome,
    pub label: String,
    pub count: u32,
}

/// One customer of the book.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BookRow {
    pub customer_id: String,
    pub customer_name: String,
    /// "Green Lane LLC 1000048531".
    pub account: String,
    pub company_name: Option<String>,
    /// Products ConnectWise bills other than it should (not counting those not compared).
    pub drift_count: u32,
    /// Products not compared because the customer or the product is not mapped.
    pub unmapped_count: u32,
    /// Products not compared because their agreements' additions are not read yet.
    pub not_read_count: u32,
    /// The outcomes its products have, each once.
    pub outcomes: Vec<Outcome>,
    pub recurring: Vec<RecurringView>,
    /// When it was last reconciled, ISO-8601 UTC.
    pub last_reconciled_at: String,
    /// When its subscriptions were read, ISO-8601 UTC (how old the data is).
    pub data_read_at: Option<String>,
    pub problems: Vec<String>,
}

/// The whole book.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BookView {
    /// Customers, the largest effect first.
    pub rows: Vec<BookRow>,
    /// Customers in the book before the query's filters.
    pub customers: u32,
    /// Products per outcome, over the whole book.
    pub counts: Vec<OutcomeCount>,
    /// When the book was last reconciled (the latest customer's time), if ever.
    pub last_reconciled_at: Option<String>,
    /// When the ConnectWise data was last read, if ever.
    pub connectwise_read_at: Option<String>,
    /// Records of the subscription lists that could not be read (left out, each named).
    pub unreadable: Vec<UnreadableRecord>,
    /// Set when the last reconcile could not refresh the ConnectWise data (it compared with the
    /// cached data).
    pub connectwise_error: Option<String>,
    /// The prices the book is compared with: the marketplace's (unit prices are compared) or
    /// ConnectWise's (only quantities are).
    pub price_source: crate::view::PriceSourceView,
    /// The app's clock now, ISO-8601.
    pub now: String,
}

/// The marketplace side of a product, as shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MarketplaceView {
    pub subscription_ids: Vec<String>,
    pub quantity: String,
    /// `None` when its subscriptions have different prices.
    pub unit_price: Option<String>,
    pub currency: String,
    pub status: SubscriptionState,
    pub status_label: String,
    /// "Monthly", "Yearly", "3 months".
    pub billing: String,
}

/// An addition, as shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AdditionView {
    #[ts(type = "number")]
    pub id: i64,
    #[ts(type = "number")]
    pub agreement_id: i64,
    pub agreement_name: String,
    pub quantity: String,
    pub less_included: String,
    pub unit_price: String,
    pub effective_date: Option<String>,
    pub cancel_date: Option<String>,
    pub billable: bool,
    /// It has a cancel date and no longer counts for what ConnectWise bills after it.
    pub ending: bool,
    /// For an addition the app created (from any desk): what for, in words.
    pub written_for: Option<String>,
}

/// The ConnectWise side of a product, as shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ConnectWiseView {
    /// The fitting agreements' names.
    pub agreements: Vec<String>,
    pub additions: Vec<AdditionView>,
}

/// One product of a customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ProductRow {
    /// The line's key: what Fix is given ([`ProductReconcile::line_key`]).
    pub line_key: String,
    pub outcome: Outcome,
    pub label: String,
    /// The outcome in words: "ConnectWise bills 10, the marketplace has 14."
    pub words: String,
    pub notes: Vec<Note>,
    pub product_key: String,
    pub product_name: String,
    pub marketplace: MarketplaceView,
    pub connectwise: ConnectWiseView,
    /// Per period: what ConnectWise should bill, what it bills, the difference.
    pub marketplace_amount: String,
    pub connectwise_amount: Option<String>,
    pub effect: Option<String>,
    pub per: String,
    /// Why Fix cannot make a plan of this line (In sync, unmapped, ...); `None` when it can.
    pub cannot_fix: Option<String>,
    /// The line's fix tasks not synced yet: Fix opens them again rather than making new ones.
    #[ts(type = "number[]")]
    pub fix_task_ids: Vec<i64>,
    /// Orders of the line's subscriptions not synced yet ("Change Order 1000231"): syncing them
    /// may be the fix.
    pub unsynced_orders: Vec<String>,
}

/// A customer, product by product.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CustomerView {
    pub customer_id: String,
    pub customer_name: String,
    pub account: String,
    pub company_name: Option<String>,
    pub products: Vec<ProductRow>,
    pub recurring: Vec<RecurringView>,
    /// The company's agreements that bill an amount of their own besides their additions, each
    /// once, in words: what ConnectWise bills beyond the products compared.
    pub agreement_amounts: Vec<String>,
    pub last_reconciled_at: String,
    pub data_read_at: Option<String>,
    pub problems: Vec<String>,
    pub now: String,
    /// Each agreement of the customer's products: its invoice calendar and the next invoice
    /// ConnectWise will make (SPEC §16).
    #[serde(default)]
    pub invoices: Vec<AgreementInvoiceView>,
}

/// An agreement's invoice calendar and next invoice, as Reconcile shows them per customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AgreementInvoiceView {
    #[ts(type = "number")]
    pub agreement_id: i64,
    pub agreement_name: String,
    pub currency: String,
    pub calendar: crate::view::CalendarView,
    /// Absent when the calendar is not known (nothing invoiced, or it could not be read).
    pub next_invoice: Option<crate::view::InvoiceView>,
}

/// A product line Fix could not make a task of, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FixRefusal {
    pub product_name: String,
    pub message: String,
}

/// What Fix made: the fix tasks to review (new ones and ones made before and not synced yet).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FixResult {
    #[ts(type = "number[]")]
    pub task_ids: Vec<i64>,
    /// The tasks of `task_ids`, as the task list shows them.
    pub tasks: Vec<crate::task::TaskRow>,
    /// Tasks made now.
    pub made: u32,
    /// Product lines whose fix was made before and is not synced yet (its tasks are given).
    pub reused: u32,
    pub refused: Vec<FixRefusal>,
}

/// "month", "quarter", "year".
pub fn per_words(period: BillingPeriod) -> String {
    // The same words as the task list and the batch board ("quarter", not "3 months").
    period.per_words()
}

fn billing_words(period: BillingPeriod) -> String {
    crate::fit::cycle_words(period)
}

fn amount(v: Decimal, currency: &Currency) -> String {
    money::format(v, currency.amount_places())
}

fn signed(v: Decimal, places: u32) -> String {
    let text = money::format(v, places);
    if v > Decimal::ZERO && !text.starts_with('-') {
        format!("+{text}")
    } else {
        text
    }
}

fn quantity(v: Decimal) -> String {
    v.normalize().to_string()
}

/// The recurring amounts of a customer, as shown.
pub fn recurring(totals: &[PeriodTotals], decimals: impl Fn(&str) -> u32) -> Vec<RecurringView> {
    totals
        .iter()
        .map(|t| {
            let places = decimals(&t.currency);
            let per = per_words(t.period);
            let (cw, mp, effect) = (
                money::format(t.connectwise, places),
                money::format(t.marketplace, places),
                signed(t.effect, places),
            );
            RecurringView {
                words: format!("ConnectWise bills {cw}, the marketplace {mp} — {effect} / {per}"),
                per,
                currency: t.currency.clone(),
                connectwise: cw,
                marketplace: mp,
                effect,
            }
        })
        .collect()
}

/// The decimals a customer's products use for a currency.
fn decimals_of(c: &CustomerReconcile) -> impl Fn(&str) -> u32 + '_ {
    move |code: &str| {
        c.products
            .iter()
            .find(|p| p.currency.code == code)
            .map(|p| p.currency.amount_places())
            .unwrap_or(Currency::DEFAULT_DECIMALS)
    }
}

fn account(c: &CustomerReconcile) -> String {
    format!("{} {}", c.customer_name, c.customer_id)
}

/// The largest effect of a customer, whatever its currency and period (the book's order).
pub fn effect_size(c: &CustomerReconcile) -> Decimal {
    c.products
        .iter()
        .filter_map(|p| p.effect)
        .map(|e| e.abs())
        .fold(Decimal::ZERO, |a, b| {
            a.checked_add(b).unwrap_or(Decimal::MAX)
        })
}

/// One row of the book.
pub fn book_row(c: &CustomerReconcile, reconciled_at: &str, read_at: Option<&str>) -> BookRow {
    let mut outcomes: Vec<Outcome> = c.products.iter().map(|p| p.outcome).collect();
    outcomes.sort();
    outcomes.dedup();
    BookRow {
        customer_id: c.customer_id.clone(),
        customer_name: c.customer_name.clone(),
        account: account(c),
        company_name: c.company.as_ref().map(|x| x.name.clone()),
        drift_count: c.drift_count(),
        unmapped_count: c.unmapped_count(),
        not_read_count: c.not_read_count(),
        outcomes,
        recurring: c
            .totals()
            .map(|t| recurring(&t, decimals_of(c)))
            .unwrap_or_default(),
        last_reconciled_at: reconciled_at.to_owned(),
        data_read_at: read_at.map(str::to_owned),
        problems: c.problems.clone(),
    }
}

/// Whether a customer's row passes the query.
pub fn matches(c: &CustomerReconcile, q: &BookQuery) -> bool {
    let search = q.search.trim().to_lowercase();
    let found = search.is_empty()
        || c.customer_name.to_lowercase().contains(&search)
        || c.customer_id.contains(&search)
        || c.company
            .as_ref()
            .is_some_and(|x| x.name.to_lowercase().contains(&search));
    found
        && q.outcome
            .is_none_or(|o| c.products.iter().any(|p| p.outcome == o))
}

/// Products per outcome over customers.
pub fn counts<'a>(customers: impl Iterator<Item = &'a CustomerReconcile>) -> Vec<OutcomeCount> {
    let mut n = [0u32; Outcome::ALL.len()];
    for c in customers {
        for p in &c.products {
            if let Some(i) = Outcome::ALL.iter().position(|o| *o == p.outcome) {
                n[i] += 1;
            }
        }
    }
    Outcome::ALL
        .iter()
        .zip(n)
        .map(|(o, count)| OutcomeCount {
            outcome: *o,
            label: o.label().to_owned(),
            count,
        })
        .collect()
}

/// A customer, product by product.
/// Product line key → its fix tasks not synced yet.
pub type OpenFixes = BTreeMap<String, Vec<(i64, TaskStatus)>>;

/// What is not synced yet for a customer: its fix tasks by product line, and its order tasks
/// (shown beside the products of their subscriptions).
#[derive(Debug, Clone, Default)]
pub struct Unsynced {
    pub fixes: OpenFixes,
    pub orders: Vec<crate::task::TaskRow>,
    /// The type of each order this desk knows, by order id (to name what an addition was
    /// written for).
    pub order_types: std::collections::HashMap<String, crate::task::TaskType>,
}

/// What the app wrote an addition for, in words: "written for Change Order 9000555 (the
/// prorate) on 2026-03-20".
fn written_words(w: &crate::reconcile::WrittenFor, open: &Unsynced) -> String {
    let what = match open.order_types.get(&w.source) {
        Some(t) => format!("{} {}", t.label(), w.source),
        None if w.source.starts_with("FIX-") => format!("Reconcile fix {}", w.source),
        None => format!("order {}", w.source),
    };
    let on = w.on.map(|d| format!(" on {d}")).unwrap_or_default();
    format!(
        "written by Agreement Sync for {what} ({}){on}",
        w.role.words()
    )
}

pub fn customer(
    c: &CustomerReconcile,
    reconciled_at: &str,
    read_at: Option<&str>,
    now: &str,
    open: &Unsynced,
) -> CustomerView {
    CustomerView {
        customer_id: c.customer_id.clone(),
        customer_name: c.customer_name.clone(),
        account: account(c),
        company_name: c.company.as_ref().map(|x| x.name.clone()),
        products: c.products.iter().map(|p| product(c, p, open)).collect(),
        recurring: c
            .totals()
            .map(|t| recurring(&t, decimals_of(c)))
            .unwrap_or_default(),
        agreement_amounts: agreement_amounts(c),
        last_reconciled_at: reconciled_at.to_owned(),
        data_read_at: read_at.map(str::to_owned),
        problems: c.problems.clone(),
        now: now.to_owned(),
        invoices: Vec::new(),
    }
}

/// The agreements a customer's products bill on, each once.
pub fn agreement_ids(c: &CustomerReconcile) -> Vec<i64> {
    let mut ids: Vec<i64> = c
        .products
        .iter()
        .flat_map(|p| p.connectwise.agreements.iter().map(|a| a.id))
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// The agreements of the customer's products that bill an amount of their own, each once.
fn agreement_amounts(c: &CustomerReconcile) -> Vec<String> {
    let mut seen = std::collections::BTreeSet::new();
    let mut out = Vec::new();
    for p in &c.products {
        for a in &p.connectwise.agreements {
            if a.own_amount.is_zero() || !seen.insert(a.id) {
                continue;
            }
            out.push(format!(
                "“{}” bills {} {} / {} of its own, besides its additions: not compared with the marketplace, and not in the amounts above.",
                a.name,
                money::format(a.own_amount, p.currency.amount_places()),
                p.currency.code,
                per_words(p.marketplace.period)
            ));
        }
    }
    out
}

fn product(c: &CustomerReconcile, p: &ProductReconcile, open: &Unsynced) -> ProductRow {
    let cur = &p.currency;
    let m = &p.marketplace;
    let line_key = p.line_key();
    ProductRow {
        cannot_fix: fix::refusal(p).map(|r| refusal_words(c, p, r)),
        unsynced_orders: open
            .orders
            .iter()
            .filter(|t| m.subscription_ids.contains(&t.subscription_id))
            .map(|t| format!("{} {}", t.task_type.label(), t.order_id))
            .collect(),
        fix_task_ids: open
            .fixes
            .get(&line_key)
            .map(|t| t.iter().map(|(id, _)| *id).collect())
            .unwrap_or_default(),
        line_key,
        outcome: p.outcome,
        label: p.outcome.label().to_owned(),
        words: words(c, p),
        notes: p.notes.clone(),
        product_key: m.product_key.clone(),
        product_name: m.product_name.clone(),
        marketplace: MarketplaceView {
            subscription_ids: m.subscription_ids.clone(),
            quantity: quantity(m.quantity),
            unit_price: m.unit_price.map(|v| money::format_price(v, cur)),
            currency: m.currency.clone(),
            status: m.status,
            status_label: m.status.label().to_owned(),
            billing: billing_words(m.period),
        },
        connectwise: ConnectWiseView {
            agreements: p
                .connectwise
                .agreements
                .iter()
                .map(|a| a.name.clone())
                .collect(),
            additions: p
                .connectwise
                .additions
                .iter()
                .map(|a| AdditionView {
                    id: a.id,
                    agreement_id: a.agreement_id,
                    agreement_name: a.agreement_name.clone(),
                    quantity: quantity(a.quantity),
                    less_included: quantity(a.less_included),
                    unit_price: money::format_price(a.unit_price, cur),
                    effective_date: a.effective_date.map(|d| d.to_string()),
                    cancel_date: a.cancel_date.map(|d| d.to_string()),
                    billable: a.billable,
                    ending: a.ending,
                    written_for: a.written_for.as_ref().map(|w| written_words(w, open)),
                })
                .collect(),
        },
        marketplace_amount: amount(p.marketplace_amount, cur),
        connectwise_amount: p.connectwise_amount.map(|v| amount(v, cur)),
        effect: p.effect.map(|v| signed(v, cur.amount_places())),
        per: per_words(m.period),
    }
}

/// Why a product line cannot be fixed, in a billing person's words.
pub fn refusal_words(c: &CustomerReconcile, p: &ProductReconcile, why: Refusal) -> String {
    let name = &p.marketplace.product_name;
    match why {
        Refusal::InSync => format!("{name} is in sync: nothing to fix."),
        Refusal::SeveralPrices => format!(
            "The marketplace has {name} at different prices on several subscriptions, so one price to bill cannot be told. Correct it in ConnectWise."
        ),
        Refusal::NotCompared | Refusal::NoFittingAgreement => words(c, p),
    }
}

/// What Reconcile found for a fix's product line, in a billing person's words.
pub fn fix_words(found: &FixFound) -> String {
    match found {
        FixFound::Line {
            customer_name,
            company,
            product,
        } => line_words(customer_name, company.as_ref(), product),
        FixFound::Words(words) => words.clone(),
    }
}

/// The outcome in a billing person's words.
pub fn words(c: &CustomerReconcile, p: &ProductReconcile) -> String {
    line_words(&c.customer_name, c.company.as_ref(), p)
}

/// The outcome of a product line of a customer (its name, its company) in words.
fn line_words(customer_name: &str, company: Option<&CompanyLine>, p: &ProductReconcile) -> String {
    let m = &p.marketplace;
    let cur = &p.currency;
    let counted: Vec<&crate::reconcile::AdditionLine> = p.connectwise.counted().collect();
    let cw_quantity = counted
        .iter()
        .try_fold(Decimal::ZERO, |a, x| a.checked_add(x.quantity))
        .unwrap_or_default();
    let ids = |list: &[&crate::reconcile::AdditionLine]| {
        list.iter()
            .map(|a| a.id.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    };
    match p.outcome {
        Outcome::InSync if counted.is_empty() => {
            "The subscription is no longer active and its addition ends: nothing to fix.".into()
        }
        Outcome::InSync => format!(
            "In sync: ConnectWise bills {} as the marketplace has.",
            quantity(cw_quantity)
        ),
        Outcome::QuantityDiffers => format!(
            "ConnectWise bills {}, the marketplace has {}.",
            quantity(cw_quantity),
            quantity(m.quantity)
        ),
        Outcome::PriceDiffers => format!(
            "ConnectWise bills {} a unit, the marketplace {}.",
            counted
                .first()
                .map(|a| money::format_price(a.unit_price, cur))
                .unwrap_or_default(),
            m.unit_price
                .map(|v| money::format_price(v, cur))
                .unwrap_or_else(|| "several prices".into())
        ),
        Outcome::MissingInConnectWise if p.notes.contains(&Note::NoFittingAgreement) => format!(
            "The marketplace has {}, and none of {}'s agreements is {} in {}: create one in ConnectWise first.",
            quantity(m.quantity),
            company.map_or("the company", |x| x.name.as_str()),
            billing_words(m.period),
            m.currency
        ),
        Outcome::MissingInConnectWise => format!(
            "The marketplace has {}; no addition in ConnectWise bills it.",
            quantity(m.quantity)
        ),
        Outcome::StillBilling => format!(
            "The subscription is {}, but ConnectWise still bills {} (addition {}).",
            m.status.label().to_lowercase(),
            quantity(cw_quantity),
            ids(&counted)
        ),
        Outcome::Duplicate => format!(
            "{} active additions ({}) bill {} together; the marketplace has {}.",
            counted.len(),
            ids(&counted),
            quantity(cw_quantity),
            quantity(m.quantity)
        ),
        Outcome::Unmapped if p.notes.contains(&Note::CustomerNotMapped) => {
            format!("Map {customer_name} to a ConnectWise company.")
        }
        Outcome::Unmapped => format!("Map “{}” to a ConnectWise catalog item.", m.product_name),
        Outcome::NotRead => format!(
            "Not compared yet: ConnectWise's additions of {} are not read. Reconcile again when ConnectWise can be reached.",
            p.connectwise
                .agreements
                .iter()
                .map(|a| format!("“{}”", a.name))
                .collect::<Vec<_>>()
                .join(" and ")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reconcile::{CompanyLine, ConnectWiseSide, MarketplaceSide};
    use rust_decimal_macros::dec;

    fn product(
        outcome: Outcome,
        period: BillingPeriod,
        currency: &str,
        cw: Decimal,
        mp: Decimal,
    ) -> ProductReconcile {
        ProductReconcile {
            outcome,
            notes: vec![],
            marketplace: MarketplaceSide {
                subscription_ids: vec!["S1".into()],
                product_key: "BP".into(),
                product_name: "Microsoft 365 Business Premium".into(),
                quantity: dec!(14),
                unit_price: Some(dec!(22)),
                currency: currency.into(),
                status: SubscriptionState::Active,
                period,
            },
            connectwise: ConnectWiseSide::default(),
            currency: Currency::new(currency, 2),
            marketplace_amount: mp,
            connectwise_amount: Some(cw),
            effect: Some(mp - cw),
        }
    }

    #[test]
    fn a_row_says_both_amounts_and_the_effect_per_period() {
        let c = CustomerReconcile {
            customer_id: "1000048531".into(),
            customer_name: "Green Lane LLC".into(),
            company: Some(CompanyLine {
                id: 250,
                name: "Green Lane LLC".into(),
            }),
            products: vec![
                product(
                    Outcome::QuantityDiffers,
                    BillingPeriod::MONTHLY,
                    "USD",
                    dec!(220.00),
                    dec!(308.00),
                ),
                product(
                    Outcome::InSync,
                    BillingPeriod::YEARLY,
                    "EUR",
                    dec!(297.00),
                    dec!(297.00),
                ),
            ],
            problems: vec![],
        };
        let row = book_row(&c, "2026-11-24T12:00:00Z", Some("2026-11-24T11:59:00Z"));
        assert_eq!(row.account, "Green Lane LLC 1000048531");
        assert_eq!(row.drift_count, 1);
        let words: Vec<&str> = row.recurring.iter().map(|r| r.words.as_str()).collect();
        assert_eq!(
            words,
            [
                "ConnectWise bills 220.00, the marketplace 308.00 — +88.00 / month",
                "ConnectWise bills 297.00, the marketplace 297.00 — 0.00 / year",
            ]
        );
        assert!(matches(
            &c,
            &BookQuery {
                outcome: Some(Outcome::QuantityDiffers),
                search: "green".into()
            }
        ));
        assert!(!matches(
            &c,
            &BookQuery {
                outcome: Some(Outcome::Duplicate),
                search: String::new()
            }
        ));
        assert!(!matches(
            &c,
            &BookQuery {
                outcome: None,
                search: "bluewater".into()
            }
        ));
        assert_eq!(effect_size(&c), dec!(88.00));
        let counted = counts([&c].into_iter());
        assert_eq!(counted.iter().map(|n| n.count).sum::<u32>(), 2);
    }

    #[test]
    fn an_agreements_own_amount_is_its_own_line_once_never_in_what_the_additions_bill() {
        let mut bp = product(
            Outcome::QuantityDiffers,
            BillingPeriod::MONTHLY,
            "USD",
            dec!(484.00),
            dec!(586.00),
        );
        let agreement = crate::reconcile::AgreementLine {
            id: 4127,
            name: "Green Lane — Microsoft 365".into(),
            own_amount: dec!(150),
        };
        bp.connectwise.agreements = vec![agreement.clone()];
        let mut exo = bp.clone();
        exo.marketplace.product_key = "EXO".into();
        let mut none = bp.clone();
        none.marketplace.product_key = "NONE".into();
        none.connectwise.agreements = vec![crate::reconcile::AgreementLine {
            id: 4128,
            name: "Green Lane — Annual".into(),
            own_amount: dec!(0),
        }];
        let c = CustomerReconcile {
            customer_id: "1000048531".into(),
            customer_name: "Green Lane LLC".into(),
            company: None,
            products: vec![bp, exo, none],
            problems: vec![],
        };
        let view = customer(
            &c,
            "2026-11-24T12:00:00Z",
            None,
            "2026-11-24T12:00:00Z",
            &Unsynced::default(),
        );
        assert_eq!(
            view.agreement_amounts,
            ["“Green Lane — Microsoft 365” bills 150.00 USD / month of its own, besides its additions: not compared with the marketplace, and not in the amounts above."]
        );
        // The products' amounts are their additions' alone (3 × 484.00).
        assert!(
            view.recurring[0]
                .words
                .starts_with("ConnectWise bills 1452.00,"),
            "{:?}",
            view.recurring
        );
    }
}
