//! What a supervisor reads: everything that needs a person, oldest first,
//! and the audit log filtered. Each part of the attention list is its own
//! indexed, limited query, so it stays cheap at a million requests.

use crate::audit::AuditEntry;
use crate::requests::{COLUMNS, RequestRecord, from_row};
use crate::sql::params;
use crate::{Result, Store, from_ms, now_ms};

/// Why a request needs a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NeedsPerson {
    OutcomeUnknown,
    AmountDiffers,
    Failed,
    SecondApproval,
    /// Pending longer than the desk's SLA.
    PastSla,
    /// A deposit that expired although the customer may have paid (it has
    /// a TrxID or a provider transaction).
    ExpiredMaybePaid,
}

/// Filters for the audit log; `None`: any.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    /// Entries by this operator (their id).
    pub operator: Option<cashdesk_domain::OperatorId>,
    /// Entries about this subject (`request:{id}`, `operator:{id}` …).
    pub subject: Option<String>,
    pub action: Option<String>,
    pub since_ms: Option<i64>,
    pub until_ms: Option<i64>,
    /// Entries before this seq (the next page, newest first).
    pub before_seq: Option<i64>,
    pub limit: u32,
}

impl Store {
    /// Up to `limit` requests of each kind that needs a person, oldest
    /// first overall. Past its SLA: past the stored due time (the
    /// provider's deadline, the method's SLA or the desk's).
    pub fn attention(&self, limit: u32) -> Result<Vec<(NeedsPerson, RequestRecord)>> {
        let now = now_ms();
        let week_ago = now - 7 * 24 * 3600 * 1000;
        let parts: [(NeedsPerson, String, Vec<i64>); 6] = [
            (
                NeedsPerson::OutcomeUnknown,
                "status = 'outcome_unknown'".into(),
                vec![],
            ),
            (
                NeedsPerson::AmountDiffers,
                "status = 'amount_differs'".into(),
                vec![],
            ),
            (NeedsPerson::Failed, "status = 'failed'".into(), vec![]),
            (
                NeedsPerson::SecondApproval,
                "status = 'awaiting_second_approval'".into(),
                vec![],
            ),
            (
                NeedsPerson::PastSla,
                "view = 'queue' AND status = 'pending' AND due_ms < ?1".into(),
                vec![now],
            ),
            (
                NeedsPerson::ExpiredMaybePaid,
                "status = 'expired' AND kind = 'deposit' AND updated_ms >= ?1
                 AND (trx_id IS NOT NULL OR provider_txn_id IS NOT NULL)"
                    .into(),
                vec![week_ago],
            ),
        ];
        self.read(|c| {
            let mut out = Vec::new();
            for (why, cond, args) in parts {
                let n = args.len() + 1;
                let sql = format!(
                    "SELECT {COLUMNS} FROM requests WHERE {cond} ORDER BY created_ms, seq LIMIT ?{n}"
                );
                let mut st = c.prepare_cached(&sql)?;
                let mut values: Vec<crate::sql::Value> =
                    args.into_iter().map(crate::sql::Value::from).collect();
                values.push(i64::from(limit).into());
                let rows = st.query_map(&crate::sql::dynamic(&values), from_row)?;
                for r in rows {
                    out.push((why, r?));
                }
            }
            out.sort_by_key(|(_, r)| r.created_at);
            out.truncate(limit as usize);
            Ok(out)
        })
    }

    /// Audit entries matching `f`, newest first.
    pub fn audit_page(&self, f: &AuditFilter) -> Result<Vec<AuditEntry>> {
        // A range on the actor text ("operator:{id}:" up to the next
        // character), which the index serves, rather than a LIKE.
        let from = f.operator.map(|o| format!("operator:{o}:"));
        let to = f.operator.map(|o| format!("operator:{o};"));
        self.read(|c| {
            let mut st = c.prepare_cached(
                "SELECT seq, at_ms, actor, action, subject, details_json FROM audit_log
                 WHERE (CAST(?1 AS TEXT) IS NULL OR (actor >= ?1 AND actor < ?8))
                   AND (CAST(?2 AS TEXT) IS NULL OR subject = ?2)
                   AND (CAST(?3 AS TEXT) IS NULL OR action = ?3) AND (CAST(?4 AS BIGINT) IS NULL OR at_ms >= ?4)
                   AND (CAST(?5 AS BIGINT) IS NULL OR at_ms < ?5) AND (CAST(?6 AS BIGINT) IS NULL OR seq < ?6)
                 ORDER BY seq DESC LIMIT ?7",
            )?;
            let rows = st.query_map(
                params![
                    from,
                    f.subject,
                    f.action,
                    f.since_ms,
                    f.until_ms,
                    f.before_seq,
                    f.limit.clamp(1, 1000),
                    to
                ],
                |r| {
                    let details: String = r.get(5)?;
                    Ok(AuditEntry {
                        seq: r.get(0)?,
                        at: from_ms(r.get(1)?),
                        actor: r.get(2)?,
                        action: r.get(3)?,
                        subject: r.get(4)?,
                        details: serde_json::from_str(&details).unwrap_or(serde_json::Value::Null),
                    })
                },
            )?;
            rows.collect::<Result<_, _>>()
        })
    }
}
