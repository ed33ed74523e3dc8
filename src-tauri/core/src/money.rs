//! Money: see SPEC §5.
//!
//! All amounts are [`Decimal`], never floats. Rounding happens in exactly two places, both
//! through [`round_half_away`] (half away from zero):
//!
//! - a **prorated unit amount** is rounded to the currency's decimals + 2 ([`prorate`]);
//! - an **extended amount** (quantity × unit) is rounded to the currency's decimals ([`extend`]).
//!
//! So ten licences of a 22.00 addition effective 15 March (1–31 March period) cost
//! 10 × 12.0645 = 120.645 → 120.65, not 10 × 12.06 = 120.60.
//!
//! Arithmetic is checked: an amount too large for [`Decimal`] gives [`MoneyError::Overflow`]
//! instead of wrapping or panicking. Quantities and prices up to 10⁹ (prices with 6 decimal
//! places) are far inside the range.

use chrono::NaiveDate;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::period::Span;

/// Why a money calculation could not be done. Converts into [`Error::Invalid`] naming the field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    /// A product or quotient does not fit in a [`Decimal`] (about ±7.9 × 10²⁸).
    #[error("The amount is too large to calculate.")]
    Overflow,
    /// The effective date of a prorated addition is not inside the billing period it prorates.
    #[error("The effective date {effective} is outside the billing period {start} to {last_day}.")]
    EffectiveOutsidePeriod {
        /// The effective date given.
        effective: NaiveDate,
        /// The period's first day.
        start: NaiveDate,
        /// The period's last day.
        last_day: NaiveDate,
    },
    /// The billing period has no days (its end is not after its start).
    #[error("The billing period from {start} to {end_exclusive} has no days.")]
    EmptyPeriod {
        /// The period's start.
        start: NaiveDate,
        /// The period's (exclusive) end.
        end_exclusive: NaiveDate,
    },
}

impl MoneyError {
    /// The input field the error concerns, as the UI names it.
    pub fn field(&self) -> crate::error::ReviewField {
        use crate::error::ReviewField;
        match self {
            MoneyError::Overflow => ReviewField::Amount,
            MoneyError::EffectiveOutsidePeriod { .. } => ReviewField::EffectiveDate,
            MoneyError::EmptyPeriod { .. } => ReviewField::BillingPeriod,
        }
    }
}

impl From<MoneyError> for Error {
    fn from(e: MoneyError) -> Self {
        Error::invalid(e.field(), e.to_string())
    }
}

/// A currency as far as amounts are concerned: its code and its number of decimals
/// (ConnectWise `currency.numberOfDecimals`, default 2).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Currency {
    /// ISO code, e.g. `"USD"`.
    pub code: String,
    /// Decimal places of extended amounts (2 for USD, 0 for JPY, 3 for KWD).
    #[serde(default = "default_decimals")]
    pub decimals: u32,
}

fn default_decimals() -> u32 {
    Currency::DEFAULT_DECIMALS
}

impl Currency {
    /// The decimals assumed when ConnectWise does not say.
    pub const DEFAULT_DECIMALS: u32 = 2;

    /// A currency with `decimals` decimal places.
    pub fn new(code: impl Into<String>, decimals: u32) -> Self {
        Currency {
            code: code.into(),
            decimals,
        }
    }

    /// A currency with the default 2 decimal places.
    pub fn with_default_decimals(code: impl Into<String>) -> Self {
        Self::new(code, Self::DEFAULT_DECIMALS)
    }

    /// Places of extended amounts: the currency's decimals (capped at [`Decimal::MAX_SCALE`]).
    pub fn amount_places(&self) -> u32 {
        self.decimals.min(Decimal::MAX_SCALE)
    }

    /// Places of prorated unit amounts: decimals + 2 (4 for USD).
    pub fn unit_places(&self) -> u32 {
        self.decimals.saturating_add(2).min(Decimal::MAX_SCALE)
    }

    /// The most places an entered price or cost may have: decimals + 4 (6 for USD, SPEC §6).
    pub fn price_places(&self) -> u32 {
        self.decimals.saturating_add(4).min(Decimal::MAX_SCALE)
    }

    /// True when `value` has no more significant decimal places than [`Self::price_places`]
    /// (trailing zeros do not count: 22.5000000 is accepted for USD).
    pub fn accepts_price(&self, value: Decimal) -> bool {
        places(value) <= self.price_places()
    }
}

