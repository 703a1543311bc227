//! The simulated Zexabit ledger: users, deposits, withdrawals, and the
//! rules the document states (limits, balances, error codes).
//!
//! Every function here runs under one lock and does no I/O, so a request
//! is either fully committed or not at all.

use super::catalog::SimMethod;
use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use cashdesk_zexabit::wire::codes;
use cashdesk_zexabit::{ErrorBody, Status};
use chrono::{DateTime, SubsecRound, Utc};
use rust_decimal::Decimal;
use std::collections::HashSet;

/// A documented error, answered as `{success:false, error, message}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
        }
    }

    pub fn invalid(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, codes::INVALID_REQUEST, message)
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, codes::NOT_FOUND, message)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            success: false,
            error: self.code.to_owned(),
            message: self.message,
        };
        (self.status, Json(body)).into_response()
    }
}

/// A user as the simulator holds it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SimUser {
    pub user_id: String,
    pub external_user_id: String,
    pub username: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    /// What the user can withdraw now (withdrawals in flight are held).
    pub balance: Decimal,
    /// Total of completed deposits.
    pub deposit_balance: Decimal,
    /// Total of completed withdrawals.
    pub withdraw_balance: Decimal,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TxnKind {
    Deposit,
    Withdrawal,
}

/// A deposit or withdrawal as the simulator holds it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SimTxn {
    /// `dep_…` or `wdr_…`.
    pub id: String,
    pub kind: TxnKind,
    pub user_id: String,
    pub external_user_id: String,
    pub amount: Decimal,
    pub payment_method: String,
    pub currency: String,
    /// Deposits: the agent's number the user paid to.
    pub payment_number: Option<String>,
    /// Deposits: the user's TrxID / UTR / tx hash.
    pub transaction_id: Option<String>,
    /// Withdrawals: the user's account that receives the cash.
    pub account_number: Option<String>,
    pub status: Status,
    pub agent_name: String,
    pub created_at: DateTime<Utc>,
    /// When the agent decided (completed or rejected).
    pub completed_at: Option<DateTime<Utc>>,
}

/// Fields of a new deposit or withdrawal, already checked for shape.
pub struct NewTxn {
    pub kind: TxnKind,
    pub user_id: String,
    pub amount: Decimal,
    pub payment_method: String,
    pub payment_number: Option<String>,
    pub transaction_id: Option<String>,
    pub account_number: Option<String>,
}

pub struct Ledger {
    pub methods: Vec<SimMethod>,
    pub without_agent: HashSet<String>,
    pub initial_balance: Decimal,
    pub users: Vec<SimUser>,
    pub deposits: Vec<SimTxn>,
    pub withdrawals: Vec<SimTxn>,
}

/// 24 lowercase hex digits, like the document's ids.
fn new_hex_id() -> String {
    format!("{:024x}", rand::random::<u128>() >> 32)
}

pub fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(0)
}

impl Ledger {
    pub fn method(&self, key: &str) -> Result<&SimMethod, ApiError> {
        self.methods
            .iter()
            .find(|m| m.method.method == key)
            .ok_or_else(|| {
                ApiError::invalid(format!(
                    "paymentMethod \"{key}\" is not supported; see the payment methods list"
                ))
            })
    }

