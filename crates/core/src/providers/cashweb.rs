//! CashWeb in the core. Deposits are not pushed to us: they are read from
//! CashWeb's newest-first transaction list, one request per transaction
//! (the CashWeb id is the request's intake reference, so reading again
//! never duplicates). Approving credits the user only once a fresh fetch
//! shows the deposit confirmed: nothing money-moving goes to CashWeb.
//! Rejecting cancels at CashWeb as a follow-up call with an
//! `Idempotency-Key` derived from the merchant reference, so resending
//! after any failure can never cancel twice.

use crate::app::Cashdesk;
use crate::error::{CoreError, CoreResult};
use cashdesk_cashweb::{
    AuthScheme, Client, ClientConfig, Cursor, Error as CwError, IdempotencyKey, Status, Transaction,
};
use cashdesk_domain::{AccountId, Actor, Money, ProviderKind, RequestKind, RequestStatus};
use cashdesk_store::{
    AccountRecord, NewRequest, OutboxOutcome, OutboxRow, ProviderFacts, RequestRecord, Source,
};

pub const CREDIT: &str = "cashweb.credit";
pub const CANCEL: &str = "cashweb.cancel";
const ACTOR: &str = "cashweb";
/// The `sync_cursors` stream of the transaction list backfill.
const STREAM: &str = "transactions";
/// Stored once the backfill reached the oldest transaction.
const BACKFILL_DONE: &str = "";

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

fn txn_id(rec: &RequestRecord) -> CoreResult<String> {
    rec.provider_txn_id
        .clone()
        .ok_or_else(|| CoreError::Invalid("this request has no CashWeb transaction id".into()))
}

/// Approve: a credit that first fetches the latest state.
pub(crate) fn outbox_call(rec: &RequestRecord) -> CoreResult<(&'static str, serde_json::Value)> {
    Ok((CREDIT, serde_json::json!({ "id": txn_id(rec)? })))
}

/// Reject: cancel at CashWeb with the one key for this reference.
pub(crate) fn reject_call(rec: &RequestRecord) -> CoreResult<(&'static str, serde_json::Value)> {
    let reference = rec
        .details
        .get("merchant_reference")
        .and_then(|v| v.as_str())
        .unwrap_or(&rec.end_user_ref);
    let key =
        IdempotencyKey::for_cancel(reference).map_err(|e| CoreError::Invalid(e.to_string()))?;
    Ok((
        CANCEL,
        serde_json::json!({ "id": txn_id(rec)?, "idempotency_key": key.as_str() }),
    ))
}

/// A read or an idempotent cancel can always be sent again safely.
fn on_error(e: &CwError, attempts: i64) -> OutboxOutcome {
    let reason = e.to_string();
    match e {
        CwError::RateLimited { retry_after } => super::rate_limited(*retry_after, reason),
        _ if e.is_retryable_without_risk() || e.may_have_taken_effect() => {
            super::not_sent(attempts, reason)
        }
        _ => OutboxOutcome::Failed { reason },
    }
}

/// What a fresh fetch of `t` means for an approved deposit: confirmed →
/// credited; still confirming → approved and waiting (the poller credits
/// it once CashWeb confirms); expired or cancelled → needs attention.
fn credit_decision(t: &Transaction) -> OutboxOutcome {
    if t.is_creditable() {
        return OutboxOutcome::Completed {
            status: t.status.to_string(),
        };
    }
    match t.status {
        Status::Expired => OutboxOutcome::Failed {
            reason: "CashWeb reports this deposit expired: no deposit arrived in time".to_owned(),
        },
        Status::Cancelled => OutboxOutcome::Failed {
            reason: "CashWeb reports this transaction cancelled".to_owned(),
        },
        _ => OutboxOutcome::Accepted {
            txn_id: t.id.clone(),
            status: confirmations(t),
        },
    }
}

/// "waiting for confirmations: confirming, 1/3".
fn confirmations(t: &Transaction) -> String {
    format!(
        "waiting for confirmations: {}, {}/{}",
        t.status,
        t.confirmations.unwrap_or(0),
        t.required_confirmations
            .map(|n| n.to_string())
            .unwrap_or_else(|| "?".into())
    )
}

