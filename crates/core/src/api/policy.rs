//! The desk's policy, set by an admin: whether an exact duplicate
//! reference blocks approval, from which amount approving asks for a
//! one-key confirmation, and the usual reject reasons offered by number.
//! Each part is its own setting, written together in one transaction.

use super::{ApiResult, invalid};
use crate::app::Cashdesk;
use cashdesk_domain::{Money, Permission};
use cashdesk_store::BLOCK_DUPLICATE_KEY;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

const CONFIRM_KEY: &str = "desk.confirm_above";
const REASONS_KEY: &str = "desk.reject_reasons";
/// Reasons are picked with the number keys 1–9.
const MAX_REASONS: usize = 9;
const MAX_REASON_CHARS: usize = 200;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DeskPolicy {
    /// The same TrxID / UTR / hash on another request of the same kind and
    /// method that was not turned down blocks approving (rejecting stays
    /// open, so one of the two can be turned down).
    pub block_duplicate_reference: bool,
    /// Approving this amount or more, in its currency, takes a one-key
    /// confirmation; the core refuses an unconfirmed approval.
    pub confirm_above: Vec<Money>,
    /// Reject reasons offered by number; empty: the language's own four.
    pub reject_reasons_deposit: Vec<String>,
    pub reject_reasons_withdrawal: Vec<String>,
}

#[derive(Default, Serialize, Deserialize)]
struct Reasons {
    deposit: Vec<String>,
    withdrawal: Vec<String>,
}

/// The policy as stored; anyone logged in reads it (the window needs it).
pub fn desk_policy(app: &Cashdesk) -> ApiResult<DeskPolicy> {
    app.viewing()?;
    Ok(read(app))
}

pub(crate) fn read(app: &Cashdesk) -> DeskPolicy {
    let get = |k: &str| app.store().setting(k).ok().flatten();
    let confirm_above = get(CONFIRM_KEY)
        .and_then(|s| serde_json::from_str(&s).ok())
        .unwrap_or_default();
    let reasons: Reasons = get(REASONS_KEY)
        .and_then(|s| serde_json::from_str(&s).ok())
        .unwrap_or_default();
    DeskPolicy {
        block_duplicate_reference: get(BLOCK_DUPLICATE_KEY).as_deref() == Some("true"),
        confirm_above,
        reject_reasons_deposit: reasons.deposit,
        reject_reasons_withdrawal: reasons.withdrawal,
    }
}

/// An admin's act, audited per setting.
pub fn set_desk_policy(app: &Cashdesk, p: &DeskPolicy) -> ApiResult<DeskPolicy> {
    let actor = app.acting(Permission::Administer)?;
    let mut seen = std::collections::BTreeSet::new();
    for m in &p.confirm_above {
        if !seen.insert(m.currency.code().to_owned()) {
            return Err(invalid(format!(
                "Confirmation threshold: {} is given twice",
                m.currency.code()
            )));
        }
    }
    let clean = |list: &[String], kind: &str| -> ApiResult<Vec<String>> {
        let list: Vec<String> = list
            .iter()
            .map(|r| r.trim().to_owned())
            .filter(|r| !r.is_empty())
            .collect();
        if list.len() > MAX_REASONS {
            return Err(invalid(format!(
                "Reject reasons ({kind}): at most {MAX_REASONS}, picked with the keys 1 to 9"
            )));
        }
        if let Some(r) = list.iter().find(|r| r.chars().count() > MAX_REASON_CHARS) {
            return Err(invalid(format!(
                "Reject reason \"{r}\": at most {MAX_REASON_CHARS} characters"
            )));
        }
        Ok(list)
    };
    let reasons = Reasons {
        deposit: clean(&p.reject_reasons_deposit, "deposit")?,
        withdrawal: clean(&p.reject_reasons_withdrawal, "withdrawal")?,
    };
    let json = |v: serde_json::Result<String>| v.map_err(|e| invalid(e.to_string()));
    app.store().set_settings(
        &[
            (
                BLOCK_DUPLICATE_KEY,
                if p.block_duplicate_reference {
                    "true"
                } else {
                    "false"
                }
                .to_owned(),
            ),
            (CONFIRM_KEY, json(serde_json::to_string(&p.confirm_above))?),
            (REASONS_KEY, json(serde_json::to_string(&reasons))?),
        ],
        &actor,
    )?;
    Ok(read(app))
}

/// The threshold `money` reaches, when approving it takes a confirmation.
pub(crate) fn confirm_threshold(p: &DeskPolicy, money: &Money) -> Option<Money> {
    p.confirm_above
        .iter()
        .find(|t| t.currency == money.currency && money.amount >= t.amount)
        .cloned()
}
