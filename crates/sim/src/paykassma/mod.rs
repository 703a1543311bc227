//! Paykassma API simulator.
//!
//! Serves every endpoint of the document on the paths of
//! `cashdesk_paykassma::Paths`, with the `secret` query parameter (missing
//! or wrong: 404 "Not found"; accounts-balance answers the documented
//! "Wrong secret" body instead), signed withdrawals, refusals in
//! Paykassma's `{"status":"fail","message":...}` shape and unique custom and
//! withdrawal ids. Deposits and withdrawals are created pending, settle
//! after [`PaykassmaSimConfig::settle_after`], move the account balances and
//! issue postbacks (deposits only once the user's savings reach the
//! minimum), which are POSTed signed to the postback URL and can be looked
//! up. Simulator-only choices, where the document is silent:
//! - refusals are HTTP 400; postbacks are JSON with a `signature` field;
//! - key1 starting "SUSPECT" answers 400 "Check of deposit status started",
//!   "NOTFOUND" a possible transaction (or "Transaction not found" when
//!   possible transactions are off); a deposit whose key1 or custom id
//!   contains "FAKE" fails when it settles, a withdrawal whose label starts
//!   with "REJECT" is rejected (both configurable);
//! - an activation without `amount` is taken to have paid the wallet's
//!   minimum deposit (the simulator cannot see the real transfer);
//! - a repeated id is refused as Laravel's `unique` rule words it;
//! - the URL hash is 40 hex digits (the document's are opaque to clients).

mod catalog;
mod deliver;
mod fields;
mod http;
mod multipart;
mod pages;
mod state;
mod withdraw;

pub use catalog::{Flow, SimWallet, wallets};
pub use state::{PaymentKind, SimPayment, SimScreenshot, SimStatus, SimWithdrawal};

use crate::faults::Faults;
use crate::server::Server;
use cashdesk_paykassma::{Balance, Paths, Postback, Rules};
use rust_decimal::Decimal;
use state::Ledger;
use std::fmt;
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

/// Decides whether a deposit fails when it settles.
pub type FailIf = Arc<dyn Fn(&SimPayment) -> bool + Send + Sync>;
/// Decides whether a withdrawal is rejected when it settles.
pub type RejectIf = Arc<dyn Fn(&SimWithdrawal) -> bool + Send + Sync>;

#[derive(Clone)]
pub struct PaykassmaSimConfig {
    /// 0 picks a free port.
    pub port: u16,
    /// The PLUGINAPI secret every request but the withdrawal must carry.
    pub secret: String,
    /// Signs withdrawals (checked) and postbacks (made).
    pub private_key: String,
    /// Where postbacks go; `None` means none are sent.
    pub postback_url: Option<String>,
    /// How long a deposit or withdrawal stays pending.
    pub settle_after: Duration,
    /// `None`: deposits whose key1 or custom id contains "FAKE" fail.
    pub fail_if: Option<FailIf>,
    /// `None`: withdrawals whose label starts with "REJECT" are rejected.
    pub reject_if: Option<RejectIf>,
    /// "Delayed automatic activation (Possible transactions)" enabled.
    pub possible_transactions: bool,
    /// The "Insufficient balance" check (enabled by Paykassma support).
    pub check_balance: bool,
    /// Account balances at start.
    pub balances: Vec<Balance>,
    pub paths: Paths,
    pub rules: Rules,
    /// Postback delivery attempts in all (at least 1).
    pub postback_attempts: u32,
    /// Wait before the first retry; doubled for each further one.
    pub postback_backoff: Duration,
}

impl Default for PaykassmaSimConfig {
    fn default() -> Self {
        let balance = |wallet: &str, currency: &str, amount: i64| Balance {
            wallet_type: wallet.into(),
            currency_code: currency.into(),
            amount: Decimal::from(amount),
        };
        Self {
            port: 0,
            secret: "sandbox-pluginapi-secret".into(),
            private_key: "sandbox-private-key".into(),
            postback_url: None,
            settle_after: Duration::from_secs(3),
            fail_if: None,
            reject_if: None,
            possible_transactions: true,
            check_balance: true,
            balances: vec![
                balance("paytm", "INR", 100_000),
                balance("imps_ib", "INR", 50_000),
                balance("upi_ib", "INR", 50_000),
                balance("bkash", "BDT", 100_000),
                balance("nagad", "BDT", 50_000),
                balance("rocket", "BDT", 20_000),
            ],
            paths: Paths::default(),
            rules: Rules::default(),
            postback_attempts: 5,
            postback_backoff: Duration::from_millis(200),
        }
    }
}

