//! The next invoice (SPEC §16): what ConnectWise will bill on an agreement's next invoice, from
//! the agreement's additions, its flags and its invoice calendar — before and after a plan.
//! Pure. The simulator bills on its own (it does not use this), so the two check each other.
//!
//! How ConnectWise bills the period P of the next invoice (the agreement's period starting at the
//! invoiced boundary), the one place core says it:
//! - the agreement's own amount, once per period;
//! - an addition is **one-time** when its effective and cancel dates lie in one period of the
//!   agreement; otherwise it is recurring. Only billable additions bill, each for its quantity
//!   less what the agreement includes;
//! - proration off: a recurring addition bills in full when it is active on P's first day; a
//!   one-time addition bills in full on the invoice of the period it is dated in. ConnectWise
//!   never goes back;
//! - proration on: an addition bills its active days in P (in full when active all of P), and an
//!   addition entered after the last invoice also bills, back-billed, its active days in the
//!   invoiced periods before the boundary.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::calendar::Calendar;
use crate::connectwise::wire::Addition;
use crate::error::Result;
use crate::money::{self, Currency, MoneyError};
use crate::period::Span;
use crate::plan::{addition_billed, Action, BillCustomer, Found, PlannedAddition};

/// What a line of the invoice bills.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub enum LineKind {
    /// The agreement's own amount.
    Agreement,
    Recurring,
    OneTime,
    /// An invoiced period ConnectWise bills again for an addition dated back into it.
    BackBilled,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InvoiceLine {
    pub kind: LineKind,
    /// The addition it bills, when it is in ConnectWise.
    pub addition_id: Option<i64>,
    /// The plan row it bills, when a plan adds it.
    pub row_key: Option<String>,
    pub description: String,
    pub quantity: Decimal,
    /// The unit billed (prorated where ConnectWise prorates).
    pub unit_price: Decimal,
    pub amount: Decimal,
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// The invoice ConnectWise will make next.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NextInvoice {
    pub date: NaiveDate,
    /// The period it bills.
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub lines: Vec<InvoiceLine>,
    /// The agreement's amount and the recurring lines.
    pub recurring: Decimal,
    /// One-time and back-billed lines.
    pub one_time: Decimal,
    pub total: Decimal,
}

/// An addition as the invoice sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Billed {
    pub addition_id: Option<i64>,
    pub row_key: Option<String>,
    pub description: String,
    pub quantity: Decimal,
    pub less_included: Decimal,
    pub unit_price: Decimal,
    pub billable: bool,
    pub effective: Option<NaiveDate>,
    pub cancel: Option<NaiveDate>,
    /// Entered after the last invoice: ConnectWise (prorating) back-bills its days before this
    /// boundary.
    pub back_billed_before: Option<NaiveDate>,
}

fn day(t: Option<chrono::DateTime<chrono::Utc>>) -> Option<NaiveDate> {
    t.map(|t| t.date_naive())
}

impl Billed {
    /// An addition as ConnectWise holds it. It was billed for the invoiced periods unless it was
    /// entered after the last invoice (then, on an agreement that prorates, they are
    /// back-billed).
    pub fn of_addition(a: &Addition, cal: &Calendar) -> Billed {
        let entered = a.info.as_ref().and_then(|i| day(i.date_entered));
        let last = cal.last_invoice.as_ref().map(|l| l.date);
        let after_last = matches!((entered, last), (Some(e), Some(l)) if e > l);
        Billed {
            addition_id: Some(a.id),
            row_key: None,
            description: a
                .invoice_description
                .clone()
                .or(a.description.clone())
                .filter(|d| !d.trim().is_empty())
                .unwrap_or_else(|| a.product.identifier.clone()),
            quantity: a.quantity.unwrap_or_default(),
            less_included: a.less_included.unwrap_or_default(),
            unit_price: a.unit_price.unwrap_or_default(),
            billable: BillCustomer::parse(&a.bill_customer) == Some(BillCustomer::Billable),
            effective: day(a.effective_date),
            cancel: day(a.cancelled_date),
            back_billed_before: after_last.then_some(cal.boundary),
        }
    }

