//! Property tests of what the CashWeb adapter reads from outside: list
//! pages and transactions with any values in their fields (the evidence
//! the app credits on is read from them), and stored cursors. Never a
//! panic; a transaction's evidence is decided for any field values.
//! Cases: `PROPTEST_CASES` (256 by default; the long run: docs/TESTING.md).

use cashdesk_cashweb::wire::{Cursor, Envelope, ListBody, Transaction};
use proptest::prelude::*;
use serde_json::{Value, json};

fn any_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u32>().prop_map(Value::from),
        any::<String>().prop_map(Value::from),
        "-?[0-9]{1,12}(\\.[0-9]{1,10})?".prop_map(Value::from),
        prop::sample::select(vec![
            "awaiting_deposit",
            "confirmed",
            "credited",
            "expired",
            "cancelled",
            "pending",
            "2026-12-05T10:00:00Z",
            "0",
            "1",
        ])
        .prop_map(Value::from),
    ]
}

const FIELDS: [&str; 19] = [
    "id",
    "status",
    "merchant_reference",
    "deposit_address",
    "network",
    "expires_at",
    "merchant_id",
    "terminal_id",
    "crypto_currency",
    "crypto_amount",
    "rate",
    "amount",
    "created_at",
    "updated_at",
    "deposit_id",
    "deposit_status",
    "confirmations",
    "required_confirmations",
    "confirmed_at",
];

fn valid() -> Value {
    json!({"id": "t1", "status": "awaiting_deposit", "merchant_reference": "r1",
        "crypto_currency": "usdt", "crypto_amount": "42.1", "rate": "1615", "amount": "68000",
        "created_at": "2026-12-05T10:00:00Z", "updated_at": "2026-12-05T10:00:00Z"})
}

proptest! {
    #[test]
    fn any_bytes_as_a_page_or_a_transaction_never_panic(body in prop::collection::vec(any::<u8>(), 0..512)) {
        let _ = serde_json::from_slice::<Envelope<ListBody<Value>>>(&body);
        let _ = serde_json::from_slice::<Transaction>(&body);
    }

    /// Start from a readable transaction and put any value in any fields.
    #[test]
    fn any_field_values_are_read_or_refused_and_evidence_is_decided(
        changes in prop::collection::vec((prop::sample::select(FIELDS.to_vec()), any_value()), 0..6)
    ) {
        let mut t = valid();
        for (field, value) in changes {
            t[field] = value;
        }
        if let Ok(tx) = serde_json::from_value::<Transaction>(t) {
            let _ = tx.evidence();
            let _ = tx.summary();
        }
    }

    #[test]
    fn a_stored_cursor_is_restored_as_it_was(text in any::<String>()) {
        match Cursor::restore(text.clone()) {
            Some(c) => prop_assert_eq!(c.as_str(), text.as_str()),
            None => prop_assert!(text.is_empty()),
        }
    }
}
