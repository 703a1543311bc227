//! The window's one command: `call` runs a command by name on this
//! desktop (`cashdesk_core::team::desktop`), which runs it on its own core
//! (the table in `cashdesk_core::api::calls`) or at its team desk server.

use cashdesk_core::api::{ApiResult, dto::ApiError};
use cashdesk_core::team::desktop::Desktop;
use serde_json::Value;
use tauri::State;

/// The desktop, started off the window's thread (so WebKit loads the page
/// meanwhile), or why it could not start (shown by the UI). A command that
/// arrives first waits for it.
#[derive(Default)]
pub struct Desk {
    started: tokio::sync::SetOnce<Result<Desktop, ApiError>>,
    /// The window's focus as last reported, kept until the core is up.
    focused: std::sync::atomic::AtomicBool,
}

impl Desk {
    async fn get(&self) -> ApiResult<&Desktop> {
        self.started.wait().await.as_ref().map_err(Clone::clone)
    }

    /// The desktop once started (none while starting, or if it failed).
    pub fn now(&self) -> Option<&Desktop> {
        self.started.get().and_then(|r| r.as_ref().ok())
    }

    /// Records the start's outcome, which wakes every command waiting for it.
    pub fn set(&self, started: Result<Desktop, ApiError>) {
        if let Ok(desk) = &started {
            desk.window_focused(self.focused.load(std::sync::atomic::Ordering::SeqCst));
        }
        if self.started.set(started).is_err() {
            tracing::error!("the core was started twice");
        }
    }

    /// The shell's focus events, before and after the core is up.
    pub fn window_focused(&self, focused: bool) {
        self.focused
            .store(focused, std::sync::atomic::Ordering::SeqCst);
        if let Some(desk) = self.now() {
            desk.window_focused(focused);
        }
    }
}

type S<'a> = State<'a, Desk>;

/// Runs command `cmd` with the window's `args`; the answer as JSON.
#[tauri::command]
async fn call(d: S<'_>, cmd: String, args: Value) -> ApiResult<Value> {
    d.get().await?.call(&cmd, args).await
}

pub fn handler() -> impl Fn(tauri::ipc::Invoke) -> bool + Send + Sync + 'static {
    tauri::generate_handler![call]
}
