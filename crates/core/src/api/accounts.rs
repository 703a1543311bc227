//! Provider accounts: secrets to the keychain, the rest to SQLite.

use super::dto::{
    AccountView, AgentNumberView, NamedValue, NewAccountInput, ProviderForm, QuarantineItem,
};
use super::{ApiResult, invalid};
use crate::app::Cashdesk;
use crate::error::CoreError;
use crate::links::LinkState;
use crate::providers::{self, API_KEY};
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
    app.viewing()?;
    Ok(app.store().accounts()?.into_iter().map(view).collect())
}

/// Items providers sent that Cashdesk could not read (set aside, shown,
/// released when they read again), most recent first.
pub fn quarantined(app: &Cashdesk) -> ApiResult<Vec<QuarantineItem>> {
    app.viewing()?;
    let accounts = app.store().accounts()?;
    Ok(app
        .store()
        .quarantined()?
        .into_iter()
        .map(|q| QuarantineItem {
            account_name: accounts
                .iter()
                .find(|a| a.id == q.account_id)
                .map(|a| a.name.clone())
                .unwrap_or_default(),
            account_id: q.account_id,
            item: q.item_key,
            error: q.error,
            raw: q.raw,
            first_at: q.first_at.to_rfc3339(),
            last_at: q.last_at.to_rfc3339(),
            times: u32::try_from(q.times).unwrap_or(u32::MAX),
        })
        .collect())
}

/// The account forms of the providers Cashdesk can work with today.
pub fn provider_forms() -> Vec<ProviderForm> {
    ProviderKind::ALL
        .into_iter()
        .map(|k| providers::provider(k).account_form())
        .collect()
}

/// Stores the secrets in the OS keychain first; only when that worked is
/// the account written to SQLite (with the secrets' names, never values).
pub fn add_account(app: &Cashdesk, input: &NewAccountInput) -> ApiResult<AccountView> {
    let actor = app.acting(cashdesk_domain::Permission::Administer)?;
    let form = provider_forms()
        .into_iter()
        .find(|f| f.provider == input.provider)
        .ok_or_else(|| {
            invalid(format!(
                "{} accounts are not supported yet",
                input.provider.label()
            ))
        })?;
    let name = input.name.trim();
    if name.is_empty() {
        return Err(invalid(
            "Name: give the account a name agents will recognise",
        ));
    }
    let url = input.base_url.trim().trim_end_matches('/');
    providers::https_or_loopback("Base URL", url).map_err(invalid)?;
    let value = |list: &[NamedValue], name: &str| {
        list.iter()
            .find(|v| v.name == name)
            .map(|v| v.value.trim().to_owned())
            .unwrap_or_default()
    };
    let mut secrets = Vec::new();
    for f in &form.secrets {
        let v = value(&input.secrets, &f.name);
        if v.is_empty() {
            return Err(invalid(format!("{} is required", f.label)));
        }
        let name = providers::secret_names(input.provider)
            .iter()
            .copied()
            .find(|n| *n == f.name)
            .unwrap_or(API_KEY);
        secrets.push((name, Secret::new(v)));
    }
    let mut settings = serde_json::Map::new();
    for f in &form.settings {
        let v = value(&input.settings, &f.name);
        if !v.is_empty() {
            settings.insert(f.name.clone(), v.into());
        }
    }
    providers::provider(input.provider)
        .check_settings(&settings)
        .map_err(invalid)?;
    let id = AccountId::new();
    let refs: Vec<(&str, &Secret)> = secrets.iter().map(|(n, s)| (*n, s)).collect();
    app.keychain()
        .store_all(id, &refs)
        .map_err(CoreError::from)?;
    let new = NewAccount {
        provider: input.provider,
        name: name.to_owned(),
        base_url: url.to_owned(),
        secret_names: secrets.iter().map(|(n, _)| (*n).to_owned()).collect(),
        config: serde_json::Value::Object(settings),
        sandbox: false,
    };
    let rec = match app.store().add_account(id, &new, &actor) {
        Ok(r) => r,
        Err(e) => {
            for (n, _) in &secrets {
                let _ = app.keychain().delete(id, n);
            }
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
    let actor = app.acting(cashdesk_domain::Permission::Administer)?;
    let rec = app.store().account(id)?;
    app.store().remove_account(id, &actor)?;
    for name in &rec.secret_names {
        if let Err(e) = app.keychain().delete(id, name) {
            tracing::warn!(account = %id, "could not remove keychain entry {name}: {e}");
        }
    }
    app.providers().forget(id);
    app.cx().links().forget(id);
    app.changed(super::dto::Changed {
        accounts: true,
        ..Default::default()
    });
    Ok(())
}

/// An agent number to show the customer, with the provider's instructions.
pub async fn agent_number(
    app: &Cashdesk,
    account: AccountId,
    method: &str,
) -> ApiResult<AgentNumberView> {
    app.acting(cashdesk_domain::Permission::Enter)?;
    let rec = app.store().account(account)?;
    Ok(crate::providers::provider(rec.provider)
        .agent_number(app.cx(), account, method)
        .await?)
}

/// "Check connection" in Settings: one read at the provider with the
/// account's stored secrets; the provider's own refusal comes back as it came.
pub async fn check_connection(app: &Cashdesk, account: AccountId) -> ApiResult<String> {
    app.viewing()?;
    Ok(providers::check_connection(app.cx(), account).await?)
}

/// One account's connection as the window shows it.
#[derive(Debug, Clone, serde::Serialize, ts_rs::TS)]
#[ts(export)]
pub struct LinkView {
    pub account_id: AccountId,
    pub account_name: String,
    pub provider_label: String,
    pub state: LinkState,
    /// RFC 3339, UTC: since when it has been in this state.
    pub since: Option<String>,
    /// The last probe's or call's words, as the provider gave them.
    pub detail: String,
}

/// The connection state of every configured account.
pub fn list_links(app: &Cashdesk) -> ApiResult<Vec<LinkView>> {
    app.viewing()?;
    let known = app.cx().links().all();
    Ok(app
        .store()
        .accounts()?
        .into_iter()
        .map(|a| {
            let link = known.get(&a.id);
            LinkView {
                account_id: a.id,
                account_name: a.name,
                provider_label: a.provider.label().to_owned(),
                state: link.map_or(LinkState::Unknown, |l| l.state),
                since: link.map(|l| l.since.to_rfc3339()),
                detail: link.map(|l| l.detail.clone()).unwrap_or_default(),
            }
        })
        .collect())
}
