//! Request and response bodies as the Zimo-pagos document prints them.
//!
//! Field names are the document's snake_case, in the document's order. The
//! amount is an exact decimal sent as a JSON number with its digits
//! untouched (never through a float); `bank_code` is a JSON number and
//! `on_hold` a boolean, as documented. `login` and `pass` travel in the
//! body, so the wire structs borrow them from the credentials and exist
//! only long enough to be serialised once.

use crate::mexico::Endpoint;
use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize, de};
use std::fmt;

/// One cashout, as the caller fills it in. `login` and `pass` are not
/// here: they come from the account's [`crate::Credentials`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CashoutRequest {
    /// Our unique reference (max 100); Zimo-pagos refuses it twice.
    pub external_id: String,
    /// ISO 3166-1 alpha-2, e.g. `MX`.
    pub country: String,
    /// At most 2 decimals.
    #[serde(with = "rust_decimal::serde::arbitrary_precision")]
    pub amount: Decimal,
    /// ISO 4217, e.g. `MXN`; the provider's default when absent.
    pub currency: Option<String>,
    pub document_id: String,
    pub document_type: Option<String>,
    /// For anonymous beneficiaries.
    pub beneficiary_id: Option<String>,
    pub beneficiary_name: String,
    pub beneficiary_lastname: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    /// Sent as a JSON number.
    pub bank_code: Option<u64>,
    /// In Mexico: an 18-digit CLABE or a debit card number.
    pub bank_account: Option<String>,
    pub bank_branch: Option<String>,
    /// One character.
    pub account_type: Option<String>,
    pub address: Option<String>,
    pub city: Option<String>,
    pub postal_code: Option<String>,
    /// `YYYYMMDD`.
    pub beneficiary_birthdate: Option<String>,
    /// HTTPS; where the "status changed" notifications go.
    pub notification_url: String,
    pub comments: Option<String>,
    /// Held until released in the Merchant Panel. Default false.
    pub on_hold: bool,
}

/// A blank optional value counts as absent (and is not sent).
pub(crate) fn present(value: &Option<String>) -> Option<&str> {
    value.as_deref().filter(|v| !v.trim().is_empty())
}

/// The cashout body exactly as it goes on the wire.
#[derive(Serialize)]
pub(crate) struct WireCashout<'a> {
    login: &'a str,
    pass: &'a str,
    external_id: &'a str,
    country: &'a str,
    #[serde(with = "rust_decimal::serde::arbitrary_precision")]
    amount: Decimal,
    #[serde(skip_serializing_if = "Option::is_none")]
    currency: Option<&'a str>,
    document_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    document_type: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    beneficiary_id: Option<&'a str>,
    beneficiary_name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    beneficiary_lastname: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    email: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    phone: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    bank_code: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    bank_account: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    bank_branch: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    account_type: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    address: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    city: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    postal_code: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    beneficiary_birthdate: Option<&'a str>,
    notification_url: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    comments: Option<&'a str>,
    on_hold: bool,
}

impl<'a> WireCashout<'a> {
    pub(crate) fn new(login: &'a str, pass: &'a str, r: &'a CashoutRequest) -> Self {
        // 10.500 is sent as 10.5: same value, and within "up to 2 decimals".
        let amount = if r.amount.scale() > 2 {
            r.amount.normalize()
        } else {
            r.amount
        };
        Self {
            login,
            pass,
            external_id: &r.external_id,
            country: &r.country,
            amount,
            currency: present(&r.currency),
            document_id: &r.document_id,
            document_type: present(&r.document_type),
            beneficiary_id: present(&r.beneficiary_id),
            beneficiary_name: &r.beneficiary_name,
            beneficiary_lastname: present(&r.beneficiary_lastname),
            email: present(&r.email),
            phone: present(&r.phone),
            bank_code: r.bank_code,
            bank_account: present(&r.bank_account),
            bank_branch: present(&r.bank_branch),
            account_type: present(&r.account_type),
            address: present(&r.address),
            city: present(&r.city),
            postal_code: present(&r.postal_code),
            beneficiary_birthdate: present(&r.beneficiary_birthdate),
            notification_url: &r.notification_url,
            comments: present(&r.comments),
            on_hold: r.on_hold,
        }
    }
}

