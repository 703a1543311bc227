//! The one way every simulator listens: 127.0.0.1, an axum router, and a
//! stop signal shared with its background tasks.
//!
//! Connections are served with hyper directly rather than `axum::serve`
//! so a handler can make the server close the connection without writing
//! any response (see [`drop_connection`]), which is how a provider that
//! committed a payment but crashed before answering looks to a client.

use axum::Router;
use axum::response::{IntoResponse, Response};
use hyper::service::Service as _;
use hyper_util::rt::TokioIo;
use hyper_util::service::TowerToHyperService;
use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::{JoinHandle, JoinSet};

/// Marker on a response: close the connection instead of sending it.
#[derive(Clone, Copy, Debug)]
struct DropConnection;

/// A response that the server turns into a closed connection.
pub fn drop_connection() -> Response {
    let mut resp = http_500_placeholder();
    resp.extensions_mut().insert(DropConnection);
    resp
}

fn http_500_placeholder() -> Response {
    axum::http::StatusCode::INTERNAL_SERVER_ERROR.into_response()
}

/// Whether `resp` will be replaced by a closed connection.
pub fn is_dropped(resp: &Response) -> bool {
    resp.extensions().get::<DropConnection>().is_some()
}

/// Signals the server and its background tasks to stop.
pub fn stop_channel() -> (watch::Sender<bool>, watch::Receiver<bool>) {
    watch::channel(false)
}

/// Resolves once `stop` was triggered (or its sender is gone).
pub async fn stopped(stop: &mut watch::Receiver<bool>) {
    let _ = stop.wait_for(|s| *s).await;
}

/// A running server on 127.0.0.1.
#[derive(Debug)]
pub struct Server {
    addr: SocketAddr,
    stop: watch::Sender<bool>,
    task: Option<JoinHandle<()>>,
}

impl Server {
    /// Binds `127.0.0.1:port` (0 picks a free port) and serves `router`
    /// until `stop` is triggered.
    pub async fn start(port: u16, router: Router, stop: watch::Sender<bool>) -> io::Result<Server> {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, port)).await?;
        let addr = listener.local_addr()?;
        let task = tokio::spawn(accept_loop(listener, router, stop.subscribe()));
        Ok(Server {
            addr,
            stop,
            task: Some(task),
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops accepting, aborts open connections and background tasks.
    pub async fn shutdown(mut self) {
        let _ = self.stop.send(true);
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
    }
}

async fn accept_loop(listener: TcpListener, router: Router, mut stop: watch::Receiver<bool>) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            _ = stopped(&mut stop) => break,
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else { continue };
                connections.spawn(serve_connection(stream, router.clone()));
                while connections.try_join_next().is_some() {}
            }
        }
    }
    connections.abort_all();
    while connections.join_next().await.is_some() {}
}

async fn serve_connection(stream: tokio::net::TcpStream, router: Router) {
    let tower = TowerToHyperService::new(router);
    let service = hyper::service::service_fn(move |req| {
        let call = tower.call(req);
        async move {
            let resp = match call.await {
                Ok(resp) => resp,
                Err(never) => match never {},
            };
            if is_dropped(&resp) {
                // An error from the service makes hyper close the
                // connection without writing anything.
                return Err(io::Error::other("simulated crash after commit"));
            }
            Ok(resp)
        }
    });
    let _ = hyper::server::conn::http1::Builder::new()
        .serve_connection(TokioIo::new(stream), service)
        .await;
}
