//! What a task's plan finds already in ConnectWise (SPEC §15), from any desk. Pure.
//!
//! A task is planned against the agreement as it was before any of its own writes: the additions
//! carrying its key (its order and subscription) are set apart, the plan is made against the
//! rest, and then each row is matched: a create whose key is there is already written; a patch
//! whose addition holds every planned value is already as planned; a one-time create that an
//! unkeyed addition twins exactly, and a cancel date already set to another day, are shown and
//! start unselected.

use chrono::NaiveDate;

use crate::connectwise::wire::Addition;
use crate::ledger;
use crate::plan::{Action, BillCustomer, Difference, Found, FoundKind, PlannedAddition};

/// An agreement's additions split for a task: those the app wrote for `source` on
/// `subscription` (from any desk), and the rest, which the plan is made against.
pub fn split(
    additions: &[Addition],
    source: &str,
    subscription: &str,
) -> (Vec<Addition>, Vec<Addition>) {
    additions
        .iter()
        .cloned()
        .partition(|a| ledger::is_of(a, source, subscription))
}

fn day(d: Option<chrono::DateTime<chrono::Utc>>) -> Option<NaiveDate> {
    d.map(|d| d.date_naive())
}

fn entered(a: &Addition) -> Option<NaiveDate> {
    a.info
        .as_ref()
        .and_then(|i| i.date_entered)
        .map(|d| d.date_naive())
}

/// Where a keyed addition differs from the row planned here.
fn differences(r: &PlannedAddition, a: &Addition) -> Vec<Difference> {
    let mut out = Vec::new();
    let qty = a.quantity.unwrap_or_default();
    if qty != r.quantity {
        out.push(Difference::Quantity {
            theirs: qty,
            here: r.quantity,
        });
    }
    let price = a.unit_price.unwrap_or_default();
    if price != r.unit_price {
        out.push(Difference::UnitPrice {
            theirs: price,
            here: r.unit_price,
        });
    }
    if day(a.effective_date) != Some(r.effective_date) {
        out.push(Difference::EffectiveDate {
            theirs: day(a.effective_date),
            here: r.effective_date,
        });
    }
    if day(a.cancelled_date) != r.cancel_date {
        out.push(Difference::CancelDate {
            theirs: day(a.cancelled_date),
            here: r.cancel_date,
        });
    }
    out
}

/// Whether an addition holds every value a patch row sets.
fn holds_row(r: &PlannedAddition, a: &Addition) -> bool {
    a.quantity.unwrap_or_default() == r.quantity
        && a.unit_price.unwrap_or_default() == r.unit_price
        && a.unit_cost.unwrap_or_default() == r.unit_cost
        && BillCustomer::parse(&a.bill_customer) == Some(r.bill_customer)
        && day(a.effective_date) == Some(r.effective_date)
        && day(a.cancelled_date) == r.cancel_date
        && a.taxable_flag == r.taxable
}

/// Whether a keyed addition is the recurring line a create row plans: the same product, start,
/// quantity, price and billing, and its end as planned — or, for a row planned open-ended, ended
/// since by a later order (whose plan this older one cannot know).
fn is_line(r: &PlannedAddition, a: &Addition) -> bool {
    let end = day(a.cancelled_date);
    Some(a.product.id) == r.catalog_item_id
        && a.quantity.unwrap_or_default() == r.quantity
        && a.unit_price.unwrap_or_default() == r.unit_price
        && BillCustomer::parse(&a.bill_customer) == Some(r.bill_customer)
        && day(a.effective_date) == Some(r.effective_date)
        && (end == r.cancel_date || (r.cancel_date.is_none() && end >= Some(r.effective_date)))
}

/// Whether an unkeyed addition is the exact twin of a one-time create row.
fn twins(r: &PlannedAddition, a: &Addition) -> bool {
    r.cancel_date.is_some()
        && ledger::key_of(a).is_none()
        && Some(a.product.id) == r.catalog_item_id
        && a.quantity.unwrap_or_default() == r.quantity
        && a.unit_price.unwrap_or_default() == r.unit_price
        && day(a.effective_date) == Some(r.effective_date)
        && day(a.cancelled_date) == r.cancel_date
}

fn found(kind: FoundKind, a: &Addition) -> Found {
    Found {
        kind,
        addition_id: a.id,
        cancel_date: None,
        entered: entered(a),
        differs: Vec::new(),
    }
}

