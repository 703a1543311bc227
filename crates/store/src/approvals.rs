//! Approving: the decision and the provider call it causes in one
//! transaction, and maker–checker checked inside it. At or above an
//! approval rule's threshold the first approval only moves the request to
//! *awaiting second approval* (nothing goes to the outbox); the second must
//! come from a different operator who holds the supervisor role now, and
//! never from the operator who entered the request at the desk.

use crate::claims::check_claim_in;
use crate::operators::roles_in;
use crate::requests::{get_in, transition_from};
use crate::sql::{Db, Param, Row, params};
use crate::{ProviderFacts, RequestRecord, Result, Store, StoreError, now_ms};
use cashdesk_domain::{AccountId, Actor, RequestId, RequestKind, RequestStatus, Role};
use rust_decimal::Decimal;

/// What an approval rule counts toward its threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleScope {
    /// The request's own amount.
    Request,
    /// The approving operator's approvals today (UTC), this one included.
    AgentDay,
    /// The end user's requests approved today (UTC) and not turned down,
    /// this one included.
    EndUserDay,
}

impl RuleScope {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Request => "request",
            Self::AgentDay => "agent_day",
            Self::EndUserDay => "end_user_day",
        }
    }

    fn parse(s: &str) -> Self {
        match s {
            "agent_day" => Self::AgentDay,
            "end_user_day" => Self::EndUserDay,
            _ => Self::Request,
        }
    }
}

/// At or above `threshold` (in `currency`), approval needs a second
/// operator. `None` account, kind or method: any.
#[derive(Debug, Clone, PartialEq)]
pub struct ApprovalRule {
    pub id: i64,
    pub scope: RuleScope,
    pub account_id: Option<AccountId>,
    pub kind: Option<RequestKind>,
    pub method: Option<String>,
    pub currency: String,
    pub threshold: Decimal,
}

fn rule_row(r: &Row<'_>) -> Result<ApprovalRule> {
    let threshold: String = r.get(6)?;
    Ok(ApprovalRule {
        id: r.get(0)?,
        scope: RuleScope::parse(&r.get::<_, String>(1)?),
        account_id: r.get::<_, Option<String>>(2)?.and_then(|s| s.parse().ok()),
        kind: r
            .get::<_, Option<String>>(3)?
            .and_then(|s| RequestKind::parse(&s)),
        method: r.get(4)?,
        currency: r.get(5)?,
        // A threshold that does not read as a number asks for a second
        // approval for everything rather than for nothing.
        threshold: threshold.parse().unwrap_or(Decimal::ZERO),
    })
}

const RULES: &str = "SELECT id, scope, account_id, kind, method, currency, threshold
    FROM approval_rules WHERE removed_ms IS NULL";

/// Midnight UTC today, in ms: where "a day" of running totals starts.
pub fn day_start_ms() -> i64 {
    let now = chrono::Utc::now();
    now.date_naive()
        .and_hms_opt(0, 0, 0)
        .map(|d| d.and_utc().timestamp_millis())
        .unwrap_or(0)
}

fn sum(tx: &Db<'_>, sql: &str, args: &[&dyn Param]) -> Result<Decimal> {
    let mut st = tx.prepare_cached(sql)?;
    let amounts = st.query_map(args, |r| r.get::<_, String>(0))?;
    let mut total = Decimal::ZERO;
    for a in amounts {
        total += a?.parse::<Decimal>().unwrap_or(Decimal::ZERO);
    }
    Ok(total)
}

/// The rows a rule covers, after `?5` account, `?6` kind, `?7` method
/// (each typed: PostgreSQL cannot tell a parameter's type from `IS NULL`).
const IN_SCOPE: &str = "AND (CAST(?5 AS TEXT) IS NULL OR account_id = ?5)
    AND (CAST(?6 AS TEXT) IS NULL OR kind = ?6)
    AND (CAST(?7 AS TEXT) IS NULL OR lower(method) = lower(?7))";

