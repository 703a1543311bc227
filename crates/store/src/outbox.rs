//! The outbox: one row per provider effect, created in the same transaction
//! as the decision that causes it. The worker claims a row (durably marking
//! it `sending` and the request `submitting`) before any byte goes out, so
//! after a crash a `sending` row means "may have been sent".

use crate::requests::{ProviderFacts, get_in, transition_in};
use crate::sql::{Db, OptionalExtension, Row, params};
use crate::{Result, Store, StoreError, audit, now_ms};
use cashdesk_domain::{AccountId, Actor, MerchantRef, RequestId, RequestStatus};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutboxState {
    Pending,
    Sending,
    Unknown,
    Done,
    Failed,
}

impl OutboxState {
    fn parse(s: &str) -> Self {
        match s {
            "sending" => Self::Sending,
            "unknown" => Self::Unknown,
            "done" => Self::Done,
            "failed" => Self::Failed,
            _ => Self::Pending,
        }
    }
}

#[derive(Debug, Clone)]
pub struct OutboxRow {
    pub id: i64,
    pub request_id: RequestId,
    pub account_id: AccountId,
    pub effect: String,
    pub merchant_ref: MerchantRef,
    pub payload: serde_json::Value,
    pub state: OutboxState,
    pub attempts: i64,
    pub last_error: Option<String>,
    /// Sent after a final decision; never moves the request's lifecycle.
    pub follow_up: bool,
}

/// What came of one delivery attempt.
#[derive(Debug, Clone)]
pub enum OutboxOutcome {
    /// The provider accepted; its final answer comes later.
    Accepted { txn_id: String, status: String },
    /// The provider refused for a business reason (shown to the agent).
    Rejected { reason: String },
    /// Refused in a way a person must fix (auth, validation, config).
    Failed { reason: String },
    /// Certainly not delivered (connect refused, 429): try again at `at_ms`.
    Retry { at_ms: i64, reason: String },
    /// May or may not have arrived and cannot be looked up: never resend.
    Unknown { reason: String },
    /// The provider's word settles it now (CashWeb: a confirmed deposit
    /// is credited on a fresh fetch).
    Completed { status: String },
}

pub(crate) const SELECT: &str = "SELECT id, request_id, account_id, effect, merchant_ref, payload_json, state, attempts, last_error, follow_up FROM outbox";

/// `account_id` is not among the JSON array of ids in parameter `p`.
fn not_held(db: &Db<'_>, p: &str) -> String {
    match db.engine() {
        crate::Engine::Sqlite => format!("account_id NOT IN (SELECT value FROM json_each({p}))"),
        crate::Engine::Postgres => {
            format!("account_id NOT IN (SELECT jsonb_array_elements_text(CAST({p} AS jsonb)))")
        }
    }
}

pub(crate) fn row(r: &Row<'_>) -> Result<OutboxRow> {
    let bad = |what: &str| StoreError::Corrupt(format!("bad outbox {what}"));
    let payload: String = r.get(5)?;
    Ok(OutboxRow {
        id: r.get(0)?,
        request_id: r
            .get::<_, String>(1)?
            .parse()
            .map_err(|_| bad("request id"))?,
        account_id: r
            .get::<_, String>(2)?
            .parse()
            .map_err(|_| bad("account id"))?,
        effect: r.get(3)?,
        merchant_ref: MerchantRef(r.get(4)?),
        payload: serde_json::from_str(&payload).map_err(|_| bad("payload"))?,
        state: OutboxState::parse(&r.get::<_, String>(6)?),
        attempts: r.get(7)?,
        last_error: r.get(8)?,
        follow_up: r.get::<_, i64>(9)? != 0,
    })
}

impl Store {
    /// Takes the next due row: marks it `sending` and its request
    /// `submitting` durably, before the caller sends anything.
    pub fn claim_next(&self, now: i64) -> Result<Option<OutboxRow>> {
        self.claim_next_except(now, &[])
    }

