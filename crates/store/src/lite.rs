//! The SQLite engine (a desk alone): opening the file (pragmas,
//! migrations, checks) and the one-writer, few-readers split.

use crate::sql::{Db, params};
use crate::{Result, StoreError};
use rusqlite::{Connection, OpenFlags, TransactionBehavior};
use rusqlite_migration::{M, Migrations};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

/// Embedded and append-only: a released entry is never edited.
const MIGRATIONS: &[&str] = &[
    include_str!("migrations/0001_init.sql"),
    include_str!("migrations/0002_outbox_follow_up.sql"),
    include_str!("migrations/0003_inbound_unmatched.sql"),
    include_str!("migrations/0004_lookups.sql"),
    include_str!("migrations/0005_settled_amount.sql"),
    include_str!("migrations/0006_quarantine.sql"),
    include_str!("migrations/0007_operators.sql"),
    include_str!("migrations/0008_supervise.sql"),
    include_str!("migrations/0009_overview_shifts.sql"),
    include_str!("migrations/0010_search.sql"),
    include_str!("migrations/0011_due.sql"),
    include_str!("migrations/0012_risk.sql"),
    include_str!("migrations/0013_breach.sql"),
    include_str!("migrations/0014_method_sla.sql"),
    include_str!("migrations/0015_choices.sql"),
    include_str!("migrations/0016_servers.sql"),
    include_str!("migrations/0017_team_sessions.sql"),
];

/// The SQLite schema version this binary writes (`PRAGMA user_version`).
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

const READERS: usize = 3;

/// Prepared statements kept per connection (see `open_checking`).
const STATEMENTS: usize = 256;

/// Up to this size a file is checked (`PRAGMA quick_check`, which reads it
/// whole) before the desk starts: well under a second. A larger one (a
/// million requests is about a gigabyte) is checked in the background, so
/// the window opens at once; damage found then refuses every write with
/// the same message, and SQLite refuses a damaged page it meets meanwhile
/// (`check.rs`: per table, and once a day).
const CHECK_AT_OPEN: u64 = 64 * 1024 * 1024;

pub(crate) struct Lite {
    path: PathBuf,
    writer: Mutex<Connection>,
    readers: Vec<Mutex<Connection>>,
    /// Rows the transaction under way wrote (filled by the update hook).
    touched: std::sync::Arc<crate::changes::Touched>,
    /// What the background check of a large file found wrong, if anything:
    /// every write is refused from then on.
    damage: Arc<Mutex<Option<String>>>,
    /// Declared last: dropped after the writer, so its final checkpoint
    /// sees every commit.
    checkpointer: crate::checkpoint::Checkpointer,
}

impl std::fmt::Debug for Lite {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Lite").field("path", &self.path).finish()
    }
}

impl Lite {
    /// Opens (creating if needed) the database at `path`, migrating it to
    /// this binary's schema. Refuses, before changing anything, a database
    /// from a newer binary, a damaged one (`PRAGMA quick_check`) and one it
    /// cannot write (a write probe in the data folder and on the file), so
    /// a desk never half-runs on a store that will fail its first decision.
    pub(crate) fn open(path: &Path) -> Result<Lite> {
        Lite::open_checking(path, CHECK_AT_OPEN)
    }

