//! Reading request bodies the way the document describes them: a JSON
//! object, strings where strings are due, amounts as exact JSON numbers.
//! Every refusal names the field so an integrator can fix the call.

use super::state::ApiError;
use axum::http::{HeaderMap, header};
use rust_decimal::Decimal;
use serde_json::{Map, Value};

/// The body as a JSON object; the document's requests are all objects.
pub(crate) fn object(headers: &HeaderMap, body: &[u8]) -> Result<Map<String, Value>, ApiError> {
    let json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim_start().starts_with("application/json"));
    if !json {
        return Err(ApiError::invalid("Content-Type must be application/json"));
    }
    match serde_json::from_slice(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(ApiError::invalid("request body must be a JSON object")),
        Err(e) => Err(ApiError::invalid(format!(
            "request body is not valid JSON: {e}"
        ))),
    }
}

pub(crate) fn required(f: &Map<String, Value>, field: &str) -> Result<String, ApiError> {
    match f.get(field) {
        None | Some(Value::Null) => Err(ApiError::invalid(format!("{field} is required"))),
        Some(Value::String(s)) if s.trim().is_empty() => {
            Err(ApiError::invalid(format!("{field} must not be empty")))
        }
        Some(Value::String(s)) => Ok(s.clone()),
        Some(_) => Err(ApiError::invalid(format!("{field} must be a string"))),
    }
}

pub(crate) fn optional(f: &Map<String, Value>, field: &str) -> Result<Option<String>, ApiError> {
    match f.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(_) => required(f, field).map(Some),
    }
}

/// A JSON number (not a string), exact, greater than zero.
pub(crate) fn amount(f: &Map<String, Value>, field: &str) -> Result<Decimal, ApiError> {
    let n = match f.get(field) {
        None | Some(Value::Null) => return Err(ApiError::invalid(format!("{field} is required"))),
        Some(Value::Number(n)) => n.to_string(),
        Some(_) => return Err(ApiError::invalid(format!("{field} must be a number"))),
    };
    let value = Decimal::from_str_exact(&n)
        .or_else(|_| Decimal::from_scientific(&n))
        .map_err(|_| ApiError::invalid(format!("{field} {n} is not a usable amount")))?;
    if value <= Decimal::ZERO {
        return Err(ApiError::invalid(format!(
            "{field} must be greater than zero"
        )));
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(json: &str) -> Map<String, Value> {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn validation_messages_name_the_field() {
        let f = map(r#"{"userId": "", "amount": "500", "n": 0}"#);
        assert_eq!(
            required(&f, "userId").unwrap_err().message,
            "userId must not be empty"
        );
        assert_eq!(
            required(&f, "paymentMethod").unwrap_err().message,
            "paymentMethod is required"
        );
        assert_eq!(
            amount(&f, "amount").unwrap_err().message,
            "amount must be a number"
        );
        assert_eq!(
            amount(&f, "n").unwrap_err().message,
            "n must be greater than zero"
        );
    }

    #[test]
    fn amounts_are_read_exactly_including_exponent_form() {
        let f = map(r#"{"a": 0.0001, "b": 1e3, "c": 500.50}"#);
        assert_eq!(amount(&f, "a").unwrap().to_string(), "0.0001");
        assert_eq!(amount(&f, "b").unwrap(), Decimal::from(1000));
        assert_eq!(amount(&f, "c").unwrap().to_string(), "500.50");
    }
}
