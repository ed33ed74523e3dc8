//! The write side of agreement additions:
//! `POST finance/agreements/{id}/additions` (create),
//! `PATCH finance/agreements/{id}/additions/{aid}` (JSON Patch) and
//! `DELETE finance/agreements/{id}/additions/{aid}`.
//!
//! POST and PATCH validate the whole request and report every problem at once in ConnectWise's
//! `{code: "InvalidObject", message, errors: [{code, message, resource, field}]}` shape; a
//! rejected request changes nothing. DELETE refuses, the same way, an addition that has been
//! on an invoice.

use std::str::FromStr;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{NaiveDate, NaiveDateTime, Utc};
use rust_decimal::Decimal;
use serde_json::{json, Map, Value};

use super::{addition_json, error, not_found, parse_id, St};
use crate::world::{Addition, Agreement, CustomValueKind, World};

const RESOURCE: &str = "agreementAddition";
const BILL_CUSTOMER: [&str; 3] = ["Billable", "DoNotBill", "NoCharge"];
/// ConnectWise's limit on `invoiceDescription` (and, here, `description`).
const MAX_DESCRIPTION: usize = 6000;
const MAX_SERIAL_NUMBER: usize = 50;
/// ConnectWise's limit on the value of a text custom field.
const MAX_CUSTOM_TEXT: usize = 1000;
/// The member shown in `_info.updatedBy` of what the API writes.
const API_MEMBER: &str = "apiuser";
/// The only date-time format ConnectWise's API accepts for addition dates.
const DATE_FORMAT: &str = "yyyy-MM-ddTHH:mm:ssZ";

/// The writable fields of an addition.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Field {
    Product,
    BillCustomer,
    Quantity,
    LessIncluded,
    UnitPrice,
    UnitCost,
    EffectiveDate,
    CancelledDate,
    TaxableFlag,
    InvoiceDescription,
    Description,
    SerialNumber,
    CustomFields,
}

const FIELDS: [Field; 13] = [
    Field::Product,
    Field::BillCustomer,
    Field::Quantity,
    Field::LessIncluded,
    Field::UnitPrice,
    Field::UnitCost,
    Field::EffectiveDate,
    Field::CancelledDate,
    Field::TaxableFlag,
    Field::InvoiceDescription,
    Field::Description,
    Field::SerialNumber,
    Field::CustomFields,
];

/// Fields of the addition JSON that the API computes or owns.
const READ_ONLY: [&str; 17] = [
    "id",
    "agreementId",
    "billedQuantity",
    "uom",
    "extPrice",
    "extCost",
    "sequenceNumber",
    "margin",
    "prorateCost",
    "proratePrice",
    "extendedProrateCost",
    "extendedProratePrice",
    "agreementStatus",
    "purchaseItemFlag",
    "specialOrderFlag",
    "invoiceGrouping",
    "_info",
];

impl Field {
    fn name(self) -> &'static str {
        match self {
            Field::Product => "product",
            Field::BillCustomer => "billCustomer",
            Field::Quantity => "quantity",
            Field::LessIncluded => "lessIncluded",
            Field::UnitPrice => "unitPrice",
            Field::UnitCost => "unitCost",
            Field::EffectiveDate => "effectiveDate",
            Field::CancelledDate => "cancelledDate",
            Field::TaxableFlag => "taxableFlag",
            Field::InvoiceDescription => "invoiceDescription",
            Field::Description => "description",
            Field::SerialNumber => "serialNumber",
            Field::CustomFields => "customFields",
        }
    }

    fn parse(name: &str) -> Option<Field> {
        FIELDS
            .into_iter()
            .find(|f| f.name().eq_ignore_ascii_case(name))
    }
}

/// One entry of `errors`.
struct Problem {
    code: &'static str,
    field: String,
    message: String,
}

impl Problem {
    fn missing(field: Field) -> Problem {
        Problem {
            code: "MissingRequiredField",
            field: field.name().into(),
            message: format!("The {} field is required.", field.name()),
        }
    }

