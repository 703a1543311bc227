//! A desktop's side of the team desk: every command sent to the server
//! over HTTPS with the server's certificate checked (`trust.rs`), the
//! session token kept in memory only, and the server's change feed read
//! as server-sent events. A call is never retried here: a decision the
//! server may have recorded is not sent twice; the queue shows what
//! happened once the server answers again.

use super::trust::{self, Trust};
use super::wire::{self, Hello};
use crate::api::ApiResult;
use crate::api::dto::{ApiError, Changed, ErrorCode};
use eventsource_stream::Eventsource;
use futures_util::StreamExt;
use futures_util::stream::BoxStream;
use serde_json::Value;
use std::sync::Mutex;
use std::time::Duration;

/// A call's answer must come within this (an approval waits on nothing
/// remote: the provider is called by the server's outbox worker).
const CALL_TIMEOUT: Duration = Duration::from_secs(30);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// The server sends a keep-alive every 10 s (`routes.rs`).
const FEED_SILENCE: Duration = Duration::from_secs(25);

/// Commands that read only: their failure is only "try again".
const READS: &[&str] = &[
    "app_info",
    "session",
    "operators",
    "approval_rules",
    "verify_audit",
    "overview",
    "people",
    "person",
    "shifts",
    "shift_report",
    "attention",
    "saved_views",
    "filter_choices",
    "audit_trail",
    "desk_policy",
    "notify_prefs",
    "method_slas",
    "list_queue",
    "get_request",
    "list_drafts",
    "list_accounts",
    "quarantined",
    "provider_forms",
    "list_links",
    "settle_candidates",
    "attachment_data",
    "touch_session",
    "team_sessions",
];

/// One desktop's connection to a team desk server.
pub struct TeamClient {
    base: reqwest::Url,
    http: reqwest::Client,
    token: Mutex<Option<String>>,
}

/// Why a request failed, in words: the whole chain (a TLS refusal is
/// several sources down).
fn cause(e: &reqwest::Error) -> String {
    let mut why = Vec::new();
    let mut next = std::error::Error::source(e);
    while let Some(s) = next {
        why.push(s.to_string());
        next = s.source();
    }
    if why.is_empty() {
        e.to_string()
    } else {
        why.join(": ")
    }
}

fn unreachable(base: &reqwest::Url, cmd: &str, e: &reqwest::Error) -> ApiError {
    let why = cause(e);
    let sent = !e.is_connect() && !e.is_builder();
    let message = if sent && !READS.contains(&cmd) {
        format!(
            "The desk server at {base} stopped answering ({why}). It may or may not have \
             recorded this; nothing will be sent again from here. The queue shows what \
             happened once the server is back."
        )
    } else {
        format!(
            "The desk server at {base} cannot be reached ({why}). Nothing was sent. \
             Nothing can be decided until it is back."
        )
    };
    ApiError {
        code: ErrorCode::ServerUnreachable,
        message,
    }
}

fn user_agent() -> String {
    let host = Some(crate::servers::host())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "desktop".into());
    format!("Cashdesk/{} ({host})", env!("CARGO_PKG_VERSION"))
}

fn parse_url(url: &str) -> ApiResult<reqwest::Url> {
    let u = reqwest::Url::parse(url.trim()).map_err(|e| ApiError {
        code: ErrorCode::InvalidInput,
        message: format!("The desk server's address: {e} (e.g. https://desk.example:8650)"),
    })?;
    if u.scheme() != "https" {
        return Err(ApiError {
            code: ErrorCode::InvalidInput,
            message: "The desk server's address must start with https://".into(),
        });
    }
    Ok(u)
}

fn client(tls: rustls::ClientConfig) -> ApiResult<reqwest::Client> {
    reqwest::Client::builder()
        .use_preconfigured_tls(tls)
        .connect_timeout(CONNECT_TIMEOUT)
        // The pinned or CA-checked server only: a redirect could show the
        // fingerprint of another, and nothing goes out in the clear.
        .redirect(reqwest::redirect::Policy::none())
        .https_only(true)
        .user_agent(user_agent())
        .build()
        .map_err(|e| ApiError {
            code: ErrorCode::InvalidInput,
            message: format!("Could not set up the connection: {e}"),
        })
}

async fn hello_at(http: &reqwest::Client, base: &reqwest::Url) -> ApiResult<Hello> {
    let url = base.join(wire::HELLO).expect("a fixed path joins");
    let resp = http
        .get(url)
        .timeout(CALL_TIMEOUT)
        .send()
        .await
        .map_err(|e| unreachable(base, "hello", &e))?;
    let hello: Option<Hello> = resp.json().await.ok();
    hello
        .filter(|h| h.kind == wire::HELLO_KIND)
        .ok_or_else(|| ApiError {
            code: ErrorCode::InvalidInput,
            message: format!("{base} answers, but it is not a Cashdesk team desk server"),
        })
}

impl TeamClient {
    /// Joining: who answers at `url`, and its certificate's fingerprint,
    /// to show the person before anything else is sent.
    pub async fn probe(url: &str) -> ApiResult<(Hello, String)> {
        let base = parse_url(url)?;
        let (tls, seen) = trust::probe_config();
        let hello = hello_at(&client(tls)?, &base).await?;
        let print = seen
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
            .unwrap_or_default();
        Ok((hello, print))
    }

