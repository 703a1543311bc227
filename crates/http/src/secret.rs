//! The one type for a secret value in every crate (keychain entries,
//! provider keys and signing secrets): `Debug` redacts it, and it has no
//! `Display` and no `Serialize`, so it cannot reach a log, an error text
//! or an IPC answer by accident.

use std::fmt;

#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The value, for the one place that must send it (a header, a query
    /// parameter, an HMAC or signature key).
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret([redacted])")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_never_shows_the_value() {
        let s = Secret::new("pk_live_123");
        assert_eq!(format!("{s:?}"), "Secret([redacted])");
        assert_eq!(format!("{:?}", Some(s.clone())), "Some(Secret([redacted]))");
        assert_eq!(s.expose(), "pk_live_123");
    }
}
