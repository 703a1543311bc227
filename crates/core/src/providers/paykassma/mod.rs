//! Paykassma in the core. Approving a deposit activates the user's TrxID
//! (key1) with our merchant reference as `custom_transaction_id`;
//! approving a withdrawal sends the signed `/v2/withdrawal/create` with our
//! merchant reference as `withdrawal_id`. After an ambiguous failure the
//! request is *outcome unknown* and looked up by postback (custom id /
//! withdrawal id) until one is found; it is never sent again on its own,
//! since postbacks exist only once Paykassma processed a request and the
//! document never says a repeated id is refused. Final states come from
//! signed postbacks (`paykassma_postback`) and from postback lookups.

mod desk;
mod inbound;
pub(crate) mod manual;
pub(crate) mod postback;
mod provider;
pub(crate) mod reference;

use crate::config::{PausePoint, pause_if};
use crate::cx::Cx;
use crate::error::{CoreError, CoreResult};
use crate::providers::paykassma::postback::{Verdict, apply, deposit_verdict, withdrawal_verdict};
use cashdesk_domain::{Actor, Money, RequestKind, RequestStatus};
use cashdesk_paykassma::{
    ActivateRequest, ActivationOutcome, Client, ClientConfig, CreateWithdrawalRequest,
    Error as PkError, Paths, PostbackLookup, PostbackPolicy, Rules, Wallet, validate,
};
use cashdesk_store::{AccountRecord, NewRequest, OutboxOutcome, OutboxRow, RequestRecord};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};

pub(crate) const ACTOR: &str = "paykassma";

/// Paykassma's steps (the registry's entry).
pub(crate) struct Paykassma;

/// The calls approving causes, stored under their effect strings.
#[derive(Serialize, Deserialize)]
#[serde(tag = "effect", content = "payload")]
pub(crate) enum Call {
    #[serde(rename = "paykassma.activate")]
    Activate(Activation),
    #[serde(rename = "paykassma.withdrawal")]
    Withdrawal(Box<CreateWithdrawalRequest>),
}
/// Keychain entry names of a Paykassma account.
/// The PLUGINAPI `secret` query parameter.
pub const SECRET: &str = "secret";
/// Signs withdrawals and verifies postbacks.
pub const PRIVATE_KEY: &str = "private_key";

pub(crate) struct Account {
    pub client: Client,
    pub test_withdrawals: bool,
    /// Payment systems as Paykassma last listed them, by wallet type.
    wallets: std::sync::Mutex<std::collections::HashMap<String, Wallet>>,
}

impl Account {
    pub fn cached_wallet(&self, wallet_type: &str) -> Option<Wallet> {
        self.wallets_lock().get(wallet_type).cloned()
    }

    pub fn remember_wallets(&self, list: &[Wallet]) {
        let mut m = self.wallets_lock();
        for w in list {
            m.insert(w.wallet_type.clone(), w.clone());
        }
    }

    fn wallets_lock(&self) -> std::sync::MutexGuard<'_, std::collections::HashMap<String, Wallet>> {
        self.wallets.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Account settings kept in SQLite (no secrets). The form sends strings,
/// so the flags also accept "yes"/"true".
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Send withdrawals with `is_test = true` (nothing is paid out).
    #[serde(deserialize_with = "flag")]
    pub test_withdrawals: bool,
    /// Take an unsigned deposit postback as a hint to look it up (the
    /// signature of deposit postbacks is an assumption of the adapter).
    #[serde(deserialize_with = "flag")]
    pub allow_unsigned_deposit_postbacks: bool,
    /// Per-payment-system rules, when Paykassma support gives others.
    pub rules: Option<Rules>,
    pub paths: Option<Paths>,
}

fn flag<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::Bool(b) => b,
        Value::String(s) => matches!(s.trim().to_lowercase().as_str(), "yes" | "true" | "1"),
        _ => false,
    })
}

pub(crate) fn build(
    rec: &AccountRecord,
    secret: impl Fn(&'static str) -> CoreResult<String>,
) -> CoreResult<Account> {
    let settings: Settings = serde_json::from_value(rec.config.clone()).unwrap_or_default();
    let config = ClientConfig {
        paths: settings.paths.clone().unwrap_or_default(),
        rules: settings.rules.clone().unwrap_or_default(),
        postback_policy: PostbackPolicy {
            require_deposit_signature: !settings.allow_unsigned_deposit_postbacks,
        },
        ..Default::default()
    };
    let client = Client::with_config(&rec.base_url, secret(SECRET)?, secret(PRIVATE_KEY)?, config)
        .map_err(|e| CoreError::Invalid(format!("{}: {e}", rec.name)))?;
    Ok(Account {
        client,
        test_withdrawals: settings.test_withdrawals,
        wallets: Default::default(),
    })
}

/// The facts of a request (new or stored) that Paykassma's calls use.
pub(crate) struct Facts<'a> {
    pub kind: RequestKind,
    pub reference: &'a str,
    pub method: &'a str,
    pub money: &'a Money,
    pub end_user_ref: &'a str,
    pub trx_id: Option<&'a str>,
    pub destination: Option<&'a str>,
    pub details: &'a Value,
}