/// The one rounding function: rounds `value` half away from zero (0.125 → 0.13,
/// −0.125 → −0.13) to `places` decimal places, and sets the scale to exactly `places`
/// (12 → 12.00, 12.060000 → 12.06) so the amount displays and serialises as intended.
///
/// `places` above [`Decimal::MAX_SCALE`] (28) is treated as 28; for a value so large that
/// `places` zeros do not fit, the scale is as large as fits. A zero result is never negative.
pub fn round_half_away(value: Decimal, places: u32) -> Decimal {
    let places = places.min(Decimal::MAX_SCALE);
    let mut rounded = value.round_dp_with_strategy(places, RoundingStrategy::MidpointAwayFromZero);
    rounded.rescale(places);
    if rounded.is_zero() {
        rounded.set_sign_positive(true);
    }
    rounded
}

/// The number of significant decimal places of `value`: trailing zeros do not count
/// (22.5000 → 1, 100 → 0, 0.000001 → 6). Used to validate entered prices.
pub fn places(value: Decimal) -> u32 {
    value.normalize().scale()
}

/// A display string of `value` rounded half away from zero to `places` places: plain digits,
/// `.` as decimal point, a leading `-` for negatives, no thousands separators
/// (`"12.06"`, `"-7.48"`, `"120.65"`, `"1025"` for 0 places). Never `"-0.00"`.
pub fn format(value: Decimal, places: u32) -> String {
    round_half_away(value, places).to_string()
}

/// A unit price or cost as shown: at least the currency's decimals, more when it has them
/// (22 → "22.00", 0.0025 → "0.0025", 12.0645 → "12.0645").
pub fn format_price(v: Decimal, currency: &Currency) -> String {
    format(v, places(v).max(currency.amount_places()))
}

/// The extended amount of `quantity` units at `unit` each, rounded half away from zero to the
/// currency's decimals (SPEC §5: 10 × 12.0645 → 120.65 in USD).
///
/// # Errors
/// [`MoneyError::Overflow`] when the product does not fit in a [`Decimal`].
pub fn extend(
    quantity: Decimal,
    unit: Decimal,
    currency: &Currency,
) -> Result<Decimal, MoneyError> {
    let product = quantity.checked_mul(unit).ok_or(MoneyError::Overflow)?;
    Ok(round_half_away(product, currency.amount_places()))
}

/// The prorated unit amount of `unit` for an addition effective on `effective` in the billing
/// period `span` (SPEC §5):
///
/// `round_half_away(unit × (days in period − days elapsed) / days in period, decimals + 2)`
///
/// where days in period = `span.days()` and days elapsed = `effective − span.start`. Effective
/// on the period's first day gives the full unit (rounded to decimals + 2), on its last day one
/// day's worth. Works the same for negative units (credits).
///
/// # Errors
/// - [`MoneyError::EffectiveOutsidePeriod`] when `effective` is not inside `span` (this module
///   never extrapolates to another period);
/// - [`MoneyError::EmptyPeriod`] when the span has no days;
/// - [`MoneyError::Overflow`] when `unit × days` does not fit in a [`Decimal`].
pub fn prorate(
    unit: Decimal,
    span: &Span,
    effective: NaiveDate,
    currency: &Currency,
) -> Result<Decimal, MoneyError> {
    let (days_in_period, days_remaining) = remaining_days(span, effective)?;
    prorate_days(unit, days_remaining, days_in_period, currency)
}

/// `(days in period, days remaining)` of `span` for an addition effective on `effective`;
/// days remaining counts the effective day itself.
fn remaining_days(span: &Span, effective: NaiveDate) -> Result<(i64, i64), MoneyError> {
    let days_in_period = span.days();
    if days_in_period <= 0 {
        return Err(MoneyError::EmptyPeriod {
            start: span.start,
            end_exclusive: span.end_exclusive,
        });
    }
    if !span.contains(effective) {
        return Err(MoneyError::EffectiveOutsidePeriod {
            effective,
            start: span.start,
            last_day: span.last_day(),
        });
    }
    let elapsed = (effective - span.start).num_days();
    Ok((days_in_period, days_in_period - elapsed))
}

