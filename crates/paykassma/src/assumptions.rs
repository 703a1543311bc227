//! Everything the Paykassma document leaves open, decided in one place.
//!
//! The document prints paths, bodies and a few rules, but is silent (or
//! self-contradictory) on HTTP statuses, how GET parameters travel, the
//! postback delivery format, several payment system codes and which fields
//! each system needs. Each item below is marked *Documented* or
//! *Assumption*; when Paykassma tells us otherwise this file is the one to
//! change, and [`Paths`] and [`crate::rules::Rules`] can be overridden from
//! configuration without a rebuild.
//!
//! # Recovering after an ambiguous failure (for the core)
//!
//! Paykassma has no idempotency key, but it treats our ids as unique: the
//! deposit `custom_transaction_id` / `custom_id` ("it is necessary to pass a
//! non-repeating parameter value") and the withdrawal `withdrawal_id`. So:
//!
//! 1. Always send our own id: the request types require `withdrawal_id`
//!    although the document makes it optional, since a withdrawal whose id
//!    Paykassma generated could not be looked up after a timeout.
//! 2. On an error with [`crate::Error::may_have_taken_effect`], do not send
//!    again. Ask first: [`crate::Client::postback_by_withdrawal_id`],
//!    [`crate::Client::postback_by_custom_id`] or, for many at once,
//!    [`crate::Client::pull_withdrawal_postbacks`] /
//!    [`crate::Client::pull_deposit_postbacks`]. A postback found settles it.
//! 3. No postback yet means "not finished", not "not received": a withdrawal
//!    in progress has no postback until it is processed. Keep the request
//!    "outcome unknown" and ask again later, or settle by supervisor.
//! 4. The core never sends it again on its own. A person, shown every
//!    lookup and its answer, may order a resend; it carries the same id.
//!    If Paykassma answers [`crate::Error::AlreadyUsed`], that proves the
//!    first one arrived.
//!
//! Relied on: a postback found (pushed or looked up) is Paykassma's word,
//! compared with the request before it settles anything: the `amount` and
//! `currency_code` it reports (for a deposit, those of the transaction
//! carrying our `custom_id`, since savings pool several payments into one
//! postback) and its `label`, which we send as the request's end user.
//! Merely tolerated (the app stays safe either way, and the simulator
//! plays both): a repeated `withdrawal_id` / `custom_transaction_id`
//! refused or taken as a new one; a lookup that does not see a new
//! postback for a while; a postback delivered more than once; a postback
//! that arrives before the HTTP answer of the call that caused it.
//!
//! # What moved (for the core)
//!
//! Not assumed: that a deposit credits (or a withdrawal pays) the amount
//! asked. The document promises no such thing (a customer may pay less;
//! savings pool payments), so the settled amount is whatever the postback
//! reports. Tolerated: another amount, less or more, or another currency.
//! The request then becomes "amount differs" with both amounts shown, a
//! person can only accept what moved, and the operator's platform reads
//! the settled amount (`settled_amount` / `settled_currency`), not the one
//! asked. The simulator credits a deposit as asked or a tenth less
//! (`cashdesk_sim::Credit`). A postback naming another `label` is not this
//! request's evidence and is not applied.
//!
//! # Where the document contradicts itself
//!
//! - pullpostbacks: the table makes `plugin_custom_order_id` required "if
//!   type = withdrawal" and `withdrawal_id` "if type =
//!   plugin_custom_order_id"; its own error example ("required when type is
//!   deposit") shows the intent: order ids for deposits, withdrawal ids for
//!   withdrawals.
//! - possible-transaction: "Format: JSON" in one rendering,
//!   "multipart/form-data" in the other; a screenshot is a file, so
//!   multipart.
//! - The examples' JSON is not always valid (missing commas, trailing
//!   commas, single quotes); only the field names and types are taken.
//!
//! # The signature
//!
//! Documented: `sha1(private_key . md5(multiImplode(':', ksort($data))))`.
//! Assumption: Paykassma verifies it over our JSON body after
//! `json_decode($body, true)`, without the `signature` key, so values are
//! signed as PHP prints the decoded values (see [`crate::php`]). We sign
//! exactly the object we send, and leave absent fields out rather than
//! sending `null`.

use serde::{Deserialize, Serialize};
use std::time::Duration;

/// Endpoint paths, relative to the base URL (`https://api.{server}`).
/// `{wallet_type}` and `{payment_system}` are replaced by the
/// percent-encoded value. All documented; only the defaults' spelling of
/// the media-hints path (with its trailing slash) is taken as printed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Paths {
    pub payment_systems: String,
    pub media_hints: String,
    pub transaction_create: String,
    pub transaction_activate: String,
    pub possible_transaction: String,
    pub payment_create: String,
    pub deposit_info: String,
    pub hash_url: String,
    pub withdrawal_create: String,
    pub postback: String,
    pub accounts_balance: String,
    pub pullpostbacks: String,
}