    fn invalid(field: impl Into<String>, message: impl Into<String>) -> Problem {
        Problem {
            code: "InvalidField",
            field: field.into(),
            message: message.into(),
        }
    }
}

/// 400 `InvalidObject` listing every problem.
fn rejected(problems: &[Problem]) -> Response {
    let errors: Vec<Value> = problems
        .iter()
        .map(|p| json!({"code": p.code, "message": p.message, "resource": RESOURCE, "field": p.field}))
        .collect();
    error(
        StatusCode::BAD_REQUEST,
        "InvalidObject",
        &format!("{RESOURCE} object is invalid"),
        Value::Array(errors),
    )
}

/// 400 for a body that is not JSON (or not the JSON this route takes).
fn unreadable(detail: impl Into<String>) -> Response {
    rejected(&[Problem {
        code: "InvalidJson",
        field: String::new(),
        message: detail.into(),
    }])
}

fn parse_body(body: &Bytes) -> Result<Value, Response> {
    serde_json::from_slice(body)
        .map_err(|e| unreadable(format!("The request body is not valid JSON: {e}.")))
}

fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// `yyyy-MM-ddTHH:mm:ssZ`, exactly; the time of day is accepted but not kept (addition dates
/// are days).
fn parse_cw_date(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    let shape = b.len() == 20
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            10 => *c == b'T',
            13 | 16 => *c == b':',
            19 => *c == b'Z',
            _ => c.is_ascii_digit(),
        });
    if !shape {
        return None;
    }
    NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%SZ")
        .ok()
        .map(|d| d.date())
}

fn parse_decimal(field: Field, v: &Value) -> Result<Decimal, Problem> {
    let Value::Number(n) = v else {
        return Err(Problem::invalid(
            field.name(),
            format!("{} must be a number, not {}.", field.name(), json_type(v)),
        ));
    };
    let s = n.to_string();
    Decimal::from_str(&s)
        .or_else(|_| Decimal::from_scientific(&s))
        .map_err(|_| Problem::invalid(field.name(), format!("{} is out of range.", field.name())))
}

fn parse_date(field: Field, v: &Value) -> Result<NaiveDate, Problem> {
    let bad = |what: String| {
        Problem::invalid(
            field.name(),
            format!(
                "{} must be a date-time formatted {DATE_FORMAT}, e.g. 2026-11-16T00:00:00Z; got {what}.",
                field.name()
            ),
        )
    };
    match v {
        Value::String(s) => parse_cw_date(s).ok_or_else(|| bad(format!("'{s}'"))),
        other => Err(bad(json_type(other).into())),
    }
}

fn parse_text(field: Field, v: &Value, max: usize) -> Result<String, Problem> {
    let Value::String(s) = v else {
        return Err(Problem::invalid(
            field.name(),
            format!("{} must be a string, not {}.", field.name(), json_type(v)),
        ));
    };
    let len = s.chars().count();
    if len > max {
        return Err(Problem::invalid(
            field.name(),
            format!(
                "{} must be at most {max} characters; it has {len}.",
                field.name()
            ),
        ));
    }
    Ok(s.clone())
}

/// The catalog item a `product` reference names: by `id`, or else by `identifier`.
fn parse_product(w: &World, v: &Value) -> Result<u64, Problem> {
    let field = Field::Product.name();
    let Value::Object(obj) = v else {
        return Err(Problem::invalid(
            field,
            format!(
                "product must be an object like {{\"id\": 611}}, not {}.",
                json_type(v)
            ),
        ));
    };
    let get = |k: &str| {
        obj.iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(k))
            .map(|(_, v)| v)
            .filter(|v| !v.is_null())
    };
    match (get("id"), get("identifier")) {
        (Some(id), _) => product_by_id(w, id),
        (None, Some(Value::String(ident))) => w
            .catalog
            .values()
            .find(|c| c.identifier.eq_ignore_ascii_case(ident))
            .map(|c| c.id)
            .ok_or_else(|| {
                Problem::invalid(
                    field,
                    format!("Product with identifier '{ident}' was not found."),
                )
            }),
        (None, Some(other)) => Err(Problem::invalid(
            field,
            format!(
                "product identifier must be a string, not {}.",
                json_type(other)
            ),
        )),
        (None, None) => Err(Problem::missing(Field::Product)),
    }
}

