//! The supervisor's overview: the queue now and over time, throughput,
//! time to decide and rejections over the shift, the day or the week.
//! Read from indexed ranges (pending view, `decisions` by time, depth
//! samples), so it stays cheap at a million requests (docs/BENCHMARKS.md).

use super::ApiResult;
use super::supervisor::{sla_minutes, supervising};
use crate::app::Cashdesk;
use crate::figures::figures;
use cashdesk_domain::RequestStatus;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// How far back the overview looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum OverviewRange {
    /// Since the open shift began (today, if no shift is open).
    Shift,
    /// Since midnight (UTC: the day the running totals use).
    Day,
    /// The last seven days.
    Week,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct DepthRow {
    pub provider: String,
    pub kind: String,
    pub method: String,
    pub pending: u32,
    pub oldest: String,
}

/// Counts aligned with the times they belong to.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ChartSeries {
    pub key: String,
    pub label: String,
    pub values: Vec<u32>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct DecideTimesRow {
    pub operator_id: String,
    pub name: String,
    pub decided: u32,
    /// Decisions made from a claim (opened, then decided): the timed ones.
    pub timed: u32,
    #[ts(type = "number | null")]
    pub median_ms: Option<i64>,
    #[ts(type = "number | null")]
    pub p90_ms: Option<i64>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ReasonCount {
    pub reason: String,
    pub count: u32,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct OverviewView {
    pub range: OverviewRange,
    pub since: String,
    pub until: String,
    /// Pending now, per provider, kind and method.
    pub depth: Vec<DepthRow>,
    pub pending: u32,
    pub oldest_pending: Option<String>,
    pub past_sla: u32,
    pub sla_minutes: u32,
    pub second_approvals: u32,
    /// Sample times and pending per provider (`*`: the whole queue); the
    /// last point is now.
    pub depth_times: Vec<String>,
    pub depth_series: Vec<ChartSeries>,
    /// Hour starts, and decisions per hour per agent and per provider.
    pub hours: Vec<String>,
    pub by_agent: Vec<ChartSeries>,
    pub by_provider: Vec<ChartSeries>,
    pub decide_times: Vec<DecideTimesRow>,
    pub rejections: Vec<ReasonCount>,
    pub decided: u32,
    pub rejected: u32,
}

/// How often the queue's depth is sampled.
pub const DEPTH_SAMPLE_MS: i64 = 5 * 60_000;
/// Second approvals waiting are counted up to this many.
const COUNT_CAP: u32 = 100_000;

fn rfc(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .unwrap_or_default()
        .to_rfc3339()
}

/// Where `range` starts, for a view made at `now_ms`.
pub(crate) fn range_start(app: &Cashdesk, range: OverviewRange, now_ms: i64) -> ApiResult<i64> {
    Ok(match range {
        OverviewRange::Shift => match app.store().current_shift()? {
            Some(s) => s.opened_at.timestamp_millis(),
            None => cashdesk_store::day_start_ms(),
        },
        OverviewRange::Day => cashdesk_store::day_start_ms(),
        OverviewRange::Week => now_ms - 7 * 24 * 3_600_000,
    })
}

/// The overview over `range`. Supervisors and admins.
pub fn overview(app: &Cashdesk, range: OverviewRange) -> ApiResult<OverviewView> {
    supervising(app)?;
    let store = app.store();
    let now = chrono::Utc::now().timestamp_millis();
    let since = range_start(app, range, now)?;
    let until = now + 1;
    let depth = store.depth_now()?;
    let sla = sla_minutes(app);
    let names: std::collections::HashMap<String, String> = store
        .operators()?
        .into_iter()
        .map(|o| (o.id.to_string(), o.name))
        .collect();
    let (counts, times) = store.decision_figures(since, until)?;
    let f = figures(
        &counts,
        &store.rejection_reasons(since, until)?,
        &names,
        since,
        until,
    );
    let times = crate::figures::by_name(times, &names);
    // The depth chart: one series per provider and the whole queue.
    let points = store.depth_over_time(since)?;
    let mut at: Vec<i64> = points.iter().map(|p| p.at_ms).collect();
    at.dedup();
    let mut series: std::collections::BTreeMap<String, Vec<u32>> = Default::default();
    for p in &points {
        let i = at.binary_search(&p.at_ms).unwrap_or(0);
        series
            .entry(p.provider.clone())
            .or_insert_with(|| vec![0; at.len()])[i] = p.pending as u32;
    }
    // The last point is now, from the live count: the chart ends where
    // the tiles are, not at the last sample up to 5 minutes ago.
    at.push(now);
    for v in series.values_mut() {
        v.push(0);
    }
    let last = at.len() - 1;
    for d in &depth {
        for key in [d.provider.as_str(), "*"] {
            series
                .entry(key.to_owned())
                .or_insert_with(|| vec![0; at.len()])[last] += d.pending as u32;
        }
    }
    series
        .entry("*".to_owned())
        .or_insert_with(|| vec![0; at.len()]);
    let chart = |s: crate::figures::Series| ChartSeries {
        key: s.key,
        label: s.label,
        values: s.values,
    };
    Ok(OverviewView {
        range,
        since: rfc(since),
        until: rfc(now),
        pending: depth.iter().map(|d| d.pending as u32).sum(),
        oldest_pending: depth.iter().map(|d| d.oldest_ms).min().map(rfc),
        depth: depth
            .into_iter()
            .map(|d| DepthRow {
                provider: d.provider,
                kind: d.kind,
                method: d.method,
                pending: d.pending as u32,
                oldest: rfc(d.oldest_ms),
            })
            .collect(),
        past_sla: store.pending_before(now - sla * 60_000)? as u32,
        sla_minutes: sla as u32,
        second_approvals: store.count_status(RequestStatus::AwaitingSecondApproval, COUNT_CAP)?,
        depth_times: at.into_iter().map(rfc).collect(),
        depth_series: series
            .into_iter()
            .map(|(k, values)| ChartSeries {
                label: if k == "*" { "All".into() } else { k.clone() },
                key: k,
                values,
            })
            .collect(),
        hours: f.hours.iter().copied().map(rfc).collect(),
        by_agent: f.by_agent.into_iter().map(chart).collect(),
        by_provider: f.by_provider.into_iter().map(chart).collect(),
        decide_times: times
            .into_iter()
            .map(|(name, d)| DecideTimesRow {
                operator_id: d.operator_id,
                name,
                decided: d.decided as u32,
                timed: d.timed as u32,
                median_ms: d.median_ms,
                p90_ms: d.p90_ms,
            })
            .collect(),
        rejections: f
            .rejections
            .into_iter()
            .map(|(reason, count)| ReasonCount { reason, count })
            .collect(),
        decided: f.decided,
        rejected: f.rejected,
    })
}

/// Samples the queue's depth now (the sampler task, every
/// [`DEPTH_SAMPLE_MS`]), and forgets samples older than five weeks.
pub(crate) fn sample_depth(
    store: &cashdesk_store::Store,
    changed: bool,
) -> cashdesk_store::Result<()> {
    let now = chrono::Utc::now().timestamp_millis();
    let bucket = now - now.rem_euclid(DEPTH_SAMPLE_MS);
    // Nothing changed since the last count: the same depth again, read
    // from that sample instead of counting the queue (an idle desk).
    if changed || !store.repeat_depth(bucket)? {
        store.sample_depth(bucket)?;
    }
    store.forget_depth_before(now - 35 * 24 * 3_600_000)
}

/// Samples the queue's depth now, outside the sampler's rhythm (a desk
/// server's script, tests).
pub fn sample_depth_now(app: &Cashdesk) -> ApiResult<()> {
    sample_depth(app.store(), true)?;
    Ok(())
}