    /// `open`, checking a file up to `at_open` bytes before returning and a
    /// larger one in the background (see `CHECK_AT_OPEN`).
    pub(crate) fn open_checking(path: &Path, at_open: u64) -> Result<Lite> {
        let shown = path.display().to_string();
        if let Some(dir) = path.parent() {
            private_folder(dir).map_err(|source| StoreError::Io {
                path: dir.display().to_string(),
                source,
            })?;
            probe_folder(dir, &shown)?;
        }
        let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
        let existed = size > 0;
        if !existed {
            private_file(path).map_err(|source| StoreError::Io {
                path: shown.clone(),
                source,
            })?;
        }
        if existed {
            std::fs::OpenOptions::new()
                .append(true)
                .open(path)
                .map_err(|e| read_only(&shown, e.to_string()))?;
        }
        let damaged = |e: rusqlite::Error| classify_open(&shown, e);
        let mut writer = Connection::open(path).map_err(damaged)?;
        writer.busy_timeout(std::time::Duration::from_secs(5))?;
        // Refuse a newer schema first: nothing below may touch its file.
        let found: i64 = writer
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .map_err(damaged)?;
        if found > SCHEMA_VERSION {
            return Err(StoreError::DatabaseTooNew {
                found,
                supported: SCHEMA_VERSION,
            });
        }
        if existed && size <= at_open {
            let verdict: String = writer
                .query_row("PRAGMA quick_check", [], |r| r.get(0))
                .map_err(damaged)?;
            if verdict != "ok" {
                return Err(StoreError::Damaged {
                    path: shown,
                    detail: verdict,
                });
            }
        }
        writer
            .pragma_update(None, "journal_mode", "WAL")
            .map_err(damaged)?;
        writer.pragma_update(None, "synchronous", "FULL")?;
        writer.pragma_update(None, "foreign_keys", "ON")?;
        // A decision's statements need small temporary tables (IN lists,
        // statement journals): kept in memory, not a file created and
        // unlinked in /var/tmp every other decision.
        writer.pragma_update(None, "temp_store", "MEMORY")?;
        // Every store operation's statements stay compiled: rusqlite keeps
        // 16 by default, fewer than one decision and its neighbours use.
        writer.set_prepared_statement_cache_capacity(STATEMENTS);
        let migrations = Migrations::new(MIGRATIONS.iter().map(|sql| M::up(sql)).collect());
        // All-or-nothing: rusqlite_migration runs the pending steps in one transaction.
        migrations.to_latest(&mut writer)?;
        crate::checkpoint::install(&writer)?;
        let checkpointer = crate::checkpoint::Checkpointer::start(path)?;

        let readers = (0..READERS)
            .map(|_| {
                let c = Connection::open_with_flags(
                    path,
                    OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
                )?;
                c.busy_timeout(std::time::Duration::from_secs(5))?;
                c.set_prepared_statement_cache_capacity(STATEMENTS);
                Ok(Mutex::new(c))
            })
            .collect::<Result<Vec<_>>>()?;
        let touched = std::sync::Arc::new(crate::changes::Touched::default());
        crate::changes::watch(&writer, touched.clone());
        let damage = Arc::new(Mutex::new(None));
        if existed && size > at_open {
            crate::check::in_background(path, damage.clone());
        }
        Ok(Lite {
            path: path.to_owned(),
            writer: Mutex::new(writer),
            readers,
            touched,
            damage,
            checkpointer,
        })
    }

    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// Runs `f` in a `BEGIN IMMEDIATE` transaction on the one writer, so
    /// writers never interleave and a write never fails half-way on a lock.
    /// After the commit, the listener (`on_change`) is told which requests
    /// it changed.
    pub(crate) fn write<T>(
        &self,
        audit_key: &crate::audit::AuditKey,
        listener: &std::sync::RwLock<Option<crate::changes::Listener>>,
        f: impl FnOnce(&Db<'_>) -> Result<T>,
    ) -> Result<T> {
        if let Some(detail) = self
            .damage
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
        {
            return Err(StoreError::Damaged {
                path: self.path.display().to_string(),
                detail,
            });
        }
        let mut conn = lock(&self.writer);
        // Leftovers of a transaction that rolled back announce nothing.
        self.touched.take();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let out = f(&Db::lite(&tx).with_audit_key(audit_key))?;
        tx.commit()?;
        let pages = crate::checkpoint::pages_after_commit();
        if self.checkpointer.after_commit(pages) {
            // The thread is far behind: bound the log here, as SQLite would.
            match crate::checkpoint::passive(&conn) {
                Ok(frames) => self.checkpointer.copied_by_writer(frames),
                Err(e) => tracing::warn!(error = %e, "WAL checkpoint on the writer failed"),
            }
        }
        let rows = self.touched.take();
        let listener = listener.read().unwrap_or_else(|e| e.into_inner()).clone();
        let changed = match &listener {
            Some(_) if !rows.is_empty() => crate::changes::requests_of(&conn, &rows),
            _ => Vec::new(),
        };
        drop(conn);
        if let (Some(tell), false) = (listener, changed.is_empty()) {
            tell(&changed);
        }
        Ok(out)
    }

    /// Runs `f` on a read-only connection (WAL: readers never block the writer).
    pub(crate) fn read<T>(&self, f: impl FnOnce(&Db<'_>) -> Result<T>) -> Result<T> {
        for r in &self.readers {
            if let Ok(conn) = r.try_lock() {
                return f(&Db::lite(&conn));
            }
        }
        f(&Db::lite(&lock(&self.readers[0])))
    }

    /// `PRAGMA integrity_check`, for crash tests and support.
    pub(crate) fn integrity_check(&self) -> Result<String> {
        self.read(|c| c.query_row("PRAGMA integrity_check", params![], |r| r.get(0)))
    }
}

/// Creates, writes, syncs and removes a file in the data folder: a
/// read-only or unwritable folder is refused at open, not at the first
/// decision (SQLite also needs it for the WAL and shared-memory files).
fn probe_folder(dir: &Path, shown: &str) -> Result<()> {
    use std::io::Write;
    let probe = dir.join(format!(".cashdesk-write-probe-{}", std::process::id()));
    let written = std::fs::File::create(&probe).and_then(|mut f| {
        f.write_all(b"probe")?;
        f.sync_all()
    });
    let _ = std::fs::remove_file(&probe);
    written.map_err(|e| read_only(shown, format!("its folder refuses writes: {e}")))
}

fn read_only(shown: &str, detail: String) -> StoreError {
    StoreError::ReadOnly {
        path: shown.to_owned(),
        detail,
    }
}

/// Names what went wrong opening an existing file in the user's terms.
fn classify_open(shown: &str, e: rusqlite::Error) -> StoreError {
    use rusqlite::ErrorCode as C;
    match e.sqlite_error_code() {
        Some(C::NotADatabase | C::DatabaseCorrupt) => StoreError::Damaged {
            path: shown.to_owned(),
            detail: e.to_string(),
        },
        Some(C::ReadOnly | C::CannotOpen | C::PermissionDenied) => read_only(shown, e.to_string()),
        _ => e.into(),
    }
}

/// A poisoned lock only means another thread panicked mid-call; SQLite's own
/// transaction rolled back, so the connection is still sound.
fn lock(m: &Mutex<Connection>) -> MutexGuard<'_, Connection> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Creates the data folder (and missing parents) readable by this user
/// only: it holds every request, screenshot and audit entry.
fn private_folder(dir: &Path) -> std::io::Result<()> {
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut b, 0o700);
    b.create(dir)
}

/// Creates an empty database file readable and writable by this user only;
/// SQLite gives its `-wal` and `-shm` files the same permissions.
fn private_file(path: &Path) -> std::io::Result<()> {
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create(true).truncate(false);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut o, 0o600);
    o.open(path).map(drop)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Store;

