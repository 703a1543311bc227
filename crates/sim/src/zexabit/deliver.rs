//! The agent's decision and the webhook that reports it.
//!
//! The body is serialised as Node's `JSON.stringify` would (compact,
//! integral amounts without decimals) and signed over exactly the bytes
//! sent, so both a raw-body verifier and the document's Node.js verifier
//! accept it. Delivery is retried with doubling waits, a bounded number of
//! times, on a non-2xx answer or a connection error.

use super::Shared;
use super::state::{SimTxn, TxnKind};
use crate::server::stopped;
use cashdesk_zexabit::Status;
use cashdesk_zexabit::webhook::{self, EventKind, SIGNATURE_HEADER, WebhookData, WebhookEvent};
use rust_decimal::Decimal;
use std::sync::Arc;

/// After `settle_after`, the agent completes or rejects the transaction.
pub(crate) fn schedule_settlement(shared: Arc<Shared>, kind: TxnKind, id: String) {
    tokio::spawn(async move {
        let mut stop = shared.stop.clone();
        // Pushed before the HTTP answer: settled at once.
        let wait = shared
            .lock()
            .unstated
            .push_after(shared.config.settle_after);
        tokio::select! {
            _ = stopped(&mut stop) => return,
            _ = tokio::time::sleep(wait) => {}
        }
        let (settled, callback) = {
            let mut inner = shared.lock();
            let Ok(txn) = inner.ledger.txn(kind, &id).cloned() else {
                return;
            };
            let reject = shared.config.rejects(&txn);
            let unstated = inner.unstated;
            (
                inner.ledger.settle(kind, &id, reject, &unstated),
                inner.callback_url.clone(),
            )
        };
        let (Some((txn, balance)), Some(url)) = (settled, callback) else {
            return;
        };
        let body = webhook::to_wire_body(&event_for(&txn, balance));
        tokio::select! {
            _ = stopped(&mut stop) => {}
            _ = deliver(&shared, &url, body) => {}
        }
    });
}

fn event_for(txn: &SimTxn, new_balance: Decimal) -> WebhookEvent {
    let event = match (txn.kind, txn.status) {
        (TxnKind::Deposit, Status::Rejected) => EventKind::DepositRejected,
        (TxnKind::Deposit, _) => EventKind::DepositCompleted,
        (TxnKind::Withdrawal, Status::Rejected) => EventKind::WithdrawalRejected,
        (TxnKind::Withdrawal, _) => EventKind::WithdrawalCompleted,
    };
    WebhookEvent {
        event,
        timestamp: txn.completed_at.unwrap_or_else(super::state::now),
        data: WebhookData {
            transaction_id: txn.id.clone(),
            external_user_id: txn.external_user_id.clone(),
            user_id: txn.user_id.clone(),
            amount: txn.amount,
            payment_method: txn.payment_method.clone(),
            status: txn.status,
            new_balance: Some(new_balance),
        },
    }
}

/// Returns whether the receiver accepted it within the allowed attempts.
/// Sends `body` until accepted, then again as many times as the test's
/// answer to "is a push delivered once?" says.
async fn deliver(shared: &Shared, url: &str, body: Vec<u8>) -> bool {
    let copies = shared.lock().unstated.copies();
    crate::shared::send_copies(copies, || deliver_once(shared, url, body.clone())).await
}

async fn deliver_once(shared: &Shared, url: &str, body: Vec<u8>) -> bool {
    let signature = webhook::sign(shared.config.webhook_secret.as_bytes(), &body);
    let attempts = shared.config.webhook_attempts.max(1);
    let mut wait = shared.config.webhook_backoff;
    for attempt in 1..=attempts {
        let sent = shared
            .http
            .post(url)
            .header("Content-Type", "application/json")
            .header(SIGNATURE_HEADER, &signature)
            .body(body.clone())
            .send()
            .await;
        match sent {
            Ok(r) if r.status().is_success() => return true,
            Ok(r) => tracing::info!(
                url,
                attempt,
                status = r.status().as_u16(),
                "webhook refused"
            ),
            Err(e) => tracing::info!(url, attempt, error = %e, "webhook not delivered"),
        }
        if attempt < attempts {
            tokio::time::sleep(wait).await;
            wait = wait.saturating_mul(2);
        }
    }
    false
}