impl<'a> Facts<'a> {
    pub fn of_new(new: &'a NewRequest) -> Self {
        Facts {
            kind: new.kind,
            // The reference is not known yet; one of the same shape stands in.
            reference: "cd-00000000000000000000000000000000",
            method: &new.method,
            money: &new.money,
            end_user_ref: &new.end_user_ref,
            trx_id: new.trx_id.as_deref(),
            destination: new.destination.as_deref(),
            details: &new.details,
        }
    }

    pub fn of(rec: &'a RequestRecord) -> Self {
        Facts {
            kind: rec.kind,
            reference: &rec.merchant_ref.0,
            method: &rec.method,
            money: &rec.money,
            end_user_ref: &rec.end_user_ref,
            trx_id: rec.trx_id.as_deref(),
            destination: rec.destination.as_deref(),
            details: &rec.details,
        }
    }
}

fn invalid(e: impl std::fmt::Display) -> CoreError {
    CoreError::Invalid(e.to_string())
}

/// The activation of a deposit: key1 = the user's TrxID, method = wallet type.
fn activation(f: &Facts<'_>) -> CoreResult<ActivateRequest> {
    let key1 = f
        .trx_id
        .ok_or_else(|| invalid("trx_id: a Paykassma deposit needs the user's transaction id"))?;
    Ok(ActivateRequest {
        currency_code: f.money.currency.code().to_owned(),
        wallet_type: f.method.to_owned(),
        label: f.end_user_ref.to_owned(),
        key1: key1.to_owned(),
        amount: Some(f.money.amount.normalize()),
        custom_transaction_id: f.reference.to_owned(),
    })
}

/// The withdrawal: account fields from `details` (account_number falls
/// back to the request's destination), the rest from the request itself.
fn withdrawal(f: &Facts<'_>, is_test: bool) -> CoreResult<CreateWithdrawalRequest> {
    let mut obj = match f.details {
        Value::Object(m) => m.clone(),
        Value::Null => Map::new(),
        _ => return Err(invalid("details: must be a JSON object")),
    };
    if let (false, Some(d)) = (obj.contains_key("account_number"), f.destination) {
        obj.insert("account_number".into(), d.into());
    }
    let amount = validate::whole_amount("amount", &f.money.amount).map_err(invalid)?;
    obj.insert("withdrawal_id".into(), f.reference.into());
    obj.insert("payment_system".into(), f.method.into());
    obj.insert("amount".into(), amount.into());
    obj.insert("currency_code".into(), f.money.currency.code().into());
    obj.insert("label".into(), f.end_user_ref.into());
    obj.insert("is_test".into(), is_test.into());
    serde_json::from_value(Value::Object(obj)).map_err(|e| invalid(format!("details: {e}")))
}

/// The call approving `f` causes, checked against the adapter's rules.
fn call(acc: &Account, f: &Facts<'_>) -> CoreResult<Call> {
    let rules = acc.client.rules();
    Ok(match f.kind {
        RequestKind::Deposit => {
            let req = activation(f)?;
            req.validate(rules).map_err(invalid)?;
            Call::Activate(Activation::from(&req))
        }
        RequestKind::Withdrawal => {
            let req = withdrawal(f, acc.test_withdrawals)?;
            req.validate(rules).map_err(invalid)?;
            Call::Withdrawal(Box::new(req))
        }
    })
}

/// Checks a new request against the adapter's rules (no network).
pub(crate) fn validate(acc: &Account, new: &NewRequest) -> CoreResult<()> {
    if let Some(shot) = &new.screenshot {
        if new.kind != RequestKind::Deposit {
            return Err(invalid(
                "screenshot: only deposits carry a payment screenshot",
            ));
        }
        crate::providers::paykassma::manual::check_screenshot_with(acc.client.rules(), shot)?;
    }
    call(acc, &Facts::of_new(new)).map(|_| ())
}

/// Checks a screenshot against the documented defaults (before the
/// account's own rules are known).
pub(crate) fn check_screenshot(shot: &cashdesk_store::NewAttachment) -> CoreResult<()> {
    crate::providers::paykassma::manual::check_screenshot_with(&Rules::default(), shot)
}

