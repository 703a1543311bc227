//! Zexabit's entry in the registry: the steps Cashdesk's generic code
//! asks of it, each forwarding to this folder's functions.

use super::*;
use crate::api::dto::{FormField, ProviderForm};
use crate::providers::shape::DeskForm;
use cashdesk_domain::ProviderKind;

#[async_trait::async_trait]
impl crate::providers::shape::Provider for Zexabit {
    fn secret_names(&self) -> &'static [&'static str] {
        &[crate::providers::API_KEY, crate::providers::WEBHOOK_SECRET]
    }

    fn lookup_window(&self) -> std::time::Duration {
        cashdesk_zexabit::assumptions::LOOKUP_WINDOW
    }

    fn account_form(&self) -> ProviderForm {
        ProviderForm {
            provider: ProviderKind::Zexabit,
            label: ProviderKind::Zexabit.label().into(),
            default_base_url: "https://api.portal.zexabit.com".into(),
            secrets: vec![
                FormField::new(
                    crate::providers::API_KEY,
                    "API key",
                    "Partner API key (Bearer)",
                ),
                FormField::new(
                    crate::providers::WEBHOOK_SECRET,
                    "Webhook secret",
                    "Verifies X-Zexabit-Signature",
                ),
            ],
            settings: vec![],
        }
    }

    fn desk_form(&self, _app: &Cx, _account: cashdesk_domain::AccountId) -> CoreResult<DeskForm> {
        Ok(DeskForm {
            agent_numbers: true,
            ..DeskForm::takes(&[RequestKind::Deposit, RequestKind::Withdrawal])
        })
    }

    async fn fetch_methods(
        &self,
        app: &Cx,
        account: cashdesk_domain::AccountId,
    ) -> CoreResult<Vec<crate::providers::reference::Method>> {
        super::reference::fetch_methods(app, account).await
    }

    fn known_methods(
        &self,
        app: &Cx,
        account: cashdesk_domain::AccountId,
    ) -> Option<Vec<crate::providers::reference::Method>> {
        super::reference::known_methods(app, account)
    }

    async fn request_facts(
        &self,
        app: &Cx,
        rec: &RequestRecord,
    ) -> CoreResult<crate::providers::reference::Facts> {
        super::reference::request_facts(app, rec).await
    }

    async fn agent_number(
        &self,
        cx: &Cx,
        account: cashdesk_domain::AccountId,
        method: &str,
    ) -> CoreResult<crate::api::dto::AgentNumberView> {
        let acc = cx.providers().account::<Account>(account)?;
        let a = acc
            .client
            .agent_number(method)
            .await
            .map_err(|e| CoreError::Provider(e.to_string()))?;
        Ok(crate::api::dto::AgentNumberView {
            method: a.method,
            account_number: a.account_number,
            agent_name: a.agent_name.unwrap_or_default(),
            instructions: a.instructions.unwrap_or_default(),
        })
    }

    fn candidate(
        &self,
        rec: &cashdesk_store::RequestRecord,
        event: &cashdesk_store::InboundEvent,
    ) -> Option<crate::api::dto::Candidate> {
        super::reconcile::candidate(rec, event)
    }

    fn settled_by(
        &self,
        rec: &cashdesk_store::RequestRecord,
        event: &cashdesk_store::InboundEvent,
    ) -> CoreResult<(
        cashdesk_domain::RequestStatus,
        cashdesk_store::ProviderFacts,
        String,
    )> {
        super::reconcile::settled_by(rec, event)
    }

    fn inbound(&self) -> Option<(&'static str, axum::routing::MethodRouter<Cx>)> {
        Some((
            "/webhooks/zexabit/{account}",
            axum::routing::post(super::inbound::zexabit_webhook),
        ))
    }

    fn build(
        &self,
        rec: &cashdesk_store::AccountRecord,
        secret: crate::providers::shape::SecretOf<'_>,
    ) -> CoreResult<crate::providers::shape::Built> {
        let client = cashdesk_zexabit::Client::new(
            &rec.base_url,
            secret(crate::providers::API_KEY)?.expose().to_owned(),
            cashdesk_zexabit::Paths::default(),
        )
        .map_err(|e| CoreError::Invalid(format!("{}: {e}", rec.name)))?;
        Ok(std::sync::Arc::new(Account {
            client,
            webhook_secret: secret(crate::providers::WEBHOOK_SECRET)?,
        }))
    }

    fn validate(&self, app: &Cx, new: &cashdesk_store::NewRequest) -> CoreResult<()> {
        let methods = super::reference::cached(app, new.account_id);
        validate(new.into(), methods.as_deref())
    }

    fn approve_call(
        &self,
        app: &Cx,
        rec: &RequestRecord,
    ) -> CoreResult<crate::providers::shape::StoredCall> {
        let methods = super::reference::cached(app, rec.account_id);
        crate::providers::shape::stored(&outbox_call(rec, methods.as_deref())?)
    }

    async fn deliver(&self, app: &Cx, row: &OutboxRow) -> OutboxOutcome {
        match app.providers().account::<Account>(row.account_id) {
            Ok(acc) => deliver(app, &acc, row).await,
            Err(e) => crate::providers::secrets_unreadable(e),
        }
    }

    async fn probe(
        &self,
        app: &Cx,
        account: cashdesk_domain::AccountId,
    ) -> CoreResult<crate::providers::Probe> {
        use cashdesk_zexabit::Error as E;
        let acc = app.providers().account::<Account>(account)?;
        Ok(match acc.client.payment_methods().await {
            Ok(m) => crate::providers::Probe::Answered(format!(
                "Connected to Zexabit: {} payment methods",
                m.len()
            )),
            Err(e) => crate::providers::probe::probe_error(
                &e,
                matches!(e, E::NotSent { .. } | E::Unknown { .. }),
                matches!(e, E::RateLimited { .. }),
            ),
        })
    }

    fn recover(&self, row: &OutboxRow) -> OutboxOutcome {
        recover(row)
    }

    /// No lookup by our reference: a webhook or a person settles it.
    async fn resolve_unknown(&self, _app: &Cx, _rec: &RequestRecord) -> CoreResult<()> {
        Ok(())
    }

    async fn poll(&self, app: &Cx, rec: &RequestRecord) -> CoreResult<()> {
        poll(app, rec).await
    }
}
