//! Provider accounts at run time: clients built from keychain secrets (or a
//! sandbox run's in-memory secrets), and cached reference data. One module
//! per provider beside this one, each with the same shape: build the outbox
//! call, deliver it, recover after a crash, apply inbound events, poll.

pub(crate) mod zexabit;

use crate::error::{CoreError, CoreResult};
use cashdesk_domain::AccountId;
use cashdesk_secrets::{Keychain, Secret};
use cashdesk_store::Store;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Keychain entry names per account.
pub const API_KEY: &str = "api_key";
pub const WEBHOOK_SECRET: &str = "webhook_secret";

pub(crate) struct Providers {
    store: Arc<Store>,
    keychain: Keychain,
    zexabit: Mutex<HashMap<AccountId, Arc<zexabit::Account>>>,
    /// Sandbox accounts' secrets live only in memory, for one run.
    sandbox_secrets: Mutex<HashMap<(AccountId, &'static str), Secret>>,
    methods: Mutex<HashMap<AccountId, Vec<cashdesk_zexabit::PaymentMethod>>>,
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
            sandbox_secrets: Mutex::default(),
            methods: Mutex::default(),
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

    /// Drops cached clients and data of a removed account.
    pub fn forget(&self, account: AccountId) {
        lock(&self.zexabit).remove(&account);
        lock(&self.methods).remove(&account);
    }

    /// Payment methods as last fetched (used to validate without the network).
    pub fn cached_methods(
        &self,
        account: AccountId,
    ) -> Option<Vec<cashdesk_zexabit::PaymentMethod>> {
        lock(&self.methods).get(&account).cloned()
    }

    /// The provider's label for `method`, from the cached methods list.
    pub fn method_label(&self, account: AccountId, method: &str) -> Option<String> {
        lock(&self.methods)
            .get(&account)?
            .iter()
            .find(|m| m.method == method)
            .map(|m| m.label.clone())
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
