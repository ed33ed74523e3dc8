//! Tolerant reading of what the services send (SPEC §10, "Reading is tolerant"): the shapes a
//! field may come in ([`shape`]), lists read record by record — one unreadable record is left
//! out and named while the rest is used ([`Listed`]) — and words for what could not be read.
//!
//! Real tenants and API versions differ: a reference comes as `{"id": 148, "name": "USD"}` or as
//! `"USD"`, a number as `250` or `"250"`, a field the app never looks at in any shape at all. The
//! wire models say, field by field, which shapes they take (`deserialize_with` a [`shape`]
//! function); this module does the rest in one place. Parser details (line, column, serde's
//! wording) go to the log; messages name the service, the list or record and the field in words.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

use crate::error::{Error, Result, Service};

/// A record of a list that could not be read and was left out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UnreadableRecord {
    pub service: Service,
    /// The list, in words: "company list", "additions of agreement 4127".
    pub list: String,
    /// The record, in words: "company 251" (or "a company without an id").
    pub record: String,
    /// The field that could not be read, in words ("currency code"), when one is to blame.
    pub field: Option<String>,
    /// Why, in words: "its currency code could not be read (a list where text was expected)".
    pub reason: String,
    /// One sentence for a person: "Company 251 was left out of the company list from
    /// ConnectWise: its identifier could not be read (…)".
    pub message: String,
}

/// A kind of record a list holds, with its name in words ("company", "catalog item").
pub trait Record: DeserializeOwned {
    const NOUN: &'static str;
}

/// The records of a list that could be read, and those that could not (left out, each named).
#[derive(Debug, Clone, PartialEq)]
pub struct Listed<T> {
    pub rows: Vec<T>,
    pub unreadable: Vec<UnreadableRecord>,
}

impl<T> Default for Listed<T> {
    fn default() -> Self {
        Listed {
            rows: Vec::new(),
            unreadable: Vec::new(),
        }
    }
}

impl<T> Listed<T> {
    /// Every record, or an error naming the first that could not be read — for work that must
    /// see the whole list (a sync compares every addition of an agreement).
    pub fn all(self) -> Result<Vec<T>> {
        match self.unreadable.into_iter().next() {
            None => Ok(self.rows),
            Some(first) => Err(Error::BadResponse {
                service: first.service,
                what: first.list,
                reason: format!("{}: {}", first.record, first.reason),
            }),
        }
    }

    /// Adds the next page.
    pub fn extend(&mut self, more: Listed<T>) {
        self.rows.extend(more.rows);
        self.unreadable.extend(more.unreadable);
    }
}

/// What a service answered, before it is read.
pub struct Answer<'a> {
    pub service: Service,
    /// What was asked for, in words: "order 1000231", "company list".
    pub what: &'a str,
    pub content_type: Option<&'a str>,
    pub body: &'a [u8],
}

impl Answer<'_> {
    /// Reads one object (an order, a subscription, an agreement). A failure names the service,
    /// what was read and the field.
    pub fn one<T: DeserializeOwned>(&self) -> Result<T> {
        self.refuse_web_page()?;
        let mut de = serde_json::Deserializer::from_slice(self.body);
        let read = match serde_path_to_error::deserialize(&mut de) {
            Ok(v) => de.end().map(|()| v).map_err(|e| (None, e)),
            Err(e) => Err((Some(e.path().clone()), e.into_inner())),
        };
        read.map_err(|(path, e)| {
            let problem = Problem::of(path.as_ref(), &e);
            tracing::warn!(
                service = %self.service,
                what = self.what,
                field = %path.map(|p| p.to_string()).unwrap_or_default(),
                "unreadable answer: {e}"
            );
            Error::BadResponse {
                service: self.service,
                what: self.what.to_owned(),
                reason: problem.words(),
            }
        })
    }

    /// Reads a list (a JSON array), record by record.
    pub fn list<T: Record>(&self) -> Result<Listed<T>> {
        let values: Vec<Value> = self.one()?;
        Ok(records(self.service, self.what, values))
    }

    /// A 200 with an HTML page (a wrong address, a proxy's sign-in page) is named as such.
    fn refuse_web_page(&self) -> Result<()> {
        if is_web_page(self.content_type, self.body) {
            tracing::warn!(
                service = %self.service,
                what = self.what,
                content_type = self.content_type.unwrap_or("-"),
                "a web page instead of data: {}",
                String::from_utf8_lossy(&self.body[..self.body.len().min(200)])
            );
            return Err(Error::WebPage {
                service: self.service,
                what: self.what.to_owned(),
            });
        }
        Ok(())
    }
}

