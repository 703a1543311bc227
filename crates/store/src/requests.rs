//! Requests and their history. Every status change goes through
//! [`transition_in`], which checks the lifecycle, bumps the version, records
//! who/when/why and appends to the audit log, all in the caller's transaction.

use crate::queue::QueueView;
use crate::sql::{Db, OptionalExtension, Row, params};
use crate::{Result, Store, StoreError, audit, from_ms, now_ms};
use cashdesk_domain::{
    AccountId, Actor, MerchantRef, Money, ProviderKind, RequestId, RequestKind, RequestStatus,
};
use serde::Serialize;

/// Where a request came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    Desk,
    Intake,
    Provider,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Desk => "desk",
            Self::Intake => "intake",
            Self::Provider => "provider",
        }
    }
    fn parse(s: &str) -> Self {
        match s {
            "intake" => Self::Intake,
            "provider" => Self::Provider,
            _ => Self::Desk,
        }
    }
}

#[derive(Debug, Clone)]
pub struct NewRequest {
    pub kind: RequestKind,
    pub provider: ProviderKind,
    pub account_id: AccountId,
    pub method: String,
    pub money: Money,
    pub end_user_ref: String,
    pub end_user_name: Option<String>,
    pub provider_user_id: Option<String>,
    pub trx_id: Option<String>,
    pub sender: Option<String>,
    pub destination: Option<String>,
    pub agent_number: Option<String>,
    pub source: Source,
    /// The caller's idempotency key: the same (source, intake_ref) is one request.
    pub intake_ref: Option<String>,
    /// Provider-specific facts (a Zimo-pagos beneficiary, a Paykassma
    /// payment system), checked by the provider's adapter.
    pub details: serde_json::Value,
    /// The customer's payment screenshot, stored with the request.
    pub screenshot: Option<crate::NewAttachment>,
    /// The provider's own deadline (CashWeb's `expires_at`): the request is
    /// due then rather than at arrival plus the desk's SLA.
    pub expires: Option<chrono::DateTime<chrono::Utc>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RequestRecord {
    pub id: RequestId,
    pub kind: RequestKind,
    pub provider: ProviderKind,
    pub account_id: AccountId,
    pub method: String,
    pub money: Money,
    pub end_user_ref: String,
    pub end_user_name: Option<String>,
    pub provider_user_id: Option<String>,
    pub trx_id: Option<String>,
    pub sender: Option<String>,
    pub destination: Option<String>,
    pub agent_number: Option<String>,
    pub merchant_ref: MerchantRef,
    pub provider_txn_id: Option<String>,
    pub provider_status: Option<String>,
    pub provider_reason: Option<String>,
    pub status: RequestStatus,
    pub status_reason: Option<String>,
    pub source: Source,
    pub intake_ref: Option<String>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
    pub version: i64,
    pub details: serde_json::Value,
    /// What the provider reports it settled, when it reports an amount.
    pub settled: Option<Money>,
    /// The operator who entered it at the desk: never its approver.
    pub entered_by: Option<cashdesk_domain::OperatorId>,
    /// The operator who gave the first of two approvals.
    pub first_approver: Option<cashdesk_domain::OperatorId>,
    /// When it is due: the provider's deadline, or arrival plus the desk's
    /// SLA (migration 11 keeps it).
    pub due: Option<chrono::DateTime<chrono::Utc>>,
}

/// What a provider told us, recorded alongside a transition.
#[derive(Debug, Clone, Default)]
pub struct ProviderFacts {
    pub txn_id: Option<String>,
    pub status: Option<String>,
    /// The provider's code and message exactly as they came.
    pub reason: Option<String>,
    /// The amount the provider reports it settled.
    pub settled: Option<Money>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HistoryEntry {
    pub at: chrono::DateTime<chrono::Utc>,
    pub actor: Actor,
    pub from: Option<RequestStatus>,
    pub to: RequestStatus,
    pub reason: Option<String>,
}

pub(crate) const COLUMNS: &str =
    "id, kind, provider, account_id, method, amount, currency, end_user_ref,
    end_user_name, provider_user_id, trx_id, sender, destination, agent_number, merchant_ref,
    provider_txn_id, provider_status, provider_reason, status, status_reason, source, intake_ref,
    created_ms, updated_ms, version, details_json, settled_amount, settled_currency,
    entered_by, first_approver, due_ms";

/// A stored value that does not read back as its type.
pub(crate) fn corrupt(what: &str, value: &str) -> StoreError {
    StoreError::Corrupt(format!("bad {what}: {value:?}"))
}

/// How many columns `COLUMNS` names: a query that selects more reads its
/// extra columns from this index on.
pub(crate) const COLUMN_COUNT: usize = 31;

pub(crate) fn from_row(r: &Row<'_>) -> Result<RequestRecord> {
    let text = |i: usize| r.get::<_, String>(i);
    let id = text(0)?;
    let kind = text(1)?;
    let provider = text(2)?;
    let account = text(3)?;
    let amount = text(5)?;
    let currency = text(6)?;
    let status = text(18)?;
    Ok(RequestRecord {
        id: id.parse().map_err(|_| corrupt("request id", &id))?,
        kind: RequestKind::parse(&kind).ok_or_else(|| corrupt("kind", &kind))?,
        provider: ProviderKind::parse(&provider).ok_or_else(|| corrupt("provider", &provider))?,
        account_id: account
            .parse()
            .map_err(|_| corrupt("account id", &account))?,
        method: text(4)?,
        money: Money::parse(&amount, &currency).map_err(|_| corrupt("amount", &amount))?,
        end_user_ref: text(7)?,
        end_user_name: r.get(8)?,
        provider_user_id: r.get(9)?,
        trx_id: r.get(10)?,
        sender: r.get(11)?,
        destination: r.get(12)?,
        agent_number: r.get(13)?,
        merchant_ref: MerchantRef(text(14)?),
        provider_txn_id: r.get(15)?,
        provider_status: r.get(16)?,
        provider_reason: r.get(17)?,
        status: RequestStatus::parse(&status).ok_or_else(|| corrupt("status", &status))?,
        status_reason: r.get(19)?,
        source: Source::parse(&text(20)?),
        intake_ref: r.get(21)?,
        created_at: from_ms(r.get(22)?),
        updated_at: from_ms(r.get(23)?),
        version: r.get(24)?,
        details: serde_json::from_str(&text(25)?).map_err(|_| corrupt("details", "json"))?,
        settled: match (
            r.get::<_, Option<String>>(26)?,
            r.get::<_, Option<String>>(27)?,
        ) {
            (Some(a), Some(c)) => {
                Some(Money::parse(&a, &c).map_err(|_| corrupt("settled amount", &a))?)
            }
            _ => None,
        },
        entered_by: operator_id(r.get(28)?),
        first_approver: operator_id(r.get(29)?),
        due: r.get::<_, Option<i64>>(30)?.map(from_ms),
    })
}

/// An operator id column; a value from before operators had ids (a name)
/// reads as none.
fn operator_id(v: Option<String>) -> Option<cashdesk_domain::OperatorId> {
    v.and_then(|s| s.parse().ok())
}

pub(crate) fn get_in(c: &Db<'_>, id: RequestId) -> Result<RequestRecord> {
    // Cached: every decision reads its request more than once.
    c.prepare_cached(&format!("SELECT {COLUMNS} FROM requests WHERE id = ?1"))?
        .query_row(params![id.to_string()], from_row)
        .optional()?
        .ok_or(StoreError::RequestNotFound(id))
}

/// The one place a request's status changes.
pub(crate) fn transition_in(
    tx: &Db<'_>,
    id: RequestId,
    to: RequestStatus,
    actor: &Actor,
    reason: Option<&str>,
    facts: &ProviderFacts,
) -> Result<RequestRecord> {
    transition_from(tx, get_in(tx, id)?, to, actor, reason, facts)
}

/// `transition_in` for a caller that has just read the request in this
/// transaction (an approval): the row is not read twice.
pub(crate) fn transition_from(
    tx: &Db<'_>,
    current: RequestRecord,
    to: RequestStatus,
    actor: &Actor,
    reason: Option<&str>,
    facts: &ProviderFacts,
) -> Result<RequestRecord> {
    let id = current.id;
    current.status.check(to)?;
    let now = now_ms();
    // Cached statements: every decision and every answer comes this way.
    tx.prepare_cached(
        "UPDATE requests SET status = ?2, view = ?3, status_reason = COALESCE(?4, status_reason),
            provider_txn_id = COALESCE(?5, provider_txn_id),
            provider_status = COALESCE(?6, provider_status),
            provider_reason = COALESCE(?7, provider_reason),
            settled_amount = COALESCE(?9, settled_amount),
            settled_currency = COALESCE(?10, settled_currency),
            final_ms = CASE WHEN ?11 THEN ?8 ELSE final_ms END,
            updated_ms = ?8, version = version + 1
         WHERE id = ?1",
    )?
    .execute(params![
        id.to_string(),
        to.as_str(),
        QueueView::of(to).as_str(),
        reason,
        facts.txn_id,
        facts.status,
        facts.reason,
        now,
        facts.settled.as_ref().map(|m| m.amount.to_string()),
        facts.settled.as_ref().map(|m| m.currency.code().to_owned()),
        to.is_terminal(),
    ])?;
    crate::decisions::record_in(tx, &current, to, actor, reason, now)?;
    if matches!(
        current.status,
        RequestStatus::Submitting | RequestStatus::OutcomeUnknown
    ) && !matches!(to, RequestStatus::Approved | RequestStatus::OutcomeUnknown)
    {
        // The provider's word (a push overtaking the answer, a lookup)
        // moved the request on: its call is settled, so the row can never
        // be left `sending` for start-up to trip over, and a late answer
        // changes nothing.
        tx.execute(
            "UPDATE outbox SET state = 'done', updated_ms = ?2
             WHERE request_id = ?1 AND follow_up = 0 AND state IN ('sending', 'unknown')",
            params![id.to_string(), now],
        )?;
    }
    tx.prepare_cached(
        "INSERT INTO request_events (request_id, at_ms, actor, from_status, to_status, reason)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        id.to_string(),
        now,
        actor.to_string(),
        current.status.as_str(),
        to.as_str(),
        reason
    ])?;
    audit::append(
        tx,
        actor,
        &format!("request.{}", to.as_str()),
        &id.to_string(),
        &serde_json::json!({ "from": current.status.as_str(), "reason": reason,
            "provider_reason": facts.reason, "provider_txn_id": facts.txn_id }),
    )?;
    get_in(tx, id)
}

impl Store {
    /// Inserts a pending request. Idempotent on `(source, intake_ref)`: the
    /// same intake pushed twice returns the first request and `false`.
    pub fn insert_request(&self, new: &NewRequest, actor: &Actor) -> Result<(RequestRecord, bool)> {
        self.write(|tx| crate::insert::insert_or_get_in(tx, new, actor, None))
    }

