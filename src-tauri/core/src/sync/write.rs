//! One write of a sync (SPEC §7), pure: what is sent for a planned row, how the write is
//! recognised in a re-read of the agreement (to decide whether a write with a lost answer
//! happened), and what changed in an agreement since it was reviewed.

use std::collections::HashSet;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::connectwise::wire::{Addition, NewAddition, PatchOp, ProductId};
use crate::error::{Error, Result};
use crate::ledger::{self, KeyPlace};
use crate::money::{self, Currency};
use crate::plan::PlannedAddition;
use crate::record::write::{Action, BillCustomer, WriteAction};
pub use crate::record::write::{Field, WriteKind, WriteSpec};

fn day(d: Option<chrono::DateTime<chrono::Utc>>) -> Option<NaiveDate> {
    d.map(|d| d.date_naive())
}

/// What a row that sets a cancel date stops billing: "stops 440.00 / period from 2026-11-16".
pub fn stops(r: &PlannedAddition, currency: &Currency) -> String {
    let amount = money::format(r.ext_price, currency.amount_places());
    match r.cancel_date.and_then(|d| d.succ_opt()) {
        Some(from) => format!("stops {amount} / period from {from}"),
        None => format!("stops {amount} / period"),
    }
}

/// A planned write in words, the same in the review's Summary and in the sync's progress:
/// "Microsoft 365 (addition 30211): cancel on 2026-11-15", "25 × Microsoft 365 @ 22.00 USD",
/// "5 × Microsoft 365 @ 11.0000 USD (one-time, prorated)".
pub fn describe_write(r: &PlannedAddition, currency: &Currency) -> String {
    let amount = money::format(r.ext_price, currency.amount_places());
    let id = r.existing_addition_id.unwrap_or_default();
    match (r.action, r.cancel_date) {
        // An undo's removal, and a cancel date an undo takes off: what they stop or bill again.
        (Action::Remove, _) => format!(
            "{} (addition {id}): removed — {} × {} {}, {amount} {} no longer billed",
            r.product_name,
            r.quantity.normalize(),
            money::format_price(r.unit_price, currency),
            currency.code,
            currency.code
        ),
        (Action::Cancel, None) => format!(
            "{} (addition {id}): cancel date taken off — bills {amount} {} / period again",
            r.product_name, currency.code
        ),
        _ => describe_planned(r, currency),
    }
}

fn describe_planned(r: &PlannedAddition, currency: &Currency) -> String {
    match r.action {
        Action::Cancel => format!(
            "{} (addition {}): cancel on {} — stops {} {} / period",
            r.product_name,
            r.existing_addition_id.unwrap_or_default(),
            r.cancel_date.map(|d| d.to_string()).unwrap_or_default(),
            money::format(r.ext_price, currency.amount_places()),
            currency.code
        ),
        other => format!(
            "{} × {} @ {} {}{}",
            r.quantity.normalize(),
            r.product_name,
            money::format_price(r.unit_price, currency),
            currency.code,
            match (other, r.cancel_date) {
                (Action::Prorate, _) => " (one-time, prorated)",
                (Action::Add, Some(_)) => " (one-time)",
                _ => "",
            }
        ),
    }
}

/// Whether an addition holds the spec's value of `field`.
fn holds(a: &Addition, spec: &WriteSpec, field: Field) -> bool {
    match field {
        Field::Quantity => a.quantity.unwrap_or_default() == spec.quantity,
        Field::UnitPrice => a.unit_price.unwrap_or_default() == spec.unit_price,
        Field::UnitCost => a.unit_cost.unwrap_or_default() == spec.unit_cost,
        Field::BillCustomer => BillCustomer::parse(&a.bill_customer) == Some(spec.bill_customer),
        Field::EffectiveDate => day(a.effective_date) == Some(spec.effective_date),
        Field::CancelledDate => day(a.cancelled_date) == spec.cancel_date,
        Field::TaxableFlag => a.taxable_flag == spec.taxable,
        Field::InvoiceDescription => {
            a.invoice_description.as_deref().unwrap_or("") == spec.invoice_description
        }
    }
}

