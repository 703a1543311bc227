//! Risk signals as the detail shows them: a banner per signal, naming the
//! other request (who decided it, when, how it ended) so the agent opens
//! it in one step; and the approval the admin's policy blocks.

use super::ApiResult;
use crate::app::Cashdesk;
use cashdesk_domain::{RequestId, RequestStatus};
use cashdesk_store::{RiskKind, RiskSignal};
use serde::Serialize;
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum RiskKindView {
    SameReference,
    SameScreenshot,
    SimilarScreenshot,
    RecentRejections,
    ManyRequests,
}

/// One banner in the detail.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct RiskView {
    pub kind: RiskKindView,
    /// The request it names (the earliest duplicate, the latest rejection).
    pub other: RequestId,
    pub other_status: RequestStatus,
    pub other_status_label: String,
    /// RFC 3339, UTC: when the other request arrived.
    pub other_at: String,
    /// Who last decided the other request, when a person did.
    pub other_by: Option<String>,
    /// How many requests it found (duplicates, rejections, requests in the hour).
    pub count: u32,
    /// Bits between the two pictures (similar screenshot).
    pub distance: Option<u32>,
    /// An admin made this duplicate blocking: approving is refused.
    pub blocking: bool,
}

impl From<RiskKind> for RiskKindView {
    fn from(k: RiskKind) -> Self {
        match k {
            RiskKind::SameReference => Self::SameReference,
            RiskKind::SameScreenshot => Self::SameScreenshot,
            RiskKind::SimilarScreenshot => Self::SimilarScreenshot,
            RiskKind::RecentRejections => Self::RecentRejections,
            RiskKind::ManyRequests => Self::ManyRequests,
        }
    }
}

/// The signals of `id`, and why approving it is blocked, if it is.
pub(crate) fn risk_of(app: &Cashdesk, id: RequestId) -> ApiResult<(Vec<RiskView>, Option<String>)> {
    let blocked = app.store().blocking_duplicate(id)?;
    let views = app
        .store()
        .risk_signals(id)?
        .into_iter()
        .map(|s: RiskSignal| RiskView {
            kind: s.kind.into(),
            other: s.other,
            other_status: s.other_status,
            other_status_label: s.other_status.label().to_owned(),
            other_at: s.other_created.to_rfc3339(),
            other_by: s.other_by,
            count: s.count,
            distance: s.distance,
            blocking: s.kind == RiskKind::SameReference && blocked.is_some(),
        })
        .collect();
    Ok((views, blocked))
}
