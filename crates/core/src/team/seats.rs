//! Desktops' sessions on a team desk server. A log-in through the server
//! gives the desktop a bearer token; the token's hash is stored (so any
//! server of the desk accepts it, and an admin can revoke it) and names a
//! seat: the core at a seat of its own ([`Cashdesk::new_seat`]), so each
//! desktop has its own session, idle lock and shift close, checked by the
//! same rules as a desk alone.

use crate::api::dto::{ApiError, ErrorCode};
use crate::app::Cashdesk;
use base64::Engine;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

/// How long a token is good for, unless configured: a long shift.
pub const SESSION_TTL: Duration = Duration::from_secs(12 * 3600);

pub(crate) struct Seats {
    app: Cashdesk,
    ttl: Duration,
    /// Seats by token hash, for the tokens this server has seen.
    open: Mutex<HashMap<String, Cashdesk>>,
}

fn hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

fn ended() -> ApiError {
    ApiError {
        code: ErrorCode::LoggedOut,
        message: "Your session on the team desk ended (expired, revoked, or logged out \
                  elsewhere): log in again"
            .into(),
    }
}

impl Seats {
    pub(crate) fn new(app: Cashdesk, ttl: Duration) -> Seats {
        Seats {
            app,
            ttl,
            open: Mutex::default(),
        }
    }

    fn open(&self) -> std::sync::MutexGuard<'_, HashMap<String, Cashdesk>> {
        self.open.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A seat with nobody logged in, for callers without a token (the
    /// log-in screen's `session`, `log_in` itself).
    pub(crate) fn anonymous(&self) -> Cashdesk {
        self.app.new_seat()
    }

    /// The seat `token` names, if its session is still valid. A token of
    /// another server of the desk gets a seat here, its operator resumed.
    pub(crate) fn seat(&self, token: &str) -> Result<(Cashdesk, String), ApiError> {
        let key = hash(token);
        let stored = self
            .app
            .store()
            .team_session(&key)
            .map_err(ApiError::from)?
            .filter(|s| s.valid_at(now_ms()))
            .ok_or_else(|| {
                self.open().remove(&key);
                ended()
            })?;
        // Written at most once a minute: a write per call would queue
        // every call behind the desk's one writer.
        if stored.seen_ms < now_ms() - 60_000
            && let Err(e) = self.app.store().touch_team_session(&key)
        {
            tracing::warn!("team desk: noting a session's use: {e}");
        }
        if let Some(seat) = self.open().get(&key) {
            return Ok((seat.clone(), key));
        }
        let rec = self
            .app
            .store()
            .operator(stored.operator)
            .map_err(|_| ended())?;
        if rec.disabled {
            return Err(ended());
        }
        let seat = self.app.new_seat();
        crate::api::session::start(&seat, &rec, true);
        self.open().insert(key.clone(), seat.clone());
        Ok((seat, key))
    }

    /// After a successful log-in at `seat`: a new token for whoever is
    /// logged in there now (the previous one, if any, ends).
    pub(crate) fn issue(
        &self,
        seat: &Cashdesk,
        previous: Option<&str>,
        device: &str,
    ) -> Result<String, ApiError> {
        let who = seat
            .session_guard()
            .as_ref()
            .map(|s| s.operator.id)
            .ok_or_else(ended)?;
        if let Some(old) = previous {
            self.end(old);
        }
        let mut bytes = [0u8; 32];
        rand::Rng::fill(&mut rand::rng(), &mut bytes);
        let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
        let key = hash(&token);
        let ttl = i64::try_from(self.ttl.as_millis()).unwrap_or(i64::MAX / 2);
        self.app
            .store()
            .open_team_session(&key, who, device, ttl)
            .map_err(ApiError::from)?;
        // Seats of sessions that ended some other way go with each log-in:
        // the open ones read in one query, under the seats' lock, so a
        // log-in committed meanwhile is never pruned with them.
        let mut open = self.open();
        let valid: Option<std::collections::HashSet<String>> = self
            .app
            .store()
            .team_sessions()
            .ok()
            .map(|all| all.into_iter().map(|s| s.token_hash).collect());
        if let Some(valid) = valid {
            open.retain(|k, _| valid.contains(k));
        }
        open.insert(key, seat.clone());
        Ok(token)
    }

    /// Ends the session whose hash is `key` (log-out).
    pub(crate) fn end(&self, key: &str) {
        self.open().remove(key);
        if let Err(e) = self.app.store().revoke_team_session(key) {
            tracing::warn!("team desk: ending a session: {e}");
        }
    }
}

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}
