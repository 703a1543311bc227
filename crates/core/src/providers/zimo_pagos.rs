//! Zimo-pagos in the core: approving a withdrawal sends POST /v3/cashout
//! with our merchant reference as `external_id`. After an ambiguous
//! failure the cashout is *outcome unknown* and looked up by `external_id`
//! until it is found; it is never sent again on its own (the document
//! neither defines the status call nor says a repeated `external_id` is
//! refused). Notifications carry no status, so each one triggers a lookup.

use crate::app::Cashdesk;
use crate::config::{PausePoint, pause_if};
use crate::error::{CoreError, CoreResult};
use cashdesk_domain::{Actor, RequestKind, RequestStatus};
use cashdesk_store::{AccountRecord, OutboxOutcome, OutboxRow, ProviderFacts, RequestRecord};
use cashdesk_zimo_pagos::{
    CashoutRequest, CashoutStatus, Client, ClientConfig, Credentials, Error as ZpError,
    Notification, Status, StatusQuery, ValidationOptions,
};

pub const CASHOUT: &str = "zimo_pagos.cashout";
const ACTOR: &str = "zimo_pagos";
/// Keychain entry names of a Zimo-pagos account.
pub const LOGIN: &str = "login";
pub const PASS: &str = "pass";
pub const SIGNING_SECRET: &str = "signing_secret";

pub(crate) struct Account {
    pub client: Client,
    pub notification_url: String,
    pub validation: ValidationOptions,
}

/// Account settings kept in SQLite (no secrets).
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Settings {
    /// The public HTTPS address that forwards to this desk's
    /// `/notifications/zimo-pagos/{account}` endpoint.
    pub notification_url: String,
    /// Mexico debit-card host (given by Zimo-pagos on request).
    pub card_base_url: Option<String>,
    /// Sandbox only: the simulator notifies over plain http on loopback.
    pub allow_http_loopback_notification_url: bool,
}

