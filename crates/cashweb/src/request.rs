//! What Cashdesk sends: a create in exactly one pricing mode, and the key
//! that makes a cancel idempotent.
//!
//! The document says a create carries either `quote_id` (quote mode) or
//! `fiat_amount + crypto_currency + network` (direct mode), never both, and
//! that partners never send `rate` or `crypto_amount`. [`PricingMode`]
//! makes "both" and "neither" unrepresentable, and
//! [`PricingMode::from_parts`] refuses them when a request is rebuilt from
//! stored, optional fields, so such a body is never sent.

use crate::assumptions::{
    self, FIAT_DECIMAL_PLACES, IDEMPOTENCY_KEY_MAX_LEN, MERCHANT_REFERENCE_MAX_LEN,
    QUOTE_NEAR_EXPIRY, QUOTE_VALIDITY,
};
use crate::expiry::{Expiry, expiry};
use chrono::{DateTime, TimeDelta, Utc};
use rust_decimal::Decimal;
use serde::Serialize;

/// Refused before sending, so an obvious mistake never reaches CashWeb.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ValidationError {
    #[error("{field} is required and must not be empty")]
    Empty { field: &'static str },
    #[error(
        "merchant reference \"{reference}\" is not usable: use at most 64 letters, digits, \
         '-', '_', '.' or ':'"
    )]
    Reference { reference: String },
    #[error(
        "a CashWeb transaction takes either a quote (quote mode) or fiat amount, crypto \
         currency and network (direct mode), not both"
    )]
    BothModes,
    #[error(
        "a CashWeb transaction needs either a quote (quote mode) or fiat amount, crypto \
         currency and network (direct mode)"
    )]
    NoMode,
    #[error("direct mode needs {missing} as well as the other direct-mode fields")]
    DirectIncomplete { missing: &'static str },
    #[error("{field} must be greater than zero, got {amount}")]
    NotPositive {
        field: &'static str,
        amount: Decimal,
    },
    #[error("{field} {amount} has more than {places} decimal places")]
    TooPrecise {
        field: &'static str,
        amount: Decimal,
        places: u32,
    },
    #[error("quote {quote_id} expired at {expired_at}; ask the customer for a new quote")]
    QuoteExpired {
        quote_id: String,
        expired_at: DateTime<Utc>,
    },
    #[error("list limit must be between 1 and 100, got {limit}")]
    Limit { limit: u32 },
    #[error("Idempotency-Key is not usable: {reason}")]
    IdempotencyKey { reason: &'static str },
    #[error(
        "the API key contains characters that cannot be sent in an HTTP header; \
         copy it again from the CashWeb dashboard"
    )]
    ApiKeyUnusable,
    #[error("auth header name \"{name}\" is not a valid HTTP header name")]
    AuthHeaderName { name: String },
    #[error("CashWeb base URL \"{url}\" is not usable: {reason}")]
    BaseUrl { url: String, reason: String },
}

pub(crate) fn require(field: &'static str, value: &str) -> Result<(), ValidationError> {
    if value.trim().is_empty() {
        Err(ValidationError::Empty { field })
    } else {
        Ok(())
    }
}

/// Checks a `merchant_reference` against the assumed rules (see
/// [`crate::assumptions`]).
pub fn validate_merchant_reference(reference: &str) -> Result<(), ValidationError> {
    require("merchant_reference", reference)?;
    let ok = reference.len() <= MERCHANT_REFERENCE_MAX_LEN
        && reference.chars().all(assumptions::is_reference_char);
    if ok {
        Ok(())
    } else {
        Err(ValidationError::Reference {
            reference: reference.to_owned(),
        })
    }
}

/// A positive amount with at most `places` decimal places.
pub fn validate_amount(
    field: &'static str,
    amount: &Decimal,
    places: u32,
) -> Result<(), ValidationError> {
    if amount.is_sign_negative() || amount.is_zero() {
        return Err(ValidationError::NotPositive {
            field,
            amount: *amount,
        });
    }
    if amount.normalize().scale() > places {
        return Err(ValidationError::TooPrecise {
            field,
            amount: *amount,
            places,
        });
    }
    Ok(())
}

/// A quote id with the moment it stops being valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quote {
    quote_id: String,
    expires_at: DateTime<Utc>,
}

impl Quote {
    /// A quote issued at `issued_at`: valid for the documented 120 s.
    pub fn issued_at(quote_id: impl Into<String>, issued_at: DateTime<Utc>) -> Quote {
        let validity = TimeDelta::from_std(QUOTE_VALIDITY).unwrap_or(TimeDelta::zero());
        Quote {
            quote_id: quote_id.into(),
            expires_at: issued_at + validity,
        }
    }

    /// A quote whose deadline is known exactly.
    pub fn expiring_at(quote_id: impl Into<String>, expires_at: DateTime<Utc>) -> Quote {
        Quote {
            quote_id: quote_id.into(),
            expires_at,
        }
    }

    pub fn id(&self) -> &str {
        &self.quote_id
    }

    pub fn expires_at(&self) -> DateTime<Utc> {
        self.expires_at
    }

    /// Open, near expiry (last 20 s) or expired at `now`.
    pub fn expiry(&self, now: DateTime<Utc>) -> Expiry {
        expiry(self.expires_at, now, QUOTE_NEAR_EXPIRY)
    }
}

/// How CashWeb prices the transaction: exactly one of the two modes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PricingMode {
    /// Rate and amounts fixed by an earlier quote.
    Quote(Quote),
    /// CashWeb takes the latest market rate and derives `crypto_amount`.
    Direct {
        fiat_amount: Decimal,
        crypto_currency: String,
        network: String,
    },
}

