//! Where each provider feed stopped reading (CashWeb's transaction list),
//! so a restart resumes there instead of re-reading or skipping history.
//! Cursors are stored exactly as the provider sent them: never built here.

use crate::sql::{OptionalExtension, params};
use crate::{Result, Store, now_ms};
use cashdesk_domain::AccountId;

impl Store {
    /// The last cursor stored for `account`'s `stream`, if any.
    pub fn cursor(&self, account: AccountId, stream: &str) -> Result<Option<String>> {
        self.read(|c| {
            c.query_row(
                "SELECT cursor FROM sync_cursors WHERE account_id = ?1 AND stream = ?2",
                params![account.to_string(), stream],
                |r| r.get(0),
            )
            .optional()
        })
    }

    /// Replaces the stored cursor of `account`'s `stream` (one write).
    pub fn set_cursor(&self, account: AccountId, stream: &str, cursor: &str) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "INSERT INTO sync_cursors (account_id, stream, cursor, updated_ms) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (account_id, stream) DO UPDATE SET cursor = excluded.cursor, updated_ms = excluded.updated_ms",
                params![account.to_string(), stream, cursor, now_ms()],
            )?;
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_is_kept_per_account_and_stream_across_a_reopen() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.db");
        let (a, b) = (AccountId::new(), AccountId::new());
        {
            let s = Store::open(&path).unwrap();
            assert_eq!(s.cursor(a, "transactions").unwrap(), None);
            s.set_cursor(a, "transactions", "c1").unwrap();
            s.set_cursor(a, "transactions", "c2").unwrap();
            s.set_cursor(b, "transactions", "other").unwrap();
        }
        let s = Store::open(&path).unwrap();
        assert_eq!(s.cursor(a, "transactions").unwrap().as_deref(), Some("c2"));
        assert_eq!(
            s.cursor(b, "transactions").unwrap().as_deref(),
            Some("other")
        );
        assert_eq!(s.cursor(a, "elsewhere").unwrap(), None);
    }
}
