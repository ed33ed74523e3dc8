//! The Cloud Marketplace API subset: token, orders, order, subscription, customer.

use std::sync::Arc;

use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Json;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use chrono::Utc;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde_json::{json, Value};

use crate::conditions::parse_datetime;
use crate::correlation::Corr;
use crate::state::SimState;
use crate::world::{money, price_text, Customer, Order, Subscription, World};
use crate::OrderListing;

pub(crate) const CORRELATION_HEADER: &str = "x-correlation-id";

/// The marketplace error body: `{timeStamp, status, message, path, correlationId}`.
pub(crate) fn error(
    status: StatusCode,
    message: &str,
    path: &str,
    correlation_id: &str,
) -> Response {
    let body = json!({
        "timeStamp": Utc::now().format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string(),
        "status": status.as_u16(),
        "message": message,
        "path": path,
        "correlationId": correlation_id,
    });
    (status, Json(body)).into_response()
}

/// Checks the subscription key (every call) and the bearer token (every call but `token`).
pub(crate) fn authorize(
    st: &SimState,
    headers: &HeaderMap,
    path: &str,
    corr: &str,
) -> Result<(), Response> {
    let key = headers
        .get("x-subscription-key")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if key.is_empty() || key != st.credentials.subscription_key {
        return Err(error(
            StatusCode::UNAUTHORIZED,
            "Access denied due to missing or invalid subscription key. Make sure to include the X-Subscription-Key header.",
            path,
            corr,
        ));
    }
    if is_token_path(path) {
        return Ok(());
    }
    let auth = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let token = match auth.split_once(' ') {
        Some((scheme, t)) if scheme.eq_ignore_ascii_case("bearer") => t.trim(),
        _ => {
            return Err(error(
                StatusCode::UNAUTHORIZED,
                "Authorization header is missing or is not a Bearer token",
                path,
                corr,
            ))
        }
    };
    if !st.token_valid(token) {
        return Err(error(
            StatusCode::UNAUTHORIZED,
            "Access token is invalid or expired",
            path,
            corr,
        ));
    }
    Ok(())
}

/// `/marketplace/{code}/token`
pub(crate) fn is_token_path(path: &str) -> bool {
    let segs: Vec<&str> = path.trim_end_matches('/').split('/').collect();
    segs.len() == 4 && segs[1] == "marketplace" && segs[3] == "token"
}

// ---------------------------------------------------------------------------------------------
// Wire format

fn amount(d: Decimal, currency: &str) -> Value {
    json!({"amount": money(d).to_string(), "currency": currency})
}

fn price(d: Decimal, currency: &str) -> Value {
    json!({"amount": price_text(d), "currency": currency})
}

/// Quantities as JSON numbers: whole numbers as integers (orders), else floats.
fn int_or_float(d: Decimal) -> Value {
    if d.fract().is_zero() {
        if let Some(i) = d.to_i64() {
            return json!(i);
        }
    }
    json!(d.to_f64().unwrap_or(0.0))
}

fn float(d: Decimal) -> Value {
    json!(d.to_f64().unwrap_or(0.0))
}

fn date_time(d: chrono::NaiveDateTime) -> String {
    d.format("%Y-%m-%d %H:%M:%S").to_string()
}

pub(crate) fn order_summary(o: &Order) -> Value {
    json!({
        "id": o.id,
        "type": o.order_type,
        "customerId": o.customer_id,
        "creationDate": date_time(o.created),
        "status": o.status,
    })
}

pub(crate) fn order_detail(o: &Order) -> Value {
    let products: Vec<Value> = o
        .products
        .iter()
        .map(|p| {
            json!({
                "mpn": p.mpn,
                "name": p.name,
                "quantity": int_or_float(p.quantity),
                "subscriptionId": p.subscription_id,
                "extendedPrice": amount(p.extended_price, &p.currency),
            })
        })
        .collect();
    let mut v = json!({
        "id": o.id,
        "type": o.order_type,
        "customerId": o.customer_id,
        "creationDate": date_time(o.created),
        "status": o.status,
        "poNumber": o.po_number,
        "products": products,
    });
    if let (Some(obj), None) = (v.as_object_mut(), &o.po_number) {
        obj.remove("poNumber");
    }
    v
}

