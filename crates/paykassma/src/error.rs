//! What can go wrong talking to Paykassma, sorted by the one question that
//! matters at a cash desk: could the money have moved?
//!
//! Paykassma answers a refusal as `{"status":"fail","message":...}` where
//! the message is a string or per-field lists, and an auth failure on the
//! balance endpoint as `{"status":"error","code":...,"errors":{...}}`.
//! Both keep Paykassma's own words in [`ProviderMessage`]. A request that
//! may have arrived is never to be sent blindly again:
//! [`Error::may_have_taken_effect`] says when to look it up instead.

use crate::assumptions::{
    ALREADY_TAKEN_TEXT, INSUFFICIENT_BALANCE_FIELD, INSUFFICIENT_BALANCE_TEXT, MAX_ERROR_TEXT,
    SECRET_ERROR_TARGET, UNIQUE_ID_FIELDS,
};
use crate::validate::ValidationError;
use serde_json::Value;
use std::fmt;
use std::time::{Duration, SystemTime};

pub(crate) use cashdesk_http::truncate;
pub use cashdesk_http::{SendFate, parse_retry_after};

/// Paykassma's `message`: a sentence, or messages per field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProviderMessage {
    Text(String),
    /// In the order Paykassma sent them, e.g. `key1: ["Transaction field
    /// has wrong length"]`.
    Fields(Vec<(String, Vec<String>)>),
}

impl ProviderMessage {
    /// Reads a `message` value of either documented shape.
    pub fn from_value(value: &Value) -> Self {
        match value {
            Value::String(s) => Self::Text(s.clone()),
            Value::Object(map) => Self::Fields(
                map.iter()
                    .map(|(field, v)| {
                        let texts = match v {
                            Value::Array(items) => items.iter().map(plain).collect(),
                            other => vec![plain(other)],
                        };
                        (field.clone(), texts)
                    })
                    .collect(),
            ),
            other => Self::Text(plain(other)),
        }
    }

    /// The messages about `field`, when given per field.
    pub fn field(&self, field: &str) -> Option<&[String]> {
        match self {
            Self::Fields(list) => list
                .iter()
                .find(|(f, _)| f == field)
                .map(|(_, m)| m.as_slice()),
            Self::Text(_) => None,
        }
    }

    /// Whether any message contains `needle` (ASCII case ignored).
    pub fn contains(&self, needle: &str) -> bool {
        let needle = needle.to_ascii_lowercase();
        let has = |s: &String| s.to_ascii_lowercase().contains(&needle);
        match self {
            Self::Text(t) => has(t),
            Self::Fields(list) => list.iter().any(|(_, m)| m.iter().any(has)),
        }
    }
}

fn plain(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

impl fmt::Display for ProviderMessage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Text(t) => f.write_str(t),
            Self::Fields(list) => {
                let parts: Vec<String> = list
                    .iter()
                    .map(|(field, m)| format!("{field}: {}", m.join(" ")))
                    .collect();
                f.write_str(&parts.join("; "))
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// Paykassma refused: nothing was done.
    #[error("Paykassma refused the request: {message}")]
    Refused {
        status: u16,
        code: Option<i64>,
        message: ProviderMessage,
    },
    /// Documented "Insufficient balance": the balances in this currency
    /// are below the new and unfinished withdrawals. Nothing was done.
    #[error(
        "Paykassma refused the withdrawal: {message}. The account balance in this currency does \
         not cover the new and unfinished withdrawals; top it up or wait, then send it again"
    )]
    InsufficientBalance {
        status: u16,
        message: ProviderMessage,
    },
    /// Our unique id was refused as already used: an earlier request with
    /// it arrived, so this one must be settled by lookup, not resent.
    #[error(
        "Paykassma already has a request with this {field} ({message}): the earlier one arrived, \
         so look it up instead of sending it again"
    )]
    AlreadyUsed {
        status: u16,
        field: String,
        message: ProviderMessage,
    },
    /// Documented: a missing or wrong secret answers 404 "Not found"
    /// (accounts-balance: "Wrong secret"). Nothing was done.
    #[error(
        "Paykassma did not accept the access key (HTTP {status}: {message}); check this \
         account's PLUGINAPI secret and base URL"
    )]
    Auth { status: u16, message: String },
    /// HTTP 5xx: the request may have been processed.
    #[error(
        "Paykassma failed (HTTP {status}): {message}. The request may have been processed; look \
         it up before sending it again"
    )]
    Server { status: u16, message: String },
    /// HTTP 429. Nothing was done; wait `retry_after` if given.
    #[error(
        "Paykassma is limiting requests; nothing was done, try again {}",
        wait_text(retry_after)
    )]
    RateLimited { retry_after: Option<Duration> },
    /// The request certainly never reached Paykassma.
    #[error("could not reach Paykassma ({message}); nothing was sent, so it is safe to try again")]
    NotSent { message: String },
    /// The request may have reached Paykassma, but no usable answer came back.
    #[error(
        "no usable answer from Paykassma ({message}); the request may have been processed, so \
         look it up (postback by id) before sending it again"
    )]
    Unknown { message: String },
    /// Refused locally before sending.
    #[error("not sent to Paykassma: {0}")]
    Invalid(#[from] ValidationError),
}