    /// Inserts a batch (a CSV import) in one transaction: all or nothing.
    /// Each entry as `insert_request` answers it.
    pub fn insert_requests(
        &self,
        batch: &[NewRequest],
        actor: &Actor,
    ) -> Result<Vec<(RequestRecord, bool)>> {
        self.insert_requests_made_by(batch, actor, None)
    }

    /// As `insert_requests`, filed by `actor` (the integration) at the hand
    /// of `maker`, who therefore never approves them (a CSV import).
    pub fn insert_requests_made_by(
        &self,
        batch: &[NewRequest],
        actor: &Actor,
        maker: Option<cashdesk_domain::OperatorId>,
    ) -> Result<Vec<(RequestRecord, bool)>> {
        self.write(|tx| {
            batch
                .iter()
                .map(|n| crate::insert::insert_or_get_in(tx, n, actor, maker))
                .collect()
        })
    }

    pub fn get_request(&self, id: RequestId) -> Result<RequestRecord> {
        self.read(|c| get_in(c, id))
    }

    /// Who did what and why, oldest first.
    pub fn history(&self, id: RequestId) -> Result<Vec<HistoryEntry>> {
        self.read(|c| {
            let mut st = c.prepare(
                "SELECT at_ms, actor, from_status, to_status, reason FROM request_events
                 WHERE request_id = ?1 ORDER BY seq",
            )?;
            let rows = st.query_map(params![id.to_string()], |r| {
                let from: Option<String> = r.get(2)?;
                let to: String = r.get(3)?;
                Ok(HistoryEntry {
                    at: from_ms(r.get(0)?),
                    actor: Actor::parse(&r.get::<_, String>(1)?),
                    from: from.as_deref().and_then(RequestStatus::parse),
                    to: RequestStatus::parse(&to).ok_or_else(|| corrupt("status", &to))?,
                    reason: r.get(4)?,
                })
            })?;
            rows.collect::<Result<_, _>>()
        })
    }

