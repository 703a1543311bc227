//! Paykassma postbacks pushed to `POST /postbacks/paykassma/{account}`,
//! and what a postback (pushed or looked up) means for a request.
//!
//! Nothing in a postback is read before the adapter has checked its
//! signature with the account's private key; a refused signature changes
//! nothing and answers 401. A verified postback is recorded in the inbound
//! log in the same transaction that applies it (every request it settles,
//! or none): a delivery that failed on our side answers non-2xx and is
//! applied when Paykassma sends it again, while a redelivery of one
//! already applied is recognised and changes nothing.

use crate::cx::Cx;
use crate::error::{CoreError, CoreResult};
use crate::providers::evidence::{Reported, completing};
use crate::providers::paykassma::{ACTOR, Account};
use cashdesk_domain::{AccountId, Actor, ProviderKind, RequestKind, RequestStatus};
use cashdesk_paykassma::{
    DepositPostback, Postback, PostbackError, PostbackLookup, Received, WithdrawalPostback,
    WithdrawalStatus,
};
use cashdesk_store::{EventApplied, EventChange, EventRecord, How, ProviderFacts, RequestRecord};

pub(crate) enum PostbackReply {
    Ok(String),
    /// HTTP status and why; nothing was changed.
    Refused(u16, String),
}

pub(crate) async fn apply_postback(
    app: &Cx,
    account: AccountId,
    acc: &Account,
    body: &[u8],
) -> CoreResult<PostbackReply> {
    let received = match acc.client.verify_postback(body) {
        Ok(r) => r,
        Err(e @ (PostbackError::MissingSignature | PostbackError::BadSignature)) => {
            return Ok(PostbackReply::Refused(401, e.to_string()));
        }
        Err(e) => return Ok(PostbackReply::Refused(400, e.to_string())),
    };
    let p = match received {
        Received::Verified(p) => p,
        // Unsigned (allowed by the account's settings): only the ids are
        // used, to look the postbacks up with the secret.
        Received::LookUp { custom_ids, .. } => {
            let mut done = Vec::new();
            for id in &custom_ids {
                let found = acc
                    .client
                    .postback_by_custom_id(id)
                    .await
                    .map_err(|e| CoreError::Provider(e.to_string()))?;
                if let PostbackLookup::Found(p) = found {
                    done.push(settle(app, account, id, |rec| deposit_verdict(&p, rec))?);
                }
            }
            return Ok(PostbackReply::Ok(done.join("; ")));
        }
    };
    apply_verified(app, account, &p, body)
}

/// Our ids a verified postback speaks for, and its key in the inbound log.
fn speaks_for(p: &Postback) -> (Vec<&str>, String) {
    match p {
        Postback::Withdrawal(w) => (
            vec![w.withdrawal_id.as_str()],
            format!("withdrawal:{}:{}", w.withdrawal_id, i64::from(w.status)),
        ),
        Postback::Deposit(d) => (
            d.transactions
                .iter()
                .filter_map(|t| t.custom_id.as_deref())
                .collect(),
            format!("deposit:{}", d.stockpiling_id),
        ),
    }
}

fn verdict_for(p: &Postback, rec: &RequestRecord) -> Verdict {
    match p {
        Postback::Withdrawal(w) => withdrawal_verdict(w, rec),
        Postback::Deposit(d) => deposit_verdict(d, rec),
    }
}

/// Decides from what is stored, then records the postback and applies
/// every change it makes in one transaction. When another path settled
/// one of its requests in between, the transaction is refused whole and
/// the postback decided again (that request now stays as it is): at most
/// once more per request, since a settled request stays settled.
fn apply_verified(
    app: &Cx,
    account: AccountId,
    p: &Postback,
    body: &[u8],
) -> CoreResult<PostbackReply> {
    let (ids, key) = speaks_for(p);
    let actor = Actor::Provider(ACTOR.into());
    for _ in 0..=ids.len() {
        if app.store().inbound_seen(account, &key)? {
            break;
        }
        let mut said = Vec::new();
        let mut moves = Vec::new();
        for id in &ids {
            match plan(app, account, id, |rec| verdict_for(p, rec))? {
                Plan::Say(text) => said.push(text),
                Plan::Move(m) => {
                    said.push(format!("request {} {}", m.0.id, m.1.to.label()));
                    moves.push(*m);
                }
            }
        }
        let outcome = said.join("; ");
        let changes: Vec<EventChange<'_>> = moves
            .iter()
            .map(|(rec, v)| EventChange {
                id: rec.id,
                to: v.to,
                actor: &actor,
                reason: &v.why,
                facts: &v.facts,
                how: How::Pushed,
            })
            .collect();
        let event = EventRecord {
            account,
            dedup_key: &key,
            payload: body,
            outcome: &outcome,
            unmatched: false,
        };
        let applied = crate::providers::unless_settled(
            app.store()
                .apply_event(&event, &changes)
                .map_err(Into::into),
        )?;
        match applied {
            Some(EventApplied::Recorded(done)) => {
                for d in &done {
                    app.notice(crate::notify::Notice::outcome(d));
                }
                return Ok(PostbackReply::Ok(outcome));
            }
            Some(EventApplied::Duplicate) => break,
            None => continue,
        }
    }
    Ok(PostbackReply::Ok("already handled".into()))
}

/// What Paykassma's word does to the request our id names on this account.
enum Plan {
    /// Nothing to change, and why.
    Say(String),
    Move(Box<(RequestRecord, Verdict)>),
}