/// Zimo-pagos' id of a cashout. Sent as a JSON number; read from a number
/// or a string of digits, as the API family prints it both ways.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct CashoutId(pub u64);

impl fmt::Display for CashoutId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl<'de> Deserialize<'de> for CashoutId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match serde_json::Value::deserialize(d)? {
            serde_json::Value::Number(n) => n.to_string().parse().map(CashoutId).map_err(|_| {
                de::Error::custom(format!("cashout_id {n} is not a whole positive number"))
            }),
            serde_json::Value::String(s) => s.trim().parse().map(CashoutId).map_err(|_| {
                de::Error::custom(format!("cashout_id \"{s}\" is not a whole positive number"))
            }),
            other => Err(de::Error::custom(format!(
                "cashout_id must be a number, got {other}"
            ))),
        }
    }
}

/// Documented success answer of `POST /v3/cashout`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreateResponse {
    pub cashout_id: CashoutId,
}

/// A cashout Zimo-pagos accepted, and the endpoint that took it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CashoutCreated {
    pub cashout_id: CashoutId,
    pub endpoint: Endpoint,
}

/// Which cashout a status lookup is about: `cashout_id` and/or `external_id`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StatusQuery {
    pub cashout_id: Option<CashoutId>,
    pub external_id: Option<String>,
}

impl StatusQuery {
    pub fn by_cashout_id(id: CashoutId) -> Self {
        Self {
            cashout_id: Some(id),
            external_id: None,
        }
    }

    pub fn by_external_id(external_id: impl Into<String>) -> Self {
        Self {
            cashout_id: None,
            external_id: Some(external_id.into()),
        }
    }
}

/// The status call's body exactly as it goes on the wire.
#[derive(Serialize)]
pub(crate) struct WireStatus<'a> {
    pub login: &'a str,
    pub pass: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cashout_id: Option<CashoutId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external_id: Option<&'a str>,
}

/// Cashout status codes (`PRODUCT.md`, from the API family).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub enum Status {
    /// 0: received, not yet sent to the bank.
    Pending,
    /// 1: the money reached the beneficiary.
    Completed,
    /// 2: cancelled by the merchant.
    Cancelled,
    /// 3: rejected (by the bank: invalid account, closed account, …).
    Rejected,
    /// 4: sent to the bank; can no longer be cancelled.
    Delivered,
    /// 5: on hold until released in the Merchant Panel.
    OnHold,
}

impl Status {
    pub fn code(self) -> u8 {
        self as u8
    }

    /// Completed, cancelled and rejected never change again.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            Status::Completed | Status::Cancelled | Status::Rejected
        )
    }

    /// In words, for the agent.
    pub fn describe(self) -> &'static str {
        match self {
            Status::Pending => "received, pending",
            Status::Completed => "completed",
            Status::Cancelled => "cancelled",
            Status::Rejected => "rejected",
            Status::Delivered => "delivered to the bank",
            Status::OnHold => "on hold",
        }
    }
}

impl From<Status> for u8 {
    fn from(s: Status) -> u8 {
        s.code()
    }
}

impl TryFrom<u8> for Status {
    type Error = String;

    fn try_from(code: u8) -> Result<Self, String> {
        Ok(match code {
            0 => Status::Pending,
            1 => Status::Completed,
            2 => Status::Cancelled,
            3 => Status::Rejected,
            4 => Status::Delivered,
            5 => Status::OnHold,
            other => return Err(format!("cashout_status {other} is not a known status code")),
        })
    }
}

/// Answer of the status call. Assumption: the API family's field names;
/// the rejection fields come only with status 3.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CashoutStatus {
    #[serde(rename = "cashout_status")]
    pub status: Status,
    #[serde(rename = "cashout_status_description", default)]
    pub description: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rejection_code: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rejection_reason: Option<String>,
}