pub(crate) fn subscription_json(s: &Subscription, today: chrono::NaiveDate) -> Value {
    let cur = s.currency.as_str();
    let products: Vec<Value> = s
        .products
        .iter()
        .map(|p| {
            let mut v = json!({
                "mpn": p.mpn,
                "name": p.name,
                "quantity": float(p.quantity),
                "unitPrice": price(p.unit_price(), cur),
                "prices": p.prices.iter().map(|c| json!({"type": c.kind, "amount": price_text(c.amount), "currency": cur})).collect::<Vec<_>>(),
                "costs": p.costs.iter().map(|c| json!({"type": c.kind, "amount": price_text(c.amount), "currency": cur})).collect::<Vec<_>>(),
                "extendedPrice": amount(p.extended_price(), cur),
            });
            if let (Some(obj), true) = (v.as_object_mut(), p.is_usage()) {
                obj.insert("includedQuantity".into(), float(p.included_quantity.unwrap_or_default()));
                obj.insert("usedQuantity".into(), float(p.used_quantity.unwrap_or_default()));
            }
            v
        })
        .collect();
    let mut v = json!({
        "id": s.id,
        "customerId": s.customer_id,
        "status": s.status,
        "renewalStatus": s.status == "active",
        "creationDate": s.creation_date.format("%Y-%m-%d").to_string(),
        "billingStartDate": s.billing_start_date.map(|d| d.format("%Y-%m-%d").to_string()),
        "renewalDate": s.renewal_date(today).format("%Y-%m-%d").to_string(),
        "lastModifiedDate": s.last_modified_date.format("%Y-%m-%d").to_string(),
        "billingModel": s.billing_model,
        "billingPeriod": {"type": s.billing_period.unit.as_str(), "duration": s.billing_period.duration},
        "subscriptionPeriod": {"type": s.subscription_period.unit.as_str(), "duration": s.subscription_period.duration},
        "totalPrice": amount(s.total_price(), cur),
        "products": products,
    });
    if s.billing_start_date.is_none() {
        if let Some(obj) = v.as_object_mut() {
            obj.remove("billingStartDate");
        }
    }
    v
}

pub(crate) fn customer_json(c: &Customer) -> Value {
    json!({
        "id": c.id,
        "name": c.name,
        "externalId": c.external_id,
        "status": c.status,
        "address": {
            "street": c.address.street,
            "city": c.address.city,
            "state": c.address.state,
            "postalCode": c.address.postal_code,
            "countryCode": c.address.country_code,
        },
        "contactPersons": [{
            "type": "owner",
            "firstName": c.contact.first_name,
            "lastName": c.contact.last_name,
            "email": c.contact.email,
            "phoneNumber": c.contact.phone,
        }],
    })
}

// ---------------------------------------------------------------------------------------------
// Handlers

pub(crate) async fn token(
    State(st): State<Arc<SimState>>,
    headers: HeaderMap,
    uri: Uri,
    Corr(corr): Corr,
) -> Response {
    let auth = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let decoded = match auth.split_once(' ') {
        Some((scheme, b64)) if scheme.eq_ignore_ascii_case("basic") => STANDARD
            .decode(b64.trim())
            .ok()
            .and_then(|b| String::from_utf8(b).ok()),
        _ => None,
    };
    let ok = decoded
        .as_deref()
        .and_then(|s| s.split_once(':'))
        .is_some_and(|(u, p)| {
            u == st.credentials.marketplace_username && p == st.credentials.marketplace_password
        });
    if !ok {
        return error(
            StatusCode::UNAUTHORIZED,
            "Invalid username or password",
            uri.path(),
            &corr,
        );
    }
    let token = st.issue_token(&st.credentials.marketplace_username);
    Json(json!({"token": token, "expiresInSeconds": st.token_ttl.as_secs()})).into_response()
}

fn bad_param(name: &str, value: &str, expected: &str, path: &str, corr: &str) -> Response {
    error(
        StatusCode::BAD_REQUEST,
        &format!("Invalid value '{value}' for parameter '{name}': {expected}"),
        path,
        corr,
    )
}

struct OrderQuery {
    offset: usize,
    limit: usize,
    from: Option<chrono::DateTime<Utc>>,
    to: Option<chrono::DateTime<Utc>>,
    status: Vec<String>,
    customer_id: Option<String>,
    order_type: Vec<String>,
}

fn parse_order_query(raw: &str, path: &str, corr: &str) -> Result<OrderQuery, Response> {
    let mut q = OrderQuery {
        offset: 0,
        limit: 25,
        from: None,
        to: None,
        status: Vec::new(),
        customer_id: None,
        order_type: Vec::new(),
    };
    for (k, v) in url::form_urlencoded::parse(raw.as_bytes()) {
        let v = v.trim().to_string();
        match k.as_ref() {
            "offset" => {
                q.offset = v.parse().map_err(|_| {
                    bad_param("offset", &v, "expected a non-negative integer", path, corr)
                })?;
            }
            "limit" => {
                let n: usize = v.parse().map_err(|_| {
                    bad_param("limit", &v, "expected an integer from 1 to 100", path, corr)
                })?;
                if n == 0 {
                    return Err(bad_param(
                        "limit",
                        &v,
                        "expected an integer from 1 to 100",
                        path,
                        corr,
                    ));
                }
                q.limit = n.min(100);
            }
            "creationTimeFrom" | "creationTimeTo" => {
                let d = parse_datetime(&v).ok_or_else(|| {
                    bad_param(
                        &k,
                        &v,
                        "expected a date-time like 2026-11-01T00:00:00Z or 2026-11-01 00:00:00",
                        path,
                        corr,
                    )
                })?;
                if k == "creationTimeFrom" {
                    q.from = Some(d);
                } else {
                    q.to = Some(d);
                }
            }
            "status" => q.status.extend(
                v.split(',')
                    .map(|s| s.trim().to_lowercase())
                    .filter(|s| !s.is_empty()),
            ),
            "type" => q.order_type.extend(
                v.split(',')
                    .map(|s| s.trim().to_lowercase())
                    .filter(|s| !s.is_empty()),
            ),
            "customerId" => q.customer_id = Some(v).filter(|s| !s.is_empty()),
            _ => {}
        }
    }
    Ok(q)
}

