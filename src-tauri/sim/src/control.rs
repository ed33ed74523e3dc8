//! Control endpoints for standalone use (`/_sim/...`): the request log, faults, orders, tokens,
//! latency, the addition custom field, held creates, and ConnectWise's invoice calendar (the
//! invoice run, its invoices, an agreement's calendar). They are neither recorded nor subject
//! to faults or auth.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{NaiveDate, Utc};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::billing;
use crate::conditions::parse_datetime;
use crate::faults::{FaultKind, FaultRule, FaultTiming, NewShape, Reshape};
use crate::state::SimState;
use crate::world::CustomFieldDef;
use crate::OrderListing;

fn bad_request(message: impl Into<String>) -> Response {
    (
        StatusCode::BAD_REQUEST,
        Json(json!({"error": message.into()})),
    )
        .into_response()
}

pub(crate) async fn requests(State(st): State<Arc<SimState>>) -> Response {
    Json(st.requests()).into_response()
}

pub(crate) async fn clear_requests(State(st): State<Arc<SimState>>) -> StatusCode {
    st.clear_requests();
    StatusCode::NO_CONTENT
}

/// `{"method"?: "GET", "pathContains": "/orders", "kind": "serverError" | "tooManyRequests" |
/// "timeout" | "dropConnection" | "malformedBody" | "webPage" | "reshape", "retryAfterSecs"?: 2,
/// "remaining"?: 1, "when"?: "before" | "after", "skip"?: 0}`
///
/// `reshape` sends one field of the answer's records in another shape: `"field": "currencyCode"`
/// (dotted when nested), `"to": "nameOnly" | "text" | "value"` (with `"value": ...`), and
/// `"record"?: 0` for only one record.
///
/// `when` (default `before`): `before` strikes instead of the handler; `after` runs the handler
/// first (its changes stay) and then answers with the fault (a lost response). `skip`: the first
/// `skip` matching requests pass untouched. `remaining` counts only the requests struck.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct FaultRuleBody {
    method: Option<String>,
    #[serde(alias = "path_contains", alias = "path")]
    path_contains: String,
    kind: String,
    #[serde(default, alias = "retry_after_secs", alias = "retryAfter")]
    retry_after_secs: Option<u64>,
    #[serde(default)]
    remaining: Option<u32>,
    #[serde(default)]
    when: Option<String>,
    #[serde(default)]
    skip: Option<u32>,
    #[serde(default)]
    field: Option<String>,
    #[serde(default)]
    to: Option<String>,
    #[serde(default)]
    value: Option<Value>,
    #[serde(default)]
    record: Option<usize>,
}

fn fault_timing(when: Option<&str>) -> Option<FaultTiming> {
    let Some(w) = when else {
        return Some(FaultTiming::Before);
    };
    let k: String = w
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase();
    Some(match k.as_str() {
        "" | "before" | "beforeapply" => FaultTiming::Before,
        "after" | "afterapply" => FaultTiming::After,
        _ => return None,
    })
}

fn words(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase()
}

/// The reshape of a `reshape` rule, or why it is not one.
fn reshape(r: &FaultRuleBody) -> Result<Reshape, String> {
    let field = r.field.clone().filter(|f| !f.trim().is_empty()).ok_or(
        "a reshape needs \"field\": the field to send in another shape, e.g. \"currencyCode\"",
    )?;
    let to = match words(r.to.as_deref().unwrap_or("")).as_str() {
        "nameonly" | "name" => NewShape::NameOnly,
        "text" | "string" => NewShape::Text,
        "value" => NewShape::Value(
            r.value
                .clone()
                .ok_or("\"to\": \"value\" needs \"value\": the value to send")?,
        ),
        "" if r.value.is_some() => NewShape::Value(r.value.clone().unwrap_or_default()),
        _ => return Err("\"to\" must be nameOnly, text or value".into()),
    };
    Ok(Reshape {
        field,
        to,
        record: r.record,
    })
}

fn fault_kind(kind: &str, retry_after: Option<u64>) -> Option<FaultKind> {
    let k = words(kind);
    Some(match k.as_str() {
        "servererror" | "500" => FaultKind::ServerError,
        "toomanyrequests" | "429" => FaultKind::TooManyRequests {
            retry_after_secs: retry_after.unwrap_or(1),
        },
        "timeout" => FaultKind::Timeout,
        "dropconnection" | "drop" => FaultKind::DropConnection,
        "malformedbody" | "malformed" => FaultKind::MalformedBody,
        "webpage" | "html" => FaultKind::WebPage,
        _ => return None,
    })
}

