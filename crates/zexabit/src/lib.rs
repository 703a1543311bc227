//! Zexabit Cash Agent API adapter.
//!
//! Typed requests and responses as the provider documents them, a client
//! that never exceeds the documented rate limit and sorts every failure by
//! whether money may have moved, and webhook verification that accepts
//! exactly what the document's own Node.js verifier accepts. Nothing here
//! knows about the rest of Cashdesk, so it can be tested against the
//! simulator alone. Every undocumented choice lives in [`assumptions`].

pub mod assumptions;
pub mod client;
pub mod error;
pub mod js_json;
pub mod webhook;
pub mod wire;

pub use assumptions::{Paths, RateLimit};
pub use client::{ApiKey, Client, ClientConfig};
pub use error::Error;
pub use webhook::{EventKind, WebhookData, WebhookError, WebhookEvent};
pub use wire::{
    AgentNumber, CreateDepositRequest, CreateDepositResponse, CreateUserRequest,
    CreateUserResponse, CreateWithdrawalRequest, CreateWithdrawalResponse, DepositStatus,
    ErrorBody, PaymentMethod, PaymentMethods, Status, UserBalance, ValidationError,
    WithdrawalStatus, validate_username,
};
