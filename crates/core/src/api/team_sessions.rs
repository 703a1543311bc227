//! The admin's list of desktops logged in to the team desk, and ending one
//! (a lost laptop, someone who left): the desktop is logged out at its
//! next call and its change feed closes within the server's recheck.

use super::ApiResult;
use crate::app::Cashdesk;
use cashdesk_domain::{OperatorId, Permission};
use chrono::{TimeZone, Utc};
use serde::Serialize;
use ts_rs::TS;

/// A desktop's open session, as an admin sees it (never its token).
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct TeamSessionRow {
    /// Names the session for `revoke_team_session` (the token's hash).
    pub id: String,
    pub operator_id: OperatorId,
    pub operator: String,
    /// The desktop's host name, as it said at log-in.
    pub device: String,
    pub created_at: String,
    /// To the minute.
    pub last_seen_at: String,
    pub expires_at: String,
}

fn at(ms: i64) -> String {
    Utc.timestamp_millis_opt(ms)
        .single()
        .unwrap_or_default()
        .to_rfc3339()
}

/// Open sessions, newest first (empty on a desk alone).
pub fn team_sessions(app: &Cashdesk) -> ApiResult<Vec<TeamSessionRow>> {
    app.acting(Permission::Administer)?;
    let store = app.store();
    store
        .team_sessions()?
        .into_iter()
        .map(|s| {
            let operator = store
                .operator(s.operator)
                .map(|o| o.name)
                .unwrap_or_else(|_| s.operator.to_string());
            Ok(TeamSessionRow {
                id: s.token_hash,
                operator_id: s.operator,
                operator,
                device: s.device,
                created_at: at(s.created_ms),
                last_seen_at: at(s.seen_ms),
                expires_at: at(s.expires_ms),
            })
        })
        .collect()
}

/// Ends session `id` (audited); the list as it is now.
pub fn revoke_team_session(app: &Cashdesk, id: &str) -> ApiResult<Vec<TeamSessionRow>> {
    let actor = app.acting(Permission::Administer)?;
    if !app.store().revoke_team_session_as(id, &actor)? {
        return Err(super::invalid("That session has already ended."));
    }
    team_sessions(app)
}
