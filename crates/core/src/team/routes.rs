//! The team desk server's routes: a command by name at the caller's seat,
//! the live change feed, and who this server is.

use super::seats::Seats;
use super::wire::{self, Hello};
use crate::api::dto::{ApiError, Changed, ErrorCode};
use crate::app::Cashdesk;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures_util::Stream;
use serde_json::Value;
use std::sync::Arc;
use std::time::Duration;

/// What every route holds: the core, its seats, and the log-in limit.
#[derive(Clone)]
pub(crate) struct Team {
    pub app: Cashdesk,
    pub seats: Arc<Seats>,
    pub log_ins: Arc<governor::DefaultKeyedRateLimiter<std::net::IpAddr>>,
}

/// Log-in tries per address: a shift's start at an office behind one
/// address passes; guessing PINs from one machine does not (each operator
/// is also locked after a few wrong tries, whatever the address).
/// Whom a log-in try counts against: an IPv4 address, or an IPv6 /64 (one
/// machine can hold a whole /64). Keys idle long enough are forgotten
/// when the table grows (see `call`).
fn limit_key(peer: std::net::IpAddr) -> std::net::IpAddr {
    match peer {
        std::net::IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => std::net::IpAddr::V4(v4),
            None => {
                let net = u128::from(v6) & !((1u128 << 64) - 1);
                std::net::IpAddr::V6(net.into())
            }
        },
        v4 => v4,
    }
}

/// Addresses remembered by the log-in limit before idle ones are dropped.
const LIMIT_TABLE: usize = 4096;

pub(crate) fn log_in_limit() -> governor::DefaultKeyedRateLimiter<std::net::IpAddr> {
    let n = |v: u32| std::num::NonZeroU32::new(v).expect("not zero");
    governor::RateLimiter::keyed(governor::Quota::per_minute(n(30)).allow_burst(n(60)))
}

/// Commands a desktop may not run through a server: the first admin of a
/// team desk is made on the server (`cashdesk-server first-admin`), never
/// by whoever reaches its port first.
const SERVER_ONLY: &[&str] = &["create_first_admin"];

fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::trim)
}

fn status(code: ErrorCode) -> StatusCode {
    match code {
        ErrorCode::NotFound => StatusCode::NOT_FOUND,
        ErrorCode::InvalidInput | ErrorCode::NeedsConfirmation => StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::LoggedOut | ErrorCode::Locked => StatusCode::UNAUTHORIZED,
        ErrorCode::NeedsRole => StatusCode::FORBIDDEN,
        ErrorCode::NotAllowed | ErrorCode::Claimed => StatusCode::CONFLICT,
        ErrorCode::Provider => StatusCode::BAD_GATEWAY,
        ErrorCode::KeychainUnavailable | ErrorCode::Storage | ErrorCode::ServerUnreachable => {
            StatusCode::SERVICE_UNAVAILABLE
        }
    }
}

fn refuse(e: ApiError) -> Response {
    (status(e.code), Json(e)).into_response()
}

/// What a desktop calls itself, for the admin's list of sessions.
fn device(headers: &HeaderMap) -> String {
    headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("unknown")
        .chars()
        .take(120)
        .collect()
}

/// What a caller without a session may send (log-in's arguments): a
/// stranger's body is not read past this.
const ANONYMOUS_BODY: usize = 16 * 1024;
/// A body must arrive within this (a trickled body holds a connection).
const BODY_DEADLINE: Duration = Duration::from_secs(30);

/// Runs `f` on the blocking pool: the seat checks read the database.
async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(f).await.unwrap_or_else(|e| {
        Err(ApiError {
            code: ErrorCode::Storage,
            message: format!("The command stopped unexpectedly: {e}"),
        })
    })
}

