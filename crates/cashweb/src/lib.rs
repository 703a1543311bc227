//! CashWeb Transactions API adapter: crypto deposits.
//!
//! Typed requests and responses as the provider documents them (quote or
//! direct pricing, never both), the two deadlines (deposit 30 min, quote
//! 120 s) with the "refresh near expiry" rule, cursor listing with cursors
//! nobody can forge, an idempotent cancel, and a client that sorts every
//! failure by whether something may have happened and recovers a create by
//! its merchant reference. Nothing here knows about the rest of Cashdesk,
//! so it can be tested against the simulator alone. Every undocumented
//! choice lives in [`assumptions`].
//!
//! Reading the whole list, passing back only cursors CashWeb gave:
//!
//! ```no_run
//! # async fn feed(client: &cashdesk_cashweb::Client) -> Result<(), cashdesk_cashweb::Error> {
//! let mut cursor: Option<cashdesk_cashweb::Cursor> = None;
//! loop {
//!     let page = client.list_transactions(100, cursor.as_ref()).await?;
//!     for t in &page.transactions {
//!         println!("{} {}", t.merchant_reference, t.status);
//!     }
//!     match page.next_cursor {
//!         Some(next) => cursor = Some(next),
//!         None => break,
//!     }
//! }
//! # Ok(())
//! # }
//! ```

pub mod assumptions;
pub mod client;
pub mod error;
pub mod evidence;
pub mod expiry;
pub mod request;
pub mod status;
pub mod wire;

pub use assumptions::{AuthScheme, Paths};
pub use client::{Client, ClientConfig, CreateOutcome};
pub use error::Error;
pub use evidence::Evidence;
pub use expiry::Expiry;
pub use request::{
    CreateTransactionRequest, IdempotencyKey, PricingMode, Quote, ValidationError,
    validate_merchant_reference,
};
pub use status::{DepositStatus, Status};
pub use wire::{CreatedTransaction, Cursor, Transaction, TransactionPage, Unreadable};