pub(crate) async fn deliver(acc: &Account, row: &OutboxRow) -> OutboxOutcome {
    let Some(id) = row.payload.get("id").and_then(|v| v.as_str()) else {
        return OutboxOutcome::Failed {
            reason: "stored call names no CashWeb transaction".into(),
        };
    };
    match row.effect.as_str() {
        CREDIT => match acc.client.transaction(id).await {
            Ok(t) => credit_decision(&t),
            Err(e) => on_error(&e, row.attempts),
        },
        CANCEL => {
            let key = row
                .payload
                .get("idempotency_key")
                .and_then(|v| v.as_str())
                .unwrap_or_default();
            let key = match IdempotencyKey::new(key) {
                Ok(k) => k,
                Err(e) => {
                    return OutboxOutcome::Failed {
                        reason: e.to_string(),
                    };
                }
            };
            match acc.client.cancel_transaction(id, &key).await {
                Ok(t) => OutboxOutcome::Accepted {
                    txn_id: t.id,
                    status: t.status.to_string(),
                },
                Err(e @ CwError::NotCancellable { .. }) => OutboxOutcome::Rejected {
                    reason: e
                        .provider_message()
                        .map(str::to_owned)
                        .unwrap_or_else(|| e.to_string()),
                },
                Err(e) => on_error(&e, row.attempts),
            }
        }
        other => OutboxOutcome::Failed {
            reason: format!("unknown CashWeb call {other}"),
        },
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
pub(crate) fn resolve_unknown(app: &Cashdesk, rec: &RequestRecord) -> CoreResult<()> {
    let actor = Actor::Provider(ACTOR.into());
    let done = app.store().settle(
        rec.id,
        RequestStatus::Approved,
        &actor,
        "crediting only re-fetches the CashWeb transaction: checking again",
        &ProviderFacts::default(),
    )?;
    app.request_changed(done.id);
    app.wake_worker();
    Ok(())
}

/// A pending request CashWeb reports expired becomes Expired.
fn apply_expiry(app: &Cashdesk, rec: &RequestRecord, t: &Transaction) -> CoreResult<()> {
    if t.status != Status::Expired
        || !rec.status.next().contains(&RequestStatus::Expired)
        || rec.status == RequestStatus::AwaitingProvider
    {
        return Ok(());
    }
    let facts = ProviderFacts {
        status: Some(t.status.to_string()),
        ..Default::default()
    };
    let done = app.store().transition(
        rec.id,
        RequestStatus::Expired,
        &Actor::Provider(ACTOR.into()),
        Some("CashWeb reports the deposit expired"),
        &facts,
    )?;
    app.request_changed(done.id);
    Ok(())
}

/// Asks CashWeb about a request: a pending one past its deadline may have
/// expired; an approved one waiting for confirmations is credited once
/// CashWeb confirms it (or ends expired / cancelled).
pub(crate) async fn poll(app: &Cashdesk, acc: &Account, rec: &RequestRecord) -> CoreResult<()> {
    let t = acc
        .client
        .transaction(&txn_id(rec)?)
        .await
        .map_err(|e| CoreError::Provider(e.to_string()))?;
    if rec.status != RequestStatus::AwaitingProvider {
        return apply_expiry(app, rec, &t);
    }
    let (to, why) = if t.is_creditable() {
        (
            RequestStatus::Completed,
            "CashWeb confirmed the deposit: credited".to_owned(),
        )
    } else {
        match t.status {
            Status::Expired => (
                RequestStatus::Expired,
                "CashWeb reports the deposit expired".to_owned(),
            ),
            Status::Cancelled => (
                RequestStatus::RejectedByProvider,
                "CashWeb reports the transaction cancelled".to_owned(),
            ),
            _ => {
                let now = confirmations(&t);
                if rec.provider_status.as_deref() != Some(now.as_str()) {
                    app.store().set_provider_status(rec.id, &now)?;
                    app.request_changed(rec.id);
                }
                return Ok(());
            }
        }
    };
    let facts = ProviderFacts {
        status: Some(t.status.to_string()),
        ..Default::default()
    };
    super::provider_transition(app, rec.id, to, ACTOR, &why, &facts)?;
    Ok(())
}

fn new_request(account: AccountId, t: &Transaction) -> CoreResult<NewRequest> {
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
    })
}

/// One transaction into the store; `true` when it was new.
fn apply(app: &Cashdesk, account: AccountId, t: &Transaction) -> CoreResult<bool> {
    let new = new_request(account, t)?;
    let (rec, created) =
        app.store()
            .insert_from_feed(&new, &Actor::Provider(ACTOR.into()), &t.id)?;
    if created {
        app.request_changed(rec.id);
        app.notice(crate::notify::Notice::new_request(&rec, &rec.method));
    } else {
        apply_expiry(app, &rec, t)?;
    }
    Ok(created)
}

/// Reads `account`'s list: from the newest down to the first known
/// transaction, then resumes an unfinished backfill from the stored
/// cursor. Returns how many requests were created.
pub(crate) async fn sync(
    app: &Cashdesk,
    account: AccountId,
    acc: &Account,
    limit: u32,
    max_pages: u32,
) -> CoreResult<u32> {
    let store = app.store();
    let stored = store.cursor(account, STREAM)?;
    let err = |e: CwError| CoreError::Provider(e.to_string());
    let (mut created, mut pages) = (0u32, 0u32);
    let mut cursor: Option<Cursor> = None;
    loop {
        let page = acc
            .client
            .list_transactions(limit, cursor.as_ref())
            .await
            .map_err(err)?;
        pages += 1;
        let mut known = false;
        for t in &page.transactions {
            if apply(app, account, t)? {
                created += 1
            } else {
                known = true
            }
        }
        if stored.is_none() {
            let at = page
                .next_cursor
                .as_ref()
                .map(|c| c.as_str())
                .unwrap_or(BACKFILL_DONE);
            store.set_cursor(account, STREAM, at)?;
        }
        if known || page.next_cursor.is_none() || pages >= max_pages {
            break;
        }
        cursor = page.next_cursor;
    }
    // An earlier backfill stopped part-way: continue it where it stopped.
    let mut resume = stored.and_then(Cursor::restore);
    while let Some(c) = resume.take() {
        if pages >= max_pages {
            break;
        }
        let page = acc
            .client
            .list_transactions(limit, Some(&c))
            .await
            .map_err(err)?;
        pages += 1;
        for t in &page.transactions {
            if apply(app, account, t)? {
                created += 1
            }
        }
        let at = page
            .next_cursor
            .as_ref()
            .map(|c| c.as_str())
            .unwrap_or(BACKFILL_DONE);
        store.set_cursor(account, STREAM, at)?;
        resume = page.next_cursor;
    }
    Ok(created)
}
