//! The withdrawal and postback signature, exactly as the document's PHP:
//! `sha1(private_key . md5(multiImplode(':', ksort($data))))`.
//!
//! We sign the very JSON value we send (so there is no second rendering to
//! drift from), with PHP's view of it: the top level sorted by `ksort`,
//! nested arrays in their own order, values in PHP's string forms (see
//! [`crate::php`]). The `signature` key itself is never part of the data.

use crate::php;
use md5::{Digest as _, Md5};
use serde_json::{Map, Value};
use sha1::Sha1;
use subtle::ConstantTimeEq;

/// The body field that carries the signature.
pub const FIELD: &str = "signature";

/// The glue of the document's `multiImplode(':', ...)`.
const GLUE: &[u8] = b":";

/// The withdrawal private key (the workspace's redacting type).
pub type PrivateKey = cashdesk_http::Secret;

/// The string the document md5-hashes: top-level values sorted by key as
/// `ksort` does, joined with ':' recursively. `signature` is left out.
pub fn implode(data: &Map<String, Value>) -> Vec<u8> {
    let mut entries: Vec<(String, &Value)> = data
        .iter()
        .filter(|(k, _)| k.as_str() != FIELD)
        .map(|(k, v)| (k.clone(), v))
        .collect();
    php::ksort(&mut entries);
    let mut out = Vec::new();
    for (i, (_, value)) in entries.iter().enumerate() {
        if i > 0 {
            out.extend_from_slice(GLUE);
        }
        php::push_string_form(&mut out, value, GLUE);
    }
    out
}

/// `sha1($privateKey . md5($implode))`, lowercase hex like PHP's.
pub fn sign(key: &PrivateKey, data: &Map<String, Value>) -> String {
    let md5_hex = hex::encode(Md5::digest(implode(data)));
    let mut sha = Sha1::new();
    sha.update(key.expose().as_bytes());
    sha.update(md5_hex.as_bytes());
    hex::encode(sha.finalize())
}

/// Adds the `signature` field to `data`, replacing any earlier one.
pub fn attach(key: &PrivateKey, data: &mut Map<String, Value>) {
    let signature = sign(key, data);
    data.insert(FIELD.to_owned(), Value::String(signature));
}

/// Whether `data` carries a correct `signature` (compared in constant
/// time; hex case is ignored, since PHP's `sha1()` prints lowercase but a
/// sender might not).
pub fn verify(key: &PrivateKey, data: &Map<String, Value>) -> bool {
    let Some(Value::String(given)) = data.get(FIELD) else {
        return false;
    };
    let expected = sign(key, data);
    let given = given.trim().to_ascii_lowercase();
    given.len() == expected.len() && bool::from(given.as_bytes().ct_eq(expected.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn map(v: Value) -> Map<String, Value> {
        match v {
            Value::Object(m) => m,
            _ => unreachable!("test data is an object"),
        }
    }

    #[test]
    fn the_top_level_is_sorted_and_nested_arrays_keep_their_order() {
        let data = map(json!({
            "label": "55", "amount": 1000, "is_test": false,
            "bank_details": {"branch_code": "000254", "bank_code": "MAHB0001821"},
            "signature": "ignored", "comment": null, "flag": true
        }));
        assert_eq!(
            String::from_utf8(implode(&data)).unwrap(),
            "1000:000254:MAHB0001821::1::55"
        );
    }

    #[test]
    fn a_signature_is_forty_lowercase_hex_digits_and_verifies() {
        let key = PrivateKey::new("yourprivatekey");
        let mut data = map(json!({"withdrawal_id": "1", "amount": 10}));
        attach(&key, &mut data);
        let sig = data[FIELD].as_str().unwrap().to_owned();
        assert_eq!(sig.len(), 40);
        assert_eq!(sig, sig.to_lowercase());
        assert!(verify(&key, &data));
        data.insert(FIELD.into(), Value::String(sig.to_uppercase()));
        assert!(verify(&key, &data), "hex case is not significant");
        data.insert("amount".into(), json!(11));
        assert!(!verify(&key, &data), "any change breaks it");
        assert!(!verify(&PrivateKey::new("other"), &map(json!({}))));
    }

    #[test]
    fn the_private_key_never_appears_in_debug_output() {
        let key = PrivateKey::new("pk_live_SECRET");
        let shown = format!("{key:?}");
        assert!(!shown.contains("SECRET"), "{shown}");
        assert!(shown.contains("[redacted]"), "{shown}");
    }
}
