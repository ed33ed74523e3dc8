//! The ConnectWise Manage REST API subset: companies, agreements, additions, catalog, billing
//! cycles, currencies, with `conditions`, `orderBy`, `fields` and both paging modes.

use std::sync::Arc;

use axum::extract::{Path, RawQuery, State};
use axum::http::header::LINK;
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Json;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde_json::{json, Map, Value};

use crate::conditions::{self, Expr, OrderKey};

mod recap;
mod write;

use crate::state::SimState;
use crate::world::{
    billing_cycle, currency, money, Addition, Agreement, CatalogItem, Company, CustomValueKind,
    World, BILLING_CYCLES, CURRENCIES,
};
pub(crate) use recap::{agreement_recap, refuse_invoice_write};
pub(crate) use write::{create_addition, delete_addition, patch_addition};

pub(crate) const API_PREFIX: &str = "/v4_6_release/apis/3.0/";
const DEFAULT_PAGE_SIZE: usize = 25;
const MAX_PAGE_SIZE: usize = 1000;

// ---------------------------------------------------------------------------------------------
// Errors and auth

/// `{code, message, errors}`.
pub(crate) fn error(status: StatusCode, code: &str, message: &str, errors: Value) -> Response {
    (
        status,
        Json(json!({"code": code, "message": message, "errors": errors})),
    )
        .into_response()
}

fn not_found(message: &str) -> Response {
    error(StatusCode::NOT_FOUND, "NotFound", message, Value::Null)
}

fn invalid(
    message: &str,
    resource: &str,
    field: &str,
    detail: &str,
    detail_code: &str,
) -> Response {
    error(
        StatusCode::BAD_REQUEST,
        "InvalidObject",
        message,
        json!([{"code": detail_code, "message": detail, "resource": resource, "field": field}]),
    )
}

fn unauthorized(message: &str) -> Response {
    error(
        StatusCode::UNAUTHORIZED,
        "Unauthorized",
        message,
        Value::Null,
    )
}

/// The security-role permission a request needs, as ConnectWise names it: (module › area,
/// level). `None` for what any API member may call.
pub(crate) fn required_permission(
    method: &str,
    path: &str,
) -> Option<(&'static str, &'static str)> {
    let rest = path.strip_prefix(API_PREFIX)?;
    let level = match method.to_ascii_uppercase().as_str() {
        "POST" => "Add",
        "PATCH" | "PUT" => "Edit",
        "DELETE" => "Delete",
        _ => "Inquire",
    };
    let area = if rest.starts_with("company/") {
        "Companies › Company Maintenance"
    } else if is_invoicing(rest) {
        "Finance › Invoicing"
    } else if rest.starts_with("finance/agreements") {
        "Finance › Agreements"
    } else if rest.starts_with("finance/billingCycles") {
        "System › Table Setup"
    } else if rest.starts_with("finance/currencies") {
        "Finance › Invoicing"
    } else if rest.starts_with("procurement/catalog") {
        "Procurement › Product Catalog"
    } else {
        return None;
    };
    Some((area, level))
}

/// Whether a path (after the API prefix) is about invoices: the agreement recap, invoices, and
/// invoicing an agreement (`finance/agreements/{id}/invoice`).
fn is_invoicing(rest: &str) -> bool {
    let mut segments = rest.split('/');
    let agreement_invoice = segments.next() == Some("finance")
        && segments.next() == Some("agreements")
        && segments.nth(1) == Some("invoice");
    agreement_invoice
        || rest.starts_with("finance/agreementrecap")
        || rest.starts_with("finance/invoices")
}

/// 403 when the API member's security role lacks what the request needs. Like ConnectWise, the
/// answer does not say which permission is missing.
pub(crate) fn check_permission(st: &SimState, method: &str, path: &str) -> Result<(), Response> {
    match required_permission(method, path) {
        Some(needed) if st.is_denied(needed.0, needed.1) => Err(error(
            StatusCode::FORBIDDEN,
            "Forbidden",
            "You do not have access to this function. Please contact your administrator.",
            Value::Null,
        )),
        _ => Ok(()),
    }
}

/// Basic `companyId+publicKey:privateKey` and a `clientId` header.
pub(crate) fn authorize(st: &SimState, headers: &HeaderMap) -> Result<(), Response> {
    let c = &st.credentials;
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
        .is_some_and(|(user, private)| {
            user.split_once('+').is_some_and(|(company, public)| {
                company.eq_ignore_ascii_case(&c.cw_company_id)
                    && public == c.cw_public_key
                    && private == c.cw_private_key
            })
        });
    if !ok {
        return Err(unauthorized("Authentication failed."));
    }
    match headers
        .get("clientid")
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
    {
        None | Some("") => Err(unauthorized(
            "clientId is required: send the clientId header with your integration's client id.",
        )),
        Some(id) if !id.eq_ignore_ascii_case(&c.cw_client_id) => {
            Err(unauthorized("The clientId provided is not valid."))
        }
        Some(_) => Ok(()),
    }
}

