//! How ConnectWise invoices an agreement, period by period (SPEC §5 and §16): the invoice run of
//! the control API (`POST /_sim/invoice-run`, [`crate::SimHandle::invoice_run`]).
//!
//! Written from the specification on its own, never through the core crate, so that the app's
//! "next invoice" arithmetic is checked against an independent one. For a period P = [s, e):
//!
//! - The agreement's `billAmount` is one full line, when it is not zero.
//! - Only `Billable` additions bill, for their billed quantity max(0, quantity − lessIncluded)
//!   (a negative quantity, a credit, whole).
//! - An addition is one-time when it has an effective and a cancel date in the same billing
//!   period; otherwise recurring. Its active days in P run from max(effective, s) to
//!   min(cancelled, e − 1 day); without an effective date it is active from the beginning.
//! - `prorateFlag` off: a recurring addition bills P in full when it is active on s; a one-time
//!   addition bills in full on the invoice of the period its dates lie in. Nothing goes back: a
//!   one-time addition in a period invoiced before it was created is never billed.
//! - `prorateFlag` on: every addition bills its active days in P, in full when active every
//!   day, else at the prorated unit (unit × active days / days in P, to the currency's
//!   decimals + 2) × billed quantity. And ConnectWise goes back: an addition created while
//!   periods it is active in were already invoiced also bills, on the first invoice after its
//!   creation, one `backBilled` line per such period, prorated the same way.
//! - Amounts are rounded half away from zero to the currency's decimals; the total is the sum.

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::{Decimal, RoundingStrategy};
use serde_json::{json, Value};

use crate::world::{
    currency, Addition, Agreement, Calendar, Invoice, InvoiceLine, LineKind, Span, World,
};

/// At most this many periods per agreement in one run (a hundred years of months), so that a
/// run through a far-off date cannot run away.
const MAX_PERIODS_PER_RUN: usize = 1200;

/// `d` rounded half away from zero to `places`, and shown with exactly that many.
fn round(d: Decimal, places: u32) -> Decimal {
    let mut r = d.round_dp_with_strategy(places, RoundingStrategy::MidpointAwayFromZero);
    r.rescale(places);
    r
}

/// A price as given, but shown with at least `places` decimals (22.0 → 22.00).
fn at_least(d: Decimal, places: u32) -> Decimal {
    let mut r = d.normalize();
    if r.scale() < places {
        r.rescale(places);
    }
    r
}

/// What billing an agreement's periods depends on besides the addition.
#[derive(Clone, Copy)]
struct Terms {
    calendar: Calendar,
    /// The currency's `numberOfDecimals`.
    decimals: u32,
    prorate: bool,
    /// The agreement's start: no period before it was ever invoiced.
    start: NaiveDate,
}

impl Terms {
    fn of(a: &Agreement) -> Terms {
        Terms {
            calendar: Calendar::of(a),
            decimals: currency(a.currency_id).decimals,
            prorate: a.prorate_flag,
            start: a.start_date,
        }
    }
}

/// What an addition bills for: its quantity less what the agreement includes (never below
/// nothing); a negative quantity (a credit) is credited whole.
fn billed_quantity(a: &Addition) -> Decimal {
    if a.quantity.is_sign_negative() {
        return a.quantity;
    }
    (a.quantity - a.less_included).max(Decimal::ZERO)
}

fn billable(a: &Addition) -> bool {
    a.bill_customer.eq_ignore_ascii_case("Billable") && !billed_quantity(a).is_zero()
}

/// One-time: an effective and a cancel date in the same billing period of the agreement.
fn is_one_time(a: &Addition, cal: Calendar) -> bool {
    match (a.effective_date, a.cancelled_date) {
        (Some(e), Some(c)) => cal.index_of(e) == cal.index_of(c),
        _ => false,
    }
}

/// The first and last day of `p` the addition is active on, if any.
fn active_days(a: &Addition, p: Span) -> Option<(NaiveDate, NaiveDate)> {
    let from = a.effective_date.map_or(p.start, |e| e.max(p.start));
    let to = a
        .cancelled_date
        .map_or(p.last_day(), |c| c.min(p.last_day()));
    (from <= to).then_some((from, to))
}

fn description(a: &Addition) -> String {
    if a.invoice_description.trim().is_empty() {
        a.description.clone()
    } else {
        a.invoice_description.clone()
    }
}

/// A line for `days` of an addition at `unit` (the unit price, or a prorated unit).
fn line(
    a: &Addition,
    kind: LineKind,
    unit: Decimal,
    days: (NaiveDate, NaiveDate),
    t: Terms,
) -> InvoiceLine {
    let quantity = billed_quantity(a);
    InvoiceLine {
        kind,
        addition_id: Some(a.id),
        description: description(a),
        quantity: quantity.normalize(),
        unit_price: unit,
        amount: round(quantity * unit, t.decimals),
        from: days.0,
        to: days.1,
    }
}

