//! CashWeb in the core. Deposits are not pushed to us: they are read from
//! CashWeb's transaction list (`cashweb_feed.rs`). Approving credits the
//! user only once a fresh fetch shows the deposit confirmed by the
//! documented reconciliation fields (never by a status name the document
//! does not give; see `cashdesk_cashweb::evidence`); anything unclear goes
//! to a person. Rejecting first fetches the latest state (as the document
//! asks before any user-facing action) and is refused if a deposit is
//! there; the cancel then goes as a follow-up call with an
//! `Idempotency-Key` derived from the merchant reference, so resending
//! after any failure can never cancel twice; a 409 sends the request to a
//! person with CashWeb's real state.

pub(crate) mod feed;
mod provider;

use crate::cx::Cx;
use crate::error::{CoreError, CoreResult};
use cashdesk_cashweb::{
    AuthScheme, Client, ClientConfig, Error as CwError, Evidence, IdempotencyKey, Transaction,
};
use cashdesk_domain::{Actor, RequestStatus};
use cashdesk_store::{
    AccountRecord, NewRequest, OutboxOutcome, OutboxRow, ProviderFacts, RequestRecord, Source,
};

pub(crate) const ACTOR: &str = "cashweb";

/// CashWeb's steps (the registry's entry).
pub(crate) struct Cashweb;

/// The calls approving (credit: fetch, then confirm) and rejecting
/// (cancel, idempotent) cause, stored under their effect strings.
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(tag = "effect", content = "payload")]
pub(crate) enum Call {
    #[serde(rename = "cashweb.credit")]
    Credit { id: String },
    #[serde(rename = "cashweb.cancel")]
    Cancel { id: String, idempotency_key: String },
}

pub(crate) struct Account {
    pub client: Client,
}

/// Account settings kept in SQLite (no secrets).
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Settings {
    /// The API key's header, e.g. `X-API-Key`; empty: `Authorization: Bearer`.
    pub auth_header: Option<String>,
}

pub(crate) fn build(rec: &AccountRecord, api_key: &str) -> CoreResult<Account> {
    let settings: Settings = serde_json::from_value(rec.config.clone()).unwrap_or_default();
    let auth = match settings.auth_header.filter(|h| !h.trim().is_empty()) {
        Some(name) => AuthScheme::Header {
            name: name.trim().to_owned(),
        },
        None => AuthScheme::Bearer,
    };
    let config = ClientConfig {
        auth,
        ..Default::default()
    };
    let client = Client::new(&rec.base_url, api_key, config)
        .map_err(|e| CoreError::Invalid(format!("{}: {e}", rec.name)))?;
    Ok(Account { client })
}

/// CashWeb requests come only from CashWeb's own list.
pub(crate) fn validate(new: &NewRequest) -> CoreResult<()> {
    if new.source != Source::Provider {
        return Err(CoreError::Invalid(
            "CashWeb deposits come only from CashWeb's transaction list; they cannot be entered or pushed".into(),
        ));
    }
    Ok(())
}

pub(crate) fn txn_id(rec: &RequestRecord) -> CoreResult<String> {
    rec.provider_txn_id
        .clone()
        .ok_or_else(|| CoreError::Invalid("this request has no CashWeb transaction id".into()))
}

/// Approve: a credit that first fetches the latest state.
pub(crate) fn outbox_call(rec: &RequestRecord) -> CoreResult<Call> {
    Ok(Call::Credit { id: txn_id(rec)? })
}

/// Reject: cancel at CashWeb with the one key for this reference.
pub(crate) fn reject_call(rec: &RequestRecord) -> CoreResult<Call> {
    let reference = rec
        .details
        .get("merchant_reference")
        .and_then(|v| v.as_str())
        .unwrap_or(&rec.end_user_ref);
    let key =
        IdempotencyKey::for_cancel(reference).map_err(|e| CoreError::Invalid(e.to_string()))?;
    Ok(Call::Cancel {
        id: txn_id(rec)?,
        idempotency_key: key.as_str().to_owned(),
    })
}

