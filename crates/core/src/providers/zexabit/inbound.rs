//! Zexabit's signed webhooks, as the local server receives them.

use crate::cx::Cx;
use crate::server::reply::{core_error, error, internal, unknown_account};
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

/// `POST /webhooks/zexabit/{account}`.
pub(crate) async fn zexabit_webhook(
    State(app): State<Cx>,
    Path(account): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Ok(account) = account.parse::<cashdesk_domain::AccountId>() else {
        return unknown_account();
    };
    let sig = headers
        .get("x-zexabit-signature")
        .and_then(|v| v.to_str().ok());
    let app2 = app.clone();
    let body2 = body.clone();
    let sig = sig.map(str::to_owned);
    let result = tokio::task::spawn_blocking(move || {
        super::apply_webhook(&app2, account, sig.as_deref(), &body2)
    })
    .await;
    match result {
        Ok(Ok(super::WebhookReply::Ok(msg))) => (StatusCode::OK, msg).into_response(),
        Ok(Ok(super::WebhookReply::Refused(code, msg))) => {
            tracing::warn!(%account, "webhook refused: {msg}");
            error(
                StatusCode::from_u16(code).unwrap_or(StatusCode::BAD_REQUEST),
                msg,
            )
        }
        Ok(Err(e)) => core_error(e),
        Err(e) => internal(StatusCode::INTERNAL_SERVER_ERROR, &e),
    }
}
