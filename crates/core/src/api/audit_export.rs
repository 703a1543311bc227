//! The audit log exported whole: every entry the trail's filter matches
//! (no cap), read in keyset pages of 1,000 so memory stays constant, the
//! filter, the person and the time in the file's first line. The log is
//! append-only and read newest first below the first page's top, so an
//! entry written during the export is simply not in it.

use super::export::{ExportResult, export_dir, write_atomically, write_error};
use super::supervisor::{AuditQuery, audit_filter, audit_row, supervising};
use super::{ApiResult, invalid};
use crate::app::Cashdesk;
use std::path::Path;

const PAGE: u32 = 1000;
const COLUMNS: [&str; 7] = ["seq", "at", "who", "actor", "action", "subject", "details"];

/// Exports the filtered audit log to a new file in the downloads folder.
pub fn export_audit(app: &Cashdesk, q: &AuditQuery) -> ApiResult<ExportResult> {
    supervising(app)?;
    let dir = export_dir(app);
    std::fs::create_dir_all(&dir)
        .map_err(|e| invalid(format!("cannot create {}: {e}", dir.display())))?;
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ");
    export_audit_to(app, q, &dir.join(format!("cashdesk-audit-{stamp}.csv")))
}

/// Exports the filtered audit log to `path` (whole or not at all).
pub fn export_audit_to(app: &Cashdesk, q: &AuditQuery, path: &Path) -> ApiResult<ExportResult> {
    supervising(app)?;
    let (who, _) = app.active()?;
    let mut f = audit_filter(q)?;
    f.limit = PAGE;
    let failed = |e: &dyn std::fmt::Display| write_error(path, e);
    let any = |v: Option<String>| v.unwrap_or_else(|| "any".into());
    let rows = write_atomically(path, |out| {
        use std::io::Write;
        writeln!(
            out,
            "# Cashdesk audit export; operator {}; request {}; action {}; since {}; until {}; by {}; at {}",
            any(q.operator.map(|o| o.to_string())),
            any(q.request.map(|r| r.to_string())),
            any(f.action.clone()),
            any(q.since.clone()),
            any(q.until.clone()),
            who.name,
            chrono::Utc::now().to_rfc3339()
        )
        .map_err(|e| failed(&e))?;
        let mut w = csv::Writer::from_writer(out);
        w.write_record(COLUMNS).map_err(|e| failed(&e))?;
        // Names, subjects and details are text from outside: a leading
        // `=` is data, never a formula.
        let cell = cashdesk_store::export::cell;
        let mut rows = 0u64;
        loop {
            let page = app.store().audit_page(&f)?;
            let full = page.len() == PAGE as usize;
            f.before_seq = page.last().map(|e| e.seq);
            for e in page {
                let actor = cell(&e.actor);
                let r = audit_row(e);
                w.write_record([
                    r.seq.to_string(),
                    r.at,
                    cell(&r.who),
                    actor,
                    cell(&r.action),
                    cell(&r.subject),
                    cell(&r.details),
                ])
                .map_err(|e| failed(&e))?;
                rows += 1;
            }
            if !full {
                break;
            }
        }
        w.flush().map_err(|e| failed(&e))?;
        Ok(rows)
    })?;
    Ok(ExportResult {
        path: path.display().to_string(),
        rows,
    })
}
