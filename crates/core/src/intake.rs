//! Operator intake: the operator's platform (and, in sandbox mode, the
//! simulated customers) pushes requests here. Idempotent on `intake_ref`.

use crate::app::Cashdesk;
use crate::error::{CoreError, CoreResult};
use cashdesk_domain::{AccountId, Actor, Money, ProviderKind, RequestKind};
use cashdesk_store::{NewAttachment, NewRequest, RequestRecord, Source};
use serde::{Deserialize, Serialize};

/// `POST /intake/v1/requests` body. Amounts are decimal strings.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct IntakeRequest {
    /// The platform's own id for this request: sending it twice is one request.
    pub intake_ref: String,
    pub kind: RequestKind,
    pub provider: ProviderKind,
    /// Which account of that provider; the first configured one when absent.
    #[serde(default)]
    pub account_id: Option<AccountId>,
    pub method: String,
    pub amount: String,
    pub currency: String,
    pub end_user_ref: String,
    #[serde(default)]
    pub end_user_name: Option<String>,
    #[serde(default)]
    pub provider_user_id: Option<String>,
    #[serde(default)]
    pub trx_id: Option<String>,
    #[serde(default)]
    pub sender: Option<String>,
    #[serde(default)]
    pub agent_number: Option<String>,
    #[serde(default)]
    pub destination: Option<String>,
    /// Provider-specific facts, e.g. a Zimo-pagos beneficiary (country,
    /// document_id, beneficiary_name, bank_code, bank_account, …).
    #[serde(default = "empty_object")]
    #[schema(value_type = Object)]
    pub details: serde_json::Value,
    /// The customer's payment screenshot (Paykassma manual payment systems).
    #[serde(default)]
    pub screenshot: Option<IntakeScreenshot>,
}

/// A file sent inline: JSON carries its bytes as standard base64.
#[derive(Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct IntakeScreenshot {
    pub file_name: String,
    pub content_type: String,
    pub data_base64: String,
}

impl std::fmt::Debug for IntakeScreenshot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IntakeScreenshot")
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .field("base64_chars", &self.data_base64.len())
            .finish()
    }
}

impl IntakeScreenshot {
    /// Decodes and checks it against the screenshot rules of Paykassma
    /// (the one provider that takes screenshots).
    pub fn decode(&self) -> CoreResult<NewAttachment> {
        use base64::Engine;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(self.data_base64.trim())
            .map_err(|e| CoreError::Invalid(format!("screenshot: not base64 ({e})")))?;
        let mut shot = NewAttachment {
            file_name: self.file_name.trim().to_owned(),
            mime: self.content_type.trim().to_owned(),
            bytes,
            phash: None,
        };
        crate::providers::check_screenshot(&shot)?;
        // Only once the bytes passed the rules (type, size) are they decoded.
        shot.phash = crate::risk::perceptual_hash(&shot.bytes);
        Ok(shot)
    }
}

fn empty_object() -> serde_json::Value {
    serde_json::json!({})
}

/// What the platform reads back.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct IntakeStatus {
    pub id: String,
    pub intake_ref: Option<String>,
    pub status: cashdesk_domain::RequestStatus,
    pub status_label: String,
    pub reason: Option<String>,
    pub provider_reason: Option<String>,
    pub provider_txn_id: Option<String>,
    /// The amount the provider reports it actually settled (exact decimal
    /// text) and its currency, when it reported one. Credit or debit the
    /// user by this, not the requested amount: they differ when the
    /// status is `amount_differs` (a person at the desk then decides).
    pub settled_amount: Option<String>,
    pub settled_currency: Option<String>,
}

impl From<&RequestRecord> for IntakeStatus {
    fn from(r: &RequestRecord) -> Self {
        IntakeStatus {
            id: r.id.to_string(),
            intake_ref: r.intake_ref.clone(),
            status: r.status,
            status_label: r.status.label().to_owned(),
            reason: r.status_reason.clone(),
            provider_reason: r.provider_reason.clone(),
            provider_txn_id: r.provider_txn_id.clone(),
            settled_amount: r.settled.as_ref().map(|m| m.amount.to_string()),
            settled_currency: r.settled.as_ref().map(|m| m.currency.code().to_owned()),
        }
    }
}

/// Field caps (characters). Generous for real values; the adapters hold
/// each provider's own, stricter limits.
const MAX_REF: usize = 128;
const MAX_METHOD: usize = 64;
const MAX_NAME: usize = 200;
const MAX_NUMBER: usize = 64;
const MAX_DESTINATION: usize = 256;
const MAX_DETAIL: usize = 512;
/// The whole `details` object, as JSON bytes.
const MAX_DETAILS_BYTES: usize = 16 * 1024;

fn too_long(e: cashdesk_domain::text::TooLong) -> CoreError {
    CoreError::Invalid(e.to_string())
}

/// One outside text field as stored: control and bidi characters removed,
/// trimmed, capped (refused, not cut).
fn line(field: &str, v: &str, max: usize) -> CoreResult<String> {
    cashdesk_domain::text::one_line(field, v, max).map_err(too_long)
}

fn clean(field: &str, v: &Option<String>, max: usize) -> CoreResult<Option<String>> {
    cashdesk_domain::text::optional(field, v.as_deref(), max).map_err(too_long)
}

