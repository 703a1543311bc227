//! Postbacks: what Paykassma reports when a deposit is credited or a
//! withdrawal is processed, pushed to our URL or looked up by id.
//!
//! A pushed postback moves money in our books, so nothing in it is used
//! before its signature checks out (the withdrawal algorithm, see
//! [`crate::signature`]; the delivery format is an assumption, see
//! [`crate::assumptions::PostbackPolicy`]). Amounts are exact decimals.

use crate::assumptions::PostbackPolicy;
use crate::serde_forms::{
    datetime, datetime_out, decimal, decimal_map, id, number, number_map, numeric_id, optional_id,
};
use crate::signature::{self, PrivateKey};
use chrono::NaiveDateTime;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// A credited deposit: one or more transactions that together reached the
/// payment system's minimum deposit ("savings").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DepositPostback {
    /// Present in `GET postback`, absent in pullpostbacks.
    #[serde(default, deserialize_with = "optional_id")]
    pub transaction_id: Option<String>,
    pub label: String,
    /// The accumulated amount converted to every currency.
    #[serde(serialize_with = "number_map", deserialize_with = "decimal_map")]
    pub stockpiling: BTreeMap<String, Decimal>,
    #[serde(serialize_with = "numeric_id", deserialize_with = "id")]
    pub stockpiling_id: String,
    pub transactions: Vec<PostbackTransaction>,
}

impl DepositPostback {
    /// Whether this postback credits our deposit `custom_id`.
    pub fn covers(&self, custom_id: &str) -> bool {
        self.transactions
            .iter()
            .any(|t| t.custom_id.as_deref() == Some(custom_id))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostbackTransaction {
    #[serde(serialize_with = "number", deserialize_with = "decimal")]
    pub amount: Decimal,
    pub currency_code: String,
    pub wallet_type: String,
    /// The user's transaction id (key1).
    #[serde(deserialize_with = "id")]
    pub transaction_id: String,
    pub transaction_type: i64,
    #[serde(default)]
    pub from: Option<String>,
    #[serde(
        default,
        serialize_with = "datetime_out",
        deserialize_with = "datetime"
    )]
    pub created_datetime: Option<NaiveDateTime>,
    #[serde(
        default,
        serialize_with = "datetime_out",
        deserialize_with = "datetime"
    )]
    pub activated_datetime: Option<NaiveDateTime>,
    /// Our `custom_transaction_id` / `custom_id`.
    #[serde(default, deserialize_with = "optional_id")]
    pub custom_id: Option<String>,
}

/// Documented withdrawal statuses: PROCESSED (1), REJECTED (5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(from = "i64", into = "i64")]
pub enum WithdrawalStatus {
    Processed,
    Rejected,
    /// Not in the document: treated as not final.
    Other(i64),
}

impl From<i64> for WithdrawalStatus {
    fn from(code: i64) -> Self {
        match code {
            1 => Self::Processed,
            5 => Self::Rejected,
            other => Self::Other(other),
        }
    }
}

impl From<WithdrawalStatus> for i64 {
    fn from(s: WithdrawalStatus) -> i64 {
        match s {
            WithdrawalStatus::Processed => 1,
            WithdrawalStatus::Rejected => 5,
            WithdrawalStatus::Other(c) => c,
        }
    }
}

impl WithdrawalStatus {
    pub fn is_final(self) -> bool {
        !matches!(self, Self::Other(_))
    }
}

/// A processed withdrawal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WithdrawalPostback {
    #[serde(deserialize_with = "id")]
    pub withdrawal_id: String,
    pub status: WithdrawalStatus,
    #[serde(default)]
    pub comment: Option<String>,
    pub payment_system: String,
    #[serde(serialize_with = "number", deserialize_with = "decimal")]
    pub amount: Decimal,
    pub currency_code: String,
    pub label: String,
    #[serde(default)]
    pub account_number: Option<String>,
    #[serde(default)]
    pub account_name: Option<String>,
    #[serde(default)]
    pub account_email: Option<String>,
    #[serde(default)]
    pub payments_details: BTreeMap<String, Option<String>>,
    #[serde(default)]
    pub bank_details: BTreeMap<String, Option<String>>,
}

/// A verified postback.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Postback {
    Deposit(DepositPostback),
    Withdrawal(WithdrawalPostback),
}

/// What a pushed postback may be trusted for.
#[derive(Debug, Clone, PartialEq, Eq)]
#[expect(
    clippy::large_enum_variant,
    reason = "one value per received postback; a Box would only complicate matching on it"
)]
pub enum Received {
    /// Signature checked: act on it.
    Verified(Postback),
    /// An unsigned deposit postback, allowed by policy only as a hint:
    /// look these ids up with the secret before acting on anything.
    LookUp {
        transaction_id: Option<String>,
        custom_ids: Vec<String>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PostbackError {
    #[error("postback is not a JSON object, so it is not from Paykassma: {0}")]
    NotJson(String),
    #[error("postback has no signature: it was not sent by Paykassma, or a proxy changed it")]
    MissingSignature,
    #[error(
        "postback signature does not match: the body was altered or the private key configured \
         for this account is wrong"
    )]
    BadSignature,
    #[error("postback is correctly signed but is not a Paykassma postback we understand: {0}")]
    Malformed(String),
}

/// Checks the signature of a pushed postback, then reads it.
pub fn verify(
    key: &PrivateKey,
    policy: PostbackPolicy,
    body: &[u8],
) -> Result<Received, PostbackError> {
    let data: Map<String, Value> =
        serde_json::from_slice(body).map_err(|e| PostbackError::NotJson(e.to_string()))?;
    let is_withdrawal = data.contains_key("withdrawal_id");
    if !data.contains_key(signature::FIELD) {
        if is_withdrawal || policy.require_deposit_signature {
            return Err(PostbackError::MissingSignature);
        }
        return Ok(lookup_hint(&data));
    }
    if !signature::verify(key, &data) {
        return Err(PostbackError::BadSignature);
    }
    read(data, is_withdrawal).map(Received::Verified)
}

