//! Paykassma's postbacks, as the local server receives them.

use super::postback::{PostbackReply, apply_postback};
use crate::cx::Cx;
use crate::server::reply::{core_error, error, internal, unknown_account};
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

/// Paykassma postbacks: the signature is checked by the adapter before
/// anything in the body is used (401, nothing changed, when it fails); a
/// failure on our side answers non-2xx so Paykassma delivers it again.
pub(crate) async fn paykassma_postback(
    State(app): State<Cx>,
    Path(account): Path<String>,
    body: Bytes,
) -> Response {
    let Ok(account) = account.parse::<cashdesk_domain::AccountId>() else {
        return unknown_account();
    };
    let acc = match app.providers().account::<super::Account>(account) {
        Ok(a) => a,
        Err(e) => return core_error(e),
    };
    match apply_postback(&app, account, &acc, &body).await {
        Ok(PostbackReply::Ok(msg)) => (StatusCode::OK, msg).into_response(),
        Ok(PostbackReply::Refused(code, msg)) => {
            tracing::warn!(%account, "Paykassma postback refused: {msg}");
            error(
                StatusCode::from_u16(code).unwrap_or(StatusCode::BAD_REQUEST),
                msg,
            )
        }
        Err(e) => internal(StatusCode::SERVICE_UNAVAILABLE, &e),
    }
}
