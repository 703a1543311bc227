//! Handing an unknown outcome to a supervisor with the candidates shown:
//! where a provider offers no lookup by our reference (Zexabit), its own
//! events that settled nothing (no request matched, or several could) are
//! the evidence. The supervisor picks the one that is this request; it is
//! settled from that event, and the event cannot settle another. What an
//! event says is the provider's step (`candidate`, `settled_by`).

use super::ApiResult;
use super::dto::RequestDetail;
use crate::app::Cashdesk;
use cashdesk_domain::{RequestId, RequestStatus};

/// How far back unmatched events are offered.
const LOOK_BACK_DAYS: i64 = 7;

pub use super::dto::Candidate;

/// Unmatched provider events of the request's account that could be it,
/// best fits first. Empty for providers that can be asked by reference.
pub fn candidates(app: &Cashdesk, id: RequestId) -> ApiResult<Vec<Candidate>> {
    app.viewing()?;
    let rec = app.store().get_request(id)?;
    if rec.status != RequestStatus::OutcomeUnknown {
        return Ok(vec![]);
    }
    let since = chrono::Utc::now() - chrono::Duration::days(LOOK_BACK_DAYS);
    let provider = crate::providers::provider(rec.provider);
    let mut out: Vec<Candidate> = app
        .store()
        .unmatched_inbound(rec.account_id, since, 200)?
        .iter()
        .filter_map(|e| provider.candidate(&rec, e))
        .collect();
    out.sort_by_key(|c| std::cmp::Reverse(c.fits.len()));
    Ok(out)
}
/// Settles the request from the event a person recognised as its own.
pub fn settle_with_candidate(
    app: &Cashdesk,
    id: RequestId,
    event_key: &str,
) -> ApiResult<RequestDetail> {
    let actor = app.acting(cashdesk_domain::Permission::Settle)?;
    let rec = app.store().get_request(id)?;
    let event = app.store().unmatched_event(rec.account_id, event_key)?;
    let (to, facts, why) = crate::providers::provider(rec.provider).settled_by(&rec, &event)?;
    app.store()
        .settle_with_event(id, to, &actor, &why, &facts, (rec.account_id, event_key))?;
    super::requests::get_request(app, id)
}
