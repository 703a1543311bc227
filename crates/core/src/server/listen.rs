//! How connections are taken: a cap on open connections and a deadline
//! for a request's headers, so a slow or stuck client (or many of them)
//! cannot hold the server that receives provider pushes and intake.
//!
//! `axum::serve` offers neither, so connections are served with hyper's
//! HTTP/1 builder directly (as the simulators do).

use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

/// Open connections at most; one more is closed at once. Providers and the
/// operator's platform open a handful; the rest can only be abuse.
pub const MAX_CONNECTIONS: usize = 256;

/// A request's headers must arrive within this (also for the next request
/// on a kept-alive connection); the body and the answer then have the
/// request timeout.
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(5);

/// How many connections a listener keeps open, and how long it waits.
#[derive(Clone, Copy)]
pub(crate) struct Limits {
    pub connections: usize,
    pub header_read: Duration,
    /// Over TLS: the handshake must end within this.
    pub handshake: Duration,
    /// Named in the logs ("local HTTP server", "team desk server").
    pub name: &'static str,
}

/// The local server's limits (provider pushes and intake).
pub(crate) const LOCAL: Limits = Limits {
    connections: MAX_CONNECTIONS,
    header_read: HEADER_READ_TIMEOUT,
    handshake: Duration::ZERO,
    name: "local HTTP server",
};

/// The address a connection came from, on each of its requests.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Peer(pub std::net::IpAddr);

/// Serves `router` on `listener` until the process ends, over TLS when
/// `tls` is given; each request carries its connection's `Peer`.
pub(crate) async fn serve(
    listener: TcpListener,
    router: Router,
    tls: Option<tokio_rustls::TlsAcceptor>,
    limits: Limits,
) {
    let slots = Arc::new(Semaphore::new(limits.connections));
    loop {
        let (stream, peer) = match listener.accept().await {
            Ok(accepted) => accepted,
            Err(e) => {
                // Out of file descriptors and the like: try again shortly.
                tracing::warn!("{}: accept failed: {e}", limits.name);
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        let Ok(slot) = slots.clone().try_acquire_owned() else {
            tracing::warn!(
                "{}: {} connections open; one more was closed",
                limits.name,
                limits.connections
            );
            continue;
        };
        let service =
            TowerToHyperService::new(router.clone().layer(axum::Extension(Peer(peer.ip()))));
        let tls = tls.clone();
        tokio::spawn(async move {
            let served = match tls {
                None => connection(stream, service, limits).await,
                Some(tls) => match tokio::time::timeout(limits.handshake, tls.accept(stream)).await
                {
                    Ok(Ok(s)) => connection(s, service, limits).await,
                    Ok(Err(e)) => {
                        tracing::debug!("{}: TLS handshake failed: {e}", limits.name);
                        Ok(())
                    }
                    Err(_) => Ok(()),
                },
            };
            if let Err(e) = served {
                tracing::debug!("{}: connection ended: {e}", limits.name);
            }
            drop(slot);
        });
    }
}

async fn connection<S>(
    stream: S,
    service: TowerToHyperService<Router>,
    limits: Limits,
) -> Result<(), hyper::Error>
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    hyper::server::conn::http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read)
        .serve_connection(TokioIo::new(stream), service)
        .await
}
