//! The small context that provider steps, the outbox worker, the poller
//! and the prober receive: the store, the keychain, the provider account
//! registry, configuration, the links' states and the event channels.
//! Only the API boundary holds the whole app handle ([`crate::Cashdesk`]),
//! which adds what belongs to a running desk (its server, its lock, the
//! sandbox). Cheap to clone; every clone is the same context.

use crate::api::dto::Changed;
use crate::config::Config;
use crate::error::CoreResult;
use crate::events::Events;
use crate::links::Links;
use crate::notify::Notice;
use crate::providers::Providers;
use cashdesk_secrets::Keychain;
use cashdesk_store::Store;
use std::sync::Arc;

#[derive(Clone)]
pub(crate) struct Cx {
    parts: Arc<Parts>,
}

struct Parts {
    config: Config,
    store: Arc<Store>,
    keychain: Keychain,
    providers: Providers,
    events: Events,
    links: Links,
}

/// The desk's audit key from the keychain, made on first use (32 random
/// bytes, named after this database so two data folders never share one).
fn audit_key(keychain: &Keychain, store: &Store) -> CoreResult<Vec<u8>> {
    let name = format!("audit_key.{}", store.desk_id()?);
    let hex_key = match keychain.load_app(&name) {
        Ok(k) => k.expose().to_owned(),
        Err(cashdesk_secrets::SecretError::Missing { .. }) => {
            let k = hex::encode(rand::random::<[u8; 32]>());
            keychain.store_app(&name, &cashdesk_secrets::Secret::new(k.clone()))?;
            k
        }
        Err(e) => return Err(e.into()),
    };
    hex::decode(hex_key.trim())
        .map_err(|e| crate::error::CoreError::Invalid(format!("the audit key is damaged: {e}")))
}

impl Cx {
    /// Opens the store in the data folder; starts nothing.
    pub fn open(config: Config) -> CoreResult<Cx> {
        let store = Arc::new(Store::open(&config.db_path())?);
        let events = Events::new();
        // The window hears of every committed change from the store itself.
        let tell = events.change_sender();
        store.on_change(move |ids| {
            let _ = tell.send(Changed {
                requests: ids.to_vec(),
                ..Default::default()
            });
        });
        let keychain = Keychain::new(&config.keychain_service);
        match audit_key(&keychain, &store) {
            Ok(key) => store.set_audit_key(key),
            // The log stays chained, unkeyed, until the keychain is back.
            Err(e) => tracing::warn!("audit log not keyed this run: {e}"),
        }
        Ok(Cx {
            parts: Arc::new(Parts {
                providers: Providers::new(store.clone(), keychain.clone()),
                config,
                store,
                keychain,
                events,
                links: Links::default(),
            }),
        })
    }

    pub fn config(&self) -> &Config {
        &self.parts.config
    }

    pub fn store(&self) -> &Store {
        &self.parts.store
    }

    pub fn keychain(&self) -> &Keychain {
        &self.parts.keychain
    }

    pub fn providers(&self) -> &Providers {
        &self.parts.providers
    }

    pub fn links(&self) -> &Links {
        &self.parts.links
    }

    pub fn events(&self) -> &Events {
        &self.parts.events
    }

    pub fn changed(&self, change: Changed) {
        self.parts.events.changed(change);
    }

    pub fn notice(&self, notice: Notice) {
        self.parts.events.notice(notice);
    }

    pub fn wake_worker(&self) {
        self.parts.events.wake_worker();
    }
}
