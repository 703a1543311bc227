//! Paykassma postbacks pushed to `POST /postbacks/paykassma/{account}`,
//! and what a postback (pushed or looked up) means for a request.
//!
//! Nothing in a postback is read before the adapter has checked its
//! signature with the account's private key; a refused signature changes
//! nothing and answers 401. Applying is idempotent (a request already in
//! a final state is left alone), and the event is recorded in the inbound
//! log only after it was applied: a delivery that failed on our side
//! answers non-2xx and is applied when Paykassma sends it again, while a
//! redelivery of one already applied is recognised and changes nothing.

use super::paykassma::{ACTOR, Account};
use crate::app::Cashdesk;
use crate::error::{CoreError, CoreResult};
use cashdesk_domain::{AccountId, Actor, ProviderKind, RequestStatus};
use cashdesk_paykassma::{
    DepositPostback, Postback, PostbackError, PostbackLookup, Received, WithdrawalPostback,
    WithdrawalStatus,
};
use cashdesk_store::{ProviderFacts, RequestRecord};

pub(crate) enum PostbackReply {
    Ok(String),
    /// HTTP status and why; nothing was changed.
    Refused(u16, String),
}

pub(crate) async fn apply_postback(
    app: &Cashdesk,
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
    let (key, outcome) = match received {
        Received::Verified(Postback::Withdrawal(w)) => {
            let key = format!("withdrawal:{}:{}", w.withdrawal_id, i64::from(w.status));
            let v = withdrawal_verdict(&w);
            (key, settle(app, account, &w.withdrawal_id, &v)?)
        }
        Received::Verified(Postback::Deposit(d)) => {
            let mut done = Vec::new();
            for id in d.transactions.iter().filter_map(|t| t.custom_id.as_deref()) {
                done.push(settle(app, account, id, &deposit_verdict(&d, id))?);
            }
            (format!("deposit:{}", d.stockpiling_id), done.join("; "))
        }
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
                    done.push(settle(app, account, id, &deposit_verdict(&p, id))?);
                }
            }
            return Ok(PostbackReply::Ok(done.join("; ")));
        }
    };
    if !app.store().record_inbound(account, &key, body)? {
        return Ok(PostbackReply::Ok(format!("already handled: {outcome}")));
    }
    app.store().set_inbound_outcome(account, &key, &outcome)?;
    Ok(PostbackReply::Ok(outcome))
}

/// Applies Paykassma's word to the request our id names on this account.
fn settle(app: &Cashdesk, account: AccountId, id: &str, v: &Verdict) -> CoreResult<String> {
    let Some(rec) = app.store().find_by_merchant_ref(id)? else {
        return Ok(format!("no request has reference {id}"));
    };
    if rec.account_id != account || rec.provider != ProviderKind::Paykassma {
        return Ok(format!("{id} belongs to another account"));
    }
    Ok(if apply(app, &rec, v)? {
        format!("request {} {}", rec.id, v.to.label())
    } else {
        format!("request {} unchanged ({})", rec.id, rec.status.label())
    })
}

/// What Paykassma's word means for a request.
pub(crate) struct Verdict {
    pub to: RequestStatus,
    pub facts: ProviderFacts,
    pub why: String,
}

pub(crate) fn deposit_verdict(p: &DepositPostback, custom_id: &str) -> Verdict {
    let t = p
        .transactions
        .iter()
        .find(|t| t.custom_id.as_deref() == Some(custom_id));
    Verdict {
        to: RequestStatus::Completed,
        facts: ProviderFacts {
            txn_id: t.map(|t| t.transaction_id.clone()),
            status: Some("credited".into()),
            reason: None,
        },
        why: format!(
            "Paykassma credited the deposit (stockpiling {})",
            p.stockpiling_id
        ),
    }
}

pub(crate) fn withdrawal_verdict(w: &WithdrawalPostback) -> Verdict {
    let (to, status) = match w.status {
        WithdrawalStatus::Processed => (RequestStatus::Completed, "processed".to_owned()),
        WithdrawalStatus::Rejected => (RequestStatus::RejectedByProvider, "rejected".to_owned()),
        WithdrawalStatus::Other(c) => (RequestStatus::AwaitingProvider, format!("status {c}")),
    };
    let reason = (to == RequestStatus::RejectedByProvider).then(|| {
        w.comment
            .clone()
            .unwrap_or_else(|| "rejected by Paykassma".into())
    });
    Verdict {
        to,
        facts: ProviderFacts {
            txn_id: None,
            status: Some(status.clone()),
            reason,
        },
        why: format!("Paykassma reports the withdrawal {status}"),
    }
}

/// Applies a verdict if it moves the request on; `false` when nothing changed.
pub(crate) fn apply(app: &Cashdesk, rec: &RequestRecord, v: &Verdict) -> CoreResult<bool> {
    if v.to == RequestStatus::AwaitingProvider
        || rec.status.is_terminal()
        || !rec.status.next().contains(&v.to)
    {
        return Ok(false);
    }
    let actor = Actor::Provider(ACTOR.into());
    let done = super::unless_settled(
        if matches!(
            rec.status,
            RequestStatus::OutcomeUnknown | RequestStatus::Submitting
        ) {
            app.store()
                .settle_pushed(rec.id, v.to, &actor, &v.why, &v.facts)
        } else {
            app.store()
                .transition(rec.id, v.to, &actor, Some(&v.why), &v.facts)
        }
        .map_err(Into::into),
    )?;
    let Some(done) = done else {
        return Ok(false);
    };
    app.request_changed(done.id);
    app.notice(crate::notify::Notice::outcome(&done));
    Ok(true)
}
