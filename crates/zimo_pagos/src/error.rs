//! What can go wrong talking to Zimo-pagos, sorted by the one question that
//! matters at a cash desk: could the payout exist?
//!
//! Zimo-pagos refuses an `external_id` it has seen, so a payout can never be
//! doubled by resending under the same reference; but a payout that may
//! exist is still looked up first (see the recovery procedure in
//! [`crate::assumptions`]), so the agent sees what actually happened.
//! Provider errors keep `code`, `message`, `reason` and `reason_code`
//! exactly as they came.

use crate::assumptions::{ErrorCodes, MAX_ERROR_TEXT};
use crate::validate::ValidationError;
use crate::wire::ErrorBody;
use std::fmt;
use std::time::{Duration, SystemTime};

pub(crate) use cashdesk_http::truncate;
pub use cashdesk_http::{SendFate, parse_retry_after};

/// What a provider error `code` means to the client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// A field was refused ("Invalid params …", also the Mexico card rules).
    InvalidParams,
    /// The Payload-Signature did not match: wrong signing secret.
    InvalidSignature,
    /// Wrong `login` / `pass`.
    InvalidCredentials,
    /// This machine's IP is not whitelisted.
    UnregisteredIp,
    /// The body was not well-formed JSON.
    InvalidBody,
    /// No cashout with that id / external_id.
    NotFound,
    /// The `external_id` was already used: that cashout exists.
    DuplicateExternalId,
    /// The merchant balance does not cover the cashout.
    InsufficientFunds,
    /// Any other code, or an answer not in the documented error shape.
    Other,
}

impl ErrorKind {
    pub fn from_code(code: Option<i64>, codes: &ErrorCodes) -> ErrorKind {
        let Some(c) = code else {
            return ErrorKind::Other;
        };
        [
            (codes.invalid_params, ErrorKind::InvalidParams),
            (codes.invalid_signature, ErrorKind::InvalidSignature),
            (codes.invalid_credentials, ErrorKind::InvalidCredentials),
            (codes.unregistered_ip, ErrorKind::UnregisteredIp),
            (codes.invalid_body, ErrorKind::InvalidBody),
            (codes.not_found, ErrorKind::NotFound),
            (codes.duplicate_external_id, ErrorKind::DuplicateExternalId),
            (codes.insufficient_funds, ErrorKind::InsufficientFunds),
        ]
        .into_iter()
        .find_map(|(n, k)| (n == c).then_some(k))
        .unwrap_or(ErrorKind::Other)
    }

    /// What the agent or administrator can do about it.
    fn hint(self) -> Option<&'static str> {
        Some(match self {
            ErrorKind::InvalidCredentials => {
                "check this account's Cashout login and pass (Merchant Panel: Settings → API Access)"
            }
            ErrorKind::InvalidSignature => "check this account's signing secret (API Signature)",
            ErrorKind::UnregisteredIp => {
                "whitelist this desk's IP address in the Merchant Panel (Settings → API Access)"
            }
            ErrorKind::DuplicateExternalId => {
                "a cashout with this external_id already exists: look up its status, do not send it again"
            }
            ErrorKind::InsufficientFunds => "the merchant balance at Zimo-pagos does not cover it",
            _ => return None,
        })
    }
}

