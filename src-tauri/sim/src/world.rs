//! The simulated world: marketplace customers, subscriptions and orders, and the ConnectWise
//! companies, agreements, additions and catalog that go with them.
//!
//! Everything is plain data; the wire format is written by `marketplace.rs` and
//! `connectwise.rs`. The curated part is hand-written (stable ids, dates relative to `today`);
//! the generated part comes from a seeded RNG and is deterministic for a given seed.

use std::collections::{BTreeMap, HashMap};

use chrono::{
    DateTime, Datelike, Duration as Days, Months, NaiveDate, NaiveDateTime, NaiveTime, Utc,
};
use rust_decimal::{Decimal, RoundingStrategy};

mod calendar;
mod curated;
mod generated;
pub use calendar::{Calendar, Invoice, InvoiceLine, LastInvoice, LineKind, Span};
pub use generated::{ADJECTIVES, NOUNS};

use curated::{seed_catalog, seed_curated, CURATED_CUSTOMERS, RECONCILED_CUSTOMERS};
use generated::Generator;

// ---------------------------------------------------------------------------------------------
// Small helpers

/// A decimal from a literal written in this file.
pub(crate) fn dec(s: &str) -> Decimal {
    s.parse()
        .unwrap_or_else(|_| panic!("bad decimal literal {s}"))
}

/// Money rounded half away from zero to two places, always printed with two decimals.
pub(crate) fn money(d: Decimal) -> Decimal {
    let mut r = d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    r.rescale(2);
    r
}

/// A price as the marketplace prints it: its own precision, but at least two decimals.
pub(crate) fn price_text(d: Decimal) -> String {
    let mut r = d.normalize();
    if r.scale() < 2 {
        r.rescale(2);
    }
    r.to_string()
}

fn at(date: NaiveDate, h: u32, m: u32, s: u32) -> NaiveDateTime {
    date.and_time(NaiveTime::from_hms_opt(h, m, s).unwrap_or(NaiveTime::MIN))
}

fn utc(date: NaiveDate, h: u32, m: u32, s: u32) -> DateTime<Utc> {
    at(date, h, m, s).and_utc()
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
}

fn days_in_month(y: i32, m: u32) -> u32 {
    let first = ymd(y, m, 1);
    let next = first.checked_add_months(Months::new(1)).unwrap_or(first);
    (next - first).num_days() as u32
}

/// The `day` of the month `n` months before `today`'s month (clamped to the month's length).
fn months_back(today: NaiveDate, n: u32, day: u32) -> NaiveDate {
    let first = ymd(today.year(), today.month(), 1);
    let m = first.checked_sub_months(Months::new(n)).unwrap_or(first);
    ymd(
        m.year(),
        m.month(),
        day.min(days_in_month(m.year(), m.month())),
    )
}

// ---------------------------------------------------------------------------------------------
// Marketplace side

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PeriodUnit {
    #[allow(dead_code)] // the marketplace has day periods; no seeded subscription uses one
    Day,
    Month,
    Year,
}

