//! Inbound provider events (webhooks, postbacks), deduplicated per account so
//! a redelivered event is recognised and not applied twice.

use crate::{Result, Store, StoreError, from_ms, now_ms};
use cashdesk_domain::AccountId;
use rusqlite::{OptionalExtension, params};

/// A stored provider event.
#[derive(Debug, Clone)]
pub struct InboundEvent {
    pub dedup_key: String,
    pub received_at: chrono::DateTime<chrono::Utc>,
    /// The body as received (already verified then).
    pub payload: Vec<u8>,
    pub outcome: Option<String>,
}

fn event_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<InboundEvent> {
    Ok(InboundEvent {
        dedup_key: r.get(0)?,
        received_at: from_ms(r.get(1)?),
        payload: r.get(2)?,
        outcome: r.get(3)?,
    })
}

impl Store {
    /// Records an event; `false` when `(account, dedup_key)` was seen before.
    pub fn record_inbound(
        &self,
        account: AccountId,
        dedup_key: &str,
        payload: &[u8],
    ) -> Result<bool> {
        self.write(|tx| {
            let n = tx.execute(
                "INSERT INTO inbound_events (account_id, dedup_key, received_ms, payload) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT(account_id, dedup_key) DO NOTHING",
                params![account.to_string(), dedup_key, now_ms(), payload],
            )?;
            Ok(n == 1)
        })
    }

    pub fn set_inbound_outcome(
        &self,
        account: AccountId,
        dedup_key: &str,
        outcome: &str,
    ) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "UPDATE inbound_events SET outcome = ?3 WHERE account_id = ?1 AND dedup_key = ?2",
                params![account.to_string(), dedup_key, outcome],
            )?;
            Ok(())
        })
    }

    /// Marks an event as one that settled nothing: a candidate for a
    /// supervisor to match by hand.
    pub fn mark_inbound_unmatched(&self, account: AccountId, dedup_key: &str) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "UPDATE inbound_events SET unmatched = 1 WHERE account_id = ?1 AND dedup_key = ?2",
                params![account.to_string(), dedup_key],
            )?;
            Ok(())
        })
    }

    /// Unmatched events of `account` received since `since`, newest first.
    pub fn unmatched_inbound(
        &self,
        account: AccountId,
        since: chrono::DateTime<chrono::Utc>,
        limit: u32,
    ) -> Result<Vec<InboundEvent>> {
        self.read(|c| {
            let mut st = c.prepare(
                "SELECT dedup_key, received_ms, payload, outcome FROM inbound_events
                 WHERE account_id = ?1 AND unmatched = 1 AND received_ms >= ?2
                 ORDER BY received_ms DESC LIMIT ?3",
            )?;
            let rows = st.query_map(
                params![account.to_string(), since.timestamp_millis(), limit],
                event_row,
            )?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
    }

    /// One unmatched event, by its key.
    pub fn unmatched_event(&self, account: AccountId, dedup_key: &str) -> Result<InboundEvent> {
        self.read(|c| {
            c.query_row(
                "SELECT dedup_key, received_ms, payload, outcome FROM inbound_events
                 WHERE account_id = ?1 AND dedup_key = ?2 AND unmatched = 1",
                params![account.to_string(), dedup_key],
                event_row,
            )
            .optional()?
            .ok_or_else(|| StoreError::NotFound(format!("unmatched event {dedup_key}")))
        })
    }

    /// Settles a request whose outcome was unknown with a provider event a
    /// person matched to it; the event stops being a candidate.
    pub fn settle_with_event(
        &self,
        id: cashdesk_domain::RequestId,
        to: cashdesk_domain::RequestStatus,
        actor: &cashdesk_domain::Actor,
        why: &str,
        facts: &crate::ProviderFacts,
        (account, dedup_key): (AccountId, &str),
    ) -> Result<crate::RequestRecord> {
        self.write(|tx| {
            let n = tx.execute(
                "UPDATE inbound_events SET unmatched = 0, outcome = ?3 WHERE account_id = ?1 AND dedup_key = ?2 AND unmatched = 1",
                params![account.to_string(), dedup_key, format!("matched by hand to request {id}")],
            )?;
            if n == 0 {
                return Err(StoreError::Conflict(
                    "this provider event was already used to settle a request".into(),
                ));
            }
            crate::outbox::settle_in(tx, id, to, actor, why, facts, crate::outbox::SETTLE_FROM)
        })
    }

    /// Forgets handled events received before `before` (kept long enough
    /// that a provider's redelivery is still recognised: callers keep at
    /// least three days). Unmatched ones stay until a person uses them.
    pub fn prune_inbound(&self, before: chrono::DateTime<chrono::Utc>) -> Result<usize> {
        self.write(|tx| {
            Ok(tx.execute(
                "DELETE FROM inbound_events WHERE received_ms < ?1 AND unmatched = 0",
                [before.timestamp_millis()],
            )?)
        })
    }
}
