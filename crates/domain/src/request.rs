//! Request-level vocabulary shared by the store, the sync engine and the UI.

use serde::{Deserialize, Serialize};
use std::fmt;
use ts_rs::TS;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum RequestKind {
    Deposit,
    Withdrawal,
}

impl RequestKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Deposit => "deposit",
            Self::Withdrawal => "withdrawal",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "deposit" => Some(Self::Deposit),
            "withdrawal" => Some(Self::Withdrawal),
            _ => None,
        }
    }
}

/// The provider APIs Cashdesk speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ProviderKind {
    Zexabit,
    Paykassma,
    ZimoPagos,
    Cashweb,
}

impl ProviderKind {
    /// Every provider Cashdesk works with, in the order forms list them.
    pub const ALL: [ProviderKind; 4] = [
        Self::Zexabit,
        Self::ZimoPagos,
        Self::Paykassma,
        Self::Cashweb,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Zexabit => "zexabit",
            Self::Paykassma => "paykassma",
            Self::ZimoPagos => "zimo_pagos",
            Self::Cashweb => "cashweb",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Zexabit => "Zexabit",
            Self::Paykassma => "Paykassma",
            Self::ZimoPagos => "Zimo-pagos",
            Self::Cashweb => "CashWeb",
        }
    }
}

/// Who caused a change: recorded on every transition and audit entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "type", content = "name", rename_all = "snake_case")]
#[ts(export)]
pub enum Actor {
    /// A person at the desk, by the name they gave.
    Operator(String),
    /// Cashdesk itself (outbox worker, polling, recovery).
    System,
    /// A provider, through a webhook or a status answer.
    Provider(String),
    /// The operator's platform, through the intake endpoint.
    Intake,
}

impl fmt::Display for Actor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Operator(n) => write!(f, "operator:{n}"),
            Self::System => f.write_str("system"),
            Self::Provider(p) => write!(f, "provider:{p}"),
            Self::Intake => f.write_str("intake"),
        }
    }
}

impl Actor {
    /// Inverse of `Display`, for values read back from the store.
    pub fn parse(s: &str) -> Actor {
        match s.split_once(':') {
            Some(("operator", n)) => Self::Operator(n.to_owned()),
            Some(("provider", p)) => Self::Provider(p.to_owned()),
            _ if s == "intake" => Self::Intake,
            _ => Self::System,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actors_round_trip_through_text() {
        for a in [
            Actor::Operator("Rina: desk 2".into()),
            Actor::System,
            Actor::Provider("zexabit".into()),
            Actor::Intake,
        ] {
            assert_eq!(Actor::parse(&a.to_string()), a);
        }
    }
}