/// A read or an idempotent cancel can always be sent again safely.
fn on_error(e: &CwError, attempts: i64) -> OutboxOutcome {
    crate::providers::fate::outcome(
        e.fate(),
        e.to_string(),
        attempts,
        crate::providers::fate::Repeatable::Yes,
    )
}

/// What a fresh fetch of `t` means for an approved deposit: confirmed →
/// credited; a deposit confirming or none yet → approved and waiting (the
/// poller credits it once the fields say confirmed); expired, cancelled
/// or unclear → a person.
fn credit_decision(t: &Transaction) -> OutboxOutcome {
    match t.evidence() {
        Evidence::Confirmed => OutboxOutcome::Completed {
            status: t.status.to_string(),
        },
        Evidence::Expired => OutboxOutcome::Failed {
            reason: "CashWeb reports this deposit expired: no deposit arrived in time".to_owned(),
        },
        Evidence::Cancelled => OutboxOutcome::Failed {
            reason: "CashWeb reports this transaction cancelled".to_owned(),
        },
        Evidence::Unclear(why) => OutboxOutcome::Failed { reason: why },
        Evidence::Confirming { .. } | Evidence::Awaiting => OutboxOutcome::Accepted {
            txn_id: t.id.clone(),
            status: waiting(t),
        },
    }
}

/// "waiting for confirmations: processing, 1/3", or for the deposit.
pub(crate) fn waiting(t: &Transaction) -> String {
    match t.evidence() {
        Evidence::Awaiting => format!("waiting for the customer's deposit: {}", t.status),
        _ => format!(
            "waiting for confirmations: {}, {}/{}",
            t.status,
            t.confirmations.unwrap_or(0),
            t.required_confirmations
                .map(|n| n.to_string())
                .unwrap_or_else(|| "?".into())
        ),
    }
}

pub(crate) async fn deliver(acc: &Account, row: &OutboxRow) -> OutboxOutcome {
    let call: Call = match crate::providers::shape::read(row) {
        Ok(c) => c,
        Err(failed) => return failed,
    };
    match call {
        Call::Credit { id } => match acc.client.transaction(&id).await {
            Ok(t) => credit_decision(&t),
            Err(e) => on_error(&e, row.attempts),
        },
        Call::Cancel {
            id,
            idempotency_key,
        } => {
            let key = match IdempotencyKey::new(&idempotency_key) {
                Ok(k) => k,
                Err(e) => {
                    return OutboxOutcome::Failed {
                        reason: e.to_string(),
                    };
                }
            };
            match acc.client.cancel_transaction(&id, &key).await {
                Ok(t) => OutboxOutcome::Accepted {
                    txn_id: t.id,
                    status: t.status.to_string(),
                },
                Err(e @ CwError::NotCancellable { .. }) => {
                    let said = e
                        .provider_message()
                        .map(str::to_owned)
                        .unwrap_or_else(|| e.to_string());
                    // Show the real state, not only the refusal.
                    let now = match acc.client.transaction(&id).await {
                        Ok(t) => format!("CashWeb now shows {}", t.summary()),
                        Err(e) => format!("its current state could not be fetched: {e}"),
                    };
                    OutboxOutcome::Rejected {
                        reason: format!(
                            "CashWeb refused the cancel (409: {said}); {now}. The customer's coins may have arrived: approve to credit them, or reject again once settled with CashWeb"
                        ),
                    }
                }
                Err(e) => on_error(&e, row.attempts),
            }
        }
    }
}

/// A credit is only a fetch and a cancel is idempotent: after a crash
/// both are simply sent again.
pub(crate) fn recover() -> OutboxOutcome {
    OutboxOutcome::Retry {
        at_ms: chrono::Utc::now().timestamp_millis(),
        reason: "Cashdesk stopped while asking CashWeb; asking again".into(),
    }
}

/// An unknown credit goes back to the outbox: it only fetches again.
pub(crate) fn resolve_unknown(app: &Cx, rec: &RequestRecord) -> CoreResult<()> {
    let actor = Actor::Provider(ACTOR.into());
    app.store().settle(
        rec.id,
        RequestStatus::Approved,
        &actor,
        "crediting only re-fetches the CashWeb transaction: checking again",
        &ProviderFacts::default(),
    )?;
    app.wake_worker();
    Ok(())
}

