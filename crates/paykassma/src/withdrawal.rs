//! The signed withdrawal: `POST /v2/withdrawal/create`, no secret.
//!
//! The body is validated against the payment system's rules, turned into
//! the JSON object that will be sent, signed over that very object and
//! serialised once, so what Paykassma decodes is exactly what was signed.
//! Absent optional fields are left out rather than sent as `null`.

use crate::rules::{Rules, WithdrawalField};
use crate::signature::{self, PrivateKey};
use crate::validate::{self, ValidationError};
use crate::wire::MAX_TEXT;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Documented: `withdrawal_id string(1-36)`.
pub const MAX_WITHDRAWAL_ID: usize = 36;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentsDetails {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payments_provider: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payments_method: Option<String>,
}

impl PaymentsDetails {
    pub fn is_empty(&self) -> bool {
        self.payments_provider.is_none() && self.payments_method.is_none()
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BankDetails {
    /// IFSC for IMPS IB.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bank_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub branch_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bank_code_in_payments_system: Option<String>,
}

impl BankDetails {
    pub fn is_empty(&self) -> bool {
        self.bank_code.is_none()
            && self.branch_code.is_none()
            && self.bank_code_in_payments_system.is_none()
    }
}

/// A withdrawal to the user's own account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreateWithdrawalRequest {
    /// Ours, unique, 1–36 characters. Optional in the document, required
    /// here: it is how an ambiguous failure is looked up (see assumptions).
    pub withdrawal_id: String,
    pub payment_system: String,
    /// Documented as `int`: whole units; see [`validate::whole_amount`].
    pub amount: u64,
    pub currency_code: String,
    pub label: String,
    pub is_test: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_number: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_email: Option<String>,
    #[serde(default, skip_serializing_if = "PaymentsDetails::is_empty")]
    pub payments_details: PaymentsDetails,
    #[serde(default, skip_serializing_if = "BankDetails::is_empty")]
    pub bank_details: BankDetails,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_digit: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iban: Option<String>,
}

impl CreateWithdrawalRequest {
    /// A field's value by its document name, `None` when absent.
    pub fn field(&self, field: WithdrawalField) -> Option<&str> {
        use WithdrawalField::*;
        match field {
            AccountNumber => self.account_number.as_deref(),
            AccountName => self.account_name.as_deref(),
            AccountEmail => self.account_email.as_deref(),
            PaymentsMethod => self.payments_details.payments_method.as_deref(),
            PaymentsProvider => self.payments_details.payments_provider.as_deref(),
            BankCode => self.bank_details.bank_code.as_deref(),
            BranchCode => self.bank_details.branch_code.as_deref(),
            BankCodeInPaymentsSystem => self.bank_details.bank_code_in_payments_system.as_deref(),
            AccountType => self.account_type.as_deref(),
            DocumentType => self.document_type.as_deref(),
            DocumentId => self.document_id.as_deref(),
            AccountDigit => self.account_digit.as_deref(),
            Iban => self.iban.as_deref(),
        }
    }

    /// Every documented rule, plus those of `payment_system` in `rules`.
    pub fn validate(&self, rules: &Rules) -> Result<(), ValidationError> {
        validate::text("withdrawal_id", &self.withdrawal_id, MAX_WITHDRAWAL_ID)?;
        validate::text("payment_system", &self.payment_system, MAX_TEXT)?;
        if self.amount == 0 {
            return Err(ValidationError::NotPositive {
                field: "amount".into(),
                amount: "0".into(),
            });
        }
        validate::currency("currency_code", &self.currency_code)?;
        validate::text("label", &self.label, MAX_TEXT)?;
        if let Some(c) = &self.comment {
            validate::no_spaces("comment", c)?;
        }
        for field in ALL_FIELDS {
            if let Some(v) = self.field(field) {
                validate::text(field.name(), v, usize::MAX)?;
            }
        }
        if let Some(email) = &self.account_email {
            validate::email("account_email", email)?;
        }
        let Some(rule) = rules.withdrawals.get(&self.payment_system) else {
            return Ok(());
        };
        for &field in &rule.required {
            if self.field(field).is_none() {
                return Err(ValidationError::RequiredFor {
                    field: field.name().into(),
                    system: self.payment_system.clone(),
                });
            }
        }
        if let (Some(mask), Some(number)) = (&rule.account_number, &self.account_number) {
            mask.check("account_number", number)?;
        }
        if let (Some(len), Some(code)) = (rule.bank_code_length, &self.bank_details.bank_code) {
            validate::alphanumeric("bank_details.bank_code", code, len)?;
        }
        if let Some(m) = rule.amount_multiple_of
            && m > 0
            && !self.amount.is_multiple_of(m)
        {
            return Err(ValidationError::NotMultiple {
                field: "amount".into(),
                amount: self.amount,
                multiple: m,
                system: self.payment_system.clone(),
            });
        }
        let (min, max) = (rule.min_amount.unwrap_or(1), rule.max_amount);
        if self.amount < min || max.is_some_and(|m| self.amount > m) {
            return Err(ValidationError::OutOfRange {
                field: "amount".into(),
                system: self.payment_system.clone(),
                amount: self.amount.to_string(),
                min: min.to_string(),
                max: max.map_or("none".into(), |m| m.to_string()),
            });
        }
        Ok(())
    }

