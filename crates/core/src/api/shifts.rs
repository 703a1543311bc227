//! Shift close and reconciliation. A supervisor opens the first shift
//! from the balances the providers report (and types those they do not);
//! at close, Cashdesk asks the providers again and lays out, per account,
//! wallet and currency: opening, deposits and withdrawals completed in
//! the shift, expected closing, and the balance at close. Every variance
//! needs a reason; the supervisor signs with their password or PIN; the
//! close is audited, opens the next shift, and prints and exports as a
//! shift report (`shift_report.rs`).

use super::{ApiResult, invalid};
use crate::app::Cashdesk;
use crate::error::CoreError;
use crate::shift_lines::{Line, LineKey, lines};
use cashdesk_domain::{AccountId, Permission};
use cashdesk_store::{BalanceLine, BalanceSource, Shift};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use ts_rs::TS;

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ShiftInfo {
    #[ts(type = "number")]
    pub id: i64,
    pub opened_at: String,
    pub opened_by: String,
    pub closed_at: Option<String>,
    pub closed_by: Option<String>,
}

/// A balance a person typed (an account whose provider reports none).
#[derive(Debug, Clone, Deserialize, TS)]
#[ts(export)]
pub struct BalanceInput {
    pub account_id: AccountId,
    /// `""` or absent: the whole account.
    #[ts(optional)]
    pub wallet: Option<String>,
    pub currency: String,
    /// Exact decimal text; may be negative.
    pub amount: String,
}

/// One line of a shift close or its signed report. Amounts are exact
/// decimal text in `currency`.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ShiftLine {
    pub account_id: AccountId,
    pub account: String,
    pub provider: String,
    pub wallet: String,
    pub currency: String,
    /// Absent when the shift opened without a balance here.
    pub opening: Option<String>,
    /// `provider`, `hand` or `carried`.
    pub opening_source: Option<String>,
    pub deposits: String,
    pub deposits_count: u32,
    pub withdrawals: String,
    pub withdrawals_count: u32,
    pub expected: String,
    /// At close: the provider's figure, or the one typed (absent in a
    /// preview until typed).
    pub closing: Option<String>,
    /// `provider` or `hand`.
    pub closing_source: Option<String>,
    /// closing − expected.
    pub variance: Option<String>,
    pub reason: Option<String>,
}

/// What a supervisor reviews before signing.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ClosePreview {
    /// Sent back to sign exactly this preview.
    pub token: String,
    /// The close's cut-off: what completed before it is this shift's.
    pub as_of: String,
    pub shift: ShiftInfo,
    pub lines: Vec<ShiftLine>,
    /// Balances that could not be asked, with the provider's words.
    pub notes: Vec<String>,
}

/// The preview kept in the core between review and signature.
#[derive(Debug, Clone)]
pub struct Preview {
    token: String,
    shift_id: i64,
    as_of_ms: i64,
    lines: Vec<ShiftLine>,
}

