//! Claims: the person deciding a request holds it for a short lease, so two
//! people never decide one request. Checked inside every deciding write
//! (approve, reject, settle), so it holds across processes sharing one
//! database, not only in one window.

use crate::operators::roles_in;
use crate::sql::{Db, OptionalExtension, params};
use crate::{Result, Store, StoreError, from_ms, now_ms};
use cashdesk_domain::{Actor, OperatorId, OperatorRef, RequestId, Role};

#[derive(Debug, Clone, PartialEq)]
pub struct Claim {
    pub request_id: RequestId,
    pub by: OperatorRef,
    pub since: chrono::DateTime<chrono::Utc>,
    pub until: chrono::DateTime<chrono::Utc>,
}

fn live_in(tx: &Db<'_>, id: RequestId) -> Result<Option<Claim>> {
    let row = tx
        .prepare_cached(
            "SELECT operator_id, operator_name, since_ms, until_ms FROM claims
             WHERE request_id = ?1 AND until_ms > ?2",
        )?
        .query_row(params![id.to_string(), now_ms()], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, i64>(3)?,
            ))
        })
        .optional()?;
    Ok(row.map(|(op, name, since, until)| Claim {
        request_id: id,
        by: OperatorRef::new(op.parse().unwrap_or(OperatorId(uuid::Uuid::nil())), name),
        since: from_ms(since),
        until: from_ms(until),
    }))
}

fn held_by_other(claim: &Claim) -> StoreError {
    StoreError::Claimed {
        by: claim.by.name.clone(),
        since: claim.since.format("%H:%M UTC").to_string(),
    }
}

/// Refuses a decision on a request someone else holds a live claim on.
pub(crate) fn check_claim_in(tx: &Db<'_>, id: RequestId, actor: &Actor) -> Result<()> {
    let Some(me) = actor.operator_ref() else {
        // The provider's word and Cashdesk's own steps are not people deciding.
        return Ok(());
    };
    match live_in(tx, id)? {
        Some(c) if c.by.id != me.id => Err(held_by_other(&c)),
        _ => Ok(()),
    }
}

/// Writes the claim and returns it as written (not re-read against the
/// clock: a lease shorter than the write must still come back).
fn put(tx: &Db<'_>, id: RequestId, by: &OperatorRef, since: i64, lease_ms: i64) -> Result<Claim> {
    let until = now_ms() + lease_ms;
    tx.execute(
        "INSERT INTO claims (request_id, operator_id, operator_name, since_ms, until_ms)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT(request_id) DO UPDATE SET operator_id = excluded.operator_id,
            operator_name = excluded.operator_name, since_ms = excluded.since_ms,
            until_ms = excluded.until_ms",
        params![id.to_string(), by.id.to_string(), by.name, since, until],
    )?;
    Ok(Claim {
        request_id: id,
        by: by.clone(),
        since: from_ms(since),
        until: from_ms(until),
    })
}

impl Store {
    /// Claims `id` for `by` for `lease_ms`, or renews their claim. Refused
    /// (`Claimed`) while another operator's claim is live.
    pub fn claim(&self, id: RequestId, by: &OperatorRef, lease_ms: i64) -> Result<Claim> {
        self.write(|tx| {
            crate::requests::get_in(tx, id)?;
            let since = match live_in(tx, id)? {
                Some(c) if c.by.id != by.id => return Err(held_by_other(&c)),
                Some(c) => c.since.timestamp_millis(),
                None => now_ms(),
            };
            put(tx, id, by, since, lease_ms)
        })
    }

    /// Lets go of `by`'s claim on `id` (moving on, or after deciding).
    pub fn release_claim(&self, id: RequestId, by: OperatorId) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "DELETE FROM claims WHERE request_id = ?1 AND operator_id = ?2",
                params![id.to_string(), by.to_string()],
            )?;
            Ok(())
        })
    }

    /// A supervisor takes over whatever claim `id` has (audited).
    pub fn take_over_claim(&self, id: RequestId, actor: &Actor, lease_ms: i64) -> Result<Claim> {
        self.write(|tx| {
            let Some(me) = actor.operator_ref() else {
                return Err(StoreError::NotAllowed(
                    "only a person takes over a claim".into(),
                ));
            };
            if !roles_in(tx, actor)?.has(Role::Supervisor) {
                return Err(StoreError::NotAllowed(
                    "needs a supervisor to take over a claim".into(),
                ));
            }
            let before = live_in(tx, id)?;
            let claim = put(tx, id, me, now_ms(), lease_ms)?;
            crate::audit::append(
                tx,
                actor,
                "claim.take_over",
                &format!("request:{id}"),
                &serde_json::json!({ "from": before.map(|c| c.by.name) }),
            )?;
            Ok(claim)
        })
    }

    /// The live claim on `id`, if any.
    pub fn claim_of(&self, id: RequestId) -> Result<Option<Claim>> {
        self.read(|c| live_in(c, id))
    }
}
