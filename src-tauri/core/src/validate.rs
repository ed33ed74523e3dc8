//! Validation of what a person enters in the review (SPEC §6). Every value that arrives from the
//! window is parsed and checked here, whatever the window already checked. Messages name the
//! field and the reason.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::str::FromStr;

use crate::money::{self, Currency};

/// ConnectWise's limit for an addition's invoice description.
pub const MAX_DESCRIPTION: usize = 6000;
/// ConnectWise's limit for an addition's serial number.
pub const MAX_SERIAL_NUMBER: usize = 50;

/// A refused value: the field and why, in words for a billing person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub field: &'static str,
    pub message: String,
}

fn refuse(field: &'static str, message: impl Into<String>) -> Refusal {
    Refusal {
        field,
        message: message.into(),
    }
}

/// A calendar date typed as `yyyy-MM-dd`.
pub fn date(field: &'static str, label: &str, text: &str) -> Result<NaiveDate, Refusal> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| {
        refuse(
            field,
            format!(
                "{label} must be a date like 2026-11-16, not “{}”.",
                text.trim()
            ),
        )
    })
}

/// An optional date: empty means none.
pub fn optional_date(
    field: &'static str,
    label: &str,
    text: &str,
) -> Result<Option<NaiveDate>, Refusal> {
    if text.trim().is_empty() {
        Ok(None)
    } else {
        date(field, label, text).map(Some)
    }
}

fn number(field: &'static str, label: &str, text: &str) -> Result<Decimal, Refusal> {
    let t = text.trim().replace(',', "");
    if t.is_empty() {
        return Err(refuse(field, format!("{label} is required.")));
    }
    Decimal::from_str(&t).map_err(|_| {
        refuse(
            field,
            format!("{label} must be a number, not “{}”.", text.trim()),
        )
    })
}

/// A quantity: a number; negative only where it may be (a prorate credit).
pub fn quantity(text: &str, may_be_negative: bool) -> Result<Decimal, Refusal> {
    let q = number("quantity", "Quantity", text)?;
    if q.is_sign_negative() && !q.is_zero() && !may_be_negative {
        return Err(refuse(
            "quantity",
            "Quantity cannot be negative here (only a prorate credit may be).",
        ));
    }
    Ok(q)
}

/// A unit price or cost: a number with at most the currency's decimals + 4 places.
pub fn amount(
    field: &'static str,
    label: &str,
    text: &str,
    currency: &Currency,
) -> Result<Decimal, Refusal> {
    let v = number(field, label, text)?;
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
    Ok(v)
}

/// An invoice description within ConnectWise's limit.
pub fn description(text: &str) -> Result<String, Refusal> {
    let n = text.chars().count();
    if n > MAX_DESCRIPTION {
        return Err(refuse(
            "description",
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
            "serialNumber",
            format!("The serial number is {n} characters long; ConnectWise allows at most {MAX_SERIAL_NUMBER}."),
        ));
    }
    Ok(text.to_owned())
}

/// `true` / `false`.
pub fn flag(field: &'static str, text: &str) -> Result<bool, Refusal> {
    match text.trim() {
        "true" => Ok(true),
        "false" => Ok(false),
        other => Err(refuse(
            field,
            format!("{field} must be true or false, not “{other}”."),
        )),
    }
}

/// The cancel date may not come before the effective date.
pub fn dates_in_order(effective: NaiveDate, cancel: Option<NaiveDate>) -> Result<(), Refusal> {
    match cancel {
        Some(c) if c < effective => Err(refuse(
            "cancelDate",
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
            "effectiveDate",
            format!(
                "The effective date {effective} is before agreement “{agreement}” starts ({s})."
            ),
        ));
    }
    if let Some(e) = end.filter(|e| effective > *e) {
        return Err(refuse(
            "effectiveDate",
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
        assert_eq!(quantity("25", false), Ok(dec!(25)));
        assert_eq!(quantity(" 1,250.5 ", false), Ok(dec!(1250.5)));
        assert_eq!(quantity("-2", true), Ok(dec!(-2)));
        let e = quantity("-2", false).unwrap_err();
        assert_eq!(e.field, "quantity");
        assert!(e.message.contains("cannot be negative"));
        assert!(quantity("ten", false)
            .unwrap_err()
            .message
            .contains("“ten”"));
        assert!(quantity("", false)
            .unwrap_err()
            .message
            .contains("required"));
    }

    #[test]
    fn prices_allow_currency_decimals_plus_four() {
        assert_eq!(
            amount("unitPrice", "Unit price", "0.002512", &usd()),
            Ok(dec!(0.002512))
        );
        let e = amount("unitPrice", "Unit price", "0.0025123", &usd()).unwrap_err();
        assert_eq!(e.field, "unitPrice");
        assert!(
            e.message.contains("7 decimal places") && e.message.contains("at most 6"),
            "{}",
            e.message
        );
        assert!(amount("unitCost", "Unit cost", "1.12345", &Currency::new("JPY", 0)).is_err());
        assert!(amount("unitCost", "Unit cost", "1.1234", &Currency::new("JPY", 0)).is_ok());
    }

    #[test]
    fn dates_and_their_order() {
        assert_eq!(
            date("effectiveDate", "Effective date", "2026-11-16"),
            Ok(NaiveDate::from_ymd_opt(2026, 11, 16).unwrap())
        );
        assert!(date("effectiveDate", "Effective date", "16/11/2026").is_err());
        assert_eq!(optional_date("cancelDate", "Cancel date", " "), Ok(None));
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
        assert_eq!(flag("taxable", "true"), Ok(true));
        assert!(flag("taxable", "yes").is_err());
    }
}
