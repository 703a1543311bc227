//! The outbox worker: delivers approved calls one at a time, and the
//! poller that asks providers about requests still awaiting an answer.
//! Decisions never wait on either: they only commit and wake the worker.

use crate::config::{PausePoint, pause_if};
use crate::cx::Cx;
use crate::error::CoreResult;
use crate::providers;
use cashdesk_domain::RequestStatus;
use cashdesk_store::{OutboxOutcome, QueueFilter, QueueView};
use std::time::Duration;

/// Rows left `sending` by a crash (this desk's last run, or another
/// server of a team desk that stopped: `servers.rs`) are settled by each
/// provider's rule (Zexabit: outcome unknown, never resent); at start
/// before the worker runs, then on a team desk at every beat.
pub(crate) fn recover(app: &Cx) -> CoreResult<()> {
    let dead_after = crate::servers::dead_after(app);
    for row in app.store().orphaned_in_flight(dead_after)? {
        // Made this server's first: only a row's owner records its outcome.
        if !app.store().adopt_in_flight(row.id, dead_after)? {
            continue;
        }
        let recorded = app
            .store()
            .account(row.account_id)
            .map(|a| providers::recover(a.provider, &row))
            .and_then(|outcome| app.store().record_outcome(row.id, &outcome));
        match recorded {
            Ok(rec) => {
                tracing::warn!(request = %rec.id, "in-flight call after restart: {}", rec.status.label())
            }
            Err(e) => {
                // Given back, so the next look (this server's or another's)
                // takes it again instead of leaving it sending for good.
                tracing::error!("taking over outbox row {}: {e}", row.id);
                if let Err(e) = app.store().release_adopted(row.id) {
                    tracing::error!("giving back outbox row {}: {e}", row.id);
                }
            }
        }
    }
    Ok(())
}

pub(crate) fn spawn(app: &Cx) {
    let app = app.clone();
    tokio::spawn(async move {
        pause_if(app.config(), PausePoint::BeforeClaim).await;
        loop {
            if let Err(e) = drain(&app).await {
                tracing::error!("outbox: {e}");
            }
            let wait = match app.store().next_due_ms_except(&crate::links::offline(&app)) {
                Ok(Some(due)) => Duration::from_millis(
                    (due - chrono::Utc::now().timestamp_millis()).clamp(50, 30_000) as u64,
                ),
                _ => Duration::from_secs(30),
            };
            tokio::select! {
                _ = app.events().worker_woken() => {}
                _ = tokio::time::sleep(wait) => {}
            }
        }
    });
}

/// Sends every due row, one at a time.
async fn drain(app: &Cx) -> CoreResult<()> {
    while crate::servers::may_claim(app)
        && let Some(row) = app.store().claim_next_except(
            chrono::Utc::now().timestamp_millis(),
            &crate::links::offline(app),
        )?
    {
        pause_if(app.config(), PausePoint::AfterClaim).await;
        let provider = app.store().account(row.account_id)?.provider;
        let outcome = providers::deliver(app, provider, &row).await;
        note_link(app, row.account_id, &outcome);
        let rec = record_until_saved(app, row.id, &outcome).await;
        if matches!(
            rec.status,
            RequestStatus::Failed
                | RequestStatus::OutcomeUnknown
                | RequestStatus::RejectedByProvider
        ) {
            app.notice(crate::notify::Notice::outcome(&rec));
        }
    }
    Ok(())
}

/// The provider answered; the answer is kept in memory and written until
/// the store takes it (a full disk, a locked file), instead of leaving
/// the request "sending" until a restart. Waits grow to 5 s.
async fn record_until_saved(
    app: &Cx,
    row: i64,
    outcome: &OutboxOutcome,
) -> cashdesk_store::RequestRecord {
    use backon::BackoffBuilder;
    let mut waits = backon::ExponentialBuilder::default()
        .with_min_delay(Duration::from_millis(100))
        .with_max_delay(Duration::from_secs(5))
        .without_max_times()
        .with_jitter()
        .build();
    loop {
        match app.store().record_outcome(row, outcome) {
            Ok(rec) => return rec,
            Err(e) => {
                let wait = waits.next().unwrap_or(Duration::from_secs(5));
                tracing::error!(
                    row,
                    "recording the provider's answer failed, retrying in {wait:?}: {e}"
                );
                tokio::time::sleep(wait).await;
            }
        }
    }
}

