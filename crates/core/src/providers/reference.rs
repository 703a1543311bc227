//! Reference data an agent needs to decide, in one shape for all four
//! providers: the methods an account offers (with limits, currency and
//! whether a screenshot goes with it), the account's balances, and facts
//! about one request (Paykassma savings toward the minimum deposit and
//! how-to-pay media, a Zexabit user's balance). Fetched on demand, never
//! on the approve path.

use crate::cx::Cx;
use crate::error::{CoreError, CoreResult};
use cashdesk_domain::{AccountId, RequestKind};
use cashdesk_store::RequestRecord;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// One way to pay or be paid, as the provider (or its document) gives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Method {
    pub method: String,
    pub label: String,
    pub currency: String,
    pub kind: Option<RequestKind>,
    pub min: Option<Decimal>,
    pub max: Option<Decimal>,
    /// Paykassma `is_manual`: a possible transaction, not an activation.
    pub manual: bool,
    /// Paykassma `uploading_payment_bill`: the system takes a screenshot.
    pub screenshot: bool,
}

/// A labelled fact (`"Balance bkash"`, `"1,234.00 BDT"`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fact {
    pub label: String,
    pub value: String,
    /// Why this fact should stop the person before approving, if it should
    /// (a withdrawal above what the user may withdraw, an amount outside
    /// the method's limits).
    pub warning: Option<String>,
}

pub(crate) fn fact(label: impl Into<String>, value: impl Into<String>) -> Fact {
    Fact {
        label: label.into(),
        value: value.into(),
        warning: None,
    }
}

/// A fact that warns: shown, and said, before anyone approves.
pub(crate) fn warning(fact: Fact, why: Option<String>) -> Fact {
    Fact {
        warning: why,
        ..fact
    }
}

pub(crate) fn provider(e: impl std::fmt::Display) -> CoreError {
    CoreError::Provider(e.to_string())
}

fn cache_key(account: AccountId) -> String {
    format!("methods.{account}")
}

/// The methods an account offers, fetched now; when the provider cannot
/// be reached, the list last fetched (kept in the database for offline
/// desk entry). `Err` only when nothing is known.
pub(crate) async fn methods(app: &Cx, account: AccountId) -> CoreResult<Vec<Method>> {
    let kind = app.store().account(account)?.provider;
    match super::provider(kind).fetch_methods(app, account).await {
        Ok(list) => {
            if let Ok(json) = serde_json::to_string(&list) {
                app.store().put_cache(&cache_key(account), &json)?;
            }
            app.providers().remember_labels(account, &list);
            Ok(list)
        }
        Err(e) => known_methods(app, account)?.ok_or(e),
    }
}

/// The methods last fetched (no network).
pub(crate) fn known_methods(app: &Cx, account: AccountId) -> CoreResult<Option<Vec<Method>>> {
    let kind = app.store().account(account)?.provider;
    if let Some(ms) = super::provider(kind).known_methods(app, account) {
        return Ok(Some(ms));
    }
    Ok(app
        .store()
        .cache(&cache_key(account))?
        .and_then(|json| serde_json::from_str(&json).ok()))
}

pub(crate) fn money(amount: Decimal, currency: &str) -> String {
    match cashdesk_domain::Currency::new(currency) {
        Ok(c) => cashdesk_domain::display_amount(amount, &c),
        Err(_) => format!("{amount} {currency}"),
    }
}

/// Facts about one request and its how-to-pay media.
pub(crate) type Facts = (Vec<Fact>, Vec<String>);

/// How long asked facts are reused for the same request.
const FACTS_KEPT: std::time::Duration = std::time::Duration::from_secs(60);

/// Facts about one request: asked now, or the answer of the last minute.
pub(crate) async fn request_facts(app: &Cx, rec: &RequestRecord) -> CoreResult<Facts> {
    let kept = |m: &mut std::collections::HashMap<_, (std::time::Instant, Facts)>| {
        m.retain(|_, (at, _)| at.elapsed() < FACTS_KEPT);
        m.get(&rec.id).map(|(_, f)| f.clone())
    };
    if let Some(f) = kept(
        &mut app
            .providers()
            .facts
            .lock()
            .unwrap_or_else(|e| e.into_inner()),
    ) {
        return Ok(f);
    }
    let asked = super::provider(rec.provider)
        .request_facts(app, rec)
        .await?;
    app.providers()
        .facts
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert(rec.id, (std::time::Instant::now(), asked.clone()));
    Ok(asked)
}

/// One balance a provider reports: per wallet (`""`: the whole account)
/// and currency; it may be negative.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Balance {
    pub wallet: String,
    pub currency: String,
    pub amount: Decimal,
}

impl Balance {
    pub(crate) fn fact(&self) -> Fact {
        let label = if self.wallet.is_empty() {
            "Balance".to_owned()
        } else {
            format!("Balance {}", self.wallet)
        };
        fact(label, money(self.amount, &self.currency))
    }
}

/// Balances of the account, where the provider's document gives a way to
/// ask (`None`: it gives none).
pub(crate) async fn balances(app: &Cx, account: AccountId) -> CoreResult<Option<Vec<Balance>>> {
    let kind = app.store().account(account)?.provider;
    super::provider(kind).balances(app, account).await
}
