//! Everything that crosses IPC, exported to TypeScript by ts-rs (run
//! `cargo test -p cashdesk-core export_bindings`; CI fails on drift).
//! No secret is ever a field of an outgoing type.

use cashdesk_domain::{
    AccountId, DraftId, MerchantRef, Money, ProviderKind, RequestId, RequestKind, RequestStatus,
};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub use super::queue_dto::*;

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct AppInfo {
    pub version: String,
    /// True when no provider account is configured and the built-in
    /// simulators and simulated customers are running.
    pub sandbox: bool,
    /// The logged-in operator's name (the session is the core's).
    pub operator: Option<String>,
    pub data_dir: String,
    /// Where the operator's platform pushes requests (loopback).
    pub intake_url: Option<String>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct HistoryItem {
    pub at: String,
    /// Who: an operator's name, "Cashdesk", a provider's name or "Operator platform".
    pub actor: String,
    pub from: Option<RequestStatus>,
    pub to: RequestStatus,
    pub to_label: String,
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct RequestDetail {
    pub summary: RequestSummary,
    pub account_id: AccountId,
    pub account_name: String,
    pub merchant_ref: MerchantRef,
    pub end_user_ref: String,
    pub end_user_name: Option<String>,
    pub provider_user_id: Option<String>,
    pub trx_id: Option<String>,
    pub sender: Option<String>,
    pub destination: Option<String>,
    pub agent_number: Option<String>,
    pub provider_txn_id: Option<String>,
    pub provider_status: Option<String>,
    /// The provider's code and message exactly as they came.
    pub provider_reason: Option<String>,
    pub status_reason: Option<String>,
    pub source: String,
    pub history: Vec<HistoryItem>,
    /// Provider-specific facts (e.g. a Zimo-pagos beneficiary), in order.
    pub extra: Vec<DetailLine>,
    /// A card number in it is shown masked (first six, last four);
    /// `reveal_card` gives the whole number, audited.
    pub masked: bool,
    /// Approve/reject apply (pending, awaiting second approval, or failed:
    /// approving a failed request sends it again with the same reference).
    pub can_decide: bool,
    /// A person may settle it (outcome unknown; or amount differs, where
    /// the only choice is to accept what the provider settled).
    pub can_settle: bool,
    /// Who is deciding it now, if anyone.
    pub claim: Option<ClaimView>,
    /// Why the logged-in operator may not decide it (their role, maker–
    /// checker, another's claim); shown beside the disabled buttons.
    pub blocked: Option<String>,
    /// What the provider reports it settled, when it reported an amount;
    /// differs from `summary.money` when the status is amount differs.
    pub settled: Option<Money>,
    pub settled_display: Option<String>,
    /// The customer's payment screenshot, when one is attached.
    pub screenshot: Option<AttachmentView>,
    /// Every question asked of the provider about it and the answer,
    /// oldest first: what a person settling an unknown outcome goes by.
    pub lookups: Vec<LookupItem>,
    /// What history says about it (duplicate reference or screenshot,
    /// recent rejections, many requests), each naming the other request.
    pub risk: Vec<super::risk::RiskView>,
    /// The amount is outside the limits the provider gives for its
    /// method (the last list fetched): a banner before approving.
    pub outside_limits: Option<super::risk::LimitsView>,
    /// Why approving is refused by the desk's policy (rejecting stays open).
    pub approve_blocked: Option<String>,
    /// The admin's threshold this amount reaches: approving takes a
    /// one-key confirmation (`approve` with `confirmed`).
    pub confirm_from: Option<Money>,
}

/// One question asked of a provider, its answer and how often it came.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct LookupItem {
    pub question: String,
    pub answer: String,
    /// RFC 3339, UTC: the first and the last time this answer came.
    pub first_at: String,
    pub last_at: String,
    pub times: u32,
}

/// A provider item Cashdesk could not read, set aside so the feed goes on.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct QuarantineItem {
    pub account_id: AccountId,
    pub account_name: String,
    /// The provider's id for it (or a digest when it had none).
    pub item: String,
    /// Why it could not be read.
    pub error: String,
    /// The item exactly as the provider sent it.
    pub raw: String,
    /// RFC 3339, UTC: first and latest time it came.
    pub first_at: String,
    pub last_at: String,
    pub times: u32,
}