/// Whether an answer is an HTML page rather than data.
fn is_web_page(content_type: Option<&str>, body: &[u8]) -> bool {
    let html_type = content_type.is_some_and(|t| t.to_ascii_lowercase().contains("html"));
    let start: String = String::from_utf8_lossy(&body[..body.len().min(512)])
        .trim_start_matches('\u{feff}')
        .trim_start()
        .chars()
        .take(200)
        .collect::<String>()
        .to_ascii_lowercase();
    html_type || start.starts_with("<!doctype html") || start.starts_with("<html")
}

/// Reads the records of a list one by one: those that can be read are kept, each one that
/// cannot is left out, named, and logged with the parser's detail.
pub fn records<T: Record>(service: Service, list: &str, values: Vec<Value>) -> Listed<T> {
    let mut out = Listed {
        rows: Vec::with_capacity(values.len()),
        unreadable: Vec::new(),
    };
    for value in values {
        let id = record_id(&value);
        match serde_path_to_error::deserialize::<_, T>(value) {
            Ok(row) => out.rows.push(row),
            Err(e) => {
                let problem = Problem::of(Some(e.path()), e.inner());
                tracing::warn!(
                    %service,
                    list,
                    record = id.as_deref().unwrap_or("-"),
                    field = %e.path(),
                    "record left out: {}",
                    e.inner()
                );
                let record = match &id {
                    Some(id) => format!("{} {id}", T::NOUN),
                    None => format!("a {} without an id", T::NOUN),
                };
                let reason = problem.words();
                out.unreadable.push(UnreadableRecord {
                    service,
                    list: list.to_owned(),
                    message: format!(
                        "{} was left out of the {list} from {service}: {reason}",
                        capitalized(&record)
                    ),
                    record,
                    field: problem.field,
                    reason,
                });
            }
        }
    }
    out
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A record's `id`, as text, when it has a readable one.
fn record_id(value: &Value) -> Option<String> {
    match value.get("id")? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// What could not be read, in words: the field and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The field in words ("currency code", "product 2 quantity"); `None` for the whole answer.
    pub field: Option<String>,
    /// Why, in words ("it is missing", "a list where a whole number was expected").
    pub reason: String,
}

impl Problem {
    fn of(path: Option<&serde_path_to_error::Path>, e: &serde_json::Error) -> Problem {
        use serde_json::error::Category;
        let mut names = path.map(field_names).unwrap_or_default();
        let message = e.to_string();
        // serde_json adds where it was; that is for the log.
        let message = match message.rfind(" at line ") {
            Some(i) => message[..i].to_owned(),
            None => message,
        };
        let reason = match e.classify() {
            Category::Io | Category::Syntax | Category::Eof => {
                return Problem {
                    field: None,
                    reason: "the answer was cut off or is not data (JSON); try again".into(),
                }
            }
            Category::Data => {
                if let Some(rest) = message.strip_prefix("missing field `") {
                    names.push(words_of(rest.trim_end_matches('`')));
                    "it is missing".to_owned()
                } else if let Some(rest) = message
                    .strip_prefix("invalid type: ")
                    .or_else(|| message.strip_prefix("invalid value: "))
                {
                    match rest.split_once(", expected ") {
                        Some((got, expected)) => format!(
                            "{} where {} was expected",
                            got_words(got),
                            expected_words(expected)
                        ),
                        None => rest.to_owned(),
                    }
                } else {
                    message
                }
            }
        };
        let field = names
            .into_iter()
            .filter(|n| !n.is_empty())
            .collect::<Vec<_>>();
        Problem {
            field: (!field.is_empty()).then(|| field.join(" ")),
            reason,
        }
    }

    /// "its currency code could not be read (the text “x” where a whole number was expected)".
    pub fn words(&self) -> String {
        match &self.field {
            Some(field) if self.reason == "it is missing" => format!("its {field} is missing"),
            Some(field) => format!("its {field} could not be read ({})", self.reason),
            None if self.reason.starts_with("the answer") => self.reason.clone(),
            None => format!("it could not be read ({})", self.reason),
        }
    }
}

/// The names along a path, in words: `products[1].unitPrice` → ["product 2", "unit price"].
fn field_names(path: &serde_path_to_error::Path) -> Vec<String> {
    use serde_path_to_error::Segment;
    let mut names: Vec<String> = Vec::new();
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => {
                let item = match names.pop() {
                    Some(list) => singular(&list),
                    None => "item".to_owned(),
                };
                names.push(format!("{item} {}", index + 1));
            }
            Segment::Map { key } | Segment::Enum { variant: key } => names.push(words_of(key)),
            Segment::Unknown => {}
        }
    }
    names
}

