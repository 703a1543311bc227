use cashdesk_domain::{MoneyError, RequestId, TransitionError};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(
        "this database was written by a newer Cashdesk (schema {found}, this build knows up to {supported}); install the newer version or open another data folder"
    )]
    DatabaseTooNew { found: i64, supported: i64 },
    #[error("request {0} does not exist")]
    RequestNotFound(RequestId),
    #[error("{0} does not exist")]
    NotFound(String),
    #[error(transparent)]
    Transition(#[from] TransitionError),
    #[error("{0}")]
    Conflict(String),
    #[error("stored data is damaged: {0}")]
    Corrupt(String),
    #[error(transparent)]
    Money(#[from] MoneyError),
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("database migration failed: {0}")]
    Migration(#[from] rusqlite_migration::Error),
    #[error("could not create the data folder {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
}
