//! The HTTP surface: the document's endpoints, nothing else.
//!
//! The main host serves `POST /v3/cashout` and the status call; the card
//! host serves only `POST /v3/cashout`, for Mexican debit cards. Every
//! request passes [`gate`] (injected faults) first; each endpoint then
//! reads the JSON, checks `login`/`pass`, checks `Payload-Signature` over
//! the exact bytes received, and only then looks at the fields.

use super::Shared;
use super::deliver::schedule_progress;
use super::fields::{self, invalid};
use super::state::{ApiError, SimCashout};
use crate::server;
use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use cashdesk_zimo_pagos::assumptions::{CARD_DIGITS, MEXICO, SIGNATURE_HEADER};
use cashdesk_zimo_pagos::mexico::luhn_valid;
use cashdesk_zimo_pagos::wire::CreateResponse;
use cashdesk_zimo_pagos::{CashoutRequest, CashoutStatus, Endpoint, signature};
use serde_json::{Map, Value};
use std::sync::Arc;
use std::time::SystemTime;

type S = State<Arc<Shared>>;

/// The main host: cashouts to bank accounts, and the status call.
pub(crate) fn main_router(shared: Arc<Shared>) -> Router {
    let p = shared.config.paths.clone();
    Router::new()
        .route(&p.cashout, post(create_standard))
        .route(&p.status, post(status))
        .fallback(not_found)
        .method_not_allowed_fallback(not_found)
        .layer(middleware::from_fn_with_state(shared.clone(), gate))
        .with_state(shared)
}

/// The card host: cashouts to Mexican debit cards only.
pub(crate) fn card_router(shared: Arc<Shared>) -> Router {
    let p = shared.config.paths.clone();
    Router::new()
        .route(&p.cashout, post(create_card))
        .fallback(not_found)
        .method_not_allowed_fallback(not_found)
        .layer(middleware::from_fn_with_state(shared.clone(), gate))
        .with_state(shared)
}

async fn not_found() -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, 404, "No such endpoint")
}

async fn gate(State(s): S, req: Request, next: Next) -> Response {
    let (latency, rate_limit, fail) = {
        let mut inner = s.lock();
        inner.requests += 1;
        let rate_limit = inner.faults.take_rate_limit();
        let fail = rate_limit.is_none() && inner.faults.take_500();
        (inner.faults.latency, rate_limit, fail)
    };
    if let Some(d) = latency {
        tokio::time::sleep(d).await;
    }
    if let Some(form) = rate_limit {
        let mut resp =
            ApiError::new(StatusCode::TOO_MANY_REQUESTS, 429, "Too many requests").into_response();
        if let Ok(v) = HeaderValue::from_str(&form.header_value(SystemTime::now())) {
            resp.headers_mut().insert(header::RETRY_AFTER, v);
        }
        return resp;
    }
    if fail {
        return ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            500,
            "Internal server error",
        )
        .into_response();
    }
    let resp = next.run(req).await;
    if resp.status().is_success() && s.lock().faults.take_malformed() {
        let mut bad = (StatusCode::OK, r#"{"cashout_id": 12"#).into_response();
        bad.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        return bad;
    }
    resp
}

/// Faults that hit after a cashout was committed.
async fn after_commit(s: &Shared, resp: Response) -> Response {
    let (drop, hang) = {
        let mut inner = s.lock();
        (inner.faults.take_drop(), inner.faults.hang_after_commit)
    };
    if drop {
        return server::drop_connection();
    }
    if let Some(d) = hang {
        tokio::time::sleep(d).await;
    }
    // A push sent at once goes first: the answer waits for it to be on its way.
    let delay = s.lock().unstated.answer_delay();
    tokio::time::sleep(delay).await;
    resp
}

