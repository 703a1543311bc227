//! What can go wrong talking to Zexabit, sorted by the one question that
//! matters at a cash desk: could the money have moved?
//!
//! Zexabit has no idempotency key, so a request that may have arrived must
//! never be sent again blindly: [`Error::may_have_taken_effect`] tells the
//! caller to look the transaction up (or wait for the webhook) instead.

use crate::assumptions::{MAX_ERROR_TEXT, NO_AGENT_WAIT};
use crate::wire::{ErrorBody, ValidationError, codes};
use std::time::{Duration, SystemTime};

pub(crate) use cashdesk_http::truncate;
pub use cashdesk_http::{SendFate, parse_retry_after};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// Zexabit answered with an error; `code` and `message` are exactly
    /// what it sent (or `HTTP_<status>` and the body text if the body was
    /// not the documented error shape).
    #[error("{}", api_text(*status, code, message))]
    Api {
        status: u16,
        code: String,
        message: String,
    },
    /// HTTP 429. Nothing was done; wait `retry_after` if given.
    #[error("{}", rate_limited_text(retry_after))]
    RateLimited { retry_after: Option<Duration> },
    /// The request certainly never reached Zexabit.
    #[error("could not reach Zexabit ({message}); nothing was sent, so it is safe to try again")]
    NotSent { message: String },
    /// The request may have reached Zexabit, but no usable answer came back.
    #[error(
        "no usable answer from Zexabit ({message}); the request may have been processed, \
         so check its status or wait for the webhook before sending it again"
    )]
    Unknown { message: String },
    /// Refused locally before sending.
    #[error("not sent to Zexabit: {0}")]
    Invalid(#[from] ValidationError),
}

fn api_text(status: u16, code: &str, message: &str) -> String {
    if status >= 500 {
        format!(
            "Zexabit failed (HTTP {status}): {code} — {message}. The request may have been \
             processed; check its status before sending it again"
        )
    } else {
        format!("Zexabit refused the request: {code} — {message}")
    }
}

fn rate_limited_text(retry_after: &Option<Duration>) -> String {
    match retry_after {
        Some(d) => format!(
            "Zexabit is limiting requests (100 per minute); nothing was done, try again in {} s",
            d.as_secs().max(1)
        ),
        None => {
            "Zexabit is limiting requests (100 per minute); nothing was done, try again shortly"
                .to_owned()
        }
    }
}

impl Error {
    /// True when the money may have moved although no success was seen:
    /// settle it by status lookup or webhook, never by resending.
    pub fn may_have_taken_effect(&self) -> bool {
        self.fate() == SendFate::MayHaveArrived
    }

    /// True when sending the same request again cannot double a payment.
    pub fn is_retryable_without_risk(&self) -> bool {
        self.fate().is_safe_to_resend()
    }

    /// What this error means for the call: only "no agent available" is
    /// temporary among Zexabit's refusals; any other 409/422 refuses the
    /// request itself.
    pub fn fate(&self) -> SendFate {
        match self {
            Error::Unknown { .. } => SendFate::MayHaveArrived,
            Error::Api { status, .. } if *status >= 500 => SendFate::MayHaveArrived,
            Error::RateLimited { retry_after } => SendFate::RateLimited(*retry_after),
            Error::NotSent { .. } => SendFate::NotSent,
            Error::Api {
                status: 422, code, ..
            } if code == codes::NO_AGENT_AVAILABLE => SendFate::Busy(NO_AGENT_WAIT),
            Error::Api {
                status: 409 | 422, ..
            } => SendFate::Refused,
            Error::Api { .. } | Error::Invalid(_) => SendFate::Failed,
        }
    }

    /// The provider's error code, when Zexabit answered with one.
    pub fn code(&self) -> Option<&str> {
        match self {
            Error::Api { code, .. } => Some(code),
            Error::RateLimited { .. } => Some(codes::RATE_LIMITED),
            _ => None,
        }
    }