/// The writes of a reviewed plan: each selected row that is not left unchanged, in plan order.
/// `current` is the agreement's additions as ConnectWise has them now (a patch sets only what
/// differs from them).
pub fn specs(
    rows: &[PlannedAddition],
    current: &[Addition],
    currency: &Currency,
) -> Result<Vec<WriteSpec>> {
    let mut out = Vec::new();
    fn written(r: &PlannedAddition) -> Option<i64> {
        r.found
            .as_ref()
            .filter(|f| f.is_written())
            .map(|f| f.addition_id)
    }
    for r in rows.iter().filter(|r| r.is_write() || written(r).is_some()) {
        let already = written(r);
        let existing = r
            .existing_addition_id
            .and_then(|id| current.iter().find(|a| a.id == id));
        let kind = match r.action {
            Action::Add | Action::Prorate => WriteKind::Create,
            Action::Remove => WriteKind::Delete,
            _ => WriteKind::Patch,
        };
        let product_id = match (kind, existing, r.catalog_item_id) {
            (WriteKind::Patch | WriteKind::Delete, Some(a), _) => a.product.id,
            // Removed already (from another desk, or an undo finished before): nothing to send.
            (WriteKind::Delete, None, _) => continue,
            (WriteKind::Create, _, Some(id)) => id,
            (WriteKind::Patch, None, _) if already.is_some() => r.catalog_item_id.unwrap_or(0),
            (WriteKind::Patch, None, _) => {
                return Err(Error::invalid(
                    crate::error::ReviewField::Addition,
                    format!(
                        "Addition {} of “{}” is no longer on the agreement.",
                        r.existing_addition_id.unwrap_or_default(),
                        r.product_name
                    ),
                ))
            }
            (WriteKind::Create, _, None) => {
                return Err(Error::invalid(
                    crate::error::ReviewField::Product,
                    format!("Map “{}” to a ConnectWise catalog item.", r.product_name),
                ))
            }
        };
        let places = currency.amount_places();
        let mut spec = WriteSpec {
            kind,
            action: r.action,
            row_key: r.key.clone(),
            addition_id: r.existing_addition_id.filter(|_| kind != WriteKind::Create),
            product_id,
            product_name: r.product_name.clone(),
            bill_customer: r.bill_customer,
            quantity: r.quantity,
            unit_price: r.unit_price,
            unit_cost: r.unit_cost,
            effective_date: r.effective_date,
            cancel_date: r.cancel_date,
            taxable: r.taxable,
            invoice_description: r.description.clone(),
            fields: Vec::new(),
            key: r.source_key.clone().filter(|_| kind == WriteKind::Create),
            already,
            label: WriteAction::of(r.action).unwrap_or(WriteAction::CreateAddition),
            description: describe_write(r, currency),
            amount: money::format(r.ext_price, places),
        };
        if let Some(a) = existing.filter(|_| kind == WriteKind::Patch) {
            spec.fields = Field::ALL
                .into_iter()
                .filter(|f| !holds(a, &spec, *f))
                .collect();
        }
        out.push(spec);
    }
    Ok(out)
}

impl WriteSpec {
    /// The body of the `POST`, with the key where this desk keeps it (SPEC §15).
    pub fn new_addition(&self, place: &KeyPlace) -> NewAddition {
        let (serial_number, custom_fields) = match &self.key {
            Some(key) => place.fields(key),
            None => (None, Vec::new()),
        };
        NewAddition {
            serial_number,
            custom_fields,
            product: ProductId {
                id: self.product_id,
            },
            bill_customer: self.bill_customer.as_str().to_owned(),
            quantity: self.quantity,
            unit_price: self.unit_price,
            unit_cost: self.unit_cost,
            effective_date: self.effective_date,
            cancelled_date: self.cancel_date,
            taxable_flag: self.taxable,
            invoice_description: self.invoice_description.clone(),
        }
    }

