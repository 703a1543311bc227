//! A joined desktop keeps its drafts in its own SQLite file: typing is
//! never lost to a server that went away, and a draft reaches the server
//! only when submitted (as a server draft, its screenshot, then submit:
//! the server's own checks run exactly as for a desk alone).

use super::desktop::{Desktop, DesktopEvent};
use super::desktop_feed::Joined;
use crate::api::calls::{args_of, json};
use crate::api::dto::{ApiError, Changed, DraftFields, DraftView, ErrorCode};
use crate::api::{ApiResult, invalid};
use cashdesk_domain::DraftId;
use serde::Deserialize;
use serde_json::{Value, json};

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Save {
    id: Option<DraftId>,
    fields: DraftFields,
}

#[derive(Deserialize)]
struct One {
    id: DraftId,
}

#[derive(Deserialize)]
struct Attach {
    target: crate::api::desk::AttachTarget,
    input: Value,
}

#[derive(Deserialize)]
struct Data {
    id: String,
}

fn logged_out() -> ApiError {
    ApiError {
        code: ErrorCode::LoggedOut,
        message: "Log in to see and type your drafts.".into(),
    }
}

fn drafts_changed() -> DesktopEvent {
    DesktopEvent::Changed(Changed {
        drafts: true,
        ..Default::default()
    })
}

impl Desktop {
    /// A command of a joined desktop: drafts here, the rest at the server.
    pub(super) async fn team_call(&self, j: &Joined, cmd: &str, args: Value) -> ApiResult<Value> {
        match cmd {
            "list_drafts" => json(self.own_drafts(j)?),
            "save_draft" => {
                let Save { id, fields } = args_of(cmd, args)?;
                json(self.save_own(j, id, &fields)?)
            }
            "discard_draft" => {
                let One { id } = args_of(cmd, args)?;
                self.own_draft(j, id)?;
                self.store().discard_draft(id)?;
                self.emit(drafts_changed());
                json(())
            }
            "submit_draft" => {
                let One { id } = args_of(cmd, args)?;
                self.submit_own(j, id).await
            }
            "attach_screenshot" => {
                let a: Attach = args_of(cmd, args.clone())?;
                match a.target {
                    crate::api::desk::AttachTarget::Draft(id) => {
                        self.own_draft(j, id)?;
                        let input: crate::intake::IntakeScreenshot =
                            serde_json::from_value(a.input)
                                .map_err(|e| invalid(format!("{cmd}: {e}")))?;
                        let shot = input.decode()?;
                        let info: crate::api::dto::AttachmentView =
                            self.store().attach_to_draft(id, &shot)?.into();
                        self.emit(drafts_changed());
                        json(info)
                    }
                    crate::api::desk::AttachTarget::Request(_) => self.remote(j, cmd, args).await,
                }
            }
            "attachment_data" => {
                let Data { id } = args_of(cmd, args.clone())?;
                // A draft's screenshot is here (the operator's own drafts
                // only); a request's at the server.
                let mine = j.operator().is_some()
                    && self
                        .own_drafts(j)?
                        .into_iter()
                        .any(|d| d.screenshot.is_some_and(|s| s.id == id));
                if mine {
                    json(crate::api::desk::data_url(self.store(), &id)?)
                } else {
                    self.remote(j, cmd, args).await
                }
            }
            _ => self.remote(j, cmd, args).await,
        }
    }

    fn own_drafts(&self, j: &Joined) -> ApiResult<Vec<DraftView>> {
        let me = j.operator().ok_or_else(logged_out)?;
        self.store()
            .list_drafts()?
            .into_iter()
            .filter(|d| crate::api::drafts::owned_by_id(d, Some(&me)))
            .map(|d| crate::api::drafts::view_in(self.store(), d))
            .collect()
    }

    /// Refuses another operator's draft (or anyone's while logged out).
    fn own_draft(&self, j: &Joined, id: DraftId) -> ApiResult<()> {
        let me = j.operator().ok_or_else(logged_out)?;
        match self.store().list_drafts()?.into_iter().find(|d| d.id == id) {
            Some(d) if !crate::api::drafts::owned_by_id(&d, Some(&me)) => Err(ApiError {
                code: ErrorCode::NeedsRole,
                message: "This draft belongs to another operator.".into(),
            }),
            _ => Ok(()),
        }
    }

    fn save_own(
        &self,
        j: &Joined,
        id: Option<DraftId>,
        fields: &DraftFields,
    ) -> ApiResult<DraftView> {
        let me = j.operator().ok_or_else(logged_out)?;
        if let Some(id) = id {
            self.own_draft(j, id)?;
        }
        let value = serde_json::to_value(fields).map_err(|e| invalid(e.to_string()))?;
        let saved = self
            .store()
            .save_draft(id.unwrap_or_default(), Some(&me), &value)?;
        self.emit(drafts_changed());
        crate::api::drafts::view_in(self.store(), saved)
    }

    /// Sends the draft to the server as a draft of its own, with its
    /// screenshot, and submits it there; the local draft goes once the
    /// server took it. A server draft left by a refused step is discarded;
    /// after no answer the draft stays here, and submitting it again is
    /// safe (the server keys the request by the draft's id).
    async fn submit_own(&self, j: &Joined, id: DraftId) -> ApiResult<Value> {
        self.own_draft(j, id)?;
        let draft = self
            .store()
            .list_drafts()?
            .into_iter()
            .find(|d| d.id == id)
            .ok_or_else(|| invalid("This draft no longer exists (submitted or discarded)"))?;
        let shot = self.store().draft_screenshot(id)?;
        // The server's draft has this draft's id, and the server keys the
        // request by it: sent again after an answer that never came back,
        // it is the same request, never a second one.
        let there_id = json!(id);
        self.remote(
            j,
            "save_draft",
            json!({ "id": there_id, "fields": draft.fields }),
        )
        .await?;
        let sent = async {
            if let Some(info) = shot {
                use base64::Engine;
                let (_, bytes) = self.store().attachment_bytes(&info.id)?;
                let input = json!({
                    "file_name": info.file_name,
                    "content_type": info.mime,
                    "data_base64": base64::engine::general_purpose::STANDARD.encode(bytes),
                });
                let target = json!({ "type": "draft", "id": there_id });
                self.remote(
                    j,
                    "attach_screenshot",
                    json!({ "target": target, "input": input }),
                )
                .await?;
            }
            self.remote(j, "submit_draft", json!({ "id": there_id }))
                .await
        }
        .await;
        match sent {
            Ok(detail) => {
                // The request exists: a local failure now must not look
                // like a failed submit.
                if let Err(e) = self.store().discard_draft(id) {
                    tracing::warn!("a submitted draft stays on this desktop: {e}");
                }
                self.emit(drafts_changed());
                Ok(detail)
            }
            Err(e) => {
                if e.code != ErrorCode::ServerUnreachable {
                    let _ = self
                        .remote(j, "discard_draft", json!({ "id": there_id }))
                        .await;
                }
                Err(e)
            }
        }
    }
}
