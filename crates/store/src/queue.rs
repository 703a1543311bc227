//! The queue: keyset-paginated listing that stays instant at a million rows.
//! Each tab is one `view` value, so a page is one index range scan; search
//! narrows through the trigram index first (migration 0010).

use crate::requests::COLUMN_COUNT;
use crate::requests::from_row;
use crate::sql::params;
use crate::{Result, Store};
use cashdesk_domain::{AccountId, OperatorId, ProviderKind, RequestKind, RequestStatus};
use serde::{Deserialize, Serialize};

pub use crate::queue_sql::{amount_key, queue_sql};
pub(crate) use crate::queue_sql::{filter_sql, order};

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
    pub(crate) fn newest_first(self) -> bool {
        matches!(self, Self::Done)
    }
}

/// How a view is ordered. Every order ends on `seq`, so a keyset cursor
/// names one position exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QueueSort {
    /// The view's own order: oldest first where work waits, newest first
    /// in the archive.
    #[default]
    Arrival,
    /// Nearest deadline first: the provider's expiry where it sets one,
    /// else arrival plus the desk's SLA.
    TimeLeft,
    /// Largest amount first (by the number, whatever the currency: filter
    /// by currency to compare like with like).
    Amount,
}

impl QueueSort {
    fn tag(self) -> char {
        match self {
            Self::Arrival => 'o',
            Self::TimeLeft => 't',
            Self::Amount => 'm',
        }
    }
}

/// Position after the last row of a page: the order's key and `seq`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cursor {
    pub sort: QueueSort,
    pub key: i64,
    pub seq: i64,
}

impl Cursor {
    pub fn encode(&self) -> String {
        format!("{}{}.{}", self.sort.tag(), self.key, self.seq)
    }
    pub fn decode(s: &str) -> Option<Cursor> {
        let mut chars = s.chars();
        let sort = match chars.next()? {
            'o' => QueueSort::Arrival,
            't' => QueueSort::TimeLeft,
            'm' => QueueSort::Amount,
            _ => return None,
        };
        let (a, b) = chars.as_str().split_once('.')?;
        Some(Cursor {
            sort,
            key: a.parse().ok()?,
            seq: b.parse().ok()?,
        })
    }
}

/// One view of the queue: a tab narrowed by any of these, in one order.
/// Every field but `view` is optional and they combine with AND.
#[derive(Debug, Clone)]
pub struct QueueFilter {
    pub view: QueueView,
    /// Narrows to one status within the view.
    pub status: Option<RequestStatus>,
    pub provider: Option<ProviderKind>,
    pub kind: Option<RequestKind>,
    pub account: Option<AccountId>,
    pub method: Option<String>,
    pub currency: Option<String>,
    /// Amount bounds, inclusive, as [`amount_key`]s.
    pub amount_min: Option<i64>,
    pub amount_max: Option<i64>,
    /// Arrived at or before this time (older than an age).
    pub created_before_ms: Option<i64>,
    /// Arrived at or after this time (younger than an age).
    pub created_after_ms: Option<i64>,
    /// Entered, claimed, approved first or decided by this operator.
    pub operator: Option<OperatorId>,
    /// Three or more characters of any identifier (see migration 0010).
    pub search: Option<String>,
    pub sort: QueueSort,
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
            account: None,
            method: None,
            currency: None,
            amount_min: None,
            amount_max: None,
            created_before_ms: None,
            created_after_ms: None,
            operator: None,
            search: None,
            sort: QueueSort::Arrival,
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
        let (sql, args) = queue_sql(f, self.engine());
        let limit = f.limit.clamp(1, 500) as usize;
        self.read(|c| {
            let mut st = c.prepare_cached(&sql)?;
            let mut items = Vec::with_capacity(limit);
            let mut last = None;
            let mut more = false;
            // The SQL asks for one row past the page: it only says "more".
            st.for_each(&crate::sql::dynamic(&args), |r| {
                if items.len() == limit {
                    more = true;
                    return Ok(());
                }
                last = Some(Cursor {
                    sort: f.sort,
                    seq: r.get(COLUMN_COUNT)?,
                    key: r.get(COLUMN_COUNT + 1)?,
                });
                items.push(from_row(r)?);
                Ok(())
            })?;
            Ok(QueuePage {
                items,
                next: if more { last } else { None },
            })
        })
    }

    /// How many requests match `f`, counting at most `cap` (a capped count
    /// keeps a saved view's badge cheap at a million rows).
    pub fn count_filtered(&self, f: &QueueFilter, cap: u32) -> Result<u32> {
        let (sql, mut args) = filter_sql(f, self.engine());
        let sql = format!("SELECT COUNT(*) FROM ({sql} LIMIT ?) AS v");
        args.push(i64::from(cap).into());
        self.read(|c| {
            c.prepare_cached(&sql)?
                .query_row(&crate::sql::dynamic(&args), |r| r.get(0))
        })
    }

    /// How many requests are in `status`, counting at most `cap`.
    pub fn count_status(&self, status: RequestStatus, cap: u32) -> Result<u32> {
        self.read(|c| {
            c.query_row(
                "SELECT COUNT(*) FROM (SELECT 1 FROM requests WHERE status = ?1 LIMIT ?2) AS v",
                params![status.as_str(), cap],
                |r| r.get(0),
            )
        })
    }

    /// Every currency and every payment method a stored request has, each
    /// sorted (kept at intake by a trigger, migration 15: not read from
    /// the requests themselves).
    pub fn filter_choices(&self) -> Result<(Vec<String>, Vec<String>)> {
        self.read(|c| {
            let mut st = c.prepare_cached(
                "SELECT what, value FROM filter_choices ORDER BY what, lower(value)",
            )?;
            let (mut currencies, mut methods) = (Vec::new(), Vec::new());
            let rows = st.query_map(params![], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
            })?;
            for row in rows {
                match row? {
                    (what, v) if what == "currency" => currencies.push(v),
                    (_, v) => methods.push(v),
                }
            }
            Ok((currencies, methods))
        })
    }

    /// How many requests wait in a view, counting at most `cap` (a capped
    /// count keeps the tab badges cheap at a million rows).
    pub fn count_view(&self, view: QueueView, cap: u32) -> Result<u32> {
        self.read(|c| {
            c.query_row(
                "SELECT COUNT(*) FROM (SELECT 1 FROM requests WHERE view = ?1 LIMIT ?2) AS v",
                params![view.as_str(), cap],
                |r| r.get(0),
            )
        })
    }
}
