//! Follow-up outbox rows: provider calls caused by a decision that is
//! already final, such as cancelling a rejected CashWeb deposit. The
//! rejection and its call commit together, so the agent never waits on the
//! network and the call is never lost; what the provider answers is
//! recorded in the audit log. A refusal (CashWeb: the deposit arrived
//! before the cancel) means the rejection could not be carried out: the
//! request goes to failed with the provider's words and real state, for a
//! person to decide again; nothing is left looking rejected while the
//! customer's coins sit uncredited.

use crate::outbox::{OutboxOutcome, OutboxRow};
use crate::requests::{ProviderFacts, get_in, transition_in};
use crate::sql::{Db, params};
use crate::{RequestRecord, Result, Store, audit, now_ms};
use cashdesk_domain::{Actor, RequestId, RequestStatus};

impl Store {
    /// The agent's rejection and the provider call it causes, in one
    /// transaction.
    pub fn reject_with_follow_up(
        &self,
        id: RequestId,
        actor: &Actor,
        reason: &str,
        effect: &str,
        payload: &serde_json::Value,
    ) -> Result<RequestRecord> {
        self.write(|tx| {
            crate::approvals::check_reject_in(tx, id, actor)?;
            let rec = transition_in(tx, id, RequestStatus::Rejected, actor, Some(reason), &ProviderFacts::default())?;
            let now = now_ms();
            tx.execute(
                "INSERT INTO outbox (request_id, account_id, effect, merchant_ref, payload_json, state, next_attempt_ms, created_ms, updated_ms, follow_up)
                 VALUES (?1, ?2, ?3, ?4, ?5, 'pending', ?6, ?6, ?6, 1)",
                params![id.to_string(), rec.account_id.to_string(), effect, rec.merchant_ref.0, payload.to_string(), now],
            )?;
            Ok(rec)
        })
    }

    /// Records the provider's own explanation on a request without
    /// changing its status (e.g. why a cancel was refused).
    pub fn set_provider_reason(
        &self,
        id: RequestId,
        actor: &Actor,
        reason: &str,
    ) -> Result<RequestRecord> {
        self.write(|tx| set_provider_reason_in(tx, id, actor, reason))
    }

    /// The provider's latest word on a request that stays where it is
    /// (e.g. CashWeb's confirmation count); not a transition.
    pub fn set_provider_status(&self, id: RequestId, status: &str) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "UPDATE requests SET provider_status = ?2, updated_ms = ?3, version = version + 1 WHERE id = ?1",
                params![id.to_string(), status, now_ms()],
            )?;
            Ok(())
        })
    }
}

fn set_provider_reason_in(
    tx: &Db<'_>,
    id: RequestId,
    actor: &Actor,
    reason: &str,
) -> Result<RequestRecord> {
    tx.execute(
        "UPDATE requests SET provider_reason = ?2, updated_ms = ?3, version = version + 1 WHERE id = ?1",
        params![id.to_string(), reason, now_ms()],
    )?;
    audit::append(
        tx,
        actor,
        "request.provider_reason",
        &id.to_string(),
        &serde_json::json!({ "provider_reason": reason }),
    )?;
    get_in(tx, id)
}

/// What one attempt of a follow-up row produced: the row's state and an
/// audit entry; the request's status is left alone.
pub(crate) fn record_in(
    tx: &Db<'_>,
    r: &OutboxRow,
    outcome: &OutboxOutcome,
) -> Result<RequestRecord> {
    let (state, next, err, what) = match outcome {
        OutboxOutcome::Accepted { status, .. } | OutboxOutcome::Completed { status } => {
            ("done", None, None, format!("accepted ({status})"))
        }
        OutboxOutcome::Rejected { reason } => ("failed", None, Some(reason), "refused".into()),
        OutboxOutcome::Failed { reason } => ("failed", None, Some(reason), "failed".into()),
        OutboxOutcome::Retry { at_ms, reason } => (
            "pending",
            Some(*at_ms),
            Some(reason),
            "not delivered, will retry".into(),
        ),
        OutboxOutcome::Unknown { reason } => {
            ("unknown", None, Some(reason), "outcome unknown".into())
        }
    };
    tx.execute(
        "UPDATE outbox SET state = ?2, next_attempt_ms = COALESCE(?3, next_attempt_ms), last_error = ?4, updated_ms = ?5 WHERE id = ?1",
        params![r.id, state, next, err, now_ms()],
    )?;
    audit::append(
        tx,
        &Actor::System,
        &format!("outbox.{}", r.effect),
        &r.request_id.to_string(),
        &serde_json::json!({ "attempt": r.attempts, "result": what, "error": err }),
    )?;
    if let OutboxOutcome::Rejected { reason } = outcome {
        let rec = get_in(tx, r.request_id)?;
        if rec.status == RequestStatus::Rejected {
            return transition_in(
                tx,
                r.request_id,
                RequestStatus::Failed,
                &Actor::System,
                Some(reason),
                &ProviderFacts {
                    reason: Some(reason.clone()),
                    ..ProviderFacts::default()
                },
            );
        }
        return set_provider_reason_in(tx, r.request_id, &Actor::System, reason);
    }
    get_in(tx, r.request_id)
}

#[cfg(test)]
#[path = "follow_up_tests.rs"]
mod tests;
