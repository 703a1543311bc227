//! Drafts: whatever an agent has typed but not yet submitted, saved as it is
//! typed (each save is a durable commit) so a crash or power cut loses nothing.

use crate::requests::{NewRequest, get_in};
use crate::sql::{OptionalExtension, Row, params};
use crate::{Result, Store, StoreError, from_ms, now_ms};
use cashdesk_domain::{Actor, DraftId};

#[derive(Debug, Clone, PartialEq)]
pub struct DraftRecord {
    pub id: DraftId,
    pub operator: Option<String>,
    /// The form as typed, field by field; free-form because a half-typed
    /// draft need not be valid yet.
    pub fields: serde_json::Value,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

fn row(r: &Row<'_>) -> Result<DraftRecord> {
    let id: String = r.get(0)?;
    let fields: String = r.get(2)?;
    Ok(DraftRecord {
        id: id
            .parse()
            .map_err(|_| StoreError::Corrupt(format!("bad draft id {id:?}")))?,
        operator: r.get(1)?,
        fields: serde_json::from_str(&fields).unwrap_or(serde_json::Value::Null),
        created_at: from_ms(r.get(3)?),
        updated_at: from_ms(r.get(4)?),
    })
}

impl Store {
    pub fn save_draft(
        &self,
        id: DraftId,
        operator: Option<&str>,
        fields: &serde_json::Value,
    ) -> Result<DraftRecord> {
        self.write(|tx| {
            let now = now_ms();
            tx.execute(
                "INSERT INTO drafts (id, operator, fields_json, created_ms, updated_ms) VALUES (?1, ?2, ?3, ?4, ?4)
                 ON CONFLICT(id) DO UPDATE SET fields_json = excluded.fields_json, updated_ms = excluded.updated_ms",
                params![id.to_string(), operator, fields.to_string(), now],
            )?;
            tx.query_row("SELECT id, operator, fields_json, created_ms, updated_ms FROM drafts WHERE id = ?1", params![id.to_string()], row)
        })
    }

    /// Most recently edited first.
    pub fn list_drafts(&self) -> Result<Vec<DraftRecord>> {
        self.read(|c| {
            let mut st = c.prepare("SELECT id, operator, fields_json, created_ms, updated_ms FROM drafts ORDER BY updated_ms DESC")?;
            let rows = st.query_map(params![], row)?;
            rows.collect::<Result<_, _>>()
        })
    }

    pub fn discard_draft(&self, id: DraftId) -> Result<()> {
        self.write(|tx| {
            tx.execute("DELETE FROM drafts WHERE id = ?1", params![id.to_string()])?;
            Ok(())
        })
    }

    /// Turns a draft into a pending request: the request appears and the
    /// draft disappears in one transaction, so neither is lost nor doubled.
    pub fn submit_draft(
        &self,
        id: DraftId,
        new: &NewRequest,
        actor: &Actor,
    ) -> Result<crate::RequestRecord> {
        self.write(|tx| {
            let exists: Option<String> = tx
                .query_row(
                    "SELECT id FROM drafts WHERE id = ?1",
                    params![id.to_string()],
                    |r| r.get(0),
                )
                .optional()?;
            if exists.is_none() {
                return Err(StoreError::NotFound(format!("draft {id}")));
            }
            // The request's intake_ref names the draft: a draft submitted
            // again (its first answer lost on the way back to a desktop)
            // is the same request, not a second one.
            let (rec, created) = crate::insert::insert_or_get_in(tx, new, actor, None)?;
            if created {
                crate::attachments::move_in(tx, id, rec.id)?;
            }
            tx.execute("DELETE FROM drafts WHERE id = ?1", params![id.to_string()])?;
            get_in(tx, rec.id)
        })
    }
}