fn read(mut data: Map<String, Value>, is_withdrawal: bool) -> Result<Postback, PostbackError> {
    data.remove(signature::FIELD);
    let bad = |e: serde_json::Error| PostbackError::Malformed(e.to_string());
    let value = Value::Object(data);
    Ok(if is_withdrawal {
        Postback::Withdrawal(serde_json::from_value(value).map_err(bad)?)
    } else {
        Postback::Deposit(serde_json::from_value(value).map_err(bad)?)
    })
}

/// The ids of an unsigned deposit postback, and nothing else from it.
fn lookup_hint(data: &Map<String, Value>) -> Received {
    let as_id = |v: &Value| match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    };
    let custom_ids = data
        .get("transactions")
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .filter_map(|t| t.get("custom_id").and_then(as_id))
                .collect()
        })
        .unwrap_or_default();
    Received::LookUp {
        transaction_id: data.get("transaction_id").and_then(as_id),
        custom_ids,
    }
}

/// The body Paykassma would push for `postback`, signed (for simulators).
pub fn signed_body(key: &PrivateKey, postback: &Postback) -> Map<String, Value> {
    let value = match postback {
        Postback::Deposit(d) => serde_json::to_value(d),
        Postback::Withdrawal(w) => serde_json::to_value(w),
    };
    let mut data = match value {
        Ok(Value::Object(map)) => map,
        _ => Map::new(),
    };
    signature::attach(key, &mut data);
    data
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEPOSIT: &str = r#"{"transaction_id": "453535345", "label": "435",
        "stockpiling": {"USD": 4610062.05, "INR": 345345345}, "stockpiling_id": 1585,
        "transactions": [{"amount": 345345345, "currency_code": "INR", "wallet_type": "phone_pe",
            "transaction_id": "453535345", "transaction_type": 0, "from": null,
            "created_datetime": "2021-10-21 13:34:12", "activated_datetime": "2021-11-01 14:16:51",
            "custom_id": "order-9"}]}"#;

    const WITHDRAWAL: &str = r#"{"withdrawal_id": "2298635", "status": 5, "comment": "test",
        "payment_system": "paytm", "amount": 500, "currency_code": "INR", "label": "55",
        "account_number": "5422222225", "account_name": "5645646", "account_email": null,
        "payments_details": {"payments_provider": null}, "bank_details": {"bank_code": null}}"#;

    fn key() -> PrivateKey {
        PrivateKey::new("pk")
    }

    #[test]
    fn a_signed_postback_round_trips_and_keeps_the_documents_shape() {
        let w: WithdrawalPostback = serde_json::from_str(WITHDRAWAL).unwrap();
        assert_eq!(w.status, WithdrawalStatus::Rejected);
        let body =
            serde_json::to_vec(&signed_body(&key(), &Postback::Withdrawal(w.clone()))).unwrap();
        let got = verify(&key(), PostbackPolicy::default(), &body).unwrap();
        assert_eq!(got, Received::Verified(Postback::Withdrawal(w)));
        let d: DepositPostback = serde_json::from_str(DEPOSIT).unwrap();
        let wire = serde_json::to_string(&d).unwrap();
        assert!(wire.contains(r#""stockpiling_id":1585"#), "{wire}");
        assert!(
            wire.contains(r#""created_datetime":"2021-10-21 13:34:12""#),
            "{wire}"
        );
        assert!(wire.contains(r#""USD":4610062.05"#), "{wire}");
    }

    #[test]
    fn an_unsigned_withdrawal_postback_is_refused_whatever_the_policy() {
        let relaxed = PostbackPolicy {
            require_deposit_signature: false,
        };
        assert_eq!(
            verify(&key(), relaxed, WITHDRAWAL.as_bytes()),
            Err(PostbackError::MissingSignature)
        );
    }

    #[test]
    fn an_unsigned_deposit_postback_is_only_a_hint_to_look_up_when_allowed() {
        assert_eq!(
            verify(&key(), PostbackPolicy::default(), DEPOSIT.as_bytes()),
            Err(PostbackError::MissingSignature)
        );
        let relaxed = PostbackPolicy {
            require_deposit_signature: false,
        };
        assert_eq!(
            verify(&key(), relaxed, DEPOSIT.as_bytes()),
            Ok(Received::LookUp {
                transaction_id: Some("453535345".into()),
                custom_ids: vec!["order-9".into()],
            })
        );
    }

    #[test]
    fn a_forged_or_broken_postback_is_refused_before_it_is_read() {
        let mut forged: Map<String, Value> = serde_json::from_str(WITHDRAWAL).unwrap();
        forged.insert("signature".into(), Value::String("0".repeat(40)));
        let body = serde_json::to_vec(&forged).unwrap();
        assert_eq!(
            verify(&key(), PostbackPolicy::default(), &body),
            Err(PostbackError::BadSignature)
        );
        assert!(matches!(
            verify(&key(), PostbackPolicy::default(), b"status=1"),
            Err(PostbackError::NotJson(_))
        ));
        let mut odd: Map<String, Value> =
            serde_json::from_str(r#"{"withdrawal_id": "1"}"#).unwrap();
        signature::attach(&key(), &mut odd);
        let body = serde_json::to_vec(&odd).unwrap();
        assert!(matches!(
            verify(&key(), PostbackPolicy::default(), &body),
            Err(PostbackError::Malformed(_))
        ));
    }
}