/// A pending request CashWeb reports expired becomes Expired.
pub(crate) fn apply_expiry(app: &Cx, rec: &RequestRecord, t: &Transaction) -> CoreResult<()> {
    if t.evidence() != Evidence::Expired
        || !rec.status.next().contains(&RequestStatus::Expired)
        || rec.status == RequestStatus::AwaitingProvider
    {
        return Ok(());
    }
    let facts = ProviderFacts {
        status: Some(t.status.to_string()),
        ..Default::default()
    };
    app.store().transition(
        rec.id,
        RequestStatus::Expired,
        &Actor::Provider(ACTOR.into()),
        Some("CashWeb reports the deposit expired"),
        &facts,
    )?;
    Ok(())
}

/// Asks CashWeb about a request: a pending one past its deadline may have
/// expired; an approved one waiting for confirmations is credited once
/// CashWeb confirms it (or ends expired / cancelled).
pub(crate) async fn poll(app: &Cx, acc: &Account, rec: &RequestRecord) -> CoreResult<()> {
    let t = acc
        .client
        .transaction(&txn_id(rec)?)
        .await
        .map_err(|e| CoreError::Provider(e.to_string()))?;
    if rec.status != RequestStatus::AwaitingProvider {
        if let Evidence::Unclear(why) = t.evidence() {
            show_status(app, rec, &why)?;
        }
        return apply_expiry(app, rec, &t);
    }
    let (to, why) = match t.evidence() {
        Evidence::Confirmed => (
            RequestStatus::Completed,
            format!(
                "CashWeb's reconciliation fields show the deposit confirmed ({}): credited",
                t.summary()
            ),
        ),
        Evidence::Expired => (
            RequestStatus::Expired,
            "CashWeb reports the deposit expired".to_owned(),
        ),
        Evidence::Cancelled => (
            RequestStatus::RejectedByProvider,
            "CashWeb reports the transaction cancelled".to_owned(),
        ),
        // Never wait in silence on what Cashdesk cannot read: a person.
        Evidence::Unclear(why) => (RequestStatus::Failed, why),
        Evidence::Confirming { .. } | Evidence::Awaiting => {
            return show_status(app, rec, &waiting(&t));
        }
    };
    let facts = ProviderFacts {
        status: Some(t.status.to_string()),
        ..Default::default()
    };
    crate::providers::provider_transition(app, rec.id, to, ACTOR, &why, &facts)?;
    Ok(())
}

/// CashWeb's latest word on a request that stays where it is.
fn show_status(app: &Cx, rec: &RequestRecord, now: &str) -> CoreResult<()> {
    if rec.provider_status.as_deref() != Some(now) {
        app.store().set_provider_status(rec.id, now)?;
    }
    Ok(())
}

/// The document: fetch the latest state before any user-facing action.
/// Before a rejection (which cancels at CashWeb): refused while a deposit
/// is there or the state is unclear, and when CashWeb cannot be asked.
pub(crate) async fn check_before_reject(app: &Cx, rec: &RequestRecord) -> CoreResult<()> {
    let Some(id) = rec.provider_txn_id.as_deref() else {
        return Ok(());
    };
    let acc = app
        .providers()
        .account::<crate::providers::cashweb::Account>(rec.account_id)?;
    let question = format!("transaction {id}, before rejecting");
    let t = match acc.client.transaction(id).await {
        Ok(t) => t,
        Err(e) => {
            crate::providers::note_lookup(app, rec, &question, &format!("no answer: {e}"))?;
            return Err(CoreError::Provider(format!(
                "CashWeb could not be asked for the latest state before rejecting ({e}); nothing was rejected: try again when CashWeb answers"
            )));
        }
    };
    crate::providers::note_lookup(app, rec, &question, &t.summary())?;
    show_status(app, rec, &waiting(&t))?;
    match t.evidence() {
        Evidence::Awaiting | Evidence::Expired | Evidence::Cancelled => Ok(()),
        Evidence::Confirmed => Err(CoreError::Invalid(format!(
            "CashWeb shows the customer's deposit confirmed ({}): approve to credit it; Cashdesk will not cancel a paid deposit",
            t.summary()
        ))),
        Evidence::Confirming { have, need } => Err(CoreError::Invalid(format!(
            "CashWeb shows the customer's deposit arriving ({}/{} confirmations): wait for it, then approve; Cashdesk will not cancel a deposit in flight",
            have.unwrap_or(0),
            need.map(|n| n.to_string()).unwrap_or_else(|| "?".into())
        ))),
        Evidence::Unclear(why) => Err(CoreError::Invalid(format!("{why}; nothing was rejected"))),
    }
}

