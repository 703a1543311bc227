//! The people at the desk: operators, their roles, and what each role may
//! do. The core checks these on every command body and the store checks
//! the maker–checker rules in its transactions; the UI only mirrors them.

use crate::OperatorId;
use serde::{Deserialize, Serialize};
use std::fmt;
use ts_rs::TS;

/// What an operator is at the desk; one operator may hold several.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Role {
    /// Decides requests within their tier, enters requests at the desk.
    Agent,
    /// Everything an agent can, plus second approvals, settling unknown
    /// outcomes, taking over claims and the supervisor's views.
    Supervisor,
    /// Provider accounts and secrets, thresholds, operators, the intake token.
    Admin,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Agent, Role::Supervisor, Role::Admin];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Agent => "agent",
            Self::Supervisor => "supervisor",
            Self::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Agent => "Agent",
            Self::Supervisor => "Supervisor",
            Self::Admin => "Admin",
        }
    }
}

/// Something a command does that not every role may.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Permission {
    /// Approve or reject a request (the first or only approval).
    Decide,
    /// Enter requests at the desk, keep drafts, attach screenshots, import.
    Enter,
    /// Give the second approval a large request needs.
    SecondApproval,
    /// Settle an unknown outcome (including "send again").
    Settle,
    /// Take over another operator's claim on a request.
    TakeOver,
    /// The supervisor's views of every queue.
    Supervise,
    /// Provider accounts and secrets, thresholds, operators, intake token.
    Administer,
}

impl Permission {
    /// The roles that grant it.
    pub fn granted_by(self) -> &'static [Role] {
        match self {
            Self::Decide | Self::Enter => &[Role::Agent, Role::Supervisor],
            Self::SecondApproval | Self::Settle | Self::TakeOver | Self::Supervise => {
                &[Role::Supervisor]
            }
            Self::Administer => &[Role::Admin],
        }
    }

    /// The role to name when it is refused ("needs a supervisor").
    pub fn needs(self) -> Role {
        match self {
            Self::Decide | Self::Enter => Role::Agent,
            Self::Administer => Role::Admin,
            _ => Role::Supervisor,
        }
    }
}

/// An operator's roles, sorted and without repeats.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(transparent)]
#[ts(export)]
pub struct Roles(Vec<Role>);

impl Roles {
    pub fn new(roles: impl IntoIterator<Item = Role>) -> Self {
        let mut v: Vec<Role> = roles.into_iter().collect();
        v.sort();
        v.dedup();
        Self(v)
    }

    pub fn all() -> Self {
        Self::new(Role::ALL)
    }

    pub fn has(&self, role: Role) -> bool {
        self.0.contains(&role)
    }

    pub fn may(&self, p: Permission) -> bool {
        p.granted_by().iter().any(|r| self.has(*r))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = Role> + '_ {
        self.0.iter().copied()
    }

    /// As stored: `agent,supervisor`.
    pub fn to_text(&self) -> String {
        self.0
            .iter()
            .map(|r| r.as_str())
            .collect::<Vec<_>>()
            .join(",")
    }

    /// Inverse of [`Roles::to_text`]; unknown words are dropped.
    pub fn from_text(s: &str) -> Self {
        Self::new(s.split(',').filter_map(|w| Role::parse(w.trim())))
    }
}

/// An operator as history and audit name them: the id, and the name they
/// had at the time (a later rename does not rewrite history).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct OperatorRef {
    pub id: OperatorId,
    pub name: String,
}

impl OperatorRef {
    pub fn new(id: OperatorId, name: impl Into<String>) -> Self {
        Self {
            id,
            name: name.into(),
        }
    }
}

impl fmt::Display for OperatorRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_matrix_of_roles_and_permissions() {
        use Permission::*;
        let agent = Roles::new([Role::Agent]);
        let sup = Roles::new([Role::Supervisor]);
        let admin = Roles::new([Role::Admin]);
        for p in [Decide, Enter] {
            assert!(agent.may(p) && sup.may(p) && !admin.may(p), "{p:?}");
        }
        for p in [SecondApproval, Settle, TakeOver, Supervise] {
            assert!(!agent.may(p) && sup.may(p) && !admin.may(p), "{p:?}");
        }
        assert!(!agent.may(Administer) && !sup.may(Administer) && admin.may(Administer));
        assert!(Roles::all().may(Administer) && Roles::all().may(SecondApproval));
        assert!(!Roles::default().may(Decide));
    }

    #[test]
    fn roles_round_trip_through_text() {
        let r = Roles::new([Role::Admin, Role::Agent, Role::Agent]);
        assert_eq!(r.to_text(), "agent,admin");
        assert_eq!(Roles::from_text(&r.to_text()), r);
        assert_eq!(Roles::from_text("agent, boss"), Roles::new([Role::Agent]));
    }
}
