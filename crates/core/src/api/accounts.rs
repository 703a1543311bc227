//! Provider accounts: secrets to the keychain, the rest to SQLite.

use super::dto::{AccountView, AgentNumberView, MethodInfo, NewAccountInput};
use super::{ApiResult, invalid};
use crate::app::Cashdesk;
use crate::error::CoreError;
use crate::providers::{API_KEY, WEBHOOK_SECRET};
use cashdesk_domain::{AccountId, ProviderKind};
use cashdesk_secrets::Secret;
use cashdesk_store::{AccountRecord, NewAccount};

fn view(a: AccountRecord) -> AccountView {
    AccountView {
        id: a.id,
        provider: a.provider,
        provider_label: a.provider.label().to_owned(),
        name: a.name,
        base_url: a.base_url,
        sandbox: a.sandbox,
    }
}

pub fn list_accounts(app: &Cashdesk) -> ApiResult<Vec<AccountView>> {
    Ok(app.store().accounts()?.into_iter().map(view).collect())
}

/// Stores the secrets in the OS keychain first; only when that worked is
/// the account written to SQLite (with the secrets' names, never values).
pub fn add_account(app: &Cashdesk, input: &NewAccountInput) -> ApiResult<AccountView> {
    let actor = app.operator()?;
    if input.provider != ProviderKind::Zexabit {
        return Err(invalid(format!(
            "{} accounts are not supported yet",
            input.provider.label()
        )));
    }
    let name = input.name.trim();
    if name.is_empty() {
        return Err(invalid(
            "Name: give the account a name agents will recognise",
        ));
    }
    let url = input.base_url.trim().trim_end_matches('/');
    let parsed = reqwest::Url::parse(url).map_err(|e| invalid(format!("Base URL: {e}")))?;
    let loopback = matches!(parsed.host_str(), Some("127.0.0.1" | "localhost" | "[::1]"));
    if parsed.scheme() != "https" && !(parsed.scheme() == "http" && loopback) {
        return Err(invalid(
            "Base URL: use https:// (plain http only for a simulator on this computer)",
        ));
    }
    if input.api_key.trim().is_empty() || input.webhook_secret.trim().is_empty() {
        return Err(invalid("API key and webhook secret are both required"));
    }
    let id = AccountId::new();
    let api_key = Secret::new(input.api_key.trim());
    let webhook = Secret::new(input.webhook_secret.trim());
    app.keychain()
        .store_all(id, &[(API_KEY, &api_key), (WEBHOOK_SECRET, &webhook)])
        .map_err(CoreError::from)?;
    let new = NewAccount {
        provider: input.provider,
        name: name.to_owned(),
        base_url: url.to_owned(),
        secret_names: vec![API_KEY.into(), WEBHOOK_SECRET.into()],
        config: serde_json::json!({}),
        sandbox: false,
    };
    let rec = match app.store().add_account(id, &new, &actor) {
        Ok(r) => r,
        Err(e) => {
            let _ = app.keychain().delete(id, API_KEY);
            let _ = app.keychain().delete(id, WEBHOOK_SECRET);
            return Err(e.into());
        }
    };
    app.changed(super::dto::Changed {
        accounts: true,
        ..Default::default()
    });
    Ok(view(rec))
}

pub fn remove_account(app: &Cashdesk, id: AccountId) -> ApiResult<()> {
    let actor = app.operator()?;
    let rec = app.store().account(id)?;
    app.store().remove_account(id, &actor)?;
    for name in &rec.secret_names {
        if let Err(e) = app.keychain().delete(id, name) {
            tracing::warn!(account = %id, "could not remove keychain entry {name}: {e}");
        }
    }
    app.providers().forget(id);
    app.changed(super::dto::Changed {
        accounts: true,
        ..Default::default()
    });
    Ok(())
}

/// The account's payment methods with limits (fetched, or last known offline).
pub async fn list_methods(app: &Cashdesk, account: AccountId) -> ApiResult<Vec<MethodInfo>> {
    let methods = app.providers().methods(account).await?;
    Ok(methods
        .into_iter()
        .map(|m| MethodInfo {
            method: m.method,
            label: m.label,
            currency: m.currency,
            min_amount: m.min_amount.normalize().to_string(),
            max_amount: m.max_amount.normalize().to_string(),
        })
        .collect())
}

/// An agent number to show the customer, with the provider's instructions.
pub async fn agent_number(
    app: &Cashdesk,
    account: AccountId,
    method: &str,
) -> ApiResult<AgentNumberView> {
    let acc = app.providers().zexabit(account)?;
    let a = acc
        .client
        .agent_number(method)
        .await
        .map_err(|e| CoreError::Provider(e.to_string()))?;
    Ok(AgentNumberView {
        method: a.method,
        account_number: a.account_number,
        agent_name: a.agent_name.unwrap_or_default(),
        instructions: a.instructions.unwrap_or_default(),
    })
}
