//! Cashdesk's application core. Everything the desktop app does lives
//! here, callable without Tauri or WebKit: the shell only adapts commands.

pub mod api;
mod app;
pub mod config;
mod cx;
pub mod error;
mod events;
mod figures;
pub mod intake;
pub mod intake_http;
pub mod links;
mod lock;
pub mod notify;
/// Provider accounts; public for its account settings and keychain entry
/// names (the sandbox configures accounts as Settings would).
pub mod providers;
pub mod risk;
mod server;
mod servers;
pub mod session;
mod shift_lines;
mod start;
pub mod team;
mod worker;

pub use app::{Cashdesk, Companion, HttpInfo};
pub use config::{Config, PausePoint};
pub use error::CoreError;
/// The local server's limits, for tests and the docs.
pub use server::{HEADER_READ_TIMEOUT, MAX_CONNECTIONS};

/// What a request past its provider's lookup window shows (see providers).
pub fn providers_reconcile_note() -> &'static str {
    providers::RECONCILE
}
