//! The HTTP surface: the document's five endpoints, nothing else.
//!
//! Every request passes [`gate`] first: injected faults, then the
//! configured auth. Handlers bring the book up to now before reading it,
//! and the two POSTs (create, cancel) are the ones hit by the
//! after-commit faults.

use super::chain;
use super::fields;
use super::records::SimError;
use super::{Replay, Shared};
use crate::server;
use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use cashdesk_cashweb::Status;
use cashdesk_cashweb::assumptions::{
    AuthScheme, IDEMPOTENCY_KEY_HEADER, LIST_LIMIT_MAX, LIST_LIMIT_MIN, codes,
};
use cashdesk_cashweb::wire::{Envelope, ListBody};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::SystemTime;

type S = State<Arc<Shared>>;

pub(crate) fn router(shared: Arc<Shared>) -> Router {
    let p = shared.config.paths.clone();
    Router::new()
        .route(&p.transactions, post(create).get(list))
        .route(&p.transaction, get(by_id))
        .route(&p.by_reference, get(by_reference))
        .route(&p.cancel, post(cancel))
        .fallback(|| async { SimError::not_found("No such endpoint") })
        .method_not_allowed_fallback(|| async { SimError::not_found("No such endpoint") })
        .layer(middleware::from_fn_with_state(shared.clone(), gate))
        .with_state(shared)
}

enum Forced {
    RateLimited(String),
    ServerError,
}

async fn gate(State(s): S, req: Request, next: Next) -> Response {
    let (latency, forced) = {
        let mut inner = s.lock();
        inner.requests += 1;
        let forced = match inner.faults.take_rate_limit() {
            Some(form) => Some(Forced::RateLimited(form.header_value(SystemTime::now()))),
            None if inner.faults.take_500() => Some(Forced::ServerError),
            None => None,
        };
        (inner.faults.latency, forced)
    };
    if let Some(d) = latency {
        tokio::time::sleep(d).await;
    }
    match forced {
        Some(Forced::RateLimited(retry_after)) => {
            let mut resp = SimError::new(
                StatusCode::TOO_MANY_REQUESTS,
                codes::RATE_LIMITED,
                "Too many requests; slow down",
            )
            .into_response();
            if let Ok(v) = HeaderValue::from_str(&retry_after) {
                resp.headers_mut().insert(header::RETRY_AFTER, v);
            }
            return resp;
        }
        Some(Forced::ServerError) => {
            return SimError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                codes::INTERNAL_ERROR,
                "Internal error; nothing was done",
            )
            .into_response();
        }
        None => {}
    }
    if !authorised(&s, req.headers()) {
        return SimError::new(
            StatusCode::UNAUTHORIZED,
            codes::UNAUTHORIZED,
            "Missing or invalid API key",
        )
        .into_response();
    }
    let resp = next.run(req).await;
    if resp.status().is_success() && s.lock().faults.take_malformed() {
        let mut bad = (resp.status(), r#"{"success":true,"data":{"id":"019"#).into_response();
        bad.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        return bad;
    }
    resp
}

fn authorised(s: &Shared, headers: &HeaderMap) -> bool {
    let key = &s.config.api_key;
    let (name, expected) = match &s.config.auth {
        AuthScheme::Bearer => (header::AUTHORIZATION.as_str(), format!("Bearer {key}")),
        AuthScheme::Header { name } => (name.as_str(), key.clone()),
    };
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v == expected)
}

/// Faults that hit after a create or cancel was committed.
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
    resp
}

async fn create(State(s): S, headers: HeaderMap, body: Bytes) -> Result<Response, SimError> {
    let f = fields::object(&headers, &body)?;
    let new = fields::new_transaction(&f)?;
    let now = chain::now();
    let created = {
        let mut inner = s.lock();
        inner.book.advance(now);
        inner.book.create(new, now)?
    };
    let body = Envelope {
        success: true,
        data: created.created(),
    };
    let resp = (StatusCode::CREATED, Json(body)).into_response();
    Ok(after_commit(&s, resp).await)
}