/// A reason for one line's variance.
#[derive(Debug, Clone, Deserialize, TS)]
#[ts(export)]
pub struct LineReason {
    pub account_id: AccountId,
    #[ts(optional)]
    pub wallet: Option<String>,
    pub currency: String,
    pub reason: String,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[ts(export)]
pub struct SignClose {
    pub token: String,
    /// Closing balances for lines the providers do not report.
    pub balances: Vec<BalanceInput>,
    pub reasons: Vec<LineReason>,
    /// The signing supervisor's password or PIN.
    pub secret: String,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ShiftsView {
    pub open: Option<ShiftInfo>,
    pub closed: Vec<ShiftInfo>,
}

pub(crate) fn info(s: &Shift) -> ShiftInfo {
    let who = |t: &str| super::requests::actor_name(&cashdesk_domain::Actor::parse(t));
    ShiftInfo {
        id: s.id,
        opened_at: s.opened_at.to_rfc3339(),
        opened_by: who(&s.opened_by),
        closed_at: s.closed_at.map(|t| t.to_rfc3339()),
        closed_by: s.closed_by.as_deref().map(who),
    }
}

/// The open shift and the last closes. Supervisors and admins.
pub fn shifts(app: &Cashdesk) -> ApiResult<ShiftsView> {
    super::supervisor::supervising(app)?;
    Ok(ShiftsView {
        open: app.store().current_shift()?.as_ref().map(info),
        closed: app.store().closed_shifts(50)?.iter().map(info).collect(),
    })
}

fn amount(text: &str, what: &str) -> ApiResult<Decimal> {
    text.trim().parse::<Decimal>().map_err(|_| {
        invalid(format!(
            "{what}: {text:?} is not an amount (digits, a point, a minus)"
        ))
    })
}

fn key_of(account: AccountId, wallet: &Option<String>, currency: &str) -> LineKey {
    (
        account,
        wallet.clone().unwrap_or_default().trim().to_owned(),
        currency.trim().to_uppercase(),
    )
}

/// Every account's reported balances (`None` inside: reports none), and
/// notes for those that could not be asked.
async fn reported(
    app: &Cashdesk,
) -> ApiResult<(
    BTreeMap<AccountId, Vec<(String, String, Decimal)>>,
    Vec<String>,
)> {
    let mut out = BTreeMap::new();
    let mut notes = Vec::new();
    for acc in app.store().accounts()? {
        match crate::providers::reference::balances(app.cx(), acc.id).await {
            Ok(Some(list)) => {
                out.insert(
                    acc.id,
                    list.into_iter()
                        .map(|b| (b.wallet, b.currency, b.amount))
                        .collect(),
                );
            }
            Ok(None) => {}
            Err(e) => notes.push(format!(
                "{} ({}): balances not read: {e}",
                acc.name,
                acc.provider.label()
            )),
        }
    }
    Ok((out, notes))
}

/// Opens the first shift. The providers' reported balances are taken as
/// they are; `typed` fills in accounts whose provider reports none.
pub async fn open_shift(app: &Cashdesk, typed: &[BalanceInput]) -> ApiResult<ShiftInfo> {
    let actor = app.acting(Permission::Supervise)?;
    let (reported, notes) = reported(app).await?;
    let mut opening = Vec::new();
    for (account, list) in &reported {
        for (wallet, currency, amount) in list {
            opening.push(BalanceLine {
                account_id: *account,
                wallet: wallet.clone(),
                currency: currency.clone(),
                amount: *amount,
                source: BalanceSource::Provider,
            });
        }
    }
    for t in typed {
        if reported.contains_key(&t.account_id) {
            return Err(invalid(
                "that account's provider reports its balances: they are taken as reported",
            ));
        }
        let (account_id, wallet, currency) = key_of(t.account_id, &t.wallet, &t.currency);
        app.store().account(account_id)?;
        opening.push(BalanceLine {
            account_id,
            wallet,
            currency,
            amount: amount(&t.amount, "opening balance")?,
            source: BalanceSource::Hand,
        });
    }
    if let Some(n) = notes.first() {
        return Err(invalid(format!("{n}; try again when it answers")));
    }
    Ok(info(&app.store().open_shift(&opening, &actor)?))
}

fn view(app: &Cashdesk, l: &Line) -> ShiftLine {
    let acc = app.store().account(l.key.0).ok();
    ShiftLine {
        account_id: l.key.0,
        account: acc.as_ref().map(|a| a.name.clone()).unwrap_or_default(),
        provider: acc
            .map(|a| a.provider.label().to_owned())
            .unwrap_or_default(),
        wallet: l.key.1.clone(),
        currency: l.key.2.clone(),
        opening: l.opening.map(|(a, _)| a.to_string()),
        opening_source: l.opening.map(|(_, s)| s.as_str().to_owned()),
        deposits: l.deposits.to_string(),
        deposits_count: l.deposits_count,
        withdrawals: l.withdrawals.to_string(),
        withdrawals_count: l.withdrawals_count,
        expected: l.expected().to_string(),
        closing: l.reported.map(|r| r.to_string()),
        closing_source: l.reported.map(|_| "provider".to_owned()),
        variance: l.reported.map(|r| (r - l.expected()).to_string()),
        reason: None,
    }
}

/// Lays the open shift's close out, as of now, for review.
pub async fn preview_close(app: &Cashdesk) -> ApiResult<ClosePreview> {
    app.acting(Permission::Supervise)?;
    let shift = app.store().current_shift()?.ok_or_else(|| {
        invalid("no shift is open: open the first shift with its opening balances")
    })?;
    let (reported, notes) = reported(app).await?;
    let as_of_ms = chrono::Utc::now().timestamp_millis();
    let opening = app.store().shift_balances(shift.id, false)?;
    let completed = app
        .store()
        .completed_between(shift.opened_at.timestamp_millis(), as_of_ms)?;
    let by_wallet: BTreeSet<AccountId> = opening
        .iter()
        .filter(|b| !b.wallet.is_empty())
        .map(|b| b.account_id)
        .chain(
            reported
                .iter()
                .filter(|(_, l)| l.iter().any(|(w, _, _)| !w.is_empty()))
                .map(|(a, _)| *a),
        )
        .collect();
    let lines: Vec<ShiftLine> = lines(&opening, &completed, &reported, &by_wallet)
        .iter()
        .map(|l| view(app, l))
        .collect();
    let token = uuid::Uuid::now_v7().to_string();
    *app.close_preview() = Some(Preview {
        token: token.clone(),
        shift_id: shift.id,
        as_of_ms,
        lines: lines.clone(),
    });
    Ok(ClosePreview {
        token,
        as_of: chrono::DateTime::from_timestamp_millis(as_of_ms)
            .unwrap_or_default()
            .to_rfc3339(),
        shift: info(&shift),
        lines,
        notes,
    })
}

/// Signs the close reviewed as `form.token`: typed balances fill the lines
/// no provider reported, every variance needs a reason, and the signer's
/// password or PIN is checked (wrong tries count toward the lock-out).
pub fn sign_close(app: &Cashdesk, form: &SignClose) -> ApiResult<super::shift_report::ShiftReport> {
    let actor = app.acting(Permission::Supervise)?;
    let me = actor.operator_ref().cloned().ok_or(CoreError::LoggedOut)?;
    let preview = app
        .close_preview()
        .clone()
        .filter(|p| p.token == form.token)
        .ok_or_else(|| {
            invalid("this close was laid out again since: review the new one and sign it")
        })?;
    super::session::verify(app, me.id, &form.secret)?;
    let mut typed: BTreeMap<LineKey, Decimal> = BTreeMap::new();
    for b in &form.balances {
        typed.insert(
            key_of(b.account_id, &b.wallet, &b.currency),
            amount(&b.amount, "closing balance")?,
        );
    }
    let mut reasons: BTreeMap<LineKey, String> = BTreeMap::new();
    for r in &form.reasons {
        let text = cashdesk_domain::text::one_line("reason", &r.reason, 500)
            .map_err(|e| invalid(e.to_string()))?;
        if !text.is_empty() {
            reasons.insert(key_of(r.account_id, &r.wallet, &r.currency), text);
        }
    }
    let mut lines = Vec::new();
    let mut closing = Vec::new();
    for mut l in preview.lines {
        let key = (l.account_id, l.wallet.clone(), l.currency.clone());
        let label = format!("{} {} {}", l.account, l.wallet, l.currency);
        let value = match (&l.closing, typed.remove(&key)) {
            (Some(_), Some(_)) => {
                return Err(invalid(format!(
                    "{label}: the provider reported this balance; it is not typed"
                )));
            }
            (Some(r), None) => amount(r, "closing balance")?,
            (None, Some(t)) => {
                l.closing = Some(t.to_string());
                l.closing_source = Some("hand".into());
                t
            }
            (None, None) => {
                return Err(invalid(format!("{label}: type the balance at close")));
            }
        };
        let variance = value - amount(&l.expected, "expected")?;
        l.variance = Some(variance.to_string());
        l.reason = reasons.get(&key).cloned();
        if !variance.is_zero() && l.reason.is_none() {
            return Err(invalid(format!(
                "{label}: a variance of {variance} needs a reason"
            )));
        }
        closing.push(BalanceLine {
            account_id: l.account_id,
            wallet: l.wallet.clone(),
            currency: l.currency.clone(),
            amount: value,
            source: if l.closing_source.as_deref() == Some("provider") {
                BalanceSource::Provider
            } else {
                BalanceSource::Hand
            },
        });
        lines.push(l);
    }
    if let Some(((_, w, c), _)) = typed.into_iter().next() {
        return Err(invalid(format!("{w} {c}: there is no such line to close")));
    }
    let report = super::shift_report::ShiftReport::new(
        app,
        preview.shift_id,
        preview.as_of_ms,
        &me.name,
        lines,
    )?;
    let json = serde_json::to_value(&report).map_err(|e| invalid(e.to_string()))?;
    app.store()
        .close_shift(preview.shift_id, preview.as_of_ms, &closing, &json, &actor)?;
    *app.close_preview() = None;
    Ok(report)
}
