//! Deposit-side request and response bodies as the document prints them.
//!
//! Field names are the document's snake_case. Amounts are exact decimals
//! sent as JSON numbers with their digits untouched (never via a float).
//! Each request checks itself against the documented limits before it is
//! sent; see [`crate::validate`] for why surrounding spaces are refused.

use crate::rules::Rules;
use crate::serde_forms::{decimal, id, number};
use crate::validate::{self, ValidationError};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Documented lengths: `string (190)` and `string (64)`.
pub const MAX_TEXT: usize = 190;
pub const MAX_CUSTOM_TRANSACTION_ID: usize = 64;

/// `GET payment-systems/available`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentSystemsQuery {
    /// PS working with any of these currencies are listed.
    pub currency_codes: Vec<String>,
    /// Our id of the paying user.
    pub label: String,
}

impl PaymentSystemsQuery {
    pub fn validate(&self) -> Result<(), ValidationError> {
        if self.currency_codes.is_empty() {
            return Err(ValidationError::Empty {
                field: "currency_code".into(),
            });
        }
        for code in &self.currency_codes {
            validate::currency("currency_code", code)?;
        }
        validate::text("label", &self.label, MAX_TEXT)
    }
}

/// `params` of the available payment systems answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentSystems {
    pub currency_data: Vec<CurrencyData>,
    pub wallets: Vec<Wallet>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrencyData {
    pub code: String,
    pub symbol: String,
}

/// One payment system (PS) the user can pay with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Wallet {
    /// The `wallet_type` code used in every other request.
    #[serde(rename = "type")]
    pub wallet_type: String,
    pub currency_code: String,
    pub order: i64,
    pub logo: String,
    pub name: String,
    /// Manual PS are activated through a possible transaction, not `activate`.
    pub is_manual: bool,
    /// Whether the PS takes a payment screenshot.
    pub uploading_payment_bill: bool,
}

/// A how-to-pay video or animation for one wallet type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MediaHint {
    pub id: i64,
    pub url: String,
}

/// `POST transaction/create/{wallet_type}`: asks for the wallet to pay to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreateTransactionRequest {
    pub currency: String,
    pub label: String,
}

impl CreateTransactionRequest {
    pub fn validate(&self, wallet_type: &str) -> Result<(), ValidationError> {
        validate::text("wallet_type", wallet_type, MAX_TEXT)?;
        validate::currency("currency", &self.currency)?;
        validate::text("label", &self.label, MAX_TEXT)
    }
}

/// `params` of the create-transaction answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransactionCreated {
    /// Where the user sends the money (wallet number or similar).
    #[serde(deserialize_with = "id")]
    pub identifier: String,
}

/// `POST transaction/activate`, for PS with `is_manual = false`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivateRequest {
    pub currency_code: String,
    pub wallet_type: String,
    pub label: String,
    /// The user's Transaction_ID (TrxID / UTR).
    pub key1: String,
    /// Required for some PS (see [`Rules::activation_amount_required`]).
    #[serde(
        default,
        with = "rust_decimal::serde::arbitrary_precision_option",
        skip_serializing_if = "Option::is_none"
    )]
    pub amount: Option<Decimal>,
    /// Ours, unique: the key to look this deposit up later.
    pub custom_transaction_id: String,
}

impl ActivateRequest {
    pub fn validate(&self, rules: &Rules) -> Result<(), ValidationError> {
        validate::currency("currency_code", &self.currency_code)?;
        validate::text("wallet_type", &self.wallet_type, MAX_TEXT)?;
        validate::text("label", &self.label, MAX_TEXT)?;
        validate::text("key1", &self.key1, MAX_TEXT)?;
        match &self.amount {
            Some(a) => validate::positive("amount", a)?,
            None if rules.activation_needs_amount(&self.wallet_type) => {
                return Err(ValidationError::RequiredFor {
                    field: "amount".into(),
                    system: self.wallet_type.clone(),
                });
            }
            None => {}
        }
        validate::text(
            "custom_transaction_id",
            &self.custom_transaction_id,
            MAX_CUSTOM_TRANSACTION_ID,
        )
    }
}

