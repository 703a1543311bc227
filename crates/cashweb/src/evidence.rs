//! What a fetched transaction proves about the customer's deposit.
//!
//! The document names one status (`awaiting_deposit`) and lists the
//! reconciliation fields every status answer carries: `deposit_id`,
//! `deposit_status`, `confirmations` against `required_confirmations`,
//! `received_at`, `confirmed_at`. A deposit is judged on those fields, not
//! on a status name the document never gives: a confirmed deposit whose
//! status is called something else is still confirmed, and a status name
//! nobody documented (including our own guesses, such as `confirmed`)
//! proves nothing by itself. Fields that disagree, or a status we do not
//! know with nothing else to go on, go to a person.

use crate::status::{DepositStatus, Status};
use crate::wire::Transaction;

/// What the transaction shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Evidence {
    /// The documented fields say the deposit is confirmed, and none
    /// says otherwise: the user may be credited.
    Confirmed,
    /// A deposit was seen and is gathering confirmations.
    Confirming {
        have: Option<u32>,
        need: Option<u32>,
    },
    /// Still waiting for the customer's deposit (`awaiting_deposit`).
    Awaiting,
    /// No deposit, and CashWeb reports it expired.
    Expired,
    /// No deposit, and CashWeb reports it cancelled.
    Cancelled,
    /// Nothing Cashdesk may act on by itself: why, in words for a person.
    Unclear(String),
}

impl Transaction {
    /// Judges the deposit on the documented reconciliation fields.
    pub fn evidence(&self) -> Evidence {
        let mut confirmed = Vec::new();
        let mut against = Vec::new();
        match &self.deposit_status {
            Some(DepositStatus::Confirmed) => confirmed.push("deposit_status confirmed".to_owned()),
            Some(s) => against.push(format!("deposit_status {s}")),
            None => {}
        }
        if let (Some(have), Some(need)) = (self.confirmations, self.required_confirmations) {
            if have >= need && need > 0 {
                confirmed.push(format!("{have}/{need} confirmations"));
            } else {
                against.push(format!("{have}/{need} confirmations"));
            }
        }
        if self.confirmed_at.is_some() {
            confirmed.push("confirmed_at set".to_owned());
        }
        let seen = self.deposit_id.is_some()
            || self.received_at.is_some()
            || self.deposit_status.is_some()
            || self.confirmations.is_some_and(|n| n > 0);
        let ended = matches!(self.status, Status::Expired | Status::Cancelled);
        if !confirmed.is_empty() {
            if !against.is_empty() || ended || self.deposit_id.is_none() {
                return Evidence::Unclear(format!(
                    "CashWeb's fields disagree ({}; but {}{}{}): check the transaction in CashWeb's panel",
                    confirmed.join(", "),
                    against.join(", "),
                    if ended {
                        format!("{}status {}", sep(&against), self.status)
                    } else {
                        String::new()
                    },
                    if self.deposit_id.is_none() {
                        format!("{}no deposit_id", sep_any(&against, ended))
                    } else {
                        String::new()
                    },
                ));
            }
            return Evidence::Confirmed;
        }
        if seen {
            if ended {
                return Evidence::Unclear(format!(
                    "CashWeb reports the transaction {} although a deposit was seen ({}): the customer's coins may have arrived",
                    self.status,
                    self.deposit_id.as_deref().unwrap_or("no deposit_id yet")
                ));
            }
            return Evidence::Confirming {
                have: self.confirmations,
                need: self.required_confirmations,
            };
        }
        match &self.status {
            Status::AwaitingDeposit => Evidence::Awaiting,
            Status::Expired => Evidence::Expired,
            Status::Cancelled => Evidence::Cancelled,
            Status::DepositDetected | Status::Confirming => Evidence::Confirming {
                have: None,
                need: self.required_confirmations,
            },
            Status::Confirmed => Evidence::Unclear(
                "CashWeb calls it confirmed, but no reconciliation field shows a confirmed deposit: check the transaction in CashWeb's panel".to_owned(),
            ),
            Status::Other(s) => Evidence::Unclear(format!(
                "CashWeb reports status \"{s}\", which its document does not name, and no deposit: check the transaction in CashWeb's panel"
            )),
        }
    }
}

fn sep(list: &[String]) -> &'static str {
    if list.is_empty() { "" } else { ", " }
}

fn sep_any(list: &[String], ended: bool) -> &'static str {
    if list.is_empty() && !ended { "" } else { ", " }
}

#[cfg(test)]
#[path = "evidence_tests.rs"]
mod tests;
