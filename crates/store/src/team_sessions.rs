//! Desktops' session tokens on a team desk: kept as SHA-256 hashes, valid
//! on every server of the database until they expire or are revoked.

use crate::sql::{Db, OptionalExtension, Row, params};
use crate::{Result, Store, StoreError, now_ms};
use cashdesk_domain::{Actor, OperatorId, Role};

/// A desktop's session as stored (never the token itself).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamSession {
    pub token_hash: String,
    pub operator: OperatorId,
    /// What the desktop calls itself (its host name), for the admin's list.
    pub device: String,
    pub created_ms: i64,
    pub expires_ms: i64,
    /// Last used, to the minute (see `touch_team_session`).
    pub seen_ms: i64,
    pub revoked_ms: Option<i64>,
}

impl TeamSession {
    /// Not revoked and not expired at `now`.
    pub fn valid_at(&self, now: i64) -> bool {
        self.revoked_ms.is_none() && now < self.expires_ms
    }
}

const SELECT: &str = "SELECT token_hash, operator_id, device, created_ms, expires_ms, seen_ms, \
                      revoked_ms FROM team_sessions";

fn row(r: &Row<'_>) -> Result<TeamSession> {
    let id: String = r.get(1)?;
    Ok(TeamSession {
        token_hash: r.get(0)?,
        operator: id
            .parse()
            .map_err(|_| StoreError::Corrupt(format!("bad operator id {id:?}")))?,
        device: r.get(2)?,
        created_ms: r.get(3)?,
        expires_ms: r.get(4)?,
        seen_ms: r.get(5)?,
        revoked_ms: r.get(6)?,
    })
}

/// Drops sessions a day past their end: the list stays short.
fn forget_old(tx: &Db<'_>, now: i64) -> Result<()> {
    tx.execute(
        "DELETE FROM team_sessions WHERE expires_ms < ?1 OR revoked_ms < ?1",
        params![now - 86_400_000],
    )?;
    Ok(())
}

impl Store {
    /// Records a new session for `operator`, valid for `ttl_ms`.
    pub fn open_team_session(
        &self,
        token_hash: &str,
        operator: OperatorId,
        device: &str,
        ttl_ms: i64,
    ) -> Result<TeamSession> {
        self.write(|tx| {
            let now = now_ms();
            forget_old(tx, now)?;
            tx.execute(
                "INSERT INTO team_sessions (token_hash, operator_id, device, created_ms, expires_ms, seen_ms)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?4)",
                params![token_hash, operator.to_string(), device, now, now + ttl_ms],
            )?;
            tx.query_row(&format!("{SELECT} WHERE token_hash = ?1"), params![token_hash], row)
        })
    }

    /// The session a token hash names, valid or not.
    pub fn team_session(&self, token_hash: &str) -> Result<Option<TeamSession>> {
        self.read(|c| {
            c.query_row(
                &format!("{SELECT} WHERE token_hash = ?1"),
                params![token_hash],
                row,
            )
            .optional()
        })
    }

    /// Notes the session in use now; written at most once a minute per
    /// session (a read per call, not a write).
    pub fn touch_team_session(&self, token_hash: &str) -> Result<()> {
        self.write(|tx| {
            let now = now_ms();
            tx.execute(
                "UPDATE team_sessions SET seen_ms = ?2 WHERE token_hash = ?1 AND seen_ms < ?3",
                params![token_hash, now, now - 60_000],
            )?;
            Ok(())
        })
    }

    /// Ends one session (log-out). Whether it was still valid.
    pub fn revoke_team_session(&self, token_hash: &str) -> Result<bool> {
        self.write(|tx| {
            let n = tx.execute(
                "UPDATE team_sessions SET revoked_ms = ?2 WHERE token_hash = ?1 AND revoked_ms IS NULL",
                params![token_hash, now_ms()],
            )?;
            Ok(n > 0)
        })
    }

    /// An admin ends one desktop's session (audited). Whether it was open.
    pub fn revoke_team_session_as(&self, token_hash: &str, actor: &Actor) -> Result<bool> {
        self.write(|tx| {
            if !crate::operators::roles_in(tx, actor)?.has(Role::Admin) {
                return Err(StoreError::NotAllowed("needs an admin".into()));
            }
            let operator: Option<String> = tx
                .query_row(
                    "SELECT operator_id FROM team_sessions WHERE token_hash = ?1 AND revoked_ms IS NULL",
                    params![token_hash],
                    |r| r.get(0),
                )
                .optional()?;
            let Some(operator) = operator else {
                return Ok(false);
            };
            tx.execute(
                "UPDATE team_sessions SET revoked_ms = ?2 WHERE token_hash = ?1",
                params![token_hash, now_ms()],
            )?;
            // The hash's start names the session; the token is never stored.
            crate::audit::append(
                tx,
                actor,
                "team_session.revoke",
                &format!("operator:{operator}"),
                &serde_json::json!({ "session": &token_hash[..token_hash.len().min(12)] }),
            )?;
            Ok(true)
        })
    }

    /// Ends every session of `operator` (an admin's act, or the operator
    /// disabled). How many were ended.
    pub fn revoke_operator_sessions(&self, operator: OperatorId) -> Result<usize> {
        self.write(|tx| {
            tx.execute(
                "UPDATE team_sessions SET revoked_ms = ?2 WHERE operator_id = ?1 AND revoked_ms IS NULL",
                params![operator.to_string(), now_ms()],
            )
        })
    }

    /// Sessions still valid, newest first (the admin's list).
    pub fn team_sessions(&self) -> Result<Vec<TeamSession>> {
        self.read(|c| {
            let mut st = c.prepare(&format!(
                "{SELECT} WHERE revoked_ms IS NULL AND expires_ms > ?1 ORDER BY created_ms DESC"
            ))?;
            let rows = st.query_map(params![now_ms()], row)?;
            rows.collect()
        })
    }
}
