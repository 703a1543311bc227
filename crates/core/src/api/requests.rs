//! Queue, detail and decisions.

use super::dto::{
    ClaimView, DetailLine, HistoryItem, LookupItem, QueuePage, QueueQuery, RequestDetail,
    RequestSummary, SettleOutcome, TabCounts,
};
use super::{ApiResult, invalid};
use crate::app::Cashdesk;
use cashdesk_domain::card::{mask_card, masked};
use cashdesk_domain::{Actor, ProviderKind, RequestId, RequestKind, RequestStatus};
use cashdesk_store::{Cursor, ProviderFacts, QueueView, RequestRecord};

use super::views::COUNT_CAP;

pub(crate) fn summary(app: &Cashdesk, r: &RequestRecord) -> RequestSummary {
    RequestSummary {
        method_label: app
            .providers()
            .method_label(r.account_id, &r.method)
            .unwrap_or_else(|| r.method.clone()),
        id: r.id,
        kind: r.kind,
        provider: r.provider,
        provider_label: r.provider.label().to_owned(),
        method: r.method.clone(),
        amount_display: r.money.display(),
        money: r.money.clone(),
        end_user: r
            .end_user_name
            .clone()
            .unwrap_or_else(|| r.end_user_ref.clone()),
        reference: match r.kind {
            RequestKind::Deposit => r.trx_id.clone(),
            RequestKind::Withdrawal => r.destination.as_deref().map(masked),
        },
        status: r.status,
        status_label: r.status.label().to_owned(),
        created_at: r.created_at.to_rfc3339(),
        updated_at: r.updated_at.to_rfc3339(),
        due_at: r
            .due
            .filter(|_| QueueView::of(r.status) == QueueView::Queue)
            .map(|d| d.to_rfc3339()),
    }
}

pub(crate) fn actor_name(a: &Actor) -> String {
    match a {
        Actor::Operator(o) => o.name.clone(),
        Actor::System => "Cashdesk".into(),
        Actor::Provider(p) => ProviderKind::parse(p)
            .map(|k| k.label().to_owned())
            .unwrap_or_else(|| p.clone()),
        Actor::Intake => "Operator platform".into(),
    }
}

/// A request's provider-specific details as labelled lines, in the order
/// they were given ("beneficiary_name" → "Beneficiary name").
/// The fields of `r` the detail shows that hold a card number, by name
/// (`destination`, `sender`, or a provider-specific line's label), with
/// the whole number; `extra` is `r`'s provider-specific lines.
pub(crate) fn card_fields(r: &RequestRecord, extra: &[DetailLine]) -> Vec<(String, String)> {
    [("destination", &r.destination), ("sender", &r.sender)]
        .into_iter()
        .filter_map(|(field, v)| v.as_deref().map(|t| (field.to_owned(), t)))
        .chain(extra.iter().map(|l| (l.label.clone(), l.value.as_str())))
        .filter(|(_, t)| mask_card(t).is_some())
        .map(|(field, t)| (field, t.to_owned()))
        .collect()
}

pub(crate) fn extra_lines(details: &serde_json::Value) -> Vec<DetailLine> {
    let Some(map) = details.as_object() else {
        return Vec::new();
    };
    map.iter()
        .filter_map(|(k, v)| {
            let value = match v {
                serde_json::Value::String(s) if !s.is_empty() => s.clone(),
                serde_json::Value::Number(n) => n.to_string(),
                serde_json::Value::Bool(b) => if *b { "yes" } else { "no" }.to_owned(),
                _ => return None,
            };
            let mut label = k.replace('_', " ");
            if let Some(first) = label.get_mut(0..1) {
                first.make_ascii_uppercase();
            }
            Some(DetailLine { label, value })
        })
        .collect()
}

pub fn list_queue(app: &Cashdesk, q: &QueueQuery) -> ApiResult<QueuePage> {
    app.viewing()?;
    let mut filter = super::views::query_filter(q)?;
    filter.after = match &q.after {
        Some(c) => Some(
            Cursor::decode(c)
                .filter(|c| c.sort == filter.sort)
                .ok_or_else(|| invalid("after: not a cursor from this view"))?,
        ),
        None => None,
    };
    filter.limit = q.limit.unwrap_or(100);
    let page = app.store().list_queue(&filter)?;
    let count = |v| app.store().count_view(v, COUNT_CAP);
    Ok(QueuePage {
        items: page.items.iter().map(|r| summary(app, r)).collect(),
        next: page.next.map(|c| c.encode()),
        counts: TabCounts {
            queue: count(QueueView::Queue)?,
            second: app
                .store()
                .count_status(RequestStatus::AwaitingSecondApproval, COUNT_CAP)?,
            in_flight: count(QueueView::InFlight)?,
            attention: count(QueueView::Attention)?,
        },
    })
}

