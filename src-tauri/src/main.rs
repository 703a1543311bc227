//! Cashdesk's desktop shell. Everything of substance is in `cashdesk-core`;
//! this binary opens the window, starts the core and adapts commands.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod commands;

use cashdesk_core::Config;
use cashdesk_core::team::desktop::{Desktop, DesktopEvent};
use tauri::{Emitter, Manager};

fn main() {
    let launched = std::time::Instant::now();
    cashdesk_sandbox::logs::init();
    tauri::Builder::default()
        .setup(move |app| {
            let data_dir = app.path().app_data_dir()?;
            app.manage(commands::Desk::default());
            // Started off this thread: the window's page loads meanwhile,
            // and its first command waits for the core (docs/BENCHMARKS.md,
            // the app's start).
            let handle = app.handle().clone();
            tauri::async_runtime::spawn(async move {
                let config = Config::from_env(data_dir);
                // A desktop that joined a team desk runs no core of its own.
                let started = match Desktop::saved_team(&config.data_dir) {
                    Ok(Some(saved)) => Desktop::joined(&config, saved),
                    Ok(None) => cashdesk_sandbox::start(config).await.map(Desktop::alone),
                    Err(e) => Err(e),
                };
                tracing::info!("core started {:?} after launch", launched.elapsed());
                let desk = match started {
                    Ok(desk) => {
                        forward(handle.clone(), &desk);
                        Ok(desk)
                    }
                    Err(e) => {
                        tracing::error!("Cashdesk could not start: {e}");
                        Err(e.into_api())
                    }
                };
                handle.state::<commands::Desk>().set(desk);
            });
            Ok(())
        })
        // The shell, not the webview, says whether the window has focus:
        // notifications are held back while the agent looks at the queue.
        .on_window_event(|window, event| {
            if let tauri::WindowEvent::Focused(focused) = event {
                window.state::<commands::Desk>().window_focused(*focused);
            }
        })
        // The smallest size the layout works at is set once the page has
        // loaded, not in tauri.conf.json: geometry hints on a window not yet
        // shown held its first page back by about half a second under X
        // (docs/BENCHMARKS.md, the app's start).
        .on_page_load(|webview, payload| {
            if payload.event() == tauri::webview::PageLoadEvent::Finished
                && let Err(e) = webview
                    .window()
                    .set_min_size(Some(tauri::LogicalSize::new(MIN_WIDTH, MIN_HEIGHT)))
            {
                tracing::warn!("could not set the window's smallest size: {e}");
            }
        })
        .invoke_handler(commands::handler())
        .run(tauri::generate_context!())
        .unwrap_or_else(|e| {
            eprintln!("Cashdesk could not open its window: {e}");
            std::process::exit(1);
        });
}

/// The smallest window the layout works at (logical pixels).
const MIN_WIDTH: f64 = 960.0;
const MIN_HEIGHT: f64 = 600.0;

/// Pushes every stored change to the window as `cashdesk://changed`, and
/// a team desk server's comings and goings as `cashdesk://team`.
fn forward(handle: tauri::AppHandle, desk: &Desktop) {
    let mut rx = desk.subscribe();
    let desk = desk.clone();
    tauri::async_runtime::spawn(async move {
        loop {
            let sent = match rx.recv().await {
                Ok(DesktopEvent::Changed(change)) => handle.emit("cashdesk://changed", change),
                Ok(DesktopEvent::Team(team)) => handle.emit("cashdesk://team", team),
                // Missed some: tell the UI to refetch everything, and where
                // the server stands now (a lost/back event may be among them).
                Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {
                    if let Some(team) = desk.mode().team {
                        let _ = handle.emit("cashdesk://team", team);
                    }
                    handle.emit(
                        "cashdesk://changed",
                        cashdesk_core::api::dto::Changed::everything(),
                    )
                }
                Err(tokio::sync::broadcast::error::RecvError::Closed) => break,
            };
            if let Err(e) = sent {
                tracing::warn!("could not tell the window: {e}");
            }
        }
    });
}
