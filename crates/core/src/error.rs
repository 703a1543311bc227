//! Core errors and their one translation to what the UI sees.

use crate::api::dto::{ApiError, ErrorCode};
use cashdesk_secrets::SecretError;
use cashdesk_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    #[error("{0}")]
    Invalid(String),
    #[error("Tell Cashdesk your name first: it is recorded on every decision.")]
    NoOperator,
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Secret(#[from] SecretError),
    #[error("{0}")]
    Provider(String),
    #[error("could not start the local HTTP server on {addr}: {source}")]
    Bind {
        addr: String,
        source: std::io::Error,
    },
    #[error("could not start the sandbox: {0}")]
    Sandbox(String),
    #[error(
        "Another Cashdesk ({holder}: the app or cashdesk-headless) is already using the data folder {dir}. Close it first, or give this one its own folder (CASHDESK_DATA_DIR)."
    )]
    AlreadyRunning { dir: String, holder: String },
}

impl CoreError {
    pub fn into_api(self) -> ApiError {
        let e = self;
        let code = match &e {
            CoreError::Invalid(_) => ErrorCode::InvalidInput,
            CoreError::NoOperator => ErrorCode::NoOperator,
            CoreError::Store(StoreError::RequestNotFound(_) | StoreError::NotFound(_)) => {
                ErrorCode::NotFound
            }
            CoreError::Store(StoreError::Transition(_) | StoreError::Conflict(_)) => {
                ErrorCode::NotAllowed
            }
            CoreError::Store(StoreError::Money(_) | StoreError::IntakeRefReused { .. }) => {
                ErrorCode::InvalidInput
            }
            CoreError::Store(_)
            | CoreError::Bind { .. }
            | CoreError::Sandbox(_)
            | CoreError::AlreadyRunning { .. } => ErrorCode::Storage,
            CoreError::Secret(SecretError::Unavailable { .. }) => ErrorCode::KeychainUnavailable,
            CoreError::Secret(_) => ErrorCode::Provider,
            CoreError::Provider(_) => ErrorCode::Provider,
        };
        ApiError {
            code,
            message: e.to_string(),
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        CoreError::from(e).into()
    }
}

impl From<CoreError> for crate::api::dto::ApiError {
    fn from(e: CoreError) -> Self {
        e.into_api()
    }
}

pub type CoreResult<T> = Result<T, CoreError>;