impl Default for Paths {
    fn default() -> Self {
        Self {
            payment_systems: "/api/v1/payment-systems/available".into(),
            media_hints: "/wallet-type/images/".into(),
            transaction_create: "/api/v1/transaction/create/{wallet_type}".into(),
            transaction_activate: "/api/v1/transaction/activate".into(),
            possible_transaction: "/api/v1/possible-transaction".into(),
            payment_create: "/api/v1/payment/create/{payment_system}".into(),
            deposit_info: "/api/v1/deposit-info".into(),
            hash_url: "/payment-plugin/hash-url".into(),
            withdrawal_create: "/v2/withdrawal/create".into(),
            postback: "/api/v1/postback".into(),
            accounts_balance: "/api/v1/accounts-balance".into(),
            pullpostbacks: "/api/v1/pullpostbacks".into(),
        }
    }
}

/// Documented: the access key travels as the `secret` GET parameter on
/// every request except the withdrawal, which is signed instead.
pub const SECRET_PARAM: &str = "secret";

/// Assumption: the document prints JSON bodies for its GET requests
/// (available payment systems, deposit info). Laravel reads parameters from
/// the query string and the body alike, and a GET body is dropped by many
/// proxies, so every GET parameter goes in the query string; arrays in
/// PHP's form (`currency_code[]=USD&currency_code[]=INR`).
pub const ARRAY_PARAM_SUFFIX: &str = "[]";

/// Assumption: the document gives no timeouts. Failing to connect within
/// this means nothing was sent.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// Assumption: whole-request deadline. A request that times out after the
/// connection was made may have been processed.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// Documented (with an HTTP 400): activating a suspicious transaction
/// answers "Check of deposit status started. The operation may take longer
/// than expected. ..." — the deposit is pending, not refused. Assumption:
/// it is recognised by this text anywhere in a 4xx body.
pub const CHECK_STARTED_TEXT: &str = "Check of deposit status started";

/// Documented in pullpostbacks: an id with no postback yet carries this
/// message. Assumption: `GET /api/v1/postback` answers the same text in
/// its `status: fail` body for an unknown id.
pub const POSTBACK_NOT_FOUND_TEXT: &str = "Postback not found";

/// Documented: `{"withdrawals_sum_amount": ["Insufficient balance"]}`.
pub const INSUFFICIENT_BALANCE_FIELD: &str = "withdrawals_sum_amount";
pub const INSUFFICIENT_BALANCE_TEXT: &str = "Insufficient balance";

/// Assumption: a repeated `custom_transaction_id`, `custom_id` or
/// `withdrawal_id` is refused as Laravel's `unique` rule words it, under
/// the field's name: "The withdrawal id has already been taken."
pub const ALREADY_TAKEN_TEXT: &str = "has already been taken";

/// Fields whose repeat means "this request already arrived".
pub const UNIQUE_ID_FIELDS: [&str; 3] = ["custom_transaction_id", "custom_id", "withdrawal_id"];

/// Documented for accounts-balance: a wrong secret answers
/// `{"status":"error","code":30228,"errors":{"target":"secret",...}}`.
/// Elsewhere the documented answer to a missing or wrong secret is HTTP 404
/// "Not found", which cannot be told apart from a wrong base URL.
pub const SECRET_ERROR_TARGET: &str = "secret";

/// Documented: redirect URL hashes live one day; then hash them again.
pub const HASH_LIFETIME: Duration = Duration::from_secs(24 * 60 * 60);

/// Assumption: a postback is POSTed to our URL as a JSON object: the same
/// object `GET /api/v1/postback` returns under `postback`, plus a
/// `signature` field made with the withdrawal algorithm and private key
/// ("signed with a signature", documented for withdrawals). Deposit
/// postbacks are assumed signed the same way; when
/// [`PostbackPolicy::require_deposit_signature`] is turned off, an unsigned
/// deposit postback is only a hint to look the postback up with the secret.
/// Assumption: any 2xx answer from our endpoint is the acknowledgement
/// ("postback ack") Paykassma waits for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PostbackPolicy {
    pub require_deposit_signature: bool,
}

impl Default for PostbackPolicy {
    fn default() -> Self {
        Self {
            require_deposit_signature: true,
        }
    }
}

/// Assumption: the provider's error text is kept for display, cut to this
/// many characters when the body is not one of the documented shapes.
pub const MAX_ERROR_TEXT: usize = 500;

/// Assumption: `created_datetime` / `activated_datetime` are printed as
/// "2021-10-21 13:34:12" with no zone; they are kept as naive date-times.
pub const DATETIME_FORMAT: &str = "%Y-%m-%d %H:%M:%S";

/// How long Paykassma keeps what we look up after a lost answer: postbacks by our custom id / withdrawal id, and pullpostbacks.
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
        assert_eq!(p.withdrawal_create, "/v2/withdrawal/create");
        assert_eq!(p.media_hints, "/wallet-type/images/");
        assert_eq!(p.hash_url, "/payment-plugin/hash-url");
    }

    #[test]
    fn paths_can_be_overridden_one_at_a_time_from_configuration() {
        let p: Paths = serde_json::from_str(r#"{"postback": "/api/v2/postback"}"#).unwrap();
        assert_eq!(p.postback, "/api/v2/postback");
        assert_eq!(p.pullpostbacks, "/api/v1/pullpostbacks");
        assert!(serde_json::from_str::<Paths>(r#"{"typo": "/x"}"#).is_err());
    }
}