/// `unit × days_remaining / days_in_period`, rounded to the currency's unit places.
/// Multiplies first so the only rounding is the final one (the quotient keeps 28 significant
/// digits, far more than the places kept).
pub fn prorate_days(
    unit: Decimal,
    days_remaining: i64,
    days_in_period: i64,
    currency: &Currency,
) -> Result<Decimal, MoneyError> {
    let exact = unit
        .checked_mul(Decimal::from(days_remaining))
        .and_then(|n| n.checked_div(Decimal::from(days_in_period)))
        .ok_or(MoneyError::Overflow)?;
    Ok(round_half_away(exact, currency.unit_places()))
}

/// A prorate calculation for one addition: the day counts used and the prorated unit price and
/// cost (each rounded to the currency's decimals + 2). Kept whole so the UI can show how the
/// amount was found ("17 of 31 days").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Proration {
    /// Calendar days in the billing period (start inclusive, next start exclusive).
    pub days_in_period: i64,
    /// Days from the effective date (inclusive) to the period's end: days in period − elapsed.
    pub days_remaining: i64,
    /// The prorated unit price.
    pub unit_price: Decimal,
    /// The prorated unit cost, if a cost was given.
    pub unit_cost: Option<Decimal>,
}

impl Proration {
    /// Prorates a unit price (and optionally a unit cost) for an addition effective on
    /// `effective` in the billing period `span`; see [`prorate`] for the formula and errors.
    pub fn new(
        span: &Span,
        effective: NaiveDate,
        unit_price: Decimal,
        unit_cost: Option<Decimal>,
        currency: &Currency,
    ) -> Result<Self, MoneyError> {
        let (days_in_period, days_remaining) = remaining_days(span, effective)?;
        let unit_price = prorate_days(unit_price, days_remaining, days_in_period, currency)?;
        let unit_cost = unit_cost
            .map(|cost| prorate_days(cost, days_remaining, days_in_period, currency))
            .transpose()?;
        Ok(Proration {
            days_in_period,
            days_remaining,
            unit_price,
            unit_cost,
        })
    }

    /// True when the effective date is the period's first day (nothing to prorate: the
    /// amounts are the full ones).
    pub fn is_full_period(&self) -> bool {
        self.days_remaining == self.days_in_period
    }

    /// The extended price for `quantity` (see [`extend`]).
    pub fn extended_price(
        &self,
        quantity: Decimal,
        currency: &Currency,
    ) -> Result<Decimal, MoneyError> {
        extend(quantity, self.unit_price, currency)
    }

