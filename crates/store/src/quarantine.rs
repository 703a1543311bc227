//! Provider items that could not be read, set aside so one bad item never
//! stops a feed: kept as sent, counted, shown, and released when it reads.

use crate::sql::params;
use crate::{Result, Store, StoreError, from_ms, now_ms};
use cashdesk_domain::AccountId;

/// One item set aside.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quarantined {
    pub account_id: AccountId,
    /// The provider's id for it, or a digest of the item when it had none.
    pub item_key: String,
    pub error: String,
    /// The item exactly as sent.
    pub raw: String,
    pub first_at: chrono::DateTime<chrono::Utc>,
    pub last_at: chrono::DateTime<chrono::Utc>,
    pub times: i64,
}

impl Store {
    /// Sets an unreadable item aside (or counts it again); `true` when new.
    pub fn quarantine(
        &self,
        account: AccountId,
        item_key: &str,
        error: &str,
        raw: &str,
    ) -> Result<bool> {
        let now = now_ms();
        self.write(|tx| {
            let n = tx.execute(
                "INSERT INTO quarantine (account_id, item_key, error, raw, first_ms, last_ms)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?5)
                 ON CONFLICT(account_id, item_key) DO NOTHING",
                params![account.to_string(), item_key, error, raw, now],
            )?;
            if n == 0 {
                tx.execute(
                    "UPDATE quarantine SET error = ?3, raw = ?4, last_ms = ?5, times = times + 1
                     WHERE account_id = ?1 AND item_key = ?2",
                    params![account.to_string(), item_key, error, raw, now],
                )?;
            }
            Ok(n == 1)
        })
    }

    /// The item reads now: it leaves the quarantine.
    pub fn release_quarantine(&self, account: AccountId, item_key: &str) -> Result<bool> {
        self.write(|tx| {
            Ok(tx.execute(
                "DELETE FROM quarantine WHERE account_id = ?1 AND item_key = ?2",
                params![account.to_string(), item_key],
            )? == 1)
        })
    }

    /// Everything set aside, most recent first.
    pub fn quarantined(&self) -> Result<Vec<Quarantined>> {
        self.read(|c| {
            let mut st = c.prepare(
                "SELECT account_id, item_key, error, raw, first_ms, last_ms, times
                 FROM quarantine ORDER BY last_ms DESC",
            )?;
            let rows = st.query_map(params![], |r| {
                let account: String = r.get(0)?;
                Ok(Quarantined {
                    account_id: account
                        .parse()
                        .map_err(|_| StoreError::Corrupt(format!("bad account_id {account:?}")))?,
                    item_key: r.get(1)?,
                    error: r.get(2)?,
                    raw: r.get(3)?,
                    first_at: from_ms(r.get(4)?),
                    last_at: from_ms(r.get(5)?),
                    times: r.get(6)?,
                })
            })?;
            rows.collect::<Result<_>>()
        })
    }
}
