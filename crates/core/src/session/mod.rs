//! Who is at the desk. The core holds the session: no command takes an
//! operator from the webview; every command body asks [`Cashdesk::acting`]
//! for the permission it needs, which reads the operator's roles from the
//! store each time (a role taken away or an operator disabled takes effect
//! at once). The desk locks after idle time; a few wrong secrets lock the
//! operator for a while.

pub(crate) mod secret;

use crate::app::Cashdesk;
use crate::error::{CoreError, CoreResult};
use cashdesk_domain::{Actor, OperatorRef, Permission, Roles};
use std::time::{Duration, Instant};

/// Wrong secrets in a row before the operator is locked.
pub const MAX_TRIES: u32 = 5;
/// How long a locked operator waits.
pub const LOCKED_FOR: Duration = Duration::from_secs(5 * 60);
/// The idle time after which the desk locks, unless an admin set another.
pub const IDLE_LOCK: Duration = Duration::from_secs(5 * 60);
/// Settings key of the idle time, in seconds.
pub(crate) const IDLE_LOCK_KEY: &str = "desk.idle_lock_secs";

/// The logged-in operator at this desk.
pub(crate) struct Session {
    pub operator: OperatorRef,
    pub last_seen: Instant,
    pub locked: bool,
}

/// Where the desk's session stands, for the window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum SessionState {
    /// No operator exists yet: create the first admin.
    FirstStart,
    LoggedOut,
    /// Someone is logged in, but the desk is locked (idle or on request).
    Locked,
    Active,
}

impl Cashdesk {
    /// The idle time after which the desk locks.
    pub(crate) fn idle_lock(&self) -> Duration {
        self.store()
            .setting(IDLE_LOCK_KEY)
            .ok()
            .flatten()
            .and_then(|s| s.parse::<u64>().ok())
            .map(Duration::from_secs)
            .unwrap_or(IDLE_LOCK)
    }

    /// The session's state now (idle time turns an active one locked).
    pub(crate) fn session_state(&self) -> CoreResult<(SessionState, Option<OperatorRef>)> {
        let idle = self.idle_lock();
        let mut s = self.session_guard();
        if let Some(sess) = s.as_mut() {
            if sess.last_seen.elapsed() >= idle {
                sess.locked = true;
            }
            let state = if sess.locked {
                SessionState::Locked
            } else {
                SessionState::Active
            };
            return Ok((state, Some(sess.operator.clone())));
        }
        drop(s);
        if self.store().operators()?.is_empty() {
            Ok((SessionState::FirstStart, None))
        } else {
            Ok((SessionState::LoggedOut, None))
        }
    }

    /// The operator acting now, if the session is active and their roles
    /// grant `p`: the one check every command body that changes anything
    /// makes. Refusals name what is missing ("needs a supervisor").
    pub(crate) fn acting(&self, p: Permission) -> CoreResult<Actor> {
        let (who, roles) = self.active()?;
        if !roles.may(p) {
            return Err(CoreError::NeedsRole(p));
        }
        self.seen();
        Ok(Actor::Operator(who))
    }

    /// The person did something: the idle clock starts again. Reads, claim
    /// renewals and queue reloads do not count (the window's own activity
    /// reaches the core through `touch` and decisions).
    pub(crate) fn seen(&self) {
        if let Some(s) = self.session_guard().as_mut() {
            s.last_seen = Instant::now();
        }
    }

    /// Refuses reads while nobody is at the desk (logged out or locked):
    /// the queue and its customers are not for whoever walks by.
    pub(crate) fn viewing(&self) -> CoreResult<()> {
        self.active().map(|_| ())
    }

    /// The active operator and their roles as stored now.
    pub(crate) fn active(&self) -> CoreResult<(OperatorRef, Roles)> {
        let (state, who) = self.session_state()?;
        let who = match (state, who) {
            (SessionState::Active, Some(who)) => who,
            (SessionState::Locked, _) => return Err(CoreError::Locked),
            _ => return Err(CoreError::LoggedOut),
        };
        let rec = self.store().operator(who.id)?;
        if rec.disabled {
            *self.session_guard() = None;
            return Err(CoreError::LoggedOut);
        }
        Ok((OperatorRef::new(rec.id, rec.name), rec.roles))
    }

    pub(crate) fn session_guard(&self) -> std::sync::MutexGuard<'_, Option<Session>> {
        self.session_cell()
            .lock()
            .unwrap_or_else(|e| e.into_inner())
    }
}