/// prorateFlag off: a recurring addition bills `p` in full when active on its first day; a
/// one-time addition bills in full on the invoice of the period its dates lie in.
fn whole_period_line(a: &Addition, kind: LineKind, p: Span, t: Terms) -> Option<InvoiceLine> {
    let unit = at_least(a.unit_price.unwrap_or_default(), t.decimals);
    if kind == LineKind::OneTime {
        let (from, to) = (a.effective_date?, a.cancelled_date?);
        return (t.calendar.span_of(from) == p).then(|| line(a, kind, unit, (from, to), t));
    }
    let active_on_start = a.effective_date.is_none_or(|e| e <= p.start)
        && a.cancelled_date.is_none_or(|c| c >= p.start);
    active_on_start.then(|| line(a, kind, unit, (p.start, p.last_day()), t))
}

/// prorateFlag on: the addition's active days in `p`, in full when it is active every day,
/// else at the prorated unit: unit × active days / days in `p`, to the currency's decimals + 2.
fn prorated_line(a: &Addition, kind: LineKind, p: Span, t: Terms) -> Option<InvoiceLine> {
    let (from, to) = active_days(a, p)?;
    let active = (to - from).num_days() + 1;
    let price = a.unit_price.unwrap_or_default();
    let unit = if active >= p.days() {
        at_least(price, t.decimals)
    } else {
        round(
            price * Decimal::from(active) / Decimal::from(p.days().max(1)),
            t.decimals + 2,
        )
    };
    Some(line(a, kind, unit, (from, to), t))
}

/// prorateFlag on: an addition created while periods it is active in were already invoiced
/// (those ending by `before`) bills its days in each of them, oldest first.
fn back_billed_lines(a: &Addition, before: NaiveDate, t: Terms) -> Vec<InvoiceLine> {
    let first = a.effective_date.map_or(t.start, |e| e.max(t.start));
    let mut q = t.calendar.span_of(first);
    let mut lines = Vec::new();
    for _ in 0..MAX_PERIODS_PER_RUN {
        if q.end > before || a.cancelled_date.is_some_and(|c| c < q.start) {
            break;
        }
        lines.extend(prorated_line(a, LineKind::BackBilled, q, t));
        q = t.calendar.span(t.calendar.index_of(q.start) + 1);
    }
    lines
}

/// What one addition bills on the invoice of `p`: its back-billed periods (oldest first), then
/// its line for `p`.
fn addition_lines(a: &Addition, p: Span, t: Terms) -> Vec<InvoiceLine> {
    let kind = if is_one_time(a, t.calendar) {
        LineKind::OneTime
    } else {
        LineKind::Recurring
    };
    if !t.prorate {
        return whole_period_line(a, kind, p, t).into_iter().collect();
    }
    let mut lines = match a.back_bill_before {
        // Never a period that is being (or will be) invoiced normally.
        Some(before) => back_billed_lines(a, before.min(p.start), t),
        None => Vec::new(),
    };
    lines.extend(prorated_line(a, kind, p, t));
    lines
}

/// The agreement's own `billAmount`, in full for `p`.
fn agreement_line(ag: &Agreement, p: Span, t: Terms) -> InvoiceLine {
    let description = if ag.invoice_description.trim().is_empty() {
        ag.name.clone()
    } else {
        ag.invoice_description.clone()
    };
    InvoiceLine {
        kind: LineKind::Agreement,
        addition_id: None,
        description,
        quantity: Decimal::ONE,
        unit_price: at_least(ag.bill_amount, t.decimals),
        amount: round(ag.bill_amount, t.decimals),
        from: p.start,
        to: p.last_day(),
    }
}

/// The lines of an agreement's invoice for `p`: the agreement line, then by addition id.
fn invoice_lines(w: &World, ag: &Agreement, p: Span) -> Vec<InvoiceLine> {
    let t = Terms::of(ag);
    let mut lines = Vec::new();
    if !ag.bill_amount.is_zero() {
        lines.push(agreement_line(ag, p, t));
    }
    for a in w.additions_of(ag.id).into_iter().filter(|a| billable(a)) {
        lines.extend(addition_lines(a, p, t));
    }
    lines
}

/// Invoices an agreement's next period when it is due by `through` (and the agreement is not
/// cancelled); returns the new invoice's index in [`World::invoices`].
fn invoice_next_period(
    w: &mut World,
    agreement_id: u64,
    through: NaiveDate,
    now: DateTime<Utc>,
) -> Option<usize> {
    let ag = w.agreements.get(&agreement_id)?;
    if ag.cancelled_flag {
        return None;
    }
    let next = ag.next_invoice_date.filter(|n| *n <= through)?;
    let period = Calendar::of(ag).span_of(next);
    let lines = invoice_lines(w, ag, period);
    Some(w.record_invoice(agreement_id, period, lines, now))
}