fn product_by_id(w: &World, id: &Value) -> Result<u64, Problem> {
    let field = Field::Product.name();
    let Some(n) = id.as_u64() else {
        return Err(Problem::invalid(
            field,
            format!("product id must be a positive integer, not {id}."),
        ));
    };
    if w.catalog.contains_key(&n) {
        Ok(n)
    } else {
        Err(Problem::invalid(
            field,
            format!("Product with id {n} was not found."),
        ))
    }
}

/// The value a `customFields` array gives the addition custom field: entries are matched by
/// `id` (caption, type and the rest are ignored); an entry's `value` is checked against the
/// field's type; the field not listed, or listed with a null value, is empty.
fn parse_custom_fields(w: &World, v: &Value) -> Result<Option<String>, Problem> {
    let field = Field::CustomFields.name();
    let bad = |message: String| Problem::invalid(field, message);
    let Value::Array(entries) = v else {
        return Err(bad(format!(
            "customFields must be an array like [{{\"id\": 31, \"value\": \"...\"}}], not {}.",
            json_type(v)
        )));
    };
    let mut value = None;
    for entry in entries {
        let Value::Object(o) = entry else {
            return Err(bad(format!(
                "Each customFields entry must be an object, not {}.",
                json_type(entry)
            )));
        };
        let get = |k: &str| {
            o.iter()
                .find(|(key, _)| key.eq_ignore_ascii_case(k))
                .map(|(_, v)| v)
        };
        let Some(id) = get("id") else {
            return Err(bad(
                "Each customFields entry needs the id of its field.".into()
            ));
        };
        let def = w
            .addition_custom_field
            .as_ref()
            .filter(|d| id.as_u64() == Some(d.id));
        let Some(def) = def else {
            return Err(bad(format!(
                "Custom field with id {id} was not found for {RESOURCE}."
            )));
        };
        let given = get("value").unwrap_or(&Value::Null);
        value = match (def.value_kind(), given) {
            (_, Value::Null) => None,
            (CustomValueKind::Number, Value::Number(n)) => Some(n.to_string()),
            (CustomValueKind::Checkbox, Value::Bool(b)) => Some(b.to_string()),
            (CustomValueKind::Date, Value::String(s)) if parse_cw_date(s).is_some() => {
                Some(s.clone())
            }
            (CustomValueKind::Text, text @ Value::String(_)) => {
                Some(parse_text(Field::CustomFields, text, MAX_CUSTOM_TEXT)?)
            }
            (kind, other) => {
                let wanted = match kind {
                    CustomValueKind::Number => "a number",
                    CustomValueKind::Checkbox => "true or false",
                    CustomValueKind::Date => "a date-time formatted yyyy-MM-ddTHH:mm:ssZ",
                    CustomValueKind::Text => "a string",
                };
                let got = match other {
                    Value::String(s) => format!("'{s}'"),
                    other => json_type(other).into(),
                };
                return Err(bad(format!(
                    "The value of custom field '{}' ({}) must be {wanted}; got {got}.",
                    def.caption, def.field_type
                )));
            }
        };
    }
    Ok(value)
}

