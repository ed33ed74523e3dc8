//! Billing periods: see SPEC §4, §5.
//!
//! A subscription's billing period has a length (`{type: day|month|year, duration}` on the
//! marketplace) and an anchor (its `billingStartDate`, else its `creationDate`). The n-th period
//! boundary is always computed **from the anchor**, never by adding one period to the previous
//! boundary: an anchor on the 29th–31st clamps to the last day of shorter months and returns to
//! the anchor day afterwards (31 Jan → 28/29 Feb → 31 Mar → 30 Apr → 31 May).
//!
//! Dates are plain calendar dates ([`NaiveDate`]); spans are half-open (`start..end_exclusive`).

use std::fmt;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// The unit of a billing period, as the marketplace names it (`day`, `month`, `year`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PeriodUnit {
    /// A number of calendar days.
    Day,
    /// A number of calendar months.
    Month,
    /// A number of calendar years (12 months each).
    Year,
}

impl PeriodUnit {
    /// Parses a marketplace unit name (`"day"`, `"month"`, `"year"`, any case, surrounding
    /// whitespace ignored).
    pub fn parse(unit: &str) -> Option<Self> {
        let unit = unit.trim();
        if unit.eq_ignore_ascii_case("day") {
            Some(PeriodUnit::Day)
        } else if unit.eq_ignore_ascii_case("month") {
            Some(PeriodUnit::Month)
        } else if unit.eq_ignore_ascii_case("year") {
            Some(PeriodUnit::Year)
        } else {
            None
        }
    }

    /// The marketplace name of the unit (`"day"`, `"month"`, `"year"`).
    pub fn as_str(self) -> &'static str {
        match self {
            PeriodUnit::Day => "day",
            PeriodUnit::Month => "month",
            PeriodUnit::Year => "year",
        }
    }
}

impl fmt::Display for PeriodUnit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The length of a subscription's billing period: `count` days, months or years.
///
/// The fields are private so that `count` is always between 1 and [`BillingPeriod::MAX_COUNT`];
/// build one with [`BillingPeriod::new`], [`BillingPeriod::from_marketplace`] or one of the
/// constants. Serialised as `{"unit": "month", "count": 1}`; deserialising checks the same rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "RawBillingPeriod")]
pub struct BillingPeriod {
    unit: PeriodUnit,
    count: u32,
}

/// The unchecked serialised form of a [`BillingPeriod`].
#[derive(Deserialize)]
struct RawBillingPeriod {
    unit: PeriodUnit,
    count: u32,
}

impl TryFrom<RawBillingPeriod> for BillingPeriod {
    type Error = String;

    fn try_from(raw: RawBillingPeriod) -> Result<Self, Self::Error> {
        BillingPeriod::new(raw.unit, raw.count).ok_or_else(|| {
            format!(
                "a billing period needs a count from 1 to {}, not {}",
                BillingPeriod::MAX_COUNT,
                raw.count
            )
        })
    }
}

impl BillingPeriod {
    /// The largest accepted `count`; real billing periods are far shorter, and the bound keeps
    /// every derived number (months, days) well inside integer range.
    pub const MAX_COUNT: u32 = 10_000;

    /// One month.
    pub const MONTHLY: BillingPeriod = BillingPeriod {
        unit: PeriodUnit::Month,
        count: 1,
    };
    /// Three months.
    pub const QUARTERLY: BillingPeriod = BillingPeriod {
        unit: PeriodUnit::Month,
        count: 3,
    };
    /// Six months.
    pub const SEMI_ANNUAL: BillingPeriod = BillingPeriod {
        unit: PeriodUnit::Month,
        count: 6,
    };
    /// One year.
    pub const YEARLY: BillingPeriod = BillingPeriod {
        unit: PeriodUnit::Year,
        count: 1,
    };

    /// A period of `count` units; `None` when `count` is 0 or above [`Self::MAX_COUNT`].
    pub fn new(unit: PeriodUnit, count: u32) -> Option<Self> {
        (1..=Self::MAX_COUNT)
            .contains(&count)
            .then_some(BillingPeriod { unit, count })
    }

    /// Reads the marketplace's `billingPeriod {type, duration}`: `unit` is `"day"`, `"month"` or
    /// `"year"` (any case); `None` for another unit or a duration of 0 (or above
    /// [`Self::MAX_COUNT`]).
    pub fn from_marketplace(unit: &str, duration: u32) -> Option<Self> {
        Self::new(PeriodUnit::parse(unit)?, duration)
    }

    /// The unit of the period.
    pub fn unit(&self) -> PeriodUnit {
        self.unit
    }

    /// How many units the period lasts (at least 1).
    pub fn count(&self) -> u32 {
        self.count
    }

    /// The period's length in calendar months: `count` for months, `12 × count` for years,
    /// `None` for day periods (a number of days is not a number of months).
    pub fn months(&self) -> Option<u32> {
        match self.unit {
            PeriodUnit::Day => None,
            PeriodUnit::Month => Some(self.count),
            // count <= MAX_COUNT, so this cannot overflow.
            PeriodUnit::Year => Some(12 * self.count),
        }
    }
}

