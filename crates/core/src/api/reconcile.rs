//! Handing an unknown outcome to a supervisor with the candidates shown:
//! Zexabit offers no lookup by our reference, so when a call may or may
//! not have arrived, the provider's own events that settled nothing (no
//! request matched, or several could) are the evidence. The supervisor
//! picks the one that is this request; it is settled from that event, and
//! the event cannot settle another.

use super::dto::RequestDetail;
use super::{ApiResult, invalid};
use crate::app::Cashdesk;
use cashdesk_domain::{ProviderKind, RequestId, RequestKind, RequestStatus};
use cashdesk_store::{InboundEvent, ProviderFacts};
use cashdesk_zexabit::webhook::WebhookEvent;
use serde::Serialize;
use ts_rs::TS;

/// How far back unmatched events are offered.
const LOOK_BACK_DAYS: i64 = 7;

/// One provider event that could be this request.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct Candidate {
    /// Identifies the event when settling with it.
    pub event_key: String,
    pub received_at: String,
    pub txn_id: String,
    /// The provider's status word ("completed", "rejected").
    pub status: String,
    pub amount: String,
    pub method: String,
    pub user_id: String,
    /// How well it fits: user, amount and method all equal ranks first.
    pub fits: Vec<String>,
    /// What Cashdesk did with it when it arrived.
    pub note: String,
}

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

/// Unmatched provider events of the request's account that could be it,
/// best fits first. Empty for providers that can be asked by reference.
pub fn candidates(app: &Cashdesk, id: RequestId) -> ApiResult<Vec<Candidate>> {
    let rec = app.store().get_request(id)?;
    if rec.provider != ProviderKind::Zexabit || rec.status != RequestStatus::OutcomeUnknown {
        return Ok(vec![]);
    }
    let since = chrono::Utc::now() - chrono::Duration::days(LOOK_BACK_DAYS);
    let mut out: Vec<(usize, Candidate)> = Vec::new();
    for e in app.store().unmatched_inbound(rec.account_id, since, 200)? {
        let Some(ev) = parse(&e) else { continue };
        if ev.event.is_deposit() != (rec.kind == RequestKind::Deposit) {
            continue;
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
            continue;
        }
        out.push((
            fits.len(),
            Candidate {
                event_key: e.dedup_key.clone(),
                received_at: e.received_at.to_rfc3339(),
                txn_id: d.transaction_id.clone(),
                status: status_word(d.status),
                amount: d.amount.to_string(),
                method: d.payment_method.clone(),
                user_id: d.user_id.clone(),
                fits,
                note: e.outcome.clone().unwrap_or_default(),
            },
        ));
    }
    out.sort_by_key(|c| std::cmp::Reverse(c.0));
    Ok(out.into_iter().map(|(_, c)| c).collect())
}

/// Settles the request from the event a person recognised as its own.
pub fn settle_with_candidate(
    app: &Cashdesk,
    id: RequestId,
    event_key: &str,
) -> ApiResult<RequestDetail> {
    let actor = app.operator()?;
    let rec = app.store().get_request(id)?;
    let event = app.store().unmatched_event(rec.account_id, event_key)?;
    let ev = parse(&event).ok_or_else(|| invalid("the stored event is unreadable"))?;
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
    // A person chose the event; what it reports is still compared, so
    // another amount shows as such rather than completing silently.
    let (to, facts, why) = if to == RequestStatus::Completed {
        let reported = crate::providers::evidence::Reported {
            kind: Some(rec.kind),
            amount: Some(ev.data.amount),
            currency: None,
            user: None,
        };
        crate::providers::evidence::completing(&rec, &reported, facts, &why).map_err(invalid)?
    } else {
        (to, facts, why)
    };
    app.store()
        .settle_with_event(id, to, &actor, &why, &facts, (rec.account_id, event_key))?;
    super::requests::get_request(app, id)
}
