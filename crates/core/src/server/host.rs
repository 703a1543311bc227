//! The `Host` a request names must be an address this server answers to.
//!
//! A web page open in the agent's browser can resolve its own name to
//! 127.0.0.1 (DNS rebinding) and then talk to the local server as if it
//! were the same site; its requests still carry the page's host name, so
//! they are refused here. Answered to: the loopback names on the served
//! port, the address the server is bound to, the hosts listed in
//! `CASHDESK_HTTP_HOSTS` (a tunnel or reverse proxy that keeps the public
//! name), and the host of each Zimo-pagos account's notification URL.

use crate::app::Cashdesk;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::http::header::HOST;
use axum::middleware::Next;
use axum::response::Response;
use std::net::SocketAddr;

/// The hosts the server answers to, fixed at start.
#[derive(Debug, Clone)]
pub(crate) struct Hosts {
    /// `host:port` or a bare `host` (any port), lower-case.
    allowed: Vec<String>,
}

impl Hosts {
    pub(crate) fn new(local: SocketAddr, extra: &[String]) -> Hosts {
        let port = local.port();
        let mut allowed = vec![
            format!("127.0.0.1:{port}"),
            format!("localhost:{port}"),
            format!("[::1]:{port}"),
        ];
        if !local.ip().is_unspecified() && !local.ip().is_loopback() {
            allowed.push(local.to_string());
        }
        allowed.extend(extra.iter().map(|h| h.trim().to_ascii_lowercase()));
        Hosts { allowed }
    }

    /// Whether `host` (the header's value) names this server.
    pub(crate) fn allows(&self, host: &str) -> bool {
        let host = host.trim().to_ascii_lowercase();
        let name = bare(&host);
        self.allowed
            .iter()
            .any(|a| *a == host || ((!a.contains(':') || a.starts_with('[')) && *a == name))
    }
}

/// `host` without its port (`[::1]:80` → `[::1]`, `a.b:443` → `a.b`).
fn bare(host: &str) -> &str {
    match host.rfind(':') {
        Some(i) if !host[i..].contains(']') => &host[..i],
        _ => host,
    }
}

/// The host of a URL (`https://a.b:8443/x` → `a.b:8443`), lower-case.
pub(crate) fn url_host(url: &str) -> Option<String> {
    let u = reqwest::Url::parse(url).ok()?;
    let host = u.host_str()?.to_ascii_lowercase();
    Some(match u.port() {
        Some(p) => format!("{host}:{p}"),
        None => host,
    })
}

/// Refuses a request whose `Host` this server does not answer to (421).
pub(crate) async fn guard(
    State((app, hosts)): State<(Cashdesk, Hosts)>,
    req: Request,
    next: Next,
) -> Response {
    let named = req.headers().get(HOST).and_then(|v| v.to_str().ok());
    match named {
        Some(h) if hosts.allows(h) || notification_host(&app, h) => next.run(req).await,
        _ => {
            tracing::warn!(host = ?named, "local HTTP server: request for another host refused");
            super::error(
                StatusCode::MISDIRECTED_REQUEST,
                "this server does not answer to that host name",
            )
        }
    }
}

/// Whether `host` is that of an address an account gave its provider to
/// push to (Zimo-pagos' notification URL; read only for hosts not
/// otherwise allowed).
fn notification_host(app: &Cashdesk, host: &str) -> bool {
    let host = host.trim().to_ascii_lowercase();
    app.store()
        .accounts()
        .unwrap_or_default()
        .iter()
        .filter_map(|a| crate::providers::provider(a.provider).push_url(&a.config))
        .filter_map(|u| url_host(&u))
        .any(|h| h == host || h == bare(&host))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hosts(bound: &str, extra: &[&str]) -> Hosts {
        let extra: Vec<String> = extra.iter().map(|s| s.to_string()).collect();
        Hosts::new(bound.parse().unwrap(), &extra)
    }

    #[test]
    fn loopback_names_on_the_served_port_are_answered() {
        let h = hosts("127.0.0.1:8650", &[]);
        for ok in [
            "127.0.0.1:8650",
            "localhost:8650",
            "LOCALHOST:8650",
            "[::1]:8650",
        ] {
            assert!(h.allows(ok), "{ok}");
        }
        for no in [
            "127.0.0.1:8651",
            "evil.example:8650",
            "evil.example",
            "127.0.0.1",
            "localhost",
            "",
        ] {
            assert!(!h.allows(no), "{no}");
        }
    }

    #[test]
    fn listed_hosts_match_with_or_without_a_port() {
        let h = hosts("0.0.0.0:8650", &["desk.example.com", "10.0.0.5:8650"]);
        assert!(h.allows("desk.example.com"));
        assert!(h.allows("desk.example.com:443"));
        assert!(h.allows("10.0.0.5:8650"));
        assert!(!h.allows("10.0.0.5:9999"));
        assert!(
            !h.allows("0.0.0.0:8650"),
            "an unspecified address is no name"
        );
        let bound = hosts("192.168.1.20:8650", &[]);
        assert!(bound.allows("192.168.1.20:8650"));
    }

    #[test]
    fn a_urls_host_keeps_an_explicit_port() {
        assert_eq!(
            url_host("https://Desk.Example.com/notifications/x").as_deref(),
            Some("desk.example.com")
        );
        assert_eq!(
            url_host("http://127.0.0.1:8650/n").as_deref(),
            Some("127.0.0.1:8650")
        );
        assert_eq!(url_host("not a url"), None);
    }
}
