//! Validation of what a person enters in the review (SPEC §6). Every value that arrives from the
//! window is parsed and checked here, whatever the window already checked. Messages name the
//! field and the reason.

use chrono::{Datelike, NaiveDate};

use crate::draft::EditableField;
use rust_decimal::Decimal;
use std::str::FromStr;

use crate::money::{self, Currency};

/// ConnectWise's limit for an addition's invoice description.
pub const MAX_DESCRIPTION: usize = 6000;
/// ConnectWise's limit for an addition's serial number.
pub const MAX_SERIAL_NUMBER: usize = 50;
/// The longest search text taken anywhere: the task list, the board, Reconcile, companies and
/// the catalog.
pub const MAX_SEARCH: usize = 200;

/// The one rule for a typed search, wherever it is taken: at most [`MAX_SEARCH`] characters and
/// no control characters (a tab or line break pasted with a name would match nothing).
pub fn search(text: &str) -> crate::error::Result<()> {
    if text.chars().count() > MAX_SEARCH {
        return Err(crate::error::Error::invalid(
            crate::error::ErrorField::Search,
            format!("The search text is too long (at most {MAX_SEARCH} characters)."),
        ));
    }
    if text.chars().any(char::is_control) {
        return Err(crate::error::Error::invalid(
            crate::error::ErrorField::Search,
            "The search text holds a tab or a line break: type the words alone.",
        ));
    }
    Ok(())
}

pub use crate::error::ReviewField;

impl From<EditableField> for ReviewField {
    fn from(f: EditableField) -> Self {
        match f {
            EditableField::EffectiveDate => ReviewField::EffectiveDate,
            EditableField::CancelDate => ReviewField::CancelDate,
            EditableField::Description => ReviewField::Description,
            EditableField::Quantity => ReviewField::Quantity,
            EditableField::UnitPrice => ReviewField::UnitPrice,
            EditableField::UnitCost => ReviewField::UnitCost,
            EditableField::BillCustomer => ReviewField::BillCustomer,
            EditableField::Taxable => ReviewField::Taxable,
            EditableField::PriceSource => ReviewField::PriceSource,
        }
    }
}

/// A refused value: the field and why, in words for a billing person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub field: ReviewField,
    pub message: String,
}

fn refuse(field: ReviewField, message: impl Into<String>) -> Refusal {
    Refusal {
        field,
        message: message.into(),
    }
}

/// The first and last years a date may have (SPEC §6 bounds): far enough for any billing, and
/// every period computed from such a date stays well inside the calendar.
pub const FIRST_YEAR: i32 = 2000;
pub const LAST_YEAR: i32 = 2099;
/// The most digits a quantity, price or cost may have before the decimal point: what
/// ConnectWise's numbers hold.
pub const MAX_WHOLE_DIGITS: usize = 12;
/// The most decimal places of a quantity.
pub const QUANTITY_PLACES: u32 = 6;

/// A value as quoted back in a message: trimmed, and cut short when long.
fn quoted(text: &str) -> String {
    let t = text.trim();
    if t.chars().count() > 40 {
        format!("{}…", t.chars().take(40).collect::<String>())
    } else {
        t.to_owned()
    }
}

/// A calendar date typed exactly as `YYYY-MM-DD`, with a year from [`FIRST_YEAR`] to
/// [`LAST_YEAR`].
pub fn date(field: ReviewField, label: &str, text: &str) -> Result<NaiveDate, Refusal> {
    let t = text.trim();
    let shaped = t.len() == 10
        && t.bytes().enumerate().all(|(i, b)| match i {
            4 | 7 => b == b'-',
            _ => b.is_ascii_digit(),
        });
    if !shaped {
        return Err(refuse(
            field,
            format!(
                "{label} must be a date written like 2026-11-16 (year, month, day), not “{}”.",
                quoted(t)
            ),
        ));
    }
    let d = NaiveDate::parse_from_str(t, "%Y-%m-%d").map_err(|_| {
        refuse(
            field,
            format!("{label} “{t}” is not a day of the calendar."),
        )
    })?;
    if !(FIRST_YEAR..=LAST_YEAR).contains(&d.year()) {
        return Err(refuse(
            field,
            format!("{label} must be in the years {FIRST_YEAR} to {LAST_YEAR}, not {t}."),
        ));
    }
    Ok(d)
}

/// An optional date: empty means none.
pub fn optional_date(
    field: ReviewField,
    label: &str,
    text: &str,
) -> Result<Option<NaiveDate>, Refusal> {
    if text.trim().is_empty() {
        Ok(None)
    } else {
        date(field, label, text).map(Some)
    }
}

