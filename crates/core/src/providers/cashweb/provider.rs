//! CashWeb's entry in the registry: the steps Cashdesk's generic code
//! asks of it, each forwarding to this folder's functions.

use super::*;
use crate::api::dto::{FormField, ProviderForm};
use crate::providers::shape::DeskForm;
use cashdesk_domain::ProviderKind;

#[async_trait::async_trait]
impl crate::providers::shape::Provider for Cashweb {
    fn has_deadlines(&self) -> bool {
        true
    }

    fn deadline(
        &self,
        rec: &cashdesk_store::RequestRecord,
    ) -> Option<chrono::DateTime<chrono::Utc>> {
        rec.details
            .get("expires_at")
            .and_then(|v| v.as_str())
            .and_then(|s| chrono::DateTime::parse_from_rfc3339(s).ok())
            .map(|at| at.with_timezone(&chrono::Utc))
    }

    async fn read_feed(
        &self,
        cx: &Cx,
        account: cashdesk_domain::AccountId,
        limit: u32,
        max_pages: u32,
    ) -> CoreResult<Option<u32>> {
        let acc = cx.providers().account::<super::Account>(account)?;
        super::feed::sync(cx, account, &acc, limit, max_pages)
            .await
            .map(Some)
    }

    fn secret_names(&self) -> &'static [&'static str] {
        &[crate::providers::API_KEY]
    }

    fn lookup_window(&self) -> std::time::Duration {
        cashdesk_cashweb::assumptions::LOOKUP_WINDOW
    }

    fn account_form(&self) -> ProviderForm {
        ProviderForm {
            provider: ProviderKind::Cashweb,
            label: ProviderKind::Cashweb.label().into(),
            default_base_url: "https://api.cashweb.example".into(),
            secrets: vec![FormField::new(
                crate::providers::API_KEY,
                "API key",
                "Partner API key",
            )],
            settings: vec![FormField::new(
                "auth_header",
                "Auth header name",
                "Optional, e.g. X-API-Key; empty sends Authorization: Bearer",
            )],
        }
    }

    /// Deposits arrive from CashWeb's own list only.
    fn desk_form(&self, _app: &Cx, _account: cashdesk_domain::AccountId) -> CoreResult<DeskForm> {
        Ok(DeskForm {
            unavailable: Some(
                "CashWeb deposits arrive from CashWeb's own transaction list; nothing is filed at the desk."
                    .into(),
            ),
            ..DeskForm::takes(&[])
        })
    }

    fn build(
        &self,
        rec: &AccountRecord,
        secret: crate::providers::shape::SecretOf<'_>,
    ) -> CoreResult<crate::providers::shape::Built> {
        Ok(std::sync::Arc::new(build(
            rec,
            secret(crate::providers::API_KEY)?.expose(),
        )?))
    }

    fn validate(&self, _app: &Cx, new: &NewRequest) -> CoreResult<()> {
        validate(new)
    }

    fn approve_call(
        &self,
        _app: &Cx,
        rec: &RequestRecord,
    ) -> CoreResult<crate::providers::shape::StoredCall> {
        crate::providers::shape::stored(&outbox_call(rec)?)
    }

    /// Cancel at CashWeb, once it named the transaction.
    fn reject_call(
        &self,
        rec: &RequestRecord,
    ) -> CoreResult<Option<crate::providers::shape::StoredCall>> {
        if rec.provider_txn_id.is_none() {
            return Ok(None);
        }
        crate::providers::shape::stored(&reject_call(rec)?).map(Some)
    }

    /// The latest state first, as the document asks before any
    /// user-facing action.
    async fn before_reject(&self, app: &Cx, rec: &RequestRecord) -> CoreResult<()> {
        if rec.status.is_decidable() || rec.status == RequestStatus::Failed {
            check_before_reject(app, rec).await
        } else {
            Ok(())
        }
    }

    /// Near its deadline, the latest state first (the document: "fetch
    /// latest state before any user-facing action").
    async fn before_approve(&self, app: &Cx, rec: &RequestRecord) -> CoreResult<()> {
        if rec.status.is_decidable() && crate::providers::cashweb::near_deadline(rec) {
            crate::providers::cashweb::check_before_approve(app, rec).await
        } else {
            Ok(())
        }
    }

    async fn deliver(&self, app: &Cx, row: &OutboxRow) -> OutboxOutcome {
        match app.providers().account::<Account>(row.account_id) {
            Ok(acc) => deliver(&acc, row).await,
            Err(e) => crate::providers::secrets_unreadable(e),
        }
    }

    async fn probe(
        &self,
        app: &Cx,
        account: cashdesk_domain::AccountId,
    ) -> CoreResult<crate::providers::Probe> {
        use cashdesk_cashweb::Error as E;
        let acc = app.providers().account::<Account>(account)?;
        Ok(match acc.client.list_transactions(1, None).await {
            Ok(_) => crate::providers::Probe::Answered(
                "Connected to CashWeb: transaction list readable".into(),
            ),
            Err(e) => crate::providers::probe::probe_error(
                &e,
                matches!(e, E::NotSent { .. } | E::Unknown { .. }),
                matches!(e, E::RateLimited { .. }),
            ),
        })
    }

    fn recover(&self, _row: &OutboxRow) -> OutboxOutcome {
        recover()
    }

    async fn resolve_unknown(&self, app: &Cx, rec: &RequestRecord) -> CoreResult<()> {
        resolve_unknown(app, rec)
    }

    async fn poll(&self, app: &Cx, rec: &RequestRecord) -> CoreResult<()> {
        let acc = app.providers().account::<Account>(rec.account_id)?;
        poll(app, &acc, rec).await
    }
}
