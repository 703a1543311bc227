//! Property tests of the postback reader and the PHP implode its
//! signature rests on: any body is refused or read, never a panic; any
//! JSON object signed with the private key verifies, and one changed value
//! does not.
//! Cases: `PROPTEST_CASES` (256 by default; the long run: docs/TESTING.md).

use cashdesk_paykassma::PostbackPolicy;
use cashdesk_paykassma::postback;
use cashdesk_paykassma::signature::{self, PrivateKey};
use proptest::prelude::*;
use serde_json::{Map, Value};

fn key() -> PrivateKey {
    PrivateKey::new("pk_props")
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        any::<String>().prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 24, 5, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
            prop::collection::btree_map(any::<String>(), inner, 0..5)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn object() -> impl Strategy<Value = Map<String, Value>> {
    prop::collection::btree_map("[a-z_]{1,10}", json_value(), 0..8)
        .prop_map(|m| m.into_iter().collect())
}

proptest! {
    #[test]
    fn any_body_is_refused_or_read(body in prop::collection::vec(any::<u8>(), 0..512)) {
        for require_deposit_signature in [true, false] {
            let policy = PostbackPolicy { require_deposit_signature };
            let _ = postback::verify(&key(), policy, &body);
        }
    }

    #[test]
    fn any_signed_object_verifies_and_a_changed_one_does_not(data in object(), extra in "[a-z]{1,8}") {
        let _ = signature::implode(&data);
        let mut signed = data.clone();
        signature::attach(&key(), &mut signed);
        prop_assert!(signature::verify(&key(), &signed));
        let body = serde_json::to_vec(&signed).unwrap();
        let _ = postback::verify(&key(), PostbackPolicy::default(), &body);
        signed.insert(format!("zz_{extra}"), Value::from("changed"));
        prop_assert!(!signature::verify(&key(), &signed));
    }
}