/// A date the plan computed (not typed) within the bounds every date must keep.
pub fn date_in_range(field: ReviewField, label: &str, d: NaiveDate) -> Result<(), Refusal> {
    if (FIRST_YEAR..=LAST_YEAR).contains(&d.year()) {
        Ok(())
    } else {
        Err(refuse(
            field,
            format!("{label} {d} is outside the years {FIRST_YEAR} to {LAST_YEAR}."),
        ))
    }
}

/// A number typed with digits, an optional sign, an optional decimal point and `,` as thousands
/// separators; at most [`MAX_WHOLE_DIGITS`] before the point and `max_places` significant places
/// after it. Never rounded: a value with more places is refused. `-0` reads as 0.
fn number(
    field: ReviewField,
    label: &str,
    text: &str,
    max_places: u32,
) -> Result<Decimal, Refusal> {
    let t = text.trim().replace(',', "");
    if t.is_empty() {
        return Err(refuse(field, format!("{label} is required.")));
    }
    let (negative, digits) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t.strip_prefix('+').unwrap_or(&t)),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let is_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if (whole.is_empty() && fraction.is_empty()) || !is_digits(whole) || !is_digits(fraction) {
        return Err(refuse(
            field,
            format!("{label} must be a number, not “{}”.", quoted(text)),
        ));
    }
    let whole = whole.trim_start_matches('0');
    let fraction = fraction.trim_end_matches('0');
    if whole.len() > MAX_WHOLE_DIGITS {
        return Err(refuse(
            field,
            format!(
                "{label} is too large: ConnectWise takes at most {MAX_WHOLE_DIGITS} digits before the decimal point."
            ),
        ));
    }
    let places = fraction.len() as u32;
    if places > max_places {
        return Err(refuse(
            field,
            format!("{label} has {places} decimal places; at most {max_places} are allowed."),
        ));
    }
    let whole = if whole.is_empty() { "0" } else { whole };
    let mut value = Decimal::from_str(format!("{whole}.{fraction}").trim_end_matches('.'))
        .map_err(|_| {
            refuse(
                field,
                format!("{label} must be a number, not “{}”.", quoted(text)),
            )
        })?;
    if negative && !value.is_zero() {
        value.set_sign_negative(true);
    }
    Ok(value)
}

/// Which quantities a row may have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuantityRule {
    /// A new or changed addition: more than 0.
    Positive,
    /// A prorate row: a credit may be negative.
    Signed,
    /// Any other row: 0 or more.
    NotNegative,
}

/// A quantity: a number with at most [`QUANTITY_PLACES`] places, within the row's rule.
pub fn quantity(text: &str, rule: QuantityRule) -> Result<Decimal, Refusal> {
    let q = number(ReviewField::Quantity, "Quantity", text, QUANTITY_PLACES)?;
    quantity_value(q, rule)?;
    Ok(q)
}

/// Checks a quantity, typed or planned, against the row's rule.
pub fn quantity_value(q: Decimal, rule: QuantityRule) -> Result<(), Refusal> {
    match rule {
        QuantityRule::Positive if q <= Decimal::ZERO => Err(refuse(
            ReviewField::Quantity,
            "Quantity must be more than 0 on a new addition (to add nothing, deselect the row).",
        )),
        QuantityRule::NotNegative if q < Decimal::ZERO => Err(refuse(
            ReviewField::Quantity,
            "Quantity cannot be negative here (only a prorate credit may be).",
        )),
        _ => Ok(()),
    }
}

/// A unit price or cost: a number with at most the currency's decimals + 4 places; negative
/// only where `may_be_negative` (a prorate credit).
pub fn amount(
    field: ReviewField,
    label: &str,
    text: &str,
    currency: &Currency,
    may_be_negative: bool,
) -> Result<Decimal, Refusal> {
    let v = number(field, label, text, currency.price_places())?;
    amount_value(field, label, v, currency, may_be_negative)?;
    Ok(v)
}

/// Checks a unit price or cost, typed or planned: its places for the currency, its size, its
/// sign.
pub fn amount_value(
    field: ReviewField,
    label: &str,
    v: Decimal,
    currency: &Currency,
    may_be_negative: bool,
) -> Result<(), Refusal> {
    if !currency.accepts_price(v) {
        return Err(refuse(
            field,
            format!(
                "{label} has {} decimal places; {} allows at most {}.",
                money::places(v),
                currency.code,
                currency.price_places()
            ),
        ));
    }
    if v.abs().trunc().normalize().to_string().len() > MAX_WHOLE_DIGITS {
        return Err(refuse(
            field,
            format!(
                "{label} is too large: ConnectWise takes at most {MAX_WHOLE_DIGITS} digits before the decimal point."
            ),
        ));
    }
    if v < Decimal::ZERO && !may_be_negative {
        return Err(refuse(
            field,
            format!("{label} cannot be negative here (only a prorate credit may be)."),
        ));
    }
    Ok(())
}

