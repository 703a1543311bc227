//! Zexabit's reference data: its methods with limits (also kept for
//! offline validation) and a user's balances.

use crate::app::Cashdesk;
use crate::error::CoreResult;
use crate::providers::reference::{Fact, Facts, Method, fact, money, provider};
use cashdesk_domain::AccountId;
use cashdesk_store::RequestRecord;

pub(crate) fn method(m: cashdesk_zexabit::PaymentMethod) -> Method {
    Method {
        method: m.method,
        label: m.label,
        currency: m.currency,
        kind: None,
        min: Some(m.min_amount),
        max: Some(m.max_amount),
        manual: false,
        screenshot: false,
    }
}

pub(crate) async fn fetch_methods(app: &Cashdesk, account: AccountId) -> CoreResult<Vec<Method>> {
    Ok(app
        .providers()
        .methods(account)
        .await?
        .into_iter()
        .map(method)
        .collect())
}

/// Also fetched outside this module (validation, the sandbox).
pub(crate) fn known_methods(app: &Cashdesk, account: AccountId) -> Option<Vec<Method>> {
    app.providers()
        .cached_methods(account)
        .map(|ms| ms.into_iter().map(method).collect())
}

/// The user's balances and the method's limits.
pub(crate) async fn request_facts(app: &Cashdesk, rec: &RequestRecord) -> CoreResult<Facts> {
    let mut facts: Vec<Fact> = Vec::new();
    if let Some(user) = &rec.provider_user_id {
        let acc = app.providers().account::<super::Account>(rec.account_id)?;
        let b = acc.client.user_balance(user).await.map_err(provider)?;
        let c = rec.money.currency.code();
        facts.push(fact("User balance", money(b.balance, c)));
        facts.push(fact("Deposit balance", money(b.deposit_balance, c)));
        facts.push(fact("Withdrawable", money(b.withdraw_balance, c)));
    }
    if let Some(m) = app
        .providers()
        .cached_methods(rec.account_id)
        .and_then(|ms| ms.into_iter().find(|m| m.method == rec.method))
    {
        facts.push(fact(
            "Method limits",
            format!(
                "{} – {}",
                money(m.min_amount, &m.currency),
                money(m.max_amount, &m.currency)
            ),
        ));
    }
    Ok((facts, Vec::new()))
}
