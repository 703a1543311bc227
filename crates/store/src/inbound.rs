//! Inbound provider events (webhooks, postbacks), deduplicated per account so
//! a redelivered event is recognised and not applied twice.

use crate::sql::{Db, OptionalExtension, Row, params};
use crate::{Result, Store, StoreError, from_ms, now_ms};
use cashdesk_domain::AccountId;

fn change_in(tx: &Db<'_>, c: &EventChange<'_>) -> Result<crate::RequestRecord> {
    let How::Pushed = c.how;
    let now = crate::requests::get_in(tx, c.id)?.status;
    if crate::outbox::SETTLE_BY_PUSH.contains(&now) {
        crate::outbox::settle_in(
            tx,
            c.id,
            c.to,
            c.actor,
            c.reason,
            c.facts,
            crate::outbox::SETTLE_BY_PUSH,
        )
    } else {
        crate::requests::transition_in(tx, c.id, c.to, c.actor, Some(c.reason), c.facts)
    }
}

/// A stored provider event.
#[derive(Debug, Clone)]
pub struct InboundEvent {
    pub dedup_key: String,
    pub received_at: chrono::DateTime<chrono::Utc>,
    /// The body as received (already verified then).
    pub payload: Vec<u8>,
    pub outcome: Option<String>,
}

fn event_row(r: &Row<'_>) -> Result<InboundEvent> {
    Ok(InboundEvent {
        dedup_key: r.get(0)?,
        received_at: from_ms(r.get(1)?),
        payload: r.get(2)?,
        outcome: r.get(3)?,
    })
}

/// A verified provider event and what it did, kept with the change it
/// made in one transaction: an event is never marked handled without its
/// change, nor changed without being marked (so a redelivery after a
/// failure in between is applied, and one after success is recognised).
#[derive(Debug, Clone, Copy)]
pub struct EventRecord<'a> {
    pub account: AccountId,
    pub dedup_key: &'a str,
    pub payload: &'a [u8],
    /// What it did, in words (shown to supervisors).
    pub outcome: &'a str,
    /// It settled nothing: a candidate for a supervisor to match by hand.
    pub unmatched: bool,
}

/// The change an event makes to a request.
#[derive(Debug, Clone, Copy)]
pub struct EventChange<'a> {
    pub id: cashdesk_domain::RequestId,
    pub to: cashdesk_domain::RequestStatus,
    pub actor: &'a cashdesk_domain::Actor,
    pub reason: &'a str,
    pub facts: &'a crate::ProviderFacts,
    pub how: How,
}

/// How a change applies to the request's lifecycle and outbox row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum How {
    /// A provider's pushed or polled word: settles (closing the outbox row
    /// in the same transaction) when the request is still sending or its
    /// outcome unknown, since the push may overtake the HTTP answer;
    /// otherwise a plain transition. Decided inside the transaction.
    Pushed,
}

/// What `apply_event` did.
#[derive(Debug)]
pub enum EventApplied {
    /// Seen before: nothing changed.
    Duplicate,
    /// Recorded, with the requests it changed, in the order given.
    Recorded(Vec<crate::RequestRecord>),
}

impl Store {
    /// Records `event` and applies its `changes` in one transaction: all
    /// of them or none (a Paykassma savings postback settles several
    /// requests at once).
    pub fn apply_event(
        &self,
        event: &EventRecord<'_>,
        changes: &[EventChange<'_>],
    ) -> Result<EventApplied> {
        self.write(|tx| {
            let n = tx.execute(
                "INSERT INTO inbound_events (account_id, dedup_key, received_ms, payload, outcome, unmatched)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT(account_id, dedup_key) DO NOTHING",
                params![
                    event.account.to_string(),
                    event.dedup_key,
                    now_ms(),
                    event.payload,
                    event.outcome,
                    event.unmatched
                ],
            )?;
            if n == 0 {
                return Ok(EventApplied::Duplicate);
            }
            let done = changes
                .iter()
                .map(|c| change_in(tx, c))
                .collect::<Result<Vec<_>>>()?;
            Ok(EventApplied::Recorded(done))
        })
    }

    /// Applies a change that no stored event carries (a status poll).
    pub fn apply_change(&self, change: &EventChange<'_>) -> Result<crate::RequestRecord> {
        self.write(|tx| change_in(tx, change))
    }

    /// Whether `(account, dedup_key)` was recorded before.
    pub fn inbound_seen(&self, account: AccountId, dedup_key: &str) -> Result<bool> {
        self.read(|c| {
            Ok(c.query_row(
                "SELECT 1 FROM inbound_events WHERE account_id = ?1 AND dedup_key = ?2",
                params![account.to_string(), dedup_key],
                |_| Ok(()),
            )
            .optional()?
            .is_some())
        })
    }

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
            rows.collect::<Result<_, _>>()
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
            tx.execute(
                "DELETE FROM inbound_events WHERE received_ms < ?1 AND unmatched = 0",
                params![before.timestamp_millis()],
            )
        })
    }
}
