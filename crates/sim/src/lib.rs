//! Local simulators of the payment providers Cashdesk talks to.
//!
//! Each simulator serves only what its provider's document describes, on
//! 127.0.0.1, with state that moves over time (transactions settle, webhooks
//! are delivered signed) and injectable [`Faults`]. Tests inspect its state
//! through Rust methods, never over HTTP, so the HTTP surface stays exactly
//! the provider's. Providers are sibling modules sharing [`server`] and
//! [`faults`].

pub mod cashweb;
pub mod faults;
pub mod paykassma;
pub mod server;
mod shared;
pub mod unstated;
pub mod zexabit;
pub mod zimo_pagos;

pub use faults::{Faults, RetryAfterForm};
pub use server::Server;
pub use unstated::{Credit, Deliveries, ListOrder, PushOrder, RepeatedId, StatusNames, Unstated};
pub use zexabit::{RunningZexabit, SimTxn, SimUser, TxnKind, ZexabitSim, ZexabitSimConfig};
