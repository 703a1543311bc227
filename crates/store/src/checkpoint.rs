//! WAL checkpoints off the decision path.
//!
//! SQLite's auto-checkpoint runs inside the commit that crosses 1,000 WAL
//! pages, so one decision in a thousand also copies the log into the
//! database and fsyncs it: that commit's latency is the approve p99. Here
//! the writer only counts the log (a WAL hook) and wakes a thread of our
//! own, which checkpoints on its own connection while decisions go on.
//!
//! A passive checkpoint never waits for the writer, but it shares the
//! disk: its fsync of the database (milliseconds for a thousand pages)
//! delays a decision's own fsync queued behind it. So the thread waits
//! for a lull (`QUIET` without a commit; an agent decides seconds apart)
//! unless the backlog grows past `BUSY_PAGES`. The log stays bounded
//! because SQLite rewinds it at the next write once it is fully copied;
//! if writes never pause long enough for that, the writer checkpoints
//! itself at `HARD_PAGES`, as SQLite would have done.

use rusqlite::Connection;
use std::cell::Cell;
use std::path::Path;
use std::sync::atomic::{AtomicI32, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// Wake the checkpointer once this many log pages were added since its
/// last checkpoint (SQLite's own default).
pub(crate) const SOFT_PAGES: i32 = 1000;
/// With this many waiting, the thread stops waiting for a lull.
const BUSY_PAGES: i32 = 8000;
/// A lull: this long since the last commit.
const QUIET: Duration = Duration::from_millis(10);
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

/// What the writer and the thread know of the log.
struct Log {
    /// Frames in it after the writer's last commit.
    pages: AtomicI32,
    /// Of those, the frames the last checkpoint copied into the file.
    copied: AtomicI32,
    /// When the writer last committed, in ms since `epoch`.
    last_commit: AtomicU64,
    epoch: Instant,
    /// Checkpoints the thread ran.
    runs: AtomicU64,
}

impl Log {
    /// Frames not yet copied into the file.
    fn backlog(&self) -> i32 {
        let (pages, copied) = (
            self.pages.load(Ordering::Relaxed),
            self.copied.load(Ordering::Relaxed),
        );
        if pages >= copied {
            pages - copied
        } else {
            pages
        }
    }

    fn since_commit(&self) -> Duration {
        let last = Duration::from_millis(self.last_commit.load(Ordering::Relaxed));
        self.epoch.elapsed().saturating_sub(last)
    }
}

/// The background checkpointer; stopping it (on drop) checkpoints once more.
pub(crate) struct Checkpointer {
    signal: Arc<(Mutex<Signal>, Condvar)>,
    log: Arc<Log>,
    thread: Option<JoinHandle<()>>,
}

impl Checkpointer {
    pub(crate) fn start(path: &Path) -> crate::Result<Checkpointer> {
        let conn = Connection::open(path)?;
        conn.busy_timeout(Duration::from_secs(5))?;
        let signal = Arc::new((Mutex::new(Signal::default()), Condvar::new()));
        let log = Arc::new(Log {
            pages: AtomicI32::new(0),
            copied: AtomicI32::new(0),
            last_commit: AtomicU64::new(0),
            epoch: Instant::now(),
            runs: AtomicU64::new(0),
        });
        let (shared, known) = (signal.clone(), log.clone());
        let thread = std::thread::Builder::new()
            .name("cashdesk-checkpoint".into())
            .spawn(move || run(&conn, &shared, &known))
            .map_err(|e| crate::StoreError::Io {
                path: path.display().to_string(),
                source: e,
            })?;
        Ok(Checkpointer {
            signal,
            log,
            thread: Some(thread),
        })
    }

    /// After each commit, with the log's length then: wakes the thread
    /// once `SOFT_PAGES` frames were added since its last checkpoint, and
    /// says whether the writer must checkpoint itself (`HARD_PAGES`).
    ///
    /// Counting from the last checkpoint, not from the log's start,
    /// matters: while decisions keep coming, a checkpoint seldom catches
    /// up with the writer, so the log does not rewind and its length
    /// stays above any fixed mark; woken by length, the thread
    /// checkpointed (two fsyncs) after every decision.
    pub(crate) fn after_commit(&self, pages: i32) -> bool {
        if pages == 0 {
            // Nothing was written (the hook was not called).
            return false;
        }
        let log = &self.log;
        let ms = log.epoch.elapsed().as_millis() as u64;
        log.last_commit.store(ms, Ordering::Relaxed);
        if pages < log.pages.swap(pages, Ordering::Relaxed) {
            // Rewound: what was copied is no longer in this log.
            log.copied.store(0, Ordering::Relaxed);
        }
        if pages >= HARD_PAGES {
            return true;
        }
        if log.backlog() >= SOFT_PAGES {
            self.wake();
        }
        false
    }

    /// Frames in the log after the last commit, and checkpoints run by
    /// the thread so far.
    #[cfg(test)]
    pub(crate) fn seen(&self) -> (i32, u64) {
        let log = &self.log;
        (
            log.pages.load(Ordering::Relaxed),
            log.runs.load(Ordering::Relaxed),
        )
    }

    /// The writer checkpointed itself: `frames` are in the file.
    pub(crate) fn copied_by_writer(&self, frames: i32) {
        self.log.copied.store(frames, Ordering::Relaxed);
    }

    /// Asks for a checkpoint soon; never blocks on one. Once asked, the
    /// thread is not woken again by each later commit of a burst: it is
    /// already waiting for the lull on its own timer.
    fn wake(&self) {
        let (m, cv) = &*self.signal;
        let mut s = m.lock().unwrap_or_else(|e| e.into_inner());
        if !s.wanted {
            s.wanted = true;
            cv.notify_one();
        }
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

fn run(conn: &Connection, signal: &(Mutex<Signal>, Condvar), log: &Log) {
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
            // Wait for a lull in the writes, not past a long backlog.
            while !s.stop && log.backlog() < BUSY_PAGES {
                let quiet = log.since_commit();
                if quiet >= QUIET {
                    break;
                }
                s = cv
                    .wait_timeout(s, QUIET - quiet)
                    .unwrap_or_else(|e| e.into_inner())
                    .0;
            }
            s.wanted = false;
            s.stop
        };
        log.runs.fetch_add(1, Ordering::Relaxed);
        match passive(conn) {
            Ok(frames) => log.copied.store(frames, Ordering::Relaxed),
            Err(e) => tracing::warn!(error = %e, "WAL checkpoint failed; the next one retries"),
        }
        if stop {
            return;
        }
    }
}

/// Copies what it can of the log into the database without waiting;
/// returns how many of its frames are in the file now.
pub(crate) fn passive(conn: &Connection) -> rusqlite::Result<i32> {
    conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| r.get(2))
}
