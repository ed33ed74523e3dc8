//! Cloud Marketplace wire models (SPEC §10). Unknown fields are ignored; optional ones may be absent.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize};

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Token {
    pub token: String,
    #[serde(default = "default_expiry")]
    pub expires_in_seconds: u64,
}

fn default_expiry() -> u64 {
    3600
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct OrdersPage {
    #[serde(default)]
    pub data: Vec<OrderSummary>,
    pub pagination: Pagination,
}

#[derive(Debug, Clone, Copy, Deserialize, Serialize)]
pub struct Pagination {
    #[serde(default)]
    pub offset: u32,
    #[serde(default)]
    pub limit: u32,
    pub total: u32,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderSummary {
    pub id: String,
    #[serde(rename = "type")]
    pub order_type: String,
    pub customer_id: String,
    #[serde(with = "date_time")]
    pub creation_date: DateTime<Utc>,
    pub status: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Order {
    pub id: String,
    #[serde(rename = "type")]
    pub order_type: String,
    pub customer_id: String,
    #[serde(with = "date_time")]
    pub creation_date: DateTime<Utc>,
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
    pub mpn: String,
    #[serde(default)]
    pub name: String,
    /// Signed delta for change orders, usage for billing orders.
    pub quantity: Decimal,
    #[serde(default)]
    pub subscription_id: Option<String>,
    #[serde(default)]
    pub extended_price: Option<Money>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct Money {
    pub amount: Decimal,
    pub currency: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct BillingPeriod {
    #[serde(rename = "type")]
    pub unit: String,
    pub duration: u32,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Subscription {
    pub id: String,
    pub customer_id: String,
    #[serde(default)]
    pub status: String,
    #[serde(with = "date")]
    pub creation_date: NaiveDate,
    #[serde(default, with = "opt_date")]
    pub billing_start_date: Option<NaiveDate>,
    #[serde(default, with = "opt_date")]
    pub renewal_date: Option<NaiveDate>,
    #[serde(default, with = "opt_date")]
    pub last_modified_date: Option<NaiveDate>,
    pub billing_period: BillingPeriod,
    #[serde(default)]
    pub billing_model: Option<String>,
    #[serde(default)]
    pub total_price: Option<Money>,
    #[serde(default)]
    pub products: Vec<SubscriptionProduct>,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SubscriptionProduct {
    pub mpn: String,
    #[serde(default)]
    pub name: String,
    pub quantity: Decimal,
    #[serde(default)]
    pub unit_price: Option<Money>,
    #[serde(default)]
    pub prices: Vec<PriceLine>,
    #[serde(default)]
    pub costs: Vec<PriceLine>,
    #[serde(default)]
    pub included_quantity: Option<Decimal>,
    #[serde(default)]
    pub used_quantity: Option<Decimal>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct PriceLine {
    #[serde(rename = "type")]
    pub kind: String,
    pub amount: Decimal,
    #[serde(default)]
    pub currency: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Customer {
    pub id: String,
    pub name: String,
    #[serde(default)]
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
            .ok_or_else(|| serde::de::Error::custom(format!("not a date-time: {s:?}")))
    }
}

mod date {
    use super::*;

    pub fn serialize<S: serde::Serializer>(v: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&v.format("%Y-%m-%d").to_string())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
        let s = String::deserialize(d)?;
        parse_date(&s).ok_or_else(|| serde::de::Error::custom(format!("not a date: {s:?}")))
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
                .ok_or_else(|| serde::de::Error::custom(format!("not a date: {s:?}"))),
        }
    }
}
