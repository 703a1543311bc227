//! Decisions people made: one row each, written in the transaction that
//! makes the decision (so it can never disagree with the history), read
//! by time or by operator for the overview and an agent's page.

use crate::requests::corrupt;
use crate::sql::{Db, OptionalExtension, Row, params};
use crate::{Result, Store, from_ms, now_ms};
use cashdesk_domain::{Actor, OperatorId, OperatorRef, RequestId, RequestStatus};
use rust_decimal::Decimal;
use serde::Serialize;

/// What a person did to a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Approve,
    FirstApproval,
    SecondApproval,
    SendAgain,
    Reject,
    /// Settled an unknown outcome or a differing amount.
    Settle,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Approve => "approve",
            Self::FirstApproval => "first_approval",
            Self::SecondApproval => "second_approval",
            Self::SendAgain => "send_again",
            Self::Reject => "reject",
            Self::Settle => "settle",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            Self::Approve,
            Self::FirstApproval,
            Self::SecondApproval,
            Self::SendAgain,
            Self::Reject,
            Self::Settle,
        ]
        .into_iter()
        .find(|a| a.as_str() == s)
    }

    /// The action a person's move `from` → `to` is, if it is a decision.
    fn of(from: RequestStatus, to: RequestStatus) -> Option<Self> {
        use RequestStatus as S;
        Some(match (from, to) {
            (_, S::AwaitingSecondApproval) => Self::FirstApproval,
            (S::AwaitingSecondApproval, S::Approved) => Self::SecondApproval,
            (S::Failed, S::Approved) => Self::SendAgain,
            (_, S::Approved) => Self::Approve,
            (_, S::Rejected) => Self::Reject,
            (S::OutcomeUnknown | S::AmountDiffers, _) => Self::Settle,
            _ => return None,
        })
    }
}

/// Approvals that count toward an agent's running total of the day.
pub(crate) const APPROVALS: &str = "('approve','first_approval','second_approval','send_again')";

/// One decision as read back.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Decision {
    pub seq: i64,
    pub request_id: RequestId,
    pub by: OperatorRef,
    pub action: Action,
    pub to_status: String,
    pub provider: String,
    pub kind: String,
    pub method: String,
    pub amount: Decimal,
    pub currency: String,
    pub reason: Option<String>,
    pub waited_ms: i64,
    pub handled_ms: Option<i64>,
    pub decided_at: chrono::DateTime<chrono::Utc>,
}

pub(crate) const DECISION_COLUMNS: &str = "seq, request_id, operator_id, operator_name, action,
    to_status, provider, kind, method, amount, currency, reason, waited_ms, handled_ms, decided_ms";

pub(crate) fn decision_row(r: &Row<'_>) -> Result<Decision> {
    let text = |i: usize| r.get::<_, String>(i);
    let id = text(1)?;
    Ok(Decision {
        seq: r.get(0)?,
        request_id: id.parse().map_err(|_| corrupt("request id", &id))?,
        by: OperatorRef::new(
            text(2)?.parse().unwrap_or(OperatorId(uuid::Uuid::nil())),
            text(3)?,
        ),
        action: Action::parse(&text(4)?).unwrap_or(Action::Settle),
        to_status: text(5)?,
        provider: text(6)?,
        kind: text(7)?,
        method: text(8)?,
        amount: text(9)?.parse().unwrap_or(Decimal::ZERO),
        currency: text(10)?,
        reason: r.get(11)?,
        waited_ms: r.get(12)?,
        handled_ms: r.get(13)?,
        decided_at: from_ms(r.get(14)?),
    })
}