fn details(v: &serde_json::Value) -> CoreResult<serde_json::Value> {
    if v.to_string().len() > MAX_DETAILS_BYTES {
        return Err(CoreError::Invalid(format!(
            "details: at most {MAX_DETAILS_BYTES} bytes of JSON"
        )));
    }
    cashdesk_domain::text::json_strings("details", v, MAX_DETAIL).map_err(too_long)
}

/// Validates and files one request; `(request, created)`.
pub fn submit(app: &Cashdesk, req: &IntakeRequest) -> CoreResult<(RequestRecord, bool)> {
    let intake_ref = line("intake_ref", &req.intake_ref, MAX_REF)?;
    if intake_ref.is_empty() {
        return Err(CoreError::Invalid("intake_ref: 1 to 128 characters".into()));
    }
    let new = new_request(app, req, Source::Intake, Some(intake_ref))?;
    let (rec, created) = app.store().insert_request(&new, &Actor::Intake)?;
    if created {
        announce(app, &rec);
    }
    Ok((rec, created))
}

/// Tells the UI and the desktop that a request arrived.
pub(crate) fn announce(app: &Cashdesk, rec: &RequestRecord) {
    let label = app
        .providers()
        .method_label(rec.account_id, &rec.method)
        .unwrap_or_else(|| rec.method.clone());
    app.notice(crate::notify::Notice::new_request(rec, &label));
    // The request's id reaches the window with the store's own event.
    app.changed(crate::api::dto::Changed {
        new_requests: 1,
        ..Default::default()
    });
}

/// Builds a validated `NewRequest`, shared by intake and desk drafts
/// (which file theirs with `intake_ref: None`).
pub(crate) fn new_request(
    app: &Cashdesk,
    req: &IntakeRequest,
    source: Source,
    intake_ref: Option<String>,
) -> CoreResult<NewRequest> {
    let provider = req.provider;
    let account = match req.account_id {
        Some(id) => app.store().active_account(id).map_err(|_| {
            CoreError::Invalid(format!(
                "account: {id} is not a provider account of this desk (removed or never added)"
            ))
        })?,
        None => app
            .store()
            .accounts()?
            .into_iter()
            .find(|a| a.provider == provider)
            .ok_or_else(|| {
                CoreError::Invalid(format!(
                    "provider: no {} account is configured",
                    provider.label()
                ))
            })?,
    };
    if account.provider != provider {
        return Err(CoreError::Invalid(format!(
            "account: {} is not a {} account",
            account.name,
            provider.label()
        )));
    }
    let money = Money::parse(&req.amount, &req.currency)
        .map_err(|e| CoreError::Invalid(format!("amount: {e}")))?;
    let method = line("method", &req.method, MAX_METHOD)?;
    if method.is_empty() {
        return Err(CoreError::Invalid("method is required".into()));
    }
    let end_user_ref = line("end_user_ref", &req.end_user_ref, MAX_REF)?;
    if end_user_ref.is_empty() {
        return Err(CoreError::Invalid("end user reference is required".into()));
    }
    let new = NewRequest {
        kind: req.kind,
        provider,
        account_id: account.id,
        method,
        money,
        end_user_ref,
        end_user_name: clean("end_user_name", &req.end_user_name, MAX_NAME)?,
        provider_user_id: clean("provider_user_id", &req.provider_user_id, MAX_REF)?,
        trx_id: clean("trx_id", &req.trx_id, MAX_REF)?,
        sender: clean("sender", &req.sender, MAX_NUMBER)?,
        destination: clean("destination", &req.destination, MAX_DESTINATION)?,
        agent_number: clean("agent_number", &req.agent_number, MAX_NUMBER)?,
        source,
        intake_ref,
        details: details(&req.details)?,
        screenshot: req.screenshot.as_ref().map(|s| s.decode()).transpose()?,
        expires: None,
    };
    crate::providers::validate_new(app.cx(), &new)?;
    Ok(new)
}

/// Detail fields sent as JSON numbers (Zimo-pagos `bank_code`).
const NUMERIC_DETAILS: [&str; 1] = ["bank_code"];

/// Typed detail fields (desk form, CSV columns) as the JSON the adapters
/// read: blanks left out, dotted names nested (`bank_details.bank_code`),
/// numeric fields as numbers.
pub(crate) fn details_from_fields<'a>(
    fields: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Result<serde_json::Map<String, serde_json::Value>, String> {
    use serde_json::{Map, Value};
    let mut out = Map::new();
    for (name, value) in fields {
        let value = value.trim();
        if value.is_empty() {
            continue;
        }
        let v = if NUMERIC_DETAILS.contains(&name) {
            Value::Number(
                value
                    .parse::<u64>()
                    .map_err(|_| format!("{name}: must be a whole number"))?
                    .into(),
            )
        } else {
            Value::String(value.to_owned())
        };
        match name.split_once('.') {
            Some((outer, inner)) => {
                let slot = out
                    .entry(outer.to_owned())
                    .or_insert_with(|| Value::Object(Map::new()));
                if let Value::Object(m) = slot {
                    m.insert(inner.to_owned(), v);
                }
            }
            None => {
                out.insert(name.to_owned(), v);
            }
        }
    }
    Ok(out)
}
