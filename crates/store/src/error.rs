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
    /// A rule about who may do it refused (maker–checker, a role the
    /// operator lacks); checked inside the write's transaction.
    #[error("{0}")]
    NotAllowed(String),
    /// Another operator is deciding this request.
    #[error("{by} is on it (since {since})")]
    Claimed { by: String, since: String },
    #[error(
        "intake_ref {intake_ref} was already used for another request ({field} differs): send a new intake_ref for a new request"
    )]
    IntakeRefReused {
        intake_ref: String,
        field: &'static str,
    },
    #[error("stored data is damaged: {0}")]
    Corrupt(String),
    #[error(transparent)]
    Money(#[from] MoneyError),
    #[error("database error: {0}")]
    Sqlite(rusqlite::Error),
    /// PostgreSQL refused or could not be reached (a team desk).
    #[error("database server: {}", pg_words(.0))]
    Postgres(tokio_postgres::Error),
    /// A query for one row found none: callers that expect it turn this
    /// into `NotFound` or `None` (`sql::OptionalExtension`).
    #[error("no row found")]
    NoRow,
    /// The disk is full: this write failed and changed nothing; the next
    /// one succeeds once space is freed (no restart needed).
    #[error(
        "the disk holding the database is full: nothing was saved; free some space and try again ({detail})"
    )]
    DiskFull { detail: String },
    #[error(
        "the database {path} is damaged ({detail}); restore it from a backup or move it aside to start a new one"
    )]
    Damaged { path: String, detail: String },
    #[error(
        "the database {path} is read-only ({detail}); Cashdesk needs to write to its data folder"
    )]
    ReadOnly { path: String, detail: String },
    #[error("database migration failed: {0}")]
    Migration(#[from] rusqlite_migration::Error),
    #[error("could not create the data folder {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
}

impl From<rusqlite::Error> for StoreError {
    /// A full disk gets its own error, so callers can say so (and know the
    /// write changed nothing); everything else stays a database error.
    fn from(e: rusqlite::Error) -> Self {
        match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::DiskFull) => StoreError::DiskFull {
                detail: e.to_string(),
            },
            _ => StoreError::Sqlite(e),
        }
    }
}

impl StoreError {
    /// A uniqueness or other constraint refused the write.
    pub(crate) fn is_constraint(&self) -> bool {
        match self {
            StoreError::Sqlite(e) => {
                e.sqlite_error_code() == Some(rusqlite::ErrorCode::ConstraintViolation)
            }
            // SQLSTATE class 23: integrity constraint violation.
            StoreError::Postgres(e) => e.code().is_some_and(|c| c.code().starts_with("23")),
            _ => false,
        }
    }
}

/// The server's own message and code when it sent one (tokio-postgres's
/// Display says only "db error").
fn pg_words(e: &tokio_postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => format!("{} ({})", db.message(), db.code().code()),
        None => e.to_string(),
    }
}