/// Records `actor`'s move of `before` to `to`, when it is a person's
/// decision (called from the one place statuses change).
pub(crate) fn record_in(
    tx: &Db<'_>,
    before: &crate::RequestRecord,
    to: RequestStatus,
    actor: &Actor,
    reason: Option<&str>,
    now: i64,
) -> Result<()> {
    let (Some(me), Some(action)) = (actor.operator_ref(), Action::of(before.status, to)) else {
        return Ok(());
    };
    let id = before.id.to_string();
    // A second approval waited from the first one, not from intake.
    let reached = if action == Action::SecondApproval {
        tx.prepare_cached("SELECT first_approved_ms FROM requests WHERE id = ?1")?
            .query_row(params![&id], |r| r.get::<_, Option<i64>>(0))?
    } else {
        None
    }
    .unwrap_or(before.created_at.timestamp_millis());
    let claimed: Option<i64> = tx
        .prepare_cached("SELECT since_ms FROM claims WHERE request_id = ?1 AND operator_id = ?2")?
        .query_row(params![id, me.id.to_string()], |r| r.get(0))
        .optional()?;
    tx.prepare_cached(
        "INSERT INTO decisions (request_id, operator_id, operator_name, action, to_status,
            provider, account_id, kind, method, amount, currency, reason, waited_ms, handled_ms,
            decided_ms)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
    )?
    .execute(params![
        id,
        me.id.to_string(),
        me.name,
        action.as_str(),
        to.as_str(),
        before.provider.as_str(),
        before.account_id.to_string(),
        before.kind.as_str(),
        before.method,
        before.money.amount.to_string(),
        before.money.currency.code(),
        reason,
        (now - reached).max(0),
        claimed.map(|since| (now - since).max(0)),
        now,
    ])?;
    Ok(())
}

/// Which of an operator's decisions to read, newest first.
#[derive(Debug, Clone, Default)]
pub struct DecisionFilter {
    pub action: Option<Action>,
    pub since_ms: Option<i64>,
    /// Decisions before this seq (the next page).
    pub before_seq: Option<i64>,
    pub limit: u32,
}

impl Store {
    /// `operator`'s decisions matching `f`, newest first.
    pub fn decisions_of(&self, operator: OperatorId, f: &DecisionFilter) -> Result<Vec<Decision>> {
        self.read(|c| {
            let mut st = c.prepare_cached(&format!(
                "SELECT {DECISION_COLUMNS} FROM decisions
                 WHERE operator_id = ?1 AND (CAST(?2 AS TEXT) IS NULL OR action = ?2)
                   AND (CAST(?3 AS BIGINT) IS NULL OR decided_ms >= ?3)
                   AND (CAST(?4 AS BIGINT) IS NULL OR seq < ?4)
                 ORDER BY decided_ms DESC, seq DESC LIMIT ?5"
            ))?;
            let rows = st.query_map(
                params![
                    operator.to_string(),
                    f.action.map(Action::as_str),
                    f.since_ms,
                    f.before_seq,
                    f.limit.clamp(1, 1000)
                ],
                decision_row,
            )?;
            rows.collect::<Result<_, _>>()
        })
    }

    /// What `operator` approved since `since_ms`, summed per currency (the
    /// running total their per-day approval rules are held against).
    pub fn approved_since(
        &self,
        operator: OperatorId,
        since_ms: i64,
    ) -> Result<Vec<(String, Decimal)>> {
        self.read(|c| {
            let mut st = c.prepare_cached(&format!(
                // Each request once: sending a failed one again is not more money.
                "SELECT DISTINCT request_id, currency, amount FROM decisions
                 WHERE operator_id = ?1 AND decided_ms >= ?2 AND action IN {APPROVALS}"
            ))?;
            let rows = st.query_map(params![operator.to_string(), since_ms], |r| {
                Ok((r.get::<_, String>(1)?, r.get::<_, String>(2)?))
            })?;
            let mut totals: std::collections::BTreeMap<String, Decimal> = Default::default();
            for row in rows {
                let (currency, amount) = row?;
                *totals.entry(currency).or_default() +=
                    amount.parse::<Decimal>().unwrap_or(Decimal::ZERO);
            }
            Ok(totals.into_iter().collect())
        })
    }

    /// Claims `operator` holds now: request ids, since when.
    pub fn claims_held(&self, operator: OperatorId) -> Result<Vec<(RequestId, i64)>> {
        self.read(|c| {
            let mut st = c.prepare_cached(
                "SELECT request_id, since_ms FROM claims WHERE operator_id = ?1 AND until_ms > ?2
                 ORDER BY since_ms",
            )?;
            let rows = st.query_map(params![operator.to_string(), now_ms()], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))
            })?;
            let mut out = Vec::new();
            for row in rows {
                let (id, since) = row?;
                if let Ok(id) = id.parse() {
                    out.push((id, since));
                }
            }
            Ok(out)
        })
    }
}