    /// The extended cost for `quantity`, if a cost was given (see [`extend`]).
    pub fn extended_cost(
        &self,
        quantity: Decimal,
        currency: &Currency,
    ) -> Result<Option<Decimal>, MoneyError> {
        self.unit_cost
            .map(|cost| extend(quantity, cost, currency))
            .transpose()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Datelike;
    use proptest::prelude::*;
    use rust_decimal_macros::dec;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn span(start: NaiveDate, end_exclusive: NaiveDate) -> Span {
        Span {
            start,
            end_exclusive,
        }
    }

    fn march_2027() -> Span {
        span(d(2027, 3, 1), d(2027, 4, 1))
    }

    fn usd() -> Currency {
        Currency::new("USD", 2)
    }

    /// Asserts value *and* scale (so 12.06 is not accepted as 12.060000).
    #[track_caller]
    fn assert_amount(got: Decimal, want: &str) {
        assert_eq!(got.to_string(), want);
    }

    #[test]
    fn spec_example_22_effective_15_march() {
        let unit = prorate(dec!(22.00), &march_2027(), d(2027, 3, 15), &usd()).unwrap();
        assert_amount(unit, "12.0645");
        assert_amount(extend(dec!(1), unit, &usd()).unwrap(), "12.06");
        assert_amount(extend(dec!(10), unit, &usd()).unwrap(), "120.65");
        // Rounding the per-unit amount to cents first would give 120.60: not what we do.
        assert_ne!(extend(dec!(10), unit, &usd()).unwrap(), dec!(120.60));
    }

    #[test]
    fn spec_example_downgrade_credit() {
        let unit = prorate(dec!(-14.50), &march_2027(), d(2027, 3, 16), &usd()).unwrap();
        assert_amount(unit, "-7.4839");
        assert_amount(extend(dec!(1), unit, &usd()).unwrap(), "-7.48");
        // A credit for a quantity delta of -3 at a positive price is negative too.
        let unit = prorate(dec!(14.50), &march_2027(), d(2027, 3, 16), &usd()).unwrap();
        assert_amount(extend(dec!(-3), unit, &usd()).unwrap(), "-22.45");
    }

    #[test]
    fn first_and_last_day() {
        let s = march_2027();
        assert_amount(
            prorate(dec!(22), &s, d(2027, 3, 1), &usd()).unwrap(),
            "22.0000",
        );
        assert_amount(
            prorate(dec!(22.00), &s, d(2027, 3, 31), &usd()).unwrap(),
            "0.7097",
        );
        assert_amount(
            prorate(dec!(-22.00), &s, d(2027, 3, 31), &usd()).unwrap(),
            "-0.7097",
        );
    }

    #[test]
    fn prorate_table() {
        let usd = usd();
        let jpy = Currency::new("JPY", 0);
        let kwd = Currency::new("KWD", 3);
        let cases = [
            // (unit, span, effective, currency, expected unit, quantity, expected extended)
            // Quarterly, 1 Jan – 31 Mar 2027 (90 days), effective 1 March: 31 days remain.
            (
                dec!(30.00),
                span(d(2027, 1, 1), d(2027, 4, 1)),
                d(2027, 3, 1),
                &usd,
                "10.3333",
                dec!(5),
                "51.67",
            ),
            // Quarterly from an anchor on the 31st: 30 Nov 2026 – 28 Feb 2027 (90 days).
            (
                dec!(45.00),
                span(d(2026, 11, 30), d(2027, 2, 28)),
                d(2027, 1, 1),
                &usd,
                "29.0000",
                dec!(2),
                "58.00",
            ),
            // Yearly, leap 2028 (366 days), effective 1 July: 184 days remain.
            (
                dec!(120.00),
                span(d(2028, 1, 1), d(2029, 1, 1)),
                d(2028, 7, 1),
                &usd,
                "60.3279",
                dec!(3),
                "180.98",
            ),
            // Yearly, 2027 (365 days), effective 1 July: 184 days remain.
            (
                dec!(120.00),
                span(d(2027, 1, 1), d(2028, 1, 1)),
                d(2027, 7, 1),
                &usd,
                "60.4932",
                dec!(3),
                "181.48",
            ),
            // Yearly from 29 Feb 2028 to 28 Feb 2029 (365 days), effective on the last day.
            (
                dec!(365.00),
                span(d(2028, 2, 29), d(2029, 2, 28)),
                d(2029, 2, 27),
                &usd,
                "1.0000",
                dec!(1),
                "1.00",
            ),
            // Monthly, anchor 31 Jan 2028: 29 Feb – 30 Mar (31 days), effective 1 March.
            (
                dec!(22.00),
                span(d(2028, 2, 29), d(2028, 3, 31)),
                d(2028, 3, 1),
                &usd,
                "21.2903",
                dec!(1),
                "21.29",
            ),
            // Monthly, anchor 31 Jan 2027: 31 Jan – 27 Feb (28 days), effective on the last day.
            (
                dec!(22.00),
                span(d(2027, 1, 31), d(2027, 2, 28)),
                d(2027, 2, 27),
                &usd,
                "0.7857",
                dec!(1),
                "0.79",
            ),
            // Monthly, anchor 31 Jan 2027: 28 Feb – 30 Mar (31 days), effective 28 Feb: full.
            (
                dec!(22.00),
                span(d(2027, 2, 28), d(2027, 3, 31)),
                d(2027, 2, 28),
                &usd,
                "22.0000",
                dec!(1),
                "22.00",
            ),
            // February 2027 (28 days), effective 15 Feb: 14 days remain, exactly half.
            (
                dec!(22.00),
                span(d(2027, 2, 1), d(2027, 3, 1)),
                d(2027, 2, 15),
                &usd,
                "11.0000",
                dec!(1),
                "11.00",
            ),
            // Usage-style price with 6 places.
            (
                dec!(0.123456),
                march_2027(),
                d(2027, 3, 15),
                &usd,
                "0.0677",
                dec!(1000),
                "67.70",
            ),
            // 0-decimal currency: unit to 2 places, extended to 0.
            (
                dec!(1000),
                march_2027(),
                d(2027, 3, 15),
                &jpy,
                "548.39",
                dec!(1),
                "548",
            ),
            (
                dec!(1000),
                march_2027(),
                d(2027, 3, 15),
                &jpy,
                "548.39",
                dec!(3),
                "1645",
            ),
            (
                dec!(-1000),
                march_2027(),
                d(2027, 3, 15),
                &jpy,
                "-548.39",
                dec!(3),
                "-1645",
            ),
            // 3-decimal currency: unit to 5 places, extended to 3.
            (
                dec!(10.000),
                march_2027(),
                d(2027, 3, 15),
                &kwd,
                "5.48387",
                dec!(7),
                "38.387",
            ),
            (
                dec!(10.000),
                march_2027(),
                d(2027, 3, 1),
                &kwd,
                "10.00000",
                dec!(1),
                "10.000",
            ),
        ];
        for (unit, s, effective, currency, want_unit, quantity, want_ext) in cases {
            let got = prorate(unit, &s, effective, currency).unwrap();
            assert_eq!(
                got.to_string(),
                want_unit,
                "{unit} {s:?} {effective} {}",
                currency.code
            );
            let ext = extend(quantity, got, currency).unwrap();
            assert_eq!(
                ext.to_string(),
                want_ext,
                "{quantity} × {got} {}",
                currency.code
            );
        }
    }

    #[test]
    fn effective_outside_the_period_is_an_error() {
        let s = march_2027();
        assert_eq!(
            prorate(dec!(22), &s, d(2027, 2, 28), &usd()),
            Err(MoneyError::EffectiveOutsidePeriod {
                effective: d(2027, 2, 28),
                start: d(2027, 3, 1),
                last_day: d(2027, 3, 31),
            })
        );
        // The exclusive end is the next period's first day: not in this period.
        assert!(matches!(
            prorate(dec!(22), &s, d(2027, 4, 1), &usd()),
            Err(MoneyError::EffectiveOutsidePeriod { .. })
        ));
        let empty = span(d(2027, 3, 1), d(2027, 3, 1));
        assert!(matches!(
            prorate(dec!(22), &empty, d(2027, 3, 1), &usd()),
            Err(MoneyError::EmptyPeriod { .. })
        ));
        let reversed = span(d(2027, 4, 1), d(2027, 3, 1));
        assert!(matches!(
            prorate(dec!(22), &reversed, d(2027, 3, 15), &usd()),
            Err(MoneyError::EmptyPeriod { .. })
        ));
    }

    #[test]
    fn money_errors_become_invalid_errors_naming_the_field() {
        let e: Error = MoneyError::EffectiveOutsidePeriod {
            effective: d(2027, 2, 28),
            start: d(2027, 3, 1),
            last_day: d(2027, 3, 31),
        }
        .into();
        match e {
            Error::Invalid { field, message } => {
                assert_eq!(field, crate::error::ReviewField::EffectiveDate.into());
                assert_eq!(
                    message,
                    "The effective date 2027-02-28 is outside the billing period 2027-03-01 to 2027-03-31."
                );
            }
            other => panic!("unexpected {other:?}"),
        }
        let e: Error = MoneyError::Overflow.into();
        assert_eq!(e.code(), crate::error::ErrorCode::Invalid);
    }

    #[test]
    fn rounding_is_half_away_from_zero_with_exact_scale() {
        let cases = [
            (dec!(0.125), 2, "0.13"),
            (dec!(-0.125), 2, "-0.13"),
            (dec!(0.135), 2, "0.14"),
            (dec!(-0.135), 2, "-0.14"),
            (dec!(0.124999), 2, "0.12"),
            (dec!(-0.124999), 2, "-0.12"),
            (dec!(2.5), 0, "3"),
            (dec!(-2.5), 0, "-3"),
            (dec!(3.5), 0, "4"),
            (dec!(0.5), 0, "1"),
            (dec!(1.00005), 4, "1.0001"),
            (dec!(-1.00005), 4, "-1.0001"),
            (dec!(12.060000), 2, "12.06"),
            (dec!(12), 2, "12.00"),
            (dec!(12), 4, "12.0000"),
            (dec!(0), 2, "0.00"),
            (dec!(-0.001), 2, "0.00"),
            (dec!(-0.004), 2, "0.00"),
            (dec!(-0.005), 2, "-0.01"),
            (dec!(1025.4), 0, "1025"),
            (dec!(1025.5), 0, "1026"),
        ];
        for (value, places, want) in cases {
            let got = round_half_away(value, places);
            assert_eq!(got.to_string(), want, "{value} to {places}");
            assert_eq!(got.scale(), places, "{value} to {places}");
            assert!(
                !got.is_zero() || got.is_sign_positive(),
                "negative zero for {value}"
            );
        }
        // Places beyond Decimal's maximum scale are capped, not a panic.
        assert_eq!(round_half_away(dec!(1.5), 40), dec!(1.5));
        assert_eq!(round_half_away(dec!(1.5), 40).scale(), 28);
        // A value too large for that many zeros keeps the largest scale that fits.
        let huge = Decimal::from(i64::MAX);
        let r = round_half_away(huge, 10);
        assert_eq!(r, huge);
        assert_eq!(r.scale(), 9);
    }

    #[test]
    fn places_counts_significant_decimals() {
        let cases = [
            (dec!(22.5000), 1),
            (dec!(22.50), 1),
            (dec!(100), 0),
            (dec!(100.00), 0),
            (dec!(0), 0),
            (dec!(0.000), 0),
            (dec!(-0.10), 1),
            (dec!(0.000001), 6),
            (dec!(1.0000001), 7),
            (dec!(999999999.123456), 6),
        ];
        for (value, want) in cases {
            assert_eq!(places(value), want, "{value}");
        }
    }

    #[test]
    fn format_is_plain_digits() {
        let cases = [
            (dec!(12.0645), 2, "12.06"),
            (dec!(-7.4839), 2, "-7.48"),
            (dec!(120.645), 2, "120.65"),
            (dec!(1025), 0, "1025"),
            (dec!(1234567.891), 2, "1234567.89"),
            (dec!(-1234567.895), 2, "-1234567.90"),
            (dec!(5), 2, "5.00"),
            (dec!(-0.001), 2, "0.00"),
            (dec!(0.0000005), 6, "0.000001"),
        ];
        for (value, places, want) in cases {
            assert_eq!(format(value, places), want, "{value} to {places}");
        }
    }

    #[test]
    fn currency_places() {
        let cases = [(0, 0, 2, 4), (2, 2, 4, 6), (3, 3, 5, 7), (30, 28, 28, 28)];
        for (decimals, amount, unit, price) in cases {
            let c = Currency::new("X", decimals);
            assert_eq!(
                (c.amount_places(), c.unit_places(), c.price_places()),
                (amount, unit, price),
                "{decimals} decimals"
            );
        }
        assert_eq!(Currency::with_default_decimals("EUR").decimals, 2);
        let usd = usd();
        assert!(usd.accepts_price(dec!(0.000123)));
        assert!(usd.accepts_price(dec!(22.50000000)));
        assert!(!usd.accepts_price(dec!(0.0001234)));
        assert!(Currency::new("JPY", 0).accepts_price(dec!(1.2345)));
        assert!(!Currency::new("JPY", 0).accepts_price(dec!(1.23456)));
    }

    #[test]
    fn currency_serde_defaults_decimals() {
        let c: Currency = serde_json::from_str(r#"{"code":"EUR"}"#).unwrap();
        assert_eq!(c, Currency::new("EUR", 2));
        let json = serde_json::to_string(&Currency::new("JPY", 0)).unwrap();
        assert_eq!(json, r#"{"code":"JPY","decimals":0}"#);
    }

    #[test]
    fn large_amounts_work_and_overflow_is_an_error() {
        let usd = usd();
        // Quantity 1e9 at a price of almost 1e9 with 6 places.
        let ext = extend(dec!(1000000000), dec!(999999999.999999), &usd).unwrap();
        assert_amount(ext, "999999999999999000.00");
        let ext = extend(dec!(1000000000), dec!(999999999.123456), &usd).unwrap();
        assert_amount(ext, "999999999123456000.00");
        let unit = prorate(dec!(999999999.999999), &march_2027(), d(2027, 3, 15), &usd).unwrap();
        assert_amount(unit, "548387096.7742");
        let ext = extend(dec!(1000000000), unit, &usd).unwrap();
        assert_amount(ext, "548387096774200000.00");

        assert_eq!(
            extend(Decimal::MAX, dec!(2), &usd),
            Err(MoneyError::Overflow)
        );
        assert_eq!(
            extend(Decimal::MIN, dec!(2), &usd),
            Err(MoneyError::Overflow)
        );
        assert_eq!(
            prorate(Decimal::MAX, &march_2027(), d(2027, 3, 15), &usd),
            Err(MoneyError::Overflow)
        );
        // Even on the first day: the amount is multiplied by the days like any other.
        assert_eq!(
            prorate(Decimal::MAX, &march_2027(), d(2027, 3, 1), &usd),
            Err(MoneyError::Overflow)
        );
    }

    #[test]
    fn proration_struct() {
        let p = Proration::new(
            &march_2027(),
            d(2027, 3, 15),
            dec!(22.00),
            Some(dec!(17.60)),
            &usd(),
        )
        .unwrap();
        assert_eq!(p.days_in_period, 31);
        assert_eq!(p.days_remaining, 17);
        assert_amount(p.unit_price, "12.0645");
        // 17.60 × 17 / 31 = 9.65161…
        assert_amount(p.unit_cost.unwrap(), "9.6516");
        assert!(!p.is_full_period());
        assert_amount(p.extended_price(dec!(10), &usd()).unwrap(), "120.65");
        assert_amount(p.extended_cost(dec!(10), &usd()).unwrap().unwrap(), "96.52");

        let p = Proration::new(&march_2027(), d(2027, 3, 1), dec!(22.00), None, &usd()).unwrap();
        assert!(p.is_full_period());
        assert_eq!(p.unit_cost, None);
        assert_eq!(p.extended_cost(dec!(10), &usd()).unwrap(), None);

        let json = serde_json::to_string(&p).unwrap();
        assert_eq!(
            json,
            r#"{"daysInPeriod":31,"daysRemaining":31,"unitPrice":"22.0000","unitCost":null}"#
        );
        assert!(Proration::new(&march_2027(), d(2027, 4, 1), dec!(1), None, &usd()).is_err());
    }

    // ---- property tests -------------------------------------------------------------------

    /// Exact rational oracle: `m / 10^s × remaining / days` rounded half away from zero to
    /// `places`, with integer arithmetic only.
    fn oracle_prorate(m: i64, s: u32, remaining: i64, days: i64, places: u32) -> Decimal {
        let (mut num, mut den) = (i128::from(m) * i128::from(remaining), i128::from(days));
        if places >= s {
            num *= 10i128.pow(places - s);
        } else {
            den *= 10i128.pow(s - places);
        }
        let (q, r) = (num / den, num % den);
        let q = if 2 * r.abs() >= den {
            q + num.signum()
        } else {
            q
        };
        let mut v = Decimal::from_i128_with_scale(q, places);
        if v.is_zero() {
            v.set_sign_positive(true);
        }
        v
    }

    fn currency_strategy() -> impl Strategy<Value = Currency> {
        (0u32..=3).prop_map(|decimals| Currency::new("X", decimals))
    }

    /// A billing-period-like span: 1 to 400 days from a start in 1990–2060.
    fn span_strategy() -> impl Strategy<Value = Span> {
        (
            d(1990, 1, 1).num_days_from_ce()..d(2060, 1, 1).num_days_from_ce(),
            1i64..=400,
        )
            .prop_map(|(start, days)| {
                let start = NaiveDate::from_num_days_from_ce_opt(start).unwrap();
                span(start, start + chrono::Days::new(days as u64))
            })
    }

    /// Amounts up to ±10⁹ with up to `max_scale` places, as mantissa and scale.
    fn amount_strategy(max_scale: u32) -> impl Strategy<Value = (i64, u32)> {
        (0u32..=max_scale).prop_flat_map(|s| {
            let bound = 10i64.pow(9 + s);
            (-bound..=bound, Just(s))
        })
    }

    /// Unit prices and costs: up to ±10⁹ with up to 6 places.
    fn unit_strategy() -> impl Strategy<Value = (i64, u32)> {
        amount_strategy(6)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn prorate_matches_exact_rational_oracle(
            (m, s) in unit_strategy(),
            sp in span_strategy(),
            offset in 0i64..400,
            currency in currency_strategy(),
        ) {
            let effective = sp.start + chrono::Days::new((offset % sp.days()) as u64);
            let unit = Decimal::new(m, s);
            let got = prorate(unit, &sp, effective, &currency).unwrap();
            let remaining = sp.days() - (effective - sp.start).num_days();
            let want = oracle_prorate(m, s, remaining, sp.days(), currency.unit_places());
            prop_assert_eq!(got, want);
            prop_assert_eq!(got.scale(), currency.unit_places());
        }

        #[test]
        fn prorate_is_bounded_full_at_start_and_symmetric(
            (m, s) in unit_strategy(),
            sp in span_strategy(),
            offset in 0i64..400,
            currency in currency_strategy(),
        ) {
            let unit = Decimal::new(m, s);
            let effective = sp.start + chrono::Days::new((offset % sp.days()) as u64);
            let got = prorate(unit, &sp, effective, &currency).unwrap();
            let full = round_half_away(unit, currency.unit_places());
            prop_assert!(got.abs() <= full.abs(), "{got} > {full}");
            prop_assert!(got.is_zero() || got.is_sign_negative() == unit.is_sign_negative());
            prop_assert_eq!(prorate(unit, &sp, sp.start, &currency).unwrap(), full);
            prop_assert_eq!(prorate(-unit, &sp, effective, &currency).unwrap(), -got);
            // The last day is one day's worth.
            let one_day = unit.checked_div(Decimal::from(sp.days())).unwrap();
            prop_assert_eq!(
                prorate(unit, &sp, sp.last_day(), &currency).unwrap(),
                round_half_away(one_day, currency.unit_places())
            );
        }

        #[test]
        fn prorate_is_non_increasing_in_the_effective_date(
            m in 0i64..=1_000_000_000_000_000,
            s in 0u32..=6,
            sp in span_strategy(),
            currency in currency_strategy(),
        ) {
            let unit = Decimal::new(m, s);
            let mut previous = None;
            let mut day = sp.start;
            while sp.contains(day) {
                let got = prorate(unit, &sp, day, &currency).unwrap();
                prop_assert!(got >= Decimal::ZERO);
                if let Some(prev) = previous {
                    prop_assert!(got <= prev, "{day}: {got} > {prev}");
                }
                previous = Some(got);
                day = day.succ_opt().unwrap();
            }
        }

        #[test]
        fn extend_matches_exact_oracle(
            (q, qs) in amount_strategy(3),
            (m, s) in unit_strategy(),
            currency in currency_strategy(),
        ) {
            let got = extend(Decimal::new(q, qs), Decimal::new(m, s), &currency).unwrap();
            let want = oracle_prorate(q, qs, m, 10i64.pow(s), currency.decimals);
            prop_assert_eq!(got, want);
            prop_assert_eq!(got.scale(), currency.decimals);
        }

        #[test]
        fn rounding_properties(
            m in -1_000_000_000_000_000i64..=1_000_000_000_000_000,
            s in 0u32..=18,
            dp in 0u32..=10,
        ) {
            let value = Decimal::new(m, s);
            let r = round_half_away(value, dp);
            prop_assert_eq!(r.scale(), dp);
            // Within half a unit in the last place, and symmetric.
            let half = Decimal::new(5, dp + 1);
            prop_assert!((r - value).abs() <= half);
            prop_assert_eq!(round_half_away(-value, dp), -r);
            // Idempotent, and a no-op on values already at that precision.
            prop_assert_eq!(round_half_away(r, dp), r);
            if places(value) <= dp {
                prop_assert_eq!(r, value);
            }
            let text = format(value, dp);
            prop_assert_eq!(&text, &r.to_string());
            prop_assert!(text.chars().all(|c| c.is_ascii_digit() || c == '.' || c == '-'));
            prop_assert!(text != "-0" && !text.starts_with("-0.") || !r.is_zero());
        }
    }

    #[test]
    fn oracle_sanity() {
        // The oracle itself on the SPEC example, so a wrong oracle cannot hide a wrong prorate.
        assert_eq!(oracle_prorate(2200, 2, 17, 31, 4).to_string(), "12.0645");
        assert_eq!(oracle_prorate(-1450, 2, 16, 31, 4).to_string(), "-7.4839");
        assert_eq!(oracle_prorate(125, 3, 1, 1, 2).to_string(), "0.13");
        assert_eq!(oracle_prorate(-125, 3, 1, 1, 2).to_string(), "-0.13");
    }
}