impl PeriodUnit {
    pub fn as_str(self) -> &'static str {
        match self {
            PeriodUnit::Day => "day",
            PeriodUnit::Month => "month",
            PeriodUnit::Year => "year",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Period {
    pub unit: PeriodUnit,
    pub duration: u32,
}

impl Period {
    pub const MONTHLY: Period = Period {
        unit: PeriodUnit::Month,
        duration: 1,
    };
    pub const QUARTERLY: Period = Period {
        unit: PeriodUnit::Month,
        duration: 3,
    };
    pub const YEARLY: Period = Period {
        unit: PeriodUnit::Year,
        duration: 1,
    };

    /// `anchor` plus `n` periods (months clamp to the end of shorter months, from the anchor).
    pub fn nth(self, anchor: NaiveDate, n: u32) -> NaiveDate {
        let k = n.saturating_mul(self.duration);
        match self.unit {
            PeriodUnit::Day => anchor + Days::days(i64::from(k)),
            PeriodUnit::Month => anchor.checked_add_months(Months::new(k)).unwrap_or(anchor),
            PeriodUnit::Year => anchor
                .checked_add_months(Months::new(k.saturating_mul(12)))
                .unwrap_or(anchor),
        }
    }

    /// The first period boundary strictly after `date`.
    pub fn next_boundary_after(self, anchor: NaiveDate, date: NaiveDate) -> NaiveDate {
        let mut n = 1;
        loop {
            let b = self.nth(anchor, n);
            if b > date || n > 100_000 {
                return b;
            }
            n += 1;
        }
    }

    /// The ConnectWise billing cycle this period corresponds to.
    pub fn billing_cycle_id(self) -> u64 {
        match (self.unit, self.duration) {
            (PeriodUnit::Month, 3) => 2,
            (PeriodUnit::Month, 6) => 3,
            (PeriodUnit::Year, 1) | (PeriodUnit::Month, 12) => 4,
            _ => 1,
        }
    }
}

#[derive(Clone, Debug)]
pub struct Address {
    pub street: String,
    pub city: String,
    pub state: String,
    pub postal_code: String,
    pub country_code: String,
}

#[derive(Clone, Debug)]
pub struct Contact {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub phone: String,
}

#[derive(Clone, Debug)]
pub struct Customer {
    pub id: String,
    pub name: String,
    pub external_id: String,
    pub status: String,
    pub address: Address,
    pub contact: Contact,
}

#[derive(Clone, Debug)]
pub struct Charge {
    pub kind: String,
    pub amount: Decimal,
}

#[derive(Clone, Debug)]
pub struct SubscriptionProduct {
    pub mpn: String,
    pub name: String,
    pub quantity: Decimal,
    pub prices: Vec<Charge>,
    pub costs: Vec<Charge>,
    pub included_quantity: Option<Decimal>,
    pub used_quantity: Option<Decimal>,
}

impl SubscriptionProduct {
    fn recurring(mpn: &str, name: &str, quantity: i64, price: &str, cost: &str) -> Self {
        SubscriptionProduct {
            mpn: mpn.into(),
            name: name.into(),
            quantity: Decimal::from(quantity),
            prices: vec![Charge {
                kind: "recurring".into(),
                amount: dec(price),
            }],
            costs: vec![Charge {
                kind: "recurring".into(),
                amount: dec(cost),
            }],
            included_quantity: None,
            used_quantity: None,
        }
    }

    fn with_setup(mut self, price: &str, cost: Option<&str>) -> Self {
        self.prices.push(Charge {
            kind: "setup".into(),
            amount: dec(price),
        });
        if let Some(c) = cost {
            self.costs.push(Charge {
                kind: "setup".into(),
                amount: dec(c),
            });
        }
        self
    }

    fn usage(mpn: &str, name: &str, included: &str, used: &str, price: &str, cost: &str) -> Self {
        SubscriptionProduct {
            mpn: mpn.into(),
            name: name.into(),
            quantity: dec("1"),
            prices: vec![Charge {
                kind: "overuse".into(),
                amount: dec(price),
            }],
            costs: vec![Charge {
                kind: "overuse".into(),
                amount: dec(cost),
            }],
            included_quantity: Some(dec(included)),
            used_quantity: Some(dec(used)),
        }
    }

    pub fn price_of(&self, kind: &str) -> Option<Decimal> {
        self.prices
            .iter()
            .find(|c| c.kind == kind)
            .map(|c| c.amount)
    }

    pub fn is_usage(&self) -> bool {
        self.included_quantity.is_some() || self.used_quantity.is_some()
    }

    /// The unit price the marketplace shows: the recurring price, else the overuse price.
    pub fn unit_price(&self) -> Decimal {
        self.price_of("recurring")
            .or_else(|| self.price_of("overuse"))
            .unwrap_or_default()
    }

    /// Quantity × unit price; for usage, the overused quantity × overuse price.
    pub fn extended_price(&self) -> Decimal {
        if self.is_usage() {
            let over = (self.used_quantity.unwrap_or_default()
                - self.included_quantity.unwrap_or_default())
            .max(Decimal::ZERO);
            money(over * self.unit_price())
        } else {
            money(self.quantity * self.unit_price())
        }
    }
}

#[derive(Clone, Debug)]
pub struct Subscription {
    pub id: String,
    pub customer_id: String,
    pub status: String,
    pub creation_date: NaiveDate,
    pub billing_start_date: Option<NaiveDate>,
    pub last_modified_date: NaiveDate,
    pub billing_model: String,
    pub billing_period: Period,
    pub subscription_period: Period,
    pub currency: String,
    pub products: Vec<SubscriptionProduct>,
}

impl Subscription {
    pub fn renewal_date(&self, today: NaiveDate) -> NaiveDate {
        self.subscription_period
            .next_boundary_after(self.creation_date, today)
    }

    pub fn total_price(&self) -> Decimal {
        money(self.products.iter().map(|p| p.extended_price()).sum())
    }
}

#[derive(Clone, Debug)]
pub struct OrderProduct {
    pub mpn: String,
    pub name: String,
    pub quantity: Decimal,
    pub subscription_id: String,
    pub extended_price: Decimal,
    pub currency: String,
}

#[derive(Clone, Debug)]
pub struct Order {
    pub id: String,
    pub order_type: String,
    pub customer_id: String,
    /// UTC.
    pub created: NaiveDateTime,
    pub status: String,
    /// Billing orders (generated by the marketplace itself) carry none.
    pub po_number: Option<String>,
    pub products: Vec<OrderProduct>,
}

// ---------------------------------------------------------------------------------------------
// ConnectWise side

#[derive(Clone, Debug)]
pub struct Company {
    pub id: u64,
    pub identifier: String,
    pub name: String,
    pub address_line1: String,
    pub city: String,
    pub state: String,
    pub zip: String,
    pub country_code: String,
    pub phone: String,
    pub website: String,
    pub contact: (u64, String),
    pub date_entered: DateTime<Utc>,
    pub last_updated: DateTime<Utc>,
}

#[derive(Clone, Debug)]
pub struct Agreement {
    pub id: u64,
    pub name: String,
    pub type_ref: (u64, String),
    pub company_id: u64,
    pub location: (u64, String),
    pub start_date: NaiveDate,
    pub end_date: Option<NaiveDate>,
    pub cancelled_flag: bool,
    pub reason_cancelled: Option<String>,
    pub billing_cycle_id: u64,
    pub bill_amount: Decimal,
    pub prorate_flag: bool,
    pub currency_id: u64,
    pub status: String,
    pub invoice_description: String,
    pub date_entered: DateTime<Utc>,
    pub entered_by: String,
    pub last_updated: DateTime<Utc>,
    /// The first day ConnectWise has not invoiced yet (`nextInvoiceDate`): the invoice run
    /// bills the billing period containing it next. `None` for a cancelled agreement.
    pub next_invoice_date: Option<NaiveDate>,
    /// The agreement's last invoice, as `finance/agreementrecap` shows it.
    pub last_invoice: Option<LastInvoice>,
}

#[derive(Clone, Debug)]
pub struct Addition {
    pub id: u64,
    pub agreement_id: u64,
    pub product_id: u64,
    pub quantity: Decimal,
    pub less_included: Decimal,
    pub unit_price: Option<Decimal>,
    pub unit_cost: Option<Decimal>,
    pub bill_customer: String,
    pub effective_date: Option<NaiveDate>,
    pub cancelled_date: Option<NaiveDate>,
    pub taxable_flag: bool,
    pub serial_number: String,
    pub invoice_description: String,
    pub description: String,
    pub sequence_number: u32,
    /// The value of the addition custom field ([`World::addition_custom_field`]), if any.
    pub custom_value: Option<String>,
    pub date_entered: DateTime<Utc>,
    pub entered_by: String,
    pub last_updated: DateTime<Utc>,
    pub updated_by: String,
    /// The agreement's invoiced boundary when this addition was created through the API, so
    /// that the next invoice run can back-bill (prorateFlag on) its days in periods that were
    /// already invoiced; that run forgets it. Seeded additions have none: nothing to back-bill.
    pub back_bill_before: Option<NaiveDate>,
    /// The agreement's invoiced boundary when this addition was created through the API, kept
    /// for good (unlike `back_bill_before`): the periods before it were invoiced before the
    /// addition existed, so only those from it on can have put the addition on an invoice
    /// (ConnectWise then refuses to delete it, SPEC §17). `None` for seeded additions (and for
    /// one created while its agreement had no boundary): every invoiced period counts.
    pub boundary_at_creation: Option<NaiveDate>,
}

/// A user-defined field of agreement additions (ConnectWise: Setup Tables › User Defined Fields,
/// screen Agreement Addition).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CustomFieldDef {
    pub id: u64,
    pub caption: String,
    /// ConnectWise's field type: `Text`, `Number`, `Date`, `Checkbox`, ...
    pub field_type: String,
}

/// How the value of a custom field goes on the wire.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CustomValueKind {
    /// A JSON number (`Number`, `Currency`, `Percent`).
    Number,
    /// `true` / `false` (`Checkbox`).
    Checkbox,
    /// A `yyyy-MM-ddTHH:mm:ssZ` string (`Date`).
    Date,
    /// A string (`Text` and the rest).
    Text,
}

