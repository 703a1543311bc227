//! The background check of a large database file.
//!
//! A file over `CHECK_AT_OPEN` (db.rs) is checked on a thread of its own
//! so the window opens at once. Two choices keep that check from costing
//! every start seconds of CPU at a million requests (about 1.2 GB):
//!
//! - Each table is checked with `PRAGMA quick_check(table)`, which reads
//!   every b-tree page (tables, their indexes, and FTS5's shadow tables,
//!   which are ordinary tables) but not FTS5's own consistency walk that a
//!   bare `quick_check` adds since SQLite 3.44: that walk re-reads the
//!   whole search index and was two thirds of the time (6.5 s against
//!   2.2 s per table, measured on the benchmark's file). Page damage, what
//!   the check is for, shows in the b-tree walk.
//! - A clean result is stamped beside the file (`<db>-checked`, its
//!   mtime), and a file checked clean within `RECHECK_AFTER` is not read
//!   again: a desk restarted during a shift pays for one check a day, and
//!   SQLite still refuses any damaged page it meets meanwhile. Damage is
//!   never stamped, so it is looked for again at the next start.

use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

/// How long a clean check of a large file stands.
pub(crate) const RECHECK_AFTER: Duration = Duration::from_secs(24 * 60 * 60);

/// The stamp of the last clean check of `db`.
pub(crate) fn stamp_of(db: &Path) -> PathBuf {
    let mut s = db.as_os_str().to_owned();
    s.push("-checked");
    PathBuf::from(s)
}

fn checked_lately(db: &Path) -> bool {
    std::fs::metadata(stamp_of(db))
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| SystemTime::now().duration_since(t).ok())
        .is_some_and(|age| age < RECHECK_AFTER)
}

/// `quick_check` of every table and its indexes; "ok" or what is wrong.
fn check_tables(c: &Connection) -> rusqlite::Result<String> {
    let tables: Vec<String> = c
        .prepare(
            "SELECT name FROM sqlite_schema WHERE type = 'table'
               AND sql NOT LIKE 'CREATE VIRTUAL TABLE%'",
        )?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for name in std::iter::once("sqlite_schema".to_owned()).chain(tables) {
        let quoted = name.replace('"', "\"\"");
        let verdict: String =
            c.query_row(&format!("PRAGMA quick_check(\"{quoted}\")"), [], |r| {
                r.get(0)
            })?;
        if verdict != "ok" {
            return Ok(verdict);
        }
    }
    Ok("ok".into())
}

/// Checks `path` on a thread of its own unless it was checked clean
/// lately; damage found is put in `damage`, which refuses every write.
pub(crate) fn in_background(path: &Path, damage: Arc<Mutex<Option<String>>>) {
    if checked_lately(path) {
        return;
    }
    let path = path.to_owned();
    let spawned = std::thread::Builder::new()
        .name("cashdesk-quick-check".into())
        .spawn(move || {
            let verdict = Connection::open_with_flags(&path, OpenFlags::SQLITE_OPEN_READ_ONLY)
                .and_then(|c| check_tables(&c))
                .unwrap_or_else(|e| e.to_string());
            if verdict == "ok" {
                if let Err(e) = std::fs::write(stamp_of(&path), b"") {
                    tracing::warn!("could not note the database check: {e}");
                }
            } else {
                tracing::error!(path = %path.display(), "the database is damaged: {verdict}");
                *damage.lock().unwrap_or_else(|e| e.into_inner()) = Some(verdict);
            }
        });
    if let Err(e) = spawned {
        tracing::warn!("could not start the database check: {e}");
    }
}

#[cfg(test)]
mod tests {
    use crate::{Store, StoreError};

    fn filled(path: &std::path::Path) {
        let s = Store::open(path).unwrap();
        for i in 0..400 {
            s.put_cache(&format!("k{i}"), &"v".repeat(2000)).unwrap();
        }
    }

    fn scribble(path: &std::path::Path) {
        let mut bytes = std::fs::read(path).unwrap();
        let len = bytes.len();
        for b in &mut bytes[len / 2..len / 2 + 16384] {
            *b = 0x5a;
        }
        std::fs::write(path, &bytes).unwrap();
    }

    /// Waits for the background check to refuse a write; false if it
    /// never does within 10 s.
    fn refused(s: &Store) -> bool {
        let start = std::time::Instant::now();
        while start.elapsed() < std::time::Duration::from_secs(10) {
            if let Err(StoreError::Damaged { detail, .. }) = s.put_cache("after", "x") {
                assert_ne!(detail, "ok");
                return true;
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        false
    }

    /// A file too large to check before start is checked in the background;
    /// the damage it finds refuses every write from then on, and is not
    /// stamped as checked.
    #[test]
    fn a_large_file_is_checked_in_the_background_and_damage_stops_writes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.db");
        filled(&path);
        scribble(&path);
        let s = Store::open_checking(&path, 0).expect("opens at once");
        assert!(refused(&s), "the background check never refused a write");
        assert!(!super::stamp_of(&path).exists(), "damage is not stamped");
        drop(s);
        assert!(
            matches!(Store::open(&path), Err(StoreError::Damaged { .. })),
            "small: refused at open"
        );
    }

    /// A clean check is stamped and not repeated within a day; an old
    /// stamp is checked again.
    #[test]
    fn a_clean_check_stands_for_a_day() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.db");
        filled(&path);
        let stamp = super::stamp_of(&path);
        {
            let _s = Store::open_checking(&path, 0).unwrap();
            let start = std::time::Instant::now();
            while !stamp.exists() {
                assert!(start.elapsed() < std::time::Duration::from_secs(10));
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
        }
        // Damage after a clean check: not looked for again the same day…
        scribble(&path);
        let s = Store::open_checking(&path, 0).unwrap();
        std::thread::sleep(std::time::Duration::from_millis(500));
        assert!(
            s.put_cache("after", "x").is_ok(),
            "checked again within the day"
        );
        drop(s);
        // …but once the stamp is older than a day, it is.
        let old = std::time::SystemTime::now()
            - super::RECHECK_AFTER
            - std::time::Duration::from_secs(60);
        std::fs::File::options()
            .write(true)
            .open(&stamp)
            .unwrap()
            .set_modified(old)
            .unwrap();
        let s = Store::open_checking(&path, 0).unwrap();
        assert!(refused(&s), "an old stamp did not bring the check back");
    }
}
