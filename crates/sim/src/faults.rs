//! Faults a test can inject into any simulator: slow answers, server
//! errors, rate limiting, and the two cases that matter most for money,
//! a request that was committed but whose answer never arrives (dropped
//! connection) or arrives too late (client timeout).

use std::time::{Duration, SystemTime};

/// How a simulated 429 writes its `Retry-After` header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RetryAfterForm {
    /// `Retry-After: <seconds>`.
    Seconds(u64),
    /// `Retry-After: <HTTP-date>` this many seconds from now.
    HttpDate(u64),
}

impl RetryAfterForm {
    pub fn header_value(&self, now: SystemTime) -> String {
        match self {
            RetryAfterForm::Seconds(s) => s.to_string(),
            RetryAfterForm::HttpDate(s) => httpdate::fmt_http_date(now + Duration::from_secs(*s)),
        }
    }
}

/// Faults for the next requests. Counters are consumed one per request
/// they hit; `latency` and `hang_after_commit` stay until replaced.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Faults {
    /// Every request waits this long before it is handled.
    pub latency: Option<Duration>,
    /// The next N requests get HTTP 500 before anything is committed.
    pub fail_with_500: u32,
    /// The next request gets HTTP 429 with this `Retry-After`.
    pub rate_limit_next: Option<RetryAfterForm>,
    /// The next N money-moving POSTs are committed, then the connection is
    /// closed with no response at all.
    pub drop_after_commit: u32,
    /// Money-moving POSTs are committed, then the answer waits this long.
    pub hang_after_commit: Option<Duration>,
    /// The next N requests that would succeed (after committing) get a
    /// truncated, unparseable 2xx body instead.
    pub malformed_next: u32,
}

impl Faults {
    pub fn take_500(&mut self) -> bool {
        take(&mut self.fail_with_500)
    }

    pub fn take_rate_limit(&mut self) -> Option<RetryAfterForm> {
        self.rate_limit_next.take()
    }

    pub fn take_drop(&mut self) -> bool {
        take(&mut self.drop_after_commit)
    }

    pub fn take_malformed(&mut self) -> bool {
        take(&mut self.malformed_next)
    }
}

fn take(counter: &mut u32) -> bool {
    if *counter > 0 {
        *counter -= 1;
        true
    } else {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counters_fire_exactly_n_times() {
        let mut f = Faults {
            fail_with_500: 2,
            ..Faults::default()
        };
        assert!(f.take_500());
        assert!(f.take_500());
        assert!(!f.take_500());
    }

    #[test]
    fn a_rate_limit_fault_fires_once() {
        let mut f = Faults {
            rate_limit_next: Some(RetryAfterForm::Seconds(7)),
            ..Faults::default()
        };
        assert_eq!(f.take_rate_limit(), Some(RetryAfterForm::Seconds(7)));
        assert_eq!(f.take_rate_limit(), None);
    }

    #[test]
    fn retry_after_is_written_in_the_chosen_form() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_772_965_800);
        assert_eq!(RetryAfterForm::Seconds(30).header_value(now), "30");
        let date = RetryAfterForm::HttpDate(60).header_value(now);
        assert_eq!(
            httpdate::parse_http_date(&date).unwrap(),
            now + Duration::from_secs(60)
        );
    }
}
