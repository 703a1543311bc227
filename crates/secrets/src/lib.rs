//! Provider secrets live only in the OS keychain. There is deliberately no
//! fallback: when no keychain is usable the caller gets
//! [`SecretError::Unavailable`] with a message saying what to fix, and
//! nothing is stored anywhere else.

use cashdesk_domain::AccountId;

/// The workspace's one redacting secret type (see `cashdesk_http::Secret`).
pub use cashdesk_http::Secret;

#[derive(Debug, thiserror::Error)]
pub enum SecretError {
    #[error(
        "The system keychain is not available ({detail}). Start or unlock your keyring (GNOME Keyring, KWallet or another Secret Service) and try again. Cashdesk never stores secrets anywhere else, so nothing was saved."
    )]
    Unavailable { detail: String },
    #[error("no {name} is stored for this provider account; add it again in Settings")]
    Missing { name: String },
    #[error("the keychain refused the secret: {0}")]
    Rejected(String),
}

/// Entries are named `<service>` / `<account id>:<secret name>`. Tests use
/// their own service name so they never touch a real user's entries.
#[derive(Debug, Clone)]
pub struct Keychain {
    service: String,
}

impl Keychain {
    pub const APP_SERVICE: &'static str = "dev.cashdesk.app";

    pub fn new(service: &str) -> Self {
        Self {
            service: service.to_owned(),
        }
    }

    fn entry(&self, account: AccountId, name: &str) -> Result<keyring::Entry, SecretError> {
        keyring::Entry::new(&self.service, &format!("{account}:{name}")).map_err(map_err)
    }

    pub fn store(
        &self,
        account: AccountId,
        name: &str,
        secret: &Secret,
    ) -> Result<(), SecretError> {
        self.entry(account, name)?
            .set_password(secret.expose())
            .map_err(map_err)
    }

    pub fn load(&self, account: AccountId, name: &str) -> Result<Secret, SecretError> {
        match self.entry(account, name)?.get_password() {
            Ok(v) => Ok(Secret::new(v)),
            Err(keyring::Error::NoEntry) => Err(SecretError::Missing {
                name: name.to_owned(),
            }),
            Err(e) => Err(map_err(e)),
        }
    }

    /// Removing an entry that is already gone is not an error.
    pub fn delete(&self, account: AccountId, name: &str) -> Result<(), SecretError> {
        match self.entry(account, name)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(map_err(e)),
        }
    }

    /// Secrets of the app itself (not of a provider account), named
    /// `app:<name>`, e.g. the intake API's bearer token.
    fn app_entry(&self, name: &str) -> Result<keyring::Entry, SecretError> {
        keyring::Entry::new(&self.service, &format!("app:{name}")).map_err(map_err)
    }

    pub fn store_app(&self, name: &str, secret: &Secret) -> Result<(), SecretError> {
        self.app_entry(name)?
            .set_password(secret.expose())
            .map_err(map_err)
    }

    pub fn load_app(&self, name: &str) -> Result<Secret, SecretError> {
        match self.app_entry(name)?.get_password() {
            Ok(v) => Ok(Secret::new(v)),
            Err(keyring::Error::NoEntry) => Err(SecretError::Missing {
                name: name.to_owned(),
            }),
            Err(e) => Err(map_err(e)),
        }
    }

    pub fn delete_app(&self, name: &str) -> Result<(), SecretError> {
        match self.app_entry(name)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(map_err(e)),
        }
    }

    pub fn service(&self) -> &str {
        &self.service
    }

    /// Stores all of an account's secrets or none: on a failure the ones
    /// already written are removed again.
    pub fn store_all(
        &self,
        account: AccountId,
        secrets: &[(&str, &Secret)],
    ) -> Result<(), SecretError> {
        for (i, (name, secret)) in secrets.iter().enumerate() {
            if let Err(e) = self.store(account, name, secret) {
                for (done, _) in &secrets[..i] {
                    let _ = self.delete(account, done);
                }
                return Err(e);
            }
        }
        Ok(())
    }
}

fn map_err(e: keyring::Error) -> SecretError {
    match e {
        keyring::Error::PlatformFailure(inner) => SecretError::Unavailable {
            detail: inner.to_string(),
        },
        keyring::Error::NoStorageAccess(inner) => SecretError::Unavailable {
            detail: format!("locked or refused: {inner}"),
        },
        other => SecretError::Rejected(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_never_print() {
        let s = Secret::new("sk_live_123");
        assert_eq!(format!("{s:?}"), "Secret([redacted])");
        assert!(!format!("{:?}", Some(&s)).contains("sk_live"));
    }
}
