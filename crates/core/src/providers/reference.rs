//! Reference data an agent needs to decide, in one shape for all four
//! providers: the methods an account offers (with limits, currency and
//! whether a screenshot goes with it), the account's balances, and facts
//! about one request (Paykassma savings toward the minimum deposit and
//! how-to-pay media, a Zexabit user's balance). Fetched on demand, never
//! on the approve path.

use crate::app::Cashdesk;
use crate::error::{CoreError, CoreResult};
use cashdesk_domain::{AccountId, ProviderKind, RequestKind};
use cashdesk_paykassma::{DepositInfoQuery, PaymentSystemsQuery};
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
}

fn fact(label: impl Into<String>, value: impl Into<String>) -> Fact {
    Fact {
        label: label.into(),
        value: value.into(),
    }
}

fn provider(e: impl std::fmt::Display) -> CoreError {
    CoreError::Provider(e.to_string())
}

/// Paykassma account settings that shape its reference calls.
#[derive(Deserialize, Default)]
#[serde(default)]
struct PaykassmaLists {
    /// Comma-separated currencies whose payment systems are listed.
    currencies: Option<String>,
}

/// The label asked with payment systems when no user is in view.
const DESK_LABEL: &str = "cashdesk-desk";

fn paykassma_currencies(app: &Cashdesk, account: AccountId) -> CoreResult<Vec<String>> {
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

/// Zimo-pagos pays out to Mexican bank accounts: an 18-digit CLABE or a
/// debit card (routed to the card host when Luhn-valid). Other countries
/// come through intake with their own details.
fn zimo_methods() -> Vec<Method> {
    [
        ("clabe", "CLABE (bank account)"),
        ("debit_card", "Debit card"),
    ]
    .into_iter()
    .map(|(m, l)| Method {
        method: m.into(),
        label: l.into(),
        currency: "MXN".into(),
        kind: Some(RequestKind::Withdrawal),
        min: None,
        max: None,
        manual: false,
        screenshot: false,
    })
    .collect()
}

fn cache_key(account: AccountId) -> String {
    format!("methods.{account}")
}

/// The methods an account offers, fetched now; when the provider cannot
/// be reached, the list last fetched (kept in the database for offline
/// desk entry). `Err` only when nothing is known.
pub(crate) async fn methods(app: &Cashdesk, account: AccountId) -> CoreResult<Vec<Method>> {
    match fetch_methods(app, account).await {
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
pub(crate) fn known_methods(app: &Cashdesk, account: AccountId) -> CoreResult<Option<Vec<Method>>> {
    match app.store().account(account)?.provider {
        ProviderKind::ZimoPagos => return Ok(Some(zimo_methods())),
        // Also fetched outside this module (validation, the sandbox).
        ProviderKind::Zexabit => {
            if let Some(ms) = app.providers().cached_methods(account) {
                return Ok(Some(ms.into_iter().map(zexabit_method).collect()));
            }
        }
        _ => {}
    }
    Ok(app
        .store()
        .cache(&cache_key(account))?
        .and_then(|json| serde_json::from_str(&json).ok()))
}

fn zexabit_method(m: cashdesk_zexabit::PaymentMethod) -> Method {
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

async fn fetch_methods(app: &Cashdesk, account: AccountId) -> CoreResult<Vec<Method>> {
    let rec = app.store().account(account)?;
    Ok(match rec.provider {
        ProviderKind::Zexabit => app
            .providers()
            .methods(account)
            .await?
            .into_iter()
            .map(zexabit_method)
            .collect(),
        ProviderKind::Paykassma => {
            let acc = app
                .providers()
                .account::<crate::providers::paykassma::Account>(account)?;
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
            out
        }
        ProviderKind::ZimoPagos => zimo_methods(),
        ProviderKind::Cashweb => Vec::new(),
    })
}

/// Balances of the account (Paykassma's accounts' balance); empty for
/// providers whose documents give no account balance.
pub(crate) async fn balances(app: &Cashdesk, account: AccountId) -> CoreResult<Vec<Fact>> {
    let rec = app.store().account(account)?;
    Ok(match rec.provider {
        ProviderKind::Paykassma => app
            .providers()
            .account::<super::paykassma::Account>(account)?
            .client
            .balances()
            .await
            .map_err(provider)?
            .into_iter()
            .map(|b| {
                fact(
                    format!("Balance {}", b.wallet_type),
                    money(b.amount, &b.currency_code),
                )
            })
            .collect(),
        _ => Vec::new(),
    })
}

fn money(amount: Decimal, currency: &str) -> String {
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
pub(crate) async fn request_facts(app: &Cashdesk, rec: &RequestRecord) -> CoreResult<Facts> {
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
    let asked = ask_facts(app, rec).await?;
    app.providers()
        .facts
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert(rec.id, (std::time::Instant::now(), asked.clone()));
    Ok(asked)
}

/// Asks now: Paykassma savings and media hints and whether its payment
/// system is manual; a Zexabit user's balance.
async fn ask_facts(app: &Cashdesk, rec: &RequestRecord) -> CoreResult<Facts> {
    let mut facts = Vec::new();
    let mut media = Vec::new();
    match rec.provider {
        ProviderKind::Paykassma if rec.kind == RequestKind::Deposit => {
            let acc = app
                .providers()
                .account::<crate::providers::paykassma::Account>(rec.account_id)?;
            let currency = rec.money.currency.code();
            let wallet =
                super::paykassma::manual::wallet(&acc, currency, &rec.end_user_ref, &rec.method)
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
        }
        ProviderKind::Zexabit => {
            if let Some(user) = &rec.provider_user_id {
                let acc = app
                    .providers()
                    .account::<crate::providers::zexabit::Account>(rec.account_id)?;
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
        }
        _ => {}
    }
    Ok((facts, media))
}
