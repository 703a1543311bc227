//! Zimo-pagos' entry in the registry: the steps Cashdesk's generic code
//! asks of it, each forwarding to this folder's functions.

use super::*;
use crate::api::dto::{FormField, ProviderForm};
use crate::providers::shape::DeskForm;
use cashdesk_domain::ProviderKind;

#[async_trait::async_trait]
impl crate::providers::shape::Provider for ZimoPagos {
    fn destination_detail(&self) -> Option<&'static str> {
        Some("bank_account")
    }

    fn push_url(&self, settings: &serde_json::Value) -> Option<String> {
        super::notification_url(settings)
    }

    fn secret_names(&self) -> &'static [&'static str] {
        &[LOGIN, PASS, SIGNING_SECRET]
    }

    fn lookup_window(&self) -> std::time::Duration {
        cashdesk_zimo_pagos::assumptions::LOOKUP_WINDOW
    }

    fn account_form(&self) -> ProviderForm {
        ProviderForm {
            provider: ProviderKind::ZimoPagos,
            label: ProviderKind::ZimoPagos.label().into(),
            default_base_url: "https://api-stg.zimo-pagos.com".into(),
            secrets: vec![
                FormField::new(
                    LOGIN,
                    "Cashout login",
                    "Merchant Panel → Settings → API Access",
                ),
                FormField::new(
                    PASS,
                    "Cashout pass",
                    "Merchant Panel → Settings → API Access",
                ),
                FormField::new(
                    SIGNING_SECRET,
                    "Signing secret",
                    "Key of the Payload-Signature HMAC",
                ),
            ],
            settings: vec![
                FormField::new(
                    "notification_url",
                    "Notification URL",
                    "Public HTTPS address forwarding to this desk's /notifications/zimo-pagos/<account id>",
                ),
                FormField::new(
                    "card_base_url",
                    "Debit-card host (Mexico)",
                    "Given by Zimo-pagos on request; optional",
                ),
            ],
        }
    }

    /// Zimo-pagos calls back only over https; the card host carries the
    /// same credentials and money as the API.
    fn check_settings(
        &self,
        settings: &serde_json::Map<String, serde_json::Value>,
    ) -> Result<(), String> {
        let url = settings
            .get("notification_url")
            .and_then(|v| v.as_str())
            .unwrap_or("");
        if !url.starts_with("https://") {
            return Err("Notification URL: Zimo-pagos requires an https:// address".into());
        }
        if let Some(card) = settings.get("card_base_url").and_then(|v| v.as_str()) {
            crate::providers::https_or_loopback("Debit-card host", card)?;
        }
        Ok(())
    }

    /// Cashouts only.
    fn desk_form(&self, _app: &Cx, _account: cashdesk_domain::AccountId) -> CoreResult<DeskForm> {
        Ok(DeskForm {
            details: super::desk::details(),
            ..DeskForm::takes(&[RequestKind::Withdrawal])
        })
    }

    async fn fetch_methods(
        &self,
        _app: &Cx,
        _account: cashdesk_domain::AccountId,
    ) -> CoreResult<Vec<crate::providers::reference::Method>> {
        Ok(super::desk::methods())
    }

    fn known_methods(
        &self,
        _app: &Cx,
        _account: cashdesk_domain::AccountId,
    ) -> Option<Vec<crate::providers::reference::Method>> {
        Some(super::desk::methods())
    }

    fn inbound(&self) -> Option<(&'static str, axum::routing::MethodRouter<Cx>)> {
        Some((
            "/notifications/zimo-pagos/{account}",
            axum::routing::post(super::inbound::zimo_notification),
        ))
    }

    fn build(
        &self,
        rec: &AccountRecord,
        secret: crate::providers::shape::SecretOf<'_>,
    ) -> CoreResult<crate::providers::shape::Built> {
        let built = build(rec, |name| Ok(secret(name)?.expose().to_owned()))?;
        Ok(std::sync::Arc::new(built))
    }

    fn validate(&self, app: &Cx, new: &cashdesk_store::NewRequest) -> CoreResult<()> {
        let acc = app.providers().account::<Account>(new.account_id)?;
        // The reference is not known yet; any valid one stands in.
        validate(&acc, new.kind, "cd-pending", &new.money, &new.details)
    }

    fn approve_call(
        &self,
        app: &Cx,
        rec: &RequestRecord,
    ) -> CoreResult<crate::providers::shape::StoredCall> {
        let acc = app.providers().account::<Account>(rec.account_id)?;
        crate::providers::shape::stored(&outbox_call(&acc, rec)?)
    }

    async fn deliver(&self, app: &Cx, row: &OutboxRow) -> OutboxOutcome {
        match app.providers().account::<Account>(row.account_id) {
            Ok(acc) => deliver(app, &acc, row).await,
            Err(e) => crate::providers::secrets_unreadable(e),
        }
    }

    /// An id that cannot exist: "not found" proves login, pass and signature work.
    async fn probe(
        &self,
        app: &Cx,
        account: cashdesk_domain::AccountId,
    ) -> CoreResult<crate::providers::Probe> {
        use cashdesk_zimo_pagos::Error as E;
        let acc = app.providers().account::<Account>(account)?;
        Ok(
            match acc
                .client
                .find_by_external_id("cashdesk-connection-check")
                .await
            {
                Ok(_) => crate::providers::Probe::Answered(
                    "Connected to Zimo-pagos: credentials and signature accepted".into(),
                ),
                Err(e) => crate::providers::probe::probe_error(
                    &e,
                    matches!(e, E::NotSent { .. } | E::Unknown { .. }),
                    matches!(e, E::RateLimited { .. }),
                ),
            },
        )
    }

    fn recover(&self, _row: &OutboxRow) -> OutboxOutcome {
        OutboxOutcome::Unknown {
            reason: "Cashdesk stopped while sending this to Zimo-pagos".into(),
        }
    }

    async fn resolve_unknown(&self, app: &Cx, rec: &RequestRecord) -> CoreResult<()> {
        let acc = app.providers().account::<Account>(rec.account_id)?;
        resolve_unknown(app, &acc, rec).await
    }

    async fn poll(&self, app: &Cx, rec: &RequestRecord) -> CoreResult<()> {
        let acc = app.providers().account::<Account>(rec.account_id)?;
        poll(app, &acc, rec).await
    }
}
