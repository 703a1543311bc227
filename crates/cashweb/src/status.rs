//! Transaction and deposit statuses.
//!
//! The document shows only `awaiting_deposit`; the other values are
//! assumptions (see [`crate::assumptions`]). A value we do not know is kept
//! as [`Status::Other`] instead of failing the whole answer: a status poll
//! that cannot be read would leave a deposit stuck, while an unknown status
//! is shown to the agent as sent and never credited.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Where a CashWeb transaction is in its life.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(from = "String", into = "String")]
pub enum Status {
    /// Documented: created, waiting for the customer's on-chain deposit.
    AwaitingDeposit,
    /// A deposit was seen on chain, with no confirmation yet.
    DepositDetected,
    /// The deposit is gathering confirmations.
    Confirming,
    /// Enough confirmations: the user may be credited.
    Confirmed,
    /// No deposit arrived before `expires_at`.
    Expired,
    /// Cancelled by the partner.
    Cancelled,
    /// A value this adapter does not know, exactly as CashWeb sent it.
    Other(String),
}

impl Status {
    pub fn as_str(&self) -> &str {
        match self {
            Status::AwaitingDeposit => "awaiting_deposit",
            Status::DepositDetected => "deposit_detected",
            Status::Confirming => "confirming",
            Status::Confirmed => "confirmed",
            Status::Expired => "expired",
            Status::Cancelled => "cancelled",
            Status::Other(s) => s,
        }
    }

    /// Nothing more will happen to it.
    pub fn is_final(&self) -> bool {
        matches!(
            self,
            Status::Confirmed | Status::Expired | Status::Cancelled
        )
    }

    /// Assumption: only a transaction still waiting for its deposit can be
    /// cancelled; CashWeb answers 409 otherwise.
    pub fn is_cancellable(&self) -> bool {
        matches!(self, Status::AwaitingDeposit)
    }

    /// A deposit was seen and is not final yet.
    pub fn is_in_flight(&self) -> bool {
        matches!(self, Status::DepositDetected | Status::Confirming)
    }
}

impl From<String> for Status {
    fn from(s: String) -> Self {
        match s.as_str() {
            "awaiting_deposit" => Status::AwaitingDeposit,
            "deposit_detected" => Status::DepositDetected,
            "confirming" => Status::Confirming,
            "confirmed" => Status::Confirmed,
            "expired" => Status::Expired,
            "cancelled" => Status::Cancelled,
            _ => Status::Other(s),
        }
    }
}

impl From<Status> for String {
    fn from(s: Status) -> Self {
        match s {
            Status::Other(s) => s,
            known => known.as_str().to_owned(),
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The on-chain deposit's own state (`deposit_status`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(from = "String", into = "String")]
pub enum DepositStatus {
    Detected,
    Confirming,
    Confirmed,
    /// A value this adapter does not know, exactly as CashWeb sent it.
    Other(String),
}

impl DepositStatus {
    pub fn as_str(&self) -> &str {
        match self {
            DepositStatus::Detected => "detected",
            DepositStatus::Confirming => "confirming",
            DepositStatus::Confirmed => "confirmed",
            DepositStatus::Other(s) => s,
        }
    }
}

impl From<String> for DepositStatus {
    fn from(s: String) -> Self {
        match s.as_str() {
            "detected" => DepositStatus::Detected,
            "confirming" => DepositStatus::Confirming,
            "confirmed" => DepositStatus::Confirmed,
            _ => DepositStatus::Other(s),
        }
    }
}

impl From<DepositStatus> for String {
    fn from(s: DepositStatus) -> Self {
        match s {
            DepositStatus::Other(s) => s,
            known => known.as_str().to_owned(),
        }
    }
}

impl fmt::Display for DepositStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_round_trip_as_their_wire_text() {
        for s in [
            Status::AwaitingDeposit,
            Status::DepositDetected,
            Status::Confirming,
            Status::Confirmed,
            Status::Expired,
            Status::Cancelled,
        ] {
            let json = serde_json::to_string(&s).unwrap();
            assert_eq!(json, format!("\"{}\"", s.as_str()));
            assert_eq!(serde_json::from_str::<Status>(&json).unwrap(), s);
        }
    }

    #[test]
    fn an_unknown_status_is_kept_as_sent_and_never_final() {
        let s: Status = serde_json::from_str(r#""under_review""#).unwrap();
        assert_eq!(s, Status::Other("under_review".into()));
        assert_eq!(s.to_string(), "under_review");
        assert!(!s.is_final() && !s.is_cancellable());
        let d: DepositStatus = serde_json::from_str(r#""reorged""#).unwrap();
        assert_eq!(serde_json::to_string(&d).unwrap(), r#""reorged""#);
    }

    #[test]
    fn only_a_transaction_awaiting_its_deposit_is_cancellable() {
        assert!(Status::AwaitingDeposit.is_cancellable());
        for s in [
            Status::DepositDetected,
            Status::Confirming,
            Status::Confirmed,
            Status::Expired,
            Status::Cancelled,
        ] {
            assert!(!s.is_cancellable(), "{s}");
        }
    }
}
