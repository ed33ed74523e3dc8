//! What many desks sharing one ConnectWise need (SPEC §15): the addition custom field, its
//! conditions, `_info.dateEntered`, DELETE of an addition, and POSTs held so that they race.

use std::time::{Duration, Instant};

use agreement_sync_sim::{FaultKind, FaultRule, SimHandle};
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::common::*;

const ADDITIONS: &str = "finance/agreements/4127/additions";
const KEY: &str = "AS1:9000555:5000123:MS-365-BP:P";

fn new_addition(custom_fields: Value) -> Value {
    json!({
        "product": {"id": 611},
        "billCustomer": "Billable",
        "quantity": 5,
        "unitPrice": 22.0,
        "effectiveDate": "2026-11-16T00:00:00Z",
        "customFields": custom_fields,
    })
}

fn key_field(value: Value) -> Value {
    json!([{"id": 31, "value": value}])
}

fn ids_of(sim: &SimHandle, agreement: u64) -> Vec<u64> {
    sim.additions_of(agreement)
        .iter()
        .map(|a| a["id"].as_u64().expect("id"))
        .collect()
}

/// The one error of a 400 `InvalidObject` answer.
fn the_error(r: &Reply) -> Value {
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
    let body = r.json();
    assert_eq!(keys(&body), keys(&fixture("connectwise/error_400.json")));
    assert_eq!(body["code"], "InvalidObject", "{body}");
    assert_eq!(body["errors"].as_array().map(Vec::len), Some(1), "{body}");
    body["errors"][0].clone()
}

async fn post_key(cw: &Cw, path: &str, key: &str) -> Reply {
    cw.post(path, &new_addition(key_field(json!(key)))).await
}

#[tokio::test]
async fn additions_have_no_custom_field_until_one_is_defined() {
    let sim = sim().await;
    let cw = Cw::new(&sim);
    let a = cw.get(&format!("{ADDITIONS}/30211")).await.json();
    assert_eq!(a["customFields"], json!([]));
    // A customFields entry names a field that does not exist.
    let r = post_key(&cw, ADDITIONS, KEY).await;
    assert_eq!(the_error(&r)["field"], "customFields");

    assert_eq!(
        sim.set_addition_custom_field("Agreement Sync Key", "text"),
        Ok(31)
    );
    let a = cw.get(&format!("{ADDITIONS}/30211")).await.json();
    assert_eq!(
        a["customFields"],
        json!([{"id": 31, "caption": "Agreement Sync Key", "type": "Text", "entryMethod": "EntryField", "numberOfDecimals": 0, "value": null}])
    );
    assert!(sim
        .additions_of(4128)
        .iter()
        .all(|a| a["customFields"][0]["value"].is_null()));
    assert!(sim.set_addition_custom_field("Key", "Colour").is_err());
    assert!(sim.set_addition_custom_field(" ", "Text").is_err());
    sim.clear_addition_custom_field();
    assert_eq!(sim.additions_of(4127)[0]["customFields"], json!([]));
}