    /// A new addition a plan row creates: entered now, after the last invoice.
    fn of_row(row: &PlannedAddition, cal: &Calendar) -> Billed {
        Billed {
            addition_id: row.found.as_ref().map(|f| f.addition_id),
            row_key: Some(row.key.clone()),
            description: row.description.clone(),
            quantity: row.quantity,
            less_included: Decimal::ZERO,
            unit_price: row.unit_price,
            billable: row.bill_customer == BillCustomer::Billable,
            effective: Some(row.effective_date),
            cancel: row.cancel_date,
            back_billed_before: Some(cal.boundary),
        }
    }
}

/// The additions as they are after a plan's rows that count (selected, or already written by
/// this task from any desk) are applied to `before`.
pub fn after_plan(before: &[Billed], rows: &[PlannedAddition], cal: &Calendar) -> Vec<Billed> {
    let mut after = before.to_vec();
    for row in rows {
        let counts = row.selected || row.found.as_ref().is_some_and(Found::is_written);
        if !counts {
            continue;
        }
        if row.action == Action::Remove {
            after.retain(|b| b.addition_id != row.existing_addition_id);
            continue;
        }
        let existing = row
            .existing_addition_id
            .and_then(|id| after.iter_mut().find(|b| b.addition_id == Some(id)));
        match (row.action, existing) {
            (Action::Add | Action::Prorate, _) => after.push(Billed::of_row(row, cal)),
            (Action::Cancel, Some(b)) => b.cancel = row.cancel_date,
            (Action::Change, Some(b)) => {
                b.quantity = row.quantity;
                b.unit_price = row.unit_price;
                b.effective = Some(row.effective_date);
            }
            _ => {}
        }
    }
    after
}

/// The days of `span` an addition is active, from `effective` to `cancel` (inclusive).
fn active_days(b: &Billed, span: &Span) -> i64 {
    let from = b.effective.map_or(span.start, |e| e.max(span.start));
    let to = b.cancel.map_or(span.last_day(), |c| c.min(span.last_day()));
    if to < from {
        0
    } else {
        (to - from).num_days() + 1
    }
}

fn is_one_time(b: &Billed, cal: &Calendar) -> bool {
    match (b.effective, b.cancel) {
        (Some(e), Some(c)) => match (cal.period(e), cal.period(c)) {
            (Some(x), Some(y)) => x.start == y.start,
            _ => false,
        },
        _ => false,
    }
}

/// What `b` bills at `unit`: its quantity less what the agreement includes, never below nothing
/// — a negative quantity (a credit) is credited whole.
fn amount_of(
    b: &Billed,
    unit: Decimal,
    currency: &Currency,
) -> std::result::Result<Decimal, MoneyError> {
    if b.quantity.is_sign_negative() {
        return money::extend(b.quantity, unit, currency);
    }
    addition_billed(b.quantity, b.less_included, unit, currency)
}

/// The quantity `b` bills: less what the agreement includes, never below nothing; a negative
/// quantity (a credit) whole.
fn billed_quantity(b: &Billed) -> Decimal {
    if b.quantity.is_sign_negative() {
        return b.quantity;
    }
    (b.quantity - b.less_included).max(Decimal::ZERO)
}

/// The amount of `b` for `days` of `span`'s days: in full when all of them.
fn billed_for(
    b: &Billed,
    days: i64,
    span: &Span,
    currency: &Currency,
) -> std::result::Result<(Decimal, Decimal), MoneyError> {
    let unit = if days == span.days() {
        b.unit_price
    } else {
        money::prorate_days(b.unit_price, days, span.days(), currency)?
    };
    Ok((unit, amount_of(b, unit, currency)?))
}

