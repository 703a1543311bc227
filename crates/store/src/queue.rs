//! The queue: keyset-paginated listing that stays instant at a million rows.
//! Each tab is one `view` value, so a page is one index range scan.

use crate::requests::{COLUMNS, from_row};
use crate::{Result, Store};
use cashdesk_domain::{ProviderKind, RequestKind, RequestStatus};
use rusqlite::types::Value;
use serde::{Deserialize, Serialize};

/// The queue's tabs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QueueView {
    /// Waiting for a decision.
    Queue,
    /// Decided, on its way to or at the provider.
    InFlight,
    /// Failed or outcome unknown: a person must look.
    Attention,
    Done,
}

impl QueueView {
    pub fn of(status: RequestStatus) -> QueueView {
        use RequestStatus::*;
        match status {
            Pending | AwaitingSecondApproval => Self::Queue,
            Approved | Submitting | AwaitingProvider => Self::InFlight,
            Failed | OutcomeUnknown | AmountDiffers => Self::Attention,
            Completed | RejectedByProvider | Rejected | Expired => Self::Done,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Queue => "queue",
            Self::InFlight => "in_flight",
            Self::Attention => "attention",
            Self::Done => "done",
        }
    }

    /// Oldest first where work is waiting; newest first in the archive.
    fn newest_first(self) -> bool {
        matches!(self, Self::Done)
    }
}

/// Position after the last row of a page: (created_ms, seq).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cursor {
    pub created_ms: i64,
    pub seq: i64,
}

impl Cursor {
    pub fn encode(&self) -> String {
        format!("{}.{}", self.created_ms, self.seq)
    }
    pub fn decode(s: &str) -> Option<Cursor> {
        let (a, b) = s.split_once('.')?;
        Some(Cursor {
            created_ms: a.parse().ok()?,
            seq: b.parse().ok()?,
        })
    }
}

#[derive(Debug, Clone)]
pub struct QueueFilter {
    pub view: QueueView,
    /// Narrows to one status within the view.
    pub status: Option<RequestStatus>,
    pub provider: Option<ProviderKind>,
    pub kind: Option<RequestKind>,
    pub after: Option<Cursor>,
    pub limit: u32,
}

impl QueueFilter {
    pub fn view(view: QueueView) -> Self {
        Self {
            view,
            status: None,
            provider: None,
            kind: None,
            after: None,
            limit: 100,
        }
    }
}

#[derive(Debug, Clone)]
pub struct QueuePage {
    pub items: Vec<crate::RequestRecord>,
    pub next: Option<Cursor>,
}

impl Store {
    pub fn list_queue(&self, f: &QueueFilter) -> Result<QueuePage> {
        let (sql, args) = queue_sql(f);
        let limit = f.limit.clamp(1, 500) as usize;
        self.read(|c| {
            let mut st = c.prepare_cached(&sql)?;
            let mut rows = st.query(rusqlite::params_from_iter(args.iter()))?;
            let mut items = Vec::with_capacity(limit);
            let mut last = None;
            let mut more = false;
            while let Some(r) = rows.next()? {
                if items.len() == limit {
                    more = true;
                    break;
                }
                let seq: i64 = r.get(crate::requests::COLUMN_COUNT)?;
                let rec = from_row(r)?;
                last = Some(Cursor {
                    created_ms: rec.created_at.timestamp_millis(),
                    seq,
                });
                items.push(rec);
            }
            Ok(QueuePage {
                items,
                next: if more { last } else { None },
            })
        })
    }

    /// How many requests are in `status`, counting at most `cap`.
    pub fn count_status(&self, status: cashdesk_domain::RequestStatus, cap: u32) -> Result<u32> {
        self.read(|c| {
            Ok(c.query_row(
                "SELECT COUNT(*) FROM (SELECT 1 FROM requests WHERE status = ?1 LIMIT ?2)",
                rusqlite::params![status.as_str(), cap],
                |r| r.get(0),
            )?)
        })
    }

    /// How many requests wait in a view, counting at most `cap` (a capped
    /// count keeps the tab badges cheap at a million rows).
    pub fn count_view(&self, view: QueueView, cap: u32) -> Result<u32> {
        self.read(|c| {
            Ok(c.query_row(
                "SELECT COUNT(*) FROM (SELECT 1 FROM requests WHERE view = ?1 LIMIT ?2)",
                rusqlite::params![view.as_str(), cap],
                |r| r.get(0),
            )?)
        })
    }
}

/// Builds the page query. Public so the benchmark can run the very same SQL
/// raw against the same file.
pub fn queue_sql(f: &QueueFilter) -> (String, Vec<Value>) {
    let (mut sql, mut args) = filter_sql(f);
    let desc = f.view.newest_first();
    if let Some(c) = f.after {
        sql.push_str(if desc {
            " AND (created_ms, seq) < (?, ?)"
        } else {
            " AND (created_ms, seq) > (?, ?)"
        });
        args.push(c.created_ms.into());
        args.push(c.seq.into());
    }
    sql.push_str(order(f));
    sql.push_str(" LIMIT ?");
    args.push(i64::from(f.limit.clamp(1, 500) + 1).into());
    (sql, args)
}

/// The view's order: newest first where the view reads that way.
pub(crate) fn order(f: &QueueFilter) -> &'static str {
    if f.view.newest_first() {
        " ORDER BY created_ms DESC, seq DESC"
    } else {
        " ORDER BY created_ms, seq"
    }
}

/// `SELECT … WHERE` for the filter's view, status, provider and kind
/// (no cursor, no order, no limit).
pub(crate) fn filter_sql(f: &QueueFilter) -> (String, Vec<Value>) {
    let mut sql = format!("SELECT {COLUMNS}, seq FROM requests WHERE ");
    let mut args: Vec<Value> = Vec::new();
    match f.status {
        Some(s) => {
            sql.push_str("status = ?");
            args.push(s.as_str().to_owned().into());
        }
        None => {
            sql.push_str("view = ?");
            args.push(f.view.as_str().to_owned().into());
        }
    }
    if let Some(p) = f.provider {
        sql.push_str(" AND provider = ?");
        args.push(p.as_str().to_owned().into());
    }
    if let Some(k) = f.kind {
        sql.push_str(" AND kind = ?");
        args.push(k.as_str().to_owned().into());
    }
    (sql, args)
}