/// One labelled provider-specific fact of a request.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct DetailLine {
    pub label: String,
    pub value: String,
}

/// A desk request as typed so far: every field is text, since a draft need
/// not be valid until it is submitted.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct DraftFields {
    pub kind: Option<RequestKind>,
    pub account_id: Option<AccountId>,
    pub method: String,
    pub amount: String,
    pub end_user_ref: String,
    pub end_user_name: String,
    pub provider_user_id: String,
    pub trx_id: String,
    pub sender: String,
    pub destination: String,
    pub agent_number: String,
    pub note: String,
    /// Provider-specific fields by name (see `RequestForm::details`);
    /// dotted names nest (`bank_details.bank_code`).
    pub details: std::collections::BTreeMap<String, String>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct DraftView {
    pub id: DraftId,
    pub fields: DraftFields,
    pub updated_at: String,
    pub screenshot: Option<AttachmentView>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct AccountView {
    pub id: AccountId,
    pub provider: ProviderKind,
    pub provider_label: String,
    pub name: String,
    pub base_url: String,
    pub sandbox: bool,
}

/// A named value typed into the account form.
#[derive(Clone, Deserialize, TS)]
#[ts(export)]
pub struct NamedValue {
    pub name: String,
    pub value: String,
}

/// Secrets travel only inward (typed by the administrator); no response
/// ever carries them back.
#[derive(Clone, Deserialize, TS)]
#[ts(export)]
pub struct NewAccountInput {
    pub provider: ProviderKind,
    pub name: String,
    pub base_url: String,
    /// Stored in the OS keychain; names from `ProviderForm::secrets`.
    pub secrets: Vec<NamedValue>,
    /// Stored in SQLite; names from `ProviderForm::settings`.
    pub settings: Vec<NamedValue>,
}

impl std::fmt::Debug for NewAccountInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewAccountInput")
            .field("provider", &self.provider)
            .field("name", &self.name)
            .field("base_url", &self.base_url)
            .finish_non_exhaustive()
    }
}

/// One field of a provider's account form.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct FormField {
    pub name: String,
    pub label: String,
    pub hint: String,
}

impl FormField {
    pub fn new(name: &str, label: &str, hint: &str) -> Self {
        Self {
            name: name.into(),
            label: label.into(),
            hint: hint.into(),
        }
    }
}

/// What adding an account of one provider asks for.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ProviderForm {
    pub provider: ProviderKind,
    pub label: String,
    pub default_base_url: String,
    pub secrets: Vec<FormField>,
    pub settings: Vec<FormField>,
}

/// A method an account offers, with what the provider says about it.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct MethodInfo {
    pub method: String,
    pub label: String,
    pub currency: String,
    /// Deposits only, withdrawals only, or both (`null`).
    pub kind: Option<RequestKind>,
    pub min_amount: Option<String>,
    pub max_amount: Option<String>,
    /// Paykassma manual system: sent as a possible transaction.
    pub manual: bool,
    /// The system takes the customer's payment screenshot.
    pub screenshot: bool,
}

/// A stored payment screenshot (its bytes come from `attachment_data`).
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct AttachmentView {
    pub id: String,
    pub file_name: String,
    pub mime: String,
    pub size: u32,
    pub sha256: String,
}