pub(crate) fn outbox_call(acc: &Account, rec: &RequestRecord) -> CoreResult<Call> {
    call(acc, &Facts::of(rec))
}

/// The stored activation; the amount as text so it survives JSON exactly.
#[derive(Serialize, Deserialize)]
pub(crate) struct Activation {
    currency_code: String,
    wallet_type: String,
    label: String,
    key1: String,
    amount: Option<String>,
    custom_transaction_id: String,
}

impl From<&ActivateRequest> for Activation {
    fn from(r: &ActivateRequest) -> Self {
        Activation {
            currency_code: r.currency_code.clone(),
            wallet_type: r.wallet_type.clone(),
            label: r.label.clone(),
            key1: r.key1.clone(),
            amount: r.amount.map(|a| a.to_string()),
            custom_transaction_id: r.custom_transaction_id.clone(),
        }
    }
}

impl Activation {
    fn request(self) -> Result<ActivateRequest, String> {
        let amount = match self.amount {
            Some(a) => Some(a.parse().map_err(|e| format!("amount {a}: {e}"))?),
            None => None,
        };
        Ok(ActivateRequest {
            currency_code: self.currency_code,
            wallet_type: self.wallet_type,
            label: self.label,
            key1: self.key1,
            amount,
            custom_transaction_id: self.custom_transaction_id,
        })
    }
}

pub(crate) async fn deliver(app: &Cx, acc: &Account, row: &OutboxRow) -> OutboxOutcome {
    let unreadable = |e: String| OutboxOutcome::Failed {
        reason: format!("stored call is unreadable: {e}"),
    };
    let accepted = |txn_id: &str, status: String| OutboxOutcome::Accepted {
        txn_id: txn_id.to_owned(),
        status,
    };
    let call: Call = match crate::providers::shape::read(row) {
        Ok(c) => c,
        Err(failed) => return failed,
    };
    match call {
        Call::Activate(stored) => {
            let req = match stored.request() {
                Ok(r) => r,
                Err(e) => return unreadable(e),
            };
            let manual = match crate::providers::paykassma::manual::wallet(
                acc,
                &req.currency_code,
                &req.label,
                &req.wallet_type,
            )
            .await
            {
                Ok(w) => w.is_some_and(|w| w.is_manual),
                Err(e) => return classify(&e, &req.key1, row.attempts),
            };
            if manual {
                let sent = crate::providers::paykassma::manual::send(app, acc, row, &req).await;
                pause_if(app.config(), PausePoint::AfterSend).await;
                return match sent {
                    Ok(out) => crate::providers::paykassma::manual::outcome(out, &req.key1),
                    Err(e) => classify(&e, &req.key1, row.attempts),
                };
            }
            let sent = acc.client.activate(&req).await;
            pause_if(app.config(), PausePoint::AfterSend).await;
            match sent {
                Ok(ActivationOutcome::Activated) => accepted(&req.key1, "activated".into()),
                // Pending at Paykassma, not refused: the postback settles it.
                Ok(ActivationOutcome::PossibleTransactionCreated { message }) => {
                    accepted(&req.key1, format!("possible transaction: {message}"))
                }
                Ok(ActivationOutcome::CheckStarted { message }) => {
                    accepted(&req.key1, format!("check started: {message}"))
                }
                Err(e) => classify(&e, &req.key1, row.attempts),
            }
        }
        Call::Withdrawal(req) => {
            let sent = acc.client.create_withdrawal(&req).await;
            pause_if(app.config(), PausePoint::AfterSend).await;
            match sent {
                Ok(()) => accepted(&req.withdrawal_id, "created".into()),
                Err(e) => classify(&e, &req.withdrawal_id, row.attempts),
            }
        }
    }
}

fn classify(e: &PkError, id: &str, attempts: i64) -> OutboxOutcome {
    // Our id was refused as taken: the earlier send arrived, so the
    // request is with Paykassma; its postback (or a lookup) settles it.
    if let PkError::AlreadyUsed { .. } = e {
        return OutboxOutcome::Accepted {
            txn_id: id.to_owned(),
            status: "already received (id refused as taken)".into(),
        };
    }
    let reason = match e {
        PkError::InsufficientBalance { message, .. } => message.to_string(),
        other => other.to_string(),
    };
    crate::providers::fate::outcome(
        e.fate(),
        reason,
        attempts,
        crate::providers::fate::Repeatable::No,
    )
}

