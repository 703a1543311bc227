//! Zexabit offers no lookup by our reference, so when a call may or may
//! not have arrived, its own webhook events that settled nothing (no
//! request matched, or several could) are the evidence a person matches
//! by hand (`api/reconcile.rs` is the generic half).

use crate::api::dto::Candidate;
use crate::error::{CoreError, CoreResult};
use cashdesk_domain::{RequestKind, RequestStatus};
use cashdesk_store::{InboundEvent, ProviderFacts, RequestRecord};
use cashdesk_zexabit::webhook::WebhookEvent;

/// Zexabit's own word for a status, as its webhook carries it.
fn status_word(s: cashdesk_zexabit::Status) -> String {
    serde_json::to_value(s)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

fn parse(e: &InboundEvent) -> Option<WebhookEvent> {
    serde_json::from_slice(&e.payload).ok()
}

/// The event as a candidate for `rec`, if it is of the same kind and
/// fits in at least one of user, amount and method.
pub(super) fn candidate(rec: &RequestRecord, e: &InboundEvent) -> Option<Candidate> {
    let ev = parse(e)?;
    if ev.event.is_deposit() != (rec.kind == RequestKind::Deposit) {
        return None;
    }
    let d = &ev.data;
    let mut fits = Vec::new();
    if rec.provider_user_id.as_deref() == Some(d.user_id.as_str()) {
        fits.push("same user".to_owned());
    }
    if d.amount == rec.money.amount {
        fits.push("same amount".to_owned());
    }
    if d.payment_method == rec.method {
        fits.push("same method".to_owned());
    }
    if fits.is_empty() {
        return None;
    }
    Some(Candidate {
        event_key: e.dedup_key.clone(),
        received_at: e.received_at.to_rfc3339(),
        txn_id: d.transaction_id.clone(),
        status: status_word(d.status),
        amount: d.amount.to_string(),
        method: d.payment_method.clone(),
        user_id: d.user_id.clone(),
        fits,
        note: e.outcome.clone().unwrap_or_default(),
    })
}

/// What the event a person picked settles `rec` as; its amount is still
/// compared, so another amount shows as such rather than completing.
pub(super) fn settled_by(
    rec: &RequestRecord,
    event: &InboundEvent,
) -> CoreResult<(RequestStatus, ProviderFacts, String)> {
    let invalid = |m: &str| CoreError::Invalid(m.to_owned());
    let ev = parse(event).ok_or_else(|| invalid("the stored event is unreadable"))?;
    let to = match ev.data.status {
        cashdesk_zexabit::Status::Completed => RequestStatus::Completed,
        cashdesk_zexabit::Status::Rejected => RequestStatus::RejectedByProvider,
        cashdesk_zexabit::Status::Pending => {
            return Err(invalid(
                "Zexabit still reports this one pending: wait for its final word",
            ));
        }
    };
    let facts = ProviderFacts {
        txn_id: Some(ev.data.transaction_id.clone()),
        status: Some(status_word(ev.data.status)),
        ..Default::default()
    };
    let why = format!(
        "matched by hand to Zexabit {} (received {})",
        ev.data.transaction_id,
        event.received_at.format("%Y-%m-%d %H:%M UTC")
    );
    if to != RequestStatus::Completed {
        return Ok((to, facts, why));
    }
    let reported = crate::providers::evidence::Reported {
        kind: Some(rec.kind),
        amount: Some(ev.data.amount),
        currency: None,
        user: None,
    };
    crate::providers::evidence::completing(rec, &reported, facts, &why)
        .map_err(|m| CoreError::Invalid(m.to_string()))
}
