//! Paykassma's reference data: payment systems (manual or automatic,
//! screenshots) and withdrawal methods, account balances, and a deposit's
//! savings toward the minimum with its how-to-pay media.

use crate::cx::Cx;
use crate::error::CoreResult;
use crate::providers::reference::{Balance, Facts, Method, fact, money, provider};
use cashdesk_domain::{AccountId, RequestKind};
use cashdesk_paykassma::{DepositInfoQuery, PaymentSystemsQuery};
use cashdesk_store::RequestRecord;
use rust_decimal::Decimal;
use serde::Deserialize;

/// Paykassma account settings that shape its reference calls.
#[derive(Deserialize, Default)]
#[serde(default)]
struct PaykassmaLists {
    /// Comma-separated currencies whose payment systems are listed.
    currencies: Option<String>,
}

/// The label asked with payment systems when no user is in view.
const DESK_LABEL: &str = "cashdesk-desk";

fn paykassma_currencies(app: &Cx, account: AccountId) -> CoreResult<Vec<String>> {
    let rec = app.store().account(account)?;
    let s: PaykassmaLists = serde_json::from_value(rec.config).unwrap_or_default();
    let list: Vec<String> = s
        .currencies
        .unwrap_or_else(|| "BDT,INR".into())
        .split(',')
        .map(|c| c.trim().to_uppercase())
        .filter(|c| !c.is_empty())
        .collect();
    Ok(list)
}

pub(crate) async fn fetch_methods(app: &Cx, account: AccountId) -> CoreResult<Vec<Method>> {
    let acc = app.providers().account::<super::Account>(account)?;
    let listed = acc
        .client
        .payment_systems(&PaymentSystemsQuery {
            currency_codes: paykassma_currencies(app, account)?,
            label: DESK_LABEL.into(),
        })
        .await
        .map_err(provider)?;
    acc.remember_wallets(&listed.wallets);
    let mut out: Vec<Method> = listed
        .wallets
        .into_iter()
        .map(|w| Method {
            method: w.wallet_type,
            label: w.name,
            currency: w.currency_code,
            kind: Some(RequestKind::Deposit),
            min: None,
            max: None,
            manual: w.is_manual,
            screenshot: w.uploading_payment_bill,
        })
        .collect();
    for (code, rule) in &acc.client.rules().withdrawals {
        out.push(Method {
            method: code.clone(),
            label: code.clone(),
            currency: rule.currency.clone().unwrap_or_default(),
            kind: Some(RequestKind::Withdrawal),
            min: rule.min_amount.map(Decimal::from),
            max: rule.max_amount.map(Decimal::from),
            manual: false,
            screenshot: false,
        });
    }
    Ok(out)
}

/// Paykassma's accounts' balance: one per wallet type and currency.
pub(crate) async fn balances(app: &Cx, account: AccountId) -> CoreResult<Vec<Balance>> {
    Ok(app
        .providers()
        .account::<super::Account>(account)?
        .client
        .balances()
        .await
        .map_err(provider)?
        .into_iter()
        .map(|b| Balance {
            wallet: b.wallet_type,
            currency: b.currency_code,
            amount: b.amount,
        })
        .collect())
}

/// A deposit's payment system, savings toward the minimum and media.
pub(crate) async fn request_facts(app: &Cx, rec: &RequestRecord) -> CoreResult<Facts> {
    let mut facts = Vec::new();
    let mut media = Vec::new();
    if rec.kind != RequestKind::Deposit {
        return Ok((facts, media));
    }
    let acc = app.providers().account::<super::Account>(rec.account_id)?;
    let currency = rec.money.currency.code();
    let wallet = super::manual::wallet(&acc, currency, &rec.end_user_ref, &rec.method)
        .await
        .map_err(provider)?;
    if let Some(w) = &wallet {
        let how = if w.is_manual {
            "manual: sent as a possible transaction (with the screenshot)"
        } else {
            "automatic: activated with the TrxID"
        };
        facts.push(fact("Payment system", format!("{} — {how}", w.name)));
    }
    let info = acc
        .client
        .deposit_info(&DepositInfoQuery {
            label: rec.end_user_ref.clone(),
            wallet_type: rec.method.clone(),
            currency: currency.to_owned(),
            code: None,
        })
        .await
        .map_err(provider)?;
    facts.push(fact(
        "Minimum deposit",
        money(info.minimum_deposit, currency),
    ));
    facts.push(fact(
        "Savings (not yet credited)",
        money(info.stockpiling_sum, currency),
    ));
    facts.push(fact("Missing to minimum", money(info.lacks_sum, currency)));
    if let Ok(hints) = acc.client.media_hints().await
        && let Some(h) = hints.get(&rec.method)
    {
        media.push(h.url.clone());
    }
    Ok((facts, media))
}
