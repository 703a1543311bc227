//! Deadlines: a deposit address is good for 30 minutes, a quote for 120 s.
//!
//! The document's rule is "if a transaction is near expiry, fetch latest
//! state before any user-facing action". [`Expiry`] says which side of the
//! deadline a moment is on, and
//! [`crate::Transaction::must_refresh_before_acting`] applies the rule, so a
//! screen never shows an agent a deposit as payable when it may be gone.

use chrono::{DateTime, TimeDelta, Utc};
use std::time::Duration;

/// Where `now` stands against a deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expiry {
    /// More than the near-expiry margin is left.
    Open { remaining: Duration },
    /// Within the margin: fetch the latest state before acting.
    NearExpiry { remaining: Duration },
    /// At or past the deadline.
    Expired,
}

impl Expiry {
    pub fn is_expired(&self) -> bool {
        matches!(self, Expiry::Expired)
    }

    pub fn is_near_expiry(&self) -> bool {
        matches!(self, Expiry::NearExpiry { .. })
    }

    /// True unless comfortably before the deadline.
    pub fn must_refresh(&self) -> bool {
        !matches!(self, Expiry::Open { .. })
    }

    /// Time left, zero once expired.
    pub fn remaining(&self) -> Duration {
        match self {
            Expiry::Open { remaining } | Expiry::NearExpiry { remaining } => *remaining,
            Expiry::Expired => Duration::ZERO,
        }
    }
}

/// Classifies `now` against `deadline` with a near-expiry `margin`.
pub fn expiry(deadline: DateTime<Utc>, now: DateTime<Utc>, margin: Duration) -> Expiry {
    let left = deadline - now;
    if left <= TimeDelta::zero() {
        return Expiry::Expired;
    }
    let remaining = left.to_std().unwrap_or(Duration::ZERO);
    if remaining <= margin {
        Expiry::NearExpiry { remaining }
    } else {
        Expiry::Open { remaining }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assumptions::DEPOSIT_NEAR_EXPIRY;
    use crate::request::Quote;

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    #[test]
    fn a_deadline_is_open_then_near_then_expired_exactly_at_the_instant() {
        let deadline = at("2026-02-12T12:30:00Z");
        assert_eq!(
            expiry(deadline, at("2026-02-12T12:24:59Z"), DEPOSIT_NEAR_EXPIRY),
            Expiry::Open {
                remaining: Duration::from_secs(301)
            }
        );
        let near = expiry(deadline, at("2026-02-12T12:25:00Z"), DEPOSIT_NEAR_EXPIRY);
        assert!(near.is_near_expiry() && near.must_refresh());
        assert_eq!(near.remaining(), Duration::from_secs(300));
        assert!(expiry(deadline, deadline, DEPOSIT_NEAR_EXPIRY).is_expired());
        let late = expiry(deadline, at("2026-02-12T13:00:00Z"), DEPOSIT_NEAR_EXPIRY);
        assert_eq!(late.remaining(), Duration::ZERO);
    }

    #[test]
    fn a_quote_is_valid_for_120_seconds_and_near_expiry_in_its_last_20() {
        let q = Quote::issued_at("qt_1", at("2026-02-12T12:00:00Z"));
        assert_eq!(q.expires_at(), at("2026-02-12T12:02:00Z"));
        assert!(!q.expiry(at("2026-02-12T12:01:39Z")).must_refresh());
        assert!(q.expiry(at("2026-02-12T12:01:40Z")).is_near_expiry());
        assert!(q.expiry(at("2026-02-12T12:02:00Z")).is_expired());
    }
}