/// JSON body, then `login`/`pass`, then the signature of the exact bytes.
fn authenticated(
    s: &Shared,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Map<String, Value>, ApiError> {
    let codes = &s.config.codes;
    let f = fields::object(codes, headers, body)?;
    let login = fields::string(codes, &f, "login")?;
    let pass = fields::string(codes, &f, "pass")?;
    if login.as_deref() != Some(s.config.login.as_str())
        || pass.as_deref() != Some(s.config.pass.as_str())
    {
        return Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            codes.invalid_credentials,
            "Invalid credentials",
        ));
    }
    let sig = headers
        .get(SIGNATURE_HEADER)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if !signature::verify(s.config.signing_secret.as_bytes(), body, sig) {
        return Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            codes.invalid_signature,
            "Invalid control string: Payload-Signature does not match the request body",
        ));
    }
    Ok(f)
}

async fn create_standard(State(s): S, headers: HeaderMap, body: Bytes) -> Response {
    create(s, Endpoint::Standard, headers, body).await
}

async fn create_card(State(s): S, headers: HeaderMap, body: Bytes) -> Response {
    create(s, Endpoint::DebitCard, headers, body).await
}

async fn create(s: Arc<Shared>, endpoint: Endpoint, headers: HeaderMap, body: Bytes) -> Response {
    match commit(&s, endpoint, &headers, &body) {
        Ok(c) => {
            schedule_progress(s.clone(), c.cashout_id);
            let resp = Json(CreateResponse {
                cashout_id: c.cashout_id,
            });
            after_commit(&s, resp.into_response()).await
        }
        Err(e) => e.into_response(),
    }
}

/// Authenticates, reads and checks the cashout, then commits it (or not).
fn commit(
    s: &Shared,
    endpoint: Endpoint,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<SimCashout, ApiError> {
    let f = authenticated(s, headers, body)?;
    if let Some(refusal) = s.lock().refuse_next.take() {
        return Err(refusal);
    }
    let req = fields::cashout_request(&s.config.codes, &f)?;
    check(s, &req, endpoint)?;
    let duplicate = s.config.codes.duplicate_external_id;
    let mut inner = s.lock();
    let pays_repeats = inner.unstated.pays_repeats();
    inner.ledger.create(req, endpoint, duplicate, pays_repeats)
}

/// The documented rules, and the documented refusals of the wrong endpoint.
fn check(s: &Shared, req: &CashoutRequest, endpoint: Endpoint) -> Result<(), ApiError> {
    let codes = &s.config.codes;
    let routed = req
        .validate(&s.config.validation)
        .map_err(|e| invalid(codes, e))?;
    let refuse =
        |message: &str| ApiError::new(StatusCode::BAD_REQUEST, codes.invalid_params, message);
    match (endpoint, routed) {
        (Endpoint::Standard, Endpoint::DebitCard) => Err(refuse(
            "Invalid bank account, it shouldn't be a credit card",
        )),
        (Endpoint::DebitCard, _) if req.country != MEXICO => Err(refuse(
            "Invalid params: country: cashouts to debit cards are only available in MX",
        )),
        (Endpoint::DebitCard, _) => {
            let account = req.bank_account.as_deref().unwrap_or_default();
            if CARD_DIGITS.contains(&account.len()) && luhn_valid(account) {
                Ok(())
            } else {
                Err(refuse(
                    "Invalid bank_account, it should be a valid debit card number",
                ))
            }
        }
        (Endpoint::Standard, Endpoint::Standard) => Ok(()),
    }
}

async fn status(
    State(s): S,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<CashoutStatus>, ApiError> {
    let f = authenticated(&s, &headers, &body)?;
    let q = fields::status_query(&s.config.codes, &f)?;
    let found = {
        let mut inner = s.lock();
        inner.status_calls += 1;
        inner
            .ledger
            .find(&q)
            .filter(|c| inner.unstated.visible(c.made))
            .map(SimCashout::status_body)
    };
    match found {
        Some(body) => Ok(Json(body)),
        None => Err(ApiError::new(
            StatusCode::PRECONDITION_FAILED,
            s.config.codes.not_found,
            "Cashout not found with this ID",
        )),
    }
}