impl From<cashdesk_store::AttachmentInfo> for AttachmentView {
    fn from(a: cashdesk_store::AttachmentInfo) -> Self {
        AttachmentView {
            id: a.id,
            file_name: a.file_name,
            mime: a.mime,
            size: a.size as u32,
            sha256: a.sha256,
        }
    }
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct AgentNumberView {
    pub method: String,
    pub account_number: String,
    pub agent_name: String,
    pub instructions: String,
}

/// How a person settles a request whose outcome was unknown.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum SettleOutcome {
    /// The provider confirmed it was paid/credited.
    Completed,
    /// The provider confirmed it refused it.
    RejectedByProvider,
    /// The provider confirmed it never arrived: it may be sent again.
    NotReceived,
}

/// The only error shape the UI sees. `code` exists only where the UI acts
/// on it; `message` is written for the person at the desk.
#[derive(Debug, Clone, Serialize, serde::Deserialize, TS)]
#[ts(export)]
pub struct ApiError {
    pub code: ErrorCode,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ErrorCode {
    NotFound,
    InvalidInput,
    /// The request moved on (someone else decided, or the lifecycle forbids it).
    NotAllowed,
    /// No usable OS keychain: nothing was stored.
    KeychainUnavailable,
    /// Nobody is logged in (or the log-in was refused).
    LoggedOut,
    /// The desk is locked: the same operator unlocks it, or another logs in.
    Locked,
    /// The operator's roles do not allow it (or maker–checker refused it).
    NeedsRole,
    /// Another operator is deciding this request.
    Claimed,
    /// The amount reaches the desk's confirmation threshold: ask, then
    /// approve again with `confirmed`.
    NeedsConfirmation,
    Provider,
    Storage,
    /// A team desk's server did not answer: nothing can be decided until
    /// it does (no decision is kept to send later).
    ServerUnreachable,
}

/// Pushed to the UI as the `cashdesk://changed` event whenever stored data
/// changes, from any source (decision, outbox, webhook, intake, sandbox).
#[derive(Debug, Clone, Default, Serialize, serde::Deserialize, TS)]
#[ts(export)]
pub struct Changed {
    pub requests: Vec<RequestId>,
    /// New requests arrived (the UI may bump its unread count). Counted
    /// only: their ids come with the store's own event after the commit.
    pub new_requests: u32,
    pub drafts: bool,
    pub accounts: bool,
    /// A provider account's connection state changed.
    pub links: bool,
}

impl Changed {
    /// A change that makes the window fetch everything again (events
    /// were missed).
    pub fn everything() -> Self {
        Changed {
            drafts: true,
            accounts: true,
            links: true,
            ..Default::default()
        }
    }
}

/// A provider-specific field of a desk request, kept in `details`.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct DetailField {
    /// Dotted names nest: `bank_details.bank_code`.
    pub name: String,
    pub label: String,
    pub hint: String,
    /// Shown for this kind only (`null`: both).
    pub kind: Option<RequestKind>,
    /// Required for these methods; `["*"]`: always.
    pub required_for: Vec<String>,
    /// Sent as a JSON number (Zimo-pagos `bank_code`).
    pub number: bool,
}

/// One provider field of the desk form, required for the methods in `req` ("*": all).
pub(crate) fn detail(
    name: &str,
    label: &str,
    hint: &str,
    kind: RequestKind,
    req: &[&str],
) -> DetailField {
    DetailField {
        name: name.into(),
        label: label.into(),
        hint: hint.into(),
        kind: Some(kind),
        required_for: req.iter().map(|s| (*s).to_owned()).collect(),
        number: false,
    }
}

/// One provider event that could be this request.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct Candidate {
    /// Identifies the event when settling with it.
    pub event_key: String,
    pub received_at: String,
    pub txn_id: String,
    /// The provider's status word ("completed", "rejected").
    pub status: String,
    pub amount: String,
    pub method: String,
    pub user_id: String,
    /// How well it fits: user, amount and method all equal ranks first.
    pub fits: Vec<String>,
    /// What Cashdesk did with it when it arrived.
    pub note: String,
}

/// Who is deciding a request, as the window shows it.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ClaimView {
    pub by: String,
    pub since: String,
    pub until: String,
    /// The logged-in operator holds it.
    pub mine: bool,
}
