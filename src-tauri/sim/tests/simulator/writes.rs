//! The ConnectWise write side: POST and PATCH of agreement additions, their validation, and
//! faults that strike before or after a write is applied.

use std::time::Duration;

use agreement_sync_sim::{FaultKind, FaultRule, SimHandle};
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::common::*;

const ADDITIONS: &str = "finance/agreements/4127/additions";

fn new_addition() -> Value {
    json!({
        "product": {"id": 615, "identifier": "M365-BB"},
        "billCustomer": "Billable",
        "quantity": 5,
        "lessIncluded": 0,
        "unitPrice": 6.25,
        "unitCost": 5.1,
        "effectiveDate": "2026-11-16T00:00:00Z",
        "taxableFlag": false,
        "invoiceDescription": "Microsoft 365 Business Basic (Nov 16 - Nov 30)",
        "description": "Microsoft 365 Business Basic",
        "serialNumber": "SUB-1000519",
    })
}

fn with(mut body: Value, key: &str, value: Value) -> Value {
    body[key] = value;
    body
}

fn without(mut body: Value, key: &str) -> Value {
    if let Some(o) = body.as_object_mut() {
        o.remove(key);
    }
    body
}

fn ids_of(sim: &SimHandle, agreement: u64) -> Vec<u64> {
    sim.additions_of(agreement)
        .iter()
        .map(|a| a["id"].as_u64().expect("id"))
        .collect()
}

/// A 400 in ConnectWise's `InvalidObject` shape; returns the fields its errors name.
fn invalid_fields(r: &Reply) -> Vec<String> {
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
    let body = r.json();
    assert_eq!(keys(&body), keys(&fixture("connectwise/error_400.json")));
    assert_eq!(body["code"], "InvalidObject", "{body}");
    assert_eq!(body["message"], "agreementAddition object is invalid");
    let errors = body["errors"].as_array().expect("errors array");
    assert!(!errors.is_empty());
    for e in errors {
        assert_eq!(
            keys(e),
            keys(&fixture("connectwise/error_400.json")["errors"][0])
        );
        assert_eq!(e["resource"], "agreementAddition");
        assert!(e["message"].as_str().is_some_and(|m| !m.is_empty()), "{e}");
    }
    errors
        .iter()
        .map(|e| e["field"].as_str().expect("field").to_string())
        .collect()
}

#[tokio::test]
async fn post_creates_an_addition_that_reads_back_the_same() {
    let sim = sim().await;
    let cw = Cw::new(&sim);
    let before = sim.additions_of(4127);
    let max_seq = before
        .iter()
        .map(|a| a["sequenceNumber"].as_f64().expect("seq"))
        .fold(0.0, f64::max);

    let r = cw.post(ADDITIONS, &new_addition()).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let created = r.json();
    let id = created["id"].as_u64().expect("id");
    assert!(before.iter().all(|a| a["id"] != id));
    assert_eq!(created["agreementId"], 4127);
    assert_eq!(created["product"]["id"], 615);
    assert_eq!(created["product"]["identifier"], "M365-BB");
    assert_eq!(created["billCustomer"], "Billable");
    assert_eq!(created["quantity"], 5.0);
    assert_eq!(created["unitPrice"], 6.25);
    assert_eq!(created["unitCost"], 5.1);
    assert_eq!(created["extPrice"], 31.25);
    assert_eq!(created["effectiveDate"], "2026-11-16T00:00:00Z");
    assert_eq!(created["cancelledDate"], Value::Null);
    assert_eq!(created["serialNumber"], "SUB-1000519");
    assert_eq!(created["sequenceNumber"], max_seq + 1.0);
    assert_eq!(created["agreementStatus"], "Active");
    assert_eq!(created["_info"]["updatedBy"], "apiuser");
    assert_shape(
        &created,
        &fixture("connectwise/additions.json")[0],
        "created",
    );

    // A GET of it and the list show exactly what the POST answered.
    let one = cw.get(&format!("{ADDITIONS}/{id}")).await;
    assert_eq!(one.status, StatusCode::OK);
    assert_eq!(one.json(), created);
    let list = cw.get(ADDITIONS).await.json();
    let rows = list.as_array().expect("array");
    assert_eq!(rows.len(), before.len() + 1);
    assert_eq!(rows.iter().find(|a| a["id"] == id), Some(&created));
    assert_eq!(sim.additions_of(4127).last(), Some(&created));

    // A second one gets a new id and the next sequence number.
    let r = cw.post(ADDITIONS, &new_addition()).await;
    assert_eq!(r.status, StatusCode::CREATED);
    let second = r.json();
    assert!(second["id"].as_u64().expect("id") > id);
    assert_eq!(second["sequenceNumber"], max_seq + 2.0);
}