/// Sets `field` of `a` from a non-null JSON value.
fn set(w: &World, a: &mut Addition, field: Field, v: &Value) -> Result<(), Problem> {
    match field {
        Field::Product => a.product_id = parse_product(w, v)?,
        Field::BillCustomer => match v {
            Value::String(s) if BILL_CUSTOMER.contains(&s.as_str()) => {
                a.bill_customer = s.clone();
            }
            other => {
                let got = match other {
                    Value::String(s) => format!("'{s}'"),
                    other => json_type(other).into(),
                };
                return Err(Problem::invalid(
                    field.name(),
                    format!(
                        "billCustomer must be one of {}; got {got}.",
                        BILL_CUSTOMER.join(", ")
                    ),
                ));
            }
        },
        Field::Quantity => a.quantity = parse_decimal(field, v)?,
        Field::LessIncluded => a.less_included = parse_decimal(field, v)?,
        Field::UnitPrice => a.unit_price = Some(parse_decimal(field, v)?),
        Field::UnitCost => a.unit_cost = Some(parse_decimal(field, v)?),
        Field::EffectiveDate => a.effective_date = Some(parse_date(field, v)?),
        Field::CancelledDate => a.cancelled_date = Some(parse_date(field, v)?),
        Field::TaxableFlag => match v {
            Value::Bool(b) => a.taxable_flag = *b,
            other => {
                return Err(Problem::invalid(
                    field.name(),
                    format!(
                        "taxableFlag must be true or false, not {}.",
                        json_type(other)
                    ),
                ))
            }
        },
        Field::InvoiceDescription => {
            a.invoice_description = parse_text(field, v, MAX_DESCRIPTION)?;
        }
        Field::Description => a.description = parse_text(field, v, MAX_DESCRIPTION)?,
        Field::SerialNumber => a.serial_number = parse_text(field, v, MAX_SERIAL_NUMBER)?,
        Field::CustomFields => a.custom_value = parse_custom_fields(w, v)?,
    }
    Ok(())
}

/// Empties an optional field (JSON Patch `remove`, or `replace` with null).
fn clear(a: &mut Addition, field: Field) -> Result<(), Problem> {
    match field {
        Field::UnitPrice => a.unit_price = None,
        Field::UnitCost => a.unit_cost = None,
        Field::CancelledDate => a.cancelled_date = None,
        Field::InvoiceDescription => a.invoice_description.clear(),
        Field::Description => a.description.clear(),
        Field::SerialNumber => a.serial_number.clear(),
        Field::CustomFields => a.custom_value = None,
        Field::Product | Field::BillCustomer => return Err(Problem::missing(field)),
        _ => {
            return Err(Problem::invalid(
                field.name(),
                format!("{} cannot be removed or set to null.", field.name()),
            ))
        }
    }
    Ok(())
}

/// The checks across fields, on the addition as it would be stored.
fn check_dates(a: &Addition, problems: &mut Vec<Problem>) {
    let dates_ok = !problems
        .iter()
        .any(|p| p.field == "effectiveDate" || p.field == "cancelledDate");
    if let (true, Some(eff), Some(can)) = (dates_ok, a.effective_date, a.cancelled_date) {
        if can < eff {
            problems.push(Problem::invalid(
                Field::CancelledDate.name(),
                format!(
                    "cancelledDate ({}) must not be before effectiveDate ({}).",
                    can.format("%Y-%m-%dT00:00:00Z"),
                    eff.format("%Y-%m-%dT00:00:00Z")
                ),
            ));
        }
    }
}

fn agreement_open(ag: &Agreement, problems: &mut Vec<Problem>) {
    if ag.cancelled_flag {
        problems.push(Problem::invalid(
            "agreementId",
            format!(
                "Agreement {} is cancelled; additions cannot be added to a cancelled agreement.",
                ag.id
            ),
        ));
    }
}

