//! The append-only audit log. Each entry's hash covers the previous entry's
//! hash and its own content, so editing or deleting any row breaks the chain
//! from that row on (and triggers refuse UPDATE/DELETE outright). With the
//! desk's audit key set (an HMAC key the core keeps in the OS keychain),
//! the hash is an HMAC-SHA256: someone who edits the file and recomputes
//! the chain cannot make it verify without the key. The key never reaches
//! SQL: the writer's `Db` carries it, and the MAC is made here.

use crate::sql::{Db, OptionalExtension, params};
use crate::{Result, Store, StoreError, from_ms, now_ms};
use cashdesk_domain::Actor;
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

/// What an entry's hash covers: each part length-prefixed.
fn message(
    prev: &str,
    at_ms: i64,
    actor: &str,
    action: &str,
    subject: &str,
    details: &str,
) -> Vec<u8> {
    let mut m = Vec::new();
    for part in [prev, &at_ms.to_string(), actor, action, subject, details] {
        m.extend_from_slice(&(part.len() as u64).to_be_bytes());
        m.extend_from_slice(part.as_bytes());
    }
    m
}

fn plain(msg: &[u8]) -> String {
    hex::encode(Sha256::digest(msg))
}

fn keyed(key: &[u8], msg: &[u8]) -> String {
    use hmac::{Hmac, Mac};
    // HMAC takes a key of any length.
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).unwrap_or_else(|_| unreachable!());
    mac.update(msg);
    hex::encode(mac.finalize().into_bytes())
}

/// The desk's audit key, shared by the writer's `Db` and `verify`.
pub(crate) type AuditKey = std::sync::Arc<std::sync::RwLock<Option<Vec<u8>>>>;

/// Appends one entry inside the caller's transaction, so the audit entry
/// commits (or not) together with the change it records.
pub(crate) fn append(
    tx: &Db<'_>,
    actor: &Actor,
    action: &str,
    subject: &str,
    details: &serde_json::Value,
) -> Result<()> {
    let prev: String = tx
        .prepare_cached("SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1")?
        .query_row(params![], |r| r.get(0))
        .optional()?
        .unwrap_or_else(|| GENESIS.to_owned());
    let at = now_ms();
    let actor = actor.to_string();
    let details = details.to_string();
    let msg = message(&prev, at, &actor, action, subject, &details);
    let mac: Option<String> = tx.audit_key().map(|k| keyed(&k, &msg));
    let keyed = mac.is_some();
    let hash = mac.unwrap_or_else(|| plain(&msg));
    tx.prepare_cached(
        "INSERT INTO audit_log (at_ms, actor, action, subject, details_json, prev_hash, hash, keyed)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![at, actor, action, subject, details, prev, hash, keyed])?;
    Ok(())
}

impl Store {
    /// An audited act with no other record: a configuration change (a
    /// rotated token), or a person seeing what is kept from the screen (a
    /// whole card number).
    pub fn record_act(&self, actor: &Actor, action: &str, subject: &str) -> Result<()> {
        self.write(|tx| append(tx, actor, action, subject, &serde_json::json!({})))
    }

    /// Most recent entries first, `limit` at most.
    pub fn audit_entries(&self, limit: u32) -> Result<Vec<AuditEntry>> {
        self.read(|c| {
            let mut st = c.prepare(
                "SELECT seq, at_ms, actor, action, subject, details_json FROM audit_log
                 ORDER BY seq DESC LIMIT ?1",
            )?;
            let rows = st.query_map(params![limit], |r| {
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
            rows.collect::<Result<_, _>>()
        })
    }

    /// Re-computes the whole chain; `Err(Corrupt)` names the first bad
    /// entry. Returns how many entries were checked.
    pub fn verify_audit(&self) -> Result<u64> {
        Ok(self.audit_report()?.entries)
    }

    /// As `verify_audit`, with how many entries were keyed and how many of
    /// those could only be checked for their links (no key set here).
    pub fn audit_report(&self) -> Result<AuditReport> {
        let key = self
            .audit_key
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        self.read(|c| verify_audit_chain(c, key.as_deref()))
    }

    /// The first keyed entry's seq, if any (a cheap look, no verification).
    pub fn first_keyed_audit(&self) -> Result<Option<i64>> {
        self.read(|c| {
            c.query_row(
                "SELECT MIN(seq) FROM audit_log WHERE keyed = 1",
                params![],
                |r| r.get(0),
            )
        })
    }

    /// Sets the desk's audit key: entries appended from now on are keyed.
    pub fn set_audit_key(&self, key: Vec<u8>) {
        *self.audit_key.write().unwrap_or_else(|e| e.into_inner()) = Some(key);
    }
}

/// What a check of the whole audit log found (it stops at the first bad
/// entry with `Err(Corrupt)`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct AuditReport {
    pub entries: u64,
    pub keyed: u64,
    /// Keyed entries whose links were checked but not their HMAC (no key).
    pub unverified: u64,
    /// The first keyed entry's seq (the anchor the core keeps beside the key).
    pub first_keyed: Option<i64>,
}

fn bad(seq: i64, why: &str) -> StoreError {
    StoreError::Corrupt(format!("audit log entry {seq} {why}"))
}

/// Checks every entry's hash and link, with `key` for keyed entries.
pub(crate) fn verify_audit_chain(c: &Db<'_>, key: Option<&[u8]>) -> Result<AuditReport> {
    let mut st = c.prepare(
        "SELECT seq, at_ms, actor, action, subject, details_json, prev_hash, hash, keyed
         FROM audit_log ORDER BY seq",
    )?;
    let mut prev = GENESIS.to_owned();
    let mut report = AuditReport::default();
    st.for_each(params![], |r| {
        let seq: i64 = r.get(0)?;
        let stored_prev: String = r.get(6)?;
        let stored: String = r.get(7)?;
        let is_keyed: bool = r.get(8)?;
        let msg = message(
            &prev,
            r.get(1)?,
            &r.get::<_, String>(2)?,
            &r.get::<_, String>(3)?,
            &r.get::<_, String>(4)?,
            &r.get::<_, String>(5)?,
        );
        if stored_prev != prev {
            return Err(bad(seq, "does not match its chain"));
        }
        if is_keyed {
            report.keyed += 1;
            report.first_keyed.get_or_insert(seq);
            match key {
                Some(k) if keyed(k, &msg) != stored => {
                    return Err(bad(seq, "does not match its chain (keyed)"));
                }
                Some(_) => {}
                None => report.unverified += 1,
            }
        } else if report.keyed > 0 {
            // Keying never stops once started: a plain entry after keyed
            // ones is a rewrite by someone without the key.
            return Err(bad(seq, "is not keyed although entries before it are"));
        } else if plain(&msg) != stored {
            return Err(bad(seq, "does not match its chain"));
        }
        prev = stored;
        report.entries += 1;
        Ok(())
    })?;
    Ok(report)
}
