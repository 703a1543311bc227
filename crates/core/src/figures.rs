//! The overview's figures from a time range's decisions: throughput per
//! hour (per agent, per provider), time to decide per agent (median and
//! 90th percentile), rejections by reason. Pure functions, so the figures
//! are tested against hand-counted fixtures.

use cashdesk_store::DecisionFact;
use std::collections::BTreeMap;

const HOUR_MS: i64 = 3_600_000;
/// Reasons shown by name; the rest are summed as "Other".
pub const TOP_REASONS: usize = 8;

/// Counts per hour for one agent or provider, aligned with [`Figures::hours`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Series {
    pub key: String,
    pub label: String,
    pub values: Vec<u32>,
}

/// One agent's time to decide: from opening (claiming) a request to the
/// decision. Decisions made without a claim are counted, not timed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecideTimes {
    pub operator_id: String,
    pub name: String,
    pub decided: u32,
    pub timed: u32,
    pub median_ms: Option<i64>,
    pub p90_ms: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Figures {
    /// Hour starts (ms) from the range's first hour to its last.
    pub hours: Vec<i64>,
    pub by_agent: Vec<Series>,
    pub by_provider: Vec<Series>,
    pub decide_times: Vec<DecideTimes>,
    /// (reason, count), most frequent first; "Other" last.
    pub rejections: Vec<(String, u32)>,
    pub decided: u32,
    pub rejected: u32,
}

/// The nearest-rank percentile `p` (0 < p ≤ 100) of sorted `values`: the
/// smallest value with at least p% of the values at or below it.
pub fn percentile(sorted: &[i64], p: u32) -> Option<i64> {
    if sorted.is_empty() {
        return None;
    }
    let n = sorted.len() as u64;
    let rank = (u64::from(p) * n).div_ceil(100).max(1);
    sorted.get(rank as usize - 1).copied()
}

fn hour_of(ms: i64) -> i64 {
    ms.div_euclid(HOUR_MS) * HOUR_MS
}

