//! The marketplace wire models read every realistic response body in tests/fixtures/marketplace.

use agreement_sync_core::marketplace::wire::*;
use chrono::{NaiveDate, TimeZone, Utc};
use rust_decimal_macros::dec;

fn fixture(name: &str) -> String {
    let path = format!(
        "{}/tests/fixtures/marketplace/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn token() {
    let t: Token = serde_json::from_str(&fixture("token.json")).unwrap();
    assert!(t.token.starts_with("eyJ"));
    assert_eq!(t.expires_in_seconds, 3600);
}

#[test]
fn orders_page() {
    let p: OrdersPage = serde_json::from_str(&fixture("orders_page.json")).unwrap();
    assert_eq!(p.pagination.total, 241);
    assert_eq!(p.data.len(), 3);
    let first = &p.data[0];
    assert_eq!(first.id, "1000231");
    assert_eq!(first.order_type, "change");
    assert_eq!(first.customer_id, "1000048531");
    assert_eq!(
        first.creation_date,
        Utc.with_ymd_and_hms(2026, 11, 16, 10, 4, 11).unwrap()
    );
    assert_eq!(p.data[2].status, "processing");
}

#[test]
fn change_order_with_signed_quantities() {
    let o: Order = serde_json::from_str(&fixture("order_change.json")).unwrap();
    assert_eq!(o.products.len(), 2);
    assert_eq!(o.products[0].quantity, dec!(5));
    assert_eq!(o.products[1].quantity, dec!(-2));
    assert_eq!(
        o.products[1].extended_price.as_ref().unwrap().amount,
        dec!(-8.00)
    );
    assert_eq!(o.products[0].subscription_id.as_deref(), Some("1000517"));
}

#[test]
fn billing_order_with_fractional_usage() {
    let o: Order = serde_json::from_str(&fixture("order_billing.json")).unwrap();
    assert_eq!(o.order_type, "billing");
    assert_eq!(o.products[0].quantity, dec!(18250.5));
    assert_eq!(
        o.products[0].extended_price.as_ref().unwrap().amount,
        dec!(45.63)
    );
}

#[test]
fn subscription() {
    let s: Subscription = serde_json::from_str(&fixture("subscription.json")).unwrap();
    assert_eq!(
        s.billing_period,
        BillingPeriod {
            unit: "month".into(),
            duration: 1
        }
    );
    assert_eq!(s.billing_start_date, NaiveDate::from_ymd_opt(2025, 3, 1));
    assert_eq!(
        s.creation_date,
        NaiveDate::from_ymd_opt(2025, 3, 1).unwrap()
    );
    assert_eq!(s.products.len(), 2);
    let bp = &s.products[0];
    assert_eq!(bp.quantity, dec!(25));
    assert_eq!(bp.unit_price.as_ref().unwrap().amount, dec!(22.00));
    assert_eq!(bp.prices.len(), 2);
    assert_eq!(bp.costs[0].amount, dec!(18.70));
    assert_eq!(s.total_price.as_ref().unwrap().currency, "USD");
}

#[test]
fn customer() {
    let c: Customer = serde_json::from_str(&fixture("customer.json")).unwrap();
    assert_eq!(c.id, "1000048531");
    assert_eq!(c.name, "Green Lane LLC");
}

#[test]
fn error_body() {
    let e: ApiError = serde_json::from_str(&fixture("error_401.json")).unwrap();
    assert_eq!(e.message, "Access token is invalid or expired");
    assert!(e.correlation_id.unwrap().starts_with("a8n-"));
}

#[test]
fn dates_in_both_formats() {
    let a = parse_date_time("2026-11-16 10:04:11").unwrap();
    let b = parse_date_time("2026-11-16T10:04:11Z").unwrap();
    let c = parse_date_time("2026-11-16T12:04:11+02:00").unwrap();
    assert_eq!(a, b);
    assert_eq!(b, c);
    assert_eq!(
        parse_date("2025-03-01"),
        NaiveDate::from_ymd_opt(2025, 3, 1)
    );
    assert_eq!(
        parse_date("2025-03-01T00:00:00Z"),
        NaiveDate::from_ymd_opt(2025, 3, 1)
    );
    assert!(parse_date_time("16/11/2026").is_none());
}

#[test]
fn unreadable_body_names_the_problem() {
    let err = serde_json::from_str::<Order>(r#"{"id":"1","type":"sales","customerId":"2","creationDate":"yesterday","status":"completed"}"#)
        .unwrap_err();
    assert!(err.to_string().contains("yesterday"), "{err}");
}

fn variant(name: &str, replacements: &[(&str, &str)]) -> String {
    let mut text = fixture(name);
    for (from, to) in replacements {
        assert!(text.contains(from), "{name} has no {from}");
        text = text.replace(from, to);
    }
    text
}

#[test]
fn ids_as_numbers_and_numbers_as_text() {
    let page = variant(
        "orders_page.json",
        &[
            (r#""id": "1000231""#, r#""id": 1000231"#),
            (r#""total": 241"#, r#""total": "241""#),
        ],
    );
    let p: OrdersPage = serde_json::from_str(&page).unwrap();
    assert_eq!(p.data[0].id, "1000231");
    assert_eq!(p.pagination.total, 241);

    let mut sub: serde_json::Value = serde_json::from_str(&fixture("subscription.json")).unwrap();
    sub["billingPeriod"]["duration"] = serde_json::json!("1");
    sub["products"][0]["quantity"] = serde_json::json!("25");
    sub["renewalDate"] = serde_json::json!({"odd": true});
    let s: Subscription = serde_json::from_value(sub).unwrap();
    assert_eq!(s.billing_period.duration, 1);
    assert_eq!(s.products[0].quantity, dec!(25));
}

#[test]
fn one_unreadable_order_of_a_page_is_left_out_and_named() {
    use agreement_sync_core::error::Service;
    use agreement_sync_core::reading::{records, Answer};
    let text = variant(
        "orders_page.json",
        &[(
            r#""creationDate": "2026-11-15 00:00:02""#,
            r#""creationDate": "soon""#,
        )],
    );
    let page: Page<serde_json::Value> = Answer {
        service: Service::Marketplace,
        what: "order list",
        content_type: None,
        body: text.as_bytes(),
    }
    .one()
    .unwrap();
    let listed = records::<OrderSummary>(Service::Marketplace, "order list", page.data);
    let ids: Vec<&str> = listed.rows.iter().map(|o| o.id.as_str()).collect();
    assert_eq!(ids, ["1000231", "1000229"]);
    assert_eq!(listed.unreadable[0].record, "order 1000230");
    assert_eq!(
        listed.unreadable[0].reason,
        "its creation date could not be read (“soon” is not a date and time)"
    );
}
