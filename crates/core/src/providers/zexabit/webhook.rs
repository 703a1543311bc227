//! Zexabit's final word on a transaction, by signed webhook or status
//! poll: which request it is (by Zexabit's id, or for an outcome we never
//! learned by user, amount and method), compared with the request, and
//! applied in the same transaction that records the webhook as handled.

use crate::cx::Cx;
use crate::error::CoreResult;
use crate::providers::evidence::{Reported, completing};
use crate::providers::zexabit::{ACTOR, status_text};
use cashdesk_domain::{AccountId, Actor, RequestKind, RequestStatus};
use cashdesk_store::{EventApplied, EventChange, EventRecord, How, ProviderFacts, RequestRecord};
use cashdesk_zexabit::Status;

fn event_record<'a>(
    account: AccountId,
    event: Option<(&'a str, &'a [u8])>,
    outcome: &'a str,
    unmatched: bool,
) -> Option<EventRecord<'a>> {
    event.map(|(dedup_key, payload)| EventRecord {
        account,
        dedup_key,
        payload,
        outcome,
        unmatched,
    })
}

/// What the webhook endpoint answers.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum WebhookReply {
    /// Verified and handled (or a redelivery): 200.
    Ok(String),
    /// Not from Zexabit or unreadable: 401/400, nothing changed.
    Refused(u16, String),
}

/// Verifies, deduplicates and applies one webhook delivery.
pub(crate) fn apply_webhook(
    app: &Cx,
    account: AccountId,
    signature: Option<&str>,
    body: &[u8],
) -> CoreResult<WebhookReply> {
    let acc = app
        .providers()
        .account::<crate::providers::zexabit::Account>(account)?;
    let event = match cashdesk_zexabit::webhook::verify(
        acc.webhook_secret.expose().as_bytes(),
        body,
        signature,
    ) {
        Ok(ev) => ev,
        Err(e @ cashdesk_zexabit::WebhookError::Malformed(_)) => {
            return Ok(WebhookReply::Refused(400, e.to_string()));
        }
        Err(e) => return Ok(WebhookReply::Refused(401, e.to_string())),
    };
    let key = format!(
        "{}:{}",
        serde_json::to_value(event.event)
            .unwrap_or_default()
            .as_str()
            .unwrap_or(""),
        event.data.transaction_id
    );
    if app.store().inbound_seen(account, &key)? {
        return Ok(WebhookReply::Ok("already handled".into()));
    }
    let report = Report {
        deposit: event.event.is_deposit(),
        txn_id: &event.data.transaction_id,
        status: event.event.status(),
        amount: event.data.amount,
        user: Some(&event.data.user_id),
        method: Some(&event.data.payment_method),
        at: Some(event.timestamp),
    };
    // Recorded in the transaction that applies it (or not at all, so
    // Zexabit's redelivery is applied if anything fails in between).
    let outcome = match settle_from_provider(app, account, &report, Some((&key, body)))? {
        Applied::Done(text) | Applied::Unmatched(text) => text,
    };
    Ok(WebhookReply::Ok(outcome))
}

/// What a provider's word did here.
pub(crate) enum Applied {
    Done(String),
    /// No request, or more than one, could be it: left for a person.
    Unmatched(String),
}

/// What Zexabit said about one of its transactions (webhook or status).
pub(crate) struct Report<'a> {
    pub deposit: bool,
    pub txn_id: &'a str,
    pub status: Status,
    pub amount: rust_decimal::Decimal,
    /// Zexabit's user id, where the message carries it.
    pub user: Option<&'a str>,
    /// The method, where the message carries it (webhooks: enables the
    /// fallback match by user, amount and method).
    pub method: Option<&'a str>,
    /// When Zexabit says it happened (webhooks): a request made after it
    /// cannot be what it reports.
    pub at: Option<chrono::DateTime<chrono::Utc>>,
}

