//! The state every simulator shares between its handlers and background
//! tasks (settlements, webhook/postback/notification deliveries): its
//! configuration, its books behind one lock, an HTTP client for calling
//! back, and the stop signal. Each simulator names its own `Inner`.

use crate::faults::Faults;
use crate::server;
use std::io;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;
use tokio::sync::watch;

pub(crate) struct SimShared<C, I> {
    pub config: C,
    pub inner: Mutex<I>,
    /// Calls back to the app (webhooks, postbacks, notifications).
    pub http: reqwest::Client,
    pub stop: watch::Receiver<bool>,
}

impl<C, I> SimShared<C, I> {
    /// The shared state and the sender that stops the server and tasks.
    pub fn new(config: C, inner: I) -> io::Result<(Arc<Self>, watch::Sender<bool>)> {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .build()
            .map_err(io::Error::other)?;
        let (stop_tx, stop) = server::stop_channel();
        let shared = Arc::new(SimShared {
            config,
            inner: Mutex::new(inner),
            http,
            stop,
        });
        Ok((shared, stop_tx))
    }

    pub fn lock(&self) -> MutexGuard<'_, I> {
        // Each change under the lock is a few field writes; a panic cannot
        // leave the books half written, so keep going.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// What every simulator's books carry besides their own records.
pub(crate) trait Books {
    fn faults(&mut self) -> &mut Faults;
    fn unstated(&mut self) -> &mut crate::Unstated;
    fn requests(&self) -> u64;
}

/// The inspection methods every running simulator offers the same way.
macro_rules! running_common {
    ($running:ty) => {
        impl $running {
            /// Requests received so far, whatever their outcome.
            pub fn request_count(&self) -> u64 {
                crate::shared::Books::requests(&*self.shared.lock())
            }

            pub fn faults(&self) -> Faults {
                crate::shared::Books::faults(&mut *self.shared.lock()).clone()
            }

            /// Replaces all faults.
            pub fn set_faults(&self, faults: Faults) {
                *crate::shared::Books::faults(&mut *self.shared.lock()) = faults;
            }

            /// Plays these answers to what the document leaves open.
            pub fn set_unstated(&self, unstated: crate::Unstated) {
                *crate::shared::Books::unstated(&mut *self.shared.lock()) = unstated;
            }
        }
    };
}

/// `Books` for an `Inner` with `faults`, `unstated` and `requests` fields.
macro_rules! books {
    ($inner:ty) => {
        impl crate::shared::Books for $inner {
            fn faults(&mut self) -> &mut Faults {
                &mut self.faults
            }
            fn unstated(&mut self) -> &mut crate::Unstated {
                &mut self.unstated
            }
            fn requests(&self) -> u64 {
                self.requests
            }
        }
    };
}

pub(crate) use {books, running_common};

/// Sends a push `copies` times (the test's answer to "is a push delivered
/// once?"), each until accepted; stops at the first that is not.
pub(crate) async fn send_copies<F, Fut>(copies: usize, mut once: F) -> bool
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    for _ in 0..copies {
        if !once().await {
            return false;
        }
    }
    true
}