fn singular(words: &str) -> String {
    words
        .strip_suffix("ies")
        .map(|s| format!("{s}y"))
        .or_else(|| words.strip_suffix('s').map(str::to_owned))
        .unwrap_or_else(|| words.to_owned())
}

/// A wire name in words: `currencyCode` → "currency code", `_info` → "", `mpn` → "product code
/// (MPN)".
fn words_of(key: &str) -> String {
    match key {
        "_info" => return String::new(),
        "mpn" => return "product code (MPN)".into(),
        "billCustomer" => return "billable setting".into(),
        _ => {}
    }
    let mut out = String::new();
    for (i, c) in key.trim_start_matches('_').chars().enumerate() {
        if c.is_uppercase() && i > 0 {
            out.push(' ');
        }
        out.extend(c.to_lowercase());
    }
    out.strip_suffix(" flag").map(str::to_owned).unwrap_or(out)
}

/// serde's name for what it found, in words: `string "USD"` → `the text "USD"`.
fn got_words(got: &str) -> String {
    if let Some(text) = got.strip_prefix("string ") {
        return format!("the text {text}");
    }
    for (prefix, words) in [
        ("integer ", "the number "),
        ("floating point ", "the number "),
        ("boolean ", "the value "),
    ] {
        if let Some(v) = got.strip_prefix(prefix) {
            return format!("{words}{}", v.trim_matches('`'));
        }
    }
    match got {
        "map" => "a group of fields".into(),
        "sequence" => "a list".into(),
        "unit value" | "null" | "unit" => "nothing".into(),
        other => other.to_owned(),
    }
}

/// serde's name for what it wanted, in words, where it is not already ours.
fn expected_words(expected: &str) -> String {
    match expected {
        "a sequence" => "a list".into(),
        "a string" => "text".into(),
        "a boolean" => "true or false".into(),
        "i64" | "u64" | "u32" | "i32" => "a whole number".into(),
        e if e.starts_with("struct ") || e == "a map" => "a group of fields".into(),
        e => e.to_owned(),
    }
}

/// The shapes a field may come in, as `deserialize_with` functions. Each reads every
/// unambiguous shape of its value and refuses the others with words for the message.
pub mod shape {
    use std::fmt;
    use std::marker::PhantomData;
    use std::str::FromStr;

    use rust_decimal::prelude::ToPrimitive;
    use rust_decimal::Decimal;
    use serde::de::{self, DeserializeOwned, Deserializer, Unexpected, Visitor};
    use serde::Deserialize;
    use serde_json::Value;

