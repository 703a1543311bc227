//! Per-payment-system rules: input masks, required fields, amount rules.
//!
//! The document gives some of them ("Input mask For PS PayTM: Numbers(10)",
//! the required-fields table for Bkash, IMPS IB and Paytm) and says the
//! rest comes from Paykassma support. The defaults below are the
//! documented ones plus marked assumptions; the whole table is
//! configuration, so adding a system Paykassma enables is a settings
//! change, not a release.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// An account number mask: digits only, a length range, an optional prefix.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountMask {
    #[serde(default)]
    pub prefix: Option<String>,
    pub min_digits: usize,
    #[serde(default)]
    pub max_digits: Option<usize>,
}

impl AccountMask {
    /// Documented for bKash and Nagad: "Numbers(11) in the format 01xxxxxxxxx".
    pub fn bangladesh_mobile() -> Self {
        Self {
            prefix: Some("01".into()),
            min_digits: 11,
            max_digits: Some(11),
        }
    }

    pub fn check(&self, field: &str, value: &str) -> Result<(), crate::ValidationError> {
        crate::validate::digits(
            field,
            value,
            self.prefix.as_deref(),
            self.min_digits,
            self.max_digits,
        )
    }
}

/// A withdrawal field that some payment systems require (`required_if`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum WithdrawalField {
    #[serde(rename = "account_number")]
    AccountNumber,
    #[serde(rename = "account_name")]
    AccountName,
    #[serde(rename = "account_email")]
    AccountEmail,
    #[serde(rename = "payments_details.payments_method")]
    PaymentsMethod,
    #[serde(rename = "payments_details.payments_provider")]
    PaymentsProvider,
    #[serde(rename = "bank_details.bank_code")]
    BankCode,
    #[serde(rename = "bank_details.branch_code")]
    BranchCode,
    #[serde(rename = "bank_details.bank_code_in_payments_system")]
    BankCodeInPaymentsSystem,
    #[serde(rename = "account_type")]
    AccountType,
    #[serde(rename = "document_type")]
    DocumentType,
    #[serde(rename = "document_id")]
    DocumentId,
    #[serde(rename = "account_digit")]
    AccountDigit,
    #[serde(rename = "iban")]
    Iban,
}

impl WithdrawalField {
    /// The document's name for the field, dotted when nested.
    pub fn name(self) -> &'static str {
        match self {
            Self::AccountNumber => "account_number",
            Self::AccountName => "account_name",
            Self::AccountEmail => "account_email",
            Self::PaymentsMethod => "payments_details.payments_method",
            Self::PaymentsProvider => "payments_details.payments_provider",
            Self::BankCode => "bank_details.bank_code",
            Self::BranchCode => "bank_details.branch_code",
            Self::BankCodeInPaymentsSystem => "bank_details.bank_code_in_payments_system",
            Self::AccountType => "account_type",
            Self::DocumentType => "document_type",
            Self::DocumentId => "document_id",
            Self::AccountDigit => "account_digit",
            Self::Iban => "iban",
        }
    }
}

/// What one payment system demands of a withdrawal.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WithdrawalRule {
    pub required: Vec<WithdrawalField>,
    pub account_number: Option<AccountMask>,
    /// `bank_details.bank_code` must be this many letters and digits.
    pub bank_code_length: Option<usize>,
    pub amount_multiple_of: Option<u64>,
    /// Documented as existing ("amount >= the minimum"), values not given.
    pub min_amount: Option<u64>,
    pub max_amount: Option<u64>,
    /// The currency the system pays out in. Assumption: not in the
    /// document's tables; taken from its examples (bKash/Nagad/Rocket in
    /// BDT, PayTM/IMPS/UPI in INR).
    pub currency: Option<String>,
}

/// Screenshot upload limits for possible transactions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ScreenshotRules {
    /// Assumption: the document gives no size limit.
    pub max_bytes: usize,
    /// Assumption: images (and PDF receipts) are accepted.
    pub content_types: Vec<String>,
    /// Documented: `screenshot string (190)`, read as the file name's length.
    pub max_name_chars: usize,
}

impl Default for ScreenshotRules {
    fn default() -> Self {
        Self {
            max_bytes: 10 * 1024 * 1024,
            content_types: ["image/jpeg", "image/png", "image/gif", "image/webp"]
                .map(String::from)
                .to_vec(),
            max_name_chars: 190,
        }
    }
}

