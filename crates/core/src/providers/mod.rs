//! Provider accounts at run time: clients built from keychain secrets (or a
//! sandbox run's in-memory secrets), cached reference data, and the one
//! dispatch from Cashdesk's generic steps (validate, build the outbox call,
//! deliver, recover, poll) to each provider's module. Every provider module
//! has the same shape; what approve and reject mean per provider is in
//! PRODUCT.md.

pub(crate) mod cashweb;
mod cashweb_feed;
pub(crate) mod evidence;
pub(crate) mod fate;
mod urls;
pub(crate) use urls::https_or_loopback;
pub(crate) mod paykassma;
pub(crate) mod paykassma_manual;
pub(crate) mod paykassma_postback;
mod probe;
pub(crate) mod reference;
pub(crate) mod zexabit;
mod zexabit_webhook;
pub mod zimo_pagos;

pub(crate) use probe::{Probe, check_connection, probe};

use crate::app::Cashdesk;
use crate::error::{CoreError, CoreResult};
use cashdesk_domain::{AccountId, ProviderKind};
use cashdesk_secrets::{Keychain, Secret};
use cashdesk_store::{NewRequest, OutboxOutcome, OutboxRow, RequestRecord, Store};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Keychain entry names per account.
pub const API_KEY: &str = "api_key";
pub const WEBHOOK_SECRET: &str = "webhook_secret";

/// The keychain entries an account of `provider` needs, in form order.
pub fn secret_names(provider: ProviderKind) -> &'static [&'static str] {
    match provider {
        ProviderKind::Zexabit => &[API_KEY, WEBHOOK_SECRET],
        ProviderKind::ZimoPagos => &[
            zimo_pagos::LOGIN,
            zimo_pagos::PASS,
            zimo_pagos::SIGNING_SECRET,
        ],
        ProviderKind::Paykassma => &[paykassma::SECRET, paykassma::PRIVATE_KEY],
        ProviderKind::Cashweb => &[API_KEY],
    }
}

