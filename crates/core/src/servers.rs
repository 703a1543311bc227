//! This process as one of the desk's servers. On a team desk several
//! servers may share one PostgreSQL database: each registers with a new id
//! at start, beats every 5 s (`Config::server_beat`), and takes over the
//! outbox rows a server left `sending` once that server has been silent
//! for 18 beats, 90 s (in doubt: the provider's lookup decides before
//! anything is sent again). 90 s is longer than any call can last (the
//! adapters' request timeouts are 30 s at most), and a server whose own
//! beat has not been written for 6 beats (30 s) claims nothing new, so a
//! row is never sent by two.
//! A desk alone (SQLite) registers too, but its folder lock already proves
//! the previous process gone: it takes every row at start and never beats.

use crate::cx::Cx;
use cashdesk_store::Engine;
use std::sync::atomic::{AtomicI64, Ordering};

/// `DEAD_AFTER` in beats: 90 s at the usual 5 s beat
/// (`Config::server_beat`, shorter only in tests).
const DEAD_AFTER_BEATS: u32 = 18;
/// A server that could not beat for this many beats (30 s) stops claiming
/// rows: by `DEAD_AFTER` another may take them over.
const FENCE_BEATS: u32 = 6;

/// When this server last wrote its beat (ms since the epoch).
#[derive(Debug, Default)]
pub(crate) struct LastBeat(AtomicI64);

impl LastBeat {
    fn mark(&self) {
        self.0
            .store(chrono::Utc::now().timestamp_millis(), Ordering::Relaxed);
    }
}

/// Registers this process as a new server of the desk.
pub(crate) fn register(cx: &Cx) -> crate::error::CoreResult<()> {
    let id = uuid::Uuid::now_v7().simple().to_string();
    cx.store().register_server(&id, &host())?;
    cx.last_beat().mark();
    tracing::info!(server = %id, "registered as a desk server");
    Ok(())
}

/// How long another server must have been silent for its rows to be taken.
pub(crate) fn dead_after(cx: &Cx) -> i64 {
    match cx.store().engine() {
        Engine::Sqlite => 0,
        Engine::Postgres => (cx.config().server_beat * DEAD_AFTER_BEATS).as_millis() as i64,
    }
}

/// Whether this server may claim a row now: its beat is fresh (always on
/// a desk alone, which never shares its rows).
pub(crate) fn may_claim(cx: &Cx) -> bool {
    cx.store().engine() == Engine::Sqlite
        || chrono::Utc::now().timestamp_millis() - cx.last_beat().0.load(Ordering::Relaxed)
            < (cx.config().server_beat * FENCE_BEATS).as_millis() as i64
}

/// On a team desk: beats, and takes over what stopped servers left.
pub(crate) fn spawn_beat(cx: &Cx) {
    if cx.store().engine() != Engine::Postgres {
        return;
    }
    let cx = cx.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(cx.config().server_beat);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            match cx.store().beat() {
                Ok(()) => cx.last_beat().mark(),
                Err(e) => tracing::warn!("desk server beat: {e}"),
            }
            if let Err(e) = crate::worker::recover(&cx) {
                tracing::warn!("taking over a stopped server's calls: {e}");
            }
        }
    });
}

/// This machine's name, shown beside a server's id.
/// This machine's name (the desk's server list, a desktop's user agent).
pub(crate) fn host() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_owned())
        .unwrap_or_default()
}
