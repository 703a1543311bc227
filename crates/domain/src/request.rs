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
    /// A logged-in person at the desk (id, and name at the time).
    Operator(crate::OperatorRef),
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
            Self::Operator(o) => write!(f, "operator:{}:{}", o.id, o.name),
            Self::System => f.write_str("system"),
            Self::Provider(p) => write!(f, "provider:{p}"),
            Self::Intake => f.write_str("intake"),
        }
    }
}

/// `{id}:{name}`; a row from before operators had ids holds only a name
/// (read with the nil id, which no operator has).
fn operator_from_text(rest: &str) -> crate::OperatorRef {
    let parsed = rest
        .split_once(':')
        .and_then(|(id, name)| Some((id.parse::<uuid::Uuid>().ok()?, name)));
    match parsed {
        Some((id, name)) => crate::OperatorRef::new(crate::OperatorId(id), name),
        None => crate::OperatorRef::new(crate::OperatorId(uuid::Uuid::nil()), rest),
    }
}

impl Actor {
    /// An operator acting (tests and the session build these).
    pub fn operator(id: crate::OperatorId, name: impl Into<String>) -> Actor {
        Actor::Operator(crate::OperatorRef::new(id, name))
    }

    /// The operator behind it, if a person acted.
    pub fn operator_ref(&self) -> Option<&crate::OperatorRef> {
        match self {
            Self::Operator(o) => Some(o),
            _ => None,
        }
    }

    /// Inverse of `Display`, for values read back from the store.
    pub fn parse(s: &str) -> Actor {
        match s.split_once(':') {
            Some(("operator", rest)) => Self::Operator(operator_from_text(rest)),
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
            Actor::operator(crate::OperatorId::new(), "Rina: desk 2"),
            Actor::System,
            Actor::Provider("zexabit".into()),
            Actor::Intake,
        ] {
            assert_eq!(Actor::parse(&a.to_string()), a);
        }
        let old = Actor::parse("operator:Rina");
        assert_eq!(old.operator_ref().map(|o| o.name.as_str()), Some("Rina"));
    }
}