fn order_matches(o: &Order, q: &OrderQuery) -> bool {
    let created = o.created.and_utc();
    q.from.is_none_or(|f| created >= f)
        && q.to.is_none_or(|t| created <= t)
        && (q.status.is_empty() || q.status.iter().any(|s| s.eq_ignore_ascii_case(&o.status)))
        && (q.order_type.is_empty()
            || q.order_type
                .iter()
                .any(|s| s.eq_ignore_ascii_case(&o.order_type)))
        && q.customer_id.as_deref().is_none_or(|c| c == o.customer_id)
}

pub(crate) fn list_orders(
    w: &World,
    listing: OrderListing,
    raw: &str,
    path: &str,
    corr: &str,
) -> Response {
    let mut q = match parse_order_query(raw, path, corr) {
        Ok(q) => q,
        Err(r) => return r,
    };
    if !listing.honours_window {
        q.from = None;
        q.to = None;
    }
    let mut total = 0usize;
    let mut data = Vec::new();
    let mut page = |o: &Order| {
        if total >= q.offset && data.len() < q.limit {
            data.push(order_summary(o));
        }
        total += 1;
    };
    let matching: Vec<&Order> = w
        .orders_newest_first()
        .filter(|o| order_matches(o, &q))
        .collect();
    if listing.newest_first {
        matching.into_iter().for_each(&mut page);
    } else {
        matching.into_iter().rev().for_each(&mut page);
    }
    Json(json!({
        "data": data,
        "pagination": {"offset": q.offset, "limit": q.limit, "total": total},
    }))
    .into_response()
}

pub(crate) async fn orders(
    State(st): State<Arc<SimState>>,
    RawQuery(raw): RawQuery,
    uri: Uri,
    Corr(corr): Corr,
) -> Response {
    let listing = st.order_listing();
    let w = st.read_world();
    list_orders(&w, listing, raw.as_deref().unwrap_or(""), uri.path(), &corr)
}

pub(crate) async fn order(
    State(st): State<Arc<SimState>>,
    Path((_code, id)): Path<(String, String)>,
    uri: Uri,
    Corr(corr): Corr,
) -> Response {
    let w = st.read_world();
    match w.orders.get(&id) {
        Some(o) => Json(order_detail(o)).into_response(),
        None => error(
            StatusCode::NOT_FOUND,
            &format!("Order {id} not found"),
            uri.path(),
            &corr,
        ),
    }
}

pub(crate) async fn subscription(
    State(st): State<Arc<SimState>>,
    Path((_code, id)): Path<(String, String)>,
    uri: Uri,
    Corr(corr): Corr,
) -> Response {
    let w = st.read_world();
    match w.subscriptions.get(&id) {
        Some(s) => Json(subscription_json(s, w.today)).into_response(),
        None => error(
            StatusCode::NOT_FOUND,
            &format!("Subscription {id} not found"),
            uri.path(),
            &corr,
        ),
    }
}

pub(crate) async fn customer(
    State(st): State<Arc<SimState>>,
    Path((_code, id)): Path<(String, String)>,
    uri: Uri,
    Corr(corr): Corr,
) -> Response {
    let w = st.read_world();
    match w.customers.get(&id) {
        Some(c) => Json(customer_json(c)).into_response(),
        None => error(
            StatusCode::NOT_FOUND,
            &format!("Customer {id} not found"),
            uri.path(),
            &corr,
        ),
    }
}

/// `GET /subscriptions?customerId&status&offset&limit`: the subscriptions, by id, paged like
/// the orders (`limit` at most 100, default 25); `status` takes one status or several separated
/// by commas.
pub(crate) async fn subscriptions(
    State(st): State<Arc<SimState>>,
    RawQuery(raw): RawQuery,
    uri: Uri,
    Corr(corr): Corr,
) -> Response {
    let q = match parse_order_query(raw.as_deref().unwrap_or(""), uri.path(), &corr) {
        Ok(q) => q,
        Err(r) => return r,
    };
    let w = st.read_world();
    let matching = w.subscriptions.values().filter(|s| {
        q.customer_id.as_deref().is_none_or(|c| c == s.customer_id)
            && (q.status.is_empty() || q.status.iter().any(|x| x.eq_ignore_ascii_case(&s.status)))
    });
    let mut total = 0usize;
    let mut data = Vec::new();
    for s in matching {
        if total >= q.offset && data.len() < q.limit {
            data.push(subscription_json(s, w.today));
        }
        total += 1;
    }
    Json(json!({
        "data": data,
        "pagination": {"offset": q.offset, "limit": q.limit, "total": total},
    }))
    .into_response()
}
