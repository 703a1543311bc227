//! Settings → Operators and Approvals: an admin's work. Every change is
//! audited by the store, which also checks the admin role in its own
//! transaction.

use super::session::{OperatorBadge, badge, check_name};
use super::{ApiResult, invalid};
use crate::app::Cashdesk;
use crate::session::secret;
use cashdesk_domain::{AccountId, OperatorId, Permission, RequestKind, Role, Roles};
use cashdesk_store::{ApprovalRule, NewOperator, OperatorChange, RuleScope, SecretKind};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// An operator as the admin's list shows them.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct OperatorRow {
    pub badge: OperatorBadge,
    pub disabled: bool,
    /// Locked after wrong tries, until (RFC 3339).
    pub locked_until: Option<String>,
}

pub fn operators(app: &Cashdesk) -> ApiResult<Vec<OperatorRow>> {
    app.acting(Permission::Administer)?;
    Ok(app
        .store()
        .operators()?
        .iter()
        .map(|o| OperatorRow {
            badge: badge(o),
            disabled: o.disabled,
            locked_until: o
                .locked_until
                .filter(|u| *u > chrono::Utc::now())
                .map(|u| u.to_rfc3339()),
        })
        .collect())
}

#[derive(Clone, Deserialize, TS)]
#[ts(export)]
pub struct NewOperatorInput {
    pub name: String,
    pub roles: Vec<Role>,
    /// `password` or `pin`.
    pub login: String,
    pub secret: String,
}

/// The secret never reaches a log through `Debug`.
impl std::fmt::Debug for NewOperatorInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewOperatorInput")
            .field("name", &self.name)
            .field("roles", &self.roles)
            .field("login", &self.login)
            .finish_non_exhaustive()
    }
}

impl std::fmt::Debug for OperatorChangeInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OperatorChangeInput")
            .field("roles", &self.roles)
            .field("disabled", &self.disabled)
            .field("login", &self.login)
            .finish_non_exhaustive()
    }
}

fn kind(login: &str) -> ApiResult<SecretKind> {
    match login {
        "password" => Ok(SecretKind::Password),
        "pin" => Ok(SecretKind::Pin),
        _ => Err(invalid("Log in with: password or pin")),
    }
}

pub fn add_operator(app: &Cashdesk, input: &NewOperatorInput) -> ApiResult<OperatorRow> {
    let actor = app.acting(Permission::Administer)?;
    check_name(&input.name)?;
    let k = kind(&input.login)?;
    secret::check(k, &input.secret)?;
    let roles = Roles::new(input.roles.iter().copied());
    if roles.is_empty() {
        return Err(invalid("Give the operator at least one role"));
    }
    let hash = secret::hash(&input.secret)?;
    let rec = app.store().add_operator(
        &NewOperator {
            name: input.name.trim(),
            roles: &roles,
            secret_kind: k,
            secret_hash: &hash,
        },
        &actor,
    )?;
    Ok(OperatorRow {
        badge: badge(&rec),
        disabled: false,
        locked_until: None,
    })
}

/// What an admin changes; absent fields stay as they are.
#[derive(Clone, Default, Deserialize, TS)]
#[ts(export)]
pub struct OperatorChangeInput {
    pub roles: Option<Vec<Role>>,
    pub disabled: Option<bool>,
    /// A new password or PIN (a reset): `login` says which.
    pub login: Option<String>,
    pub secret: Option<String>,
}

pub fn change_operator(
    app: &Cashdesk,
    id: OperatorId,
    input: &OperatorChangeInput,
) -> ApiResult<OperatorRow> {
    let actor = app.acting(Permission::Administer)?;
    let roles = input.roles.as_ref().map(|r| Roles::new(r.iter().copied()));
    let hashed = match (&input.login, &input.secret) {
        (Some(login), Some(s)) => {
            let k = kind(login)?;
            secret::check(k, s)?;
            Some((k, secret::hash(s)?))
        }
        (None, None) => None,
        _ => {
            return Err(invalid(
                "A reset needs both the kind of log-in and the secret",
            ));
        }
    };
    let rec = app.store().update_operator(
        id,
        &OperatorChange {
            roles: roles.as_ref(),
            disabled: input.disabled,
            secret: hashed.as_ref().map(|(k, h)| (*k, h.as_str())),
        },
        &actor,
    )?;
    // Disabled, or their secret reset by an admin: every team desk
    // session of theirs ends now (their desktops must log in again).
    if rec.disabled || hashed.is_some() {
        app.store().revoke_operator_sessions(id)?;
    }
    Ok(OperatorRow {
        badge: badge(&rec),
        disabled: rec.disabled,
        locked_until: None,
    })
}

/// One approval rule as Settings shows and takes it.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RuleView {
    /// Absent when adding.
    #[ts(type = "number | null")]
    pub id: Option<i64>,
    /// `request`, `agent_day` or `end_user_day`.
    pub scope: String,
    pub account_id: Option<AccountId>,
    pub kind: Option<RequestKind>,
    pub method: Option<String>,
    pub currency: String,
    /// Exact decimal text; at or above it, a second approval is needed.
    pub threshold: String,
}

pub fn approval_rules(app: &Cashdesk) -> ApiResult<Vec<RuleView>> {
    app.acting(Permission::Administer)?;
    Ok(app
        .store()
        .approval_rules()?
        .into_iter()
        .map(|r| RuleView {
            id: Some(r.id),
            scope: r.scope.as_str().to_owned(),
            account_id: r.account_id,
            kind: r.kind,
            method: r.method,
            currency: r.currency,
            threshold: r.threshold.to_string(),
        })
        .collect())
}

pub fn add_approval_rule(app: &Cashdesk, rule: &RuleView) -> ApiResult<Vec<RuleView>> {
    let actor = app.acting(Permission::Administer)?;
    let scope = match rule.scope.as_str() {
        "request" => RuleScope::Request,
        "agent_day" => RuleScope::AgentDay,
        "end_user_day" => RuleScope::EndUserDay,
        _ => return Err(invalid("Scope: request, agent_day or end_user_day")),
    };
    let money = cashdesk_domain::Money::parse(rule.threshold.trim(), rule.currency.trim())
        .map_err(|e| invalid(format!("Threshold: {e}")))?;
    if money.amount <= rust_decimal::Decimal::ZERO {
        return Err(invalid("Threshold: more than zero"));
    }
    app.store().add_approval_rule(
        &ApprovalRule {
            id: 0,
            scope,
            account_id: rule.account_id,
            kind: rule.kind,
            method: rule
                .method
                .as_deref()
                .map(str::trim)
                .filter(|m| !m.is_empty())
                .map(str::to_owned),
            currency: money.currency.code().to_owned(),
            threshold: money.amount,
        },
        &actor,
    )?;
    approval_rules(app)
}

pub fn remove_approval_rule(app: &Cashdesk, id: i64) -> ApiResult<Vec<RuleView>> {
    let actor = app.acting(Permission::Administer)?;
    app.store().remove_approval_rule(id, &actor)?;
    approval_rules(app)
}