impl CustomFieldDef {
    pub fn value_kind(&self) -> CustomValueKind {
        match self.field_type.as_str() {
            "Number" | "Currency" | "Percent" => CustomValueKind::Number,
            "Checkbox" => CustomValueKind::Checkbox,
            "Date" => CustomValueKind::Date,
            _ => CustomValueKind::Text,
        }
    }
}

impl Addition {
    /// ConnectWise shows an addition as Cancelled once its cancel date has passed.
    pub fn status(&self, today: NaiveDate) -> &'static str {
        match self.cancelled_date {
            Some(c) if c < today => "Cancelled",
            _ => "Active",
        }
    }
}

#[derive(Clone, Debug)]
pub struct CatalogItem {
    pub id: u64,
    pub identifier: String,
    pub description: String,
    pub inactive: bool,
    pub subcategory: (u64, String),
    pub item_type: (u64, String),
    pub price: Decimal,
    pub cost: Option<Decimal>,
    pub taxable: bool,
    pub customer_description: String,
    pub manufacturer_part_number: String,
    pub vendor_sku: String,
    /// The billing cycle id of a recurring item.
    pub recurring_cycle: Option<u64>,
    pub last_updated: DateTime<Utc>,
}

pub struct CurrencyDef {
    pub id: u64,
    pub identifier: &'static str,
    pub name: &'static str,
    pub symbol: &'static str,
    pub code_id: u64,
    pub decimal_separator: &'static str,
    pub decimals: u32,
    pub thousands_separator: &'static str,
    pub right_align: bool,
}

