//! A complete CSV export of any filtered view: every row, streamed one at
//! a time (constant memory), the filter, the person and the time written
//! in the file's first line, and the row count checked against the view's.

use super::dto::QueueQuery;
use super::{ApiResult, invalid};
use crate::app::Cashdesk;
use serde::Serialize;
use std::path::{Path, PathBuf};
use ts_rs::TS;

/// An export is of a view exactly as the queue shows it (its cursor and
/// page size are ignored).
pub type ExportQuery = super::dto::QueueQuery;

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

/// Exports the view to `path` (written whole or not at all), from one
/// consistent snapshot. Returns the rows.
pub fn export_view_to(app: &Cashdesk, q: &ExportQuery, path: &Path) -> ApiResult<u64> {
    let (who, _) = app.active()?;
    let f = super::views::query_filter(q)?;
    let narrowed = QueueQuery {
        tab: q.tab,
        provider: None,
        kind: None,
        after: None,
        limit: None,
        ..q.clone()
    };
    write_atomically(path, |out| {
        use std::io::Write;
        writeln!(
            out,
            "# Cashdesk export; view {}; provider {}; kind {}; filter {}; by {}; at {}",
            serde_json::to_string(&q.tab)
                .unwrap_or_default()
                .trim_matches('"'),
            q.provider.map(|p| p.as_str()).unwrap_or("any"),
            q.kind.map(|k| k.as_str()).unwrap_or("any"),
            serde_json::to_string(&narrowed).unwrap_or_default(),
            who.name,
            chrono::Utc::now().to_rfc3339()
        )
        .map_err(|e| write_error(path, e))?;
        let (rows, _) = app.store().export_csv(&f, out)?;
        Ok(rows)
    })
}

/// Writes `path` whole or not at all: `write` fills a buffered `.part`
/// file beside it, which is synced to disk and then renamed over `path`,
/// so a crash or a full disk never leaves half an export behind.
pub(crate) fn write_atomically<T>(
    path: &Path,
    write: impl FnOnce(&mut std::io::BufWriter<std::fs::File>) -> ApiResult<T>,
) -> ApiResult<T> {
    let part = path.with_extension("csv.part");
    let io = |e: std::io::Error| write_error(&part, e);
    let mut out = std::io::BufWriter::new(std::fs::File::create(&part).map_err(io)?);
    let done = write(&mut out).and_then(|v| {
        out.into_inner()
            .map_err(|e| io(e.into_error()))?
            .sync_all()
            .map_err(io)?;
        std::fs::rename(&part, path).map_err(io)?;
        Ok(v)
    });
    if done.is_err() {
        let _ = std::fs::remove_file(&part);
    }
    done
}

/// The error a user sees when `path` cannot be written (disk full, no
/// permission): which file, and why.
pub(crate) fn write_error(path: &Path, e: impl std::fmt::Display) -> crate::api::ApiError {
    invalid(format!("cannot write {}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn a_write_that_fails_leaves_no_file_and_one_that_succeeds_is_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("view.csv");
        let err = write_atomically(&path, |out| {
            out.write_all(b"half a row").unwrap();
            Err::<(), _>(invalid("the disk is full"))
        })
        .unwrap_err();
        assert!(err.message.contains("the disk is full"));
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            0,
            "no .part left"
        );
        write_atomically(&path, |out| {
            out.write_all(b"a,b\n").map_err(|e| write_error(&path, e))
        })
        .unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "a,b\n");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
