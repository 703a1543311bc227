//! The local HTTP server: provider webhooks and the operator intake API.
//! Loopback by default; every route authenticated (provider signature or
//! the intake bearer token); requests naming another host refused
//! (`host.rs`); connections capped and headers, bodies and answers timed
//! out (`listen.rs`); internal error text logged, never sent to callers.

mod host;
mod listen;

pub use listen::{HEADER_READ_TIMEOUT, MAX_CONNECTIONS};

use crate::app::{Cashdesk, HttpInfo};
use crate::error::{CoreError, CoreResult};
use crate::intake_http;
use crate::providers::zexabit::{self, WebhookReply};
use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Json, Response};
use axum::routing::{get, post};
use cashdesk_domain::AccountId;
use std::time::Duration;
use tower_http::timeout::TimeoutLayer;

const MAX_BODY: usize = 256 * 1024;

pub(crate) async fn start(app: &Cashdesk) -> CoreResult<()> {
    let addr = app.config().http_addr;
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|source| CoreError::Bind {
            addr: addr.to_string(),
            source,
        })?;
    let local = listener.local_addr().map_err(|source| CoreError::Bind {
        addr: addr.to_string(),
        source,
    })?;
    let (token, token_in_keychain) = intake_http::token(app);
    *app.inner.http.lock().unwrap_or_else(|e| e.into_inner()) = Some(HttpInfo {
        addr: local,
        intake_token: token,
        token_in_keychain,
    });
    if !local.ip().is_loopback() {
        tracing::warn!(
            "local HTTP server bound beyond loopback, on {local}: other machines can reach it. \
             Every route still needs a provider signature or the intake token, and requests \
             must name this desk's address or a host in CASHDESK_HTTP_HOSTS"
        );
    }
    let hosts = host::Hosts::new(local, &app.config().http_hosts);
    let router = Router::new()
        .route("/webhooks/zexabit/{account}", post(zexabit_webhook))
        .route(
            "/notifications/zimo-pagos/{account}",
            post(zimo_notification),
        )
        .route("/postbacks/paykassma/{account}", post(paykassma_postback))
        .route("/intake/v1/requests", post(intake_http::create))
        .route("/intake/v1/requests/{intake_ref}", get(intake_http::read))
        .route("/intake/v1/openapi.json", get(intake_http::openapi))
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(10),
        ))
        .layer(axum::middleware::from_fn_with_state(
            (app.clone(), hosts),
            host::guard,
        ))
        .with_state(app.clone());
    tokio::spawn(listen::serve(listener, router));
    tracing::info!("local HTTP server on http://{local}");
    Ok(())
}

pub(crate) fn error(status: StatusCode, message: impl Into<String>) -> Response {
    (status, Json(serde_json::json!({ "error": message.into() }))).into_response()
}

/// An error of ours: the caller learns that it may send again and a
/// reference to quote; the text (paths, SQL, provider details) goes only
/// to the desk's log.
pub(crate) fn internal(status: StatusCode, e: &dyn std::fmt::Display) -> Response {
    let reference = uuid::Uuid::new_v4().simple().to_string()[..8].to_owned();
    tracing::error!(%reference, "local HTTP server: {e}");
    error(
        status,
        format!(
            "the desk could not handle this now; nothing was changed, send it again later (reference {reference})"
        ),
    )
}

/// 500 makes the provider retry later: nothing was lost on our side.
pub(crate) fn core_error(e: CoreError) -> Response {
    match e {
        CoreError::Invalid(m) => error(StatusCode::BAD_REQUEST, m),
        CoreError::Store(cashdesk_store::StoreError::NotFound(m)) => {
            error(StatusCode::NOT_FOUND, m)
        }
        CoreError::Store(
            e @ (cashdesk_store::StoreError::IntakeRefReused { .. }
            | cashdesk_store::StoreError::Conflict(_)),
        ) => error(StatusCode::CONFLICT, e.to_string()),
        // Nothing was saved; the caller may retry once space is freed.
        CoreError::Store(e @ cashdesk_store::StoreError::DiskFull { .. }) => {
            tracing::error!("local HTTP server: {e}");
            error(
                StatusCode::INSUFFICIENT_STORAGE,
                "the desk's disk is full: nothing was saved; send it again later",
            )
        }
        other => internal(StatusCode::INTERNAL_SERVER_ERROR, &other),
    }
}

