//! The overview's charts from the store's aggregates (counted and ranked
//! by SQLite over a covering index): an hour axis with a series per agent
//! and per provider, time to decide per agent, and the top rejection
//! reasons with the rest summed. Pure, so tested against hand counts.

use cashdesk_store::{DecideTime, HourCount};
use std::collections::{BTreeMap, HashMap};

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

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Figures {
    /// Hour starts (ms) from the range's first hour to its last.
    pub hours: Vec<i64>,
    pub by_agent: Vec<Series>,
    pub by_provider: Vec<Series>,
    /// (reason, count), most frequent first; "Other" last.
    pub rejections: Vec<(String, u32)>,
    pub decided: u32,
    pub rejected: u32,
}

fn hour_of(ms: i64) -> i64 {
    ms.div_euclid(HOUR_MS) * HOUR_MS
}

/// An operator's name (by id, as the operators list has it now), or the
/// start of their id when they are gone.
pub fn name_of(names: &HashMap<String, String>, id: &str) -> String {
    names
        .get(id)
        .cloned()
        .unwrap_or_else(|| id.chars().take(8).collect())
}

/// The charts of a range `[since_ms, until_ms)`.
pub fn figures(
    counts: &[HourCount],
    reasons: &[(String, u64)],
    names: &HashMap<String, String>,
    since_ms: i64,
    until_ms: i64,
) -> Figures {
    let first = hour_of(since_ms);
    let last = hour_of((until_ms - 1).max(since_ms));
    let hours: Vec<i64> = (0..=(last - first) / HOUR_MS)
        .map(|i| first + i * HOUR_MS)
        .collect();
    let mut agents: BTreeMap<String, Vec<u32>> = BTreeMap::new();
    let mut providers: BTreeMap<String, Vec<u32>> = BTreeMap::new();
    let mut out = Figures::default();
    for c in counts {
        let Ok(i) = usize::try_from((hour_of(c.hour_ms) - first) / HOUR_MS) else {
            continue;
        };
        if i >= hours.len() {
            continue;
        }
        let n = u32::try_from(c.decided).unwrap_or(u32::MAX);
        out.decided += n;
        agents
            .entry(c.operator_id.clone())
            .or_insert_with(|| vec![0; hours.len()])[i] += n;
        providers
            .entry(c.provider.clone())
            .or_insert_with(|| vec![0; hours.len()])[i] += n;
    }
    out.by_agent = agents
        .into_iter()
        .map(|(id, values)| Series {
            label: name_of(names, &id),
            key: id,
            values,
        })
        .collect();
    out.by_agent.sort_by(|a, b| a.label.cmp(&b.label));
    out.by_provider = providers
        .into_iter()
        .map(|(p, values)| Series {
            key: p.clone(),
            label: p,
            values,
        })
        .collect();
    let mut reasons: Vec<(String, u32)> = reasons
        .iter()
        .map(|(r, n)| (r.clone(), u32::try_from(*n).unwrap_or(u32::MAX)))
        .collect();
    out.rejected = reasons.iter().map(|r| r.1).sum();
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

/// Decide times sorted by the agents' names.
pub fn by_name(
    mut times: Vec<DecideTime>,
    names: &HashMap<String, String>,
) -> Vec<(String, DecideTime)> {
    times.sort_by_key(|t| name_of(names, &t.operator_id));
    times
        .into_iter()
        .map(|t| (name_of(names, &t.operator_id), t))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const T0: i64 = 1_780_000_000_000 - 1_780_000_000_000 % HOUR_MS;

    fn c(hour: i64, who: &str, provider: &str, decided: u64) -> HourCount {
        HourCount {
            hour_ms: T0 + hour * HOUR_MS,
            operator_id: format!("id-{who}"),
            provider: provider.into(),
            decided,
        }
    }

    fn names() -> HashMap<String, String> {
        [("id-Asha", "Asha"), ("id-Bilal", "Bilal")]
            .into_iter()
            .map(|(a, b)| (a.to_owned(), b.to_owned()))
            .collect()
    }

    #[test]
    fn hourly_series_counted_by_hand() {
        // Hour 0: Asha 3 (zexabit 2, paykassma 1), Bilal 1 (paykassma).
        // Hour 1: nobody. Hour 2: Asha 1, Bilal 2 (zexabit 1, cashweb 1).
        let rows = vec![
            c(0, "Asha", "paykassma", 1),
            c(0, "Asha", "zexabit", 2),
            c(0, "Bilal", "paykassma", 1),
            c(2, "Asha", "zexabit", 1),
            c(2, "Bilal", "cashweb", 1),
            c(2, "Bilal", "zexabit", 1),
            // Outside the range: not counted.
            c(3, "Bilal", "cashweb", 9),
            c(-1, "Bilal", "cashweb", 9),
        ];
        let f = figures(&rows, &[], &names(), T0 + 60_000, T0 + 3 * HOUR_MS);
        assert_eq!(f.hours, vec![T0, T0 + HOUR_MS, T0 + 2 * HOUR_MS]);
        assert_eq!(f.decided, 7);
        let agents: Vec<(&str, Vec<u32>)> = f
            .by_agent
            .iter()
            .map(|s| (s.label.as_str(), s.values.clone()))
            .collect();
        assert_eq!(
            agents,
            vec![("Asha", vec![3, 0, 1]), ("Bilal", vec![1, 0, 2])]
        );
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
    }

    #[test]
    fn an_operator_no_longer_listed_is_named_by_their_id() {
        let f = figures(&[c(0, "Gone", "zexabit", 1)], &[], &names(), T0, T0 + 1);
        assert_eq!(f.by_agent[0].label, "id-Gone");
    }

    #[test]
    fn reasons_beyond_the_top_ones_are_summed_as_other() {
        let reasons: Vec<(String, u64)> = (0..12).map(|i| (format!("r{i:02}"), 12 - i)).collect();
        let f = figures(&[], &reasons, &names(), T0, T0 + HOUR_MS);
        assert_eq!(f.rejected, (1..=12).sum::<u32>());
        assert_eq!(f.rejections.len(), TOP_REASONS + 1);
        assert_eq!(f.rejections[0], ("r00".into(), 12));
        // r08..r11: 4 + 3 + 2 + 1.
        assert_eq!(f.rejections[TOP_REASONS], ("Other".into(), 10));
    }
}