/// All the rules the client checks before sending.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Rules {
    /// By `payment_system` code. A system not listed gets only the checks
    /// every withdrawal gets.
    pub withdrawals: BTreeMap<String, WithdrawalRule>,
    /// Wallet types whose activation must carry `amount`. Documented for
    /// "UPI P2P" and "PhonePe"; their codes are an assumption (`phone_pe`
    /// appears in the document's postback).
    pub activation_amount_required: Vec<String>,
    /// Documented for `payment/create/bkash_api`: 11 digits, format 01.
    pub bkash_api_account: AccountMask,
    pub screenshot: ScreenshotRules,
}

impl Default for Rules {
    fn default() -> Self {
        use WithdrawalField::*;
        let digits_only = AccountMask {
            prefix: None,
            min_digits: 1,
            max_digits: None,
        };
        let rule = |required: &[WithdrawalField], mask: AccountMask| WithdrawalRule {
            required: required.to_vec(),
            account_number: Some(mask),
            ..WithdrawalRule::default()
        };
        let bdt = |r: WithdrawalRule| WithdrawalRule {
            currency: Some("BDT".into()),
            ..r
        };
        let inr = |r: WithdrawalRule| WithdrawalRule {
            currency: Some("INR".into()),
            ..r
        };
        let mut withdrawals = BTreeMap::new();
        // Documented: required account_number + account_email, mask 01 + 9.
        withdrawals.insert(
            "bkash".into(),
            bdt(rule(
                &[AccountNumber, AccountEmail],
                AccountMask::bangladesh_mobile(),
            )),
        );
        // Mask documented; required fields an assumption (like bKash's
        // account, without the e-mail the table asks only of bKash).
        withdrawals.insert(
            "nagad".into(),
            bdt(rule(&[AccountNumber], AccountMask::bangladesh_mobile())),
        );
        // Documented mask "Numbers(11-12) in the format 01…".
        let rocket = AccountMask {
            prefix: Some("01".into()),
            min_digits: 11,
            max_digits: Some(12),
        };
        withdrawals.insert("rocket".into(), bdt(rule(&[AccountNumber], rocket)));
        // Documented: Numbers(10) without +91, amount a multiple of 10.
        let paytm = AccountMask {
            prefix: None,
            min_digits: 10,
            max_digits: Some(10),
        };
        withdrawals.insert(
            "paytm".into(),
            inr(WithdrawalRule {
                amount_multiple_of: Some(10),
                ..rule(&[AccountNumber], paytm)
            }),
        );
        // Documented: account number, holder name and IFSC (11 letters and
        // digits) for IMPS IB; UPI IB shares its table row and number mask.
        withdrawals.insert(
            "imps_ib".into(),
            inr(WithdrawalRule {
                bank_code_length: Some(11),
                ..rule(&[AccountNumber, AccountName, BankCode], digits_only.clone())
            }),
        );
        withdrawals.insert(
            "upi_ib".into(),
            inr(rule(&[AccountNumber, AccountName], digits_only)),
        );
        Self {
            withdrawals,
            activation_amount_required: vec!["upi_p2p".into(), "phone_pe".into()],
            bkash_api_account: AccountMask::bangladesh_mobile(),
            screenshot: ScreenshotRules::default(),
        }
    }
}

impl Rules {
    /// Whether activating `wallet_type` needs `amount`.
    pub fn activation_needs_amount(&self, wallet_type: &str) -> bool {
        self.activation_amount_required
            .iter()
            .any(|w| w == wallet_type)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_masks_and_required_fields_are_the_defaults() {
        let r = Rules::default();
        let bkash = &r.withdrawals["bkash"];
        assert_eq!(
            bkash.required,
            [
                WithdrawalField::AccountNumber,
                WithdrawalField::AccountEmail
            ]
        );
        assert_eq!(r.withdrawals["paytm"].amount_multiple_of, Some(10));
        assert_eq!(r.withdrawals["imps_ib"].bank_code_length, Some(11));
        assert!(r.activation_needs_amount("phone_pe"));
        assert!(!r.activation_needs_amount("bkash"));
    }

    #[test]
    fn a_new_payment_system_is_a_configuration_change() {
        let r: Rules = serde_json::from_str(
            r#"{"withdrawals": {"jazzcash": {"required": ["account_number", "bank_details.bank_code"],
                "account_number": {"prefix": "03", "min_digits": 11, "max_digits": 11}}}}"#,
        )
        .unwrap();
        let j = &r.withdrawals["jazzcash"];
        assert_eq!(j.required[1].name(), "bank_details.bank_code");
        assert!(
            j.account_number
                .as_ref()
                .unwrap()
                .check("account_number", "03001234567")
                .is_ok()
        );
        assert!(
            !r.withdrawals.contains_key("bkash"),
            "the table is replaced whole"
        );
    }
}