pub const CURRENCIES: [CurrencyDef; 3] = [
    CurrencyDef {
        id: 7,
        identifier: "USD",
        name: "US Dollars",
        symbol: "$",
        code_id: 148,
        decimal_separator: ".",
        decimals: 2,
        thousands_separator: ",",
        right_align: false,
    },
    CurrencyDef {
        id: 8,
        identifier: "EUR",
        name: "Euro",
        symbol: "€",
        code_id: 45,
        decimal_separator: ",",
        decimals: 2,
        thousands_separator: ".",
        right_align: true,
    },
    CurrencyDef {
        id: 9,
        identifier: "JPY",
        name: "Yen",
        symbol: "¥",
        code_id: 70,
        decimal_separator: ".",
        decimals: 0,
        thousands_separator: ",",
        right_align: false,
    },
];

pub fn currency(id: u64) -> &'static CurrencyDef {
    CURRENCIES
        .iter()
        .find(|c| c.id == id)
        .unwrap_or(&CURRENCIES[0])
}

pub fn currency_id_of(code: &str) -> u64 {
    CURRENCIES
        .iter()
        .find(|c| c.identifier == code)
        .map_or(7, |c| c.id)
}

pub struct BillingCycleDef {
    pub id: u64,
    pub identifier: &'static str,
    pub name: &'static str,
    pub options: &'static str,
    pub default: bool,
}

pub const BILLING_CYCLES: [BillingCycleDef; 5] = [
    BillingCycleDef {
        id: 1,
        identifier: "Mon",
        name: "Monthly",
        options: "Monthly",
        default: true,
    },
    BillingCycleDef {
        id: 2,
        identifier: "Qtr",
        name: "Quarterly",
        options: "Quarterly",
        default: false,
    },
    BillingCycleDef {
        id: 3,
        identifier: "Semi",
        name: "Semi-Annual",
        options: "SemiAnnual",
        default: false,
    },
    BillingCycleDef {
        id: 4,
        identifier: "Yr",
        name: "Yearly",
        options: "Yearly",
        default: false,
    },
    BillingCycleDef {
        id: 5,
        identifier: "1x",
        name: "One Time",
        options: "NotRecurring",
        default: false,
    },
];

pub fn billing_cycle(id: u64) -> &'static BillingCycleDef {
    BILLING_CYCLES
        .iter()
        .find(|c| c.id == id)
        .unwrap_or(&BILLING_CYCLES[0])
}

fn cycle_period(id: u64) -> Period {
    match id {
        2 => Period::QUARTERLY,
        3 => Period {
            unit: PeriodUnit::Month,
            duration: 6,
        },
        4 => Period::YEARLY,
        _ => Period::MONTHLY,
    }
}

// ---------------------------------------------------------------------------------------------
// The product range: marketplace MPN ↔ ConnectWise catalog item

struct ProductDef {
    mpn: &'static str,
    name: &'static str,
    catalog_id: u64,
    /// USD list price and cost (marketplace and catalog).
    price: &'static str,
    cost: &'static str,
    period: Period,
}

const PRODUCTS: [ProductDef; 7] = [
    ProductDef {
        mpn: "CFQ7TTC0LCHC:0002_P1M",
        name: "Microsoft 365 Business Premium",
        catalog_id: 611,
        price: "22.00",
        cost: "18.70",
        period: Period::MONTHLY,
    },
    ProductDef {
        mpn: "CFQ7TTC0LH16:0001_P1M",
        name: "Exchange Online (Plan 1)",
        catalog_id: 612,
        price: "4.00",
        cost: "3.40",
        period: Period::MONTHLY,
    },
    ProductDef {
        mpn: "CFQ7TTC0LH18:0001_P1M",
        name: "Microsoft 365 Business Basic",
        catalog_id: 615,
        price: "6.00",
        cost: "5.10",
        period: Period::MONTHLY,
    },
    ProductDef {
        mpn: "CFQ7TTC0LDPB:0001_P1M",
        name: "Microsoft 365 Business Standard",
        catalog_id: 616,
        price: "12.50",
        cost: "10.63",
        period: Period::MONTHLY,
    },
    ProductDef {
        mpn: "CFQ7TTC0LHSF:0001_P1M",
        name: "Microsoft Defender for Business",
        catalog_id: 617,
        price: "3.00",
        cost: "2.55",
        period: Period::MONTHLY,
    },
    ProductDef {
        mpn: "ACR-CP-WS:BASE",
        name: "Acronis Cyber Protect Cloud - Workstation",
        catalog_id: 619,
        price: "7.95",
        cost: "6.36",
        period: Period::MONTHLY,
    },
    ProductDef {
        mpn: "CFQ7TTC0LH1G:0001_P1Y",
        name: "Microsoft 365 Apps for business (annual)",
        catalog_id: 614,
        price: "99.00",
        cost: "84.15",
        period: Period::YEARLY,
    },
];

