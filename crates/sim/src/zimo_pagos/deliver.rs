//! Time moves cashouts along, and every status change is notified.
//!
//! A pending cashout is delivered to the bank after `deliver_after`, and
//! the bank decides `settle_after` later. Each change POSTs a form-encoded
//! notification, without the status (as documented), to the cashout's
//! `notification_url`; a non-2xx answer or an unreachable receiver is
//! retried up to `notification_retries` more times, `notification_retry_wait`
//! apart. Deliveries run apart from the clock, so a slow receiver never
//! holds a cashout back, and notifications may arrive out of order, which
//! is harmless because the receiver always fetches the current status.

use super::Shared;
use super::state::{SimCashout, SimNotification, now};
use crate::server::stopped;
use cashdesk_zimo_pagos::assumptions::NOTIFICATION_CONTENT_TYPE;
use cashdesk_zimo_pagos::{CashoutId, Notification, Status, signature};
use std::sync::Arc;
use std::time::Duration;

/// Simulator-only: the characters around the `external_id` in the
/// notification's control string (the document does not give them).
const CONTROL_PREFIX: &str = "zpSIM";
const CONTROL_SUFFIX: &str = "MISpz";

/// Waits `d`; false when the simulator stopped meanwhile.
async fn wait(shared: &Shared, d: Duration) -> bool {
    let mut stop = shared.stop.clone();
    tokio::select! {
        _ = stopped(&mut stop) => false,
        _ = tokio::time::sleep(d) => true,
    }
}

/// Pending → delivered → completed or rejected. Stops quietly when the
/// cashout is no longer where the clock expects it (on hold, cancelled or
/// moved by hand), as a real back office would.
pub(crate) fn schedule_progress(shared: Arc<Shared>, id: CashoutId) {
    tokio::spawn(async move {
        let first = shared
            .lock()
            .unstated
            .push_after(shared.config.deliver_after);
        if !wait(&shared, first).await {
            return;
        }
        let delivered =
            shared
                .lock()
                .ledger
                .transition(id, Some(Status::Pending), Status::Delivered, None);
        let Some(cashout) = delivered else { return };
        notify(&shared, &cashout);
        let then = shared
            .lock()
            .unstated
            .push_after(shared.config.settle_after);
        if !wait(&shared, then).await {
            return;
        }
        let rejection = shared.config.rejection(&cashout);
        let to = if rejection.is_some() {
            Status::Rejected
        } else {
            Status::Completed
        };
        let settled = shared
            .lock()
            .ledger
            .transition(id, Some(Status::Delivered), to, rejection);
        if let Some(cashout) = settled {
            notify(&shared, &cashout);
        }
    });
}

/// The notification for `c`'s latest change, as Zimo-pagos words it.
pub(crate) fn notification_for(secret: &[u8], c: &SimCashout) -> Notification {
    let external_id = &c.request.external_id;
    let message = format!("{CONTROL_PREFIX}{external_id}{CONTROL_SUFFIX}");
    Notification {
        date: now().format("%Y-%m-%d %H:%M:%S").to_string(),
        bank_reference_id: c.bank_reference_id.clone(),
        comments: c.request.comments.clone(),
        external_id: Some(external_id.clone()),
        control: signature::sign(secret, message.as_bytes()).to_uppercase(),
        cashout_id: Some(c.cashout_id),
        status_reason: c.rejection_reason.clone(),
    }
}

/// Sends the notification for `c` in the background, with retries, and
/// then again as many times as the test's answer to "is a push delivered
/// once?" says (the document does not promise a single delivery).
pub(crate) fn notify(shared: &Arc<Shared>, c: &SimCashout) {
    let body = notification_for(shared.config.signing_secret.as_bytes(), c).to_form_body();
    let shared = shared.clone();
    let (id, external_id) = (c.cashout_id, c.request.external_id.clone());
    let url = c.request.notification_url.clone();
    tokio::spawn(async move {
        let copies = shared.lock().unstated.copies();
        let to = Receiver {
            id,
            external_id: &external_id,
            url: &url,
            body: &body,
        };
        crate::shared::send_copies(copies, || deliver_once(&shared, &to)).await;
    });
}

struct Receiver<'a> {
    id: CashoutId,
    external_id: &'a str,
    url: &'a str,
    body: &'a [u8],
}

/// One delivery, retried as documented; whether it was accepted.
async fn deliver_once(shared: &Arc<Shared>, to: &Receiver<'_>) -> bool {
    let attempts = 1 + shared.config.notification_retries;
    for attempt in 1..=attempts {
        let mut stop = shared.stop.clone();
        let sent = tokio::select! {
            _ = stopped(&mut stop) => return false,
            sent = shared
                .http
                .post(to.url)
                .header("Content-Type", NOTIFICATION_CONTENT_TYPE)
                .body(to.body.to_vec())
                .send() => sent,
        };
        let answered = match sent {
            Ok(r) => Some(r.status().as_u16()),
            Err(e) => {
                tracing::info!(url = %to.url, attempt, error = %e, "notification not delivered");
                None
            }
        };
        let record = SimNotification {
            cashout_id: to.id,
            external_id: to.external_id.to_owned(),
            url: to.url.to_owned(),
            body: to.body.to_vec(),
            attempt,
            answered,
        };
        let accepted = record.accepted();
        shared.lock().notifications.push(record);
        if accepted {
            return true;
        }
        if attempt == attempts || !wait(shared, shared.config.notification_retry_wait).await {
            return false;
        }
    }
    false
}
