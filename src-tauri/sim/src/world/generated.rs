//! The generated part of the world: customers beyond the curated twelve, from word lists and a
//! seeded RNG (deterministic for a given seed and `today`).

use std::collections::HashSet;

use chrono::{Duration as Days, Months, NaiveDate};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rust_decimal::Decimal;

use super::*;

// ---------------------------------------------------------------------------------------------
// Generated customers

/// Words the generated companies are named from (also for tests that need look-alike names).
pub const ADJECTIVES: [&str; 48] = [
    "Apex",
    "Birch",
    "Cedar",
    "Harbor",
    "Summit",
    "Maple",
    "Pioneer",
    "Granite",
    "Silver",
    "Golden",
    "Prairie",
    "Coastal",
    "Evergreen",
    "Redwood",
    "Bright",
    "Clear",
    "Copper",
    "Crescent",
    "Eagle",
    "Falcon",
    "Frontier",
    "Gateway",
    "Heritage",
    "Highland",
    "Horizon",
    "Iron",
    "Keystone",
    "Liberty",
    "Meadow",
    "Midway",
    "Oak",
    "Pacific",
    "Pinnacle",
    "Quarry",
    "Riverside",
    "Sage",
    "Sterling",
    "Stone",
    "Sunrise",
    "Timber",
    "Trinity",
    "Union",
    "Valley",
    "Vista",
    "Westfield",
    "Willow",
    "Bayview",
    "Northstar",
];

pub const NOUNS: [&str; 40] = [
    "Dental",
    "Logistics",
    "Consulting",
    "Accounting",
    "Engineering",
    "Veterinary",
    "Realty",
    "Architects",
    "Legal",
    "Insurance",
    "Medical",
    "Pharmacy",
    "Construction",
    "Plumbing",
    "Electric",
    "Landscaping",
    "Auto Repair",
    "Bakery",
    "Brewing",
    "Fitness",
    "Marketing",
    "Design",
    "Printing",
    "Optometry",
    "Chiropractic",
    "Financial",
    "Tax Services",
    "Travel",
    "Catering",
    "Cleaning",
    "Roofing",
    "Heating & Air",
    "Staffing",
    "Storage",
    "Outfitters",
    "Pediatrics",
    "Therapy",
    "Studios",
    "Imaging",
    "Labs",
];

const SUFFIXES: [&str; 7] = ["LLC", "Inc.", "Ltd", "Group", "Partners", "Co.", "PLLC"];

const CITIES: [(&str, &str, &str); 16] = [
    ("Tampa", "FL", "33602"),
    ("Orlando", "FL", "32801"),
    ("Atlanta", "GA", "30303"),
    ("Charlotte", "NC", "28202"),
    ("Nashville", "TN", "37201"),
    ("Austin", "TX", "78701"),
    ("Dallas", "TX", "75201"),
    ("Denver", "CO", "80202"),
    ("Phoenix", "AZ", "85004"),
    ("Portland", "OR", "97205"),
    ("Seattle", "WA", "98101"),
    ("Chicago", "IL", "60601"),
    ("Columbus", "OH", "43215"),
    ("Boston", "MA", "02108"),
    ("Richmond", "VA", "23219"),
    ("Madison", "WI", "53703"),
];

const FIRST_NAMES: [&str; 16] = [
    "Alex", "Jordan", "Taylor", "Morgan", "Casey", "Riley", "Jamie", "Avery", "Chris", "Pat",
    "Drew", "Robin", "Lee", "Dana", "Kim", "Sam",
];

const LAST_NAMES: [&str; 16] = [
    "Smith", "Johnson", "Garcia", "Nguyen", "Patel", "Brown", "Miller", "Davis", "Lopez", "Clark",
    "Lewis", "Walker", "Hall", "Young", "King", "Wright",
];

pub(super) struct Generator<'a> {
    rng: StdRng,
    w: &'a mut World,
    today: NaiveDate,
    orders_per_customer: usize,
    names: HashSet<String>,
    identifiers: HashSet<String>,
    next_order: u64,
    next_sub: u64,
    next_addition: u64,
}

