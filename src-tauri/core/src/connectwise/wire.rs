//! ConnectWise Manage REST 3.0 wire models (SPEC §10). Real bodies carry many more fields; unknown
//! ones are ignored and optional ones may be absent or null. Reading is tolerant (see
//! [`crate::reading`]): each used field takes its unambiguous shapes (a number or its text, a
//! reference or its bare name), and a field the app does not use never fails a read.

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize};

use crate::reading::shape::{self, Reference};
use crate::reading::Record;

/// `{id, name}` references (billing cycle, agreement type, a currency's code, ...). Also read
/// from the bare name (`"Monthly"`, `"USD"`: `id` is then 0) or the bare id (`name` empty).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(from = "Reference")]
pub struct NamedRef {
    pub id: i64,
    pub name: String,
}

impl From<Reference> for NamedRef {
    fn from(r: Reference) -> Self {
        NamedRef {
            id: r.id.unwrap_or(0),
            name: r.name.unwrap_or_default(),
        }
    }
}

/// A company reference (`{id, identifier, name}`, or the bare id): the id is needed.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(try_from = "Reference")]
pub struct CompanyRef {
    pub id: i64,
    pub identifier: String,
    pub name: String,
}

impl TryFrom<Reference> for CompanyRef {
    type Error = String;

    fn try_from(r: Reference) -> Result<Self, String> {
        Ok(CompanyRef {
            id: r.id.ok_or(ONLY_A_NAME)?,
            identifier: r.identifier.unwrap_or_default(),
            name: r.name.unwrap_or_default(),
        })
    }
}

/// A catalog item reference (`{id, identifier}`, or the bare id): the id is needed.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(try_from = "Reference")]
pub struct ProductRef {
    pub id: i64,
    pub identifier: String,
}

impl TryFrom<Reference> for ProductRef {
    type Error = String;

    fn try_from(r: Reference) -> Result<Self, String> {
        Ok(ProductRef {
            id: r.id.ok_or(ONLY_A_NAME)?,
            identifier: r.identifier.unwrap_or_default(),
        })
    }
}

const ONLY_A_NAME: &str = "only a name came, without the id that is needed";

/// A record's `_info`: what the app reads of it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Info {
    #[serde(default, with = "opt_date_time")]
    pub last_updated: Option<DateTime<Utc>>,
    /// When the record was made (additions: when it was written).
    #[serde(
        default,
        with = "opt_date_time",
        skip_serializing_if = "Option::is_none"
    )]
    pub date_entered: Option<DateTime<Utc>>,
}

/// One entry of a record's `customFields`: `{id, caption, type, value}`. A value that is not
/// text (a number, a flag) is kept as its text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CustomField {
    #[serde(default, deserialize_with = "shape::forgiving")]
    pub id: i64,
    #[serde(default, deserialize_with = "shape::forgiving")]
    pub caption: String,
    #[serde(default, rename = "type", deserialize_with = "shape::forgiving")]
    pub kind: String,
    #[serde(default, deserialize_with = "custom_value")]
    pub value: Option<String>,
}

fn custom_value<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(match serde_json::Value::deserialize(d)? {
        serde_json::Value::Null => None,
        serde_json::Value::String(s) => Some(s),
        other => Some(other.to_string()),
    })
}

/// A custom field's value as written: `{id, value}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CustomFieldValue {
    pub id: i64,
    pub value: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct Company {
    #[serde(deserialize_with = "shape::int")]
    pub id: i64,
    #[serde(default, deserialize_with = "shape::text_or_empty")]
    pub identifier: String,
    #[serde(default, deserialize_with = "shape::text_or_empty")]
    pub name: String,
    #[serde(default, rename = "deletedFlag", deserialize_with = "shape::flag")]
    pub deleted: bool,
    /// When it last changed (an incremental refresh asks for what changed since).
    #[serde(default, rename = "_info", deserialize_with = "shape::forgiving")]
    pub info: Option<Info>,
}

impl Record for Company {
    const NOUN: &'static str = "company";
}

/// The currency an agreement references: its code comes as a string here (read from a
/// `{id, name}` reference too). Also read from a bare code (`"USD"`: `id` is then 0).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", try_from = "AgreementCurrencyShape")]
pub struct AgreementCurrency {
    pub id: i64,
    pub currency_code: Option<String>,
    pub currency_identifier: Option<String>,
    pub number_of_decimals: Option<u32>,
    pub symbol: Option<String>,
    pub name: Option<String>,
}

/// The shapes of an agreement's currency: the reference, or its bare code.
#[derive(Deserialize)]
#[serde(
    untagged,
    expecting = "neither a currency such as {\"id\": 7, \"currencyCode\": \"USD\"} nor its code"
)]
enum AgreementCurrencyShape {
    Object(serde_json::Map<String, serde_json::Value>),
    Code(String),
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct AgreementCurrencyFields {
    #[serde(default, deserialize_with = "shape::opt_int")]
    id: Option<i64>,
    #[serde(default, deserialize_with = "shape::opt_name")]
    currency_code: Option<String>,
    #[serde(default, deserialize_with = "shape::opt_text")]
    currency_identifier: Option<String>,
    #[serde(default, deserialize_with = "shape::opt_count")]
    number_of_decimals: Option<u32>,
    #[serde(default, deserialize_with = "shape::forgiving")]
    symbol: Option<String>,
    #[serde(default, deserialize_with = "shape::forgiving")]
    name: Option<String>,
}

impl TryFrom<AgreementCurrencyShape> for AgreementCurrency {
    type Error = String;