pub(crate) struct Providers {
    store: Arc<Store>,
    keychain: Keychain,
    zexabit: Mutex<HashMap<AccountId, Arc<zexabit::Account>>>,
    zimo: Mutex<HashMap<AccountId, Arc<zimo_pagos::Account>>>,
    paykassma: Mutex<HashMap<AccountId, Arc<paykassma::Account>>>,
    cashweb: Mutex<HashMap<AccountId, Arc<cashweb::Account>>>,
    /// Sandbox accounts' secrets live only in memory, for one run.
    sandbox_secrets: Mutex<HashMap<(AccountId, &'static str), Secret>>,
    methods: Mutex<HashMap<AccountId, Vec<cashdesk_zexabit::PaymentMethod>>>,
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

impl Providers {
    pub fn new(store: Arc<Store>, keychain: Keychain) -> Self {
        Self {
            store,
            keychain,
            zexabit: Mutex::default(),
            zimo: Mutex::default(),
            paykassma: Mutex::default(),
            cashweb: Mutex::default(),
            sandbox_secrets: Mutex::default(),
            methods: Mutex::default(),
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

    /// The Zexabit client for `account`, built once from its secrets.
    pub fn zexabit(&self, account: AccountId) -> CoreResult<Arc<zexabit::Account>> {
        if let Some(a) = lock(&self.zexabit).get(&account) {
            return Ok(a.clone());
        }
        let rec = self.store.account(account)?;
        let client = cashdesk_zexabit::Client::new(
            &rec.base_url,
            self.secret(account, API_KEY)?.expose().to_owned(),
            cashdesk_zexabit::Paths::default(),
        )
        .map_err(|e| CoreError::Invalid(format!("{}: {e}", rec.name)))?;
        let built = Arc::new(zexabit::Account {
            client,
            webhook_secret: self.secret(account, WEBHOOK_SECRET)?,
        });
        lock(&self.zexabit).insert(account, built.clone());
        Ok(built)
    }

    /// The Zimo-pagos client for `account`, built once from its secrets.
    pub fn zimo(&self, account: AccountId) -> CoreResult<Arc<zimo_pagos::Account>> {
        if let Some(a) = lock(&self.zimo).get(&account) {
            return Ok(a.clone());
        }
        let rec = self.store.account(account)?;
        let built = Arc::new(zimo_pagos::build(&rec, |name| {
            Ok(self.secret(account, name)?.expose().to_owned())
        })?);
        lock(&self.zimo).insert(account, built.clone());
        Ok(built)
    }

    /// The Paykassma client for `account`, built once from its secrets.
    pub fn paykassma(&self, account: AccountId) -> CoreResult<Arc<paykassma::Account>> {
        if let Some(a) = lock(&self.paykassma).get(&account) {
            return Ok(a.clone());
        }
        let rec = self.store.account(account)?;
        let built = Arc::new(paykassma::build(&rec, |name| {
            Ok(self.secret(account, name)?.expose().to_owned())
        })?);
        lock(&self.paykassma).insert(account, built.clone());
        Ok(built)
    }

    /// The CashWeb client for `account`, built once from its API key.
    pub fn cashweb(&self, account: AccountId) -> CoreResult<Arc<cashweb::Account>> {
        if let Some(a) = lock(&self.cashweb).get(&account) {
            return Ok(a.clone());
        }
        let rec = self.store.account(account)?;
        let built = Arc::new(cashweb::build(
            &rec,
            self.secret(account, API_KEY)?.expose(),
        )?);
        lock(&self.cashweb).insert(account, built.clone());
        Ok(built)
    }

    /// Drops cached clients and data of a removed account.
    pub fn forget(&self, account: AccountId) {
        lock(&self.zexabit).remove(&account);
        lock(&self.zimo).remove(&account);
        lock(&self.paykassma).remove(&account);
        lock(&self.cashweb).remove(&account);
        lock(&self.methods).remove(&account);
        lock(&self.labels).remove(&account);
    }

    /// Payment methods as last fetched (used to validate without the network).
    pub fn cached_methods(
        &self,
        account: AccountId,
    ) -> Option<Vec<cashdesk_zexabit::PaymentMethod>> {
        lock(&self.methods).get(&account).cloned()
    }

    /// The provider's label for `method`, from the cached methods lists.
    pub fn method_label(&self, account: AccountId, method: &str) -> Option<String> {
        let zexabit = lock(&self.methods).get(&account).and_then(|ms| {
            ms.iter()
                .find(|m| m.method == method)
                .map(|m| m.label.clone())
        });
        zexabit.or_else(|| lock(&self.labels).get(&account)?.get(method).cloned())
    }

    /// Keeps the labels of a methods list (any provider).
    pub fn remember_labels(&self, account: AccountId, methods: &[reference::Method]) {
        let mut labels = lock(&self.labels);
        let map = labels.entry(account).or_default();
        for m in methods.iter().filter(|m| m.label != m.method) {
            map.insert(m.method.clone(), m.label.clone());
        }
    }

    /// Fetches the payment methods and keeps them for offline validation.
    pub async fn methods(
        &self,
        account: AccountId,
    ) -> CoreResult<Vec<cashdesk_zexabit::PaymentMethod>> {
        let acc = self.zexabit(account)?;
        match acc.client.payment_methods().await {
            Ok(m) => {
                lock(&self.methods).insert(account, m.clone());
                Ok(m)
            }
            Err(e) => self
                .cached_methods(account)
                .ok_or_else(|| CoreError::Provider(e.to_string())),
        }
    }
}

/// Checks a new request against its provider's rules (no network).
pub(crate) fn validate_new(app: &Cashdesk, new: &NewRequest) -> CoreResult<()> {
    let p = app.providers();
    match new.provider {
        ProviderKind::Zexabit => {
            zexabit::validate(new.into(), p.cached_methods(new.account_id).as_deref())
        }
        ProviderKind::ZimoPagos => {
            // The reference is not known yet; any valid one stands in.
            zimo_pagos::validate(
                &*p.zimo(new.account_id)?,
                new.kind,
                "cd-pending",
                &new.money,
                &new.details,
            )
        }
        ProviderKind::Paykassma => paykassma::validate(&*p.paykassma(new.account_id)?, new),
        ProviderKind::Cashweb => cashweb::validate(new),
    }
}

/// The provider call that approving `rec` causes.
pub(crate) fn outbox_call(
    app: &Cashdesk,
    rec: &RequestRecord,
) -> CoreResult<(&'static str, serde_json::Value)> {
    let p = app.providers();
    match rec.provider {
        ProviderKind::Zexabit => {
            zexabit::outbox_call(rec, p.cached_methods(rec.account_id).as_deref())
        }
        ProviderKind::ZimoPagos => zimo_pagos::outbox_call(&*p.zimo(rec.account_id)?, rec),
        ProviderKind::Paykassma => paykassma::outbox_call(&*p.paykassma(rec.account_id)?, rec),
        ProviderKind::Cashweb => cashweb::outbox_call(rec),
    }
}

/// Sends one claimed outbox row.
pub(crate) async fn deliver(
    app: &Cashdesk,
    provider: ProviderKind,
    row: &OutboxRow,
) -> OutboxOutcome {
    let p = app.providers();
    // Secrets unreadable (keychain locked): nothing was sent, try later.
    let later = |e: CoreError| OutboxOutcome::Retry {
        at_ms: fate::retry_at(Duration::from_secs(30)),
        reason: e.to_string(),
    };
    match provider {
        ProviderKind::Zexabit => match p.zexabit(row.account_id) {
            Ok(acc) => zexabit::deliver(app, &acc, row).await,
            Err(e) => later(e),
        },
        ProviderKind::ZimoPagos => match p.zimo(row.account_id) {
            Ok(acc) => zimo_pagos::deliver(app, &acc, row).await,
            Err(e) => later(e),
        },
        ProviderKind::Paykassma => match p.paykassma(row.account_id) {
            Ok(acc) => paykassma::deliver(app, &acc, row).await,
            Err(e) => later(e),
        },
        ProviderKind::Cashweb => match p.cashweb(row.account_id) {
            Ok(acc) => cashweb::deliver(&acc, row).await,
            Err(e) => later(e),
        },
    }
}

/// What a row left `sending` by a crash becomes: always "unknown" first;
/// providers with a lookup resolve it from there, Zexabit never resends.
pub(crate) fn recover(provider: ProviderKind, row: &OutboxRow) -> OutboxOutcome {
    match provider {
        ProviderKind::Zexabit => zexabit::recover(row),
        ProviderKind::Cashweb => cashweb::recover(),
        other => OutboxOutcome::Unknown {
            reason: format!("Cashdesk stopped while sending this to {}", other.label()),
        },
    }
}

/// Settles an unknown outcome by asking the provider, where it can be asked.
pub(crate) async fn resolve_unknown(app: &Cashdesk, rec: &RequestRecord) -> CoreResult<()> {
    if past_window(rec) {
        return hand_over(app, rec);
    }
    match rec.provider {
        ProviderKind::ZimoPagos => {
            zimo_pagos::resolve_unknown(app, &*app.providers().zimo(rec.account_id)?, rec).await
        }
        ProviderKind::Paykassma => {
            let acc = app.providers().paykassma(rec.account_id)?;
            paykassma::resolve_unknown(app, &acc, rec).await
        }
        ProviderKind::Cashweb => cashweb::resolve_unknown(app, rec),
        // Zexabit: no lookup by our reference; a webhook or a person settles it.
        _ => Ok(()),
    }
}

/// Records a lookup and its answer for the person who may have to decide
/// an unknown outcome; the window is told (the detail pane lists them).
pub(crate) fn note_lookup(
    app: &Cashdesk,
    rec: &RequestRecord,
    question: &str,
    answer: &str,
) -> CoreResult<()> {
    app.store().record_lookup(rec.id, question, answer)?;
    app.request_changed(rec.id);
    Ok(())
}

/// Runs a lookup and records its answer, or its failure, either way.
pub(crate) async fn looked_up<T, E: std::fmt::Display>(
    app: &Cashdesk,
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
    app: &Cashdesk,
    id: cashdesk_domain::RequestId,
    to: cashdesk_domain::RequestStatus,
    provider: &str,
    why: &str,
    facts: &cashdesk_store::ProviderFacts,
) -> CoreResult<Option<RequestRecord>> {
    let actor = cashdesk_domain::Actor::Provider(provider.into());
    let done = unless_settled(
        app.store()
            .transition(id, to, &actor, Some(why), facts)
            .map_err(Into::into),
    )?;
    if let Some(d) = &done {
        app.request_changed(d.id);
    }
    Ok(done)
}

/// How long the provider keeps what Cashdesk looks up by its reference
/// (an assumption of each adapter: the documents give no period).
pub(crate) fn lookup_window(provider: ProviderKind) -> Duration {
    match provider {
        ProviderKind::Zexabit => cashdesk_zexabit::assumptions::LOOKUP_WINDOW,
        ProviderKind::Paykassma => cashdesk_paykassma::assumptions::LOOKUP_WINDOW,
        ProviderKind::ZimoPagos => cashdesk_zimo_pagos::assumptions::LOOKUP_WINDOW,
        ProviderKind::Cashweb => cashdesk_cashweb::assumptions::LOOKUP_WINDOW,
    }
}

/// Past the window a lookup proves nothing ("not found" may mean purged),
/// so the request is neither polled nor sent again: reconcile only.
pub(crate) fn past_window(rec: &RequestRecord) -> bool {
    let age = chrono::Utc::now() - rec.created_at;
    age.to_std()
        .is_ok_and(|age| age > lookup_window(rec.provider))
}

/// What the request shows once it is past the window.
pub const RECONCILE: &str =
    "past the provider's lookup window: not asked or sent again; reconcile by hand";

fn hand_over(app: &Cashdesk, rec: &RequestRecord) -> CoreResult<()> {
    if rec.provider_status.as_deref() != Some(RECONCILE) {
        app.store().set_provider_status(rec.id, RECONCILE)?;
        app.request_changed(rec.id);
    }
    Ok(())
}

/// Asks the provider about a request it accepted (covers missed push events).
pub(crate) async fn poll(app: &Cashdesk, rec: &RequestRecord) -> CoreResult<()> {
    if past_window(rec) {
        return hand_over(app, rec);
    }
    match rec.provider {
        ProviderKind::Zexabit => zexabit::poll(app, rec).await,
        ProviderKind::ZimoPagos => {
            zimo_pagos::poll(app, &*app.providers().zimo(rec.account_id)?, rec).await
        }
        ProviderKind::Paykassma => {
            paykassma::poll(app, &*app.providers().paykassma(rec.account_id)?, rec).await
        }
        ProviderKind::Cashweb => {
            cashweb::poll(app, &*app.providers().cashweb(rec.account_id)?, rec).await
        }
    }
}

/// What must be checked with the provider before a rejection: CashWeb's
/// latest state (the document asks for it before any user-facing action).
pub(crate) async fn before_reject(app: &Cashdesk, rec: &RequestRecord) -> CoreResult<()> {
    match rec.provider {
        ProviderKind::Cashweb
            if rec.status.is_decidable()
                || rec.status == cashdesk_domain::RequestStatus::Failed =>
        {
            cashweb::check_before_reject(app, rec).await
        }
        _ => Ok(()),
    }
}

/// The provider call an agent's rejection causes, if any: only CashWeb
/// (cancel the transaction); other providers are told nothing.
pub(crate) fn reject_call(
    rec: &RequestRecord,
) -> CoreResult<Option<(&'static str, serde_json::Value)>> {
    match rec.provider {
        ProviderKind::Cashweb if rec.provider_txn_id.is_some() => {
            cashweb::reject_call(rec).map(Some)
        }
        _ => Ok(None),
    }
}

/// Reads every CashWeb account's transaction list (the feed), `limit` per
/// page and at most `max_pages` pages per account. Returns new requests.
pub(crate) async fn sync_cashweb(app: &Cashdesk, limit: u32, max_pages: u32) -> CoreResult<u32> {
    let mut created = 0;
    let mut failed = None;
    // One account's failure never stops the others' feeds.
    for rec in app.store().accounts()? {
        if rec.provider != ProviderKind::Cashweb {
            continue;
        }
        let done = match app.providers().cashweb(rec.id) {
            Ok(acc) => cashweb_feed::sync(app, rec.id, &acc, limit, max_pages).await,
            Err(e) => Err(e),
        };
        match done {
            Ok(n) => created += n,
            Err(e) => {
                tracing::warn!(account = %rec.id, "CashWeb feed: {e}");
                failed.get_or_insert(e);
            }
        }
    }
    match failed {
        Some(e) if created == 0 => Err(e),
        _ => Ok(created),
    }
}
