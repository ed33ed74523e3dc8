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
