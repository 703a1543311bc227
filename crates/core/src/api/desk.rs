//! What the desk shows and asks per provider: the new-request form (which
//! kinds, methods and provider-specific fields an account takes), the
//! reference data an agent decides with, and payment screenshots.

pub use super::dto::DetailField;
use super::dto::{AttachmentView, MethodInfo};
use super::{ApiResult, invalid};
use crate::app::Cashdesk;
use crate::providers::reference::{self, Fact, Method};
use cashdesk_domain::{AccountId, DraftId, ProviderKind, RequestId, RequestKind};
use cashdesk_store::NewAttachment;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What a new desk request for one account asks for.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct RequestForm {
    pub account_id: AccountId,
    pub provider: ProviderKind,
    /// The kinds the desk can file for this provider.
    pub kinds: Vec<RequestKind>,
    pub methods: Vec<MethodInfo>,
    pub details: Vec<DetailField>,
    /// Zexabit hands out agent numbers for deposits.
    pub agent_numbers: bool,
    /// Why the desk files nothing for this provider, when it does not.
    pub unavailable: Option<String>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct FactView {
    pub label: String,
    pub value: String,
    /// Said before approving: the provider's figures speak against it.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub warning: Option<String>,
}

impl From<Fact> for FactView {
    fn from(f: Fact) -> Self {
        FactView {
            label: f.label,
            value: f.value,
            warning: f.warning,
        }
    }
}

/// Reference data of an account (Settings) or a request (detail pane).
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ReferenceView {
    pub methods: Vec<MethodInfo>,
    pub facts: Vec<FactView>,
    /// How-to-pay media (Paykassma media hints).
    pub media: Vec<String>,
}

/// A screenshot picked in the window; the bytes as standard base64.
#[derive(Clone, Deserialize, TS)]
#[ts(export)]
pub struct ScreenshotInput {
    pub file_name: String,
    pub content_type: String,
    pub data_base64: String,
}

/// Where a screenshot goes.
#[derive(Debug, Clone, Copy, Deserialize, TS)]
#[serde(tag = "type", content = "id", rename_all = "snake_case")]
#[ts(export)]
pub enum AttachTarget {
    Draft(DraftId),
    Request(RequestId),
}

pub(crate) fn method_info(m: Method) -> MethodInfo {
    MethodInfo {
        method: m.method,
        label: m.label,
        currency: m.currency,
        kind: m.kind,
        min_amount: m.min.map(|d| d.normalize().to_string()),
        max_amount: m.max.map(|d| d.normalize().to_string()),
        manual: m.manual,
        screenshot: m.screenshot,
    }
}

/// The account's methods with limits (fetched, or last known offline).
pub async fn list_methods(app: &Cashdesk, account: AccountId) -> ApiResult<Vec<MethodInfo>> {
    app.viewing()?;
    Ok(reference::methods(app.cx(), account)
        .await?
        .into_iter()
        .map(method_info)
        .collect())
}

/// The new-request form of one account.
pub async fn request_form(app: &Cashdesk, account: AccountId) -> ApiResult<RequestForm> {
    app.viewing()?;
    let rec = app.store().account(account)?;
    let form = crate::providers::provider(rec.provider).desk_form(app.cx(), account)?;
    let unavailable = form.unavailable;
    let methods = if unavailable.is_some() {
        vec![]
    } else {
        list_methods(app, account).await?
    };
    Ok(RequestForm {
        account_id: account,
        provider: rec.provider,
        kinds: form.kinds,
        methods,
        details: form.details,
        agent_numbers: form.agent_numbers,
        unavailable,
    })
}

/// Settings → an account's reference data: methods with limits, balances.
pub async fn account_reference(app: &Cashdesk, account: AccountId) -> ApiResult<ReferenceView> {
    app.viewing()?;
    let methods = list_methods(app, account).await?;
    let balances = reference::balances(app.cx(), account).await?;
    Ok(ReferenceView {
        methods,
        facts: balances
            .unwrap_or_default()
            .iter()
            .map(|b| b.fact().into())
            .collect(),
        media: vec![],
    })
}

/// The detail pane's reference data for one request, asked now.
pub async fn request_reference(app: &Cashdesk, id: RequestId) -> ApiResult<ReferenceView> {
    app.viewing()?;
    let rec = app.store().get_request(id)?;
    let (facts, media) = reference::request_facts(app.cx(), &rec).await?;
    Ok(ReferenceView {
        methods: vec![],
        facts: facts.into_iter().map(Into::into).collect(),
        media,
    })
}

/// Keeps the customer's payment screenshot with a draft or a pending
/// request (replacing an earlier one), checked against Paykassma's rules.
pub fn attach_screenshot(
    app: &Cashdesk,
    target: AttachTarget,
    input: &ScreenshotInput,
) -> ApiResult<AttachmentView> {
    let shot: NewAttachment = crate::intake::IntakeScreenshot {
        file_name: input.file_name.clone(),
        content_type: input.content_type.clone(),
        data_base64: input.data_base64.clone(),
    }
    .decode()?;
    let info = match target {
        AttachTarget::Draft(d) => {
            let actor = app.acting(cashdesk_domain::Permission::Enter)?;
            super::drafts::own(app, d, &actor)?;
            app.store().attach_to_draft(d, &shot)?
        }
        AttachTarget::Request(r) => {
            let actor = app.acting(cashdesk_domain::Permission::Enter)?;
            app.store().attach_to_request(r, &shot, &actor)?
        }
    };
    Ok(info.into())
}

/// A screenshot's bytes as a `data:` URL the window can show.
pub fn attachment_data(app: &Cashdesk, id: &str) -> ApiResult<String> {
    app.viewing()?;
    data_url(app.store(), id)
}

/// An attachment as a `data:` URL (images only).
pub(crate) fn data_url(store: &cashdesk_store::Store, id: &str) -> ApiResult<String> {
    use base64::Engine;
    let (info, bytes) = store.attachment_bytes(id)?;
    if !info.mime.starts_with("image/") {
        return Err(invalid("only images can be shown"));
    }
    Ok(format!(
        "data:{};base64,{}",
        info.mime,
        base64::engine::general_purpose::STANDARD.encode(bytes)
    ))
}

/// A whole card number, for the person who must type it elsewhere.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct RevealedCard {
    /// `destination`, `sender`, or the label of a provider-specific line.
    pub field: String,
    pub value: String,
}

/// The card numbers of request `id` in full: only for someone who decides
/// requests, and audited, since everywhere else they are masked.
pub fn reveal_card(app: &Cashdesk, id: RequestId) -> ApiResult<Vec<RevealedCard>> {
    let actor = app.acting(cashdesk_domain::Permission::Decide)?;
    let r = app.store().get_request(id)?;
    let extra = super::requests::extra_lines(&r.details);
    let found: Vec<RevealedCard> = super::requests::card_fields(&r, &extra)
        .into_iter()
        .map(|(field, value)| RevealedCard { field, value })
        .collect();
    if found.is_empty() {
        return Err(invalid("This request holds no card number"));
    }
    app.store()
        .record_act(&actor, "request.reveal_card", &format!("request:{id}"))?;
    Ok(found)
}
