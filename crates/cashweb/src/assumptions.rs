//! Everything the CashWeb document leaves open, decided in one place.
//!
//! The Transactions API document names the endpoints, the create and status
//! fields, the two pricing modes, the two deadlines, cursor-only listing and
//! the cancel rule. It does not name the authentication scheme, the shape of
//! an error, the status values beyond `awaiting_deposit`, the list body, how
//! a quote is obtained, or any limit on `merchant_reference`. Each such gap
//! is decided below; when CashWeb tells us otherwise, this file is the only
//! one to change, and paths and auth can be overridden from configuration.
//!
//! # Assumptions, in one list
//!
//! - **Auth**: [`AuthScheme::Bearer`] (`Authorization: Bearer <key>`) unless
//!   configured as a named header.
//! - **Envelope**: success is `{"success": true, "data": …}` as in the
//!   document's example; an error is `{"success": false, "error": {"code",
//!   "message"}}` (the flat `{"error": "CODE", "message"}` form is read too).
//! - **Error codes** are the ones in [`codes`]; the client never depends on
//!   them to decide whether money may have moved, only on the HTTP status and
//!   on which endpoint answered (a 409 from create is a duplicate reference,
//!   a 409 from cancel is "not cancellable").
//! - **Statuses**: `awaiting_deposit` (documented), then `deposit_detected`,
//!   `confirming`, `confirmed`, `expired`, `cancelled`; `deposit_status` is
//!   `detected`, `confirming` or `confirmed`. Any other value is kept as
//!   text. These names only end a transaction with no deposit (`expired`,
//!   `cancelled`) or keep one waiting; nothing is credited on a name (see
//!   below and [`crate::evidence`]). Only `awaiting_deposit` is
//!   cancellable; a deposit detected before the deadline is honoured after
//!   it.
//! - **Status response** carries the create fields too (`id`, `status`,
//!   `merchant_reference` required; the rest tolerated absent), plus the
//!   documented reconciliation fields. A confirmed deposit means the
//!   expected `crypto_amount` arrived: the document has no received-amount
//!   field.
//! - **List**: `{"success": true, "data": [<status shape>…], "next_cursor":
//!   "…" | null}`; a null, absent or empty `next_cursor` is the last page.
//!   Each item is read on its own ([`crate::Unreadable`] for one that cannot
//!   be). The order is CashWeb's and not assumed; callers de-duplicate by
//!   `id`.
//! - **Cancel** takes no body, answers the transaction in its status shape,
//!   and an `Idempotency-Key` is sent on every call (see
//!   [`crate::IdempotencyKey::for_cancel`]).
//! - **Quotes**: the document names `quote_id` and its 120 s validity but no
//!   quote endpoint, so this adapter has none. A quote id reaches Cashdesk
//!   from outside (the operator's checkout) together with when it was
//!   issued; [`crate::Quote`] holds both, and an expired quote is refused
//!   before sending.
//! - **merchant_reference**: at most [`MERCHANT_REFERENCE_MAX_LEN`] ASCII
//!   letters, digits and `-_.:`, so it is safe as a path segment and its
//!   case-insensitive uniqueness has one meaning (no Unicode case folding).
//! - **Fiat** amounts have at most [`FIAT_DECIMAL_PLACES`] places; crypto
//!   amounts at most [`CRYPTO_DECIMAL_PLACES`]. No fiat currency is sent: it
//!   is fixed by the merchant account.
//!
//! # Relied on, and merely tolerated (how the core uses this crate)
//!
//! Relied on: the documented reconciliation fields (`deposit_id`,
//! `deposit_status`, `confirmations` against `required_confirmations`,
//! `received_at`, `confirmed_at`). A deposit is credited only when they
//! show it confirmed and none disagrees ([`crate::Evidence::Confirmed`]).
//!
//! Merely tolerated (the app stays safe either way, and the simulator plays
//! each: `cashdesk_sim::StatusNames`, `cashdesk_sim::ListOrder`, and its
//! `garble` / `odd_status` helpers):
//!
//! - **Any status name.** A deposit the fields show confirmed is credited
//!   whatever its status is called (unless it is called `expired` or
//!   `cancelled`, which disagrees). A status nobody documented with
//!   nothing else to go on, or fields that disagree, make it
//!   [`crate::Evidence::Unclear`]: it goes to a person (the request fails
//!   with CashWeb's words), never waited on in silence nor credited.
//! - **Either list order.** The feed reads from the start until it meets a
//!   known transaction and again from the cursor of the page where the
//!   list last ended, so new transactions are found newest-first or
//!   oldest-first.
//! - **Unreadable list items.** Set aside (quarantined, shown to the desk,
//!   released once they read); the rest of the page and the feed go on.
//!
//! Before rejecting (which cancels at CashWeb) the core fetches the
//! transaction, as the document asks before any user-facing action, and
//! refuses the rejection while a deposit is there, while the state is
//! unclear, or when CashWeb cannot be asked. A 409 on the cancel is read as
//! "the deposit may have arrived": the request goes from rejected to failed
//! with CashWeb's real state fetched again, for a person to decide.
//!
//! # Recovery after an ambiguous failure (how the core should use this)
//!
//! `merchant_reference` is the idempotency key of a create. When a create
//! ends in an error with [`crate::Error::may_have_taken_effect`] (timeout,
//! dropped connection, 5xx, unreadable answer), the outbox worker must not
//! simply send it again. On its next attempt it calls
//! [`crate::Client::create_or_recover`] with the same request, which:
//!
//! 1. looks the reference up (`GET /transactions/reference/{ref}`); if
//!    CashWeb has it, that transaction is the outcome (after checking it has
//!    the requested amount, currency and network);
//! 2. otherwise sends the create with the same reference;
//! 3. if that answers 409 (the first call landed meanwhile), looks it up
//!    again and returns what it finds.
//!
//! A cancel (an agent's rejection) is resent with the same
//! [`crate::IdempotencyKey`] after any failure: CashWeb answers a repeated
//! key with its first answer, so a cancel can never be applied twice. A 409
//! means the transaction is past cancelling (the deposit may have arrived):
//! fetch it and hand it to a person with what it shows.