    #[test]
    fn a_new_database_is_migrated_to_this_schema() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("c.db")).unwrap();
        let v: i64 = store
            .read(|c| {
                Ok(c.as_sqlite()
                    .unwrap()
                    .pragma_query_value(None, "user_version", |r| r.get(0))?)
            })
            .unwrap();
        assert_eq!(v, SCHEMA_VERSION);
        let mode: String = store
            .read(|c| {
                Ok(c.as_sqlite()
                    .unwrap()
                    .pragma_query_value(None, "journal_mode", |r| r.get(0))?)
            })
            .unwrap();
        assert_eq!(mode, "wal");
        assert_eq!(store.integrity_check().unwrap(), "ok");
    }

    #[test]
    fn reopening_keeps_data_and_schema() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.db");
        drop(Store::open(&path).unwrap());
        assert!(
            Store::open(&path).is_ok(),
            "reopening a current database must work"
        );
    }

    #[test]
    fn a_database_from_a_newer_binary_is_refused_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.db");
        drop(Store::open(&path).unwrap());
        let c = Connection::open(&path).unwrap();
        c.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
            .unwrap();
        drop(c);
        let err = Store::open(&path).unwrap_err();
        assert!(
            matches!(err, StoreError::DatabaseTooNew { found, .. } if found == SCHEMA_VERSION + 1)
        );
        assert!(err.to_string().contains("newer Cashdesk"), "{err}");
        let c = Connection::open(&path).unwrap();
        let v: i64 = c
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(
            v,
            SCHEMA_VERSION + 1,
            "refusing must not touch the database"
        );
    }

    /// Decisions no longer fold the log into the file themselves, yet the
    /// log stays bounded: the checkpointer thread copies it and SQLite
    /// rewinds it, and the last checkpoint on close leaves nothing behind.
    #[test]
    fn the_log_is_checkpointed_off_the_writer_and_stays_bounded() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.db");
        let store = Store::open(&path).unwrap();
        let auto: i64 = store
            .write(|tx| {
                Ok(tx
                    .as_sqlite()
                    .unwrap()
                    .pragma_query_value(None, "wal_autocheckpoint", |r| r.get(0))?)
            })
            .unwrap();
        assert_eq!(auto, 0, "the committing thread must not checkpoint");
        let wal = dir.path().join("c.db-wal");
        let mut largest = 0;
        for i in 0..6000 {
            store
                .write(|tx| {
                    tx.execute(
                        "INSERT INTO settings (key, value) VALUES (?1, ?2)
                         ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                        params![format!("bench.{}", i % 50), "x".repeat(3000)],
                    )?;
                    Ok(())
                })
                .unwrap();
            largest = largest.max(std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0));
        }
        let page = 4096 + 24;
        assert!(
            largest < (crate::checkpoint::HARD_PAGES as u64 + 100) * page,
            "the log grew to {largest} bytes"
        );
        let kept: i64 = store
            .read(|c| {
                c.query_row(
                    "SELECT count(*) FROM settings WHERE key LIKE 'bench.%'",
                    params![],
                    |r| r.get(0),
                )
            })
            .unwrap();
        assert_eq!(kept, 50);
        drop(store);
        let left = std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0);
        assert_eq!(left, 0, "closing checkpoints and removes the log");
        let c = Connection::open(&path).unwrap();
        let n: i64 = c
            .query_row(
                "SELECT count(*) FROM settings WHERE key LIKE 'bench.%'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(n, 50);
    }

    /// A burst of decisions is not checkpointed after every commit (the
    /// thread waits for a lull, as long as the backlog allows), and after
    /// a lull the log is copied and rewinds.
    #[test]
    fn the_log_is_checkpointed_in_a_lull_and_rewinds() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("c.db")).unwrap();
        let lite = store.lite().unwrap();
        let commit = |i: usize| {
            store
                .write(|tx| {
                    tx.execute(
                        "INSERT INTO settings (key, value) VALUES (?1, ?2)
                         ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                        params![format!("burst.{}", i % 50), format!("{i:03000}")],
                    )?;
                    Ok(())
                })
                .unwrap()
        };
        let (_, before) = lite.checkpointer.seen();
        let burst = 1500;
        for i in 0..burst {
            commit(i);
        }
        let (pages, runs) = lite.checkpointer.seen();
        assert!(
            pages >= crate::checkpoint::SOFT_PAGES,
            "{pages} pages, {} runs",
            runs - before
        );
        // Woken by length alone, the thread ran about once per commit
        // past the first thousand pages; a slow commit may allow one.
        assert!(
            (runs - before) * 10 < burst as u64,
            "{} checkpoints in a burst of {burst}",
            runs - before
        );
        std::thread::sleep(std::time::Duration::from_millis(500));
        commit(0);
        let (pages, _) = lite.checkpointer.seen();
        assert!(pages < 10, "the log did not rewind: {pages} pages");
    }
}
