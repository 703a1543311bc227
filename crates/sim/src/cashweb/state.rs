//! The simulated CashWeb book: transactions, quotes, and the rules the
//! document states (one pricing mode, unique case-insensitive reference,
//! deadlines, cancellable states).
//!
//! Every function here runs under one lock and does no I/O, so a request
//! is either fully committed or not at all. HTTP requests and the Rust
//! "simulated customer" API go through the same rules.

use super::chain::{self, delta};
use super::cursor::CursorKey;
use super::markets::{self, Market};
use super::records::{SimError, SimQuote, SimTransaction};
use axum::http::StatusCode;
use cashdesk_cashweb::Status;
use cashdesk_cashweb::assumptions::{CRYPTO_DECIMAL_PLACES, FIAT_DECIMAL_PLACES, codes};
use cashdesk_cashweb::request::validate_amount;
use chrono::{DateTime, Utc};
use rust_decimal::{Decimal, RoundingStrategy};
use std::time::Duration;

/// How a new transaction is priced, already checked for shape.
pub enum NewPricing {
    Quote(String),
    Direct {
        fiat_amount: Decimal,
        crypto_currency: String,
        network: String,
    },
}

pub struct NewTransaction {
    pub merchant_reference: String,
    pub pricing: NewPricing,
    pub seller_phone: Option<String>,
}

/// Durations and identities from the simulator's configuration.
pub struct Terms {
    pub merchant_id: String,
    pub terminal_id: String,
    pub deposit_expiry: Duration,
    pub quote_validity: Duration,
    pub confirmation_interval: Duration,
}

pub struct Book {
    pub terms: Terms,
    pub markets: Vec<Market>,
    pub transactions: Vec<SimTransaction>,
    pub quotes: Vec<SimQuote>,
    pub cursors: CursorKey,
    next_seq: u64,
}

fn hex_id(prefix: &str) -> String {
    format!("{prefix}{:024x}", rand::random::<u128>() >> 32)
}

/// Fiat / rate to 8 places, rounded up so a deposit never falls short,
/// shown with at least two places as in the document (`"100.00"`).
pub fn crypto_for(fiat: Decimal, rate: Decimal) -> Decimal {
    let mut c = (fiat / rate)
        .round_dp_with_strategy(CRYPTO_DECIMAL_PLACES, RoundingStrategy::AwayFromZero)
        .normalize();
    if c.scale() < 2 {
        c.rescale(2);
    }
    c
}

impl Book {
    pub fn new(terms: Terms, markets: Vec<Market>) -> Self {
        Self {
            terms,
            markets,
            transactions: Vec::new(),
            quotes: Vec::new(),
            cursors: CursorKey::new(),
            next_seq: 1,
        }
    }

    /// Moves every transaction up to `now`.
    pub fn advance(&mut self, now: DateTime<Utc>) {
        let interval = self.terms.confirmation_interval;
        for t in &mut self.transactions {
            chain::advance(t, now, interval);
        }
    }

    pub fn market(&self, crypto: &str, network: &str) -> Result<&Market, SimError> {
        let (crypto, network) = (crypto.to_lowercase(), network.to_lowercase());
        self.markets
            .iter()
            .find(|m| m.crypto_currency == crypto && m.network == network)
            .ok_or_else(|| {
                SimError::invalid(format!(
                    "crypto_currency {crypto} on network {network} is not supported"
                ))
            })
    }

    pub fn set_rate(&mut self, crypto: &str, network: &str, rate: Decimal) -> Result<(), SimError> {
        validate_amount("rate", &rate, FIAT_DECIMAL_PLACES)
            .map_err(|e| SimError::invalid(e.to_string()))?;
        let (crypto, network) = (crypto.to_lowercase(), network.to_lowercase());
        let m = self
            .markets
            .iter_mut()
            .find(|m| m.crypto_currency == crypto && m.network == network)
            .ok_or_else(|| SimError::invalid(format!("no market {crypto}/{network}")))?;
        m.rate = rate;
        Ok(())
    }