/// Applies a provider's final word to the request it belongs to: by
/// Zexabit's id, or else (for outcomes we never learned) by user, amount
/// and method when exactly one unsettled request matches. A completion is
/// compared with the request first: another amount needs a person.
pub(crate) fn settle_from_provider(
    app: &Cx,
    account: AccountId,
    report: &Report<'_>,
    event: Option<(&str, &[u8])>,
) -> CoreResult<Applied> {
    let applied = decide(app, account, report)?;
    let record = |outcome, unmatched| event_record(account, event, outcome, unmatched);
    let (text, unmatched, change) = match &applied {
        Decision::Leave(text) => (text.clone(), false, None),
        // Kept as a candidate for a supervisor settling by hand.
        Decision::Unmatched(text) => (text.clone(), true, None),
        Decision::Change(c) => (c.why.clone(), false, Some(c)),
    };
    let Some(c) = change else {
        if let Some(ev) = record(&text, unmatched) {
            app.store().apply_event(&ev, &[])?;
        }
        return Ok(if unmatched {
            Applied::Unmatched(text)
        } else {
            Applied::Done(text)
        });
    };
    let actor = Actor::Provider(ACTOR.into());
    let change = EventChange {
        id: c.rec.id,
        to: c.to,
        actor: &actor,
        reason: &c.why,
        facts: &c.facts,
        // Settling also closes the outbox row, so a late HTTP answer
        // changes nothing.
        how: How::Pushed,
    };
    let outcome = format!("request {} {}", c.rec.id, c.to.label());
    let done = crate::providers::unless_settled(
        match record(&outcome, false) {
            Some(ev) => app
                .store()
                .apply_event(&ev, std::slice::from_ref(&change))
                .map(|a| match a {
                    EventApplied::Recorded(mut done) => done.pop(),
                    EventApplied::Duplicate => None,
                }),
            None => app.store().apply_change(&change).map(Some),
        }
        .map_err(Into::into),
    )?;
    let Some(Some(done)) = done else {
        // Another path settled it first: the event is kept as handled.
        let text = format!("request {} already settled", c.rec.id);
        if let Some(ev) = record(&text, false) {
            app.store().apply_event(&ev, &[])?;
        }
        return Ok(Applied::Done(text));
    };
    app.notice(crate::notify::Notice::outcome(&done));
    Ok(Applied::Done(format!(
        "request {} {}",
        done.id,
        done.status.label()
    )))
}

/// A change to make on a provider's word.
struct Change {
    rec: RequestRecord,
    to: RequestStatus,
    facts: ProviderFacts,
    why: String,
}

enum Decision {
    /// Nothing to change (pending, or already final).
    Leave(String),
    Unmatched(String),
    Change(Box<Change>),
}

/// What a report means: which request, and what it moves to (compared
/// with the request first: another amount needs a person).
fn decide(app: &Cx, account: AccountId, report: &Report<'_>) -> CoreResult<Decision> {
    let txn_id = report.txn_id;
    let to = match report.status {
        Status::Completed => RequestStatus::Completed,
        Status::Rejected => RequestStatus::RejectedByProvider,
        Status::Pending => return Ok(Decision::Leave("still pending".into())),
    };
    let facts = ProviderFacts {
        txn_id: Some(txn_id.to_owned()),
        status: Some(status_text(report.status).to_owned()),
        ..Default::default()
    };
    let kind = if report.deposit {
        RequestKind::Deposit
    } else {
        RequestKind::Withdrawal
    };
    let mut matched_by = String::new();
    let found = match app.store().find_by_provider_txn(account, txn_id)? {
        Some(r) => Some(r),
        None => match (report.user, report.method) {
            (Some(user), Some(method)) => {
                match fallback(app, account, kind, user, report, method)? {
                    Ok(rec) => {
                        matched_by = format!(
                            " (matched by user {user}, amount {} and method {method}: the only request with an unknown outcome that fits and was made before the event)",
                            report.amount
                        );
                        Some(rec)
                    }
                    Err(unmatched) => return Ok(unmatched),
                }
            }
            _ => None,
        },
    };
    let Some(rec) = found else {
        return Ok(Decision::Unmatched(format!("no request matches {txn_id}")));
    };
    if rec.status.is_terminal() {
        return Ok(Decision::Leave(format!(
            "request {} already {}",
            rec.id,
            rec.status.label()
        )));
    }
    let why = format!(
        "Zexabit reports {txn_id} {}{matched_by}",
        status_text(report.status)
    );
    let (to, facts, why) = if to == RequestStatus::Completed {
        let reported = Reported {
            kind: Some(kind),
            amount: Some(report.amount),
            currency: None,
            user: report.user.map(|u| (u, rec.provider_user_id.as_deref())),
        };
        match completing(&rec, &reported, facts, &why) {
            Ok(v) => v,
            Err(foreign) => {
                return Ok(Decision::Unmatched(format!(
                    "{why}, but {foreign}: left for a supervisor"
                )));
            }
        }
    } else {
        (to, facts, why)
    };
    Ok(Decision::Change(Box::new(Change {
        rec,
        to,
        facts,
        why,
    })))
}

/// The one request an unidentified report can be (an outcome we never
/// learned): same user, amount and method, still unknown or sending.
fn fallback(
    app: &Cx,
    account: AccountId,
    kind: RequestKind,
    user: &str,
    report: &Report<'_>,
    method: &str,
) -> CoreResult<Result<RequestRecord, Decision>> {
    let txn_id = report.txn_id;
    // Not a request still sending: its own answer is coming, and taking
    // another's event for it could settle the wrong one.
    let mut c = app.store().match_candidates(
        account,
        kind,
        user,
        &report.amount,
        method,
        &[RequestStatus::OutcomeUnknown],
    )?;
    if let Some(at) = report.at {
        c.retain(|r| r.created_at <= at + chrono::Duration::seconds(1));
    }
    Ok(match c.len() {
        1 => Ok(c.pop().expect("one candidate")),
        0 => Err(Decision::Unmatched(format!("no request matches {txn_id}"))),
        n => Err(Decision::Unmatched(format!(
            "{n} requests could match {txn_id}: left for a supervisor"
        ))),
    })
}
