//! The one shape every provider has in the core: [`Provider`] (the steps
//! Cashdesk's generic code asks of it), the stored form of its typed
//! outbox calls, and the registry ([`provider`]) — the one place that
//! names all four. A fifth provider is one adapter crate, one folder here
//! with its `impl Provider`, one line in [`provider`] and one simulator
//! module (`docs/ARCHITECTURE.md`, "Adding a provider").

use crate::cx::Cx;
use crate::error::{CoreError, CoreResult};
use cashdesk_domain::{AccountId, ProviderKind};
use cashdesk_http::Secret;
use cashdesk_store::{AccountRecord, NewRequest, OutboxOutcome, OutboxRow, RequestRecord};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::any::Any;
use std::sync::Arc;
use std::time::Duration;

/// A provider account's client and state, built once from its record and
/// secrets and shared by every step (downcast to the provider's own type).
pub(crate) type Built = Arc<dyn Any + Send + Sync>;

/// Reads one of the account's secrets (keychain, or a sandbox run's memory).
pub(crate) type SecretOf<'a> = &'a dyn Fn(&'static str) -> CoreResult<Secret>;

/// What Cashdesk's generic steps (intake, approve, reject, the outbox
/// worker, start-up recovery, the poller) ask of one provider.
#[async_trait::async_trait]
pub(crate) trait Provider: Send + Sync {
    /// The keychain entries an account needs, in form order.
    fn secret_names(&self) -> &'static [&'static str];
    /// What adding an account asks for (Settings → Add account).
    fn account_form(&self) -> crate::api::dto::ProviderForm;
    /// Checks the form's settings beyond "present" (`Err`: why, in words).
    fn check_settings(
        &self,
        _settings: &serde_json::Map<String, serde_json::Value>,
    ) -> Result<(), String> {
        Ok(())
    }
    /// How long the provider keeps what Cashdesk looks up by its reference
    /// (an assumption in each adapter: the documents give no period).
    fn lookup_window(&self) -> Duration;
    /// The account's client and state, from its record and secrets.
    fn build(&self, rec: &AccountRecord, secret: SecretOf<'_>) -> CoreResult<Built>;
    /// What the desk's new-request form takes for `account` (beyond methods).
    fn desk_form(&self, app: &Cx, account: AccountId) -> CoreResult<DeskForm>;
    /// Checks a new request against the provider's rules (no network).
    fn validate(&self, app: &Cx, new: &NewRequest) -> CoreResult<()>;
    /// The call approving `rec` causes.
    fn approve_call(&self, app: &Cx, rec: &RequestRecord) -> CoreResult<StoredCall>;
    /// The call rejecting `rec` causes, if the provider must be told.
    fn reject_call(&self, _rec: &RequestRecord) -> CoreResult<Option<StoredCall>> {
        Ok(None)
    }
    /// What must be checked with the provider before an agent rejects.
    async fn before_reject(&self, _app: &Cx, _rec: &RequestRecord) -> CoreResult<()> {
        Ok(())
    }
    /// What must be checked with the provider before an agent approves
    /// (CashWeb: the latest state near its deadline).
    async fn before_approve(&self, _app: &Cx, _rec: &RequestRecord) -> CoreResult<()> {
        Ok(())
    }
    /// Sends one claimed outbox row and sorts the answer into an outcome.
    async fn deliver(&self, app: &Cx, row: &OutboxRow) -> OutboxOutcome;
    /// What a row left `sending` by a crash becomes (never a blind resend).
    fn recover(&self, row: &OutboxRow) -> OutboxOutcome;
    /// Looks an unknown outcome up, where the document defines a lookup.
    async fn resolve_unknown(&self, app: &Cx, rec: &RequestRecord) -> CoreResult<()>;
    /// Asks about a request the provider accepted (covers missed pushes).
    async fn poll(&self, app: &Cx, rec: &RequestRecord) -> CoreResult<()>;
    /// The methods an account offers, asked now.
    async fn fetch_methods(
        &self,
        _app: &Cx,
        _account: AccountId,
    ) -> CoreResult<Vec<super::reference::Method>> {
        Ok(Vec::new())
    }
    /// Methods known without the network (a fixed list, or kept by other steps).
    fn known_methods(
        &self,
        _app: &Cx,
        _account: AccountId,
    ) -> Option<Vec<super::reference::Method>> {
        None
    }
    /// The account's balances, where the document gives a way to ask;
    /// `None`: it gives none (a person types them at a shift close).
    async fn balances(
        &self,
        _app: &Cx,
        _account: AccountId,
    ) -> CoreResult<Option<Vec<super::reference::Balance>>> {
        Ok(None)
    }
    /// Facts about one request an agent decides with (asked on demand).
    async fn request_facts(
        &self,
        _app: &Cx,
        _rec: &RequestRecord,
    ) -> CoreResult<super::reference::Facts> {
        Ok((Vec::new(), Vec::new()))
    }
    /// One of its own events that settled nothing, as a candidate a person
    /// may match `rec` to (providers offering no lookup by our reference).
    fn candidate(
        &self,
        _rec: &RequestRecord,
        _event: &cashdesk_store::InboundEvent,
    ) -> Option<crate::api::dto::Candidate> {
        None
    }
    /// What the event a person matched settles `rec` as: state, facts, why.
    fn settled_by(
        &self,
        _rec: &RequestRecord,
        _event: &cashdesk_store::InboundEvent,
    ) -> CoreResult<(
        cashdesk_domain::RequestStatus,
        cashdesk_store::ProviderFacts,
        String,
    )> {
        Err(CoreError::Invalid(
            "this provider's requests are settled by looking them up, not by matching events"
                .into(),
        ))
    }
    /// The detail a draft's destination fills, where the provider keeps
    /// the destination among its own details.
    fn destination_detail(&self) -> Option<&'static str> {
        None
    }
    /// An agent number to show the customer for a deposit by `method`.
    async fn agent_number(
        &self,
        _cx: &Cx,
        _account: AccountId,
        _method: &str,
    ) -> CoreResult<crate::api::dto::AgentNumberView> {
        Err(CoreError::Invalid(
            "this provider hands out no agent numbers".into(),
        ))
    }
    /// The address an account gave the provider to push to, if any (its
    /// host is one the local server answers to).
    fn push_url(&self, _settings: &serde_json::Value) -> Option<String> {
        None
    }
    /// Reads the account's list of new transactions (providers whose
    /// requests arrive only through such a list: CashWeb); `None`: it has none.
    async fn read_feed(
        &self,
        _cx: &Cx,
        _account: AccountId,
        _limit: u32,
        _max_pages: u32,
    ) -> CoreResult<Option<u32>> {
        Ok(None)
    }
    /// When a pending request lapses at the provider, if it does (asked
    /// about after that, so it expires on the provider's word).
    fn deadline(&self, _rec: &RequestRecord) -> Option<chrono::DateTime<chrono::Utc>> {
        None
    }
    /// Whether `deadline` can ever say something: the deadline watch reads
    /// only these providers' pending requests (an idle desk's CPU).
    fn has_deadlines(&self) -> bool {
        false
    }
    /// The route its pushes (webhook, postback, notification) arrive on,
    /// with `{account}` in the path; `None`: it pushes nothing to us.
    fn inbound(&self) -> Option<(&'static str, axum::routing::MethodRouter<Cx>)> {
        None
    }
    /// One light read with the account's secrets: "Check connection" and
    /// the connection state the window shows.
    async fn probe(&self, app: &Cx, account: AccountId) -> CoreResult<super::Probe>;
}