async fn by_id(State(s): S, Path(id): Path<String>) -> Result<Response, SimError> {
    let mut inner = s.lock();
    inner.book.advance(chain::now());
    let t = shown(inner.book.get(&id)?, &inner);
    Ok(Json(Envelope {
        success: true,
        data: t,
    })
    .into_response())
}

async fn by_reference(State(s): S, Path(reference): Path<String>) -> Result<Response, SimError> {
    let mut inner = s.lock();
    inner.book.advance(chain::now());
    let t = shown(inner.book.by_reference(&reference)?, &inner);
    Ok(Json(Envelope {
        success: true,
        data: t,
    })
    .into_response())
}

async fn list(
    State(s): S,
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
) -> Result<Response, SimError> {
    let Query(q) = query.map_err(|e| SimError::invalid(format!("query is not usable: {e}")))?;
    let limit = match q.get("limit") {
        None => s.config.default_list_limit,
        Some(text) => text
            .parse::<u32>()
            .ok()
            .filter(|n| (LIST_LIMIT_MIN..=LIST_LIMIT_MAX).contains(n))
            .ok_or_else(|| {
                SimError::invalid(format!(
                    "limit must be a whole number from 1 to 100, got \"{text}\""
                ))
            })?,
    };
    let mut inner = s.lock();
    let after = match q.get("cursor") {
        None => None,
        Some(c) => Some(inner.book.cursors.decode(c).ok_or_else(|| {
            SimError::invalid_cursor(
                "cursor was not issued by CashWeb; pass next_cursor exactly as received, \
                 or omit it to start from the newest",
            )
        })?),
    };
    inner.book.advance(chain::now());
    let (page, next) = inner
        .book
        .page(limit as usize, after, inner.unstated.list_order);
    let body = ListBody::<serde_json::Value> {
        success: true,
        data: page
            .into_iter()
            .map(|t| {
                let mut v = serde_json::to_value(shown(t, &inner)).unwrap_or_default();
                if inner.garbled.contains(&t.id) {
                    v["crypto_amount"] = serde_json::json!({"value": "unreadable"});
                }
                v
            })
            .collect(),
        next_cursor: next.map(|n| inner.book.cursors.encode(n)),
    };
    Ok(Json(body).into_response())
}

/// Idempotent per (transaction, key): a repeated key gets the first
/// answer byte for byte, whether that was the cancelled transaction or a
/// 409. A 404 is not remembered, since nothing was decided.
async fn cancel(
    State(s): S,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, SimError> {
    let key = headers
        .get(IDEMPOTENCY_KEY_HEADER)
        .and_then(|v| v.to_str().ok())
        .filter(|k| !k.trim().is_empty())
        .ok_or_else(|| SimError::invalid("Idempotency-Key header is required to cancel"))?
        .to_owned();
    let replay = {
        let mut inner = s.lock();
        let slot = (id.clone(), key);
        match inner.cancels.get(&slot) {
            Some(stored) => stored.clone(),
            None => {
                let now = chain::now();
                inner.book.advance(now);
                let stored = match inner.book.cancel(&id, now) {
                    Ok(t) => Replay::json(
                        StatusCode::OK,
                        &Envelope {
                            success: true,
                            data: shown(&t, &inner),
                        },
                    ),
                    Err(e) if e.status == StatusCode::CONFLICT => Replay::json(e.status, &e.body()),
                    Err(e) => return Err(e),
                };
                inner.cancels.insert(slot, stored.clone());
                stored
            }
        }
    };
    Ok(after_commit(&s, replay.into_response()).await)
}

/// The transaction as CashWeb shows it, under the status names the test
/// picked (the document names only `awaiting_deposit`).
fn shown(
    t: &super::records::SimTransaction,
    inner: &super::Inner,
) -> cashdesk_cashweb::Transaction {
    let mut out = t.tsq();
    if let Some(name) = inner.odd_status.get(&t.id) {
        out.status = Status::Other(name.clone());
        return out;
    }
    if inner.unstated.status_names == crate::StatusNames::Other {
        let other = match out.status {
            Status::DepositDetected => Some("deposit_seen"),
            Status::Confirming => Some("processing"),
            Status::Confirmed => Some("completed"),
            _ => None,
        };
        if let Some(name) = other {
            out.status = Status::Other(name.to_owned());
        }
    }
    out
}