    /// An agent's rejection: nothing goes to the provider.
    pub fn reject(&self, id: RequestId, actor: &Actor, reason: &str) -> Result<RequestRecord> {
        self.write(|tx| {
            crate::approvals::check_reject_in(tx, id, actor)?;
            transition_in(
                tx,
                id,
                RequestStatus::Rejected,
                actor,
                Some(reason),
                &ProviderFacts::default(),
            )
        })
    }

    /// A status change with no outbox effect (webhooks, a person settling).
    pub fn transition(
        &self,
        id: RequestId,
        to: RequestStatus,
        actor: &Actor,
        reason: Option<&str>,
        facts: &ProviderFacts,
    ) -> Result<RequestRecord> {
        self.write(|tx| transition_in(tx, id, to, actor, reason, facts))
    }

    /// The request a provider knows by `txn_id` on `account`.
    pub fn find_by_provider_txn(
        &self,
        account: AccountId,
        txn_id: &str,
    ) -> Result<Option<RequestRecord>> {
        self.read(|c| {
            c.query_row(
                &format!(
                    "SELECT {COLUMNS} FROM requests WHERE account_id = ?1 AND provider_txn_id = ?2"
                ),
                params![account.to_string(), txn_id],
                from_row,
            )
            .optional()
        })
    }