impl BillingPeriod {
    /// What an amount is "per", in words: "month", "quarter", "half-year", "year", and else the
    /// length itself ("2 months", "30 days", "2 years").
    pub fn per_words(&self) -> String {
        match (self.unit, self.count) {
            (PeriodUnit::Month, 1) => "month".to_owned(),
            (PeriodUnit::Month, 3) => "quarter".to_owned(),
            (PeriodUnit::Month, 6) => "half-year".to_owned(),
            (PeriodUnit::Month, 12) | (PeriodUnit::Year, 1) => "year".to_owned(),
            (PeriodUnit::Day, 1) => "day".to_owned(),
            _ => self.to_string(),
        }
    }
}

impl fmt::Display for BillingPeriod {
    /// "1 month", "3 months", "1 year", "30 days".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let plural = if self.count == 1 { "" } else { "s" };
        write!(f, "{} {}{}", self.count, self.unit, plural)
    }
}

/// A half-open range of calendar days: from `start` (inclusive) to `end_exclusive`.
///
/// A billing period's span runs from its start to the next period's start, so consecutive
/// periods tile without gaps or overlaps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Span {
    /// The first day of the span.
    pub start: NaiveDate,
    /// The first day after the span.
    pub end_exclusive: NaiveDate,
}

impl Span {
    /// The number of calendar days in the span (`end_exclusive − start`); 0 or negative only for
    /// a span built by hand with its ends in the wrong order.
    pub fn days(&self) -> i64 {
        (self.end_exclusive - self.start).num_days()
    }

    /// The last day in the span (the day before `end_exclusive`; `start` for a span built by hand
    /// that ends where the calendar begins).
    pub fn last_day(&self) -> NaiveDate {
        self.end_exclusive.pred_opt().unwrap_or(self.start)
    }

    /// True when `date` lies in the span (`start <= date < end_exclusive`).
    pub fn contains(&self, date: NaiveDate) -> bool {
        self.start <= date && date < self.end_exclusive
    }
}

/// The `n`-th period boundary from `anchor` (boundary 0 is the anchor itself; `n` may be
/// negative), or `None` if it falls outside the dates [`NaiveDate`] can represent.
///
/// Months and years are counted from the anchor each time, so the anchor day clamps to the last
/// day of shorter months and comes back afterwards: from 31 January, boundaries are 28/29
/// February, 31 March, 30 April, 31 May. A 29 February anchor gives 28 February in non-leap
/// years and 29 February in leap years. Day periods give `anchor + n × count` days.
pub fn checked_add_periods(anchor: NaiveDate, period: BillingPeriod, n: i64) -> Option<NaiveDate> {
    match period.months() {
        None => {
            let days = n.checked_mul(i64::from(period.count))?;
            let target = i64::from(anchor.num_days_from_ce()).checked_add(days)?;
            NaiveDate::from_num_days_from_ce_opt(i32::try_from(target).ok()?)
        }
        Some(months) => {
            let offset = n.checked_mul(i64::from(months))?;
            let total =
                (i64::from(anchor.year()) * 12 + i64::from(anchor.month0())).checked_add(offset)?;
            let year = i32::try_from(total.div_euclid(12)).ok()?;
            // rem_euclid(12) is in 0..12.
            let month = total.rem_euclid(12) as u32 + 1;
            let day = anchor.day().min(days_in_month(year, month));
            NaiveDate::from_ymd_opt(year, month, day)
        }
    }
}

#[cfg(test)] // Product code uses the checked forms: nothing panics on data.
/// The `n`-th period boundary from `anchor`; see [`checked_add_periods`] for the rules.
///
/// # Panics
/// If the boundary falls outside the dates [`NaiveDate`] can represent (about ±262,000 years).
pub fn add_periods(anchor: NaiveDate, period: BillingPeriod, n: i64) -> NaiveDate {
    checked_add_periods(anchor, period, n).expect("billing period boundary out of the date range")
}

/// The index `n` of the period containing `date`: the `n` with
/// `add_periods(anchor, period, n) <= date < add_periods(anchor, period, n + 1)`. Negative for
/// dates before the anchor. `None` only at the edges of the representable date range.
///
/// Constant time: the index is estimated from the month (or day) difference and corrected by
/// at most one period.
pub fn checked_period_index(
    anchor: NaiveDate,
    period: BillingPeriod,
    date: NaiveDate,
) -> Option<i64> {
    match period.months() {
        None => {
            let days = i64::from(date.num_days_from_ce()) - i64::from(anchor.num_days_from_ce());
            Some(days.div_euclid(i64::from(period.count)))
        }
        Some(months) => {
            let month_diff = (i64::from(date.year()) - i64::from(anchor.year())) * 12
                + i64::from(date.month0())
                - i64::from(anchor.month0());
            let mut n = month_diff.div_euclid(i64::from(months));
            // Boundary n lies in the same month as `date` or earlier; it is after `date` only
            // when in the same month on a later day. Boundary n + 1 is in a later month. The
            // loops therefore run at most once each; they are loops only for robustness.
            while checked_add_periods(anchor, period, n)? > date {
                n -= 1;
            }
            while checked_add_periods(anchor, period, n + 1)? <= date {
                n += 1;
            }
            Some(n)
        }
    }
}

