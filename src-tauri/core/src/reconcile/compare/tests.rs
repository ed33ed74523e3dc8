//! Table tests of [`reconcile`]: every outcome, USD and EUR, monthly and yearly.

use super::*;
use rust_decimal_macros::dec;
use serde_json::{json, Value};

fn from<T: serde::de::DeserializeOwned>(v: Value) -> T {
    serde_json::from_value(v).expect("test data reads")
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

const TODAY: (i32, u32, u32) = (2026, 11, 24);
const BP: &str = "CFQ7TTC0LCHC:0002_P1M";
const EXO: &str = "CFQ7TTC0LH16:0001_P1M";
const APPS: &str = "CFQ7TTC0LH1G:0001_P1Y";
const NEW: &str = "NEW-SKU:0001";

fn today() -> NaiveDate {
    ymd(TODAY.0, TODAY.1, TODAY.2)
}

fn settings() -> Settings {
    Settings {
        today: today(),
        price_source: PriceSource::CloudMarketplace,
    }
}

/// A subscription: (mpn, quantity, price) products, `period` "month"/"year".
fn sub(
    id: &str,
    status: &str,
    unit: &str,
    currency: &str,
    products: &[(&str, i64, &str)],
) -> Subscription {
    from(json!({
        "id": id, "customerId": "C1", "status": status, "creationDate": "2025-03-01",
        "billingStartDate": "2025-03-01",
        "billingPeriod": {"type": unit, "duration": 1},
        "totalPrice": {"amount": "0", "currency": currency},
        "products": products.iter().map(|(mpn, q, p)| json!({
            "mpn": mpn, "name": format!("Product {mpn}"), "quantity": q,
            "unitPrice": {"amount": p, "currency": currency},
            "prices": [{"type": "recurring", "amount": p, "currency": currency}],
            "costs": [],
        })).collect::<Vec<_>>(),
    }))
}

/// An agreement of company 250: cycle 1 Monthly / 4 Yearly.
fn agreement(id: i64, cycle: i64, currency: &str) -> Agreement {
    from(json!({
        "id": id, "name": format!("Agreement {id}"), "company": {"id": 250, "name": "Green Lane LLC"},
        "agreementStatus": "Active", "cancelledFlag": false, "startDate": "2024-01-01T00:00:00Z",
        "billingCycle": {"id": cycle, "name": if cycle == 4 { "Yearly" } else { "Monthly" }},
        "billAmount": 0, "prorateFlag": false,
        "currency": {"id": 7, "currencyIdentifier": currency, "numberOfDecimals": 2},
    }))
}

fn addition(id: i64, product: i64, qty: &str, price: &str, cancel: Option<NaiveDate>) -> Addition {
    from(json!({
        "id": id, "product": {"id": product}, "billCustomer": "Billable",
        "quantity": qty, "unitPrice": price, "unitCost": "1",
        "effectiveDate": "2025-03-01T00:00:00Z",
        "cancelledDate": cancel.map(|c| format!("{c}T00:00:00Z")),
        "agreementStatus": "Active",
    }))
}

/// Company 250 with a monthly and a yearly USD agreement, a monthly EUR agreement; the customer
/// and BP (611), EXO (612), APPS (614) mapped.
fn data() -> ConnectWiseData {
    ConnectWiseData {
        companies: vec![from(
            json!({"id": 250, "identifier": "GreenLane", "name": "Green Lane LLC"}),
        )],
        agreements: vec![
            agreement(1, 1, "USD"),
            agreement(2, 4, "USD"),
            agreement(3, 1, "EUR"),
            agreement(4, 4, "EUR"),
        ],
        additions: HashMap::from([(1, vec![]), (2, vec![]), (3, vec![]), (4, vec![])]),
        catalog: [611, 612, 614]
            .iter()
            .map(|id| from(json!({"id": id, "identifier": format!("I{id}"), "price": 20})))
            .collect(),
        cycles: from(json!([
            {"id": 1, "name": "Monthly", "billingOptions": "Monthly"},
            {"id": 4, "name": "Yearly", "billingOptions": "Yearly"},
        ])),
        currencies: vec![],
        customer_map: HashMap::from([("C1".to_owned(), 250)]),
        product_map: HashMap::from([
            (BP.to_owned(), 611),
            (EXO.to_owned(), 612),
            (APPS.to_owned(), 614),
        ]),
    }
}

fn one(subs: Vec<Subscription>, data: &ConnectWiseData, settings: Settings) -> CustomerReconcile {
    let customers = vec![CustomerSubscriptions {
        customer_id: "C1".into(),
        customer_name: "Green Lane LLC".into(),
        subscriptions: subs,
    }];
    reconcile(&customers, data, settings).remove(0)
}

type Setup = fn(&mut ConnectWiseData, &mut Settings);

/// (MPN, outcome, ConnectWise amount, marketplace amount, effect) of a product.
type Expected = (
    &'static str,
    Outcome,
    Option<&'static str>,
    &'static str,
    Option<&'static str>,
);
/// The same, as found.
type Found = (String, Outcome, Option<String>, String, Option<String>);

struct Case {
    what: &'static str,
    subs: Vec<Subscription>,
    /// Additions per agreement id.
    additions: Vec<(i64, Addition)>,
    setup: Setup,
    /// (MPN, outcome, ConnectWise amount, marketplace amount, effect) per product, in order.
    expect: Vec<Expected>,
}

fn no_setup(_: &mut ConnectWiseData, _: &mut Settings) {}

#[test]
fn every_outcome_in_both_currencies_monthly_and_yearly() {
    let next_month = Some(ymd(2026, 12, 31));
    let cases = vec![
        Case {
            what: "in sync, monthly USD",
            subs: vec![sub("S1", "active", "month", "USD", &[(BP, 10, "22.00")])],
            additions: vec![(1, addition(11, 611, "10", "22", None))],
            setup: no_setup,
            expect: vec![(BP, Outcome::InSync, Some("220.00"), "220.00", Some("0.00"))],
        },
        Case {
            what: "quantity differs, monthly USD: ConnectWise bills 10, the marketplace has 14",
            subs: vec![sub("S1", "active", "month", "USD", &[(BP, 14, "22.00")])],
            additions: vec![(1, addition(11, 611, "10", "22", None))],
            setup: no_setup,
            expect: vec![(
                BP,
                Outcome::QuantityDiffers,
                Some("220.00"),
                "308.00",
                Some("88.00"),
            )],
        },
        Case {
            what: "quantity differs, yearly EUR, fewer in the marketplace",
            subs: vec![sub("S1", "active", "year", "EUR", &[(APPS, 3, "92.07")])],
            additions: vec![(4, addition(11, 614, "5", "92.07", None))],
            setup: no_setup,
            expect: vec![(
                APPS,
                Outcome::QuantityDiffers,
                Some("460.35"),
                "276.21",
                Some("-184.14"),
            )],
        },
        Case {
            what: "price differs, monthly EUR",
            subs: vec![sub("S1", "active", "month", "EUR", &[(EXO, 5, "4.19")])],
            additions: vec![(3, addition(11, 612, "5", "4.00", None))],
            setup: no_setup,
            expect: vec![(
                EXO,
                Outcome::PriceDiffers,
                Some("20.00"),
                "20.95",
                Some("0.95"),
            )],
        },
        Case {
            what: "price differs is not drift with ConnectWise prices",
            subs: vec![sub("S1", "active", "month", "EUR", &[(EXO, 5, "4.19")])],
            additions: vec![(3, addition(11, 612, "5", "4.00", None))],
            setup: |_, s| s.price_source = PriceSource::ConnectWise,
            expect: vec![(EXO, Outcome::InSync, Some("20.00"), "20.00", Some("0.00"))],
        },
        Case {
            what: "quantity differs with ConnectWise prices: the addition's price",
            subs: vec![sub("S1", "active", "month", "USD", &[(BP, 12, "22.00")])],
            additions: vec![(1, addition(11, 611, "10", "20", None))],
            setup: |_, s| s.price_source = PriceSource::ConnectWise,
            expect: vec![(
                BP,
                Outcome::QuantityDiffers,
                Some("200.00"),
                "240.00",
                Some("40.00"),
            )],
        },
        Case {
            what: "missing in ConnectWise, yearly USD",
            subs: vec![sub("S1", "active", "year", "USD", &[(APPS, 3, "99.00")])],
            additions: vec![],
            setup: no_setup,
            expect: vec![(
                APPS,
                Outcome::MissingInConnectWise,
                Some("0.00"),
                "297.00",
                Some("297.00"),
            )],
        },
        Case {
            what: "an addition on an agreement of another cycle does not count: missing",
            subs: vec![sub("S1", "active", "year", "USD", &[(APPS, 3, "99.00")])],
            additions: vec![(1, addition(11, 614, "3", "99", None))],
            setup: no_setup,
            expect: vec![(
                APPS,
                Outcome::MissingInConnectWise,
                Some("0.00"),
                "297.00",
                Some("297.00"),
            )],
        },
        Case {
            what: "still billing: a cancelled subscription, its addition active, monthly USD",
            subs: vec![sub("S1", "cancelled", "month", "USD", &[(BP, 6, "22.00")])],
            additions: vec![(1, addition(11, 611, "6", "22", None))],
            setup: no_setup,
            expect: vec![(
                BP,
                Outcome::StillBilling,
                Some("132.00"),
                "0.00",
                Some("-132.00"),
            )],
        },
        Case {
            what: "still billing: a suspended subscription, yearly EUR",
            subs: vec![sub("S1", "suspended", "year", "EUR", &[(APPS, 2, "92.07")])],
            additions: vec![(4, addition(11, 614, "2", "92.07", None))],
            setup: no_setup,
            expect: vec![(
                APPS,
                Outcome::StillBilling,
                Some("184.14"),
                "0.00",
                Some("-184.14"),
            )],
        },
        Case {
            what: "a cancelled subscription whose addition ends: in sync",
            subs: vec![sub("S1", "cancelled", "month", "USD", &[(BP, 6, "22.00")])],
            additions: vec![(1, addition(11, 611, "6", "22", next_month))],
            setup: no_setup,
            expect: vec![(BP, Outcome::InSync, Some("0.00"), "0.00", Some("0.00"))],
        },
        Case {
            what: "a cancelled subscription with nothing in ConnectWise: not shown",
            subs: vec![sub("S1", "cancelled", "month", "USD", &[(BP, 6, "22.00")])],
            additions: vec![],
            setup: no_setup,
            expect: vec![],
        },
        Case {
            what: "an active subscription whose addition is cancelled next month: missing",
            subs: vec![sub("S1", "active", "month", "USD", &[(BP, 10, "22.00")])],
            additions: vec![(1, addition(11, 611, "10", "22", next_month))],
            setup: no_setup,
            expect: vec![(
                BP,
                Outcome::MissingInConnectWise,
                Some("0.00"),
                "220.00",
                Some("220.00"),
            )],
        },
        Case {
            what: "a fix scheduled: the old addition ends, the new one starts: in sync",
            subs: vec![sub("S1", "active", "month", "USD", &[(BP, 14, "22.00")])],
            additions: vec![
                (1, addition(11, 611, "10", "22", Some(ymd(2026, 11, 30)))),
                (1, {
                    let mut a = addition(12, 611, "14", "22", None);
                    a.effective_date =
                        Some(ymd(2026, 12, 1).and_hms_opt(0, 0, 0).unwrap().and_utc());
                    a
                }),
            ],
            setup: no_setup,
            expect: vec![(BP, Outcome::InSync, Some("308.00"), "308.00", Some("0.00"))],
        },
        Case {
            what: "an addition cancelled before today is gone: missing",
            subs: vec![sub("S1", "active", "month", "USD", &[(BP, 10, "22.00")])],
            additions: vec![(1, addition(11, 611, "10", "22", Some(ymd(2026, 10, 31))))],
            setup: no_setup,
            expect: vec![(
                BP,
                Outcome::MissingInConnectWise,
                Some("0.00"),
                "220.00",
                Some("220.00"),
            )],
        },
        Case {
            what: "duplicate: two active additions of one product on one agreement",
            subs: vec![sub("S1", "active", "month", "USD", &[(EXO, 9, "4.00")])],
            additions: vec![
                (1, addition(11, 612, "9", "4", None)),
                (1, addition(12, 612, "9", "4", None)),
            ],
            setup: no_setup,
            expect: vec![(
                EXO,
                Outcome::Duplicate,
                Some("72.00"),
                "36.00",
                Some("-36.00"),
            )],
        },
        Case {
            what: "duplicate across two fitting agreements (EUR monthly)",
            subs: vec![sub("S1", "active", "month", "EUR", &[(EXO, 4, "4.19")])],
            additions: vec![
                (3, addition(11, 612, "4", "4.19", None)),
                (5, addition(12, 612, "2", "4.19", None)),
            ],
            setup: |d, _| {
                d.agreements.push(agreement(5, 1, "EUR"));
                d.additions.insert(5, vec![]);
            },
            expect: vec![(
                EXO,
                Outcome::Duplicate,
                Some("25.14"),
                "16.76",
                Some("-8.38"),
            )],
        },
        Case {
            what: "unmapped product",
            subs: vec![sub("S1", "active", "month", "USD", &[(NEW, 3, "10.00")])],
            additions: vec![],
            setup: no_setup,
            expect: vec![(NEW, Outcome::Unmapped, None, "30.00", None)],
        },
        Case {
            what: "unmapped customer",
            subs: vec![sub("S1", "active", "month", "EUR", &[(BP, 3, "20.46")])],
            additions: vec![],
            setup: |d, _| d.customer_map.clear(),
            expect: vec![(BP, Outcome::Unmapped, None, "61.38", None)],
        },
        Case {
            what: "a product mapped to an item no longer in the catalog is unmapped",
            subs: vec![sub("S1", "active", "month", "USD", &[(BP, 3, "22.00")])],
            additions: vec![],
            setup: |d, _| d.catalog.retain(|c| c.id != 611),
            expect: vec![(BP, Outcome::Unmapped, None, "66.00", None)],
        },
        Case {
            what: "no fitting agreement: missing (no quarterly agreement)",
            subs: vec![{
                let mut s = sub("S1", "active", "month", "USD", &[(BP, 2, "22.00")]);
                s.billing_period.duration = 3;
                s
            }],
            additions: vec![],
            setup: no_setup,
            expect: vec![(
                BP,
                Outcome::MissingInConnectWise,
                Some("0.00"),
                "44.00",
                Some("44.00"),
            )],
        },
        Case {
            what: "included quantity: ConnectWise bills 10 less 2 included, in sync",
            subs: vec![sub("S1", "active", "month", "USD", &[(BP, 10, "22.00")])],
            additions: vec![(1, {
                let mut a = addition(11, 611, "10", "22", None);
                a.less_included = Some(dec!(2));
                a
            })],
            setup: no_setup,
            expect: vec![(BP, Outcome::InSync, Some("176.00"), "176.00", Some("0.00"))],
        },
        Case {
            what: "included quantity: 12 in the marketplace, 10 less 2 included",
            subs: vec![sub("S1", "active", "month", "USD", &[(BP, 12, "22.00")])],
            additions: vec![(1, {
                let mut a = addition(11, 611, "10", "22", None);
                a.less_included = Some(dec!(2));
                a
            })],
            setup: no_setup,
            expect: vec![(
                BP,
                Outcome::QuantityDiffers,
                Some("176.00"),
                "220.00",
                Some("44.00"),
            )],
        },
        Case {
            what: "a not-billed addition of the right quantity and price: in sync, nothing billed",
            subs: vec![sub("S1", "active", "month", "USD", &[(BP, 10, "22.00")])],
            additions: vec![(1, {
                let mut a = addition(11, 611, "10", "22", None);
                a.bill_customer = "NoCharge".into();
                a
            })],
            setup: no_setup,
            expect: vec![(BP, Outcome::InSync, Some("0.00"), "0.00", Some("0.00"))],
        },
        Case {
            what: "a prorate (one-time) addition is not a recurring one",
            subs: vec![sub("S1", "active", "month", "USD", &[(BP, 10, "22.00")])],
            additions: vec![
                (1, addition(11, 611, "10", "22", None)),
                (1, {
                    let mut a = addition(12, 611, "2", "12.06", Some(ymd(2026, 11, 30)));
                    a.effective_date =
                        Some(ymd(2026, 11, 15).and_hms_opt(0, 0, 0).unwrap().and_utc());
                    a
                }),
            ],
            setup: no_setup,
            expect: vec![(BP, Outcome::InSync, Some("220.00"), "220.00", Some("0.00"))],
        },
        Case {
            what: "two subscriptions of one product add up",
            subs: vec![
                sub("S1", "active", "month", "USD", &[(BP, 4, "22.00")]),
                sub("S2", "active", "month", "USD", &[(BP, 6, "22.00")]),
            ],
            additions: vec![(1, addition(11, 611, "10", "22", None))],
            setup: no_setup,
            expect: vec![(BP, Outcome::InSync, Some("220.00"), "220.00", Some("0.00"))],
        },
        Case {
            what: "an active and a cancelled subscription of one product: the active one counts",
            subs: vec![
                sub("S1", "cancelled", "month", "USD", &[(BP, 4, "22.00")]),
                sub("S2", "active", "month", "USD", &[(BP, 6, "22.00")]),
            ],
            additions: vec![(1, addition(11, 611, "6", "22", None))],
            setup: no_setup,
            expect: vec![(BP, Outcome::InSync, Some("132.00"), "132.00", Some("0.00"))],
        },
        Case {
            what: "the same product monthly and yearly are two rows",
            subs: vec![
                sub("S1", "active", "month", "USD", &[(BP, 4, "22.00")]),
                sub("S2", "active", "year", "USD", &[(BP, 2, "264.00")]),
            ],
            additions: vec![(1, addition(11, 611, "4", "22", None))],
            setup: no_setup,
            expect: vec![
                (BP, Outcome::InSync, Some("88.00"), "88.00", Some("0.00")),
                (
                    BP,
                    Outcome::MissingInConnectWise,
                    Some("0.00"),
                    "528.00",
                    Some("528.00"),
                ),
            ],
        },
        Case {
            what: "pending subscriptions are not compared",
            subs: vec![sub("S1", "pending", "month", "USD", &[(BP, 4, "22.00")])],
            additions: vec![],
            setup: no_setup,
            expect: vec![],
        },
    ];
    for case in cases {
        let mut d = data();
        let mut s = settings();
        (case.setup)(&mut d, &mut s);
        for (agreement, a) in case.additions {
            d.additions.entry(agreement).or_default().push(a);
        }
        let r = one(case.subs, &d, s);
        assert!(r.problems.is_empty(), "{}: {:?}", case.what, r.problems);
        let found: Vec<Found> = r
            .products
            .iter()
            .map(|p| {
                (
                    p.marketplace.product_key.clone(),
                    p.outcome,
                    p.connectwise_amount.map(|a| a.to_string()),
                    p.marketplace_amount.to_string(),
                    p.effect.map(|a| a.to_string()),
                )
            })
            .collect();
        let expected: Vec<Found> = case
            .expect
            .iter()
            .map(|(k, o, cw, mp, e)| {
                (
                    (*k).to_owned(),
                    *o,
                    cw.map(str::to_owned),
                    (*mp).to_owned(),
                    e.map(str::to_owned),
                )
            })
            .collect();
        assert_eq!(found, expected, "{}", case.what);
        let drift = expected.iter().filter(|e| e.1.is_drift()).count() as u32;
        let unmapped = expected.iter().filter(|e| e.1 == Outcome::Unmapped).count() as u32;
        assert_eq!(r.unmapped_count(), unmapped, "{}", case.what);
        assert_eq!(r.drift_count(), drift, "{}", case.what);
    }
}

#[test]
fn both_sides_are_named() {
    let mut d = data();
    d.additions
        .insert(1, vec![addition(11, 611, "10", "22", None)]);
    let r = one(
        vec![sub("S1", "active", "month", "USD", &[(BP, 14, "22.00")])],
        &d,
        settings(),
    );
    assert_eq!(
        r.company,
        Some(CompanyLine {
            id: 250,
            name: "Green Lane LLC".into()
        })
    );
    let p = &r.products[0];
    assert_eq!(p.marketplace.subscription_ids, ["S1"]);
    assert_eq!(p.marketplace.quantity, dec!(14));
    assert_eq!(p.marketplace.unit_price, Some(dec!(22.00)));
    assert_eq!(p.marketplace.status, SubscriptionState::Active);
    assert_eq!(p.marketplace.period, BillingPeriod::MONTHLY);
    assert_eq!(p.connectwise.catalog_item_id, Some(611));
    assert_eq!(
        p.connectwise.agreements,
        [AgreementLine {
            id: 1,
            name: "Agreement 1".into(),
            own_amount: Decimal::ZERO,
        }]
    );
    let a = &p.connectwise.additions[0];
    assert_eq!(
        (a.id, a.agreement_id, a.quantity, a.unit_price),
        (11, 1, dec!(10), dec!(22))
    );
    assert_eq!(a.effective_date, Some(ymd(2025, 3, 1)));
    assert!(!a.ending);
}

#[test]
fn notes_say_what_is_missing_to_compare() {
    let mut d = data();
    d.additions.remove(&1);
    let r = one(
        vec![sub("S1", "active", "month", "USD", &[(BP, 1, "22.00")])],
        &d,
        settings(),
    );
    assert_eq!(r.products[0].notes, [Note::AdditionsNotCached]);
    let mut d = data();
    d.agreements.retain(|a| a.id != 1);
    let r = one(
        vec![sub("S1", "active", "month", "USD", &[(BP, 1, "22.00")])],
        &d,
        settings(),
    );
    assert_eq!(r.products[0].notes, [Note::NoFittingAgreement]);
    let mut d = data();
    d.customer_map.clear();
    let r = one(
        vec![sub("S1", "active", "month", "USD", &[(NEW, 1, "1.00")])],
        &d,
        settings(),
    );
    assert_eq!(r.company, None);
    assert_eq!(
        r.products[0].notes,
        [Note::CustomerNotMapped, Note::ProductNotMapped]
    );
}

#[test]
fn a_product_whose_agreement_additions_were_not_read_is_not_compared() {
    // Company 250's monthly USD agreement was never read (mapped a moment ago, offline): it may
    // well bill the product, so nothing is said about what ConnectWise bills.
    let mut d = data();
    d.additions.remove(&1);
    let r = one(
        vec![
            sub("S1", "active", "month", "USD", &[(BP, 3, "22.00")]),
            sub("S2", "cancelled", "month", "USD", &[(EXO, 2, "4.00")]),
        ],
        &d,
        settings(),
    );
    let outcomes: Vec<_> = r.products.iter().map(|p| p.outcome).collect();
    assert_eq!(outcomes, [Outcome::NotRead, Outcome::NotRead], "{r:?}");
    for p in &r.products {
        assert_eq!(p.connectwise_amount, None, "{p:?}");
        assert_eq!(p.effect, None, "{p:?}");
        assert_eq!(p.notes, [Note::AdditionsNotCached]);
        assert_eq!(p.connectwise.agreements.len(), 1);
    }
    assert_eq!(r.products[0].marketplace_amount, dec!(66.00));
    assert_eq!(r.drift_count(), 0);
    assert_eq!(r.not_read_count(), 2);
    assert_eq!(r.totals(), Some(vec![]));
    assert!(!Outcome::NotRead.is_drift());
    assert_eq!(Outcome::parse("notRead"), Some(Outcome::NotRead));
    assert_eq!(Outcome::NotRead.label(), "Not compared yet");
}

#[test]
fn unmapped_products_are_counted_apart_from_drift() {
    let mut d = data();
    d.customer_map.clear();
    let r = one(
        vec![sub(
            "S1",
            "active",
            "month",
            "USD",
            &[(BP, 3, "22.00"), (EXO, 1, "4.00")],
        )],
        &d,
        settings(),
    );
    assert_eq!(r.drift_count(), 0);
    assert_eq!(r.unmapped_count(), 2);
    assert!(!Outcome::Unmapped.is_drift());
    assert!(Outcome::MissingInConnectWise.is_drift());
}

#[test]
fn totals_are_per_period_and_currency() {
    let mut d = data();
    d.additions
        .insert(1, vec![addition(11, 611, "10", "22", None)]);
    d.additions
        .insert(3, vec![addition(12, 612, "5", "4.00", None)]);
    let r = one(
        vec![
            sub("S1", "active", "month", "USD", &[(BP, 14, "22.00")]),
            sub("S2", "active", "month", "EUR", &[(EXO, 5, "4.19")]),
            sub("S3", "active", "year", "USD", &[(APPS, 1, "99.00")]),
            sub("S4", "active", "month", "USD", &[(NEW, 1, "5.00")]),
        ],
        &d,
        settings(),
    );
    let totals: Vec<(String, String, String, String, String)> = r
        .totals()
        .unwrap()
        .into_iter()
        .map(|t| {
            (
                t.period.to_string(),
                t.currency,
                t.connectwise.to_string(),
                t.marketplace.to_string(),
                t.effect.to_string(),
            )
        })
        .collect();
    assert_eq!(
        totals,
        [
            (
                "1 month".into(),
                "EUR".into(),
                "20.00".into(),
                "20.95".into(),
                "0.95".into()
            ),
            (
                "1 month".into(),
                "USD".into(),
                "220.00".into(),
                "308.00".into(),
                "88.00".into()
            ),
            (
                "1 year".into(),
                "USD".into(),
                "0.00".into(),
                "99.00".into(),
                "99.00".into()
            ),
        ]
    );
    // The unmapped product is counted apart, not as drift.
    assert_eq!(r.drift_count(), 3);
    assert_eq!(r.unmapped_count(), 1);
}

#[test]
fn amounts_that_do_not_fit_are_a_problem_not_a_panic() {
    let mut d = data();
    d.additions
        .insert(1, vec![addition(11, 611, "10", "22", None)]);
    let mut s = sub("S1", "active", "month", "USD", &[(BP, 1, "22.00")]);
    s.products[0].quantity = Decimal::MAX;
    s.products[0].prices[0].amount = Decimal::MAX;
    let r = one(vec![s], &d, settings());
    assert!(r.products.is_empty());
    assert_eq!(r.problems.len(), 1, "{:?}", r.problems);
    assert!(
        r.problems[0].contains("could not be compared"),
        "{:?}",
        r.problems
    );
}

#[test]
fn usage_products_are_not_recurring() {
    let s: Subscription = from(json!({
        "id": "S9", "customerId": "C1", "status": "active", "creationDate": "2025-03-01",
        "billingPeriod": {"type": "month", "duration": 1},
        "products": [{"mpn": "AZ-PLAN-USAGE", "name": "Azure plan", "quantity": 1, "includedQuantity": 0,
            "unitPrice": {"amount": "0.0025", "currency": "USD"},
            "prices": [{"type": "overuse", "amount": "0.0025", "currency": "USD"}]}],
    }));
    let r = one(vec![s], &data(), settings());
    assert!(r.products.is_empty());
}

/// The decision alone, from both sides: each outcome and what tips it.
#[test]
fn the_outcome_table() {
    let side =
        |status: SubscriptionState, quantity: Decimal, price: Option<Decimal>| MarketplaceSide {
            subscription_ids: vec!["s".into()],
            product_key: "P".into(),
            product_name: "Product".into(),
            quantity,
            unit_price: price,
            currency: "USD".into(),
            status,
            period: BillingPeriod::MONTHLY,
        };
    let line = |quantity: Decimal, price: Decimal, billable: bool| AdditionLine {
        id: 1,
        agreement_id: 9,
        agreement_name: "A".into(),
        quantity,
        less_included: Decimal::ZERO,
        unit_price: price,
        effective_date: None,
        cancel_date: None,
        billable,
        ending: false,
        written_for: None,
    };
    use Outcome::*;
    use PriceSource::{CloudMarketplace as Mp, ConnectWise as Cw};
    use SubscriptionState::{Active, Cancelled};
    let ten = line(dec!(10), dec!(5), true);
    let ten_cheaper = line(dec!(10), dec!(4), true);
    let twelve = line(dec!(12), dec!(5), true);
    let unbilled = line(dec!(10), dec!(4), false);
    /// A case, the marketplace side, the additions counted, the price source, billed, to bill.
    type Case<'a> = (
        &'a str,
        MarketplaceSide,
        Vec<&'a AdditionLine>,
        PriceSource,
        Decimal,
        Decimal,
        Outcome,
    );
    #[rustfmt::skip]
    let table: Vec<Case> = vec![
        ("ended, nothing billing", side(Cancelled, dec!(10), Some(dec!(5))), vec![], Mp, dec!(0), dec!(0), InSync),
        ("ended, still billing", side(Cancelled, dec!(10), Some(dec!(5))), vec![&ten], Mp, dec!(50), dec!(0), StillBilling),
        ("active, no addition", side(Active, dec!(10), Some(dec!(5))), vec![], Mp, dec!(0), dec!(50), MissingInConnectWise),
        ("the same", side(Active, dec!(10), Some(dec!(5))), vec![&ten], Mp, dec!(50), dec!(50), InSync),
        ("other quantity", side(Active, dec!(10), Some(dec!(5))), vec![&twelve], Mp, dec!(60), dec!(50), QuantityDiffers),
        ("other price", side(Active, dec!(10), Some(dec!(5))), vec![&ten_cheaper], Mp, dec!(40), dec!(50), PriceDiffers),
        ("other price, ConnectWise's prices", side(Active, dec!(10), Some(dec!(5))), vec![&ten_cheaper], Cw, dec!(40), dec!(40), InSync),
        ("several prices, same amount", side(Active, dec!(10), None), vec![&ten], Mp, dec!(50), dec!(50), InSync),
        ("several prices, other amount", side(Active, dec!(10), None), vec![&ten], Mp, dec!(50), dec!(52), PriceDiffers),
        ("several prices, not billed", side(Active, dec!(10), None), vec![&unbilled], Mp, dec!(0), dec!(0), InSync),
        ("two additions", side(Active, dec!(10), Some(dec!(5))), vec![&ten, &ten], Mp, dec!(100), dec!(50), Duplicate),
    ];
    for (case, m, counted, source, billed, should, expected) in table {
        assert_eq!(
            outcome(&m, &counted, source, billed, should),
            expected,
            "{case}"
        );
    }
}