/// What a postback lookup asks, in words for the person deciding.
fn question(rec: &RequestRecord) -> String {
    match rec.kind {
        RequestKind::Deposit => format!("postback lookup by custom_id {}", rec.merchant_ref.0),
        RequestKind::Withdrawal => {
            format!("postback lookup by withdrawal_id {}", rec.merchant_ref.0)
        }
    }
}

/// Looks the request's postback up by our id (the answer recorded);
/// `None`: no postback yet.
async fn lookup(app: &Cx, acc: &Account, rec: &RequestRecord) -> CoreResult<Option<Verdict>> {
    let id = &rec.merchant_ref.0;
    let q = question(rec);
    let found = match rec.kind {
        RequestKind::Deposit => {
            match crate::providers::looked_up(app, rec, &q, acc.client.postback_by_custom_id(id))
                .await?
            {
                PostbackLookup::Found(p) => Some(deposit_verdict(&p, rec)),
                PostbackLookup::NotFound { .. } => None,
            }
        }
        RequestKind::Withdrawal => {
            match crate::providers::looked_up(
                app,
                rec,
                &q,
                acc.client.postback_by_withdrawal_id(id),
            )
            .await?
            {
                PostbackLookup::Found(w) => Some(withdrawal_verdict(&w, rec)),
                PostbackLookup::NotFound { .. } => None,
            }
        }
    };
    let answer = found.as_ref().map_or(NOT_FOUND, |v| v.why.as_str());
    crate::providers::note_lookup(app, rec, &q, answer)?;
    Ok(found)
}

/// The same question through `pullpostbacks`, the document's other lookup
/// (answer recorded): asked for an unknown outcome when the single lookup
/// found nothing. Either finding it is evidence; neither proves absence.
async fn pulled(app: &Cx, acc: &Account, rec: &RequestRecord) -> CoreResult<Option<Verdict>> {
    let ids = [rec.merchant_ref.0.clone()];
    let found = match rec.kind {
        RequestKind::Deposit => {
            let q = format!(
                "order statuses (pullpostbacks) by plugin_custom_order_id {}",
                ids[0]
            );
            let pulled =
                crate::providers::looked_up(app, rec, &q, acc.client.pull_deposit_postbacks(&ids))
                    .await?;
            let v = pulled
                .items
                .into_iter()
                .filter(|d| d.plugin_custom_order_id == ids[0])
                .find_map(|d| d.postback)
                .map(|p| deposit_verdict(&p, rec));
            (q, v)
        }
        RequestKind::Withdrawal => {
            let q = format!("order statuses (pullpostbacks) by withdrawal_id {}", ids[0]);
            let pulled = crate::providers::looked_up(
                app,
                rec,
                &q,
                acc.client.pull_withdrawal_postbacks(&ids),
            )
            .await?;
            let v = pulled
                .items
                .into_iter()
                .filter(|w| w.withdrawal_id == ids[0])
                .find_map(|w| w.postback)
                .map(|w| withdrawal_verdict(&w, rec));
            (q, v)
        }
    };
    let (q, v) = found;
    crate::providers::note_lookup(
        app,
        rec,
        &q,
        v.as_ref().map_or(NOT_FOUND, |v| v.why.as_str()),
    )?;
    Ok(v)
}

/// Why "no postback" is not evidence that the call never arrived.
const NOT_FOUND: &str = "no postback for this id. That proves nothing: Paykassma sends a postback only once it has processed a request, and its document never says it refuses a repeated id";

/// An outcome we could not learn is looked up by postback: found →
/// settled from it; not found → it stays unknown and is asked again (a
/// postback exists only once Paykassma processed it, and a resend with the
/// same id might be paid as a new one). A person decides meanwhile.
pub(crate) async fn resolve_unknown(
    app: &Cx,
    acc: &Account,
    rec: &RequestRecord,
) -> CoreResult<()> {
    let found = match lookup(app, acc, rec).await? {
        Some(v) => Some(v),
        None => pulled(app, acc, rec).await?,
    };
    let Some(v) = found else {
        return Ok(());
    };
    let to = if RequestStatus::OutcomeUnknown.next().contains(&v.to) {
        v.to
    } else {
        RequestStatus::AwaitingProvider
    };
    let actor = Actor::Provider(ACTOR.into());
    crate::providers::unless_settled(
        app.store()
            .settle(rec.id, to, &actor, &v.why, &v.facts)
            .map_err(Into::into),
    )?;
    Ok(())
}

/// Covers postbacks that never reached us.
pub(crate) async fn poll(app: &Cx, acc: &Account, rec: &RequestRecord) -> CoreResult<()> {
    if let Some(v) = lookup(app, acc, rec).await? {
        apply(app, rec, &v)?;
    }
    Ok(())
}
