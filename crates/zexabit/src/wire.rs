//! Request and response bodies exactly as the Zexabit document prints them.
//!
//! Field names are the document's camelCase; amounts are exact decimals sent
//! as JSON numbers with their digits untouched (never through a float).
//! Fields that identify money (ids, status, amount) are required; purely
//! informative ones (`message`, `estimatedTime`, `agentName`) default to
//! `None` so a missing hint never turns a committed deposit into an unknown.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// Documented error codes (`error` field of the error body).
pub mod codes {
    pub const INVALID_REQUEST: &str = "INVALID_REQUEST";
    pub const UNAUTHORIZED: &str = "UNAUTHORIZED";
    pub const FORBIDDEN: &str = "FORBIDDEN";
    pub const NOT_FOUND: &str = "NOT_FOUND";
    pub const INSUFFICIENT_BALANCE: &str = "INSUFFICIENT_BALANCE";
    pub const NO_AGENT_AVAILABLE: &str = "NO_AGENT_AVAILABLE";
    pub const RATE_LIMITED: &str = "RATE_LIMITED";
    pub const INTERNAL_ERROR: &str = "INTERNAL_ERROR";
}

/// Rules the client checks before sending, so an obvious mistake never
/// costs a request against the rate limit.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ValidationError {
    #[error("username must be 4 to 20 characters; \"{username}\" has {len}")]
    UsernameLength { username: String, len: usize },
    #[error("{field} is required and must not be empty")]
    Empty { field: &'static str },
    #[error("{field} must be greater than zero, got {amount}")]
    NotPositive {
        field: &'static str,
        amount: Decimal,
    },
    #[error(
        "{field} {amount} {currency} is outside the {method} limits: \
         minimum {min} {currency}, maximum {max} {currency}"
    )]
    OutOfRange {
        field: &'static str,
        method: String,
        amount: Decimal,
        min: Decimal,
        max: Decimal,
        currency: String,
    },
    #[error(
        "the API key contains characters that cannot be sent in an HTTP header; \
         copy it again from the Zexabit dashboard"
    )]
    ApiKeyUnusable,
    #[error("Zexabit base URL \"{url}\" is not usable: {reason}")]
    BaseUrl { url: String, reason: String },
}

/// Documented: "Unique username (4–20 chars)". Counted in characters, not
/// bytes, so a name in Bangla or Hindi is measured as a person reads it.
pub fn validate_username(username: &str) -> Result<(), ValidationError> {
    let len = username.chars().count();
    if (4..=20).contains(&len) {
        Ok(())
    } else {
        Err(ValidationError::UsernameLength {
            username: username.to_owned(),
            len,
        })
    }
}

pub(crate) fn require(field: &'static str, value: &str) -> Result<(), ValidationError> {
    if value.trim().is_empty() {
        Err(ValidationError::Empty { field })
    } else {
        Ok(())
    }
}

pub(crate) fn require_positive(
    field: &'static str,
    amount: &Decimal,
) -> Result<(), ValidationError> {
    if amount.is_sign_positive() && !amount.is_zero() {
        Ok(())
    } else {
        Err(ValidationError::NotPositive {
            field,
            amount: *amount,
        })
    }
}

/// Lifecycle of a deposit or withdrawal: `pending | completed | rejected`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Pending,
    Completed,
    Rejected,
}

impl Status {
    pub fn is_final(self) -> bool {
        !matches!(self, Status::Pending)
    }
}

