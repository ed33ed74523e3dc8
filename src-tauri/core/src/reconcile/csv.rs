//! The reconcile report as CSV (RFC 4180): one line per product of each customer shown, both
//! sides and the effect, for the billing person's records or a spreadsheet.

use chrono::NaiveDate;

use crate::batch::csv::field;
use crate::batch::SavedFile;
use crate::error::{Error, ErrorField, Result};
use crate::reconcile::present::{CustomerView, ProductRow};

const HEADER: [&str; 19] = [
    "Customer",
    "Account id",
    "Company",
    "Product",
    "Outcome",
    "Subscriptions",
    "Marketplace status",
    "Marketplace quantity",
    "Marketplace unit price",
    "Marketplace amount",
    "Agreements",
    "Addition ids",
    "ConnectWise quantity",
    "ConnectWise unit price",
    "ConnectWise amount",
    "Effect",
    "Per",
    "Currency",
    "In words",
];

/// The additions that count for what ConnectWise bills (those without a cancel date reached).
fn counted(p: &ProductRow) -> impl Iterator<Item = &crate::reconcile::present::AdditionView> {
    p.connectwise.additions.iter().filter(|a| !a.ending)
}

fn joined<'a>(values: impl Iterator<Item = &'a str>) -> String {
    let mut out: Vec<&str> = Vec::new();
    for v in values {
        if !out.contains(&v) {
            out.push(v);
        }
    }
    out.join(" ")
}

/// One line per product, lines ending in CRLF.
pub fn render(customers: &[CustomerView]) -> String {
    let mut out = HEADER.join(",");
    out.push_str("\r\n");
    for c in customers {
        for p in &c.products {
            let ids = p
                .connectwise
                .additions
                .iter()
                .map(|a| a.id.to_string())
                .collect::<Vec<_>>()
                .join(" ");
            let quantities = counted(p)
                .map(|a| a.quantity.as_str())
                .collect::<Vec<_>>()
                .join(" + ");
            let line = [
                field(&c.customer_name, true),
                field(&c.customer_id, true),
                field(c.company_name.as_deref().unwrap_or(""), true),
                field(&p.product_name, true),
                field(&p.label, false),
                field(&p.marketplace.subscription_ids.join(" "), true),
                field(&p.marketplace.status_label, false),
                field(&p.marketplace.quantity, false),
                field(p.marketplace.unit_price.as_deref().unwrap_or(""), false),
                field(&p.marketplace_amount, false),
                field(&p.connectwise.agreements.join("; "), true),
                field(&ids, false),
                field(&quantities, false),
                field(&joined(counted(p).map(|a| a.unit_price.as_str())), false),
                field(p.connectwise_amount.as_deref().unwrap_or(""), false),
                field(p.effect.as_deref().unwrap_or(""), false),
                field(&p.per, false),
                field(&p.marketplace.currency, true),
                field(&p.words, true),
            ];
            out.push_str(&line.join(","));
            out.push_str("\r\n");
        }
    }
    out
}

/// `agreement-sync-reconcile-<yyyy-mm-dd>.csv`
pub fn file_name(today: NaiveDate) -> String {
    format!("agreement-sync-reconcile-{}.csv", today.format("%Y-%m-%d"))
}

/// Refuses an export that would hold no customer.
pub fn refuse_empty(customers: &[CustomerView]) -> Result<()> {
    if customers.is_empty() {
        return Err(Error::invalid(
            ErrorField::Reconcile,
            "There is nothing to export: reconcile the book first (or clear the filters).",
        ));
    }
    Ok(())
}

/// Writes the report to `to` (its folder created if needed); `rows` counts its products.
pub fn save(
    customers: &[CustomerView],
    to: &crate::saving::Destination,
    today: NaiveDate,
) -> Result<SavedFile> {
    refuse_empty(customers)?;
    let path = crate::saving::write(to, &file_name(today), &render(customers))?;
    Ok(SavedFile {
        path: path.display().to_string(),
        rows: customers.iter().map(|c| c.products.len() as u32).sum(),
    })
}