/// How an activation went. None of these is a refusal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ActivationOutcome {
    /// `status: ok`: found and activated; the postback will follow.
    Activated,
    /// Not found yet; Paykassma keeps it as a possible transaction.
    PossibleTransactionCreated { message: String },
    /// HTTP 400 "Check of deposit status started": suspicious, checked by
    /// Paykassma; pending until the postback (or lookup) says otherwise.
    CheckStarted { message: String },
}

/// A payment screenshot for a manual PS, sent as a multipart file.
#[derive(Clone, PartialEq, Eq)]
pub struct Screenshot {
    pub file_name: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

impl std::fmt::Debug for Screenshot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Screenshot")
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .field("bytes", &self.bytes.len())
            .finish()
    }
}

/// `POST possible-transaction` (multipart), for PS with `is_manual = true`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PossibleTransactionRequest {
    pub currency_code: String,
    pub wallet_type: String,
    pub label: String,
    pub key1: String,
    pub amount: Decimal,
    pub screenshot: Option<Screenshot>,
    /// Ours, unique.
    pub custom_id: String,
}

impl PossibleTransactionRequest {
    pub fn validate(&self, rules: &Rules) -> Result<(), ValidationError> {
        validate::currency("currency_code", &self.currency_code)?;
        validate::text("wallet_type", &self.wallet_type, MAX_TEXT)?;
        validate::text("label", &self.label, MAX_TEXT)?;
        validate::text("key1", &self.key1, MAX_TEXT)?;
        validate::positive("amount", &self.amount)?;
        validate::text("custom_id", &self.custom_id, MAX_TEXT)?;
        let Some(shot) = &self.screenshot else {
            return Ok(());
        };
        let limits = &rules.screenshot;
        let bad = |reason: String| Err(ValidationError::Screenshot { reason });
        validate::text(
            "screenshot file name",
            &shot.file_name,
            limits.max_name_chars,
        )?;
        if shot.file_name.contains(['/', '\\', '"', '\r', '\n']) {
            return bad(format!(
                "file name \"{}\" has / \\ \" or a line break",
                shot.file_name
            ));
        }
        if shot.bytes.is_empty() {
            return bad("the file is empty".into());
        }
        if shot.bytes.len() > limits.max_bytes {
            return bad(format!(
                "the file has {} bytes, more than the {} allowed",
                shot.bytes.len(),
                limits.max_bytes
            ));
        }
        if !limits.content_types.contains(&shot.content_type) {
            return bad(format!(
                "type {} is not one of {}",
                shot.content_type,
                limits.content_types.join(", ")
            ));
        }
        // The bytes must be what the name and type claim: an HTML or SVG
        // page called "receipt.png" would otherwise reach Paykassma's
        // staff (and our own window) as an image.
        match infer::get(&shot.bytes).map(|t| t.mime_type()) {
            Some(found) if found == shot.content_type => Ok(()),
            found => bad(format!(
                "the file is said to be {} but its bytes are {}",
                shot.content_type,
                found.unwrap_or("not an image of a known type")
            )),
        }
    }
}

/// How a possible-transaction submission went. Neither is a refusal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PossibleTransactionOutcome {
    /// `status: success`: accepted; the postback will follow.
    Accepted,
    /// `status: possible_transaction_created`: not found yet, kept for
    /// Paykassma to match later.
    PossibleTransactionCreated { message: String },
}

/// `GET deposit-info`: the user's savings toward the minimum deposit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DepositInfoQuery {
    pub label: String,
    pub wallet_type: String,
    pub currency: String,
    /// Name of the manual PS, when `wallet_type = manual`.
    pub code: Option<String>,
}

