//! Zimo-pagos' notifications, as the local server receives them.

use crate::cx::Cx;
use crate::error::CoreError;
use crate::server::reply::{core_error, error, internal, unknown_account};
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

/// Zimo-pagos notifications carry no status and no signature recipe: the
/// only thing trusted is the status fetched from Zimo-pagos itself. A
/// failure answers non-2xx so Zimo-pagos sends the notification again.
pub(crate) async fn zimo_notification(
    State(app): State<Cx>,
    Path(account): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Ok(account) = account.parse::<cashdesk_domain::AccountId>() else {
        return unknown_account();
    };
    let acc = match app.providers().account::<super::Account>(account) {
        Ok(a) => a,
        Err(e) => return core_error(e),
    };
    let content_type = headers.get("content-type").and_then(|v| v.to_str().ok());
    match super::apply_notification(&app, (account, &acc), content_type, &body).await {
        Ok(msg) => (StatusCode::OK, msg).into_response(),
        Err(CoreError::Invalid(m)) => error(StatusCode::BAD_REQUEST, m),
        Err(e) => internal(StatusCode::SERVICE_UNAVAILABLE, &e),
    }
}