/// Documented error answer: `code`, `message`, and when given `reason`
/// and `reason_code`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub code: i64,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason_code: Option<i64>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn request() -> CashoutRequest {
        CashoutRequest {
            external_id: "wd-1".into(),
            country: "MX".into(),
            amount: Decimal::from_str("1500.50").unwrap(),
            currency: Some("MXN".into()),
            document_id: "GODE561231HDFABC09".into(),
            beneficiary_name: "José".into(),
            email: Some(String::new()),
            bank_code: Some(72),
            bank_account: Some("032180000118359719".into()),
            notification_url: "https://desk.example/zimo".into(),
            ..CashoutRequest::default()
        }
    }

    #[test]
    fn the_body_is_in_document_order_with_number_amount_number_bank_code_and_boolean_on_hold() {
        let r = request();
        let body = serde_json::to_string(&WireCashout::new("L", "P", &r)).unwrap();
        assert_eq!(
            body,
            r#"{"login":"L","pass":"P","external_id":"wd-1","country":"MX","amount":1500.50,"currency":"MXN","document_id":"GODE561231HDFABC09","beneficiary_name":"José","bank_code":72,"bank_account":"032180000118359719","notification_url":"https://desk.example/zimo","on_hold":false}"#
        );
    }

    #[test]
    fn trailing_zeros_beyond_two_decimals_are_dropped_not_rounded() {
        let mut r = request();
        r.amount = Decimal::from_str("10.500").unwrap();
        let body = serde_json::to_string(&WireCashout::new("L", "P", &r)).unwrap();
        assert!(body.contains(r#""amount":10.5,"#), "{body}");
        r.amount = Decimal::from_str("10.00").unwrap();
        let body = serde_json::to_string(&WireCashout::new("L", "P", &r)).unwrap();
        assert!(body.contains(r#""amount":10.00,"#), "{body}");
    }

    #[test]
    fn cashout_id_is_read_from_a_number_or_a_digit_string() {
        let a: CreateResponse = serde_json::from_str(r#"{"cashout_id": 8405147}"#).unwrap();
        let b: CreateResponse = serde_json::from_str(r#"{"cashout_id": "8405147"}"#).unwrap();
        assert_eq!(a, b);
        assert_eq!(a.cashout_id.to_string(), "8405147");
        assert!(serde_json::from_str::<CreateResponse>(r#"{"cashout_id": "84x"}"#).is_err());
        assert!(serde_json::from_str::<CreateResponse>(r#"{"cashout_id": -1}"#).is_err());
        assert!(serde_json::from_str::<CreateResponse>(r#"{"code": 300}"#).is_err());
    }

    #[test]
    fn status_codes_0_to_5_are_the_documented_six_and_nothing_else() {
        let s: CashoutStatus = serde_json::from_str(
            r#"{"cashout_status": 3, "cashout_status_description": "Rejected",
                "rejection_code": 800, "rejection_reason": "Invalid bank account"}"#,
        )
        .unwrap();
        assert_eq!(s.status, Status::Rejected);
        assert_eq!(s.rejection_code, Some(800));
        let all: Vec<Status> = (0..=5).map(|c| Status::try_from(c).unwrap()).collect();
        assert_eq!(
            all,
            [
                Status::Pending,
                Status::Completed,
                Status::Cancelled,
                Status::Rejected,
                Status::Delivered,
                Status::OnHold
            ]
        );
        assert!(Status::try_from(6).is_err());
        assert!(serde_json::from_str::<CashoutStatus>(r#"{"cashout_status": 9}"#).is_err());
        let finals: Vec<bool> = all.iter().map(|s| s.is_final()).collect();
        assert_eq!(finals, [false, true, true, true, false, false]);
    }

    #[test]
    fn the_status_body_carries_only_the_ids_given() {
        let w = WireStatus {
            login: "L",
            pass: "P",
            cashout_id: None,
            external_id: Some("wd-1"),
        };
        assert_eq!(
            serde_json::to_string(&w).unwrap(),
            r#"{"login":"L","pass":"P","external_id":"wd-1"}"#
        );
    }
}
