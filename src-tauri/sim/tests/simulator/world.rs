use std::time::{Duration, Instant};

use chrono::TimeZone;
use reqwest::StatusCode;
use serde_json::Value;

use crate::common::*;

async fn snapshot(sim: &agreement_sync_sim::SimHandle) -> Vec<Value> {
    let mp = Mp::login(sim).await;
    let cw = Cw::new(sim);
    let mut out = Vec::new();
    let mut offset = 0;
    loop {
        let page = mp
            .get(&format!("orders?limit=100&offset={offset}"))
            .await
            .json();
        let data = page["data"].as_array().expect("data").clone();
        if data.is_empty() {
            break;
        }
        offset += data.len();
        for o in &data {
            let id = o["id"].as_str().expect("id");
            let detail = mp.get(&format!("orders/{id}")).await.json();
            let sub = detail["products"][0]["subscriptionId"]
                .as_str()
                .map(str::to_string);
            out.push(detail);
            if let Some(s) = sub {
                out.push(mp.get(&format!("subscriptions/{s}")).await.json());
            }
        }
    }
    for path in [
        "company/companies",
        "finance/agreements",
        "procurement/catalog",
    ] {
        out.push(cw.get_with(path, &[("pageSize", "1000")]).await.json());
    }
    // Links name the server's own port; the rest must be identical.
    let origin = format!("http://{}", sim.addr());
    out.into_iter()
        .map(|v| serde_json::from_str(&v.to_string().replace(&origin, "ORIGIN")).expect("json"))
        .collect()
}

fn first_difference(a: &[Value], b: &[Value]) -> Option<String> {
    if a.len() != b.len() {
        return Some(format!("{} vs {} resources", a.len(), b.len()));
    }
    a.iter()
        .zip(b)
        .position(|(x, y)| x != y)
        .map(|i| format!("resource {i}: {} vs {}", a[i], b[i]))
}

#[tokio::test]
async fn the_same_config_gives_the_same_world() {
    let a = sim_with(|c| c.customers = 25).await;
    let b = sim_with(|c| c.customers = 25).await;
    let (sa, sb) = (snapshot(&a).await, snapshot(&b).await);
    assert!(sa.len() > 100);
    assert_eq!(first_difference(&sa, &sb), None);
    let c = sim_with(|c| {
        c.customers = 25;
        c.seed = 7;
    })
    .await;
    assert!(
        first_difference(&snapshot(&c).await, &sa).is_some(),
        "another seed, another generated part"
    );
    // The curated part does not depend on the seed.
    let mp = Mp::login(&c).await;
    assert_eq!(
        mp.get("orders/1000231").await.json(),
        fixture("marketplace/order_change.json")
    );
}

#[tokio::test]
async fn generated_customers_have_companies_agreements_subscriptions_and_orders() {
    let sim = sim_with(|c| c.customers = 17).await;
    let mp = Mp::login(&sim).await;
    let cw = Cw::new(&sim);
    let orders = mp
        .get("orders?customerId=2000000001&limit=100")
        .await
        .json();
    let data = orders["data"].as_array().expect("data");
    assert_eq!(data.len(), 3);
    let customer = mp.get("customers/2000000001").await.json();
    assert_shape(&customer, &fixture("marketplace/customer.json"), "customer");
    assert_eq!(customer["id"].as_str().map(str::len), Some(10));
    let company = cw.get("company/companies/1001").await.json();
    assert!(company["name"].as_str().is_some_and(|n| !n.is_empty()));
    let agreement = cw.get("finance/agreements/10001").await.json();
    assert_eq!(agreement["company"]["id"], 1001);
    let additions = cw.get("finance/agreements/10001/additions").await.json();
    assert!(!additions.as_array().expect("array").is_empty());
    for o in data {
        let detail = mp
            .get(&format!("orders/{}", o["id"].as_str().expect("id")))
            .await
            .json();
        for p in detail["products"].as_array().expect("products") {
            let sub = mp
                .get(&format!(
                    "subscriptions/{}",
                    p["subscriptionId"].as_str().expect("sub")
                ))
                .await;
            assert_eq!(sub.status, StatusCode::OK);
            assert_eq!(sub.json()["customerId"], "2000000001");
        }
    }
}

