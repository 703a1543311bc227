//! The one rule from a call's fate to its outbox outcome, for every
//! provider: what may be sent again, after how long, and what waits for
//! evidence instead.

use cashdesk_http::SendFate;
use cashdesk_store::OutboxOutcome;
use std::time::Duration;

/// How many times a refusal the provider calls temporary (`Busy`) is
/// retried before the request is treated as refused and shown to a person.
pub(crate) const BUSY_RETRIES: i64 = 5;

/// Whether the same call may be sent again even if it arrived: a read, or
/// a call carrying an idempotency key the provider honours (CashWeb).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Repeatable {
    Yes,
    No,
}

/// What comes of a delivery attempt that ended in `fate` (`attempts`
/// counts this one). `reason` is shown as the provider said it.
pub(crate) fn outcome(
    fate: SendFate,
    reason: String,
    attempts: i64,
    repeatable: Repeatable,
) -> OutboxOutcome {
    match fate {
        SendFate::NotSent => not_sent(attempts, reason),
        SendFate::MayHaveArrived if repeatable == Repeatable::Yes => not_sent(attempts, reason),
        SendFate::MayHaveArrived => OutboxOutcome::Unknown { reason },
        SendFate::RateLimited(after) => OutboxOutcome::Retry {
            at_ms: retry_at(after.unwrap_or(Duration::from_secs(60))),
            reason,
        },
        SendFate::Busy(after) if attempts < BUSY_RETRIES => OutboxOutcome::Retry {
            at_ms: retry_at(after),
            reason,
        },
        SendFate::Busy(_) | SendFate::Refused => OutboxOutcome::Rejected { reason },
        SendFate::Failed => OutboxOutcome::Failed { reason },
    }
}

/// When to try again, `after` from now (UTC milliseconds, as the outbox stores it).
pub(crate) fn retry_at(after: Duration) -> i64 {
    chrono::Utc::now().timestamp_millis() + after.as_millis() as i64
}

/// Certainly not delivered: try again after a backoff with jitter.
fn not_sent(attempts: i64, reason: String) -> OutboxOutcome {
    OutboxOutcome::Retry {
        at_ms: retry_at(backoff(attempts)),
        reason,
    }
}

/// Backoff with jitter for calls that certainly did not arrive.
pub(crate) fn backoff(attempts: i64) -> Duration {
    use backon::BackoffBuilder;
    backon::ExponentialBuilder::default()
        .with_min_delay(Duration::from_secs(2))
        .with_max_delay(Duration::from_secs(300))
        .with_jitter()
        .without_max_times()
        .build()
        .nth(attempts.saturating_sub(1) as usize)
        .unwrap_or(Duration::from_secs(300))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(o: &OutboxOutcome) -> &'static str {
        match o {
            OutboxOutcome::Retry { .. } => "retry",
            OutboxOutcome::Unknown { .. } => "unknown",
            OutboxOutcome::Rejected { .. } => "rejected",
            OutboxOutcome::Failed { .. } => "failed",
            _ => "other",
        }
    }

    #[test]
    fn a_call_that_may_have_arrived_is_resent_only_when_repeating_it_is_harmless() {
        let r = || "timed out".to_owned();
        let once = outcome(SendFate::MayHaveArrived, r(), 1, Repeatable::No);
        assert_eq!(kind(&once), "unknown");
        let read = outcome(SendFate::MayHaveArrived, r(), 1, Repeatable::Yes);
        assert_eq!(kind(&read), "retry");
        assert_eq!(
            kind(&outcome(SendFate::NotSent, r(), 1, Repeatable::No)),
            "retry"
        );
    }

    #[test]
    fn a_temporary_refusal_is_retried_a_few_times_then_refused() {
        let wait = Duration::from_secs(30);
        for attempt in 1..BUSY_RETRIES {
            let o = outcome(
                SendFate::Busy(wait),
                "no agent".into(),
                attempt,
                Repeatable::No,
            );
            assert_eq!(kind(&o), "retry", "attempt {attempt}");
        }
        let o = outcome(
            SendFate::Busy(wait),
            "no agent".into(),
            BUSY_RETRIES,
            Repeatable::No,
        );
        assert_eq!(kind(&o), "rejected");
    }

    #[test]
    fn a_rate_limit_waits_as_told_or_a_minute() {
        let now = chrono::Utc::now().timestamp_millis();
        let told = outcome(
            SendFate::RateLimited(Some(Duration::from_secs(7))),
            "429".into(),
            1,
            Repeatable::No,
        );
        let OutboxOutcome::Retry { at_ms, .. } = told else {
            panic!("{told:?}")
        };
        assert!((now + 6_000..now + 9_000).contains(&at_ms));
        let untold = outcome(SendFate::RateLimited(None), "429".into(), 1, Repeatable::No);
        let OutboxOutcome::Retry { at_ms, .. } = untold else {
            panic!("{untold:?}")
        };
        assert!(at_ms >= now + 59_000);
        assert_eq!(
            kind(&outcome(
                SendFate::Refused,
                "no funds".into(),
                1,
                Repeatable::No
            )),
            "rejected"
        );
        assert_eq!(
            kind(&outcome(SendFate::Failed, "401".into(), 1, Repeatable::No)),
            "failed"
        );
    }
}
