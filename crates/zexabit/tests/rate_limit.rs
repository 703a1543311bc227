//! The default quota, driven by governor's fake clock: no 60-second window
//! ever holds more than the documented 100 requests.

use cashdesk_zexabit::RateLimit;
use governor::RateLimiter;
use governor::clock::{Clock, FakeRelativeClock};
use std::time::Duration;

/// Times (since start) at which a client sending as fast as allowed gets
/// a permit, over `span` of fake time.
fn permits(limit: RateLimit, span: Duration) -> Vec<Duration> {
    let clock = FakeRelativeClock::default();
    let start = clock.now();
    let limiter = RateLimiter::direct_with_clock(limit.quota(), clock.clone());
    let mut sent = Vec::new();
    loop {
        let now = clock.now();
        let elapsed = Duration::from(now.saturating_sub(start));
        if elapsed >= span {
            return sent;
        }
        match limiter.check() {
            Ok(()) => sent.push(elapsed),
            Err(not_until) => {
                clock.advance(not_until.wait_time_from(now).max(Duration::from_nanos(1)))
            }
        }
    }
}

fn busiest_minute(sent: &[Duration]) -> usize {
    let minute = Duration::from_secs(60);
    (0..sent.len())
        .map(|i| {
            sent[i..]
                .iter()
                .take_while(|t| **t < sent[i] + minute)
                .count()
        })
        .max()
        .unwrap_or(0)
}

#[test]
fn the_101st_request_cannot_go_out_within_a_minute_of_the_first() {
    let sent = permits(RateLimit::default(), Duration::from_secs(600));
    assert!(
        sent[100] >= sent[0] + Duration::from_secs(60),
        "101st at {:?}",
        sent[100]
    );
    assert_eq!(busiest_minute(&sent), 100);
}

#[test]
fn the_limit_holds_in_every_window_not_only_the_first() {
    for burst in [1, 10, 50, 100] {
        let sent = permits(
            RateLimit {
                per_minute: 100,
                burst,
            },
            Duration::from_secs(300),
        );
        assert!(busiest_minute(&sent) <= 100, "burst {burst}");
        // and not needlessly slow: (101 - burst) a minute after the burst
        let floor = 5 * (100 - burst as usize) + burst as usize;
        assert!(
            sent.len() >= floor,
            "burst {burst}: only {} in 5 min",
            sent.len()
        );
    }
}