/// `POST /team/v1/call/{cmd}`: runs the command at the caller's seat. The
/// session is checked before the body is read, and a caller without one
/// sends a small body or nothing.
pub(crate) async fn call(
    State(team): State<Team>,
    Path(cmd): Path<String>,
    axum::Extension(crate::server::listen::Peer(peer)): axum::Extension<
        crate::server::listen::Peer,
    >,
    headers: HeaderMap,
    body: axum::body::Body,
) -> Response {
    if cmd == "log_in" && team.log_ins.len() > LIMIT_TABLE {
        team.log_ins.retain_recent();
    }
    if cmd == "log_in" && team.log_ins.check_key(&limit_key(peer)).is_err() {
        return refuse(ApiError {
            code: ErrorCode::NotAllowed,
            message: "Too many log-in tries from this computer: wait a minute and try again".into(),
        });
    }
    if SERVER_ONLY.contains(&cmd.as_str()) {
        return refuse(ApiError {
            code: ErrorCode::NeedsRole,
            message: "On a team desk the first admin is made on the server: \
                      run `cashdesk-server first-admin` there"
                .into(),
        });
    }
    let token = bearer(&headers).map(str::to_owned);
    let seats = team.seats.clone();
    let relogin = cmd == "log_in" || cmd == "session";
    let found = blocking(move || match token {
        Some(token) => match seats.seat(&token) {
            Ok((seat, key)) => Ok((seat, Some(key))),
            // Logging in again needs no valid session.
            Err(_) if relogin => Ok((seats.anonymous(), None)),
            Err(e) => Err(e),
        },
        None => Ok((seats.anonymous(), None)),
    })
    .await;
    let (seat, key) = match found {
        Ok(found) => found,
        Err(e) => return refuse(e),
    };
    let limit = if key.is_some() {
        super::MAX_BODY
    } else {
        ANONYMOUS_BODY
    };
    let body = match tokio::time::timeout(BODY_DEADLINE, axum::body::to_bytes(body, limit)).await {
        Ok(Ok(b)) => b,
        Ok(Err(e)) => {
            return refuse(ApiError {
                code: ErrorCode::InvalidInput,
                message: format!(
                    "The request's body could not be read (at most {limit} bytes): {e}"
                ),
            });
        }
        Err(_) => {
            return refuse(ApiError {
                code: ErrorCode::InvalidInput,
                message: "The request's body did not arrive in time".into(),
            });
        }
    };
    let args: Value = if body.is_empty() {
        Value::Null
    } else {
        match serde_json::from_slice(&body) {
            Ok(v) => v,
            Err(e) => {
                return refuse(ApiError {
                    code: ErrorCode::InvalidInput,
                    message: format!("The arguments are not JSON: {e}"),
                });
            }
        }
    };
    // Command bodies wait on the database synchronously: run each on the
    // blocking pool, so the runtime's few workers stay free to push the
    // change feed to every desktop (a feed starved behind 50 desktops'
    // calls lagged seconds in the team bench).
    let answer = {
        let (seat, cmd) = (seat.clone(), cmd.clone());
        let rt = tokio::runtime::Handle::current();
        blocking(move || rt.block_on(crate::api::calls::call(&seat, &cmd, args))).await
    };
    let value = match answer {
        Ok(v) => v,
        Err(e) => return refuse(e),
    };
    let mut response = Json(value).into_response();
    match cmd.as_str() {
        "log_in" => {
            let (seats, device) = (team.seats.clone(), device(&headers));
            let issued = blocking(move || seats.issue(&seat, key.as_deref(), &device)).await;
            match issued {
                Ok(token) => {
                    if let Ok(v) = HeaderValue::from_str(&token) {
                        response.headers_mut().insert(wire::SESSION_HEADER, v);
                    }
                }
                Err(e) => return refuse(e),
            }
        }
        "log_out" => {
            if let Some(k) = key {
                let seats = team.seats.clone();
                let _ = blocking(move || {
                    seats.end(&k);
                    Ok(())
                })
                .await;
            }
        }
        _ => {}
    }
    response
}

/// `GET /team/v1/hello`.
pub(crate) async fn hello(State(team): State<Team>) -> Json<Hello> {
    Json(Hello {
        kind: wire::HELLO_KIND.into(),
        version: env!("CARGO_PKG_VERSION").into(),
        // The machine's name, which the person joining recognises.
        server: Some(crate::servers::host())
            .filter(|h| !h.is_empty())
            .unwrap_or_else(|| team.app.store().server_id().unwrap_or_default()),
    })
}

/// How often the feed checks that its session is still valid.
const RECHECK: Duration = Duration::from_secs(15);

/// `GET /team/v1/events`: every stored change on the desk, as it commits
/// on any server (PostgreSQL's notices reach each server's core), while
/// the caller's session stays valid.
pub(crate) async fn events(State(team): State<Team>, headers: HeaderMap) -> Response {
    let Some(token) = bearer(&headers).map(str::to_owned) else {
        return refuse(ApiError {
            code: ErrorCode::LoggedOut,
            message: "Log in first".into(),
        });
    };
    if let Err(e) = still_valid(&team, &token).await {
        return refuse(e);
    }
    Sse::new(feed(team, token))
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(10)))
        .into_response()
}

/// Whether `token`'s session holds (a database read: on the blocking pool).
async fn still_valid(team: &Team, token: &str) -> Result<(), ApiError> {
    let (seats, token) = (team.seats.clone(), token.to_owned());
    blocking(move || seats.seat(&token).map(|_| ())).await
}

fn feed(team: Team, token: String) -> impl Stream<Item = Result<Event, std::convert::Infallible>> {
    let rx = team.app.subscribe();
    let tick = tokio::time::interval_at(tokio::time::Instant::now() + RECHECK, RECHECK);
    futures_util::stream::unfold(
        (rx, tick, team, token),
        |(mut rx, mut tick, team, token)| async move {
            loop {
                tokio::select! {
                    got = rx.recv() => {
                        let change = match got {
                            Ok(c) => c,
                            // Missed some: everything may have changed.
                            Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {
                                Changed::everything()
                            }
                            Err(tokio::sync::broadcast::error::RecvError::Closed) => return None,
                        };
                        let event = Event::default()
                            .event(wire::CHANGED_EVENT)
                            .json_data(&change)
                            .unwrap_or_else(|_| Event::default().event(wire::CHANGED_EVENT).data("{}"));
                        return Some((Ok(event), (rx, tick, team, token)));
                    }
                    _ = tick.tick() => {
                        if still_valid(&team, &token).await.is_err() {
                            return None;
                        }
                    }
                }
            }
        },
    )
}

#[cfg(test)]
mod tests {
    use super::limit_key;
    use std::net::IpAddr;

    #[test]
    fn log_in_tries_count_per_ipv4_address_and_per_ipv6_64() {
        let ip = |s: &str| s.parse::<IpAddr>().unwrap();
        assert_eq!(limit_key(ip("192.0.2.7")), ip("192.0.2.7"));
        assert_eq!(limit_key(ip("::ffff:192.0.2.7")), ip("192.0.2.7"));
        assert_eq!(
            limit_key(ip("2001:db8:1:2:aaaa::1")),
            limit_key(ip("2001:db8:1:2:bbbb::9"))
        );
        assert_ne!(
            limit_key(ip("2001:db8:1:2::1")),
            limit_key(ip("2001:db8:1:3::1"))
        );
    }
}