/// Documented error body: `{success:false, error:"CODE", message:"..."}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub success: bool,
    pub error: String,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateUserRequest {
    /// Your platform's user id.
    pub external_user_id: String,
    /// Unique, 4–20 characters.
    pub username: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateUserResponse {
    pub success: bool,
    /// Zexabit's id for the user: store it for every later call.
    pub user_id: String,
    pub username: String,
    #[serde(with = "rust_decimal::serde::arbitrary_precision")]
    pub balance: Decimal,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserBalance {
    pub success: bool,
    pub user_id: String,
    #[serde(with = "rust_decimal::serde::arbitrary_precision")]
    pub balance: Decimal,
    #[serde(with = "rust_decimal::serde::arbitrary_precision")]
    pub deposit_balance: Decimal,
    #[serde(with = "rust_decimal::serde::arbitrary_precision")]
    pub withdraw_balance: Decimal,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateDepositRequest {
    pub user_id: String,
    #[serde(with = "rust_decimal::serde::arbitrary_precision")]
    pub amount: Decimal,
    pub payment_method: String,
    /// The agent's account or wallet the user paid to (from agent-number).
    pub payment_number: String,
    /// The user's TrxID / UTR / tx hash, for the agent to verify.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transaction_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateDepositResponse {
    pub success: bool,
    pub deposit_id: String,
    pub status: Status,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub estimated_time: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DepositStatus {
    pub success: bool,
    pub deposit_id: String,
    pub status: Status,
    #[serde(with = "rust_decimal::serde::arbitrary_precision")]
    pub amount: Decimal,
    pub user_id: String,
    /// Absent or null while pending.
    #[serde(default)]
    pub completed_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent_name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateWithdrawalRequest {
    pub user_id: String,
    #[serde(with = "rust_decimal::serde::arbitrary_precision")]
    pub amount: Decimal,
    pub payment_method: String,
    /// The user's own account that receives the cash.
    pub account_number: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateWithdrawalResponse {
    pub success: bool,
    pub withdrawal_id: String,
    pub status: Status,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WithdrawalStatus {
    pub success: bool,
    pub withdrawal_id: String,
    pub status: Status,
    #[serde(with = "rust_decimal::serde::arbitrary_precision")]
    pub amount: Decimal,
    /// Absent or null while pending.
    #[serde(default)]
    pub completed_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PaymentMethods {
    pub success: bool,
    pub methods: Vec<PaymentMethod>,
}

/// One configured method with its per-transaction limits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PaymentMethod {
    /// Key used in requests, e.g. `bkash`, `usdt_trc20`.
    pub method: String,
    pub label: String,
    pub currency: String,
    #[serde(with = "rust_decimal::serde::arbitrary_precision")]
    pub min_amount: Decimal,
    #[serde(with = "rust_decimal::serde::arbitrary_precision")]
    pub max_amount: Decimal,
}

impl PaymentMethod {
    /// Inclusive min/max check, before anything is sent.
    pub fn check_amount(&self, amount: &Decimal) -> Result<(), ValidationError> {
        require_positive("amount", amount)?;
        if *amount < self.min_amount || *amount > self.max_amount {
            return Err(ValidationError::OutOfRange {
                field: "amount",
                method: self.method.clone(),
                amount: *amount,
                min: self.min_amount,
                max: self.max_amount,
                currency: self.currency.clone(),
            });
        }
        Ok(())
    }
}

/// Where the user should send funds for a deposit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AgentNumber {
    pub success: bool,
    pub method: String,
    /// Wallet number, UPI id or crypto address.
    pub account_number: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instructions: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn bkash() -> PaymentMethod {
        serde_json::from_str(
            r#"{ "method": "bkash", "label": "bKash", "currency": "BDT", "minAmount": 100, "maxAmount": 50000 }"#,
        )
        .unwrap()
    }

    #[test]
    fn username_must_be_4_to_20_characters() {
        assert!(validate_username("john").is_ok());
        assert!(validate_username(&"a".repeat(20)).is_ok());
        assert!(validate_username("joe").is_err());
        assert!(validate_username(&"a".repeat(21)).is_err());
        // counted in characters: four Bangla letters are four, not twelve bytes
        assert!(validate_username("আমার").is_ok());
        let msg = validate_username("ab").unwrap_err().to_string();
        assert!(msg.contains("4 to 20") && msg.contains("\"ab\""), "{msg}");
    }

    #[test]
    fn method_limits_are_inclusive_and_named_in_the_message() {
        let m = bkash();
        assert!(m.check_amount(&d("100")).is_ok());
        assert!(m.check_amount(&d("50000")).is_ok());
        let msg = m.check_amount(&d("99.99")).unwrap_err().to_string();
        assert_eq!(
            msg,
            "amount 99.99 BDT is outside the bkash limits: minimum 100 BDT, maximum 50000 BDT"
        );
        assert!(m.check_amount(&d("50000.01")).is_err());
        assert!(matches!(
            m.check_amount(&d("0")),
            Err(ValidationError::NotPositive { .. })
        ));
    }

    #[test]
    fn tiny_crypto_minimums_are_exact() {
        let btc: PaymentMethod = serde_json::from_str(
            r#"{ "method": "btc", "label": "Bitcoin", "currency": "BTC", "minAmount": 0.0001, "maxAmount": 10 }"#,
        )
        .unwrap();
        assert_eq!(btc.min_amount, d("0.0001"));
        assert!(btc.check_amount(&d("0.0001")).is_ok());
        assert!(btc.check_amount(&d("0.00009999")).is_err());
    }

    #[test]
    fn amounts_go_on_the_wire_as_numbers_with_their_exact_digits() {
        let req = CreateDepositRequest {
            user_id: "u1".into(),
            amount: d("500.50"),
            payment_method: "bkash".into(),
            payment_number: "01712345678".into(),
            transaction_id: None,
        };
        assert_eq!(
            serde_json::to_string(&req).unwrap(),
            r#"{"userId":"u1","amount":500.50,"paymentMethod":"bkash","paymentNumber":"01712345678"}"#
        );
    }

    #[test]
    fn documented_balance_response_parses_exactly() {
        let b: UserBalance = serde_json::from_str(
            r#"{"success": true, "userId": "68abc40f199dcff85e123456", "balance": 1500.00,
                "depositBalance": 3200.00, "withdrawBalance": 1700.00}"#,
        )
        .unwrap();
        assert_eq!(b.balance, d("1500.00"));
        assert_eq!(b.deposit_balance - b.withdraw_balance, b.balance);
    }

    #[test]
    fn status_is_one_of_the_three_documented_values() {
        let s: DepositStatus = serde_json::from_str(
            r#"{"success": true, "depositId": "dep_1", "status": "completed", "amount": 500,
                "userId": "u", "completedAt": "2026-03-08T10:30:00Z", "agentName": "Demo Cashagent"}"#,
        )
        .unwrap();
        assert_eq!(s.status, Status::Completed);
        assert!(s.completed_at.is_some());
        assert!(serde_json::from_str::<Status>(r#""approved""#).is_err());
    }
}
