//! The supervisor's desk, read side: everything that needs a person in one
//! list with the action that settles it and the evidence beside it, and
//! the audit trail filtered. Supervisors and admins only.

use super::dto::RequestSummary;
use super::{ApiResult, invalid};
use crate::app::Cashdesk;
use cashdesk_domain::{OperatorId, Permission, RequestId};
use cashdesk_store::{AuditFilter, NeedsPerson};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// How long a request may wait pending before it needs a person's eye,
/// unless an admin set another (`desk.sla_minutes`).
pub const SLA_MINUTES: i64 = 15;
const SLA_KEY: &str = "desk.sla_minutes";
/// At most this many of each kind of item.
const ATTENTION_LIMIT: u32 = 200;

/// Supervisors and admins (the supervisor's views, verifying the audit log).
pub(crate) fn supervising(app: &Cashdesk) -> ApiResult<()> {
    if app.acting(Permission::Supervise).is_err() {
        app.acting(Permission::Administer)?;
    }
    Ok(())
}

/// One request that needs a person.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct AttentionItem {
    pub summary: RequestSummary,
    /// `outcome_unknown`, `amount_differs`, `failed`, `second_approval`,
    /// `past_sla`, `expired_maybe_paid`.
    pub why: String,
    /// What settles it, in words.
    pub action: String,
    /// The provider's answers and the lookups asked, newest last.
    pub evidence: Vec<String>,
}

fn why(n: NeedsPerson) -> (&'static str, &'static str) {
    match n {
        NeedsPerson::OutcomeUnknown => (
            "outcome_unknown",
            "Check with the provider, then settle: completed, rejected, or not received (sent again)",
        ),
        NeedsPerson::AmountDiffers => (
            "amount_differs",
            "Compare with the provider's panel and accept what moved",
        ),
        NeedsPerson::Failed => (
            "failed",
            "Fix the cause and approve again (same reference), or reject for good",
        ),
        NeedsPerson::SecondApproval => ("second_approval", "Give the second approval or reject"),
        NeedsPerson::PastSla => ("past_sla", "Decide it, or find out why nobody has"),
        NeedsPerson::ExpiredMaybePaid => (
            "expired_maybe_paid",
            "The customer may have paid: look for the money before telling them",
        ),
    }
}

/// The desk's SLA for pending requests, in minutes.
pub fn sla_minutes(app: &Cashdesk) -> i64 {
    app.store()
        .setting(SLA_KEY)
        .ok()
        .flatten()
        .and_then(|s| s.parse().ok())
        .filter(|m| *m > 0)
        .unwrap_or(SLA_MINUTES)
}

/// Everything that needs a person, oldest first.
pub fn attention(app: &Cashdesk) -> ApiResult<Vec<AttentionItem>> {
    supervising(app)?;
    let items = app.store().attention(ATTENTION_LIMIT)?;
    items
        .into_iter()
        .map(|(n, r)| {
            let (w, action) = why(n);
            let mut evidence: Vec<String> = app
                .store()
                .lookups(r.id)?
                .into_iter()
                .map(|l| format!("{} → {}", l.question, l.answer))
                .collect();
            if let Some(p) = &r.provider_reason {
                evidence.push(format!("Provider: {p}"));
            }
            if let Some(s) = &r.status_reason {
                evidence.push(s.clone());
            }
            Ok(AttentionItem {
                summary: super::requests::summary(app, &r),
                why: w.to_owned(),
                action: action.to_owned(),
                evidence,
            })
        })
        .collect()
}

/// Sets the SLA (an admin's act, audited).
pub fn set_sla_minutes(app: &Cashdesk, minutes: i64) -> ApiResult<i64> {
    let actor = app.acting(Permission::Administer)?;
    if !(1..=24 * 60).contains(&minutes) {
        return Err(invalid("SLA: 1 minute to 24 hours"));
    }
    app.store()
        .set_setting(SLA_KEY, &minutes.to_string(), &actor)?;
    Ok(minutes)
}