pub fn get_request(app: &Cashdesk, id: RequestId) -> ApiResult<RequestDetail> {
    app.viewing()?;
    let r = app.store().get_request(id)?;
    let account_name = app
        .store()
        .account(r.account_id)
        .map(|a| a.name)
        .unwrap_or_else(|_| "removed account".into());
    let history = app
        .store()
        .history(id)?
        .into_iter()
        .map(|h| HistoryItem {
            at: h.at.to_rfc3339(),
            actor: actor_name(&h.actor),
            from: h.from,
            to: h.to,
            to_label: h.to.label().to_owned(),
            reason: h.reason,
        })
        .collect();
    let extra = extra_lines(&r.details);
    let masked_any = !card_fields(&r, &extra).is_empty();
    let (risk, approve_blocked) = super::risk::risk_of(app, &r)?;
    let outside_limits = super::risk::outside_limits(app, &r);
    let confirm_from = super::policy::confirm_threshold(&super::policy::read(app), &r.money);
    Ok(RequestDetail {
        summary: summary(app, &r),
        account_id: r.account_id,
        account_name,
        merchant_ref: r.merchant_ref.clone(),
        end_user_ref: r.end_user_ref.clone(),
        end_user_name: r.end_user_name.clone(),
        provider_user_id: r.provider_user_id.clone(),
        trx_id: r.trx_id.clone(),
        sender: r.sender.as_deref().map(masked),
        destination: r.destination.as_deref().map(masked),
        agent_number: r.agent_number.clone(),
        provider_txn_id: r.provider_txn_id.clone(),
        provider_status: r.provider_status.clone(),
        provider_reason: r.provider_reason.clone(),
        status_reason: r.status_reason.clone(),
        source: r.source.as_str().to_owned(),
        history,
        extra: extra
            .into_iter()
            .map(|l| DetailLine {
                value: masked(&l.value),
                ..l
            })
            .collect(),
        masked: masked_any,
        // A failed request may be approved again (sent again, same
        // reference) once its cause is fixed, or rejected for good.
        can_decide: r.status.is_decidable() || r.status == RequestStatus::Failed,
        can_settle: matches!(
            r.status,
            RequestStatus::OutcomeUnknown | RequestStatus::AmountDiffers
        ),
        claim: claim_of(app, id)?,
        blocked: blocked(app, &r),
        settled: r.settled.clone(),
        settled_display: r.settled.as_ref().map(|m| m.display()),
        screenshot: app.store().request_screenshot(id)?.map(Into::into),
        lookups: app
            .store()
            .lookups(id)?
            .into_iter()
            .map(|l| LookupItem {
                question: l.question,
                answer: l.answer,
                first_at: l.first_at.to_rfc3339(),
                last_at: l.last_at.to_rfc3339(),
                times: u32::try_from(l.times).unwrap_or(u32::MAX),
            })
            .collect(),
        risk,
        outside_limits,
        approve_blocked,
        confirm_from,
    })
}

/// Commits the decision and its provider call together, wakes the outbox
/// worker and returns at once: approving never waits on the network.
/// An amount at or above the admin's threshold is refused unconfirmed
/// (`approve_confirmed`), whatever window or script asked.
pub fn approve(app: &Cashdesk, id: RequestId) -> ApiResult<RequestDetail> {
    approve_as(app, id, false)
}

/// Approves after the person confirmed the amount (the one-key prompt).
pub fn approve_confirmed(app: &Cashdesk, id: RequestId) -> ApiResult<RequestDetail> {
    approve_as(app, id, true)
}

/// What the window calls: the provider's latest state first where its
/// document asks for it (CashWeb near a deadline), then the approval.
pub async fn approve_from_window(
    app: &Cashdesk,
    id: RequestId,
    confirmed: bool,
) -> ApiResult<RequestDetail> {
    app.acting(cashdesk_domain::Permission::Decide)?;
    let rec = app.store().get_request(id)?;
    crate::providers::before_approve(app.cx(), &rec).await?;
    approve_as(app, id, confirmed)
}