/// An error answer from Zimo-pagos, with its words kept as they came.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub http_status: u16,
    pub kind: ErrorKind,
    /// `None` when the body was not the documented error shape.
    pub code: Option<i64>,
    /// The provider's message, or the body text (cut to 500 characters).
    pub message: String,
    pub reason: Option<String>,
    pub reason_code: Option<i64>,
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.http_status >= 500 {
            write!(
                f,
                "Zimo-pagos failed (HTTP {}): {}",
                self.http_status, self.message
            )?;
        } else {
            write!(f, "Zimo-pagos refused the request: {}", self.message)?;
        }
        match self.code {
            Some(code) => write!(f, " (code {code}")?,
            None => write!(f, " (HTTP {}", self.http_status)?,
        }
        if let Some(reason) = &self.reason {
            write!(f, "; reason: {reason}")?;
        }
        if let Some(rc) = self.reason_code {
            write!(f, "; reason code {rc}")?;
        }
        f.write_str(")")?;
        if self.http_status >= 500 {
            f.write_str(
                ". The cashout may have been created: look it up by its external_id before \
                 sending it again",
            )?;
        } else if let Some(hint) = self.kind.hint() {
            write!(f, " — {hint}")?;
        }
        Ok(())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// Zimo-pagos answered with an error.
    #[error("{0}")]
    Api(ApiError),
    /// HTTP 429 (not documented, but a proxy may send it). Nothing was done.
    #[error("{}", rate_limited_text(retry_after))]
    RateLimited { retry_after: Option<Duration> },
    /// The request certainly never reached Zimo-pagos.
    #[error("could not reach Zimo-pagos ({message}); nothing was sent, so it is safe to try again")]
    NotSent { message: String },
    /// The request may have reached Zimo-pagos, but no usable answer came back.
    #[error(
        "no usable answer from Zimo-pagos ({message}); a cashout may have been created, so look \
         it up by its external_id before sending it again"
    )]
    Unknown { message: String },
    /// Refused locally before sending.
    #[error("not sent to Zimo-pagos: {0}")]
    Invalid(#[from] ValidationError),
}

fn rate_limited_text(retry_after: &Option<Duration>) -> String {
    match retry_after {
        Some(d) => format!(
            "Zimo-pagos is limiting requests; nothing was done, try again in {} s",
            d.as_secs().max(1)
        ),
        None => "Zimo-pagos is limiting requests; nothing was done, try again shortly".to_owned(),
    }
}

impl Error {
    /// True when the payout may exist although no success was seen: look it
    /// up by `external_id` before anything else (see [`crate::assumptions`]).
    pub fn may_have_taken_effect(&self) -> bool {
        self.fate() == SendFate::MayHaveArrived
    }

    /// True when sending the same request again needs no lookup first.
    pub fn is_retryable_without_risk(&self) -> bool {
        self.fate().is_safe_to_resend()
    }

    /// What this error means for the call: a 5xx or a duplicate
    /// `external_id` may mean it arrived; only insufficient funds refuses
    /// the cashout itself.
    pub fn fate(&self) -> SendFate {
        match self {
            Error::Unknown { .. } => SendFate::MayHaveArrived,
            Error::Api(e) if e.http_status >= 500 || e.kind == ErrorKind::DuplicateExternalId => {
                SendFate::MayHaveArrived
            }
            Error::Api(e) if e.kind == ErrorKind::InsufficientFunds => SendFate::Refused,
            Error::RateLimited { retry_after } => SendFate::RateLimited(*retry_after),
            Error::NotSent { .. } => SendFate::NotSent,
            Error::Api(_) | Error::Invalid(_) => SendFate::Failed,
        }
    }

    /// The kind of a provider error, when Zimo-pagos answered with one.
    pub fn kind(&self) -> Option<ErrorKind> {
        match self {
            Error::Api(e) => Some(e.kind),
            _ => None,
        }
    }

    /// The provider's error code, exactly as sent.
    pub fn code(&self) -> Option<i64> {
        match self {
            Error::Api(e) => e.code,
            _ => None,
        }
    }

