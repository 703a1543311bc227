//! What the supervisor's overview reads: queue depth now (an index range
//! on the pending view), depth over time (sampled), and the decisions of
//! a time range (an index range on `decisions`). The figures made from
//! them are computed by the caller.

use crate::sql::params;
use crate::{Result, Store};
use serde::Serialize;
use std::collections::HashMap;

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

/// Decisions by one operator for one provider in one hour.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HourCount {
    pub hour_ms: i64,
    pub operator_id: String,
    pub provider: String,
    pub decided: u64,
}

/// One operator's time to decide (from opening to deciding) over a range,
/// by nearest rank: the smallest time with at least p% at or below it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecideTime {
    pub operator_id: String,
    pub decided: u64,
    pub rejected: u64,
    /// Decisions made from a claim: the timed ones.
    pub timed: u64,
    pub median_ms: Option<i64>,
    pub p90_ms: Option<i64>,
}

const HOUR_MS: i64 = 3_600_000;

/// Strings seen in a scan, each kept once and named by its index.
#[derive(Default)]
struct Names(Vec<String>, HashMap<String, usize>);

impl Names {
    fn index(&mut self, s: &str) -> usize {
        if let Some(i) = self.1.get(s) {
            return *i;
        }
        self.0.push(s.to_owned());
        self.1.insert(s.to_owned(), self.0.len() - 1);
        self.0.len() - 1
    }
}

/// The nearest-rank percentile `p` of sorted `v`: the smallest value with
/// at least p% of the values at or below it (rank ⌈n·p/100⌉).
pub fn nearest_rank(v: &[i64], p: u64) -> Option<i64> {
    let n = v.len() as u64;
    if n == 0 {
        return None;
    }
    let rank = (n * p).div_ceil(100).max(1);
    v.get(rank as usize - 1).copied()
}

/// The whole queue's row in `depth_samples`.
const ALL: &str = "*";

impl Store {
    /// Pending requests now, per provider, kind and method.
    pub fn depth_now(&self) -> Result<Vec<DepthGroup>> {
        self.read(|c| {
            let mut st = c.prepare_cached(
                "SELECT provider, kind, method, count(*), min(created_ms) FROM requests
                 WHERE status = 'pending' GROUP BY provider, kind, method
                 ORDER BY provider, kind, method",
            )?;
            let rows = st.query_map(params![], |r| {
                Ok(DepthGroup {
                    provider: r.get(0)?,
                    kind: r.get(1)?,
                    method: r.get(2)?,
                    pending: r.get::<_, i64>(3)?.max(0) as u64,
                    oldest_ms: r.get(4)?,
                })
            })?;
            rows.collect::<Result<_, _>>()
        })
    }

    /// Pending requests that arrived before `before_ms` (past the SLA).
    pub fn pending_before(&self, before_ms: i64) -> Result<u64> {
        self.read(|c| {
            let n: i64 = c
                .prepare_cached(
                    "SELECT count(*) FROM requests WHERE status = 'pending' AND created_ms < ?1",
                )?
                .query_row(params![before_ms], |r| r.get(0))?;
            Ok(n.max(0) as u64)
        })
    }