const MONTHLY_PRODUCTS: usize = 6; // PRODUCTS[..6] are monthly

fn product(mpn: &str) -> &'static ProductDef {
    PRODUCTS
        .iter()
        .find(|p| p.mpn == mpn)
        .unwrap_or(&PRODUCTS[0])
}

/// EUR list prices: a fixed 0.93 of the USD ones.
fn eur(amount: &str) -> Decimal {
    money(dec(amount) * dec("0.93"))
}

// ---------------------------------------------------------------------------------------------
// The world

pub struct SeedParams {
    pub seed: u64,
    pub customers: usize,
    pub orders_per_customer: usize,
    pub today: NaiveDate,
}

pub struct World {
    pub today: NaiveDate,
    pub customers: BTreeMap<String, Customer>,
    pub subscriptions: BTreeMap<String, Subscription>,
    pub orders: HashMap<String, Order>,
    /// Order ids, newest first (creation date, then id, descending).
    order_index: Vec<String>,
    pub companies: BTreeMap<u64, Company>,
    pub agreements: BTreeMap<u64, Agreement>,
    pub additions: BTreeMap<u64, Addition>,
    additions_by_agreement: HashMap<u64, Vec<u64>>,
    pub catalog: BTreeMap<u64, CatalogItem>,
    /// The custom field additions carry (none by default).
    pub addition_custom_field: Option<CustomFieldDef>,
    /// The invoices the invoice runs made, oldest first.
    pub invoices: Vec<Invoice>,
    next_order_id: u64,
    next_subscription_id: u64,
    next_addition_id: u64,
    /// The number the next invoice gets (after the seeded last invoices').
    next_invoice_number: u64,
}

fn id_num(id: &str) -> u64 {
    id.parse().unwrap_or(0)
}

impl World {
    fn empty(today: NaiveDate) -> Self {
        World {
            today,
            customers: BTreeMap::new(),
            subscriptions: BTreeMap::new(),
            orders: HashMap::new(),
            order_index: Vec::new(),
            companies: BTreeMap::new(),
            agreements: BTreeMap::new(),
            additions: BTreeMap::new(),
            additions_by_agreement: HashMap::new(),
            catalog: BTreeMap::new(),
            addition_custom_field: None,
            invoices: Vec::new(),
            next_order_id: 1_000_300,
            next_subscription_id: 1_000_600,
            next_addition_id: 30_300,
            next_invoice_number: calendar::FIRST_INVOICE_NUMBER,
        }
    }

    /// The seeded world: the curated part (the twelve with orders to review, and three only
    /// reconciled) plus `customers - 15` generated customers.
    pub fn seed(p: &SeedParams) -> Self {
        let mut w = World::empty(p.today);
        seed_catalog(&mut w);
        seed_curated(&mut w);
        let extra = p
            .customers
            .saturating_sub(CURATED_CUSTOMERS + RECONCILED_CUSTOMERS);
        if extra > 0 {
            Generator::new(p, &mut w).run(extra);
        }
        w.seed_last_invoices();
        w.rebuild_order_index();
        w.next_order_id = w
            .orders
            .keys()
            .map(|k| id_num(k))
            .max()
            .unwrap_or(1_000_300)
            .max(5_000_000)
            + 1;
        w.next_subscription_id = w
            .subscriptions
            .keys()
            .map(|k| id_num(k))
            .max()
            .unwrap_or(0)
            .max(5_000_000)
            + 1;
        w.next_addition_id = w.additions.keys().max().copied().unwrap_or(0).max(900_000) + 1;
        w
    }

    fn order_key(o: &Order) -> (NaiveDateTime, u64, &str) {
        (o.created, id_num(&o.id), o.id.as_str())
    }

    fn rebuild_order_index(&mut self) {
        let mut ids: Vec<&Order> = self.orders.values().collect();
        ids.sort_by(|a, b| Self::order_key(b).cmp(&Self::order_key(a)));
        self.order_index = ids.into_iter().map(|o| o.id.clone()).collect();
    }

