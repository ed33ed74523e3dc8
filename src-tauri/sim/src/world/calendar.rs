//! Agreements' ConnectWise invoice calendars: the billing periods of an agreement (its billing
//! cycle anchored on its `billStartDate`), where its invoicing stands (`nextInvoiceDate`, the
//! last invoice), and the invoices the simulator's invoice runs record. How a period is billed
//! is `crate::billing`'s business; this is the bookkeeping around it.

use chrono::{DateTime, Datelike, Duration as Days, Months, NaiveDate, Utc};
use rust_decimal::Decimal;

use super::{currency, cycle_period, Addition, Agreement, PeriodUnit, World};

/// Seeded last invoices are numbered from here (1001, 1002, ... in agreement id order); the
/// invoice runs continue after them, so numbers are unique across the world.
pub(super) const FIRST_INVOICE_NUMBER: u64 = 1001;

/// By default a seeded agreement is invoiced through the period before today's: the invoice of
/// today's period is the next one (not made yet), so this month's orders plan as they always
/// did, and only what falls in earlier periods (last month's usage) meets an invoiced period.
const SEEDED_LAG_DAYS: i64 = 0;

/// One billing period: `start` inclusive, `end` (the next period's start) exclusive.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Span {
    pub start: NaiveDate,
    pub end: NaiveDate,
}

impl Span {
    /// Calendar days in the period (29 for February 2028).
    pub fn days(self) -> i64 {
        (self.end - self.start).num_days()
    }

    /// The period's last day (invoices show periods with inclusive ends).
    pub fn last_day(self) -> NaiveDate {
        self.end.pred_opt().unwrap_or(self.end)
    }
}

/// An agreement's billing periods: `months` long, anchored on its start date. Months are
/// calendar months and an anchor on the 29th–31st clamps to shorter months and comes back
/// after (31 Jan → 28/29 Feb → 31 Mar), as ConnectWise's periods do (SPEC §5).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Calendar {
    anchor: NaiveDate,
    months: u32,
}

impl Calendar {
    pub fn new(anchor: NaiveDate, months: u32) -> Self {
        Calendar {
            anchor,
            months: months.max(1),
        }
    }

    /// The calendar of an agreement's billing cycle (1 Monthly, 2 Quarterly, 3 SemiAnnual,
    /// 4 Yearly; anything else bills monthly) from its `billStartDate`.
    pub fn of(a: &Agreement) -> Self {
        let p = cycle_period(a.billing_cycle_id);
        let months = match p.unit {
            PeriodUnit::Year => p.duration.saturating_mul(12),
            _ => p.duration,
        };
        Calendar::new(a.start_date, months)
    }

    /// The start of period `n`: 0 starts on the anchor, negative ones lie before it. Each is
    /// counted from the anchor (never from a clamped neighbour), so the anchor day comes back.
    pub fn start(self, n: i64) -> NaiveDate {
        let k = n.unsigned_abs().saturating_mul(u64::from(self.months));
        let k = Months::new(u32::try_from(k).unwrap_or(u32::MAX));
        if n >= 0 {
            self.anchor.checked_add_months(k).unwrap_or(NaiveDate::MAX)
        } else {
            self.anchor.checked_sub_months(k).unwrap_or(NaiveDate::MIN)
        }
    }

    /// The number of the period containing `d`.
    pub fn index_of(self, d: NaiveDate) -> i64 {
        let months = i64::from(d.year() - self.anchor.year()) * 12 + i64::from(d.month())
            - i64::from(self.anchor.month());
        // The period of `d`'s month, or the one before when `d` is before its clamped anchor day.
        let mut n = months.div_euclid(i64::from(self.months));
        for _ in 0..2 {
            if self.start(n) > d {
                n -= 1;
            }
        }
        for _ in 0..2 {
            if self.start(n + 1) <= d {
                n += 1;
            }
        }
        n
    }

    pub fn span(self, n: i64) -> Span {
        Span {
            start: self.start(n),
            end: self.start(n + 1),
        }
    }

    /// The billing period containing `d`.
    pub fn span_of(self, d: NaiveDate) -> Span {
        self.span(self.index_of(d))
    }
}

/// An agreement's last invoice, as `finance/agreementrecap` shows it (number and date only).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LastInvoice {
    pub number: String,
    pub date: NaiveDate,
}

/// What an invoice line bills.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineKind {
    /// The agreement's own `billAmount`.
    Agreement,
    Recurring,
    OneTime,
    /// Days of a back-dated addition in a period invoiced before it was created.
    BackBilled,
}

