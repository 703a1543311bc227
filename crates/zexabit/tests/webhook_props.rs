//! Property tests of the webhook reader, the one parser of Zexabit input
//! that anyone can reach: any body with any header is refused or read,
//! never a panic; a body signed with the secret always passes the
//! signature and then is read or refused as malformed.
//! Cases: `PROPTEST_CASES` (256 by default; the long run: docs/TESTING.md).

use cashdesk_zexabit::webhook::{self, WebhookError};
use proptest::prelude::*;

const SECRET: &[u8] = b"whsec_props";

fn json_value() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        any::<f64>().prop_map(serde_json::Value::from),
        "[a-z0-9_.:-]{0,12}".prop_map(serde_json::Value::from),
    ];
    leaf.prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::from),
            prop::collection::btree_map(
                prop::sample::select(vec![
                    "event",
                    "timestamp",
                    "data",
                    "transactionId",
                    "userId",
                    "amount",
                    "status",
                    "paymentMethod",
                    "externalUserId",
                    "newBalance",
                ])
                .prop_map(str::to_owned),
                inner,
                0..8
            )
            .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #[test]
    fn any_body_and_header_are_refused_or_read(body in prop::collection::vec(any::<u8>(), 0..512), header in prop::option::of(any::<String>())) {
        let _ = webhook::verify(SECRET, &body, header.as_deref());
    }

    #[test]
    fn a_signed_body_passes_the_signature_and_is_read_or_malformed(v in json_value()) {
        let body = serde_json::to_vec(&v).unwrap();
        let sig = webhook::sign(SECRET, &body);
        match webhook::verify(SECRET, &body, Some(&sig)) {
            Ok(_) | Err(WebhookError::Malformed(_)) => {}
            Err(e) => prop_assert!(false, "signed body refused as {e}"),
        }
    }
}
