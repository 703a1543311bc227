//! Risk signals as the detail shows them: a banner per signal, naming the
//! other request (who decided it, when, how it ended) so the agent opens
//! it in one step; and the approval the admin's policy blocks.

use super::ApiResult;
use crate::app::Cashdesk;
use cashdesk_domain::{Money, RequestId, RequestStatus};
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

/// The signals of `rec`, and why approving it is blocked, if it is.
pub(crate) fn risk_of(
    app: &Cashdesk,
    rec: &cashdesk_store::RequestRecord,
) -> ApiResult<(Vec<RiskView>, Option<String>)> {
    let blocked = app.store().blocking_duplicate(rec)?;
    let views = app
        .store()
        .risk_signals(rec)?
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

/// The method's limits an amount falls outside of.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct LimitsView {
    /// The method as the provider names it.
    pub method: String,
    pub min: Option<Money>,
    pub max: Option<Money>,
    /// Below the minimum (else above the maximum).
    pub below: bool,
}

/// Whether `rec`'s amount is outside its method's limits, by the methods
/// last fetched for its account (any provider: one shape). Nothing is
/// said when the list, the method or its limits are unknown, or the
/// method is in another currency.
pub(crate) fn outside_limits(
    app: &Cashdesk,
    rec: &cashdesk_store::RequestRecord,
) -> Option<LimitsView> {
    let methods = crate::providers::reference::known_methods(app.cx(), rec.account_id).ok()??;
    let m = methods.into_iter().find(|m| {
        m.method.eq_ignore_ascii_case(&rec.method) && m.kind.is_none_or(|k| k == rec.kind)
    })?;
    if !m.currency.eq_ignore_ascii_case(rec.money.currency.code()) {
        return None;
    }
    let amount = rec.money.amount;
    let below = m.min.is_some_and(|min| amount < min);
    let above = m.max.is_some_and(|max| amount > max);
    if !below && !above {
        return None;
    }
    let money = |v: Option<rust_decimal::Decimal>| {
        v.map(|a| Money {
            amount: a,
            currency: rec.money.currency.clone(),
        })
    };
    Some(LimitsView {
        method: m.label,
        min: money(m.min),
        max: money(m.max),
        below,
    })
}
