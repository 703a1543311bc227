//! Zexabit in the core: what approving means (POST /partner/deposits or
//! /partner/withdrawals), how answers become outcomes, what a crash means
//! (Zexabit has no idempotency key and no lookup by our reference, so a
//! call that may have gone out is never resent), and how signed webhooks
//! and status polls settle requests.

use crate::app::Cashdesk;
use crate::config::{PausePoint, pause_if};
use crate::error::{CoreError, CoreResult};
use cashdesk_domain::{AccountId, Actor, RequestKind, RequestStatus};
use cashdesk_secrets::Secret;
use cashdesk_store::{OutboxOutcome, OutboxRow, ProviderFacts, RequestRecord};
use cashdesk_zexabit::{
    CreateDepositRequest, CreateWithdrawalRequest, Error as ZxError, PaymentMethod, Status,
};
use std::time::Duration;

pub const DEPOSIT: &str = "zexabit.deposit";
pub const WITHDRAWAL: &str = "zexabit.withdrawal";
const ACTOR: &str = "zexabit";

/// How many times "no agent available" is retried before a person decides.
const NO_AGENT_RETRIES: i64 = 5;

pub(crate) struct Account {
    pub client: cashdesk_zexabit::Client,
    pub webhook_secret: Secret,
}

fn required<'a>(value: &'a Option<String>, field: &str) -> CoreResult<&'a str> {
    value
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .ok_or_else(|| CoreError::Invalid(format!("{field} is required for a Zexabit request")))
}

/// The facts Zexabit needs from a request, whether newly filed or stored.
pub(crate) struct Check<'a> {
    pub kind: RequestKind,
    pub method: &'a str,
    pub money: &'a cashdesk_domain::Money,
    pub user: &'a Option<String>,
    pub agent_number: &'a Option<String>,
    pub destination: &'a Option<String>,
}

impl<'a> From<&'a cashdesk_store::NewRequest> for Check<'a> {
    fn from(r: &'a cashdesk_store::NewRequest) -> Self {
        Check {
            kind: r.kind,
            method: &r.method,
            money: &r.money,
            user: &r.provider_user_id,
            agent_number: &r.agent_number,
            destination: &r.destination,
        }
    }
}

impl<'a> From<&'a RequestRecord> for Check<'a> {
    fn from(r: &'a RequestRecord) -> Self {
        Check {
            kind: r.kind,
            method: &r.method,
            money: &r.money,
            user: &r.provider_user_id,
            agent_number: &r.agent_number,
            destination: &r.destination,
        }
    }
}

/// Checks a request against what Zexabit will accept, with the methods
/// list when known (it is cached, so this never waits on the network).
pub(crate) fn validate(c: Check<'_>, methods: Option<&[PaymentMethod]>) -> CoreResult<()> {
    required(c.user, "Zexabit user id")?;
    match c.kind {
        RequestKind::Deposit => required(c.agent_number, "agent number (paymentNumber)")?,
        RequestKind::Withdrawal => required(c.destination, "destination account")?,
    };
    if let Some(methods) = methods {
        let method = c.method;
        let m = methods.iter().find(|m| m.method == method).ok_or_else(|| {
            CoreError::Invalid(format!(
                "method: Zexabit does not offer \"{method}\" on this account"
            ))
        })?;
        let currency = c.money.currency.code();
        if m.currency != currency {
            return Err(CoreError::Invalid(format!(
                "amount: {} is paid in {}, not {currency}",
                m.label, m.currency
            )));
        }
        m.check_amount(&c.money.amount)
            .map_err(|e| CoreError::Invalid(e.to_string()))?;
    }
    Ok(())
}

