//! The bodies of the desktop commands: plain functions over a `Cashdesk`,
//! called by one-line Tauri adapters and directly by tests. Each returns
//! `Result<_, ApiError>`, the only error shape the UI sees.

pub mod accounts;
pub mod desk;
pub mod drafts;
pub mod dto;
pub mod requests;

use crate::app::{Cashdesk, OPERATOR_KEY};
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
        operator: app.store().setting(OPERATOR_KEY)?,
        data_dir: app.config().data_dir.display().to_string(),
        intake_url: app
            .http_info()
            .map(|h| format!("http://{}/intake/v1/requests", h.addr)),
    })
}

/// Records who is at the desk; every decision carries this name.
pub fn set_operator(app: &Cashdesk, name: &str) -> ApiResult<AppInfo> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 60 {
        return Err(invalid("Your name: 1 to 60 characters"));
    }
    let actor = cashdesk_domain::Actor::Operator(name.to_owned());
    app.store().set_setting(OPERATOR_KEY, name, &actor)?;
    app_info(app)
}
