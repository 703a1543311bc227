//! A joined desktop's link to its server: the server's change feed passed
//! to the window, and the connection's state watched so that a lost
//! server shows at once (a failed call or a dropped feed wakes the watch,
//! which asks the server whether it is there). Nothing is queued while
//! the server is away: calls fail with `server_unreachable` and the window
//! says so.

use super::client::TeamClient;
use super::desktop::{Desktop, DesktopEvent, Inner, SavedTeam, TeamView};
use super::trust::Trust;
use crate::api::ApiResult;
use crate::api::dto::{Changed, ErrorCode};
use futures_util::StreamExt;
use serde_json::Value;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;
use tokio::sync::Notify;

/// How soon a lost server is asked again, at first and at most.
const FIRST_RETRY: Duration = Duration::from_millis(500);
const LAST_RETRY: Duration = Duration::from_secs(3);
/// A feed that lasted less than this ended too soon (see `watch`).
const FEED_SHORT: Duration = Duration::from_secs(2);
/// Before log-in there is no feed: the server is asked this often.
const LOGGED_OUT_PING: Duration = Duration::from_secs(5);

/// Commands whose answer is the session (who is logged in here).
const SESSION_ANSWERS: &[&str] = &[
    "session",
    "log_in",
    "unlock",
    "lock",
    "log_out",
    "set_idle_lock",
];

/// The joined server, its connection's state and who is logged in.
pub(crate) struct Joined {
    pub(super) client: TeamClient,
    saved: SavedTeam,
    conn: Mutex<Conn>,
    /// The operator active at the server: the drafts here are theirs.
    operator: Mutex<Option<String>>,
    /// Wakes the watch: a call failed, or the session changed.
    wake: Notify,
}

#[derive(Clone, PartialEq)]
struct Conn {
    server: Option<String>,
    connected: bool,
    problem: Option<String>,
}

impl Joined {
    pub(super) fn view(&self) -> TeamView {
        let c = self.conn.lock().unwrap_or_else(|e| e.into_inner()).clone();
        TeamView {
            url: self.saved.url.clone(),
            fingerprint: match &self.saved.trust {
                Trust::Pinned(p) => Some(p.clone()),
                Trust::Ca(_) => None,
            },
            server: c.server,
            connected: c.connected,
            problem: c.problem,
        }
    }

    /// The operator whose session is active (none: logged out or locked).
    pub(super) fn operator(&self) -> Option<String> {
        self.operator
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    fn set_operator(&self, op: Option<String>) {
        *self.operator.lock().unwrap_or_else(|e| e.into_inner()) = op;
    }
}

impl Desktop {
    /// Makes `client` this desktop's server and starts watching it.
    pub(super) fn install(&self, client: TeamClient, saved: SavedTeam) {
        let joined = Arc::new(Joined {
            client,
            saved,
            // Until the first answer says otherwise: a desktop started
            // without its server learns so within one connect timeout.
            conn: Mutex::new(Conn {
                server: None,
                connected: true,
                problem: None,
            }),
            operator: Mutex::default(),
            wake: Notify::new(),
        });
        *self.0.team.write().unwrap_or_else(|e| e.into_inner()) = Some(joined.clone());
        tokio::spawn(watch(Arc::downgrade(&self.0), joined));
    }

    fn set_conn(
        &self,
        j: &Joined,
        connected: bool,
        problem: Option<String>,
        server: Option<String>,
    ) {
        let changed = {
            let mut c = j.conn.lock().unwrap_or_else(|e| e.into_inner());
            let before = c.clone();
            c.connected = connected;
            c.problem = problem;
            if server.is_some() {
                c.server = server;
            }
            *c != before
        };
        if changed {
            self.emit(DesktopEvent::Team(j.view()));
        }
    }

    /// Runs `cmd` at the server, and learns from the answer.
    pub(super) async fn remote(&self, j: &Joined, cmd: &str, args: Value) -> ApiResult<Value> {
        let had_session = j.client.has_session();
        let answer = j.client.call(cmd, args).await;
        if let Err(e) = &answer {
            tracing::debug!(cmd, code = ?e.code, "team desk refused: {}", e.message);
        }
        match &answer {
            Err(e) if e.code == ErrorCode::ServerUnreachable => j.wake.notify_one(),
            // Logged out or locked at the server: the drafts here wait too
            // (a wrong secret at log-in or unlock changes nothing).
            Err(e)
                if matches!(e.code, ErrorCode::LoggedOut | ErrorCode::Locked)
                    && cmd != "log_in"
                    && cmd != "unlock" =>
            {
                j.set_operator(None)
            }
            Err(_) => {}
            Ok(v) => {
                if SESSION_ANSWERS.contains(&cmd) {
                    let active = v.get("state").and_then(Value::as_str) == Some("active");
                    let id = v
                        .pointer("/operator/id")
                        .and_then(Value::as_str)
                        .map(str::to_owned);
                    j.set_operator(id.filter(|_| active));
                }
                if !j.view().connected {
                    j.wake.notify_one();
                }
            }
        }
        if j.client.has_session() != had_session {
            j.wake.notify_one();
        }
        answer
    }