pub(crate) async fn set_faults(
    State(st): State<Arc<SimState>>,
    Json(body): Json<Vec<FaultRuleBody>>,
) -> Response {
    let mut rules = Vec::with_capacity(body.len());
    for r in body {
        let kind = if words(&r.kind) == "reshape" {
            match reshape(&r) {
                Ok(reshape) => FaultKind::Reshape(reshape),
                Err(why) => return bad_request(why),
            }
        } else {
            match fault_kind(&r.kind, r.retry_after_secs) {
                Some(kind) => kind,
                None => return bad_request(format!(
                    "unknown fault kind '{}': use serverError, tooManyRequests, timeout, dropConnection, malformedBody, webPage or reshape (optionally with \"when\": \"before\" | \"after\" and \"skip\": N)",
                    r.kind
                )),
            }
        };
        let Some(when) = fault_timing(r.when.as_deref()) else {
            return bad_request(format!(
                "unknown fault timing when='{}': use before (instead of the handler, the default) or after (after the handler has run)",
                r.when.unwrap_or_default()
            ));
        };
        rules.push(FaultRule {
            method: r.method,
            path_contains: r.path_contains,
            kind,
            remaining: r.remaining,
            when,
            skip: r.skip.unwrap_or(0),
        });
    }
    let n = rules.len();
    st.set_faults(rules);
    Json(json!({"rules": n})).into_response()
}

pub(crate) async fn clear_faults(State(st): State<Arc<SimState>>) -> StatusCode {
    st.set_faults(Vec::new());
    StatusCode::NO_CONTENT
}

/// `[{"area": "Finance › Agreements", "level": "Add"}]`: the ConnectWise permissions the API
/// member's security role lacks (requests that need one get a 403).
#[derive(Deserialize)]
pub(crate) struct DeniedPermission {
    area: String,
    level: String,
}

pub(crate) async fn set_denied(
    State(st): State<Arc<SimState>>,
    Json(body): Json<Vec<DeniedPermission>>,
) -> StatusCode {
    st.set_denied(body.into_iter().map(|d| (d.area, d.level)).collect());
    StatusCode::NO_CONTENT
}

