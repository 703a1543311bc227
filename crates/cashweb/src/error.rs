//! What can go wrong talking to CashWeb, sorted by the one question that
//! matters at a cash desk: could something have happened that we did not
//! see?
//!
//! A create is keyed by our `merchant_reference` and a cancel by its
//! `Idempotency-Key`, so nothing can happen twice, but a create that may
//! have landed must be found by reference before it is sent again
//! ([`Error::may_have_taken_effect`]). The two documented conflicts are
//! their own variants, each keeping CashWeb's code and message.

use crate::assumptions::{MAX_ERROR_TEXT, codes};
use crate::request::ValidationError;
use crate::wire::ErrorBody;
use serde::Deserialize;
use std::time::{Duration, SystemTime};

pub(crate) use cashdesk_http::truncate;
pub use cashdesk_http::{SendFate, parse_retry_after};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// 409 from create: a transaction with this reference already exists.
    #[error(
        "CashWeb already has a transaction with merchant reference {merchant_reference} \
         ({code}: {message}); look it up by reference instead of creating it again"
    )]
    DuplicateReference {
        merchant_reference: String,
        code: String,
        message: String,
    },
    /// 409 from cancel: the transaction is past cancelling.
    #[error(
        "CashWeb cannot cancel transaction {transaction_id} in its current state \
         ({code}: {message}); refresh it to see whether the deposit arrived or it expired"
    )]
    NotCancellable {
        transaction_id: String,
        code: String,
        message: String,
    },
    /// 404 in the documented error shape.
    #[error("CashWeb has no such transaction ({code}: {message})")]
    NotFound { code: String, message: String },
    /// Any other answer that is not a success; `code` and `message` are
    /// what CashWeb sent (or `HTTP_<status>` and the body text).
    #[error("{}", api_text(*status, code, message))]
    Api {
        status: u16,
        code: String,
        message: String,
    },
    /// HTTP 429. Nothing was done; wait `retry_after` if given.
    #[error("{}", rate_limited_text(retry_after))]
    RateLimited { retry_after: Option<Duration> },
    /// The request certainly never reached CashWeb.
    #[error("could not reach CashWeb ({message}); nothing was sent, so it is safe to try again")]
    NotSent { message: String },
    /// The request may have reached CashWeb, but no usable answer came back.
    #[error(
        "no usable answer from CashWeb ({message}); the request may have been processed, \
         so look the transaction up by merchant reference before sending it again"
    )]
    Unknown { message: String },
    /// A transaction found by our reference is not the one we asked for.
    #[error(
        "merchant reference {merchant_reference} already belongs to a different CashWeb \
         transaction ({found}); a supervisor must check it before anything is sent"
    )]
    ReferenceConflict {
        merchant_reference: String,
        found: String,
    },
    /// Refused locally before sending.
    #[error("not sent to CashWeb: {0}")]
    Invalid(#[from] ValidationError),
}

fn api_text(status: u16, code: &str, message: &str) -> String {
    if status >= 500 {
        format!(
            "CashWeb failed (HTTP {status}): {code} — {message}. The request may have been \
             processed; look the transaction up before sending it again"
        )
    } else {
        format!("CashWeb refused the request (HTTP {status}): {code} — {message}")
    }
}

fn rate_limited_text(retry_after: &Option<Duration>) -> String {
    match retry_after {
        Some(d) => format!(
            "CashWeb is limiting requests; nothing was done, try again in {} s",
            d.as_secs().max(1)
        ),
        None => "CashWeb is limiting requests; nothing was done, try again shortly".to_owned(),
    }
}