#[cfg(test)] // Product code uses the checked forms: nothing panics on data.
/// The index of the period containing `date`; see [`checked_period_index`].
///
/// # Panics
/// At the edges of the representable date range (see [`add_periods`]).
pub fn period_index(anchor: NaiveDate, period: BillingPeriod, date: NaiveDate) -> i64 {
    checked_period_index(anchor, period, date).expect("billing period out of the date range")
}

/// The `n`-th period of the subscription (period 0 starts on the anchor), or `None` if it falls
/// outside the representable date range.
pub fn checked_period_at(anchor: NaiveDate, period: BillingPeriod, n: i64) -> Option<Span> {
    Some(Span {
        start: checked_add_periods(anchor, period, n)?,
        end_exclusive: checked_add_periods(anchor, period, n.checked_add(1)?)?,
    })
}

#[cfg(test)] // Product code uses the checked forms: nothing panics on data.
/// The `n`-th period of the subscription (period 0 starts on the anchor).
///
/// # Panics
/// If the period falls outside the representable date range (see [`add_periods`]).
pub fn period_at(anchor: NaiveDate, period: BillingPeriod, n: i64) -> Span {
    checked_period_at(anchor, period, n).expect("billing period out of the date range")
}

/// The period of the subscription (anchored at `anchor`) that contains `date`, which may be
/// before the anchor; `None` only at the edges of the representable date range.
pub fn checked_period_containing(
    anchor: NaiveDate,
    period: BillingPeriod,
    date: NaiveDate,
) -> Option<Span> {
    let n = checked_period_index(anchor, period, date)?;
    checked_period_at(anchor, period, n)
}

#[cfg(test)] // Product code uses the checked forms: nothing panics on data.
/// The period of the subscription (anchored at `anchor`) that contains `date` — SPEC's "current
/// period" of a date. Works for dates before the anchor; constant time.
///
/// # Panics
/// If the period touches the edges of the representable date range (see [`add_periods`]).
pub fn period_containing(anchor: NaiveDate, period: BillingPeriod, date: NaiveDate) -> Span {
    checked_period_containing(anchor, period, date).expect("billing period out of the date range")
}

/// True when `date` is the first day of one of the subscription's periods (the anchor or any
/// boundary before or after it).
pub fn is_period_start(anchor: NaiveDate, period: BillingPeriod, date: NaiveDate) -> bool {
    checked_period_containing(anchor, period, date).is_some_and(|span| span.start == date)
}

/// The ConnectWise billing cycle (`billingOptions`) that matches a marketplace period (SPEC
/// §10): 1 month → `"Monthly"`, 3 months → `"Quarterly"`, 6 months → `"SemiAnnual"`, 1 year or
/// 12 months → `"Yearly"`; `None` for any other period (day periods included).
pub fn connectwise_cycle_name(period: BillingPeriod) -> Option<&'static str> {
    match period.months()? {
        1 => Some("Monthly"),
        3 => Some("Quarterly"),
        6 => Some("SemiAnnual"),
        12 => Some("Yearly"),
        _ => None,
    }
}

/// True when a ConnectWise billing cycle — its `billingOptions` value or its display `name` —
/// is the cycle of `period` (see [`connectwise_cycle_name`]).
///
/// Case, spaces, hyphens and underscores are ignored (`"Semi-Annual"`, `"Semi Annual"` and
/// `"SemiAnnual"` are the same), and the usual synonyms are accepted (`"Annual"`/`"Annually"`
/// for Yearly, `"Semi-Annually"` for SemiAnnual). A period with no ConnectWise cycle matches
/// nothing.
pub fn matches_connectwise_cycle(period: BillingPeriod, billing_options_or_name: &str) -> bool {
    let Some(expected) = connectwise_cycle_name(period) else {
        return false;
    };
    let given: String = billing_options_or_name
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '_') && !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect();
    let synonyms: &[&str] = match expected {
        "Monthly" => &["monthly"],
        "Quarterly" => &["quarterly"],
        "SemiAnnual" => &["semiannual", "semiannually"],
        "Yearly" => &["yearly", "annual", "annually"],
        _ => &[],
    };
    synonyms.contains(&given.as_str())
}