pub(crate) async fn clear_denied(State(st): State<Arc<SimState>>) -> StatusCode {
    st.set_denied(Vec::new());
    StatusCode::NO_CONTENT
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct NewOrder {
    customer_id: String,
    #[serde(rename = "type")]
    order_type: String,
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    creation_date: Option<String>,
}

pub(crate) async fn create_order(
    State(st): State<Arc<SimState>>,
    Json(body): Json<NewOrder>,
) -> Response {
    let created = match body.creation_date.as_deref() {
        None | Some("") => Utc::now(),
        Some(s) => match parse_datetime(s) {
            Some(d) => d,
            None => return bad_request(format!("creationDate '{s}' is not a date-time")),
        },
    };
    let mut w = st.write_world();
    if !w.customers.contains_key(&body.customer_id) {
        return (
            StatusCode::NOT_FOUND,
            Json(json!({"error": format!("customer {} not found", body.customer_id)})),
        )
            .into_response();
    }
    let status = body.status.unwrap_or_else(|| "completed".into());
    let id = w.create_order(
        &body.customer_id,
        &body.order_type,
        &status,
        created.naive_utc(),
    );
    (StatusCode::CREATED, Json(json!({"id": id}))).into_response()
}

#[derive(Deserialize)]
pub(crate) struct NewStatus {
    status: String,
}

pub(crate) async fn set_order_status(
    State(st): State<Arc<SimState>>,
    Path(id): Path<String>,
    Json(body): Json<NewStatus>,
) -> Response {
    if st.write_world().set_order_status(&id, &body.status) {
        StatusCode::NO_CONTENT.into_response()
    } else {
        (
            StatusCode::NOT_FOUND,
            Json(json!({"error": format!("order {id} not found")})),
        )
            .into_response()
    }
}

pub(crate) async fn expire_tokens(State(st): State<Arc<SimState>>) -> StatusCode {
    st.expire_tokens();
    StatusCode::NO_CONTENT
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Latency {
    #[serde(alias = "latency_ms")]
    latency_ms: u64,
}

pub(crate) async fn set_latency(
    State(st): State<Arc<SimState>>,
    Json(body): Json<Latency>,
) -> StatusCode {
    st.set_latency(Duration::from_millis(body.latency_ms));
    StatusCode::NO_CONTENT
}

/// `{"window": "honoured" | "ignored", "order": "newestFirst" | "oldestFirst"}` (each optional,
/// default honoured and newest first): how `GET /orders` answers from now on.
#[derive(Deserialize)]
pub(crate) struct OrderListingBody {
    #[serde(default)]
    window: Option<String>,
    #[serde(default)]
    order: Option<String>,
}

pub(crate) async fn set_order_listing(
    State(st): State<Arc<SimState>>,
    Json(body): Json<OrderListingBody>,
) -> Response {
    let honours_window = match body.window.as_deref().map(words).as_deref() {
        None | Some("honoured" | "honored" | "honours" | "honors") => true,
        Some("ignored" | "ignores") => false,
        Some(other) => {
            return bad_request(format!("window '{other}': use honoured or ignored"));
        }
    };
    let newest_first = match body.order.as_deref().map(words).as_deref() {
        None | Some("newestfirst" | "newest") => true,
        Some("oldestfirst" | "oldest") => false,
        Some(other) => {
            return bad_request(format!("order '{other}': use newestFirst or oldestFirst"));
        }
    };
    st.set_order_listing(OrderListing {
        honours_window,
        newest_first,
    });
    StatusCode::NO_CONTENT.into_response()
}

/// ConnectWise's user-defined field types, as its API spells them.
pub(crate) const CUSTOM_FIELD_TYPES: [&str; 10] = [
    "Text",
    "TextArea",
    "Number",
    "Currency",
    "Percent",
    "Date",
    "Checkbox",
    "Hyperlink",
    "IPAddress",
    "Button",
];

/// The id a defined addition custom field gets unless the request names one.
pub(crate) const CUSTOM_FIELD_ID: u64 = 31;

/// `{"caption": "Agreement Sync Key", "type": "Text", "id"?: 31}`: the custom field additions
/// carry from now on (answered with `{id, caption, type}`); `DELETE`: none.
#[derive(Deserialize)]
pub(crate) struct CustomFieldBody {
    caption: String,
    #[serde(rename = "type", alias = "fieldType")]
    field_type: String,
    #[serde(default)]
    id: Option<u64>,
}

/// The definition of an addition custom field, or why it is not one.
pub(crate) fn custom_field(
    id: Option<u64>,
    caption: &str,
    field_type: &str,
) -> Result<CustomFieldDef, String> {
    let caption = caption.trim();
    if caption.is_empty() {
        return Err("a custom field needs a caption".into());
    }
    let Some(t) = CUSTOM_FIELD_TYPES
        .iter()
        .find(|t| t.eq_ignore_ascii_case(field_type.trim()))
    else {
        return Err(format!(
            "unknown custom field type '{field_type}': use {}",
            CUSTOM_FIELD_TYPES.join(", ")
        ));
    };
    Ok(CustomFieldDef {
        id: id.filter(|id| *id > 0).unwrap_or(CUSTOM_FIELD_ID),
        caption: caption.to_owned(),
        field_type: (*t).to_owned(),
    })
}

pub(crate) async fn set_addition_custom_field(
    State(st): State<Arc<SimState>>,
    Json(body): Json<CustomFieldBody>,
) -> Response {
    match custom_field(body.id, &body.caption, &body.field_type) {
        Ok(def) => {
            let answer = json!({"id": def.id, "caption": def.caption, "type": def.field_type});
            st.write_world().set_addition_custom_field(Some(def));
            Json(answer).into_response()
        }
        Err(why) => bad_request(why),
    }
}

pub(crate) async fn clear_addition_custom_field(State(st): State<Arc<SimState>>) -> StatusCode {
    st.write_world().set_addition_custom_field(None);
    StatusCode::NO_CONTENT
}

/// `{"count": 2}`: the next `count` addition POSTs wait until all have arrived (at most 10 s),
/// then are applied in arrival order; 0 turns it off.
#[derive(Deserialize)]
pub(crate) struct HoldCreates {
    #[serde(alias = "n")]
    count: usize,
}

pub(crate) async fn hold_creates(
    State(st): State<Arc<SimState>>,
    Json(body): Json<HoldCreates>,
) -> StatusCode {
    st.hold_creates(body.count);
    StatusCode::NO_CONTENT
}

/// A day given as `yyyy-MM-dd` (or as a date-time, whose date counts).
fn parse_day(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .ok()
        .or_else(|| parse_datetime(s).map(|d| d.date_naive()))
}

fn agreement_not_found(id: impl std::fmt::Display) -> Response {
    (
        StatusCode::NOT_FOUND,
        Json(json!({"error": format!("agreement {id} not found")})),
    )
        .into_response()
}

/// `{"through": "2026-04-01", "agreementId"?: 4140}`: ConnectWise's invoice run (see
/// `billing`): every agreement, or the one named, is invoiced period by period until its next
/// invoice date is after `through`. Answers the invoices made (an array).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct InvoiceRunBody {
    through: String,
    #[serde(default, alias = "agreement_id")]
    agreement_id: Option<u64>,
}

pub(crate) async fn invoice_run(
    State(st): State<Arc<SimState>>,
    Json(body): Json<InvoiceRunBody>,
) -> Response {
    let Some(through) = parse_day(&body.through) else {
        return bad_request(format!(
            "through '{}' is not a date: use yyyy-MM-dd, e.g. 2026-04-01",
            body.through
        ));
    };
    let mut w = st.write_world();
    if let Some(id) = body
        .agreement_id
        .filter(|id| !w.agreements.contains_key(id))
    {
        return agreement_not_found(id);
    }
    Json(billing::invoice_run(
        &mut w,
        through,
        body.agreement_id,
        Utc::now(),
    ))
    .into_response()
}

/// `?agreementId=4140` (optional): the recorded invoices of that agreement (of all without
/// it), oldest first.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct InvoicesQuery {
    #[serde(default)]
    agreement_id: Option<u64>,
}