    fn try_from(shape: AgreementCurrencyShape) -> Result<Self, String> {
        Ok(match shape {
            AgreementCurrencyShape::Object(map) => {
                let f: AgreementCurrencyFields = shape::object(map)?;
                AgreementCurrency {
                    id: f.id.unwrap_or(0),
                    currency_code: f.currency_code,
                    currency_identifier: f.currency_identifier,
                    number_of_decimals: f.number_of_decimals,
                    symbol: f.symbol,
                    name: f.name,
                }
            }
            AgreementCurrencyShape::Code(code) => AgreementCurrency {
                id: 0,
                currency_code: Some(code.trim().to_owned()).filter(|c| !c.is_empty()),
                currency_identifier: None,
                number_of_decimals: None,
                symbol: None,
                name: None,
            },
        })
    }
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
    #[serde(deserialize_with = "shape::int")]
    pub id: i64,
    #[serde(deserialize_with = "shape::text")]
    pub name: String,
    /// Not used by the app: never fails a read.
    #[serde(default, rename = "type", deserialize_with = "shape::forgiving")]
    pub agreement_type: Option<NamedRef>,
    pub company: CompanyRef,
    #[serde(default, deserialize_with = "shape::opt_text")]
    pub agreement_status: Option<String>,
    #[serde(default, deserialize_with = "shape::flag")]
    pub cancelled_flag: bool,
    #[serde(default, with = "opt_date_time")]
    pub start_date: Option<DateTime<Utc>>,
    #[serde(default, with = "opt_date_time")]
    pub end_date: Option<DateTime<Utc>>,
    /// Not used by the app: never fails a read.
    #[serde(default, deserialize_with = "shape::forgiving")]
    pub no_ending_date_flag: bool,
    #[serde(default)]
    pub billing_cycle: Option<NamedRef>,
    #[serde(default, deserialize_with = "shape::opt_decimal")]
    pub bill_amount: Option<Decimal>,
    #[serde(default, deserialize_with = "shape::flag")]
    pub prorate_flag: bool,
    #[serde(default)]
    pub currency: Option<AgreementCurrency>,
    /// Where ConnectWise's billing periods of the agreement are counted from (SPEC §16).
    #[serde(default, with = "opt_day")]
    pub bill_start_date: Option<NaiveDate>,
    /// The date of the agreement's next invoice: the periods before the one containing it are
    /// invoiced (SPEC §16). A value that is not a date reads as none.
    #[serde(default, with = "opt_day")]
    pub next_invoice_date: Option<NaiveDate>,
    /// Not used by the app: never fails a read.
    #[serde(default, rename = "_info", deserialize_with = "shape::forgiving")]
    pub info: Option<Info>,
}

/// `GET /finance/agreementrecap/{id}`: where the agreement's invoicing stands (SPEC §16). The
/// dates arrive as strings (a date, or a date and time); one that cannot be read is none.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AgreementRecap {
    #[serde(deserialize_with = "shape::int")]
    pub id: i64,
    #[serde(default, with = "opt_day")]
    pub next_invoice_date: Option<NaiveDate>,
    #[serde(default, with = "opt_day")]
    pub last_invoice_date: Option<NaiveDate>,
    #[serde(default, deserialize_with = "shape::forgiving")]
    pub last_invoice_number: Option<String>,
    #[serde(default, deserialize_with = "shape::forgiving")]
    pub unbilled_periods: Option<i64>,
}

impl Record for AgreementRecap {
    const NOUN: &'static str = "agreement recap";
}

/// A date read tolerantly: `"2026-12-01"`, a date and time, or anything else as none.
pub mod opt_day {
    use super::*;

    pub fn serialize<S: serde::Serializer>(v: &Option<NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(d) => s.serialize_str(&d.format("%Y-%m-%d").to_string()),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
        Ok(match serde_json::Value::deserialize(d)? {
            serde_json::Value::String(s) => crate::marketplace::wire::parse_date(&s),
            _ => None,
        })
    }
}

