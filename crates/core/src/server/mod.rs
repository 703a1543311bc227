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
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Json, Response};
use axum::routing::{get, post};
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
    // Each provider's push (webhook, postback, notification), if it has one.
    let mut router = Router::new();
    for kind in cashdesk_domain::ProviderKind::ALL {
        if let Some((path, route)) = crate::providers::provider(kind).inbound() {
            router = router.route(path, route);
        }
    }
    let router = router
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

/// What a push naming no account of ours in its path gets.
pub(crate) fn unknown_account() -> Response {
    error(StatusCode::NOT_FOUND, "unknown account")
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
