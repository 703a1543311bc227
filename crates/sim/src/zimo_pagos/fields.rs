//! Reading request bodies the way the document types them: a JSON object,
//! strings where strings are due, `amount` and `bank_code` as JSON numbers,
//! `on_hold` as a boolean. Refusals come in Zimo-pagos' shape and name the
//! field: "Invalid params: …" (the API family's code 300), or "Invalid
//! request body" when the JSON itself is broken.

use super::state::ApiError;
use axum::http::{HeaderMap, StatusCode, header};
use cashdesk_zimo_pagos::{CashoutId, CashoutRequest, ErrorCodes, StatusQuery};
use rust_decimal::Decimal;
use serde_json::{Map, Value};

type Fields = Map<String, Value>;

/// "Invalid params: …" with HTTP 400.
pub(crate) fn invalid(codes: &ErrorCodes, what: impl std::fmt::Display) -> ApiError {
    ApiError::new(
        StatusCode::BAD_REQUEST,
        codes.invalid_params,
        format!("Invalid params: {what}"),
    )
}

/// The body as a JSON object; the document's requests are all objects.
pub(crate) fn object(
    codes: &ErrorCodes,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Fields, ApiError> {
    let json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim_start().starts_with("application/json"));
    let broken = |detail: String| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            codes.invalid_body,
            format!(
                "Invalid request body - Please check that the JSON is well formatted ({detail})"
            ),
        )
    };
    if !json {
        return Err(broken("Content-Type must be application/json".into()));
    }
    match serde_json::from_slice(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(broken("the body must be a JSON object".into())),
        Err(e) => Err(broken(e.to_string())),
    }
}

/// A string field; absent or null is `None`.
pub(crate) fn string(
    codes: &ErrorCodes,
    f: &Fields,
    field: &str,
) -> Result<Option<String>, ApiError> {
    match f.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(invalid(codes, format!("{field} must be a string"))),
    }
}

/// A required string: absent becomes empty, which validation then names.
fn text(codes: &ErrorCodes, f: &Fields, field: &str) -> Result<String, ApiError> {
    Ok(string(codes, f, field)?.unwrap_or_default())
}

/// A whole, non-negative JSON number.
fn whole(codes: &ErrorCodes, f: &Fields, field: &str) -> Result<Option<u64>, ApiError> {
    match f.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => n
            .to_string()
            .parse()
            .map(Some)
            .map_err(|_| invalid(codes, format!("{field} must be a whole number, got {n}"))),
        Some(_) => Err(invalid(codes, format!("{field} must be a number"))),
    }
}

/// `amount`: a JSON number (not a string), read exactly.
fn amount(codes: &ErrorCodes, f: &Fields) -> Result<Decimal, ApiError> {
    let n = match f.get("amount") {
        None | Some(Value::Null) => return Err(invalid(codes, "amount is required")),
        Some(Value::Number(n)) => n.to_string(),
        Some(_) => return Err(invalid(codes, "amount must be a number")),
    };
    Decimal::from_str_exact(&n)
        .or_else(|_| Decimal::from_scientific(&n))
        .map_err(|_| invalid(codes, format!("amount {n} is not a valid number")))
}

/// `on_hold`: a JSON boolean, default false.
fn on_hold(codes: &ErrorCodes, f: &Fields) -> Result<bool, ApiError> {
    match f.get("on_hold") {
        None | Some(Value::Null) => Ok(false),
        Some(Value::Bool(b)) => Ok(*b),
        Some(_) => Err(invalid(codes, "on_hold must be a boolean (true or false)")),
    }
}

/// Every documented cashout field, type-checked. The documented rules
/// (required, lengths, formats) are checked afterwards, on the result.
pub(crate) fn cashout_request(codes: &ErrorCodes, f: &Fields) -> Result<CashoutRequest, ApiError> {
    let s = |field: &str| string(codes, f, field);
    Ok(CashoutRequest {
        external_id: text(codes, f, "external_id")?,
        country: text(codes, f, "country")?,
        amount: amount(codes, f)?,
        currency: s("currency")?,
        document_id: text(codes, f, "document_id")?,
        document_type: s("document_type")?,
        beneficiary_id: s("beneficiary_id")?,
        beneficiary_name: text(codes, f, "beneficiary_name")?,
        beneficiary_lastname: s("beneficiary_lastname")?,
        email: s("email")?,
        phone: s("phone")?,
        bank_code: whole(codes, f, "bank_code")?,
        bank_account: s("bank_account")?,
        bank_branch: s("bank_branch")?,
        account_type: s("account_type")?,
        address: s("address")?,
        city: s("city")?,
        postal_code: s("postal_code")?,
        beneficiary_birthdate: s("beneficiary_birthdate")?,
        notification_url: text(codes, f, "notification_url")?,
        comments: s("comments")?,
        on_hold: on_hold(codes, f)?,
    })
}

/// The status call: `cashout_id` (number) and/or `external_id` (string).
pub(crate) fn status_query(codes: &ErrorCodes, f: &Fields) -> Result<StatusQuery, ApiError> {
    let q = StatusQuery {
        cashout_id: whole(codes, f, "cashout_id")?.map(CashoutId),
        external_id: string(codes, f, "external_id")?.filter(|e| !e.trim().is_empty()),
    };
    if q.cashout_id.is_none() && q.external_id.is_none() {
        return Err(invalid(codes, "cashout_id or external_id is required"));
    }
    Ok(q)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(json: &str) -> Fields {
        serde_json::from_str(json).unwrap()
    }

    fn msg(r: Result<impl std::fmt::Debug, ApiError>) -> String {
        r.unwrap_err().body.message
    }

    #[test]
    fn types_are_the_documents_and_messages_name_the_field() {
        let c = ErrorCodes::default();
        let f = map(r#"{"amount": "10", "bank_code": "072", "on_hold": "true", "city": 5}"#);
        assert_eq!(
            msg(amount(&c, &f)),
            "Invalid params: amount must be a number"
        );
        assert_eq!(
            msg(whole(&c, &f, "bank_code")),
            "Invalid params: bank_code must be a number"
        );
        assert_eq!(
            msg(on_hold(&c, &f)),
            "Invalid params: on_hold must be a boolean (true or false)"
        );
        assert_eq!(
            msg(string(&c, &f, "city")),
            "Invalid params: city must be a string"
        );
        assert_eq!(invalid(&c, "x").body.code, 300);
    }

    #[test]
    fn amounts_are_read_exactly_and_bank_code_must_be_whole() {
        let c = ErrorCodes::default();
        let f = map(r#"{"amount": 1500.50, "bank_code": 72.5}"#);
        assert_eq!(amount(&c, &f).unwrap().to_string(), "1500.50");
        assert!(msg(whole(&c, &f, "bank_code")).contains("whole number"));
        assert_eq!(
            amount(&c, &map(r#"{"amount": 1e3}"#)).unwrap(),
            Decimal::from(1000)
        );
    }

    #[test]
    fn a_status_query_needs_one_of_the_ids() {
        let c = ErrorCodes::default();
        assert!(
            msg(status_query(&c, &map(r#"{"external_id": ""}"#)))
                .contains("cashout_id or external_id")
        );
        let q = status_query(&c, &map(r#"{"cashout_id": 12}"#)).unwrap();
        assert_eq!(q, StatusQuery::by_cashout_id(CashoutId(12)));
    }
}