    /// New requests at the server, shown as a notification when the
    /// agent is not looking at the window.
    fn announce(&self, change: &Changed, server: Option<String>) {
        if change.new_requests == 0 || self.0.focused.load(Ordering::SeqCst) {
            return;
        }
        let n = change.new_requests;
        tokio::spawn(async move {
            if !matches!(crate::notify::server_present().await, Ok(true)) {
                return;
            }
            let summary = if n == 1 {
                "New request at the team desk".to_owned()
            } else {
                format!("{n} new requests at the team desk")
            };
            let body = server.unwrap_or_default();
            if let Err(e) =
                crate::notify::send(&summary, &crate::notify::escape_markup(&body)).await
            {
                tracing::warn!("notification not shown: {e}");
            }
        });
    }
}

/// The desktop while it still has `j` as its server.
fn current(desk: &Weak<Inner>, j: &Arc<Joined>) -> Option<Desktop> {
    let desk = Desktop(desk.upgrade()?);
    let still = desk.team().is_some_and(|now| Arc::ptr_eq(&now, j));
    still.then_some(desk)
}

/// Follows the server's feed while logged in, asks whether it is there
/// while not, and says at once when it is lost or back.
async fn watch(desk: Weak<Inner>, j: Arc<Joined>) {
    let mut retry = FIRST_RETRY;
    loop {
        if j.client.has_session() {
            match j.client.events().await {
                Ok(feed) => {
                    tracing::info!("team desk: following the server's changes");
                    let Some(d) = current(&desk, &j) else { return };
                    d.set_conn(&j, true, None, None);
                    // Whatever changed while the feed was down.
                    d.emit(DesktopEvent::Changed(Changed::everything()));
                    drop(d);
                    let opened = std::time::Instant::now();
                    let mut feed = std::pin::pin!(feed);
                    loop {
                        tokio::select! {
                            next = feed.next() => {
                                let Some(change) = next else { break };
                                tracing::debug!(?change, "team desk change");
                                let Some(d) = current(&desk, &j) else { return };
                                d.announce(&change, j.view().server);
                                d.emit(DesktopEvent::Changed(change));
                            }
                            () = j.wake.notified() => break,
                        }
                    }
                    tracing::info!("team desk: the server's change feed ended");
                    // A feed that ends at once (a proxy that closes it) is
                    // opened again more and more slowly, not in a loop.
                    if opened.elapsed() < FEED_SHORT {
                        tokio::time::sleep(retry).await;
                        retry = (retry * 2).min(LAST_RETRY);
                    } else {
                        retry = FIRST_RETRY;
                    }
                }
                // Only a refused session ends it; anything else (a database
                // blip at the server, a proxy's error) is asked about again.
                Err(e) if e.code != ErrorCode::LoggedOut => {
                    tracing::info!("team desk: no change feed: {}", e.message);
                }
                Err(e) => {
                    tracing::info!("team desk: the server refused the feed: {}", e.message);
                    // The session ended at the server (expired, revoked).
                    j.client.forget_session();
                    j.set_operator(None);
                    let Some(d) = current(&desk, &j) else { return };
                    d.emit(DesktopEvent::Changed(Changed::everything()));
                }
            }
        }
        let Some(d) = current(&desk, &j) else { return };
        let pause = match j.client.ping().await {
            Ok(hello) => {
                d.set_conn(&j, true, None, Some(hello.server));
                if j.client.has_session() {
                    // The feed's own backoff stands (see above).
                    FIRST_RETRY
                } else {
                    retry = FIRST_RETRY;
                    LOGGED_OUT_PING
                }
            }
            Err(cause) => {
                tracing::warn!("team desk: the server is not answering: {cause}");
                d.set_conn(&j, false, Some(cause), None);
                let now = retry;
                retry = (retry * 2).min(LAST_RETRY);
                now
            }
        };
        drop(d);
        tokio::select! {
            () = j.wake.notified() => {}
            () = tokio::time::sleep(pause) => {}
        }
    }
}
