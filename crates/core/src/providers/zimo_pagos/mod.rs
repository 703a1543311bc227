//! Zimo-pagos in the core: approving a withdrawal sends POST /v3/cashout
//! with our merchant reference as `external_id`. After an ambiguous
//! failure the cashout is *outcome unknown* and looked up by `external_id`
//! until it is found; it is never sent again on its own (the document
//! neither defines the status call nor says a repeated `external_id` is
//! refused). Notifications carry no status, so each one triggers a lookup.

mod desk;
mod inbound;
mod provider;

use crate::config::{PausePoint, pause_if};
use crate::cx::Cx;
use crate::error::{CoreError, CoreResult};
use cashdesk_domain::{Actor, ProviderKind, RequestKind, RequestStatus};
use cashdesk_store::{AccountRecord, OutboxOutcome, OutboxRow, ProviderFacts, RequestRecord};
use cashdesk_zimo_pagos::{
    CashoutRequest, CashoutStatus, Client, ClientConfig, Credentials, Error as ZpError,
    Notification, Status, StatusQuery, ValidationOptions,
};

const ACTOR: &str = "zimo_pagos";

/// Zimo-pagos' steps (the registry's entry).
pub(crate) struct ZimoPagos;

/// The call approving causes, stored under its effect string.
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(tag = "effect", content = "payload")]
pub(crate) enum Call {
    #[serde(rename = "zimo_pagos.cashout")]
    Cashout(CashoutRequest),
}
/// Keychain entry names of a Zimo-pagos account.
pub const LOGIN: &str = "login";
pub const PASS: &str = "pass";
pub const SIGNING_SECRET: &str = "signing_secret";

pub(crate) struct Account {
    pub client: Client,
    pub notification_url: String,
    pub validation: ValidationOptions,
    pub gate: NotificationGate,
}

/// Bounds the status calls notifications cause. A notification carries
/// no signature we can check, so anyone who reaches the endpoint can send
/// one: it is acted on only for an unfinished request of this account,
/// at most `PER_REQUEST` times a second per request (a burst of three
/// covers pending → delivered → completed) and `PER_ACCOUNT` a second
/// per account. Past that it is acknowledged and the poller, which asks
/// about every waiting request anyway, carries on.
pub(crate) struct NotificationGate {
    per_request: governor::DefaultKeyedRateLimiter<cashdesk_domain::RequestId>,
    per_account: governor::DefaultDirectRateLimiter,
}

const PER_REQUEST: u32 = 1;
const PER_ACCOUNT: u32 = 5;

impl NotificationGate {
    pub(crate) fn new() -> Self {
        let rate = |n: u32, burst: u32| {
            let nz = |v: u32| std::num::NonZeroU32::new(v).unwrap_or(std::num::NonZeroU32::MIN);
            governor::Quota::per_second(nz(n)).allow_burst(nz(burst))
        };
        NotificationGate {
            per_request: governor::RateLimiter::keyed(rate(PER_REQUEST, 3)),
            per_account: governor::RateLimiter::direct(rate(PER_ACCOUNT, 60)),
        }
    }

