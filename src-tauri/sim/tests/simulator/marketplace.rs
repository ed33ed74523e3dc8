use std::collections::HashSet;
use std::time::Duration;

use agreement_sync_sim::OrderListing;
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::common::*;

#[tokio::test]
async fn token_with_the_demo_credentials_has_the_fixture_shape() {
    let sim = sim().await;
    let r = reply(
        client()
            .post(format!("{}token", sim.marketplace_base_url()))
            .header("Authorization", basic("demo", "demo-password"))
            .header("X-Subscription-Key", "demo-subscription-key"),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    let body = r.json();
    assert_eq!(keys(&body), keys(&fixture("marketplace/token.json")));
    assert_eq!(body["expiresInSeconds"], 3600);
    assert!(body["token"]
        .as_str()
        .is_some_and(|t| t.split('.').count() == 3));
    assert!(r
        .header("x-correlation-id")
        .is_some_and(|c| c.starts_with("a8n-")));
}

async fn assert_marketplace_401(r: &Reply, path: &str) -> Value {
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.text);
    let body = r.json();
    assert_eq!(keys(&body), keys(&fixture("marketplace/error_401.json")));
    assert_eq!(body["status"], 401);
    assert_eq!(body["path"], path);
    assert_eq!(
        body["correlationId"].as_str(),
        r.header("x-correlation-id").as_deref(),
        "the body's correlation id is the header's"
    );
    assert!(body["timeStamp"]
        .as_str()
        .is_some_and(|t| t.ends_with('Z') && t.contains('T')));
    body
}

#[tokio::test]
async fn wrong_password_or_missing_key_get_401_in_the_marketplace_error_shape() {
    let sim = sim().await;
    let url = format!("{}token", sim.marketplace_base_url());
    let r = reply(
        client()
            .post(&url)
            .header("Authorization", basic("demo", "wrong"))
            .header("X-Subscription-Key", "demo-subscription-key"),
    )
    .await;
    let body = assert_marketplace_401(&r, "/marketplace/us/token").await;
    assert!(body["message"]
        .as_str()
        .is_some_and(|m| m.contains("password")));

    let r = reply(
        client()
            .post(&url)
            .header("Authorization", basic("demo", "demo-password")),
    )
    .await;
    let body = assert_marketplace_401(&r, "/marketplace/us/token").await;
    assert!(body["message"]
        .as_str()
        .is_some_and(|m| m.to_lowercase().contains("subscription key")));

    let r = reply(
        client()
            .post(&url)
            .header("Authorization", basic("demo", "demo-password"))
            .header("X-Subscription-Key", "other-key"),
    )
    .await;
    assert_marketplace_401(&r, "/marketplace/us/token").await;
}