    /// Turns an error answer into an error, keeping Zimo-pagos' words.
    pub(crate) fn from_response(
        status: u16,
        retry_after: Option<&str>,
        body: &[u8],
        codes: &ErrorCodes,
    ) -> Error {
        if status == 429 {
            return Error::RateLimited {
                retry_after: retry_after.and_then(|v| parse_retry_after(v, SystemTime::now())),
            };
        }
        match serde_json::from_slice::<ErrorBody>(body) {
            Ok(b) => Error::Api(ApiError {
                http_status: status,
                kind: ErrorKind::from_code(Some(b.code), codes),
                code: Some(b.code),
                message: b.message,
                reason: b.reason,
                reason_code: b.reason_code,
            }),
            Err(_) => Error::Api(ApiError {
                http_status: status,
                kind: ErrorKind::Other,
                code: None,
                message: truncate(&String::from_utf8_lossy(body), MAX_ERROR_TEXT),
                reason: None,
                reason_code: None,
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn from(status: u16, body: &str) -> Error {
        Error::from_response(status, None, body.as_bytes(), &ErrorCodes::default())
    }

    #[test]
    fn code_message_reason_and_reason_code_are_kept_exactly() {
        let e = from(
            400,
            r#"{"code": 504, "message": "User unauthorized due to cadastral situation.", "reason": "Underage user detected", "reason_code": 105}"#,
        );
        assert_eq!(
            e.to_string(),
            "Zimo-pagos refused the request: User unauthorized due to cadastral situation. \
             (code 504; reason: Underage user detected; reason code 105)"
        );
        assert_eq!((e.code(), e.kind()), (Some(504), Some(ErrorKind::Other)));
        assert!(!e.may_have_taken_effect() && !e.is_retryable_without_risk());
    }

    #[test]
    fn known_codes_get_a_kind_and_a_hint_the_agent_can_act_on() {
        let e = from(401, r#"{"code": 401, "message": "Invalid credentials"}"#);
        assert_eq!(e.kind(), Some(ErrorKind::InvalidCredentials));
        assert!(e.to_string().contains("login and pass"), "{e}");
        let e = from(400, r#"{"code": 302, "message": "Invalid control string"}"#);
        assert!(e.to_string().contains("signing secret"), "{e}");
        let e = from(
            400,
            r#"{"code": 300, "message": "Invalid bank account, it shouldn't be a credit card"}"#,
        );
        assert_eq!(e.kind(), Some(ErrorKind::InvalidParams));
        assert!(!e.may_have_taken_effect());
    }

    #[test]
    fn a_duplicate_external_id_means_the_cashout_exists() {
        let e = from(
            400,
            r#"{"code": 511, "message": "External ID already used"}"#,
        );
        assert_eq!(e.kind(), Some(ErrorKind::DuplicateExternalId));
        assert!(e.may_have_taken_effect());
        assert!(!e.is_retryable_without_risk());
        assert!(e.to_string().contains("do not send it again"), "{e}");
    }

    #[test]
    fn a_5xx_may_have_taken_effect_and_says_to_look_it_up() {
        let e = from(
            500,
            r#"{"code": 537, "message": "Could not make the cashout"}"#,
        );
        assert!(e.may_have_taken_effect());
        assert!(
            e.to_string().contains("look it up by its external_id"),
            "{e}"
        );
        let html = "<html>".repeat(200);
        let Error::Api(api) = from(502, &html) else {
            panic!("expected Api");
        };
        assert_eq!((api.code, api.kind), (None, ErrorKind::Other));
        assert_eq!(api.message.chars().count(), 500);
        assert!(api.message.ends_with('…'));
    }

    #[test]
    fn the_codes_are_configurable() {
        let codes = ErrorCodes {
            duplicate_external_id: 409,
            ..ErrorCodes::default()
        };
        let e = Error::from_response(409, None, br#"{"code":409,"message":"dup"}"#, &codes);
        assert_eq!(e.kind(), Some(ErrorKind::DuplicateExternalId));
    }

    #[test]
    fn only_not_sent_and_rate_limited_are_safe_to_resend_without_a_lookup() {
        let e = Error::from_response(429, Some("12"), b"", &ErrorCodes::default());
        assert!(matches!(e, Error::RateLimited { retry_after: Some(d) } if d.as_secs() == 12));
        assert!(e.is_retryable_without_risk() && !e.may_have_taken_effect());
        let ns = Error::NotSent {
            message: "x".into(),
        };
        assert!(ns.is_retryable_without_risk() && !ns.may_have_taken_effect());
        let un = Error::Unknown {
            message: "x".into(),
        };
        assert!(un.may_have_taken_effect() && !un.is_retryable_without_risk());
        assert_eq!(truncate("abcd", 3), "ab…");
    }
}