impl LineKind {
    pub fn as_str(self) -> &'static str {
        match self {
            LineKind::Agreement => "agreement",
            LineKind::Recurring => "recurring",
            LineKind::OneTime => "oneTime",
            LineKind::BackBilled => "backBilled",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvoiceLine {
    pub kind: LineKind,
    pub addition_id: Option<u64>,
    pub description: String,
    /// The billed quantity: quantity − lessIncluded (1 for the agreement line).
    pub quantity: Decimal,
    /// The unit billed: the unit price (at least the currency's decimals), or the prorated
    /// unit (the currency's decimals + 2).
    pub unit_price: Decimal,
    /// quantity × unit, rounded to the currency's decimals.
    pub amount: Decimal,
    /// The first and last day billed (inclusive).
    pub from: NaiveDate,
    pub to: NaiveDate,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invoice {
    pub id: u64,
    pub number: String,
    pub agreement_id: u64,
    pub period: Span,
    pub currency_id: u64,
    pub lines: Vec<InvoiceLine>,
    pub total: Decimal,
}

impl Agreement {
    /// The invoiced boundary (SPEC §16): the start of the billing period containing
    /// `nextInvoiceDate`. A date before it lies in an invoiced period.
    pub fn invoiced_boundary(&self) -> Option<NaiveDate> {
        self.next_invoice_date
            .map(|n| Calendar::of(self).span_of(n).start)
    }

    /// The first day that is not on an invoice of the agreement: its invoiced boundary; for a
    /// cancelled agreement (which has none) the day after its end date, as it was invoiced until
    /// it ended (`None`, with no end date: every day); `None` for an open agreement without a
    /// next invoice date (nothing is invoiced).
    fn not_invoiced_from(&self) -> Option<NaiveDate> {
        match self.invoiced_boundary() {
            Some(boundary) => Some(boundary),
            None if self.cancelled_flag => Some(
                self.end_date
                    .and_then(|e| e.succ_opt())
                    .unwrap_or(NaiveDate::MAX),
            ),
            None => None,
        }
    }

    /// How many periods an invoice run through `today` would invoice: from the period
    /// containing `nextInvoiceDate` to today's (0 when the next invoice date is after today,
    /// and for a cancelled agreement).
    pub fn unbilled_periods(&self, today: NaiveDate) -> u64 {
        match self.next_invoice_date {
            Some(next) if !self.cancelled_flag && next <= today => {
                let cal = Calendar::of(self);
                u64::try_from(cal.index_of(today) - cal.index_of(next) + 1).unwrap_or(0)
            }
            _ => 0,
        }
    }

    /// The start of the last period before the invoiced boundary, when the agreement has one
    /// (the boundary is after its start): where its last invoice is dated.
    fn last_invoiced_period_start(&self) -> Option<NaiveDate> {
        let boundary = self.invoiced_boundary()?;
        let last_day = boundary.pred_opt()?;
        (boundary > self.start_date).then(|| Calendar::of(self).span_of(last_day).start)
    }
}

/// Where ConnectWise's invoicing of a seeded agreement stands by default: at the start of the
/// billing period containing today, not before the agreement's start; none for a cancelled
/// agreement.
pub(super) fn seeded_next_invoice(a: &Agreement, today: NaiveDate) -> Option<NaiveDate> {
    if a.cancelled_flag {
        return None;
    }
    let back = today - Days::days(SEEDED_LAG_DAYS);
    if back < a.start_date {
        return Some(a.start_date);
    }
    Some(Calendar::of(a).span_of(back).start)
}

/// An agreement ConnectWise invoices in advance: the period containing `today` is already on
/// an invoice, so the next invoice is the start of the following period.
pub(super) fn invoiced_in_advance(a: &Agreement, today: NaiveDate) -> Option<NaiveDate> {
    if a.cancelled_flag {
        return None;
    }
    Some(Calendar::of(a).span_of(today).end.max(a.start_date))
}

impl World {
    /// Gives every seeded agreement invoiced before its next invoice date a last invoice on the
    /// period before it, numbered in agreement id order (so the recap has something to show).
    pub(super) fn seed_last_invoices(&mut self) {
        for a in self.agreements.values_mut() {
            if let Some(date) = a.last_invoiced_period_start() {
                a.last_invoice = Some(LastInvoice {
                    number: self.next_invoice_number.to_string(),
                    date,
                });
                self.next_invoice_number += 1;
            }
        }
    }

    /// Whether an addition has been on an invoice, so that ConnectWise refuses to delete it
    /// (SPEC §17): a recorded invoice has a line for it, or it was active on a day of a period
    /// invoiced while it existed — from its agreement's boundary when it was created
    /// ([`Addition::boundary_at_creation`]; a seeded one from the agreement's start) up to the
    /// agreement's current boundary ([`Agreement::invoiced_boundary`]), exclusive; a cancelled
    /// agreement counts as invoiced through its end date.
    pub fn has_been_invoiced(&self, a: &Addition) -> bool {
        let on_an_invoice = self.invoices.iter().any(|i| {
            i.agreement_id == a.agreement_id && i.lines.iter().any(|l| l.addition_id == Some(a.id))
        });
        if on_an_invoice {
            return true;
        }
        let Some(ag) = self.agreements.get(&a.agreement_id) else {
            return false;
        };
        let Some(until) = ag.not_invoiced_from() else {
            return false;
        };
        // No period before the agreement's start was ever invoiced.
        let since = a
            .boundary_at_creation
            .map_or(ag.start_date, |b| b.max(ag.start_date));
        // The first day of [since, until) the addition is active on, if it is active on any.
        let first = a.effective_date.map_or(since, |e| e.max(since));
        first < until && a.cancelled_date.is_none_or(|c| c >= first)
    }

    fn take_invoice_number(&mut self) -> String {
        let n = self.next_invoice_number;
        self.next_invoice_number += 1;
        n.to_string()
    }

    /// Places an agreement's invoice calendar directly, as if ConnectWise had invoiced it up to
    /// `next_invoice_date` (tests put the boundary where they need it), and sets its
    /// `prorateFlag`. The last invoice follows the boundary: the invoice recorded for the
    /// period before it, else the last invoice when it is already on that period, else a new
    /// number; none when nothing before the boundary is invoiced. `None` keeps the last invoice.
    /// Returns false for an unknown agreement.
    pub fn set_agreement_calendar(
        &mut self,
        id: u64,
        next_invoice_date: Option<NaiveDate>,
        prorate_flag: bool,
        now: DateTime<Utc>,
    ) -> bool {
        let Some(a) = self.agreements.get_mut(&id) else {
            return false;
        };
        a.next_invoice_date = next_invoice_date;
        a.prorate_flag = prorate_flag;
        a.last_updated = now;
        if next_invoice_date.is_none() {
            return true;
        }
        let Some(date) = a.last_invoiced_period_start() else {
            a.last_invoice = None;
            return true;
        };
        let recorded = self
            .invoices
            .iter()
            .rev()
            .find(|i| i.agreement_id == id && i.period.start == date)
            .map(|i| i.number.clone());
        let kept = a
            .last_invoice
            .as_ref()
            .filter(|l| l.date == date)
            .map(|l| l.number.clone());
        let number = match recorded.or(kept) {
            Some(n) => n,
            None => self.take_invoice_number(),
        };
        if let Some(a) = self.agreements.get_mut(&id) {
            a.last_invoice = Some(LastInvoice { number, date });
        }
        true
    }

    /// Records the invoice of an agreement's period `period` and moves the agreement on: its
    /// next invoice date becomes the period's end, its last invoice this one, and its additions
    /// forget their back-billing boundary (the first invoice after their creation has dealt
    /// with it). Returns the invoice's index in [`World::invoices`].
    pub(crate) fn record_invoice(
        &mut self,
        agreement_id: u64,
        period: Span,
        lines: Vec<InvoiceLine>,
        now: DateTime<Utc>,
    ) -> usize {
        let number = self.take_invoice_number();
        let currency_id = self
            .agreements
            .get(&agreement_id)
            .map_or(7, |a| a.currency_id);
        let mut total: Decimal = lines.iter().map(|l| l.amount).sum();
        total.rescale(currency(currency_id).decimals);
        let id = self.invoices.last().map_or(1, |i| i.id + 1);
        if let Some(a) = self.agreements.get_mut(&agreement_id) {
            a.next_invoice_date = Some(period.end);
            a.last_invoice = Some(LastInvoice {
                number: number.clone(),
                date: period.start,
            });
            a.last_updated = now;
        }
        let ids: Vec<u64> = self
            .additions_of(agreement_id)
            .iter()
            .map(|a| a.id)
            .collect();
        for aid in ids {
            if let Some(a) = self.additions.get_mut(&aid) {
                a.back_bill_before = None;
            }
        }
        self.invoices.push(Invoice {
            id,
            number,
            agreement_id,
            period,
            currency_id,
            lines,
            total,
        });
        self.invoices.len() - 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
    }

    #[test]
    fn periods_contain_their_dates_and_clamp_from_the_anchor() {
        let monthly = Calendar::new(ymd(2026, 1, 31), 1);
        assert_eq!(
            monthly.span_of(ymd(2026, 2, 27)),
            Span {
                start: ymd(2026, 1, 31),
                end: ymd(2026, 2, 28)
            }
        );
        assert_eq!(monthly.span_of(ymd(2026, 2, 28)).start, ymd(2026, 2, 28));
        assert_eq!(monthly.span_of(ymd(2026, 2, 28)).end, ymd(2026, 3, 31));
        assert_eq!(monthly.span_of(ymd(2025, 12, 31)).start, ymd(2025, 12, 31));
        assert_eq!(monthly.span_of(ymd(2025, 12, 30)).start, ymd(2025, 11, 30));
        let feb = Calendar::new(ymd(2024, 1, 1), 1).span_of(ymd(2028, 2, 10));
        assert_eq!((feb.days(), feb.last_day()), (29, ymd(2028, 2, 29)));
    }

    #[test]
    fn quarters_and_years_count_from_the_anchor() {
        let q = Calendar::new(ymd(2024, 5, 1), 3);
        assert_eq!(q.span_of(ymd(2026, 6, 15)).start, ymd(2026, 5, 1));
        assert_eq!(q.span_of(ymd(2026, 6, 15)).end, ymd(2026, 8, 1));
        assert_eq!(q.span_of(ymd(2024, 4, 30)).start, ymd(2024, 2, 1));
        let y = Calendar::new(ymd(2024, 2, 29), 12);
        assert_eq!(y.span_of(ymd(2025, 3, 1)).start, ymd(2025, 2, 28));
        assert_eq!(y.span_of(ymd(2028, 2, 29)).start, ymd(2028, 2, 29));
    }
}
