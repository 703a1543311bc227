//! Zexabit Cash Agent API simulator.
//!
//! Serves exactly the endpoints of the document (on the paths assumed in
//! `cashdesk_zexabit::assumptions`), with Bearer auth, the documented
//! errors and the 100 requests/minute limit. Transactions are created
//! `pending`, settle after [`ZexabitSimConfig::settle_after`], move balances
//! and fire a signed webhook, as a real agent would. Simulator-only choices:
//! creating a user twice with the same `externalUserId` returns the existing
//! user, new users start with [`ZexabitSimConfig::initial_balance`], a
//! deposit's `paymentNumber` is not matched against the agent's number (the
//! document does not say Zexabit checks it), and an unknown path or method
//! is answered 404 NOT_FOUND in the documented error shape.
//!
//! Sandbox markers (like the `FAKE` TrxID the agent rejects): the first
//! deposit call whose `transactionId` starts with `LOST` is dropped before
//! anything is committed (connection closed, no answer, no webhook), so a
//! desk sees an outcome nobody can learn from Zexabit; the same call sent
//! again is handled normally.

mod catalog;
mod deliver;
mod fields;
mod http;
mod state;

pub use catalog::{SimMethod, methods};
pub use state::{SimTxn, SimUser, TxnKind};

use crate::faults::Faults;
use crate::server::Server;
use cashdesk_zexabit::Paths;
use cashdesk_zexabit::assumptions::REQUESTS_PER_MINUTE;
use rust_decimal::Decimal;
use state::Ledger;
use std::collections::{HashMap, HashSet, VecDeque};
use std::fmt;
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Decides whether the agent rejects a transaction when it settles.
pub type RejectIf = Arc<dyn Fn(&SimTxn) -> bool + Send + Sync>;

#[derive(Clone)]
pub struct ZexabitSimConfig {
    /// 0 picks a free port.
    pub port: u16,
    /// The only key accepted as `Authorization: Bearer <key>`.
    pub api_key: String,
    /// HMAC key for `X-Zexabit-Signature`, used as UTF-8 bytes.
    pub webhook_secret: String,
    /// Where webhooks go; `None` means none are sent.
    pub callback_url: Option<String>,
    /// How long a transaction stays `pending`.
    pub settle_after: Duration,
    /// `None`: reject deposits whose transactionId starts with "FAKE".
    pub reject_if: Option<RejectIf>,
    /// Balance every new user starts with.
    pub initial_balance: Decimal,
    pub rate_limit_per_minute: u32,
    /// Methods with no agent on duty (422 NO_AGENT_AVAILABLE).
    pub methods_without_agent: Vec<String>,
    pub paths: Paths,
    /// Webhook delivery attempts in all (at least 1).
    pub webhook_attempts: u32,
    /// Wait before the first retry; doubled for each further one.
    pub webhook_backoff: Duration,
}

impl Default for ZexabitSimConfig {
    fn default() -> Self {
        Self {
            port: 0,
            api_key: "sandbox-api-key".into(),
            webhook_secret: "sandbox-webhook-secret".into(),
            callback_url: None,
            settle_after: Duration::from_secs(3),
            reject_if: None,
            initial_balance: Decimal::ZERO,
            rate_limit_per_minute: REQUESTS_PER_MINUTE,
            methods_without_agent: Vec::new(),
            paths: Paths::default(),
            webhook_attempts: 5,
            webhook_backoff: Duration::from_millis(200),
        }
    }
}

impl fmt::Debug for ZexabitSimConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ZexabitSimConfig")
            .field("port", &self.port)
            .field("callback_url", &self.callback_url)
            .field("settle_after", &self.settle_after)
            .field("reject_if", &self.reject_if.as_ref().map(|_| "custom"))
            .field("initial_balance", &self.initial_balance)
            .field("rate_limit_per_minute", &self.rate_limit_per_minute)
            .field("methods_without_agent", &self.methods_without_agent)
            .finish_non_exhaustive()
    }
}

impl ZexabitSimConfig {
    pub(crate) fn rejects(&self, txn: &SimTxn) -> bool {
        match &self.reject_if {
            Some(rule) => rule(txn),
            None => txn
                .transaction_id
                .as_deref()
                .is_some_and(|t| t.starts_with("FAKE")),
        }
    }
}