/// The outbox call that approving `rec` causes.
pub(crate) fn outbox_call(
    rec: &RequestRecord,
    methods: Option<&[PaymentMethod]>,
) -> CoreResult<(&'static str, serde_json::Value)> {
    validate(Check::from(rec), methods)?;
    let user = required(&rec.provider_user_id, "Zexabit user id")?.to_owned();
    let amount = rec.money.amount.normalize();
    let payload = match rec.kind {
        RequestKind::Deposit => serde_json::to_value(CreateDepositRequest {
            user_id: user,
            amount,
            payment_method: rec.method.clone(),
            payment_number: required(&rec.agent_number, "agent number")?.to_owned(),
            transaction_id: rec.trx_id.clone(),
        }),
        RequestKind::Withdrawal => serde_json::to_value(CreateWithdrawalRequest {
            user_id: user,
            amount,
            payment_method: rec.method.clone(),
            account_number: required(&rec.destination, "destination account")?.to_owned(),
        }),
    }
    .map_err(|e| CoreError::Invalid(e.to_string()))?;
    Ok((
        if rec.kind == RequestKind::Deposit {
            DEPOSIT
        } else {
            WITHDRAWAL
        },
        payload,
    ))
}

/// Sends one claimed outbox row and sorts the answer into an outcome.
pub(crate) async fn deliver(app: &Cashdesk, acc: &Account, row: &OutboxRow) -> OutboxOutcome {
    let sent = match row.effect.as_str() {
        DEPOSIT => match serde_json::from_value::<CreateDepositRequest>(row.payload.clone()) {
            Ok(req) => acc
                .client
                .create_deposit(&req)
                .await
                .map(|r| (r.deposit_id, r.status)),
            Err(e) => {
                return OutboxOutcome::Failed {
                    reason: format!("stored call is unreadable: {e}"),
                };
            }
        },
        WITHDRAWAL => {
            match serde_json::from_value::<CreateWithdrawalRequest>(row.payload.clone()) {
                Ok(req) => acc
                    .client
                    .create_withdrawal(&req)
                    .await
                    .map(|r| (r.withdrawal_id, r.status)),
                Err(e) => {
                    return OutboxOutcome::Failed {
                        reason: format!("stored call is unreadable: {e}"),
                    };
                }
            }
        }
        other => {
            return OutboxOutcome::Failed {
                reason: format!("unknown Zexabit call {other}"),
            };
        }
    };
    pause_if(app.config(), PausePoint::AfterSend).await;
    match sent {
        Ok((txn_id, status)) => OutboxOutcome::Accepted {
            txn_id,
            status: status_text(status).to_owned(),
        },
        Err(e) => classify(&e, row.attempts),
    }
}

fn status_text(s: Status) -> &'static str {
    match s {
        Status::Pending => "pending",
        Status::Completed => "completed",
        Status::Rejected => "rejected",
    }
}

pub(crate) fn classify(e: &ZxError, attempts: i64) -> OutboxOutcome {
    let reason = match e {
        ZxError::Api { code, message, .. } => format!("{code} — {message}"),
        other => other.to_string(),
    };
    if e.may_have_taken_effect() {
        return OutboxOutcome::Unknown { reason };
    }
    match e {
        ZxError::RateLimited { retry_after } => super::rate_limited(*retry_after, reason),
        ZxError::NotSent { .. } => super::not_sent(attempts, reason),
        ZxError::Api { status: 422, .. } if attempts < NO_AGENT_RETRIES => OutboxOutcome::Retry {
            at_ms: super::retry_at(Duration::from_secs(30)),
            reason,
        },
        ZxError::Api {
            status: 409 | 422, ..
        } => OutboxOutcome::Rejected { reason },
        _ => OutboxOutcome::Failed { reason },
    }
}

/// After a crash a `sending` row may or may not have reached Zexabit, and
/// Zexabit cannot be asked by our reference: it must not be sent again.
pub(crate) fn recover(_row: &OutboxRow) -> OutboxOutcome {
    OutboxOutcome::Unknown {
        reason: "Cashdesk stopped while sending this to Zexabit, which offers no lookup by our reference".into(),
    }
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
    app: &Cashdesk,
    account: AccountId,
    signature: Option<&str>,
    body: &[u8],
) -> CoreResult<WebhookReply> {
    let acc = app.providers().zexabit(account)?;
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
    if !app.store().record_inbound(account, &key, body)? {
        return Ok(WebhookReply::Ok("already handled".into()));
    }
    let applied = settle_from_provider(
        app,
        account,
        event.event.is_deposit(),
        &event.data.transaction_id,
        event.event.status(),
        Some((
            &event.data.user_id,
            &event.data.amount,
            &event.data.payment_method,
        )),
    )?;
    let outcome = match applied {
        Applied::Done(text) => text,
        Applied::Unmatched(text) => {
            // Kept as a candidate for a supervisor settling by hand.
            app.store().mark_inbound_unmatched(account, &key)?;
            text
        }
    };
    app.store().set_inbound_outcome(account, &key, &outcome)?;
    Ok(WebhookReply::Ok(outcome))
}

