//! Deposits without activation and the widget's redirect addresses:
//! `payment/create/{payment_system}` (generic, bkash_api, nagad_api) and
//! `payment-plugin/hash-url`, as the document prints them.

use crate::rules::Rules;
use crate::validate::{self, ValidationError};
use crate::wire::{MAX_CUSTOM_TRANSACTION_ID, MAX_TEXT};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// `POST payment/create/{payment_system}` for PS without activation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatePaymentRequest {
    pub language: String,
    pub currency: String,
    pub bank: String,
    #[serde(with = "rust_decimal::serde::arbitrary_precision")]
    pub amount: Decimal,
    pub label: String,
    pub redirect_url: String,
    pub custom_transaction_id: String,
}

impl CreatePaymentRequest {
    pub fn validate(&self, payment_system: &str) -> Result<(), ValidationError> {
        validate::text("payment_system", payment_system, MAX_TEXT)?;
        validate::language("language", &self.language)?;
        validate::currency("currency", &self.currency)?;
        validate::text("bank", &self.bank, 3)?;
        validate::positive("amount", &self.amount)?;
        validate::text("label", &self.label, MAX_TEXT)?;
        validate::url("redirect_url", &self.redirect_url)?;
        validate::text(
            "custom_transaction_id",
            &self.custom_transaction_id,
            MAX_CUSTOM_TRANSACTION_ID,
        )
    }
}

/// `POST payment/create/bkash_api`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BkashApiPaymentRequest {
    #[serde(with = "rust_decimal::serde::arbitrary_precision")]
    pub amount: Decimal,
    /// The user's bKash number: 11 digits starting with 01.
    pub account_number: String,
    pub currency: String,
    pub label: String,
    pub custom_transaction_id: String,
    pub success_url: String,
    pub failure_url: String,
    pub cancel_url: String,
}

impl BkashApiPaymentRequest {
    pub fn validate(&self, rules: &Rules) -> Result<(), ValidationError> {
        validate::positive("amount", &self.amount)?;
        rules
            .bkash_api_account
            .check("account_number", &self.account_number)?;
        validate::currency("currency", &self.currency)?;
        validate::text("label", &self.label, MAX_TEXT)?;
        validate::text(
            "custom_transaction_id",
            &self.custom_transaction_id,
            MAX_CUSTOM_TRANSACTION_ID,
        )?;
        validate::url("success_url", &self.success_url)?;
        validate::url("failure_url", &self.failure_url)?;
        validate::url("cancel_url", &self.cancel_url)
    }
}

/// `data` of the bkash_api answer: where to send the user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BkashPayment {
    #[serde(rename = "orderId")]
    pub order_id: String,
    #[serde(rename = "bkashUrl")]
    pub bkash_url: String,
    #[serde(default)]
    pub message: Option<String>,
}

/// `POST payment/create/nagad_api`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NagadApiPaymentRequest {
    pub custom_transaction_id: String,
    #[serde(with = "rust_decimal::serde::arbitrary_precision")]
    pub amount: Decimal,
    pub currency: String,
    pub label: String,
    pub success_url: String,
    pub fail_url: String,
    pub cancel_url: String,
}

impl NagadApiPaymentRequest {
    pub fn validate(&self) -> Result<(), ValidationError> {
        validate::text(
            "custom_transaction_id",
            &self.custom_transaction_id,
            MAX_CUSTOM_TRANSACTION_ID,
        )?;
        validate::positive("amount", &self.amount)?;
        validate::currency("currency", &self.currency)?;
        validate::text("label", &self.label, MAX_TEXT)?;
        validate::url("success_url", &self.success_url)?;
        validate::url("fail_url", &self.fail_url)?;
        validate::url("cancel_url", &self.cancel_url)
    }
}

/// One redirect address and its place in the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderedUrl {
    pub order: u32,
    /// The address when sent; its hash in the answer.
    pub url: String,
}

/// `POST payment-plugin/hash-url`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HashUrlRequest {
    pub success_urls: Vec<OrderedUrl>,
    pub fail_urls: Vec<OrderedUrl>,
    pub pending_urls: Vec<OrderedUrl>,
}

impl HashUrlRequest {
    pub fn validate(&self) -> Result<(), ValidationError> {
        if self.success_urls.is_empty() && self.fail_urls.is_empty() {
            return Err(ValidationError::Empty {
                field: "success_urls or fail_urls (only one of them may be empty)".into(),
            });
        }
        for (list, items) in [
            ("success_urls", &self.success_urls),
            ("fail_urls", &self.fail_urls),
            ("pending_urls", &self.pending_urls),
        ] {
            let mut seen = BTreeSet::new();
            for item in items {
                validate::url(&format!("{list}.url"), &item.url)?;
                if !seen.insert(item.order) {
                    return Err(ValidationError::Format {
                        field: format!("{list}.order"),
                        value: item.order.to_string(),
                        rule: "unique within its list".into(),
                    });
                }
            }
        }
        Ok(())
    }
}

/// `urls` of the hash-url answer; valid for [`crate::assumptions::HASH_LIFETIME`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HashedUrls {
    #[serde(default)]
    pub success_url: Vec<OrderedUrl>,
    #[serde(default)]
    pub fail_url: Vec<OrderedUrl>,
    #[serde(default)]
    pub pending_url: Vec<OrderedUrl>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_go_on_the_wire_with_their_exact_digits() {
        let req = CreatePaymentRequest {
            language: "en".into(),
            currency: "USD".into(),
            bank: "MBB".into(),
            amount: "1000.00".parse().unwrap(),
            label: "55".into(),
            redirect_url: "https://google.com".into(),
            custom_transaction_id: "123465477897".into(),
        };
        let wire = serde_json::to_string(&req).unwrap();
        assert!(wire.contains(r#""amount":1000.00,"#), "{wire}");
        assert!(req.validate("local_bank").is_ok());
    }

    #[test]
    fn hash_url_needs_success_or_fail_addresses_with_unique_orders() {
        let url = |order, url: &str| OrderedUrl {
            order,
            url: url.into(),
        };
        let only_fail = HashUrlRequest {
            fail_urls: vec![url(1, "https://t.test/f")],
            ..HashUrlRequest::default()
        };
        assert!(only_fail.validate().is_ok(), "one of the two may be empty");
        assert!(HashUrlRequest::default().validate().is_err());
        let twice = HashUrlRequest {
            success_urls: vec![url(1, "https://t.test/a"), url(1, "https://t.test/b")],
            ..HashUrlRequest::default()
        };
        assert_eq!(
            twice.validate().unwrap_err().to_string(),
            "success_urls.order \"1\" is not valid: it must be unique within its list"
        );
        let relative = HashUrlRequest {
            success_urls: vec![url(1, "/thanks")],
            ..HashUrlRequest::default()
        };
        assert_eq!(
            relative.validate().unwrap_err().field(),
            Some("success_urls.url")
        );
    }
}
