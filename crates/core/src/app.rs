//! The running core: store, keychain, provider clients, background tasks.
//! The Tauri shell and the headless binary both hold one `Cashdesk`.

use crate::api::dto::Changed;
use crate::config::Config;
use crate::error::{CoreError, CoreResult};
use crate::notify::Notice;
use crate::providers::Providers;
use cashdesk_domain::Actor;
use cashdesk_secrets::Keychain;
use cashdesk_store::Store;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use tokio::sync::{Notify, broadcast, mpsc};

pub(crate) const OPERATOR_KEY: &str = "operator.name";

/// Cheap to clone; every clone is the same app.
#[derive(Clone)]
pub struct Cashdesk {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub config: Config,
    pub store: Arc<Store>,
    pub keychain: Keychain,
    pub providers: Providers,
    pub events: broadcast::Sender<Changed>,
    pub notices: mpsc::UnboundedSender<Notice>,
    pub notices_rx: Mutex<Option<mpsc::UnboundedReceiver<Notice>>>,
    pub worker_wake: Notify,
    pub http: Mutex<Option<HttpInfo>>,
    /// Run alongside the core and stopped with it: the sandbox.
    pub companion: Mutex<Option<Box<dyn Companion>>>,
    pub links: crate::links::Links,
    /// The data folder's lock, held by a started core (see `lock.rs`).
    pub lock: Mutex<Option<crate::lock::DataLock>>,
}

/// Something run alongside the core that holds sockets and tasks (the
/// sandbox's simulators and customers, `cashdesk-sandbox`): it is told to
/// stop when the core shuts down, and its presence marks sandbox mode.
#[async_trait::async_trait]
pub trait Companion: Send {
    async fn stop(self: Box<Self>);
}

#[derive(Clone)]
pub struct HttpInfo {
    pub addr: SocketAddr,
    /// Bearer token for the intake API.
    pub intake_token: String,
    /// Kept in the OS keychain (survives restarts) or for this run only
    /// (no keychain was available).
    pub token_in_keychain: bool,
}

impl std::fmt::Debug for HttpInfo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpInfo")
            .field("addr", &self.addr)
            .field("token_in_keychain", &self.token_in_keychain)
            .finish_non_exhaustive()
    }
}

impl Cashdesk {
    /// Opens the data folder and store; starts nothing in the background.
    /// Tests call this to drive the API without a worker.
    pub fn open(config: Config) -> CoreResult<Cashdesk> {
        let store = Arc::new(Store::open(&config.db_path())?);
        let (events, _) = broadcast::channel::<Changed>(256);
        // The window hears of every committed change from the store itself.
        let tell = events.clone();
        store.on_change(move |ids| {
            let _ = tell.send(Changed {
                requests: ids.to_vec(),
                ..Default::default()
            });
        });
        let (notices, notices_rx) = mpsc::unbounded_channel();
        let keychain = Keychain::new(&config.keychain_service);
        Ok(Cashdesk {
            inner: Arc::new(Inner {
                providers: Providers::new(store.clone(), keychain.clone()),
                config,
                store,
                keychain,
                events,
                notices,
                notices_rx: Mutex::new(Some(notices_rx)),
                worker_wake: Notify::new(),
                http: Mutex::new(None),
                companion: Mutex::new(None),
                links: Default::default(),
                lock: Mutex::new(None),
            }),
        })
    }

    /// Opens and starts everything: local server, crash recovery, outbox
    /// worker, poller, notifications. Sandbox mode is a client of the core
    /// (`cashdesk-sandbox`), started after this when no account exists.
    /// Must run inside a tokio runtime.
    pub async fn start(config: Config) -> CoreResult<Cashdesk> {
        // Before anything runs recovery on the database: one core per folder.
        let lock = crate::lock::DataLock::acquire(&config.data_dir)?;
        let app = Cashdesk::open(config)?;
        *app.inner.lock.lock().unwrap_or_else(|e| e.into_inner()) = Some(lock);
        let retired = app.store().retire_sandbox_accounts()?;
        if retired > 0 {
            tracing::info!("{retired} unfinished requests of the previous sandbox session ended");
        }
        crate::server::start(&app).await?;
        app.prefetch_reference_data();
        crate::worker::recover(&app)?;
        crate::worker::spawn(&app);
        crate::worker::spawn_poller(&app);
        crate::links::spawn_prober(&app);
        crate::notify::spawn(&app);
        Ok(app)
    }

    /// Fetches each account's payment methods in the background, so
    /// approvals and desk entry can check limits without waiting on the
    /// network (kept in the database for offline use) and the queue shows
    /// the providers' method names. The last known lists come first.
    pub fn prefetch_reference_data(&self) {
        let Ok(accounts) = self.store().accounts() else {
            return;
        };
        for acc in &accounts {
            if let Ok(Some(known)) = crate::providers::reference::known_methods(self, acc.id) {
                self.providers().remember_labels(acc.id, &known);
            }
        }
        for acc in accounts {
            let app = self.clone();
            tokio::spawn(async move {
                if let Err(e) = crate::providers::reference::methods(&app, acc.id).await {
                    tracing::warn!(account = %acc.id, "payment methods not fetched: {e}");
                }
            });
        }
    }

    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    pub fn store(&self) -> &Store {
        &self.inner.store
    }

    pub fn keychain(&self) -> &Keychain {
        &self.inner.keychain
    }

    pub(crate) fn links(&self) -> &crate::links::Links {
        &self.inner.links
    }

    pub(crate) fn providers(&self) -> &Providers {
        &self.inner.providers
    }

    /// Every change to stored data, for the UI.
    pub fn subscribe(&self) -> broadcast::Receiver<Changed> {
        self.inner.events.subscribe()
    }

    pub fn http_info(&self) -> Option<HttpInfo> {
        self.inner
            .http
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    pub fn is_sandbox(&self) -> bool {
        self.inner
            .companion
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .is_some()
    }

    /// Runs `companion` alongside the core until shutdown (sandbox mode).
    pub fn attach(&self, companion: Box<dyn Companion>) {
        *self
            .inner
            .companion
            .lock()
            .unwrap_or_else(|e| e.into_inner()) = Some(companion);
    }

    /// Keeps an account's secret in memory for this run only (sandbox
    /// accounts: their simulators' keys never go to the keychain).
    pub fn remember_secret_for_run(
        &self,
        account: cashdesk_domain::AccountId,
        name: &'static str,
        secret: cashdesk_secrets::Secret,
    ) {
        self.providers().set_sandbox_secret(account, name, secret);
    }

    pub(crate) fn changed(&self, change: Changed) {
        // No receiver (no window yet) is fine.
        let _ = self.inner.events.send(change);
    }

    pub(crate) fn notice(&self, notice: Notice) {
        let _ = self.inner.notices.send(notice);
    }

    pub(crate) fn wake_worker(&self) {
        self.inner.worker_wake.notify_one();
    }

    /// The person deciding; decisions are refused until a name is given.
    pub(crate) fn operator(&self) -> CoreResult<Actor> {
        match self.store().setting(OPERATOR_KEY)? {
            Some(name) => Ok(Actor::Operator(name)),
            None => Err(CoreError::NoOperator),
        }
    }

    /// Stops background work that holds sockets (the sandbox, if any).
    pub async fn shutdown(&self) {
        let companion = self
            .inner
            .companion
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take();
        if let Some(c) = companion {
            c.stop().await;
        }
        self.inner
            .lock
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take();
    }
}
