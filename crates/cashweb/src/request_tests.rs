use super::*;
use std::str::FromStr;

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn at(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

fn now() -> DateTime<Utc> {
    at("2026-02-12T12:00:00Z")
}

#[test]
fn a_stored_request_with_both_modes_is_refused() {
    let q = Quote::issued_at("qt_1", now());
    assert_eq!(
        PricingMode::from_parts(Some(q.clone()), Some(d("100")), None, None),
        Err(ValidationError::BothModes)
    );
    assert_eq!(
        PricingMode::from_parts(Some(q), None, None, Some("trc20".into())),
        Err(ValidationError::BothModes)
    );
}

#[test]
fn a_stored_request_with_neither_mode_is_refused() {
    assert_eq!(
        PricingMode::from_parts(None, None, None, None),
        Err(ValidationError::NoMode)
    );
}

#[test]
fn direct_mode_needs_all_three_fields() {
    assert_eq!(
        PricingMode::from_parts(None, Some(d("100")), Some("usdt".into()), None),
        Err(ValidationError::DirectIncomplete { missing: "network" })
    );
    assert_eq!(
        PricingMode::from_parts(None, None, Some("usdt".into()), Some("trc20".into())),
        Err(ValidationError::DirectIncomplete {
            missing: "fiat_amount"
        })
    );
    assert!(matches!(
        PricingMode::from_parts(
            None,
            Some(d("1")),
            Some("usdt".into()),
            Some("trc20".into())
        ),
        Ok(PricingMode::Direct { .. })
    ));
}

#[test]
fn direct_mode_sends_exactly_its_three_fields_with_the_amount_as_a_string() {
    let req = CreateTransactionRequest::direct("order-4551", d("161500.00"), "usdt", "trc20");
    assert_eq!(
        serde_json::to_string(&req.body()).unwrap(),
        r#"{"merchant_reference":"order-4551","fiat_amount":"161500.00","crypto_currency":"usdt","network":"trc20"}"#
    );
}

#[test]
fn quote_mode_sends_only_the_quote_id_and_never_rate_or_crypto_amount() {
    let mut req = CreateTransactionRequest::quoted("order-1", Quote::issued_at("qt_9", now()));
    req.seller_phone = Some("+2348012345678".into());
    assert_eq!(
        serde_json::to_string(&req.body()).unwrap(),
        r#"{"merchant_reference":"order-1","quote_id":"qt_9","seller_phone":"+2348012345678"}"#
    );
}

#[test]
fn an_expired_quote_is_refused_before_sending() {
    let req = CreateTransactionRequest::quoted("order-1", Quote::issued_at("qt_9", now()));
    assert!(req.validate(at("2026-02-12T12:01:59Z")).is_ok());
    let err = req.validate(at("2026-02-12T12:02:00Z")).unwrap_err();
    assert!(matches!(err, ValidationError::QuoteExpired { .. }));
    assert!(err.to_string().contains("ask the customer for a new quote"));
}

#[test]
fn fiat_amounts_are_positive_with_at_most_two_places() {
    let ok = CreateTransactionRequest::direct("r", d("100.50"), "usdt", "trc20");
    assert!(ok.validate(now()).is_ok());
    // trailing zeros are not extra precision
    let zeros = CreateTransactionRequest::direct("r", d("100.5000"), "usdt", "trc20");
    assert!(zeros.validate(now()).is_ok());
    let fine = CreateTransactionRequest::direct("r", d("100.505"), "usdt", "trc20");
    assert!(matches!(
        fine.validate(now()),
        Err(ValidationError::TooPrecise { places: 2, .. })
    ));
    for bad in ["0", "-5"] {
        let r = CreateTransactionRequest::direct("r", d(bad), "usdt", "trc20");
        assert!(matches!(
            r.validate(now()),
            Err(ValidationError::NotPositive { .. })
        ));
    }
    let blank = CreateTransactionRequest::direct("r", d("1"), " ", "trc20");
    assert_eq!(
        blank.validate(now()),
        Err(ValidationError::Empty {
            field: "crypto_currency"
        })
    );
}

#[test]
fn merchant_references_are_short_path_safe_ascii() {
    assert!(validate_merchant_reference("order-4551").is_ok());
    assert!(validate_merchant_reference("CD:2026.02_12-0001").is_ok());
    assert!(validate_merchant_reference(&"a".repeat(64)).is_ok());
    assert!(validate_merchant_reference(&"a".repeat(65)).is_err());
    assert!(validate_merchant_reference("order/1").is_err());
    assert!(validate_merchant_reference("ordér").is_err());
    assert!(validate_merchant_reference("").is_err());
}

#[test]
fn a_cancel_key_is_derived_from_the_reference_so_retries_reuse_it() {
    let a = IdempotencyKey::for_cancel("Order-4551").unwrap();
    let b = IdempotencyKey::for_cancel("order-4551").unwrap();
    assert_eq!(
        a, b,
        "references are unique case-insensitively, so are keys"
    );
    assert_eq!(a.as_str(), "cancel:order-4551");
}

#[test]
fn idempotency_keys_are_1_to_255_visible_ascii_characters() {
    assert!(IdempotencyKey::new("k").is_ok());
    assert!(IdempotencyKey::new("k".repeat(255)).is_ok());
    assert!(IdempotencyKey::new("k".repeat(256)).is_err());
    assert!(IdempotencyKey::new("").is_err());
    assert!(IdempotencyKey::new("a b").is_err());
    assert!(IdempotencyKey::new("ключ").is_err());
}
