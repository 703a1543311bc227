//! Zimo-pagos Cashout API v3 adapter.
//!
//! Cashouts (withdrawals to a beneficiary's bank account, or in Mexico to a
//! debit card) are money leaving the operator, so this crate is built
//! around three guarantees: nothing obviously wrong is ever sent (every
//! documented field rule is checked first, naming the field), every request
//! is signed over exactly the bytes that go on the wire, and every failure
//! says whether the payout may exist, so the caller recovers by looking it
//! up by `external_id` instead of guessing. Inbound notifications carry no
//! status by design; [`notification`] parses them into "fetch the status of
//! this cashout". Nothing here knows about the rest of Cashdesk. Every
//! undocumented choice lives in [`assumptions`].

pub mod assumptions;
pub mod client;
pub mod error;
pub mod iso;
pub mod mexico;
pub mod notification;
pub mod signature;
pub mod validate;
pub mod wire;

pub use assumptions::{ErrorCodes, Paths};
pub use client::{Client, ClientConfig, Credentials};
pub use error::{ApiError, Error, ErrorKind};
pub use mexico::{Endpoint, MexicoAccount};
pub use notification::{Notification, NotificationError};
pub use validate::{ValidationError, ValidationOptions};
pub use wire::{
    CashoutCreated, CashoutId, CashoutRequest, CashoutStatus, ErrorBody, Status, StatusQuery,
};
