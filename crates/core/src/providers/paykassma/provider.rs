//! Paykassma's entry in the registry: the steps Cashdesk's generic code
//! asks of it, each forwarding to this folder's functions.

use super::*;
use crate::api::dto::{FormField, ProviderForm};
use crate::providers::shape::DeskForm;
use cashdesk_domain::ProviderKind;

#[async_trait::async_trait]
impl crate::providers::shape::Provider for Paykassma {
    fn secret_names(&self) -> &'static [&'static str] {
        &[SECRET, PRIVATE_KEY]
    }

    fn lookup_window(&self) -> std::time::Duration {
        cashdesk_paykassma::assumptions::LOOKUP_WINDOW
    }

    fn account_form(&self) -> ProviderForm {
        ProviderForm {
            provider: ProviderKind::Paykassma,
            label: ProviderKind::Paykassma.label().into(),
            default_base_url: "https://api.paykassma.com".into(),
            secrets: vec![
                FormField::new(
                    SECRET,
                    "PLUGINAPI secret",
                    "Sent as the secret query parameter on every call but withdrawals",
                ),
                FormField::new(
                    PRIVATE_KEY,
                    "Private key",
                    "Signs withdrawals and verifies postbacks",
                ),
            ],
            settings: vec![
                FormField::new(
                    "test_withdrawals",
                    "Test withdrawals",
                    "yes: withdrawals are sent with is_test (nothing is paid out)",
                ),
                FormField::new(
                    "allow_unsigned_deposit_postbacks",
                    "Unsigned deposit postbacks",
                    "yes: take them only as a hint to look the deposit up; postback URL is /postbacks/paykassma/<account id>",
                ),
            ],
        }
    }

    fn desk_form(&self, app: &Cx, account: cashdesk_domain::AccountId) -> CoreResult<DeskForm> {
        let acc = app.providers().account::<Account>(account)?;
        Ok(DeskForm {
            details: super::desk::details(acc.client.rules()),
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

    async fn balances(
        &self,
        app: &Cx,
        account: cashdesk_domain::AccountId,
    ) -> CoreResult<Option<Vec<crate::providers::reference::Balance>>> {
        super::reference::balances(app, account).await.map(Some)
    }

    async fn request_facts(
        &self,
        app: &Cx,
        rec: &RequestRecord,
    ) -> CoreResult<crate::providers::reference::Facts> {
        super::reference::request_facts(app, rec).await
    }

    fn inbound(&self) -> Option<(&'static str, axum::routing::MethodRouter<Cx>)> {
        Some((
            "/postbacks/paykassma/{account}",
            axum::routing::post(super::inbound::paykassma_postback),
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

    fn validate(&self, app: &Cx, new: &NewRequest) -> CoreResult<()> {
        validate(&*app.providers().account::<Account>(new.account_id)?, new)
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

    async fn probe(
        &self,
        app: &Cx,
        account: cashdesk_domain::AccountId,
    ) -> CoreResult<crate::providers::Probe> {
        use cashdesk_paykassma::Error as E;
        let acc = app.providers().account::<Account>(account)?;
        Ok(match acc.client.balances().await {
            Ok(b) => crate::providers::Probe::Answered(format!(
                "Connected to Paykassma: {} balances readable",
                b.len()
            )),
            Err(e) => crate::providers::probe::probe_error(
                &e,
                matches!(e, E::NotSent { .. } | E::Unknown { .. }),
                matches!(e, E::RateLimited { .. }),
            ),
        })
    }

    fn recover(&self, _row: &OutboxRow) -> OutboxOutcome {
        OutboxOutcome::Unknown {
            reason: "Cashdesk stopped while sending this to Paykassma".into(),
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
