//! Shifts: one open at a time. A supervisor opens the first with the
//! balances they start from; closing a shift (signed, audited) keeps its
//! closing balances and opens the next shift with them, in one
//! transaction, so no money falls between two shifts.

use crate::operators::roles_in;
use crate::sql::{Db, OptionalExtension, Row, params};
use crate::{Result, Store, StoreError, audit, from_ms, now_ms};
use cashdesk_domain::{AccountId, Actor, Role};
use rust_decimal::Decimal;
use serde::Serialize;

/// Where a balance came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BalanceSource {
    /// Asked of the provider (e.g. Paykassma's accounts-balance).
    Provider,
    /// Typed by a person (a provider that reports no balance).
    Hand,
    /// The previous shift's closing balance.
    Carried,
}

impl BalanceSource {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Provider => "provider",
            Self::Hand => "hand",
            Self::Carried => "carried",
        }
    }
    fn parse(s: &str) -> Self {
        match s {
            "provider" => Self::Provider,
            "carried" => Self::Carried,
            _ => Self::Hand,
        }
    }
}

/// One balance: an account's, per wallet (`""` when the provider reports
/// one per account) and currency.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BalanceLine {
    pub account_id: AccountId,
    pub wallet: String,
    pub currency: String,
    pub amount: Decimal,
    pub source: BalanceSource,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Shift {
    pub id: i64,
    pub opened_at: chrono::DateTime<chrono::Utc>,
    /// The actor text of who opened it (`operator:{id}:{name}`).
    pub opened_by: String,
    pub closed_at: Option<chrono::DateTime<chrono::Utc>>,
    pub closed_by: Option<String>,
    /// The signed report, once closed.
    pub report: Option<serde_json::Value>,
}

/// A request completed in a shift: the money that moved.
#[derive(Debug, Clone, PartialEq)]
pub struct Completed {
    pub account_id: AccountId,
    pub kind: cashdesk_domain::RequestKind,
    pub method: String,
    /// What the provider settled where it said, else what was requested.
    pub amount: Decimal,
    pub currency: String,
}

const SHIFT: &str =
    "SELECT id, opened_ms, opened_by, closed_ms, closed_by, report_json FROM shifts";

fn shift_row(r: &Row<'_>) -> Result<Shift> {
    let report: Option<String> = r.get(5)?;
    Ok(Shift {
        id: r.get(0)?,
        opened_at: from_ms(r.get(1)?),
        opened_by: r.get(2)?,
        closed_at: r.get::<_, Option<i64>>(3)?.map(from_ms),
        closed_by: r.get(4)?,
        report: report.and_then(|j| serde_json::from_str(&j).ok()),
    })
}

fn open_in(tx: &Db<'_>) -> Result<Option<Shift>> {
    tx.prepare_cached(&format!(
        "{SHIFT} WHERE closed_ms IS NULL ORDER BY id DESC LIMIT 1"
    ))?
    .query_row(params![], shift_row)
    .optional()
}

fn get_in(c: &Db<'_>, id: i64) -> Result<Shift> {
    c.prepare_cached(&format!("{SHIFT} WHERE id = ?1"))?
        .query_row(params![id], shift_row)
        .optional()?
        .ok_or_else(|| StoreError::NotFound(format!("shift {id}")))
}

fn supervisor_in(tx: &Db<'_>, actor: &Actor) -> Result<()> {
    if actor.operator_ref().is_none() || !roles_in(tx, actor)?.has(Role::Supervisor) {
        return Err(StoreError::NotAllowed(
            "needs a supervisor to open or close a shift".into(),
        ));
    }
    Ok(())
}

fn put_balances(tx: &Db<'_>, shift: i64, phase: &str, lines: &[BalanceLine]) -> Result<()> {
    let mut st = tx.prepare_cached(
        "INSERT INTO shift_balances (shift_id, phase, account_id, wallet, currency, amount, source)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    for l in lines {
        st.execute(params![
            shift,
            phase,
            l.account_id.to_string(),
            l.wallet,
            l.currency,
            l.amount.to_string(),
            l.source.as_str()
        ])
        .map_err(|e| match e {
            e if e.is_constraint() => StoreError::Conflict(format!(
                "the balance of {} {} is given twice",
                l.wallet, l.currency
            )),
            e => e,
        })?;
    }
    Ok(())
}

fn new_shift_in(tx: &Db<'_>, actor: &Actor, at: i64, opening: &[BalanceLine]) -> Result<i64> {
    let id: i64 = tx.query_row(
        "INSERT INTO shifts (opened_ms, opened_by) VALUES (?1, ?2) RETURNING id",
        params![at, actor.to_string()],
        |r| r.get(0),
    )?;
    put_balances(tx, id, "open", opening)?;
    Ok(id)
}

impl Store {
    /// The shift open now, if any.
    pub fn current_shift(&self) -> Result<Option<Shift>> {
        self.read(open_in)
    }

    pub fn shift(&self, id: i64) -> Result<Shift> {
        self.read(|c| get_in(c, id))
    }

