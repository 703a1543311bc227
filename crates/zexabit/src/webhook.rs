//! Signed webhooks: `X-Zexabit-Signature: sha256=<hex HMAC-SHA256>`.
//!
//! A webhook credits or debits a user, so nothing in it is looked at before
//! its signature checks out. The document's Node.js verifier HMACs
//! `JSON.stringify(req.body)`, the re-serialisation of the parsed body, not
//! the bytes on the wire. We accept a signature over either form; when only
//! the re-serialised form matches, the event is read from those signed
//! bytes, so every value we act on is one the signature covers.

use crate::js_json;
use crate::wire::Status;
use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use sha2::Sha256;

pub use crate::assumptions::WEBHOOK_SIGNATURE_HEADER as SIGNATURE_HEADER;

type HmacSha256 = Hmac<Sha256>;

const PREFIX: &str = "sha256=";

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WebhookError {
    #[error(
        "webhook has no X-Zexabit-Signature header: it was not sent by Zexabit, or a proxy removed the header"
    )]
    MissingSignature,
    #[error(
        "webhook signature does not match: the body was altered or the webhook secret configured for this account is wrong"
    )]
    BadSignature,
    #[error("webhook is correctly signed but is not a Zexabit event we understand: {0}")]
    Malformed(String),
}

/// Documented webhook events.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum EventKind {
    /// The agent approved the deposit; the user's balance was credited.
    #[serde(rename = "deposit.completed")]
    DepositCompleted,
    #[serde(rename = "deposit.rejected")]
    DepositRejected,
    /// The agent sent the cash; the user's balance was debited.
    #[serde(rename = "withdrawal.completed")]
    WithdrawalCompleted,
    /// The agent refused; the balance was refunded to the user.
    #[serde(rename = "withdrawal.rejected")]
    WithdrawalRejected,
}

impl EventKind {
    pub fn is_deposit(self) -> bool {
        matches!(
            self,
            EventKind::DepositCompleted | EventKind::DepositRejected
        )
    }

