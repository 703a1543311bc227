//! Requests past their due time, announced once: the supervisors' breach
//! notice reads them here and marks them in the same transaction, so two
//! ticks (or a restart) never announce one request twice.

use crate::requests::{COLUMNS, from_row};
use crate::{RequestRecord, Result, Store};
use rusqlite::params;

/// How far back a tick looks: older breaches were announced, or are in the
/// attention list already; the range keeps each tick an index range.
pub const LOOK_BACK_MS: i64 = 24 * 3_600_000;

impl Store {
    /// Waiting requests whose due time passed (by `now_ms`) and that were
    /// not announced yet, oldest due first, marked as announced.
    pub fn take_breaches(&self, now_ms: i64, limit: u32) -> Result<Vec<RequestRecord>> {
        self.write(|tx| {
            let mut st = tx.prepare_cached(&format!(
                "SELECT {COLUMNS} FROM requests r
                 WHERE view = 'queue' AND due_ms > ?1 AND due_ms <= ?2
                 AND NOT EXISTS (SELECT 1 FROM breach_notices b WHERE b.request_id = r.id)
                 ORDER BY due_ms, seq LIMIT ?3"
            ))?;
            let found = st
                .query_map(params![now_ms - LOOK_BACK_MS, now_ms, limit], from_row)?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            let mut mark = tx.prepare_cached(
                "INSERT OR IGNORE INTO breach_notices (request_id, at_ms) VALUES (?1, ?2)",
            )?;
            for r in &found {
                mark.execute(params![r.id.to_string(), now_ms])?;
            }
            Ok(found)
        })
    }
}
