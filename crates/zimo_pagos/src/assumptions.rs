//! Everything the Zimo-pagos document leaves open, decided in one place.
//!
//! The Cashout API v3 document describes the cashout request, its field
//! limits, the Mexico debit-card endpoint and the notifications, but only
//! refers to the Cashout Status Endpoint, the status codes, the error codes
//! and the signature recipe. Those come from the same Cashout v3 API family
//! as used elsewhere (see `PRODUCT.md`), and each is marked below as an
//! assumption. When Zimo-pagos tells us otherwise, this file is the only one
//! to change; paths, the card host, error codes and the notification URL
//! policy can be overridden from configuration without a rebuild.
//!
//! # Recovery after an ambiguous failure (how the core uses this crate)
//!
//! The document never says what Zimo-pagos does with an `external_id` it
//! has seen (refuse? pay again?), nor defines the status call, nor how
//! soon a new cashout shows in it. So a lookup that finds nothing proves
//! nothing. When [`crate::Client::create_cashout`] fails with
//! [`crate::Error::may_have_taken_effect`] (timeout, dropped connection,
//! unreadable 2xx, HTTP 5xx, or "external_id already used"):
//!
//! 1. the request is *outcome unknown*; the core calls
//!    [`crate::Client::find_by_external_id`] with the same `external_id`
//!    on every poll (and on every notification naming it);
//! 2. `Ok(Some(status))`: the cashout exists. Record its status and follow
//!    it. Never send it again;
//! 3. `Ok(None)` or a failed lookup: it stays unknown and is asked again.
//!    It is **never resent on its own**; a person, shown every lookup and
//!    its answer, may order a resend, which reuses the same `external_id`.
//!
//! Relied on: a cashout the status call returns exists. Merely tolerated
//! (the app stays safe either way, and the simulator plays both): a
//! repeated `external_id` refused or paid as a new cashout; a lookup that
//! does not see a new cashout for a while; a notification delivered more
//! than once (each only prompts a status fetch, and a final state stays);
//! a notification that arrives before the HTTP answer of the cashout.
//!
//! # Smaller assumptions
//!
//! - Field lengths are counted in characters (Unicode scalar values), so
//!   "José" is 4, as a person reads it.
//! - A blank optional field is not sent at all (the document has no use for
//!   an empty value and the sandbox treats both alike).
//! - The notification's `control` field is kept but NOT checked: the
//!   document says it is random characters around the `external_id` but
//!   gives neither the characters nor the algorithm. Nothing is trusted from
//!   a notification anyway: it only names a cashout whose status is then
//!   fetched over the signed, authenticated status call, so a forged one
//!   costs one status lookup.
//! - The document lists no rate limit; a 429 from a proxy is still read as
//!   "nothing was done, retry later".
//! - Status codes are the API family's ([`crate::wire::Status`]); only
//!   completed, cancelled and rejected are final. Of the others, *on hold*
//!   (5) and *delivered* (4) are not left as bare words: the core's
//!   provider status line says where the cashout is and what to do (on
//!   hold: it will not be paid until someone sets it back to pending in the
//!   Zimo-pagos merchant panel; delivered: sent to the bank, waiting for
//!   the bank's answer).
//! - The debit-card host (given by Zimo-pagos on request, so configured)
//!   must be https, plain http only on loopback for the simulator: it
//!   carries the same credentials and money as the main host. The core
//!   checks it when the account is added and again when it is loaded.

use serde::{Deserialize, Serialize};
use std::ops::RangeInclusive;
use std::time::Duration;

/// Documented staging host of the cashout endpoint.
pub const STAGING_BASE_URL: &str = "https://api-stg.zimo-pagos.com";

/// Documented staging host of the Mexico debit-card endpoint. The
/// production host is given by Zimo-pagos on request (integration@…), so
/// it has no default: see [`crate::ClientConfig::card_base_url`].
pub const STAGING_CARD_BASE_URL: &str = "https://cc-api-stg.zimo-pagos.com";

/// Endpoint paths, relative to the base URL (the card endpoint uses
/// `cashout` relative to the card base URL).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Paths {
    /// Documented: `POST /v3/cashout`, on both hosts.
    pub cashout: String,
    /// Assumption (API family, `PRODUCT.md`): `POST /v3/cashout/status` on
    /// the main host, for bank and card cashouts alike, with `login`,
    /// `pass`, and `cashout_id` and/or `external_id` in a JSON body signed
    /// like the cashout request.
    pub status: String,
}

impl Default for Paths {
    fn default() -> Self {
        Self {
            cashout: "/v3/cashout".into(),
            status: "/v3/cashout/status".into(),
        }
    }
}

