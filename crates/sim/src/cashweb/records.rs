//! What the simulator holds and how it answers: a transaction in both
//! documented shapes (create and status), a quote, and a refusal in the
//! assumed error shape.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use cashdesk_cashweb::assumptions::codes;
use cashdesk_cashweb::wire::{ErrorBody, ErrorDetail};
use cashdesk_cashweb::{CreatedTransaction, DepositStatus, Status, Transaction};
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use std::fmt;

/// A refusal in the assumed error shape; also what the Rust API returns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
}

impl SimError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
        }
    }

    pub fn invalid(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, codes::VALIDATION_ERROR, message)
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, codes::NOT_FOUND, message)
    }

    pub fn invalid_cursor(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, codes::INVALID_CURSOR, message)
    }

    pub fn body(&self) -> ErrorBody {
        ErrorBody {
            success: false,
            error: ErrorDetail {
                code: self.code.to_owned(),
                message: self.message.clone(),
            },
        }
    }
}

impl fmt::Display for SimError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {}: {}",
            self.status.as_u16(),
            self.code,
            self.message
        )
    }
}

impl std::error::Error for SimError {}

impl IntoResponse for SimError {
    fn into_response(self) -> Response {
        (self.status, Json(self.body())).into_response()
    }
}

/// A transaction as the simulator holds it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SimTransaction {
    /// Creation order; the list is newest first.
    pub seq: u64,
    pub id: String,
    pub merchant_reference: String,
    /// Set in quote mode.
    pub quote_id: Option<String>,
    pub seller_phone: Option<String>,
    pub deposit_address: String,
    pub network: String,
    pub crypto_currency: String,
    pub rate: Decimal,
    /// Fiat amount.
    pub amount: Decimal,
    pub crypto_amount: Decimal,
    pub merchant_id: String,
    pub terminal_id: String,
    pub status: Status,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub deposit_id: Option<String>,
    /// When the customer's deposit lands on chain; may be in the future.
    pub deposit_at: Option<DateTime<Utc>>,
    pub received_at: Option<DateTime<Utc>>,
    pub confirmations: u32,
    pub required_confirmations: u32,
    pub confirmed_at: Option<DateTime<Utc>>,
}

impl SimTransaction {
    pub fn deposit_status(&self) -> Option<DepositStatus> {
        match self.status {
            Status::DepositDetected => Some(DepositStatus::Detected),
            Status::Confirming => Some(DepositStatus::Confirming),
            Status::Confirmed => Some(DepositStatus::Confirmed),
            _ => None,
        }
    }

    /// The documented create response.
    pub fn created(&self) -> CreatedTransaction {
        CreatedTransaction {
            id: self.id.clone(),
            deposit_address: self.deposit_address.clone(),
            network: self.network.clone(),
            expires_at: self.expires_at,
            status: self.status.clone(),
            rate: self.rate,
            amount: self.amount,
            crypto_amount: self.crypto_amount,
            crypto_currency: self.crypto_currency.clone(),
            merchant_reference: self.merchant_reference.clone(),
            merchant_id: self.merchant_id.clone(),
            terminal_id: self.terminal_id.clone(),
        }
    }

    /// The status (TSQ) shape: the create fields plus reconciliation.
    pub fn tsq(&self) -> Transaction {
        let deposit = self.received_at.is_some();
        Transaction {
            id: self.id.clone(),
            status: self.status.clone(),
            merchant_reference: self.merchant_reference.clone(),
            deposit_address: Some(self.deposit_address.clone()),
            network: Some(self.network.clone()),
            expires_at: Some(self.expires_at),
            merchant_id: Some(self.merchant_id.clone()),
            terminal_id: Some(self.terminal_id.clone()),
            crypto_currency: self.crypto_currency.clone(),
            crypto_amount: self.crypto_amount,
            rate: self.rate,
            amount: self.amount,
            created_at: self.created_at,
            updated_at: self.updated_at,
            deposit_id: self.deposit_id.clone().filter(|_| deposit),
            deposit_status: self.deposit_status(),
            confirmations: Some(self.confirmations),
            required_confirmations: Some(self.required_confirmations),
            received_at: self.received_at,
            confirmed_at: self.confirmed_at,
        }
    }
}

/// A quote: a rate and amounts held for `quote_validity`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SimQuote {
    pub quote_id: String,
    pub crypto_currency: String,
    pub network: String,
    pub rate: Decimal,
    pub fiat_amount: Decimal,
    pub crypto_amount: Decimal,
    pub issued_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}