/// Marks each planned row with what ConnectWise holds of it. `mine` are the additions written
/// for this task (see [`split`]), `others` the rest. Rows found written are not selected; a twin
/// or a conflict starts unselected (the person's edit may select it again).
pub fn recognise(rows: &mut [PlannedAddition], mine: &[Addition], others: &[Addition]) {
    let mut claimed: Vec<i64> = Vec::new();
    for r in rows.iter_mut() {
        r.found = match r.action {
            Action::Add | Action::Prorate => {
                let keyed = r.source_key.as_deref().and_then(|k| {
                    mine.iter()
                        .filter(|a| !claimed.contains(&a.id))
                        .filter(|a| ledger::key_of(a) == Some(k))
                        .min_by_key(|a| a.id)
                });
                // Or the same recurring line, written for another order of the subscription.
                let keyed = keyed.or_else(|| {
                    let k = r.source_key.as_deref()?;
                    others
                        .iter()
                        .filter(|a| !claimed.contains(&a.id))
                        .filter(|a| ledger::key_of(a).is_some_and(|t| ledger::same_line(t, k)))
                        .filter(|a| is_line(r, a))
                        .min_by_key(|a| a.id)
                });
                match keyed {
                    Some(a) => Some(Found {
                        differs: differences(r, a),
                        ..found(FoundKind::Keyed, a)
                    }),
                    None => others
                        .iter()
                        .filter(|a| !claimed.contains(&a.id))
                        .find(|a| twins(r, a))
                        .map(|a| found(FoundKind::Twin, a)),
                }
            }
            // An undo's removal is looked for by the undo itself (SPEC §17).
            Action::Remove => None,
            Action::Cancel | Action::Change => r
                .existing_addition_id
                .and_then(|id| others.iter().find(|a| a.id == id))
                .and_then(|a| {
                    if holds_row(r, a) {
                        return Some(found(FoundKind::AsPlanned, a));
                    }
                    let theirs = day(a.cancelled_date);
                    (r.action == Action::Cancel && theirs.is_some() && theirs != r.cancel_date)
                        .then(|| Found {
                            cancel_date: theirs,
                            ..found(FoundKind::Conflict, a)
                        })
                }),
            Action::Unchanged => None,
        };
        if let Some(f) = &r.found {
            claimed.push(f.addition_id);
            r.selected = false;
        }
    }
}

/// Marks the rows that became written since the review (another desk wrote them since), leaving
/// every other row — and the person's choices — as they are.
pub fn mark_written(rows: &mut [PlannedAddition], mine: &[Addition], others: &[Addition]) {
    let mut fresh: Vec<PlannedAddition> = rows.to_vec();
    for r in fresh.iter_mut() {
        r.found = None;
    }
    recognise(&mut fresh, mine, others);
    for (r, f) in rows.iter_mut().zip(fresh) {
        let now_written = f.found.filter(Found::is_written);
        if now_written.is_some() && !r.found.as_ref().is_some_and(Found::is_written) {
            r.found = now_written;
            r.selected = false;
        }
    }
}

