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
    last_beat: crate::servers::LastBeat,
}

/// The desk's audit key from the keychain, made on first use (32 random
/// bytes, named after this database so two data folders never share one),
/// with its anchor: the seq of the first keyed entry, so a log rewritten
/// from before that point is caught even if its links are re-computed.
fn audit_key(keychain: &Keychain, store: &Store) -> CoreResult<Vec<u8>> {
    let desk = store.desk_id()?;
    let name = format!("{AUDIT_KEY}.{desk}");
    let key = match keychain.load_app(&name) {
        Ok(k) => hex::decode(k.expose().trim()).map_err(|e| {
            crate::error::CoreError::Invalid(format!("the audit key is damaged: {e}"))
        })?,
        Err(cashdesk_secrets::SecretError::Missing { .. }) => {
            if let Some(seq) = store.first_keyed_audit()? {
                // Making a new key would turn every keyed entry "bad": say
                // what happened instead, and leave the log as it is.
                let restore = match keychain.file() {
                    Some(f) => format!(
                        "copy the desk's secrets file to {} (every server of a desk uses the same one)",
                        f.display()
                    ),
                    None => "restore the keychain".to_owned(),
                };
                return Err(crate::error::CoreError::Invalid(format!(
                    "the audit key is missing from the keychain although entries from {seq} on were keyed with it; {restore}"
                )));
            }
            let k = rand::random::<[u8; 32]>().to_vec();
            keychain.store_app(&name, &cashdesk_secrets::Secret::new(hex::encode(&k)))?;
            k
        }
        Err(e) => return Err(e.into()),
    };
    store.set_audit_key(key.clone());
    let anchor = format!("{AUDIT_ANCHOR}.{desk}");
    if matches!(
        keychain.load_app(&anchor),
        Err(cashdesk_secrets::SecretError::Missing { .. })
    ) {
        let seq = match store.first_keyed_audit()? {
            Some(seq) => seq,
            None => {
                store.record_act(&cashdesk_domain::Actor::System, "audit.keyed", "audit")?;
                store.first_keyed_audit()?.unwrap_or_default()
            }
        };
        keychain.store_app(&anchor, &cashdesk_secrets::Secret::new(seq.to_string()))?;
    }
    Ok(key)
}

/// Keychain entry names (with the desk's id appended).
pub(crate) const AUDIT_KEY: &str = "audit_key";
pub(crate) const AUDIT_ANCHOR: &str = "audit_anchor";

impl Cx {
    /// Opens the store (the data folder's SQLite file, or the team desk's
    /// PostgreSQL); starts nothing.
    pub fn open(config: Config) -> CoreResult<Cx> {
        let store = Arc::new(match &config.database_url {
            Some(url) => Store::connect(url)?,
            None => Store::open(&config.db_path())?,
        });
        let events = Events::new();
        // The window hears of every committed change from the store itself.
        let tell = events.change_sender();
        store.on_change(move |ids| {
            let _ = tell.send(Changed {
                requests: ids.to_vec(),
                ..Default::default()
            });
        });
        let keychain = match &config.secrets_file {
            Some(path) => Keychain::in_file(&config.keychain_service, path.clone()),
            None => Keychain::new(&config.keychain_service),
        };
        if let Err(e) = audit_key(&keychain, &store) {
            // A desk server with a secrets file refuses to start: one of
            // several servers without the desk's key would append unkeyed
            // entries after keyed ones and break the chain for good.
            if config.secrets_file.is_some() {
                return Err(e);
            }
            // The log stays chained, unkeyed; "verify" says so.
            tracing::error!("audit log not keyed this run: {e}");
        }
        Ok(Cx {
            parts: Arc::new(Parts {
                providers: Providers::new(store.clone(), keychain.clone()),
                config,
                store,
                keychain,
                events,
                links: Links::default(),
                last_beat: Default::default(),
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

    pub(crate) fn last_beat(&self) -> &crate::servers::LastBeat {
        &self.parts.last_beat
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