    /// As `claim_next`, leaving the rows of `held` accounts (offline: no
    /// attempt is made until they are reachable again) where they are.
    pub fn claim_next_except(&self, now: i64, held: &[AccountId]) -> Result<Option<OutboxRow>> {
        let held = held_json(held);
        let owner = self.server_id();
        self.write(|tx| {
            let Some(mut r) = tx
                .query_row(&format!("{SELECT} WHERE state = 'pending' AND next_attempt_ms <= ?1
                    AND {} ORDER BY next_attempt_ms, id LIMIT 1", not_held(tx, "?2")), params![now, held], row)
                .optional()?
            else {
                return Ok(None);
            };
            tx.execute("UPDATE outbox SET state = 'sending', attempts = attempts + 1, updated_ms = ?2, owner = ?3 WHERE id = ?1", params![r.id, now_ms(), owner])?;
            if !r.follow_up { transition_in(tx, r.request_id, RequestStatus::Submitting, &Actor::System, Some(&format!("sending {} (attempt {})", r.effect, r.attempts + 1)), &ProviderFacts::default())?; }
            r.state = OutboxState::Sending;
            r.attempts += 1;
            Ok(Some(r))
        })
    }

    /// Records what one attempt produced, with the matching request transition.
    pub fn record_outcome(
        &self,
        outbox_id: i64,
        outcome: &OutboxOutcome,
    ) -> Result<crate::RequestRecord> {
        let me = self.server_id();
        self.write(|tx| {
            let r = tx
                .query_row(&format!("{SELECT} WHERE id = ?1"), params![outbox_id], row)
                .optional()?
                .ok_or_else(|| StoreError::NotFound(format!("outbox entry {outbox_id}")))?;
            // A server that was taken for stopped (it was only slow) while
            // another took the row over and sent it again: the other's
            // attempt is the row's now, and only its answer is recorded.
            let owner: Option<String> = tx.query_row("SELECT owner FROM outbox WHERE id = ?1", params![outbox_id], |r| r.get(0))?;
            if let (Some(me), Some(owner)) = (me.as_deref(), owner.as_deref())
                && me != owner
            {
                // Kept in the log for whoever settles it by hand.
                tracing::warn!(outbox = outbox_id, request = %r.request_id, now_with = owner,
                    "a late answer from this server was not recorded: {outcome:?}");
                return get_in(tx, r.request_id);
            }
            if r.state != OutboxState::Sending {
                // Already settled by the provider's own word (a webhook can
                // overtake the HTTP answer): that word stands.
                return get_in(tx, r.request_id);
            }
            if r.follow_up {
                return crate::follow_up::record_in(tx, &r, outcome);
            }
            let current = get_in(tx, r.request_id)?;
            if current.status != RequestStatus::Submitting {
                // Settled meanwhile by the provider's word (a push that
                // overtook the answer, in a database from before pushes
                // closed the row): that word stands, the row is closed.
                tx.execute("UPDATE outbox SET state = 'done', updated_ms = ?2 WHERE id = ?1", params![outbox_id, now_ms()])?;
                return Ok(current);
            }
            let (state, next, err, to, facts, why) = match outcome {
                OutboxOutcome::Accepted { txn_id, status } => ("done", None, None, RequestStatus::AwaitingProvider,
                    ProviderFacts { txn_id: Some(txn_id.clone()), status: Some(status.clone()), ..Default::default() }, Some(format!("accepted by the provider: {status}"))),
                OutboxOutcome::Rejected { reason } => ("failed", None, Some(reason.clone()), RequestStatus::RejectedByProvider,
                    ProviderFacts { reason: Some(reason.clone()), ..Default::default() }, Some(reason.clone())),
                OutboxOutcome::Failed { reason } => ("failed", None, Some(reason.clone()), RequestStatus::Failed,
                    ProviderFacts { reason: Some(reason.clone()), ..Default::default() }, Some(reason.clone())),
                OutboxOutcome::Retry { at_ms, reason } => ("pending", Some(*at_ms), Some(reason.clone()), RequestStatus::Approved,
                    ProviderFacts::default(), Some(format!("not delivered, will retry: {reason}"))),
                OutboxOutcome::Unknown { reason } => ("unknown", None, Some(reason.clone()), RequestStatus::OutcomeUnknown,
                    ProviderFacts::default(), Some(format!("{reason} — check with the provider before sending again"))),
                OutboxOutcome::Completed { status } => ("done", None, None, RequestStatus::Completed,
                    ProviderFacts { status: Some(status.clone()), ..Default::default() }, Some(format!("the provider reports it done: {status}"))),
            };
            tx.execute(
                "UPDATE outbox SET state = ?2, next_attempt_ms = COALESCE(?3, next_attempt_ms), last_error = ?4, updated_ms = ?5 WHERE id = ?1",
                params![outbox_id, state, next, err, now_ms()],
            )?;
            transition_in(tx, r.request_id, to, &Actor::System, why.as_deref(), &facts)
        })
    }

    /// Rows left `sending` by a crash: the call may have gone out.
    pub fn in_flight(&self) -> Result<Vec<OutboxRow>> {
        self.read(|c| {
            let mut st = c.prepare(&format!("{SELECT} WHERE state = 'sending' ORDER BY id"))?;
            let rows = st.query_map(params![], row)?;
            rows.collect::<Result<_, _>>()
        })
    }

    pub fn outbox_for(&self, request: RequestId) -> Result<Vec<OutboxRow>> {
        self.read(|c| {
            let mut st = c.prepare(&format!("{SELECT} WHERE request_id = ?1 ORDER BY id"))?;
            let rows = st.query_map(params![request.to_string()], row)?;
            rows.collect::<Result<_, _>>()
        })
    }

    /// Settles a request whose outcome is unknown (by a lookup's evidence
    /// or a person), closing its outbox row in the same transaction.
    /// Refused for any other status: a call still sending cannot be
    /// settled, nor sent again, by anyone.
    pub fn settle(
        &self,
        id: RequestId,
        to: RequestStatus,
        actor: &Actor,
        reason: &str,
        facts: &ProviderFacts,
    ) -> Result<crate::RequestRecord> {
        self.write(|tx| settle_in(tx, id, to, actor, reason, facts, SETTLE_FROM))
    }

    /// When the next pending row is due, so the worker can sleep until then.
    /// The account is reachable again: its waiting calls are due now
    /// instead of at the end of their backoff. Returns how many.
    pub fn wake_account(&self, account: AccountId) -> Result<usize> {
        self.write(|tx| {
            tx.execute(
                "UPDATE outbox SET next_attempt_ms = ?2 WHERE account_id = ?1 AND state = 'pending' AND next_attempt_ms > ?2",
                params![account.to_string(), now_ms()],
            )
        })
    }

    pub fn next_due_ms(&self) -> Result<Option<i64>> {
        self.next_due_ms_except(&[])
    }

    /// When the next row of an account not in `held` is due.
    pub fn next_due_ms_except(&self, held: &[AccountId]) -> Result<Option<i64>> {
        let held = held_json(held);
        self.read(|c| {
            c.query_row(
                &format!(
                    "SELECT MIN(next_attempt_ms) FROM outbox WHERE state = 'pending' AND {}",
                    not_held(c, "?1")
                ),
                params![held],
                |r| r.get(0),
            )
        })
    }
}

fn held_json(held: &[AccountId]) -> String {
    serde_json::Value::from(held.iter().map(|a| a.to_string()).collect::<Vec<_>>()).to_string()
}

/// What [`Store::settle`] accepts: an unknown outcome, or an amount that
/// differs (a person accepts what the provider settled).
pub(crate) const SETTLE_FROM: &[RequestStatus] =
    &[RequestStatus::OutcomeUnknown, RequestStatus::AmountDiffers];

/// What a provider's pushed word may settle: a call still sending (the
/// push overtook the HTTP answer, which then changes nothing) or one whose
/// outcome is unknown.
pub(crate) const SETTLE_BY_PUSH: &[RequestStatus] =
    &[RequestStatus::OutcomeUnknown, RequestStatus::Submitting];

/// Settles a request in the caller's transaction: the transition, its
/// outbox row closed (or back to pending for "not received"), audited.
/// `from` lists the statuses it may be settled from; a final status is
/// left to the transition check, so a racing settle reads "already settled".
pub(crate) fn settle_in(
    tx: &Db<'_>,
    id: RequestId,
    to: RequestStatus,
    actor: &Actor,
    reason: &str,
    facts: &ProviderFacts,
    from: &[RequestStatus],
) -> Result<crate::RequestRecord> {
    crate::approvals::check_settle_in(tx, id, actor)?;
    let current = get_in(tx, id)?;
    if !current.status.is_terminal() && !from.contains(&current.status) {
        return Err(StoreError::Conflict(format!(
            "only a request whose outcome is unknown (or whose amount differs) can be settled; this one is {}",
            current.status.label()
        )));
    }
    let rec = transition_in(tx, id, to, actor, Some(reason), facts)?;
    let state = if to == RequestStatus::Approved {
        "pending"
    } else {
        "done"
    };
    tx.execute(
        "UPDATE outbox SET state = ?2, updated_ms = ?3, next_attempt_ms = ?3 WHERE request_id = ?1 AND state IN ('unknown','sending')",
        params![id.to_string(), state, now_ms()],
    )?;
    audit::append(
        tx,
        actor,
        "request.settled",
        &id.to_string(),
        &serde_json::json!({"from": current.status.as_str(), "to": to.as_str(), "reason": reason}),
    )?;
    Ok(rec)
}