/// An invoice description within ConnectWise's limit.
pub fn description(text: &str) -> Result<String, Refusal> {
    let n = text.chars().count();
    if n > MAX_DESCRIPTION {
        return Err(refuse(
            ReviewField::Description,
            format!("The description is {n} characters long; ConnectWise allows at most {MAX_DESCRIPTION}."),
        ));
    }
    Ok(text.to_owned())
}

/// A serial number within ConnectWise's limit.
pub fn serial_number(text: &str) -> Result<String, Refusal> {
    let n = text.chars().count();
    if n > MAX_SERIAL_NUMBER {
        return Err(refuse(
            ReviewField::SerialNumber,
            format!("The serial number is {n} characters long; ConnectWise allows at most {MAX_SERIAL_NUMBER}."),
        ));
    }
    Ok(text.to_owned())
}

/// `true` / `false`.
pub fn flag(field: ReviewField, text: &str) -> Result<bool, Refusal> {
    match text.trim() {
        "true" => Ok(true),
        "false" => Ok(false),
        other => Err(refuse(
            field,
            format!("{} must be true or false, not “{other}”.", field.label()),
        )),
    }
}

/// The cancel date may not come before the effective date.
pub fn dates_in_order(effective: NaiveDate, cancel: Option<NaiveDate>) -> Result<(), Refusal> {
    match cancel {
        Some(c) if c < effective => Err(refuse(
            ReviewField::CancelDate,
            format!("The cancel date {c} is before the effective date {effective}."),
        )),
        _ => Ok(()),
    }
}