    pub fn new(url: &str, trust: &Trust) -> ApiResult<TeamClient> {
        let base = parse_url(url)?;
        let tls = trust::client_config(trust).map_err(|message| ApiError {
            code: ErrorCode::InvalidInput,
            message,
        })?;
        Ok(TeamClient {
            base,
            http: client(tls)?,
            token: Mutex::default(),
        })
    }

    pub fn url(&self) -> &str {
        self.base.as_str()
    }

    fn token(&self) -> Option<String> {
        self.token.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    fn set_token(&self, token: Option<String>) {
        *self.token.lock().unwrap_or_else(|e| e.into_inner()) = token;
    }

    /// Whether a session token is held (logged in through this client).
    pub fn has_session(&self) -> bool {
        self.token().is_some()
    }

    pub async fn hello(&self) -> ApiResult<Hello> {
        hello_at(&self.http, &self.base).await
    }

    /// Whether the server is there; if not, why, in the connection's words.
    pub async fn ping(&self) -> Result<Hello, String> {
        let url = self.base.join(wire::HELLO).expect("a fixed path joins");
        let resp = self
            .http
            .get(url)
            .timeout(CONNECT_TIMEOUT)
            .send()
            .await
            .map_err(|e| cause(&e))?;
        let status = resp.status();
        resp.json::<Hello>()
            .await
            .map_err(|_| format!("it answered {status}, not as a Cashdesk team desk server"))
    }

    /// Drops a session the server ended (the window logs in again).
    pub fn forget_session(&self) {
        self.set_token(None);
    }

    /// Runs `cmd` on the server at this desktop's seat.
    pub async fn call(&self, cmd: &str, args: Value) -> ApiResult<Value> {
        let url = self
            .base
            .join(&format!("{}{cmd}", wire::CALL))
            .map_err(|e| ApiError {
                code: ErrorCode::InvalidInput,
                message: format!("{cmd}: {e}"),
            })?;
        let mut req = self.http.post(url).timeout(CALL_TIMEOUT).json(&args);
        if let Some(t) = self.token() {
            req = req.bearer_auth(t);
        }
        let resp = req
            .send()
            .await
            .map_err(|e| unreachable(&self.base, cmd, &e))?;
        if let Some(t) = resp
            .headers()
            .get(wire::SESSION_HEADER)
            .and_then(|v| v.to_str().ok())
        {
            self.set_token(Some(t.to_owned()));
        }
        let ok = resp.status().is_success();
        let status = resp.status();
        let body = resp
            .bytes()
            .await
            .map_err(|e| unreachable(&self.base, cmd, &e))?;
        if cmd == "log_out" && ok {
            self.set_token(None);
        }
        if ok {
            return serde_json::from_slice(&body).map_err(|e| ApiError {
                code: ErrorCode::Storage,
                message: format!("The desk server's answer to {cmd} could not be read: {e}"),
            });
        }
        Err(
            serde_json::from_slice::<ApiError>(&body).unwrap_or_else(|_| ApiError {
                code: ErrorCode::ServerUnreachable,
                message: format!(
                    "The desk server answered {status} to {cmd}: {}",
                    String::from_utf8_lossy(&body)
                        .chars()
                        .take(200)
                        .collect::<String>()
                ),
            }),
        )
    }

    /// The server's change feed, until the connection or the session ends.
    pub async fn events(&self) -> ApiResult<BoxStream<'static, Changed>> {
        let url = self.base.join(wire::EVENTS).expect("a fixed path joins");
        let mut req = self.http.get(url);
        if let Some(t) = self.token() {
            req = req.bearer_auth(t);
        }
        // The answer's head must come soon (the stream itself may stay
        // quiet): a server that accepts and says nothing is a lost one.
        let resp = match tokio::time::timeout(CONNECT_TIMEOUT * 2, req.send()).await {
            Ok(sent) => sent.map_err(|e| unreachable(&self.base, "events", &e))?,
            Err(_) => {
                return Err(ApiError {
                    code: ErrorCode::ServerUnreachable,
                    message: format!(
                        "The desk server at {} accepted the connection but did not answer",
                        self.base
                    ),
                });
            }
        };
        if !resp.status().is_success() {
            let body = resp.bytes().await.unwrap_or_default();
            return Err(
                serde_json::from_slice::<ApiError>(&body).unwrap_or(ApiError {
                    code: ErrorCode::LoggedOut,
                    message: "The desk server refused the change feed".into(),
                }),
            );
        }
        // A feed silent past two keep-alives is a lost server, not a quiet
        // desk: end it so the watch finds out (a pulled cable sends nothing).
        let bytes = futures_util::stream::unfold(Box::pin(resp.bytes_stream()), |mut s| async {
            match tokio::time::timeout(FEED_SILENCE, s.next()).await {
                Ok(Some(item)) => Some((item, s)),
                _ => None,
            }
        });
        Ok(bytes
            .eventsource()
            .take_while(|e| std::future::ready(e.is_ok()))
            .filter_map(|e| {
                std::future::ready(
                    e.ok()
                        .filter(|e| e.event == wire::CHANGED_EVENT)
                        .and_then(|e| serde_json::from_str::<Changed>(&e.data).ok()),
                )
            })
            .boxed())
    }
}