impl DepositInfoQuery {
    pub fn validate(&self) -> Result<(), ValidationError> {
        validate::text("label", &self.label, MAX_TEXT)?;
        validate::text("wallet_type", &self.wallet_type, MAX_TEXT)?;
        validate::currency("currency", &self.currency)?;
        validate::optional_text("code", self.code.as_deref(), MAX_TEXT)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DepositInfo {
    /// Accumulated, not yet credited.
    #[serde(serialize_with = "number", deserialize_with = "decimal")]
    pub stockpiling_sum: Decimal,
    /// Still missing to reach the minimum.
    #[serde(serialize_with = "number", deserialize_with = "decimal")]
    pub lacks_sum: Decimal,
    #[serde(serialize_with = "number", deserialize_with = "decimal")]
    pub minimum_deposit: Decimal,
}

/// `data` of the media hints answer, by wallet type.
pub type MediaHints = BTreeMap<String, MediaHint>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_payment_systems_answer_parses() {
        let ps: PaymentSystems = serde_json::from_str(
            r#"{"currency_data": [{"code": "USD", "symbol": "$"}, {"code": "INR", "symbol": "INR"}],
                "wallets": [{"type": "staging_b_ml", "currency_code": "INR", "order": 6,
                    "logo": "https://api.staging.client-paykassma.com/storage/payment_system/logos/staging_b_ml.png",
                    "name": "staging B ml", "is_manual": true, "uploading_payment_bill": true}]}"#,
        )
        .unwrap();
        assert_eq!(ps.wallets[0].wallet_type, "staging_b_ml");
        assert!(ps.wallets[0].is_manual);
    }

    #[test]
    fn an_activation_without_amount_leaves_the_field_out() {
        let req = ActivateRequest {
            currency_code: "USD".into(),
            wallet_type: "paytm".into(),
            label: "55".into(),
            key1: "123-ABC-456-DEF".into(),
            amount: None,
            custom_transaction_id: "123465477897".into(),
        };
        assert_eq!(
            serde_json::to_string(&req).unwrap(),
            r#"{"currency_code":"USD","wallet_type":"paytm","label":"55","key1":"123-ABC-456-DEF","custom_transaction_id":"123465477897"}"#
        );
        assert!(req.validate(&Rules::default()).is_ok());
    }

    #[test]
    fn ids_may_come_as_strings_or_numbers() {
        let t: TransactionCreated = serde_json::from_str(r#"{"identifier": 6234234234}"#).unwrap();
        assert_eq!(t.identifier, "6234234234");
    }

    fn with_shot(name: &str, content_type: &str, bytes: &[u8]) -> PossibleTransactionRequest {
        PossibleTransactionRequest {
            currency_code: "INR".into(),
            wallet_type: "imps".into(),
            label: "in_1".into(),
            key1: "498765432101".into(),
            amount: Decimal::ONE,
            screenshot: Some(Screenshot {
                file_name: name.into(),
                content_type: content_type.into(),
                bytes: bytes.to_vec(),
            }),
            custom_id: "ref-1".into(),
        }
    }

    #[test]
    fn a_screenshot_must_be_the_image_type_it_claims() {
        let rules = Rules::default();
        let png = include_bytes!("../../sandbox/assets/sandbox-receipt.png");
        assert!(
            with_shot("r.png", "image/png", png)
                .validate(&rules)
                .is_ok()
        );
        let jpeg = b"\xFF\xD8\xFF\xE0\x00\x10JFIF\x00";
        assert!(
            with_shot("r.jpg", "image/jpeg", jpeg)
                .validate(&rules)
                .is_ok()
        );
        for (what, bytes) in [
            ("HTML", &b"<!doctype html><script>alert(1)</script>"[..]),
            (
                "SVG",
                &b"<svg xmlns=\"http://www.w3.org/2000/svg\"><script/></svg>"[..],
            ),
            ("JPEG", &jpeg[..]),
            ("text", &b"just text"[..]),
        ] {
            let e = with_shot("receipt.png", "image/png", bytes)
                .validate(&rules)
                .expect_err(what);
            assert!(e.to_string().contains("its bytes are"), "{what}: {e}");
        }
    }
}
