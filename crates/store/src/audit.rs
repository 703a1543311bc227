//! The append-only audit log. Each entry's hash covers the previous entry's
//! hash and its own content, so editing or deleting any row breaks the chain
//! from that row on (and triggers refuse UPDATE/DELETE outright).

use crate::{Result, Store, StoreError, from_ms, now_ms};
use cashdesk_domain::Actor;
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use sha2::{Digest, Sha256};

#[derive(Debug, Clone, Serialize)]
pub struct AuditEntry {
    pub seq: i64,
    pub at: chrono::DateTime<chrono::Utc>,
    pub actor: String,
    pub action: String,
    pub subject: String,
    pub details: serde_json::Value,
}

const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

fn entry_hash(
    prev: &str,
    at_ms: i64,
    actor: &str,
    action: &str,
    subject: &str,
    details: &str,
) -> String {
    let mut h = Sha256::new();
    for part in [prev, &at_ms.to_string(), actor, action, subject, details] {
        h.update((part.len() as u64).to_be_bytes());
        h.update(part.as_bytes());
    }
    hex::encode(h.finalize())
}

/// Appends one entry inside the caller's transaction, so the audit entry
/// commits (or not) together with the change it records.
pub(crate) fn append(
    tx: &Connection,
    actor: &Actor,
    action: &str,
    subject: &str,
    details: &serde_json::Value,
) -> Result<()> {
    let prev: String = tx
        .query_row(
            "SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or_else(|| GENESIS.to_owned());
    let at = now_ms();
    let actor = actor.to_string();
    let details = details.to_string();
    let hash = entry_hash(&prev, at, &actor, action, subject, &details);
    tx.execute(
        "INSERT INTO audit_log (at_ms, actor, action, subject, details_json, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![at, actor, action, subject, details, prev, hash],
    )?;
    Ok(())
}

impl Store {
    /// Most recent entries first, `limit` at most.
    /// A configuration change with no other record (e.g. a rotated token).
    pub fn record_config_change(&self, actor: &Actor, action: &str, subject: &str) -> Result<()> {
        self.write(|tx| append(tx, actor, action, subject, &serde_json::json!({})))
    }

    pub fn audit_entries(&self, limit: u32) -> Result<Vec<AuditEntry>> {
        self.read(|c| {
            let mut st = c.prepare(
                "SELECT seq, at_ms, actor, action, subject, details_json FROM audit_log
                 ORDER BY seq DESC LIMIT ?1",
            )?;
            let rows = st.query_map([limit], |r| {
                let details: String = r.get(5)?;
                Ok(AuditEntry {
                    seq: r.get(0)?,
                    at: from_ms(r.get(1)?),
                    actor: r.get(2)?,
                    action: r.get(3)?,
                    subject: r.get(4)?,
                    details: serde_json::from_str(&details).unwrap_or(serde_json::Value::Null),
                })
            })?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
    }

    /// Re-computes the whole chain; `Err(Corrupt)` names the first bad entry.
    pub fn verify_audit(&self) -> Result<u64> {
        self.read(verify_audit_chain)
    }
}

/// Checks every entry's hash and link; returns how many entries were checked.
pub fn verify_audit_chain(c: &Connection) -> Result<u64> {
    let mut st = c.prepare(
        "SELECT seq, at_ms, actor, action, subject, details_json, prev_hash, hash
         FROM audit_log ORDER BY seq",
    )?;
    let mut rows = st.query([])?;
    let mut prev = GENESIS.to_owned();
    let mut n = 0;
    while let Some(r) = rows.next()? {
        let seq: i64 = r.get(0)?;
        let stored_prev: String = r.get(6)?;
        let stored: String = r.get(7)?;
        let expect = entry_hash(
            &prev,
            r.get(1)?,
            &r.get::<_, String>(2)?,
            &r.get::<_, String>(3)?,
            &r.get::<_, String>(4)?,
            &r.get::<_, String>(5)?,
        );
        if stored_prev != prev || stored != expect {
            return Err(StoreError::Corrupt(format!(
                "audit log entry {seq} does not match its chain"
            )));
        }
        prev = stored;
        n += 1;
    }
    Ok(n)
}
