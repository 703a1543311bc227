//! Provider accounts at run time: one registry of accounts (clients built
//! once from keychain secrets, or a sandbox run's in-memory secrets),
//! cached reference data, and the one dispatch from Cashdesk's generic
//! steps to each provider's [`Provider`] implementation (`shape.rs`).
//! What approve and reject mean per provider is in PRODUCT.md.

pub mod cashweb;
pub(crate) mod evidence;
pub(crate) mod fate;
mod urls;
pub(crate) use urls::https_or_loopback;
pub mod paykassma;
mod probe;
pub(crate) mod reference;
pub(crate) mod shape;
pub(crate) mod zexabit;
pub mod zimo_pagos;

/// Paykassma's documented screenshot rules are the strictest Cashdesk
/// knows; every provider's screenshots are held to them.
pub(crate) use paykassma::check_screenshot;
pub(crate) use probe::{Probe, check_connection, probe};
pub(crate) use shape::{StoredCall, provider};

use crate::cx::Cx;
use crate::error::{CoreError, CoreResult};
use cashdesk_domain::{AccountId, ProviderKind};
use cashdesk_secrets::{Keychain, Secret};
use cashdesk_store::{NewRequest, OutboxOutcome, OutboxRow, RequestRecord, Store};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Keychain entry names shared by more than one provider.
pub const API_KEY: &str = "api_key";
pub const WEBHOOK_SECRET: &str = "webhook_secret";

/// The keychain entries an account of `provider` needs, in form order.
pub fn secret_names(provider: ProviderKind) -> &'static [&'static str] {
    shape::provider(provider).secret_names()
}