    /// A value read from a number, a numeric text, and the like.
    trait Scalar: Sized {
        const EXPECTING: &'static str;
        fn from_int(_: i128) -> Option<Self> {
            None
        }
        fn from_float(_: f64) -> Option<Self> {
            None
        }
        fn from_text(_: &str) -> Option<Self> {
            None
        }
        fn from_bool(_: bool) -> Option<Self> {
            None
        }
    }

    impl Scalar for i64 {
        const EXPECTING: &'static str = "a whole number";
        fn from_int(v: i128) -> Option<Self> {
            i64::try_from(v).ok()
        }
        fn from_float(v: f64) -> Option<Self> {
            (v.is_finite() && v.fract() == 0.0 && v.abs() < 9.0e15).then_some(v as i64)
        }
        fn from_text(v: &str) -> Option<Self> {
            v.parse::<i64>().ok().or_else(|| {
                Decimal::from_str(v)
                    .ok()
                    .filter(|d| d.fract().is_zero())
                    .and_then(|d| d.to_i64())
            })
        }
    }

    impl Scalar for u32 {
        const EXPECTING: &'static str = "a whole number";
        fn from_int(v: i128) -> Option<Self> {
            u32::try_from(v).ok()
        }
        fn from_float(v: f64) -> Option<Self> {
            i64::from_float(v).and_then(|i| u32::try_from(i).ok())
        }
        fn from_text(v: &str) -> Option<Self> {
            i64::from_text(v).and_then(|i| u32::try_from(i).ok())
        }
    }

    impl Scalar for u64 {
        const EXPECTING: &'static str = "a whole number";
        fn from_int(v: i128) -> Option<Self> {
            u64::try_from(v).ok()
        }
        fn from_float(v: f64) -> Option<Self> {
            i64::from_float(v).and_then(|i| u64::try_from(i).ok())
        }
        fn from_text(v: &str) -> Option<Self> {
            i64::from_text(v).and_then(|i| u64::try_from(i).ok())
        }
    }

    impl Scalar for Decimal {
        const EXPECTING: &'static str = "a number";
        fn from_int(v: i128) -> Option<Self> {
            i64::try_from(v).ok().map(Decimal::from)
        }
        fn from_float(v: f64) -> Option<Self> {
            // Through its shortest text, as serde_json printed it: 0.0025 stays 0.0025.
            v.is_finite()
                .then(|| v.to_string())
                .and_then(|t| Self::from_text(&t))
        }
        fn from_text(v: &str) -> Option<Self> {
            Decimal::from_str(v)
                .ok()
                .or_else(|| Decimal::from_scientific(v).ok())
        }
    }

    impl Scalar for String {
        const EXPECTING: &'static str = "text";
        fn from_int(v: i128) -> Option<Self> {
            Some(v.to_string())
        }
        fn from_float(v: f64) -> Option<Self> {
            v.is_finite().then(|| v.to_string())
        }
        fn from_text(v: &str) -> Option<Self> {
            Some(v.to_owned())
        }
    }

    impl Scalar for bool {
        const EXPECTING: &'static str = "true or false";
        fn from_int(v: i128) -> Option<Self> {
            match v {
                0 => Some(false),
                1 => Some(true),
                _ => None,
            }
        }
        fn from_text(v: &str) -> Option<Self> {
            match v.to_ascii_lowercase().as_str() {
                "true" => Some(true),
                "false" => Some(false),
                _ => None,
            }
        }
        fn from_bool(v: bool) -> Option<Self> {
            Some(v)
        }
    }

    /// Reads a scalar; `None` for null, absent or empty text.
    struct ScalarVisitor<T>(PhantomData<T>);

