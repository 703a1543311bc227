use super::*;

fn body(code: &str, message: &str) -> Vec<u8> {
    serde_json::json!({"success": false, "error": {"code": code, "message": message}})
        .to_string()
        .into_bytes()
}

const CREATE: Call<'static> = Call::Create {
    merchant_reference: "order-4551",
};

#[test]
fn a_409_on_create_is_a_duplicate_reference_with_cashwebs_words() {
    let e = Error::from_response(
        409,
        None,
        &body("DUPLICATE_MERCHANT_REFERENCE", "taken"),
        CREATE,
    );
    assert_eq!(
        e,
        Error::DuplicateReference {
            merchant_reference: "order-4551".into(),
            code: "DUPLICATE_MERCHANT_REFERENCE".into(),
            message: "taken".into()
        }
    );
    assert!(e.is_conflict() && !e.may_have_taken_effect() && !e.is_retryable_without_risk());
    assert!(e.to_string().contains("look it up by reference"));
}

#[test]
fn a_409_on_cancel_is_not_cancellable_whatever_the_code() {
    let call = Call::Cancel {
        transaction_id: "t1",
    };
    let e = Error::from_response(409, None, b"Conflict", call);
    let Error::NotCancellable {
        transaction_id,
        code,
        ..
    } = &e
    else {
        panic!("{e:?}")
    };
    assert_eq!((transaction_id.as_str(), code.as_str()), ("t1", "HTTP_409"));
    assert!(e.to_string().contains("refresh it"));
}

#[test]
fn a_404_is_not_found_only_in_cashwebs_error_shape() {
    let e = Error::from_response(404, None, &body("NOT_FOUND", "no such"), Call::Read);
    assert!(matches!(e, Error::NotFound { .. }));
    let html = Error::from_response(404, None, b"<h1>nginx</h1>", Call::Read);
    assert!(matches!(html, Error::Api { status: 404, .. }), "{html:?}");
}

#[test]
fn the_flat_error_form_is_read_too() {
    let e = Error::from_response(
        400,
        None,
        br#"{"success":false,"error":"VALIDATION_ERROR","message":"limit"}"#,
        Call::Read,
    );
    assert_eq!(e.code(), Some("VALIDATION_ERROR"));
    assert_eq!(e.provider_message(), Some("limit"));
    assert_eq!(
        e.to_string(),
        "CashWeb refused the request (HTTP 400): VALIDATION_ERROR — limit"
    );
}

#[test]
fn a_5xx_may_have_taken_effect_and_says_to_look_it_up() {
    let e = Error::from_response(502, None, "<html>".repeat(200).as_bytes(), CREATE);
    let Error::Api { code, message, .. } = &e else {
        panic!("{e:?}")
    };
    assert_eq!(code, "HTTP_502");
    assert_eq!(message.chars().count(), 500);
    assert!(e.may_have_taken_effect());
    assert!(e.to_string().contains("look the transaction up"));
}

#[test]
fn not_sent_and_rate_limited_are_safe_to_retry_unknown_is_not() {
    let not_sent = Error::NotSent {
        message: "refused".into(),
    };
    assert!(not_sent.is_retryable_without_risk() && !not_sent.may_have_taken_effect());
    let unknown = Error::Unknown {
        message: "timeout".into(),
    };
    assert!(unknown.may_have_taken_effect() && !unknown.is_retryable_without_risk());
    let limited = Error::from_response(429, Some("12"), b"", CREATE);
    assert_eq!(
        limited,
        Error::RateLimited {
            retry_after: Some(Duration::from_secs(12))
        }
    );
    assert!(limited.is_retryable_without_risk());
}

#[test]
fn retry_after_is_read_in_both_forms() {
    let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_772_965_800);
    assert_eq!(parse_retry_after("30", now), Some(Duration::from_secs(30)));
    let later = httpdate::fmt_http_date(now + Duration::from_secs(90));
    assert_eq!(
        parse_retry_after(&later, now),
        Some(Duration::from_secs(90))
    );
    let past = httpdate::fmt_http_date(now - Duration::from_secs(5));
    assert_eq!(parse_retry_after(&past, now), Some(Duration::ZERO));
    assert_eq!(parse_retry_after("soon", now), None);
}

#[test]
fn truncation_counts_characters() {
    assert_eq!(truncate("abc", 3), "abc");
    assert_eq!(truncate("abcd", 3), "ab…");
    assert_eq!(truncate("ধন্যবাদ", 2), "ধ…");
}