/// Why `rec` needs a second approval when `actor` approves it, if it does.
fn needs_second(tx: &Db<'_>, rec: &RequestRecord, actor: &Actor) -> Result<Option<String>> {
    let mut st = tx.prepare_cached(&format!(
        "{RULES} AND currency = ?1 AND (account_id IS NULL OR account_id = ?2)
           AND (kind IS NULL OR kind = ?3) AND (method IS NULL OR lower(method) = lower(?4))"
    ))?;
    let rules: Vec<ApprovalRule> = st
        .query_map(
            params![
                rec.money.currency.code(),
                rec.account_id.to_string(),
                rec.kind.as_str(),
                rec.method
            ],
            rule_row,
        )?
        .collect::<Result<_>>()?;
    let amount = rec.money.amount;
    let cur = rec.money.currency.code();
    let since = day_start_ms();
    for rule in rules {
        // A running total counts what the rule covers: a rule for any
        // account sums every account's, one for withdrawals only those.
        let scope = (
            rule.account_id.map(|a| a.to_string()),
            rule.kind.map(|k| k.as_str()),
            rule.method.clone(),
        );
        let (total, what) = match rule.scope {
            RuleScope::Request => (amount, "this request is"),
            RuleScope::AgentDay => {
                let Some(o) = actor.operator_ref() else {
                    continue;
                };
                // Each request once: sending a failed one again is not more money.
                let before = sum(
                    tx,
                    &format!(
                        "SELECT amount FROM (SELECT DISTINCT request_id, amount FROM decisions
                           WHERE operator_id = ?1 AND decided_ms >= ?2 AND action IN {}
                             AND request_id != ?3 AND currency = ?4 {IN_SCOPE}) AS d",
                        crate::decisions::APPROVALS
                    ),
                    params![
                        o.id.to_string(),
                        since,
                        rec.id.to_string(),
                        cur,
                        scope.0,
                        scope.1,
                        scope.2
                    ],
                )?;
                (before + amount, "your approvals today come to")
            }
            RuleScope::EndUserDay => {
                let before = sum(
                    tx,
                    &format!(
                        "SELECT amount FROM requests WHERE end_user_ref = ?1 AND id != ?3 AND currency = ?4 {IN_SCOPE}
                           AND status NOT IN ('pending','rejected','rejected_by_provider','expired','failed')
                           AND id IN (SELECT request_id FROM request_events WHERE at_ms >= ?2
                             AND to_status IN ('approved','awaiting_second_approval'))"
                    ),
                    params![rec.end_user_ref, since, rec.id.to_string(), cur, scope.0, scope.1, scope.2],
                )?;
                (before + amount, "this end user's requests today come to")
            }
        };
        if total >= rule.threshold {
            return Ok(Some(format!(
                "needs a second approval: {what} {total} {cur}, at or above {} {cur}",
                rule.threshold
            )));
        }
    }
    Ok(None)
}

/// Commits the provider call of an approval; a failed row is reused (a
/// person retries after the cause is fixed: same effect, same reference).
fn write_call(
    tx: &Db<'_>,
    rec: &RequestRecord,
    effect: &str,
    payload: &serde_json::Value,
) -> Result<()> {
    let now = now_ms();
    let n = tx.prepare_cached(
        "INSERT INTO outbox (request_id, account_id, effect, merchant_ref, payload_json, state, next_attempt_ms, created_ms, updated_ms)
         VALUES (?1, ?2, ?3, ?4, ?5, 'pending', ?6, ?6, ?6)
         ON CONFLICT(request_id, effect) DO UPDATE SET state = 'pending', payload_json = excluded.payload_json,
            next_attempt_ms = excluded.next_attempt_ms, last_error = NULL, updated_ms = excluded.updated_ms
         WHERE outbox.state = 'failed'",
    )?.execute(params![rec.id.to_string(), rec.account_id.to_string(), effect, rec.merchant_ref.0, payload.to_string(), now],
    )?;
    if n == 0 {
        return Err(StoreError::Conflict(format!(
            "{effect} for this request is already under way"
        )));
    }
    Ok(())
}

/// Checks a person's rejection inside its transaction: nobody else's live
/// claim, and at the second step only a supervisor turns it down.
pub(crate) fn check_reject_in(tx: &Db<'_>, id: RequestId, actor: &Actor) -> Result<()> {
    check_claim_in(tx, id, actor)?;
    let rec = get_in(tx, id)?;
    if rec.status == RequestStatus::AwaitingSecondApproval
        && actor.operator_ref().is_some()
        && !roles_in(tx, actor)?.has(Role::Supervisor)
    {
        return Err(StoreError::NotAllowed(
            "needs a supervisor: it is waiting for a second approval".into(),
        ));
    }
    Ok(())
}

/// Checks a person settling an unknown outcome inside its transaction:
/// a supervisor, and nobody else's live claim.
pub(crate) fn check_settle_in(tx: &Db<'_>, id: RequestId, actor: &Actor) -> Result<()> {
    if actor.operator_ref().is_none() {
        return Ok(());
    }
    if !roles_in(tx, actor)?.has(Role::Supervisor) {
        return Err(StoreError::NotAllowed(
            "needs a supervisor to settle an unknown outcome".into(),
        ));
    }
    check_claim_in(tx, id, actor)
}

