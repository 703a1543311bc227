//! Risk signals: what history says about a request before anyone decides
//! it. Each is an index probe (`requests_trx`, `attachments_sha256`,
//! `screenshot_bands`, `requests_end_user`), never a scan, and is read when
//! asked, so an earlier request's later outcome shows as it is now. The
//! hashes they compare are computed once, at intake and at attach.

use crate::sql::{Db, OptionalExtension, Param, params};
use crate::{RequestRecord, Result, Store, StoreError, from_ms};
use cashdesk_domain::{RequestId, RequestStatus};
use serde::Serialize;

/// Perceptual hashes this many bits apart or fewer are the same picture
/// (found for certain up to 3 bits by the bands, likely up to this).
pub const SIMILAR_BITS: u32 = 6;
/// Rejections of the same end user looked back over.
pub const REJECTIONS_WINDOW_MS: i64 = 7 * 24 * 3_600_000;
/// Requests of one end user within this time before this one...
pub const BURST_WINDOW_MS: i64 = 3_600_000;
/// ...counted as "many" from this many earlier ones.
pub const BURST_COUNT: u32 = 3;
/// The admin's switch that makes an exact duplicate reference blocking.
pub const BLOCK_DUPLICATE_KEY: &str = "risk.block_duplicate_reference";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RiskKind {
    /// The same TrxID / UTR / tx hash on another request of the same kind
    /// and method.
    SameReference,
    /// The same screenshot bytes on another request.
    SameScreenshot,
    /// A re-encoded or resized copy of the screenshot on another request.
    SimilarScreenshot,
    /// The end user had requests rejected in the last seven days.
    RecentRejections,
    /// The end user sent many requests in the hour before this one.
    ManyRequests,
}

/// One signal, naming the other request it is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RiskSignal {
    pub kind: RiskKind,
    pub other: RequestId,
    pub other_status: RequestStatus,
    pub other_created: chrono::DateTime<chrono::Utc>,
    /// Who last decided the other request, if a person did.
    pub other_by: Option<String>,
    /// Requests found: duplicates, rejections, or requests in the hour.
    pub count: u32,
    /// Bits between the two pictures (similar screenshot only).
    pub distance: Option<u32>,
}

const SAME_REFERENCE: &str =
    "SELECT id FROM requests WHERE trx_id = ?1 AND id <> ?2 AND kind = ?3 AND method = ?4
             ORDER BY created_ms LIMIT 20";
const SAME_SCREENSHOT: &str =
    "SELECT owner_id FROM attachments WHERE sha256 = ?1 AND id <> ?2 AND owner_kind = 'request'
             ORDER BY created_ms LIMIT 20";
const REJECTED: &str =
    "SELECT id FROM requests WHERE end_user_ref = ?1 AND created_ms >= ?2 AND id <> ?3
         AND provider = ?4 AND status IN ('rejected', 'rejected_by_provider')
         ORDER BY created_ms DESC LIMIT 50";
const BURST: &str =
    "SELECT id FROM requests WHERE end_user_ref = ?1 AND created_ms >= ?2 AND created_ms <= ?3
         AND id <> ?4 AND provider = ?5 ORDER BY created_ms DESC LIMIT 50";
const SIMILAR: &str = "SELECT DISTINCT a.owner_id, a.phash FROM screenshot_bands b
         JOIN screenshot_bands o ON o.band = b.band AND o.value = b.value AND o.attachment_id <> b.attachment_id
         JOIN attachments a ON a.id = o.attachment_id
         WHERE b.attachment_id = ?1 AND a.owner_kind = 'request' AND a.sha256 <> ?2
         LIMIT 200";
const OTHER: &str = "SELECT status, created_ms,
        (SELECT operator_name FROM decisions WHERE request_id = r.id ORDER BY seq DESC LIMIT 1)
    FROM requests r WHERE id = ?1";
const BLOCKING: &str =
    "SELECT id, status FROM requests WHERE trx_id = ?1 AND id <> ?2 AND kind = ?3 AND method = ?4
             AND status NOT IN ('rejected', 'rejected_by_provider', 'failed', 'expired')
             ORDER BY created_ms LIMIT 1";

impl Store {
    /// Everything history says about `me` (empty when nothing). Takes the
    /// request as the caller read it: the detail reads it once.
    pub fn risk_signals(&self, me: &RequestRecord) -> Result<Vec<RiskSignal>> {
        self.read(|c| signals_in(c, me))
    }

    /// Why approving `me` is refused by the admin's duplicate rule, if it is
    /// (the same check every approval meets inside its transaction).
    pub fn blocking_duplicate(&self, me: &RequestRecord) -> Result<Option<String>> {
        self.read(|c| blocking_duplicate_in(c, me))
    }
}