pub(crate) struct Providers {
    store: Arc<Store>,
    keychain: Keychain,
    /// Every account's client and state, built once (any provider).
    accounts: Mutex<HashMap<AccountId, shape::Built>>,
    /// Sandbox accounts' secrets live only in memory, for one run.
    sandbox_secrets: Mutex<HashMap<(AccountId, &'static str), Secret>>,
    /// What a provider keeps per account without needing its secrets
    /// (Zexabit's methods with limits, for validating offline); each
    /// provider's folder owns the type it keeps.
    kept: Mutex<HashMap<AccountId, Arc<dyn std::any::Any + Send + Sync>>>,
    /// Method labels of every provider ("IMPS" for `imps`), for the queue.
    labels: Mutex<HashMap<AccountId, HashMap<String, String>>>,
    /// Facts asked about a request, kept a minute: an agent flipping
    /// through the queue must not spend the rate limit (Zexabit's 100/min
    /// per partner) that approvals and polling need.
    pub(crate) facts:
        Mutex<HashMap<cashdesk_domain::RequestId, (std::time::Instant, reference::Facts)>>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Secrets unreadable (keychain locked): nothing was sent, try later.
pub(crate) fn secrets_unreadable(e: CoreError) -> OutboxOutcome {
    OutboxOutcome::Retry {
        at_ms: fate::retry_at(Duration::from_secs(30)),
        reason: e.to_string(),
    }
}

impl Providers {
    pub fn new(store: Arc<Store>, keychain: Keychain) -> Self {
        Self {
            store,
            keychain,
            accounts: Mutex::default(),
            sandbox_secrets: Mutex::default(),
            kept: Mutex::default(),
            labels: Mutex::default(),
            facts: Mutex::default(),
        }
    }

    pub fn set_sandbox_secret(&self, account: AccountId, name: &'static str, secret: Secret) {
        lock(&self.sandbox_secrets).insert((account, name), secret);
    }

    fn secret(&self, account: AccountId, name: &'static str) -> CoreResult<Secret> {
        if let Some(s) = lock(&self.sandbox_secrets).get(&(account, name)) {
            return Ok(s.clone());
        }
        Ok(self.keychain.load(account, name)?)
    }

    /// The account's client and state as its provider's own type `A`
    /// (e.g. `zexabit::Account`), built once from its secrets.
    pub fn account<A: std::any::Any + Send + Sync>(
        &self,
        account: AccountId,
    ) -> CoreResult<Arc<A>> {
        // Bound first: a guard in the match head would live through the arms.
        let cached = lock(&self.accounts).get(&account).cloned();
        let built = match cached {
            Some(b) => b,
            None => {
                let rec = self.store.account(account)?;
                let built = shape::provider(rec.provider)
                    .build(&rec, &|name| self.secret(account, name))?;
                lock(&self.accounts).insert(account, built.clone());
                built
            }
        };
        built.downcast::<A>().map_err(|_| {
            CoreError::Invalid(format!(
                "account {account} belongs to another provider than this step expects"
            ))
        })
    }

    /// Drops cached clients and data of a removed account.
    pub fn forget(&self, account: AccountId) {
        lock(&self.accounts).remove(&account);
        lock(&self.kept).remove(&account);
        lock(&self.labels).remove(&account);
    }

    /// Keeps `value` for `account` (replacing what was kept).
    pub fn keep<T: std::any::Any + Send + Sync>(&self, account: AccountId, value: T) {
        lock(&self.kept).insert(account, Arc::new(value));
    }

    /// What was kept for `account`, if it is a `T`.
    pub fn kept<T: std::any::Any + Send + Sync>(&self, account: AccountId) -> Option<Arc<T>> {
        let any = lock(&self.kept).get(&account)?.clone();
        any.downcast::<T>().ok()
    }

    /// The provider's label for `method`, from the methods lists seen.
    pub fn method_label(&self, account: AccountId, method: &str) -> Option<String> {
        lock(&self.labels).get(&account)?.get(method).cloned()
    }

    /// Keeps the labels of a methods list (any provider).
    pub fn remember_labels(&self, account: AccountId, methods: &[reference::Method]) {
        let mut labels = lock(&self.labels);
        let map = labels.entry(account).or_default();
        for m in methods.iter().filter(|m| m.label != m.method) {
            map.insert(m.method.clone(), m.label.clone());
        }
    }
}

/// Checks a new request against its provider's rules (no network).
pub(crate) fn validate_new(app: &Cx, new: &NewRequest) -> CoreResult<()> {
    provider(new.provider).validate(app, new)
}

/// The provider call that approving `rec` causes.
pub(crate) fn outbox_call(app: &Cx, rec: &RequestRecord) -> CoreResult<StoredCall> {
    provider(rec.provider).approve_call(app, rec)
}

/// Sends one claimed outbox row.
pub(crate) async fn deliver(app: &Cx, kind: ProviderKind, row: &OutboxRow) -> OutboxOutcome {
    provider(kind).deliver(app, row).await
}

/// What a row left `sending` by a crash becomes: never a blind resend.
pub(crate) fn recover(kind: ProviderKind, row: &OutboxRow) -> OutboxOutcome {
    provider(kind).recover(row)
}

/// Settles an unknown outcome by asking the provider, where it can be asked.
pub(crate) async fn resolve_unknown(app: &Cx, rec: &RequestRecord) -> CoreResult<()> {
    if past_window(rec) {
        return hand_over(app, rec);
    }
    provider(rec.provider).resolve_unknown(app, rec).await
}

/// Records a lookup and its answer for the person who may have to decide
/// an unknown outcome; the window is told (the detail pane lists them).
pub(crate) fn note_lookup(
    app: &Cx,
    rec: &RequestRecord,
    question: &str,
    answer: &str,
) -> CoreResult<()> {
    app.store().record_lookup(rec.id, question, answer)?;
    Ok(())
}

/// Runs a lookup and records its answer, or its failure, either way.
pub(crate) async fn looked_up<T, E: std::fmt::Display>(
    app: &Cx,
    rec: &RequestRecord,
    question: &str,
    lookup: impl std::future::Future<Output = Result<T, E>>,
) -> CoreResult<T> {
    match lookup.await {
        Ok(v) => Ok(v),
        Err(e) => {
            let answer = format!("no answer: {e}");
            note_lookup(app, rec, question, &answer)?;
            Err(CoreError::Provider(e.to_string()))
        }
    }
}

/// A push and a poll (or two copies of one push) may race to settle the
/// same request; the loser finds it already final. That is not an error:
/// the state is right, and the provider must not be told to retry.
pub(crate) fn unless_settled<T>(r: CoreResult<T>) -> CoreResult<Option<T>> {
    match r {
        Ok(v) => Ok(Some(v)),
        Err(CoreError::Store(cashdesk_store::StoreError::Transition(t)))
            if t.from.is_terminal() =>
        {
            Ok(None)
        }
        Err(e) => Err(e),
    }
}

/// Moves a request on the provider's word (push or poll) and tells the
/// window; `None` when another path settled it first.
pub(crate) fn provider_transition(
    app: &Cx,
    id: cashdesk_domain::RequestId,
    to: cashdesk_domain::RequestStatus,
    provider: &str,
    why: &str,
    facts: &cashdesk_store::ProviderFacts,
) -> CoreResult<Option<RequestRecord>> {
    let actor = cashdesk_domain::Actor::Provider(provider.into());
    unless_settled(
        app.store()
            .transition(id, to, &actor, Some(why), facts)
            .map_err(Into::into),
    )
}

/// Past the window a lookup proves nothing ("not found" may mean purged),
/// so the request is neither polled nor sent again: reconcile only.
pub(crate) fn past_window(rec: &RequestRecord) -> bool {
    let age = chrono::Utc::now() - rec.created_at;
    age.to_std()
        .is_ok_and(|age| age > provider(rec.provider).lookup_window())
}

/// What the request shows once it is past the window.
pub const RECONCILE: &str =
    "past the provider's lookup window: not asked or sent again; reconcile by hand";

fn hand_over(app: &Cx, rec: &RequestRecord) -> CoreResult<()> {
    if rec.provider_status.as_deref() != Some(RECONCILE) {
        app.store().set_provider_status(rec.id, RECONCILE)?;
    }
    Ok(())
}

/// Asks the provider about a request it accepted (covers missed push events).
pub(crate) async fn poll(app: &Cx, rec: &RequestRecord) -> CoreResult<()> {
    if past_window(rec) {
        return hand_over(app, rec);
    }
    provider(rec.provider).poll(app, rec).await
}

/// What must be checked with the provider before a rejection.
pub(crate) async fn before_reject(app: &Cx, rec: &RequestRecord) -> CoreResult<()> {
    provider(rec.provider).before_reject(app, rec).await
}

pub(crate) async fn before_approve(app: &Cx, rec: &RequestRecord) -> CoreResult<()> {
    provider(rec.provider).before_approve(app, rec).await
}

/// The provider call an agent's rejection causes, if any.
pub(crate) fn reject_call(rec: &RequestRecord) -> CoreResult<Option<StoredCall>> {
    provider(rec.provider).reject_call(rec)
}

/// Reads every account's list of new transactions, where its provider has
/// one (CashWeb), `limit` per page and at most `max_pages` pages per
/// account. Returns how many new requests it filed.
pub(crate) async fn read_feeds(app: &Cx, limit: u32, max_pages: u32) -> CoreResult<u32> {
    read_feeds_of(app, &app.store().accounts()?, limit, max_pages).await
}

/// [`read_feeds`] for these accounts (the feed task reads them once a tick).
pub(crate) async fn read_feeds_of(
    app: &Cx,
    accounts: &[cashdesk_store::AccountRecord],
    limit: u32,
    max_pages: u32,
) -> CoreResult<u32> {
    let mut created = 0;
    let mut failed = None;
    // One account's failure never stops the others' feeds.
    for rec in accounts {
        let done = provider(rec.provider)
            .read_feed(app, rec.id, limit, max_pages)
            .await;
        match done {
            Ok(n) => created += n.unwrap_or(0),
            Err(e) => {
                tracing::warn!(account = %rec.id, "{} feed: {e}", rec.name);
                failed.get_or_insert(e);
            }
        }
    }
    match failed {
        Some(e) if created == 0 => Err(e),
        _ => Ok(created),
    }
}