impl PricingMode {
    /// Builds the mode from optional stored fields, refusing both modes,
    /// neither mode, or an incomplete direct mode.
    pub fn from_parts(
        quote: Option<Quote>,
        fiat_amount: Option<Decimal>,
        crypto_currency: Option<String>,
        network: Option<String>,
    ) -> Result<PricingMode, ValidationError> {
        let any_direct = fiat_amount.is_some() || crypto_currency.is_some() || network.is_some();
        match (quote, any_direct) {
            (Some(_), true) => Err(ValidationError::BothModes),
            (Some(q), false) => Ok(PricingMode::Quote(q)),
            (None, false) => Err(ValidationError::NoMode),
            (None, true) => {
                let missing = |field| ValidationError::DirectIncomplete { missing: field };
                Ok(PricingMode::Direct {
                    fiat_amount: fiat_amount.ok_or(missing("fiat_amount"))?,
                    crypto_currency: crypto_currency.ok_or(missing("crypto_currency"))?,
                    network: network.ok_or(missing("network"))?,
                })
            }
        }
    }
}

/// `POST /transactions`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreateTransactionRequest {
    /// Our canonical id: unique per partner, case-insensitively.
    pub merchant_reference: String,
    pub pricing: PricingMode,
    /// Optional partner metadata for seller linkage.
    pub seller_phone: Option<String>,
}

impl CreateTransactionRequest {
    pub fn direct(
        merchant_reference: impl Into<String>,
        fiat_amount: Decimal,
        crypto_currency: impl Into<String>,
        network: impl Into<String>,
    ) -> Self {
        Self {
            merchant_reference: merchant_reference.into(),
            pricing: PricingMode::Direct {
                fiat_amount,
                crypto_currency: crypto_currency.into(),
                network: network.into(),
            },
            seller_phone: None,
        }
    }

    pub fn quoted(merchant_reference: impl Into<String>, quote: Quote) -> Self {
        Self {
            merchant_reference: merchant_reference.into(),
            pricing: PricingMode::Quote(quote),
            seller_phone: None,
        }
    }

    /// Everything checkable locally, with `now` for the quote's deadline.
    pub fn validate(&self, now: DateTime<Utc>) -> Result<(), ValidationError> {
        validate_merchant_reference(&self.merchant_reference)?;
        match &self.pricing {
            PricingMode::Quote(q) => {
                require("quote_id", q.id())?;
                if q.expiry(now).is_expired() {
                    return Err(ValidationError::QuoteExpired {
                        quote_id: q.id().to_owned(),
                        expired_at: q.expires_at(),
                    });
                }
            }
            PricingMode::Direct {
                fiat_amount,
                crypto_currency,
                network,
            } => {
                validate_amount("fiat_amount", fiat_amount, FIAT_DECIMAL_PLACES)?;
                require("crypto_currency", crypto_currency)?;
                require("network", network)?;
            }
        }
        if let Some(phone) = &self.seller_phone {
            require("seller_phone", phone)?;
        }
        Ok(())
    }

    /// The JSON body: only the fields of the chosen mode.
    pub fn body(&self) -> CreateBody<'_> {
        let (quote_id, fiat_amount, crypto_currency, network) = match &self.pricing {
            PricingMode::Quote(q) => (Some(q.id()), None, None, None),
            PricingMode::Direct {
                fiat_amount,
                crypto_currency,
                network,
            } => (
                None,
                Some(*fiat_amount),
                Some(crypto_currency.as_str()),
                Some(network.as_str()),
            ),
        };
        CreateBody {
            merchant_reference: &self.merchant_reference,
            quote_id,
            fiat_amount,
            crypto_currency,
            network,
            seller_phone: self.seller_phone.as_deref(),
        }
    }
}

/// The create body as sent; decimals travel as strings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CreateBody<'a> {
    pub merchant_reference: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quote_id: Option<&'a str>,
    #[serde(
        with = "rust_decimal::serde::str_option",
        skip_serializing_if = "Option::is_none"
    )]
    pub fiat_amount: Option<Decimal>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub crypto_currency: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub network: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seller_phone: Option<&'a str>,
}

/// The `Idempotency-Key` of a cancel: reuse the same key for every retry
/// of one cancellation, so CashWeb applies it once.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct IdempotencyKey(String);

impl IdempotencyKey {
    /// 1 to 255 visible ASCII characters (assumption).
    pub fn new(key: impl Into<String>) -> Result<Self, ValidationError> {
        let key = key.into();
        if key.is_empty() {
            return Err(ValidationError::IdempotencyKey {
                reason: "it is empty",
            });
        }
        if key.len() > IDEMPOTENCY_KEY_MAX_LEN {
            return Err(ValidationError::IdempotencyKey {
                reason: "it is longer than 255 characters",
            });
        }
        if !key.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(ValidationError::IdempotencyKey {
                reason: "it must be visible ASCII characters without spaces",
            });
        }
        Ok(Self(key))
    }

    /// The one key for cancelling the transaction with this reference:
    /// derived, so a retry after a crash needs nothing stored.
    pub fn for_cancel(merchant_reference: &str) -> Result<Self, ValidationError> {
        validate_merchant_reference(merchant_reference)?;
        Self::new(format!(
            "cancel:{}",
            merchant_reference.to_ascii_lowercase()
        ))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
#[path = "request_tests.rs"]
mod tests;