#[tokio::test]
async fn post_and_patch_write_the_key_field() {
    let sim = sim().await;
    let cw = Cw::new(&sim);
    sim.set_addition_custom_field("Agreement Sync Key", "Text")
        .expect("defined");

    let r = post_key(&cw, ADDITIONS, KEY).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let created = r.json();
    let field = &created["customFields"][0];
    assert_eq!(field["id"], 31);
    assert_eq!(field["caption"], "Agreement Sync Key");
    assert_eq!(field["value"], KEY);
    assert_eq!(created["serialNumber"], "");
    let path = format!("{ADDITIONS}/{}", created["id"]);
    assert_eq!(cw.get(&path).await.json(), created);

    // Caption and type may come along; a missing customFields or a null value leaves it empty.
    let r = cw
        .post(
            ADDITIONS,
            &new_addition(json!([{"id": 31, "caption": "Agreement Sync Key", "type": "Text", "entryMethod": "EntryField", "value": "AS1:x"}])),
        )
        .await;
    assert_eq!(r.json()["customFields"][0]["value"], "AS1:x", "{}", r.text);
    let r = cw.post(ADDITIONS, &new_addition(Value::Null)).await;
    assert_eq!(
        r.json()["customFields"][0]["value"],
        Value::Null,
        "{}",
        r.text
    );
    let r = cw
        .post(ADDITIONS, &new_addition(key_field(Value::Null)))
        .await;
    assert_eq!(
        r.json()["customFields"][0]["value"],
        Value::Null,
        "{}",
        r.text
    );
    // The limit is inclusive.
    let r = post_key(&cw, ADDITIONS, &"k".repeat(1000)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);

    // PATCH replaces the whole array: a new value, then an empty one.
    let replace = |value: Value| json!([{"op": "replace", "path": "customFields", "value": value}]);
    let r = cw
        .patch(&path, &replace(json!([{"id": 31, "value": "AS1:y"}])))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json()["customFields"][0]["value"], "AS1:y");
    assert_eq!(
        cw.get(&path).await.json()["customFields"][0]["value"],
        "AS1:y"
    );
    let r = cw.patch(&path, &replace(json!([]))).await;
    assert_eq!(r.json()["customFields"][0]["value"], Value::Null);
    cw.patch(&path, &replace(key_field(json!(KEY)))).await;
    let r = cw
        .patch(&path, &json!([{"op": "remove", "path": "/customFields"}]))
        .await;
    assert_eq!(r.json()["customFields"][0]["value"], Value::Null);
    cw.patch(&path, &replace(key_field(json!(KEY)))).await;
    let r = cw.patch(&path, &replace(Value::Null)).await;
    assert_eq!(r.json()["customFields"][0]["value"], Value::Null);

    // The same field defined again keeps the values; another field starts empty.
    cw.patch(&path, &replace(key_field(json!(KEY)))).await;
    sim.set_addition_custom_field("Agreement Sync Key", "Text")
        .expect("defined");
    assert_eq!(cw.get(&path).await.json()["customFields"][0]["value"], KEY);
    sim.clear_addition_custom_field();
    sim.set_addition_custom_field("Agreement Sync Key", "Text")
        .expect("defined");
    assert_eq!(
        cw.get(&path).await.json()["customFields"][0]["value"],
        Value::Null
    );
}

#[tokio::test]
async fn bad_custom_fields_get_400_and_change_nothing() {
    let sim = sim().await;
    let cw = Cw::new(&sim);
    sim.set_addition_custom_field("Agreement Sync Key", "Text")
        .expect("defined");
    let before = sim.additions_of(4127);
    for (what, fields, needle) in [
        ("unknown id", json!([{"id": 32, "value": KEY}]), "32"),
        (
            "no id",
            json!([{"caption": "Agreement Sync Key", "value": KEY}]),
            "id",
        ),
        ("a number", key_field(json!(5)), "a string"),
        ("an object", key_field(json!({"text": KEY})), "a string"),
        ("too long", key_field(json!("k".repeat(1001))), "1000"),
        ("not an array", json!({"id": 31, "value": KEY}), "array"),
        ("not an object", json!([31]), "object"),
    ] {
        let r = cw.post(ADDITIONS, &new_addition(fields.clone())).await;
        let e = the_error(&r);
        assert_eq!(e["field"], "customFields", "{what}: {e}");
        assert_eq!(e["code"], "InvalidField", "{what}: {e}");
        assert_eq!(e["resource"], "agreementAddition");
        assert!(
            e["message"].as_str().is_some_and(|m| m.contains(needle)),
            "{what}: {e}"
        );
        let r = cw
            .patch(
                &format!("{ADDITIONS}/30211"),
                &json!([
                    {"op": "replace", "path": "quantity", "value": 7},
                    {"op": "replace", "path": "customFields", "value": fields},
                ]),
            )
            .await;
        assert_eq!(the_error(&r)["field"], "customFields", "{what}");
    }
    assert_eq!(sim.additions_of(4127), before, "nothing was written");
}

#[tokio::test]
async fn values_of_other_field_types_are_typed() {
    let sim = sim().await;
    let cw = Cw::new(&sim);
    sim.set_addition_custom_field("Seats paid", "Number")
        .expect("defined");
    let r = cw
        .post(ADDITIONS, &new_addition(key_field(json!(12.5))))
        .await;
    assert_eq!(r.json()["customFields"][0]["value"], 12.5, "{}", r.text);
    let r = cw
        .post(ADDITIONS, &new_addition(key_field(json!("12"))))
        .await;
    assert_eq!(the_error(&r)["field"], "customFields");

    sim.set_addition_custom_field("Synced", "Checkbox")
        .expect("defined");
    let r = cw
        .post(ADDITIONS, &new_addition(key_field(json!(true))))
        .await;
    assert_eq!(r.json()["customFields"][0]["value"], true, "{}", r.text);
    assert_eq!(r.json()["customFields"][0]["type"], "Checkbox");

    sim.set_addition_custom_field("Synced on", "Date")
        .expect("defined");
    let r = cw
        .post(
            ADDITIONS,
            &new_addition(key_field(json!("2026-11-16T00:00:00Z"))),
        )
        .await;
    assert_eq!(
        r.json()["customFields"][0]["value"],
        "2026-11-16T00:00:00Z",
        "{}",
        r.text
    );
    let r = cw
        .post(ADDITIONS, &new_addition(key_field(json!("2026-11-16"))))
        .await;
    assert_eq!(the_error(&r)["field"], "customFields");
}