/// The figures of `decisions` made in `[since_ms, until_ms)`.
pub fn figures(decisions: &[DecisionFact], since_ms: i64, until_ms: i64) -> Figures {
    let first = hour_of(since_ms);
    let last = hour_of((until_ms - 1).max(since_ms));
    let hours: Vec<i64> = (0..=(last - first) / HOUR_MS)
        .map(|i| first + i * HOUR_MS)
        .collect();
    let slot = |ms: i64| ((hour_of(ms) - first) / HOUR_MS) as usize;
    let mut agents: BTreeMap<String, (String, Vec<u32>, Vec<i64>, u32)> = BTreeMap::new();
    let mut providers: BTreeMap<String, Vec<u32>> = BTreeMap::new();
    let mut reasons: BTreeMap<String, u32> = BTreeMap::new();
    let mut out = Figures::default();
    for d in decisions {
        if d.decided_ms < since_ms || d.decided_ms >= until_ms {
            continue;
        }
        let i = slot(d.decided_ms);
        out.decided += 1;
        let a = agents
            .entry(d.operator_id.clone())
            .or_insert_with(|| (String::new(), vec![0; hours.len()], Vec::new(), 0));
        // The name at the latest decision (names can be changed).
        a.0.clone_from(&d.operator_name);
        a.1[i] += 1;
        a.3 += 1;
        if let Some(h) = d.handled_ms {
            a.2.push(h);
        }
        providers
            .entry(d.provider.clone())
            .or_insert_with(|| vec![0; hours.len()])[i] += 1;
        if d.action == "reject" {
            out.rejected += 1;
            let reason = d.reason.as_deref().unwrap_or("").trim();
            let reason = if reason.is_empty() {
                "(no reason)"
            } else {
                reason
            };
            *reasons.entry(reason.to_owned()).or_default() += 1;
        }
    }
    for (id, (name, values, mut times, decided)) in agents {
        times.sort_unstable();
        out.decide_times.push(DecideTimes {
            operator_id: id.clone(),
            name: name.clone(),
            decided,
            timed: times.len() as u32,
            median_ms: percentile(&times, 50),
            p90_ms: percentile(&times, 90),
        });
        out.by_agent.push(Series {
            key: id,
            label: name,
            values,
        });
    }
    out.by_agent.sort_by(|a, b| a.label.cmp(&b.label));
    out.decide_times.sort_by(|a, b| a.name.cmp(&b.name));
    out.by_provider = providers
        .into_iter()
        .map(|(p, values)| Series {
            key: p.clone(),
            label: p,
            values,
        })
        .collect();
    let mut reasons: Vec<(String, u32)> = reasons.into_iter().collect();
    reasons.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    if reasons.len() > TOP_REASONS {
        let other: u32 = reasons[TOP_REASONS..].iter().map(|r| r.1).sum();
        reasons.truncate(TOP_REASONS);
        reasons.push(("Other".into(), other));
    }
    out.rejections = reasons;
    out.hours = hours;
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const T0: i64 = 1_780_000_000_000 - 1_780_000_000_000 % HOUR_MS;

    fn d(
        min: i64,
        who: &str,
        provider: &str,
        action: &str,
        handled_s: Option<i64>,
    ) -> DecisionFact {
        DecisionFact {
            decided_ms: T0 + min * 60_000,
            operator_id: format!("id-{who}"),
            operator_name: who.into(),
            provider: provider.into(),
            action: action.into(),
            reason: (action == "reject").then(|| format!("reason of {who}")),
            handled_ms: handled_s.map(|s| s * 1000),
            waited_ms: 0,
        }
    }

    #[test]
    fn nearest_rank_percentiles_counted_by_hand() {
        let v = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100];
        assert_eq!(percentile(&v, 50), Some(50));
        assert_eq!(percentile(&v, 90), Some(90));
        assert_eq!(percentile(&v[..3], 50), Some(20));
        assert_eq!(percentile(&v[..3], 90), Some(30));
        assert_eq!(percentile(&v[..1], 90), Some(10));
        assert_eq!(percentile(&[], 50), None);
    }

    #[test]
    fn throughput_decide_times_and_reasons_counted_by_hand() {
        // Hour 0: Asha 3 (zexabit 2, paykassma 1), Bilal 1 (rejects).
        // Hour 1: nobody. Hour 2: Asha 1 (reject, no claim), Bilal 2.
        let rows = vec![
            d(5, "Asha", "zexabit", "approve", Some(30)),
            d(10, "Asha", "zexabit", "approve", Some(90)),
            d(50, "Asha", "paykassma", "approve", Some(60)),
            d(59, "Bilal", "paykassma", "reject", Some(20)),
            d(125, "Asha", "zexabit", "reject", None),
            d(130, "Bilal", "zexabit", "approve", Some(40)),
            d(179, "Bilal", "cashweb", "settle", Some(400)),
            // Outside the range: not counted.
            d(180, "Bilal", "cashweb", "approve", Some(1)),
        ];
        let f = figures(&rows, T0 + 60_000, T0 + 180 * 60_000);
        assert_eq!(f.hours, vec![T0, T0 + HOUR_MS, T0 + 2 * HOUR_MS]);
        assert_eq!(f.decided, 7);
        assert_eq!(f.rejected, 2);
        let asha = &f.by_agent[0];
        assert_eq!(
            (asha.label.as_str(), asha.values.clone()),
            ("Asha", vec![3, 0, 1])
        );
        assert_eq!(f.by_agent[1].values, vec![1, 0, 2]);
        let by_p: Vec<(&str, Vec<u32>)> = f
            .by_provider
            .iter()
            .map(|s| (s.label.as_str(), s.values.clone()))
            .collect();
        assert_eq!(
            by_p,
            vec![
                ("cashweb", vec![0, 0, 1]),
                ("paykassma", vec![2, 0, 0]),
                ("zexabit", vec![2, 0, 2]),
            ]
        );
        // Asha timed 30, 60, 90 s (the claimless reject counted, not timed).
        let a = &f.decide_times[0];
        assert_eq!((a.decided, a.timed), (4, 3));
        assert_eq!((a.median_ms, a.p90_ms), (Some(60_000), Some(90_000)));
        // Bilal timed 20, 40, 400 s.
        let b = &f.decide_times[1];
        assert_eq!((b.median_ms, b.p90_ms), (Some(40_000), Some(400_000)));
        assert_eq!(
            f.rejections,
            vec![
                ("reason of Asha".to_owned(), 1),
                ("reason of Bilal".to_owned(), 1)
            ]
        );
    }

    #[test]
    fn reasons_beyond_the_top_ones_are_summed_as_other() {
        let mut rows = Vec::new();
        for i in 0..12 {
            for _ in 0..(12 - i) {
                let mut r = d(1, "Asha", "zexabit", "reject", None);
                r.reason = Some(format!("r{i:02}"));
                rows.push(r);
            }
        }
        let f = figures(&rows, T0, T0 + HOUR_MS);
        assert_eq!(f.rejections.len(), TOP_REASONS + 1);
        assert_eq!(f.rejections[0], ("r00".into(), 12));
        // r08..r11: 4 + 3 + 2 + 1.
        assert_eq!(f.rejections[TOP_REASONS], ("Other".into(), 10));
    }
}
