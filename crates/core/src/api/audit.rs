//! "Verify the audit log": the whole chain re-computed with the desk's
//! key, and the first bad entry named if there is one.

use super::ApiResult;
use crate::app::Cashdesk;
use serde::Serialize;
use ts_rs::TS;

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct AuditCheck {
    pub ok: bool,
    #[ts(type = "number")]
    pub entries: u64,
    #[ts(type = "number")]
    pub keyed: u64,
    /// Keyed entries checked only for their links (the key was unavailable).
    #[ts(type = "number")]
    pub unverified: u64,
    /// What was found, in words (the first bad entry when not ok).
    pub message: String,
}

/// Supervisors and admins may check the log.
pub fn verify(app: &Cashdesk) -> ApiResult<AuditCheck> {
    super::supervisor::supervising(app)?;
    check(app)
}

/// The check itself, with no session: for `cashdesk-headless verify-audit`,
/// run by whoever holds the data folder and the keychain (scripts, cron).
pub fn check(app: &Cashdesk) -> ApiResult<AuditCheck> {
    let anchor = app
        .store()
        .desk_id()
        .ok()
        .and_then(|d| {
            app.keychain()
                .load_app(&format!("{}.{d}", crate::cx::AUDIT_ANCHOR))
                .ok()
        })
        .and_then(|s| s.expose().trim().parse::<i64>().ok());
    Ok(match app.store().audit_report() {
        Ok(r) if anchor.is_some() && r.first_keyed != anchor => AuditCheck {
            ok: false,
            entries: r.entries,
            keyed: r.keyed,
            unverified: r.unverified,
            message: format!(
                "the log was rewritten: entry {} was the first one keyed, and it is not any more",
                anchor.unwrap_or_default()
            ),
        },
        Ok(r) => AuditCheck {
            // Keyed entries checked only for their links prove nothing.
            ok: r.unverified == 0,
            entries: r.entries,
            keyed: r.keyed,
            unverified: r.unverified,
            message: if r.unverified > 0 {
                format!(
                    "{} entries chained, but {} keyed entries could not be checked: the keychain did not give the audit key",
                    r.entries, r.unverified
                )
            } else {
                format!("All {} entries intact", r.entries)
            },
        },
        Err(cashdesk_store::StoreError::Corrupt(m)) => AuditCheck {
            ok: false,
            entries: 0,
            keyed: 0,
            unverified: 0,
            message: m,
        },
        Err(e) => return Err(e.into()),
    })
}