use serde::{Deserialize, Serialize};
use std::time::Duration;

/// Endpoint paths, relative to the base URL (which may carry a prefix such
/// as `/v1`). `{id}` and `{merchant_reference}` are replaced by the
/// percent-encoded value. All four are documented.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Paths {
    /// `POST` creates, `GET` lists (cursor-only).
    pub transactions: String,
    /// `GET /transactions/{id}`.
    pub transaction: String,
    /// `GET /transactions/reference/{merchant_reference}`.
    pub by_reference: String,
    /// `POST /transactions/{id}/cancel`.
    pub cancel: String,
}

impl Default for Paths {
    fn default() -> Self {
        Self {
            transactions: "/transactions".into(),
            transaction: "/transactions/{id}".into(),
            by_reference: "/transactions/reference/{merchant_reference}".into(),
            cancel: "/transactions/{id}/cancel".into(),
        }
    }
}

/// How the API key travels. Assumption: the document names no scheme.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "scheme", rename_all = "snake_case", deny_unknown_fields)]
pub enum AuthScheme {
    /// `Authorization: Bearer <key>`.
    #[default]
    Bearer,
    /// `<name>: <key>`, e.g. `X-API-Key`.
    Header { name: String },
}

/// Documented: "Transaction deposit expiry: 30 minutes".
pub const DEPOSIT_EXPIRY: Duration = Duration::from_secs(30 * 60);

/// Documented: "Quote validity: 120 seconds".
pub const QUOTE_VALIDITY: Duration = Duration::from_secs(120);

/// Assumption: "near expiry" for a deposit is its last 5 minutes, enough
/// for an agent to finish looking at it and for some clock skew.
pub const DEPOSIT_NEAR_EXPIRY: Duration = Duration::from_secs(5 * 60);

/// Assumption: "near expiry" for a quote is its last 20 seconds.
pub const QUOTE_NEAR_EXPIRY: Duration = Duration::from_secs(20);

/// Documented list bounds: `limit (1..100)`, read as inclusive.
pub const LIST_LIMIT_MIN: u32 = 1;
pub const LIST_LIMIT_MAX: u32 = 100;

/// Assumption: see the module docs.
pub const MERCHANT_REFERENCE_MAX_LEN: usize = 64;

