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

/// Serves `router` on `listener` until the process ends.
pub(crate) async fn serve(listener: TcpListener, router: Router) {
    let slots = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(e) => {
                // Out of file descriptors and the like: try again shortly.
                tracing::warn!("local HTTP server: accept failed: {e}");
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        let Ok(slot) = slots.clone().try_acquire_owned() else {
            tracing::warn!(
                "local HTTP server: {MAX_CONNECTIONS} connections open; one more was closed"
            );
            continue;
        };
        let service = TowerToHyperService::new(router.clone());
        tokio::spawn(async move {
            let served = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(HEADER_READ_TIMEOUT)
                .serve_connection(TokioIo::new(stream), service)
                .await;
            if let Err(e) = served {
                tracing::debug!("local HTTP connection ended: {e}");
            }
            drop(slot);
        });
    }
}
