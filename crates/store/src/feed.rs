//! Requests that come from a provider's own feed (CashWeb's transaction
//! list): one request per provider transaction, whichever way it is read
//! again, and the provider's id stored with it from the first write so
//! later lookups by that id always find it.

use crate::insert::insert_in;
use crate::requests::get_in;
use crate::sql::{OptionalExtension, params};
use crate::{NewRequest, RequestRecord, Result, Store, StoreError};
use cashdesk_domain::Actor;

impl Store {
    /// Inserts a pending request known to the provider as `txn_id`, once:
    /// the same `(source, intake_ref)` again returns the first and `false`.
    pub fn insert_from_feed(
        &self,
        new: &NewRequest,
        actor: &Actor,
        txn_id: &str,
    ) -> Result<(RequestRecord, bool)> {
        self.write(|tx| {
            let existing: Option<String> = tx
                .query_row(
                    "SELECT id FROM requests WHERE source = ?1 AND intake_ref = ?2",
                    params![new.source.as_str(), new.intake_ref],
                    |row| row.get(0),
                )
                .optional()?;
            if let Some(id) = existing {
                let id = id.parse().map_err(|_| StoreError::Corrupt(id.clone()))?;
                return Ok((get_in(tx, id)?, false));
            }
            let id = insert_in(tx, new, actor, None)?;
            tx.execute(
                "UPDATE requests SET provider_txn_id = ?2 WHERE id = ?1",
                params![id.to_string(), txn_id],
            )?;
            Ok((get_in(tx, id)?, true))
        })
    }
}
