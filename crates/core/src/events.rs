//! What the core tells others: change events for the window, notices for
//! the person at the desk, and the outbox worker's wake-up. Held by the
//! context ([`crate::cx::Cx`]); nothing else owns these channels.

use crate::api::dto::Changed;
use crate::notify::Notice;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use tokio::sync::{Notify, broadcast, mpsc};

pub(crate) struct Events {
    changes: broadcast::Sender<Changed>,
    notices: mpsc::UnboundedSender<Notice>,
    /// Taken once by the notifier task.
    notices_rx: Mutex<Option<mpsc::UnboundedReceiver<Notice>>>,
    worker_wake: Notify,
    /// Whether the window has focus (false with no window: headless).
    focused: AtomicBool,
}

impl Events {
    pub fn new() -> Self {
        let (changes, _) = broadcast::channel::<Changed>(256);
        let (notices, notices_rx) = mpsc::unbounded_channel();
        Self {
            changes,
            notices,
            notices_rx: Mutex::new(Some(notices_rx)),
            worker_wake: Notify::new(),
            focused: AtomicBool::new(false),
        }
    }

    /// Tells every listening window; no listener (no window yet) is fine.
    pub fn changed(&self, change: Changed) {
        let _ = self.changes.send(change);
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Changed> {
        self.changes.subscribe()
    }

    /// A sender for change events, for the store's after-commit hook.
    pub fn change_sender(&self) -> broadcast::Sender<Changed> {
        self.changes.clone()
    }

    pub fn notice(&self, notice: Notice) {
        let _ = self.notices.send(notice);
    }

    /// The notices' receiving end; `None` once the notifier has it.
    pub fn take_notices(&self) -> Option<mpsc::UnboundedReceiver<Notice>> {
        self.notices_rx
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take()
    }

    pub fn set_focused(&self, focused: bool) {
        self.focused.store(focused, Ordering::Relaxed);
    }

    pub fn focused(&self) -> bool {
        self.focused.load(Ordering::Relaxed)
    }

    pub fn wake_worker(&self) {
        self.worker_wake.notify_one();
    }

    /// Resolves when something asks the worker to look again.
    pub async fn worker_woken(&self) {
        self.worker_wake.notified().await
    }
}
