//! Answers of the lookups: one postback by id, many at once
//! (pullpostbacks), and the account balances.
//!
//! These are how an ambiguous failure is settled (see the recovery notes in
//! [`crate::assumptions`]), so "no postback yet" is a typed answer, never an
//! error that could be mistaken for "the request did not arrive".

use crate::postback::{DepositPostback, WithdrawalPostback};
use crate::serde_forms::{decimal, id, number};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// One postback looked up by id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PostbackLookup<T> {
    Found(T),
    /// "Postback not found": not credited / not processed yet, or unknown.
    NotFound {
        message: String,
    },
}

impl<T> PostbackLookup<T> {
    pub fn found(self) -> Option<T> {
        match self {
            Self::Found(t) => Some(t),
            Self::NotFound { .. } => None,
        }
    }
}

/// The `postback` field of `GET postback`, by `type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PostbackType {
    Deposit,
    Withdrawal,
}

impl PostbackType {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Deposit => "deposit",
            Self::Withdrawal => "withdrawal",
        }
    }
}

/// One deposit order of a pullpostbacks answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PulledDeposit {
    #[serde(deserialize_with = "id")]
    pub plugin_custom_order_id: String,
    /// Set when there is no postback ("Postback not found").
    #[serde(default)]
    pub message: Option<String>,
    #[serde(default)]
    pub postback: Option<DepositPostback>,
}

/// One withdrawal of a pullpostbacks answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PulledWithdrawal {
    #[serde(deserialize_with = "id")]
    pub withdrawal_id: String,
    #[serde(default)]
    pub message: Option<String>,
    #[serde(default)]
    pub postback: Option<WithdrawalPostback>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Paginate {
    pub offset: i64,
    pub total: i64,
    pub limit: i64,
}

/// A pullpostbacks answer: one entry per id asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pulled<T> {
    pub items: Vec<T>,
    pub paginate: Option<Paginate>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct PulledDeposits {
    pub transactions: Vec<PulledDeposit>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct PulledWithdrawals {
    pub withdrawals: Vec<PulledWithdrawal>,
}

/// One account balance (the Settlement balance is not included).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Balance {
    pub wallet_type: String,
    pub currency_code: String,
    /// May be negative, as in the document's example.
    #[serde(serialize_with = "number", deserialize_with = "decimal")]
    pub amount: Decimal,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Balances {
    pub balances: Vec<Balance>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::postback::WithdrawalStatus;
    use std::str::FromStr;

    #[test]
    fn the_documented_pullpostbacks_answers_parse() {
        let d: PulledDeposits = serde_json::from_str(
            r#"{"transactions": [
                {"plugin_custom_order_id": "autotest51191116971521", "message": "Postback not found"},
                {"plugin_custom_order_id": "autotest51191472141726", "postback": {
                    "label": "autotest51191472141726",
                    "stockpiling": {"USD": 3.6, "EUR": 3.37, "IDR": 55405.29},
                    "stockpiling_id": 269866,
                    "transactions": [{"amount": 300.00, "currency_code": "INR", "wallet_type": "upi_l",
                        "transaction_id": "770425808190", "transaction_type": 0,
                        "from": "autotest51190375323527", "created_datetime": "2023-09-19 10:25:47",
                        "activated_datetime": "2023-09-19 10:25:48", "custom_id": "autotest51191472141726"}]}}]}"#,
        )
        .unwrap();
        assert!(d.transactions[0].postback.is_none());
        let p = d.transactions[1].postback.as_ref().unwrap();
        assert_eq!(p.stockpiling["USD"], Decimal::from_str("3.6").unwrap());
        assert_eq!(p.stockpiling_id, "269866");
        assert_eq!(p.transactions[0].amount.to_string(), "300.00");
        assert!(p.covers("autotest51191472141726"));

        let w: PulledWithdrawals = serde_json::from_str(
            r#"{"withdrawals": [{"withdrawal_id": "autotest51180853781767", "postback": {
                "withdrawal_id": "autotest51180853781767", "status": 1, "comment": "autotest approve by file",
                "payment_system": "upi_idb", "amount": 330, "currency_code": "INR",
                "label": "autotest95118085378184", "account_number": "1950478885",
                "account_name": "autotest95117145615335", "account_email": "",
                "payments_details": {"payments_provider": null},
                "bank_details": {"bank_code": null, "branch_code": null}}}]}"#,
        )
        .unwrap();
        let p = w.withdrawals[0].postback.as_ref().unwrap();
        assert_eq!(p.status, WithdrawalStatus::Processed);
        assert_eq!(p.amount, Decimal::from(330));
    }

    #[test]
    fn negative_balances_parse_exactly() {
        let b: Balances = serde_json::from_str(
            r#"{"balances": [{"wallet_type": "paytm", "currency_code": "IDR", "amount": -324324.00},
                             {"wallet_type": "bkash", "currency_code": "EUR", "amount": 23.9375}]}"#,
        )
        .unwrap();
        assert_eq!(b.balances[0].amount.to_string(), "-324324.00");
        assert_eq!(b.balances[1].amount, Decimal::from_str("23.9375").unwrap());
    }
}
