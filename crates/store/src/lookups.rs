//! What providers answered when Cashdesk asked about a request. An unknown
//! outcome is decided by a person shown every lookup and its answer, so
//! they are kept, folded: the same answer to the same question again only
//! bumps the count and the time of the last one.

use crate::sql::{OptionalExtension, params};
use crate::{Result, Store, from_ms, now_ms};
use cashdesk_domain::RequestId;

/// One question asked of a provider and its answer, as often as it repeated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lookup {
    /// What was asked ("postback lookup by withdrawal_id cd-…").
    pub question: String,
    /// What the provider answered, in its words where it gave any.
    pub answer: String,
    pub first_at: chrono::DateTime<chrono::Utc>,
    pub last_at: chrono::DateTime<chrono::Utc>,
    pub times: i64,
}

impl Store {
    /// Records that `question` about `id` was answered with `answer`.
    pub fn record_lookup(&self, id: RequestId, question: &str, answer: &str) -> Result<()> {
        let now = now_ms();
        self.write(|tx| {
            let last: Option<(i64, String, String)> = tx
                .query_row(
                    "SELECT id, question, answer FROM lookups WHERE request_id = ?1 ORDER BY id DESC LIMIT 1",
                    params![id.to_string()],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .optional()?;
            match last {
                Some((row, q, a)) if q == question && a == answer => {
                    tx.execute(
                        "UPDATE lookups SET last_ms = ?2, times = times + 1 WHERE id = ?1",
                        params![row, now],
                    )?;
                }
                _ => {
                    tx.execute(
                        "INSERT INTO lookups (request_id, question, answer, first_ms, last_ms) VALUES (?1, ?2, ?3, ?4, ?4)",
                        params![id.to_string(), question, answer, now],
                    )?;
                }
            }
            Ok(())
        })
    }

    /// Every lookup about `id`, oldest first.
    pub fn lookups(&self, id: RequestId) -> Result<Vec<Lookup>> {
        self.read(|c| {
            let mut st = c.prepare(
                "SELECT question, answer, first_ms, last_ms, times FROM lookups WHERE request_id = ?1 ORDER BY id",
            )?;
            let rows = st.query_map(params![id.to_string()], |r| {
                Ok(Lookup {
                    question: r.get(0)?,
                    answer: r.get(1)?,
                    first_at: from_ms(r.get(2)?),
                    last_at: from_ms(r.get(3)?),
                    times: r.get(4)?,
                })
            })?;
            rows.collect::<Result<_, _>>()
        })
    }
}
