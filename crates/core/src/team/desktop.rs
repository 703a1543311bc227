//! A desktop's two ways of working: alone on its own core (SQLite), or
//! joined to a team desk server, where every command but the drafts' goes
//! to the server (`client.rs`) and the server's feed is the window's.
//! The shells hold one `Desktop` and send it every command by name, so
//! the window is the same program in both modes.
//!
//! Joining is offered at first start only (a desk with operators has its
//! own queue, which a joined desktop would hide), pins the certificate the
//! person confirmed, and is remembered in `team.json` in the data folder.
//! A joined desktop holds no provider secret and runs no worker: it keeps
//! only its drafts, in its own SQLite file (`desktop_drafts.rs`).

use super::client::TeamClient;
use super::trust::Trust;
use crate::api::calls::{args_of, json};
use crate::api::dto::{ApiError, Changed};
use crate::api::{self, ApiResult, invalid};
use crate::app::Cashdesk;
use crate::config::Config;
use crate::error::{CoreError, CoreResult};
use cashdesk_store::Store;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};
use tokio::sync::broadcast;
use ts_rs::TS;

/// The file in the data folder that says this desktop joined a server.
const TEAM_FILE: &str = "team.json";

/// What `team.json` holds: where the server is and how it is trusted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedTeam {
    pub url: String,
    pub trust: Trust,
}

/// Whether this desktop works alone or at a team desk server.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct DeskMode {
    pub team: Option<TeamView>,
    /// The desktop forgot its server; it works alone from its next start.
    pub leaving: bool,
}

/// The team desk server as the window shows it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct TeamView {
    pub url: String,
    /// The pinned certificate (none when a CA is trusted instead).
    pub fingerprint: Option<String>,
    /// The server's name, once it answered.
    pub server: Option<String>,
    pub connected: bool,
    /// Why the server is not reachable, as the connection said.
    pub problem: Option<String>,
}

/// Who answered at an address, before joining it.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct TeamProbe {
    pub url: String,
    pub server: String,
    pub version: String,
    pub fingerprint: String,
}

/// What the shell forwards to the window.
#[derive(Debug, Clone)]
pub enum DesktopEvent {
    /// `cashdesk://changed`: stored data changed (here or on the server).
    Changed(Changed),
    /// `cashdesk://team`: the server was lost or is back.
    Team(TeamView),
}

/// The desktop's state, shared with its background tasks.
#[derive(Clone)]
pub struct Desktop(pub(super) Arc<Inner>);

pub(super) struct Inner {
    pub(super) data_dir: PathBuf,
    /// The desk alone's core, when this desktop started alone.
    core: Option<Cashdesk>,
    /// The drafts' database when started joined (no core runs then).
    own_store: Option<Store>,
    _lock: Option<crate::lock::DataLock>,
    pub(super) team: RwLock<Option<Arc<super::desktop_feed::Joined>>>,
    leaving: AtomicBool,
    pub(super) events: broadcast::Sender<DesktopEvent>,
    pub(super) focused: AtomicBool,
    /// Serialises joining (two clicks must not join twice).
    joining: tokio::sync::Mutex<()>,
}

