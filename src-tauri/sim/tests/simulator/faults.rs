use std::time::{Duration, Instant};

use agreement_sync_sim::{FaultKind, FaultRule, NewShape, Reshape};
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::common::*;

#[tokio::test]
async fn server_errors_use_each_api_error_shape() {
    let sim = sim().await;
    let mp = Mp::login(&sim).await;
    let cw = Cw::new(&sim);
    sim.set_faults(vec![
        FaultRule::new("/orders", FaultKind::ServerError),
        FaultRule::new("/finance/agreements", FaultKind::ServerError),
    ]);
    let r = mp.get("orders").await;
    assert_eq!(r.status, StatusCode::INTERNAL_SERVER_ERROR);
    let body = r.json();
    assert_eq!(keys(&body), keys(&fixture("marketplace/error_401.json")));
    assert_eq!(body["status"], 500);
    assert_eq!(
        body["correlationId"].as_str(),
        r.header("x-correlation-id").as_deref()
    );

    let r = cw.get("finance/agreements").await;
    assert_eq!(r.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(
        keys(&r.json()),
        keys(&fixture("connectwise/error_401.json"))
    );

    // Other paths are unaffected; clearing the rules ends the fault.
    assert_eq!(mp.get("customers/1000048531").await.status, StatusCode::OK);
    sim.set_faults(Vec::new());
    assert_eq!(mp.get("orders").await.status, StatusCode::OK);
}

#[tokio::test]
async fn too_many_requests_carry_retry_after_and_rules_run_out() {
    let sim = sim().await;
    let cw = Cw::new(&sim);
    sim.set_faults(vec![FaultRule::new(
        "/company/companies",
        FaultKind::TooManyRequests {
            retry_after_secs: 7,
        },
    )
    .times(2)]);
    for _ in 0..2 {
        let r = cw.get("company/companies").await;
        assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(r.header("retry-after").as_deref(), Some("7"));
        assert_eq!(r.json()["code"], "TooManyRequests");
    }
    assert_eq!(cw.get("company/companies").await.status, StatusCode::OK);
}

#[tokio::test]
async fn method_filter_limits_a_rule() {
    let sim = sim().await;
    let cw = Cw::new(&sim);
    sim.set_faults(vec![
        FaultRule::new("/additions", FaultKind::ServerError).method("POST")
    ]);
    assert_eq!(
        cw.get("finance/agreements/4127/additions").await.status,
        StatusCode::OK
    );
    sim.set_faults(vec![
        FaultRule::new("/additions", FaultKind::ServerError).method("get")
    ]);
    assert_eq!(
        cw.get("finance/agreements/4127/additions").await.status,
        StatusCode::INTERNAL_SERVER_ERROR
    );
}

#[tokio::test]
async fn dropped_connections_give_no_response() {
    let sim = sim().await;
    sim.set_faults(vec![FaultRule::new(
        "/finance/currencies",
        FaultKind::DropConnection,
    )
    .times(1)]);
    let cw = Cw::new(&sim);
    let err = cw
        .request(&format!("{}finance/currencies", cw.base))
        .send()
        .await
        .expect_err("no response");
    assert!(!err.is_timeout(), "{err}");
    assert!(err.status().is_none());
    let seen = sim.requests();
    let last = seen.last().expect("recorded");
    assert_eq!(last.path, "/v4_6_release/apis/3.0/finance/currencies");
    assert_eq!(last.status, 0, "no status was sent");
    // The server is fine afterwards.
    assert_eq!(
        Cw::new(&sim).get("finance/currencies").await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn malformed_bodies_are_200_with_truncated_json() {
    let sim = sim().await;
    let mp = Mp::login(&sim).await;
    sim.set_faults(vec![FaultRule::new(
        "/subscriptions/",
        FaultKind::MalformedBody,
    )]);
    let r = mp.get("subscriptions/1000517").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.text.starts_with('{'));
    assert!(
        serde_json::from_str::<serde_json::Value>(&r.text).is_err(),
        "{}",
        r.text
    );
    let full = fixture("marketplace/subscription.json").to_string();
    assert!(r.text.len() < full.len());
}

#[tokio::test]
async fn timeouts_hold_the_request() {
    let sim = sim().await;
    sim.set_faults(vec![FaultRule::new(
        "/company/companies",
        FaultKind::Timeout,
    )
    .times(1)]);
    let cw = Cw::new(&sim);
    let started = Instant::now();
    let err = cw
        .request(&format!("{}company/companies", cw.base))
        .timeout(Duration::from_millis(400))
        .send()
        .await
        .expect_err("times out");
    assert!(err.is_timeout(), "{err}");
    assert!(started.elapsed() >= Duration::from_millis(400));
    assert_eq!(cw.get("company/companies").await.status, StatusCode::OK);
}

#[tokio::test]
async fn latency_is_added_to_every_response() {
    let sim = sim_with(|c| c.latency = Duration::from_millis(400)).await;
    let cw = Cw::new(&sim);
    let t = Instant::now();
    assert_eq!(cw.get("finance/currencies").await.status, StatusCode::OK);
    assert!(t.elapsed() >= Duration::from_millis(400));
    sim.set_latency(Duration::ZERO);
    let t = Instant::now();
    assert_eq!(cw.get("finance/currencies").await.status, StatusCode::OK);
    assert!(t.elapsed() < Duration::from_millis(400));
}

#[tokio::test]
async fn requests_are_recorded_with_their_status() {
    let sim = sim().await;
    let mp = Mp::login(&sim).await;
    let cw = Cw::new(&sim);
    sim.clear_requests();
    mp.get("orders?limit=2&offset=0").await;
    cw.get_with("company/companies", &[("conditions", "id=250")])
        .await;
    reply(client().get(format!("{}company/companies", sim.connectwise_base_url()))).await;
    let seen = sim.requests();
    assert_eq!(seen.len(), 3);
    assert_eq!(seen[0].method, "GET");
    assert_eq!(seen[0].path, "/marketplace/us/orders");
    assert_eq!(seen[0].query, "limit=2&offset=0");
    assert_eq!(seen[0].status, 200);
    assert_eq!(seen[1].query, "conditions=id%3D250");
    assert_eq!(seen[2].status, 401);
    sim.clear_requests();
    assert!(sim.requests().is_empty());
}

#[tokio::test]
async fn control_endpoints_work_over_http() {
    let sim = sim().await;
    let origin = format!("http://{}", sim.addr());
    let c = client();
    let mp = Mp::login(&sim).await;

    let r = reply(c.post(format!("{origin}/_sim/faults")).json(&json!([
        {"method": "GET", "pathContains": "/customers/", "kind": "tooManyRequests", "retryAfterSecs": 3, "remaining": 1}
    ])))
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let limited = mp.get("customers/1000048531").await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(limited.header("retry-after").as_deref(), Some("3"));
    assert_eq!(mp.get("customers/1000048531").await.status, StatusCode::OK);
    let r = reply(
        c.post(format!("{origin}/_sim/faults"))
            .json(&json!([{"pathContains": "/x", "kind": "explode"}])),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);

    let r = reply(c.post(format!("{origin}/_sim/orders")).json(&json!({
        "customerId": "1000048531", "type": "change", "status": "completed", "creationDate": "2026-11-23T09:30:00Z"
    })))
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let id = r.json()["id"].as_str().expect("id").to_string();
    let newest = mp.get("orders?limit=1").await.json();
    assert_eq!(newest["data"][0]["id"], id.as_str());
    assert_eq!(newest["data"][0]["creationDate"], "2026-11-23 09:30:00");

    let r = reply(c.get(format!("{origin}/_sim/requests"))).await;
    let log = r.json();
    let log = log.as_array().expect("array");
    assert!(log
        .iter()
        .any(|e| e["path"] == "/marketplace/us/orders" && e["status"] == 200));
    assert!(log
        .iter()
        .all(|e| !e["path"].as_str().unwrap_or("").starts_with("/_sim")));

    let r = reply(c.post(format!("{origin}/_sim/expire-tokens"))).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert_eq!(mp.get("orders").await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_web_page_fault_answers_200_with_html() {
    let sim = sim().await;
    let cw = Cw::new(&sim);
    sim.set_faults(vec![FaultRule::new(
        "/company/companies",
        FaultKind::WebPage,
    )]);
    let r = cw.get("company/companies").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.header("content-type")
            .is_some_and(|t| t.starts_with("text/html")),
        "{:?}",
        r.header("content-type")
    );
    assert!(r.text.starts_with("<!DOCTYPE html>"), "{}", r.text);
    assert_eq!(cw.get("finance/currencies").await.status, StatusCode::OK);
}

#[tokio::test]
async fn reshape_sends_a_field_in_another_shape_in_every_record_or_one() {
    let sim = sim().await;
    let cw = Cw::new(&sim);
    let mp = Mp::login(&sim).await;

    // ConnectWise's agreement form of a currency code: the bare name.
    sim.set_faults(vec![FaultRule::new(
        "/finance/currencies",
        FaultKind::Reshape(Reshape::new("currencyCode", NewShape::NameOnly)),
    )]);
    let currencies = cw.get("finance/currencies").await.json();
    let codes: Vec<&Value> = currencies
        .as_array()
        .expect("a list")
        .iter()
        .map(|c| &c["currencyCode"])
        .collect();
    assert_eq!(codes, [&json!("USD"), &json!("EUR"), &json!("JPY")]);
    // Everything else is as usual.
    assert_eq!(currencies[0]["numberOfDecimals"], 2);

    // One record of a list, a nested field, numbers as text.
    sim.set_faults(vec![
        FaultRule::new(
            "/company/companies",
            FaultKind::Reshape(
                Reshape::new("identifier", NewShape::Value(json!({"x": 1}))).record(1),
            ),
        ),
        FaultRule::new(
            "/finance/agreements/4127",
            FaultKind::Reshape(Reshape::new("company.id", NewShape::Text)),
        ),
        FaultRule::new(
            "/orders",
            FaultKind::Reshape(Reshape::new("customerId", NewShape::Value(json!(null))).record(0)),
        ),
    ]);
    let companies = cw.get("company/companies").await.json();
    assert!(companies[0]["identifier"].is_string());
    assert_eq!(companies[1]["identifier"], json!({"x": 1}));
    assert!(companies[2]["identifier"].is_string());
    assert_eq!(
        cw.get("finance/agreements/4127").await.json()["company"]["id"],
        "250"
    );
    let page = mp.get("orders?limit=3").await.json();
    assert_eq!(page["data"][0]["customerId"], Value::Null);
    assert!(page["data"][1]["customerId"].is_string());
    assert_eq!(page["pagination"]["limit"], 3);
}

#[tokio::test]
async fn the_control_endpoint_takes_web_pages_and_reshapes() {
    let sim = sim().await;
    let origin = format!("http://{}", sim.addr());
    let c = client();
    let cw = Cw::new(&sim);
    let r = reply(c.post(format!("{origin}/_sim/faults")).json(&json!([
        {"pathContains": "/finance/currencies", "kind": "reshape", "field": "currencyCode", "to": "nameOnly"},
        {"pathContains": "/finance/billingCycles", "kind": "reshape", "field": "id", "to": "value", "value": "one", "record": 0},
        {"pathContains": "/procurement/catalog", "kind": "webPage"}
    ])))
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(
        cw.get("finance/currencies").await.json()[1]["currencyCode"],
        "EUR"
    );
    let cycles = cw.get("finance/billingCycles").await.json();
    assert_eq!(cycles[0]["id"], "one");
    assert!(cycles[1]["id"].is_number());
    assert!(cw.get("procurement/catalog").await.text.contains("<html"));

    for bad in [
        json!([{"pathContains": "/x", "kind": "reshape"}]),
        json!([{"pathContains": "/x", "kind": "reshape", "field": "id", "to": "sideways"}]),
        json!([{"pathContains": "/x", "kind": "reshape", "field": "id", "to": "value"}]),
    ] {
        let r = reply(c.post(format!("{origin}/_sim/faults")).json(&bad)).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{bad}: {}", r.text);
    }
}
