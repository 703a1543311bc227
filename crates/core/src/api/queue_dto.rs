//! The queue's side of IPC: the query a view sends (tab, narrowings,
//! order, cursor), the page it gets back, and each row's summary. Part of
//! `dto` (re-exported there), split off to keep files short.

use cashdesk_domain::{
    AccountId, Money, OperatorId, ProviderKind, RequestId, RequestKind, RequestStatus,
};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The queue's tabs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum QueueTab {
    #[default]
    Queue,
    /// Requests waiting for a supervisor's second approval (also in Queue).
    Second,
    InFlight,
    Attention,
    Done,
}

/// How a view is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum QueueOrder {
    /// Oldest first where work waits; newest first in Done.
    #[default]
    Arrival,
    /// Nearest deadline first (the provider's expiry, else arrival + SLA).
    TimeLeft,
    /// Largest amount first.
    Amount,
}

/// One view of the queue: a tab and any of these narrowings, combined.
/// Also what a saved view keeps (without `after` and `limit`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct QueueQuery {
    pub tab: QueueTab,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub provider: Option<ProviderKind>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub kind: Option<RequestKind>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub account: Option<AccountId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub method: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub currency: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub status: Option<RequestStatus>,
    /// Exact decimal text, inclusive.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub amount_min: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub amount_max: Option<String>,
    /// Waiting at least this many minutes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub older_than_minutes: Option<u32>,
    /// Waiting at most this many minutes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub newer_than_minutes: Option<u32>,
    /// Entered, claimed, approved first or decided by this operator.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub operator: Option<OperatorId>,
    /// Any 3+ characters of an end user, TrxID / UTR / hash, account or
    /// wallet number, our reference or the provider's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub search: Option<String>,
    #[serde(default, skip_serializing_if = "is_arrival")]
    #[ts(optional)]
    pub order: Option<QueueOrder>,
    /// Opaque cursor from the previous page's `next`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub after: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub limit: Option<u32>,
}

fn is_arrival(o: &Option<QueueOrder>) -> bool {
    matches!(o, None | Some(QueueOrder::Arrival))
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct TabCounts {
    pub queue: u32,
    pub second: u32,
    pub in_flight: u32,
    pub attention: u32,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct QueuePage {
    pub items: Vec<RequestSummary>,
    pub next: Option<String>,
    /// Capped at 9999 so counting stays cheap at a million requests.
    pub counts: TabCounts,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct RequestSummary {
    pub id: RequestId,
    pub kind: RequestKind,
    pub provider: ProviderKind,
    pub provider_label: String,
    pub method: String,
    /// The provider's name for the method ("bKash"), or the key when unknown.
    pub method_label: String,
    pub money: Money,
    /// "1,50,000.00 BDT": grouped per currency, exact.
    pub amount_display: String,
    pub end_user: String,
    /// TrxID for deposits, destination account for withdrawals.
    pub reference: Option<String>,
    pub status: RequestStatus,
    /// The status in words (never colour alone).
    pub status_label: String,
    /// RFC 3339, UTC.
    pub created_at: String,
    pub updated_at: String,
    /// When a waiting request is due (the provider's deadline, or arrival
    /// plus the desk's SLA), RFC 3339; none once it left the queue.
    pub due_at: Option<String>,
}
