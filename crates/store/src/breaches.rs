//! Requests past their due time, announced once: the supervisors' breach
//! notice reads them here and marks them in the same transaction, so two
//! ticks (or a restart) never announce one request twice.

use crate::requests::{COLUMNS, from_row};
use crate::sql::params;
use crate::{RequestRecord, Result, Store};

/// How far back the first look after a start goes: older breaches were
/// announced, or are in the attention list already.
pub const LOOK_BACK_MS: i64 = 24 * 3_600_000;

impl Store {
    /// Waiting requests whose due time passed after `since_ms` and by
    /// `now_ms` and that were not announced yet, oldest due first, marked as
    /// announced. The watcher passes its last look as `since_ms`, so an idle
    /// desk reads only what fell due since (not a day's backlog each time).
    pub fn take_breaches(
        &self,
        since_ms: i64,
        now_ms: i64,
        limit: u32,
    ) -> Result<Vec<RequestRecord>> {
        self.write(|tx| {
            let mut st = tx.prepare_cached(&format!(
                "SELECT {COLUMNS} FROM requests r
                 WHERE view = 'queue' AND due_ms > ?1 AND due_ms <= ?2
                 AND NOT EXISTS (SELECT 1 FROM breach_notices b WHERE b.request_id = r.id)
                 ORDER BY due_ms, seq LIMIT ?3"
            ))?;
            let found = st
                .query_map(params![since_ms, now_ms, limit], from_row)?
                .collect::<Result<Vec<_>>>()?;
            let mut mark = tx.prepare_cached(
                "INSERT INTO breach_notices (request_id, at_ms) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
            )?;
            for r in &found {
                mark.execute(params![r.id.to_string(), now_ms])?;
            }
            Ok(found)
        })
    }
}