/// The provider's error `code`s the client gives a meaning to. Any other
/// code is kept as it came and reported as [`crate::ErrorKind::Other`].
///
/// Assumption: the document shows only the error shape (`code`, `message`,
/// `reason`, `reason_code`); these numbers are the API family's.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ErrorCodes {
    /// "Invalid params" + param name + reason (also the Mexico card errors).
    pub invalid_params: i64,
    /// The Payload-Signature did not match.
    pub invalid_signature: i64,
    /// `login` / `pass` wrong.
    pub invalid_credentials: i64,
    /// The caller's IP is not whitelisted in the Merchant Panel.
    pub unregistered_ip: i64,
    /// The body was not well-formed JSON.
    pub invalid_body: i64,
    /// Status lookup: no cashout with that id / external_id.
    pub not_found: i64,
    /// Creation: the `external_id` was already used.
    pub duplicate_external_id: i64,
    /// Creation: the merchant balance does not cover the cashout.
    pub insufficient_funds: i64,
}

impl Default for ErrorCodes {
    fn default() -> Self {
        Self {
            invalid_params: 300,
            invalid_signature: 302,
            invalid_credentials: 401,
            unregistered_ip: 402,
            invalid_body: 502,
            not_found: 509,
            duplicate_external_id: 511,
            insufficient_funds: 514,
        }
    }
}

/// Documented header name. Assumption (`PRODUCT.md`): its value is the
/// lowercase hex HMAC-SHA256 of the raw JSON body, keyed with the account's
/// signing secret as UTF-8 bytes; the status call is signed the same way.
pub const SIGNATURE_HEADER: &str = "Payload-Signature";

/// Documented: notifications are `x-www-form-urlencoded` POSTs.
pub const NOTIFICATION_CONTENT_TYPE: &str = "application/x-www-form-urlencoded";

/// Documented: a refused notification is retried up to 5 more times, 5
/// minutes apart. After that only the status endpoint (polling) tells.
pub const NOTIFICATION_RETRIES: u32 = 5;
pub const NOTIFICATION_RETRY_WAIT: Duration = Duration::from_secs(5 * 60);

/// Documented country whose cashouts may go to a debit card.
pub const MEXICO: &str = "MX";

/// Documented: a Mexican bank account is a CLABE, 18 digits, no dashes.
pub const CLABE_DIGITS: usize = 18;

/// Assumption: a debit-card number is 13 to 19 digits (ISO/IEC 7812 PAN
/// lengths of the brands in use) and passes the Luhn check, as the
/// document's routing hint says. An 18-digit number whose CLABE control
/// digit is right is a CLABE even if it also passes Luhn (about one CLABE
/// in ten does): a bank account must never go to the card endpoint. See
/// [`crate::mexico::classify`].
pub const CARD_DIGITS: RangeInclusive<usize> = 13..=19;

/// Assumption: the document gives `address` as "max length: 255" and
/// "String of up to 200 characters"; the stricter 200 is enforced.
pub const ADDRESS_MAX: usize = 200;

/// Assumption: the document gives no timeouts. Failing to connect within
/// this means nothing was sent.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// Assumption: whole-request deadline. A request that times out after the
/// connection was made may have created the cashout.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// Assumption: an error text that is not the documented error shape is
/// kept for display, cut to this many characters.
pub const MAX_ERROR_TEXT: usize = 500;

/// How long Zimo-pagos keeps what we look up after a lost answer: cashout status by our external_id.
/// Assumption: the document gives no retention period. Past it, "not
/// found" no longer proves a call never arrived, so nothing is sent again
/// automatically: such requests are reconciled by a person.
pub const LOOKUP_WINDOW: Duration = Duration::from_secs(30 * 24 * 3600);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_default_to_the_documented_and_assumed_routes() {
        let p = Paths::default();
        assert_eq!(p.cashout, "/v3/cashout");
        assert_eq!(p.status, "/v3/cashout/status");
    }

    #[test]
    fn paths_and_codes_can_be_overridden_one_at_a_time_from_configuration() {
        let p: Paths = serde_json::from_str(r#"{"status": "/v3/cashout/check"}"#).unwrap();
        assert_eq!(p.status, "/v3/cashout/check");
        assert_eq!(p.cashout, "/v3/cashout");
        assert!(serde_json::from_str::<Paths>(r#"{"typo": "/x"}"#).is_err());
        let c: ErrorCodes = serde_json::from_str(r#"{"not_found": 404}"#).unwrap();
        assert_eq!((c.not_found, c.duplicate_external_id), (404, 511));
    }

    #[test]
    fn a_clabe_length_is_also_a_possible_card_length() {
        // why classify() gives the CLABE control digit precedence
        assert!(CARD_DIGITS.contains(&CLABE_DIGITS));
    }
}
