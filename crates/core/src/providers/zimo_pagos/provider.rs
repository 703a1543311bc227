//! ZimoPagos's entry in the registry: the steps Cashdesk's generic code
//! asks of it, each forwarding to this folder's functions.

use super::*;

#[async_trait::async_trait]
impl crate::providers::shape::Provider for ZimoPagos {
    fn secret_names(&self) -> &'static [&'static str] {
        &[LOGIN, PASS, SIGNING_SECRET]
    }

    fn lookup_window(&self) -> std::time::Duration {
        cashdesk_zimo_pagos::assumptions::LOOKUP_WINDOW
    }

    fn build(
        &self,
        rec: &AccountRecord,
        secret: crate::providers::shape::SecretOf<'_>,
    ) -> CoreResult<crate::providers::shape::Built> {
        let built = build(rec, |name| Ok(secret(name)?.expose().to_owned()))?;
        Ok(std::sync::Arc::new(built))
    }

    fn validate(&self, app: &Cashdesk, new: &cashdesk_store::NewRequest) -> CoreResult<()> {
        let acc = app.providers().account::<Account>(new.account_id)?;
        // The reference is not known yet; any valid one stands in.
        validate(&acc, new.kind, "cd-pending", &new.money, &new.details)
    }

    fn approve_call(
        &self,
        app: &Cashdesk,
        rec: &RequestRecord,
    ) -> CoreResult<crate::providers::shape::StoredCall> {
        let acc = app.providers().account::<Account>(rec.account_id)?;
        crate::providers::shape::stored(&outbox_call(&acc, rec)?)
    }

    async fn deliver(&self, app: &Cashdesk, row: &OutboxRow) -> OutboxOutcome {
        match app.providers().account::<Account>(row.account_id) {
            Ok(acc) => deliver(app, &acc, row).await,
            Err(e) => crate::providers::secrets_unreadable(e),
        }
    }

    /// An id that cannot exist: "not found" proves login, pass and signature work.
    async fn probe(
        &self,
        app: &Cashdesk,
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

    async fn resolve_unknown(&self, app: &Cashdesk, rec: &RequestRecord) -> CoreResult<()> {
        let acc = app.providers().account::<Account>(rec.account_id)?;
        resolve_unknown(app, &acc, rec).await
    }

    async fn poll(&self, app: &Cashdesk, rec: &RequestRecord) -> CoreResult<()> {
        let acc = app.providers().account::<Account>(rec.account_id)?;
        poll(app, &acc, rec).await
    }
}
