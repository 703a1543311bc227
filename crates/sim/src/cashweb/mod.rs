//! CashWeb Transactions API simulator: crypto deposits.
//!
//! Serves exactly the document's endpoints (on the paths in
//! `cashdesk_cashweb::assumptions`), with the configured auth, the
//! documented rules (one pricing mode, unique case-insensitive reference,
//! 409 on duplicates and on cancelling what is past cancelling, cursor-only
//! listing, idempotent cancel) and state that moves over time: a deposit is
//! detected, gathers confirmations and is confirmed; an unpaid transaction
//! expires at its deadline. Durations are configurable so tests run fast.
//!
//! Customers and the chain have no HTTP surface in the document, so they
//! are Rust methods here: [`RunningCashWeb::create_as_customer`] (the
//! operator's checkout creating a transaction for a customer),
//! [`RunningCashWeb::issue_quote`] (the document names no quote endpoint)
//! and [`RunningCashWeb::deposit_arrives`]. Simulator-only choices: a quote
//! may back several transactions until it expires, a missing `limit` means
//! [`CashWebSimConfig::default_list_limit`], idempotency keys are scoped to
//! one transaction, and an unknown path is 404 in the error shape.

mod chain;
mod cursor;
mod fields;
mod http;
mod markets;
mod records;
mod state;

pub use chain::now;
pub use markets::{Market, markets};
pub use records::{SimError, SimQuote, SimTransaction};

use crate::faults::Faults;
use crate::server::Server;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use cashdesk_cashweb::assumptions::{DEPOSIT_EXPIRY, QUOTE_VALIDITY};
use cashdesk_cashweb::{AuthScheme, CreateTransactionRequest, Paths, PricingMode};
use rust_decimal::Decimal;
use state::{Book, NewPricing, NewTransaction, Terms};
use std::collections::HashMap;
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

#[derive(Clone, Debug)]
pub struct CashWebSimConfig {
    /// 0 picks a free port.
    pub port: u16,
    /// The only key accepted, sent as `auth` says.
    pub api_key: String,
    pub auth: AuthScheme,
    pub paths: Paths,
    pub merchant_id: String,
    pub terminal_id: String,
    /// How long a transaction waits for its deposit (documented: 30 min).
    pub deposit_expiry: Duration,
    /// How long a quote holds (documented: 120 s).
    pub quote_validity: Duration,
    /// Time between two block confirmations of a deposit.
    pub confirmation_interval: Duration,
    pub markets: Vec<Market>,
    /// Page size when a list request sends no `limit`.
    pub default_list_limit: u32,
}

impl Default for CashWebSimConfig {
    fn default() -> Self {
        Self {
            port: 0,
            api_key: "sandbox-cashweb-key".into(),
            auth: AuthScheme::Bearer,
            paths: Paths::default(),
            merchant_id: "mrc_001".into(),
            terminal_id: "term_01".into(),
            deposit_expiry: DEPOSIT_EXPIRY,
            quote_validity: QUOTE_VALIDITY,
            confirmation_interval: Duration::from_secs(3),
            markets: markets(),
            default_list_limit: 20,
        }
    }
}

/// A stored answer to a cancel, replayed for the same key.
#[derive(Clone, Debug)]
pub(crate) struct Replay {
    status: StatusCode,
    body: Vec<u8>,
}

impl Replay {
    fn json<T: serde::Serialize>(status: StatusCode, body: &T) -> Replay {
        Replay {
            status,
            body: serde_json::to_vec(body).unwrap_or_default(),
        }
    }
}

impl IntoResponse for Replay {
    fn into_response(self) -> Response {
        (
            self.status,
            [(axum::http::header::CONTENT_TYPE, "application/json")],
            self.body,
        )
            .into_response()
    }
}

pub(crate) struct Inner {
    pub book: Book,
    pub faults: Faults,
    pub unstated: crate::Unstated,
    /// (transaction id, Idempotency-Key) → first answer.
    pub cancels: HashMap<(String, String), Replay>,
    pub requests: u64,
    /// Transactions the list shows with a field nobody can read.
    pub garbled: std::collections::HashSet<String>,
    /// Transactions shown with a status name nobody documented.
    pub odd_status: HashMap<String, String>,
}

pub(crate) type Shared = crate::shared::SimShared<CashWebSimConfig, Inner>;
crate::shared::books!(Inner);

pub struct CashWebSim;

