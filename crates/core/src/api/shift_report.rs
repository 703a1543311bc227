//! The signed shift report: what is stored with the close (and in its
//! audit entry), shown for printing, and exported as CSV.

use super::shifts::{ShiftLine, info};
use super::{ApiResult, invalid};
use crate::app::Cashdesk;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ShiftReport {
    #[ts(type = "number")]
    pub shift_id: i64,
    pub opened_at: String,
    pub opened_by: String,
    pub closed_at: String,
    pub signed_by: String,
    pub lines: Vec<ShiftLine>,
    /// Lines whose closing balance differs from the expected one.
    pub variances: u32,
}

impl ShiftReport {
    pub(crate) fn new(
        app: &Cashdesk,
        shift_id: i64,
        closed_ms: i64,
        signed_by: &str,
        lines: Vec<ShiftLine>,
    ) -> ApiResult<Self> {
        let shift = info(&app.store().shift(shift_id)?);
        Ok(Self {
            shift_id,
            opened_at: shift.opened_at,
            opened_by: shift.opened_by,
            closed_at: chrono::DateTime::from_timestamp_millis(closed_ms)
                .unwrap_or_default()
                .to_rfc3339(),
            signed_by: signed_by.to_owned(),
            variances: lines
                .iter()
                .filter(|l| {
                    l.variance
                        .as_deref()
                        .and_then(|v| v.parse::<rust_decimal::Decimal>().ok())
                        .is_some_and(|v| !v.is_zero())
                })
                .count() as u32,
            lines,
        })
    }
}

/// A closed shift's signed report. Supervisors and admins.
pub fn shift_report(app: &Cashdesk, id: i64) -> ApiResult<ShiftReport> {
    super::supervisor::supervising(app)?;
    let shift = app.store().shift(id)?;
    let report = shift
        .report
        .ok_or_else(|| invalid(format!("shift {id} is not closed yet")))?;
    serde_json::from_value(report)
        .map_err(|e| invalid(format!("shift {id}'s report cannot be read: {e}")))
}

/// Column names of the exported report, one line per row.
pub const COLUMNS: [&str; 15] = [
    "account",
    "provider",
    "wallet",
    "currency",
    "opening",
    "opening_source",
    "deposits",
    "deposits_count",
    "withdrawals",
    "withdrawals_count",
    "expected",
    "closing",
    "closing_source",
    "variance",
    "reason",
];

/// Writes shift `id`'s report as CSV to the downloads folder (beside it,
/// then renamed: a crash leaves no half file). Returns the path and lines.
pub fn export_shift(app: &Cashdesk, id: i64) -> ApiResult<super::export::ExportResult> {
    let dir = super::export::export_dir(app);
    std::fs::create_dir_all(&dir)
        .map_err(|e| invalid(format!("cannot create {}: {e}", dir.display())))?;
    export_shift_to(app, id, &dir.join(format!("cashdesk-shift-{id}.csv")))
}

/// Writes shift `id`'s report as CSV to `path` (whole or not at all).
pub fn export_shift_to(
    app: &Cashdesk,
    id: i64,
    path: &std::path::Path,
) -> ApiResult<super::export::ExportResult> {
    let report = shift_report(app, id)?;
    let failed = |e: &dyn std::fmt::Display| super::export::write_error(path, e);
    super::export::write_atomically(path, |out| {
        use std::io::Write;
        writeln!(
            out,
            "# Cashdesk shift {id}; opened {} by {}; closed {}; signed by {}",
            report.opened_at, report.opened_by, report.closed_at, report.signed_by
        )
        .map_err(|e| failed(&e))?;
        let mut w = csv::Writer::from_writer(out);
        w.write_record(COLUMNS).map_err(|e| failed(&e))?;
        // Names, wallets and reasons are text from outside (a leading `=`
        // is data, never a formula); the amounts are Cashdesk's own
        // decimals, written as they are so a spreadsheet reads −10 as a
        // number.
        let cell = cashdesk_store::export::cell;
        let raw = |v: &Option<String>| v.clone().unwrap_or_default();
        for l in &report.lines {
            w.write_record([
                cell(&l.account),
                cell(&l.provider),
                cell(&l.wallet),
                cell(&l.currency),
                raw(&l.opening),
                raw(&l.opening_source),
                l.deposits.clone(),
                l.deposits_count.to_string(),
                l.withdrawals.clone(),
                l.withdrawals_count.to_string(),
                l.expected.clone(),
                raw(&l.closing),
                raw(&l.closing_source),
                raw(&l.variance),
                l.reason.as_deref().map(cell).unwrap_or_default(),
            ])
            .map_err(|e| failed(&e))?;
        }
        w.flush().map_err(|e| failed(&e))?;
        Ok(())
    })?;
    Ok(super::export::ExportResult {
        path: path.display().to_string(),
        rows: report.lines.len() as u64,
    })
}
