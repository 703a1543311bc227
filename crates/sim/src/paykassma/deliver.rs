//! Settlement and postbacks: after `settle_after` a pending deposit is
//! credited (or fails) and a withdrawal is processed (or rejected); the
//! postback issued is POSTed as JSON, signed with the private key exactly
//! as the document signs withdrawals. Delivery is retried with doubling
//! waits, a bounded number of times, on a non-2xx answer or a connection
//! error.

use super::Shared;
use crate::server::stopped;
use cashdesk_paykassma::postback::{self, Postback};
use cashdesk_paykassma::signature::PrivateKey;
use std::sync::Arc;

/// What settles.
#[derive(Clone, Debug)]
pub(crate) enum Target {
    /// Index into the payments.
    Payment(usize),
    Withdrawal(String),
}

/// After `settle_after`, decides the target and sends its postback, if any.
pub(crate) fn schedule(shared: Arc<Shared>, target: Target) {
    tokio::spawn(async move {
        let mut stop = shared.stop.clone();
        let wait = shared
            .lock()
            .unstated
            .push_after(shared.config.settle_after);
        tokio::select! {
            _ = stopped(&mut stop) => return,
            _ = tokio::time::sleep(wait) => {}
        }
        let (issued, url) = {
            let mut inner = shared.lock();
            let issued = match &target {
                Target::Payment(i) => {
                    let Some(p) = inner.ledger.payments.get(*i).cloned() else {
                        return;
                    };
                    let fail = shared.config.fails(&p);
                    let unstated = inner.unstated;
                    inner
                        .ledger
                        .settle_payment(*i, fail, &unstated)
                        .map(Postback::Deposit)
                }
                Target::Withdrawal(id) => {
                    let Some(w) = inner
                        .ledger
                        .withdrawals
                        .iter()
                        .find(|w| &w.withdrawal_id == id)
                        .cloned()
                    else {
                        return;
                    };
                    let reject = shared.config.rejects(&w);
                    inner
                        .ledger
                        .settle_withdrawal(id, reject)
                        .map(Postback::Withdrawal)
                }
            };
            (issued, inner.postback_url.clone())
        };
        let (Some(issued), Some(url)) = (issued, url) else {
            return;
        };
        let key = PrivateKey::new(shared.config.private_key.clone());
        let body = serde_json::to_vec(&postback::signed_body(&key, &issued)).unwrap_or_default();
        tokio::select! {
            _ = stopped(&mut stop) => {}
            _ = deliver(&shared, &url, body) => {}
        }
    });
}

/// Returns whether the receiver accepted it within the allowed attempts;
/// sent again as many times as the test's answer to "is a push delivered
/// once?" says.
async fn deliver(shared: &Shared, url: &str, body: Vec<u8>) -> bool {
    let copies = shared.lock().unstated.copies();
    crate::shared::send_copies(copies, || deliver_once(shared, url, body.clone())).await
}

async fn deliver_once(shared: &Shared, url: &str, body: Vec<u8>) -> bool {
    let attempts = shared.config.postback_attempts.max(1);
    let mut wait = shared.config.postback_backoff;
    for attempt in 1..=attempts {
        let sent = shared
            .http
            .post(url)
            .header("Content-Type", "application/json")
            .body(body.clone())
            .send()
            .await;
        match sent {
            Ok(r) if r.status().is_success() => return true,
            Ok(r) => tracing::info!(
                url,
                attempt,
                status = r.status().as_u16(),
                "postback refused"
            ),
            Err(e) => tracing::info!(url, attempt, error = %e, "postback not delivered"),
        }
        if attempt < attempts {
            tokio::time::sleep(wait).await;
            wait = wait.saturating_mul(2);
        }
    }
    false
}
