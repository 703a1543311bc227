//! Answers the provider documents leave open. Where a document is silent,
//! Cashdesk must stay safe under every plausible answer, not only the one
//! its adapters assume; so each simulator plays the answer a test picks,
//! and the money tests run under [`Unstated::each`].

use std::time::Duration;

/// What a provider does with an id it has seen before (Paykassma's
/// `withdrawal_id` / `custom_transaction_id`, Zimo-pagos' `external_id`):
/// no document says.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum RepeatedId {
    /// Refused as taken (what the adapters once assumed).
    #[default]
    Refused,
    /// Taken as a new payment: a second payout under the same id.
    AcceptedAsNew,
}

/// One answer to each open question, as a simulator plays it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Unstated {
    pub repeated_id: RepeatedId,
    /// Lookups (Zimo-pagos status, Paykassma postback lookups) do not see
    /// an item until this long after it was made.
    pub lookup_lag: Duration,
}

impl Unstated {
    /// Every combination the money tests must pass under, with a lag
    /// long enough to outlast the first lookups of a test.
    pub fn each(lag: Duration) -> Vec<Unstated> {
        let mut all = Vec::new();
        for repeated_id in [RepeatedId::Refused, RepeatedId::AcceptedAsNew] {
            for lookup_lag in [Duration::ZERO, lag] {
                all.push(Unstated {
                    repeated_id,
                    lookup_lag,
                });
            }
        }
        all
    }

    /// Whether an item made at `made` shows in a lookup yet.
    pub fn visible(&self, made: std::time::Instant) -> bool {
        made.elapsed() >= self.lookup_lag
    }

    /// Whether a repeated id is taken as a new payment.
    pub fn pays_repeats(&self) -> bool {
        self.repeated_id == RepeatedId::AcceptedAsNew
    }
}

impl std::fmt::Display for Unstated {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "repeated id {:?}, lookup lag {:?}",
            self.repeated_id, self.lookup_lag
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_covers_every_answer_once() {
        let all = Unstated::each(Duration::from_secs(1));
        assert_eq!(all.len(), 4);
        assert!(
            all.iter()
                .any(|u| u.pays_repeats() && !u.lookup_lag.is_zero())
        );
        assert!(
            all.iter()
                .any(|u| !u.pays_repeats() && u.lookup_lag.is_zero())
        );
    }
}