impl CashWebSim {
    /// Binds 127.0.0.1 and serves until [`RunningCashWeb::shutdown`] or drop.
    pub async fn start(config: CashWebSimConfig) -> io::Result<RunningCashWeb> {
        let terms = Terms {
            merchant_id: config.merchant_id.clone(),
            terminal_id: config.terminal_id.clone(),
            deposit_expiry: config.deposit_expiry,
            quote_validity: config.quote_validity,
            confirmation_interval: config.confirmation_interval,
        };
        let inner = Inner {
            book: Book::new(terms, config.markets.clone()),
            faults: Faults::default(),
            unstated: crate::Unstated::default(),
            cancels: HashMap::new(),
            requests: 0,
            garbled: Default::default(),
            odd_status: HashMap::new(),
        };
        let (shared, stop_tx) = Shared::new(config, inner)?;
        let router = http::router(shared.clone());
        let server = Server::start(shared.config.port, router, stop_tx).await?;
        Ok(RunningCashWeb {
            shared,
            addr: server.addr(),
            server: Some(server),
        })
    }
}

crate::shared::running_common!(RunningCashWeb);

/// A running simulator; dropping it stops it.
pub struct RunningCashWeb {
    shared: Arc<Shared>,
    addr: SocketAddr,
    server: Option<Server>,
}

impl RunningCashWeb {
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

    pub fn auth(&self) -> &AuthScheme {
        &self.shared.config.auth
    }

    /// Every transaction as of now, oldest first.
    pub fn transactions(&self) -> Vec<SimTransaction> {
        let mut inner = self.shared.lock();
        inner.book.advance(now());
        inner.book.transactions.clone()
    }

    pub fn transaction(&self, id: &str) -> Option<SimTransaction> {
        self.transactions().into_iter().find(|t| t.id == id)
    }

    /// Moves the market: direct mode uses the new rate from now on;
    /// quotes already issued keep theirs.
    pub fn set_rate(&self, crypto: &str, network: &str, rate: Decimal) -> Result<(), SimError> {
        self.shared.lock().book.set_rate(crypto, network, rate)
    }

    /// A quote as CashWeb would issue one, valid for `quote_validity`.
    pub fn issue_quote(
        &self,
        fiat_amount: Decimal,
        crypto: &str,
        network: &str,
    ) -> Result<SimQuote, SimError> {
        self.shared
            .lock()
            .book
            .issue_quote(fiat_amount, crypto, network, now())
    }

    /// A transaction created for a customer by the operator's checkout,
    /// under the same rules as `POST /transactions`. In quote mode only
    /// the quote id is used; the simulator's own record decides expiry.
    pub fn create_as_customer(
        &self,
        req: &CreateTransactionRequest,
    ) -> Result<SimTransaction, SimError> {
        let pricing = match &req.pricing {
            PricingMode::Quote(q) => NewPricing::Quote(q.id().to_owned()),
            PricingMode::Direct {
                fiat_amount,
                crypto_currency,
                network,
            } => NewPricing::Direct {
                fiat_amount: *fiat_amount,
                crypto_currency: crypto_currency.clone(),
                network: network.clone(),
            },
        };
        let new = NewTransaction {
            merchant_reference: req.merchant_reference.clone(),
            pricing,
            seller_phone: req.seller_phone.clone(),
        };
        let at = now();
        let mut inner = self.shared.lock();
        inner.book.advance(at);
        inner.book.create(new, at)
    }

    /// The customer's deposit lands on chain now.
    /// The list shows transaction `id` with an amount that is not money
    /// (`garbled`), or as it is again.
    pub fn garble(&self, id: &str, garbled: bool) {
        let mut inner = self.shared.lock();
        if garbled {
            inner.garbled.insert(id.to_owned());
        } else {
            inner.garbled.remove(id);
        }
    }

    /// Shows transaction `id` with status `name` (one no document gives),
    /// or with its own status again.
    pub fn odd_status(&self, id: &str, name: Option<&str>) {
        let mut inner = self.shared.lock();
        match name {
            Some(n) => inner.odd_status.insert(id.to_owned(), n.to_owned()),
            None => inner.odd_status.remove(id),
        };
    }

    pub fn deposit_arrives(&self, id: &str) -> Result<SimTransaction, SimError> {
        self.deposit_arrives_after(id, Duration::ZERO)
    }

    /// The customer's deposit will land after `delay`; if that is past the
    /// deadline, the transaction expires instead.
    pub fn deposit_arrives_after(
        &self,
        id: &str,
        delay: Duration,
    ) -> Result<SimTransaction, SimError> {
        let at = now();
        let mut inner = self.shared.lock();
        inner.book.advance(at);
        inner.book.schedule_deposit(id, at + chain::delta(delay))?;
        inner.book.advance(at);
        inner.book.get(id).cloned()
    }

    /// Stops serving.
    pub async fn shutdown(mut self) {
        if let Some(server) = self.server.take() {
            server.shutdown().await;
        }
    }
}
