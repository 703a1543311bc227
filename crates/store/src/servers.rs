//! The servers running on this database, and which of them is sending each
//! outbox row. A team desk may run several servers on one PostgreSQL
//! database; a server that stops (kill -9, a lost machine) leaves its
//! `sending` rows behind, and another takes them over, in doubt (a
//! lookup before anything is sent again), once the dead one has not
//! beaten for longer than any call of its could still be under way.

use crate::outbox::{SELECT, row};
use crate::sql::{Db, params};
use crate::{OutboxRow, Result, Store, now_ms};

/// Forgets servers silent for a day (a desk alone registers at each start
/// and never beats): their rows are anyone's either way.
fn forget_silent(tx: &Db<'_>, now: i64) -> Result<()> {
    tx.execute(
        "DELETE FROM desk_servers WHERE beat_ms < ?1",
        params![now - 86_400_000],
    )?;
    Ok(())
}

impl Store {
    /// Registers this process's server as `id` (new at every start) and
    /// marks the rows it claims from now on as its own.
    pub fn register_server(&self, id: &str, host: &str) -> Result<()> {
        *self.server.write().unwrap_or_else(|e| e.into_inner()) = Some(id.to_owned());
        self.write(|tx| {
            let now = now_ms();
            tx.execute(
                "INSERT INTO desk_servers (id, host, started_ms, beat_ms) VALUES (?1, ?2, ?3, ?3)",
                params![id, host, now],
            )?;
            forget_silent(tx, now)
        })
    }

    /// This server is still running.
    pub fn beat(&self) -> Result<()> {
        let Some(id) = self.server_id() else {
            return Ok(());
        };
        self.write(|tx| {
            let now = now_ms();
            tx.execute(
                "UPDATE desk_servers SET beat_ms = ?2 WHERE id = ?1",
                params![id, now],
            )?;
            forget_silent(tx, now)
        })
    }

    /// This server stops cleanly: its rows are no longer anyone's to wait for.
    pub fn unregister_server(&self) -> Result<()> {
        let Some(id) = self.server_id() else {
            return Ok(());
        };
        self.write(|tx| {
            tx.execute("DELETE FROM desk_servers WHERE id = ?1", params![id])?;
            Ok(())
        })
    }

    /// The server id rows claimed here are marked with.
    pub fn server_id(&self) -> Option<String> {
        self.server
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Rows left `sending` by a server that is no longer running: one not
    /// registered, or silent for `dead_after_ms` (never this server's own,
    /// which its worker is sending now). `dead_after_ms = 0` takes every
    /// other server's rows: a desk alone, whose folder lock proves the
    /// previous process gone.
    /// Makes an orphaned row (as `orphaned_in_flight` finds them) this
    /// server's, so its outcome can be recorded here; false when another
    /// server adopted it first or its owner beat again meanwhile.
    pub fn adopt_in_flight(&self, outbox_id: i64, dead_after_ms: i64) -> Result<bool> {
        let me = self.server_id().unwrap_or_default();
        self.write(|tx| {
            let n = tx.execute(
                "UPDATE outbox SET owner = ?1 WHERE id = ?4 AND state = 'sending'
                   AND (owner IS NULL OR owner <> ?1)
                   AND NOT EXISTS (SELECT 1 FROM desk_servers s
                                    WHERE s.id = outbox.owner AND s.beat_ms >= ?2 AND ?3 > 0)",
                params![me, now_ms() - dead_after_ms, dead_after_ms, outbox_id],
            )?;
            Ok(n == 1)
        })
    }

    /// Gives back a row `adopt_in_flight` took whose outcome could not be
    /// recorded: anyone's again at the next look.
    pub fn release_adopted(&self, outbox_id: i64) -> Result<()> {
        let me = self.server_id().unwrap_or_default();
        self.write(|tx| {
            tx.execute(
                "UPDATE outbox SET owner = NULL WHERE id = ?1 AND owner = ?2 AND state = 'sending'",
                params![outbox_id, me],
            )?;
            Ok(())
        })
    }

    pub fn orphaned_in_flight(&self, dead_after_ms: i64) -> Result<Vec<OutboxRow>> {
        let me = self.server_id().unwrap_or_default();
        self.read(|c| {
            let mut st = c.prepare(&format!(
                "{SELECT} WHERE state = 'sending'
                   AND (owner IS NULL OR owner <> ?1)
                   AND NOT EXISTS (SELECT 1 FROM desk_servers s
                                    WHERE s.id = outbox.owner AND s.beat_ms >= ?2 AND ?3 > 0)
                 ORDER BY id"
            ))?;
            let rows = st.query_map(params![me, now_ms() - dead_after_ms, dead_after_ms], row)?;
            rows.collect()
        })
    }
}