    /// The transaction status this event reports.
    pub fn status(self) -> Status {
        match self {
            EventKind::DepositCompleted | EventKind::WithdrawalCompleted => Status::Completed,
            EventKind::DepositRejected | EventKind::WithdrawalRejected => Status::Rejected,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookEvent {
    pub event: EventKind,
    pub timestamp: DateTime<Utc>,
    pub data: WebhookData,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WebhookData {
    /// The deposit or withdrawal id (`dep_…` / `wdr_…`).
    pub transaction_id: String,
    /// Our platform's user id, as given when the user was created.
    pub external_user_id: String,
    pub user_id: String,
    #[serde(with = "rust_decimal::serde::arbitrary_precision")]
    pub amount: Decimal,
    pub payment_method: String,
    pub status: Status,
    /// The user's Zexabit balance after the event, when sent.
    #[serde(
        default,
        with = "rust_decimal::serde::arbitrary_precision_option",
        skip_serializing_if = "Option::is_none"
    )]
    pub new_balance: Option<Decimal>,
}

fn mac(secret: &[u8], body: &[u8]) -> HmacSha256 {
    // HMAC accepts keys of any length, so this cannot fail.
    let mut mac = <HmacSha256 as Mac>::new_from_slice(secret).expect("HMAC takes any key length");
    mac.update(body);
    mac
}

/// The header value Zexabit sends for `body`: `sha256=<lowercase hex>`.
pub fn sign(secret: &[u8], body: &[u8]) -> String {
    format!(
        "{PREFIX}{}",
        hex::encode(mac(secret, body).finalize().into_bytes())
    )
}

/// Checks the signature (constant time), then parses the event.
pub fn verify(
    secret: &[u8],
    raw_body: &[u8],
    header: Option<&str>,
) -> Result<WebhookEvent, WebhookError> {
    let header = header.map(str::trim).unwrap_or_default();
    if header.is_empty() {
        return Err(WebhookError::MissingSignature);
    }
    let hex_part = header
        .strip_prefix(PREFIX)
        .ok_or(WebhookError::BadSignature)?;
    let expected = hex::decode(hex_part).map_err(|_| WebhookError::BadSignature)?;

    if mac(secret, raw_body).verify_slice(&expected).is_ok() {
        return parse(raw_body);
    }
    // What Express + JSON.stringify would have signed. A body that is not
    // JSON cannot have been signed that way, and says nothing more.
    let value: serde_json::Value =
        serde_json::from_slice(raw_body).map_err(|_| WebhookError::BadSignature)?;
    let reserialised = js_json::stringify(&value);
    mac(secret, reserialised.as_bytes())
        .verify_slice(&expected)
        .map_err(|_| WebhookError::BadSignature)?;
    parse(reserialised.as_bytes())
}

fn parse(signed: &[u8]) -> Result<WebhookEvent, WebhookError> {
    let event: WebhookEvent =
        serde_json::from_slice(signed).map_err(|e| WebhookError::Malformed(e.to_string()))?;
    if event.event.status() != event.data.status {
        return Err(WebhookError::Malformed(format!(
            "event {:?} carries status {:?}",
            event.event, event.data.status
        )));
    }
    Ok(event)
}

/// The exact bytes Zexabit-style senders put on the wire for `event`:
/// compact, with numbers as JavaScript prints them, as `JSON.stringify`.
pub fn to_wire_body(event: &WebhookEvent) -> Vec<u8> {
    let value = serde_json::to_value(event).expect("a webhook event always serialises");
    js_json::stringify(&value).into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &[u8] = b"whsec_test";
    const BODY: &str = r#"{"event":"deposit.completed","timestamp":"2026-03-08T10:30:00Z","data":{"transactionId":"dep_1","externalUserId":"usr_abc123","userId":"68abc40f","amount":500,"paymentMethod":"bkash","status":"completed","newBalance":1500}}"#;

    #[test]
    fn a_signature_over_the_raw_body_is_accepted() {
        let sig = sign(SECRET, BODY.as_bytes());
        assert!(sig.starts_with("sha256=") && sig.len() == 7 + 64);
        assert_eq!(sig, sig.to_lowercase());
        let ev = verify(SECRET, BODY.as_bytes(), Some(&sig)).unwrap();
        assert_eq!(ev.event, EventKind::DepositCompleted);
        assert_eq!(ev.data.new_balance, Some(Decimal::from(1500)));
    }

    #[test]
    fn a_signature_over_the_javascript_reserialisation_is_accepted() {
        let pretty = BODY.replace("1500}", "1500.00 }").replace(",\"", ", \"");
        let sig = sign(SECRET, BODY.as_bytes());
        let ev = verify(SECRET, pretty.as_bytes(), Some(&sig)).unwrap();
        assert_eq!(ev.data.amount, Decimal::from(500));
    }

    #[test]
    fn nothing_is_parsed_before_the_signature_checks_out() {
        let sig = sign(b"other", b"not json");
        assert_eq!(
            verify(SECRET, b"not json", Some(&sig)),
            Err(WebhookError::BadSignature)
        );
        let sig = sign(SECRET, b"not json");
        assert!(matches!(
            verify(SECRET, b"not json", Some(&sig)),
            Err(WebhookError::Malformed(_))
        ));
    }

    #[test]
    fn missing_empty_or_wrongly_prefixed_headers_are_refused() {
        let sig = sign(SECRET, BODY.as_bytes());
        assert_eq!(
            verify(SECRET, BODY.as_bytes(), None),
            Err(WebhookError::MissingSignature)
        );
        assert_eq!(
            verify(SECRET, BODY.as_bytes(), Some(" ")),
            Err(WebhookError::MissingSignature)
        );
        let bare = sig.trim_start_matches("sha256=");
        assert_eq!(
            verify(SECRET, BODY.as_bytes(), Some(bare)),
            Err(WebhookError::BadSignature)
        );
        let sha1 = sig.replace("sha256=", "sha1=");
        assert_eq!(
            verify(SECRET, BODY.as_bytes(), Some(&sha1)),
            Err(WebhookError::BadSignature)
        );
    }

    #[test]
    fn an_event_whose_status_contradicts_its_name_is_malformed() {
        let body = BODY.replace(r#""status":"completed""#, r#""status":"rejected""#);
        let sig = sign(SECRET, body.as_bytes());
        assert!(matches!(
            verify(SECRET, body.as_bytes(), Some(&sig)),
            Err(WebhookError::Malformed(_))
        ));
    }

    #[test]
    fn wire_body_is_compact_with_integral_amounts_and_round_trips() {
        let ev = verify(
            SECRET,
            BODY.as_bytes(),
            Some(&sign(SECRET, BODY.as_bytes())),
        )
        .unwrap();
        assert_eq!(String::from_utf8(to_wire_body(&ev)).unwrap(), BODY);
    }
}