/// A payment method's own SLA, where an admin set one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MethodSla {
    pub method: String,
    pub minutes: u32,
}

/// The methods with an SLA of their own (the rest wait the desk's).
pub fn method_slas(app: &Cashdesk) -> ApiResult<Vec<MethodSla>> {
    app.viewing()?;
    Ok(app
        .store()
        .method_slas()?
        .into_iter()
        .map(|(method, minutes)| MethodSla { method, minutes })
        .collect())
}

/// Sets (or with `None` removes) a method's SLA; the method's waiting
/// requests are re-dated in the same transaction. An admin's act, audited.
pub fn set_method_sla(
    app: &Cashdesk,
    method: &str,
    minutes: Option<u32>,
) -> ApiResult<Vec<MethodSla>> {
    let actor = app.acting(Permission::Administer)?;
    let method = method.trim();
    if method.is_empty() || method.len() > 64 {
        return Err(invalid("Method: 1 to 64 characters"));
    }
    if minutes.is_some_and(|m| !(1..=24 * 60).contains(&m)) {
        return Err(invalid("SLA: 1 minute to 24 hours"));
    }
    app.store().set_method_sla(method, minutes, &actor)?;
    method_slas(app)
}

/// Filters for the audit trail; absent: any.
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[ts(export)]
pub struct AuditQuery {
    #[ts(optional)]
    pub operator: Option<OperatorId>,
    #[ts(optional)]
    pub request: Option<RequestId>,
    #[ts(optional)]
    pub action: Option<String>,
    /// RFC 3339.
    #[ts(optional)]
    pub since: Option<String>,
    #[ts(optional)]
    pub until: Option<String>,
    /// The previous page's last `seq` (newest first).
    #[ts(optional, type = "number")]
    pub before: Option<i64>,
    #[ts(optional)]
    pub limit: Option<u32>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct AuditRow {
    #[ts(type = "number")]
    pub seq: i64,
    pub at: String,
    /// Who, in words (an operator's name, "Cashdesk", a provider).
    pub who: String,
    pub action: String,
    pub subject: String,
    /// The details as JSON text.
    pub details: String,
}

fn time(s: &Option<String>, what: &str) -> ApiResult<Option<i64>> {
    s.as_deref()
        .filter(|t| !t.trim().is_empty())
        .map(|t| {
            chrono::DateTime::parse_from_rfc3339(t.trim())
                .map(|d| d.timestamp_millis())
                .map_err(|e| invalid(format!("{what}: not a time ({e})")))
        })
        .transpose()
}

/// The audit log, filtered, newest first.
pub fn audit_trail(app: &Cashdesk, q: &AuditQuery) -> ApiResult<Vec<AuditRow>> {
    supervising(app)?;
    let mut f = audit_filter(q)?;
    f.limit = q.limit.unwrap_or(200);
    Ok(app
        .store()
        .audit_page(&f)?
        .into_iter()
        .map(audit_row)
        .collect())
}

/// The store's filter for a query from the window (its page size unset).
pub(crate) fn audit_filter(q: &AuditQuery) -> ApiResult<AuditFilter> {
    Ok(AuditFilter {
        operator: q.operator,
        subject: q.request.map(|r| format!("request:{r}")),
        action: q.action.clone().filter(|a| !a.trim().is_empty()),
        since_ms: time(&q.since, "since")?,
        until_ms: time(&q.until, "until")?,
        before_seq: q.before,
        limit: 0,
    })
}

/// An entry as the window and the export show it.
pub(crate) fn audit_row(e: cashdesk_store::AuditEntry) -> AuditRow {
    AuditRow {
        seq: e.seq,
        at: e.at.to_rfc3339(),
        who: super::requests::actor_name(&cashdesk_domain::Actor::parse(&e.actor)),
        action: e.action,
        subject: e.subject,
        details: e.details.to_string(),
    }
}