impl Desktop {
    /// The server this data folder joined, if it did.
    pub fn saved_team(data_dir: &Path) -> CoreResult<Option<SavedTeam>> {
        let path = data_dir.join(TEAM_FILE);
        match std::fs::read(&path) {
            Ok(bytes) => serde_json::from_slice(&bytes).map(Some).map_err(|e| {
                CoreError::Invalid(format!(
                    "{} is damaged ({e}); remove it to choose again",
                    path.display()
                ))
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(CoreError::Invalid(format!(
                "could not read {}: {e}",
                path.display()
            ))),
        }
    }

    /// A desktop working alone on `core` (started by the shell).
    pub fn alone(core: Cashdesk) -> Desktop {
        let desk = Desktop::new(core.config().data_dir.clone(), Some(core), None, None);
        desk.forward_core_changes();
        desk
    }

    /// A desktop joined to `saved`: its own database for drafts, no worker.
    pub fn joined(config: &Config, saved: SavedTeam) -> CoreResult<Desktop> {
        // One process per data folder, as for a desk alone.
        let lock = crate::lock::DataLock::acquire(&config.data_dir)?;
        let store = Store::open(&config.db_path())?;
        let client = TeamClient::new(&saved.url, &saved.trust).map_err(api_to_core)?;
        let desk = Desktop::new(config.data_dir.clone(), None, Some(store), Some(lock));
        desk.install(client, saved);
        Ok(desk)
    }

    fn new(
        data_dir: PathBuf,
        core: Option<Cashdesk>,
        own_store: Option<Store>,
        lock: Option<crate::lock::DataLock>,
    ) -> Desktop {
        Desktop(Arc::new(Inner {
            data_dir,
            core,
            own_store,
            _lock: lock,
            team: RwLock::default(),
            leaving: AtomicBool::new(false),
            events: broadcast::channel(1024).0,
            focused: AtomicBool::new(false),
            joining: tokio::sync::Mutex::new(()),
        }))
    }

    /// Every change and connection event for the window.
    pub fn subscribe(&self) -> broadcast::Receiver<DesktopEvent> {
        self.0.events.subscribe()
    }

    /// The shell's focus events: notifications wait while the agent looks.
    pub fn window_focused(&self, focused: bool) {
        self.0.focused.store(focused, Ordering::SeqCst);
        if let Some(core) = &self.0.core {
            core.window_focused(focused);
        }
    }

    pub(super) fn store(&self) -> &Store {
        match (&self.0.own_store, &self.0.core) {
            (Some(s), _) => s,
            (None, Some(core)) => core.store(),
            (None, None) => unreachable!("a desktop has a core or its own store"),
        }
    }

    pub(super) fn team(&self) -> Option<Arc<super::desktop_feed::Joined>> {
        self.0
            .team
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    pub fn mode(&self) -> DeskMode {
        DeskMode {
            team: self.team().map(|j| j.view()),
            leaving: self.0.leaving.load(Ordering::SeqCst),
        }
    }

    /// Runs the window's command `cmd` here or at the server.
    pub async fn call(&self, cmd: &str, args: Value) -> ApiResult<Value> {
        #[derive(Deserialize)]
        struct Url {
            url: String,
        }
        #[derive(Deserialize)]
        struct Join {
            url: String,
            fingerprint: String,
        }
        match cmd {
            "desk_mode" => json(self.mode()),
            "probe_team" => {
                let Url { url } = args_of(cmd, args)?;
                let (hello, fingerprint) = TeamClient::probe(&url).await?;
                json(TeamProbe {
                    url: url.trim().to_owned(),
                    server: hello.server,
                    version: hello.version,
                    fingerprint,
                })
            }
            "join_team" => {
                let Join { url, fingerprint } = args_of(cmd, args)?;
                json(self.join(&url, &fingerprint).await?)
            }
            "leave_team" => json(self.leave()?),
            _ => match (self.team(), &self.0.core) {
                (Some(joined), _) => self.team_call(&joined, cmd, args).await,
                (None, Some(core)) => api::calls::call(core, cmd, args).await,
                (None, None) => Err(invalid("This desktop has neither a desk nor a server")),
            },
        }
    }

    /// Joins the server at `url` whose certificate has `fingerprint`.
    async fn join(&self, url: &str, fingerprint: &str) -> ApiResult<DeskMode> {
        let _one = self.0.joining.lock().await;
        if self.team().is_some() {
            return Err(invalid("This desktop has already joined a team desk."));
        }
        let core = self
            .0
            .core
            .as_ref()
            .ok_or_else(|| invalid("No desk to join from"))?;
        if api::session::session(core)?.state != crate::session::SessionState::FirstStart {
            return Err(invalid(
                "This desk already has operators and its own queue, which a desktop joined \
                 to a team desk would hide. Join from a new Cashdesk (an empty data folder).",
            ));
        }
        let fingerprint = fingerprint.trim();
        if fingerprint.is_empty() {
            return Err(invalid(
                "Check the server first: its fingerprint is confirmed here",
            ));
        }
        let saved = SavedTeam {
            url: url.trim().to_owned(),
            trust: Trust::Pinned(fingerprint.to_owned()),
        };
        let client = TeamClient::new(&saved.url, &saved.trust)?;
        // Over the pinned connection: the certificate is the confirmed one.
        client.hello().await?;
        // The sandbox's simulators stop, and its accounts go with them so
        // the local poller does not ask simulators no longer there; the
        // choice is written last, once nothing can fail after it.
        core.stop_companion().await;
        core.store().retire_sandbox_accounts()?;
        self.write_saved(&saved)?;
        self.install(client, saved);
        self.emit(DesktopEvent::Changed(Changed::everything()));
        Ok(self.mode())
    }

    /// Forgets the server; the desktop works alone from its next start.
    fn leave(&self) -> ApiResult<DeskMode> {
        if self.team().is_none() {
            return Err(invalid("This desktop works alone already."));
        }
        let path = self.0.data_dir.join(TEAM_FILE);
        std::fs::remove_file(&path)
            .or_else(|e| {
                if e.kind() == std::io::ErrorKind::NotFound {
                    Ok(())
                } else {
                    Err(e)
                }
            })
            .map_err(|e| invalid(format!("could not remove {}: {e}", path.display())))?;
        self.0.leaving.store(true, Ordering::SeqCst);
        Ok(self.mode())
    }

    /// Written whole or not at all: a half-written file would strand the
    /// desktop between modes.
    fn write_saved(&self, saved: &SavedTeam) -> ApiResult<()> {
        use std::io::Write;
        let path = self.0.data_dir.join(TEAM_FILE);
        let tmp = self.0.data_dir.join(format!("{TEAM_FILE}.new"));
        let bytes = serde_json::to_vec_pretty(saved).map_err(|e| invalid(e.to_string()))?;
        let write = || -> std::io::Result<()> {
            let mut f = std::fs::File::create(&tmp)?;
            f.write_all(&bytes)?;
            f.sync_all()?;
            std::fs::rename(&tmp, &path)?;
            std::fs::File::open(&self.0.data_dir)?.sync_all()
        };
        write().map_err(|e| invalid(format!("could not write {}: {e}", path.display())))
    }

    pub(super) fn emit(&self, event: DesktopEvent) {
        let _ = self.0.events.send(event);
    }

    /// Passes the desk alone's changes on until the desktop joins a server.
    fn forward_core_changes(&self) {
        let Some(core) = &self.0.core else { return };
        let mut rx = core.subscribe();
        let desk = Arc::downgrade(&self.0);
        tokio::spawn(async move {
            loop {
                let change = match rx.recv().await {
                    Ok(c) => c,
                    Err(broadcast::error::RecvError::Lagged(_)) => Changed::everything(),
                    Err(broadcast::error::RecvError::Closed) => break,
                };
                let Some(inner) = desk.upgrade() else { break };
                let desk = Desktop(inner);
                if desk.team().is_none() {
                    desk.emit(DesktopEvent::Changed(change));
                }
            }
        });
    }
}

fn api_to_core(e: ApiError) -> CoreError {
    CoreError::Invalid(e.message)
}

/// The commands a desktop handles itself, besides the core's table.
pub const DESKTOP_NAMES: &[&str] = &["desk_mode", "probe_team", "join_team", "leave_team"];