async fn zexabit_webhook(
    State(app): State<Cashdesk>,
    Path(account): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Ok(account) = account.parse::<AccountId>() else {
        return error(StatusCode::NOT_FOUND, "unknown account");
    };
    let sig = headers
        .get("x-zexabit-signature")
        .and_then(|v| v.to_str().ok());
    let app2 = app.clone();
    let body2 = body.clone();
    let sig = sig.map(str::to_owned);
    let result = tokio::task::spawn_blocking(move || {
        zexabit::apply_webhook(&app2, account, sig.as_deref(), &body2)
    })
    .await;
    match result {
        Ok(Ok(WebhookReply::Ok(msg))) => (StatusCode::OK, msg).into_response(),
        Ok(Ok(WebhookReply::Refused(code, msg))) => {
            tracing::warn!(%account, "webhook refused: {msg}");
            error(
                StatusCode::from_u16(code).unwrap_or(StatusCode::BAD_REQUEST),
                msg,
            )
        }
        Ok(Err(e)) => core_error(e),
        Err(e) => internal(StatusCode::INTERNAL_SERVER_ERROR, &e),
    }
}

/// Zimo-pagos notifications carry no status and no signature recipe: the
/// only thing trusted is the status fetched from Zimo-pagos itself. A
/// failure answers non-2xx so Zimo-pagos sends the notification again.
async fn zimo_notification(
    State(app): State<Cashdesk>,
    Path(account): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Ok(account) = account.parse::<AccountId>() else {
        return error(StatusCode::NOT_FOUND, "unknown account");
    };
    let acc = match app
        .providers()
        .account::<crate::providers::zimo_pagos::Account>(account)
    {
        Ok(a) => a,
        Err(e) => return core_error(e),
    };
    let content_type = headers.get("content-type").and_then(|v| v.to_str().ok());
    match crate::providers::zimo_pagos::apply_notification(
        &app,
        (account, &acc),
        content_type,
        &body,
    )
    .await
    {
        Ok(msg) => (StatusCode::OK, msg).into_response(),
        Err(CoreError::Invalid(m)) => error(StatusCode::BAD_REQUEST, m),
        Err(e) => internal(StatusCode::SERVICE_UNAVAILABLE, &e),
    }
}

/// Paykassma postbacks: the signature is checked by the adapter before
/// anything in the body is used (401, nothing changed, when it fails); a
/// failure on our side answers non-2xx so Paykassma delivers it again.
async fn paykassma_postback(
    State(app): State<Cashdesk>,
    Path(account): Path<String>,
    body: Bytes,
) -> Response {
    use crate::providers::paykassma::postback::{PostbackReply, apply_postback};
    let Ok(account) = account.parse::<AccountId>() else {
        return error(StatusCode::NOT_FOUND, "unknown account");
    };
    let acc = match app
        .providers()
        .account::<crate::providers::paykassma::Account>(account)
    {
        Ok(a) => a,
        Err(e) => return core_error(e),
    };
    match apply_postback(&app, account, &acc, &body).await {
        Ok(PostbackReply::Ok(msg)) => (StatusCode::OK, msg).into_response(),
        Ok(PostbackReply::Refused(code, msg)) => {
            tracing::warn!(%account, "Paykassma postback refused: {msg}");
            error(
                StatusCode::from_u16(code).unwrap_or(StatusCode::BAD_REQUEST),
                msg,
            )
        }
        Err(e) => internal(StatusCode::SERVICE_UNAVAILABLE, &e),
    }
}
