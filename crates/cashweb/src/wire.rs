//! Response bodies exactly as the CashWeb document prints them.
//!
//! Field names are the document's snake_case. Money is an exact decimal
//! sent as a JSON string (`"1615.00"`), read and written through
//! `rust_decimal::serde::str`, never through a float. The create response
//! has the document's twelve fields, all required. The status (TSQ) shape
//! requires what identifies the transaction and its money, and tolerates
//! the create-only fields being absent, so a status poll never fails on a
//! field the TSQ list does not name (see [`crate::assumptions`]).

use crate::assumptions::{DEPOSIT_EXPIRY, DEPOSIT_NEAR_EXPIRY};
use crate::expiry::{Expiry, expiry};
use crate::request::{CreateTransactionRequest, PricingMode};
use crate::status::{DepositStatus, Status};
use chrono::{DateTime, TimeDelta, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::fmt;

/// `{"success": true, "data": …}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Envelope<T> {
    pub success: bool,
    pub data: T,
}

/// Assumed list body: a page of transactions and the cursor of the next.
/// The client reads each item on its own (`T` = JSON value), so one it
/// cannot read does not cost the whole page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListBody<T = Transaction> {
    pub success: bool,
    pub data: Vec<T>,
    #[serde(default)]
    pub next_cursor: Option<String>,
}

/// Assumed error body: `{"success": false, "error": {"code", "message"}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub success: bool,
    pub error: ErrorDetail,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorDetail {
    pub code: String,
    pub message: String,
}

/// The documented create response (`data`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatedTransaction {
    pub id: String,
    /// Where the customer sends the crypto.
    pub deposit_address: String,
    pub network: String,
    /// The deposit deadline (30 minutes after creation).
    pub expires_at: DateTime<Utc>,
    pub status: Status,
    /// Fiat per unit of crypto.
    #[serde(with = "rust_decimal::serde::str")]
    pub rate: Decimal,
    /// Fiat amount.
    #[serde(with = "rust_decimal::serde::str")]
    pub amount: Decimal,
    /// What the customer must send, to 8 places.
    #[serde(with = "rust_decimal::serde::str")]
    pub crypto_amount: Decimal,
    pub crypto_currency: String,
    pub merchant_reference: String,
    pub merchant_id: String,
    pub terminal_id: String,
}

impl CreatedTransaction {
    /// Where `now` stands against the deposit deadline.
    pub fn expiry(&self, now: DateTime<Utc>) -> Expiry {
        expiry(self.expires_at, now, DEPOSIT_NEAR_EXPIRY)
    }
}

/// The transaction status query (TSQ) shape: also each item of the list
/// and the answer of a cancel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transaction {
    pub id: String,
    pub status: Status,
    pub merchant_reference: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deposit_address: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merchant_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub terminal_id: Option<String>,
    pub crypto_currency: String,
    #[serde(with = "rust_decimal::serde::str")]
    pub crypto_amount: Decimal,
    #[serde(with = "rust_decimal::serde::str")]
    pub rate: Decimal,
    #[serde(with = "rust_decimal::serde::str")]
    pub amount: Decimal,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Null until a deposit is seen on chain.
    #[serde(default)]
    pub deposit_id: Option<String>,
    #[serde(default)]
    pub deposit_status: Option<DepositStatus>,
    #[serde(default)]
    pub confirmations: Option<u32>,
    #[serde(default)]
    pub required_confirmations: Option<u32>,
    #[serde(default)]
    pub received_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub confirmed_at: Option<DateTime<Utc>>,
}

impl Transaction {
    /// `expires_at`, or creation + 30 minutes if CashWeb left it out.
    pub fn deadline(&self) -> DateTime<Utc> {
        self.expires_at.unwrap_or_else(|| {
            self.created_at + TimeDelta::from_std(DEPOSIT_EXPIRY).unwrap_or(TimeDelta::zero())
        })
    }

    /// Where `now` stands against the deposit deadline.
    pub fn expiry(&self, now: DateTime<Utc>) -> Expiry {
        expiry(self.deadline(), now, DEPOSIT_NEAR_EXPIRY)
    }