    /// Turns a non-2xx answer into an error, keeping Zexabit's words.
    pub(crate) fn from_response(status: u16, retry_after: Option<&str>, body: &[u8]) -> Error {
        if status == 429 {
            return Error::RateLimited {
                retry_after: retry_after.and_then(|v| parse_retry_after(v, SystemTime::now())),
            };
        }
        match serde_json::from_slice::<ErrorBody>(body) {
            Ok(b) if !b.success && !b.error.is_empty() => Error::Api {
                status,
                code: b.error,
                message: b.message,
            },
            _ => Error::Api {
                status,
                code: format!("HTTP_{status}"),
                message: truncate(&String::from_utf8_lossy(body), MAX_ERROR_TEXT),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn provider_code_and_message_are_kept_exactly() {
        let body = br#"{"success":false,"error":"INSUFFICIENT_BALANCE","message":"User balance (200 BDT) is less than requested amount (500 BDT)"}"#;
        let e = Error::from_response(409, None, body);
        assert_eq!(
            e.to_string(),
            "Zexabit refused the request: INSUFFICIENT_BALANCE — User balance (200 BDT) is less than requested amount (500 BDT)"
        );
        assert_eq!(e.code(), Some("INSUFFICIENT_BALANCE"));
        assert!(!e.may_have_taken_effect());
        assert!(!e.is_retryable_without_risk());
    }

    #[test]
    fn an_undocumented_error_body_becomes_http_status_with_the_text_cut_to_500() {
        let html = "<html>".repeat(200);
        let Error::Api { code, message, .. } = Error::from_response(502, None, html.as_bytes())
        else {
            panic!("expected Api");
        };
        assert_eq!(code, "HTTP_502");
        assert_eq!(message.chars().count(), 500);
        assert!(message.starts_with("<html>") && message.ends_with('…'));
        assert_eq!(truncate("abc", 3), "abc");
        assert_eq!(truncate("abcd", 3), "ab…");
        assert_eq!(truncate("ধন্যবাদ", 2), "ধ…");
    }

    #[test]
    fn a_5xx_may_have_taken_effect_because_zexabit_has_no_idempotency_key() {
        let e = Error::from_response(
            500,
            None,
            br#"{"success":false,"error":"INTERNAL_ERROR","message":"x"}"#,
        );
        assert!(e.may_have_taken_effect());
        assert!(!e.is_retryable_without_risk());
        assert!(e.to_string().contains("check its status"));
    }

    #[test]
    fn only_no_agent_available_among_api_errors_is_safe_to_retry() {
        let e = Error::from_response(
            422,
            None,
            br#"{"success":false,"error":"NO_AGENT_AVAILABLE","message":"none"}"#,
        );
        assert!(e.is_retryable_without_risk());
        let other = Error::from_response(
            422,
            None,
            br#"{"success":false,"error":"OTHER","message":"x"}"#,
        );
        assert!(!other.is_retryable_without_risk());
        assert!(
            Error::NotSent {
                message: "x".into()
            }
            .is_retryable_without_risk()
        );
        assert!(
            Error::Unknown {
                message: "x".into()
            }
            .may_have_taken_effect()
        );
    }

    #[test]
    fn retry_after_is_read_in_both_forms() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_772_965_800);
        assert_eq!(parse_retry_after("30", now), Some(Duration::from_secs(30)));
        let later = httpdate::fmt_http_date(now + Duration::from_secs(90));
        assert_eq!(
            parse_retry_after(&later, now),
            Some(Duration::from_secs(90))
        );
        let past = httpdate::fmt_http_date(now - Duration::from_secs(5));
        assert_eq!(parse_retry_after(&past, now), Some(Duration::ZERO));
        assert_eq!(parse_retry_after("soon", now), None);
        let e = Error::from_response(429, Some("12"), b"");
        assert!(matches!(e, Error::RateLimited { retry_after: Some(d) } if d.as_secs() == 12));
        assert!(e.is_retryable_without_risk());
    }
}
