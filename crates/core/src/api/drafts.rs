//! Desk entry: drafts saved as typed, submitted into the queue.

use super::dto::{DraftFields, DraftView, RequestDetail};
use super::{ApiResult, invalid};
use crate::app::Cashdesk;
use crate::error::CoreError;
use cashdesk_domain::DraftId;
use cashdesk_store::{DraftRecord, Source};

fn view(app: &Cashdesk, d: DraftRecord) -> ApiResult<DraftView> {
    view_in(app.store(), d)
}

/// A stored draft as the window shows it (also a joined desktop's own).
pub(crate) fn view_in(store: &cashdesk_store::Store, d: DraftRecord) -> ApiResult<DraftView> {
    Ok(DraftView {
        id: d.id,
        fields: serde_json::from_value(d.fields).unwrap_or_default(),
        updated_at: d.updated_at.to_rfc3339(),
        screenshot: store.draft_screenshot(d.id)?.map(Into::into),
    })
}

/// Whether `d` is `actor`'s (drafts from before operators had ids, or
/// typed by nobody in particular, are anyone's).
fn owned_by(d: &DraftRecord, actor: &cashdesk_domain::Actor) -> bool {
    let me = actor.operator_ref().map(|o| o.id.to_string());
    owned_by_id(d, me.as_deref())
}

/// `owned_by` for an operator known by id only (a joined desktop's).
pub(crate) fn owned_by_id(d: &DraftRecord, me: Option<&str>) -> bool {
    match d.operator.as_deref() {
        Some(op) if op.parse::<cashdesk_domain::OperatorId>().is_ok() => me == Some(op),
        _ => true,
    }
}

/// Refuses work on another operator's draft.
pub(crate) fn own(app: &Cashdesk, id: DraftId, actor: &cashdesk_domain::Actor) -> ApiResult<()> {
    match app.store().list_drafts()?.into_iter().find(|d| d.id == id) {
        Some(d) if !owned_by(&d, actor) => Err(super::dto::ApiError {
            code: super::dto::ErrorCode::NeedsRole,
            message: "This draft belongs to another operator.".into(),
        }),
        _ => Ok(()),
    }
}

/// The logged-in operator's drafts: each person's typing is their own.
pub fn list_drafts(app: &Cashdesk) -> ApiResult<Vec<DraftView>> {
    let actor = app.acting(cashdesk_domain::Permission::Enter)?;
    app.store()
        .list_drafts()?
        .into_iter()
        .filter(|d| owned_by(d, &actor))
        .map(|d| view(app, d))
        .collect()
}

/// Saves what is typed so far (no validation: a draft may be half-done).
pub fn save_draft(
    app: &Cashdesk,
    id: Option<DraftId>,
    fields: &DraftFields,
) -> ApiResult<DraftView> {
    let actor = app.acting(cashdesk_domain::Permission::Enter)?;
    if let Some(id) = id {
        own(app, id, &actor)?;
    }
    let operator = actor.operator_ref().map(|o| o.id.to_string());
    let json = serde_json::to_value(fields).map_err(|e| invalid(e.to_string()))?;
    let saved = app
        .store()
        .save_draft(id.unwrap_or_default(), operator.as_deref(), &json)?;
    app.changed(super::dto::Changed {
        drafts: true,
        ..Default::default()
    });
    view(app, saved)
}

pub fn discard_draft(app: &Cashdesk, id: DraftId) -> ApiResult<()> {
    let actor = app.acting(cashdesk_domain::Permission::Enter)?;
    own(app, id, &actor)?;
    app.store().discard_draft(id)?;
    app.changed(super::dto::Changed {
        drafts: true,
        ..Default::default()
    });
    Ok(())
}

/// Validates the draft and turns it into a pending request atomically.
pub fn submit_draft(app: &Cashdesk, id: DraftId) -> ApiResult<RequestDetail> {
    let actor = app.acting(cashdesk_domain::Permission::Enter)?;
    own(app, id, &actor)?;
    let draft = app
        .store()
        .list_drafts()?
        .into_iter()
        .find(|d| d.id == id)
        .ok_or_else(|| invalid("This draft no longer exists (submitted or discarded elsewhere)"))?;
    let f: DraftFields = serde_json::from_value(draft.fields).unwrap_or_default();
    let kind = f
        .kind
        .ok_or_else(|| invalid("kind: choose deposit or withdrawal"))?;
    let account_id = f
        .account_id
        .ok_or_else(|| invalid("account: choose a provider account"))?;
    let account = app.store().account(account_id)?;
    let method = crate::providers::reference::known_methods(app.cx(), account_id)?
        .unwrap_or_default()
        .into_iter()
        .find(|m| m.method == f.method && m.kind.is_none_or(|k| k == kind))
        .ok_or_else(|| {
            invalid(format!(
                "method: \"{}\" is not a {} method of {} (open the form once while online to load its methods)",
                f.method,
                kind.as_str(),
                account.name
            ))
        })?;
    let text = |s: &String| Some(s.clone());
    let mut details =
        crate::intake::details_from_fields(f.details.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .map_err(invalid)?;
    // Some providers take the destination as one of their own details
    // (Zimo-pagos: the beneficiary's bank account).
    if let Some(key) = crate::providers::provider(account.provider).destination_detail()
        && !f.destination.trim().is_empty()
        && details.get(key).is_none()
    {
        details.insert(key.into(), f.destination.trim().into());
    }
    let input = crate::intake::IntakeRequest {
        intake_ref: String::new(),
        kind,
        provider: account.provider,
        account_id: Some(account_id),
        method: f.method.clone(),
        amount: f.amount.clone(),
        currency: method.currency,
        end_user_ref: f.end_user_ref.clone(),
        end_user_name: text(&f.end_user_name),
        provider_user_id: text(&f.provider_user_id),
        trx_id: text(&f.trx_id),
        sender: text(&f.sender),
        agent_number: text(&f.agent_number),
        destination: text(&f.destination),
        details: serde_json::Value::Object(details),
        screenshot: None,
    };
    // Keyed by the draft: submitting it again gives the same request.
    let new = crate::intake::new_request(app, &input, Source::Desk, Some(format!("draft:{id}")))
        .map_err(CoreError::into_api)?;
    let rec = app.store().submit_draft(id, &new, &actor)?;
    crate::intake::announce(app, &rec);
    app.changed(super::dto::Changed {
        drafts: true,
        ..Default::default()
    });
    super::requests::get_request(app, rec.id)
}