    pub fn issue_quote(
        &mut self,
        fiat_amount: Decimal,
        crypto: &str,
        network: &str,
        now: DateTime<Utc>,
    ) -> Result<SimQuote, SimError> {
        validate_amount("fiat_amount", &fiat_amount, FIAT_DECIMAL_PLACES)
            .map_err(|e| SimError::invalid(e.to_string()))?;
        let m = self.market(crypto, network)?.clone();
        let quote = SimQuote {
            quote_id: hex_id("qt_"),
            crypto_currency: m.crypto_currency,
            network: m.network,
            rate: m.rate,
            fiat_amount,
            crypto_amount: crypto_for(fiat_amount, m.rate),
            issued_at: now,
            expires_at: now + delta(self.terms.quote_validity),
        };
        self.quotes.push(quote.clone());
        Ok(quote)
    }

    /// Checks the rules in order (fields, duplicate reference, quote) and
    /// commits a transaction awaiting its deposit.
    pub fn create(
        &mut self,
        new: NewTransaction,
        now: DateTime<Utc>,
    ) -> Result<SimTransaction, SimError> {
        cashdesk_cashweb::validate_merchant_reference(&new.merchant_reference)
            .map_err(|e| SimError::invalid(e.to_string()))?;
        if let NewPricing::Direct {
            fiat_amount,
            crypto_currency,
            network,
        } = &new.pricing
        {
            validate_amount("fiat_amount", fiat_amount, FIAT_DECIMAL_PLACES)
                .map_err(|e| SimError::invalid(e.to_string()))?;
            self.market(crypto_currency, network)?;
        }
        // Before the quote check: a retried create whose first attempt
        // landed must hear "duplicate", even once its quote has expired.
        if self.find_reference(&new.merchant_reference).is_some() {
            return Err(SimError::new(
                StatusCode::CONFLICT,
                codes::DUPLICATE_MERCHANT_REFERENCE,
                format!(
                    "merchant_reference {} is already used by another transaction",
                    new.merchant_reference
                ),
            ));
        }
        let (quote_id, rate, amount, crypto_amount, crypto, network) = match new.pricing {
            NewPricing::Quote(id) => {
                let q = self.live_quote(&id, now)?;
                let (rate, fiat, c) = (q.rate, q.fiat_amount, q.crypto_amount);
                (Some(id), rate, fiat, c, q.crypto_currency, q.network)
            }
            NewPricing::Direct {
                fiat_amount,
                crypto_currency,
                network,
            } => {
                let m = self.market(&crypto_currency, &network)?.clone();
                let c = crypto_for(fiat_amount, m.rate);
                (None, m.rate, fiat_amount, c, m.crypto_currency, m.network)
            }
        };
        let required = self.market(&crypto, &network)?.required_confirmations;
        let t = SimTransaction {
            seq: self.next_seq,
            id: uuid::Uuid::now_v7().to_string(),
            merchant_reference: new.merchant_reference,
            quote_id,
            seller_phone: new.seller_phone,
            deposit_address: markets::deposit_address(&network),
            network,
            crypto_currency: crypto,
            rate,
            amount,
            crypto_amount,
            merchant_id: self.terms.merchant_id.clone(),
            terminal_id: self.terms.terminal_id.clone(),
            status: Status::AwaitingDeposit,
            created_at: now,
            updated_at: now,
            expires_at: now + delta(self.terms.deposit_expiry),
            deposit_id: None,
            deposit_at: None,
            received_at: None,
            confirmations: 0,
            required_confirmations: required,
            confirmed_at: None,
        };
        self.next_seq += 1;
        self.transactions.push(t.clone());
        Ok(t)
    }

