//! Operators' passwords and PINs, hashed with Argon2id. Parameters: 19 MiB
//! of memory, 2 passes, 1 lane (the OWASP minimum for Argon2id); the PHC
//! string stores them, so raising them later still verifies old hashes.

use crate::error::{CoreError, CoreResult};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use cashdesk_store::SecretKind;

/// Memory in KiB, passes and lanes (see the module's doc).
const PARAMS: (u32, u32, u32) = (19 * 1024, 2, 1);

fn argon2() -> Argon2<'static> {
    let (m, t, p) = PARAMS;
    // The constants are valid Argon2 parameters; `default` is never used.
    let params = Params::new(m, t, p, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Checks a new secret against its kind's rules.
pub(crate) fn check(kind: SecretKind, secret: &str) -> CoreResult<()> {
    let n = secret.chars().count();
    let ok = match kind {
        SecretKind::Password => (8..=128).contains(&n),
        SecretKind::Pin => (4..=12).contains(&n) && secret.bytes().all(|b| b.is_ascii_digit()),
    };
    if ok {
        return Ok(());
    }
    Err(CoreError::Invalid(match kind {
        SecretKind::Password => "A password needs 8 to 128 characters".into(),
        SecretKind::Pin => "A PIN is 4 to 12 digits".into(),
    }))
}

/// The PHC string of `secret` with a fresh random salt.
pub(crate) fn hash(secret: &str) -> CoreResult<String> {
    let salt = SaltString::encode_b64(&rand::random::<[u8; 16]>())
        .map_err(|e| CoreError::Invalid(format!("salt: {e}")))?;
    argon2()
        .hash_password(secret.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| CoreError::Invalid(format!("could not hash the secret: {e}")))
}

/// Whether `secret` matches the stored PHC string (an empty or damaged
/// hash matches nothing).
pub(crate) fn verify(secret: &str, phc: &str) -> bool {
    PasswordHash::new(phc)
        .map(|h| argon2().verify_password(secret.as_bytes(), &h).is_ok())
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_its_secret_only() {
        let h = hash("correct horse").unwrap();
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{h}");
        assert!(verify("correct horse", &h));
        assert!(!verify("correct horsE", &h));
        assert!(!verify("correct horse", ""));
        assert_ne!(hash("correct horse").unwrap(), h, "salted");
    }

    #[test]
    fn pins_are_digits_and_passwords_are_long_enough() {
        assert!(check(SecretKind::Pin, "0451").is_ok());
        assert!(check(SecretKind::Pin, "04a1").is_err());
        assert!(check(SecretKind::Pin, "045").is_err());
        assert!(check(SecretKind::Password, "short").is_err());
        assert!(check(SecretKind::Password, "long enough").is_ok());
    }
}