/// An agreement's additions as they stand now, with this task's own doing taken out (SPEC §15):
/// its keyed additions left out, and an addition that a patch row of the plan would set exactly
/// as it now stands shown as it was reviewed. What differs from the review after this was
/// changed by someone else.
pub fn without_own_writes(
    reviewed: &[Addition],
    now: &[Addition],
    rows: &[PlannedAddition],
    (source, subscription): (&str, &str),
) -> Vec<Addition> {
    now.iter()
        .filter(|a| !ledger::is_of(a, source, subscription))
        .map(|a| {
            let patched_by_plan = rows.iter().any(|r| {
                matches!(r.action, Action::Cancel | Action::Change)
                    && r.existing_addition_id == Some(a.id)
                    && holds_row(r, a)
            });
            match reviewed.iter().find(|b| b.id == a.id) {
                Some(b) if patched_by_plan => b.clone(),
                _ => a.clone(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::connectwise::wire::ProductRef;
    use crate::plan::PriceSource;
    use chrono::TimeZone;
    use rust_decimal::Decimal;
    use rust_decimal_macros::dec;

    fn at(y: i32, m: u32, d: u32) -> Option<chrono::DateTime<chrono::Utc>> {
        Some(chrono::Utc.with_ymd_and_hms(y, m, d, 0, 0, 0).unwrap())
    }

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap()
    }

    fn addition(
        id: i64,
        qty: Decimal,
        price: Decimal,
        eff: (u32, u32),
        end: Option<(u32, u32)>,
    ) -> Addition {
        Addition {
            id,
            product: ProductRef {
                id: 7,
                identifier: "M365".into(),
            },
            bill_customer: "Billable".into(),
            quantity: Some(qty),
            less_included: None,
            unit_price: Some(price),
            unit_cost: Some(dec!(0)),
            effective_date: at(2026, eff.0, eff.1),
            cancelled_date: end.and_then(|(m, d)| at(2026, m, d)),
            taxable_flag: false,
            invoice_description: None,
            description: None,
            serial_number: None,
            custom_fields: Vec::new(),
            agreement_status: None,
            ext_price: None,
            ext_cost: None,
            info: None,
        }
    }

    fn row(
        key: &str,
        action: Action,
        qty: Decimal,
        price: Decimal,
        end: Option<NaiveDate>,
    ) -> PlannedAddition {
        PlannedAddition {
            key: key.into(),
            action,
            selected: true,
            product_key: "M365".into(),
            product_name: "Microsoft 365".into(),
            catalog_item_id: Some(7),
            existing_addition_id: None,
            effective_date: day(3, 15),
            cancel_date: end,
            description: "Microsoft 365".into(),
            quantity: qty,
            unit_price: price,
            unit_cost: dec!(0),
            bill_customer: BillCustomer::Billable,
            taxable: false,
            price_source: PriceSource::CloudMarketplace,
            ext_price: qty * price,
            notes: Vec::new(),
            source_key: None,
            found: None,
        }
    }

    #[test]
    fn a_keyed_addition_of_the_task_is_already_written_and_a_foreign_mark_is_not() {
        let key = ledger::key("9000555", "5000123", "M365", ledger::Role::Prorate);
        let mut prorate = row(
            "prorate:M365",
            Action::Prorate,
            dec!(4),
            dec!(12.0645),
            Some(day(3, 31)),
        );
        prorate.source_key = Some(key.clone());
        let mut theirs = addition(89002, dec!(4), dec!(12.0645), (3, 15), Some((3, 31)));
        theirs.serial_number = Some(key);
        let mut foreign = theirs.clone();
        foreign.id = 89003;
        foreign.serial_number = Some("Cloudconsole".into());
        let additions = [theirs, foreign];
        let (mine, others) = split(&additions, "9000555", "5000123");
        assert_eq!(mine.iter().map(|a| a.id).collect::<Vec<_>>(), [89002]);
        let mut rows = [prorate];
        recognise(&mut rows, &mine, &others);
        let f = rows[0].found.clone().unwrap();
        assert_eq!((f.kind, f.addition_id), (FoundKind::Keyed, 89002));
        assert!(f.differs.is_empty());
        assert!(!rows[0].selected && !rows[0].is_write());
    }

    #[test]
    fn an_unkeyed_identical_one_time_addition_is_a_twin_and_starts_unselected() {
        let mut rows = [row(
            "prorate:M365",
            Action::Prorate,
            dec!(4),
            dec!(12.0645),
            Some(day(3, 31)),
        )];
        let twin = addition(89002, dec!(4), dec!(12.0645), (3, 15), Some((3, 31)));
        let mut other_price = twin.clone();
        other_price.unit_price = Some(dec!(12.06));
        recognise(&mut rows, &[], std::slice::from_ref(&other_price));
        assert_eq!(rows[0].found, None);
        recognise(&mut rows, &[], &[twin]);
        assert_eq!(
            rows[0].found.as_ref().map(|f| f.kind),
            Some(FoundKind::Twin)
        );
        assert!(!rows[0].selected);
        // A twin is not written yet: the person may select it again.
        rows[0].selected = true;
        assert!(rows[0].is_write());
    }

    #[test]
    fn a_cancel_date_already_set_is_as_planned_and_another_day_is_a_conflict() {
        let mut cancel = row(
            "cancel:30211",
            Action::Cancel,
            dec!(10),
            dec!(22),
            Some(day(3, 14)),
        );
        cancel.existing_addition_id = Some(30211);
        cancel.effective_date = day(1, 1);
        let done = addition(30211, dec!(10), dec!(22), (1, 1), Some((3, 14)));
        let mut rows = [cancel.clone()];
        recognise(&mut rows, &[], &[done]);
        assert_eq!(
            rows[0].found.as_ref().map(|f| f.kind),
            Some(FoundKind::AsPlanned)
        );
        let elsewhere = addition(30211, dec!(10), dec!(22), (1, 1), Some((3, 20)));
        let mut rows = [cancel];
        recognise(&mut rows, &[], &[elsewhere]);
        let f = rows[0].found.clone().unwrap();
        assert_eq!(
            (f.kind, f.cancel_date),
            (FoundKind::Conflict, Some(day(3, 20)))
        );
        assert!(!rows[0].selected);
    }
}