pub(crate) fn signals_in(c: &Db<'_>, me: &RequestRecord) -> Result<Vec<RiskSignal>> {
    let id = me.id;
    let mut out = Vec::new();
    if let Some(trx) = me.trx_id.as_deref().filter(|t| !t.is_empty()) {
        let found = ids(
            c,
            SAME_REFERENCE,
            params![trx, id.to_string(), me.kind.as_str(), me.method],
        )?;
        push(c, &mut out, RiskKind::SameReference, &found, None)?;
    }
    let shot: Option<(String, String, Option<i64>)> = c
        .query_row(
            "SELECT id, sha256, phash FROM attachments WHERE owner_kind = 'request' AND owner_id = ?1",
            params![id.to_string()],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    if let Some((att, sha, phash)) = shot {
        let same = ids(c, SAME_SCREENSHOT, params![sha, att])?;
        push(c, &mut out, RiskKind::SameScreenshot, &same, None)?;
        if let Some(mine) = phash {
            similar(c, &mut out, &att, &sha, mine)?;
        }
    }
    let created = me.created_at.timestamp_millis();
    let rejected = ids(
        c,
        REJECTED,
        params![
            me.end_user_ref,
            created - REJECTIONS_WINDOW_MS,
            id.to_string(),
            me.provider.as_str()
        ],
    )?;
    push(c, &mut out, RiskKind::RecentRejections, &rejected, None)?;
    let burst = ids(
        c,
        BURST,
        params![
            me.end_user_ref,
            created - BURST_WINDOW_MS,
            created,
            id.to_string(),
            me.provider.as_str()
        ],
    )?;
    if burst.len() as u32 >= BURST_COUNT {
        push(c, &mut out, RiskKind::ManyRequests, &burst, None)?;
    }
    Ok(out)
}

/// Screenshots sharing a band with this one, kept when within `SIMILAR_BITS`
/// (an exact copy is already `SameScreenshot`).
fn similar(c: &Db<'_>, out: &mut Vec<RiskSignal>, att: &str, sha: &str, mine: i64) -> Result<()> {
    let mut st = c.prepare_cached(SIMILAR)?;
    let rows = st.query_map(params![att, sha], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))
    })?;
    let mut near: Vec<(u32, RequestId)> = Vec::new();
    for row in rows {
        let (owner, theirs) = row?;
        let bits = (mine ^ theirs).count_ones();
        if bits <= SIMILAR_BITS {
            near.push((bits, owner.parse().map_err(|_| bad(&owner))?));
        }
    }
    near.sort_by_key(|(bits, _)| *bits);
    if let Some((bits, _)) = near.first() {
        let found: Vec<RequestId> = near.iter().map(|(_, id)| *id).collect();
        push(c, out, RiskKind::SimilarScreenshot, &found, Some(*bits))?;
    }
    Ok(())
}

fn ids(c: &Db<'_>, sql: &str, p: &[&dyn Param]) -> Result<Vec<RequestId>> {
    let mut st = c.prepare_cached(sql)?;
    let rows = st.query_map(p, |r| r.get::<_, String>(0))?;
    rows.map(|r| {
        let s = r?;
        s.parse().map_err(|_| bad(&s))
    })
    .collect()
}

/// One signal naming the first of `found` (the earliest duplicate, the
/// latest rejection or request), with how many there were.
fn push(
    c: &Db<'_>,
    out: &mut Vec<RiskSignal>,
    kind: RiskKind,
    found: &[RequestId],
    distance: Option<u32>,
) -> Result<()> {
    let Some(first) = found.first() else {
        return Ok(());
    };
    let (status, created, by): (String, i64, Option<String>) =
        c.query_row(OTHER, params![first.to_string()], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })?;
    out.push(RiskSignal {
        kind,
        other: *first,
        other_status: RequestStatus::parse(&status).ok_or_else(|| bad(&status))?,
        other_created: from_ms(created),
        other_by: by,
        count: found.len() as u32,
        distance,
    });
    Ok(())
}

/// When the admin made duplicates blocking: why `id` may not be approved
/// (its reference already on a request that was not turned down).
pub(crate) fn blocking_duplicate_in(c: &Db<'_>, me: &RequestRecord) -> Result<Option<String>> {
    // Cached: every approval asks.
    let on: Option<String> = c
        .prepare_cached("SELECT value FROM settings WHERE key = ?1")?
        .query_row(params![BLOCK_DUPLICATE_KEY], |r| r.get(0))
        .optional()?;
    if on.as_deref() != Some("true") {
        return Ok(None);
    }
    let Some(trx) = me.trx_id.as_deref().filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    let used: Option<(String, String)> = c
        .prepare_cached(BLOCKING)?
        .query_row(
            params![trx, me.id.to_string(), me.kind.as_str(), me.method],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    Ok(used.map(|(other, status)| {
        let label = RequestStatus::parse(&status).map_or(status.clone(), |s| s.label().to_owned());
        format!(
            "{trx} is already the reference of request {other} ({label}); an admin made duplicate references blocking: reject one of them"
        )
    }))
}

fn bad(value: &str) -> StoreError {
    StoreError::Corrupt(format!("risk: unreadable stored value {value:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// "Indexed, not scanned": every signal's query is a search by index
    /// (SQLite's plan names no full scan of a table).
    #[test]
    fn every_signal_is_an_index_search() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("r.db")).unwrap();
        for sql in [
            SAME_REFERENCE,
            SAME_SCREENSHOT,
            REJECTED,
            BURST,
            SIMILAR,
            OTHER,
            BLOCKING,
        ] {
            let plan: Vec<String> = store
                .read(|c| {
                    let c = c.as_sqlite().expect("an SQLite store");
                    let mut st = c.prepare(&format!("EXPLAIN QUERY PLAN {sql}"))?;
                    let n = st.parameter_count();
                    let nulls = vec![rusqlite::types::Value::Null; n];
                    let rows =
                        st.query_map(rusqlite::params_from_iter(nulls), |r| r.get::<_, String>(3))?;
                    Ok(rows.collect::<rusqlite::Result<_>>()?)
                })
                .unwrap();
            assert!(
                plan.iter().all(|l| !l.starts_with("SCAN")),
                "{sql}\n{plan:#?}"
            );
        }
    }
}