/// `POST finance/agreements/{id}/additions`: 201 with the new addition, as a GET shows it.
pub(crate) async fn create_addition(
    State(st): St,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    // Held (see `SimState::hold_creates`) before the world is locked; applied in arrival order.
    let _turn = st.create_turn().await;
    let mut w = st.write_world();
    let now = Utc::now();
    let Some(agreement) = parse_id(&id).and_then(|id| w.agreements.get(&id)).cloned() else {
        return not_found(&format!("Agreement with id {id} was not found."));
    };
    let body = match parse_body(&body) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let Value::Object(obj) = body else {
        return unreadable(format!(
            "The request body must be an {RESOURCE} object, not {}.",
            json_type(&body)
        ));
    };
    // Field names are matched case-insensitively; unknown and read-only fields are ignored, and
    // null counts as absent.
    let given = |f: Field| {
        obj.iter()
            .filter(|(k, v)| k.eq_ignore_ascii_case(f.name()) && !v.is_null())
            .map(|(_, v)| v)
            .next_back()
    };
    let mut problems = Vec::new();
    agreement_open(&agreement, &mut problems);

    let product = match given(Field::Product) {
        None => Err(Problem::missing(Field::Product)),
        Some(v) => parse_product(&w, v),
    };
    let product_id = product.as_ref().ok().copied();
    if let Err(p) = product {
        problems.push(p);
    }
    let item = product_id.and_then(|id| w.catalog.get(&id));
    let description = item.map_or_else(String::new, |i| i.description.clone());
    let sequence_number = w
        .additions_of(agreement.id)
        .iter()
        .map(|a| a.sequence_number)
        .max()
        .unwrap_or(0)
        + 1;
    // The defaults ConnectWise fills in, overwritten below by what the request gives.
    let mut a = Addition {
        id: 0,
        agreement_id: agreement.id,
        product_id: product_id.unwrap_or(0),
        quantity: Decimal::ONE,
        less_included: Decimal::ZERO,
        unit_price: item.map(|i| i.price),
        unit_cost: item.and_then(|i| i.cost),
        bill_customer: String::new(),
        effective_date: None,
        cancelled_date: None,
        taxable_flag: item.is_some_and(|i| i.taxable),
        serial_number: String::new(),
        invoice_description: description.clone(),
        description,
        sequence_number,
        custom_value: None,
        date_entered: now,
        entered_by: API_MEMBER.into(),
        last_updated: now,
        updated_by: API_MEMBER.into(),
        // What ConnectWise had invoiced when the addition arrived: the next invoice run
        // back-bills its days before it when the agreement prorates (SPEC §16).
        back_bill_before: agreement.invoiced_boundary(),
        // Kept for good: which invoiced periods came after the addition (SPEC §17).
        boundary_at_creation: agreement.invoiced_boundary(),
    };
    for field in FIELDS {
        if field == Field::Product {
            continue;
        }
        match given(field) {
            Some(v) => {
                if let Err(p) = set(&w, &mut a, field, v) {
                    problems.push(p);
                }
            }
            None if field == Field::BillCustomer => problems.push(Problem::missing(field)),
            None => {}
        }
    }
    check_dates(&a, &mut problems);
    if !problems.is_empty() {
        return rejected(&problems);
    }
    a.id = w.new_addition_id();
    let new_id = a.id;
    w.touch_agreement(a.agreement_id, a.last_updated);
    w.insert_addition(a);
    let base = st.connectwise_base();
    let body = w
        .additions
        .get(&new_id)
        .map_or(Value::Null, |a| addition_json(&w, a, &base));
    (StatusCode::CREATED, Json(body)).into_response()
}

/// One JSON Patch operation, read leniently so that every problem can be reported.
enum Op {
    Set(Field, Value),
    SetProductId(Value),
    SetProductIdentifier(Value),
    Clear(Field),
}

/// The target of a patch path: a field, or `product/id` / `product/identifier`.
fn patch_target(path: &str) -> Result<(Field, Option<&'static str>), Problem> {
    let p = path.trim_start_matches('/');
    if let Some(f) = Field::parse(p) {
        return Ok((f, None));
    }
    if let Some((head, tail)) = p.split_once('/') {
        if head.eq_ignore_ascii_case("product") {
            if tail.eq_ignore_ascii_case("id") {
                return Ok((Field::Product, Some("id")));
            }
            if tail.eq_ignore_ascii_case("identifier") {
                return Ok((Field::Product, Some("identifier")));
            }
        }
    }
    let head = p.split('/').next().unwrap_or(p);
    if READ_ONLY.iter().any(|r| r.eq_ignore_ascii_case(head)) {
        Err(Problem::invalid(
            head,
            format!("{head} is read-only and cannot be patched."),
        ))
    } else {
        Err(Problem::invalid(
            p,
            format!("'{path}' is not a field of {RESOURCE} that can be patched."),
        ))
    }
}