    fn live_quote(&self, id: &str, now: DateTime<Utc>) -> Result<SimQuote, SimError> {
        let q = self
            .quotes
            .iter()
            .find(|q| q.quote_id == id)
            .ok_or_else(|| {
                SimError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    codes::QUOTE_NOT_FOUND,
                    format!("quote {id} does not exist"),
                )
            })?;
        if now >= q.expires_at {
            return Err(SimError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                codes::QUOTE_EXPIRED,
                format!(
                    "quote {id} expired at {}; request a new quote",
                    q.expires_at
                ),
            ));
        }
        Ok(q.clone())
    }

    fn find_reference(&self, reference: &str) -> Option<usize> {
        let wanted = reference.to_lowercase();
        self.transactions
            .iter()
            .position(|t| t.merchant_reference.to_lowercase() == wanted)
    }

    pub fn get(&self, id: &str) -> Result<&SimTransaction, SimError> {
        self.transactions
            .iter()
            .find(|t| t.id == id)
            .ok_or_else(|| SimError::not_found(format!("transaction {id} not found")))
    }

    /// Case-insensitive, as the document requires of the reference.
    pub fn by_reference(&self, reference: &str) -> Result<&SimTransaction, SimError> {
        self.find_reference(reference)
            .map(|i| &self.transactions[i])
            .ok_or_else(|| {
                SimError::not_found(format!(
                    "no transaction with merchant_reference {reference}"
                ))
            })
    }

    /// In `order` (newest first unless told otherwise), starting after
    /// position `after`; the position of the last item when more follow.
    pub fn page(
        &self,
        limit: usize,
        after: Option<u64>,
        order: crate::ListOrder,
    ) -> (Vec<&SimTransaction>, Option<u64>) {
        let newest_first = order == crate::ListOrder::NewestFirst;
        let items: Box<dyn Iterator<Item = &SimTransaction>> = if newest_first {
            Box::new(self.transactions.iter().rev())
        } else {
            Box::new(self.transactions.iter())
        };
        let mut rest = items
            .filter(|t| after.is_none_or(|a| if newest_first { t.seq < a } else { t.seq > a }));
        let page: Vec<_> = rest.by_ref().take(limit).collect();
        let more = rest.next().is_some();
        let next = page.last().map(|t| t.seq).filter(|_| more);
        (page, next)
    }

    /// Cancels a transaction still awaiting its deposit; 409 otherwise.
    pub fn cancel(&mut self, id: &str, now: DateTime<Utc>) -> Result<SimTransaction, SimError> {
        let t = self
            .transactions
            .iter_mut()
            .find(|t| t.id == id)
            .ok_or_else(|| SimError::not_found(format!("transaction {id} not found")))?;
        if !t.status.is_cancellable() {
            return Err(SimError::new(
                StatusCode::CONFLICT,
                codes::NOT_CANCELLABLE,
                format!("transaction {id} is {} and cannot be cancelled", t.status),
            ));
        }
        t.status = Status::Cancelled;
        t.updated_at = now;
        t.deposit_at = None;
        t.deposit_id = None;
        Ok(t.clone())
    }

    /// The customer's deposit lands on chain at `at` (now or later).
    pub fn schedule_deposit(
        &mut self,
        id: &str,
        at: DateTime<Utc>,
    ) -> Result<SimTransaction, SimError> {
        let t = self
            .transactions
            .iter_mut()
            .find(|t| t.id == id)
            .ok_or_else(|| SimError::not_found(format!("transaction {id} not found")))?;
        if t.status != Status::AwaitingDeposit || t.deposit_at.is_some() {
            return Err(SimError::new(
                StatusCode::CONFLICT,
                "NOT_AWAITING_DEPOSIT",
                format!("transaction {id} is {} and takes no deposit", t.status),
            ));
        }
        t.deposit_at = Some(at);
        t.deposit_id = Some(hex_id("dep_"));
        Ok(t.clone())
    }
}

#[cfg(test)]
#[path = "state_tests.rs"]
pub(crate) mod tests;
