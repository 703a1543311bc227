//! Filing a new request: one per `(source, intake_ref)`, a reused key with
//! another body refused, and never on a removed account.

use crate::requests::{NewRequest, RequestRecord, get_in};
use crate::sql::{Db, OptionalExtension, params};
use crate::{QueueView, audit};
use crate::{Result, StoreError, now_ms};
use cashdesk_domain::{Actor, MerchantRef, RequestId, RequestStatus};

pub(crate) fn insert_or_get_in(
    tx: &Db<'_>,
    new: &NewRequest,
    actor: &Actor,
    maker: Option<cashdesk_domain::OperatorId>,
) -> Result<(RequestRecord, bool)> {
    if let Some(r) = &new.intake_ref {
        let existing: Option<String> = tx
            .query_row(
                "SELECT id FROM requests WHERE source = ?1 AND intake_ref = ?2",
                params![new.source.as_str(), r],
                |row| row.get(0),
            )
            .optional()?;
        if let Some(id) = existing {
            let id = id.parse().map_err(|_| StoreError::Corrupt(id.clone()))?;
            let first = get_in(tx, id)?;
            // A reused key with another body is the caller's mistake, not
            // a retry: answering with the first request would hide it.
            if let Some(field) = differs(&first, new) {
                return Err(StoreError::IntakeRefReused {
                    intake_ref: r.clone(),
                    field,
                });
            }
            return Ok((first, false));
        }
    }
    let id = insert_in(tx, new, actor, maker)?;
    Ok((get_in(tx, id)?, true))
}

/// The first field in which a repeated intake differs from the request
/// first filed under its `intake_ref`.
fn differs(first: &RequestRecord, new: &NewRequest) -> Option<&'static str> {
    let checks: [(&'static str, bool); 13] = [
        ("kind", first.kind == new.kind),
        ("provider", first.provider == new.provider),
        ("account_id", first.account_id == new.account_id),
        ("method", first.method == new.method),
        ("amount", first.money == new.money),
        ("end_user_ref", first.end_user_ref == new.end_user_ref),
        ("end_user_name", first.end_user_name == new.end_user_name),
        (
            "provider_user_id",
            first.provider_user_id == new.provider_user_id,
        ),
        ("trx_id", first.trx_id == new.trx_id),
        ("sender", first.sender == new.sender),
        ("destination", first.destination == new.destination),
        ("agent_number", first.agent_number == new.agent_number),
        ("details", first.details == new.details),
    ];
    checks.into_iter().find(|(_, same)| !same).map(|(f, _)| f)
}

/// Files `new` as `actor`. Its maker (never its approver) is the operator
/// acting, or `maker` when a person had the integration file it (CSV).
pub(crate) fn insert_in(
    tx: &Db<'_>,
    new: &NewRequest,
    actor: &Actor,
    maker: Option<cashdesk_domain::OperatorId>,
) -> Result<RequestId> {
    // Every path that files a request (intake, desk, CSV, feed) meets this.
    let removed: Option<Option<i64>> = tx
        .query_row(
            "SELECT removed_ms FROM provider_accounts WHERE id = ?1",
            params![new.account_id.to_string()],
            |r| r.get(0),
        )
        .optional()?;
    if !matches!(removed, Some(None)) {
        return Err(StoreError::Conflict(format!(
            "provider account {} was removed (or never added): it takes no new requests",
            new.account_id
        )));
    }
    let id = RequestId::new();
    let now = now_ms();
    let status = RequestStatus::Pending;
    tx.execute(
        "INSERT INTO requests (id, kind, provider, account_id, method, amount, currency, end_user_ref,
            end_user_name, provider_user_id, trx_id, sender, destination, agent_number, merchant_ref,
            status, view, source, intake_ref, created_ms, updated_ms, details_json, entered_by, expires_ms)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?20, ?21, ?22, ?23)",
        params![
            id.to_string(),
            new.kind.as_str(),
            new.provider.as_str(),
            new.account_id.to_string(),
            new.method,
            new.money.amount.to_string(),
            new.money.currency.code(),
            new.end_user_ref,
            new.end_user_name,
            new.provider_user_id,
            new.trx_id,
            new.sender,
            new.destination,
            new.agent_number,
            MerchantRef::for_request(id).0,
            status.as_str(),
            QueueView::of(status).as_str(),
            new.source.as_str(),
            new.intake_ref,
            now,
            new.details.to_string(),
            // A person filing it at the desk is its maker: never its checker.
            maker
                .or(actor.operator_ref().map(|o| o.id))
                .map(|id| id.to_string()),
            new.expires.map(|t| t.timestamp_millis())
        ],
    )?;
    tx.execute(
        "INSERT INTO request_events (request_id, at_ms, actor, from_status, to_status, reason)
         VALUES (?1, ?2, ?3, NULL, ?4, ?5)",
        params![
            id.to_string(),
            now,
            actor.to_string(),
            status.as_str(),
            format!("received from {}", new.source.as_str())
        ],
    )?;
    audit::append(
        tx,
        actor,
        "request.created",
        &id.to_string(),
        &serde_json::json!({ "kind": new.kind.as_str(), "amount": new.money.to_string(), "method": new.method }),
    )?;
    if let Some(shot) = &new.screenshot {
        crate::attachments::put_in(tx, crate::attachments::Owner::Request(id), shot)?;
    }
    Ok(id)
}