/// The lines `b` bills on the invoice of `span` (the first period not invoiced).
fn lines_of(
    b: &Billed,
    span: &Span,
    cal: &Calendar,
    currency: &Currency,
) -> std::result::Result<Vec<InvoiceLine>, MoneyError> {
    let mut lines = Vec::new();
    // Nothing to bill: not billable, or all of it included (no line, as ConnectWise prints none).
    if !b.billable || billed_quantity(b).is_zero() {
        return Ok(lines);
    }
    let line =
        |kind, (unit, amount): (Decimal, Decimal), from: NaiveDate, to: NaiveDate| InvoiceLine {
            kind,
            addition_id: b.addition_id,
            row_key: b.row_key.clone(),
            description: b.description.clone(),
            quantity: b.quantity,
            unit_price: unit,
            amount,
            from,
            to,
        };
    let one_time = is_one_time(b, cal);
    let kind = if one_time {
        LineKind::OneTime
    } else {
        LineKind::Recurring
    };
    if cal.prorates {
        if let Some(before) = b.back_billed_before {
            let from = b.effective.unwrap_or(span.start);
            for q in cal.invoiced_periods_from(from) {
                let days = active_days(b, &q);
                if q.start < before && days > 0 {
                    let (from, to) = (
                        from.max(q.start),
                        b.cancel.map_or(q.last_day(), |c| c.min(q.last_day())),
                    );
                    lines.push(line(
                        LineKind::BackBilled,
                        billed_for(b, days, &q, currency)?,
                        from,
                        to,
                    ));
                }
            }
        }
        let days = active_days(b, span);
        if days > 0 {
            let from = b.effective.map_or(span.start, |e| e.max(span.start));
            let to = b.cancel.map_or(span.last_day(), |c| c.min(span.last_day()));
            lines.push(line(kind, billed_for(b, days, span, currency)?, from, to));
        }
    } else {
        let dated_here = one_time && b.effective.is_some_and(|e| span.contains(e));
        let active_on_start = !one_time
            && b.effective.is_none_or(|e| e <= span.start)
            && b.cancel.is_none_or(|c| c >= span.start);
        if dated_here || active_on_start {
            let amount = amount_of(b, b.unit_price, currency)?;
            let (from, to) = match (one_time, b.effective, b.cancel) {
                (true, Some(e), Some(c)) => (e, c),
                _ => (span.start, span.last_day()),
            };
            lines.push(line(kind, (b.unit_price, amount), from, to));
        }
    }
    Ok(lines)
}

/// What the invoices of the periods invoiced from `since` (the boundary when the addition was
/// written) to the boundary billed of `b`: each period's lines, as that period's invoice made
/// them (on an agreement that prorates, the first also back-bills what lay before `since`).
pub fn billed_since(
    b: &Billed,
    since: NaiveDate,
    cal: &Calendar,
    currency: &Currency,
) -> Result<Vec<InvoiceLine>> {
    let mut lines = Vec::new();
    for (i, span) in cal.invoiced_periods_from(since).into_iter().enumerate() {
        let then = Calendar {
            boundary: span.start,
            ..cal.clone()
        };
        let billed = Billed {
            back_billed_before: (i == 0).then_some(span.start),
            ..b.clone()
        };
        lines.extend(lines_of(&billed, &span, &then, currency)?);
    }
    Ok(lines)
}

/// The agreement's next invoice with these additions (SPEC §16).
pub fn next_invoice(
    cal: &Calendar,
    bill_amount: Decimal,
    additions: &[Billed],
    currency: &Currency,
) -> Result<NextInvoice> {
    let span = cal.period(cal.boundary).ok_or_else(|| {
        crate::error::Error::invalid(
            crate::error::ReviewField::Agreement,
            format!(
                "The agreement's billing period at {} cannot be worked out.",
                cal.boundary
            ),
        )
    })?;
    let mut lines = Vec::new();
    if !bill_amount.is_zero() {
        lines.push(InvoiceLine {
            kind: LineKind::Agreement,
            addition_id: None,
            row_key: None,
            description: "Agreement amount".into(),
            quantity: Decimal::ONE,
            unit_price: bill_amount,
            amount: money::round_half_away(bill_amount, currency.amount_places()),
            from: span.start,
            to: span.last_day(),
        });
    }
    for b in additions {
        lines.extend(lines_of(b, &span, cal, currency)?);
    }
    let sum = |pick: &dyn Fn(&InvoiceLine) -> bool| -> std::result::Result<Decimal, MoneyError> {
        lines
            .iter()
            .filter(|l| pick(l))
            .try_fold(Decimal::ZERO, |t, l| {
                t.checked_add(l.amount).ok_or(MoneyError::Overflow)
            })
    };
    let recurring = sum(&|l| matches!(l.kind, LineKind::Agreement | LineKind::Recurring))?;
    let one_time = sum(&|l| matches!(l.kind, LineKind::OneTime | LineKind::BackBilled))?;
    Ok(NextInvoice {
        date: cal.next_invoice_date,
        from: span.start,
        to: span.last_day(),
        total: recurring
            .checked_add(one_time)
            .ok_or(MoneyError::Overflow)?,
        lines,
        recurring,
        one_time,
    })
}

