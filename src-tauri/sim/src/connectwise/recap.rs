//! The invoicing side of ConnectWise the app may read, and what it must never write:
//! `GET finance/agreementrecap/{id}` (where an agreement's invoicing stands, SPEC §16), and the
//! refusal of any write to invoices.

use axum::extract::{Path, RawQuery, State};
use axum::http::{Method, StatusCode, Uri};
use axum::response::Response;
use serde_json::{json, Value};

use super::{date, day, error, not_found, num, parse_id, single, stamp, St};
use crate::world::{billing_cycle, Agreement, World};

/// The recap of an agreement: its invoice calendar (next invoice date, last invoice, how many
/// periods are due) with enough of the agreement to name it.
fn recap_json(w: &World, a: &Agreement, base: &str) -> Value {
    let company = w.companies.get(&a.company_id);
    let cycle = billing_cycle(a.billing_cycle_id);
    let last = a.last_invoice.as_ref();
    json!({
        "id": a.id,
        "name": a.name,
        "agreementStatus": a.status,
        "company": {
            "id": a.company_id,
            "identifier": company.map(|c| c.identifier.clone()),
            "name": company.map(|c| c.name.clone()),
        },
        "billingCycle": {"id": cycle.id, "name": cycle.name},
        "billAmount": num(a.bill_amount),
        "prorateFlag": a.prorate_flag,
        "nextInvoiceDate": a.next_invoice_date.map(day),
        "lastInvoiceDate": last.map(|l| date(l.date)),
        "lastInvoiceNumber": last.map(|l| l.number.clone()),
        "unbilledPeriods": a.unbilled_periods(w.today),
        "_info": {
            "lastUpdated": stamp(a.last_updated),
            "agreement_href": format!("{base}finance/agreements/{}", a.id),
        },
    })
}

/// `GET finance/agreementrecap/{id}` (takes `fields` like any single resource).
pub(crate) async fn agreement_recap(
    State(st): St,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Response {
    let w = st.read_world();
    match parse_id(&id).and_then(|id| w.agreements.get(&id)) {
        Some(a) => single(recap_json(&w, a, &st.connectwise_base()), raw.as_deref()),
        None => not_found(&format!("Agreement with id {id} was not found.")),
    }
}

/// `finance/agreements/{id}/invoice` and everything under `finance/invoices`: the simulator never
/// creates, changes or deletes an invoice (nor may the app, SPEC §16), so a write is refused
/// with 405, and a read finds nothing (404). The gateway records the request like any other, so
/// tests can assert the app never sent one.
pub(crate) async fn refuse_invoice_write(method: Method, uri: Uri) -> Response {
    let path = uri.path();
    if method == Method::GET {
        return not_found(&format!("No resource matches {path}"));
    }
    error(
        StatusCode::METHOD_NOT_ALLOWED,
        "MethodNotAllowed",
        &format!("{method} {path} is refused: invoices are never created, changed or deleted through this API."),
        Value::Null,
    )
}
