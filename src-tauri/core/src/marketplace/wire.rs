//! Cloud Marketplace wire models (SPEC §10). Unknown fields are ignored; optional ones may be
//! absent. Reading is tolerant (see [`crate::reading`]): ids come as text or numbers, amounts and
//! quantities as numbers or text, and a field the app does not use never fails a read.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize};

use crate::reading::shape;
use crate::reading::Record;

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Token {
    #[serde(deserialize_with = "shape::text")]
    pub token: String,
    #[serde(default = "default_expiry", deserialize_with = "shape::big_count")]
    pub expires_in_seconds: u64,
}

fn default_expiry() -> u64 {
    3600
}

/// A page of a list: `{data: [...], pagination: {offset, limit, total}}`.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Page<T> {
    #[serde(default = "Vec::new")]
    pub data: Vec<T>,
    pub pagination: Pagination,
}

/// A page of orders, every one read.
pub type OrdersPage = Page<OrderSummary>;

#[derive(Debug, Clone, Copy, Deserialize, Serialize)]
pub struct Pagination {
    #[serde(default, deserialize_with = "shape::forgiving")]
    pub offset: u32,
    #[serde(default, deserialize_with = "shape::forgiving")]
    pub limit: u32,
    #[serde(deserialize_with = "shape::count")]
    pub total: u32,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderSummary {
    #[serde(deserialize_with = "shape::text")]
    pub id: String,
    #[serde(rename = "type", deserialize_with = "shape::text")]
    pub order_type: String,
    #[serde(deserialize_with = "shape::text")]
    pub customer_id: String,
    #[serde(with = "date_time")]
    pub creation_date: DateTime<Utc>,
    #[serde(deserialize_with = "shape::text")]
    pub status: String,
}

impl Record for OrderSummary {
    const NOUN: &'static str = "order";
}

/// An order's creation date alone: of an order that could not be read otherwise, to know where
/// it lies.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreationDate {
    #[serde(with = "date_time")]
    pub creation_date: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Order {
    #[serde(deserialize_with = "shape::text")]
    pub id: String,
    #[serde(rename = "type", deserialize_with = "shape::text")]
    pub order_type: String,
    #[serde(deserialize_with = "shape::text")]
    pub customer_id: String,
    #[serde(with = "date_time")]
    pub creation_date: DateTime<Utc>,
    #[serde(deserialize_with = "shape::text")]
    pub status: String,
    #[serde(default)]
    pub products: Vec<OrderProduct>,
}

impl Order {
    pub fn summary(&self) -> OrderSummary {
        OrderSummary {
            id: self.id.clone(),
            order_type: self.order_type.clone(),
            customer_id: self.customer_id.clone(),
            creation_date: self.creation_date,
            status: self.status.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderProduct {
    #[serde(deserialize_with = "shape::text")]
    pub mpn: String,
    #[serde(default, deserialize_with = "shape::text_or_empty")]
    pub name: String,
    /// Signed delta for change orders, usage for billing orders.
    #[serde(deserialize_with = "shape::decimal")]
    pub quantity: Decimal,
    #[serde(default, deserialize_with = "shape::opt_text")]
    pub subscription_id: Option<String>,
    #[serde(default)]
    pub extended_price: Option<Money>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct Money {
    #[serde(deserialize_with = "shape::decimal")]
    pub amount: Decimal,
    #[serde(deserialize_with = "shape::text")]
    pub currency: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct BillingPeriod {
    #[serde(rename = "type", deserialize_with = "shape::text")]
    pub unit: String,
    #[serde(deserialize_with = "shape::count")]
    pub duration: u32,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Subscription {
    #[serde(deserialize_with = "shape::text")]
    pub id: String,
    #[serde(deserialize_with = "shape::text")]
    pub customer_id: String,
    #[serde(default, deserialize_with = "shape::text_or_empty")]
    pub status: String,
    #[serde(with = "date")]
    pub creation_date: NaiveDate,
    #[serde(default, with = "opt_date")]
    pub billing_start_date: Option<NaiveDate>,
    /// Not used by the app: never fails a read.
    #[serde(
        default,
        serialize_with = "opt_date::serialize",
        deserialize_with = "opt_date::forgiving"
    )]
    pub renewal_date: Option<NaiveDate>,
    /// Not used by the app: never fails a read.
    #[serde(
        default,
        serialize_with = "opt_date::serialize",
        deserialize_with = "opt_date::forgiving"
    )]
    pub last_modified_date: Option<NaiveDate>,
    pub billing_period: BillingPeriod,
    #[serde(default, deserialize_with = "shape::opt_text")]
    pub billing_model: Option<String>,
    #[serde(default)]
    pub total_price: Option<Money>,
    #[serde(default)]
    pub products: Vec<SubscriptionProduct>,
}

impl Record for Subscription {
    const NOUN: &'static str = "subscription";
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SubscriptionProduct {
    #[serde(deserialize_with = "shape::text")]
    pub mpn: String,
    #[serde(default, deserialize_with = "shape::text_or_empty")]
    pub name: String,
    #[serde(deserialize_with = "shape::decimal")]
    pub quantity: Decimal,
    #[serde(default)]
    pub unit_price: Option<Money>,
    #[serde(default)]
    pub prices: Vec<PriceLine>,
    #[serde(default)]
    pub costs: Vec<PriceLine>,
    #[serde(default, deserialize_with = "shape::opt_decimal")]
    pub included_quantity: Option<Decimal>,
    /// Not used by the app: never fails a read.
    #[serde(default, deserialize_with = "shape::forgiving")]
    pub used_quantity: Option<Decimal>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct PriceLine {
    #[serde(rename = "type", deserialize_with = "shape::text")]
    pub kind: String,
    #[serde(deserialize_with = "shape::decimal")]
    pub amount: Decimal,
    #[serde(default, deserialize_with = "shape::text_or_empty")]
    pub currency: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Customer {
    #[serde(deserialize_with = "shape::text")]
    pub id: String,
    #[serde(deserialize_with = "shape::text")]
    pub name: String,
    /// Not used by the app: never fails a read.
    #[serde(default, deserialize_with = "shape::forgiving")]
    pub external_id: Option<String>,
}

/// The marketplace error body.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiError {
    #[serde(default)]
    pub message: String,
    #[serde(default)]
    pub correlation_id: Option<String>,
}

/// `yyyy-MM-dd HH:mm:ss` (UTC) as the marketplace sends it, or ISO-8601.
pub fn parse_date_time(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    if let Ok(dt) = DateTime::parse_from_rfc3339(s) {
        return Some(dt.with_timezone(&Utc));
    }
    for fmt in [
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S%.f",
    ] {
        if let Ok(naive) = NaiveDateTime::parse_from_str(s, fmt) {
            return Some(naive.and_utc());
        }
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|n| n.and_utc())
}

/// `yyyy-MM-dd`, or a date-time whose date part is taken.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .ok()
        .or_else(|| parse_date_time(s).map(|dt| dt.date_naive()))
}

mod date_time {
    use super::*;

    pub fn serialize<S: serde::Serializer>(v: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&v.format("%Y-%m-%d %H:%M:%S").to_string())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<Utc>, D::Error> {
        let s = String::deserialize(d)?;
        parse_date_time(&s)
            .ok_or_else(|| serde::de::Error::custom(format!("“{s}” is not a date and time")))
    }
}

mod date {
    use super::*;

    pub fn serialize<S: serde::Serializer>(v: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&v.format("%Y-%m-%d").to_string())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
        let s = String::deserialize(d)?;
        parse_date(&s).ok_or_else(|| serde::de::Error::custom(format!("“{s}” is not a date")))
    }
}

mod opt_date {
    use super::*;

    pub fn serialize<S: serde::Serializer>(v: &Option<NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(d) => s.serialize_str(&d.format("%Y-%m-%d").to_string()),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
        match Option::<String>::deserialize(d)? {
            None => Ok(None),
            Some(s) if s.trim().is_empty() => Ok(None),
            Some(s) => parse_date(&s)
                .map(Some)
                .ok_or_else(|| serde::de::Error::custom(format!("“{s}” is not a date"))),
        }
    }

    /// For a date the app does not use: whatever comes, it never fails a read.
    pub fn forgiving<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
        crate::reading::shape::lenient(d, deserialize)
    }
}