#[tokio::test]
async fn a_5000_customer_world_starts_fast() {
    let t = Instant::now();
    let sim = sim_with(|c| c.customers = 5000).await;
    let took = t.elapsed();
    assert!(took < Duration::from_secs(5), "took {took:?}");
    let mp = Mp::login(&sim).await;
    let page = mp.get("orders?limit=100").await.json();
    assert_eq!(page["pagination"]["total"], 23 + 4985 * 3);
    let cw = Cw::new(&sim);
    // pageSize above 1000 is clamped to 1000.
    let r = cw
        .get_with("company/companies", &[("pageSize", "5000")])
        .await;
    assert_eq!(r.json().as_array().map(Vec::len), Some(1000));
    let n = cw.get("company/companies/count").await.json()["count"].as_u64();
    assert_eq!(n, Some(5000 + 5));
}

#[tokio::test]
async fn handle_creates_orders_and_changes_their_status() {
    let sim = sim().await;
    let mp = Mp::login(&sim).await;
    let created = chrono::Utc
        .with_ymd_and_hms(2026, 11, 23, 8, 0, 0)
        .single()
        .expect("time");
    let id = sim.create_order("1000048531", "change", "processing", created);
    let o = mp.get(&format!("orders/{id}")).await.json();
    assert_eq!(o["type"], "change");
    assert_eq!(o["status"], "processing");
    assert_eq!(o["creationDate"], "2026-11-23 08:00:00");
    assert_eq!(o["products"][0]["subscriptionId"], "1000517");
    assert_eq!(o["products"][0]["mpn"], "CFQ7TTC0LCHC:0002_P1M");
    assert_eq!(o["products"][0]["quantity"], 1);
    sim.set_order_status(&id, "completed");
    assert_eq!(
        mp.get(&format!("orders/{id}")).await.json()["status"],
        "completed"
    );

    let sales = sim.create_order("1000048876", "sales", "completed", created);
    let o = mp.get(&format!("orders/{sales}")).await.json();
    let sub = o["products"][0]["subscriptionId"]
        .as_str()
        .expect("sub")
        .to_string();
    let s = mp.get(&format!("subscriptions/{sub}")).await.json();
    assert_eq!(s["customerId"], "1000048876");
    assert_eq!(s["creationDate"], "2026-11-23");

    let billing = sim.create_order("1000048531", "billing", "completed", created);
    let o = mp.get(&format!("orders/{billing}")).await.json();
    assert_eq!(o["products"][0]["subscriptionId"], "1000522");

    let cancel = sim.create_order("1000048790", "cancellation", "completed", created);
    let o = mp.get(&format!("orders/{cancel}")).await.json();
    let sub = o["products"][0]["subscriptionId"]
        .as_str()
        .expect("sub")
        .to_string();
    assert!(o["products"][0]["quantity"]
        .as_f64()
        .is_some_and(|q| q < 0.0));
    assert_eq!(
        mp.get(&format!("subscriptions/{sub}")).await.json()["status"],
        "cancelled"
    );
}

#[tokio::test]
async fn shutdown_stops_the_server() {
    let sim = sim().await;
    let cw = Cw::new(&sim);
    assert_eq!(cw.get("finance/currencies").await.status, StatusCode::OK);
    sim.shutdown();
    let mut refused = false;
    for _ in 0..50 {
        let fresh = client();
        if fresh
            .get(format!("{}finance/currencies", sim.connectwise_base_url()))
            .send()
            .await
            .is_err()
        {
            refused = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(refused, "connections are refused after shutdown");
}
