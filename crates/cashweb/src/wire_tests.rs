use super::*;
use crate::request::Quote;
use std::str::FromStr;

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn at(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

const DOC_EXAMPLE: &str = r#"{
  "success": true,
  "data": {
    "id": "01917f00-7b4c-7f56-8a2b-15998d58c9f3",
    "deposit_address": "TXyz1234567890abcdef1234567890abcd",
    "network": "trc20",
    "expires_at": "2026-02-12T12:30:00Z",
    "status": "awaiting_deposit",
    "rate": "1615.00",
    "amount": "161500.00",
    "crypto_amount": "100.00",
    "crypto_currency": "usdt",
    "merchant_reference": "order-4551",
    "merchant_id": "mrc_001",
    "terminal_id": "term_01"
  }
}"#;

fn tsq(extra: &str) -> Transaction {
    let text = format!(
        r#"{{"id": "t1", "status": "confirmed", "merchant_reference": "order-1",
            "network": "trc20", "crypto_currency": "usdt", "crypto_amount": "100.00",
            "rate": "1615.00", "amount": "161500.00",
            "created_at": "2026-02-12T12:00:00Z", "updated_at": "2026-02-12T12:10:00Z"{extra}}}"#
    );
    serde_json::from_str(&text).unwrap()
}

#[test]
fn the_documents_create_example_parses_exactly() {
    let e: Envelope<CreatedTransaction> = serde_json::from_str(DOC_EXAMPLE).unwrap();
    let t = e.data;
    assert!(e.success);
    assert_eq!(t.id, "01917f00-7b4c-7f56-8a2b-15998d58c9f3");
    assert_eq!(t.status, Status::AwaitingDeposit);
    assert_eq!(t.rate, d("1615.00"));
    assert_eq!(t.amount.to_string(), "161500.00");
    assert_eq!(t.crypto_amount, d("100"));
    assert_eq!(t.amount / t.rate, t.crypto_amount);
    assert_eq!(t.expires_at, at("2026-02-12T12:30:00Z"));
    assert_eq!(
        (t.merchant_id.as_str(), t.terminal_id.as_str()),
        ("mrc_001", "term_01")
    );
}

#[test]
fn every_documented_create_field_is_required() {
    let full: serde_json::Value = serde_json::from_str(DOC_EXAMPLE).unwrap();
    let data = full["data"].as_object().unwrap();
    assert_eq!(data.len(), 12);
    for field in data.keys() {
        let mut partial = data.clone();
        partial.remove(field);
        assert!(
            serde_json::from_value::<CreatedTransaction>(partial.into()).is_err(),
            "{field} should be required"
        );
    }
}