fn parse_op(op: &Value, i: usize) -> Result<Op, Problem> {
    let Value::Object(o) = op else {
        return Err(Problem::invalid(
            "",
            format!(
                "Operation {i} must be an object like {{\"op\": \"replace\", \"path\": \"cancelledDate\", \"value\": \"2026-11-30T00:00:00Z\"}}, not {}.",
                json_type(op)
            ),
        ));
    };
    let get = |k: &str| -> Option<&Value> {
        o.iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(k))
            .map(|(_, v)| v)
    };
    let Some(Value::String(path)) = get("path") else {
        return Err(Problem::invalid(
            "",
            format!("Operation {i} needs a path (a string)."),
        ));
    };
    let (field, sub) = patch_target(path)?;
    let kind = match get("op") {
        Some(Value::String(s)) => s.to_ascii_lowercase(),
        _ => {
            return Err(Problem::invalid(
                field.name(),
                format!("Operation {i} needs an op: replace, add or remove."),
            ))
        }
    };
    match kind.as_str() {
        "replace" | "add" => {
            let Some(value) = get("value") else {
                return Err(Problem::invalid(
                    field.name(),
                    format!("Operation {i} ({kind} {path}) needs a value."),
                ));
            };
            Ok(match (sub, value) {
                (Some("id"), v) => Op::SetProductId(v.clone()),
                (Some(_), v) => Op::SetProductIdentifier(v.clone()),
                (None, Value::Null) => Op::Clear(field),
                (None, v) => Op::Set(field, v.clone()),
            })
        }
        "remove" if sub.is_none() => Ok(Op::Clear(field)),
        "remove" => Err(Problem::missing(Field::Product)),
        other => Err(Problem::invalid(
            field.name(),
            format!("Operation {i}: op '{other}' is not supported; use replace, add or remove."),
        )),
    }
}

fn apply_op(w: &World, a: &mut Addition, op: &Op) -> Result<(), Problem> {
    match op {
        Op::Set(field, v) => set(w, a, *field, v),
        Op::Clear(field) => clear(a, *field),
        Op::SetProductId(v) => {
            a.product_id = product_by_id(w, v)?;
            Ok(())
        }
        Op::SetProductIdentifier(v) => {
            let mut m = Map::new();
            m.insert("identifier".into(), v.clone());
            a.product_id = parse_product(w, &Value::Object(m))?;
            Ok(())
        }
    }
}