    pub fn agent_for(&self, key: &str) -> Result<&SimMethod, ApiError> {
        let method = self.method(key)?;
        if self.without_agent.contains(key) {
            return Err(ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                codes::NO_AGENT_AVAILABLE,
                format!("No cashagent available for {key} right now"),
            ));
        }
        Ok(method)
    }

    pub fn user(&self, user_id: &str) -> Result<&SimUser, ApiError> {
        self.users
            .iter()
            .find(|u| u.user_id == user_id)
            .ok_or_else(|| ApiError::not_found(format!("User {user_id} not found")))
    }

    fn user_mut(&mut self, user_id: &str) -> Option<&mut SimUser> {
        self.users.iter_mut().find(|u| u.user_id == user_id)
    }

    /// Same `externalUserId` again returns the existing user (the document
    /// lists no code for a duplicate).
    pub fn create_user(
        &mut self,
        external_user_id: String,
        username: String,
        email: Option<String>,
        phone: Option<String>,
    ) -> Result<SimUser, ApiError> {
        if let Some(u) = self
            .users
            .iter()
            .find(|u| u.external_user_id == external_user_id)
        {
            return Ok(u.clone());
        }
        if self.users.iter().any(|u| u.username == username) {
            return Err(ApiError::invalid(format!(
                "username \"{username}\" is already taken"
            )));
        }
        let user = SimUser {
            user_id: new_hex_id(),
            external_user_id,
            username,
            email,
            phone,
            balance: self.initial_balance,
            deposit_balance: Decimal::ZERO,
            withdraw_balance: Decimal::ZERO,
        };
        self.users.push(user.clone());
        Ok(user)
    }

    /// Checks the document's rules in order (404, 400 limits, 422, 409) and
    /// commits a pending transaction; a withdrawal holds its amount at once.
    pub fn create_txn(&mut self, new: NewTxn) -> Result<SimTxn, ApiError> {
        let user = self.user(&new.user_id)?.clone();
        let method = self.method(&new.payment_method)?.clone();
        let (min, max, currency) = (
            method.method.min_amount,
            method.method.max_amount,
            method.method.currency.clone(),
        );
        if new.amount < min {
            return Err(ApiError::invalid(format!(
                "amount {} is below the minimum {min} {currency} for {}",
                new.amount, new.payment_method
            )));
        }
        if new.amount > max {
            return Err(ApiError::invalid(format!(
                "amount {} is above the maximum {max} {currency} for {}",
                new.amount, new.payment_method
            )));
        }
        let agent = self.agent_for(&new.payment_method)?.agent_name.clone();
        if new.kind == TxnKind::Withdrawal && user.balance < new.amount {
            return Err(ApiError::new(
                StatusCode::CONFLICT,
                codes::INSUFFICIENT_BALANCE,
                format!(
                    "User balance ({} {currency}) is less than requested amount ({} {currency})",
                    user.balance, new.amount
                ),
            ));
        }
        let prefix = match new.kind {
            TxnKind::Deposit => "dep_",
            TxnKind::Withdrawal => "wdr_",
        };
        let txn = SimTxn {
            id: format!("{prefix}{}", new_hex_id()),
            kind: new.kind,
            user_id: user.user_id.clone(),
            external_user_id: user.external_user_id.clone(),
            amount: new.amount,
            payment_method: new.payment_method,
            currency,
            payment_number: new.payment_number,
            transaction_id: new.transaction_id,
            account_number: new.account_number,
            status: Status::Pending,
            agent_name: agent,
            created_at: now(),
            completed_at: None,
        };
        match txn.kind {
            TxnKind::Deposit => self.deposits.push(txn.clone()),
            TxnKind::Withdrawal => {
                if let Some(u) = self.user_mut(&txn.user_id) {
                    u.balance -= txn.amount;
                }
                self.withdrawals.push(txn.clone());
            }
        }
        Ok(txn)
    }

    pub fn txn(&self, kind: TxnKind, id: &str) -> Result<&SimTxn, ApiError> {
        let list = match kind {
            TxnKind::Deposit => &self.deposits,
            TxnKind::Withdrawal => &self.withdrawals,
        };
        list.iter().find(|t| t.id == id).ok_or_else(|| {
            let what = match kind {
                TxnKind::Deposit => "Deposit",
                TxnKind::Withdrawal => "Withdrawal",
            };
            ApiError::not_found(format!("{what} {id} not found"))
        })
    }

    /// The agent decides: moves balances and returns the settled
    /// transaction with the user's balance after it. `None` if it was not
    /// pending (already settled).
    /// Completes or rejects a pending transaction; a deposit credits what
    /// `unstated` says the customer paid, and reports that amount.
    pub fn settle(
        &mut self,
        kind: TxnKind,
        id: &str,
        reject: bool,
        unstated: &crate::Unstated,
    ) -> Option<(SimTxn, Decimal)> {
        let list = match kind {
            TxnKind::Deposit => &mut self.deposits,
            TxnKind::Withdrawal => &mut self.withdrawals,
        };
        let txn = list
            .iter_mut()
            .find(|t| t.id == id && t.status == Status::Pending)?;
        txn.status = if reject {
            Status::Rejected
        } else {
            Status::Completed
        };
        txn.completed_at = Some(now());
        if kind == TxnKind::Deposit && !reject {
            txn.amount = unstated.credited(txn.amount);
        }
        let txn = txn.clone();
        let user = self.user_mut(&txn.user_id)?;
        match (kind, reject) {
            (TxnKind::Deposit, false) => {
                user.balance += txn.amount;
                user.deposit_balance += txn.amount;
            }
            (TxnKind::Deposit, true) => {}
            (TxnKind::Withdrawal, false) => user.withdraw_balance += txn.amount,
            (TxnKind::Withdrawal, true) => user.balance += txn.amount,
        }
        Some((txn, user.balance))
    }
}