    /// The JSON Patch of a patch.
    pub fn patch(&self) -> Vec<PatchOp> {
        self.fields
            .iter()
            .map(|f| match f {
                Field::Quantity => PatchOp::number(f.path(), self.quantity),
                Field::UnitPrice => PatchOp::number(f.path(), self.unit_price),
                Field::UnitCost => PatchOp::number(f.path(), self.unit_cost),
                Field::BillCustomer => PatchOp::text(f.path(), self.bill_customer.as_str()),
                Field::EffectiveDate => PatchOp::date(f.path(), Some(self.effective_date)),
                Field::CancelledDate => PatchOp::date(f.path(), self.cancel_date),
                Field::TaxableFlag => PatchOp::flag(f.path(), self.taxable),
                Field::InvoiceDescription => PatchOp::text(f.path(), &self.invoice_description),
            })
            .collect()
    }

    /// Whether `a` is what this create writes: product, dates, quantity, price and billing.
    fn is_created(&self, a: &Addition) -> bool {
        a.product.id == self.product_id
            && [
                Field::EffectiveDate,
                Field::CancelledDate,
                Field::Quantity,
                Field::UnitPrice,
                Field::BillCustomer,
            ]
            .into_iter()
            .all(|f| holds(a, self, f))
    }

    /// Whether `a` is what this keyed create writes, from any desk: it carries the key, or it is
    /// the same recurring line (SPEC §15) with the same start, quantity and price.
    pub fn is_keyed_as(&self, a: &Addition) -> bool {
        let (Some(key), Some(theirs)) = (self.key.as_deref(), ledger::key_of(a)) else {
            return false;
        };
        theirs == key || (ledger::same_line(theirs, key) && self.is_line(a))
    }

    /// Whether `a` is the recurring line this create writes: the same product, start, quantity,
    /// price and billing, and its end as planned — or, for a line planned open-ended, ended
    /// since by a later order.
    fn is_line(&self, a: &Addition) -> bool {
        let ended_later = self.cancel_date.is_none()
            && day(a.cancelled_date).is_some_and(|d| d >= self.effective_date);
        a.product.id == self.product_id
            && [
                Field::EffectiveDate,
                Field::Quantity,
                Field::UnitPrice,
                Field::BillCustomer,
            ]
            .into_iter()
            .all(|f| holds(a, self, f))
            && (holds(a, self, Field::CancelledDate) || ended_later)
    }

    /// Finds this write in a fresh read of the agreement's additions: the addition that shows it
    /// happened, or `None` when it did not. A create matches only an addition that was not there
    /// before the sync (`known`) and that no other write of the sync claimed (`claimed`).
    pub fn find_in(
        &self,
        additions: &[Addition],
        known: &HashSet<i64>,
        claimed: &HashSet<i64>,
    ) -> Option<i64> {
        match self.kind {
            // A keyed create is its key, from whichever desk wrote it (the lowest id, should two
            // desks have written it at once).
            WriteKind::Create if self.key.is_some() => additions
                .iter()
                .filter(|a| !claimed.contains(&a.id) && self.is_keyed_as(a))
                .map(|a| a.id)
                .min(),
            WriteKind::Create => additions
                .iter()
                .filter(|a| !known.contains(&a.id) && !claimed.contains(&a.id))
                .find(|a| self.is_created(a))
                .map(|a| a.id),
            WriteKind::Patch => {
                let id = self.addition_id?;
                additions
                    .iter()
                    .find(|a| a.id == id)
                    .filter(|a| self.fields.iter().all(|f| holds(a, self, *f)))
                    .map(|a| a.id)
            }
            // A removal happened when the addition is no longer there.
            WriteKind::Delete => {
                let id = self.addition_id?;
                (!additions.iter().any(|a| a.id == id)).then_some(id)
            }
        }
    }
}

fn describe(a: &Addition) -> String {
    if a.product.identifier.is_empty() {
        format!("addition {}", a.id)
    } else {
        format!("addition {} ({})", a.id, a.product.identifier)
    }
}

fn show(v: Option<Decimal>) -> String {
    v.map(|d| d.normalize().to_string())
        .unwrap_or_else(|| "none".into())
}

fn show_day(v: Option<NaiveDate>) -> String {
    v.map(|d| d.to_string()).unwrap_or_else(|| "none".into())
}