/// What a delivery says about the account's connection: an answer proves
/// it online; no answer (or a retry) has the prober check it now.
fn note_link(app: &Cx, account: cashdesk_domain::AccountId, outcome: &OutboxOutcome) {
    match outcome {
        OutboxOutcome::Accepted { .. }
        | OutboxOutcome::Completed { .. }
        | OutboxOutcome::Rejected { .. } => crate::links::record(
            app,
            account,
            crate::links::LinkState::Online,
            "answered the last call".into(),
        ),
        OutboxOutcome::Retry { .. } | OutboxOutcome::Unknown { .. } => app.links().suspect(account),
        OutboxOutcome::Failed { .. } => {}
    }
}

/// Provider events are remembered this long, so a redelivery is still
/// recognised (the issue asks for at least three days).
const INBOUND_KEPT_DAYS: i64 = 30;

/// Polls requests awaiting a provider's answer, oldest first, a page per
/// tick; the clients' rate limiters keep this inside the documented limits.
pub(crate) fn spawn_poller(app: &Cx) {
    spawn_feed(app);
    let app = app.clone();
    tokio::spawn(async move {
        let every = app.config().poll_interval;
        let mut pruned = std::time::Instant::now();
        let (mut awaiting, mut unknown) = (Rotation::default(), Rotation::default());
        loop {
            tokio::time::sleep(every).await;
            if pruned.elapsed() >= Duration::from_secs(3600) {
                pruned = std::time::Instant::now();
                let before = chrono::Utc::now() - chrono::Duration::days(INBOUND_KEPT_DAYS);
                if let Err(e) = app.store().prune_inbound(before) {
                    tracing::warn!("pruning old provider events: {e}");
                }
            }
            for (view, status, turn) in [
                (
                    QueueView::InFlight,
                    RequestStatus::AwaitingProvider,
                    &mut awaiting,
                ),
                (
                    QueueView::Attention,
                    RequestStatus::OutcomeUnknown,
                    &mut unknown,
                ),
            ] {
                let Ok(batch) = turn.next_batch(app.store(), in_state(view, status)) else {
                    continue;
                };
                for rec in batch {
                    let result = if status == RequestStatus::OutcomeUnknown {
                        providers::resolve_unknown(&app, &rec).await
                    } else {
                        providers::poll(&app, &rec).await
                    };
                    if let Err(e) = result {
                        tracing::debug!(request = %rec.id, "provider check: {e}");
                    }
                }
            }
        }
    });
}

/// The requests of one view in one state.
pub(crate) fn in_state(view: QueueView, status: RequestStatus) -> QueueFilter {
    let mut f = QueueFilter::view(view);
    f.status = Some(status);
    f
}

/// How many waiting requests of one state the poller looks at per tick
/// (each provider's client keeps within its rate limit on its own).
const POLL_BATCH: u32 = 20;

/// Round-robin through everything waiting in one state: each tick takes
/// the batch after where the last one stopped and wraps at the end, so
/// every waiting request is looked at within ceil(waiting / POLL_BATCH)
/// ticks, however many of them polling can never resolve.
#[derive(Default)]
pub(crate) struct Rotation {
    after: Option<cashdesk_store::Cursor>,
}

impl Rotation {
    pub(crate) fn next_batch(
        &mut self,
        store: &cashdesk_store::Store,
        mut f: QueueFilter,
    ) -> cashdesk_store::Result<Vec<cashdesk_store::RequestRecord>> {
        f.limit = POLL_BATCH;
        f.after = self.after.take();
        let resumed = f.after.is_some();
        let mut page = store.list_queue(&f)?;
        if page.items.is_empty() && resumed {
            // The rest went away since: start over now, not a tick later.
            f.after = None;
            page = store.list_queue(&f)?;
        }
        self.after = page.next;
        Ok(page.items)
    }
}

