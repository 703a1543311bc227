//! Zimo-pagos Cashout API v3 simulator.
//!
//! Serves the document's endpoints on two loopback hosts, as Zimo-pagos
//! does: the main host (`POST /v3/cashout` and the assumed status call) and
//! the debit-card host (`POST /v3/cashout` for Mexican debit cards). It
//! checks `login`/`pass` and the `Payload-Signature` over the exact bytes
//! received, applies every documented field rule (the adapter's own
//! checks, so the two cannot drift) and answers refusals in Zimo-pagos'
//! `{code, message}` shape, refuses a reused `external_id`, honours
//! `on_hold`, moves cashouts pending → delivered → completed or rejected
//! over time, and POSTs a form-encoded notification without the status on
//! every change. Simulator-only choices: a cashout whose `document_id`
//! starts with "REJECT" is rejected by the bank (800, "Invalid bank
//! account"); http:// loopback notification URLs are accepted; the
//! notification's `control` is an uppercase HMAC of the `external_id`
//! between two fixed strings; unknown paths get 404, and injected faults
//! 429 / 500, in the same error shape. The shared [`Faults`] apply to both
//! hosts; "after commit" faults hit only cashout creation.

mod deliver;
mod fields;
mod http;
mod state;

pub use state::{Rejection, SimCashout, SimNotification};

use state::ApiError;

use crate::faults::Faults;
use crate::server::{self, Server};
use axum::http::StatusCode;
use cashdesk_zimo_pagos::assumptions::{NOTIFICATION_RETRIES, NOTIFICATION_RETRY_WAIT};
use cashdesk_zimo_pagos::{
    CashoutId, ClientConfig, Credentials, ErrorBody, ErrorCodes, Paths, Status, ValidationOptions,
};
use state::Ledger;
use std::fmt;
use std::io;
use std::sync::Arc;
use std::time::Duration;

/// Decides whether, and why, the bank rejects a delivered cashout.
pub type RejectIf = Arc<dyn Fn(&SimCashout) -> Option<Rejection> + Send + Sync>;

#[derive(Clone)]
pub struct ZimoPagosSimConfig {
    /// Main host; 0 picks a free port.
    pub port: u16,
    /// Debit-card host; 0 picks a free port.
    pub card_port: u16,
    pub login: String,
    pub pass: String,
    /// HMAC key of `Payload-Signature` (and of the notification control).
    pub signing_secret: String,
    pub paths: Paths,
    pub codes: ErrorCodes,
    /// How long a cashout stays pending before it goes to the bank.
    pub deliver_after: Duration,
    /// How long the bank takes to complete or reject it.
    pub settle_after: Duration,
    /// `None`: reject when `document_id` starts with "REJECT".
    pub reject_if: Option<RejectIf>,
    /// The field rules; by default http:// loopback notification URLs pass.
    pub validation: ValidationOptions,
    /// Documented: up to 5 more attempts after a refused notification …
    pub notification_retries: u32,
    /// … 5 minutes apart.
    pub notification_retry_wait: Duration,
    /// The first cashout_id handed out.
    pub first_cashout_id: u64,
}

impl Default for ZimoPagosSimConfig {
    fn default() -> Self {
        Self {
            port: 0,
            card_port: 0,
            login: "sandbox-login".into(),
            pass: "sandbox-pass".into(),
            signing_secret: "sandbox-signing-secret".into(),
            paths: Paths::default(),
            codes: ErrorCodes::default(),
            deliver_after: Duration::from_secs(3),
            settle_after: Duration::from_secs(5),
            reject_if: None,
            validation: ValidationOptions {
                allow_http_loopback_notification_url: true,
                ..ValidationOptions::default()
            },
            notification_retries: NOTIFICATION_RETRIES,
            notification_retry_wait: NOTIFICATION_RETRY_WAIT,
            first_cashout_id: 60_000,
        }
    }
}

impl fmt::Debug for ZimoPagosSimConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ZimoPagosSimConfig")
            .field("port", &self.port)
            .field("card_port", &self.card_port)
            .field("deliver_after", &self.deliver_after)
            .field("settle_after", &self.settle_after)
            .field("reject_if", &self.reject_if.as_ref().map(|_| "custom"))
            .field("validation", &self.validation)
            .field("notification_retries", &self.notification_retries)
            .finish_non_exhaustive()
    }
}

impl ZimoPagosSimConfig {
    pub(crate) fn rejection(&self, c: &SimCashout) -> Option<Rejection> {
        match &self.reject_if {
            Some(rule) => rule(c),
            None => c
                .request
                .document_id
                .starts_with("REJECT")
                .then(|| (800, "Invalid bank account".to_owned())),
        }
    }
}

pub(crate) struct Inner {
    pub ledger: Ledger,
    pub faults: Faults,
    pub unstated: crate::Unstated,
    pub notifications: Vec<SimNotification>,
    pub requests: u64,
    /// Authenticated status calls answered.
    pub status_calls: u64,
    /// Answer for the next authenticated cashout, instead of checking it.
    pub refuse_next: Option<ApiError>,
}

pub(crate) type Shared = crate::shared::SimShared<ZimoPagosSimConfig, Inner>;
crate::shared::books!(Inner);

