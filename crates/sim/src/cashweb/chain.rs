//! Time on the simulated chain.
//!
//! Nothing runs in the background: a transaction's state is worked out
//! from its timestamps whenever it is read, so it moves exactly on time and
//! a test can never race a timer. A deposit landing at `t` is
//! `deposit_detected` until `t + interval`, then `confirming` with one more
//! confirmation per interval, then `confirmed` at `t + required × interval`.
//! A transaction with no deposit landed by `expires_at` is `expired` from
//! that instant; a deposit seen before the deadline is honoured after it.

use super::records::SimTransaction;
use cashdesk_cashweb::Status;
use chrono::{DateTime, SubsecRound, TimeDelta, Utc};
use std::time::Duration;

/// Now, to the millisecond, as timestamps are sent.
pub fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(3)
}

pub(crate) fn delta(d: Duration) -> TimeDelta {
    TimeDelta::from_std(d).unwrap_or(TimeDelta::MAX)
}

/// Brings `t` up to `now`.
pub(crate) fn advance(t: &mut SimTransaction, now: DateTime<Utc>, interval: Duration) {
    if t.status.is_final() {
        return;
    }
    let landed = t.deposit_at.filter(|at| *at <= now && *at < t.expires_at);
    if let Some(at) = landed {
        let required = t.required_confirmations;
        let elapsed = (now - at).to_std().unwrap_or(Duration::ZERO);
        let done = if interval.is_zero() {
            required
        } else {
            let n = elapsed.as_nanos() / interval.as_nanos();
            u32::try_from(n).unwrap_or(u32::MAX).min(required)
        };
        t.received_at = Some(at);
        t.confirmations = done;
        t.updated_at = at
            .checked_add_signed(delta(interval.saturating_mul(done)))
            .unwrap_or(at);
        t.status = if done >= required {
            t.confirmed_at = Some(t.updated_at);
            Status::Confirmed
        } else if done == 0 {
            Status::DepositDetected
        } else {
            Status::Confirming
        };
    } else if now >= t.expires_at {
        t.status = Status::Expired;
        t.updated_at = t.expires_at;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cashweb::state::tests::sample;

    fn ms(n: i64) -> TimeDelta {
        TimeDelta::milliseconds(n)
    }

    #[test]
    fn a_deposit_is_detected_then_confirming_then_confirmed_on_schedule() {
        let mut t = sample();
        let t0 = t.created_at;
        t.required_confirmations = 3;
        t.deposit_at = Some(t0 + ms(100));
        let step = Duration::from_millis(50);
        advance(&mut t, t0 + ms(99), step);
        assert_eq!(t.status, Status::AwaitingDeposit);
        advance(&mut t, t0 + ms(100), step);
        assert_eq!(
            (t.status.clone(), t.confirmations),
            (Status::DepositDetected, 0)
        );
        assert_eq!(t.received_at, Some(t0 + ms(100)));
        advance(&mut t, t0 + ms(199), step);
        assert_eq!((t.status.clone(), t.confirmations), (Status::Confirming, 1));
        assert_eq!(t.updated_at, t0 + ms(150));
        advance(&mut t, t0 + ms(10_000), step);
        assert_eq!((t.status.clone(), t.confirmations), (Status::Confirmed, 3));
        assert_eq!(t.confirmed_at, Some(t0 + ms(250)));
    }

    #[test]
    fn with_no_deposit_by_the_deadline_it_expires_at_that_instant() {
        let mut t = sample();
        let deadline = t.expires_at;
        advance(&mut t, deadline - ms(1), Duration::from_millis(50));
        assert_eq!(t.status, Status::AwaitingDeposit);
        advance(&mut t, deadline + ms(500), Duration::from_millis(50));
        assert_eq!(
            (t.status.clone(), t.updated_at),
            (Status::Expired, deadline)
        );
    }

    #[test]
    fn a_deposit_after_the_deadline_is_not_honoured_one_before_it_is() {
        let mut late = sample();
        let deadline = late.expires_at;
        late.deposit_at = Some(deadline);
        advance(&mut late, deadline + ms(1000), Duration::from_millis(1));
        assert_eq!(late.status, Status::Expired);
        let mut early = sample();
        let deadline = early.expires_at;
        early.deposit_at = Some(deadline - ms(1));
        advance(&mut early, deadline + ms(1), Duration::from_secs(60));
        assert_eq!(early.status, Status::DepositDetected);
    }
}