/// ConnectWise's invoice run: every agreement (or only `only`) is invoiced period by period
/// until its next invoice date is after `through`. Returns the invoices made, agreements in id
/// order, each agreement's oldest first.
pub(crate) fn invoice_run(
    w: &mut World,
    through: NaiveDate,
    only: Option<u64>,
    now: DateTime<Utc>,
) -> Vec<Value> {
    let ids: Vec<u64> = match only {
        Some(id) => vec![id],
        None => w.agreements.keys().copied().collect(),
    };
    let mut made = Vec::new();
    for id in ids {
        for _ in 0..MAX_PERIODS_PER_RUN {
            match invoice_next_period(w, id, through, now) {
                Some(index) => made.push(index),
                None => break,
            }
        }
    }
    made.into_iter()
        .filter_map(|i| w.invoices.get(i))
        .map(invoice_json)
        .collect()
}

/// The recorded invoices of an agreement (of all, with `None`), oldest first.
pub(crate) fn invoices_json(w: &World, agreement_id: Option<u64>) -> Vec<Value> {
    w.invoices
        .iter()
        .filter(|i| agreement_id.is_none_or(|id| i.agreement_id == id))
        .map(invoice_json)
        .collect()
}

fn day(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn line_json(l: &InvoiceLine) -> Value {
    json!({
        "kind": l.kind.as_str(),
        "additionId": l.addition_id,
        "description": l.description,
        "quantity": l.quantity.to_string(),
        "unitPrice": l.unit_price.to_string(),
        "amount": l.amount.to_string(),
        "from": day(l.from),
        "to": day(l.to),
    })
}

/// An invoice as the control API shows it; money as decimal strings.
pub(crate) fn invoice_json(i: &Invoice) -> Value {
    json!({
        "id": i.id,
        "invoiceNumber": i.number,
        "date": day(i.period.start),
        "agreementId": i.agreement_id,
        "periodStart": day(i.period.start),
        "periodEnd": day(i.period.last_day()),
        "currency": currency(i.currency_id).identifier,
        "lines": i.lines.iter().map(line_json).collect::<Vec<_>>(),
        "total": i.total.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
    }

    fn terms(prorate: bool, decimals: u32) -> Terms {
        Terms {
            calendar: Calendar::new(ymd(2024, 1, 1), 1),
            decimals,
            prorate,
            start: ymd(2024, 1, 1),
        }
    }

    fn addition(qty: i64, price: &str, from: Option<NaiveDate>, to: Option<NaiveDate>) -> Addition {
        Addition {
            id: 1,
            agreement_id: 1,
            product_id: 611,
            quantity: Decimal::from(qty),
            less_included: Decimal::ZERO,
            unit_price: price.parse().ok(),
            unit_cost: None,
            bill_customer: "Billable".into(),
            effective_date: from,
            cancelled_date: to,
            taxable_flag: false,
            serial_number: String::new(),
            invoice_description: "M365".into(),
            description: String::new(),
            sequence_number: 1,
            custom_value: None,
            date_entered: Utc::now(),
            entered_by: String::new(),
            last_updated: Utc::now(),
            updated_by: String::new(),
            back_bill_before: None,
            boundary_at_creation: None,
        }
    }

    fn march() -> Span {
        Span {
            start: ymd(2026, 3, 1),
            end: ymd(2026, 4, 1),
        }
    }

    #[test]
    fn prorated_units_round_to_two_more_places_and_amounts_to_the_currency() {
        let ten = addition(10, "22.00", Some(ymd(2026, 3, 15)), None);
        let l = prorated_line(&ten, LineKind::Recurring, march(), terms(true, 2));
        let l = l.expect("a line");
        assert_eq!(
            (l.unit_price.to_string(), l.amount.to_string()),
            ("12.0645".into(), "120.65".into())
        );
        let credit = addition(1, "-14.50", Some(ymd(2026, 3, 16)), None);
        let l = prorated_line(&credit, LineKind::Recurring, march(), terms(true, 2));
        assert_eq!(
            l.map(|l| (l.unit_price.to_string(), l.amount.to_string())),
            Some(("-7.4839".into(), "-7.48".into()))
        );
        let yen = addition(3, "2200", Some(ymd(2026, 3, 15)), None);
        let l = prorated_line(&yen, LineKind::Recurring, march(), terms(true, 0));
        assert_eq!(l.map(|l| l.amount.to_string()), Some("3619".into()));
    }

    #[test]
    fn whole_periods_bill_from_the_first_day_only() {
        let t = terms(false, 2);
        let mid = addition(1, "22", Some(ymd(2026, 3, 15)), None);
        assert!(whole_period_line(&mid, LineKind::Recurring, march(), t).is_none());
        let april = t.calendar.span_of(ymd(2026, 4, 1));
        let l = whole_period_line(&mid, LineKind::Recurring, april, t).expect("a line");
        assert_eq!(l.amount.to_string(), "22.00");
        let one_time = addition(2, "5", Some(ymd(2026, 3, 10)), Some(ymd(2026, 3, 12)));
        assert!(is_one_time(&one_time, t.calendar));
        let l = whole_period_line(&one_time, LineKind::OneTime, march(), t).expect("a line");
        assert_eq!(
            (l.amount.to_string(), l.to),
            ("10.00".into(), ymd(2026, 3, 12))
        );
        assert!(whole_period_line(&one_time, LineKind::OneTime, april, t).is_none());
    }
}
