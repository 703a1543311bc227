//! Zexabit's reference data: its methods with limits (also kept for
//! offline validation) and a user's balances.

use crate::cx::Cx;
use crate::error::CoreResult;
use crate::providers::reference::{Fact, Facts, Method, fact, money, provider, warning};
use cashdesk_domain::AccountId;
use cashdesk_store::RequestRecord;
use cashdesk_zexabit::PaymentMethod;

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

/// Zexabit's methods as last fetched, with their limits: validation and
/// approval check amounts against them without the network or keychain.
#[derive(Clone)]
pub(crate) struct Kept(pub Vec<PaymentMethod>);

/// The methods with limits as last fetched for `account`.
pub(crate) fn cached(app: &Cx, account: AccountId) -> Option<Vec<PaymentMethod>> {
    app.providers().kept::<Kept>(account).map(|k| k.0.clone())
}

/// Fetches the methods and keeps them for offline validation; the last
/// known list when Zexabit cannot be asked.
pub(crate) async fn fetch_methods(app: &Cx, account: AccountId) -> CoreResult<Vec<Method>> {
    let acc = app.providers().account::<super::Account>(account)?;
    let list = match acc.client.payment_methods().await {
        Ok(m) => {
            app.providers().keep(account, Kept(m.clone()));
            m
        }
        Err(e) => cached(app, account).ok_or_else(|| provider(e))?,
    };
    Ok(list.into_iter().map(method).collect())
}

/// The methods known without the network.
pub(crate) fn known_methods(app: &Cx, account: AccountId) -> Option<Vec<Method>> {
    cached(app, account).map(|ms| ms.into_iter().map(method).collect())
}

/// The user's balances and the method's limits.
pub(crate) async fn request_facts(app: &Cx, rec: &RequestRecord) -> CoreResult<Facts> {
    let mut facts: Vec<Fact> = Vec::new();
    if let Some(user) = &rec.provider_user_id {
        let acc = app.providers().account::<super::Account>(rec.account_id)?;
        let b = acc.client.user_balance(user).await.map_err(provider)?;
        let c = rec.money.currency.code();
        facts.push(fact("User balance", money(b.balance, c)));
        facts.push(fact("Deposit balance", money(b.deposit_balance, c)));
        // Zexabit would refuse it, or the user is paid what they do not have.
        let over = (rec.kind == cashdesk_domain::RequestKind::Withdrawal
            && rec.money.amount > b.withdraw_balance)
            .then(|| {
                format!(
                    "This withdrawal ({}) is more than the user may withdraw ({})",
                    rec.money.display(),
                    money(b.withdraw_balance, c)
                )
            });
        facts.push(warning(
            fact("Withdrawable", money(b.withdraw_balance, c)),
            over,
        ));
    }
    if let Some(m) =
        cached(app, rec.account_id).and_then(|ms| ms.into_iter().find(|m| m.method == rec.method))
    {
        let limits = format!(
            "{} – {}",
            money(m.min_amount, &m.currency),
            money(m.max_amount, &m.currency)
        );
        let outside = (m.currency == rec.money.currency.code()
            && (rec.money.amount < m.min_amount || rec.money.amount > m.max_amount))
            .then(|| {
                format!(
                    "{} is outside the method's limits ({limits})",
                    rec.money.display()
                )
            });
        facts.push(warning(fact("Method limits", limits.clone()), outside));
    }
    Ok((facts, Vec::new()))
}
