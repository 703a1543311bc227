//! The simulated Paykassma books: deposits, withdrawals, savings, account
//! balances and the postbacks it has issued.
//!
//! Every function here runs under one lock and does no I/O, so a request
//! is either fully committed or not at all.

use super::catalog::{SimWallet, stockpiling};
use cashdesk_paykassma::{
    Balance, DepositPostback, Postback, PostbackTransaction, WithdrawalPostback, WithdrawalStatus,
};
use chrono::{NaiveDateTime, SubsecRound, Utc};
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// How a deposit reached the simulator.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PaymentKind {
    /// `transaction/activate` with the user's key1.
    Activation,
    /// `possible-transaction` (manual PS), with or without a screenshot.
    PossibleTransaction,
    /// `payment/create/{payment_system}`: paid on a payment page.
    PaymentPage,
}

/// Where a deposit or withdrawal stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SimStatus {
    Pending,
    Success,
    Failed,
}

/// An uploaded screenshot, as received.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SimScreenshot {
    pub file_name: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// A deposit as the simulator holds it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SimPayment {
    pub kind: PaymentKind,
    pub wallet_type: String,
    pub currency: String,
    pub label: String,
    /// The user's transaction id; page payments get one from the simulator.
    pub key1: String,
    pub amount: Decimal,
    /// Our `custom_transaction_id` / `custom_id`.
    pub custom_id: String,
    pub status: SimStatus,
    /// Answered "Check of deposit status started".
    pub checked: bool,
    /// Answered `possible_transaction_created`.
    pub possible: bool,
    pub screenshot: Option<SimScreenshot>,
    pub created_at: NaiveDateTime,
    pub settled_at: Option<NaiveDateTime>,
    /// Reached the minimum deposit: a postback covers it.
    pub credited: bool,
}

/// A withdrawal as the simulator holds it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SimWithdrawal {
    pub withdrawal_id: String,
    pub payment_system: String,
    pub amount: u64,
    pub currency_code: String,
    pub label: String,
    pub is_test: bool,
    pub comment: Option<String>,
    pub account_number: Option<String>,
    pub account_name: Option<String>,
    pub account_email: Option<String>,
    pub payments_details: BTreeMap<String, Option<String>>,
    pub bank_details: BTreeMap<String, Option<String>>,
    pub status: SimStatus,
}

pub fn now() -> NaiveDateTime {
    Utc::now().naive_utc().trunc_subsecs(0)
}

pub struct Ledger {
    pub wallets: Vec<SimWallet>,
    pub payments: Vec<SimPayment>,
    pub withdrawals: Vec<SimWithdrawal>,
    pub balances: Vec<Balance>,
    pub deposit_postbacks: Vec<DepositPostback>,
    pub withdrawal_postbacks: Vec<WithdrawalPostback>,
    /// Every postback issued, in order.
    pub issued: Vec<Postback>,
    /// When each postback was issued ("deposit:<stockpiling id>",
    /// "withdrawal:<id>"), for lookups that lag (see [`crate::Unstated`]).
    pub issued_at: std::collections::HashMap<String, std::time::Instant>,
    pub next_stockpiling_id: u64,
}

impl Ledger {
    pub fn wallet(&self, code: &str) -> Option<&SimWallet> {
        self.wallets.iter().find(|w| w.wallet.wallet_type == code)
    }

    pub fn custom_id_taken(&self, custom_id: &str) -> bool {
        self.payments.iter().any(|p| p.custom_id == custom_id)
    }

    pub fn key1_taken(&self, wallet_type: &str, key1: &str) -> bool {
        self.payments.iter().any(|p| {
            p.wallet_type == wallet_type && p.key1 == key1 && p.status != SimStatus::Failed
        })
    }

    /// Records a pending deposit; returns its index.
    pub fn add_payment(&mut self, payment: SimPayment) -> usize {
        self.payments.push(payment);
        self.payments.len() - 1
    }

    fn credit(&mut self, wallet_type: &str, currency: &str, amount: Decimal) {
        match self
            .balances
            .iter_mut()
            .find(|b| b.wallet_type == wallet_type && b.currency_code == currency)
        {
            Some(b) => b.amount += amount,
            None => self.balances.push(Balance {
                wallet_type: wallet_type.to_owned(),
                currency_code: currency.to_owned(),
                amount,
            }),
        }
    }

    /// What the user has saved toward the minimum: (saved, minimum).
    pub fn savings(&self, label: &str, wallet_type: &str, currency: &str) -> (Decimal, Decimal) {
        let saved = self
            .payments
            .iter()
            .filter(|p| {
                p.label == label
                    && p.wallet_type == wallet_type
                    && p.currency == currency
                    && p.status == SimStatus::Success
                    && !p.credited
            })
            .map(|p| p.amount)
            .sum();
        let minimum = self
            .wallet(wallet_type)
            .map_or(Decimal::ZERO, |w| w.minimum_deposit);
        (saved, minimum)
    }