/// Which call an answer belongs to: a 409 means different things.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Call<'a> {
    Create { merchant_reference: &'a str },
    Cancel { transaction_id: &'a str },
    Read,
}

impl Error {
    /// True when something may have happened although no success was seen:
    /// find out (by reference or id) before sending again.
    pub fn may_have_taken_effect(&self) -> bool {
        self.fate() == SendFate::MayHaveArrived
    }

    /// True when sending the same request again cannot do anything twice
    /// and cannot hide an earlier effect.
    pub fn is_retryable_without_risk(&self) -> bool {
        self.fate().is_safe_to_resend()
    }

    /// What this error means for the call. A taken reference is answered
    /// by the recovery lookup, not by this fate; a transaction that can no
    /// longer be cancelled refuses the cancel itself.
    pub fn fate(&self) -> SendFate {
        match self {
            Error::Unknown { .. } => SendFate::MayHaveArrived,
            Error::Api { status, .. } if *status >= 500 => SendFate::MayHaveArrived,
            Error::RateLimited { retry_after } => SendFate::RateLimited(*retry_after),
            Error::NotSent { .. } => SendFate::NotSent,
            Error::NotCancellable { .. } => SendFate::Refused,
            Error::DuplicateReference { .. }
            | Error::NotFound { .. }
            | Error::Api { .. }
            | Error::ReferenceConflict { .. }
            | Error::Invalid(_) => SendFate::Failed,
        }
    }

    /// True for the two documented conflicts (duplicate reference, not
    /// cancellable): a definite answer, not a failure to retry.
    pub fn is_conflict(&self) -> bool {
        matches!(
            self,
            Error::DuplicateReference { .. } | Error::NotCancellable { .. }
        )
    }

    /// The provider's error code, when CashWeb answered with one.
    pub fn code(&self) -> Option<&str> {
        match self {
            Error::DuplicateReference { code, .. }
            | Error::NotCancellable { code, .. }
            | Error::NotFound { code, .. }
            | Error::Api { code, .. } => Some(code),
            Error::RateLimited { .. } => Some(codes::RATE_LIMITED),
            _ => None,
        }
    }

    /// The provider's own message, when CashWeb answered with one.
    pub fn provider_message(&self) -> Option<&str> {
        match self {
            Error::DuplicateReference { message, .. }
            | Error::NotCancellable { message, .. }
            | Error::NotFound { message, .. }
            | Error::Api { message, .. } => Some(message),
            _ => None,
        }
    }

    /// Turns a non-success answer into an error, keeping CashWeb's words.
    pub(crate) fn from_response(
        status: u16,
        retry_after: Option<&str>,
        body: &[u8],
        call: Call<'_>,
    ) -> Error {
        if status == 429 {
            return Error::RateLimited {
                retry_after: retry_after.and_then(|v| parse_retry_after(v, SystemTime::now())),
            };
        }
        let (code, message, documented) = match read_error(body) {
            Some((code, message)) => (code, message, true),
            None => (
                format!("HTTP_{status}"),
                truncate(&String::from_utf8_lossy(body), MAX_ERROR_TEXT),
                false,
            ),
        };
        match (status, call) {
            (409, Call::Create { merchant_reference }) => Error::DuplicateReference {
                merchant_reference: merchant_reference.to_owned(),
                code,
                message,
            },
            (409, Call::Cancel { transaction_id }) => Error::NotCancellable {
                transaction_id: transaction_id.to_owned(),
                code,
                message,
            },
            // A 404 without the error shape is a wrong URL, not an answer.
            (404, _) if documented => Error::NotFound { code, message },
            _ => Error::Api {
                status,
                code,
                message,
            },
        }
    }
}

/// Reads the assumed error shape, or the flat `{"error", "message"}` form.
pub(crate) fn read_error(body: &[u8]) -> Option<(String, String)> {
    #[derive(Deserialize)]
    struct Flat {
        error: String,
        #[serde(default)]
        message: String,
    }
    if let Ok(b) = serde_json::from_slice::<ErrorBody>(body)
        && !b.success
        && !b.error.code.is_empty()
    {
        return Some((b.error.code, b.error.message));
    }
    match serde_json::from_slice::<Flat>(body) {
        Ok(f) if !f.error.is_empty() => Some((f.error, f.message)),
        _ => None,
    }
}

#[cfg(test)]
#[path = "error_tests.rs"]
mod tests;
