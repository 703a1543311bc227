//! A desk server's secrets in a file only its user may read: a headless
//! server has no desktop keyring. The file is a JSON object of entry name
//! to value; it is rewritten whole (a temporary file, synced, renamed) so
//! a crash leaves the old or the new file, never half of one. A file the
//! server may not write (a systemd credential, `LoadCredential=`) serves
//! reads; adding a secret then says where to put it.

use crate::SecretError;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

#[derive(Debug)]
pub(crate) struct SecretsFile {
    path: PathBuf,
    /// One writer at a time within the process.
    lock: Mutex<()>,
}

fn unavailable(path: &Path, what: impl std::fmt::Display) -> SecretError {
    SecretError::Unavailable {
        detail: format!("the secrets file {}: {what}", path.display()),
    }
}

impl SecretsFile {
    pub(crate) fn new(path: PathBuf) -> SecretsFile {
        SecretsFile {
            path,
            lock: Mutex::new(()),
        }
    }

    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    fn read(&self) -> Result<BTreeMap<String, String>, SecretError> {
        match std::fs::read(&self.path) {
            Ok(bytes) if bytes.iter().all(u8::is_ascii_whitespace) => Ok(BTreeMap::new()),
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| {
                unavailable(
                    &self.path,
                    format!("not a JSON object of names to values ({e})"),
                )
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(BTreeMap::new()),
            Err(e) => Err(unavailable(&self.path, e)),
        }
    }

    pub(crate) fn get(&self, name: &str) -> Result<Option<String>, SecretError> {
        let _one = self.lock.lock().unwrap_or_else(|e| e.into_inner());
        Ok(self.read()?.remove(name))
    }

    /// Sets (`Some`) or removes (`None`) one entry.
    pub(crate) fn put(&self, name: &str, value: Option<&str>) -> Result<(), SecretError> {
        let _one = self.lock.lock().unwrap_or_else(|e| e.into_inner());
        let mut all = self.read()?;
        let changed = match value {
            Some(v) => all.insert(name.to_owned(), v.to_owned()).as_deref() != Some(v),
            None => all.remove(name).is_some(),
        };
        if changed {
            self.write(&all)?;
        }
        Ok(())
    }

    fn write(&self, all: &BTreeMap<String, String>) -> Result<(), SecretError> {
        let dir = self.path.parent().unwrap_or(Path::new("."));
        let tmp = self.path.with_extension("tmp");
        let fail = |e: std::io::Error| {
            let _ = std::fs::remove_file(&tmp);
            if e.kind() == std::io::ErrorKind::PermissionDenied
                || e.raw_os_error() == Some(30 /* EROFS */)
            {
                unavailable(
                    &self.path,
                    "read-only here (a systemd credential?): add the secret to the file the \
                     server's credential is loaded from, then restart the server",
                )
            } else {
                unavailable(&self.path, e)
            }
        };
        let mut opts = std::fs::OpenOptions::new();
        opts.write(true).create(true).truncate(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            opts.mode(0o600);
        }
        let mut f = opts.open(&tmp).map_err(fail)?;
        let text = serde_json::to_vec_pretty(all).map_err(|e| unavailable(&self.path, e))?;
        f.write_all(&text).map_err(fail)?;
        f.sync_all().map_err(fail)?;
        std::fs::rename(&tmp, &self.path).map_err(fail)?;
        // The rename itself must survive a crash.
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
        Ok(())
    }
}