// ---------------------------------------------------------------------------------------------
// Wire format

fn num(d: Decimal) -> Value {
    json!(d.to_f64().unwrap_or(0.0))
}

fn opt_num(d: Option<Decimal>) -> Value {
    d.map_or(Value::Null, num)
}

fn date(d: NaiveDate) -> String {
    d.format("%Y-%m-%dT00:00:00Z").to_string()
}

/// A date-only `yyyy-MM-dd`, as ConnectWise sends `nextInvoiceDate`.
fn day(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn opt_date(d: Option<NaiveDate>) -> Value {
    d.map_or(Value::Null, |d| Value::String(date(d)))
}

fn stamp(d: DateTime<Utc>) -> String {
    d.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

fn country_name(code: &str) -> (u64, &'static str) {
    match code {
        "DE" => (4, "Germany"),
        "GB" | "UK" => (3, "United Kingdom"),
        "CA" => (2, "Canada"),
        _ => (1, "United States"),
    }
}

pub(crate) fn company_json(c: &Company, base: &str) -> Value {
    let (country_id, country) = country_name(&c.country_code);
    json!({
        "id": c.id,
        "identifier": c.identifier,
        "name": c.name,
        "status": {"id": 1, "name": "Active", "_info": {"status_href": format!("{base}company/companies/statuses/1")}},
        "addressLine1": c.address_line1,
        "addressLine2": null,
        "city": c.city,
        "state": c.state,
        "zip": c.zip,
        "country": {"id": country_id, "name": country},
        "phoneNumber": c.phone,
        "faxNumber": "",
        "website": c.website,
        "territory": {"id": 1, "name": "Main"},
        "defaultContact": {"id": c.contact.0, "name": c.contact.1, "_info": {"contact_href": format!("{base}company/contacts/{}", c.contact.0)}},
        "dateAcquired": stamp(c.date_entered),
        "annualRevenue": 0.0,
        "timeZoneSetup": {"id": 1, "name": "US Eastern"},
        "leadFlag": false,
        "unsubscribeFlag": false,
        "taxCode": {"id": 11, "name": "Tax-State"},
        "billingTerms": {"id": 1, "name": "Net 30 days"},
        "billToCompany": {"id": c.id, "identifier": c.identifier, "name": c.name},
        "invoiceDeliveryMethod": {"id": 1, "name": "Email"},
        "deletedFlag": false,
        "mobileGuid": format!("00000000-0000-4000-8000-{:012}", c.id),
        "currency": null,
        "isVendorFlag": false,
        "types": [{"id": 1, "name": "Client"}],
        "site": {"id": 1000 + c.id, "name": "Main"},
        "_info": {
            "lastUpdated": stamp(c.last_updated),
            "updatedBy": "apiuser",
            "dateEntered": stamp(c.date_entered),
            "enteredBy": "jsmith",
            "contacts_href": format!("{base}company/contacts?conditions=company/id={}", c.id),
            "agreements_href": format!("{base}finance/agreements?conditions=company/id={}", c.id),
        },
    })
}

fn currency_ref(id: u64, base: &str) -> Value {
    let c = currency(id);
    json!({
        "id": c.id,
        "symbol": c.symbol,
        "currencyCode": c.identifier,
        "decimalSeparator": c.decimal_separator,
        "numberOfDecimals": c.decimals,
        "thousandsSeparator": c.thousands_separator,
        "negativeParenthesesFlag": false,
        "displaySymbolFlag": true,
        "currencyIdentifier": c.identifier,
        "displayIdFlag": false,
        "rightAlign": c.right_align,
        "name": c.name,
        "_info": {"currency_href": format!("{base}finance/currencies/{}", c.id)},
    })
}

pub(crate) fn agreement_json(w: &World, a: &Agreement, base: &str) -> Value {
    let company = w.companies.get(&a.company_id);
    let (ident, cname) = company.map_or((String::new(), String::new()), |c| {
        (c.identifier.clone(), c.name.clone())
    });
    let contact = company.map_or(Value::Null, |c| {
        json!({"id": c.contact.0, "name": c.contact.1, "_info": {"contact_href": format!("{base}company/contacts/{}", c.contact.0)}})
    });
    let cycle = billing_cycle(a.billing_cycle_id);
    json!({
        "id": a.id,
        "name": a.name,
        "type": {"id": a.type_ref.0, "name": a.type_ref.1, "_info": {"type_href": format!("{base}finance/agreements/types/{}", a.type_ref.0)}},
        "company": {"id": a.company_id, "identifier": ident, "name": cname, "_info": {"company_href": format!("{base}company/companies/{}", a.company_id)}},
        "contact": contact,
        "site": {"id": 1000 + a.company_id, "name": "Main"},
        "location": {"id": a.location.0, "name": a.location.1},
        "department": {"id": 10, "identifier": "Cloud", "name": "Cloud"},
        "restrictLocationFlag": false,
        "restrictDepartmentFlag": false,
        "startDate": date(a.start_date),
        "endDate": opt_date(a.end_date),
        "noEndingDateFlag": a.end_date.is_none(),
        "cancelledFlag": a.cancelled_flag,
        "reasonCancelled": a.reason_cancelled,
        "sla": {"id": 3, "name": "Standard SLA"},
        "workOrder": "",
        "internalNotes": "",
        "applicationUnits": "Amount",
        "applicationLimit": 0.0,
        "applicationCycle": "ContractYear",
        "applicationUnlimitedFlag": false,
        "oneTimeFlag": false,
        "coverAgreementTime": false,
        "coverAgreementProduct": false,
        "coverAgreementExpense": false,
        "coverSalesTax": false,
        "carryOverUnused": false,
        "allowOverruns": false,
        "expiredDays": 0,
        "limit": 0,
        "expireWhenZero": false,
        "chargeToFirm": false,
        "employeeCompRate": "Actual",
        "compHourlyRate": 0.0,
        "compLimitAmount": 0.0,
        "billingCycle": {"id": cycle.id, "name": cycle.name, "_info": {"billingCycle_href": format!("{base}finance/billingCycles/{}", cycle.id)}},
        "billOneTimeFlag": false,
        "billingTerms": {"id": 1, "name": "Net 30 days"},
        "invoicingCycle": "CalendarYear",
        "billAmount": num(a.bill_amount),
        "taxable": false,
        "prorateFirstBill": 0.0,
        "billStartDate": date(a.start_date),
        "taxCode": {"id": 11, "name": "Tax-State"},
        "restrictDownPayment": false,
        "prorateFlag": a.prorate_flag,
        "invoiceProratedAdditionsFlag": false,
        "invoiceDescription": a.invoice_description,
        "topComment": false,
        "bottomComment": false,
        "workRole": null,
        "workType": null,
        "projectType": null,
        "invoiceTemplate": {"id": 1, "name": "Default"},
        "billTime": "Billable",
        "billExpenses": "Billable",
        "billProducts": "Billable",
        "billableTimeInvoice": false,
        "billableExpenseInvoice": false,
        "billableProductInvoice": true,
        "currency": currency_ref(a.currency_id, base),
        "periodType": "Current",
        "autoInvoiceFlag": false,
        "nextInvoiceDate": a.next_invoice_date.map(day),
        "agreementStatus": a.status,
        "customFields": [{"id": 14, "caption": "Marketplace Subscription", "type": "Text", "entryMethod": "EntryField", "numberOfDecimals": 0, "value": null}],
        "_info": {
            "lastUpdated": stamp(a.last_updated),
            "updatedBy": "apiuser",
            "dateEntered": stamp(a.date_entered),
            "enteredBy": a.entered_by,
            "additions_href": format!("{base}finance/agreements/{}/additions", a.id),
        },
    })
}

pub(crate) fn addition_json(w: &World, a: &Addition, base: &str) -> Value {
    let ident = w
        .catalog
        .get(&a.product_id)
        .map_or_else(String::new, |c| c.identifier.clone());
    let ext_price = money(a.quantity * a.unit_price.unwrap_or_default());
    let ext_cost = money(a.quantity * a.unit_cost.unwrap_or_default());
    json!({
        "id": a.id,
        "product": {"id": a.product_id, "identifier": ident, "_info": {"product_href": format!("{base}procurement/catalog/{}", a.product_id)}},
        "quantity": num(a.quantity),
        "lessIncluded": num(a.less_included),
        "unitPrice": opt_num(a.unit_price),
        "unitCost": opt_num(a.unit_cost),
        "billCustomer": a.bill_customer,
        "effectiveDate": opt_date(a.effective_date),
        "cancelledDate": opt_date(a.cancelled_date),
        "taxableFlag": a.taxable_flag,
        "serialNumber": a.serial_number,
        "invoiceDescription": a.invoice_description,
        "purchaseItemFlag": false,
        "specialOrderFlag": false,
        "agreementId": a.agreement_id,
        "description": a.description,
        "billedQuantity": num(a.quantity - a.less_included),
        "uom": "Each",
        "extPrice": num(ext_price),
        "extCost": num(ext_cost),
        "sequenceNumber": f64::from(a.sequence_number),
        "margin": num(ext_price - ext_cost),
        "prorateCost": 0.0,
        "proratePrice": 0.0,
        "extendedProrateCost": 0.0,
        "extendedProratePrice": 0.0,
        "prorateCurrentPeriodFlag": false,
        "opportunity": null,
        "agreementStatus": a.status(w.today),
        "invoiceGrouping": {"id": 1, "name": "Default"},
        "customFields": addition_custom_fields(w, a),
        "_info": {
            "lastUpdated": stamp(a.last_updated),
            "updatedBy": a.updated_by,
            "dateEntered": stamp(a.date_entered),
            "enteredBy": a.entered_by,
        },
    })
}

/// The addition's `customFields`: the world's addition custom field with the addition's value
/// (a number for numeric types, a boolean for a checkbox), or none.
fn addition_custom_fields(w: &World, a: &Addition) -> Value {
    let Some(f) = &w.addition_custom_field else {
        return json!([]);
    };
    let value = match (a.custom_value.as_deref(), f.value_kind()) {
        (None, _) => Value::Null,
        (Some(v), CustomValueKind::Number) => {
            v.parse::<f64>().map_or_else(|_| json!(v), |n| json!(n))
        }
        (Some(v), CustomValueKind::Checkbox) => json!(v == "true"),
        (Some(v), _) => json!(v),
    };
    json!([{
        "id": f.id,
        "caption": f.caption,
        "type": f.field_type,
        "entryMethod": "EntryField",
        "numberOfDecimals": 0,
        "value": value,
    }])
}

pub(crate) fn catalog_json(c: &CatalogItem) -> Value {
    let cycle = c.recurring_cycle.map(billing_cycle);
    json!({
        "id": c.id,
        "identifier": c.identifier,
        "description": c.description,
        "inactiveFlag": c.inactive,
        "subcategory": {"id": c.subcategory.0, "name": c.subcategory.1},
        "type": {"id": c.item_type.0, "name": c.item_type.1},
        "productClass": "NonInventory",
        "serializedFlag": false,
        "serializedCostFlag": false,
        "phaseProductFlag": false,
        "unitOfMeasure": {"id": 1, "name": "Each"},
        "price": num(c.price),
        "cost": opt_num(c.cost),
        "priceAttribute": "FixedFee",
        "taxableFlag": c.taxable,
        "dropShipFlag": false,
        "specialOrderFlag": false,
        "customerDescription": c.customer_description,
        "manufacturerPartNumber": c.manufacturer_part_number,
        "vendorSku": c.vendor_sku,
        "recurringFlag": cycle.is_some(),
        "recurringRevenue": if cycle.is_some() { num(c.price) } else { json!(0.0) },
        "recurringCost": if cycle.is_some() { opt_num(c.cost) } else { json!(0.0) },
        "recurringOneTimeFlag": false,
        "recurringBillCycle": cycle.map_or(Value::Null, |b| json!({"id": b.id, "name": b.name})),
        "recurringCycleType": "ContractYear",
        "calculatedPriceFlag": false,
        "calculatedCostFlag": false,
        "_info": {"lastUpdated": stamp(c.last_updated)},
    })
}

fn billing_cycle_json(id: u64) -> Value {
    let b = billing_cycle(id);
    json!({"id": b.id, "identifier": b.identifier, "name": b.name, "billingOptions": b.options, "defaultFlag": b.default, "_info": {}})
}

fn currency_json(id: u64) -> Value {
    let c = currency(id);
    json!({
        "id": c.id,
        "currencyIdentifier": c.identifier,
        "name": c.name,
        "symbol": c.symbol,
        "displaySymbolFlag": true,
        "currencyCode": {"id": c.code_id, "name": c.identifier},
        "decimalSeparator": c.decimal_separator,
        "numberOfDecimals": c.decimals,
        "thousandsSeparator": c.thousands_separator,
        "negativeParenthesesFlag": false,
        "displayIdFlag": false,
        "rightAlign": c.right_align,
        "_info": {},
    })
}

// ---------------------------------------------------------------------------------------------
// Lists: conditions, orderBy, fields, paging

struct ListParams {
    conditions: Option<Expr>,
    /// `customFieldConditions`: a row matches when one of its `customFields` entries does.
    custom_field_conditions: Option<Expr>,
    order_by: Vec<OrderKey>,
    page_size: usize,
    page: usize,
    page_id: Option<u64>,
    forward_only: bool,
    fields: Option<Vec<Vec<String>>>,
    /// The other query parameters, in order, to carry into `Link` URLs.
    carry: Vec<(String, String)>,
}

fn query_pairs(raw: &str) -> Vec<(String, String)> {
    url::form_urlencoded::parse(raw.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

fn parse_fields(v: &str) -> Vec<Vec<String>> {
    v.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| s.split('/').map(str::to_string).collect())
        .collect()
}

fn parse_list(
    raw: &str,
    headers: &HeaderMap,
    resource: &str,
    schema: Option<&Value>,
) -> Result<ListParams, Response> {
    let mut p = ListParams {
        conditions: None,
        custom_field_conditions: None,
        order_by: Vec::new(),
        page_size: DEFAULT_PAGE_SIZE,
        page: 1,
        page_id: None,
        forward_only: headers
            .get("pagination-type")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("forward-only")),
        fields: None,
        carry: Vec::new(),
    };
    for (k, v) in query_pairs(raw) {
        match k.to_ascii_lowercase().as_str() {
            "conditions" => {
                if v.trim().is_empty() {
                    continue;
                }
                let e = conditions::parse(&v).map_err(|e| {
                    invalid(
                        "The conditions are invalid.",
                        resource,
                        "conditions",
                        &e.message,
                        "InvalidConditions",
                    )
                })?;
                if let Some(schema) = schema {
                    conditions::check_paths(e.paths(), schema).map_err(|e| {
                        invalid(
                            "The conditions are invalid.",
                            resource,
                            "conditions",
                            &e.message,
                            "InvalidField",
                        )
                    })?;
                }
                p.conditions = Some(e);
                p.carry.push((k, v));
            }
            "customfieldconditions" => {
                if v.trim().is_empty() {
                    continue;
                }
                let bad = |message: &str, code: &str| {
                    invalid(
                        "The customFieldConditions are invalid.",
                        resource,
                        "customFieldConditions",
                        message,
                        code,
                    )
                };
                let e = conditions::parse(&v).map_err(|e| bad(&e.message, "InvalidConditions"))?;
                let entry = json!({"id": 0, "caption": "", "type": "", "entryMethod": "", "numberOfDecimals": 0, "value": ""});
                conditions::check_paths(e.paths(), &entry)
                    .map_err(|e| bad(&e.message, "InvalidField"))?;
                p.custom_field_conditions = Some(e);
                p.carry.push((k, v));
            }
            "orderby" => {
                if v.trim().is_empty() {
                    continue;
                }
                let keys = conditions::parse_order_by(&v).map_err(|e| {
                    invalid(
                        "orderBy is invalid.",
                        resource,
                        "orderBy",
                        &e.message,
                        "InvalidOrderBy",
                    )
                })?;
                if let Some(schema) = schema {
                    conditions::check_paths(keys.iter().map(|k| k.path.as_slice()), schema)
                        .map_err(|e| {
                            invalid(
                                "orderBy is invalid.",
                                resource,
                                "orderBy",
                                &e.message,
                                "InvalidField",
                            )
                        })?;
                }
                p.order_by = keys;
                p.carry.push((k, v));
            }
            "pagesize" => {
                let n: usize = v.trim().parse().map_err(|_| {
                    invalid(
                        "pageSize is invalid.",
                        resource,
                        "pageSize",
                        &format!(
                            "pageSize must be a whole number from 1 to {MAX_PAGE_SIZE}, not '{v}'."
                        ),
                        "InvalidField",
                    )
                })?;
                if n == 0 {
                    return Err(invalid(
                        "pageSize is invalid.",
                        resource,
                        "pageSize",
                        &format!("pageSize must be a whole number from 1 to {MAX_PAGE_SIZE}."),
                        "InvalidField",
                    ));
                }
                // Larger page sizes are clamped to the maximum, as ConnectWise does.
                p.page_size = n.min(MAX_PAGE_SIZE);
            }
            "page" => {
                let n: usize = v.trim().parse().unwrap_or(0);
                if n == 0 {
                    return Err(invalid(
                        "page is invalid.",
                        resource,
                        "page",
                        &format!("page must be a whole number of at least 1, not '{v}'."),
                        "InvalidField",
                    ));
                }
                p.page = n;
            }
            "pageid" => {
                let n: u64 = v.trim().parse().map_err(|_| {
                    invalid(
                        "pageId is invalid.",
                        resource,
                        "pageId",
                        &format!("pageId must be a record id, not '{v}'."),
                        "InvalidField",
                    )
                })?;
                p.page_id = Some(n);
            }
            "fields" => {
                p.fields = Some(parse_fields(&v));
                p.carry.push((k, v));
            }
            _ => p.carry.push((k, v)),
        }
    }
    if p.forward_only
        && !p.order_by.is_empty()
        && !(p.order_by.len() == 1
            && p.order_by[0].path.len() == 1
            && p.order_by[0].path[0].eq_ignore_ascii_case("id")
            && !p.order_by[0].descending)
    {
        return Err(invalid(
            "orderBy is invalid.",
            resource,
            "orderBy",
            "Forward-only pagination always orders by id ascending; remove orderBy or use 'id asc'.",
            "InvalidOrderBy",
        ));
    }
    Ok(p)
}

/// Percent-encodes a query component (RFC 3986 unreserved characters and '/' stay as they are).
fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

impl ListParams {
    fn filters(&self) -> bool {
        self.conditions.is_some() || self.custom_field_conditions.is_some()
    }

    /// Whether a row passes `conditions` and `customFieldConditions`.
    fn keeps(&self, row: &Value) -> bool {
        self.conditions.as_ref().is_none_or(|c| c.matches(row))
            && self.custom_field_conditions.as_ref().is_none_or(|c| {
                row.get("customFields")
                    .and_then(Value::as_array)
                    .is_some_and(|fields| fields.iter().any(|f| c.matches(f)))
            })
    }
}

fn link_url(st: &SimState, path: &str, first: (&str, String), p: &ListParams) -> String {
    let mut q = format!("pageSize={}&{}={}", p.page_size, first.0, first.1);
    for (k, v) in &p.carry {
        q.push('&');
        q.push_str(&encode(k));
        q.push('=');
        q.push_str(&encode(v));
    }
    format!("{}{}?{}", st.origin, path, q)
}

/// Keeps only the requested fields (paths) of a row.
fn project(row: Value, fields: &[Vec<String>]) -> Value {
    let mut out = Map::new();
    for path in fields {
        let Some(v) = conditions::resolve(&row, path) else {
            continue;
        };
        let mut cur = &mut out;
        for (i, seg) in path.iter().enumerate() {
            // Use the row's own spelling of the key.
            if i + 1 == path.len() {
                cur.insert(seg.clone(), v.clone());
            } else {
                let entry = cur
                    .entry(seg.clone())
                    .or_insert_with(|| Value::Object(Map::new()));
                if !entry.is_object() {
                    *entry = Value::Object(Map::new());
                }
                match entry.as_object_mut() {
                    Some(m) => cur = m,
                    None => break,
                }
            }
        }
    }
    Value::Object(out)
}

fn finish(row: Value, fields: Option<&[Vec<String>]>) -> Value {
    match fields {
        Some(f) if !f.is_empty() => project(row, f),
        _ => row,
    }
}

/// Answers a list request over `items` (in ascending id order).
fn respond_list<'a, T: 'a>(
    st: &SimState,
    path: &str,
    p: &ListParams,
    items: impl Iterator<Item = &'a T>,
    id_of: impl Fn(&T) -> u64,
    render: impl Fn(&T) -> Value,
) -> Response {
    let keep = |row: &Value| p.keeps(row);
    let fields = p.fields.as_deref();
    if p.forward_only {
        let after = p.page_id.unwrap_or(0);
        let mut rows: Vec<(u64, Value)> = Vec::with_capacity(p.page_size + 1);
        for item in items {
            let id = id_of(item);
            if p.page_id.is_some() && id <= after {
                continue;
            }
            let row = render(item);
            if keep(&row) {
                rows.push((id, row));
                if rows.len() > p.page_size {
                    break;
                }
            }
        }
        let more = rows.len() > p.page_size;
        rows.truncate(p.page_size);
        let last_id = rows.last().map(|(id, _)| *id);
        let body: Vec<Value> = rows.into_iter().map(|(_, r)| finish(r, fields)).collect();
        let mut resp = Json(body).into_response();
        if let (true, Some(last)) = (more, last_id) {
            let link = format!(
                "<{}>; rel=\"next\"",
                link_url(st, path, ("pageId", last.to_string()), p)
            );
            if let Ok(v) = HeaderValue::from_str(&link) {
                resp.headers_mut().insert(LINK, v);
            }
        }
        resp.headers_mut()
            .insert("pagination-type", HeaderValue::from_static("forward-only"));
        return resp;
    }
    let mut rows: Vec<Value> = items.map(&render).filter(|r| keep(r)).collect();
    if !p.order_by.is_empty() {
        rows.sort_by(|a, b| conditions::cmp_rows(a, b, &p.order_by));
    }
    let total = rows.len();
    let pages = total.div_ceil(p.page_size).max(1);
    let start = (p.page - 1).saturating_mul(p.page_size);
    let body: Vec<Value> = rows
        .into_iter()
        .skip(start)
        .take(p.page_size)
        .map(|r| finish(r, fields))
        .collect();
    let mut links = Vec::new();
    if p.page > 1 {
        links.push(format!(
            "<{}>; rel=\"first\"",
            link_url(st, path, ("page", "1".into()), p)
        ));
        links.push(format!(
            "<{}>; rel=\"prev\"",
            link_url(st, path, ("page", (p.page - 1).min(pages).to_string()), p)
        ));
    }
    if p.page < pages {
        links.push(format!(
            "<{}>; rel=\"next\"",
            link_url(st, path, ("page", (p.page + 1).to_string()), p)
        ));
        links.push(format!(
            "<{}>; rel=\"last\"",
            link_url(st, path, ("page", pages.to_string()), p)
        ));
    }
    let mut resp = Json(body).into_response();
    if !links.is_empty() {
        if let Ok(v) = HeaderValue::from_str(&links.join(", ")) {
            resp.headers_mut().insert(LINK, v);
        }
    }
    resp
}

fn respond_count<'a, T: 'a>(
    p: &ListParams,
    items: impl Iterator<Item = &'a T>,
    render: impl Fn(&T) -> Value,
) -> Response {
    let count = if p.filters() {
        items.filter(|i| p.keeps(&render(i))).count()
    } else {
        items.count()
    };
    Json(json!({"count": count})).into_response()
}

fn single(row: Value, raw: Option<&str>) -> Response {
    let fields = raw
        .map(query_pairs)
        .unwrap_or_default()
        .into_iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("fields"))
        .map(|(_, v)| parse_fields(&v));
    Json(finish(row, fields.as_deref())).into_response()
}

fn parse_id(s: &str) -> Option<u64> {
    s.trim().parse().ok()
}

// ---------------------------------------------------------------------------------------------
// Handlers

type St = State<Arc<SimState>>;

pub(crate) async fn company_info(State(st): St, Path(company): Path<String>) -> Response {
    if !company.eq_ignore_ascii_case(&st.credentials.cw_company_id) {
        return not_found(&format!("Company '{company}' was not found."));
    }
    let site = st.origin.trim_start_matches("http://").to_string();
    Json(json!({
        "CompanyName": "Demo Cloud Reseller",
        "Codebase": "v4_6_release/",
        "VersionCode": "v2025.8",
        "VersionNumber": "v4.6.105873",
        "CompanyID": st.credentials.cw_company_id,
        "IsCloud": false,
        "SiteUrl": site,
    }))
    .into_response()
}

pub(crate) async fn system_info() -> Response {
    Json(json!({"version": "v2025.8", "isCloud": false, "serverTimeZone": "Eastern Standard Time", "licenseBits": [], "cloudRegion": "NA"}))
        .into_response()
}

macro_rules! list_handlers {
    ($list:ident, $count:ident, $resource:literal, $schema_id:expr, $coll:ident, $ty:ty, $render:path) => {
        pub(crate) async fn $list(
            State(st): St,
            headers: HeaderMap,
            uri: Uri,
            RawQuery(raw): RawQuery,
        ) -> Response {
            let w = st.read_world();
            let base = st.connectwise_base();
            let render = |x: &$ty| $render(&w, x, &base);
            let schema = w.$coll.get(&$schema_id).map(render);
            let p = match parse_list(
                raw.as_deref().unwrap_or(""),
                &headers,
                $resource,
                schema.as_ref(),
            ) {
                Ok(p) => p,
                Err(r) => return r,
            };
            respond_list(&st, uri.path(), &p, w.$coll.values(), |x| x.id, render)
        }

        pub(crate) async fn $count(
            State(st): St,
            headers: HeaderMap,
            RawQuery(raw): RawQuery,
        ) -> Response {
            let w = st.read_world();
            let base = st.connectwise_base();
            let render = |x: &$ty| $render(&w, x, &base);
            let schema = w.$coll.get(&$schema_id).map(render);
            let p = match parse_list(
                raw.as_deref().unwrap_or(""),
                &headers,
                $resource,
                schema.as_ref(),
            ) {
                Ok(p) => p,
                Err(r) => return r,
            };
            respond_count(&p, w.$coll.values(), render)
        }
    };
}

fn company_row(_w: &World, c: &Company, base: &str) -> Value {
    company_json(c, base)
}

fn catalog_row(_w: &World, c: &CatalogItem, _base: &str) -> Value {
    catalog_json(c)
}

list_handlers!(
    companies,
    companies_count,
    "company",
    250u64,
    companies,
    Company,
    company_row
);
list_handlers!(
    agreements,
    agreements_count,
    "agreement",
    4127u64,
    agreements,
    Agreement,
    agreement_json
);
list_handlers!(
    catalog,
    catalog_count,
    "catalogItem",
    611u64,
    catalog,
    CatalogItem,
    catalog_row
);

pub(crate) async fn company(
    State(st): St,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Response {
    let w = st.read_world();
    match parse_id(&id).and_then(|id| w.companies.get(&id)) {
        Some(c) => single(company_json(c, &st.connectwise_base()), raw.as_deref()),
        None => not_found(&format!("Company with id {id} was not found.")),
    }
}

pub(crate) async fn agreement(
    State(st): St,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Response {
    let w = st.read_world();
    match parse_id(&id).and_then(|id| w.agreements.get(&id)) {
        Some(a) => single(
            agreement_json(&w, a, &st.connectwise_base()),
            raw.as_deref(),
        ),
        None => not_found(&format!("Agreement with id {id} was not found.")),
    }
}

pub(crate) async fn catalog_item(
    State(st): St,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Response {
    let w = st.read_world();
    match parse_id(&id).and_then(|id| w.catalog.get(&id)) {
        Some(c) => single(catalog_json(c), raw.as_deref()),
        None => not_found(&format!("Catalog item with id {id} was not found.")),
    }
}

/// Any addition row (they all have the same fields; 30211 unless it was deleted).
fn addition_schema(w: &World, base: &str) -> Option<Value> {
    w.additions
        .get(&30211)
        .or_else(|| w.additions.values().next())
        .map(|a| addition_json(w, a, base))
}

pub(crate) async fn additions(
    State(st): St,
    Path(id): Path<String>,
    headers: HeaderMap,
    uri: Uri,
    RawQuery(raw): RawQuery,
) -> Response {
    let w = st.read_world();
    let Some(agreement) = parse_id(&id).and_then(|id| w.agreements.get(&id)) else {
        return not_found(&format!("Agreement with id {id} was not found."));
    };
    let base = st.connectwise_base();
    let schema = addition_schema(&w, &base);
    let p = match parse_list(
        raw.as_deref().unwrap_or(""),
        &headers,
        "agreementAddition",
        schema.as_ref(),
    ) {
        Ok(p) => p,
        Err(r) => return r,
    };
    let items = w.additions_of(agreement.id);
    respond_list(
        &st,
        uri.path(),
        &p,
        items.into_iter(),
        |a| a.id,
        |a| addition_json(&w, a, &base),
    )
}

pub(crate) async fn additions_count(
    State(st): St,
    Path(id): Path<String>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Response {
    let w = st.read_world();
    let Some(agreement) = parse_id(&id).and_then(|id| w.agreements.get(&id)) else {
        return not_found(&format!("Agreement with id {id} was not found."));
    };
    let base = st.connectwise_base();
    let schema = addition_schema(&w, &base);
    let p = match parse_list(
        raw.as_deref().unwrap_or(""),
        &headers,
        "agreementAddition",
        schema.as_ref(),
    ) {
        Ok(p) => p,
        Err(r) => return r,
    };
    respond_count(&p, w.additions_of(agreement.id).into_iter(), |a| {
        addition_json(&w, a, &base)
    })
}

pub(crate) async fn addition(
    State(st): St,
    Path((id, aid)): Path<(String, String)>,
    RawQuery(raw): RawQuery,
) -> Response {
    let w = st.read_world();
    let Some(agreement) = parse_id(&id).and_then(|id| w.agreements.get(&id)) else {
        return not_found(&format!("Agreement with id {id} was not found."));
    };
    match parse_id(&aid)
        .and_then(|aid| w.additions.get(&aid))
        .filter(|a| a.agreement_id == agreement.id)
    {
        Some(a) => single(addition_json(&w, a, &st.connectwise_base()), raw.as_deref()),
        None => not_found(&format!("Agreement addition with id {aid} was not found.")),
    }
}

pub(crate) async fn billing_cycles(
    State(st): St,
    headers: HeaderMap,
    uri: Uri,
    RawQuery(raw): RawQuery,
) -> Response {
    let schema = billing_cycle_json(1);
    let p = match parse_list(
        raw.as_deref().unwrap_or(""),
        &headers,
        "billingCycle",
        Some(&schema),
    ) {
        Ok(p) => p,
        Err(r) => return r,
    };
    respond_list(
        &st,
        uri.path(),
        &p,
        BILLING_CYCLES.iter(),
        |b| b.id,
        |b| billing_cycle_json(b.id),
    )
}

pub(crate) async fn billing_cycle_one(Path(id): Path<String>, RawQuery(raw): RawQuery) -> Response {
    match parse_id(&id).filter(|id| BILLING_CYCLES.iter().any(|b| b.id == *id)) {
        Some(id) => single(billing_cycle_json(id), raw.as_deref()),
        None => not_found(&format!("Billing cycle with id {id} was not found.")),
    }
}

pub(crate) async fn currencies(
    State(st): St,
    headers: HeaderMap,
    uri: Uri,
    RawQuery(raw): RawQuery,
) -> Response {
    let schema = currency_json(7);
    let p = match parse_list(
        raw.as_deref().unwrap_or(""),
        &headers,
        "currency",
        Some(&schema),
    ) {
        Ok(p) => p,
        Err(r) => return r,
    };
    respond_list(
        &st,
        uri.path(),
        &p,
        CURRENCIES.iter(),
        |c| c.id,
        |c| currency_json(c.id),
    )
}

pub(crate) async fn currency_one(Path(id): Path<String>, RawQuery(raw): RawQuery) -> Response {
    match parse_id(&id).filter(|id| CURRENCIES.iter().any(|c| c.id == *id)) {
        Some(id) => single(currency_json(id), raw.as_deref()),
        None => not_found(&format!("Currency with id {id} was not found.")),
    }
}