impl Store {
    /// An approval and, when it is the last one needed, the provider call
    /// it causes, in one transaction: both durable or neither. Returns the
    /// request after: *approved*, or *awaiting second approval*.
    pub fn approve(
        &self,
        id: RequestId,
        actor: &Actor,
        effect: &str,
        payload: &serde_json::Value,
    ) -> Result<RequestRecord> {
        self.write(|tx| {
            let rec = get_in(tx, id)?;
            check_claim_in(tx, id, actor)?;
            // Every approval step, whatever path asked for it.
            if let Some(why) = crate::risk::blocking_duplicate_in(tx, &rec)? {
                return Err(StoreError::Conflict(why));
            }
            let me = actor.operator_ref().map(|o| o.id);
            if me.is_some() && rec.entered_by == me {
                return Err(StoreError::NotAllowed(
                    "you entered this request: another operator approves it".into(),
                ));
            }
            let none = ProviderFacts::default();
            if rec.status == RequestStatus::AwaitingSecondApproval {
                if !roles_in(tx, actor)?.has(Role::Supervisor) {
                    return Err(StoreError::NotAllowed(
                        "needs a supervisor: this is the second approval".into(),
                    ));
                }
                if me.is_none() || rec.first_approver == me {
                    return Err(StoreError::NotAllowed(
                        "you gave the first approval: a different supervisor gives the second"
                            .into(),
                    ));
                }
                let rec = transition_from(
                    tx,
                    rec,
                    RequestStatus::Approved,
                    actor,
                    Some("second approval"),
                    &none,
                )?;
                write_call(tx, &rec, effect, payload)?;
                return Ok(rec);
            }
            if !matches!(rec.status, RequestStatus::Pending | RequestStatus::Failed) {
                return Err(StoreError::Conflict(format!(
                    "only a pending or failed request can be approved; this one is {}",
                    rec.status.label()
                )));
            }
            if rec.status == RequestStatus::Failed
                && let Some(why) = needs_second(tx, &rec, actor)?
            {
                // Sending a failed request again is a new decision: above the
                // threshold it takes a supervisor who is neither its maker
                // nor its first approver (there is no second step from here).
                if !roles_in(tx, actor)?.has(Role::Supervisor) || rec.first_approver == me {
                    return Err(StoreError::NotAllowed(format!(
                        "{why}: sending it again takes a different supervisor"
                    )));
                }
            }
            if rec.status == RequestStatus::Pending
                && let Some(why) = needs_second(tx, &rec, actor)?
            {
                let rec = transition_from(
                    tx,
                    rec,
                    RequestStatus::AwaitingSecondApproval,
                    actor,
                    Some(&why),
                    &none,
                )?;
                tx.execute(
                    "UPDATE requests SET first_approver = ?2, first_approved_ms = ?3 WHERE id = ?1",
                    params![id.to_string(), me.map(|m| m.to_string()), now_ms()],
                )?;
                return get_in(tx, rec.id);
            }
            let rec = transition_from(tx, rec, RequestStatus::Approved, actor, None, &none)?;
            write_call(tx, &rec, effect, payload)?;
            Ok(rec)
        })
    }

    /// The approval rules in force.
    pub fn approval_rules(&self) -> Result<Vec<ApprovalRule>> {
        self.read(|c| {
            let mut st = c.prepare(&format!("{RULES} ORDER BY currency, scope, id"))?;
            let rows = st.query_map(params![], rule_row)?;
            rows.collect::<Result<_>>()
        })
    }

    /// Adds a rule (an admin's act, audited).
    pub fn add_approval_rule(&self, rule: &ApprovalRule, actor: &Actor) -> Result<i64> {
        self.write(|tx| {
            if !roles_in(tx, actor)?.has(Role::Admin) {
                return Err(StoreError::NotAllowed("needs an admin".into()));
            }
            let id: i64 = tx.query_row(
                "INSERT INTO approval_rules (scope, account_id, kind, method, currency, threshold, created_ms)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id",
                params![
                    rule.scope.as_str(),
                    rule.account_id.map(|a| a.to_string()),
                    rule.kind.map(|k| k.as_str()),
                    rule.method,
                    rule.currency,
                    rule.threshold.to_string(),
                    now_ms()
                ],
                |r| r.get::<_, i64>(0),
            )?;
            crate::audit::append(
                tx,
                actor,
                "approval_rule.add",
                &format!("approval_rule:{id}"),
                &serde_json::json!({
                    "scope": rule.scope.as_str(),
                    "account_id": rule.account_id.map(|a| a.to_string()),
                    "kind": rule.kind.map(|k| k.as_str()),
                    "method": rule.method,
                    "currency": rule.currency,
                    "threshold": rule.threshold.to_string(),
                }),
            )?;
            Ok(id)
        })
    }

    /// Retires a rule (kept for the audit trail; an admin's act).
    pub fn remove_approval_rule(&self, id: i64, actor: &Actor) -> Result<()> {
        self.write(|tx| {
            if !roles_in(tx, actor)?.has(Role::Admin) {
                return Err(StoreError::NotAllowed("needs an admin".into()));
            }
            let n = tx.execute(
                "UPDATE approval_rules SET removed_ms = ?2 WHERE id = ?1 AND removed_ms IS NULL",
                params![id, now_ms()],
            )?;
            if n == 0 {
                return Err(StoreError::NotFound(format!("approval rule {id}")));
            }
            crate::audit::append(
                tx,
                actor,
                "approval_rule.remove",
                &format!("approval_rule:{id}"),
                &serde_json::json!({}),
            )
        })
    }
}