    /// Requests in `statuses` on `account` that a provider event for this
    /// user, amount and method could belong to (for settling unknown outcomes).
    pub fn match_candidates(
        &self,
        account: AccountId,
        kind: RequestKind,
        provider_user_id: &str,
        amount: &rust_decimal::Decimal,
        method: &str,
        statuses: &[RequestStatus],
    ) -> Result<Vec<RequestRecord>> {
        self.read(|c| {
            let mut st = c.prepare(&format!(
                "SELECT {COLUMNS} FROM requests WHERE account_id = ?1 AND kind = ?2
                 AND provider_user_id = ?3 AND method = ?4 ORDER BY created_ms"
            ))?;
            let rows = st.query_map(
                params![account.to_string(), kind.as_str(), provider_user_id, method],
                from_row,
            )?;
            let all: Vec<RequestRecord> = rows.collect::<Result<_, _>>()?;
            // Decimal equality is by value: 500 == 500.00.
            Ok(all
                .into_iter()
                .filter(|r| statuses.contains(&r.status) && r.money.amount == *amount)
                .collect())
        })
    }
}

/// A history line that does not change the status (e.g. a screenshot).
pub(crate) fn note_in(
    tx: &Db<'_>,
    id: RequestId,
    actor: &Actor,
    status: RequestStatus,
    why: &str,
) -> Result<()> {
    tx.execute(
        "INSERT INTO request_events (request_id, at_ms, actor, from_status, to_status, reason)
         VALUES (?1, ?2, ?3, ?4, ?4, ?5)",
        params![
            id.to_string(),
            now_ms(),
            actor.to_string(),
            status.as_str(),
            why
        ],
    )?;
    Ok(())
}

impl Store {
    /// The request the operator's platform filed as `intake_ref`.
    pub fn find_by_intake_ref(&self, intake_ref: &str) -> Result<Option<RequestRecord>> {
        self.read(|c| {
            c.query_row(
                &format!(
                    "SELECT {COLUMNS} FROM requests WHERE source = 'intake' AND intake_ref = ?1"
                ),
                params![intake_ref],
                from_row,
            )
            .optional()
        })
    }
}

impl Store {
    /// The request whose merchant reference (our id toward the provider) is `r`.
    pub fn find_by_merchant_ref(&self, r: &str) -> Result<Option<RequestRecord>> {
        self.read(|c| {
            c.query_row(
                &format!("SELECT {COLUMNS} FROM requests WHERE merchant_ref = ?1"),
                params![r],
                from_row,
            )
            .optional()
        })
    }
}

#[cfg(test)]
mod columns {
    #[test]
    fn column_count_matches_the_list() {
        assert_eq!(super::COLUMNS.split(',').count(), super::COLUMN_COUNT);
    }
}
