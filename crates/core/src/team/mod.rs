//! The team desk: several desktops on one shared queue. A desk server (the
//! headless core on PostgreSQL) serves every desktop command over HTTPS at
//! a seat per logged-in desktop (`seats.rs`), and pushes every change as
//! server-sent events; desktops talk to it through [`client::TeamClient`]
//! with the server's certificate pinned or CA-checked (`trust.rs`).
//! Every role, tier and claim check runs on the server, in the same
//! command bodies a desk alone runs.

pub mod client;
pub mod desktop;
mod desktop_drafts;
mod desktop_feed;
mod routes;
mod seats;
mod tls;
pub mod trust;
pub mod wire;

pub use seats::SESSION_TTL;
pub use tls::{TlsSource, fingerprint};

use crate::app::Cashdesk;
use crate::error::{CoreError, CoreResult};
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

/// How a desk server serves desktops.
#[derive(Debug, Clone)]
pub struct TeamServerConfig {
    pub addr: SocketAddr,
    pub tls: TlsSource,
    /// How long a desktop's session token is good for.
    pub session_ttl: Duration,
}

impl TeamServerConfig {
    /// On loopback, any free port, with a certificate of its own kept in
    /// `dir/tls`, sessions of an hour: tests, benches, trying it out.
    pub fn loopback(dir: &std::path::Path) -> TeamServerConfig {
        TeamServerConfig {
            addr: ([127, 0, 0, 1], 0).into(),
            tls: TlsSource::SelfSigned {
                dir: dir.join("tls"),
                names: vec![],
            },
            session_ttl: Duration::from_secs(3600),
        }
    }
}

/// Where a started desk server listens, and the fingerprint desktops pin.
#[derive(Debug, Clone)]
pub struct TeamServerInfo {
    pub addr: SocketAddr,
    pub fingerprint: String,
}

/// Desktops connected at most (each holds a call and an event stream).
pub const MAX_CONNECTIONS: usize = 1024;
/// A command's arguments at most (a screenshot is the largest).
pub(super) const MAX_BODY: usize = 12 * 1024 * 1024;
const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);
const TLS_HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// The fingerprint of the certificate `source` names (made if missing).
pub fn certificate_fingerprint(source: &TlsSource) -> CoreResult<String> {
    tls::server_config(source).map(|(_, print)| print)
}

/// Starts serving desktops for `app` (a started core) until the process ends.
pub async fn serve(app: &Cashdesk, config: TeamServerConfig) -> CoreResult<TeamServerInfo> {
    let (tls, fingerprint) = tls::server_config(&config.tls)?;
    let listener = tokio::net::TcpListener::bind(config.addr)
        .await
        .map_err(|source| CoreError::Bind {
            addr: config.addr.to_string(),
            source,
        })?;
    let addr = listener.local_addr().map_err(|source| CoreError::Bind {
        addr: config.addr.to_string(),
        source,
    })?;
    let team = routes::Team {
        app: app.clone(),
        seats: Arc::new(seats::Seats::new(app.clone(), config.session_ttl)),
        log_ins: Arc::new(routes::log_in_limit()),
    };
    let router = Router::new()
        .route(&format!("{}{{cmd}}", wire::CALL), post(routes::call))
        .route(wire::EVENTS, get(routes::events))
        .route(wire::HELLO, get(routes::hello))
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .with_state(team);
    tokio::spawn(crate::server::listen::serve(
        listener,
        router,
        Some(tokio_rustls::TlsAcceptor::from(tls)),
        crate::server::listen::Limits {
            connections: MAX_CONNECTIONS,
            header_read: HEADER_READ_TIMEOUT,
            handshake: TLS_HANDSHAKE_TIMEOUT,
            name: "team desk server",
        },
    ));
    tracing::info!("team desk server on https://{addr}, certificate {fingerprint}");
    Ok(TeamServerInfo { addr, fingerprint })
}