    /// The JSON object to send, with its `signature`.
    pub fn signed_body(&self, key: &PrivateKey) -> Map<String, Value> {
        let mut data = match serde_json::to_value(self) {
            Ok(Value::Object(map)) => map,
            // A struct of strings, integers and bools always serialises to an object.
            _ => Map::new(),
        };
        signature::attach(key, &mut data);
        data
    }
}

const ALL_FIELDS: [WithdrawalField; 13] = {
    use WithdrawalField::*;
    [
        AccountNumber,
        AccountName,
        AccountEmail,
        PaymentsMethod,
        PaymentsProvider,
        BankCode,
        BranchCode,
        BankCodeInPaymentsSystem,
        AccountType,
        DocumentType,
        DocumentId,
        AccountDigit,
        Iban,
    ]
};

#[cfg(test)]
mod tests {
    use super::*;

    fn paytm() -> CreateWithdrawalRequest {
        CreateWithdrawalRequest {
            withdrawal_id: "1234567".into(),
            payment_system: "paytm".into(),
            amount: 1000,
            currency_code: "INR".into(),
            label: "55".into(),
            is_test: false,
            comment: Some("withdrawal".into()),
            account_number: Some("9876543210".into()),
            account_name: None,
            account_email: None,
            payments_details: PaymentsDetails::default(),
            bank_details: BankDetails::default(),
            account_type: None,
            document_type: None,
            document_id: None,
            account_digit: None,
            iban: None,
        }
    }

    #[test]
    fn the_body_is_the_documented_shape_with_absent_fields_left_out() {
        let key = PrivateKey::new("k");
        let body = paytm().signed_body(&key);
        let keys: Vec<_> = body.keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            [
                "withdrawal_id",
                "payment_system",
                "amount",
                "currency_code",
                "label",
                "is_test",
                "comment",
                "account_number",
                "signature"
            ]
        );
        assert_eq!(body["amount"], serde_json::json!(1000));
        assert!(signature::verify(&key, &body));
    }

    #[test]
    fn paytm_needs_ten_digits_and_a_multiple_of_ten() {
        let rules = Rules::default();
        assert!(paytm().validate(&rules).is_ok());
        let mut r = paytm();
        r.amount = 1005;
        assert_eq!(
            r.validate(&rules).unwrap_err().to_string(),
            "amount 1005 must be a multiple of 10 for paytm"
        );
        let mut r = paytm();
        r.account_number = Some("+919876543210".into());
        assert!(
            r.validate(&rules)
                .unwrap_err()
                .to_string()
                .contains("10 digits")
        );
        let mut r = paytm();
        r.account_number = None;
        assert_eq!(
            r.validate(&rules).unwrap_err().to_string(),
            "account_number is required for paytm"
        );
    }

    #[test]
    fn nested_values_must_not_carry_surrounding_spaces_either() {
        let mut r = paytm();
        r.bank_details.branch_code = Some("000254 ".into());
        let msg = r.validate(&Rules::default()).unwrap_err().to_string();
        assert!(msg.starts_with("bank_details.branch_code must not start or end with spaces"));
    }
}
