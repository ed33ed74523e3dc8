//! ConnectWise's invoice calendar: the agreement recap, the invoice run (whole periods with
//! prorateFlag off; prorated and back-billed with it on), the refusal of invoice writes, and
//! the refusal to delete an addition that has been invoiced (SPEC §17).
//! Today is 2026-11-24; seeded agreements start on 2024-05-01 unless said otherwise.

use std::collections::HashSet;

use agreement_sync_sim::SimHandle;
use chrono::NaiveDate;
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::common::*;

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
}

/// An addition body: `quantity` × `price` of catalog item 615 from `from` (to `to`).
fn addition(quantity: f64, price: f64, from: &str, to: Option<&str>) -> Value {
    json!({
        "product": {"id": 615},
        "billCustomer": "Billable",
        "quantity": quantity,
        "unitPrice": price,
        "effectiveDate": format!("{from}T00:00:00Z"),
        "cancelledDate": to.map(|t| format!("{t}T00:00:00Z")),
        "invoiceDescription": format!("{quantity} x {price} from {from}"),
    })
}

/// Creates an addition through the API (as the app does) and returns its id.
async fn create(cw: &Cw, agreement: u64, body: Value) -> u64 {
    let r = cw
        .post(&format!("finance/agreements/{agreement}/additions"), &body)
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    r.json()["id"].as_u64().expect("id")
}

/// (kind, additionId, amount) of every line, in order.
fn lines(invoice: &Value) -> Vec<(String, Option<u64>, String)> {
    invoice["lines"]
        .as_array()
        .expect("lines")
        .iter()
        .map(|l| {
            (
                l["kind"].as_str().expect("kind").to_string(),
                l["additionId"].as_u64(),
                l["amount"].as_str().expect("amount").to_string(),
            )
        })
        .collect()
}

fn line(kind: &str, addition: Option<u64>, amount: &str) -> (String, Option<u64>, String) {
    (kind.to_string(), addition, amount.to_string())
}

/// An invoice number (a numeric string) as a number.
fn numeric(v: &Value) -> u64 {
    v.as_str()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("not a numeric string: {v}"))
}

fn number(invoice: &Value) -> u64 {
    numeric(&invoice["invoiceNumber"])
}