#[test]
fn decimals_are_strings_on_the_wire_and_a_float_is_refused() {
    let e: Envelope<CreatedTransaction> = serde_json::from_str(DOC_EXAMPLE).unwrap();
    let out = serde_json::to_string(&e.data).unwrap();
    assert!(out.contains(r#""crypto_amount":"100.00""#), "{out}");
    let as_number = DOC_EXAMPLE.replace(r#""rate": "1615.00""#, r#""rate": 1615.00"#);
    assert!(serde_json::from_str::<Envelope<CreatedTransaction>>(&as_number).is_err());
}

#[test]
fn crypto_amounts_keep_all_eight_places() {
    let t = tsq("").crypto_amount;
    assert_eq!(t, d("100"));
    let precise = DOC_EXAMPLE.replace(r#""100.00""#, r#""0.00012345""#);
    let e: Envelope<CreatedTransaction> = serde_json::from_str(&precise).unwrap();
    assert_eq!(e.data.crypto_amount.to_string(), "0.00012345");
}

#[test]
fn the_tsq_reconciliation_fields_parse_and_are_null_before_a_deposit() {
    let t = tsq(
        r#", "deposit_id": "dep_1", "deposit_status": "confirmed", "confirmations": 19,
            "required_confirmations": 19, "received_at": "2026-02-12T12:05:00Z",
            "confirmed_at": "2026-02-12T12:10:00Z""#,
    );
    assert_eq!(t.deposit_status, Some(DepositStatus::Confirmed));
    assert_eq!(
        (t.confirmations, t.required_confirmations),
        (Some(19), Some(19))
    );
    assert!(t.is_creditable());
    let waiting = tsq(
        r#", "deposit_id": null, "deposit_status": null, "confirmations": 0,
            "received_at": null, "confirmed_at": null"#,
    );
    assert_eq!(waiting.deposit_id, None);
    assert_eq!(waiting.deposit_status, None);
}

#[test]
fn only_a_confirmed_deposit_with_enough_confirmations_is_creditable() {
    let short =
        tsq(r#", "deposit_status": "confirmed", "confirmations": 3, "required_confirmations": 19"#);
    assert!(!short.is_creditable());
    let mixed = tsq(r#", "deposit_status": "confirming""#);
    assert!(!mixed.is_creditable());
    let mut confirming = tsq("");
    confirming.status = Status::Confirming;
    assert!(!confirming.is_creditable());
}

#[test]
fn near_expiry_a_waiting_transaction_must_be_refreshed_before_acting() {
    let mut t = tsq(r#", "expires_at": "2026-02-12T12:30:00Z""#);
    t.status = Status::AwaitingDeposit;
    assert!(!t.must_refresh_before_acting(at("2026-02-12T12:20:00Z")));
    assert!(t.must_refresh_before_acting(at("2026-02-12T12:26:00Z")));
    assert!(t.must_refresh_before_acting(at("2026-02-12T12:31:00Z")));
    // once a deposit is seen, the deadline no longer applies
    t.status = Status::Confirming;
    assert!(!t.must_refresh_before_acting(at("2026-02-12T12:31:00Z")));
    t.status = Status::Other("on_hold".into());
    assert!(t.must_refresh_before_acting(at("2026-02-12T12:00:00Z")));
}

#[test]
fn without_expires_at_the_deadline_is_creation_plus_30_minutes() {
    let t = tsq("");
    assert_eq!(t.deadline(), at("2026-02-12T12:30:00Z"));
    assert!(t.expiry(at("2026-02-12T12:30:00Z")).is_expired());
}

#[test]
fn a_found_transaction_fulfils_a_direct_request_only_with_the_same_terms() {
    let t = tsq("");
    let same = CreateTransactionRequest::direct("ORDER-1", d("161500"), "USDT", "TRC20");
    assert!(t.fulfils(&same));
    let other_amount = CreateTransactionRequest::direct("order-1", d("1000"), "usdt", "trc20");
    assert!(!t.fulfils(&other_amount));
    let other_ref = CreateTransactionRequest::direct("order-2", d("161500"), "usdt", "trc20");
    assert!(!t.fulfils(&other_ref));
    let quoted = CreateTransactionRequest::quoted("order-1", Quote::issued_at("q", t.created_at));
    assert!(t.fulfils(&quoted));
}

#[test]
fn a_list_page_ends_on_a_null_absent_or_empty_cursor() {
    for tail in [r#","next_cursor":null"#, "", r#","next_cursor":"""#] {
        let body: ListBody<serde_json::Value> =
            serde_json::from_str(&format!(r#"{{"success":true,"data":[]{tail}}}"#)).unwrap();
        assert!(TransactionPage::from_body(body).is_last(), "{tail}");
    }
    let body: ListBody<serde_json::Value> =
        serde_json::from_str(r#"{"success":true,"data":[],"next_cursor":"abc"}"#).unwrap();
    let page = TransactionPage::from_body(body);
    assert_eq!(page.next_cursor.unwrap().as_str(), "abc");
}

#[test]
fn an_unreadable_item_is_set_aside_and_the_rest_of_the_page_is_read() {
    let good = serde_json::to_value(tsq("")).unwrap();
    let body: ListBody<serde_json::Value> = serde_json::from_value(serde_json::json!({
        "success": true,
        "data": [good, {"id": "t-bad", "status": "awaiting_deposit", "crypto_amount": 12}, 7],
        "next_cursor": "abc"
    }))
    .unwrap();
    let page = TransactionPage::from_body(body);
    assert_eq!(page.transactions.len(), 1);
    assert_eq!(page.unreadable.len(), 2);
    assert_eq!(page.unreadable[0].id.as_deref(), Some("t-bad"));
    assert!(page.unreadable[0].raw.contains("t-bad"));
    assert_eq!(page.unreadable[1].id, None);
    assert!(page.next_cursor.is_some(), "the page goes on");
}