/// What an account takes at the desk, beyond its methods.
pub(crate) struct DeskForm {
    pub kinds: Vec<cashdesk_domain::RequestKind>,
    /// The provider's own fields, kept in the request's `details`.
    pub details: Vec<crate::api::dto::DetailField>,
    /// Whether the provider hands out agent numbers to show the customer.
    pub agent_numbers: bool,
    /// Why nothing can be filed at the desk, if so.
    pub unavailable: Option<String>,
}

impl DeskForm {
    pub(crate) fn takes(kinds: &[cashdesk_domain::RequestKind]) -> Self {
        Self {
            kinds: kinds.to_vec(),
            details: vec![],
            agent_numbers: false,
            unavailable: None,
        }
    }
}

/// The registry: each provider's steps, by kind.
pub(crate) fn provider(kind: ProviderKind) -> &'static dyn Provider {
    match kind {
        ProviderKind::Zexabit => &super::zexabit::Zexabit,
        ProviderKind::ZimoPagos => &super::zimo_pagos::ZimoPagos,
        ProviderKind::Paykassma => &super::paykassma::Paykassma,
        ProviderKind::Cashweb => &super::cashweb::Cashweb,
    }
}

/// An outbox call as the store keeps it: the effect string (the typed
/// call's serde tag, e.g. `zexabit.deposit`) and its payload.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct StoredCall {
    pub effect: String,
    pub payload: serde_json::Value,
}