/// The effective date must lie within the agreement's start and end.
pub fn within_agreement(
    effective: NaiveDate,
    start: Option<NaiveDate>,
    end: Option<NaiveDate>,
    agreement: &str,
) -> Result<(), Refusal> {
    if let Some(s) = start.filter(|s| effective < *s) {
        return Err(refuse(
            ReviewField::EffectiveDate,
            format!(
                "The effective date {effective} is before agreement “{agreement}” starts ({s})."
            ),
        ));
    }
    if let Some(e) = end.filter(|e| effective > *e) {
        return Err(refuse(
            ReviewField::EffectiveDate,
            format!("The effective date {effective} is after agreement “{agreement}” ends ({e})."),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn usd() -> Currency {
        Currency::new("USD", 2)
    }

    #[test]
    fn quantities() {
        use QuantityRule::*;
        assert_eq!(quantity("25", Positive), Ok(dec!(25)));
        assert_eq!(quantity(" 1,250.5 ", Positive), Ok(dec!(1250.5)));
        assert_eq!(quantity("-2", Signed), Ok(dec!(-2)));
        assert_eq!(quantity("0", NotNegative), Ok(dec!(0)));
        let e = quantity("-2", NotNegative).unwrap_err();
        assert_eq!(e.field, ReviewField::Quantity);
        assert!(e.message.contains("cannot be negative"));
        assert!(quantity("ten", Positive)
            .unwrap_err()
            .message
            .contains("“ten”"));
        assert!(quantity("", Positive)
            .unwrap_err()
            .message
            .contains("required"));
    }

    #[test]
    fn values_beyond_the_bounds_are_refused_never_rounded() {
        use QuantityRule::*;
        type Case = (&'static str, QuantityRule, &'static str);
        let refused: &[Case] = &[
            ("0", Positive, "more than 0"),
            ("-0", Positive, "more than 0"),
            ("-0.000", Positive, "more than 0"),
            ("-1", Positive, "more than 0"),
            ("40000000000000000000000000000", Positive, "too large"),
            ("1000000000000", Positive, "too large"),
            ("1.0000001", Positive, "7 decimal places"),
            ("1e5", Positive, "must be a number"),
            ("--1", Signed, "must be a number"),
            ("1.2.3", Positive, "must be a number"),
            (".", Positive, "must be a number"),
            ("NaN", Positive, "must be a number"),
        ];
        for &(text, rule, why) in refused {
            let e = quantity(text, rule).expect_err(text);
            assert!(e.message.contains(why), "{text}: {}", e.message);
        }
        assert_eq!(quantity("999999999999", Positive), Ok(dec!(999999999999)));
        assert_eq!(quantity("000001.500000", Positive), Ok(dec!(1.5)));
        let zero = quantity("-0", NotNegative).unwrap();
        assert!(zero.is_zero() && !zero.is_sign_negative());

        let usd = usd();
        let price = |t: &str, neg: bool| amount(ReviewField::UnitPrice, "Unit price", t, &usd, neg);
        let e = price("0.00000000000000000000000000001", false).unwrap_err();
        assert!(e.message.contains("29 decimal places"), "{}", e.message);
        let e = price("-1", false).unwrap_err();
        assert!(e.message.contains("cannot be negative"), "{}", e.message);
        assert_eq!(price("-1", true), Ok(dec!(-1)));
        let e = amount(
            ReviewField::UnitCost,
            "Unit cost",
            "79228162514264337593543950335",
            &usd,
            false,
        )
        .unwrap_err();
        assert_eq!(e.field, ReviewField::UnitCost);
        assert!(e.message.contains("too large"), "{}", e.message);
        assert!(amount(
            ReviewField::UnitCost,
            "Unit cost",
            "-79228162514264337593543950335",
            &usd,
            true
        )
        .unwrap_err()
        .message
        .contains("too large"));
        assert_eq!(
            price("999999999999.999999", false),
            Ok(dec!(999999999999.999999))
        );
        assert!(amount_value(
            ReviewField::UnitPrice,
            "Unit price",
            dec!(1000000000000),
            &usd,
            false
        )
        .is_err());
        assert!(amount_value(ReviewField::UnitPrice, "Unit price", dec!(-3), &usd, false).is_err());
    }

    #[test]
    fn dates_and_their_order() {
        assert_eq!(
            date(ReviewField::EffectiveDate, "Effective date", "2026-11-16"),
            Ok(NaiveDate::from_ymd_opt(2026, 11, 16).unwrap())
        );
        assert!(date(ReviewField::EffectiveDate, "Effective date", "16/11/2026").is_err());
        type DateCase = (&'static str, &'static str);
        let refused: &[DateCase] = &[
            ("+262142-12-31", "written like 2026-11-16"),
            ("-0001-01-01", "written like 2026-11-16"),
            ("2026-1-5", "written like 2026-11-16"),
            ("20261116", "written like 2026-11-16"),
            ("2027-02-29", "not a day of the calendar"),
            ("2026-13-01", "not a day of the calendar"),
            ("1999-12-31", "2000 to 2099"),
            ("2100-01-01", "2000 to 2099"),
            ("9999-12-31", "2000 to 2099"),
        ];
        for &(text, why) in refused {
            let e = date(ReviewField::EffectiveDate, "The effective date", text).expect_err(text);
            assert_eq!(e.field, ReviewField::EffectiveDate);
            assert!(e.message.contains(why), "{text}: {}", e.message);
        }
        assert_eq!(
            date(
                ReviewField::EffectiveDate,
                "The effective date",
                " 2099-12-31 "
            ),
            Ok(NaiveDate::from_ymd_opt(2099, 12, 31).unwrap())
        );
        assert!(
            date(
                ReviewField::EffectiveDate,
                "The effective date",
                &"9".repeat(5000)
            )
            .unwrap_err()
            .message
            .chars()
            .count()
                < 200
        );
        assert_eq!(
            optional_date(ReviewField::CancelDate, "Cancel date", " "),
            Ok(None)
        );
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert!(dates_in_order(d("2026-11-16"), Some(d("2026-11-15"))).is_err());
        assert!(dates_in_order(d("2026-11-16"), Some(d("2026-11-16"))).is_ok());
        assert!(
            within_agreement(d("2023-12-31"), Some(d("2024-01-01")), None, "A")
                .unwrap_err()
                .message
                .contains("before")
        );
        assert!(
            within_agreement(d("2027-01-01"), None, Some(d("2026-12-31")), "A")
                .unwrap_err()
                .message
                .contains("after")
        );
        assert!(within_agreement(d("2026-06-01"), Some(d("2024-01-01")), None, "A").is_ok());
    }

    #[test]
    fn text_limits() {
        assert!(description(&"x".repeat(6000)).is_ok());
        let e = description(&"x".repeat(6001)).unwrap_err();
        assert!(e.message.contains("6001") && e.message.contains("6000"));
        assert!(serial_number(&"s".repeat(50)).is_ok());
        assert!(serial_number(&"s".repeat(51)).is_err());
        assert_eq!(flag(ReviewField::Taxable, "true"), Ok(true));
        assert!(flag(ReviewField::Taxable, "yes").is_err());
    }
}