/// Whether `year` is a Gregorian leap year.
fn is_leap_year(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// The number of days in `month` (1–12) of `year`.
fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Days, Months};
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn p(unit: PeriodUnit, count: u32) -> BillingPeriod {
        BillingPeriod::new(unit, count).unwrap()
    }

    fn span(start: NaiveDate, end_exclusive: NaiveDate) -> Span {
        Span {
            start,
            end_exclusive,
        }
    }

    #[test]
    fn an_amount_is_per_month_quarter_half_year_year_or_the_length() {
        let per = |unit, count| BillingPeriod::new(unit, count).unwrap().per_words();
        assert_eq!(per(PeriodUnit::Month, 1), "month");
        assert_eq!(per(PeriodUnit::Month, 3), "quarter");
        assert_eq!(per(PeriodUnit::Month, 6), "half-year");
        assert_eq!(per(PeriodUnit::Month, 12), "year");
        assert_eq!(per(PeriodUnit::Year, 1), "year");
        assert_eq!(per(PeriodUnit::Year, 2), "2 years");
        assert_eq!(per(PeriodUnit::Month, 2), "2 months");
        assert_eq!(per(PeriodUnit::Day, 30), "30 days");
        assert_eq!(per(PeriodUnit::Day, 1), "day");
    }

    #[test]
    fn from_marketplace_reads_unit_and_duration() {
        type Case = (&'static str, u32, Option<(PeriodUnit, u32)>);
        let cases: &[Case] = &[
            ("month", 1, Some((PeriodUnit::Month, 1))),
            ("Month", 3, Some((PeriodUnit::Month, 3))),
            ("YEAR", 1, Some((PeriodUnit::Year, 1))),
            ("day", 30, Some((PeriodUnit::Day, 30))),
            (" month ", 6, Some((PeriodUnit::Month, 6))),
            ("month", 0, None),
            ("week", 1, None),
            ("months", 1, None),
            ("", 1, None),
            ("month", BillingPeriod::MAX_COUNT + 1, None),
        ];
        for &(unit, duration, expected) in cases {
            let got = BillingPeriod::from_marketplace(unit, duration);
            assert_eq!(
                got.map(|p| (p.unit(), p.count())),
                expected,
                "{unit:?} {duration}"
            );
        }
    }

    #[test]
    fn months_of_each_unit() {
        assert_eq!(p(PeriodUnit::Month, 1).months(), Some(1));
        assert_eq!(p(PeriodUnit::Month, 3).months(), Some(3));
        assert_eq!(p(PeriodUnit::Year, 1).months(), Some(12));
        assert_eq!(p(PeriodUnit::Year, 3).months(), Some(36));
        assert_eq!(p(PeriodUnit::Day, 30).months(), None);
        assert_eq!(
            p(PeriodUnit::Year, BillingPeriod::MAX_COUNT).months(),
            Some(12 * BillingPeriod::MAX_COUNT)
        );
    }

    #[test]
    fn constants_and_display() {
        assert_eq!(BillingPeriod::MONTHLY, p(PeriodUnit::Month, 1));
        assert_eq!(BillingPeriod::QUARTERLY, p(PeriodUnit::Month, 3));
        assert_eq!(BillingPeriod::SEMI_ANNUAL, p(PeriodUnit::Month, 6));
        assert_eq!(BillingPeriod::YEARLY, p(PeriodUnit::Year, 1));
        assert_eq!(BillingPeriod::MONTHLY.to_string(), "1 month");
        assert_eq!(BillingPeriod::QUARTERLY.to_string(), "3 months");
        assert_eq!(p(PeriodUnit::Day, 30).to_string(), "30 days");
    }

    #[test]
    fn serde_round_trip_and_validation() {
        let json = serde_json::to_string(&BillingPeriod::QUARTERLY).unwrap();
        assert_eq!(json, r#"{"unit":"month","count":3}"#);
        let back: BillingPeriod = serde_json::from_str(&json).unwrap();
        assert_eq!(back, BillingPeriod::QUARTERLY);
        assert!(serde_json::from_str::<BillingPeriod>(r#"{"unit":"month","count":0}"#).is_err());
        assert!(serde_json::from_str::<BillingPeriod>(r#"{"unit":"week","count":1}"#).is_err());

        let s = span(d(2027, 3, 1), d(2027, 4, 1));
        let json = serde_json::to_string(&s).unwrap();
        assert_eq!(
            json,
            r#"{"start":"2027-03-01","endExclusive":"2027-04-01"}"#
        );
        assert_eq!(serde_json::from_str::<Span>(&json).unwrap(), s);
    }

    #[test]
    fn month_anchor_on_the_31st_clamps_and_returns() {
        let anchor = d(2027, 1, 31);
        let expected = [
            d(2026, 11, 30),
            d(2026, 12, 31),
            d(2027, 1, 31),
            d(2027, 2, 28),
            d(2027, 3, 31),
            d(2027, 4, 30),
            d(2027, 5, 31),
            d(2027, 6, 30),
        ];
        for (i, want) in expected.iter().enumerate() {
            let n = i as i64 - 2;
            assert_eq!(
                add_periods(anchor, BillingPeriod::MONTHLY, n),
                *want,
                "n = {n}"
            );
        }
        // Leap year: 29 February, then back to the 31st.
        let anchor = d(2028, 1, 31);
        assert_eq!(
            add_periods(anchor, BillingPeriod::MONTHLY, 1),
            d(2028, 2, 29)
        );
        assert_eq!(
            add_periods(anchor, BillingPeriod::MONTHLY, 2),
            d(2028, 3, 31)
        );
        // An anchor on the 30th comes back to the 30th after February.
        let anchor = d(2027, 1, 30);
        assert_eq!(
            add_periods(anchor, BillingPeriod::MONTHLY, 1),
            d(2027, 2, 28)
        );
        assert_eq!(
            add_periods(anchor, BillingPeriod::MONTHLY, 2),
            d(2027, 3, 30)
        );
    }

    #[test]
    fn year_anchor_on_29_february() {
        let anchor = d(2028, 2, 29);
        let y = BillingPeriod::YEARLY;
        assert_eq!(add_periods(anchor, y, 1), d(2029, 2, 28));
        assert_eq!(add_periods(anchor, y, 3), d(2031, 2, 28));
        assert_eq!(add_periods(anchor, y, 4), d(2032, 2, 29));
        assert_eq!(add_periods(anchor, y, -1), d(2027, 2, 28));
        assert_eq!(add_periods(anchor, y, -4), d(2024, 2, 29));
        // 2100 is not a leap year, 2000 is.
        assert_eq!(add_periods(anchor, y, 72), d(2100, 2, 28));
        assert_eq!(add_periods(anchor, y, -28), d(2000, 2, 29));
        // The same anchor with 12-month periods gives the same boundaries.
        let m12 = p(PeriodUnit::Month, 12);
        for n in -30..30 {
            assert_eq!(add_periods(anchor, y, n), add_periods(anchor, m12, n));
        }
    }

    #[test]
    fn quarterly_and_day_boundaries() {
        let anchor = d(2026, 11, 30);
        let q = BillingPeriod::QUARTERLY;
        assert_eq!(add_periods(anchor, q, 1), d(2027, 2, 28));
        assert_eq!(add_periods(anchor, q, 2), d(2027, 5, 30));
        assert_eq!(add_periods(anchor, q, 3), d(2027, 8, 30));
        assert_eq!(add_periods(anchor, q, -1), d(2026, 8, 30));

        let days = p(PeriodUnit::Day, 30);
        let anchor = d(2027, 1, 15);
        assert_eq!(add_periods(anchor, days, 1), d(2027, 2, 14));
        assert_eq!(add_periods(anchor, days, 2), d(2027, 3, 16));
        assert_eq!(add_periods(anchor, days, -1), d(2026, 12, 16));
    }

    #[test]
    fn period_containing_table() {
        let m = BillingPeriod::MONTHLY;
        let cases = [
            // (anchor, period, date, expected span)
            (
                d(2027, 3, 1),
                m,
                d(2027, 3, 15),
                span(d(2027, 3, 1), d(2027, 4, 1)),
            ),
            (
                d(2027, 3, 1),
                m,
                d(2027, 3, 1),
                span(d(2027, 3, 1), d(2027, 4, 1)),
            ),
            (
                d(2027, 3, 1),
                m,
                d(2027, 3, 31),
                span(d(2027, 3, 1), d(2027, 4, 1)),
            ),
            (
                d(2027, 3, 1),
                m,
                d(2026, 2, 10),
                span(d(2026, 2, 1), d(2026, 3, 1)),
            ),
            (
                d(2027, 1, 31),
                m,
                d(2027, 2, 28),
                span(d(2027, 2, 28), d(2027, 3, 31)),
            ),
            (
                d(2027, 1, 31),
                m,
                d(2027, 2, 27),
                span(d(2027, 1, 31), d(2027, 2, 28)),
            ),
            (
                d(2027, 1, 31),
                m,
                d(2027, 3, 30),
                span(d(2027, 2, 28), d(2027, 3, 31)),
            ),
            (
                d(2027, 1, 31),
                m,
                d(2027, 3, 31),
                span(d(2027, 3, 31), d(2027, 4, 30)),
            ),
            (
                d(2028, 1, 31),
                m,
                d(2028, 3, 1),
                span(d(2028, 2, 29), d(2028, 3, 31)),
            ),
            (
                d(2027, 1, 15),
                m,
                d(2027, 1, 14),
                span(d(2026, 12, 15), d(2027, 1, 15)),
            ),
            // Quarterly, anchored on 15 January.
            (
                d(2027, 1, 15),
                BillingPeriod::QUARTERLY,
                d(2027, 6, 1),
                span(d(2027, 4, 15), d(2027, 7, 15)),
            ),
            (
                d(2027, 1, 15),
                BillingPeriod::QUARTERLY,
                d(2026, 12, 1),
                span(d(2026, 10, 15), d(2027, 1, 15)),
            ),
            // Yearly from 29 February 2028.
            (
                d(2028, 2, 29),
                BillingPeriod::YEARLY,
                d(2029, 2, 27),
                span(d(2028, 2, 29), d(2029, 2, 28)),
            ),
            (
                d(2028, 2, 29),
                BillingPeriod::YEARLY,
                d(2031, 12, 31),
                span(d(2031, 2, 28), d(2032, 2, 29)),
            ),
            (
                d(2028, 2, 29),
                BillingPeriod::YEARLY,
                d(2027, 6, 1),
                span(d(2027, 2, 28), d(2028, 2, 29)),
            ),
            // 30-day periods.
            (
                d(2027, 1, 15),
                p(PeriodUnit::Day, 30),
                d(2027, 2, 14),
                span(d(2027, 2, 14), d(2027, 3, 16)),
            ),
            (
                d(2027, 1, 15),
                p(PeriodUnit::Day, 30),
                d(2027, 1, 14),
                span(d(2026, 12, 16), d(2027, 1, 15)),
            ),
        ];
        for (anchor, period, date, want) in cases {
            assert_eq!(
                period_containing(anchor, period, date),
                want,
                "anchor {anchor}, {period}, date {date}"
            );
        }
    }

    #[test]
    fn far_dates_are_constant_time_and_correct() {
        // A daily subscription looked up 100 000 years later: no loop over periods.
        let anchor = d(1900, 1, 1);
        let date = d(101_900, 6, 15);
        let s = period_containing(anchor, p(PeriodUnit::Day, 1), date);
        assert_eq!(s, span(date, date.succ_opt().unwrap()));
        let s = period_containing(d(1900, 1, 31), BillingPeriod::MONTHLY, d(99_999, 2, 10));
        assert_eq!(s, span(d(99_999, 1, 31), d(99_999, 2, 28)));
        let s = period_containing(d(2000, 1, 31), BillingPeriod::MONTHLY, d(-4800, 2, 29));
        // -4800 is divisible by 400 in the proleptic calendar: a leap year.
        assert_eq!(s, span(d(-4800, 2, 29), d(-4800, 3, 31)));
    }

    #[test]
    fn out_of_range_is_none_not_a_panic() {
        let anchor = d(2027, 1, 31);
        assert_eq!(
            checked_add_periods(anchor, BillingPeriod::MONTHLY, i64::MAX),
            None
        );
        assert_eq!(
            checked_add_periods(anchor, BillingPeriod::MONTHLY, i64::MIN),
            None
        );
        assert_eq!(
            checked_add_periods(anchor, p(PeriodUnit::Day, 1), i64::MAX),
            None
        );
        assert_eq!(
            checked_add_periods(anchor, BillingPeriod::YEARLY, 10_000_000),
            None
        );
        assert_eq!(
            checked_period_containing(anchor, BillingPeriod::YEARLY, NaiveDate::MAX),
            None
        );
        assert!(!is_period_start(
            anchor,
            BillingPeriod::YEARLY,
            NaiveDate::MAX
        ));
        assert_eq!(
            checked_period_at(anchor, BillingPeriod::MONTHLY, i64::MAX),
            None
        );
    }

    #[test]
    fn span_helpers() {
        let s = span(d(2027, 3, 1), d(2027, 4, 1));
        assert_eq!(s.days(), 31);
        assert_eq!(s.last_day(), d(2027, 3, 31));
        assert!(s.contains(d(2027, 3, 1)));
        assert!(s.contains(d(2027, 3, 31)));
        assert!(!s.contains(d(2027, 4, 1)));
        assert!(!s.contains(d(2027, 2, 28)));
        assert_eq!(span(d(2028, 2, 1), d(2028, 3, 1)).days(), 29);
        assert_eq!(
            period_at(d(2027, 1, 1), BillingPeriod::YEARLY, 0).days(),
            365
        );
        assert_eq!(
            period_at(d(2028, 1, 1), BillingPeriod::YEARLY, 0).days(),
            366
        );
        assert_eq!(
            period_at(d(2027, 1, 1), BillingPeriod::QUARTERLY, 0).days(),
            90
        );
    }

    #[test]
    fn is_period_start_table() {
        let anchor = d(2027, 1, 31);
        let m = BillingPeriod::MONTHLY;
        assert!(is_period_start(anchor, m, anchor));
        assert!(is_period_start(anchor, m, d(2027, 2, 28)));
        assert!(!is_period_start(anchor, m, d(2027, 3, 28)));
        assert!(is_period_start(anchor, m, d(2027, 3, 31)));
        assert!(is_period_start(anchor, m, d(2026, 12, 31)));
        assert!(!is_period_start(anchor, m, d(2027, 2, 1)));
        assert!(is_period_start(
            d(2027, 3, 1),
            BillingPeriod::QUARTERLY,
            d(2027, 6, 1)
        ));
        assert!(!is_period_start(
            d(2027, 3, 1),
            BillingPeriod::QUARTERLY,
            d(2027, 5, 1)
        ));
    }

    #[test]
    fn connectwise_cycles() {
        let cases = [
            (BillingPeriod::MONTHLY, Some("Monthly")),
            (BillingPeriod::QUARTERLY, Some("Quarterly")),
            (BillingPeriod::SEMI_ANNUAL, Some("SemiAnnual")),
            (BillingPeriod::YEARLY, Some("Yearly")),
            (p(PeriodUnit::Month, 12), Some("Yearly")),
            (p(PeriodUnit::Month, 2), None),
            (p(PeriodUnit::Month, 24), None),
            (p(PeriodUnit::Year, 2), None),
            (p(PeriodUnit::Day, 30), None),
            (p(PeriodUnit::Day, 365), None),
        ];
        for (period, want) in cases {
            assert_eq!(connectwise_cycle_name(period), want, "{period}");
        }
    }

    #[test]
    fn matching_connectwise_cycles_is_tolerant() {
        let semi = BillingPeriod::SEMI_ANNUAL;
        for name in [
            "SemiAnnual",
            "Semi-Annual",
            "Semi Annual",
            "semiannual",
            "SEMI_ANNUAL",
            "Semi-Annually",
        ] {
            assert!(matches_connectwise_cycle(semi, name), "{name}");
        }
        for name in ["Yearly", "Annual", "annually", " yearly "] {
            assert!(
                matches_connectwise_cycle(BillingPeriod::YEARLY, name),
                "{name}"
            );
            assert!(
                matches_connectwise_cycle(p(PeriodUnit::Month, 12), name),
                "{name}"
            );
        }
        assert!(matches_connectwise_cycle(BillingPeriod::MONTHLY, "monthly"));
        assert!(matches_connectwise_cycle(
            BillingPeriod::QUARTERLY,
            "QUARTERLY"
        ));
        assert!(!matches_connectwise_cycle(
            BillingPeriod::MONTHLY,
            "Quarterly"
        ));
        assert!(!matches_connectwise_cycle(semi, "Annual"));
        assert!(!matches_connectwise_cycle(
            BillingPeriod::YEARLY,
            "SemiAnnual"
        ));
        assert!(!matches_connectwise_cycle(
            BillingPeriod::MONTHLY,
            "NotRecurring"
        ));
        assert!(!matches_connectwise_cycle(BillingPeriod::MONTHLY, ""));
        assert!(!matches_connectwise_cycle(
            p(PeriodUnit::Day, 30),
            "Monthly"
        ));
        assert!(!matches_connectwise_cycle(
            p(PeriodUnit::Month, 2),
            "Monthly"
        ));
    }

    #[test]
    fn leap_years_and_month_lengths() {
        assert!(is_leap_year(2028) && is_leap_year(2000) && is_leap_year(-4));
        assert!(!is_leap_year(2027) && !is_leap_year(1900) && !is_leap_year(2100));
        for year in [1900, 2000, 2027, 2028] {
            for month in 1..=12 {
                let first = d(year, month, 1);
                let next = first.checked_add_months(Months::new(1)).unwrap();
                assert_eq!(
                    i64::from(days_in_month(year, month)),
                    (next - first).num_days()
                );
            }
        }
    }

    /// Anchors from 1900 to 2100, with days 28–31 drawn often (clamped to the month's length).
    fn anchor_strategy() -> impl Strategy<Value = NaiveDate> {
        (
            1900i32..=2100,
            1u32..=12,
            prop_oneof![1u32..=31, 28u32..=31],
        )
            .prop_map(|(y, m, day)| d(y, m, day.min(days_in_month(y, m))))
    }

    fn date_strategy() -> impl Strategy<Value = NaiveDate> {
        (d(1900, 1, 1).num_days_from_ce()..=d(2100, 12, 31).num_days_from_ce())
            .prop_map(|n| NaiveDate::from_num_days_from_ce_opt(n).unwrap())
    }

    fn period_strategy() -> impl Strategy<Value = BillingPeriod> {
        prop_oneof![
            (1u32..=36).prop_map(|c| p(PeriodUnit::Month, c)),
            (1u32..=5).prop_map(|c| p(PeriodUnit::Year, c)),
            (1u32..=400).prop_map(|c| p(PeriodUnit::Day, c)),
            Just(BillingPeriod::MONTHLY),
            Just(BillingPeriod::QUARTERLY),
            Just(BillingPeriod::YEARLY),
        ]
    }

    /// Independent check that `date` is a boundary of (anchor, period): month offset divisible
    /// by the period's months and the day the clamped anchor day; day offset divisible by count.
    fn is_boundary_oracle(anchor: NaiveDate, period: BillingPeriod, date: NaiveDate) -> bool {
        match period.months() {
            None => {
                (date - anchor)
                    .num_days()
                    .rem_euclid(i64::from(period.count()))
                    == 0
            }
            Some(months) => {
                let diff = (date.year() - anchor.year()) * 12 + date.month() as i32
                    - anchor.month() as i32;
                diff.rem_euclid(months as i32) == 0
                    && date.day() == anchor.day().min(days_in_month(date.year(), date.month()))
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn containing_period_contains_and_starts_on_a_boundary(
            anchor in anchor_strategy(),
            period in period_strategy(),
            date in date_strategy(),
        ) {
            let s = period_containing(anchor, period, date);
            prop_assert!(s.contains(date), "{s:?} does not contain {date}");
            prop_assert!(s.start < s.end_exclusive);
            prop_assert!(is_boundary_oracle(anchor, period, s.start), "start {} not a boundary", s.start);
            prop_assert!(is_boundary_oracle(anchor, period, s.end_exclusive));
            let n = period_index(anchor, period, date);
            prop_assert_eq!(add_periods(anchor, period, n), s.start);
            prop_assert_eq!(add_periods(anchor, period, n + 1), s.end_exclusive);
            prop_assert_eq!(is_period_start(anchor, period, date), s.start == date);
            prop_assert_eq!(is_period_start(anchor, period, date), is_boundary_oracle(anchor, period, date));
        }

        #[test]
        fn consecutive_periods_tile(
            anchor in anchor_strategy(),
            period in period_strategy(),
            date in date_strategy(),
        ) {
            let s = period_containing(anchor, period, date);
            let next = period_containing(anchor, period, s.end_exclusive);
            prop_assert_eq!(next.start, s.end_exclusive);
            let prev = period_containing(anchor, period, s.start.pred_opt().unwrap());
            prop_assert_eq!(prev.end_exclusive, s.start);
            // Every day of the span belongs to the same period.
            prop_assert_eq!(period_containing(anchor, period, s.last_day()), s);
        }

        #[test]
        fn period_lengths_are_bounded(
            anchor in anchor_strategy(),
            period in period_strategy(),
            date in date_strategy(),
        ) {
            let days = period_containing(anchor, period, date).days();
            let count = i64::from(period.count());
            match period.unit() {
                PeriodUnit::Day => prop_assert_eq!(days, count),
                PeriodUnit::Month => {
                    // Clamping can shorten or lengthen a period by up to 3 days (31 → 28).
                    prop_assert!(days >= 28 * count && days <= 31 * count, "{days} days");
                    if count == 1 {
                        prop_assert!((28..=31).contains(&days));
                    }
                    // Within 3 days (the most a clamp can move an end) of the length of the
                    // same months counted from their first days.
                    let start = period_containing(anchor, period, date).start;
                    let first = d(start.year(), start.month(), 1);
                    let unclamped = (first + Months::new(period.count()) - first).num_days();
                    prop_assert!((days - unclamped).abs() <= 3, "{days} vs {unclamped}");
                }
                PeriodUnit::Year => prop_assert!(days >= 365 * count && days <= 366 * count, "{days} days"),
            }
        }

        #[test]
        fn boundaries_are_their_own_period_start(
            anchor in anchor_strategy(),
            period in period_strategy(),
            n in -3000i64..3000,
        ) {
            let b = add_periods(anchor, period, n);
            let s = period_containing(anchor, period, b);
            prop_assert_eq!(s.start, b);
            prop_assert_eq!(period_index(anchor, period, b), n);
            prop_assert_eq!(period_at(anchor, period, n), s);
            prop_assert!(is_period_start(anchor, period, b));
        }

        #[test]
        fn boundaries_match_chrono_clamping_from_the_anchor(
            anchor in anchor_strategy(),
            period in period_strategy(),
            n in -3000i64..3000,
        ) {
            let b = add_periods(anchor, period, n);
            let expected = match period.months() {
                Some(m) => {
                    let k = Months::new(u32::try_from(n.unsigned_abs() * u64::from(m)).unwrap());
                    if n >= 0 { anchor.checked_add_months(k) } else { anchor.checked_sub_months(k) }
                }
                None => {
                    let k = Days::new(n.unsigned_abs() * u64::from(period.count()));
                    if n >= 0 { anchor.checked_add_days(k) } else { anchor.checked_sub_days(k) }
                }
            };
            prop_assert_eq!(Some(b), expected);
            if period.months().is_some() {
                // The clamp returns to the anchor day in every month that has it.
                let dim = days_in_month(b.year(), b.month());
                prop_assert_eq!(b.day(), anchor.day().min(dim));
                if dim >= anchor.day() {
                    prop_assert_eq!(b.day(), anchor.day());
                }
            }
        }

        #[test]
        fn date_before_and_after_a_boundary(
            anchor in anchor_strategy(),
            period in period_strategy(),
            n in -300i64..300,
        ) {
            let b = add_periods(anchor, period, n);
            let before = b.pred_opt().unwrap();
            prop_assert_eq!(period_containing(anchor, period, before).end_exclusive, b);
            prop_assert_eq!(period_index(anchor, period, before), n - 1);
        }
    }
}