    /// The document's rule: near (or past) expiry, fetch the latest state
    /// before showing or acting on this one. A deposit already seen is not
    /// subject to the deadline; a status we do not know always refreshes.
    pub fn must_refresh_before_acting(&self, now: DateTime<Utc>) -> bool {
        match self.status {
            Status::AwaitingDeposit => self.expiry(now).must_refresh(),
            Status::Other(_) => true,
            _ => false,
        }
    }

    /// Cashdesk's "approve": the user may be credited only when the
    /// documented reconciliation fields show the deposit confirmed and
    /// none disagrees (see [`crate::evidence`]).
    pub fn is_creditable(&self) -> bool {
        self.evidence() == crate::Evidence::Confirmed
    }

    /// Whether this transaction is what `req` asked for: same reference
    /// (case-insensitive) and, in direct mode, same fiat amount, crypto
    /// currency and network. Used to accept a transaction found by
    /// reference as the outcome of our own create.
    pub fn fulfils(&self, req: &CreateTransactionRequest) -> bool {
        if !self
            .merchant_reference
            .eq_ignore_ascii_case(&req.merchant_reference)
        {
            return false;
        }
        match &req.pricing {
            PricingMode::Quote(_) => true,
            PricingMode::Direct {
                fiat_amount,
                crypto_currency,
                network,
            } => {
                self.amount == *fiat_amount
                    && self.crypto_currency.eq_ignore_ascii_case(crypto_currency)
                    && self
                        .network
                        .as_deref()
                        .is_none_or(|n| n.eq_ignore_ascii_case(network))
            }
        }
    }

    /// One line for an agent: amount, crypto, network and status.
    pub fn summary(&self) -> String {
        format!(
            "{} ({} {} on {}), {}",
            self.amount,
            self.crypto_amount,
            self.crypto_currency,
            self.network.as_deref().unwrap_or("unknown network"),
            self.status
        )
    }
}

/// A position in the transaction list, exactly as CashWeb sent it.
///
/// The document says "never construct cursor values manually": this type
/// has no public constructor from parts, so the only cursors are ones
/// CashWeb gave (or such a cursor stored and [`Cursor::restore`]d).
///
/// ```compile_fail
/// let forged = cashdesk_cashweb::Cursor(String::from("eyJvZmZzZXQiOjEwfQ"));
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Cursor(String);

impl Cursor {
    pub(crate) fn received(value: String) -> Option<Cursor> {
        if value.is_empty() {
            None
        } else {
            Some(Cursor(value))
        }
    }

    /// A cursor CashWeb sent earlier and the caller stored (the sync
    /// cursor table), so polling resumes where it stopped after a restart.
    /// Only ever pass back text that came from [`Cursor::as_str`]: cursors
    /// are never built by hand.
    pub fn restore(stored: String) -> Option<Cursor> {
        Cursor::received(stored)
    }

    /// The text as received, for logs and for storing.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Cursor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Cursor({:?})", self.0)
    }
}

/// One page of `GET /transactions`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransactionPage {
    pub transactions: Vec<Transaction>,
    /// Items of the page that could not be read as a transaction, kept
    /// as sent so they can be shown and looked into.
    pub unreadable: Vec<Unreadable>,
    /// `None` on the last page.
    pub next_cursor: Option<Cursor>,
}

/// A list item Cashdesk could not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreadable {
    /// Its `id`, when that much could be read.
    pub id: Option<String>,
    pub error: String,
    /// The item's JSON, as sent.
    pub raw: String,
}

impl TransactionPage {
    pub(crate) fn from_body(body: ListBody<serde_json::Value>) -> TransactionPage {
        let mut transactions = Vec::new();
        let mut unreadable = Vec::new();
        for item in body.data {
            match serde_json::from_value::<Transaction>(item.clone()) {
                Ok(t) => transactions.push(t),
                Err(e) => unreadable.push(Unreadable {
                    id: item.get("id").and_then(|v| v.as_str()).map(str::to_owned),
                    error: e.to_string(),
                    raw: item.to_string(),
                }),
            }
        }
        TransactionPage {
            transactions,
            unreadable,
            next_cursor: body.next_cursor.and_then(Cursor::received),
        }
    }

    pub fn is_last(&self) -> bool {
        self.next_cursor.is_none()
    }
}

#[cfg(test)]
#[path = "wire_tests.rs"]
mod tests;
