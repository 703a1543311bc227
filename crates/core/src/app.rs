//! The app handle the API boundary holds: the context ([`Cx`]) plus what
//! belongs to a running desk (its local server's address and token, its
//! data-folder lock, the sandbox). Private fields, accessors only; what
//! starts the background tasks is `start.rs`. The Tauri shell and the
//! headless binary both hold one `Cashdesk`.

use crate::api::dto::Changed;
use crate::config::Config;
use crate::cx::Cx;
use crate::error::CoreResult;
use crate::notify::Notice;
use crate::providers::Providers;
use cashdesk_secrets::Keychain;
use cashdesk_store::Store;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use tokio::sync::broadcast;

/// See [`Cashdesk::downgrade`].
pub(crate) struct WeakCashdesk(std::sync::Weak<Inner>, Arc<Seat>);

impl WeakCashdesk {
    pub(crate) fn upgrade(&self) -> Option<Cashdesk> {
        self.0.upgrade().map(|inner| Cashdesk {
            inner,
            seat: self.1.clone(),
        })
    }
}

/// Cheap to clone; every clone is the same app at the same seat. A team
/// desk server holds one core and a seat per logged-in desktop
/// ([`Cashdesk::new_seat`]).
#[derive(Clone)]
pub struct Cashdesk {
    pub(crate) inner: Arc<Inner>,
    seat: Arc<Seat>,
}

/// Who sits at one desk: the session and what its supervisor is looking
/// at. A desktop has one; a team server one per desktop session.
#[derive(Default)]
pub(crate) struct Seat {
    /// Who is logged in at this seat (`session/`).
    session: Mutex<Option<crate::session::Session>>,
    /// The shift close a supervisor is looking at (`api/shifts.rs`): what
    /// they sign is what they saw, not figures asked again.
    close_preview: Mutex<Option<crate::api::shifts::Preview>>,
}

pub(crate) struct Inner {
    cx: Cx,
    http: Mutex<Option<HttpInfo>>,
    /// Run alongside the core and stopped with it: the sandbox.
    companion: Mutex<Option<Box<dyn Companion>>>,
    /// The data folder's lock, held by a started core (see `lock.rs`).
    lock: Mutex<Option<crate::lock::DataLock>>,
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
        Ok(Cashdesk {
            inner: Arc::new(Inner {
                cx: Cx::open(config)?,
                http: Mutex::new(None),
                companion: Mutex::new(None),
                lock: Mutex::new(None),
            }),
            seat: Arc::default(),
        })
    }

    /// The same core at a seat of its own, nobody logged in: each desktop
    /// session of a team desk server acts through one, so one operator's
    /// log-in, lock or shift close is never another's.
    pub fn new_seat(&self) -> Cashdesk {
        Cashdesk {
            inner: self.inner.clone(),
            seat: Arc::default(),
        }
    }

    pub(crate) fn close_preview(
        &self,
    ) -> std::sync::MutexGuard<'_, Option<crate::api::shifts::Preview>> {
        self.seat
            .close_preview
            .lock()
            .unwrap_or_else(|e| e.into_inner())
    }

    /// A handle that does not keep the app alive (background tasks).
    pub(crate) fn downgrade(&self) -> WeakCashdesk {
        WeakCashdesk(Arc::downgrade(&self.inner), self.seat.clone())
    }

    /// The shell says whether the window has the keyboard focus: an agent
    /// looking at the queue is not sent notifications of what it shows.
    pub fn window_focused(&self, focused: bool) {
        self.cx().events().set_focused(focused);
    }

    /// The context provider steps and background tasks receive.
    pub(crate) fn cx(&self) -> &Cx {
        &self.inner.cx
    }

    pub fn config(&self) -> &Config {
        self.cx().config()
    }

    pub fn store(&self) -> &Store {
        self.cx().store()
    }

    pub fn keychain(&self) -> &Keychain {
        self.cx().keychain()
    }

    pub(crate) fn providers(&self) -> &Providers {
        self.cx().providers()
    }

    /// Every change to stored data, for the UI.
    pub fn subscribe(&self) -> broadcast::Receiver<Changed> {
        self.cx().events().subscribe()
    }

    /// Sets what the local server listens on, once it is bound.
    pub(crate) fn set_http(&self, info: HttpInfo) {
        *self.inner.http.lock().unwrap_or_else(|e| e.into_inner()) = Some(info);
    }

    /// Changes the intake token the local server accepts (rotation).
    pub(crate) fn set_intake_token(&self, token: String, in_keychain: bool) {
        if let Some(h) = self
            .inner
            .http
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .as_mut()
        {
            h.intake_token = token;
            h.token_in_keychain = in_keychain;
        }
    }

    /// Holds the data folder's lock until shutdown.
    pub(crate) fn hold_lock(&self, lock: crate::lock::DataLock) {
        *self.inner.lock.lock().unwrap_or_else(|e| e.into_inner()) = Some(lock);
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
        self.cx().changed(change);
    }

    pub(crate) fn notice(&self, notice: Notice) {
        self.cx().notice(notice);
    }

    /// Stops the sandbox, if any (a desktop that joined a team desk).
    pub(crate) async fn stop_companion(&self) {
        let companion = self
            .inner
            .companion
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take();
        if let Some(c) = companion {
            c.stop().await;
        }
    }

    pub(crate) fn wake_worker(&self) {
        self.cx().wake_worker();
    }

    pub(crate) fn session_cell(&self) -> &Mutex<Option<crate::session::Session>> {
        &self.seat.session
    }

    /// Stops background work that holds sockets (the sandbox, if any).
    pub async fn shutdown(&self) {
        self.stop_companion().await;
        if let Err(e) = self.store().unregister_server() {
            tracing::warn!("leaving the desk's servers: {e}");
        }
        self.inner
            .lock
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take();
    }
}
