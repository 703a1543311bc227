//! Which desktop notifications this desk shows, and when: set in the app
//! (Settings), kept in the desk's database. Not audited: it changes what
//! this screen pops up, nothing about any request.

use super::ApiResult;
use crate::app::Cashdesk;
use cashdesk_store::Store;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

const KEY: &str = "notify";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum NotifyWhen {
    Always,
    /// Only while the window does not have the focus (the default: an
    /// agent looking at the queue sees new requests there).
    Unfocused,
    Never,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct NotifyPrefs {
    pub when: NotifyWhen,
    pub new_requests: bool,
    /// Requests that ended at the provider (completed, refused, failed).
    pub outcomes: bool,
    /// Requests past their due time, shown to supervisors only.
    pub breaches: bool,
}

impl Default for NotifyPrefs {
    fn default() -> Self {
        NotifyPrefs {
            when: NotifyWhen::Unfocused,
            new_requests: true,
            outcomes: true,
            breaches: true,
        }
    }
}

pub(crate) fn read(store: &Store) -> NotifyPrefs {
    store
        .personal(KEY)
        .ok()
        .flatten()
        .and_then(|s| serde_json::from_str(&s).ok())
        .unwrap_or_default()
}

pub fn notify_prefs(app: &Cashdesk) -> ApiResult<NotifyPrefs> {
    app.viewing()?;
    Ok(read(app.store()))
}

/// Anyone at the desk may set them: they are this screen's, not policy.
pub fn set_notify_prefs(app: &Cashdesk, prefs: &NotifyPrefs) -> ApiResult<NotifyPrefs> {
    app.viewing()?;
    let text = serde_json::to_string(prefs).map_err(|e| super::invalid(e.to_string()))?;
    app.store().put_personal(KEY, &text)?;
    Ok(read(app.store()))
}
