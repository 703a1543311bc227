use super::*;

/// A transaction with `status` and the reconciliation fields in `extra`.
fn t(status: &str, extra: &str) -> Transaction {
    let text = format!(
        r#"{{"id": "t1", "status": "{status}", "merchant_reference": "order-1",
            "network": "trc20", "crypto_currency": "usdt", "crypto_amount": "100.00",
            "rate": "1615.00", "amount": "161500.00",
            "created_at": "2026-02-12T12:00:00Z", "updated_at": "2026-02-12T12:10:00Z"{extra}}}"#
    );
    serde_json::from_str(&text).unwrap()
}

const CONFIRMED: &str = r#", "deposit_id": "dep_1", "deposit_status": "confirmed",
    "confirmations": 19, "required_confirmations": 19,
    "received_at": "2026-02-12T12:05:00Z", "confirmed_at": "2026-02-12T12:10:00Z""#;

#[test]
fn a_confirmed_deposit_is_confirmed_whatever_its_status_is_called() {
    for status in [
        "confirmed",
        "completed",
        "paid",
        "success",
        "deposit_confirmed",
    ] {
        assert_eq!(
            t(status, CONFIRMED).evidence(),
            Evidence::Confirmed,
            "{status}"
        );
    }
    // Any one documented sign, with nothing against it.
    let only_time = r#", "deposit_id": "dep_1", "confirmed_at": "2026-02-12T12:10:00Z""#;
    assert_eq!(t("settled", only_time).evidence(), Evidence::Confirmed);
    let only_count = r#", "deposit_id": "dep_1", "confirmations": 3, "required_confirmations": 3"#;
    assert_eq!(t("done", only_count).evidence(), Evidence::Confirmed);
}

#[test]
fn a_status_name_alone_proves_nothing() {
    assert!(matches!(
        t("confirmed", "").evidence(),
        Evidence::Unclear(_)
    ));
    match t("under_review", "").evidence() {
        Evidence::Unclear(why) => assert!(why.contains("\"under_review\""), "{why}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn fields_that_disagree_go_to_a_person() {
    let short = r#", "deposit_id": "dep_1", "deposit_status": "confirmed",
        "confirmations": 3, "required_confirmations": 19"#;
    match t("confirmed", short).evidence() {
        Evidence::Unclear(why) => assert!(why.contains("3/19"), "{why}"),
        other => panic!("{other:?}"),
    }
    // Confirmed fields on an expired transaction.
    assert!(matches!(
        t("expired", CONFIRMED).evidence(),
        Evidence::Unclear(_)
    ));
    // Confirmed without a deposit id.
    let no_id = r#", "deposit_status": "confirmed", "confirmed_at": "2026-02-12T12:10:00Z""#;
    assert!(matches!(
        t("confirmed", no_id).evidence(),
        Evidence::Unclear(_)
    ));
}

#[test]
fn a_seen_deposit_is_confirming_until_the_fields_say_confirmed() {
    let two = r#", "deposit_id": "dep_1", "deposit_status": "confirming",
        "confirmations": 2, "required_confirmations": 19, "received_at": "2026-02-12T12:05:00Z""#;
    for status in ["confirming", "deposit_detected", "processing"] {
        assert_eq!(
            t(status, two).evidence(),
            Evidence::Confirming {
                have: Some(2),
                need: Some(19)
            },
            "{status}"
        );
    }
    // A deposit seen on a transaction said to be cancelled: coins may be there.
    assert!(matches!(
        t("cancelled", two).evidence(),
        Evidence::Unclear(_)
    ));
}

#[test]
fn without_a_deposit_the_documented_and_assumed_ends() {
    let none = r#", "deposit_id": null, "deposit_status": null, "confirmations": 0"#;
    assert_eq!(t("awaiting_deposit", none).evidence(), Evidence::Awaiting);
    assert_eq!(t("expired", none).evidence(), Evidence::Expired);
    assert_eq!(t("cancelled", none).evidence(), Evidence::Cancelled);
}
