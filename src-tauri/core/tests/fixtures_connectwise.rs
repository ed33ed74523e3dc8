//! The ConnectWise wire models read every realistic response body in tests/fixtures/connectwise.

use agreement_sync_core::connectwise::wire::*;
use chrono::{TimeZone, Utc};
use rust_decimal_macros::dec;

fn fixture(name: &str) -> String {
    let path = format!(
        "{}/tests/fixtures/connectwise/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn agreement() {
    let a: Agreement = serde_json::from_str(&fixture("agreement.json")).unwrap();
    assert_eq!(a.id, 4127);
    assert_eq!(a.company.id, 250);
    assert_eq!(a.company.identifier, "GreenLane");
    assert_eq!(a.billing_cycle.as_ref().unwrap().name, "Monthly");
    assert_eq!(a.bill_amount, Some(dec!(150)));
    assert!(!a.prorate_flag);
    assert!(!a.cancelled_flag);
    assert_eq!(a.agreement_status.as_deref(), Some("Active"));
    assert_eq!(
        a.start_date,
        Some(Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap())
    );
    assert_eq!(a.end_date, None);
    let c = a.currency.unwrap();
    assert_eq!(c.code(), Some("USD"));
    assert_eq!(c.number_of_decimals, Some(2));
    assert_eq!(
        a.info.unwrap().last_updated,
        Some(Utc.with_ymd_and_hms(2026, 11, 2, 14, 21, 7).unwrap())
    );
}

#[test]
fn additions_active_cancelled_and_nulls() {
    let list: Vec<Addition> = serde_json::from_str(&fixture("additions.json")).unwrap();
    assert_eq!(list.len(), 3);
    let bp = &list[0];
    assert_eq!(bp.product.identifier, "M365-BP");
    assert_eq!(bp.quantity, Some(dec!(25)));
    assert_eq!(bp.unit_price, Some(dec!(22)));
    assert_eq!(bp.unit_cost, Some(dec!(18.7)));
    assert_eq!(bp.bill_customer, "Billable");
    assert_eq!(bp.cancelled_date, None);
    let exo = &list[1];
    assert_eq!(
        exo.cancelled_date,
        Some(Utc.with_ymd_and_hms(2025, 6, 30, 0, 0, 0).unwrap())
    );
    assert_eq!(exo.agreement_status.as_deref(), Some("Cancelled"));
    assert!(exo.taxable_flag);
    let az = &list[2];
    assert_eq!(az.unit_price, Some(dec!(0.0025)));
    assert_eq!(az.unit_cost, None);
    assert_eq!(az.bill_customer, "NoCharge");
}

#[test]
fn catalog() {
    let items: Vec<CatalogItem> = serde_json::from_str(&fixture("catalog.json")).unwrap();
    assert_eq!(items.len(), 3);
    assert_eq!(
        items[0].manufacturer_part_number.as_deref(),
        Some("CFQ7TTC0LCHC")
    );
    assert_eq!(items[0].price, Some(dec!(22)));
    assert!(items[2].inactive_flag);
    assert_eq!(items[2].cost, None);
}

#[test]
fn billing_cycles_currencies_companies() {
    let cycles: Vec<BillingCycle> = serde_json::from_str(&fixture("billing_cycles.json")).unwrap();
    assert_eq!(cycles.len(), 5);
    assert_eq!(cycles[2].billing_options.as_deref(), Some("SemiAnnual"));
    let currencies: Vec<Currency> = serde_json::from_str(&fixture("currencies.json")).unwrap();
    assert_eq!(currencies[0].code(), Some("USD"));
    assert_eq!(currencies[0].currency_code.as_ref().unwrap().name, "USD");
    assert_eq!(currencies[2].number_of_decimals, Some(0));
    let companies: Vec<Company> = serde_json::from_str(&fixture("companies.json")).unwrap();
    assert_eq!(companies[0].name, "Green Lane LLC");
    assert_eq!(companies[1].identifier, "GreenLeaf");
}

#[test]
fn company_info() {
    let info: CompanyInfo = serde_json::from_str(&fixture("companyinfo.json")).unwrap();
    assert_eq!(info.codebase, "v4_6_release/");
    assert_eq!(info.company_name, "Acme Cloud Reseller");
}

#[test]
fn error_bodies_become_one_clear_sentence() {
    let e: ApiError = serde_json::from_str(&fixture("error_400.json")).unwrap();
    assert_eq!(
        e.describe(),
        "agreementAddition object is invalid — The billCustomer field is required."
    );
    let e: ApiError = serde_json::from_str(&fixture("error_401.json")).unwrap();
    assert_eq!(e.describe(), "Authentication failed.");
}

/// A fixture with some of its text replaced, as another tenant or API version sends it.
fn variant(name: &str, replacements: &[(&str, &str)]) -> String {
    let mut text = fixture(name);
    for (from, to) in replacements {
        assert!(text.contains(from), "{name} has no {from}");
        text = text.replace(from, to);
    }
    text
}

#[test]
fn currency_codes_as_a_bare_name_or_a_reference() {
    let text = variant(
        "currencies.json",
        &[(
            r#""currencyCode": {"id": 148, "name": "USD"}"#,
            r#""currencyCode": "USD""#,
        )],
    );
    let currencies: Vec<Currency> = serde_json::from_str(&text).unwrap();
    assert_eq!(currencies[0].currency_code.as_ref().unwrap().name, "USD");
    assert_eq!(currencies[1].currency_code.as_ref().unwrap().name, "EUR");
    let without_identifier = variant(
        "currencies.json",
        &[
            (r#""currencyIdentifier": "USD", "#, ""),
            (
                r#""currencyCode": {"id": 148, "name": "USD"}"#,
                r#""currencyCode": "USD""#,
            ),
        ],
    );
    let currencies: Vec<Currency> = serde_json::from_str(&without_identifier).unwrap();
    assert_eq!(currencies[0].code(), Some("USD"));
}

#[test]
fn agreement_numbers_as_text_and_references_as_names() {
    let text = variant(
        "agreement.json",
        &[
            (r#""id": 4127"#, r#""id": "4127""#),
            (r#""billAmount": 150.0"#, r#""billAmount": "150.00""#),
            (r#""prorateFlag": false"#, r#""prorateFlag": "false""#),
            (r#""numberOfDecimals": 2"#, r#""numberOfDecimals": "2""#),
        ],
    );
    let a: Agreement = serde_json::from_str(&text).unwrap();
    assert_eq!(a.id, 4127);
    assert_eq!(a.bill_amount, Some(dec!(150)));
    assert!(!a.prorate_flag);
    assert_eq!(a.currency.unwrap().number_of_decimals, Some(2));
    // A billing cycle named without its id.
    let cycle: serde_json::Value = serde_json::from_str(&fixture("agreement.json")).unwrap();
    let mut named = cycle.clone();
    named["billingCycle"] = serde_json::json!("Monthly");
    named["company"]["id"] = serde_json::json!("250");
    let a: Agreement = serde_json::from_value(named).unwrap();
    assert_eq!(a.billing_cycle.unwrap().name, "Monthly");
    assert_eq!(a.company.id, 250);
}

#[test]
fn fields_the_app_does_not_use_never_fail_a_read() {
    let mut a: serde_json::Value = serde_json::from_str(&fixture("agreement.json")).unwrap();
    a["type"] = serde_json::json!(["odd"]);
    a["_info"] = serde_json::json!("yesterday");
    a["noEndingDateFlag"] = serde_json::json!({"x": 1});
    let read: Agreement = serde_json::from_value(a).unwrap();
    assert_eq!(read.id, 4127);
    let mut list: serde_json::Value = serde_json::from_str(&fixture("additions.json")).unwrap();
    list[0]["serialNumber"] = serde_json::json!({"x": 1});
    list[0]["extCost"] = serde_json::json!("n/a");
    list[0]["_info"] = serde_json::json!([]);
    let read: Vec<Addition> = serde_json::from_value(list).unwrap();
    assert_eq!(read[0].quantity, Some(dec!(25)));
}

#[test]
fn one_unreadable_record_of_a_list_is_left_out_and_named() {
    use agreement_sync_core::error::Service;
    use agreement_sync_core::reading::Answer;
    let text = variant(
        "companies.json",
        &[(
            r#""identifier": "GreenLeaf""#,
            r#""identifier": ["GreenLeaf"]"#,
        )],
    );
    let listed = Answer {
        service: Service::ConnectWise,
        what: "company list",
        content_type: Some("application/json"),
        body: text.as_bytes(),
    }
    .list::<Company>()
    .unwrap();
    assert_eq!(listed.rows.len(), 1);
    assert_eq!(listed.rows[0].name, "Green Lane LLC");
    assert_eq!(listed.unreadable.len(), 1);
    let left_out = &listed.unreadable[0];
    assert_eq!(left_out.record, "company 251");
    assert_eq!(left_out.field.as_deref(), Some("identifier"));
    assert_eq!(
        left_out.message,
        "Company 251 was left out of the company list from ConnectWise: its identifier could not be read (a list where text was expected)"
    );
}

#[test]
fn a_web_page_is_not_read_as_data() {
    use agreement_sync_core::error::{Error, Service};
    use agreement_sync_core::reading::Answer;
    let page =
        "<!DOCTYPE html>\n<html><head><title>ConnectWise</title></head><body>Log in</body></html>";
    let err = Answer {
        service: Service::ConnectWise,
        what: "currencies",
        content_type: Some("text/html"),
        body: page.as_bytes(),
    }
    .list::<Currency>()
    .unwrap_err();
    assert!(matches!(err, Error::WebPage { .. }), "{err:?}");
    assert_eq!(
        err.to_string(),
        "ConnectWise answered with a web page instead of data (currencies): check the site address"
    );
}