#[tokio::test]
async fn post_fills_in_defaults_and_ignores_unknown_fields_and_id() {
    let sim = sim().await;
    let cw = Cw::new(&sim);
    let r = cw
        .post(
            ADDITIONS,
            &json!({
                "id": 1,
                "product": {"identifier": "exo-p1"},
                "billCustomer": "NoCharge",
                "somethingNew": {"x": 1},
                "agreementId": 9999,
            }),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let a = r.json();
    assert_ne!(a["id"], 1);
    assert_eq!(a["agreementId"], 4127);
    assert_eq!(a["product"]["id"], 612);
    assert_eq!(a["quantity"], 1.0);
    assert_eq!(a["lessIncluded"], 0.0);
    assert_eq!(a["unitPrice"], 4.5, "the catalog price");
    assert_eq!(a["taxableFlag"], true, "the catalog's taxable flag");
    assert_eq!(a["description"], "Exchange Online (Plan 1)");
    assert_eq!(a["billCustomer"], "NoCharge");
    assert!(a.get("somethingNew").is_none());
}

#[tokio::test]
async fn each_invalid_field_gets_400_naming_it_and_changes_nothing() {
    let sim = sim().await;
    let cw = Cw::new(&sim);
    let before = sim.additions_of(4127);
    let base = new_addition();
    let cases: Vec<(&str, Value, &str)> = vec![
        (
            "missing product",
            without(base.clone(), "product"),
            "product",
        ),
        (
            "missing billCustomer",
            without(base.clone(), "billCustomer"),
            "billCustomer",
        ),
        (
            "billCustomer not in the enum",
            with(base.clone(), "billCustomer", json!("Sometimes")),
            "billCustomer",
        ),
        (
            "billCustomer of another case",
            with(base.clone(), "billCustomer", json!("billable")),
            "billCustomer",
        ),
        (
            "date without a time",
            with(base.clone(), "effectiveDate", json!("2026-11-16")),
            "effectiveDate",
        ),
        (
            "day-first date",
            with(base.clone(), "cancelledDate", json!("16/11/2026")),
            "cancelledDate",
        ),
        (
            "date as a number",
            with(base.clone(), "effectiveDate", json!(20261116)),
            "effectiveDate",
        ),
        (
            "quantity as a string",
            with(base.clone(), "quantity", json!("5")),
            "quantity",
        ),
        (
            "unitPrice as a string",
            with(base.clone(), "unitPrice", json!("6.25")),
            "unitPrice",
        ),
        (
            "unitCost as a bool",
            with(base.clone(), "unitCost", json!(true)),
            "unitCost",
        ),
        (
            "lessIncluded as a string",
            with(base.clone(), "lessIncluded", json!("0")),
            "lessIncluded",
        ),
        (
            "taxableFlag as a string",
            with(base.clone(), "taxableFlag", json!("false")),
            "taxableFlag",
        ),
        (
            "serialNumber of 51 characters",
            with(base.clone(), "serialNumber", json!("S".repeat(51))),
            "serialNumber",
        ),
        (
            "invoiceDescription of 6001 characters",
            with(base.clone(), "invoiceDescription", json!("x".repeat(6001))),
            "invoiceDescription",
        ),
        (
            "description of 6001 characters",
            with(base.clone(), "description", json!("é".repeat(6001))),
            "description",
        ),
        (
            "unknown product id",
            with(base.clone(), "product", json!({"id": 999999})),
            "product",
        ),
        (
            "unknown product identifier",
            with(base.clone(), "product", json!({"identifier": "NOPE"})),
            "product",
        ),
        (
            "product without an id",
            with(base.clone(), "product", json!({})),
            "product",
        ),
        (
            "product as a number",
            with(base.clone(), "product", json!(615)),
            "product",
        ),
        (
            "cancelled before effective",
            with(base.clone(), "cancelledDate", json!("2026-11-15T00:00:00Z")),
            "cancelledDate",
        ),
    ];
    for (what, body, field) in cases {
        let r = cw.post(ADDITIONS, &body).await;
        assert_eq!(
            invalid_fields(&r),
            vec![field.to_string()],
            "{what}: {}",
            r.text
        );
    }
    assert_eq!(sim.additions_of(4127), before, "nothing was written");

    // Limits are inclusive.
    let r = cw
        .post(
            ADDITIONS,
            &with(
                with(base.clone(), "serialNumber", json!("S".repeat(50))),
                "invoiceDescription",
                json!("x".repeat(6000)),
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    // Cancelled on the effective date is fine.
    let r = cw
        .post(
            ADDITIONS,
            &with(base, "cancelledDate", json!("2026-11-16T00:00:00Z")),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
}

#[tokio::test]
async fn every_problem_of_a_request_is_reported_at_once() {
    let sim = sim().await;
    let cw = Cw::new(&sim);
    let r = cw
        .post(
            ADDITIONS,
            &json!({
                "billCustomer": "Yes",
                "quantity": "5",
                "effectiveDate": "2026-11-16",
                "serialNumber": "S".repeat(51),
            }),
        )
        .await;
    let mut fields = invalid_fields(&r);
    fields.sort();
    assert_eq!(
        fields,
        [
            "billCustomer",
            "effectiveDate",
            "product",
            "quantity",
            "serialNumber"
        ]
    );
    let body = r.json();
    let product = body["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .find(|e| e["field"] == "product")
        .cloned()
        .expect("product error");
    assert_eq!(product["code"], "MissingRequiredField");
    assert_eq!(product["message"], "The product field is required.");
}

#[tokio::test]
async fn a_cancelled_agreement_takes_no_additions() {
    let sim = sim().await;
    let cw = Cw::new(&sim);
    let before = sim.additions_of(4141);
    let r = cw
        .post("finance/agreements/4141/additions", &new_addition())
        .await;
    assert_eq!(invalid_fields(&r), ["agreementId"]);
    assert!(r.text.contains("cancelled"), "{}", r.text);
    assert_eq!(sim.additions_of(4141), before);
}

#[tokio::test]
async fn unreadable_bodies_get_400_in_the_connectwise_shape() {
    let sim = sim().await;
    let cw = Cw::new(&sim);
    let before = sim.additions_of(4127);
    for body in ["{\"product\": ", "", "not json"] {
        let r = reply(
            cw.write(reqwest::Method::POST, ADDITIONS)
                .header("Content-Type", "application/json")
                .body(body),
        )
        .await;
        invalid_fields(&r);
        assert!(r.text.contains("not valid JSON"), "{}", r.text);
    }
    let r = cw.post(ADDITIONS, &json!([new_addition()])).await;
    invalid_fields(&r);
    let r = cw
        .patch(&format!("{ADDITIONS}/30211"), &json!({"quantity": 3}))
        .await;
    invalid_fields(&r);
    assert_eq!(sim.additions_of(4127), before);
}

#[tokio::test]
async fn patch_replaces_the_cancelled_date() {
    let sim = sim().await;
    let cw = Cw::new(&sim);
    let path = format!("{ADDITIONS}/30211");
    let old = cw.get(&path).await.json();
    assert_eq!(old["cancelledDate"], Value::Null);

    let r = cw
        .patch(
            &path,
            &json!([{"op": "replace", "path": "cancelledDate", "value": "2026-11-30T00:00:00Z"}]),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let patched = r.json();
    assert_eq!(patched["cancelledDate"], "2026-11-30T00:00:00Z");
    assert_eq!(patched["id"], 30211);
    assert_eq!(patched["quantity"], old["quantity"]);
    assert_ne!(patched["_info"]["lastUpdated"], old["_info"]["lastUpdated"]);
    assert_eq!(cw.get(&path).await.json(), patched);

    // A leading slash, other letter cases, `add`, and `remove` of an optional field.
    let r = cw
        .patch(
            &path,
            &json!([
                {"op": "add", "path": "/CancelledDate", "value": "2026-12-31T00:00:00Z"},
                {"op": "Replace", "path": "/quantity", "value": 30},
                {"op": "remove", "path": "unitCost"},
                {"op": "replace", "path": "serialNumber", "value": null},
            ]),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let patched = r.json();
    assert_eq!(patched["cancelledDate"], "2026-12-31T00:00:00Z");
    assert_eq!(patched["quantity"], 30.0);
    assert_eq!(patched["unitCost"], Value::Null);
    assert_eq!(patched["serialNumber"], "");

    // A cancel date already passed shows the addition as cancelled.
    let r = cw
        .patch(
            &path,
            &json!([{"op": "replace", "path": "cancelledDate", "value": "2026-11-20T00:00:00Z"}]),
        )
        .await;
    assert_eq!(r.json()["agreementStatus"], "Cancelled");
    let r = cw
        .patch(&path, &json!([{"op": "remove", "path": "cancelledDate"}]))
        .await;
    assert_eq!(r.json()["cancelledDate"], Value::Null);
    assert_eq!(r.json()["agreementStatus"], "Active");
}

#[tokio::test]
async fn a_patch_applies_entirely_or_not_at_all() {
    let sim = sim().await;
    let cw = Cw::new(&sim);
    let path = format!("{ADDITIONS}/30211");
    let before = sim.additions_of(4127);
    let effective = cw.get(&path).await.json()["effectiveDate"].clone();
    let effective = effective.as_str().expect("effective date");
    assert!(("2024-01-01T00:00:00Z".."2026-11-30T00:00:00Z").contains(&effective));

    let cases: Vec<(Value, Vec<&str>)> = vec![
        (
            json!([
                {"op": "replace", "path": "quantity", "value": 9},
                {"op": "replace", "path": "cancelledDate", "value": "2026-11-16"},
            ]),
            vec!["cancelledDate"],
        ),
        (
            json!([
                {"op": "replace", "path": "quantity", "value": "9"},
                {"op": "replace", "path": "billCustomer", "value": "Free"},
                {"op": "replace", "path": "serialNumber", "value": "S".repeat(51)},
            ]),
            vec!["quantity", "billCustomer", "serialNumber"],
        ),
        (
            json!([{"op": "replace", "path": "cancelledDate", "value": "2023-12-31T00:00:00Z"}]),
            vec!["cancelledDate"],
        ),
        (
            json!([
                {"op": "replace", "path": "cancelledDate", "value": "2026-11-30T00:00:00Z"},
                {"op": "replace", "path": "effectiveDate", "value": "2026-12-01T00:00:00Z"},
            ]),
            vec!["cancelledDate"],
        ),
        (
            json!([{"op": "remove", "path": "quantity"}]),
            vec!["quantity"],
        ),
        (
            json!([{"op": "remove", "path": "billCustomer"}]),
            vec!["billCustomer"],
        ),
        (
            json!([{"op": "replace", "path": "id", "value": 1}]),
            vec!["id"],
        ),
        (
            json!([{"op": "replace", "path": "/noSuchField", "value": 1}]),
            vec!["noSuchField"],
        ),
        (
            json!([{"op": "move", "path": "quantity", "from": "lessIncluded"}]),
            vec!["quantity"],
        ),
        (
            json!([{"op": "replace", "path": "quantity"}]),
            vec!["quantity"],
        ),
        (
            json!([{"op": "replace", "path": "product", "value": {"id": 999999}}]),
            vec!["product"],
        ),
    ];
    for (ops, fields) in cases {
        let r = cw.patch(&path, &ops).await;
        assert_eq!(invalid_fields(&r), fields, "{ops}");
        assert_eq!(sim.additions_of(4127), before, "{ops}: nothing changed");
    }

    // The product can change, to an existing catalog item.
    let r = cw
        .patch(
            &path,
            &json!([{"op": "replace", "path": "product/id", "value": 615}]),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json()["product"]["identifier"], "M365-BB");
}

#[tokio::test]
async fn unknown_agreements_and_additions_get_404() {
    let sim = sim().await;
    let cw = Cw::new(&sim);
    let of_4128 = sim.additions_of(4128);
    let other = of_4128[0]["id"].as_u64().expect("id");
    let op = json!([{"op": "replace", "path": "quantity", "value": 2}]);
    for r in [
        cw.post("finance/agreements/999999/additions", &new_addition())
            .await,
        cw.post("finance/agreements/abc/additions", &new_addition())
            .await,
        cw.patch("finance/agreements/999999/additions/30211", &op)
            .await,
        cw.patch(&format!("{ADDITIONS}/999999"), &op).await,
        cw.patch(&format!("{ADDITIONS}/{other}"), &op).await,
    ] {
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text);
        assert_eq!(r.json()["code"], "NotFound");
        assert_eq!(
            keys(&r.json()),
            keys(&fixture("connectwise/error_401.json"))
        );
    }
    assert_eq!(sim.additions_of(4128), of_4128);
    let r = reply(
        cw.write(reqwest::Method::PUT, &format!("{ADDITIONS}/30211"))
            .json(&json!({})),
    )
    .await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
}

#[tokio::test]
async fn writes_need_valid_credentials() {
    let sim = sim().await;
    let cw = Cw::new(&sim);
    let before = sim.additions_of(4127);
    let url = format!("{}{ADDITIONS}", cw.base);
    let wrong = basic("demo+demo-public", "wrong-private");
    for r in [
        reply(
            cw.client
                .post(&url)
                .header("Authorization", wrong.as_str())
                .header("clientId", CLIENT_ID)
                .json(&new_addition()),
        )
        .await,
        reply(
            cw.client
                .post(&url)
                .header("Authorization", cw_auth())
                .json(&new_addition()),
        )
        .await,
        reply(
            cw.client
                .patch(format!("{url}/30211"))
                .header("Authorization", wrong.as_str())
                .header("clientId", CLIENT_ID)
                .json(&json!([{"op": "replace", "path": "quantity", "value": 2}])),
        )
        .await,
    ] {
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.text);
        assert_eq!(r.json()["code"], "Unauthorized");
    }
    assert_eq!(sim.additions_of(4127), before);
}

#[tokio::test]
async fn an_after_apply_server_error_keeps_the_addition() {
    let sim = sim().await;
    let cw = Cw::new(&sim);
    let before = ids_of(&sim, 4127);
    sim.set_faults(vec![FaultRule::new("/additions", FaultKind::ServerError)
        .method("POST")
        .after_apply()
        .times(1)]);
    sim.clear_requests();
    let r = cw.post(ADDITIONS, &new_addition()).await;
    assert_eq!(r.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(
        keys(&r.json()),
        keys(&fixture("connectwise/error_401.json"))
    );
    let after = sim.additions_of(4127);
    assert_eq!(after.len(), before.len() + 1, "the write happened");
    let created = after.last().expect("created");
    assert_eq!(created["product"]["id"], 615);
    assert_eq!(created["serialNumber"], "SUB-1000519");
    assert_eq!(sim.requests()[0].status, 500);
    // The rule is used up.
    assert_eq!(
        cw.post(ADDITIONS, &new_addition()).await.status,
        StatusCode::CREATED
    );
}

#[tokio::test]
async fn an_after_apply_dropped_connection_keeps_the_addition() {
    let sim = sim().await;
    let cw = Cw::new(&sim);
    let before = ids_of(&sim, 4127);
    sim.set_faults(vec![FaultRule::new(ADDITIONS, FaultKind::DropConnection)
        .method("POST")
        .after_apply()
        .times(1)]);
    let err = cw
        .write(reqwest::Method::POST, ADDITIONS)
        .json(&new_addition())
        .send()
        .await
        .expect_err("no response");
    assert!(err.status().is_none(), "{err}");
    assert_eq!(ids_of(&sim, 4127).len(), before.len() + 1);
    assert_eq!(sim.requests().last().map(|r| r.status), Some(0));
}

#[tokio::test]
async fn an_after_apply_patch_fault_keeps_the_change() {
    let sim = sim().await;
    let cw = Cw::new(&sim);
    sim.set_faults(vec![FaultRule::new(
        "/additions/",
        FaultKind::TooManyRequests {
            retry_after_secs: 4,
        },
    )
    .method("PATCH")
    .after_apply()
    .times(1)]);
    let path = format!("{ADDITIONS}/30211");
    let r = cw
        .patch(
            &path,
            &json!([{"op": "replace", "path": "cancelledDate", "value": "2026-11-30T00:00:00Z"}]),
        )
        .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(r.header("retry-after").as_deref(), Some("4"));
    assert_eq!(
        cw.get(&path).await.json()["cancelledDate"],
        "2026-11-30T00:00:00Z"
    );
}

#[tokio::test]
async fn an_after_apply_timeout_keeps_the_addition() {
    let sim = sim().await;
    let cw = Cw::new(&sim);
    let before = ids_of(&sim, 4127);
    sim.set_faults(vec![FaultRule::new(ADDITIONS, FaultKind::Timeout)
        .method("POST")
        .after_apply()
        .times(1)]);
    let err = cw
        .write(reqwest::Method::POST, ADDITIONS)
        .json(&new_addition())
        .timeout(Duration::from_millis(400))
        .send()
        .await
        .expect_err("times out");
    assert!(err.is_timeout(), "{err}");
    assert_eq!(ids_of(&sim, 4127).len(), before.len() + 1);
}

#[tokio::test]
async fn a_before_apply_server_error_writes_nothing() {
    let sim = sim().await;
    let cw = Cw::new(&sim);
    let before = sim.additions_of(4127);
    sim.set_faults(vec![FaultRule::new(ADDITIONS, FaultKind::ServerError)
        .method("POST")
        .times(1)]);
    let r = cw.post(ADDITIONS, &new_addition()).await;
    assert_eq!(r.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(sim.additions_of(4127), before);
    // A before-apply drop writes nothing either.
    sim.set_faults(vec![FaultRule::new(ADDITIONS, FaultKind::DropConnection)
        .method("PATCH")
        .times(1)]);
    let err = cw
        .write(reqwest::Method::PATCH, &format!("{ADDITIONS}/30211"))
        .json(&json!([{"op": "replace", "path": "quantity", "value": 2}]))
        .send()
        .await;
    assert!(err.is_err());
    assert_eq!(sim.additions_of(4127), before);
}

#[tokio::test]
async fn skip_fails_only_the_second_post() {
    let sim = sim().await;
    let cw = Cw::new(&sim);
    let before = ids_of(&sim, 4127);
    sim.set_faults(vec![FaultRule::new("/additions", FaultKind::ServerError)
        .method("POST")
        .skip(1)
        .times(1)]);
    // GETs neither strike nor use up the skip.
    assert_eq!(cw.get(ADDITIONS).await.status, StatusCode::OK);
    let first = cw.post(ADDITIONS, &new_addition()).await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.text);
    let second = cw.post(ADDITIONS, &new_addition()).await;
    assert_eq!(second.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(ids_of(&sim, 4127).len(), before.len() + 1);
    let third = cw.post(ADDITIONS, &new_addition()).await;
    assert_eq!(third.status, StatusCode::CREATED);
    assert_eq!(ids_of(&sim, 4127).len(), before.len() + 2);

    // After the write: the second POST is applied but its answer lost.
    sim.set_faults(vec![FaultRule::new("/additions", FaultKind::ServerError)
        .method("POST")
        .after_apply()
        .skip(1)]);
    assert_eq!(
        cw.post(ADDITIONS, &new_addition()).await.status,
        StatusCode::CREATED
    );
    assert_eq!(
        cw.post(ADDITIONS, &new_addition()).await.status,
        StatusCode::INTERNAL_SERVER_ERROR
    );
    assert_eq!(ids_of(&sim, 4127).len(), before.len() + 4);
}

#[tokio::test]
async fn the_control_endpoint_takes_when_and_skip() {
    let sim = sim().await;
    let cw = Cw::new(&sim);
    let origin = format!("http://{}", sim.addr());
    let c = client();
    let before = ids_of(&sim, 4127);
    let r = reply(c.post(format!("{origin}/_sim/faults")).json(&json!([
        {"method": "POST", "pathContains": "/additions", "kind": "serverError", "when": "after", "skip": 1, "remaining": 1}
    ])))
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(
        cw.post(ADDITIONS, &new_addition()).await.status,
        StatusCode::CREATED
    );
    assert_eq!(
        cw.post(ADDITIONS, &new_addition()).await.status,
        StatusCode::INTERNAL_SERVER_ERROR
    );
    assert_eq!(
        cw.post(ADDITIONS, &new_addition()).await.status,
        StatusCode::CREATED
    );
    assert_eq!(ids_of(&sim, 4127).len(), before.len() + 3);

    let r = reply(c.post(format!("{origin}/_sim/faults")).json(&json!([
        {"pathContains": "/additions", "kind": "serverError", "when": "during"}
    ])))
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.text.contains("before"), "{}", r.text);
    // The bad request left the rules as they were (none left).
    assert_eq!(
        cw.post(ADDITIONS, &new_addition()).await.status,
        StatusCode::CREATED
    );
}