/// What differs between the additions a person reviewed and those ConnectWise has now, in words
/// (empty when nothing that a sync depends on changed).
pub fn changes(reviewed: &[Addition], now: &[Addition]) -> Vec<String> {
    let mut out = Vec::new();
    for a in reviewed {
        let Some(b) = now.iter().find(|b| b.id == a.id) else {
            out.push(format!("{} was deleted", describe(a)));
            continue;
        };
        let mut diffs = Vec::new();
        if a.product.id != b.product.id {
            diffs.push(format!(
                "product {} → {}",
                a.product.identifier, b.product.identifier
            ));
        }
        let numbers = [
            ("quantity", a.quantity, b.quantity),
            ("unit price", a.unit_price, b.unit_price),
            ("unit cost", a.unit_cost, b.unit_cost),
        ];
        for (name, x, y) in numbers {
            if x.unwrap_or_default() != y.unwrap_or_default() {
                diffs.push(format!("{name} {} → {}", show(x), show(y)));
            }
        }
        if a.bill_customer != b.bill_customer {
            diffs.push(format!(
                "billable {} → {}",
                a.bill_customer, b.bill_customer
            ));
        }
        let dates = [
            ("effective date", a.effective_date, b.effective_date),
            ("cancel date", a.cancelled_date, b.cancelled_date),
        ];
        for (name, x, y) in dates {
            if day(x) != day(y) {
                diffs.push(format!(
                    "{name} {} → {}",
                    show_day(day(x)),
                    show_day(day(y))
                ));
            }
        }
        if a.taxable_flag != b.taxable_flag {
            diffs.push(format!("taxable {} → {}", a.taxable_flag, b.taxable_flag));
        }
        if !diffs.is_empty() {
            out.push(format!("{}: {}", describe(b), diffs.join(", ")));
        }
    }
    for b in now
        .iter()
        .filter(|b| !reviewed.iter().any(|a| a.id == b.id))
    {
        out.push(format!(
            "{} was added: {} × {} from {}",
            describe(b),
            show(b.quantity),
            show(b.unit_price),
            show_day(day(b.effective_date))
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::connectwise::wire::ProductRef;
    use crate::plan::PriceSource;
    use chrono::TimeZone;
    use rust_decimal_macros::dec;

    fn at(y: i32, m: u32, d: u32) -> Option<chrono::DateTime<chrono::Utc>> {
        Some(chrono::Utc.with_ymd_and_hms(y, m, d, 0, 0, 0).unwrap())
    }

    fn addition(id: i64, product: i64, quantity: Decimal, price: Decimal) -> Addition {
        Addition {
            id,
            product: ProductRef {
                id: product,
                identifier: format!("P{product}"),
            },
            bill_customer: "Billable".into(),
            quantity: Some(quantity),
            less_included: None,
            unit_price: Some(price),
            unit_cost: Some(dec!(1)),
            effective_date: at(2025, 3, 1),
            cancelled_date: None,
            taxable_flag: false,
            invoice_description: Some("Basic".into()),
            description: None,
            serial_number: None,
            custom_fields: Vec::new(),
            agreement_status: Some("Active".into()),
            ext_price: None,
            ext_cost: None,
            info: None,
        }
    }

    fn row(key: &str, action: Action, existing: Option<i64>) -> PlannedAddition {
        PlannedAddition {
            key: key.into(),
            action,
            selected: true,
            product_key: "MPN".into(),
            product_name: "Basic".into(),
            catalog_item_id: Some(7),
            existing_addition_id: existing,
            effective_date: NaiveDate::from_ymd_opt(2026, 11, 16).unwrap(),
            cancel_date: None,
            description: "Basic".into(),
            quantity: dec!(25),
            unit_price: dec!(22.00),
            unit_cost: dec!(1),
            bill_customer: BillCustomer::Billable,
            taxable: false,
            price_source: PriceSource::CloudMarketplace,
            ext_price: dec!(550.00),
            notes: Vec::new(),
            source_key: None,
            found: None,
        }
    }

    #[test]
    fn a_create_is_sent_with_exact_numbers_and_connectwise_dates() {
        let usd = Currency::new("USD", 2);
        let specs = specs(&[row("add:MPN", Action::Add, None)], &[], &usd).unwrap();
        let body = serde_json::to_string(&specs[0].new_addition(&KeyPlace::SerialNumber)).unwrap();
        assert_eq!(
            body,
            r#"{"product":{"id":7},"billCustomer":"Billable","quantity":25,"unitPrice":22.00,"unitCost":1,"effectiveDate":"2026-11-16T00:00:00Z","taxableFlag":false,"invoiceDescription":"Basic"}"#
        );
        assert_eq!(specs[0].amount, "550.00");
        assert_eq!(specs[0].label, WriteAction::CreateAddition);
    }

    #[test]
    fn a_cancel_patches_only_the_cancel_date() {
        let usd = Currency::new("USD", 2);
        let existing = addition(30211, 7, dec!(20), dec!(22));
        let mut cancel = row("cancel:30211", Action::Cancel, Some(30211));
        cancel.quantity = dec!(20);
        cancel.unit_price = dec!(22);
        cancel.effective_date = NaiveDate::from_ymd_opt(2025, 3, 1).unwrap();
        cancel.cancel_date = NaiveDate::from_ymd_opt(2026, 11, 15);
        let s = &specs(&[cancel], std::slice::from_ref(&existing), &usd).unwrap()[0];
        assert_eq!(s.fields, vec![Field::CancelledDate]);
        assert_eq!(
            serde_json::to_string(&s.patch()).unwrap(),
            r#"[{"op":"replace","path":"cancelledDate","value":"2026-11-15T00:00:00Z"}]"#
        );
        // Not applied yet: the addition has no cancel date.
        let none = HashSet::new();
        assert_eq!(
            s.find_in(std::slice::from_ref(&existing), &none, &none),
            None
        );
        let mut done = existing;
        done.cancelled_date = at(2026, 11, 15);
        assert_eq!(s.find_in(&[done], &none, &none), Some(30211));
    }

    #[test]
    fn a_create_is_found_only_among_new_unclaimed_additions() {
        let usd = Currency::new("USD", 2);
        let s = &specs(&[row("add:MPN", Action::Add, None)], &[], &usd).unwrap()[0];
        let mut twin = addition(40000, 7, dec!(25), dec!(22));
        twin.effective_date = at(2026, 11, 16);
        let mut other = twin.clone();
        other.id = 40001;
        let known: HashSet<i64> = [40000].into();
        let none = HashSet::new();
        // 40000 was there before the sync: not ours.
        assert_eq!(
            s.find_in(&[twin.clone(), other.clone()], &known, &none),
            Some(40001)
        );
        let claimed: HashSet<i64> = [40001].into();
        assert_eq!(s.find_in(&[twin.clone(), other], &known, &claimed), None);
        // Another quantity is another addition.
        let mut wrong = twin;
        wrong.id = 40002;
        wrong.quantity = Some(dec!(24));
        assert_eq!(s.find_in(&[wrong], &none, &none), None);
    }

    #[test]
    fn changes_are_described() {
        let a = addition(1, 7, dec!(20), dec!(22));
        let mut b = a.clone();
        b.quantity = Some(dec!(25));
        let c = addition(2, 8, dec!(1), dec!(5));
        assert!(changes(std::slice::from_ref(&a), std::slice::from_ref(&a)).is_empty());
        let mut only_text = a.clone();
        only_text.description = Some("edited".into());
        assert!(changes(std::slice::from_ref(&a), &[only_text]).is_empty());
        let found = changes(&[a.clone(), c.clone()], &[b]);
        assert_eq!(
            found,
            vec![
                "addition 1 (P7): quantity 20 → 25".to_owned(),
                "addition 2 (P8) was deleted".to_owned()
            ]
        );
        let added = changes(&[], &[c]);
        assert_eq!(
            added,
            vec!["addition 2 (P8) was added: 1 × 5 from 2025-03-01".to_owned()]
        );
    }
}
