//! The store: one interface, two engines. A desk alone keeps its data in an
//! SQLite file (`lite`); a team desk in PostgreSQL (`pg`). Every operation
//! (the `impl Store` blocks across this crate) is written once against
//! `sql::Db` and runs on either, inside `write` or `read`.

use crate::changes::Listener;
use crate::sql::Db;
use crate::{Result, StoreError};
use std::path::Path;
use std::sync::{Arc, RwLock};

pub use crate::lite::SCHEMA_VERSION;
pub use crate::sql::Engine;

pub struct Store {
    backend: Backend,
    /// Who is told the requests each commit changed (`on_change`).
    listener: Arc<RwLock<Option<Listener>>>,
    /// The desk's audit key, once the core has set it (`audit.rs`).
    pub(crate) audit_key: crate::audit::AuditKey,
    /// This process's server, once registered (`servers.rs`).
    pub(crate) server: RwLock<Option<String>>,
}

enum Backend {
    Lite(Box<crate::lite::Lite>),
    Pg(Box<crate::pg::Pg>),
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.backend {
            Backend::Lite(l) => l.fmt(f),
            Backend::Pg(p) => p.fmt(f),
        }
    }
}

impl Store {
    /// Opens (creating if needed) the SQLite database at `path`, migrating
    /// it to this binary's schema. Refuses, before changing anything, a
    /// database from a newer binary, a damaged one and one it cannot write,
    /// so a desk never half-runs on a store that will fail its first
    /// decision.
    pub fn open(path: &Path) -> Result<Store> {
        Ok(Store::with(Backend::Lite(Box::new(
            crate::lite::Lite::open(path)?,
        ))))
    }

    #[cfg(test)]
    pub(crate) fn open_checking(path: &Path, at_open: u64) -> Result<Store> {
        Ok(Store::with(Backend::Lite(Box::new(
            crate::lite::Lite::open_checking(path, at_open)?,
        ))))
    }

    /// Connects to the PostgreSQL database at `url` (a team desk), migrating
    /// it to this binary's schema; refuses one a newer binary migrated.
    pub fn connect(url: &str) -> Result<Store> {
        let listener: Arc<RwLock<Option<Listener>>> = Arc::default();
        let pg = crate::pg::Pg::connect(url, listener.clone())?;
        Ok(Store {
            backend: Backend::Pg(Box::new(pg)),
            listener,
            audit_key: Default::default(),
            server: RwLock::default(),
        })
    }

    fn with(backend: Backend) -> Store {
        Store {
            backend,
            listener: Arc::default(),
            audit_key: Default::default(),
            server: RwLock::default(),
        }
    }

    /// Which engine holds this desk's data.
    pub fn engine(&self) -> Engine {
        match self.backend {
            Backend::Lite(_) => Engine::Sqlite,
            Backend::Pg(_) => Engine::Postgres,
        }
    }

    /// The SQLite file, for a desk alone.
    pub fn path(&self) -> Option<&Path> {
        match &self.backend {
            Backend::Lite(l) => Some(l.path()),
            Backend::Pg(_) => None,
        }
    }

    /// Runs `f` as one write transaction: writers never interleave (one
    /// writer on SQLite; on PostgreSQL a transaction-scoped advisory lock
    /// shared by every server on the database), and a write never fails
    /// half-way. The listener (`on_change`) is told which requests it
    /// changed once it committed.
    pub(crate) fn write<T>(&self, f: impl FnOnce(&Db<'_>) -> Result<T>) -> Result<T> {
        match &self.backend {
            Backend::Lite(l) => l.write(&self.audit_key, &self.listener, f),
            Backend::Pg(p) => p.write(&self.audit_key, f),
        }
    }

    /// Runs `f` on a reading connection (readers never block the writer).
    pub(crate) fn read<T>(&self, f: impl FnOnce(&Db<'_>) -> Result<T>) -> Result<T> {
        match &self.backend {
            Backend::Lite(l) => l.read(f),
            Backend::Pg(p) => p.read(f),
        }
    }

    /// Who is told, after each commit, the requests it changed. On
    /// PostgreSQL that includes commits by other servers on the database.
    pub fn on_change(
        &self,
        listener: impl Fn(&[cashdesk_domain::RequestId]) + Send + Sync + 'static,
    ) {
        *self.listener.write().unwrap_or_else(|e| e.into_inner()) = Some(Arc::new(listener));
    }

    /// The engine's own consistency check, for crash tests and support:
    /// "ok" when sound.
    pub fn integrity_check(&self) -> Result<String> {
        match &self.backend {
            Backend::Lite(l) => l.integrity_check(),
            Backend::Pg(p) => p.integrity_check(),
        }
    }

    /// The SQLite file's own connection for a long read (the export), or
    /// `None` on PostgreSQL, whose pooled connections stream rows anyway.
    pub(crate) fn lite(&self) -> Option<&crate::lite::Lite> {
        match &self.backend {
            Backend::Lite(l) => Some(l),
            Backend::Pg(_) => None,
        }
    }
}

impl From<tokio_postgres::Error> for StoreError {
    /// A uniqueness clash stays a database error callers can recognise
    /// (`is_constraint`); a lost server is said as such.
    fn from(e: tokio_postgres::Error) -> Self {
        StoreError::Postgres(e)
    }
}
