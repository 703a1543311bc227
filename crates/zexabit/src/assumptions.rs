//! Everything the Zexabit document leaves open, decided in one place.
//!
//! The Cash Agent API document shows request and response bodies but omits
//! several paths, the HTTP method of the lookups, timeouts and how the
//! 100 requests/minute limit is counted. Each item below is an assumption:
//! when Zexabit tells us otherwise, this file is the only one to change, and
//! the paths can be overridden from configuration without a rebuild.
//!
//! # What moved (for the core)
//!
//! Relied on: a signed webhook and the deposit / withdrawal status report
//! the `amount` Zexabit settled; webhooks also name the event kind, the
//! `userId` and the method, and the deposit status the `userId`. The core
//! compares them with the request before they settle anything.
//! Assumption: neither names a currency, so the amount is in the method's
//! currency, which is the request's.
//!
//! Not assumed: that a deposit credits (or a withdrawal pays) the amount
//! asked; a customer may pay less than the request named. Tolerated:
//! another amount, less or more. The request then becomes "amount
//! differs" with both amounts shown, a person can only accept what moved,
//! and the operator's platform reads the settled amount, not the one
//! asked. The simulator credits a deposit as asked or a tenth less
//! (`cashdesk_sim::Credit`). A report naming another user or kind is not
//! this request's evidence: a webhook is kept for a supervisor.
//!
//! Where a webhook carries no id we know (the answer to our call was
//! lost), it is matched by user, amount and method, and only to the one
//! request with an unknown outcome that fits. Assumption: its `timestamp`
//! is when Zexabit settled it, on a clock within a second of ours, so a
//! request made after it cannot be what it reports. A deposit credited at
//! another amount cannot match this way; a supervisor picks it from the
//! candidates, and it is still compared.
//!
//! Merely tolerated (the simulator plays each): a webhook delivered more
//! than once (deduplicated by event and transaction); a webhook that
//! arrives before the HTTP answer of the call that caused it (kept as a
//! candidate; the status poll settles the request once the answer has
//! named the transaction).

use serde::{Deserialize, Serialize};
use std::num::NonZeroU32;
use std::time::Duration;

/// Endpoint paths, relative to the base URL. `{userId}`, `{depositId}`,
/// `{withdrawalId}` and `{method}` are replaced by the percent-encoded value.
///
/// Assumption: the document prints the paths of creating a user, a deposit
/// and a withdrawal and of the agent number; the balance, deposit status,
/// withdrawal status and payment methods paths are not printed and follow
/// the REST shape of the documented ones. The lookups are assumed to be GET.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Paths {
    /// Documented: `POST /partner/users`.
    pub create_user: String,
    /// Assumption: not in the document.
    pub user_balance: String,
    /// Documented: `POST /partner/deposits`.
    pub deposits: String,
    /// Assumption: not in the document.
    pub deposit_status: String,
    /// Documented: `POST /partner/withdrawals`.
    pub withdrawals: String,
    /// Assumption: not in the document.
    pub withdrawal_status: String,
    /// Assumption: not in the document.
    pub payment_methods: String,
    /// Documented: `GET /partner/agent-number/{method}`. The deposit table
    /// calls it "/deposit-agent"; assumed to be the same endpoint.
    pub agent_number: String,
}

impl Default for Paths {
    fn default() -> Self {
        Self {
            create_user: "/partner/users".into(),
            user_balance: "/partner/users/{userId}/balance".into(),
            deposits: "/partner/deposits".into(),
            deposit_status: "/partner/deposits/{depositId}".into(),
            withdrawals: "/partner/withdrawals".into(),
            withdrawal_status: "/partner/withdrawals/{withdrawalId}".into(),
            payment_methods: "/partner/payment-methods".into(),
            agent_number: "/partner/agent-number/{method}".into(),
        }
    }
}

/// Documented: "max 100/min per partner".
pub const REQUESTS_PER_MINUTE: u32 = 100;