pub(crate) async fn invoices(
    State(st): State<Arc<SimState>>,
    Query(q): Query<InvoicesQuery>,
) -> Response {
    Json(billing::invoices_json(&st.read_world(), q.agreement_id)).into_response()
}

/// The calendar a request asks for, from the current one: `nextInvoiceDate` (a date, or null
/// for none) and `prorateFlag`, each kept when absent.
fn calendar_change(
    body: &Value,
    current: (Option<NaiveDate>, bool),
) -> Result<(Option<NaiveDate>, bool), String> {
    let (mut next, mut prorate) = current;
    match body.get("nextInvoiceDate") {
        None => {}
        Some(Value::Null) => next = None,
        Some(Value::String(s)) => {
            next =
                Some(parse_day(s).ok_or_else(|| {
                    format!("nextInvoiceDate '{s}' is not a date: use yyyy-MM-dd")
                })?);
        }
        Some(other) => {
            return Err(format!(
                "nextInvoiceDate must be a date string or null, not {other}"
            ))
        }
    }
    match body.get("prorateFlag") {
        None => {}
        Some(Value::Bool(b)) => prorate = *b,
        Some(other) => return Err(format!("prorateFlag must be true or false, not {other}")),
    }
    Ok((next, prorate))
}

/// `{"nextInvoiceDate": "2026-04-01" | null, "prorateFlag"?: true}`: places an agreement's
/// invoice calendar directly (as if ConnectWise had invoiced it up to that date); answers
/// `{id, nextInvoiceDate, prorateFlag}`.
pub(crate) async fn set_agreement_calendar(
    State(st): State<Arc<SimState>>,
    Path(id): Path<String>,
    Json(body): Json<Value>,
) -> Response {
    if !body.is_object() {
        return bad_request("the body must be an object like {\"nextInvoiceDate\": \"2026-04-01\", \"prorateFlag\": true}");
    }
    let mut w = st.write_world();
    let Some((id, current)) = id.trim().parse::<u64>().ok().and_then(|id| {
        w.agreements
            .get(&id)
            .map(|a| (id, (a.next_invoice_date, a.prorate_flag)))
    }) else {
        return agreement_not_found(id);
    };
    let (next, prorate) = match calendar_change(&body, current) {
        Ok(change) => change,
        Err(why) => return bad_request(why),
    };
    w.set_agreement_calendar(id, next, prorate, Utc::now());
    Json(json!({
        "id": id,
        "nextInvoiceDate": next.map(|d| d.format("%Y-%m-%d").to_string()),
        "prorateFlag": prorate,
    }))
    .into_response()
}
