//! What a desktop and a team desk server say to each other over HTTPS:
//! the paths, the header that carries a new session token, and the
//! events' names. Both sides use these constants.

/// `POST` a command's arguments (JSON) to `CALL` + name; the answer is the
/// command's JSON, or `{code, message}` with a 4xx/5xx status.
pub const CALL: &str = "/team/v1/call/";
/// Server-sent events: `changed` (a [`Changed`](crate::api::dto::Changed))
/// for every stored change anywhere on the desk.
pub const EVENTS: &str = "/team/v1/events";
/// Unauthenticated: who this server is (`Hello`), for joining and probes.
pub const HELLO: &str = "/team/v1/hello";
/// Set on the answer to a log-in: the session's bearer token, sent back
/// as `Authorization: Bearer …` on every later call.
pub const SESSION_HEADER: &str = "cashdesk-session";
/// The event name of a change notice.
pub const CHANGED_EVENT: &str = "changed";

/// A server's answer to [`HELLO`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Hello {
    /// Always `cashdesk-team-desk`: a URL that answers otherwise is not one.
    pub kind: String,
    pub version: String,
    /// This server's id on the desk (one of possibly several).
    pub server: String,
}

pub const HELLO_KIND: &str = "cashdesk-team-desk";
