//! Benchmarks of Reconcile (SPEC §13): comparing 2,000 customers / 10,000 subscriptions from the
//! cache (loading, comparing, keeping the results, and the book), and reading every customer's
//! subscriptions from the simulator at 50 ms a request against the lower bound of its requests
//! at the client's concurrency ceiling. Prints figures, targets and ratios; never fails on time.
//! Run with `make bench`.

#[path = "../tests/support/mod.rs"]
mod support;

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use agreement_sync_core::connectwise::wire::{
    Addition, Agreement, BillingCycle, CatalogItem, Company, Currency,
};
use agreement_sync_core::marketplace::wire::Subscription;
use agreement_sync_core::plan::PriceSource;
use agreement_sync_core::reconcile::present::BookQuery;
use agreement_sync_core::reconcile::{run, Settings};
use agreement_sync_core::store::{connectwise as cw_store, mappings, reconcile as store, Store};
use serde_json::json;

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    compare_from_cache(2_000, 5);
    rt.block_on(read_subscriptions(2_000, Duration::from_millis(50)));
}

fn line(what: &str, figure: Duration, target: Duration) {
    println!(
        "{what}: {:.0} ms (target ≤ {:.0} ms, ratio {:.2})",
        figure.as_secs_f64() * 1000.0,
        target.as_secs_f64() * 1000.0,
        figure.as_secs_f64() / target.as_secs_f64()
    );
}

fn from<T: serde::de::DeserializeOwned>(v: serde_json::Value) -> T {
    serde_json::from_value(v).unwrap()
}

/// The products a customer's subscriptions hold: (MPN, catalog item, USD price).
const PRODUCTS: [(&str, i64, &str); 6] = [
    ("CFQ7TTC0LCHC:0002_P1M", 611, "22.00"),
    ("CFQ7TTC0LH16:0001_P1M", 612, "4.00"),
    ("CFQ7TTC0LH18:0001_P1M", 615, "6.00"),
    ("CFQ7TTC0LDPB:0001_P1M", 616, "12.50"),
    ("CFQ7TTC0LHSF:0001_P1M", 617, "3.00"),
    ("ACR-CP-WS:BASE", 619, "7.95"),
];

/// A cache of `customers` mapped customers with `per` monthly subscriptions each (one product
/// each), an agreement each with an addition per subscription — two in five of them drifting
/// (missing, or another quantity), a cancelled one in fifty still billed — the catalog items,
/// and the billing cycles and currencies of the fixtures.
fn cache(customers: usize, per: usize) -> Store {
    let store = Store::open_in_memory().unwrap();
    let at = "2026-11-24T11:00:00Z";
    store
        .with(|c| {
            let tx = c.transaction()?;
            let catalog: Vec<CatalogItem> = PRODUCTS
                .iter()
                .map(|(mpn, item, price)| {
                    from(json!({"id": item, "identifier": format!("I{item}"), "description": mpn, "price": price}))
                })
                .collect();
            let cycles: Vec<BillingCycle> = serde_json::from_str(include_str!(
                "../tests/fixtures/connectwise/billing_cycles.json"
            ))
            .unwrap();
            let currencies: Vec<Currency> = serde_json::from_str(include_str!(
                "../tests/fixtures/connectwise/currencies.json"
            ))
            .unwrap();
            cw_store::replace_catalog(&tx, &catalog, at)?;
            cw_store::replace_billing_cycles(&tx, &cycles, at)?;
            cw_store::replace_currencies(&tx, &currencies, at)?;
            let mut companies: Vec<Company> = Vec::new();
            let mut agreements: Vec<Agreement> = Vec::new();
            for (mpn, item, _) in PRODUCTS {
                mappings::set_product(&tx, mpn, item, at)?;
            }
            for i in 0..customers {
                let customer = format!("{}", 2_000_000_000 + i);
                let company = 1000 + i as i64;
                let currency = if i % 8 == 0 { "EUR" } else { "USD" };
                companies.push(from(json!({"id": company, "identifier": format!("C{i}"), "name": format!("Customer {i}")})));
                agreements.push(from(json!({
                    "id": 10_000 + i, "name": format!("Customer {i} - Cloud"),
                    "company": {"id": company}, "agreementStatus": "Active",
                    "startDate": "2024-01-01T00:00:00Z", "billingCycle": {"id": 1, "name": "Monthly"},
                    "billAmount": 0, "currency": {"id": 7, "currencyIdentifier": currency},
                })));
                mappings::set_company(&tx, &customer, company, at)?;
                let mut subs: Vec<Subscription> = Vec::new();
                let mut additions: Vec<Addition> = Vec::new();
                for k in 0..per {
                    let (mpn, item, price) = PRODUCTS[(i + k) % PRODUCTS.len()];
                    let quantity = 1 + (i + 3 * k) % 40;
                    subs.push(from(json!({
                        "id": format!("{}", 10_000_000 + i * per + k), "customerId": customer,
                        "status": if k == 4 && i % 10 == 0 { "cancelled" } else { "active" },
                        "creationDate": "2025-03-01", "billingStartDate": "2025-03-01",
                        "billingPeriod": {"type": "month", "duration": 1},
                        "totalPrice": {"amount": "0", "currency": currency},
                        "products": [{"mpn": mpn, "name": mpn, "quantity": quantity,
                            "unitPrice": {"amount": price, "currency": currency},
                            "prices": [{"type": "recurring", "amount": price, "currency": currency}]}],
                    })));
                    if (i + k) % 5 != 1 {
                        let billed = if (i + k) % 5 == 2 { quantity + 2 } else { quantity };
                        additions.push(from(json!({
                            "id": 1_000_000 + i * per + k, "product": {"id": item},
                            "billCustomer": "Billable", "quantity": billed, "unitPrice": price,
                            "effectiveDate": "2025-03-01T00:00:00Z", "agreementStatus": "Active",
                        })));
                    }
                }
                cw_store::replace_additions(&tx, 10_000 + i as i64, &additions, at)?;
                store::put_subscriptions(&tx, &customer, &format!("Customer {i}"), &subs, &[], at)?;
            }
            cw_store::replace_companies(&tx, &companies, at)?;
            cw_store::replace_agreements(&tx, &agreements, at)?;
            tx.commit()?;
            Ok(())
        })
        .unwrap();
    store
}

