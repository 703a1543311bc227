//! How the local server answers callers: JSON `{error}` bodies, internal
//! failures as a reference to quote (the text goes only to the log), and
//! core errors sorted into statuses a provider retries or gives up on.
//! Shared by the intake API and every provider's push handler.

use crate::error::CoreError;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Json, Response};

pub(crate) fn error(status: StatusCode, message: impl Into<String>) -> Response {
    (status, Json(serde_json::json!({ "error": message.into() }))).into_response()
}

/// An error of ours: the caller learns that it may send again and a
/// reference to quote; the text (paths, SQL, provider details) goes only
/// to the desk's log.
pub(crate) fn internal(status: StatusCode, e: &dyn std::fmt::Display) -> Response {
    let reference = uuid::Uuid::new_v4().simple().to_string()[..8].to_owned();
    tracing::error!(%reference, "local HTTP server: {e}");
    error(
        status,
        format!(
            "the desk could not handle this now; nothing was changed, send it again later (reference {reference})"
        ),
    )
}

/// What a push naming no account of ours in its path gets.
pub(crate) fn unknown_account() -> Response {
    error(StatusCode::NOT_FOUND, "unknown account")
}

/// 500 makes the provider retry later: nothing was lost on our side.
pub(crate) fn core_error(e: CoreError) -> Response {
    match e {
        CoreError::Invalid(m) => error(StatusCode::BAD_REQUEST, m),
        CoreError::Store(cashdesk_store::StoreError::NotFound(m)) => {
            error(StatusCode::NOT_FOUND, m)
        }
        CoreError::Store(
            e @ (cashdesk_store::StoreError::IntakeRefReused { .. }
            | cashdesk_store::StoreError::Conflict(_)),
        ) => error(StatusCode::CONFLICT, e.to_string()),
        // Nothing was saved; the caller may retry once space is freed.
        CoreError::Store(e @ cashdesk_store::StoreError::DiskFull { .. }) => {
            tracing::error!("local HTTP server: {e}");
            error(
                StatusCode::INSUFFICIENT_STORAGE,
                "the desk's disk is full: nothing was saved; send it again later",
            )
        }
        other => internal(StatusCode::INTERNAL_SERVER_ERROR, &other),
    }
}