    /// Orders, newest first.
    pub fn orders_newest_first(&self) -> impl Iterator<Item = &Order> {
        self.order_index.iter().filter_map(|id| self.orders.get(id))
    }

    pub fn insert_order(&mut self, order: Order) {
        let key = (order.created, id_num(&order.id));
        let pos = self.order_index.partition_point(|id| {
            self.orders
                .get(id)
                .is_some_and(|o| (o.created, id_num(&o.id)) > key)
        });
        self.order_index.insert(pos, order.id.clone());
        self.orders.insert(order.id.clone(), order);
    }

    pub fn insert_addition(&mut self, addition: Addition) {
        self.additions_by_agreement
            .entry(addition.agreement_id)
            .or_default()
            .push(addition.id);
        self.next_addition_id = self.next_addition_id.max(addition.id + 1);
        self.additions.insert(addition.id, addition);
    }

    /// An agreement's additions changed at `at`: its bill amount with them, so its `lastUpdated`
    /// moves on (what an incremental refresh of the agreements sees).
    pub fn touch_agreement(&mut self, agreement_id: u64, at: DateTime<Utc>) {
        if let Some(a) = self.agreements.get_mut(&agreement_id) {
            a.last_updated = at;
        }
    }

    /// Removes an addition; returns it when it was there.
    pub fn remove_addition(&mut self, id: u64) -> Option<Addition> {
        let a = self.additions.remove(&id)?;
        if let Some(ids) = self.additions_by_agreement.get_mut(&a.agreement_id) {
            ids.retain(|x| *x != id);
        }
        Some(a)
    }

    /// Defines (or, with `None`, removes) the addition custom field. A field of another id
    /// starts without values, as a new field does in ConnectWise.
    pub fn set_addition_custom_field(&mut self, field: Option<CustomFieldDef>) {
        let same_id = matches!(
            (&self.addition_custom_field, &field),
            (Some(old), Some(new)) if old.id == new.id
        );
        if !same_id {
            for a in self.additions.values_mut() {
                a.custom_value = None;
            }
        }
        self.addition_custom_field = field;
    }

    /// A fresh id for an addition created through the API.
    pub fn new_addition_id(&mut self) -> u64 {
        let id = self.next_addition_id;
        self.next_addition_id += 1;
        id
    }

    /// The additions of an agreement, by id.
    pub fn additions_of(&self, agreement_id: u64) -> Vec<&Addition> {
        let mut v: Vec<&Addition> = self
            .additions_by_agreement
            .get(&agreement_id)
            .map(|ids| ids.iter().filter_map(|id| self.additions.get(id)).collect())
            .unwrap_or_default();
        v.sort_by_key(|a| a.id);
        v
    }

    fn add_customer(&mut self, c: Customer) {
        self.customers.insert(c.id.clone(), c);
    }

    fn add_subscription(&mut self, s: Subscription) {
        self.subscriptions.insert(s.id.clone(), s);
    }

    fn add_company(&mut self, c: Company) {
        self.companies.insert(c.id, c);
    }

    fn add_agreement(&mut self, a: Agreement) {
        self.agreements.insert(a.id, a);
    }

    /// A line of an order for a product of a subscription.
    fn order_line(&self, sub_id: &str, mpn: &str, quantity: Decimal) -> OrderProduct {
        let sub = self.subscriptions.get(sub_id);
        let p = sub.and_then(|s| s.products.iter().find(|p| p.mpn == mpn));
        let (name, extended) = match p {
            Some(p) if p.is_usage() => {
                let over = (quantity - p.included_quantity.unwrap_or_default()).max(Decimal::ZERO);
                (p.name.clone(), money(over * p.unit_price()))
            }
            Some(p) => (p.name.clone(), money(quantity * p.unit_price())),
            None => (mpn.to_string(), Decimal::ZERO),
        };
        OrderProduct {
            mpn: mpn.into(),
            name,
            quantity,
            subscription_id: sub_id.into(),
            extended_price: extended,
            currency: sub.map_or_else(|| "USD".into(), |s| s.currency.clone()),
        }
    }

