//! ConnectWise Manage REST 3.0 wire models (SPEC §10). Real bodies carry many more fields; unknown
//! ones are ignored and optional ones may be absent or null.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize};

/// `{id, name}` references (billing cycle, agreement type, ...).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct NamedRef {
    pub id: i64,
    #[serde(default, deserialize_with = "null_as_default")]
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct CompanyRef {
    pub id: i64,
    #[serde(default, deserialize_with = "null_as_default")]
    pub identifier: String,
    #[serde(default, deserialize_with = "null_as_default")]
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct ProductRef {
    pub id: i64,
    #[serde(default, deserialize_with = "null_as_default")]
    pub identifier: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Info {
    #[serde(default, with = "opt_date_time")]
    pub last_updated: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct Company {
    pub id: i64,
    #[serde(default, deserialize_with = "null_as_default")]
    pub identifier: String,
    #[serde(default, deserialize_with = "null_as_default")]
    pub name: String,
    #[serde(default, rename = "deletedFlag")]
    pub deleted: bool,
}

/// The currency an agreement references: its code comes as a string here.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AgreementCurrency {
    pub id: i64,
    #[serde(default)]
    pub currency_code: Option<String>,
    #[serde(default)]
    pub currency_identifier: Option<String>,
    #[serde(default)]
    pub number_of_decimals: Option<u32>,
    #[serde(default)]
    pub symbol: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
}

impl AgreementCurrency {
    /// The ISO-like code to match against the marketplace currency.
    pub fn code(&self) -> Option<&str> {
        self.currency_identifier
            .as_deref()
            .filter(|c| !c.is_empty())
            .or(self.currency_code.as_deref().filter(|c| !c.is_empty()))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Agreement {
    pub id: i64,
    pub name: String,
    #[serde(default, rename = "type")]
    pub agreement_type: Option<NamedRef>,
    pub company: CompanyRef,
    #[serde(default)]
    pub agreement_status: Option<String>,
    #[serde(default)]
    pub cancelled_flag: bool,
    #[serde(default, with = "opt_date_time")]
    pub start_date: Option<DateTime<Utc>>,
    #[serde(default, with = "opt_date_time")]
    pub end_date: Option<DateTime<Utc>>,
    #[serde(default)]
    pub no_ending_date_flag: bool,
    #[serde(default)]
    pub billing_cycle: Option<NamedRef>,
    #[serde(default)]
    pub bill_amount: Option<Decimal>,
    #[serde(default)]
    pub prorate_flag: bool,
    #[serde(default)]
    pub currency: Option<AgreementCurrency>,
    #[serde(default, rename = "_info")]
    pub info: Option<Info>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Addition {
    pub id: i64,
    pub product: ProductRef,
    #[serde(default, deserialize_with = "null_as_default")]
    pub bill_customer: String,
    #[serde(default)]
    pub quantity: Option<Decimal>,
    #[serde(default)]
    pub less_included: Option<Decimal>,
    #[serde(default)]
    pub unit_price: Option<Decimal>,
    #[serde(default)]
    pub unit_cost: Option<Decimal>,
    #[serde(default, with = "opt_date_time")]
    pub effective_date: Option<DateTime<Utc>>,
    #[serde(default, with = "opt_date_time")]
    pub cancelled_date: Option<DateTime<Utc>>,
    #[serde(default)]
    pub taxable_flag: bool,
    #[serde(default)]
    pub invoice_description: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub serial_number: Option<String>,
    #[serde(default)]
    pub agreement_status: Option<String>,
    #[serde(default)]
    pub ext_price: Option<Decimal>,
    #[serde(default)]
    pub ext_cost: Option<Decimal>,
    #[serde(default, rename = "_info")]
    pub info: Option<Info>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CatalogItem {
    pub id: i64,
    #[serde(default, deserialize_with = "null_as_default")]
    pub identifier: String,
    #[serde(default, deserialize_with = "null_as_default")]
    pub description: String,
    #[serde(default)]
    pub price: Option<Decimal>,
    #[serde(default)]
    pub cost: Option<Decimal>,
    #[serde(default)]
    pub taxable_flag: bool,
    #[serde(default)]
    pub inactive_flag: bool,
    #[serde(default)]
    pub manufacturer_part_number: Option<String>,
    #[serde(default)]
    pub customer_description: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BillingCycle {
    pub id: i64,
    #[serde(default, deserialize_with = "null_as_default")]
    pub identifier: String,
    #[serde(default, deserialize_with = "null_as_default")]
    pub name: String,
    #[serde(default)]
    pub billing_options: Option<String>,
}

/// A currency as `/finance/currencies` lists it: here `currencyCode` is an object.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Currency {
    pub id: i64,
    #[serde(default)]
    pub currency_identifier: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub symbol: Option<String>,
    #[serde(default)]
    pub currency_code: Option<NamedRef>,
    #[serde(default)]
    pub number_of_decimals: Option<u32>,
}

impl Currency {
    pub fn code(&self) -> Option<&str> {
        self.currency_identifier
            .as_deref()
            .filter(|c| !c.is_empty())
            .or(self
                .currency_code
                .as_ref()
                .map(|c| c.name.as_str())
                .filter(|c| !c.is_empty()))
    }
}

/// `GET /login/companyinfo/{companyId}`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct CompanyInfo {
    #[serde(rename = "CompanyName", default)]
    pub company_name: String,
    #[serde(rename = "Codebase")]
    pub codebase: String,
    #[serde(rename = "VersionCode", default)]
    pub version_code: Option<String>,
    #[serde(rename = "CompanyID", default)]
    pub company_id: Option<String>,
    #[serde(rename = "SiteUrl", default)]
    pub site_url: Option<String>,
}

/// The ConnectWise error body.
#[derive(Debug, Clone, Deserialize)]
pub struct ApiError {
    #[serde(default)]
    pub code: Option<String>,
    #[serde(default)]
    pub message: Option<String>,
    #[serde(default)]
    pub errors: Option<Vec<ApiErrorDetail>>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ApiErrorDetail {
    #[serde(default)]
    pub code: Option<String>,
    #[serde(default)]
    pub message: Option<String>,
    #[serde(default)]
    pub resource: Option<String>,
    #[serde(default)]
    pub field: Option<String>,
}

impl ApiError {
    /// One sentence: the message and each detail (`field: message`).
    pub fn describe(&self) -> String {
        let mut text = self.message.clone().unwrap_or_default();
        for d in self.errors.iter().flatten() {
            let detail = match (&d.field, &d.message) {
                (Some(f), Some(m)) if !m.contains(f.as_str()) => format!("{f}: {m}"),
                (_, Some(m)) => m.clone(),
                (Some(f), None) => f.clone(),
                (None, None) => continue,
            };
            if !text.is_empty() {
                text.push_str(" — ");
            }
            text.push_str(&detail);
        }
        if text.is_empty() {
            text = self.code.clone().unwrap_or_default();
        }
        text
    }
}

fn null_as_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

/// ConnectWise date-times: `yyyy-MM-ddTHH:mm:ssZ` (also tolerates a bare date or an offset).
pub mod opt_date_time {
    use super::*;

    pub fn parse(s: &str) -> Option<DateTime<Utc>> {
        crate::marketplace::wire::parse_date_time(s)
    }

    pub fn format(t: &DateTime<Utc>) -> String {
        t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
    }

    pub fn serialize<S: serde::Serializer>(
        v: &Option<DateTime<Utc>>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        match v {
            Some(t) => s.serialize_str(&format(t)),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<DateTime<Utc>>, D::Error> {
        match Option::<String>::deserialize(d)? {
            None => Ok(None),
            Some(s) if s.trim().is_empty() => Ok(None),
            Some(s) => parse(&s)
                .map(Some)
                .ok_or_else(|| serde::de::Error::custom(format!("not a date-time: {s:?}"))),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The write side: what is sent to create or change an addition.

/// `{id}`: a catalog item named by id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProductId {
    pub id: i64,
}

/// The body of `POST /finance/agreements/{id}/additions`. Amounts go out as JSON numbers written
/// with exactly the planned decimals (never through a float); dates as `yyyy-MM-ddTHH:mm:ssZ`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NewAddition {
    pub product: ProductId,
    pub bill_customer: String,
    #[serde(serialize_with = "number::serialize")]
    pub quantity: Decimal,
    #[serde(serialize_with = "number::serialize")]
    pub unit_price: Decimal,
    #[serde(serialize_with = "number::serialize")]
    pub unit_cost: Decimal,
    #[serde(serialize_with = "day::serialize")]
    pub effective_date: chrono::NaiveDate,
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "day::serialize_opt"
    )]
    pub cancelled_date: Option<chrono::NaiveDate>,
    pub taxable_flag: bool,
    pub invoice_description: String,
}

/// One JSON Patch operation of `PATCH /finance/agreements/{id}/additions/{aid}`.
#[derive(Debug, Clone, Serialize)]
pub struct PatchOp {
    pub op: &'static str,
    pub path: &'static str,
    pub value: Box<serde_json::value::RawValue>,
}

impl PartialEq for PatchOp {
    fn eq(&self, other: &Self) -> bool {
        self.op == other.op && self.path == other.path && self.value.get() == other.value.get()
    }
}

impl PatchOp {
    fn replace(path: &'static str, json: String) -> PatchOp {
        PatchOp {
            op: "replace",
            path,
            // Every caller passes well-formed JSON; `null` is the safe fallback.
            value: serde_json::value::RawValue::from_string(json).unwrap_or_default(),
        }
    }

    /// Replaces a number, written with its decimals as they are.
    pub fn number(path: &'static str, value: Decimal) -> PatchOp {
        PatchOp::replace(path, value.to_string())
    }

    /// Replaces a date (`null` clears it).
    pub fn date(path: &'static str, value: Option<chrono::NaiveDate>) -> PatchOp {
        PatchOp::replace(
            path,
            value.map_or_else(|| "null".to_owned(), |d| format!("\"{}\"", day::format(d))),
        )
    }

    pub fn text(path: &'static str, value: &str) -> PatchOp {
        PatchOp::replace(
            path,
            serde_json::to_string(value).unwrap_or_else(|_| "\"\"".into()),
        )
    }

    pub fn flag(path: &'static str, value: bool) -> PatchOp {
        PatchOp::replace(path, value.to_string())
    }
}

/// Decimals as JSON numbers, written from the decimal text (`22.00` stays `22.00`).
pub mod number {
    use rust_decimal::Decimal;
    use serde::ser::Error;
    use serde::Serialize;

    pub fn serialize<S: serde::Serializer>(v: &Decimal, s: S) -> Result<S::Ok, S::Error> {
        serde_json::value::RawValue::from_string(v.to_string())
            .map_err(S::Error::custom)?
            .serialize(s)
    }
}

/// Days as ConnectWise date-times at midnight UTC.
pub mod day {
    use chrono::NaiveDate;

    pub fn format(d: NaiveDate) -> String {
        d.format("%Y-%m-%dT00:00:00Z").to_string()
    }

    pub fn serialize<S: serde::Serializer>(v: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&format(*v))
    }

    pub fn serialize_opt<S: serde::Serializer>(
        v: &Option<NaiveDate>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        match v {
            Some(d) => s.serialize_str(&format(*d)),
            None => s.serialize_none(),
        }
    }
}
