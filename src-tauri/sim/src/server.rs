//! The HTTP server: routes, the gateway middleware (recording, latency, faults, auth,
//! correlation ids) and the accept loop (which can drop a connection on demand).

use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::header::{CONTENT_LENGTH, CONTENT_TYPE, RETRY_AFTER};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post};
use axum::Router;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use serde_json::Value;
use tokio::net::TcpListener;
use tokio::sync::Notify;
use tower::ServiceExt;

use crate::connectwise as cw;
use crate::control;
use crate::correlation::Corr;
use crate::faults::{Fault, FaultKind, FaultTiming};
use crate::marketplace as mp;
use crate::state::SimState;

/// Lets a handler close the connection its request came on.
#[derive(Clone)]
pub(crate) struct ConnectionControl {
    abort: Arc<Notify>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Api {
    Marketplace,
    ConnectWise,
    Other,
}

fn api_of(path: &str) -> Api {
    if path.starts_with("/marketplace/") {
        Api::Marketplace
    } else if path.starts_with("/v4_6_release/") || path.starts_with("/login/") {
        Api::ConnectWise
    } else {
        Api::Other
    }
}

fn api_error(api: Api, status: StatusCode, message: &str, path: &str, corr: &str) -> Response {
    match api {
        Api::Marketplace => mp::error(status, message, path, corr),
        _ => {
            let code = match status {
                StatusCode::TOO_MANY_REQUESTS => "TooManyRequests",
                StatusCode::NOT_FOUND => "NotFound",
                StatusCode::METHOD_NOT_ALLOWED => "MethodNotAllowed",
                StatusCode::GATEWAY_TIMEOUT => "GatewayTimeout",
                _ => "UnexpectedError",
            };
            cw::error(status, code, message, Value::Null)
        }
    }
}

pub(crate) fn router(st: Arc<SimState>) -> Router {
    let c = "/v4_6_release/apis/3.0";
    Router::new()
        .route("/marketplace/{code}/token", post(mp::token))
        .route("/marketplace/{code}/orders", get(mp::orders))
        .route("/marketplace/{code}/orders/{id}", get(mp::order))
        .route("/marketplace/{code}/subscriptions", get(mp::subscriptions))
        .route(
            "/marketplace/{code}/subscriptions/{id}",
            get(mp::subscription),
        )
        .route("/marketplace/{code}/customers/{id}", get(mp::customer))
        .route("/login/companyinfo/{company}", get(cw::company_info))
        .route(&format!("{c}/system/info"), get(cw::system_info))
        .route(&format!("{c}/company/companies"), get(cw::companies))
        .route(
            &format!("{c}/company/companies/count"),
            get(cw::companies_count),
        )
        .route(&format!("{c}/company/companies/{{id}}"), get(cw::company))
        .route(&format!("{c}/finance/agreements"), get(cw::agreements))
        .route(
            &format!("{c}/finance/agreements/count"),
            get(cw::agreements_count),
        )
        .route(
            &format!("{c}/finance/agreements/{{id}}"),
            get(cw::agreement),
        )
        .route(
            &format!("{c}/finance/agreements/{{id}}/additions"),
            get(cw::additions).post(cw::create_addition),
        )
        .route(
            &format!("{c}/finance/agreements/{{id}}/additions/count"),
            get(cw::additions_count),
        )
        .route(
            &format!("{c}/finance/agreements/{{id}}/additions/{{aid}}"),
            get(cw::addition)
                .patch(cw::patch_addition)
                .delete(cw::delete_addition),
        )
        .route(
            &format!("{c}/finance/agreements/{{id}}/invoice"),
            any(cw::refuse_invoice_write),
        )
        .route(
            &format!("{c}/finance/agreementrecap/{{id}}"),
            get(cw::agreement_recap),
        )
        .route(
            &format!("{c}/finance/invoices"),
            any(cw::refuse_invoice_write),
        )
        .route(
            &format!("{c}/finance/invoices/{{*rest}}"),
            any(cw::refuse_invoice_write),
        )
        .route(&format!("{c}/procurement/catalog"), get(cw::catalog))
        .route(
            &format!("{c}/procurement/catalog/count"),
            get(cw::catalog_count),
        )
        .route(
            &format!("{c}/procurement/catalog/{{id}}"),
            get(cw::catalog_item),
        )
        .route(
            &format!("{c}/finance/billingCycles"),
            get(cw::billing_cycles),
        )
        .route(
            &format!("{c}/finance/billingCycles/{{id}}"),
            get(cw::billing_cycle_one),
        )
        .route(&format!("{c}/finance/currencies"), get(cw::currencies))
        .route(
            &format!("{c}/finance/currencies/{{id}}"),
            get(cw::currency_one),
        )
        .route(
            "/_sim/requests",
            get(control::requests).delete(control::clear_requests),
        )
        .route(
            "/_sim/faults",
            post(control::set_faults).delete(control::clear_faults),
        )
        .route(
            "/_sim/permissions",
            post(control::set_denied).delete(control::clear_denied),
        )
        .route("/_sim/orders", post(control::create_order))
        .route("/_sim/orders/{id}/status", post(control::set_order_status))
        .route("/_sim/expire-tokens", post(control::expire_tokens))
        .route("/_sim/latency", post(control::set_latency))
        .route("/_sim/order-listing", post(control::set_order_listing))
        .route(
            "/_sim/addition-custom-field",
            post(control::set_addition_custom_field).delete(control::clear_addition_custom_field),
        )
        .route("/_sim/hold-creates", post(control::hold_creates))
        .route("/_sim/invoice-run", post(control::invoice_run))
        .route("/_sim/invoices", get(control::invoices))
        .route(
            "/_sim/agreements/{id}/calendar",
            post(control::set_agreement_calendar),
        )
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(middleware::from_fn_with_state(st.clone(), gateway))
        .with_state(st)
}

async fn not_found(req: Request) -> Response {
    let path = req.uri().path().to_string();
    let corr = req
        .extensions()
        .get::<Corr>()
        .map_or_else(String::new, |c| c.0.clone());
    api_error(
        api_of(&path),
        StatusCode::NOT_FOUND,
        &format!("No resource matches {path}"),
        &path,
        &corr,
    )
}

async fn method_not_allowed(req: Request) -> Response {
    let path = req.uri().path().to_string();
    let corr = req
        .extensions()
        .get::<Corr>()
        .map_or_else(String::new, |c| c.0.clone());
    api_error(
        api_of(&path),
        StatusCode::METHOD_NOT_ALLOWED,
        &format!("{} is not supported on {path}", req.method()),
        &path,
        &corr,
    )
}

/// Auth for the API the path belongs to, then the handler.
async fn authorized(st: &SimState, api: Api, req: Request, next: Next, corr: &str) -> Response {
    let path = req.uri().path();
    let check = match api {
        Api::Marketplace => mp::authorize(st, req.headers(), path, corr),
        Api::ConnectWise if path.starts_with(cw::API_PREFIX) => cw::authorize(st, req.headers())
            .and_then(|()| cw::check_permission(st, req.method().as_str(), path)),
        _ => Ok(()),
    };
    match check {
        Ok(()) => next.run(req).await,
        Err(r) => r,
    }
}

/// A sign-in page as a proxy or a wrong address sends it, with status 200.
const WEB_PAGE: &str = "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>Sign in</title></head>\n<body>\n<h1>Sign in to continue</h1>\n<form method=\"post\" action=\"/login\"><input name=\"user\"><input name=\"password\" type=\"password\"><button>Sign in</button></form>\n</body>\n</html>\n";

/// The handler's answer, altered by a fault that keeps the status 200: cut in half, replaced by
/// a web page, or with one field of its records in another shape.
async fn alter(kind: &FaultKind, resp: Response) -> Response {
    let (mut parts, body) = resp.into_parts();
    let bytes = axum::body::to_bytes(body, usize::MAX)
        .await
        .unwrap_or_default();
    let (content_type, body) = match kind {
        FaultKind::WebPage => (
            "text/html; charset=utf-8",
            Bytes::from_static(WEB_PAGE.as_bytes()),
        ),
        FaultKind::Reshape(reshape) => {
            let body = match serde_json::from_slice::<Value>(&bytes) {
                Ok(mut json) => {
                    reshape.apply(&mut json);
                    Bytes::from(json.to_string())
                }
                Err(_) => bytes,
            };
            ("application/json", body)
        }
        _ => {
            let cut = if bytes.len() > 1 {
                bytes.slice(..bytes.len() / 2)
            } else {
                Bytes::from_static(b"{\"data\": [")
            };
            ("application/json", cut)
        }
    };
    parts.status = StatusCode::OK;
    parts.headers.remove(CONTENT_LENGTH);
    parts
        .headers
        .insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    Response::from_parts(parts, Body::from(body))
}

async fn gateway(State(st): State<Arc<SimState>>, mut req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    if path == "/_sim" || path.starts_with("/_sim/") {
        return next.run(req).await;
    }
    let method = req.method().as_str().to_string();
    let query = req.uri().query().unwrap_or("").to_string();
    let api = api_of(&path);
    let corr = st.correlation_id();
    req.extensions_mut().insert(Corr(corr.clone()));
    let slot = st.record(&method, &path, &query);
    tracing::debug!(%method, %path, %query, "request");

    let latency = st.latency();
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    let mut resp = match st.take_fault(&method, &path) {
        None => authorized(&st, api, req, next, &corr).await,
        Some(Fault { kind, .. }) if kind.alters_answer() => {
            alter(&kind, authorized(&st, api, req, next, &corr).await).await
        }
        Some(Fault {
            kind,
            when: FaultTiming::Before,
        }) => {
            let ctl = req.extensions().get::<ConnectionControl>().cloned();
            strike(&st, api, &kind, ctl, &path, &corr).await
        }
        Some(Fault {
            kind,
            when: FaultTiming::After,
        }) => {
            let ctl = req.extensions().get::<ConnectionControl>().cloned();
            // The handler runs to completion (its changes stay); its answer is thrown away.
            let real = authorized(&st, api, req, next, &corr).await;
            drop(real);
            strike(&st, api, &kind, ctl, &path, &corr).await
        }
    };
    if api == Api::Marketplace {
        if let Ok(v) = HeaderValue::from_str(&corr) {
            resp.headers_mut().insert(mp::CORRELATION_HEADER, v);
        }
    }
    st.record_status(slot, resp.status().as_u16());
    resp
}

/// The response of a fault that replaces the handler's answer (all kinds but those that alter
/// the answer, which the caller handles).
async fn strike(
    st: &SimState,
    api: Api,
    kind: &FaultKind,
    ctl: Option<ConnectionControl>,
    path: &str,
    corr: &str,
) -> Response {
    match kind {
        FaultKind::ServerError
        | FaultKind::MalformedBody
        | FaultKind::WebPage
        | FaultKind::Reshape(_) => api_error(
            api,
            StatusCode::INTERNAL_SERVER_ERROR,
            "An unexpected error occurred. Please try again later.",
            path,
            corr,
        ),
        FaultKind::TooManyRequests { retry_after_secs } => {
            let mut r = api_error(
                api,
                StatusCode::TOO_MANY_REQUESTS,
                &format!("Too many requests. Retry after {retry_after_secs} seconds."),
                path,
                corr,
            );
            r.headers_mut()
                .insert(RETRY_AFTER, HeaderValue::from(*retry_after_secs));
            r
        }
        FaultKind::Timeout => {
            let mut shutdown = st.shutdown.subscribe();
            tokio::select! {
                _ = tokio::time::sleep(Duration::from_secs(60)) => {}
                _ = stopped(&mut shutdown) => {}
            }
            api_error(
                api,
                StatusCode::GATEWAY_TIMEOUT,
                "The request timed out.",
                path,
                corr,
            )
        }
        FaultKind::DropConnection => match ctl {
            Some(ctl) => {
                ctl.abort.notify_one();
                // The connection task drops this request with its connection.
                std::future::pending::<()>().await;
                StatusCode::BAD_GATEWAY.into_response()
            }
            None => StatusCode::BAD_GATEWAY.into_response(),
        },
    }
}

/// Resolves when shutdown is requested (or can no longer be).
async fn stopped(rx: &mut tokio::sync::watch::Receiver<bool>) {
    let _ = rx.wait_for(|stop| *stop).await;
}

/// Serves connections until shutdown. Each connection can be dropped by a handler (fault
/// injection); on shutdown, idle connections close and busy ones finish their request.
pub(crate) async fn serve(listener: TcpListener, router: Router, st: Arc<SimState>) {
    let mut shutdown = st.shutdown.subscribe();
    loop {
        let stream = tokio::select! {
            r = listener.accept() => match r {
                Ok((stream, _)) => stream,
                Err(e) => {
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = stopped(&mut shutdown) => break,
        };
        let _ = stream.set_nodelay(true);
        let router = router.clone();
        let mut conn_shutdown = st.shutdown.subscribe();
        tokio::spawn(async move {
            let abort = Arc::new(Notify::new());
            let ctl = ConnectionControl {
                abort: abort.clone(),
            };
            let svc = service_fn(move |mut req: hyper::Request<Incoming>| {
                req.extensions_mut().insert(ctl.clone());
                router.clone().oneshot(req)
            });
            let conn = http1::Builder::new()
                .timer(TokioTimer::new())
                .serve_connection(TokioIo::new(stream), svc);
            tokio::pin!(conn);
            let mut closing = false;
            loop {
                tokio::select! {
                    _ = conn.as_mut() => break,
                    _ = abort.notified() => break,
                    _ = stopped(&mut conn_shutdown), if !closing => {
                        closing = true;
                        conn.as_mut().graceful_shutdown();
                    }
                }
            }
        });
    }
    tracing::debug!("simulator stopped accepting connections");
}