    /// Adds an order consistent with the customer's subscriptions and returns its id.
    ///
    /// - `sales`: a new subscription (one product like the customer's first subscription's).
    /// - `change`: +1 on the first product of the customer's first active recurring subscription.
    /// - `billing`: the usage of the customer's usage subscription (if any).
    /// - `cancellation`: all products of the first active subscription, negated.
    /// - anything else (`renewal`, ...): the first subscription's products as they are.
    ///
    /// A completed order is applied to the subscription (quantity, status, last modified).
    /// An unknown customer gets an order without products.
    pub fn create_order(
        &mut self,
        customer_id: &str,
        order_type: &str,
        status: &str,
        created: NaiveDateTime,
    ) -> String {
        let id = self.next_order_id.to_string();
        self.next_order_id += 1;
        let completed = status == "completed";
        let subs: Vec<&Subscription> = self
            .subscriptions
            .values()
            .filter(|s| s.customer_id == customer_id)
            .collect();
        let active_recurring = subs
            .iter()
            .find(|s| s.status == "active" && !s.products.iter().any(|p| p.is_usage()))
            .or_else(|| subs.iter().find(|s| s.status == "active"))
            .or_else(|| subs.first())
            .map(|s| s.id.clone());
        let usage = subs
            .iter()
            .find(|s| s.products.iter().any(|p| p.is_usage()))
            .map(|s| s.id.clone());
        let mut products = Vec::new();
        match order_type {
            "sales" => {
                if let Some(base) = active_recurring.and_then(|id| self.subscriptions.get(&id)) {
                    let mut sub = base.clone();
                    let sid = self.next_subscription_id.to_string();
                    self.next_subscription_id += 1;
                    sub.id = sid.clone();
                    sub.products.truncate(1);
                    for p in &mut sub.products {
                        p.quantity = dec("5");
                    }
                    sub.creation_date = created.date();
                    sub.billing_start_date = Some(created.date());
                    sub.last_modified_date = created.date();
                    sub.status = if completed { "active" } else { "pending" }.into();
                    let lines: Vec<(String, Decimal)> = sub
                        .products
                        .iter()
                        .map(|p| (p.mpn.clone(), p.quantity))
                        .collect();
                    self.add_subscription(sub);
                    for (mpn, q) in lines {
                        products.push(self.order_line(&sid, &mpn, q));
                    }
                }
            }
            "change" => {
                if let Some(sid) = active_recurring {
                    let first = self
                        .subscriptions
                        .get(&sid)
                        .and_then(|s| s.products.first())
                        .map(|p| p.mpn.clone());
                    if let Some(mpn) = first {
                        products.push(self.order_line(&sid, &mpn, Decimal::ONE));
                        if completed {
                            if let Some(s) = self.subscriptions.get_mut(&sid) {
                                if let Some(p) = s.products.first_mut() {
                                    p.quantity += Decimal::ONE;
                                }
                                s.last_modified_date = created.date();
                            }
                        }
                    }
                }
            }
            "billing" => {
                if let Some(sid) = usage.or(active_recurring) {
                    let lines: Vec<(String, Decimal)> = self
                        .subscriptions
                        .get(&sid)
                        .map(|s| {
                            s.products
                                .iter()
                                .map(|p| (p.mpn.clone(), p.used_quantity.unwrap_or(p.quantity)))
                                .collect()
                        })
                        .unwrap_or_default();
                    for (mpn, q) in lines {
                        products.push(self.order_line(&sid, &mpn, q));
                    }
                }
            }
            "cancellation" => {
                if let Some(sid) = active_recurring {
                    let lines: Vec<(String, Decimal)> = self
                        .subscriptions
                        .get(&sid)
                        .map(|s| {
                            s.products
                                .iter()
                                .map(|p| (p.mpn.clone(), -p.quantity))
                                .collect()
                        })
                        .unwrap_or_default();
                    for (mpn, q) in lines {
                        products.push(self.order_line(&sid, &mpn, q));
                    }
                    if completed {
                        if let Some(s) = self.subscriptions.get_mut(&sid) {
                            s.status = "cancelled".into();
                            s.last_modified_date = created.date();
                        }
                    }
                }
            }
            _ => {
                if let Some(sid) = subs.first().map(|s| s.id.clone()) {
                    let lines: Vec<(String, Decimal)> = self
                        .subscriptions
                        .get(&sid)
                        .map(|s| {
                            s.products
                                .iter()
                                .map(|p| (p.mpn.clone(), p.quantity))
                                .collect()
                        })
                        .unwrap_or_default();
                    for (mpn, q) in lines {
                        products.push(self.order_line(&sid, &mpn, q));
                    }
                }
            }
        }
        self.insert_order(Order {
            id: id.clone(),
            order_type: order_type.into(),
            customer_id: customer_id.into(),
            created,
            status: status.into(),
            po_number: (order_type != "billing").then(String::new),
            products,
        });
        id
    }