impl fmt::Debug for PaykassmaSimConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PaykassmaSimConfig")
            .field("port", &self.port)
            .field("postback_url", &self.postback_url)
            .field("settle_after", &self.settle_after)
            .field("possible_transactions", &self.possible_transactions)
            .field("check_balance", &self.check_balance)
            .finish_non_exhaustive()
    }
}

impl PaykassmaSimConfig {
    pub(crate) fn fails(&self, p: &SimPayment) -> bool {
        match &self.fail_if {
            Some(rule) => rule(p),
            None => p.key1.contains("FAKE") || p.custom_id.contains("FAKE"),
        }
    }

    pub(crate) fn rejects(&self, w: &SimWithdrawal) -> bool {
        match &self.reject_if {
            Some(rule) => rule(w),
            None => w.label.starts_with("REJECT"),
        }
    }
}

pub(crate) struct Inner {
    pub ledger: Ledger,
    pub faults: Faults,
    pub unstated: crate::Unstated,
    pub postback_url: Option<String>,
    pub requests: u64,
}

pub(crate) type Shared = crate::shared::SimShared<PaykassmaSimConfig, Inner>;
crate::shared::books!(Inner);

pub struct PaykassmaSim;

impl PaykassmaSim {
    /// Binds 127.0.0.1 and serves until [`RunningPaykassma::shutdown`] or drop.
    pub async fn start(config: PaykassmaSimConfig) -> io::Result<RunningPaykassma> {
        let ledger = Ledger {
            wallets: wallets(),
            payments: Vec::new(),
            withdrawals: Vec::new(),
            balances: config.balances.clone(),
            deposit_postbacks: Vec::new(),
            withdrawal_postbacks: Vec::new(),
            issued: Vec::new(),
            issued_at: Default::default(),
            next_stockpiling_id: 1584,
        };
        let inner = Inner {
            ledger,
            faults: Faults::default(),
            unstated: crate::Unstated::default(),
            postback_url: config.postback_url.clone(),
            requests: 0,
        };
        let (shared, stop_tx) = Shared::new(config, inner)?;
        let router = http::router(shared.clone());
        let server = Server::start(shared.config.port, router, stop_tx).await?;
        Ok(RunningPaykassma {
            shared,
            addr: server.addr(),
            server: Some(server),
        })
    }
}

crate::shared::running_common!(RunningPaykassma);

/// A running simulator; dropping it stops it.
pub struct RunningPaykassma {
    shared: Arc<Shared>,
    addr: SocketAddr,
    server: Option<Server>,
}

impl RunningPaykassma {
    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn secret(&self) -> &str {
        &self.shared.config.secret
    }

    pub fn private_key(&self) -> &str {
        &self.shared.config.private_key
    }

    /// Every deposit received, in order.
    pub fn payments(&self) -> Vec<SimPayment> {
        self.shared.lock().ledger.payments.clone()
    }

    pub fn withdrawals(&self) -> Vec<SimWithdrawal> {
        self.shared.lock().ledger.withdrawals.clone()
    }

    /// Every postback issued, in order (whether or not delivered).
    pub fn postbacks(&self) -> Vec<Postback> {
        self.shared.lock().ledger.issued.clone()
    }

    pub fn balances(&self) -> Vec<Balance> {
        self.shared.lock().ledger.balances.clone()
    }

    /// Applies to postbacks issued from now on.
    pub fn set_postback_url(&self, url: Option<String>) {
        self.shared.lock().postback_url = url;
    }

    /// Sets one account balance (added if new).
    pub fn set_balance(&self, wallet_type: &str, currency: &str, amount: Decimal) {
        let mut inner = self.shared.lock();
        let balances = &mut inner.ledger.balances;
        balances.retain(|b| !(b.wallet_type == wallet_type && b.currency_code == currency));
        balances.push(Balance {
            wallet_type: wallet_type.into(),
            currency_code: currency.into(),
            amount,
        });
    }

    /// Stops serving and cancels pending settlements and deliveries.
    pub async fn shutdown(mut self) {
        if let Some(server) = self.server.take() {
            server.shutdown().await;
        }
    }
}
