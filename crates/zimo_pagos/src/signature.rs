//! `Payload-Signature`: lowercase hex HMAC-SHA256 of the raw JSON body,
//! keyed with the account's signing secret (`PRODUCT.md`).
//!
//! The signature covers bytes, not a value: the client serialises a body
//! once, signs those bytes and sends those same bytes, so no re-encoding
//! (key order, number format, escaping) can ever make them disagree.

use hmac::{Hmac, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;

type HmacSha256 = Hmac<Sha256>;

/// The header value for `body`: 64 lowercase hex digits.
pub fn sign(secret: &[u8], body: &[u8]) -> String {
    // HMAC accepts keys of any length, so this cannot fail.
    let mut mac = <HmacSha256 as Mac>::new_from_slice(secret).expect("HMAC takes any key length");
    mac.update(body);
    hex::encode(mac.finalize().into_bytes())
}

/// Whether `header` is the signature of exactly `body` (constant time).
/// The document says the value is case sensitive and lowercase, so an
/// uppercase rendering is refused.
pub fn verify(secret: &[u8], body: &[u8], header: &str) -> bool {
    let expected = sign(secret, body);
    expected.as_bytes().ct_eq(header.trim().as_bytes()).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_is_rfc_4231_hmac_sha256_in_lowercase_hex() {
        // RFC 4231 test case 2
        assert_eq!(
            sign(b"Jefe", b"what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn any_change_to_the_bytes_or_the_secret_breaks_the_signature() {
        let body = br#"{"login":"l","amount":10.50}"#;
        let sig = sign(b"secret", body);
        assert!(verify(b"secret", body, &sig));
        assert!(!verify(b"secret", br#"{"login":"l","amount":10.5}"#, &sig));
        assert!(!verify(b"other", body, &sig));
        assert!(!verify(b"secret", body, &sig.to_uppercase()));
        assert!(!verify(b"secret", body, ""));
    }
}
