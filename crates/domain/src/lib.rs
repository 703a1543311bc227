//! Cashdesk's domain: the words every other crate speaks.
//!
//! Pure data and rules, no I/O, so the lifecycle and money rules are tested
//! once here and trusted everywhere else.

pub mod card;
pub mod ids;
pub mod money;
pub mod operator;
pub mod request;
pub mod status;
pub mod text;

pub use ids::{AccountId, DraftId, MerchantRef, OperatorId, RequestId};
pub use money::{Currency, Money, MoneyError, display_amount};
pub use operator::{OperatorRef, Permission, Role, Roles};
pub use request::{Actor, ProviderKind, RequestKind};
pub use status::{RequestStatus, TransitionError};