    /// Changes an order's status; returns false for an unknown order.
    pub fn set_order_status(&mut self, order_id: &str, status: &str) -> bool {
        match self.orders.get_mut(order_id) {
            Some(o) => {
                o.status = status.into();
                true
            }
            None => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(customers: usize) -> SeedParams {
        SeedParams {
            seed: 42,
            customers,
            orders_per_customer: 3,
            today: ymd(2026, 11, 24),
        }
    }

    #[test]
    fn periods_clamp_and_return_to_the_anchor_day() {
        let a = ymd(2026, 1, 31);
        assert_eq!(Period::MONTHLY.nth(a, 1), ymd(2026, 2, 28));
        assert_eq!(Period::MONTHLY.nth(a, 2), ymd(2026, 3, 31));
        assert_eq!(Period::QUARTERLY.nth(a, 1), ymd(2026, 4, 30));
        assert_eq!(Period::YEARLY.nth(ymd(2024, 2, 29), 1), ymd(2025, 2, 28));
        assert_eq!(
            Period::MONTHLY.next_boundary_after(ymd(2024, 1, 1), ymd(2026, 11, 24)),
            ymd(2026, 12, 1)
        );
    }

    #[test]
    fn curated_subscriptions_reference_known_customers_and_products_map_to_catalog() {
        let w = World::seed(&params(12));
        for s in w.subscriptions.values() {
            assert!(w.customers.contains_key(&s.customer_id), "{}", s.id);
        }
        for o in w.orders.values() {
            for p in &o.products {
                assert!(
                    w.subscriptions.contains_key(&p.subscription_id),
                    "order {}",
                    o.id
                );
                let base = p.mpn.split(':').next().unwrap_or_default();
                assert!(
                    w.catalog
                        .values()
                        .any(|c| c.manufacturer_part_number == base),
                    "no catalog item for {}",
                    p.mpn
                );
            }
        }
        for a in w.additions.values() {
            assert!(w.agreements.contains_key(&a.agreement_id));
            assert!(w.catalog.contains_key(&a.product_id));
        }
    }

    #[test]
    fn orders_lie_in_the_window_except_the_old_ones() {
        let w = World::seed(&params(40));
        let today = at(w.today, 0, 0, 0);
        let old: Vec<&str> = w
            .orders
            .values()
            .filter(|o| o.created < today - Days::days(28))
            .map(|o| o.id.as_str())
            .collect();
        let mut old = old;
        old.sort_unstable();
        assert_eq!(old, vec!["1000201", "1000202", "1000203"]);
        assert!(w.orders.values().all(|o| o.created < today));
        for o in w
            .orders
            .values()
            .filter(|o| ["1000201", "1000202", "1000203"].contains(&o.id.as_str()))
        {
            assert!(o.created < today - Days::days(35));
        }
    }

    #[test]
    fn the_index_is_newest_first_and_covers_every_order() {
        let mut w = World::seed(&params(30));
        let id = w.create_order("1000048531", "change", "completed", at(w.today, 1, 0, 0));
        let v: Vec<&Order> = w.orders_newest_first().collect();
        assert_eq!(v.len(), w.orders.len());
        assert_eq!(v[0].id, id);
        assert!(v.windows(2).all(|p| p[0].created >= p[1].created));
    }

    #[test]
    fn change_order_matches_subscription_and_additions() {
        let w = World::seed(&params(12));
        let s = &w.subscriptions["1000517"];
        assert_eq!(s.total_price().to_string(), "586.00");
        let o = &w.orders["1000231"];
        assert_eq!(o.products[0].extended_price.to_string(), "110.00");
        assert_eq!(o.products[1].extended_price.to_string(), "-8.00");
        let billing = &w.orders["1000240"];
        assert_eq!(billing.products[0].extended_price.to_string(), "45.63");
        assert_eq!(billing.created.date(), ymd(2026, 11, 1));
    }

    #[test]
    fn seeded_invoicing_stops_before_the_orders_except_on_the_demo_agreements() {
        let w = World::seed(&params(60));
        let lag = w.today;
        for a in w.agreements.values() {
            let Some(boundary) = a.invoiced_boundary() else {
                assert!(a.cancelled_flag, "{}", a.id);
                continue;
            };
            if [4138, 4139, 4140].contains(&a.id) {
                assert!(boundary > w.today, "{}", a.id);
            } else {
                assert!(boundary <= lag.max(a.start_date), "{}", a.id);
            }
            match &a.last_invoice {
                Some(last) => assert!(last.date < boundary && last.date >= a.start_date),
                None => assert_eq!(boundary, a.start_date, "{}", a.id),
            }
        }
    }

    #[test]
    fn generation_is_deterministic() {
        let a = World::seed(&params(200));
        let b = World::seed(&params(200));
        let names = |w: &World| {
            w.customers
                .values()
                .map(|c| c.name.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(names(&a), names(&b));
        let qty = |w: &World| {
            w.subscriptions
                .values()
                .map(|s| s.products.iter().map(|p| p.quantity).sum::<Decimal>())
                .collect::<Vec<_>>()
        };
        assert_eq!(qty(&a), qty(&b));
        let c = World::seed(&SeedParams {
            seed: 7,
            ..params(200)
        });
        assert_ne!(names(&a), names(&c));
    }
}