/// What a provider's word did here.
pub(crate) enum Applied {
    Done(String),
    /// No request, or more than one, could be it: left for a person.
    Unmatched(String),
}

/// Applies a provider's final word to the request it belongs to: by
/// Zexabit's id, or else (for outcomes we never learned) by user, amount
/// and method when exactly one unsettled request matches.
fn settle_from_provider(
    app: &Cashdesk,
    account: AccountId,
    deposit: bool,
    txn_id: &str,
    status: Status,
    fallback: Option<(&str, &rust_decimal::Decimal, &str)>,
) -> CoreResult<Applied> {
    let to = match status {
        Status::Completed => RequestStatus::Completed,
        Status::Rejected => RequestStatus::RejectedByProvider,
        Status::Pending => return Ok(Applied::Done("still pending".into())),
    };
    let facts = ProviderFacts {
        txn_id: Some(txn_id.to_owned()),
        status: Some(status_text(status).to_owned()),
        reason: None,
    };
    let actor = Actor::Provider(ACTOR.into());
    let found = match app.store().find_by_provider_txn(account, txn_id)? {
        Some(r) => Some(r),
        None => match fallback {
            Some((user, amount, method)) => {
                let kind = if deposit {
                    RequestKind::Deposit
                } else {
                    RequestKind::Withdrawal
                };
                let mut c = app.store().match_candidates(
                    account,
                    kind,
                    user,
                    amount,
                    method,
                    &[RequestStatus::OutcomeUnknown, RequestStatus::Submitting],
                )?;
                match c.len() {
                    1 => c.pop(),
                    0 => return Ok(Applied::Unmatched(format!("no request matches {txn_id}"))),
                    n => {
                        return Ok(Applied::Unmatched(format!(
                            "{n} requests could match {txn_id}: left for a supervisor"
                        )));
                    }
                }
            }
            None => None,
        },
    };
    let Some(rec) = found else {
        return Ok(Applied::Unmatched(format!("no request matches {txn_id}")));
    };
    if rec.status.is_terminal() {
        return Ok(Applied::Done(format!(
            "request {} already {}",
            rec.id,
            rec.status.label()
        )));
    }
    let why = format!("Zexabit reports {txn_id} {}", status_text(status));
    // Settling also closes the outbox row, so a late HTTP answer changes nothing.
    let done = super::unless_settled(
        if matches!(
            rec.status,
            RequestStatus::OutcomeUnknown | RequestStatus::Submitting
        ) {
            app.store().settle_pushed(rec.id, to, &actor, &why, &facts)
        } else {
            app.store()
                .transition(rec.id, to, &actor, Some(&why), &facts)
        }
        .map_err(Into::into),
    )?;
    let Some(done) = done else {
        return Ok(Applied::Done(format!("request {} already settled", rec.id)));
    };
    app.request_changed(done.id);
    app.notice(crate::notify::Notice::outcome(&done));
    Ok(Applied::Done(format!(
        "request {} {}",
        done.id,
        done.status.label()
    )))
}

/// Asks Zexabit for the status of a request it accepted (covers missed webhooks).
pub(crate) async fn poll(app: &Cashdesk, rec: &RequestRecord) -> CoreResult<()> {
    let Some(txn) = rec.provider_txn_id.as_deref() else {
        return Ok(());
    };
    let acc = app.providers().zexabit(rec.account_id)?;
    let status = match rec.kind {
        RequestKind::Deposit => acc.client.deposit_status(txn).await.map(|s| s.status),
        RequestKind::Withdrawal => acc.client.withdrawal_status(txn).await.map(|s| s.status),
    }
    .map_err(|e| CoreError::Provider(e.to_string()))?;
    settle_from_provider(
        app,
        rec.account_id,
        rec.kind == RequestKind::Deposit,
        txn,
        status,
        None,
    )?;
    Ok(())
}