impl<'a> Generator<'a> {
    pub(super) fn new(p: &SeedParams, w: &'a mut World) -> Self {
        let names = w.customers.values().map(|c| c.name.clone()).collect();
        let identifiers = w.companies.values().map(|c| c.identifier.clone()).collect();
        Generator {
            rng: StdRng::seed_from_u64(p.seed),
            today: p.today,
            orders_per_customer: p.orders_per_customer,
            w,
            names,
            identifiers,
            next_order: 3_000_000,
            next_sub: 2_000_000,
            next_addition: 100_000,
        }
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.rng.random_range(0..items.len())]
    }

    fn unique_name(&mut self) -> (String, String, String) {
        let adj = self.pick(&ADJECTIVES);
        let noun = self.pick(&NOUNS);
        let suffix = self.pick(&SUFFIXES);
        let base = format!("{adj} {noun}");
        let mut name = format!("{base} {suffix}");
        let mut n = 2;
        while self.names.contains(&name) {
            name = format!("{base} {n} {suffix}");
            n += 1;
        }
        self.names.insert(name.clone());
        let base_with_n = name
            .strip_suffix(suffix)
            .map(|s| s.trim_end().to_string())
            .unwrap_or_else(|| base.clone());
        (name, base_with_n, suffix.to_string())
    }

    fn unique_identifier(&mut self, base: &str) -> String {
        let mut ident: String = base
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|s| !s.is_empty())
            .collect();
        ident.truncate(22);
        let stem = ident.clone();
        let mut n = 2;
        while self.identifiers.contains(&ident) {
            ident = format!("{stem}{n}");
            n += 1;
        }
        self.identifiers.insert(ident.clone());
        ident
    }

    pub(super) fn run(&mut self, count: usize) {
        for i in 0..count {
            self.customer(i);
        }
    }

    fn customer(&mut self, i: usize) {
        let today = self.today;
        let customer_id = (2_000_000_000u64 + i as u64).to_string();
        let (name, base, suffix) = self.unique_name();
        let (city, state, zip) = self.pick(&CITIES);
        let first = self.pick(&FIRST_NAMES);
        let last = self.pick(&LAST_NAMES);
        let domain: String = base
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_lowercase();
        let number: u32 = self.rng.random_range(100..1000);
        self.w.add_customer(Customer {
            id: customer_id.clone(),
            name: name.clone(),
            external_id: format!("GEN-{:05}", i + 1),
            status: "active".into(),
            address: Address {
                street: format!("{number} Market St"),
                city: city.into(),
                state: state.into(),
                postal_code: zip.into(),
                country_code: "US".into(),
            },
            contact: Contact {
                first_name: first.into(),
                last_name: last.into(),
                email: format!("{}@{domain}.example", first.to_lowercase()),
                phone: format!("+1-555-{:03}-{:04}", number, i % 10_000),
            },
        });

        // The company: sometimes named a little differently from the customer.
        let company_id = 1000 + i as u64;
        let roll: f64 = self.rng.random();
        let company_name = if roll < 0.25 {
            base.clone()
        } else if roll < 0.35 {
            name.replace('&', "and")
        } else if roll < 0.45 {
            format!("{base}, {suffix}")
        } else {
            name.clone()
        };
        let identifier = self.unique_identifier(&base);
        self.w.add_company(Company {
            id: company_id,
            identifier,
            name: company_name,
            address_line1: format!("{number} Market St"),
            city: city.into(),
            state: state.into(),
            zip: zip.into(),
            country_code: "US".into(),
            phone: format!("555{:07}", i),
            website: format!("{domain}.example"),
            contact: (100_000 + i as u64, format!("{first} {last}")),
            date_entered: utc(today - Days::days(400 + (i % 365) as i64), 9, 0, 0),
            last_updated: utc(today - Days::days(30 + (i % 200) as i64), 12, 0, 0),
        });

        // The main subscription.
        let eur = self.rng.random_bool(0.12);
        let currency = if eur { "EUR" } else { "USD" };
        let yearly = self.rng.random_bool(0.1);
        let months: u32 = self.rng.random_range(2..30);
        let day: u32 = self.rng.random_range(1..=28);
        let anchor = months_back(today, months, day);
        let mut products: Vec<SubscriptionProduct> = Vec::new();
        if yearly {
            products.push(self.product_line(6, eur));
        } else {
            let n = self.rng.random_range(1..=3);
            let mut taken = HashSet::new();
            while products.len() < n {
                let k = self.rng.random_range(0..MONTHLY_PRODUCTS);
                if taken.insert(k) {
                    products.push(self.product_line(k, eur));
                }
            }
        }
        let period = if yearly {
            Period::YEARLY
        } else {
            Period::MONTHLY
        };
        let sub_id = self.next_sub.to_string();
        self.next_sub += 1;
        let sub = Subscription {
            id: sub_id.clone(),
            customer_id: customer_id.clone(),
            status: "active".into(),
            creation_date: anchor,
            billing_start_date: Some(anchor),
            last_modified_date: anchor,
            billing_model: "chargeBeforeBillingPeriod".into(),
            billing_period: period,
            subscription_period: Period::YEARLY,
            currency: currency.into(),
            products,
        };

        // The agreement that fits it, with the additions as they are before the orders.
        let agreement_id = 10_000 + i as u64;
        let bill_amounts = ["0.0", "0.0", "50.0", "100.0", "150.0", "250.0"];
        let bill_amount = self.pick(&bill_amounts);
        let prorate = self.rng.random_bool(0.1);
        let agreement_start = anchor
            .checked_sub_months(Months::new(self.rng.random_range(0..12)))
            .unwrap_or(anchor);
        let cycle = period.billing_cycle_id();
        let mut agreement = Agreement {
            id: agreement_id,
            name: format!("{base} - Cloud Services"),
            type_ref: (7, "Cloud Services".into()),
            company_id,
            location: (1, "Main Office".into()),
            start_date: agreement_start,
            end_date: None,
            cancelled_flag: false,
            reason_cancelled: None,
            billing_cycle_id: cycle,
            bill_amount: dec(bill_amount),
            prorate_flag: prorate,
            currency_id: currency_id_of(currency),
            status: "Active".into(),
            invoice_description: format!("{} cloud services", billing_cycle(cycle).name),
            date_entered: utc(agreement_start, 9, 0, 0),
            entered_by: "jsmith".into(),
            last_updated: utc(today - Days::days(20 + (i % 60) as i64), 10, 0, 0),
            next_invoice_date: None,
            last_invoice: None,
        };
        agreement.next_invoice_date = calendar::seeded_next_invoice(&agreement, today);
        self.w.add_agreement(agreement);
        for (seq, p) in sub.products.iter().enumerate() {
            let def = product(&p.mpn);
            let item = self.w.catalog.get(&def.catalog_id);
            let (desc, taxable) = item.map_or((String::new(), false), |c| {
                (c.description.clone(), c.taxable)
            });
            let id = self.next_addition;
            self.next_addition += 1;
            self.w.insert_addition(Addition {
                id,
                agreement_id,
                product_id: def.catalog_id,
                quantity: p.quantity,
                less_included: Decimal::ZERO,
                unit_price: Some(p.unit_price()),
                unit_cost: p.costs.first().map(|c| c.amount),
                bill_customer: "Billable".into(),
                effective_date: Some(anchor),
                cancelled_date: None,
                taxable_flag: taxable,
                serial_number: String::new(),
                invoice_description: desc.clone(),
                description: desc,
                sequence_number: seq as u32 + 1,
                custom_value: None,
                date_entered: utc(anchor, 7, 0, 0),
                entered_by: "jsmith".into(),
                last_updated: utc(anchor, 8, 0, 0),
                updated_by: "apiuser".into(),
                back_bill_before: None,
                boundary_at_creation: None,
            });
        }
        let mut sub = sub;
        self.drift(i, &sub, (agreement_id, anchor, eur));

        // Orders over the 28 days before today, oldest first.
        let mut times: Vec<i64> = (0..self.orders_per_customer)
            .map(|_| self.rng.random_range(60..28 * 86_400))
            .collect();
        times.sort_unstable_by(|a, b| b.cmp(a));
        let count = times.len();
        let mut new_subs = Vec::new();
        let mut cancelled = false;
        for (k, secs_ago) in times.into_iter().enumerate() {
            let created = at(today, 0, 0, 0) - Days::seconds(secs_ago);
            let status = if self.rng.random_bool(0.08) {
                "processing"
            } else {
                "completed"
            };
            let roll: f64 = self.rng.random();
            let order_type = if cancelled {
                "renewal"
            } else if k + 1 == count && roll < 0.05 {
                "cancellation"
            } else if roll < 0.6 {
                "change"
            } else if roll < 0.8 {
                "sales"
            } else {
                "renewal"
            };
            let order_id = self.next_order.to_string();
            self.next_order += 1;
            let mut lines = Vec::new();
            match order_type {
                "change" => {
                    let idx = self.rng.random_range(0..sub.products.len());
                    let mut delta: i64 = self.rng.random_range(-3..=5);
                    if delta == 0 {
                        delta = 1;
                    }
                    let p = &mut sub.products[idx];
                    if p.quantity + Decimal::from(delta) < Decimal::ONE {
                        delta = 1;
                    }
                    let delta = Decimal::from(delta);
                    lines.push(OrderProduct {
                        mpn: p.mpn.clone(),
                        name: p.name.clone(),
                        quantity: delta,
                        subscription_id: sub_id.clone(),
                        extended_price: money(delta * p.unit_price()),
                        currency: currency.into(),
                    });
                    if status == "completed" {
                        p.quantity += delta;
                        sub.last_modified_date = created.date();
                    }
                }
                "cancellation" => {
                    for p in &sub.products {
                        lines.push(OrderProduct {
                            mpn: p.mpn.clone(),
                            name: p.name.clone(),
                            quantity: -p.quantity,
                            subscription_id: sub_id.clone(),
                            extended_price: money(-p.quantity * p.unit_price()),
                            currency: currency.into(),
                        });
                    }
                    if status == "completed" {
                        sub.status = "cancelled".into();
                        sub.last_modified_date = created.date();
                        cancelled = true;
                    }
                }
                "sales" => {
                    let k = self.rng.random_range(0..MONTHLY_PRODUCTS);
                    let mut p = self.product_line(k, eur);
                    p.quantity = Decimal::from(self.rng.random_range(1..=20i64));
                    let sid = self.next_sub.to_string();
                    self.next_sub += 1;
                    lines.push(OrderProduct {
                        mpn: p.mpn.clone(),
                        name: p.name.clone(),
                        quantity: p.quantity,
                        subscription_id: sid.clone(),
                        extended_price: p.extended_price(),
                        currency: currency.into(),
                    });
                    new_subs.push(Subscription {
                        id: sid,
                        customer_id: customer_id.clone(),
                        status: if status == "completed" {
                            "active"
                        } else {
                            "pending"
                        }
                        .into(),
                        creation_date: created.date(),
                        billing_start_date: Some(created.date()),
                        last_modified_date: created.date(),
                        billing_model: "chargeBeforeBillingPeriod".into(),
                        billing_period: Period::MONTHLY,
                        subscription_period: Period::YEARLY,
                        currency: currency.into(),
                        products: vec![p],
                    });
                }
                _ => {
                    for p in &sub.products {
                        lines.push(OrderProduct {
                            mpn: p.mpn.clone(),
                            name: p.name.clone(),
                            quantity: p.quantity,
                            subscription_id: sub_id.clone(),
                            extended_price: p.extended_price(),
                            currency: currency.into(),
                        });
                    }
                }
            }
            self.w.orders.insert(
                order_id.clone(),
                Order {
                    id: order_id,
                    order_type: order_type.into(),
                    customer_id: customer_id.clone(),
                    created,
                    status: status.into(),
                    po_number: Some(String::new()),
                    products: lines,
                },
            );
        }
        self.w.add_subscription(sub);
        for s in new_subs {
            self.w.add_subscription(s);
        }
    }

    /// Drift for Reconcile, in proportion: of every eight customers one has a price edited in
    /// ConnectWise, and (monthly ones) one an addition entered twice, one a cancelled
    /// subscription still billed, one a subscription missing in ConnectWise. It uses no random
    /// numbers (the rest of the world stays as it was) and never the products of the main
    /// subscription, which the orders change.
    fn drift(
        &mut self,
        i: usize,
        main: &Subscription,
        (agreement_id, anchor, eur): (u64, NaiveDate, bool),
    ) {
        let kind = i % 8;
        if kind == 1 {
            let first = self.w.additions_of(agreement_id).first().map(|a| a.id);
            if let Some(a) = first.and_then(|id| self.w.additions.get_mut(&id)) {
                a.unit_price = a.unit_price.map(|p| (p - dec("0.50")).max(Decimal::ZERO));
            }
            return;
        }
        if main.billing_period != Period::MONTHLY || !matches!(kind, 3 | 5 | 7) {
            return;
        }
        let Some(k) = (0..MONTHLY_PRODUCTS)
            .find(|k| !main.products.iter().any(|p| p.mpn == PRODUCTS[*k].mpn))
        else {
            return;
        };
        let mut p = SubscriptionProduct::recurring(
            PRODUCTS[k].mpn,
            PRODUCTS[k].name,
            3 + (i % 7) as i64,
            PRODUCTS[k].price,
            PRODUCTS[k].cost,
        );
        if eur {
            p.prices[0].amount = eur_price(PRODUCTS[k].price);
            p.costs[0].amount = eur_price(PRODUCTS[k].cost);
        }
        let extra = Subscription {
            id: (4_000_000 + i as u64).to_string(),
            customer_id: main.customer_id.clone(),
            status: if kind == 5 { "cancelled" } else { "active" }.into(),
            creation_date: anchor,
            billing_start_date: Some(anchor),
            last_modified_date: anchor,
            billing_model: "chargeBeforeBillingPeriod".into(),
            billing_period: Period::MONTHLY,
            subscription_period: Period::YEARLY,
            currency: main.currency.clone(),
            products: vec![p.clone()],
        };
        let copies = match kind {
            3 => 2,
            5 => 1,
            _ => 0,
        };
        for n in 0..copies {
            self.w.insert_addition(Addition {
                id: 800_000 + 2 * i as u64 + n,
                agreement_id,
                product_id: PRODUCTS[k].catalog_id,
                quantity: p.quantity,
                less_included: Decimal::ZERO,
                unit_price: Some(p.unit_price()),
                unit_cost: p.costs.first().map(|c| c.amount),
                bill_customer: "Billable".into(),
                effective_date: Some(anchor),
                cancelled_date: None,
                taxable_flag: false,
                serial_number: String::new(),
                invoice_description: p.name.clone(),
                description: p.name.clone(),
                sequence_number: 10 + n as u32,
                custom_value: None,
                date_entered: utc(anchor, 7, 0, 0),
                entered_by: "jsmith".into(),
                last_updated: utc(anchor, 8, 0, 0),
                updated_by: "apiuser".into(),
                back_bill_before: None,
                boundary_at_creation: None,
            });
        }
        self.w.add_subscription(extra);
    }

    fn product_line(&mut self, k: usize, eur: bool) -> SubscriptionProduct {
        let def = &PRODUCTS[k];
        let qty = self.rng.random_range(1..=50i64);
        let mut p = SubscriptionProduct::recurring(def.mpn, def.name, qty, def.price, def.cost);
        if eur {
            p.prices[0].amount = eur_price(def.price);
            p.costs[0].amount = eur_price(def.cost);
        }
        if def.period == Period::YEARLY {
            p.quantity = Decimal::from(self.rng.random_range(1..=20i64));
        }
        p
    }
}

/// A generated EUR price: 0.93 of the USD one.
fn eur_price(usd: &str) -> Decimal {
    money(dec(usd) * dec("0.93"))
}