    /// Settles a pending deposit. On success the account is credited and,
    /// once the user's savings reach the minimum, the postback is issued.
    /// Settles a pending payment at what `unstated` says the customer paid.
    pub fn settle_payment(
        &mut self,
        index: usize,
        fail: bool,
        unstated: &crate::Unstated,
    ) -> Option<DepositPostback> {
        let p = self
            .payments
            .get_mut(index)
            .filter(|p| p.status == SimStatus::Pending)?;
        p.status = if fail {
            SimStatus::Failed
        } else {
            SimStatus::Success
        };
        p.settled_at = Some(now());
        if !fail {
            p.amount = unstated.credited(p.amount);
        }
        let p = p.clone();
        if fail {
            return None;
        }
        self.credit(&p.wallet_type, &p.currency, p.amount);
        let (saved, minimum) = self.savings(&p.label, &p.wallet_type, &p.currency);
        if saved < minimum {
            return None;
        }
        let mut transactions = Vec::new();
        for q in self.payments.iter_mut().filter(|q| {
            q.label == p.label
                && q.wallet_type == p.wallet_type
                && q.currency == p.currency
                && q.status == SimStatus::Success
                && !q.credited
        }) {
            q.credited = true;
            transactions.push(PostbackTransaction {
                amount: q.amount,
                currency_code: q.currency.clone(),
                wallet_type: q.wallet_type.clone(),
                transaction_id: q.key1.clone(),
                transaction_type: 0,
                from: None,
                created_datetime: Some(q.created_at),
                activated_datetime: q.settled_at,
                custom_id: Some(q.custom_id.clone()),
            });
        }
        self.next_stockpiling_id += 1;
        let postback = DepositPostback {
            transaction_id: Some(p.key1.clone()),
            label: p.label.clone(),
            stockpiling: stockpiling(saved, &p.currency).into_iter().collect(),
            stockpiling_id: self.next_stockpiling_id.to_string(),
            transactions,
        };
        self.deposit_postbacks.push(postback.clone());
        self.issued_at.insert(
            format!("deposit:{}", postback.stockpiling_id),
            std::time::Instant::now(),
        );
        self.issued.push(Postback::Deposit(postback.clone()));
        Some(postback)
    }

    /// Account balances in `currency`, all wallets together.
    pub fn balance_in(&self, currency: &str) -> Decimal {
        self.balances
            .iter()
            .filter(|b| b.currency_code == currency)
            .map(|b| b.amount)
            .sum()
    }

    /// New and unfinished withdrawals in `currency`.
    pub fn unfinished_in(&self, currency: &str) -> Decimal {
        self.withdrawals
            .iter()
            .filter(|w| w.currency_code == currency && w.status == SimStatus::Pending)
            .map(|w| Decimal::from(w.amount))
            .sum()
    }

    pub fn withdrawal_id_taken(&self, id: &str) -> bool {
        self.withdrawals.iter().any(|w| w.withdrawal_id == id)
    }

    /// Processes a pending withdrawal and issues its postback. A processed
    /// (non-test) withdrawal is debited from the account.
    pub fn settle_withdrawal(&mut self, id: &str, reject: bool) -> Option<WithdrawalPostback> {
        let w = self
            .withdrawals
            .iter_mut()
            .find(|w| w.withdrawal_id == id && w.status == SimStatus::Pending)?;
        w.status = if reject {
            SimStatus::Failed
        } else {
            SimStatus::Success
        };
        let w = w.clone();
        if !reject && !w.is_test {
            self.credit(
                &w.payment_system,
                &w.currency_code,
                -Decimal::from(w.amount),
            );
        }
        let postback = WithdrawalPostback {
            withdrawal_id: w.withdrawal_id.clone(),
            status: if reject {
                WithdrawalStatus::Rejected
            } else {
                WithdrawalStatus::Processed
            },
            comment: w.comment.clone(),
            payment_system: w.payment_system.clone(),
            amount: Decimal::from(w.amount),
            currency_code: w.currency_code.clone(),
            label: w.label.clone(),
            account_number: w.account_number.clone(),
            account_name: w.account_name.clone(),
            account_email: w.account_email.clone(),
            payments_details: w.payments_details.clone(),
            bank_details: w.bank_details.clone(),
        };
        self.withdrawal_postbacks.push(postback.clone());
        self.issued_at.insert(
            format!("withdrawal:{}", postback.withdrawal_id),
            std::time::Instant::now(),
        );
        self.issued.push(Postback::Withdrawal(postback.clone()));
        Some(postback)
    }

    /// Whether the postback issued under `key` shows in lookups yet.
    fn shows(&self, key: String, u: &crate::Unstated) -> bool {
        self.issued_at.get(&key).is_none_or(|at| u.visible(*at))
    }

    /// The deposit postback for a user's transaction id.
    pub fn postback_by_transaction_id(
        &self,
        id: &str,
        u: &crate::Unstated,
    ) -> Option<&DepositPostback> {
        self.deposit_postbacks.iter().find(|p| {
            p.transactions.iter().any(|t| t.transaction_id == id)
                && self.shows(format!("deposit:{}", p.stockpiling_id), u)
        })
    }

    /// The deposit postback covering our custom id.
    pub fn postback_by_custom_id(
        &self,
        custom_id: &str,
        u: &crate::Unstated,
    ) -> Option<&DepositPostback> {
        self.deposit_postbacks
            .iter()
            .find(|p| p.covers(custom_id) && self.shows(format!("deposit:{}", p.stockpiling_id), u))
    }

    pub fn postback_by_withdrawal_id(
        &self,
        id: &str,
        u: &crate::Unstated,
    ) -> Option<&WithdrawalPostback> {
        self.withdrawal_postbacks
            .iter()
            .find(|p| p.withdrawal_id == id && self.shows(format!("withdrawal:{id}"), u))
    }
}
