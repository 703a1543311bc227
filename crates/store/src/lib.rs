//! Cashdesk's store: SQLite for a desk alone, PostgreSQL for a team desk.
//!
//! One writer connection (every write in `BEGIN IMMEDIATE`, `synchronous=FULL`
//! so a returned decision survives a power cut) and a few read-only
//! connections, all in WAL mode. SQL stays in this crate: callers get typed
//! records and never see a statement.

mod accounts;
mod approvals;
mod attachments;
mod audit;
mod breaches;
mod changes;
mod check;
mod checkpoint;
mod claims;
mod db;
mod decisions;
mod drafts;
mod error;
pub mod export;
mod feed;
mod follow_up;
mod inbound;
mod insert;
mod lite;
mod lookups;
mod operators;
mod outbox;
mod overview;
mod pg;
pub mod pg_test;
mod quarantine;
mod queue;
mod queue_sql;
mod requests;
mod risk;
mod servers;
mod settings;
mod shifts;
mod sql;
mod supervise;
mod sync;
mod team_sessions;

pub use accounts::{AccountRecord, NewAccount};
pub use approvals::{ApprovalRule, RuleScope, day_start_ms};
pub use attachments::{AttachmentInfo, NewAttachment};
pub use audit::{AuditEntry, AuditReport};
pub use breaches::LOOK_BACK_MS as BREACH_LOOK_BACK_MS;
pub use claims::Claim;
pub use db::{Engine, SCHEMA_VERSION, Store};
pub use decisions::{Action, Decision, DecisionFilter};
pub use drafts::DraftRecord;
pub use error::StoreError;
pub use inbound::{EventApplied, EventChange, EventRecord, How, InboundEvent};
pub use lookups::Lookup;
pub use operators::{NewOperator, OperatorChange, OperatorRecord, SecretKind};
pub use outbox::{OutboxOutcome, OutboxRow, OutboxState};
pub use overview::{DecideTime, DepthGroup, DepthPoint, HourCount, nearest_rank};
pub use quarantine::Quarantined;
pub use queue::{Cursor, QueueFilter, QueuePage, QueueSort, QueueView, amount_key, queue_sql};
pub use requests::{HistoryEntry, NewRequest, ProviderFacts, RequestRecord, Source};
pub use risk::{BLOCK_DUPLICATE_KEY, RiskKind, RiskSignal};
pub use shifts::{BalanceLine, BalanceSource, Completed, Shift};
pub use sql::Value as SqlValue;
pub use supervise::{AuditFilter, NeedsPerson};
pub use team_sessions::TeamSession;

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Milliseconds since the epoch, UTC: the one time format in the schema.
pub(crate) fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

pub(crate) fn from_ms(ms: i64) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp_millis(ms).unwrap_or_default()
}