fn wait_text(retry_after: &Option<Duration>) -> String {
    match retry_after {
        Some(d) => format!("in {} s", d.as_secs().max(1)),
        None => "shortly".to_owned(),
    }
}

impl Error {
    /// True when the money may have moved although no success was seen:
    /// settle it by postback lookup, never by resending.
    pub fn may_have_taken_effect(&self) -> bool {
        self.fate() == SendFate::MayHaveArrived
    }

    /// True when sending the same request again cannot double a payment.
    pub fn is_retryable_without_risk(&self) -> bool {
        self.fate().is_safe_to_resend()
    }

    /// What this error means for the call. An id refused as taken means an
    /// earlier send arrived; only "insufficient balance" refuses the request
    /// itself; any other refusal needs a person.
    pub fn fate(&self) -> SendFate {
        match self {
            Error::Unknown { .. } | Error::Server { .. } | Error::AlreadyUsed { .. } => {
                SendFate::MayHaveArrived
            }
            Error::RateLimited { retry_after } => SendFate::RateLimited(*retry_after),
            Error::NotSent { .. } => SendFate::NotSent,
            Error::InsufficientBalance { .. } => SendFate::Refused,
            Error::Refused { .. } | Error::Auth { .. } | Error::Invalid(_) => SendFate::Failed,
        }
    }

    /// Paykassma's numeric `code`, when it sent one.
    pub fn code(&self) -> Option<i64> {
        match self {
            Error::Refused { code, .. } => *code,
            _ => None,
        }
    }

    /// Paykassma's own message, when it refused.
    pub fn provider_message(&self) -> Option<&ProviderMessage> {
        match self {
            Error::Refused { message, .. }
            | Error::InsufficientBalance { message, .. }
            | Error::AlreadyUsed { message, .. } => Some(message),
            _ => None,
        }
    }