fn compare_from_cache(customers: usize, per: usize) {
    let store = cache(customers, per);
    let settings = Settings {
        today: support::today(),
        price_source: PriceSource::CloudMarketplace,
    };
    let now = "2026-11-24T12:00:00Z";
    let t = Instant::now();
    let results = store
        .with(|c| run::compare_cached(c, settings, now))
        .unwrap();
    let compared = t.elapsed();
    let t = Instant::now();
    let book = store
        .with(|c| run::book(c, &BookQuery::default(), now))
        .unwrap();
    let shown = t.elapsed();
    let products: usize = results.iter().map(|r| r.products.len()).sum();
    let drift: u32 = results.iter().map(|r| r.drift_count()).sum();
    println!(
        "reconcile from the cache: {} customers, {} subscriptions, {products} products compared, {drift} drifting; {} rows in the book",
        results.len(),
        customers * per,
        book.rows.len()
    );
    line(
        "reconcile (load, compare, keep the results)",
        compared,
        Duration::from_secs(1),
    );
    line("the book from the cache", shown, Duration::from_secs(1));
}

async fn read_subscriptions(customers: usize, latency: Duration) {
    let sim = support::sim_with(customers).await;
    // The customers, as the app would know them, read before the latency is set.
    let lister = support::marketplace(&sim);
    let mut ids = BTreeSet::new();
    let mut offset = 0;
    loop {
        let page = lister
            .subscriptions_page(None, None, offset, 100)
            .await
            .unwrap();
        ids.extend(page.subscriptions.rows.into_iter().map(|s| s.customer_id));
        offset += page.listed;
        if page.listed == 0 || offset >= page.pagination.total {
            break;
        }
    }
    let ids: Vec<String> = ids.into_iter().collect();
    sim.set_latency(latency);
    sim.clear_requests();
    // A client as the session has one: its limiter learns from answers at this latency.
    let client = support::marketplace(&sim);
    let t = Instant::now();
    let read = client.subscriptions_of(&ids, &|_, _| {}).await.unwrap();
    let took = t.elapsed();
    let requests = sim
        .requests()
        .iter()
        .filter(|r| r.path.ends_with("/subscriptions"))
        .count();
    let subscriptions: usize = read.iter().map(|(_, l)| l.rows.len()).sum();
    let ceiling = client.limiter().ceiling();
    let bound = latency.mul_f64(requests as f64 / ceiling as f64);
    println!(
        "reading subscriptions: {} customers, {subscriptions} subscriptions, {requests} requests at {} ms, concurrency up to {ceiling} (peak {}): {:.2} s; lower bound {:.2} s; ratio {:.2} (target ≤ 1.5)",
        ids.len(),
        latency.as_millis(),
        client.limiter().peak(),
        took.as_secs_f64(),
        bound.as_secs_f64(),
        took.as_secs_f64() / bound.as_secs_f64()
    );
    sim.shutdown();
}