fn plan(
    app: &Cx,
    account: AccountId,
    id: &str,
    verdict: impl FnOnce(&RequestRecord) -> Verdict,
) -> CoreResult<Plan> {
    let Some(rec) = app.store().find_by_merchant_ref(id)? else {
        return Ok(Plan::Say(format!("no request has reference {id}")));
    };
    if rec.account_id != account || rec.provider != ProviderKind::Paykassma {
        return Ok(Plan::Say(format!("{id} belongs to another account")));
    }
    let v = verdict(&rec);
    Ok(if moves(&rec, &v) {
        Plan::Move(Box::new((rec, v)))
    } else {
        Plan::Say(format!(
            "request {} unchanged ({}): {}",
            rec.id,
            rec.status.label(),
            v.why
        ))
    })
}

/// Whether a verdict moves the request on (final states stay final).
fn moves(rec: &RequestRecord, v: &Verdict) -> bool {
    v.to != RequestStatus::AwaitingProvider
        && !rec.status.is_terminal()
        && rec.status.next().contains(&v.to)
}

/// Applies Paykassma's word (looked up, not pushed) to the request our id
/// names on this account.
fn settle(
    app: &Cx,
    account: AccountId,
    id: &str,
    verdict: impl FnOnce(&RequestRecord) -> Verdict,
) -> CoreResult<String> {
    Ok(match plan(app, account, id, verdict)? {
        Plan::Say(text) => text,
        Plan::Move(m) => {
            let (rec, v) = *m;
            if apply(app, &rec, &v)? {
                format!("request {} {}", rec.id, v.to.label())
            } else {
                format!("request {} unchanged: {}", rec.id, v.why)
            }
        }
    })
}

/// What Paykassma's word means for a request.
pub(crate) struct Verdict {
    pub to: RequestStatus,
    pub facts: ProviderFacts,
    pub why: String,
}

impl Verdict {
    /// A completing report, compared with the request first: completed,
    /// amount differs, or (another user or kind) nothing.
    fn completing(
        rec: &RequestRecord,
        reported: &Reported<'_>,
        facts: ProviderFacts,
        why: String,
    ) -> Self {
        match completing(rec, reported, facts, &why) {
            Ok((to, facts, why)) => Verdict { to, facts, why },
            Err(foreign) => Verdict {
                to: RequestStatus::AwaitingProvider,
                facts: ProviderFacts::default(),
                why: format!("{why}, but {foreign}: not applied"),
            },
        }
    }
}

/// A deposit postback for the request: the transaction carrying our id is
/// compared with it (amount, currency, the user's label). Savings pool
/// several payments into one postback, so only our transaction counts.
pub(crate) fn deposit_verdict(p: &DepositPostback, rec: &RequestRecord) -> Verdict {
    let custom_id = rec.merchant_ref.0.as_str();
    let t = p
        .transactions
        .iter()
        .find(|t| t.custom_id.as_deref() == Some(custom_id));
    let facts = ProviderFacts {
        txn_id: t.map(|t| t.transaction_id.clone()),
        status: Some("credited".into()),
        ..Default::default()
    };
    let reported = Reported {
        kind: Some(RequestKind::Deposit),
        amount: t.map(|t| t.amount),
        currency: t.map(|t| t.currency_code.as_str()),
        user: Some((p.label.as_str(), Some(rec.end_user_ref.as_str()))),
    };
    let why = format!(
        "Paykassma credited the deposit (stockpiling {})",
        p.stockpiling_id
    );
    Verdict::completing(rec, &reported, facts, why)
}

pub(crate) fn withdrawal_verdict(w: &WithdrawalPostback, rec: &RequestRecord) -> Verdict {
    let (to, status) = match w.status {
        WithdrawalStatus::Processed => (RequestStatus::Completed, "processed".to_owned()),
        WithdrawalStatus::Rejected => (RequestStatus::RejectedByProvider, "rejected".to_owned()),
        WithdrawalStatus::Other(c) => (RequestStatus::AwaitingProvider, format!("status {c}")),
    };
    let why = format!("Paykassma reports the withdrawal {status}");
    if to == RequestStatus::Completed {
        let facts = ProviderFacts {
            status: Some(status),
            ..Default::default()
        };
        let reported = Reported {
            kind: Some(RequestKind::Withdrawal),
            amount: Some(w.amount),
            currency: Some(w.currency_code.as_str()),
            user: Some((w.label.as_str(), Some(rec.end_user_ref.as_str()))),
        };
        return Verdict::completing(rec, &reported, facts, why);
    }
    let reason = (to == RequestStatus::RejectedByProvider).then(|| {
        w.comment
            .clone()
            .unwrap_or_else(|| "rejected by Paykassma".into())
    });
    Verdict {
        to,
        facts: ProviderFacts {
            status: Some(status),
            reason,
            ..Default::default()
        },
        why,
    }
}

/// Applies a verdict if it moves the request on; `false` when nothing changed.
pub(crate) fn apply(app: &Cx, rec: &RequestRecord, v: &Verdict) -> CoreResult<bool> {
    if !moves(rec, v) {
        return Ok(false);
    }
    let actor = Actor::Provider(ACTOR.into());
    let done = crate::providers::unless_settled(
        app.store()
            .apply_change(&EventChange {
                id: rec.id,
                to: v.to,
                actor: &actor,
                reason: &v.why,
                facts: &v.facts,
                how: How::Pushed,
            })
            .map_err(Into::into),
    )?;
    let Some(done) = done else {
        return Ok(false);
    };
    app.notice(crate::notify::Notice::outcome(&done));
    Ok(true)
}