    /// Records the queue's depth at `at_ms` (a bucket start); a bucket
    /// already sampled (by another desk server) is left as it is.
    pub fn sample_depth(&self, at_ms: i64) -> Result<bool> {
        // Another server (or an earlier start) sampled this bucket: no count.
        if self.depth_sampled(at_ms)? {
            return Ok(false);
        }
        // Counted on a reader (600,000 pending rows take ~100 ms at a
        // million requests), so decisions never wait behind the count;
        // the total is the groups' sum, not a second count.
        let groups: Vec<(String, String, String, i64)> = self.read(|c| {
            let mut st = c.prepare_cached(
                "SELECT provider, kind, method, count(*) FROM requests
                 WHERE status = 'pending' GROUP BY provider, kind, method",
            )?;
            let rows = st.query_map(params![], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })?;
            rows.collect::<Result<_, _>>()
        })?;
        let total: i64 = groups.iter().map(|g| g.3).sum();
        self.write(|tx| {
            let mut st = tx.prepare_cached(
                "INSERT INTO depth_samples (at_ms, provider, kind, method, pending)
                 VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT DO NOTHING",
            )?;
            for (provider, kind, method, n) in &groups {
                st.execute(params![at_ms, provider, kind, method, n])?;
            }
            st.execute(params![at_ms, ALL, ALL, ALL, total])?;
            Ok(true)
        })
    }

    /// Whether a request arrived or changed status since the latest depth
    /// sample's bucket began (each such change writes a history row):
    /// at start, a desk whose queue did not move repeats that sample
    /// instead of counting the whole queue. Errs towards yes: a change
    /// during the bucket but before its count still says yes.
    pub fn depth_moved_since_sample(&self) -> Result<bool> {
        self.read(|c| {
            let (sample, event): (Option<i64>, Option<i64>) = c
                .prepare_cached(
                    "SELECT (SELECT max(at_ms) FROM depth_samples),
                            (SELECT at_ms FROM request_events ORDER BY seq DESC LIMIT 1)",
                )?
                .query_row(params![], |r| Ok((r.get(0)?, r.get(1)?)))?;
            Ok(match (sample, event) {
                (None, _) => true,
                (Some(_), None) => false,
                (Some(sample), Some(event)) => event >= sample,
            })
        })
    }

    fn depth_sampled(&self, at_ms: i64) -> Result<bool> {
        self.read(|c| {
            let n: i64 = c
                .prepare_cached("SELECT count(*) FROM depth_samples WHERE at_ms = ?1")?
                .query_row(params![at_ms], |r| r.get(0))?;
            Ok(n > 0)
        })
    }

    /// Writes the latest earlier sample again as bucket `at_ms`, for a
    /// caller that knows no request changed since (an idle desk does not
    /// count its queue every five minutes). False when there is no
    /// earlier sample or the bucket has one already.
    pub fn repeat_depth(&self, at_ms: i64) -> Result<bool> {
        self.write(|tx| {
            let n = tx
                .prepare_cached(
                    "INSERT INTO depth_samples (at_ms, provider, kind, method, pending)
                     SELECT ?1, provider, kind, method, pending FROM depth_samples
                     WHERE at_ms = (SELECT max(at_ms) FROM depth_samples WHERE at_ms < ?1)
                     ON CONFLICT DO NOTHING",
                )?
                .execute(params![at_ms])?;
            Ok(n > 0)
        })
    }

    /// Depth per provider (and `*` for all) at each sample since `since_ms`.
    pub fn depth_over_time(&self, since_ms: i64) -> Result<Vec<DepthPoint>> {
        self.read(|c| {
            let mut st = c.prepare_cached(
                "SELECT at_ms, provider, sum(pending) FROM depth_samples
                 WHERE at_ms >= ?1 GROUP BY at_ms, provider ORDER BY at_ms, provider",
            )?;
            let rows = st.query_map(params![since_ms], |r| {
                Ok(DepthPoint {
                    at_ms: r.get(0)?,
                    provider: r.get(1)?,
                    pending: r.get::<_, i64>(2)?.max(0) as u64,
                })
            })?;
            rows.collect::<Result<_, _>>()
        })
    }

    /// Drops depth samples older than `before_ms` (kept a few weeks).
    pub fn forget_depth_before(&self, before_ms: i64) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "DELETE FROM depth_samples WHERE at_ms < ?1",
                params![before_ms],
            )?;
            Ok(())
        })
    }

    /// Decisions in `[since_ms, until_ms)` counted per hour, operator and
    /// provider, and each operator's time to decide. One scan of a covering
    /// index (no row read), aggregated with borrowed strings; rejections
    /// per operator from the partial index on rejections.
    pub fn decision_figures(
        &self,
        since_ms: i64,
        until_ms: i64,
    ) -> Result<(Vec<HourCount>, Vec<DecideTime>)> {
        self.read(|c| {
            let mut ops = Names::default();
            let mut providers = Names::default();
            let mut counts: HashMap<(i64, usize, usize), u64> = HashMap::new();
            let mut per_op: Vec<(u64, Vec<i64>)> = Vec::new();
            let mut st = c.prepare_cached(
                "SELECT decided_ms, operator_id, provider, handled_ms FROM decisions
                 WHERE decided_ms >= ?1 AND decided_ms < ?2",
            )?;
            st.for_each(params![since_ms, until_ms], |r| {
                let at: i64 = r.get(0)?;
                let text = |i: usize| r.str(i);
                let op = ops.index(text(1)?);
                let provider = providers.index(text(2)?);
                *counts.entry((at - at.rem_euclid(HOUR_MS), op, provider)).or_default() += 1;
                if per_op.len() <= op {
                    per_op.resize_with(op + 1, Default::default);
                }
                per_op[op].0 += 1;
                if let Some(h) = r.get::<_, Option<i64>>(3)? {
                    per_op[op].1.push(h);
                }
                Ok(())
            })?;
            let mut hours: Vec<HourCount> = counts
                .into_iter()
                .map(|((hour_ms, op, p), decided)| HourCount {
                    hour_ms,
                    operator_id: ops.0[op].clone(),
                    provider: providers.0[p].clone(),
                    decided,
                })
                .collect();
            hours.sort_by(|a, b| {
                (a.hour_ms, &a.operator_id, &a.provider).cmp(&(b.hour_ms, &b.operator_id, &b.provider))
            });
            let mut times: Vec<DecideTime> = per_op
                .into_iter()
                .enumerate()
                .map(|(i, (decided, mut handled))| {
                    handled.sort_unstable();
                    DecideTime {
                        operator_id: ops.0[i].clone(),
                        decided,
                        rejected: 0,
                        timed: handled.len() as u64,
                        median_ms: nearest_rank(&handled, 50),
                        p90_ms: nearest_rank(&handled, 90),
                    }
                })
                .collect();
            let mut st = c.prepare_cached(
                "SELECT operator_id, count(*) FROM decisions
                 WHERE action = 'reject' AND decided_ms >= ?1 AND decided_ms < ?2 GROUP BY operator_id",
            )?;
            let rejects = st.query_map(params![since_ms, until_ms], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))
            })?;
            for row in rejects {
                let (op, n) = row?;
                if let Some(t) = times.iter_mut().find(|t| t.operator_id == op) {
                    t.rejected = n.max(0) as u64;
                }
            }
            times.sort_by(|a, b| a.operator_id.cmp(&b.operator_id));
            Ok((hours, times))
        })
    }

    /// Rejections in `[since_ms, until_ms)` per reason, most frequent first.
    pub fn rejection_reasons(&self, since_ms: i64, until_ms: i64) -> Result<Vec<(String, u64)>> {
        self.read(|c| {
            let mut st = c.prepare_cached(
                "SELECT COALESCE(NULLIF(trim(reason), ''), '(no reason)') AS why, count(*) AS n
                 FROM decisions WHERE action = 'reject' AND decided_ms >= ?1 AND decided_ms < ?2
                 GROUP BY why ORDER BY n DESC, why",
            )?;
            let rows = st.query_map(params![since_ms, until_ms], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?.max(0) as u64))
            })?;
            rows.collect::<Result<_, _>>()
        })
    }
}