/// Assumption: the characters a `merchant_reference` may hold.
pub fn is_reference_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':')
}

/// Assumption: fiat amounts are in minor units of two places.
pub const FIAT_DECIMAL_PLACES: u32 = 2;

/// Crypto amounts are exact to 8 places.
pub const CRYPTO_DECIMAL_PLACES: u32 = 8;

/// Assumption: the longest `Idempotency-Key` CashWeb keeps.
pub const IDEMPOTENCY_KEY_MAX_LEN: usize = 255;

/// Documented header name for cancellation.
pub const IDEMPOTENCY_KEY_HEADER: &str = "Idempotency-Key";

/// Assumption: the document gives no timeouts. Failing to connect within
/// this means nothing was sent.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// Assumption: whole-request deadline; a timeout after connecting may
/// have been processed by CashWeb.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(20);

/// The provider's text is kept for display, cut to this many characters
/// when the body is not the assumed error shape.
pub const MAX_ERROR_TEXT: usize = 500;

/// Assumed error codes (the `error.code` field). Undocumented: shown to the
/// agent as sent, never used to decide whether money may have moved.
pub mod codes {
    pub const VALIDATION_ERROR: &str = "VALIDATION_ERROR";
    pub const UNAUTHORIZED: &str = "UNAUTHORIZED";
    pub const NOT_FOUND: &str = "NOT_FOUND";
    pub const DUPLICATE_MERCHANT_REFERENCE: &str = "DUPLICATE_MERCHANT_REFERENCE";
    pub const NOT_CANCELLABLE: &str = "NOT_CANCELLABLE";
    pub const QUOTE_NOT_FOUND: &str = "QUOTE_NOT_FOUND";
    pub const QUOTE_EXPIRED: &str = "QUOTE_EXPIRED";
    pub const INVALID_CURSOR: &str = "INVALID_CURSOR";
    pub const RATE_LIMITED: &str = "RATE_LIMITED";
    pub const INTERNAL_ERROR: &str = "INTERNAL_ERROR";
}

/// How long CashWeb keeps what we look up after a lost answer: transactions by id and by merchant_reference.
/// Assumption: the document gives no retention period. Past it, "not
/// found" no longer proves a call never arrived, so nothing is sent again
/// automatically: such requests are reconciled by a person.
pub const LOOKUP_WINDOW: Duration = Duration::from_secs(30 * 24 * 3600);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_default_to_the_documented_routes() {
        let p = Paths::default();
        assert_eq!(p.transactions, "/transactions");
        assert_eq!(p.transaction, "/transactions/{id}");
        assert_eq!(
            p.by_reference,
            "/transactions/reference/{merchant_reference}"
        );
        assert_eq!(p.cancel, "/transactions/{id}/cancel");
    }

    #[test]
    fn paths_can_be_overridden_one_at_a_time_from_configuration() {
        let p: Paths = serde_json::from_str(r#"{"cancel": "/tx/{id}/void"}"#).unwrap();
        assert_eq!(p.cancel, "/tx/{id}/void");
        assert_eq!(p.transactions, "/transactions");
        assert!(serde_json::from_str::<Paths>(r#"{"typo": "/x"}"#).is_err());
    }

    #[test]
    fn auth_is_bearer_unless_configured_as_a_named_header() {
        assert_eq!(AuthScheme::default(), AuthScheme::Bearer);
        let h: AuthScheme =
            serde_json::from_str(r#"{"scheme": "header", "name": "X-API-Key"}"#).unwrap();
        assert_eq!(
            h,
            AuthScheme::Header {
                name: "X-API-Key".into()
            }
        );
        let b: AuthScheme = serde_json::from_str(r#"{"scheme": "bearer"}"#).unwrap();
        assert_eq!(b, AuthScheme::Bearer);
    }

    #[test]
    fn the_documented_deadlines_are_30_minutes_and_120_seconds() {
        assert_eq!(DEPOSIT_EXPIRY.as_secs(), 1800);
        assert_eq!(QUOTE_VALIDITY.as_secs(), 120);
        assert!(DEPOSIT_NEAR_EXPIRY < DEPOSIT_EXPIRY && QUOTE_NEAR_EXPIRY < QUOTE_VALIDITY);
    }
}
