//! "Verify the audit log": the whole chain re-computed with the desk's
//! key, and the first bad entry named if there is one.

use super::ApiResult;
use crate::app::Cashdesk;
use cashdesk_domain::Permission;
use serde::Serialize;
use ts_rs::TS;

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct AuditCheck {
    pub ok: bool,
    pub entries: u64,
    pub keyed: u64,
    /// Keyed entries checked only for their links (the key was unavailable).
    pub unverified: u64,
    /// What was found, in words (the first bad entry when not ok).
    pub message: String,
}

/// Supervisors and admins may check the log.
pub fn verify(app: &Cashdesk) -> ApiResult<AuditCheck> {
    if app.acting(Permission::Supervise).is_err() {
        app.acting(Permission::Administer)?;
    }
    Ok(match app.store().audit_report() {
        Ok(r) => AuditCheck {
            ok: true,
            entries: r.entries,
            keyed: r.keyed,
            unverified: r.unverified,
            message: if r.unverified > 0 {
                format!(
                    "{} entries intact; {} keyed entries checked for their links only (the keychain did not give the key)",
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
