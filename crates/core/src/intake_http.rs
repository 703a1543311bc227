//! The operator intake API over HTTP: create requests and read their
//! decisions back, behind a bearer token kept in the OS keychain. Its
//! OpenAPI document is generated from these handlers and types (utoipa),
//! served at `/intake/v1/openapi.json` and committed as
//! `docs/intake-openapi.json` (a test fails on drift).

use crate::app::Cashdesk;
use crate::intake::{IntakeRequest, IntakeScreenshot, IntakeStatus};
use crate::server::{core_error, error, internal};
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Json, Response};
use utoipa::OpenApi;

/// An error answer: what went wrong, in words.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
struct ErrorBody {
    error: String,
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Cashdesk operator intake API",
        description = "Push deposit and withdrawal requests into the cash desk's queue and read the agents' decisions back. Listens on loopback by default. Every call but this document needs `Authorization: Bearer <token>`; the token lives in the OS keychain (Settings → Intake shows how to read it)."
    ),
    paths(create, read),
    components(schemas(IntakeRequest, IntakeScreenshot, IntakeStatus, ErrorBody)),
    modifiers(&BearerAuth)
)]
pub struct IntakeApi;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The keychain entry (`app:intake_token`) of the bearer token.
pub const TOKEN_NAME: &str = "intake_token";

fn new_token() -> String {
    hex::encode(rand::random::<[u8; 24]>())
}

/// The intake token and whether it is kept in the keychain: read from it,
/// or made and stored on first start. Without a keychain the token is for
/// this run only (the platform must be given it again after a restart).
pub(crate) fn token(app: &Cashdesk) -> (String, bool) {
    use cashdesk_secrets::{Secret, SecretError};
    let keychain = app.keychain();
    match keychain.load_app(TOKEN_NAME) {
        Ok(t) => (t.expose().to_owned(), true),
        Err(SecretError::Missing { .. }) => {
            let t = new_token();
            match keychain.store_app(TOKEN_NAME, &Secret::new(t.clone())) {
                Ok(()) => (t, true),
                Err(e) => {
                    tracing::warn!("intake token for this run only: {e}");
                    (t, false)
                }
            }
        }
        Err(e) => {
            tracing::warn!("intake token for this run only: {e}");
            (new_token(), false)
        }
    }
}

/// Replaces the token (the old one stops working at once); stored in the
/// keychain first, so a failure leaves the old one in force.
pub(crate) fn rotate(app: &Cashdesk) -> crate::error::CoreResult<()> {
    let t = new_token();
    app.keychain()
        .store_app(TOKEN_NAME, &cashdesk_secrets::Secret::new(t.clone()))?;
    app.set_intake_token(t, true);
    Ok(())
}

/// The OpenAPI document (JSON), as served and as committed in docs/.
pub fn openapi_json() -> String {
    IntakeApi::openapi()
        .to_pretty_json()
        .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}

pub(crate) async fn openapi() -> Response {
    (
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        openapi_json(),
    )
        .into_response()
}

fn authorised(app: &Cashdesk, headers: &HeaderMap) -> bool {
    let Some(info) = app.http_info() else {
        return false;
    };
    let given = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    // Constant time, so the token cannot be guessed byte by byte.
    given.is_some_and(|g| {
        bool::from(subtle::ConstantTimeEq::ct_eq(
            g.as_bytes(),
            info.intake_token.as_bytes(),
        ))
    })
}

/// Files one request. Idempotent on `intake_ref`: sending the same one
/// again returns the first request (200) instead of a second (201); the
/// same `intake_ref` with another body is refused (409), as a reused
/// idempotency key is elsewhere.
#[utoipa::path(
    post,
    path = "/intake/v1/requests",
    request_body = IntakeRequest,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Filed: pending in the queue", body = IntakeStatus),
        (status = 200, description = "Already filed with this intake_ref", body = IntakeStatus),
        (status = 400, description = "Refused, naming the field", body = ErrorBody),
        (status = 401, description = "Missing or wrong bearer token", body = ErrorBody),
        (status = 409, description = "This intake_ref was used for another request (the field that differs is named)", body = ErrorBody),
        (status = 413, description = "Body over 256 KiB", body = ErrorBody),
    )
)]
pub(crate) async fn create(
    State(app): State<Cashdesk>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if !authorised(&app, &headers) {
        return error(StatusCode::UNAUTHORIZED, "missing or wrong bearer token");
    }
    let req: IntakeRequest = match serde_json::from_slice(&body) {
        Ok(r) => r,
        Err(e) => return error(StatusCode::BAD_REQUEST, format!("unreadable request: {e}")),
    };
    match tokio::task::spawn_blocking(move || crate::intake::submit(&app, &req)).await {
        Ok(Ok((rec, created))) => {
            let status = if created {
                StatusCode::CREATED
            } else {
                StatusCode::OK
            };
            (status, Json(IntakeStatus::from(&rec))).into_response()
        }
        Ok(Err(e)) => core_error(e),
        Err(e) => internal(StatusCode::INTERNAL_SERVER_ERROR, &e),
    }
}

/// Where a request stands: the decision, the provider's words and ids.
#[utoipa::path(
    get,
    path = "/intake/v1/requests/{intake_ref}",
    params(("intake_ref" = String, Path, description = "The platform's own id, as sent")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The request's state", body = IntakeStatus),
        (status = 401, description = "Missing or wrong bearer token", body = ErrorBody),
        (status = 404, description = "No request with this intake_ref", body = ErrorBody),
    )
)]
pub(crate) async fn read(
    State(app): State<Cashdesk>,
    Path(intake_ref): Path<String>,
    headers: HeaderMap,
) -> Response {
    if !authorised(&app, &headers) {
        return error(StatusCode::UNAUTHORIZED, "missing or wrong bearer token");
    }
    match app.store().find_by_intake_ref(&intake_ref) {
        Ok(Some(rec)) => Json(IntakeStatus::from(&rec)).into_response(),
        Ok(None) => error(
            StatusCode::NOT_FOUND,
            format!("no request with intake_ref {intake_ref}"),
        ),
        Err(e) => core_error(e.into()),
    }
}
