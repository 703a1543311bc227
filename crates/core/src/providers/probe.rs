//! Connection probes: one light read with an account's stored secrets,
//! sorted into "answered", "no answer" and "refused" (the provider's words
//! kept), for "Check connection" and the window's connection state.

use crate::cx::Cx;
use crate::error::{CoreError, CoreResult};
use cashdesk_domain::AccountId;

/// What one light read at a provider showed.
pub(crate) enum Probe {
    /// It answered and accepted our credentials (its words).
    Answered(String),
    /// No answer: connection failed or timed out.
    NoAnswer(String),
    /// It answered with a refusal or an error (its words).
    Refused(String),
}

/// Sorts an adapter error: no answer at all, rate limited (it answered),
/// or a refusal in the provider's words.
pub(crate) fn probe_error(e: &dyn std::fmt::Display, no_answer: bool, rate_limited: bool) -> Probe {
    if no_answer {
        Probe::NoAnswer(e.to_string())
    } else if rate_limited {
        Probe::Answered(format!("answering, but rate limited: {e}"))
    } else {
        Probe::Refused(e.to_string())
    }
}

/// One read with the account's stored secrets ("Check connection" and the
/// connection state the window shows).
pub(crate) async fn probe(app: &Cx, account: AccountId) -> CoreResult<Probe> {
    let provider = app.store().account(account)?.provider;
    super::provider(provider).probe(app, account).await
}

/// "Check connection" in Settings: the probe, its refusal as an error.
pub(crate) async fn check_connection(app: &Cx, account: AccountId) -> CoreResult<String> {
    let probe = probe(app, account).await?;
    let (state, words) = match &probe {
        Probe::Answered(w) => (crate::links::LinkState::Online, w.clone()),
        Probe::NoAnswer(w) => (crate::links::LinkState::Offline, w.clone()),
        Probe::Refused(w) => (crate::links::LinkState::Refusing, w.clone()),
    };
    crate::links::record(app, account, state, words.clone());
    match probe {
        Probe::Answered(w) => Ok(w),
        Probe::NoAnswer(w) | Probe::Refused(w) => Err(CoreError::Provider(w)),
    }
}