fn approve_as(app: &Cashdesk, id: RequestId, confirmed: bool) -> ApiResult<RequestDetail> {
    let actor = app.acting(cashdesk_domain::Permission::Decide)?;
    let rec = app.store().get_request(id)?;
    if !confirmed
        && let Some(t) = super::policy::confirm_threshold(&super::policy::read(app), &rec.money)
    {
        return Err(crate::error::CoreError::NeedsConfirmation(format!(
            "Approving {} needs a confirmation: the desk confirms approvals from {}.",
            rec.money.display(),
            t.display()
        ))
        .into());
    }
    let call = crate::providers::outbox_call(app.cx(), &rec)?;
    app.store()
        .approve(id, &actor, &call.effect, &call.payload)?;
    app.wake_worker();
    get_request(app, id)
}

/// Rejects with a reason. Where the provider must hear of it (CashWeb:
/// cancel), its latest state is fetched first (a deposit there refuses
/// the rejection), then the call is committed with the rejection and the
/// worker sends it.
pub async fn reject(app: &Cashdesk, id: RequestId, reason: &str) -> ApiResult<RequestDetail> {
    let actor = app.acting(cashdesk_domain::Permission::Decide)?;
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(invalid("A reason is required to reject a request"));
    }
    if reason.chars().count() > 500 {
        return Err(invalid("Reason: at most 500 characters"));
    }
    let rec = app.store().get_request(id)?;
    crate::providers::before_reject(app.cx(), &rec).await?;
    match crate::providers::reject_call(&rec)? {
        Some(call) => {
            app.store()
                .reject_with_follow_up(id, &actor, reason, &call.effect, &call.payload)?;
            app.wake_worker();
        }
        None => {
            app.store().reject(id, &actor, reason)?;
        }
    }
    get_request(app, id)
}

/// A person settles an unknown outcome after checking with the provider.
/// "Not received" puts the call back in the outbox: the one case where it
/// is sent again, on a person's word.
pub fn settle(
    app: &Cashdesk,
    id: RequestId,
    outcome: SettleOutcome,
    note: &str,
) -> ApiResult<RequestDetail> {
    let actor = app.acting(cashdesk_domain::Permission::Settle)?;
    let note = note.trim();
    if note.is_empty() {
        return Err(invalid(
            "Say how you checked (a note is required to settle)",
        ));
    }
    let to = match outcome {
        SettleOutcome::Completed => RequestStatus::Completed,
        SettleOutcome::RejectedByProvider => RequestStatus::RejectedByProvider,
        SettleOutcome::NotReceived => RequestStatus::Approved,
    };
    app.store()
        .settle(id, to, &actor, note, &ProviderFacts::default())?;
    app.wake_worker();
    get_request(app, id)
}

/// Asks the provider now, instead of waiting for the poller: the status
/// of a request it accepted, or (where the provider can be asked by our
/// reference) whether a call with an unknown outcome arrived.
pub async fn check_with_provider(app: &Cashdesk, id: RequestId) -> ApiResult<RequestDetail> {
    // The provider's answer may settle the request or queue its call again.
    app.acting(cashdesk_domain::Permission::Decide)?;
    let rec = app.store().get_request(id)?;
    let asked = match rec.status {
        RequestStatus::OutcomeUnknown => crate::providers::resolve_unknown(app.cx(), &rec).await,
        RequestStatus::AwaitingProvider => crate::providers::poll(app.cx(), &rec).await,
        _ => Ok(()),
    };
    // A push or the poller may have moved it on while this asked (the
    // answer then no longer applies): the person sees where it is now.
    // An error on a request nothing else touched is theirs to see.
    if let Err(e) = asked
        && app.store().get_request(id)?.version == rec.version
    {
        return Err(e.into());
    }
    get_request(app, id)
}

/// Reads CashWeb's transaction lists now (the poller does this too):
/// every new transaction becomes one pending deposit. Returns how many.
pub async fn sync_cashweb(app: &Cashdesk) -> ApiResult<u32> {
    app.viewing()?;
    Ok(crate::providers::read_feeds(app.cx(), 100, 20).await?)
}

/// [`sync_cashweb`] with a page size and page budget (tests, backfills).
pub async fn sync_cashweb_pages(app: &Cashdesk, limit: u32, max_pages: u32) -> ApiResult<u32> {
    app.viewing()?;
    Ok(crate::providers::read_feeds(app.cx(), limit, max_pages).await?)
}