/// The next invoice before and after a plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InvoiceChange {
    pub before: NextInvoice,
    pub after: NextInvoice,
}

/// The agreement's next invoice before and after the plan's `rows` (SPEC §16): `additions`
/// are those the plan was made from.
pub fn change(
    cal: &Calendar,
    bill_amount: Decimal,
    additions: &[Addition],
    rows: &[PlannedAddition],
    currency: &Currency,
) -> Result<InvoiceChange> {
    let before: Vec<Billed> = additions
        .iter()
        .map(|a| Billed::of_addition(a, cal))
        .collect();
    let after = after_plan(&before, rows, cal);
    Ok(InvoiceChange {
        before: next_invoice(cal, bill_amount, &before, currency)?,
        after: next_invoice(cal, bill_amount, &after, currency)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::period::BillingPeriod;
    use rust_decimal_macros::dec;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("date")
    }

    fn cal(
        cycle: BillingPeriod,
        anchor: NaiveDate,
        boundary: NaiveDate,
        prorates: bool,
    ) -> Calendar {
        Calendar {
            boundary,
            next_invoice_date: boundary,
            cycle,
            anchor,
            last_invoice: None,
            prorates,
        }
    }

    fn billed(quantity: Decimal, price: Decimal, from: NaiveDate, to: Option<NaiveDate>) -> Billed {
        Billed {
            addition_id: Some(1),
            row_key: None,
            description: "Licence".into(),
            quantity,
            less_included: Decimal::ZERO,
            unit_price: price,
            billable: true,
            effective: Some(from),
            cancel: to,
            back_billed_before: None,
        }
    }

    fn total(c: &Calendar, bill: Decimal, b: &[Billed]) -> Decimal {
        next_invoice(c, bill, b, &Currency::new("USD", 2))
            .unwrap()
            .total
    }

    /// (what, cycle, anchor, boundary, prorates, additions, agreement amount, expected total)
    type Case = (
        &'static str,
        BillingPeriod,
        NaiveDate,
        NaiveDate,
        bool,
        Vec<Billed>,
        Decimal,
        Decimal,
    );

    #[test]
    fn the_next_invoice_bills_as_connectwise_does() {
        let m = BillingPeriod::MONTHLY;
        let jan = ymd(2024, 1, 1);
        let back = |mut b: Billed, before: NaiveDate| {
            b.back_billed_before = Some(before);
            b
        };
        let cases: Vec<Case> = vec![
            (
                "recurring active on the 1st bills in full",
                m,
                jan,
                ymd(2026, 4, 1),
                false,
                vec![billed(dec!(10), dec!(22), ymd(2025, 1, 1), None)],
                dec!(150),
                dec!(370.00),
            ),
            (
                "a recurring addition starting mid-April bills from May",
                m,
                jan,
                ymd(2026, 4, 1),
                false,
                vec![billed(dec!(10), dec!(22), ymd(2026, 4, 15), None)],
                dec!(0),
                dec!(0),
            ),
            (
                "ended before April: nothing",
                m,
                jan,
                ymd(2026, 4, 1),
                false,
                vec![billed(
                    dec!(10),
                    dec!(22),
                    ymd(2025, 1, 1),
                    Some(ymd(2026, 3, 31)),
                )],
                dec!(0),
                dec!(0),
            ),
            (
                "ending mid-April still bills April",
                m,
                jan,
                ymd(2026, 4, 1),
                false,
                vec![billed(
                    dec!(10),
                    dec!(22),
                    ymd(2025, 1, 1),
                    Some(ymd(2026, 4, 14)),
                )],
                dec!(0),
                dec!(220.00),
            ),
            (
                "a one-time charge dated in April bills once in full",
                m,
                jan,
                ymd(2026, 4, 1),
                false,
                vec![billed(
                    dec!(4),
                    dec!(12.0645),
                    ymd(2026, 4, 1),
                    Some(ymd(2026, 4, 30)),
                )],
                dec!(0),
                dec!(48.26),
            ),
            (
                "a one-time charge dated in invoiced March is never billed",
                m,
                jan,
                ymd(2026, 4, 1),
                false,
                vec![billed(
                    dec!(4),
                    dec!(22),
                    ymd(2026, 3, 15),
                    Some(ymd(2026, 3, 31)),
                )],
                dec!(0),
                dec!(0),
            ),
            (
                "proration on: 22.00 from 15 March, invoiced through March → 34.06 (SPEC §16)",
                m,
                jan,
                ymd(2026, 4, 1),
                true,
                vec![back(
                    billed(dec!(1), dec!(22), ymd(2026, 3, 15), None),
                    ymd(2026, 4, 1),
                )],
                dec!(0),
                dec!(34.06),
            ),
            (
                "proration on: +4 × 22.00 one-time 15–31 March → 4 × 12.06 on April's invoice",
                m,
                jan,
                ymd(2026, 4, 1),
                true,
                vec![back(
                    billed(dec!(4), dec!(22), ymd(2026, 3, 15), Some(ymd(2026, 3, 31))),
                    ymd(2026, 4, 1),
                )],
                dec!(0),
                dec!(48.26),
            ),
            (
                "proration on: an addition billed before is not billed back",
                m,
                jan,
                ymd(2026, 4, 1),
                true,
                vec![billed(dec!(1), dec!(22), ymd(2026, 3, 15), None)],
                dec!(0),
                dec!(22.00),
            ),
            (
                "proration on: starting mid-April bills its days",
                m,
                jan,
                ymd(2026, 4, 1),
                true,
                vec![billed(dec!(1), dec!(30), ymd(2026, 4, 16), None)],
                dec!(0),
                dec!(15.00),
            ),
            (
                "quarterly: active on the quarter's first day",
                BillingPeriod::QUARTERLY,
                jan,
                ymd(2026, 4, 1),
                false,
                vec![billed(dec!(3), dec!(90), ymd(2025, 1, 1), None)],
                dec!(1200),
                dec!(1470.00),
            ),
            (
                "quarterly, proration on: from 1 June, 30 of 91 days",
                BillingPeriod::QUARTERLY,
                jan,
                ymd(2026, 4, 1),
                true,
                vec![billed(dec!(1), dec!(91), ymd(2026, 6, 1), None)],
                dec!(0),
                dec!(30.00),
            ),
            (
                "yearly, proration on: the last day of 365",
                BillingPeriod::YEARLY,
                ymd(2025, 3, 1),
                ymd(2026, 3, 1),
                true,
                vec![billed(dec!(1), dec!(365), ymd(2027, 2, 28), None)],
                dec!(0),
                dec!(1.00),
            ),
            (
                "a leap February: 29 days, from the 15th 15 of them",
                m,
                jan,
                ymd(2028, 2, 1),
                true,
                vec![billed(dec!(1), dec!(29), ymd(2028, 2, 15), None)],
                dec!(0),
                dec!(15.00),
            ),
        ];
        for (what, cycle, anchor, boundary, prorates, additions, bill, expected) in cases {
            let c = cal(cycle, anchor, boundary, prorates);
            assert_eq!(total(&c, bill, &additions), expected, "{what}");
        }
    }

    #[test]
    fn only_billable_quantity_beyond_what_is_included_bills() {
        let c = cal(
            BillingPeriod::MONTHLY,
            ymd(2024, 1, 1),
            ymd(2026, 4, 1),
            false,
        );
        let mut b = billed(dec!(10), dec!(5), ymd(2025, 1, 1), None);
        b.less_included = dec!(4);
        let mut free = billed(dec!(10), dec!(5), ymd(2025, 1, 1), None);
        free.billable = false;
        assert_eq!(total(&c, Decimal::ZERO, &[b, free]), dec!(30.00));
    }
}
