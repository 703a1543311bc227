//! Core errors and their one translation to what the UI sees.

use crate::api::dto::{ApiError, ErrorCode};
use cashdesk_secrets::SecretError;
use cashdesk_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    #[error("{0}")]
    Invalid(String),
    #[error("Log in first: every decision is recorded with who made it.")]
    LoggedOut,
    #[error("The desk is locked: unlock it with your password or PIN.")]
    Locked,
    #[error("{}", needs_role(*.0))]
    NeedsRole(cashdesk_domain::Permission),
    #[error("That name and secret do not match an operator who may log in.")]
    WrongLogIn,
    #[error("Too many wrong tries: {name} is locked until {until}. An admin can reset it sooner.")]
    OperatorLocked { name: String, until: String },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Secret(#[from] SecretError),
    #[error("{0}")]
    Provider(String),
    /// The amount reaches the admin's threshold and was not confirmed.
    #[error("{0}")]
    NeedsConfirmation(String),
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
            CoreError::LoggedOut | CoreError::WrongLogIn | CoreError::OperatorLocked { .. } => {
                ErrorCode::LoggedOut
            }
            CoreError::Locked => ErrorCode::Locked,
            CoreError::NeedsRole(_) | CoreError::Store(StoreError::NotAllowed(_)) => {
                ErrorCode::NeedsRole
            }
            CoreError::Store(StoreError::Claimed { .. }) => ErrorCode::Claimed,
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
            CoreError::NeedsConfirmation(_) => ErrorCode::NeedsConfirmation,
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

/// "Needs a supervisor: …", in words the person at the desk can act on.
fn needs_role(p: cashdesk_domain::Permission) -> String {
    use cashdesk_domain::Permission::*;
    let what = match p {
        Decide => "approving or rejecting requests",
        Enter => "entering requests at the desk",
        SecondApproval => "giving the second approval",
        Settle => "settling an unknown outcome",
        TakeOver => "taking over another operator's claim",
        Supervise => "the supervisor's views",
        Administer => "provider accounts, operators, thresholds and the intake token",
    };
    let role = p.needs();
    let article = if role == cashdesk_domain::Role::Admin || role == cashdesk_domain::Role::Agent {
        "an"
    } else {
        "a"
    };
    format!("Needs {article} {}: {what}.", role.as_str())
}