impl Record for Agreement {
    const NOUN: &'static str = "agreement";
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Addition {
    #[serde(deserialize_with = "shape::int")]
    pub id: i64,
    pub product: ProductRef,
    #[serde(default, deserialize_with = "shape::text_or_empty")]
    pub bill_customer: String,
    #[serde(default, deserialize_with = "shape::opt_decimal")]
    pub quantity: Option<Decimal>,
    /// Not used by the app: never fails a read.
    #[serde(default, deserialize_with = "shape::forgiving")]
    pub less_included: Option<Decimal>,
    #[serde(default, deserialize_with = "shape::opt_decimal")]
    pub unit_price: Option<Decimal>,
    #[serde(default, deserialize_with = "shape::opt_decimal")]
    pub unit_cost: Option<Decimal>,
    #[serde(default, with = "opt_date_time")]
    pub effective_date: Option<DateTime<Utc>>,
    #[serde(default, with = "opt_date_time")]
    pub cancelled_date: Option<DateTime<Utc>>,
    #[serde(default, deserialize_with = "shape::flag")]
    pub taxable_flag: bool,
    #[serde(default, deserialize_with = "shape::opt_text")]
    pub invoice_description: Option<String>,
    #[serde(default, deserialize_with = "shape::opt_text")]
    pub description: Option<String>,
    /// Where the app keeps its key when no custom field is named (SPEC §15); other
    /// integrations mark their additions here too.
    #[serde(default, deserialize_with = "shape::forgiving")]
    pub serial_number: Option<String>,
    /// The addition custom fields (the app's key may live in one, SPEC §15).
    #[serde(
        default,
        deserialize_with = "shape::forgiving",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub custom_fields: Vec<CustomField>,
    #[serde(default, deserialize_with = "shape::opt_text")]
    pub agreement_status: Option<String>,
    /// Not used by the app: never fails a read.
    #[serde(default, deserialize_with = "shape::forgiving")]
    pub ext_price: Option<Decimal>,
    /// Not used by the app: never fails a read.
    #[serde(default, deserialize_with = "shape::forgiving")]
    pub ext_cost: Option<Decimal>,
    /// Not used by the app: never fails a read.
    #[serde(default, rename = "_info", deserialize_with = "shape::forgiving")]
    pub info: Option<Info>,
}

impl Record for Addition {
    const NOUN: &'static str = "addition";
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CatalogItem {
    #[serde(deserialize_with = "shape::int")]
    pub id: i64,
    #[serde(default, deserialize_with = "shape::text_or_empty")]
    pub identifier: String,
    #[serde(default, deserialize_with = "shape::text_or_empty")]
    pub description: String,
    #[serde(default, deserialize_with = "shape::opt_decimal")]
    pub price: Option<Decimal>,
    #[serde(default, deserialize_with = "shape::opt_decimal")]
    pub cost: Option<Decimal>,
    #[serde(default, deserialize_with = "shape::flag")]
    pub taxable_flag: bool,
    #[serde(default, deserialize_with = "shape::flag")]
    pub inactive_flag: bool,
    #[serde(default, deserialize_with = "shape::opt_text")]
    pub manufacturer_part_number: Option<String>,
    #[serde(default, deserialize_with = "shape::opt_text")]
    pub customer_description: Option<String>,
    /// When it last changed (an incremental refresh asks for what changed since).
    #[serde(default, rename = "_info", deserialize_with = "shape::forgiving")]
    pub info: Option<Info>,
}

impl Record for CatalogItem {
    const NOUN: &'static str = "catalog item";
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BillingCycle {
    #[serde(deserialize_with = "shape::int")]
    pub id: i64,
    #[serde(default, deserialize_with = "shape::text_or_empty")]
    pub identifier: String,
    #[serde(default, deserialize_with = "shape::text_or_empty")]
    pub name: String,
    #[serde(default, deserialize_with = "shape::opt_text")]
    pub billing_options: Option<String>,
}

impl Record for BillingCycle {
    const NOUN: &'static str = "billing cycle";
}

/// A currency as `/finance/currencies` lists it: here `currencyCode` is usually an object
/// (`{id, name}`), though some tenants send the bare code.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Currency {
    #[serde(deserialize_with = "shape::int")]
    pub id: i64,
    #[serde(default, deserialize_with = "shape::opt_text")]
    pub currency_identifier: Option<String>,
    /// Not used by the app: never fails a read.
    #[serde(default, deserialize_with = "shape::forgiving")]
    pub name: Option<String>,
    /// Not used by the app: never fails a read.
    #[serde(default, deserialize_with = "shape::forgiving")]
    pub symbol: Option<String>,
    #[serde(default)]
    pub currency_code: Option<NamedRef>,
    #[serde(default, deserialize_with = "shape::opt_count")]
    pub number_of_decimals: Option<u32>,
}

impl Record for Currency {
    const NOUN: &'static str = "currency";
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
    #[serde(
        rename = "CompanyName",
        default,
        deserialize_with = "shape::text_or_empty"
    )]
    pub company_name: String,
    #[serde(rename = "Codebase", deserialize_with = "shape::text")]
    pub codebase: String,
    #[serde(rename = "VersionCode", default, deserialize_with = "shape::forgiving")]
    pub version_code: Option<String>,
    #[serde(rename = "CompanyID", default, deserialize_with = "shape::forgiving")]
    pub company_id: Option<String>,
    #[serde(rename = "SiteUrl", default, deserialize_with = "shape::forgiving")]
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
                .ok_or_else(|| serde::de::Error::custom(format!("“{s}” is not a date and time"))),
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
    /// The app's key (SPEC §15) when it goes in `serialNumber`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub serial_number: Option<String>,
    /// The app's key when it goes in an addition custom field.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub custom_fields: Vec<CustomFieldValue>,
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
