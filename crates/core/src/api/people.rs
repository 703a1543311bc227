//! The supervisor's people pages: every operator's day at a glance, and
//! one agent's decisions (filterable), the claims they hold now (which a
//! supervisor can take over: `requests::take_over`), their running totals
//! against their daily limits, and their rejections with reasons.

use super::dto::RequestSummary;
use super::supervisor::supervising;
use super::{ApiResult, invalid};
use crate::app::Cashdesk;
use cashdesk_domain::{OperatorId, RequestId};
use cashdesk_store::{Action, Decision, DecisionFilter, RuleScope, day_start_ms};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// One operator's day, for the people list.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct PersonRow {
    pub id: OperatorId,
    pub name: String,
    pub roles: Vec<String>,
    pub disabled: bool,
    pub decided_today: u32,
    pub rejected_today: u32,
    pub claims_now: u32,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct DecisionRow {
    #[ts(type = "number")]
    pub seq: i64,
    pub request_id: RequestId,
    /// `approve`, `first_approval`, `second_approval`, `send_again`,
    /// `reject` or `settle`.
    pub action: String,
    pub provider: String,
    pub kind: String,
    pub method: String,
    pub amount_display: String,
    pub reason: Option<String>,
    pub decided_at: String,
    /// From opening it to deciding, when they held a claim.
    #[ts(type = "number | null")]
    pub handled_ms: Option<i64>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct HeldClaim {
    pub summary: RequestSummary,
    pub since: String,
}

/// Approved today in one currency, against the agent's daily limit.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct RunningTotal {
    pub currency: String,
    pub approved: String,
    pub approved_display: String,
    /// The lowest per-agent-per-day threshold in this currency, if any:
    /// at it, their approvals need a second one.
    pub limit: Option<String>,
    pub limit_display: Option<String>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct PersonPage {
    pub id: OperatorId,
    pub name: String,
    pub roles: Vec<String>,
    pub decisions: Vec<DecisionRow>,
    pub claims: Vec<HeldClaim>,
    pub totals: Vec<RunningTotal>,
    pub rejections: Vec<DecisionRow>,
}

/// Which of an agent's decisions to list; absent: all, newest first.
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[ts(export)]
pub struct PersonQuery {
    pub operator: OperatorId,
    /// One of [`DecisionRow::action`]'s values.
    #[ts(optional)]
    pub action: Option<String>,
    /// RFC 3339.
    #[ts(optional)]
    pub since: Option<String>,
    /// The previous page's last `seq`.
    #[ts(optional, type = "number")]
    pub before: Option<i64>,
    #[ts(optional)]
    pub limit: Option<u32>,
}

fn row(d: Decision) -> DecisionRow {
    DecisionRow {
        seq: d.seq,
        request_id: d.request_id,
        action: d.action.as_str().to_owned(),
        amount_display: crate::providers::reference::money(d.amount, &d.currency),
        provider: d.provider,
        kind: d.kind,
        method: d.method,
        reason: d.reason,
        decided_at: d.decided_at.to_rfc3339(),
        handled_ms: d.handled_ms,
    }
}

fn roles(r: &cashdesk_domain::Roles) -> Vec<String> {
    r.iter().map(|r| r.as_str().to_owned()).collect()
}

/// Every operator with today's figures. Supervisors and admins.
pub fn people(app: &Cashdesk) -> ApiResult<Vec<PersonRow>> {
    supervising(app)?;
    let store = app.store();
    let today = day_start_ms();
    let until = chrono::Utc::now().timestamp_millis() + 1;
    let (_, today) = store.decision_figures(today, until)?;
    store
        .operators()?
        .into_iter()
        .map(|o| {
            let id = o.id.to_string();
            let mine = today.iter().find(|d| d.operator_id == id);
            Ok(PersonRow {
                decided_today: mine.map_or(0, |d| d.decided as u32),
                rejected_today: mine.map_or(0, |d| d.rejected as u32),
                claims_now: store.claims_held(o.id)?.len() as u32,
                roles: roles(&o.roles),
                id: o.id,
                name: o.name,
                disabled: o.disabled,
            })
        })
        .collect()
}

/// One operator's page. Supervisors and admins.
pub fn person(app: &Cashdesk, q: &PersonQuery) -> ApiResult<PersonPage> {
    supervising(app)?;
    let store = app.store();
    let o = store.operator(q.operator)?;
    let since_ms = q
        .since
        .as_deref()
        .filter(|s| !s.trim().is_empty())
        .map(|s| {
            chrono::DateTime::parse_from_rfc3339(s.trim())
                .map(|d| d.timestamp_millis())
                .map_err(|e| invalid(format!("since: not a time ({e})")))
        })
        .transpose()?;
    let action = match q.action.as_deref().filter(|a| !a.is_empty()) {
        Some(a) => Some(Action::parse(a).ok_or_else(|| invalid(format!("no such action: {a}")))?),
        None => None,
    };
    let filter = DecisionFilter {
        action,
        since_ms,
        before_seq: q.before,
        limit: q.limit.unwrap_or(100),
    };
    let decisions = store
        .decisions_of(o.id, &filter)?
        .into_iter()
        .map(row)
        .collect();
    let rejections = store
        .decisions_of(
            o.id,
            &DecisionFilter {
                action: Some(Action::Reject),
                limit: 50,
                ..Default::default()
            },
        )?
        .into_iter()
        .map(row)
        .collect();
    let mut claims = Vec::new();
    for (id, since) in store.claims_held(o.id)? {
        if let Ok(r) = store.get_request(id) {
            claims.push(HeldClaim {
                summary: super::requests::summary(app, &r),
                since: chrono::DateTime::from_timestamp_millis(since)
                    .unwrap_or_default()
                    .to_rfc3339(),
            });
        }
    }
    Ok(PersonPage {
        totals: totals(app, o.id)?,
        id: o.id,
        name: o.name,
        roles: roles(&o.roles),
        decisions,
        claims,
        rejections,
    })
}

/// Today's approvals per currency with the lowest agent-per-day limit;
/// a currency with a limit and nothing approved shows as 0.
fn totals(app: &Cashdesk, operator: OperatorId) -> ApiResult<Vec<RunningTotal>> {
    let store = app.store();
    let mut limits: std::collections::BTreeMap<String, Decimal> = Default::default();
    for r in store.approval_rules()? {
        if r.scope == RuleScope::AgentDay {
            let l = limits.entry(r.currency.clone()).or_insert(r.threshold);
            *l = (*l).min(r.threshold);
        }
    }
    let mut approved: std::collections::BTreeMap<String, Decimal> = store
        .approved_since(operator, day_start_ms())?
        .into_iter()
        .collect();
    for c in limits.keys() {
        approved.entry(c.clone()).or_default();
    }
    Ok(approved
        .into_iter()
        .map(|(currency, total)| {
            let limit = limits.get(&currency).copied();
            RunningTotal {
                approved: total.to_string(),
                approved_display: crate::providers::reference::money(total, &currency),
                limit: limit.map(|l| l.to_string()),
                limit_display: limit.map(|l| crate::providers::reference::money(l, &currency)),
                currency,
            }
        })
        .collect())
}
