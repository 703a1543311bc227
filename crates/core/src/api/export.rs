//! A complete CSV export of any filtered view: every row, streamed one at
//! a time (constant memory), the filter, the person and the time written
//! in the file's first line, and the row count checked against the view's.

use super::dto::QueueTab;
use super::{ApiResult, invalid};
use crate::app::Cashdesk;
use cashdesk_domain::{ProviderKind, RequestKind};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use ts_rs::TS;

#[derive(Debug, Clone, Deserialize, TS)]
#[ts(export)]
pub struct ExportQuery {
    pub tab: QueueTab,
    #[ts(optional)]
    pub provider: Option<ProviderKind>,
    #[ts(optional)]
    pub kind: Option<RequestKind>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ExportResult {
    pub path: String,
    #[ts(type = "number")]
    pub rows: u64,
}

/// Where exports go: `CASHDESK_EXPORT_DIR`, else the user's downloads
/// folder, else `exports/` in the data folder.
pub(crate) fn export_dir(app: &Cashdesk) -> PathBuf {
    let var = |k: &str| {
        std::env::var_os(k)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    var("CASHDESK_EXPORT_DIR")
        .or_else(|| var("XDG_DOWNLOAD_DIR"))
        .or_else(|| {
            var("HOME")
                .map(|h| h.join("Downloads"))
                .filter(|d| d.is_dir())
        })
        .unwrap_or_else(|| app.config().data_dir.join("exports"))
}

/// Exports the view to a new file in the downloads folder.
pub fn export_view(app: &Cashdesk, q: &ExportQuery) -> ApiResult<ExportResult> {
    let dir = export_dir(app);
    std::fs::create_dir_all(&dir)
        .map_err(|e| invalid(format!("cannot create {}: {e}", dir.display())))?;
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ");
    let tab = serde_json::to_value(q.tab)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned));
    let path = dir.join(format!("cashdesk-{}-{stamp}.csv", tab.unwrap_or_default()));
    let rows = export_view_to(app, q, &path)?;
    Ok(ExportResult {
        path: path.display().to_string(),
        rows,
    })
}

/// Exports the view to `path` (written beside it, then renamed: a crash
/// leaves no half file), from one consistent snapshot. Returns the rows.
pub fn export_view_to(app: &Cashdesk, q: &ExportQuery, path: &Path) -> ApiResult<u64> {
    let (who, _) = app.active()?;
    let f = super::requests::tab_filter(q.tab, q.provider, q.kind);
    let part = path.with_extension("csv.part");
    let io = |e: std::io::Error| invalid(format!("cannot write {}: {e}", part.display()));
    let file = std::fs::File::create(&part).map_err(io)?;
    let mut out = std::io::BufWriter::new(file);
    use std::io::Write;
    writeln!(
        out,
        "# Cashdesk export; view {}; provider {}; kind {}; by {}; at {}",
        serde_json::to_string(&q.tab)
            .unwrap_or_default()
            .trim_matches('"'),
        q.provider.map(|p| p.as_str()).unwrap_or("any"),
        q.kind.map(|k| k.as_str()).unwrap_or("any"),
        who.name,
        chrono::Utc::now().to_rfc3339()
    )
    .map_err(io)?;
    let (rows, out) = app.store().export_csv(&f, out)?;
    out.into_inner()
        .map_err(|e| invalid(e.to_string()))?
        .sync_all()
        .map_err(io)?;
    std::fs::rename(&part, path).map_err(io)?;
    Ok(rows)
}
