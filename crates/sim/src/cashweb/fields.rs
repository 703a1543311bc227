//! Reading a create body the way the document describes it: a JSON object
//! in exactly one pricing mode, decimals as strings, and no `rate` or
//! `crypto_amount` (CashWeb sets them). Every refusal names the field.

use super::records::SimError;
use super::state::{NewPricing, NewTransaction};
use axum::http::{HeaderMap, header};
use rust_decimal::Decimal;
use serde_json::{Map, Value};
use std::str::FromStr;

const BOTH: &str = "send either quote_id (quote mode) or fiat_amount + crypto_currency + network (direct mode), not both";
const NEITHER: &str =
    "send either quote_id (quote mode) or fiat_amount + crypto_currency + network (direct mode)";

/// The body as a JSON object.
pub(crate) fn object(headers: &HeaderMap, body: &[u8]) -> Result<Map<String, Value>, SimError> {
    let json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim_start().starts_with("application/json"));
    if !json {
        return Err(SimError::invalid("Content-Type must be application/json"));
    }
    match serde_json::from_slice(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(SimError::invalid("request body must be a JSON object")),
        Err(e) => Err(SimError::invalid(format!(
            "request body is not valid JSON: {e}"
        ))),
    }
}

fn present(f: &Map<String, Value>, field: &str) -> bool {
    !matches!(f.get(field), None | Some(Value::Null))
}

pub(crate) fn optional(f: &Map<String, Value>, field: &str) -> Result<Option<String>, SimError> {
    match f.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.trim().is_empty() => {
            Err(SimError::invalid(format!("{field} must not be empty")))
        }
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(SimError::invalid(format!("{field} must be a string"))),
    }
}

fn required(f: &Map<String, Value>, field: &str, why: &str) -> Result<String, SimError> {
    optional(f, field)?.ok_or_else(|| SimError::invalid(format!("{field} is required{why}")))
}

/// A decimal sent as a JSON string, e.g. `"161500.00"`.
fn decimal(f: &Map<String, Value>, field: &str) -> Result<Decimal, SimError> {
    match f.get(field) {
        Some(Value::String(s)) => Decimal::from_str_exact(s.trim())
            .or_else(|_| Decimal::from_str(s.trim()))
            .map_err(|_| SimError::invalid(format!("{field} \"{s}\" is not a decimal"))),
        Some(Value::Number(_)) => Err(SimError::invalid(format!(
            "{field} must be a decimal string such as \"161500.00\", not a number"
        ))),
        _ => Err(SimError::invalid(format!(
            "{field} is required in direct mode"
        ))),
    }
}

/// A create body, checked for shape; business rules follow in the book.
pub(crate) fn new_transaction(f: &Map<String, Value>) -> Result<NewTransaction, SimError> {
    for set_by_cashweb in ["rate", "crypto_amount"] {
        if f.contains_key(set_by_cashweb) {
            return Err(SimError::invalid(format!(
                "{set_by_cashweb} is set by CashWeb; partners do not send it"
            )));
        }
    }
    let merchant_reference = required(f, "merchant_reference", "")?;
    let quote = present(f, "quote_id");
    let direct = ["fiat_amount", "crypto_currency", "network"];
    let direct_count = direct.iter().filter(|k| present(f, k)).count();
    let pricing = match (quote, direct_count) {
        (true, 0) => NewPricing::Quote(required(f, "quote_id", "")?),
        (true, _) => return Err(SimError::invalid(BOTH)),
        (false, 0) => return Err(SimError::invalid(NEITHER)),
        (false, _) => NewPricing::Direct {
            fiat_amount: decimal(f, "fiat_amount")?,
            crypto_currency: required(f, "crypto_currency", " in direct mode")?,
            network: required(f, "network", " in direct mode")?,
        },
    };
    Ok(NewTransaction {
        merchant_reference,
        pricing,
        seller_phone: optional(f, "seller_phone")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(json: &str) -> Result<NewTransaction, SimError> {
        new_transaction(&serde_json::from_str(json).unwrap())
    }

    fn refusal(json: &str) -> String {
        match parse(json) {
            Err(e) => e.message,
            Ok(_) => panic!("accepted {json}"),
        }
    }

    #[test]
    fn both_modes_and_neither_mode_are_refused() {
        assert_eq!(
            refusal(r#"{"merchant_reference":"r","quote_id":"q","network":"trc20"}"#),
            BOTH
        );
        assert_eq!(refusal(r#"{"merchant_reference":"r"}"#), NEITHER);
        assert_eq!(
            refusal(r#"{"merchant_reference":"r","quote_id":null}"#),
            NEITHER,
            "null is absent"
        );
    }

    #[test]
    fn direct_mode_names_the_missing_field() {
        assert_eq!(
            refusal(r#"{"merchant_reference":"r","fiat_amount":"10","crypto_currency":"usdt"}"#),
            "network is required in direct mode"
        );
        assert_eq!(
            refusal(r#"{"merchant_reference":"r","crypto_currency":"usdt","network":"trc20"}"#),
            "fiat_amount is required in direct mode"
        );
    }

    #[test]
    fn amounts_are_decimal_strings_and_rate_is_never_accepted() {
        let n = r#"{"merchant_reference":"r","fiat_amount":10,"crypto_currency":"usdt","network":"trc20"}"#;
        assert!(refusal(n).contains("decimal string"));
        let r = r#"{"merchant_reference":"r","quote_id":"q","rate":"1615.00"}"#;
        assert_eq!(
            refusal(r),
            "rate is set by CashWeb; partners do not send it"
        );
        let ok = parse(
            r#"{"merchant_reference":"r","fiat_amount":"161500.00","crypto_currency":"usdt","network":"trc20","seller_phone":"+234"}"#,
        )
        .unwrap();
        assert!(
            matches!(ok.pricing, NewPricing::Direct { fiat_amount, .. } if fiat_amount.to_string() == "161500.00")
        );
        assert_eq!(ok.seller_phone.as_deref(), Some("+234"));
    }
}
