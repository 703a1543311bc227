//! Inbound provider events (webhooks, postbacks), deduplicated per account so
//! a redelivered event is recognised and not applied twice.

use crate::{Result, Store, now_ms};
use cashdesk_domain::AccountId;
use rusqlite::params;

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
}