#[tokio::test]
async fn the_control_endpoint_defines_and_removes_the_custom_field() {
    let sim = sim().await;
    let cw = Cw::new(&sim);
    let url = format!("http://{}/_sim/addition-custom-field", sim.addr());
    let c = client();
    let r = reply(
        c.post(&url)
            .json(&json!({"caption": "Agreement Sync Key", "type": "Text"})),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(
        r.json(),
        json!({"id": 31, "caption": "Agreement Sync Key", "type": "Text"})
    );
    assert_eq!(
        cw.get(&format!("{ADDITIONS}/30211")).await.json()["customFields"][0]["caption"],
        "Agreement Sync Key"
    );
    let r = reply(
        c.post(&url)
            .json(&json!({"caption": "Key", "type": "Colour"})),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
    assert!(r.text.contains("Text"), "{}", r.text);
    let r = reply(
        c.post(&url)
            .json(&json!({"id": 40, "caption": "Key", "type": "Number"})),
    )
    .await;
    assert_eq!(r.json()["id"], 40);
    assert_eq!(sim.additions_of(4127)[0]["customFields"][0]["id"], 40);
    let r = reply(c.delete(&url)).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert_eq!(sim.additions_of(4127)[0]["customFields"], json!([]));
    // Control requests are not recorded.
    assert!(sim.requests().iter().all(|r| !r.path.contains("_sim")));
}

#[tokio::test]
async fn additions_say_when_they_were_entered() {
    let sim = sim_with(|c| c.customers = 40).await;
    let cw = Cw::new(&sim);
    let today = today().format("%Y-%m-%dT23:59:59Z").to_string();
    let agreements = cw
        .get_with("finance/agreements", &[("pageSize", "1000")])
        .await;
    let agreements = ids(agreements.json().as_array().expect("array"));
    assert!(
        agreements.iter().any(|id| *id >= 10_000),
        "generated ones too"
    );
    for agreement in agreements {
        for a in sim.additions_of(agreement) {
            let info = &a["_info"];
            let entered = info["dateEntered"].as_str().expect("dateEntered");
            let effective = a["effectiveDate"].as_str().expect("effectiveDate");
            assert_eq!(entered, effective.replace("T00:", "T07:"), "{a}");
            assert!(entered < info["lastUpdated"].as_str().expect("lastUpdated"));
            assert!(entered <= today.as_str(), "{a}");
            assert_eq!(info["enteredBy"], "jsmith");
        }
    }
    let before = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let created = cw.post(ADDITIONS, &new_addition(Value::Null)).await.json();
    let info = &created["_info"];
    assert_eq!(info["dateEntered"], info["lastUpdated"]);
    assert!(info["dateEntered"].as_str().expect("entered") >= before.as_str());
    assert_eq!(info["enteredBy"], "apiuser");
    let path = format!("{ADDITIONS}/{}", created["id"]);
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let patched = cw
        .patch(
            &path,
            &json!([{"op": "replace", "path": "quantity", "value": 9}]),
        )
        .await
        .json();
    assert_eq!(patched["_info"]["dateEntered"], info["dateEntered"]);
    assert_ne!(patched["_info"]["lastUpdated"], info["lastUpdated"]);
}

async fn listed(cw: &Cw, query: &[(&str, &str)]) -> (Vec<u64>, u64) {
    let r = cw.get_with(ADDITIONS, query).await;
    assert_eq!(r.status, StatusCode::OK, "{query:?}: {}", r.text);
    let rows = ids(r.json().as_array().expect("array"));
    let count = cw
        .get_with(&format!("{ADDITIONS}/count"), query)
        .await
        .json()["count"]
        .as_u64()
        .expect("count");
    (rows, count)
}

#[tokio::test]
async fn additions_are_found_by_serial_number_or_custom_field() {
    let sim = sim().await;
    let cw = Cw::new(&sim);
    let serial = |key: &str| {
        let mut body = new_addition(Value::Null);
        body["serialNumber"] = json!(key);
        body
    };
    let by_serial = cw.post(ADDITIONS, &serial(KEY)).await.json()["id"]
        .as_u64()
        .expect("id");
    cw.post(ADDITIONS, &serial("AS1:other")).await;
    let condition = format!("serialNumber=\"{KEY}\"");
    assert_eq!(
        listed(&cw, &[("conditions", &condition)]).await,
        (vec![by_serial], 1)
    );

    sim.set_addition_custom_field("Agreement Sync Key", "Text")
        .expect("defined");
    let keyed = post_key(&cw, ADDITIONS, KEY).await.json()["id"]
        .as_u64()
        .expect("id");
    let other = post_key(&cw, ADDITIONS, "AS1:other").await.json()["id"]
        .as_u64()
        .expect("id");
    post_key(&cw, "finance/agreements/4128/additions", KEY).await;

    let mine = format!("caption=\"Agreement Sync Key\" AND value=\"{KEY}\"");
    assert_eq!(
        listed(&cw, &[("customFieldConditions", &mine)]).await,
        (vec![keyed], 1)
    );
    let like = "caption=\"agreement sync key\" and value like \"AS1:*\"";
    assert_eq!(
        listed(&cw, &[("customFieldConditions", like)]).await,
        (vec![keyed, other], 2)
    );
    assert_eq!(
        listed(&cw, &[("customFieldConditions", "id=31 and value!=null")]).await,
        (vec![keyed, other], 2)
    );
    // Combined with conditions by AND.
    let both = [
        ("customFieldConditions", like),
        ("conditions", &format!("id != {keyed}")),
    ];
    assert_eq!(listed(&cw, &both).await, (vec![other], 1));
    // Another caption matches nothing; neither does a field no addition has.
    let nobody = "caption=\"Other\" and value like \"AS1:*\"";
    assert_eq!(
        listed(&cw, &[("customFieldConditions", nobody)]).await,
        (vec![], 0)
    );
    sim.clear_addition_custom_field();
    assert_eq!(
        listed(&cw, &[("customFieldConditions", &mine)]).await,
        (vec![], 0)
    );
    let all = sim.additions_of(4127).len() as u64;
    assert_eq!(listed(&cw, &[("customFieldConditions", "")]).await.1, all);

    // Forward-only pages carry it.
    sim.set_addition_custom_field("Agreement Sync Key", "Text")
        .expect("defined");
    cw.patch(
        &format!("{ADDITIONS}/{keyed}"),
        &json!([{"op": "replace", "path": "customFields", "value": key_field(json!(KEY))}]),
    )
    .await;
    let (rows, _) = cw
        .all_forward_only(
            ADDITIONS,
            &[
                ("pageSize", "1"),
                ("customFieldConditions", "value like \"AS1:*\""),
            ],
        )
        .await;
    assert_eq!(ids(&rows), vec![keyed]);
}

#[tokio::test]
async fn bad_custom_field_conditions_get_400_like_bad_conditions() {
    let sim = sim().await;
    let cw = Cw::new(&sim);
    for (c, needle) in [
        ("caption=", "value"),
        ("colour=\"red\"", "colour"),
        ("caption=Key", "quoted"),
        ("(value=\"x\"", ")"),
    ] {
        for path in [ADDITIONS.to_string(), format!("{ADDITIONS}/count")] {
            let r = cw.get_with(&path, &[("customFieldConditions", c)]).await;
            assert_eq!(r.status, StatusCode::BAD_REQUEST, "{c}");
            let body = r.json();
            assert_eq!(keys(&body), keys(&fixture("connectwise/error_400.json")));
            assert_eq!(body["code"], "InvalidObject");
            let e = &body["errors"][0];
            assert_eq!(e["field"], "customFieldConditions");
            assert!(
                e["message"].as_str().is_some_and(|m| m.contains(needle)),
                "{c}: {body}"
            );
        }
    }
    // A list field cannot be used in conditions.
    let r = cw
        .get_with(ADDITIONS, &[("conditions", "customFields/value=\"x\"")])
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
}

/// Creates an addition through the API (not invoiced yet, so it can be deleted); its id.
async fn created(cw: &Cw) -> u64 {
    let r = cw.post(ADDITIONS, &new_addition(Value::Null)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    r.json()["id"].as_u64().expect("id")
}

#[tokio::test]
async fn delete_removes_an_addition() {
    let sim = sim().await;
    let cw = Cw::new(&sim);
    let first = created(&cw).await;
    let posted = cw.get("finance/agreements/4127").await.json()["_info"]["lastUpdated"].clone();
    // `lastUpdated` shows seconds: let one pass.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let r = reply(cw.write(reqwest::Method::DELETE, &format!("{ADDITIONS}/{first}"))).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    let touched = cw.get("finance/agreements/4127").await.json()["_info"]["lastUpdated"].clone();
    assert!(
        touched.as_str() > posted.as_str(),
        "{touched} after {posted}"
    );

    let id = created(&cw).await;
    let before = ids_of(&sim, 4127);
    assert!(before.contains(&id));

    let r = reply(cw.write(reqwest::Method::DELETE, &format!("{ADDITIONS}/{id}"))).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert_eq!(r.text, "");
    let after = ids_of(&sim, 4127);
    assert_eq!(after.len(), before.len() - 1);
    assert!(!after.contains(&id));
    assert_eq!(
        cw.get(&format!("{ADDITIONS}/{id}")).await.status,
        StatusCode::NOT_FOUND
    );
    let list = cw.get(ADDITIONS).await.json();
    assert!(list
        .as_array()
        .expect("array")
        .iter()
        .all(|a| a["id"] != id));

    // A new addition never reuses an id.
    let next = cw.post(ADDITIONS, &new_addition(Value::Null)).await.json();
    assert!(next["id"].as_u64().expect("id") > id);
}

#[tokio::test]
async fn deleting_what_is_not_there_gets_404() {
    let sim = sim().await;
    let cw = Cw::new(&sim);
    let of_4128 = ids_of(&sim, 4128)[0];
    let before = sim.additions_of(4127);
    for path in [
        format!("{ADDITIONS}/999999"),
        format!("{ADDITIONS}/{of_4128}"),
        format!("{ADDITIONS}/abc"),
        "finance/agreements/999999/additions/30211".to_string(),
    ] {
        let r = reply(cw.write(reqwest::Method::DELETE, &path)).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}: {}", r.text);
        assert_eq!(r.json()["code"], "NotFound");
        assert_eq!(
            keys(&r.json()),
            keys(&fixture("connectwise/error_401.json"))
        );
    }
    assert_eq!(sim.additions_of(4127), before);
    assert_eq!(ids_of(&sim, 4128)[0], of_4128);
    // Twice: the second finds nothing.
    let path = format!("{ADDITIONS}/{}", created(&cw).await);
    let r = reply(cw.write(reqwest::Method::DELETE, &path)).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    let r = reply(cw.write(reqwest::Method::DELETE, &path)).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn delete_needs_credentials_and_the_delete_permission() {
    let sim = sim().await;
    let cw = Cw::new(&sim);
    let before = sim.additions_of(4127);
    let url = format!("{}{ADDITIONS}/30211", cw.base);
    let r = reply(cw.client.delete(&url).header("clientId", CLIENT_ID)).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.text);

    sim.deny_permissions(&[("Finance › Agreements", "Delete")]);
    let r = reply(cw.write(reqwest::Method::DELETE, &format!("{ADDITIONS}/30211"))).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);
    assert_eq!(r.json()["code"], "Forbidden");
    assert_eq!(sim.additions_of(4127), before);
    // Adding is still allowed.
    let id = created(&cw).await;

    sim.deny_permissions(&[("Finance › Agreements", "Add")]);
    let r = reply(cw.write(reqwest::Method::DELETE, &format!("{ADDITIONS}/{id}"))).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn faults_strike_deletes_before_or_after_they_apply() {
    let sim = sim().await;
    let cw = Cw::new(&sim);
    let id = created(&cw).await;
    let before = ids_of(&sim, 4127);
    sim.set_faults(vec![FaultRule::new("/additions/", FaultKind::ServerError)
        .method("DELETE")
        .times(1)]);
    let path = format!("{ADDITIONS}/{id}");
    // Other methods pass.
    assert_eq!(cw.get(&path).await.status, StatusCode::OK);
    let r = reply(cw.write(reqwest::Method::DELETE, &path)).await;
    assert_eq!(r.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(ids_of(&sim, 4127), before, "nothing deleted");

    sim.set_faults(vec![FaultRule::new(
        "/additions/",
        FaultKind::DropConnection,
    )
    .method("DELETE")
    .after_apply()
    .times(1)]);
    let err = cw
        .write(reqwest::Method::DELETE, &path)
        .send()
        .await
        .expect_err("no response");
    assert!(err.status().is_none(), "{err}");
    assert!(!ids_of(&sim, 4127).contains(&id), "deleted");
    let last = sim.requests().last().cloned().expect("recorded");
    assert_eq!((last.method.as_str(), last.status), ("DELETE", 0));
}

/// Sends a POST in the background.
fn spawn_post(cw: &Cw) -> tokio::task::JoinHandle<Reply> {
    let request = cw
        .write(reqwest::Method::POST, ADDITIONS)
        .json(&new_addition(Value::Null));
    tokio::spawn(reply(request))
}

/// Waits until the simulator has seen `n` addition POSTs.
async fn posts_seen(sim: &SimHandle, n: usize) {
    for _ in 0..200 {
        let seen = sim.requests().iter().filter(|r| r.method == "POST").count();
        if seen >= n {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("{n} POSTs never arrived");
}

#[tokio::test]
async fn held_creates_wait_for_each_other_then_apply_in_arrival_order() {
    let sim = sim().await;
    let cw = Cw::new(&sim);
    let before = ids_of(&sim, 4127);
    sim.hold_creates(2);
    let first = spawn_post(&cw);
    posts_seen(&sim, 1).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(!first.is_finished(), "the first POST is held");
    assert_eq!(ids_of(&sim, 4127), before, "and not applied");
    // Reads are not held.
    assert_eq!(cw.get(ADDITIONS).await.status, StatusCode::OK);

    let second = spawn_post(&cw);
    let first = first.await.expect("first");
    let second = second.await.expect("second");
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.text);
    assert_eq!(second.status, StatusCode::CREATED, "{}", second.text);
    let (a, b) = (first.json()["id"].clone(), second.json()["id"].clone());
    assert!(a.as_u64() < b.as_u64(), "arrival order: {a} before {b}");
    assert_eq!(ids_of(&sim, 4127).len(), before.len() + 2);

    // The switch is off again.
    let start = Instant::now();
    assert_eq!(
        cw.post(ADDITIONS, &new_addition(Value::Null)).await.status,
        StatusCode::CREATED
    );
    assert!(start.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn a_held_create_proceeds_alone_after_a_bounded_wait() {
    let sim = sim().await;
    let cw = Cw::new(&sim);
    let url = format!("http://{}/_sim/hold-creates", sim.addr());
    let r = reply(client().post(&url).json(&json!({"count": 3}))).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text);
    let start = Instant::now();
    let first = spawn_post(&cw);
    let second = spawn_post(&cw);
    let (first, second) = (first.await.expect("first"), second.await.expect("second"));
    let waited = start.elapsed();
    assert!(waited >= Duration::from_secs(9), "{waited:?}");
    assert!(waited < Duration::from_secs(15), "{waited:?}");
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.text);
    assert_eq!(second.status, StatusCode::CREATED, "{}", second.text);
    // The group was called off: the next POST is not held.
    let start = Instant::now();
    assert_eq!(
        cw.post(ADDITIONS, &new_addition(Value::Null)).await.status,
        StatusCode::CREATED
    );
    assert!(start.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn holding_zero_releases_a_waiting_group() {
    let sim = sim().await;
    let cw = Cw::new(&sim);
    sim.hold_creates(2);
    let start = Instant::now();
    let first = spawn_post(&cw);
    posts_seen(&sim, 1).await;
    sim.hold_creates(0);
    let first = first.await.expect("first");
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.text);
    assert!(start.elapsed() < Duration::from_secs(5));
    // A rejected held POST answers too, and lets the next one go.
    sim.hold_creates(2);
    let bad = tokio::spawn(reply(
        cw.write(reqwest::Method::POST, ADDITIONS)
            .json(&json!({"billCustomer": "Billable"})),
    ));
    posts_seen(&sim, 2).await;
    let good = spawn_post(&cw);
    assert_eq!(bad.await.expect("bad").status, StatusCode::BAD_REQUEST);
    assert_eq!(good.await.expect("good").status, StatusCode::CREATED);
    assert!(start.elapsed() < Duration::from_secs(5));
    // A held POST whose client gives up does not stop the rest of its group.
    sim.hold_creates(2);
    let gave_up = cw
        .write(reqwest::Method::POST, ADDITIONS)
        .json(&new_addition(Value::Null))
        .timeout(Duration::from_millis(200))
        .send()
        .await;
    assert!(gave_up.is_err_and(|e| e.is_timeout()));
    let start = Instant::now();
    assert_eq!(
        cw.post(ADDITIONS, &new_addition(Value::Null)).await.status,
        StatusCode::CREATED
    );
    assert!(start.elapsed() < Duration::from_secs(5));
}
