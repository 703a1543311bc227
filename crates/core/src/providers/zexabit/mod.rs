//! Zexabit in the core: what approving means (POST /partner/deposits or
//! /partner/withdrawals), how answers become outcomes, what a crash means
//! (Zexabit has no idempotency key and no lookup by our reference, so a
//! call that may have gone out is never resent), and how signed webhooks
//! and status polls settle requests.

mod inbound;
mod provider;
mod reconcile;
pub(crate) mod reference;
pub(crate) mod webhook;

use crate::config::{PausePoint, pause_if};
use crate::cx::Cx;
use crate::error::{CoreError, CoreResult};
use cashdesk_domain::RequestKind;
use cashdesk_http::Secret;
use cashdesk_store::{OutboxOutcome, OutboxRow, RequestRecord};
use cashdesk_zexabit::{
    CreateDepositRequest, CreateWithdrawalRequest, Error as ZxError, PaymentMethod, Status,
};
use serde::{Deserialize, Serialize};

pub(crate) const ACTOR: &str = "zexabit";

/// Zexabit's steps (the registry's entry).
pub(crate) struct Zexabit;

/// The calls approving causes, stored under their effect strings.
#[derive(Serialize, Deserialize)]
#[serde(tag = "effect", content = "payload")]
pub(crate) enum Call {
    #[serde(rename = "zexabit.deposit")]
    Deposit(CreateDepositRequest),
    #[serde(rename = "zexabit.withdrawal")]
    Withdrawal(CreateWithdrawalRequest),
}

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
) -> CoreResult<Call> {
    validate(Check::from(rec), methods)?;
    let user = required(&rec.provider_user_id, "Zexabit user id")?.to_owned();
    let amount = rec.money.amount.normalize();
    Ok(match rec.kind {
        RequestKind::Deposit => Call::Deposit(CreateDepositRequest {
            user_id: user,
            amount,
            payment_method: rec.method.clone(),
            payment_number: required(&rec.agent_number, "agent number")?.to_owned(),
            transaction_id: rec.trx_id.clone(),
        }),
        RequestKind::Withdrawal => Call::Withdrawal(CreateWithdrawalRequest {
            user_id: user,
            amount,
            payment_method: rec.method.clone(),
            account_number: required(&rec.destination, "destination account")?.to_owned(),
        }),
    })
}

/// Sends one claimed outbox row and sorts the answer into an outcome.
pub(crate) async fn deliver(app: &Cx, acc: &Account, row: &OutboxRow) -> OutboxOutcome {
    let call: Call = match crate::providers::shape::read(row) {
        Ok(c) => c,
        Err(failed) => return failed,
    };
    let sent = match &call {
        Call::Deposit(req) => acc
            .client
            .create_deposit(req)
            .await
            .map(|r| (r.deposit_id, r.status)),
        Call::Withdrawal(req) => acc
            .client
            .create_withdrawal(req)
            .await
            .map(|r| (r.withdrawal_id, r.status)),
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

pub(crate) fn status_text(s: Status) -> &'static str {
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
    crate::providers::fate::outcome(
        e.fate(),
        reason,
        attempts,
        crate::providers::fate::Repeatable::No,
    )
}

/// After a crash a `sending` row may or may not have reached Zexabit, and
/// Zexabit cannot be asked by our reference: it must not be sent again.
pub(crate) fn recover(_row: &OutboxRow) -> OutboxOutcome {
    OutboxOutcome::Unknown {
        reason: "Cashdesk stopped while sending this to Zexabit, which offers no lookup by our reference".into(),
    }
}

use crate::providers::zexabit::webhook::{Report, settle_from_provider};
pub(crate) use crate::providers::zexabit::webhook::{WebhookReply, apply_webhook};

/// Asks Zexabit for the status of a request it accepted (covers missed webhooks).
pub(crate) async fn poll(app: &Cx, rec: &RequestRecord) -> CoreResult<()> {
    let Some(txn) = rec.provider_txn_id.as_deref() else {
        return Ok(());
    };
    let acc = app.providers().account::<Account>(rec.account_id)?;
    let provider = |e: cashdesk_zexabit::Error| CoreError::Provider(e.to_string());
    let (status, amount, user) = match rec.kind {
        RequestKind::Deposit => {
            let s = acc.client.deposit_status(txn).await.map_err(provider)?;
            (s.status, s.amount, Some(s.user_id))
        }
        RequestKind::Withdrawal => {
            let s = acc.client.withdrawal_status(txn).await.map_err(provider)?;
            (s.status, s.amount, None)
        }
    };
    let report = Report {
        deposit: rec.kind == RequestKind::Deposit,
        txn_id: txn,
        status,
        amount,
        user: user.as_deref(),
        method: None,
        at: None,
    };
    settle_from_provider(app, rec.account_id, &report, None)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api(status: u16, code: &str) -> ZxError {
        ZxError::Api {
            status,
            code: code.into(),
            message: "as Zexabit said it".into(),
        }
    }

    #[test]
    fn only_no_agent_available_is_retried() {
        let busy = classify(&api(422, "NO_AGENT_AVAILABLE"), 1);
        assert!(matches!(busy, OutboxOutcome::Retry { .. }), "{busy:?}");
        let later = classify(
            &api(422, "NO_AGENT_AVAILABLE"),
            crate::providers::fate::BUSY_RETRIES,
        );
        assert!(matches!(later, OutboxOutcome::Rejected { .. }), "{later:?}");
        let other = classify(&api(422, "METHOD_DISABLED"), 1);
        match other {
            OutboxOutcome::Rejected { reason } => {
                assert_eq!(reason, "METHOD_DISABLED — as Zexabit said it")
            }
            o => panic!("another 422 is a refusal, not retried: {o:?}"),
        }
    }
}
