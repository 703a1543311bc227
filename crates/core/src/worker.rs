//! The outbox worker: delivers approved calls one at a time, and the
//! poller that asks providers about requests still awaiting an answer.
//! Decisions never wait on either: they only commit and wake the worker.

use crate::app::Cashdesk;
use crate::config::{PausePoint, pause_if};
use crate::error::CoreResult;
use crate::providers;
use cashdesk_domain::RequestStatus;
use cashdesk_store::{OutboxOutcome, QueueFilter, QueueView};
use std::time::Duration;

/// Rows left `sending` by a crash are settled by each provider's rule
/// before the worker starts (Zexabit: outcome unknown, never resent).
pub(crate) fn recover(app: &Cashdesk) -> CoreResult<()> {
    for row in app.store().in_flight()? {
        let outcome = providers::recover(app.store().account(row.account_id)?.provider, &row);
        let rec = app.store().record_outcome(row.id, &outcome)?;
        tracing::warn!(request = %rec.id, "in-flight call after restart: {}", rec.status.label());
        app.request_changed(rec.id);
    }
    Ok(())
}

pub(crate) fn spawn(app: &Cashdesk) {
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
                _ = app.inner.worker_wake.notified() => {}
                _ = tokio::time::sleep(wait) => {}
            }
        }
    });
}

/// Sends every due row, one at a time.
async fn drain(app: &Cashdesk) -> CoreResult<()> {
    while let Some(row) = app.store().claim_next_except(
        chrono::Utc::now().timestamp_millis(),
        &crate::links::offline(app),
    )? {
        app.request_changed(row.request_id);
        pause_if(app.config(), PausePoint::AfterClaim).await;
        let provider = app.store().account(row.account_id)?.provider;
        let outcome = providers::deliver(app, provider, &row).await;
        note_link(app, row.account_id, &outcome);
        let rec = app.store().record_outcome(row.id, &outcome)?;
        app.request_changed(rec.id);
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

/// What a delivery says about the account's connection: an answer proves
/// it online; no answer (or a retry) has the prober check it now.
fn note_link(app: &Cashdesk, account: cashdesk_domain::AccountId, outcome: &OutboxOutcome) {
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
pub(crate) fn spawn_poller(app: &Cashdesk) {
    spawn_feed(app);
    let app = app.clone();
    tokio::spawn(async move {
        let every = app.config().poll_interval;
        let mut pruned = std::time::Instant::now();
        loop {
            tokio::time::sleep(every).await;
            if pruned.elapsed() >= Duration::from_secs(3600) {
                pruned = std::time::Instant::now();
                let before = chrono::Utc::now() - chrono::Duration::days(INBOUND_KEPT_DAYS);
                if let Err(e) = app.store().prune_inbound(before) {
                    tracing::warn!("pruning old provider events: {e}");
                }
            }
            for (view, status) in [
                (QueueView::InFlight, RequestStatus::AwaitingProvider),
                (QueueView::Attention, RequestStatus::OutcomeUnknown),
            ] {
                let mut f = QueueFilter::view(view);
                f.status = Some(status);
                f.limit = 20;
                let Ok(page) = app.store().list_queue(&f) else {
                    continue;
                };
                for rec in page.items {
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

/// CashWeb deposits arrive only through its transaction list: read it
/// often, and expire pending deposits past their deadline on CashWeb's word.
fn spawn_feed(app: &Cashdesk) {
    let app = app.clone();
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(Duration::from_secs(5)).await;
            if let Err(e) = providers::sync_cashweb(&app, 100, 20).await {
                tracing::debug!("CashWeb feed: {e}");
            }
            let mut f = QueueFilter::view(QueueView::Queue);
            f.status = Some(RequestStatus::Pending);
            f.provider = Some(cashdesk_domain::ProviderKind::Cashweb);
            f.limit = 20;
            let Ok(page) = app.store().list_queue(&f) else {
                continue;
            };
            let now = chrono::Utc::now();
            for rec in page.items {
                let past = rec
                    .details
                    .get("expires_at")
                    .and_then(|v| v.as_str())
                    .and_then(|s| chrono::DateTime::parse_from_rfc3339(s).ok())
                    .is_some_and(|at| at <= now);
                if past && let Err(e) = providers::poll(&app, &rec).await {
                    tracing::debug!(request = %rec.id, "CashWeb expiry check: {e}");
                }
            }
        }
    });
}