/// How the client paces itself under [`REQUESTS_PER_MINUTE`].
///
/// Assumption: the document does not say whether Zexabit counts a fixed
/// calendar minute or a sliding 60 s window, so the client guarantees that
/// NO 60-second window ever holds more than `per_minute` requests, which is
/// safe under either. It allows a burst of `burst` requests and then one
/// request every `60 s / (per_minute - burst + 1)`. Assumption: the limit is
/// per API key, and Cashdesk holds one [`crate::Client`] per key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RateLimit {
    pub per_minute: u32,
    pub burst: u32,
}

impl Default for RateLimit {
    fn default() -> Self {
        Self {
            per_minute: REQUESTS_PER_MINUTE,
            burst: 10,
        }
    }
}

impl RateLimit {
    /// The governor quota that never lets more than `per_minute` requests
    /// into any 60-second window (GCRA: at most `burst + floor(L / period)`
    /// cells fit in a window of length `L`).
    pub fn quota(&self) -> governor::Quota {
        let per_minute = self.per_minute.max(1);
        let burst = self.burst.clamp(1, per_minute);
        let steady = u128::from(per_minute - burst + 1);
        // Rounded up: a period even 1 ns short would let the last request
        // of a window land inside it.
        let nanos = Duration::from_secs(60).as_nanos().div_ceil(steady);
        let period = Duration::from_nanos(u64::try_from(nanos).unwrap_or(u64::MAX));
        let burst = NonZeroU32::new(burst).unwrap_or(NonZeroU32::MIN);
        governor::Quota::with_period(period)
            .unwrap_or_else(|| governor::Quota::per_minute(NonZeroU32::MIN))
            .allow_burst(burst)
    }
}

/// Assumption: the document gives no timeouts. Connecting to a healthy API
/// takes well under this; failing here means nothing was sent.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// Assumption: whole-request deadline. A request that times out after the
/// connection was made may have been processed by Zexabit.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(20);

/// Documented header name (HTTP header names are case-insensitive).
/// Assumptions: the value is exactly `sha256=<lowercase hex>`, and the
/// webhook secret is used as its UTF-8 bytes, as Node's
/// `crypto.createHmac('sha256', secret)` does with a string secret.
pub const WEBHOOK_SIGNATURE_HEADER: &str = "X-Zexabit-Signature";

/// Assumption: the provider's error message is kept for display, cut to
/// this many characters when the body is not the documented error shape.
pub const MAX_ERROR_TEXT: usize = 500;

/// How long Zexabit keeps what we look up after a lost answer: status by its deposit / withdrawal id (used for polling only: Zexabit calls are never resent).
/// Assumption: the document gives no retention period. Past it, "not
/// found" no longer proves a call never arrived, so nothing is sent again
/// automatically: such requests are reconciled by a person.
pub const LOOKUP_WINDOW: Duration = Duration::from_secs(30 * 24 * 3600);

/// How long to wait before asking again after "no agent available" (the
/// document calls it temporary but gives no period).
pub const NO_AGENT_WAIT: std::time::Duration = std::time::Duration::from_secs(30);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_default_to_the_documented_and_assumed_routes() {
        let p = Paths::default();
        assert_eq!(p.create_user, "/partner/users");
        assert_eq!(p.agent_number, "/partner/agent-number/{method}");
        assert_eq!(p.user_balance, "/partner/users/{userId}/balance");
    }

    #[test]
    fn paths_can_be_overridden_one_at_a_time_from_configuration() {
        let p: Paths = serde_json::from_str(r#"{"payment_methods": "/partner/methods"}"#).unwrap();
        assert_eq!(p.payment_methods, "/partner/methods");
        assert_eq!(p.deposits, "/partner/deposits");
        assert!(serde_json::from_str::<Paths>(r#"{"typo": "/x"}"#).is_err());
    }

    #[test]
    fn default_quota_spreads_the_minute_after_the_burst() {
        let q = RateLimit::default().quota();
        assert_eq!(q.burst_size().get(), 10);
        assert_eq!(q.replenish_interval(), Duration::from_nanos(659_340_660));
    }
}