    /// Whether a notification naming `id` may cost a status call now.
    fn admit(&self, id: cashdesk_domain::RequestId) -> bool {
        if self.per_request.len() > 10_000 {
            self.per_request.retain_recent();
        }
        self.per_request.check_key(&id).is_ok() && self.per_account.check().is_ok()
    }
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

/// The notification URL an account's settings give Zimo-pagos (no
/// keychain read), for the local server's host check.
pub(crate) fn notification_url(settings: &serde_json::Value) -> Option<String> {
    serde_json::from_value::<Settings>(settings.clone())
        .ok()
        .map(|s| s.notification_url)
        .filter(|u| !u.is_empty())
}

pub(crate) fn build(
    rec: &AccountRecord,
    secret: impl Fn(&'static str) -> CoreResult<String>,
) -> CoreResult<Account> {
    let settings: Settings = serde_json::from_value(rec.config.clone()).unwrap_or_default();
    if let Some(card) = &settings.card_base_url {
        crate::providers::https_or_loopback("Debit-card host", card)
            .map_err(|e| CoreError::Invalid(format!("{}: {e}", rec.name)))?;
    }
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
        gate: NotificationGate::new(),
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

pub(crate) fn outbox_call(acc: &Account, rec: &RequestRecord) -> CoreResult<Call> {
    let req = cashout(
        rec.kind,
        &rec.merchant_ref.0,
        &rec.money,
        &rec.details,
        &acc.notification_url,
    )?;
    req.validate(&acc.validation)
        .map_err(|e| CoreError::Invalid(e.to_string()))?;
    Ok(Call::Cashout(req))
}

pub(crate) async fn deliver(app: &Cx, acc: &Account, row: &OutboxRow) -> OutboxOutcome {
    let req = match crate::providers::shape::read(row) {
        Ok(Call::Cashout(r)) => r,
        Err(failed) => return failed,
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
    crate::providers::fate::outcome(
        e.fate(),
        e.to_string(),
        attempts,
        crate::providers::fate::Repeatable::No,
    )
}

/// Why "not found" is not evidence that the cashout never arrived.
const NOT_FOUND: &str = "no cashout with this external_id. That proves nothing: the status call is assumed (the document names it but does not define it), a new cashout may not show at once, and the document never says a repeated external_id is refused";

/// An outcome we could not learn (crash, timeout) is looked up by
/// `external_id`: found → tracked from its status; not found → it stays
/// unknown and is asked again, never sent again on its own. A person
/// decides meanwhile, shown every lookup.
pub(crate) async fn resolve_unknown(
    app: &Cx,
    acc: &Account,
    rec: &RequestRecord,
) -> CoreResult<()> {
    let q = format!("status by external_id {}", rec.merchant_ref.0);
    let found = crate::providers::looked_up(
        app,
        rec,
        &q,
        acc.client.find_by_external_id(&rec.merchant_ref.0),
    )
    .await?;
    let Some(st) = found else {
        return crate::providers::note_lookup(app, rec, &q, NOT_FOUND);
    };
    crate::providers::note_lookup(app, rec, &q, &format!("found: {}", st.status.describe()))?;
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
    crate::providers::unless_settled(settled)?;
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
            status: Some(st.status.describe().to_owned()),
            reason,
            ..Default::default()
        },
    )
}

/// A cashout Zimo-pagos has not finished, in an agent's words.
fn waiting_line(s: Status) -> &'static str {
    match s {
        Status::OnHold => {
            "on hold at Zimo-pagos: it will not be paid until someone sets it back to pending in the Zimo-pagos merchant panel"
        }
        Status::Delivered => "delivered to the bank: waiting for the bank's answer",
        _ => "pending at Zimo-pagos",
    }
}

/// Applies a fetched status to the request it belongs to.
async fn apply_status(app: &Cx, rec: &RequestRecord, st: &CashoutStatus) -> CoreResult<()> {
    let (to, facts) = mapping(st);
    if to == RequestStatus::AwaitingProvider && rec.status == RequestStatus::AwaitingProvider {
        // Still on its way: say where, and what a person can do.
        let now = waiting_line(st.status);
        if rec.provider_status.as_deref() != Some(now) {
            app.store().set_provider_status(rec.id, now)?;
        }
        return Ok(());
    }
    if to == RequestStatus::AwaitingProvider
        || rec.status.is_terminal()
        || !rec.status.next().contains(&to)
    {
        return Ok(());
    }
    let why = format!("Zimo-pagos reports the cashout {}", st.status.describe());
    if let Some(done) = crate::providers::provider_transition(app, rec.id, to, ACTOR, &why, &facts)?
    {
        app.notice(crate::notify::Notice::outcome(&done));
    }
    Ok(())
}

/// A notification: verify nothing from it but the ids, fetch the status.
/// An error makes the endpoint answer non-2xx, so Zimo-pagos retries.
/// A notification names a cashout; its status is fetched from Zimo-pagos
/// (nothing in the notification itself is trusted), within the gate.
pub(crate) async fn apply_notification(
    app: &Cx,
    (account, acc): (cashdesk_domain::AccountId, &Account),
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
    if rec.account_id != account || rec.provider != ProviderKind::ZimoPagos {
        return Ok(format!("{external_id} belongs to another account"));
    }
    if rec.status.is_terminal() {
        return Ok(format!("request {} already {}", rec.id, rec.status.label()));
    }
    if !acc.gate.admit(rec.id) {
        return Ok(format!(
            "request {} was looked up moments ago; the poller asks again",
            rec.id
        ));
    }
    let st = acc
        .client
        .status(&query)
        .await
        .map_err(|e| CoreError::Provider(e.to_string()))?;
    apply_status(app, &rec, &st).await?;
    Ok(format!("request {} checked", rec.id))
}

pub(crate) async fn poll(app: &Cx, acc: &Account, rec: &RequestRecord) -> CoreResult<()> {
    let st = acc
        .client
        .status(&StatusQuery::by_external_id(rec.merchant_ref.0.clone()))
        .await
        .map_err(|e| CoreError::Provider(e.to_string()))?;
    apply_status(app, rec, &st).await
}
