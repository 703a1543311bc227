//! Payment proofs kept with a draft or a request: the screenshot a customer
//! sent for a Paykassma manual payment system. One screenshot per owner;
//! attaching another replaces it while the request is still undecided, and
//! a draft's screenshot moves to its request in the submitting transaction.

use crate::sql::{Db, OptionalExtension, Row, params};
use crate::{Result, Store, StoreError, audit, from_ms, now_ms};
use cashdesk_domain::{Actor, DraftId, RequestId, RequestStatus};
use sha2::{Digest, Sha256};

/// A screenshot as received, before it is stored.
#[derive(Clone, PartialEq, Eq)]
pub struct NewAttachment {
    pub file_name: String,
    pub mime: String,
    pub bytes: Vec<u8>,
    /// A 64-bit perceptual hash of the picture (the core computes it;
    /// `None` when it could not be decoded): finds re-encoded copies.
    pub phash: Option<u64>,
}

impl std::fmt::Debug for NewAttachment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewAttachment")
            .field("file_name", &self.file_name)
            .field("mime", &self.mime)
            .field("bytes", &self.bytes.len())
            .finish()
    }
}

/// What is shown about a stored screenshot (the bytes are fetched apart).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttachmentInfo {
    pub id: String,
    pub file_name: String,
    pub mime: String,
    pub sha256: String,
    pub size: usize,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

#[derive(Clone, Copy)]
pub(crate) enum Owner {
    Draft(DraftId),
    Request(RequestId),
}

impl Owner {
    fn kind(self) -> &'static str {
        match self {
            Self::Draft(_) => "draft",
            Self::Request(_) => "request",
        }
    }
    fn id(self) -> String {
        match self {
            Self::Draft(d) => d.to_string(),
            Self::Request(r) => r.to_string(),
        }
    }
}

const INFO: &str = "id, file_name, mime, sha256, length(bytes), created_ms";

fn info_row(r: &Row<'_>) -> Result<AttachmentInfo> {
    Ok(AttachmentInfo {
        id: r.get(0)?,
        file_name: r.get(1)?,
        mime: r.get(2)?,
        sha256: r.get(3)?,
        size: r.get::<_, i64>(4)? as usize,
        created_at: from_ms(r.get(5)?),
    })
}

/// Replaces the owner's screenshot with `a`, in the caller's transaction.
pub(crate) fn put_in(tx: &Db<'_>, owner: Owner, a: &NewAttachment) -> Result<AttachmentInfo> {
    tx.execute(
        "DELETE FROM attachments WHERE owner_kind = ?1 AND owner_id = ?2",
        params![owner.kind(), owner.id()],
    )?;
    let id = uuid::Uuid::now_v7().simple().to_string();
    let sha = hex::encode(Sha256::digest(&a.bytes));
    tx.execute(
        "INSERT INTO attachments (id, owner_kind, owner_id, file_name, mime, sha256, bytes, created_ms, phash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![id, owner.kind(), owner.id(), a.file_name, a.mime, sha, a.bytes, now_ms(),
            a.phash.map(|h| h as i64)],
    )?;
    info_in(tx, owner)?.ok_or_else(|| StoreError::Corrupt("attachment vanished".into()))
}

fn info_in(c: &Db<'_>, owner: Owner) -> Result<Option<AttachmentInfo>> {
    c.query_row(
        &format!("SELECT {INFO} FROM attachments WHERE owner_kind = ?1 AND owner_id = ?2"),
        params![owner.kind(), owner.id()],
        info_row,
    )
    .optional()
}

/// Hands a draft's screenshot to the request it became.
pub(crate) fn move_in(tx: &Db<'_>, draft: DraftId, request: RequestId) -> Result<()> {
    tx.execute(
        "UPDATE attachments SET owner_kind = 'request', owner_id = ?2
         WHERE owner_kind = 'draft' AND owner_id = ?1",
        params![draft.to_string(), request.to_string()],
    )?;
    Ok(())
}

impl Store {
    /// Keeps a screenshot with a draft (replacing any earlier one).
    pub fn attach_to_draft(&self, draft: DraftId, a: &NewAttachment) -> Result<AttachmentInfo> {
        self.write(|tx| {
            let exists: Option<String> = tx
                .query_row(
                    "SELECT id FROM drafts WHERE id = ?1",
                    params![draft.to_string()],
                    |r| r.get(0),
                )
                .optional()?;
            if exists.is_none() {
                return Err(StoreError::NotFound(format!("draft {draft}")));
            }
            put_in(tx, Owner::Draft(draft), a)
        })
    }

    /// Keeps a screenshot with a request that is still pending: once it is
    /// decided, what was sent with it must stay what the history says.
    pub fn attach_to_request(
        &self,
        request: RequestId,
        a: &NewAttachment,
        actor: &Actor,
    ) -> Result<AttachmentInfo> {
        self.write(|tx| {
            let rec = crate::requests::get_in(tx, request)?;
            if rec.status != RequestStatus::Pending {
                return Err(StoreError::Conflict(format!(
                    "the request is {} now; a screenshot can only be attached while it is pending",
                    rec.status.label()
                )));
            }
            let info = put_in(tx, Owner::Request(request), a)?;
            let why = format!("screenshot attached: {} ({} bytes)", a.file_name, info.size);
            crate::requests::note_in(tx, request, actor, rec.status, &why)?;
            audit::append(
                tx,
                actor,
                "request.screenshot",
                &request.to_string(),
                &serde_json::json!({ "file_name": a.file_name, "sha256": info.sha256 }),
            )?;
            Ok(info)
        })
    }

    pub fn draft_screenshot(&self, draft: DraftId) -> Result<Option<AttachmentInfo>> {
        self.read(|c| info_in(c, Owner::Draft(draft)))
    }

    pub fn request_screenshot(&self, request: RequestId) -> Result<Option<AttachmentInfo>> {
        self.read(|c| info_in(c, Owner::Request(request)))
    }

    /// The stored bytes of a screenshot, by its id.
    pub fn attachment_bytes(&self, id: &str) -> Result<(AttachmentInfo, Vec<u8>)> {
        self.read(|c| {
            c.query_row(
                &format!("SELECT {INFO}, bytes FROM attachments WHERE id = ?1"),
                params![id],
                |r| Ok((info_row(r)?, r.get::<_, Vec<u8>>(6)?)),
            )
            .optional()?
            .ok_or_else(|| StoreError::NotFound(format!("attachment {id}")))
        })
    }
}