pub struct ZimoPagosSim;

impl ZimoPagosSim {
    /// Binds both hosts on 127.0.0.1 and serves until
    /// [`RunningZimoPagos::shutdown`] or drop.
    pub async fn start(config: ZimoPagosSimConfig) -> io::Result<RunningZimoPagos> {
        let (card_stop_tx, _) = server::stop_channel();
        let inner = Inner {
            ledger: Ledger::new(config.first_cashout_id),
            faults: Faults::default(),
            unstated: crate::Unstated::default(),
            notifications: Vec::new(),
            requests: 0,
            status_calls: 0,
            refuse_next: None,
        };
        let (shared, stop_tx) = Shared::new(config, inner)?;
        let main = http::main_router(shared.clone());
        let card = http::card_router(shared.clone());
        let server = Server::start(shared.config.port, main, stop_tx).await?;
        let card_server = Server::start(shared.config.card_port, card, card_stop_tx).await?;
        Ok(RunningZimoPagos {
            shared,
            base_url: server.base_url(),
            card_base_url: card_server.base_url(),
            servers: vec![server, card_server],
        })
    }
}

crate::shared::running_common!(RunningZimoPagos);

/// A running simulator; dropping it stops it.
pub struct RunningZimoPagos {
    shared: Arc<Shared>,
    base_url: String,
    card_base_url: String,
    servers: Vec<Server>,
}

impl RunningZimoPagos {
    /// Main host, `http://127.0.0.1:PORT`, without a trailing slash.
    pub fn base_url(&self) -> String {
        self.base_url.clone()
    }

    /// Debit-card host, `http://127.0.0.1:PORT`.
    pub fn card_base_url(&self) -> String {
        self.card_base_url.clone()
    }

    pub fn login(&self) -> &str {
        &self.shared.config.login
    }

    pub fn pass(&self) -> &str {
        &self.shared.config.pass
    }

    pub fn signing_secret(&self) -> &[u8] {
        self.shared.config.signing_secret.as_bytes()
    }

    /// The account's credentials, for an adapter client.
    pub fn credentials(&self) -> Credentials {
        let c = &self.shared.config;
        Credentials::new(&c.login, &c.pass, &c.signing_secret)
            .expect("the simulator's credentials are valid")
    }

    /// An adapter configuration for this simulator: its card host, and
    /// http:// loopback notification URLs allowed (sandbox only).
    pub fn client_config(&self) -> ClientConfig {
        ClientConfig {
            paths: self.shared.config.paths.clone(),
            card_base_url: Some(self.card_base_url()),
            validation: ValidationOptions {
                allow_http_loopback_notification_url: true,
                ..ValidationOptions::default()
            },
            error_codes: self.shared.config.codes,
            ..ClientConfig::default()
        }
    }

    /// Every cashout committed, oldest first.
    pub fn cashouts(&self) -> Vec<SimCashout> {
        self.shared.lock().ledger.cashouts.clone()
    }

    pub fn cashout(&self, id: CashoutId) -> Option<SimCashout> {
        self.shared.lock().ledger.get(id).cloned()
    }

    /// How many authenticated status calls were answered.
    pub fn status_calls(&self) -> u64 {
        self.shared.lock().status_calls
    }

    /// Every notification attempt so far, in the order they were answered.
    pub fn notifications(&self) -> Vec<SimNotification> {
        self.shared.lock().notifications.clone()
    }

    /// The next authenticated cashout is refused with `body` (HTTP 400)
    /// and not committed: for the provider refusals the document shows only
    /// by shape (`reason`, `reason_code`), without inventing rules for them.
    pub fn refuse_next_cashout(&self, body: ErrorBody) {
        self.shared.lock().refuse_next = Some(ApiError {
            status: StatusCode::BAD_REQUEST,
            body,
        });
    }

    /// What the Merchant Panel's status options do: moves a cashout that is
    /// not final to `to` and notifies. False if it is final, already in
    /// `to`, or unknown.
    pub fn force_status(&self, id: CashoutId, to: Status) -> bool {
        let rejection =
            (to == Status::Rejected).then(|| (820, "Rejected by merchant's request".into()));
        let moved = self
            .shared
            .lock()
            .ledger
            .transition(id, None, to, rejection);
        match moved {
            Some(c) => {
                deliver::notify(&self.shared, &c);
                if to == Status::Pending {
                    deliver::schedule_progress(self.shared.clone(), id);
                }
                true
            }
            None => false,
        }
    }

    /// Releases a cashout held with `on_hold`: back to pending (notified),
    /// and on its way to the bank. False if it is not on hold.
    pub fn release_hold(&self, id: CashoutId) -> bool {
        let released =
            self.shared
                .lock()
                .ledger
                .transition(id, Some(Status::OnHold), Status::Pending, None);
        match released {
            Some(c) => {
                deliver::notify(&self.shared, &c);
                deliver::schedule_progress(self.shared.clone(), id);
                true
            }
            None => false,
        }
    }

    /// Stops both hosts, pending progress and notification deliveries.
    pub async fn shutdown(mut self) {
        for server in self.servers.drain(..) {
            server.shutdown().await;
        }
    }
}