    impl<'de, T: Scalar> Visitor<'de> for ScalarVisitor<T> {
        type Value = Option<T>;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str(T::EXPECTING)
        }

        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
            T::from_int(v.into())
                .map(Some)
                .ok_or_else(|| E::invalid_value(Unexpected::Signed(v), &self))
        }

        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
            T::from_int(v.into())
                .map(Some)
                .ok_or_else(|| E::invalid_value(Unexpected::Unsigned(v), &self))
        }

        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
            T::from_float(v)
                .map(Some)
                .ok_or_else(|| E::invalid_value(Unexpected::Float(v), &self))
        }

        fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
            T::from_bool(v)
                .map(Some)
                .ok_or_else(|| E::invalid_type(Unexpected::Bool(v), &self))
        }

        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            if v.trim().is_empty() {
                return Ok(None);
            }
            T::from_text(v.trim())
                .map(Some)
                .ok_or_else(|| E::invalid_value(Unexpected::Str(v), &self))
        }

        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_any(self)
        }
    }

    fn scalar<'de, D: Deserializer<'de>, T: Scalar>(d: D) -> Result<Option<T>, D::Error> {
        d.deserialize_any(ScalarVisitor(PhantomData))
    }

    fn required<'de, D: Deserializer<'de>, T: Scalar>(d: D) -> Result<T, D::Error> {
        scalar(d)?
            .ok_or_else(|| de::Error::invalid_type(Unexpected::Other("nothing"), &T::EXPECTING))
    }

    /// A whole number, or its text (`250`, `"250"`).
    pub fn int<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
        required(d)
    }

    pub fn opt_int<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
        scalar(d)
    }

    /// A count (`2`, `"2"`).
    pub fn count<'de, D: Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
        required(d)
    }

    pub fn opt_count<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u32>, D::Error> {
        scalar(d)
    }

    /// Seconds and the like (`3600`, `"3600"`).
    pub fn big_count<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
        required(d)
    }

    /// A decimal number, or its text (`22.5`, `"22.50"`).
    pub fn decimal<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
        required(d)
    }

    pub fn opt_decimal<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Decimal>, D::Error> {
        scalar(d)
    }

    /// Text, or a number sent for it (an id `1000231` for `"1000231"`); empty is refused.
    pub fn text<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
        required(d)
    }

    /// Text; null or absent reads as empty.
    pub fn text_or_empty<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
        Ok(scalar(d)?.unwrap_or_default())
    }

    pub fn opt_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
        scalar(d)
    }

    /// `true`/`false`, or their text, or 1/0; null or absent reads as false.
    pub fn flag<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
        Ok(scalar(d)?.unwrap_or(false))
    }

    /// A reference as it may come: `{"id": 148, "name": "USD"}` (with `identifier` for companies
    /// and products), its bare name `"USD"`, or its bare id `148`.
    #[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
    #[serde(try_from = "ReferenceShape")]
    pub struct Reference {
        pub id: Option<i64>,
        pub name: Option<String>,
        pub identifier: Option<String>,
    }

    #[derive(Deserialize)]
    #[serde(
        untagged,
        expecting = "neither a reference such as {\"id\": 1, \"name\": \"Monthly\"} nor a name"
    )]
    enum ReferenceShape {
        // A map only: a derived struct would also take a list of its fields.
        Object(serde_json::Map<String, Value>),
        Id(#[serde(deserialize_with = "int")] i64),
        Name(String),
    }

    #[derive(Deserialize)]
    struct ReferenceFields {
        #[serde(default, deserialize_with = "opt_int")]
        id: Option<i64>,
        #[serde(default, deserialize_with = "opt_text")]
        name: Option<String>,
        #[serde(default, deserialize_with = "opt_text")]
        identifier: Option<String>,
    }

    impl TryFrom<ReferenceShape> for Reference {
        type Error = String;

        fn try_from(shape: ReferenceShape) -> Result<Self, String> {
            Ok(match shape {
                ReferenceShape::Object(map) => {
                    let f = object::<ReferenceFields>(map)?;
                    Reference {
                        id: f.id,
                        name: f.name,
                        identifier: f.identifier,
                    }
                }
                ReferenceShape::Id(id) => Reference {
                    id: Some(id),
                    ..Reference::default()
                },
                ReferenceShape::Name(name) => Reference {
                    name: Some(name.trim().to_owned()).filter(|n| !n.is_empty()),
                    ..Reference::default()
                },
            })
        }
    }

    /// Reads a JSON object into `T` (for a shape that must be an object, not a list).
    pub(crate) fn object<T: DeserializeOwned>(
        map: serde_json::Map<String, Value>,
    ) -> Result<T, String> {
        T::deserialize(Value::Object(map)).map_err(|e| {
            let text = e.to_string();
            match text.split_once(", expected ") {
                Some((got, expected)) if text.starts_with("invalid ") => format!(
                    "{} where {} was expected",
                    super::got_words(
                        got.trim_start_matches("invalid type: ")
                            .trim_start_matches("invalid value: ")
                    ),
                    super::expected_words(expected)
                ),
                _ => text,
            }
        })
    }

    /// The name of a reference, given whole (`{"id": 148, "name": "USD"}`) or bare (`"USD"`).
    pub fn opt_name<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
        Ok(Option::<Reference>::deserialize(d)?.and_then(|r| r.name))
    }

    /// A field the app does not use: whatever its shape, it never fails a read (an unreadable
    /// value reads as its default).
    pub fn forgiving<'de, D, T>(d: D) -> Result<T, D::Error>
    where
        D: Deserializer<'de>,
        T: DeserializeOwned + Default,
    {
        lenient(d, T::deserialize)
    }

    /// Reads a value with `read`, or takes the default when it cannot be read.
    pub fn lenient<'de, D, T>(
        d: D,
        read: impl FnOnce(Value) -> Result<T, serde_json::Error>,
    ) -> Result<T, D::Error>
    where
        D: Deserializer<'de>,
        T: Default,
    {
        let value = Value::deserialize(d)?;
        Ok(read(value).unwrap_or_else(|e| {
            tracing::debug!("an unused field was left unread: {e}");
            T::default()
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;
    use serde::Deserialize;

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(rename_all = "camelCase")]
    struct Row {
        #[serde(deserialize_with = "shape::int")]
        id: i64,
        #[serde(default, deserialize_with = "shape::opt_decimal")]
        unit_price: Option<Decimal>,
        #[serde(default, deserialize_with = "shape::flag")]
        taxable_flag: bool,
        #[serde(default, deserialize_with = "shape::opt_name")]
        currency_code: Option<String>,
        #[serde(default, deserialize_with = "shape::forgiving")]
        unused: Option<Vec<u8>>,
    }

    impl Record for Row {
        const NOUN: &'static str = "row";
    }

    fn read(text: &str) -> std::result::Result<Row, String> {
        Answer {
            service: Service::ConnectWise,
            what: "row 1",
            content_type: Some("application/json"),
            body: text.as_bytes(),
        }
        .one()
        .map_err(|e| e.to_string())
    }

    #[test]
    fn each_shape_reads_its_unambiguous_forms() {
        let a = read(r#"{"id": 7, "unitPrice": 0.0025, "taxableFlag": true, "currencyCode": {"id": 148, "name": "USD"}}"#).unwrap();
        let b = read(r#"{"id": "7", "unitPrice": "0.0025", "taxableFlag": "true", "currencyCode": "USD", "unused": {"x": 1}}"#).unwrap();
        assert_eq!(a, b);
        assert_eq!(a.unit_price, Some(Decimal::new(25, 4)));
        let c =
            read(r#"{"id": 7.0, "unitPrice": null, "taxableFlag": null, "currencyCode": null}"#)
                .unwrap();
        assert_eq!(c.unit_price, None);
        assert!(!c.taxable_flag);
        assert_eq!(
            read(r#"{"id": 7, "unitPrice": ""}"#).unwrap().unit_price,
            None
        );
    }

    #[test]
    fn a_problem_names_the_field_in_words_without_parser_details() {
        let e = read(r#"{"id": 7, "unitPrice": [1]}"#).unwrap_err();
        assert_eq!(
            e,
            "ConnectWise sent a response that could not be read (row 1): its unit price could not be read (a list where a number was expected)"
        );
        let e = read(r#"{"id": "seven"}"#).unwrap_err();
        assert!(
            e.ends_with(
                "its id could not be read (the text \"seven\" where a whole number was expected)"
            ),
            "{e}"
        );
        let e = read(r#"{"unitPrice": 1}"#).unwrap_err();
        assert!(e.ends_with("its id is missing"), "{e}");
        let e = read(r#"{"id": 7, "currencyCode": [1]}"#).unwrap_err();
        assert!(e.contains("its currency code could not be read"), "{e}");
        let e = read(r#"{"id": 7, "unitPr"#).unwrap_err();
        assert!(
            e.ends_with("the answer was cut off or is not data (JSON); try again"),
            "{e}"
        );
        assert!(!e.contains("line"), "{e}");
    }

    #[test]
    fn a_web_page_is_named_as_such() {
        let page = Answer {
            service: Service::ConnectWise,
            what: "company list",
            content_type: None,
            body: b"\n  <!DOCTYPE html><html><body>Sign in</body></html>",
        };
        let e = page.one::<Row>().unwrap_err();
        assert_eq!(
            e.to_string(),
            "ConnectWise answered with a web page instead of data (company list): check the site address"
        );
        let typed = Answer {
            service: Service::Marketplace,
            what: "order list",
            content_type: Some("text/html; charset=utf-8"),
            body: b"Service unavailable",
        };
        assert!(typed
            .one::<Row>()
            .unwrap_err()
            .to_string()
            .ends_with("check the marketplace address"));
    }

    #[test]
    fn a_list_keeps_what_it_can_read_and_names_the_rest() {
        let body = br#"[{"id": 1}, {"id": 2, "unitPrice": {"x": 1}}, {"unitPrice": 1}, {"id": 4, "taxableFlag": "maybe"}]"#;
        let listed: Listed<Row> = Answer {
            service: Service::ConnectWise,
            what: "row list",
            content_type: None,
            body,
        }
        .list()
        .unwrap();
        assert_eq!(listed.rows.len(), 1);
        let named: Vec<(&str, Option<&str>)> = listed
            .unreadable
            .iter()
            .map(|u| (u.record.as_str(), u.field.as_deref()))
            .collect();
        assert_eq!(
            named,
            [
                ("row 2", Some("unit price")),
                ("a row without an id", Some("id")),
                ("row 4", Some("taxable"))
            ]
        );
        assert_eq!(
            listed.unreadable[0].message,
            "Row 2 was left out of the row list from ConnectWise: its unit price could not be read (a group of fields where a number was expected)"
        );
        let err = listed.all().unwrap_err().to_string();
        assert_eq!(
            err,
            "ConnectWise sent a response that could not be read (row list): row 2: its unit price could not be read (a group of fields where a number was expected)"
        );
    }

    #[test]
    fn nested_fields_and_list_items_are_named() {
        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        struct Outer {
            products: Vec<Inner>,
        }
        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        #[serde(rename_all = "camelCase")]
        struct Inner {
            #[serde(deserialize_with = "shape::decimal")]
            unit_price: Decimal,
        }
        let e = Answer {
            service: Service::Marketplace,
            what: "order 5",
            content_type: None,
            body: br#"{"products": [{"unitPrice": 1}, {"unitPrice": true}]}"#,
        }
        .one::<Outer>()
        .unwrap_err();
        assert!(
            e.to_string()
                .ends_with("its product 2 unit price could not be read (the value true where a number was expected)"),
            "{e}"
        );
    }
}
