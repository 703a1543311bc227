//! The command table the window and the team desk server share: every
//! command the UI sends exists (and nothing else does), and arguments
//! arrive as the window writes them (camelCase keys, JSON numbers).

mod common;

use cashdesk_core::Cashdesk;
use cashdesk_core::api::calls::{NAMES, call};
use cashdesk_core::api::dto::ErrorCode;
use common::*;
use serde_json::{Value, json};

/// The names `ui/src/lib/backend.ts` calls.
fn ui_names() -> Vec<String> {
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/lib/backend.ts"),
    )
    .unwrap();
    let mut names: Vec<String> = text
        .split("call('")
        .skip(1)
        .filter_map(|rest| rest.split('\'').next())
        .filter(|n| !n.is_empty())
        .map(str::to_owned)
        .collect();
    names.sort();
    names.dedup();
    names
}

#[test]
fn every_command_the_window_sends_is_in_the_table_and_no_other() {
    let ui = ui_names();
    // The core's table, and what a desktop handles itself (team mode).
    let mut table: Vec<String> = NAMES
        .iter()
        .chain(cashdesk_core::team::desktop::DESKTOP_NAMES)
        .map(|s| s.to_string())
        .collect();
    table.sort();
    assert!(ui.len() > 60, "read the UI's calls: {ui:?}");
    assert_eq!(ui, table, "ui/src/lib/backend.ts and api::calls differ");
}

#[tokio::test]
async fn commands_run_by_name_with_the_windows_arguments() {
    let dir = tempfile::tempdir().unwrap();
    let app = Cashdesk::open(config(dir.path())).unwrap();
    let s = call(&app, "session", Value::Null).await.unwrap();
    assert_eq!(s["state"], "first_start");
    let s = call(
        &app,
        "create_first_admin",
        json!({"name": "Rina", "login": "password", "secret": PASSWORD}),
    )
    .await
    .unwrap();
    assert_eq!(s["state"], "active");
    // camelCase keys (the UI's `accountId`) reach snake_case arguments.
    let e = call(&app, "list_methods", json!({"accountId": "not-an-id"}))
        .await
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidInput, "{e:?}");
    assert!(e.message.starts_with("list_methods: "), "{}", e.message);
    // Missing optional arguments are None; missing required ones refused.
    call(&app, "list_queue", json!({"query": {"tab": "queue"}}))
        .await
        .unwrap();
    let e = call(&app, "approve", json!({})).await.unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidInput);
    let e = call(&app, "drop_tables", json!({})).await.unwrap_err();
    assert_eq!(e.code, ErrorCode::NotFound);
    // Another seat of the same core: nobody is logged in there.
    let other = app.new_seat();
    let e = call(&other, "list_queue", json!({"query": {"tab": "queue"}}))
        .await
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::LoggedOut);
    let still = call(&app, "session", Value::Null).await.unwrap();
    assert_eq!(
        still["state"], "active",
        "one seat's session is not another's"
    );
}
