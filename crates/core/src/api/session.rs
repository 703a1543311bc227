//! Log-in, lock and switch at the desk. The session lives in the core; the
//! window only learns its state and who is logged in.

use super::ApiResult;
use crate::app::Cashdesk;
use crate::error::CoreError;
use crate::session::{LOCKED_FOR, MAX_TRIES, Session, SessionState, secret};
use cashdesk_domain::{Actor, OperatorId, Permission, Role, Roles};
use cashdesk_store::NewOperator;
pub use cashdesk_store::SecretKind;
use serde::Serialize;
use std::time::Instant;
use ts_rs::TS;

/// What the window shows: the log-in, the lock screen, or the desk.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct SessionView {
    pub state: SessionState,
    pub operator: Option<OperatorBadge>,
    /// Who may log in here, for the log-in list (no secrets, no hashes).
    pub operators: Vec<OperatorBadge>,
    /// The desk locks after this many idle seconds.
    #[ts(type = "number")]
    pub idle_lock_secs: u64,
    /// A request pending longer than this needs a person's eye (the
    /// supervisor's attention list).
    #[ts(type = "number")]
    pub sla_minutes: i64,
}

/// An operator as the log-in list and the operator menu show them.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct OperatorBadge {
    pub id: OperatorId,
    pub name: String,
    pub roles: Vec<Role>,
    /// `pin` shows a number pad.
    pub login: String,
    /// What each role allows this operator, for role-aware buttons.
    pub may: Vec<Permission>,
}

pub(crate) fn badge(rec: &cashdesk_store::OperatorRecord) -> OperatorBadge {
    use Permission::*;
    OperatorBadge {
        id: rec.id,
        name: rec.name.clone(),
        roles: rec.roles.iter().collect(),
        login: rec.secret_kind.as_str().to_owned(),
        may: [
            Decide,
            Enter,
            SecondApproval,
            Settle,
            TakeOver,
            Supervise,
            Administer,
        ]
        .into_iter()
        .filter(|p| rec.roles.may(*p))
        .collect(),
    }
}

pub fn session(app: &Cashdesk) -> ApiResult<SessionView> {
    let (state, who) = app.session_state()?;
    let all = app.store().operators()?;
    let operator = who
        .and_then(|w| all.iter().find(|o| o.id == w.id))
        .map(badge);
    Ok(SessionView {
        state,
        operator,
        operators: all.iter().filter(|o| !o.disabled).map(badge).collect(),
        idle_lock_secs: app.idle_lock().as_secs(),
        sla_minutes: super::supervisor::sla_minutes(app),
    })
}

/// Seats `rec` at `app`. `locked` for a team desk session this server
/// had not seen (it restarted, or the desktop moved to it): nothing says
/// the desktop was not locked, so it is, until its operator unlocks it.
pub(crate) fn start(app: &Cashdesk, rec: &cashdesk_store::OperatorRecord, locked: bool) {
    *app.session_guard() = Some(Session {
        operator: rec.as_ref(),
        last_seen: Instant::now(),
        locked,
    });
}

/// First start: the first operator, an admin who also holds the agent and
/// supervisor roles (a desk alone has one person), logged in at once.
pub fn create_first_admin(
    app: &Cashdesk,
    name: &str,
    kind: SecretKind,
    secret_text: &str,
) -> ApiResult<SessionView> {
    check_name(name)?;
    secret::check(kind, secret_text)?;
    let hash = secret::hash(secret_text)?;
    let rec = app.store().add_operator(
        &NewOperator {
            name,
            roles: &Roles::all(),
            secret_kind: kind,
            secret_hash: &hash,
        },
        &Actor::System,
    )?;
    start(app, &rec, false);
    session(app)
}

pub(crate) fn check_name(name: &str) -> Result<(), CoreError> {
    let n = name.trim().chars().count();
    if n == 0 || n > 60 || name.chars().any(char::is_control) {
        return Err(CoreError::Invalid("A name: 1 to 60 characters".into()));
    }
    Ok(())
}

/// One secret check at a time, so parallel tries cannot all pass the
/// lock-out check before any of them is counted.
static CHECKING: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Checks `secret_text` against `id`'s hash, counting wrong tries.
pub(crate) fn verify(
    app: &Cashdesk,
    id: OperatorId,
    secret_text: &str,
) -> ApiResult<cashdesk_store::OperatorRecord> {
    let _one = CHECKING.lock().unwrap_or_else(|e| e.into_inner());
    let rec = app
        .store()
        .operator(id)
        .map_err(|_| CoreError::WrongLogIn)?;
    if rec.disabled {
        return Err(CoreError::WrongLogIn.into());
    }
    if let Some(until) = rec.locked_until.filter(|u| *u > chrono::Utc::now()) {
        return Err(CoreError::OperatorLocked {
            name: rec.name,
            until: until.format("%H:%M UTC").to_string(),
        }
        .into());
    }
    if !secret::verify(secret_text, &rec.secret_hash) {
        let lock_ms = i64::try_from(LOCKED_FOR.as_millis()).unwrap_or(i64::MAX);
        let after = app.store().record_failed_login(id, MAX_TRIES, lock_ms)?;
        if let Some(until) = after.locked_until.filter(|u| *u > chrono::Utc::now()) {
            return Err(CoreError::OperatorLocked {
                name: after.name,
                until: until.format("%H:%M UTC").to_string(),
            }
            .into());
        }
        return Err(CoreError::WrongLogIn.into());
    }
    app.store().record_login(id)?;
    Ok(rec)
}

/// Logs `id` in (also the quick switch: whoever was logged in is replaced).
pub fn log_in(app: &Cashdesk, id: OperatorId, secret_text: &str) -> ApiResult<SessionView> {
    let rec = verify(app, id, secret_text)?;
    start(app, &rec, false);
    session(app)
}

/// Unlocks the desk for the operator who locked it.
pub fn unlock(app: &Cashdesk, secret_text: &str) -> ApiResult<SessionView> {
    let who = app
        .session_guard()
        .as_ref()
        .map(|s| s.operator.id)
        .ok_or(CoreError::LoggedOut)?;
    let rec = verify(app, who, secret_text)?;
    start(app, &rec, false);
    session(app)
}

/// The person is at the window (keyboard or mouse): keeps the session
/// from locking while they read. Refused when locked or logged out.
pub fn touch(app: &Cashdesk) -> ApiResult<()> {
    app.active()?;
    app.seen();
    Ok(())
}

/// Locks the desk now (a key in the window); the work stays as it was.
pub fn lock(app: &Cashdesk) -> ApiResult<SessionView> {
    if let Some(s) = app.session_guard().as_mut() {
        s.locked = true;
    }
    session(app)
}

pub fn log_out(app: &Cashdesk) -> ApiResult<SessionView> {
    *app.session_guard() = None;
    session(app)
}

/// Sets how long the desk may sit idle before it locks (an admin's act).
pub fn set_idle_lock(app: &Cashdesk, secs: u64) -> ApiResult<SessionView> {
    let actor = app.acting(Permission::Administer)?;
    if !(30..=8 * 3600).contains(&secs) {
        return Err(super::invalid("Idle lock: 30 seconds to 8 hours"));
    }
    app.store()
        .set_setting(crate::session::IDLE_LOCK_KEY, &secs.to_string(), &actor)?;
    session(app)
}
