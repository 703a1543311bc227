//! Connection state per provider account, as the window shows it: online
//! (the provider answered), offline (no answer: network down, host
//! unreachable, timed out) or refusing (it answered with an error, e.g.
//! wrong credentials). Learned from every delivery and from a light probe
//! (the same read as "Check connection"): every `probe_interval` while an
//! account is offline or unknown, six times less often while online (one
//! Zexabit read a minute at most, well inside its 100/min). While an
//! account is offline its outbox rows are held (no attempts, so no growing
//! backoff: the probe is the only traffic); when it comes back they are
//! sent at once.

use crate::cx::Cx;
use crate::providers::{self, Probe};
use cashdesk_domain::AccountId;
use chrono::{DateTime, Utc};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};
use tokio::sync::Notify;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum LinkState {
    /// Not asked yet since the app started.
    Unknown,
    Online,
    /// No answer: calls wait in the outbox and go out when it returns.
    Offline,
    /// The provider answered with an error (credentials, server trouble).
    Refusing,
}

#[derive(Debug, Clone)]
pub struct Link {
    pub state: LinkState,
    pub since: DateTime<Utc>,
    /// The last probe's or call's words (a provider's message as it came).
    pub detail: String,
    checked: Option<Instant>,
}

#[derive(Default)]
pub(crate) struct Links {
    map: Mutex<HashMap<AccountId, Link>>,
    /// Wakes the prober (a delivery could not get through).
    nudge: Notify,
}

impl Links {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<AccountId, Link>> {
        self.map.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn all(&self) -> HashMap<AccountId, Link> {
        self.lock().clone()
    }

    /// Records what was learned; the previous state when it changed.
    fn set(&self, account: AccountId, state: LinkState, detail: String) -> Option<LinkState> {
        let mut map = self.lock();
        let now = Instant::now();
        match map.get_mut(&account) {
            Some(l) if l.state == state => {
                l.detail = detail;
                l.checked = Some(now);
                None
            }
            Some(l) => {
                let before = l.state;
                *l = Link {
                    state,
                    since: Utc::now(),
                    detail,
                    checked: Some(now),
                };
                Some(before)
            }
            None => {
                map.insert(
                    account,
                    Link {
                        state,
                        since: Utc::now(),
                        detail,
                        checked: Some(now),
                    },
                );
                Some(LinkState::Unknown)
            }
        }
    }

    pub fn forget(&self, account: AccountId) {
        self.lock().remove(&account);
    }

    /// A call to `account` got no answer: probe it now, not at its turn.
    pub fn suspect(&self, account: AccountId) {
        if let Some(l) = self.lock().get_mut(&account) {
            l.checked = None;
        }
        self.nudge.notify_one();
    }
}

/// Accounts known to be unreachable: their calls wait (no attempts, so no
/// growing backoff) until the probe finds them back.
pub(crate) fn offline(app: &Cx) -> Vec<AccountId> {
    app.links()
        .all()
        .into_iter()
        .filter(|(_, l)| l.state == LinkState::Offline)
        .map(|(a, _)| a)
        .collect()
}

/// Records a state; on a change tells the window, and when the account
/// came back, sends its waiting calls now.
pub(crate) fn record(app: &Cx, account: AccountId, state: LinkState, detail: String) {
    let Some(before) = app.links().set(account, state, detail) else {
        return;
    };
    tracing::info!(%account, "connection {before:?} → {state:?}");
    if state != LinkState::Offline && before == LinkState::Offline {
        // Its held calls are due now, not at the end of their backoff.
        if let Err(e) = app.store().wake_account(account) {
            tracing::warn!(%account, "waking its outbox: {e}");
        }
        app.wake_worker();
    }
    app.changed(crate::api::dto::Changed {
        links: true,
        ..Default::default()
    });
}

async fn probe_one(app: &Cx, account: AccountId) {
    let (state, detail) = match providers::probe(app, account).await {
        Ok(Probe::Answered(words)) => (LinkState::Online, words),
        Ok(Probe::NoAnswer(why)) => (LinkState::Offline, why),
        Ok(Probe::Refused(words)) => (LinkState::Refusing, words),
        // The account's secrets are missing or it was removed meanwhile.
        Err(e) => (LinkState::Refusing, e.to_string()),
    };
    record(app, account, state, detail);
}

/// Whether `account` is due for a probe now.
fn due(link: Option<&Link>, every: Duration) -> bool {
    let Some(l) = link else { return true };
    let wait = if l.state == LinkState::Online {
        every * 6
    } else {
        every
    };
    l.checked.is_none_or(|t| t.elapsed() >= wait)
}

pub(crate) fn spawn_prober(app: &Cx) {
    let app = app.clone();
    tokio::spawn(async move {
        let every = app.config().probe_interval;
        loop {
            let known = app.links().all();
            if let Ok(accounts) = app.store().accounts() {
                for acc in accounts {
                    if due(known.get(&acc.id), every) {
                        probe_one(&app, acc.id).await;
                    }
                }
            }
            tokio::select! {
                _ = app.links().nudge.notified() => {}
                _ = tokio::time::sleep(every.min(Duration::from_secs(5))) => {}
            }
        }
    });
}