pub(crate) fn build(
    rec: &AccountRecord,
    secret: impl Fn(&'static str) -> CoreResult<String>,
) -> CoreResult<Account> {
    let settings: Settings = serde_json::from_value(rec.config.clone()).unwrap_or_default();
    let credentials = Credentials::new(secret(LOGIN)?, secret(PASS)?, secret(SIGNING_SECRET)?)
        .map_err(|e| CoreError::Invalid(format!("{}: {e}", rec.name)))?;
    let validation = ValidationOptions {
        allow_http_loopback_notification_url: settings.allow_http_loopback_notification_url,
        ..Default::default()
    };
    let config = ClientConfig {
        card_base_url: settings.card_base_url.clone(),
        validation,
        ..Default::default()
    };
    let client = Client::with_config(&rec.base_url, credentials, config)
        .map_err(|e| CoreError::Invalid(format!("{}: {e}", rec.name)))?;
    Ok(Account {
        client,
        notification_url: settings.notification_url,
        validation,
    })
}

/// The cashout for a withdrawal: the beneficiary from the request's
/// details, amount, currency and reference from the request itself.
pub(crate) fn cashout(
    rec_kind: RequestKind,
    external_id: &str,
    money: &cashdesk_domain::Money,
    details: &serde_json::Value,
    notification_url: &str,
) -> CoreResult<CashoutRequest> {
    if rec_kind != RequestKind::Withdrawal {
        return Err(CoreError::Invalid(
            "Zimo-pagos handles withdrawals (cashouts) only".into(),
        ));
    }
    let mut req: CashoutRequest = serde_json::from_value(details.clone())
        .map_err(|e| CoreError::Invalid(format!("beneficiary details: {e}")))?;
    req.external_id = external_id.to_owned();
    req.amount = money.amount.normalize();
    req.currency = Some(money.currency.code().to_owned());
    req.notification_url = notification_url.to_owned();
    Ok(req)
}

/// Checks a request against every documented field rule, before it is
/// queued and again before it is approved.
pub(crate) fn validate(
    acc: &Account,
    kind: RequestKind,
    external_id: &str,
    money: &cashdesk_domain::Money,
    details: &serde_json::Value,
) -> CoreResult<()> {
    let req = cashout(kind, external_id, money, details, &acc.notification_url)?;
    req.validate(&acc.validation)
        .map_err(|e| CoreError::Invalid(e.to_string()))?;
    Ok(())
}

pub(crate) fn outbox_call(
    acc: &Account,
    rec: &RequestRecord,
) -> CoreResult<(&'static str, serde_json::Value)> {
    let req = cashout(
        rec.kind,
        &rec.merchant_ref.0,
        &rec.money,
        &rec.details,
        &acc.notification_url,
    )?;
    req.validate(&acc.validation)
        .map_err(|e| CoreError::Invalid(e.to_string()))?;
    let payload = serde_json::to_value(&req).map_err(|e| CoreError::Invalid(e.to_string()))?;
    Ok((CASHOUT, payload))
}

pub(crate) async fn deliver(app: &Cashdesk, acc: &Account, row: &OutboxRow) -> OutboxOutcome {
    let req: CashoutRequest = match serde_json::from_value(row.payload.clone()) {
        Ok(r) => r,
        Err(e) => {
            return OutboxOutcome::Failed {
                reason: format!("stored call is unreadable: {e}"),
            };
        }
    };
    let sent = acc.client.create_cashout(&req).await;
    pause_if(app.config(), PausePoint::AfterSend).await;
    match sent {
        Ok(created) => OutboxOutcome::Accepted {
            txn_id: created.cashout_id.to_string(),
            status: "pending".into(),
        },
        Err(e) => classify(&e, row.attempts),
    }
}

fn classify(e: &ZpError, attempts: i64) -> OutboxOutcome {
    let reason = e.to_string();
    if e.may_have_taken_effect() {
        return OutboxOutcome::Unknown { reason };
    }
    match e {
        ZpError::RateLimited { retry_after } => super::rate_limited(*retry_after, reason),
        ZpError::NotSent { .. } => super::not_sent(attempts, reason),
        ZpError::Api(api) if api.kind == cashdesk_zimo_pagos::ErrorKind::InsufficientFunds => {
            OutboxOutcome::Rejected { reason }
        }
        _ => OutboxOutcome::Failed { reason },
    }
}

/// Why "not found" is not evidence that the cashout never arrived.
const NOT_FOUND: &str = "no cashout with this external_id. That proves nothing: the status call is assumed (the document names it but does not define it), a new cashout may not show at once, and the document never says a repeated external_id is refused";

/// An outcome we could not learn (crash, timeout) is looked up by
/// `external_id`: found → tracked from its status; not found → it stays
/// unknown and is asked again, never sent again on its own. A person
/// decides meanwhile, shown every lookup.
pub(crate) async fn resolve_unknown(
    app: &Cashdesk,
    acc: &Account,
    rec: &RequestRecord,
) -> CoreResult<()> {
    let q = format!("status by external_id {}", rec.merchant_ref.0);
    let found = super::looked_up(
        app,
        rec,
        &q,
        acc.client.find_by_external_id(&rec.merchant_ref.0),
    )
    .await?;
    let Some(st) = found else {
        return super::note_lookup(app, rec, &q, NOT_FOUND);
    };
    super::note_lookup(app, rec, &q, &format!("found: {}", st.status.describe()))?;
    let (to, facts) = mapping(&st);
    let to = if to == RequestStatus::AwaitingProvider
        || !RequestStatus::OutcomeUnknown.next().contains(&to)
    {
        RequestStatus::AwaitingProvider
    } else {
        to
    };
    let actor = Actor::Provider(ACTOR.into());
    let settled = app
        .store()
        .settle(
            rec.id,
            to,
            &actor,
            "found at Zimo-pagos by external_id",
            &facts,
        )
        .map_err(Into::into);
    if let Some(done) = super::unless_settled(settled)? {
        app.request_changed(done.id);
    }
    Ok(())
}

/// Zimo-pagos' status in Cashdesk's words.
fn mapping(st: &CashoutStatus) -> (RequestStatus, ProviderFacts) {
    let to = match st.status {
        Status::Completed => RequestStatus::Completed,
        Status::Rejected | Status::Cancelled => RequestStatus::RejectedByProvider,
        Status::Pending | Status::Delivered | Status::OnHold => RequestStatus::AwaitingProvider,
    };
    let reason = match (&st.rejection_code, &st.rejection_reason) {
        (None, None) => None,
        (code, reason) => Some(format!(
            "{} — {}",
            code.map(|c| c.to_string()).unwrap_or_default(),
            reason.clone().unwrap_or_default()
        )),
    };
    (
        to,
        ProviderFacts {
            txn_id: None,
            status: Some(st.status.describe().to_owned()),
            reason,
        },
    )
}

/// Applies a fetched status to the request it belongs to.
async fn apply_status(app: &Cashdesk, rec: &RequestRecord, st: &CashoutStatus) -> CoreResult<()> {
    let (to, facts) = mapping(st);
    if to == RequestStatus::AwaitingProvider
        || rec.status.is_terminal()
        || !rec.status.next().contains(&to)
    {
        return Ok(());
    }
    let why = format!("Zimo-pagos reports the cashout {}", st.status.describe());
    if let Some(done) = super::provider_transition(app, rec.id, to, ACTOR, &why, &facts)? {
        app.notice(crate::notify::Notice::outcome(&done));
    }
    Ok(())
}

/// A notification: verify nothing from it but the ids, fetch the status.
/// An error makes the endpoint answer non-2xx, so Zimo-pagos retries.
pub(crate) async fn apply_notification(
    app: &Cashdesk,
    acc: &Account,
    content_type: Option<&str>,
    body: &[u8],
) -> CoreResult<String> {
    let n =
        Notification::parse(content_type, body).map_err(|e| CoreError::Invalid(e.to_string()))?;
    let query: StatusQuery = n.status_query();
    let Some(external_id) = query.external_id.clone() else {
        return Err(CoreError::Invalid(
            "notification names no external_id".into(),
        ));
    };
    let Some(rec) = app.store().find_by_merchant_ref(&external_id)? else {
        return Ok(format!("no request has external_id {external_id}"));
    };
    let st = acc
        .client
        .status(&query)
        .await
        .map_err(|e| CoreError::Provider(e.to_string()))?;
    apply_status(app, &rec, &st).await?;
    Ok(format!("request {} checked", rec.id))
}

pub(crate) async fn poll(app: &Cashdesk, acc: &Account, rec: &RequestRecord) -> CoreResult<()> {
    let st = acc
        .client
        .status(&StatusQuery::by_external_id(rec.merchant_ref.0.clone()))
        .await
        .map_err(|e| CoreError::Provider(e.to_string()))?;
    apply_status(app, rec, &st).await
}