    /// Sorts an answer that is not a success, keeping Paykassma's words.
    pub(crate) fn from_answer(status: u16, retry_after: Option<&str>, body: &[u8]) -> Error {
        if status == 429 {
            return Error::RateLimited {
                retry_after: retry_after.and_then(|v| parse_retry_after(v, SystemTime::now())),
            };
        }
        let text = || truncate(&String::from_utf8_lossy(body), MAX_ERROR_TEXT);
        let json: Option<Value> = serde_json::from_slice(body).ok();
        let secret_error = json
            .as_ref()
            .and_then(|j| j.pointer("/errors/target"))
            .is_some_and(|t| t.as_str() == Some(SECRET_ERROR_TARGET));
        // A 404 in Paykassma's own `status: fail` shape is a refusal (such as
        // "Postback not found"); any other 404 is the documented answer to
        // a missing or wrong secret.
        let fail_shaped = json
            .as_ref()
            .and_then(|j| j.get("status"))
            .is_some_and(|s| s.as_str() == Some("fail"));
        if (status == 404 && !fail_shaped) || secret_error {
            let message = json
                .as_ref()
                .and_then(|j| j.pointer("/errors/message").or_else(|| j.get("message")))
                .map_or_else(text, plain);
            let message = if message.is_empty() {
                "Not found".into()
            } else {
                message
            };
            return Error::Auth { status, message };
        }
        if status >= 500 {
            return Error::Server {
                status,
                message: text(),
            };
        }
        let Some(json) = json.filter(Value::is_object) else {
            return Error::Refused {
                status,
                code: None,
                message: ProviderMessage::Text(text()),
            };
        };
        let code = json.get("code").and_then(Value::as_i64);
        let message = match (json.get("message"), json.get("errors")) {
            (Some(m), _) if !m.is_null() && m.as_str() != Some("") => {
                ProviderMessage::from_value(m)
            }
            (_, Some(e)) => ProviderMessage::from_value(e.get("message").unwrap_or(e)),
            _ => ProviderMessage::Text(json.get("error_message").map_or_else(text, plain)),
        };
        let insufficient = message
            .field(INSUFFICIENT_BALANCE_FIELD)
            .is_some_and(|m| m.iter().any(|t| t.contains(INSUFFICIENT_BALANCE_TEXT)))
            || message == ProviderMessage::Text(INSUFFICIENT_BALANCE_TEXT.into());
        if insufficient {
            return Error::InsufficientBalance { status, message };
        }
        let taken = UNIQUE_ID_FIELDS.iter().find(|f| {
            message
                .field(f)
                .is_some_and(|m| m.iter().any(|t| t.contains(ALREADY_TAKEN_TEXT)))
        });
        if let Some(field) = taken {
            return Error::AlreadyUsed {
                status,
                field: (*field).to_owned(),
                message,
            };
        }
        Error::Refused {
            status,
            code,
            message,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn per_field_messages_are_kept_in_order_and_shown_whole() {
        let e = Error::from_answer(
            400,
            None,
            br#"{"status":"fail","message":{"key1":["Transaction field has wrong length"]}}"#,
        );
        assert_eq!(
            e.to_string(),
            "Paykassma refused the request: key1: Transaction field has wrong length"
        );
        assert!(!e.may_have_taken_effect() && !e.is_retryable_without_risk());
    }

    #[test]
    fn insufficient_balance_is_its_own_outcome() {
        let e = Error::from_answer(
            400,
            None,
            br#"{"status":"fail","message":{"withdrawals_sum_amount":["Insufficient balance"]}}"#,
        );
        assert!(matches!(e, Error::InsufficientBalance { .. }), "{e:?}");
        assert!(
            e.to_string()
                .contains("withdrawals_sum_amount: Insufficient balance")
        );
        assert!(!e.may_have_taken_effect());
    }

    #[test]
    fn a_repeated_id_means_the_first_request_arrived() {
        let e = Error::from_answer(
            400,
            None,
            br#"{"status":"fail","message":{"withdrawal_id":["The withdrawal id has already been taken."]}}"#,
        );
        assert!(matches!(&e, Error::AlreadyUsed { field, .. } if field == "withdrawal_id"));
        assert!(e.may_have_taken_effect());
    }

    #[test]
    fn a_404_or_a_wrong_secret_is_an_auth_error() {
        let e = Error::from_answer(404, None, b"Not found");
        assert!(matches!(e, Error::Auth { status: 404, .. }));
        let refusal = Error::from_answer(
            404,
            None,
            br#"{"status":"fail","message":"Postback not found"}"#,
        );
        assert!(
            matches!(refusal, Error::Refused { status: 404, .. }),
            "{refusal:?}"
        );
        assert!(e.to_string().contains("PLUGINAPI secret"));
        let e = Error::from_answer(
            400,
            None,
            br#"{"status":"error","code":30228,"errors":{"target":"secret","code":36205,"message":"Wrong secret"},"error_message":"Data validation error"}"#,
        );
        assert_eq!(
            e,
            Error::Auth {
                status: 400,
                message: "Wrong secret".into()
            }
        );
    }

    #[test]
    fn a_5xx_may_have_taken_effect_and_its_html_is_cut_to_500_characters() {
        let e = Error::from_answer(502, None, "<html>".repeat(200).as_bytes());
        assert!(e.may_have_taken_effect());
        let Error::Server { message, .. } = e else {
            panic!("expected Server")
        };
        assert_eq!(message.chars().count(), 500);
        assert_eq!(truncate("ধন্যবাদ", 2), "ধ…");
    }

    #[test]
    fn a_429_is_safe_to_retry_after_the_wait() {
        let e = Error::from_answer(429, Some("12"), b"");
        assert!(matches!(e, Error::RateLimited { retry_after: Some(d) } if d.as_secs() == 12));
        assert!(e.is_retryable_without_risk());
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_772_965_800);
        let past = httpdate::fmt_http_date(now - Duration::from_secs(5));
        assert_eq!(parse_retry_after(&past, now), Some(Duration::ZERO));
    }
}
