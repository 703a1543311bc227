//! The one place that starts the core's background tasks: the local
//! server, crash recovery, the outbox worker, the poller, the link prober
//! the notifier and the depth sampler. Sandbox mode is a client of the core
//! (`cashdesk-sandbox`), started after this when no account exists.

use crate::app::Cashdesk;
use crate::config::Config;
use crate::cx::Cx;
use crate::error::CoreResult;

impl Cashdesk {
    /// Opens and starts everything. Must run inside a tokio runtime.
    pub async fn start(config: Config) -> CoreResult<Cashdesk> {
        // Before anything runs recovery on the database: one core per folder.
        let lock = crate::lock::DataLock::acquire(&config.data_dir)?;
        let app = Cashdesk::open(config)?;
        app.hold_lock(lock);
        let retired = app.store().retire_sandbox_accounts()?;
        if retired > 0 {
            tracing::info!("{retired} unfinished requests of the previous sandbox session ended");
        }
        crate::server::start(&app).await?;
        app.prefetch_reference_data();
        let cx = app.cx();
        crate::servers::register(cx)?;
        crate::worker::recover(cx)?;
        crate::worker::spawn(cx);
        crate::worker::spawn_poller(cx);
        crate::links::spawn_prober(cx);
        crate::servers::spawn_beat(cx);
        crate::notify::spawn(&app);
        spawn_breach_watch(cx);
        spawn_depth_sampler(cx);
        Ok(app)
    }

    /// Fetches each account's payment methods in the background, so
    /// approvals and desk entry can check limits without waiting on the
    /// network (kept in the database for offline use) and the queue shows
    /// the providers' method names. The last known lists come first.
    pub fn prefetch_reference_data(&self) {
        prefetch(self.cx());
    }

    /// Fetches one account's payment methods now and keeps them (the
    /// sandbox warms its Zexabit account before customers arrive). The
    /// app's own act: no operator is needed.
    pub async fn fetch_methods(&self, account: cashdesk_domain::AccountId) -> CoreResult<()> {
        crate::providers::reference::methods(self.cx(), account).await?;
        Ok(())
    }
}

/// Announces each waiting request that passes its due time, once (the
/// store marks it in the same transaction); `notify` shows it to a
/// supervisor at the desk, per the desk's preferences.
fn spawn_breach_watch(cx: &Cx) {
    let cx = cx.clone();
    tokio::spawn(async move {
        // The first look a moment after start (an index read of what fell
        // due, cheap even at a million requests).
        let first = tokio::time::Instant::now() + std::time::Duration::from_secs(2);
        let mut tick = tokio::time::interval_at(first, BREACH_TICK);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut since = None;
        loop {
            tick.tick().await;
            let now = chrono::Utc::now().timestamp_millis();
            let from = since.unwrap_or(now - cashdesk_store::BREACH_LOOK_BACK_MS);
            // Every request that passed its due time since the last look is
            // marked, in batches; one notice tells them all (a backlog
            // found at start is one notice, not a trickle).
            let mut late = Vec::new();
            loop {
                match cx.store().take_breaches(from, now, BREACH_BATCH) {
                    Ok(batch) => {
                        let more = batch.len() == BREACH_BATCH as usize;
                        late.extend(batch);
                        if !more {
                            // Everything due by now is seen: look from here next.
                            since = Some(now);
                            break;
                        }
                    }
                    Err(e) => {
                        tracing::warn!("looking for requests past due: {e}");
                        break;
                    }
                }
            }
            if let Some(n) = crate::notify::Notice::breaches(&late) {
                cx.notice(n);
            }
        }
    });
}

const BREACH_BATCH: u32 = 500;

/// How long the depth sampler's count of the whole queue waits after
/// start, so the window starts on an idle machine (docs/BENCHMARKS.md).
const SETTLE: std::time::Duration = std::time::Duration::from_secs(10);

/// Depth samples between two counts of the queue at most (an hour).
const RECOUNT_EVERY: u32 = 12;

/// How often past-due requests are looked for: well inside a minute, the
/// unit the desk's SLA is set in.
const BREACH_TICK: std::time::Duration = std::time::Duration::from_secs(15);

/// Samples the queue's depth soon after start and at each bucket (the
/// overview's "depth over time"), so a chart has points from the first
/// minutes. The first sample waits `SETTLE`: counting a large queue (600,000
/// pending at a million requests, about 100 ms) must not compete with the
/// window's own start. A bucket already sampled (a restart within it) is
/// not counted again, and a bucket with no request changed since the last
/// count repeats that count: an idle desk does not read its whole queue
/// every five minutes.
fn spawn_depth_sampler(cx: &Cx) {
    let cx = cx.clone();
    // Every request changed anywhere (on a team desk, on any server)
    // since the last count; without one the last sample is repeated.
    let mut changes = cx.events().subscribe();
    tokio::spawn(async move {
        tokio::time::sleep(SETTLE).await;
        let every = std::time::Duration::from_millis(crate::api::overview::DEPTH_SAMPLE_MS as u64);
        // Counted at start unless no request moved since the last sample
        // (a restart of an idle desk), and at least every hour (a change
        // notice lost with a database connection cannot leave the chart
        // flat longer).
        let moved = cx.store().depth_moved_since_sample();
        let mut since_count = if moved.unwrap_or(true) {
            RECOUNT_EVERY
        } else {
            0
        };
        loop {
            let mut changed = since_count >= RECOUNT_EVERY;
            loop {
                use tokio::sync::broadcast::error::TryRecvError;
                match changes.try_recv() {
                    Ok(c) => changed |= !c.requests.is_empty() || c.new_requests > 0,
                    Err(TryRecvError::Lagged(_)) => changed = true,
                    Err(TryRecvError::Empty | TryRecvError::Closed) => break,
                }
            }
            since_count = if changed { 0 } else { since_count + 1 };
            if let Err(e) = crate::api::overview::sample_depth(cx.store(), changed) {
                tracing::warn!("sampling the queue's depth: {e}");
            }
            let now = chrono::Utc::now().timestamp_millis();
            let left = crate::api::overview::DEPTH_SAMPLE_MS
                - now.rem_euclid(crate::api::overview::DEPTH_SAMPLE_MS);
            tokio::time::sleep(std::time::Duration::from_millis(left as u64).min(every)).await;
        }
    });
}

fn prefetch(cx: &Cx) {
    let Ok(accounts) = cx.store().accounts() else {
        return;
    };
    for acc in &accounts {
        if let Ok(Some(known)) = crate::providers::reference::known_methods(cx, acc.id) {
            cx.providers().remember_labels(acc.id, &known);
        }
    }
    for acc in accounts {
        let cx = cx.clone();
        tokio::spawn(async move {
            if let Err(e) = crate::providers::reference::methods(&cx, acc.id).await {
                tracing::warn!(account = %acc.id, "payment methods not fetched: {e}");
            }
        });
    }
}