/// How long a claim lasts unless renewed (the window renews it while the
/// request stays open).
pub const CLAIM_LEASE: std::time::Duration = std::time::Duration::from_secs(120);

fn lease_ms() -> i64 {
    i64::try_from(CLAIM_LEASE.as_millis()).unwrap_or(i64::MAX)
}

/// Why the logged-in operator may not decide `r` now, in words the
/// window shows beside the disabled buttons (the core refuses it anyway).
fn blocked(app: &Cashdesk, r: &RequestRecord) -> Option<String> {
    let (me, roles) = app.active().ok()?;
    if let Some(why) = not_theirs(&me, &roles, r) {
        return Some(why);
    }
    match app.store().claim_of(r.id).ok().flatten() {
        Some(c) if c.by.id != me.id => Some(format!(
            "{} is on it (since {}).",
            c.by.name,
            c.since.format("%H:%M UTC")
        )),
        _ => None,
    }
}

/// Why `me` may not decide `r` by role or maker–checker (claims aside).
fn not_theirs(
    me: &cashdesk_domain::OperatorRef,
    roles: &cashdesk_domain::Roles,
    r: &RequestRecord,
) -> Option<String> {
    use cashdesk_domain::Permission;
    if r.status == RequestStatus::AwaitingSecondApproval {
        if !roles.may(Permission::SecondApproval) {
            return Some("Waiting for a supervisor's second approval.".into());
        }
        if r.first_approver == Some(me.id) {
            return Some(
                "You gave the first approval: a different supervisor gives the second.".into(),
            );
        }
    }
    if !(r.status.is_decidable() || r.status == RequestStatus::Failed) {
        return None;
    }
    if !roles.may(Permission::Decide) {
        return Some(crate::error::CoreError::NeedsRole(Permission::Decide).to_string());
    }
    if r.entered_by == Some(me.id) {
        return Some("You entered this request: another operator approves it.".into());
    }
    None
}

fn claim_view(c: cashdesk_store::Claim, me: Option<cashdesk_domain::OperatorId>) -> ClaimView {
    ClaimView {
        mine: Some(c.by.id) == me,
        by: c.by.name,
        since: c.since.to_rfc3339(),
        until: c.until.to_rfc3339(),
    }
}

/// Opening a request to decide it claims it (or renews the claim); while
/// another operator holds it, says who ("Rina is on it").
pub fn claim(app: &Cashdesk, id: RequestId) -> ApiResult<ClaimView> {
    let (who, roles) = app.active()?;
    // Only someone who could decide it holds it: a claim must never keep
    // the person who can (a supervisor, another agent) waiting.
    if let Some(why) = not_theirs(&who, &roles, &app.store().get_request(id)?) {
        return Err(super::dto::ApiError {
            code: super::dto::ErrorCode::NeedsRole,
            message: why,
        });
    }
    let renewal = app.store().claim_of(id)?.is_some_and(|c| c.by.id == who.id);
    let c = app.store().claim(id, &who, lease_ms())?;
    // Others looking at it see who is on it (PostgreSQL also tells the
    // other servers); a renewal changes nothing they see.
    if !renewal {
        claim_changed(app, id);
    }
    Ok(claim_view(c, Some(who.id)))
}

fn claim_changed(app: &Cashdesk, id: RequestId) {
    app.changed(super::dto::Changed {
        requests: vec![id],
        ..Default::default()
    });
}

/// Lets go of the logged-in operator's claim (moving on).
pub fn release(app: &Cashdesk, id: RequestId) -> ApiResult<()> {
    let (who, _) = app.active()?;
    app.store().release_claim(id, who.id)?;
    claim_changed(app, id);
    Ok(())
}

/// A supervisor takes over another operator's claim (audited).
pub fn take_over(app: &Cashdesk, id: RequestId) -> ApiResult<ClaimView> {
    let actor = app.acting(cashdesk_domain::Permission::TakeOver)?;
    let me = actor.operator_ref().map(|o| o.id);
    let c = app.store().take_over_claim(id, &actor, lease_ms())?;
    claim_changed(app, id);
    Ok(claim_view(c, me))
}

/// The live claim on a request, if any.
pub fn claim_of(app: &Cashdesk, id: RequestId) -> ApiResult<Option<ClaimView>> {
    let me = app.session_state()?.1.map(|o| o.id);
    Ok(app.store().claim_of(id)?.map(|c| claim_view(c, me)))
}
