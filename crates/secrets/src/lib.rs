//! Provider secrets live only in the OS keychain. There is deliberately no
//! fallback: when no keychain is usable the caller gets
//! [`SecretError::Unavailable`] with a message saying what to fix, and
//! nothing is stored anywhere else. A headless desk server, which has no
//! keyring, is configured with a secrets file instead ([`Keychain::in_file`]).

mod file;

use cashdesk_domain::AccountId;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

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
    /// A desk server's secrets file, in place of the OS keychain.
    file: Option<Arc<file::SecretsFile>>,
    /// Provider accounts' secrets read from the OS keychain, shared by
    /// every clone. Each keychain read is a new D-Bus connection and a
    /// Secret Service round trip, and pollers and probes ask for the same
    /// keys every few seconds (an idle desk's CPU). An account's secrets
    /// are written only when it is added and removed with it, through
    /// this keychain, whose `set` and `remove` keep the copy true. A
    /// missing entry is remembered for [`MISS_KEPT`] (an account without
    /// its key would otherwise cost a round trip for each request the
    /// poller looks at); an unavailable keychain is asked again each time,
    /// and the app's own secrets (the intake token, which a rotation may
    /// change from another handle) are never kept.
    read: Arc<Mutex<HashMap<String, Kept>>>,
}

/// How long a missing entry is believed missing. Entries are added
/// through this handle, which forgets the miss at once; the wait only
/// bounds how long a key added behind its back (e.g. with `secret-tool`)
/// goes unseen.
pub const MISS_KEPT: std::time::Duration = std::time::Duration::from_secs(300);

/// A kept answer of the keychain: the value, or none since `Instant`.
#[derive(Debug, Clone)]
enum Kept {
    Found(String),
    Missing(std::time::Instant),
}

impl Keychain {
    pub const APP_SERVICE: &'static str = "dev.cashdesk.app";

    pub fn new(service: &str) -> Self {
        Self {
            service: service.to_owned(),
            file: None,
            read: Arc::default(),
        }
    }

    /// Secrets kept in `path` (a JSON object, mode 0600) instead of the
    /// OS keychain: for a headless desk server.
    pub fn in_file(service: &str, path: std::path::PathBuf) -> Self {
        Self {
            service: service.to_owned(),
            file: Some(Arc::new(file::SecretsFile::new(path))),
            read: Arc::default(),
        }
    }

    /// The secrets file, when secrets are kept in one.
    pub fn file(&self) -> Option<&std::path::Path> {
        self.file.as_deref().map(file::SecretsFile::path)
    }

    /// Reads `user`'s entry; `keep`: from and into the kept copies.
    fn get(&self, user: &str, keep: bool) -> Result<Option<String>, SecretError> {
        if let Some(f) = &self.file {
            return f.get(user);
        }
        // Held across the keychain call, so a read never keeps a value
        // that a write beside it has just replaced.
        let mut kept = self.kept();
        if keep {
            match kept.get(user) {
                Some(Kept::Found(v)) => return Ok(Some(v.clone())),
                Some(Kept::Missing(since)) if since.elapsed() < MISS_KEPT => return Ok(None),
                _ => {}
            }
        }
        let answer = match twice(|| keyring::Entry::new(&self.service, user)?.get_password()) {
            Ok(v) => Kept::Found(v),
            Err(keyring::Error::NoEntry) => Kept::Missing(std::time::Instant::now()),
            Err(e) => return Err(map_err(e)),
        };
        if keep {
            kept.insert(user.to_owned(), answer.clone());
        }
        Ok(match answer {
            Kept::Found(v) => Some(v),
            Kept::Missing(_) => None,
        })
    }

    fn set(&self, user: &str, value: &str) -> Result<(), SecretError> {
        if let Some(f) = &self.file {
            return f.put(user, Some(value));
        }
        // Forgotten first: after a failed write the keychain may hold
        // either value, so it is asked again.
        let mut kept = self.kept();
        kept.remove(user);
        twice(|| keyring::Entry::new(&self.service, user)?.set_password(value)).map_err(map_err)
        // Read back (and kept) on first use.
    }

    fn kept(&self) -> std::sync::MutexGuard<'_, HashMap<String, Kept>> {
        self.read
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Removing an entry that is already gone is not an error.
    fn remove(&self, user: &str) -> Result<(), SecretError> {
        if let Some(f) = &self.file {
            return f.put(user, None);
        }
        let mut kept = self.kept();
        kept.remove(user);
        match twice(|| keyring::Entry::new(&self.service, user)?.delete_credential()) {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(map_err(e)),
        }
    }

    fn found(v: Option<String>, name: &str) -> Result<Secret, SecretError> {
        v.map(Secret::new).ok_or_else(|| SecretError::Missing {
            name: name.to_owned(),
        })
    }

    pub fn store(
        &self,
        account: AccountId,
        name: &str,
        secret: &Secret,
    ) -> Result<(), SecretError> {
        self.set(&format!("{account}:{name}"), secret.expose())
    }

    pub fn load(&self, account: AccountId, name: &str) -> Result<Secret, SecretError> {
        Self::found(self.get(&format!("{account}:{name}"), true)?, name)
    }

    /// Removing an entry that is already gone is not an error.
    pub fn delete(&self, account: AccountId, name: &str) -> Result<(), SecretError> {
        self.remove(&format!("{account}:{name}"))
    }

    /// Secrets of the app itself (not of a provider account), named
    /// `app:<name>`, e.g. the intake API's bearer token.
    pub fn store_app(&self, name: &str, secret: &Secret) -> Result<(), SecretError> {
        self.set(&format!("app:{name}"), secret.expose())
    }

    pub fn load_app(&self, name: &str) -> Result<Secret, SecretError> {
        Self::found(self.get(&format!("app:{name}"), false)?, name)
    }

    pub fn delete_app(&self, name: &str) -> Result<(), SecretError> {
        self.remove(&format!("app:{name}"))
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

/// Runs a keychain call again once when the Secret Service failed under
/// it: a keyring daemon that died mid-call (gnome-keyring aborts when a
/// client vanishes in the middle of one) is started again by D-Bus on the
/// next call. Reading, writing and deleting an entry are all safe to repeat.
fn twice<T>(call: impl Fn() -> keyring::Result<T>) -> keyring::Result<T> {
    match call() {
        Err(keyring::Error::PlatformFailure(e)) => {
            tracing::debug!("keychain call failed, trying once more: {e}");
            call()
        }
        done => done,
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