/// Some requests arrive only through a provider's transaction list
/// (CashWeb): read the lists often, and ask about pending requests past
/// their deadline (the provider's `deadline` step), so they expire on the provider's
/// word (in turns, like the poller, so every pending request is checked).
fn spawn_feed(app: &Cx) {
    let app = app.clone();
    tokio::spawn(async move {
        // One rotation per provider, so a long queue of one provider's
        // pending requests does not slow another's deadline checks.
        let mut pending: std::collections::HashMap<_, Rotation> = Default::default();
        loop {
            tokio::time::sleep(Duration::from_secs(5)).await;
            let Ok(accounts) = app.store().accounts() else {
                continue;
            };
            if let Err(e) = providers::read_feeds_of(&app, &accounts, 100, 20).await {
                tracing::debug!("transaction lists: {e}");
            }
            let now = chrono::Utc::now();
            for kind in cashdesk_domain::ProviderKind::ALL {
                // A provider no account uses has no queue to read here (an
                // idle desk without one reads nothing every five seconds).
                if !providers::provider(kind).has_deadlines()
                    || !accounts.iter().any(|a| a.provider == kind)
                {
                    continue;
                }
                let mut f = in_state(QueueView::Queue, RequestStatus::Pending);
                f.provider = Some(kind);
                let turn = pending.entry(kind).or_default();
                let Ok(batch) = turn.next_batch(app.store(), f) else {
                    continue;
                };
                for rec in batch {
                    let past = providers::provider(kind)
                        .deadline(&rec)
                        .is_some_and(|at| at <= now);
                    if past && let Err(e) = providers::poll(&app, &rec).await {
                        tracing::debug!(request = %rec.id, "expiry check: {e}");
                    }
                }
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use cashdesk_domain::{AccountId, Actor, Money, ProviderKind, RequestKind};
    use cashdesk_store::{NewAccount, NewRequest, Source, Store};
    use std::collections::HashSet;

    /// `n` requests whose call ended in `outcome`.
    fn waiting(
        store: &Store,
        n: usize,
        outcome: impl Fn(usize) -> OutboxOutcome,
    ) -> Vec<cashdesk_domain::RequestId> {
        let account = AccountId::new();
        store
            .add_account(
                account,
                &NewAccount {
                    provider: ProviderKind::Zexabit,
                    name: "Zexabit BD".into(),
                    base_url: "http://127.0.0.1:1".into(),
                    secret_names: vec![],
                    config: serde_json::json!({}),
                    sandbox: false,
                },
                &Actor::operator(
                    cashdesk_domain::OperatorId(uuid::Uuid::from_u128(7)),
                    "Rina",
                ),
            )
            .unwrap();
        (0..n)
            .map(|i| {
                let new = NewRequest {
                    kind: RequestKind::Deposit,
                    provider: ProviderKind::Zexabit,
                    account_id: account,
                    method: "bkash".into(),
                    money: Money::parse("500", "BDT").unwrap(),
                    end_user_ref: format!("usr_{i}"),
                    end_user_name: None,
                    provider_user_id: Some("68abc".into()),
                    trx_id: None,
                    sender: None,
                    destination: None,
                    agent_number: Some("01712345678".into()),
                    source: Source::Intake,
                    intake_ref: None,
                    details: serde_json::json!({}),
                    screenshot: None,
                    expires: None,
                };
                let (r, _) = store.insert_request(&new, &Actor::Intake).unwrap();
                let agent = Actor::operator(
                    cashdesk_domain::OperatorId(uuid::Uuid::from_u128(7)),
                    "Rina",
                );
                store
                    .approve(r.id, &agent, "zexabit.deposit", &serde_json::json!({}))
                    .unwrap();
                let row = store.claim_next(i64::MAX).unwrap().unwrap();
                store.record_outcome(row.id, &outcome(i)).unwrap();
                r.id
            })
            .collect()
    }

    fn accepted(i: usize) -> OutboxOutcome {
        OutboxOutcome::Accepted {
            txn_id: format!("dep_{i}"),
            status: "pending".into(),
        }
    }

    fn unknown(_: usize) -> OutboxOutcome {
        OutboxOutcome::Unknown {
            reason: "timed out".into(),
        }
    }

    /// Every one of `ids` is in the first ceil(n/20) batches, then the turns wrap.
    fn all_get_their_turn(store: &Store, ids: &[cashdesk_domain::RequestId], f: QueueFilter) {
        let mut turn = Rotation::default();
        let mut seen = HashSet::new();
        for _ in 0..ids.len().div_ceil(POLL_BATCH as usize) {
            let batch = turn.next_batch(store, f.clone()).unwrap();
            assert!(batch.len() <= POLL_BATCH as usize);
            seen.extend(batch.into_iter().map(|r| r.id));
        }
        assert_eq!(
            seen.len(),
            ids.len(),
            "all looked at within ceil(n/20) ticks"
        );
        assert!(ids.iter().all(|id| seen.contains(id)));
        let wrapped = turn.next_batch(store, f).unwrap();
        assert_eq!(
            wrapped.first().map(|r| r.id),
            Some(ids[0]),
            "then from the start"
        );
    }

    #[test]
    fn every_waiting_request_gets_its_turn_and_the_turns_wrap() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("c.db")).unwrap();
        let ids = waiting(&store, 45, accepted);
        all_get_their_turn(
            &store,
            &ids,
            in_state(QueueView::InFlight, RequestStatus::AwaitingProvider),
        );
    }

    /// Unknown Zexabit outcomes that no lookup can settle must not hold
    /// the first places for ever (the starvation the poller once had).
    #[test]
    fn unknown_outcomes_nothing_can_settle_do_not_starve_the_others() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("c.db")).unwrap();
        let ids = waiting(&store, 61, unknown);
        all_get_their_turn(
            &store,
            &ids,
            in_state(QueueView::Attention, RequestStatus::OutcomeUnknown),
        );
    }
}