/// `PATCH finance/agreements/{id}/additions/{aid}`: applies every operation or none; 200 with the
/// addition.
pub(crate) async fn patch_addition(
    State(st): St,
    Path((id, aid)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    let mut w = st.write_world();
    let Some(agreement_id) = parse_id(&id).filter(|id| w.agreements.contains_key(id)) else {
        return not_found(&format!("Agreement with id {id} was not found."));
    };
    let Some(current) = parse_id(&aid)
        .and_then(|aid| w.additions.get(&aid))
        .filter(|a| a.agreement_id == agreement_id)
        .cloned()
    else {
        return not_found(&format!("Agreement addition with id {aid} was not found."));
    };
    let body = match parse_body(&body) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let Value::Array(ops) = body else {
        return unreadable(format!(
            "The request body must be a JSON Patch array like [{{\"op\": \"replace\", \"path\": \"cancelledDate\", \"value\": \"2026-11-30T00:00:00Z\"}}], not {}.",
            json_type(&body)
        ));
    };
    let mut problems = Vec::new();
    let mut next = current.clone();
    for (i, op) in ops.iter().enumerate() {
        let result = parse_op(op, i).and_then(|op| apply_op(&w, &mut next, &op));
        if let Err(p) = result {
            problems.push(p);
        }
    }
    check_dates(&next, &mut problems);
    if !problems.is_empty() {
        return rejected(&problems);
    }
    if !ops.is_empty() {
        next.last_updated = Utc::now();
        next.updated_by = API_MEMBER.into();
        w.touch_agreement(next.agreement_id, next.last_updated);
        // Same id and agreement: this replaces the stored addition.
        w.additions.insert(next.id, next);
    }
    let base = st.connectwise_base();
    let body = w
        .additions
        .get(&current.id)
        .map_or(Value::Null, |a| addition_json(&w, a, &base));
    Json(body).into_response()
}

/// 400 for a DELETE of an addition that has been on an invoice.
fn invoiced() -> Response {
    rejected(&[Problem {
        code: "InvalidField",
        field: "id".into(),
        message: "This addition has been invoiced and cannot be deleted".into(),
    }])
}

/// `DELETE finance/agreements/{id}/additions/{aid}`: 204 with no body. As ConnectWise does, an
/// addition that has been on an invoice ([`World::has_been_invoiced`]) is not deleted: 400
/// `InvalidObject`, and nothing changes. An agreement or addition that is not there (never was,
/// or already deleted, or of another agreement): 404 `NotFound`.
pub(crate) async fn delete_addition(
    State(st): St,
    Path((id, aid)): Path<(String, String)>,
) -> Response {
    let mut w = st.write_world();
    let Some(agreement_id) = parse_id(&id).filter(|id| w.agreements.contains_key(id)) else {
        return not_found(&format!("Agreement with id {id} was not found."));
    };
    let Some(addition) = parse_id(&aid)
        .and_then(|aid| w.additions.get(&aid))
        .filter(|a| a.agreement_id == agreement_id)
    else {
        return not_found(&format!("Agreement addition with id {aid} was not found."));
    };
    if w.has_been_invoiced(addition) {
        return invoiced();
    }
    let addition_id = addition.id;
    w.remove_addition(addition_id);
    w.touch_agreement(agreement_id, Utc::now());
    StatusCode::NO_CONTENT.into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_must_be_exactly_connectwise_date_times() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 16);
        assert_eq!(parse_cw_date("2026-11-16T00:00:00Z"), d);
        assert_eq!(parse_cw_date("2026-11-16T13:45:10Z"), d);
        for bad in [
            "2026-11-16",
            "16/11/2026",
            "2026-11-16T00:00:00",
            "2026-11-16T00:00:00.000Z",
            "2026-11-16T00:00:00+00:00",
            "2026-11-16 00:00:00Z",
            "2026-13-16T00:00:00Z",
            "2026-02-30T00:00:00Z",
            "+026-11-16T00:00:00Z",
            "",
        ] {
            assert_eq!(parse_cw_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn patch_paths_are_case_insensitive_with_or_without_a_slash() {
        assert!(matches!(
            patch_target("/CancelledDate"),
            Ok((Field::CancelledDate, None))
        ));
        assert!(matches!(
            patch_target("unitprice"),
            Ok((Field::UnitPrice, None))
        ));
        assert!(matches!(
            patch_target("/product/id"),
            Ok((Field::Product, Some("id")))
        ));
        assert_eq!(
            patch_target("/id").err().map(|p| p.field),
            Some("id".into())
        );
        assert!(patch_target("/nonsense").is_err());
    }

    #[test]
    fn decimals_come_from_json_numbers_only() {
        assert_eq!(
            parse_decimal(Field::Quantity, &json!(2.5)).ok(),
            Some(Decimal::new(25, 1))
        );
        assert_eq!(
            parse_decimal(Field::Quantity, &json!(1e3)).ok(),
            Some(Decimal::from(1000))
        );
        assert!(parse_decimal(Field::Quantity, &json!("2")).is_err());
    }
}
