//! WAL checkpoints off the decision path.
//!
//! SQLite's auto-checkpoint runs inside the commit that crosses 1,000 WAL
//! pages, so one decision in a thousand also copies the log into the
//! database and fsyncs it: that commit's latency is the approve p99. Here
//! the writer only counts the log (a WAL hook) and wakes a thread of our
//! own, which checkpoints on its own connection while decisions go on.
//! A passive checkpoint never waits for the writer. The log stays bounded
//! because SQLite rewinds it at the next write once it is fully copied. If
//! the checkpointer ever falls behind by `HARD_PAGES`, the writer
//! checkpoints itself, as SQLite would have done.

use rusqlite::Connection;
use std::cell::Cell;
use std::path::Path;
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

/// Wake the checkpointer at this many log pages (SQLite's own default).
pub(crate) const SOFT_PAGES: i32 = 1000;
/// Past this, the writer stops waiting for the thread and checkpoints.
pub(crate) const HARD_PAGES: i32 = 20_000;
/// Once rewound, the log file is cut back to this size (bytes).
pub(crate) const LOG_LIMIT: i64 = 64 * 1024 * 1024;
/// An idle desk still folds its last writes into the file now and then.
const IDLE: Duration = Duration::from_secs(30);

thread_local! {
    /// Pages in the log after this thread's last commit (set by the hook,
    /// which SQLite calls on the committing thread).
    static LOG_PAGES: Cell<i32> = const { Cell::new(0) };
}

fn count_pages(_: &rusqlite::hooks::Wal, pages: std::ffi::c_int) -> rusqlite::Result<()> {
    LOG_PAGES.with(|p| p.set(pages));
    Ok(())
}

/// Installs the page counter on the writer. Setting a WAL hook turns
/// SQLite's auto-checkpoint off; `journal_size_limit` keeps the file small.
pub(crate) fn install(writer: &Connection) -> rusqlite::Result<()> {
    writer.pragma_update(None, "journal_size_limit", LOG_LIMIT)?;
    writer.wal_hook(Some(count_pages));
    Ok(())
}

/// Pages in the log after the commit this thread just made.
pub(crate) fn pages_after_commit() -> i32 {
    LOG_PAGES.with(|p| p.replace(0))
}

#[derive(Default)]
struct Signal {
    wanted: bool,
    stop: bool,
}

/// The background checkpointer; stopping it (on drop) checkpoints once more.
pub(crate) struct Checkpointer {
    signal: Arc<(Mutex<Signal>, Condvar)>,
    thread: Option<JoinHandle<()>>,
}

impl Checkpointer {
    pub(crate) fn start(path: &Path) -> crate::Result<Checkpointer> {
        let conn = Connection::open(path)?;
        conn.busy_timeout(Duration::from_secs(5))?;
        let signal = Arc::new((Mutex::new(Signal::default()), Condvar::new()));
        let shared = signal.clone();
        let thread = std::thread::Builder::new()
            .name("cashdesk-checkpoint".into())
            .spawn(move || run(&conn, &shared))
            .map_err(|e| crate::StoreError::Io {
                path: path.display().to_string(),
                source: e,
            })?;
        Ok(Checkpointer {
            signal,
            thread: Some(thread),
        })
    }

    /// Asks for a checkpoint soon; never blocks on one.
    pub(crate) fn wake(&self) {
        let (m, cv) = &*self.signal;
        m.lock().unwrap_or_else(|e| e.into_inner()).wanted = true;
        cv.notify_one();
    }
}

impl Drop for Checkpointer {
    fn drop(&mut self) {
        let (m, cv) = &*self.signal;
        m.lock().unwrap_or_else(|e| e.into_inner()).stop = true;
        cv.notify_one();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn run(conn: &Connection, signal: &(Mutex<Signal>, Condvar)) {
    let (m, cv) = signal;
    loop {
        let stop = {
            let mut s = m.lock().unwrap_or_else(|e| e.into_inner());
            if !s.wanted && !s.stop {
                s = cv
                    .wait_timeout(s, IDLE)
                    .unwrap_or_else(|e| e.into_inner())
                    .0;
            }
            s.wanted = false;
            s.stop
        };
        if let Err(e) = passive(conn) {
            tracing::warn!(error = %e, "WAL checkpoint failed; the next one retries");
        }
        if stop {
            return;
        }
    }
}

/// Copies what it can of the log into the database without waiting.
pub(crate) fn passive(conn: &Connection) -> rusqlite::Result<()> {
    conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))
}
