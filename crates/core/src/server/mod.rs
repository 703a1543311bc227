//! The local HTTP server: provider webhooks and the operator intake API.
//! Loopback by default; every route authenticated (provider signature or
//! the intake bearer token); requests naming another host refused
//! (`host.rs`); connections capped and headers, bodies and answers timed
//! out (`listen.rs`); internal error text logged, never sent to callers.

mod host;
pub(crate) mod listen;
pub(crate) mod reply;

pub(crate) use reply::{core_error, error, internal};

pub use listen::{HEADER_READ_TIMEOUT, MAX_CONNECTIONS};

use crate::app::{Cashdesk, HttpInfo};
use crate::error::{CoreError, CoreResult};
use crate::intake_http;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
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
    app.set_http(HttpInfo {
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
    // Their handlers receive the context, not the app handle.
    let mut router = Router::new();
    for kind in cashdesk_domain::ProviderKind::ALL {
        if let Some((path, route)) = crate::providers::provider(kind).inbound() {
            router = router.route(path, route.with_state(app.cx().clone()));
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
    tokio::spawn(listen::serve(listener, router, None, listen::LOCAL));
    tracing::info!("local HTTP server on http://{local}");
    Ok(())
}