    /// Closed shifts, newest first.
    pub fn closed_shifts(&self, limit: u32) -> Result<Vec<Shift>> {
        self.read(|c| {
            let mut st = c.prepare_cached(&format!(
                "{SHIFT} WHERE closed_ms IS NOT NULL ORDER BY id DESC LIMIT ?1"
            ))?;
            let rows = st.query_map(params![limit.clamp(1, 500)], shift_row)?;
            rows.collect::<Result<_, _>>()
        })
    }

    /// A shift's balances at `open` or `close`.
    pub fn shift_balances(&self, shift: i64, close: bool) -> Result<Vec<BalanceLine>> {
        self.read(|c| {
            let mut st = c.prepare_cached(
                "SELECT account_id, wallet, currency, amount, source FROM shift_balances
                 WHERE shift_id = ?1 AND phase = ?2 ORDER BY account_id, wallet, currency",
            )?;
            let rows = st.query_map(params![shift, if close { "close" } else { "open" }], |r| {
                let account: String = r.get(0)?;
                let amount: String = r.get(3)?;
                let source: String = r.get(4)?;
                Ok((
                    account,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    amount,
                    source,
                ))
            })?;
            let mut out = Vec::new();
            for row in rows {
                let (account, wallet, currency, amount, source) = row?;
                out.push(BalanceLine {
                    account_id: account
                        .parse()
                        .map_err(|_| StoreError::Corrupt(format!("bad account id {account}")))?,
                    wallet,
                    currency,
                    amount: amount
                        .parse()
                        .map_err(|_| StoreError::Corrupt(format!("bad balance {amount}")))?,
                    source: BalanceSource::parse(&source),
                });
            }
            Ok(out)
        })
    }

    /// Opens the first shift (or one after a gap) from `opening` balances.
    /// Refused while a shift is open: closing it opens the next.
    pub fn open_shift(&self, opening: &[BalanceLine], actor: &Actor) -> Result<Shift> {
        self.write(|tx| {
            supervisor_in(tx, actor)?;
            if let Some(open) = open_in(tx)? {
                return Err(StoreError::Conflict(format!(
                    "shift {} is open: close it, and the next one opens with its closing balances",
                    open.id
                )));
            }
            let id = new_shift_in(tx, actor, now_ms(), opening)?;
            audit::append(
                tx,
                actor,
                "shift.open",
                &format!("shift:{id}"),
                &serde_json::json!({ "opening": opening }),
            )?;
            open_in(tx)?.ok_or_else(|| StoreError::Conflict("shift not kept".into()))
        })
    }

    /// Closes shift `id` at `closed_ms` with its `closing` balances and the
    /// signed `report`, and opens the next shift from those balances; all
    /// in one transaction, audited. Refused if `id` is no longer the open
    /// shift (someone closed it meanwhile).
    pub fn close_shift(
        &self,
        id: i64,
        closed_ms: i64,
        closing: &[BalanceLine],
        report: &serde_json::Value,
        actor: &Actor,
    ) -> Result<(Shift, Shift)> {
        self.write(|tx| {
            supervisor_in(tx, actor)?;
            match open_in(tx)? {
                Some(open) if open.id == id => {}
                _ => {
                    return Err(StoreError::Conflict(format!(
                        "shift {id} is not the open shift any more: it was closed meanwhile"
                    )));
                }
            }
            tx.execute(
                "UPDATE shifts SET closed_ms = ?2, closed_by = ?3, report_json = ?4 WHERE id = ?1",
                params![id, closed_ms, actor.to_string(), report.to_string()],
            )?;
            put_balances(tx, id, "close", closing)?;
            let carried: Vec<BalanceLine> = closing
                .iter()
                .map(|l| BalanceLine {
                    source: BalanceSource::Carried,
                    ..l.clone()
                })
                .collect();
            let next = new_shift_in(tx, actor, closed_ms, &carried)?;
            audit::append(tx, actor, "shift.close", &format!("shift:{id}"), report)?;
            Ok((get_in(tx, id)?, get_in(tx, next)?))
        })
    }

    /// Requests completed in `[since_ms, until_ms)`: what moved, per request.
    pub fn completed_between(&self, since_ms: i64, until_ms: i64) -> Result<Vec<Completed>> {
        self.read(|c| {
            let mut st = c.prepare_cached(
                "SELECT account_id, kind, method, COALESCE(settled_amount, amount),
                        COALESCE(settled_currency, currency)
                 FROM requests WHERE final_ms >= ?1 AND final_ms < ?2 AND status = 'completed'",
            )?;
            let rows = st.query_map(params![since_ms, until_ms], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                ))
            })?;
            let mut out = Vec::new();
            for row in rows {
                let (account, kind, method, amount, currency) = row?;
                out.push(Completed {
                    account_id: account
                        .parse()
                        .map_err(|_| StoreError::Corrupt(format!("bad account id {account}")))?,
                    kind: cashdesk_domain::RequestKind::parse(&kind)
                        .ok_or_else(|| StoreError::Corrupt(format!("bad kind {kind}")))?,
                    method,
                    amount: amount
                        .parse()
                        .map_err(|_| StoreError::Corrupt(format!("bad amount {amount}")))?,
                    currency,
                });
            }
            Ok(out)
        })
    }
}