async fn recap(cw: &Cw, id: u64) -> Value {
    let r = cw.get(&format!("finance/agreementrecap/{id}")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    r.json()
}

fn control(sim: &SimHandle, path: &str) -> String {
    format!("http://{}/_sim/{path}", sim.addr())
}

#[tokio::test]
async fn the_recap_shows_where_invoicing_stands() {
    let sim = sim().await;
    let cw = Cw::new(&sim);
    let r = recap(&cw, 4127).await;
    assert_eq!(
        keys(&r),
        [
            "_info",
            "agreementStatus",
            "billAmount",
            "billingCycle",
            "company",
            "id",
            "lastInvoiceDate",
            "lastInvoiceNumber",
            "name",
            "nextInvoiceDate",
            "prorateFlag",
            "unbilledPeriods",
        ]
    );
    assert_eq!(r["id"], 4127);
    assert_eq!(r["name"], "Green Lane - Microsoft 365");
    assert_eq!(r["agreementStatus"], "Active");
    assert_eq!(
        r["company"],
        json!({"id": 250, "identifier": "GreenLane", "name": "Green Lane LLC"})
    );
    assert_eq!(r["billingCycle"], json!({"id": 1, "name": "Monthly"}));
    assert_eq!(r["billAmount"], 150.0);
    assert_eq!(r["prorateFlag"], false);
    // Invoiced through October: November's invoice is the next.
    assert_eq!(r["nextInvoiceDate"], "2026-11-01");
    assert_eq!(r["lastInvoiceDate"], "2026-10-01T00:00:00Z");
    assert!(r["lastInvoiceNumber"]
        .as_str()
        .is_some_and(|n| n.parse::<u64>().is_ok_and(|n| n > 1000)));
    // November has started and is not invoiced.
    assert_eq!(r["unbilledPeriods"], 1);
    assert!(r["_info"]["lastUpdated"].is_string());
    let agreement = cw.get("finance/agreements/4127").await.json();
    assert_eq!(agreement["nextInvoiceDate"], r["nextInvoiceDate"]);

    // A cancelled agreement is not invoiced any more.
    let cancelled = recap(&cw, 4141).await;
    assert_eq!(cancelled["agreementStatus"], "Cancelled");
    for k in ["nextInvoiceDate", "lastInvoiceDate", "lastInvoiceNumber"] {
        assert!(cancelled[k].is_null(), "{k}: {cancelled}");
    }
    assert_eq!(cancelled["unbilledPeriods"], 0);

    let some = cw
        .get("finance/agreementrecap/4127?fields=nextInvoiceDate,unbilledPeriods")
        .await
        .json();
    assert_eq!(
        some,
        json!({"nextInvoiceDate": "2026-11-01", "unbilledPeriods": 1})
    );

    let missing = cw.get("finance/agreementrecap/999999").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(keys(&missing.json()), ["code", "errors", "message"]);
    assert_eq!(missing.json()["code"], "NotFound");
}

#[tokio::test]
async fn the_recap_needs_finance_invoicing() {
    let sim = sim().await;
    let cw = Cw::new(&sim);
    sim.deny_permissions(&[("Finance › Invoicing", "Inquire")]);
    let r = cw.get("finance/agreementrecap/4127").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);
    assert_eq!(r.json()["code"], "Forbidden");
    assert_eq!(
        cw.get("finance/agreements/4127").await.status,
        StatusCode::OK
    );
    sim.deny_permissions(&[]);
    assert_eq!(
        cw.get("finance/agreementrecap/4127").await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn the_demo_agreements_are_invoiced_through_the_current_period() {
    let sim = sim().await;
    let cw = Cw::new(&sim);
    for (id, next, last, prorate) in [
        (4138, "2027-05-01", "2026-05-01T00:00:00Z", true),
        (4139, "2026-12-01", "2026-11-01T00:00:00Z", false),
        (4140, "2026-12-01", "2026-11-01T00:00:00Z", false),
    ] {
        let r = recap(&cw, id).await;
        assert_eq!(r["nextInvoiceDate"], next, "{id}");
        assert_eq!(r["lastInvoiceDate"], last, "{id}");
        assert_eq!(r["prorateFlag"], prorate, "{id}");
        assert_eq!(r["unbilledPeriods"], 0, "{id}");
    }
    // The others are invoiced by default through the period before today's.
    assert_eq!(recap(&cw, 4137).await["nextInvoiceDate"], "2026-11-01");

    let made = sim.invoice_run(today(), None);
    assert!(!made.is_empty());
    for inv in &made {
        let id = inv["agreementId"].as_u64().expect("agreementId");
        assert!(![4138, 4139, 4140, 4141].contains(&id), "{inv}");
    }
}

#[tokio::test]
async fn prorate_off_bills_whole_periods_and_never_goes_back() {
    let sim = sim().await;
    let cw = Cw::new(&sim);
    // Summit Ridge, monthly, no bill amount; its addition starts in October 2026.
    assert!(sim.set_agreement_calendar(4144, Some(day("2026-04-01")), false));
    let before = numeric(&recap(&cw, 4144).await["lastInvoiceNumber"]);
    let recurring = create(&cw, 4144, addition(2.0, 10.0, "2026-02-01", None)).await;
    let in_april = create(
        &cw,
        4144,
        addition(1.0, 49.0, "2026-04-10", Some("2026-04-20")),
    )
    .await;
    let in_march = create(
        &cw,
        4144,
        addition(1.0, 30.0, "2026-03-05", Some("2026-03-20")),
    )
    .await;
    let mid_march = create(&cw, 4144, addition(1.0, 8.0, "2026-03-15", None)).await;
    let mid_april = create(&cw, 4144, addition(3.0, 5.0, "2026-04-15", None)).await;

    let made = sim.invoice_run(day("2026-05-01"), Some(4144));
    assert_eq!(made.len(), 2, "{made:?}");
    let (april, may) = (&made[0], &made[1]);
    assert_eq!(
        (&april["date"], &april["periodStart"], &april["periodEnd"]),
        (
            &json!("2026-04-01"),
            &json!("2026-04-01"),
            &json!("2026-04-30")
        )
    );
    assert_eq!(
        lines(april),
        [
            line("recurring", Some(recurring), "20.00"),
            line("oneTime", Some(in_april), "49.00"),
            line("recurring", Some(mid_march), "8.00"),
        ]
    );
    assert_eq!(april["total"], "77.00");
    assert_eq!(april["currency"], "USD");
    let one_time = &april["lines"][1];
    assert_eq!(
        (&one_time["from"], &one_time["to"]),
        (&json!("2026-04-10"), &json!("2026-04-20"))
    );
    assert_eq!(
        (&one_time["quantity"], &one_time["unitPrice"]),
        (&json!("1"), &json!("49.00"))
    );
    assert_eq!(may["periodEnd"], "2026-05-31");
    assert_eq!(
        lines(may),
        [
            line("recurring", Some(recurring), "20.00"),
            line("recurring", Some(mid_march), "8.00"),
            line("recurring", Some(mid_april), "15.00"),
        ]
    );
    assert_eq!(may["total"], "43.00");
    // The one-time addition dated in invoiced March is never billed.
    assert!(sim
        .invoices(4144)
        .iter()
        .all(|i| lines(i).iter().all(|l| l.1 != Some(in_march))));

    assert!(before < number(april) && number(april) < number(may));
    let r = recap(&cw, 4144).await;
    assert_eq!(r["nextInvoiceDate"], "2026-06-01");
    assert_eq!(r["lastInvoiceDate"], "2026-05-01T00:00:00Z");
    assert_eq!(r["lastInvoiceNumber"], may["invoiceNumber"]);
    assert_eq!(r["unbilledPeriods"], 6);
    // Nothing more is due through May.
    assert!(sim.invoice_run(day("2026-05-01"), Some(4144)).is_empty());
    assert_eq!(sim.invoices(4144), made);
}

#[tokio::test]
async fn prorate_on_back_bills_a_back_dated_addition_on_the_next_invoice() {
    let sim = sim().await;
    let cw = Cw::new(&sim);
    // Invoiced through 31 March; 22.00 from 15 March arrives afterwards (SPEC §16).
    assert!(sim.set_agreement_calendar(4144, Some(day("2026-04-01")), true));
    let id = create(&cw, 4144, addition(1.0, 22.0, "2026-03-15", None)).await;
    let made = sim.invoice_run(day("2026-04-01"), Some(4144));
    assert_eq!(made.len(), 1, "{made:?}");
    let april = &made[0];
    assert_eq!(
        lines(april),
        [
            line("backBilled", Some(id), "12.06"),
            line("recurring", Some(id), "22.00"),
        ]
    );
    assert_eq!(april["total"], "34.06");
    let back = &april["lines"][0];
    assert_eq!(
        (&back["from"], &back["to"]),
        (&json!("2026-03-15"), &json!("2026-03-31"))
    );
    assert_eq!(back["unitPrice"], "12.0645");

    // Back-billed once only.
    let may = sim.invoice_run(day("2026-05-01"), Some(4144));
    assert_eq!(lines(&may[0]), [line("recurring", Some(id), "22.00")]);
    assert_eq!(may[0]["total"], "22.00");
}

#[tokio::test]
async fn prorate_on_bills_a_one_time_addition_in_invoiced_march_on_aprils_invoice() {
    let sim = sim().await;
    let cw = Cw::new(&sim);
    // Riverbend, monthly, no bill amount; its addition starts in October 2026.
    assert!(sim.set_agreement_calendar(4143, Some(day("2026-04-01")), true));
    let id = create(
        &cw,
        4143,
        addition(4.0, 22.0, "2026-03-15", Some("2026-03-31")),
    )
    .await;
    let made = sim.invoice_run(day("2026-04-01"), Some(4143));
    assert_eq!(made.len(), 1, "{made:?}");
    // 4 × 12.0645 = 48.258 → 48.26.
    assert_eq!(lines(&made[0]), [line("backBilled", Some(id), "48.26")]);
    assert_eq!(made[0]["lines"][0]["quantity"], "4");
    assert_eq!(made[0]["total"], "48.26");
}

#[tokio::test]
async fn quarterly_periods_bill_whole_or_prorated_over_the_quarter() {
    let sim = sim().await;
    let cw = Cw::new(&sim);
    // Fabrikam's Dynamics: quarterly from 2024-05-01, 5 × 210.00 since 2026-04-01.
    assert!(sim.set_agreement_calendar(4136, Some(day("2026-05-01")), false));
    let made = sim.invoice_run(day("2026-08-01"), Some(4136));
    let periods: Vec<(&Value, &Value, &Value)> = made
        .iter()
        .map(|i| (&i["periodStart"], &i["periodEnd"], &i["total"]))
        .collect();
    assert_eq!(
        periods,
        [
            (
                &json!("2026-05-01"),
                &json!("2026-07-31"),
                &json!("1050.00")
            ),
            (
                &json!("2026-08-01"),
                &json!("2026-10-31"),
                &json!("1050.00")
            ),
        ]
    );
    assert_eq!(recap(&cw, 4136).await["nextInvoiceDate"], "2026-11-01");

    // Contoso: quarterly, 1200.00 a quarter and 6 × 22.00; 90.00 from 15 June is active 47 of
    // the quarter's 92 days: 90 × 47 / 92 = 45.9783 → 45.98.
    assert!(sim.set_agreement_calendar(4133, Some(day("2026-05-01")), true));
    let id = create(&cw, 4133, addition(1.0, 90.0, "2026-06-15", None)).await;
    let made = sim.invoice_run(day("2026-05-01"), Some(4133));
    assert_eq!(
        lines(&made[0]),
        [
            line("agreement", None, "1200.00"),
            line("recurring", Some(30223), "132.00"),
            line("recurring", Some(id), "45.98"),
        ]
    );
    assert_eq!(made[0]["lines"][2]["unitPrice"], "45.9783");
    assert_eq!(made[0]["total"], "1377.98");
}

#[tokio::test]
async fn yearly_periods_bill_whole_or_prorated_over_the_year() {
    let sim = sim().await;
    let cw = Cw::new(&sim);
    // Green Lane's annual licences: yearly from 2024-01-01, invoiced through 2025.
    assert_eq!(recap(&cw, 4128).await["nextInvoiceDate"], "2026-01-01");
    let made = sim.invoice_run(day("2026-01-01"), Some(4128));
    assert_eq!(made.len(), 1);
    assert_eq!(made[0]["periodEnd"], "2026-12-31");
    assert_eq!(lines(&made[0]), [line("recurring", Some(30214), "297.00")]);
    assert_eq!(recap(&cw, 4128).await["nextInvoiceDate"], "2027-01-01");

    // Tailspin prorates: 10 × 99.00 from 2026-07-12 is active 293 of the year's 365 days:
    // 99 × 293 / 365 = 79.4712, × 10 = 794.71.
    assert!(sim.set_agreement_calendar(4138, Some(day("2026-05-01")), true));
    let made = sim.invoice_run(day("2026-05-01"), Some(4138));
    assert_eq!(made.len(), 1);
    assert_eq!(made[0]["periodEnd"], "2027-04-30");
    assert_eq!(lines(&made[0]), [line("recurring", Some(30227), "794.71")]);
    assert_eq!(made[0]["lines"][0]["unitPrice"], "79.4712");
}

#[tokio::test]
async fn february_of_a_leap_year_has_29_days() {
    let sim = sim().await;
    let cw = Cw::new(&sim);
    assert!(sim.set_agreement_calendar(4144, Some(day("2028-02-01")), true));
    // 22.00 from 15 February: 15 of 29 days, 22 × 15 / 29 = 11.3793 → 11.38.
    let id = create(&cw, 4144, addition(1.0, 22.0, "2028-02-15", None)).await;
    let made = sim.invoice_run(day("2028-02-01"), Some(4144));
    assert_eq!(made.len(), 1);
    assert_eq!(made[0]["periodEnd"], "2028-02-29");
    assert_eq!(
        lines(&made[0]),
        [
            line("recurring", Some(30235), "30.00"),
            line("recurring", Some(id), "11.38"),
        ]
    );
    assert_eq!(made[0]["lines"][1]["unitPrice"], "11.3793");
    assert_eq!(made[0]["total"], "41.38");
}

#[tokio::test]
async fn less_included_reduces_the_quantity_and_only_billable_additions_bill() {
    let sim = sim().await;
    let cw = Cw::new(&sim);
    assert!(sim.set_agreement_calendar(4144, Some(day("2026-04-01")), false));
    let mut partly = addition(10.0, 5.0, "2026-01-01", None);
    partly["lessIncluded"] = json!(4);
    let partly = create(&cw, 4144, partly).await;
    let mut all_included = addition(2.0, 9.0, "2026-01-01", None);
    all_included["lessIncluded"] = json!(5);
    create(&cw, 4144, all_included).await;
    for bill in ["DoNotBill", "NoCharge"] {
        let mut body = addition(3.0, 7.0, "2026-01-01", None);
        body["billCustomer"] = json!(bill);
        create(&cw, 4144, body).await;
    }
    let made = sim.invoice_run(day("2026-04-01"), Some(4144));
    assert_eq!(lines(&made[0]), [line("recurring", Some(partly), "30.00")]);
    assert_eq!(made[0]["lines"][0]["quantity"], "6");
    assert_eq!(made[0]["total"], "30.00");
}

#[tokio::test]
async fn the_next_invoice_date_moves_on_and_invoice_numbers_increase() {
    let sim = sim().await;
    let cw = Cw::new(&sim);
    let seeded = numeric(&recap(&cw, 4127).await["lastInvoiceNumber"]);
    let made = sim.invoice_run(day("2027-02-01"), Some(4127));
    let starts: Vec<Value> = made.iter().map(|i| i["periodStart"].clone()).collect();
    assert_eq!(
        starts,
        ["2026-11-01", "2026-12-01", "2027-01-01", "2027-02-01"]
    );
    for inv in &made {
        // 150.00 + 20 × 22.00 + 11 × 4.00; DoNotBill and NoCharge additions bill nothing.
        assert_eq!(
            lines(inv),
            [
                line("agreement", None, "150.00"),
                line("recurring", Some(30211), "440.00"),
                line("recurring", Some(30212), "44.00"),
            ]
        );
        assert_eq!(inv["total"], "634.00");
    }
    let numbers: Vec<u64> = made.iter().map(number).collect();
    assert!(numbers.windows(2).all(|w| w[0] < w[1]), "{numbers:?}");
    assert!(numbers[0] > seeded);
    let r = recap(&cw, 4127).await;
    assert_eq!(r["nextInvoiceDate"], "2027-03-01");
    assert_eq!(r["lastInvoiceDate"], "2027-02-01T00:00:00Z");
    assert_eq!(r["unbilledPeriods"], 0);
    let agreement = cw.get("finance/agreements/4127").await.json();
    assert_eq!(agreement["nextInvoiceDate"], "2027-03-01");

    // Every agreement through today: numbers stay unique across agreements.
    let rest = sim.invoice_run(today(), None);
    assert!(rest.iter().all(|i| i["agreementId"] != 4127));
    let all: Vec<Value> = client()
        .get(control(&sim, "invoices"))
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("json");
    assert_eq!(all.len(), made.len() + rest.len());
    let unique: HashSet<u64> = all.iter().map(number).collect();
    assert_eq!(unique.len(), all.len());
    assert!(all.iter().all(|i| number(i) > seeded));
    assert_eq!(recap(&cw, 4130).await["unbilledPeriods"], 0);
}

#[tokio::test]
async fn the_control_api_places_the_calendar_runs_and_lists_invoices_unrecorded() {
    let sim = sim().await;
    let c = client();
    let r = reply(
        c.post(control(&sim, "agreements/4144/calendar"))
            .json(&json!({"nextInvoiceDate": "2026-04-01", "prorateFlag": true})),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(
        r.json(),
        json!({"id": 4144, "nextInvoiceDate": "2026-04-01", "prorateFlag": true})
    );
    let cw = Cw::new(&sim);
    let rc = recap(&cw, 4144).await;
    assert_eq!(
        (&rc["nextInvoiceDate"], &rc["prorateFlag"]),
        (&json!("2026-04-01"), &json!(true))
    );
    assert_eq!(rc["lastInvoiceDate"], "2026-03-01T00:00:00Z");

    let run = reply(
        c.post(control(&sim, "invoice-run"))
            .json(&json!({"through": "2026-05-01", "agreementId": 4144})),
    )
    .await;
    assert_eq!(run.status, StatusCode::OK, "{}", run.text);
    assert_eq!(run.json().as_array().map(Vec::len), Some(2));
    let listed = reply(
        c.get(control(&sim, "invoices"))
            .query(&[("agreementId", "4144")]),
    )
    .await;
    assert_eq!(listed.json(), run.json());
    assert_eq!(listed.json(), Value::Array(sim.invoices(4144)));

    for (path, body, status) in [
        (
            "invoice-run",
            json!({"through": "April"}),
            StatusCode::BAD_REQUEST,
        ),
        (
            "invoice-run",
            json!({"through": "2026-05-01", "agreementId": 1}),
            StatusCode::NOT_FOUND,
        ),
        (
            "agreements/1/calendar",
            json!({"nextInvoiceDate": null}),
            StatusCode::NOT_FOUND,
        ),
        (
            "agreements/4144/calendar",
            json!({"nextInvoiceDate": "soon"}),
            StatusCode::BAD_REQUEST,
        ),
    ] {
        let r = reply(c.post(control(&sim, path)).json(&body)).await;
        assert_eq!(r.status, status, "{path} {body}: {}", r.text);
    }

    // No next invoice date: nothing is invoiced.
    let r = reply(
        c.post(control(&sim, "agreements/4144/calendar"))
            .json(&json!({"nextInvoiceDate": null})),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert!(recap(&cw, 4144).await["nextInvoiceDate"].is_null());
    assert!(sim.invoice_run(today(), Some(4144)).is_empty());
    assert!(sim.requests().iter().all(|q| !q.path.starts_with("/_sim")));
}

#[tokio::test]
async fn invoice_writes_are_refused_and_recorded() {
    let sim = sim().await;
    let cw = Cw::new(&sim);
    sim.clear_requests();
    let base = "/v4_6_release/apis/3.0/";
    for (method, path, status) in [
        (
            reqwest::Method::POST,
            "finance/agreements/4127/invoice",
            StatusCode::METHOD_NOT_ALLOWED,
        ),
        (
            reqwest::Method::POST,
            "finance/invoices",
            StatusCode::METHOD_NOT_ALLOWED,
        ),
        (
            reqwest::Method::PATCH,
            "finance/invoices/1001",
            StatusCode::METHOD_NOT_ALLOWED,
        ),
        (
            reqwest::Method::DELETE,
            "finance/invoices/1001",
            StatusCode::METHOD_NOT_ALLOWED,
        ),
        (
            reqwest::Method::GET,
            "finance/invoices/1001",
            StatusCode::NOT_FOUND,
        ),
    ] {
        let r = reply(cw.write(method.clone(), path).json(&json!({}))).await;
        assert_eq!(r.status, status, "{method} {path}: {}", r.text);
        assert_eq!(keys(&r.json()), ["code", "errors", "message"], "{}", r.text);
        let seen = sim.requests();
        assert!(
            seen.iter().any(|q| q.method == method.as_str()
                && q.path == format!("{base}{path}")
                && q.status == status.as_u16()),
            "{method} {path} recorded: {seen:?}"
        );
    }
    assert_eq!(
        reply(cw.write(reqwest::Method::POST, "finance/agreements/4127/invoice"))
            .await
            .json()["code"],
        "MethodNotAllowed"
    );
    assert!(sim.invoices(4127).is_empty());
    assert_eq!(recap(&cw, 4127).await["nextInvoiceDate"], "2026-11-01");
}

const INVOICED: &str = "This addition has been invoiced and cannot be deleted";

fn addition_path(agreement: u64, id: u64) -> String {
    format!("finance/agreements/{agreement}/additions/{id}")
}

async fn delete(cw: &Cw, agreement: u64, id: u64) -> Reply {
    reply(cw.write(reqwest::Method::DELETE, &addition_path(agreement, id))).await
}

/// The addition as GET shows it (`None` when it is not there).
async fn get_addition(cw: &Cw, agreement: u64, id: u64) -> Option<Value> {
    let r = cw.get(&addition_path(agreement, id)).await;
    match r.status {
        StatusCode::OK => Some(r.json()),
        StatusCode::NOT_FOUND => None,
        other => panic!("GET addition {id}: {other} {}", r.text),
    }
}

/// A DELETE refused because the addition has been invoiced, and nothing changed: the addition
/// and its agreement are as they were.
async fn assert_refused(sim: &SimHandle, cw: &Cw, agreement: u64, id: u64) {
    let before = get_addition(cw, agreement, id).await.expect("there before");
    let agreement_before = cw
        .get(&format!("finance/agreements/{agreement}"))
        .await
        .json();
    let all_before = sim.additions_of(agreement);
    let r = delete(cw, agreement, id).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{id}: {}", r.text);
    let body = r.json();
    assert_eq!(keys(&body), keys(&fixture("connectwise/error_400.json")));
    assert_eq!(body["code"], "InvalidObject", "{body}");
    assert_eq!(
        body["errors"],
        json!([{
            "code": "InvalidField",
            "message": INVOICED,
            "resource": "agreementAddition",
            "field": "id",
        }])
    );
    assert_eq!(get_addition(cw, agreement, id).await, Some(before), "{id}");
    assert_eq!(sim.additions_of(agreement), all_before, "{id}");
    assert_eq!(
        cw.get(&format!("finance/agreements/{agreement}"))
            .await
            .json(),
        agreement_before,
        "{id}: the agreement is not touched"
    );
}

async fn assert_deleted(sim: &SimHandle, cw: &Cw, agreement: u64, id: u64) {
    let r = delete(cw, agreement, id).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{id}: {}", r.text);
    assert_eq!(get_addition(cw, agreement, id).await, None, "{id}");
    assert!(sim.additions_of(agreement).iter().all(|a| a["id"] != id));
}

#[tokio::test]
async fn seeded_additions_active_before_the_boundary_cannot_be_deleted() {
    let sim = sim().await;
    let cw = Cw::new(&sim);
    // Green Lane, invoiced through October: 20 × M365 since 2025-03-01, and an Exchange
    // addition that ended in 2025 (DoNotBill, but its periods are invoiced all the same).
    assert_eq!(recap(&cw, 4127).await["nextInvoiceDate"], "2026-11-01");
    assert_refused(&sim, &cw, 4127, 30211).await;
    assert_refused(&sim, &cw, 4127, 30210).await;
    // Lakeshore's old agreement was invoiced until it was cancelled.
    assert_eq!(recap(&cw, 4141).await["agreementStatus"], "Cancelled");
    assert_refused(&sim, &cw, 4141, 30231).await;

    // Riverbend's addition started on 2026-10-07, in October, invoiced: refused. Were the
    // agreement invoiced only through September, nothing of it would be on an invoice.
    assert_refused(&sim, &cw, 4143, 30234).await;
    assert!(sim.set_agreement_calendar(4143, Some(day("2026-10-01")), false));
    assert_deleted(&sim, &cw, 4143, 30234).await;
}

#[tokio::test]
async fn additions_created_and_deleted_before_an_invoice_run_are_deleted() {
    let sim = sim().await;
    let cw = Cw::new(&sim);
    // Invoiced through March: neither a back-dated addition in March nor one in April is on
    // an invoice yet, with prorateFlag off or on.
    for prorate in [false, true] {
        assert!(sim.set_agreement_calendar(4144, Some(day("2026-04-01")), prorate));
        let back_dated = create(&cw, 4144, addition(1.0, 22.0, "2026-03-15", None)).await;
        let one_time = create(
            &cw,
            4144,
            addition(4.0, 22.0, "2026-03-15", Some("2026-03-31")),
        )
        .await;
        let april = create(&cw, 4144, addition(2.0, 10.0, "2026-04-10", None)).await;
        for id in [back_dated, one_time, april] {
            assert_deleted(&sim, &cw, 4144, id).await;
        }
    }
    // As the copy a desk removes after a race (SPEC §15): created in today's period.
    let copy = create(&cw, 4127, addition(5.0, 22.0, "2026-11-16", None)).await;
    assert_deleted(&sim, &cw, 4127, copy).await;
    assert!(sim.invoices(4144).is_empty() && sim.invoices(4127).is_empty());
}

#[tokio::test]
async fn additions_an_invoice_run_billed_cannot_be_deleted() {
    let sim = sim().await;
    let cw = Cw::new(&sim);
    assert!(sim.set_agreement_calendar(4144, Some(day("2026-04-01")), false));
    let recurring = create(&cw, 4144, addition(2.0, 10.0, "2026-04-01", None)).await;
    // Starts mid-April: April's invoice has no line for it (prorateFlag off), but April is
    // invoiced and it was active then.
    let mid_april = create(&cw, 4144, addition(3.0, 5.0, "2026-04-15", None)).await;
    // Dated in March, invoiced before it was created: never billed.
    let in_march = create(
        &cw,
        4144,
        addition(1.0, 30.0, "2026-03-05", Some("2026-03-20")),
    )
    .await;
    // Starts in May, after the run.
    let in_may = create(&cw, 4144, addition(1.0, 9.0, "2026-05-10", None)).await;
    let made = sim.invoice_run(day("2026-04-01"), Some(4144));
    assert_eq!(
        lines(&made[0]),
        [line("recurring", Some(recurring), "20.00")]
    );
    assert_refused(&sim, &cw, 4144, recurring).await;
    assert_refused(&sim, &cw, 4144, mid_april).await;
    assert_deleted(&sim, &cw, 4144, in_march).await;
    assert_deleted(&sim, &cw, 4144, in_may).await;

    // prorateFlag on: ConnectWise back-bills March's days on April's invoice.
    assert!(sim.set_agreement_calendar(4143, Some(day("2026-04-01")), true));
    let back_dated = create(&cw, 4143, addition(1.0, 22.0, "2026-03-15", None)).await;
    let made = sim.invoice_run(day("2026-04-01"), Some(4143));
    assert_eq!(
        lines(&made[0])[0],
        line("backBilled", Some(back_dated), "12.06")
    );
    assert_refused(&sim, &cw, 4143, back_dated).await;

    // ConnectWise invoiced May without the simulator's run (the calendar placed): an addition
    // active in May has been on that invoice.
    let may = create(
        &cw,
        4143,
        addition(1.0, 7.0, "2026-05-20", Some("2026-05-25")),
    )
    .await;
    let june = create(&cw, 4143, addition(1.0, 7.0, "2026-06-02", None)).await;
    assert!(sim.set_agreement_calendar(4143, Some(day("2026-06-01")), true));
    assert_refused(&sim, &cw, 4143, may).await;
    assert_deleted(&sim, &cw, 4143, june).await;
}

#[tokio::test]
async fn deleting_twice_finds_nothing_the_second_time_and_the_log_shows_each_answer() {
    let sim = sim().await;
    let cw = Cw::new(&sim);
    let id = create(&cw, 4127, addition(5.0, 22.0, "2026-11-16", None)).await;
    sim.clear_requests();
    assert_eq!(delete(&cw, 4127, id).await.status, StatusCode::NO_CONTENT);
    let again = delete(&cw, 4127, id).await;
    assert_eq!(again.status, StatusCode::NOT_FOUND, "{}", again.text);
    let body = again.json();
    assert_eq!(keys(&body), keys(&fixture("connectwise/error_401.json")));
    assert_eq!(
        body,
        json!({
            "code": "NotFound",
            "message": format!("Agreement addition with id {id} was not found."),
            "errors": null,
        })
    );
    let never = delete(&cw, 4127, 999_999).await;
    assert_eq!(never.status, StatusCode::NOT_FOUND);
    assert_eq!(never.json()["code"], "NotFound");
    let invoiced = delete(&cw, 4127, 30211).await;
    assert_eq!(invoiced.status, StatusCode::BAD_REQUEST);

    let seen: Vec<(String, String, u16)> = sim
        .requests()
        .into_iter()
        .map(|q| (q.method, q.path, q.status))
        .collect();
    let path = |aid: u64| format!("/v4_6_release/apis/3.0/{}", addition_path(4127, aid));
    assert_eq!(
        seen,
        [
            ("DELETE".to_string(), path(id), 204),
            ("DELETE".to_string(), path(id), 404),
            ("DELETE".to_string(), path(999_999), 404),
            ("DELETE".to_string(), path(30211), 400),
        ]
    );
}
