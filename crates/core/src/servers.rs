//! This process as one of the desk's servers. On a team desk several
//! servers may share one PostgreSQL database: each registers with a new id
//! at start, beats every `BEAT`, and takes over the outbox rows a server
//! left `sending` once that server has been silent for `DEAD_AFTER` (in
//! doubt: the provider's lookup decides before anything is sent again).
//! `DEAD_AFTER` is longer than any call can last (the adapters' request
//! timeouts are 30 s at most), and a server whose own beat has not been
//! written for `FENCE` claims nothing new, so a row is never sent by two.
//! A desk alone (SQLite) registers too, but its folder lock already proves
//! the previous process gone: it takes every row at start and never beats.

use crate::cx::Cx;
use cashdesk_store::Engine;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

pub(crate) const BEAT: Duration = Duration::from_secs(5);
pub(crate) const DEAD_AFTER: Duration = Duration::from_secs(90);
/// A server that could not beat for this long stops claiming rows: by
/// `DEAD_AFTER` another may take them over.
pub(crate) const FENCE: Duration = Duration::from_secs(30);

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
        Engine::Postgres => DEAD_AFTER.as_millis() as i64,
    }
}

/// Whether this server may claim a row now: its beat is fresh (always on
/// a desk alone, which never shares its rows).
pub(crate) fn may_claim(cx: &Cx) -> bool {
    cx.store().engine() == Engine::Sqlite
        || chrono::Utc::now().timestamp_millis() - cx.last_beat().0.load(Ordering::Relaxed)
            < FENCE.as_millis() as i64
}

/// On a team desk: beats, and takes over what stopped servers left.
pub(crate) fn spawn_beat(cx: &Cx) {
    if cx.store().engine() != Engine::Postgres {
        return;
    }
    let cx = cx.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(BEAT);
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
fn host() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_owned())
        .unwrap_or_default()
}
