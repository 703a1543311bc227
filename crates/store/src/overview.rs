//! What the supervisor's overview reads: queue depth now (an index range
//! on the pending view), depth over time (sampled), and the decisions of
//! a time range (an index range on `decisions`). The figures made from
//! them are computed by the caller.

use crate::{Result, Store};
use rusqlite::params;
use serde::Serialize;

/// Pending requests of one provider, kind and method now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DepthGroup {
    pub provider: String,
    pub kind: String,
    pub method: String,
    pub pending: u64,
    /// When the oldest of them arrived (ms).
    pub oldest_ms: i64,
}

/// Pending requests of one provider at one sample (`provider` is `*` for
/// the whole queue, so a sample with nothing pending still shows as 0).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DepthPoint {
    pub at_ms: i64,
    pub provider: String,
    pub pending: u64,
}

/// The part of a decision the overview's figures need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionFact {
    pub decided_ms: i64,
    pub operator_id: String,
    pub operator_name: String,
    pub provider: String,
    pub action: String,
    pub reason: Option<String>,
    pub handled_ms: Option<i64>,
    pub waited_ms: i64,
}

/// The whole queue's row in `depth_samples`.
const ALL: &str = "*";

impl Store {
    /// Pending requests now, per provider, kind and method.
    pub fn depth_now(&self) -> Result<Vec<DepthGroup>> {
        self.read(|c| {
            let mut st = c.prepare_cached(
                "SELECT provider, kind, method, count(*), min(created_ms) FROM requests
                 WHERE view = 'queue' AND status = 'pending'
                 GROUP BY provider, kind, method ORDER BY provider, kind, method",
            )?;
            let rows = st.query_map([], |r| {
                Ok(DepthGroup {
                    provider: r.get(0)?,
                    kind: r.get(1)?,
                    method: r.get(2)?,
                    pending: r.get::<_, i64>(3)?.max(0) as u64,
                    oldest_ms: r.get(4)?,
                })
            })?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
    }

    /// Pending requests that arrived before `before_ms` (past the SLA).
    pub fn pending_before(&self, before_ms: i64) -> Result<u64> {
        self.read(|c| {
            let n: i64 = c
                .prepare_cached(
                    "SELECT count(*) FROM requests
                     WHERE view = 'queue' AND created_ms < ?1 AND status = 'pending'",
                )?
                .query_row([before_ms], |r| r.get(0))?;
            Ok(n.max(0) as u64)
        })
    }

    /// Records the queue's depth at `at_ms` (a bucket start); a bucket
    /// already sampled (by another desk server) is left as it is.
    pub fn sample_depth(&self, at_ms: i64) -> Result<()> {
        self.write(|tx| {
            tx.prepare_cached(
                "INSERT OR IGNORE INTO depth_samples (at_ms, provider, kind, method, pending)
                 SELECT ?1, provider, kind, method, count(*) FROM requests
                 WHERE view = 'queue' AND status = 'pending' GROUP BY provider, kind, method",
            )?
            .execute([at_ms])?;
            tx.prepare_cached(
                "INSERT OR IGNORE INTO depth_samples (at_ms, provider, kind, method, pending)
                 SELECT ?1, ?2, ?2, ?2, count(*) FROM requests
                 WHERE view = 'queue' AND status = 'pending'",
            )?
            .execute(params![at_ms, ALL])?;
            Ok(())
        })
    }

    /// Depth per provider (and `*` for all) at each sample since `since_ms`.
    pub fn depth_over_time(&self, since_ms: i64) -> Result<Vec<DepthPoint>> {
        self.read(|c| {
            let mut st = c.prepare_cached(
                "SELECT at_ms, provider, sum(pending) FROM depth_samples
                 WHERE at_ms >= ?1 GROUP BY at_ms, provider ORDER BY at_ms, provider",
            )?;
            let rows = st.query_map([since_ms], |r| {
                Ok(DepthPoint {
                    at_ms: r.get(0)?,
                    provider: r.get(1)?,
                    pending: r.get::<_, i64>(2)?.max(0) as u64,
                })
            })?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
    }

    /// Drops depth samples older than `before_ms` (kept a few weeks).
    pub fn forget_depth_before(&self, before_ms: i64) -> Result<()> {
        self.write(|tx| {
            tx.execute("DELETE FROM depth_samples WHERE at_ms < ?1", [before_ms])?;
            Ok(())
        })
    }

    /// Every decision in `[since_ms, until_ms)`, oldest first.
    pub fn decisions_between(&self, since_ms: i64, until_ms: i64) -> Result<Vec<DecisionFact>> {
        self.read(|c| {
            let mut st = c.prepare_cached(
                "SELECT decided_ms, operator_id, operator_name, provider, action, reason,
                        handled_ms, waited_ms
                 FROM decisions WHERE decided_ms >= ?1 AND decided_ms < ?2 ORDER BY decided_ms",
            )?;
            let rows = st.query_map(params![since_ms, until_ms], |r| {
                Ok(DecisionFact {
                    decided_ms: r.get(0)?,
                    operator_id: r.get(1)?,
                    operator_name: r.get(2)?,
                    provider: r.get(3)?,
                    action: r.get(4)?,
                    reason: r.get(5)?,
                    handled_ms: r.get(6)?,
                    waited_ms: r.get(7)?,
                })
            })?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
    }
}
