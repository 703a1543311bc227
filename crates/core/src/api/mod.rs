//! The bodies of the desktop commands: plain functions over a `Cashdesk`,
//! called by one-line Tauri adapters and directly by tests. Each returns
//! `Result<_, ApiError>`, the only error shape the UI sees.

pub mod accounts;
pub mod audit;
pub mod audit_export;
pub mod calls;
pub mod desk;
pub mod drafts;
pub mod dto;
pub mod export;
pub mod import;
pub mod notify_prefs;
pub mod operators;
pub mod overview;
pub mod people;
pub mod policy;
mod queue_dto;
pub mod reconcile;
pub mod requests;
pub mod risk;
pub mod session;
pub mod shift_report;
pub mod shifts;
pub mod supervisor;
pub mod team_sessions;
pub mod views;

use crate::app::Cashdesk;
use dto::{ApiError, AppInfo, ErrorCode};

pub type ApiResult<T> = Result<T, ApiError>;

pub(crate) fn invalid(message: impl Into<String>) -> ApiError {
    ApiError {
        code: ErrorCode::InvalidInput,
        message: message.into(),
    }
}

pub fn app_info(app: &Cashdesk) -> ApiResult<AppInfo> {
    Ok(AppInfo {
        version: env!("CARGO_PKG_VERSION").to_owned(),
        sandbox: app.is_sandbox(),
        operator: app.session_state()?.1.map(|o| o.name),
        data_dir: app.config().data_dir.display().to_string(),
        intake_url: app
            .http_info()
            .map(|h| format!("http://{}/intake/v1/requests", h.addr)),
    })
}

/// Where the operator's platform sends requests, and how its integrator
/// gets the token (never sent to the window: it is read from the keychain).
#[derive(Debug, Clone, serde::Serialize, ts_rs::TS)]
#[ts(export)]
pub struct IntakeInfo {
    pub url: String,
    pub openapi_url: String,
    pub token_in_keychain: bool,
    /// A shell command that prints the token, when it is in the keychain.
    pub read_token_command: Option<String>,
}

pub fn intake_info(app: &Cashdesk) -> ApiResult<IntakeInfo> {
    // The command prints the token that files requests: an admin's.
    app.acting(cashdesk_domain::Permission::Administer)?;
    let http = app.http_info().ok_or_else(|| ApiError {
        code: ErrorCode::NotFound,
        message: "The local HTTP server is not running".into(),
    })?;
    Ok(IntakeInfo {
        url: format!("http://{}/intake/v1/requests", http.addr),
        openapi_url: format!("http://{}/intake/v1/openapi.json", http.addr),
        token_in_keychain: http.token_in_keychain,
        read_token_command: http.token_in_keychain.then(|| {
            format!(
                "secret-tool lookup service {} username app:{}",
                app.keychain().service(),
                crate::intake_http::TOKEN_NAME
            )
        }),
    })
}

/// A new intake token; the old one stops working at once (audited).
pub fn rotate_intake_token(app: &Cashdesk) -> ApiResult<IntakeInfo> {
    let actor = app.acting(cashdesk_domain::Permission::Administer)?;
    crate::intake_http::rotate(app)?;
    app.store()
        .record_act(&actor, "intake.token_rotated", "intake")?;
    intake_info(app)
}