/// Within this of its deadline (or past it) a transaction is asked about
/// again before an agent acts on it.
pub(crate) const NEAR_DEADLINE: chrono::Duration = chrono::Duration::minutes(5);

pub(crate) fn near_deadline(rec: &RequestRecord) -> bool {
    rec.due
        .is_some_and(|due| due - chrono::Utc::now() <= NEAR_DEADLINE)
}

/// The latest state of a transaction near its deadline, before approving:
/// an expired or cancelled one is recorded so and not approved; no answer
/// means nothing is approved either (the deadline may have passed).
pub(crate) async fn check_before_approve(app: &Cx, rec: &RequestRecord) -> CoreResult<()> {
    let Some(id) = rec.provider_txn_id.as_deref() else {
        return Ok(());
    };
    let acc = app
        .providers()
        .account::<crate::providers::cashweb::Account>(rec.account_id)?;
    let question = format!("transaction {id}, near its deadline, before approving");
    let t = match acc.client.transaction(id).await {
        Ok(t) => t,
        Err(e) => {
            crate::providers::note_lookup(app, rec, &question, &format!("no answer: {e}"))?;
            return Err(CoreError::Provider(format!(
                "CashWeb could not be asked for the latest state of this deposit near its deadline ({e}); nothing was approved: try again when CashWeb answers"
            )));
        }
    };
    crate::providers::note_lookup(app, rec, &question, &t.summary())?;
    show_status(app, rec, &waiting(&t))?;
    apply_expiry(app, rec, &t)?;
    match t.evidence() {
        Evidence::Expired | Evidence::Cancelled => Err(CoreError::Invalid(format!(
            "CashWeb shows this deposit {} ({}): nothing was approved",
            t.status,
            t.summary()
        ))),
        _ => Ok(()),
    }
}

pub(crate) fn new_request(
    account: cashdesk_domain::AccountId,
    t: &Transaction,
) -> CoreResult<NewRequest> {
    use cashdesk_domain::{Money, ProviderKind, RequestKind};
    let currency = t.crypto_currency.to_uppercase();
    let money = Money::new(
        t.crypto_amount,
        cashdesk_domain::Currency::new(&currency).map_err(|e| CoreError::Invalid(e.to_string()))?,
    )
    .map_err(|e| CoreError::Invalid(e.to_string()))?;
    let network = t.network.clone().unwrap_or_default();
    Ok(NewRequest {
        kind: RequestKind::Deposit,
        provider: ProviderKind::Cashweb,
        account_id: account,
        method: format!(
            "{}_{}",
            t.crypto_currency.to_lowercase(),
            network.to_lowercase()
        ),
        money,
        end_user_ref: t.merchant_reference.clone(),
        end_user_name: None,
        provider_user_id: None,
        trx_id: t.deposit_id.clone(),
        sender: None,
        destination: None,
        agent_number: t.deposit_address.clone(),
        source: Source::Provider,
        intake_ref: Some(t.id.clone()),
        details: serde_json::json!({
            "fiat_amount": t.amount.to_string(),
            "rate": t.rate.to_string(),
            "network": network,
            "deposit_address": t.deposit_address,
            "merchant_reference": t.merchant_reference,
            "status_when_listed": t.status.to_string(),
            "expires_at": t.deadline().to_rfc3339(),
        }),
        screenshot: None,
        // Due at CashWeb's deadline, not at arrival plus the desk's SLA.
        expires: Some(t.deadline()),
    })
}
