//! Cashdesk core.

pub mod api {
    pub mod dto;
}