/// Stores a provider's typed call: `#[serde(tag = "effect", content =
/// "payload")]` with today's effect strings, so stored rows need no migration.
pub(crate) fn stored<C: Serialize>(call: &C) -> CoreResult<StoredCall> {
    let v = serde_json::to_value(call).map_err(|e| CoreError::Invalid(e.to_string()))?;
    let effect = v.get("effect").and_then(|e| e.as_str()).map(str::to_owned);
    match (effect, v.get("payload")) {
        (Some(effect), Some(payload)) => Ok(StoredCall {
            effect,
            payload: payload.clone(),
        }),
        _ => Err(CoreError::Invalid(format!(
            "a call must be stored as effect and payload: {v}"
        ))),
    }
}

/// Reads a stored row back into the provider's typed call; a row it
/// cannot read fails (shown to a person), never sent as a guess.
pub(crate) fn read<C: DeserializeOwned>(row: &OutboxRow) -> Result<C, OutboxOutcome> {
    let v = serde_json::json!({ "effect": row.effect, "payload": row.payload });
    serde_json::from_value(v).map_err(|e| OutboxOutcome::Failed {
        reason: format!("stored call {} is unreadable: {e}", row.effect),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    #[serde(tag = "effect", content = "payload")]
    enum Call {
        #[serde(rename = "demo.pay")]
        Pay { id: String },
    }

    fn row(effect: &str, payload: serde_json::Value) -> OutboxRow {
        OutboxRow {
            id: 1,
            request_id: cashdesk_domain::RequestId::new(),
            account_id: cashdesk_domain::AccountId::new(),
            effect: effect.into(),
            merchant_ref: cashdesk_domain::MerchantRef("cd-1".into()),
            payload,
            state: cashdesk_store::OutboxState::Pending,
            attempts: 0,
            last_error: None,
            follow_up: false,
        }
    }

    #[test]
    fn a_call_is_stored_as_its_effect_string_and_read_back() {
        let s = stored(&Call::Pay { id: "7".into() }).unwrap();
        assert_eq!(s.effect, "demo.pay");
        assert_eq!(s.payload, serde_json::json!({"id": "7"}));
        let back: Call = read(&row(&s.effect, s.payload)).unwrap();
        assert_eq!(back, Call::Pay { id: "7".into() });
    }

    #[test]
    fn an_unknown_or_damaged_row_fails_instead_of_being_sent() {
        let other = read::<Call>(&row("demo.refund", serde_json::json!({"id": "7"})));
        assert!(matches!(other, Err(OutboxOutcome::Failed { .. })));
        let damaged = read::<Call>(&row("demo.pay", serde_json::json!({"id": 7})));
        assert!(matches!(damaged, Err(OutboxOutcome::Failed { .. })));
    }
}