#[tokio::test]
async fn calls_need_a_valid_bearer_token_and_the_subscription_key() {
    let sim = sim().await;
    let mp = Mp::login(&sim).await;
    let url = format!("{}orders", mp.base);
    let ok = mp.get("orders").await;
    assert_eq!(ok.status, StatusCode::OK);

    let r = reply(
        client()
            .get(&url)
            .header("X-Subscription-Key", "demo-subscription-key"),
    )
    .await;
    assert_marketplace_401(&r, "/marketplace/us/orders").await;

    let r = reply(client().get(&url).bearer_auth(&mp.token)).await;
    assert_marketplace_401(&r, "/marketplace/us/orders").await;

    let r = reply(
        client()
            .get(&url)
            .bearer_auth("eyJhbGciOiJSUzI1NiJ9.e30.forged")
            .header("X-Subscription-Key", "demo-subscription-key"),
    )
    .await;
    let body = assert_marketplace_401(&r, "/marketplace/us/orders").await;
    assert_eq!(
        body["message"],
        fixture("marketplace/error_401.json")["message"]
    );

    // Other marketplace codes work the same way.
    let r = reply(
        client()
            .get(url.replace("/us/", "/eu/"))
            .bearer_auth(&mp.token)
            .header("X-Subscription-Key", "demo-subscription-key"),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
}

#[tokio::test]
async fn expired_tokens_get_401_and_a_new_token_works() {
    let sim = sim().await;
    let mp = Mp::login(&sim).await;
    assert_eq!(mp.get("customers/1000048531").await.status, StatusCode::OK);
    sim.expire_tokens();
    let r = mp.get("customers/1000048531").await;
    let body = assert_marketplace_401(&r, "/marketplace/us/customers/1000048531").await;
    assert_eq!(body["message"], "Access token is invalid or expired");
    let fresh = Mp::login(&sim).await;
    assert_eq!(
        fresh.get("customers/1000048531").await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn tokens_expire_after_their_lifetime() {
    let sim = sim_with(|c| c.token_ttl = Duration::from_millis(1500)).await;
    let mp = Mp::login(&sim).await;
    assert_eq!(mp.get("orders?limit=1").await.status, StatusCode::OK);
    tokio::time::sleep(Duration::from_millis(1700)).await;
    assert_eq!(
        mp.get("orders?limit=1").await.status,
        StatusCode::UNAUTHORIZED
    );
}

async fn all_orders(mp: &Mp, query: &str, limit: usize) -> (Vec<Value>, u64) {
    let mut out = Vec::new();
    let mut offset = 0;
    let mut total;
    loop {
        let r = mp
            .get(&format!("orders?offset={offset}&limit={limit}{query}"))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let body = r.json();
        total = body["pagination"]["total"].as_u64().expect("total");
        assert_eq!(body["pagination"]["offset"], offset);
        assert_eq!(body["pagination"]["limit"], limit);
        let data = body["data"].as_array().expect("data").clone();
        if data.is_empty() {
            break;
        }
        offset += data.len();
        out.extend(data);
        if offset as u64 >= total {
            break;
        }
    }
    (out, total)
}

#[tokio::test]
async fn order_pages_return_every_order_once_newest_first() {
    let sim = sim_with(|c| c.customers = 30).await;
    let mp = Mp::login(&sim).await;
    let (orders, total) = all_orders(&mp, "", 7).await;
    assert_eq!(orders.len() as u64, total);
    // 23 curated orders (three of them renewals of the customers only reconciled) + 15
    // generated customers × 3.
    assert_eq!(total, 23 + 15 * 3);
    let unique: HashSet<&str> = orders
        .iter()
        .map(|o| o["id"].as_str().expect("id"))
        .collect();
    assert_eq!(unique.len(), orders.len(), "no order twice");
    let dates: Vec<&str> = orders
        .iter()
        .map(|o| o["creationDate"].as_str().expect("date"))
        .collect();
    assert!(dates.windows(2).all(|w| w[0] >= w[1]), "newest first");
    for o in &orders {
        assert_eq!(
            keys(o),
            keys(&fixture("marketplace/orders_page.json")["data"][0])
        );
        let d = o["creationDate"].as_str().expect("date");
        assert!(
            chrono::NaiveDateTime::parse_from_str(d, "%Y-%m-%d %H:%M:%S").is_ok(),
            "{d}"
        );
    }
    let types: HashSet<&str> = orders.iter().filter_map(|o| o["type"].as_str()).collect();
    for t in ["sales", "change", "renewal", "billing", "cancellation"] {
        assert!(types.contains(t), "an order of type {t}");
    }
}

#[tokio::test]
async fn creation_time_range_is_inclusive_and_takes_both_formats() {
    let sim = sim_with(|c| c.customers = 20).await;
    let mp = Mp::login(&sim).await;
    let (all, _) = all_orders(&mp, "", 100).await;
    let expected = all
        .iter()
        .filter(|o| {
            o["creationDate"]
                .as_str()
                .is_some_and(|d| d >= "2026-11-14 00:00:00")
        })
        .count();
    let (iso, total) = all_orders(&mp, "&creationTimeFrom=2026-11-14T00:00:00Z", 10).await;
    assert_eq!(total as usize, expected);
    assert!(expected > 5 && expected < all.len());
    assert!(iso.iter().all(|o| o["creationDate"]
        .as_str()
        .is_some_and(|d| d >= "2026-11-14 00:00:00")));
    let (plain, _) = all_orders(&mp, "&creationTimeFrom=2026-11-14%2000:00:00", 10).await;
    assert_eq!(plain, iso);

    // Both bounds are inclusive, to the second.
    let exact = mp
        .get("orders?creationTimeFrom=2026-11-16T10:04:11Z&creationTimeTo=2026-11-16%2010:04:11")
        .await
        .json();
    assert_eq!(exact["pagination"]["total"], 1);
    assert_eq!(exact["data"][0]["id"], "1000231");

    // Up to the change order, the default world's first page is the fixture's.
    let sim = crate::common::sim().await;
    let mp = Mp::login(&sim).await;
    let page = mp
        .get("orders?limit=3&creationTimeTo=2026-11-16T10:04:11Z")
        .await
        .json();
    let f = fixture("marketplace/orders_page.json");
    assert_eq!(page["data"], f["data"]);
    assert_eq!(page["pagination"]["limit"], 3);
    assert_eq!(page["pagination"]["offset"], 0);
}

#[tokio::test]
async fn bad_parameters_get_400_naming_the_parameter_and_limits_are_clamped() {
    let sim = sim().await;
    let mp = Mp::login(&sim).await;
    for (q, name) in [
        ("creationTimeFrom=yesterday", "creationTimeFrom"),
        ("creationTimeTo=2026-13-45", "creationTimeTo"),
        ("offset=-1", "offset"),
        ("limit=abc", "limit"),
    ] {
        let r = mp.get(&format!("orders?{q}")).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{q}");
        let body = r.json();
        assert_eq!(keys(&body), keys(&fixture("marketplace/error_401.json")));
        assert_eq!(body["status"], 400);
        assert!(
            body["message"].as_str().is_some_and(|m| m.contains(name)),
            "{q}: {body}"
        );
    }
    let body = mp.get("orders").await.json();
    assert_eq!(body["pagination"]["limit"], 25);
    let body = mp.get("orders?limit=500").await.json();
    assert_eq!(body["pagination"]["limit"], 100);
}

#[tokio::test]
async fn orders_filter_by_status_and_customer() {
    let sim = sim().await;
    let mp = Mp::login(&sim).await;
    let body = mp.get("orders?status=processing&limit=100").await.json();
    let ids: Vec<&str> = body["data"]
        .as_array()
        .expect("data")
        .iter()
        .filter_map(|o| o["id"].as_str())
        .collect();
    assert_eq!(ids, vec!["1000229"]);
    let body = mp
        .get("orders?customerId=1000048531&limit=100")
        .await
        .json();
    let ids: Vec<&str> = body["data"]
        .as_array()
        .expect("data")
        .iter()
        .filter_map(|o| o["id"].as_str())
        .collect();
    assert_eq!(ids, vec!["1000231", "1000230", "1000240"]);
}

#[tokio::test]
async fn green_lane_order_subscription_and_customer_match_the_fixtures() {
    let sim = sim().await;
    let mp = Mp::login(&sim).await;
    let r = mp.get("orders/1000231").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json(), fixture("marketplace/order_change.json"));

    let billing = mp.get("orders/1000240").await.json();
    assert_eq!(billing, fixture("marketplace/order_billing.json"));

    let r = mp.get("subscriptions/1000517").await;
    assert_eq!(r.json(), fixture("marketplace/subscription.json"));

    let r = mp.get("customers/1000048531").await;
    assert_eq!(r.json(), fixture("marketplace/customer.json"));
}

#[tokio::test]
async fn usage_subscriptions_carry_included_and_used_quantities() {
    let sim = sim().await;
    let mp = Mp::login(&sim).await;
    let s = mp.get("subscriptions/1000522").await.json();
    assert_shape(&s, &fixture("marketplace/subscription.json"), "1000522");
    assert_eq!(s["billingModel"], "usage");
    let p = &s["products"][0];
    assert_eq!(p["mpn"], "AZ-PLAN-USAGE");
    assert!(p["includedQuantity"].is_number());
    assert!(p["usedQuantity"].is_number());
    assert_eq!(p["unitPrice"]["amount"], "0.0025");
    assert_eq!(p["prices"][0]["type"], "overuse");
    assert_eq!(p["costs"][0]["type"], "overuse");

    let adatum = mp.get("subscriptions/1000540").await.json();
    assert!(adatum["billingStartDate"]
        .as_str()
        .is_some_and(|d| d.ends_with("-31")));
    let fabrikam = mp.get("subscriptions/1000537").await.json();
    assert_eq!(
        fabrikam["billingPeriod"],
        serde_json::json!({"type": "month", "duration": 3})
    );
    let apps = mp.get("subscriptions/1000519").await.json();
    assert_eq!(
        apps["billingPeriod"],
        serde_json::json!({"type": "year", "duration": 1})
    );
    let eur = mp.get("subscriptions/1000536").await.json();
    assert_eq!(eur["totalPrice"]["currency"], "EUR");
    let setup = mp.get("subscriptions/1000544").await.json();
    let prices = setup["products"][0]["prices"].as_array().expect("prices");
    assert!(prices
        .iter()
        .any(|p| p["type"] == "setup" && p["amount"] == "49.00"));

    let cancel = mp.get("orders/1000219").await.json();
    assert_eq!(cancel["type"], "cancellation");
    assert!(cancel["products"]
        .as_array()
        .expect("products")
        .iter()
        .any(|p| p["mpn"] == "CANCELLATION-FEE"));
}

#[tokio::test]
async fn unknown_resources_get_404_in_the_marketplace_error_shape() {
    let sim = sim().await;
    let mp = Mp::login(&sim).await;
    for path in [
        "orders/42",
        "subscriptions/42",
        "customers/42",
        "nothing/here",
    ] {
        let r = mp.get(path).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}");
        let body = r.json();
        assert_eq!(keys(&body), keys(&fixture("marketplace/error_401.json")));
        assert_eq!(body["status"], 404);
        assert_eq!(body["path"], format!("/marketplace/us/{path}"));
    }
}

#[tokio::test]
async fn a_tenant_that_ignores_the_window_lists_every_order_newest_or_oldest_first() {
    let sim = sim_with(|c| c.customers = 20).await;
    let mp = Mp::login(&sim).await;
    let (all, total) = all_orders(&mp, "", 100).await;
    let window = "&creationTimeFrom=2026-11-14T00:00:00Z&creationTimeTo=2026-11-20T00:00:00Z";
    let (filtered, _) = all_orders(&mp, window, 10).await;
    assert!(filtered.len() < all.len());

    sim.set_order_listing(OrderListing::IGNORES_WINDOW_NEWEST_FIRST);
    let (newest, ignored_total) = all_orders(&mp, window, 10).await;
    assert_eq!(ignored_total, total);
    assert_eq!(newest, all);

    sim.set_order_listing(OrderListing::IGNORES_WINDOW_OLDEST_FIRST);
    let (oldest, _) = all_orders(&mp, window, 10).await;
    let mut reversed = all.clone();
    reversed.reverse();
    assert_eq!(oldest, reversed);

    // Over HTTP too, and back to the documented behaviour.
    let origin = format!("http://{}", sim.addr());
    let c = client();
    let r = reply(
        c.post(format!("{origin}/_sim/order-listing"))
            .json(&json!({"window": "honoured", "order": "newestFirst"})),
    )
    .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text);
    assert_eq!(all_orders(&mp, window, 10).await.0, filtered);
    let r = reply(
        c.post(format!("{origin}/_sim/order-listing"))
            .json(&json!({"window": "ignored"})),
    )
    .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text);
    assert_eq!(all_orders(&mp, window, 10).await.0, all);
    let r = reply(
        c.post(format!("{origin}/_sim/order-listing"))
            .json(&json!({"order": "sideways"})),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn an_order_can_be_dated_in_the_future() {
    let sim = sim().await;
    let mp = Mp::login(&sim).await;
    let far = chrono::NaiveDate::from_ymd_opt(9999, 12, 31)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .expect("date")
        .and_utc();
    let id = sim.create_order("1000048531", "change", "completed", far);
    let newest = mp.get("orders?limit=1").await.json();
    assert_eq!(newest["data"][0]["id"], id.as_str());
    assert_eq!(newest["data"][0]["creationDate"], "9999-12-31 00:00:00");
    let order = mp.get(&format!("orders/{id}")).await;
    assert_eq!(order.status, StatusCode::OK, "{}", order.text);
    let sub = order.json()["products"][0]["subscriptionId"]
        .as_str()
        .expect("subscription")
        .to_string();
    assert_eq!(
        mp.get(&format!("subscriptions/{sub}")).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn subscriptions_list_pages_and_filters_by_customer_and_status() {
    let sim = sim().await;
    let mp = Mp::login(&sim).await;
    let green = mp
        .get("subscriptions?customerId=1000048531&offset=0&limit=2")
        .await
        .json();
    assert_eq!(
        green["pagination"],
        json!({"offset": 0, "limit": 2, "total": 3})
    );
    let ids: Vec<&str> = green["data"]
        .as_array()
        .expect("data")
        .iter()
        .filter_map(|s| s["id"].as_str())
        .collect();
    assert_eq!(ids, ["1000517", "1000519"]);
    // Each record as `/subscriptions/{id}` has it.
    assert_eq!(
        green["data"][0],
        mp.get("subscriptions/1000517").await.json()
    );
    let rest = mp
        .get("subscriptions?customerId=1000048531&offset=2&limit=2")
        .await
        .json();
    assert_eq!(rest["data"][0]["id"], "1000522");

    let cancelled = mp
        .get("subscriptions?customerId=1000048920&status=cancelled")
        .await
        .json();
    assert_eq!(cancelled["pagination"]["total"], 1);
    assert_eq!(cancelled["data"][0]["id"], "1000567");
    let both = mp
        .get("subscriptions?customerId=1000048920&status=active,cancelled")
        .await
        .json();
    assert_eq!(both["pagination"]["total"], 2);

    let all = mp.get("subscriptions?limit=100").await.json();
    assert_eq!(all["pagination"]["limit"], 100);
    assert!(all["pagination"]["total"].as_u64().unwrap_or(0) > 20);

    let bad = mp.get("subscriptions?limit=0").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(bad.json()["status"], 400);
}

#[tokio::test]
async fn subscriptions_list_needs_the_token_and_answers_429_like_the_others() {
    let sim = sim().await;
    let r = reply(
        client()
            .get(format!("{}subscriptions", sim.marketplace_base_url()))
            .header("X-Subscription-Key", "demo-subscription-key"),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert!(r.json()["correlationId"].is_string());
    let mp = Mp::login(&sim).await;
    sim.set_faults(vec![agreement_sync_sim::FaultRule::new(
        "/subscriptions",
        agreement_sync_sim::FaultKind::TooManyRequests {
            retry_after_secs: 1,
        },
    )
    .times(1)]);
    let busy = mp.get("subscriptions?customerId=1000048531").await;
    assert_eq!(busy.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(busy.header("retry-after").as_deref(), Some("1"));
    assert_eq!(busy.json()["status"], 429);
    let ok = mp.get("subscriptions?customerId=1000048531").await;
    assert_eq!(ok.status, StatusCode::OK);
}