pub(crate) struct Inner {
    pub ledger: Ledger,
    pub faults: Faults,
    pub unstated: crate::Unstated,
    pub callback_url: Option<String>,
    pub suspended: bool,
    /// Accepted request times per API key, for the sliding minute.
    pub window: HashMap<String, VecDeque<Instant>>,
    pub requests: u64,
    /// `LOST` TrxIDs already dropped once.
    pub lost: HashSet<String>,
}

pub(crate) type Shared = crate::shared::SimShared<ZexabitSimConfig, Inner>;
crate::shared::books!(Inner);

pub struct ZexabitSim;

impl ZexabitSim {
    /// Binds 127.0.0.1 and serves until [`RunningZexabit::shutdown`] or drop.
    pub async fn start(config: ZexabitSimConfig) -> io::Result<RunningZexabit> {
        let ledger = Ledger {
            methods: methods(),
            without_agent: config
                .methods_without_agent
                .iter()
                .cloned()
                .collect::<HashSet<_>>(),
            initial_balance: config.initial_balance,
            users: Vec::new(),
            deposits: Vec::new(),
            withdrawals: Vec::new(),
        };
        let inner = Inner {
            ledger,
            faults: Faults::default(),
            unstated: crate::Unstated::default(),
            callback_url: config.callback_url.clone(),
            suspended: false,
            window: HashMap::new(),
            requests: 0,
            lost: HashSet::new(),
        };
        let (shared, stop_tx) = Shared::new(config, inner)?;
        let router = http::router(shared.clone());
        let server = Server::start(shared.config.port, router, stop_tx).await?;
        Ok(RunningZexabit {
            shared,
            addr: server.addr(),
            server: Some(server),
        })
    }
}

crate::shared::running_common!(RunningZexabit);

/// What the simulated Zexabit received, readable from another task (the
/// sandbox reports it so an end-to-end test counts calls at the provider).
#[derive(Clone)]
pub struct ZexabitLedger(Arc<Shared>);

impl ZexabitLedger {
    pub fn deposits(&self) -> Vec<SimTxn> {
        self.0.lock().ledger.deposits.clone()
    }

    pub fn withdrawals(&self) -> Vec<SimTxn> {
        self.0.lock().ledger.withdrawals.clone()
    }
}

/// A running simulator; dropping it stops it.
pub struct RunningZexabit {
    shared: Arc<Shared>,
    addr: SocketAddr,
    server: Option<Server>,
}

impl RunningZexabit {
    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn api_key(&self) -> &str {
        &self.shared.config.api_key
    }

    pub fn webhook_secret(&self) -> &[u8] {
        self.shared.config.webhook_secret.as_bytes()
    }

    pub fn users(&self) -> Vec<SimUser> {
        self.shared.lock().ledger.users.clone()
    }

    pub fn deposits(&self) -> Vec<SimTxn> {
        self.shared.lock().ledger.deposits.clone()
    }

    pub fn withdrawals(&self) -> Vec<SimTxn> {
        self.shared.lock().ledger.withdrawals.clone()
    }

    /// The ledger as a handle a task can keep while the simulator runs.
    pub fn ledger(&self) -> ZexabitLedger {
        ZexabitLedger(self.shared.clone())
    }

    /// Applies to webhooks fired from now on.
    pub fn set_callback_url(&self, url: Option<String>) {
        self.shared.lock().callback_url = url;
    }

    /// A suspended partner gets 403 FORBIDDEN on every request.
    pub fn set_suspended(&self, suspended: bool) {
        self.shared.lock().suspended = suspended;
    }

    /// Puts an agent on or off duty for `method`.
    pub fn set_agent_available(&self, method: &str, available: bool) {
        let mut inner = self.shared.lock();
        if available {
            inner.ledger.without_agent.remove(method);
        } else {
            inner.ledger.without_agent.insert(method.to_owned());
        }
    }

    /// Stops serving and cancels pending settlements and deliveries.
    pub async fn shutdown(mut self) {
        if let Some(server) = self.server.take() {
            server.shutdown().await;
        }
    }
}
