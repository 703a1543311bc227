//! A view of the queue as the window asks for it (a tab, filters, search,
//! an order) turned into the store's filter, and the operator's saved
//! views with their live counts.

use super::dto::{QueueOrder, QueueQuery, QueueTab};
use super::{ApiResult, invalid};
use crate::app::Cashdesk;
use cashdesk_domain::RequestStatus;
use cashdesk_store::{QueueFilter, QueueSort, QueueView, amount_key};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Counts stop here, so a saved view's badge stays cheap at a million rows.
pub const COUNT_CAP: u32 = 9999;
/// Enough for a shift's habits, few enough to count them all on each refresh.
const MAX_VIEWS: usize = 12;
const MAX_NAME: usize = 40;

/// What the queue's filters offer, whatever rows the window has loaded.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct FilterChoices {
    pub currencies: Vec<String>,
    pub methods: Vec<MethodChoice>,
}

/// A payment method as the filter offers it.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct MethodChoice {
    /// As stored on requests (what the filter sends).
    pub id: String,
    /// The provider's name for it, when a methods list gave one.
    pub label: String,
}

/// Every currency and method any stored request has: at a million
/// requests, a method no loaded row shows can still be chosen.
pub fn filter_choices(app: &Cashdesk) -> ApiResult<FilterChoices> {
    app.viewing()?;
    let (currencies, methods) = app.store().filter_choices()?;
    let accounts = app.store().accounts()?;
    let label = |m: &str| {
        accounts
            .iter()
            .find_map(|a| app.providers().method_label(a.id, m))
            .unwrap_or_else(|| m.to_owned())
    };
    Ok(FilterChoices {
        currencies,
        methods: methods
            .into_iter()
            .map(|id| MethodChoice {
                label: label(&id),
                id,
            })
            .collect(),
    })
}

/// The store filter for `q` (without its cursor and limit): every
/// narrowing checked here, so a bad amount is the window's error, not an
/// empty list.
pub(crate) fn query_filter(q: &QueueQuery) -> ApiResult<QueueFilter> {
    let view = match q.tab {
        QueueTab::Queue | QueueTab::Second => QueueView::Queue,
        QueueTab::InFlight => QueueView::InFlight,
        QueueTab::Attention => QueueView::Attention,
        QueueTab::Done => QueueView::Done,
    };
    let mut f = QueueFilter::view(view);
    // The second-approval tab is the queue narrowed to one status.
    f.status = match (q.tab, q.status) {
        (QueueTab::Second, _) => Some(RequestStatus::AwaitingSecondApproval),
        (_, Some(s)) if QueueView::of(s) == view => Some(s),
        (_, Some(s)) => return Err(invalid(format!("status {} is not on this tab", s.label()))),
        (_, None) => None,
    };
    f.provider = q.provider;
    f.kind = q.kind;
    f.account = q.account;
    f.method = q.method.clone().filter(|m| !m.is_empty());
    f.currency = q.currency.clone().filter(|c| !c.is_empty());
    f.amount_min = amount_bound(q.amount_min.as_deref(), "lowest amount")?;
    f.amount_max = amount_bound(q.amount_max.as_deref(), "highest amount")?;
    if let (Some(lo), Some(hi)) = (f.amount_min, f.amount_max)
        && lo > hi
    {
        return Err(invalid("The lowest amount is above the highest"));
    }
    let now = chrono::Utc::now().timestamp_millis();
    let minutes = |m: u32| now - i64::from(m) * 60_000;
    f.created_before_ms = q.older_than_minutes.map(minutes);
    f.created_after_ms = q.newer_than_minutes.map(minutes);
    f.operator = q.operator;
    f.search = q
        .search
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned);
    f.sort = match q.order.unwrap_or_default() {
        QueueOrder::Arrival => QueueSort::Arrival,
        QueueOrder::TimeLeft => QueueSort::TimeLeft,
        QueueOrder::Amount => QueueSort::Amount,
    };
    Ok(f)
}

fn amount_bound(text: Option<&str>, what: &str) -> ApiResult<Option<i64>> {
    let Some(t) = text.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    let d: rust_decimal::Decimal = t
        .parse()
        .ok()
        .filter(|d: &rust_decimal::Decimal| !d.is_sign_negative())
        .ok_or_else(|| invalid(format!("The {what} is not an amount: {t}")))?;
    amount_key(d)
        .map(Some)
        .ok_or_else(|| invalid(format!("The {what} is too large: {t}")))
}

/// A view the operator saved, with how many requests it holds now.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SavedView {
    pub name: String,
    pub query: QueueQuery,
    /// Capped at 9999; absent when stored, filled when listed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub count: Option<u32>,
}

/// Only someone who may see the queue (logged in, not locked) has views of it.
fn views_key(app: &Cashdesk) -> ApiResult<String> {
    let (who, _) = app.active()?;
    Ok(format!("views.{}", who.id))
}

fn stored_views(app: &Cashdesk) -> ApiResult<Vec<SavedView>> {
    let key = views_key(app)?;
    Ok(app
        .store()
        .personal(&key)?
        .and_then(|s| serde_json::from_str(&s).ok())
        .unwrap_or_default())
}

/// The logged-in operator's saved views, each counted now.
pub fn saved_views(app: &Cashdesk) -> ApiResult<Vec<SavedView>> {
    let mut views = stored_views(app)?;
    for v in &mut views {
        // A view saved under rules that no longer hold counts as nothing.
        v.count = match query_filter(&v.query) {
            Ok(f) => Some(app.store().count_filtered(&f, COUNT_CAP)?),
            Err(_) => None,
        };
    }
    Ok(views)
}

/// Saves `query` under `name` for the logged-in operator (a view of the
/// same name is replaced). Personal, so not audited.
pub fn save_view(app: &Cashdesk, name: &str, query: &QueueQuery) -> ApiResult<Vec<SavedView>> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME {
        return Err(invalid(format!(
            "A view's name is 1 to {MAX_NAME} characters"
        )));
    }
    query_filter(query)?;
    let mut views = stored_views(app)?;
    let query = QueueQuery {
        after: None,
        limit: None,
        ..query.clone()
    };
    let full = views.len() >= MAX_VIEWS;
    match views.iter_mut().find(|v| v.name == name) {
        Some(v) => v.query = query,
        None if full => {
            return Err(invalid(format!(
                "At most {MAX_VIEWS} saved views: delete one first"
            )));
        }
        None => views.push(SavedView {
            name: name.to_owned(),
            query,
            count: None,
        }),
    }
    put_views(app, &views)?;
    saved_views(app)
}

pub fn delete_view(app: &Cashdesk, name: &str) -> ApiResult<Vec<SavedView>> {
    let mut views = stored_views(app)?;
    views.retain(|v| v.name != name);
    put_views(app, &views)?;
    saved_views(app)
}

fn put_views(app: &Cashdesk, views: &[SavedView]) -> ApiResult<()> {
    let json = serde_json::to_string(views).map_err(|e| invalid(e.to_string()))?;
    app.store().put_personal(&views_key(app)?, &json)?;
    Ok(())
}
