//! The intake API's token and contract: the bearer token lives in the OS
//! keychain (same token after a restart; rotating it locks the old one
//! out at once), and the OpenAPI document served is the committed one.

mod common;

use cashdesk_core::api;
use cashdesk_core::intake_http::{TOKEN_NAME, openapi_json};
use cashdesk_core::{Cashdesk, Config};
use cashdesk_secrets::Keychain;
use common::*;
use std::path::Path;

/// Its own keychain service, so rotating cannot disturb other tests.
const SERVICE: &str = "dev.cashdesk.test.intake";

fn cfg(dir: &Path) -> Config {
    Config {
        keychain_service: SERVICE.into(),
        ..config(dir)
    }
}

async fn status_with(app: &Cashdesk, token: &str) -> u16 {
    let http = app.http_info().unwrap();
    reqwest::Client::new()
        .get(format!(
            "http://{}/intake/v1/requests/nothing-here",
            http.addr
        ))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_token_is_kept_in_the_keychain_and_rotating_it_locks_the_old_one_out() {
    let keychain = Keychain::new(SERVICE);
    keychain.delete_app(TOKEN_NAME).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let app = Cashdesk::start(cfg(dir.path())).await.unwrap();
    common::act_as(&app, "Rina");
    let info = api::intake_info(&app).unwrap();
    assert!(info.token_in_keychain);
    let cmd = info.read_token_command.unwrap();
    assert!(
        cmd.contains(
            "secret-tool lookup service dev.cashdesk.test.intake username app:intake_token"
        ),
        "{cmd}"
    );
    let token = keychain.load_app(TOKEN_NAME).unwrap().expose().to_owned();
    // The command the window shows really prints it.
    let args: Vec<&str> = cmd.split_whitespace().collect();
    let out = std::process::Command::new(args[0])
        .args(&args[1..])
        .output()
        .expect("secret-tool is installed by scripts/deps.sh");
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), token);
    assert_eq!(
        status_with(&app, &token).await,
        404,
        "authorised; nothing there"
    );
    assert_eq!(status_with(&app, "wrong").await, 401);
    app.shutdown().await;
    drop(app);

    // A restart keeps the token: the platform's configuration stays valid.
    let app = Cashdesk::start(cfg(dir.path())).await.unwrap();
    common::act_as(&app, "Rina");
    assert_eq!(status_with(&app, &token).await, 404);
    api::rotate_intake_token(&app).unwrap();
    let rotated = keychain.load_app(TOKEN_NAME).unwrap().expose().to_owned();
    assert_ne!(rotated, token);
    assert_eq!(
        status_with(&app, &token).await,
        401,
        "the old token is refused"
    );
    assert_eq!(status_with(&app, &rotated).await, 404);
    let audit = app.store().audit_entries(5).unwrap();
    assert!(audit.iter().any(|a| a.action == "intake.token_rotated"));
    app.shutdown().await;
    keychain.delete_app(TOKEN_NAME).unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn the_openapi_document_is_served_and_matches_the_committed_one() {
    let committed = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/intake-openapi.json");
    let generated = openapi_json() + "\n";
    if std::env::var_os("CASHDESK_UPDATE_OPENAPI").is_some() {
        std::fs::write(&committed, &generated).unwrap();
    }
    let on_disk = std::fs::read_to_string(&committed).unwrap_or_default();
    assert!(
        on_disk == generated,
        "docs/intake-openapi.json is stale: run CASHDESK_UPDATE_OPENAPI=1 cargo test -p cashdesk-core --test intake_api"
    );
    let dir = tempfile::tempdir().unwrap();
    // Not `cfg`: the token test owns that keychain service, and two apps
    // starting at once there would each make a token and race to store it.
    let app = Cashdesk::start(config(dir.path())).await.unwrap();
    let http = app.http_info().unwrap();
    let served: serde_json::Value =
        reqwest::get(format!("http://{}/intake/v1/openapi.json", http.addr))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
    assert!(served["openapi"].as_str().unwrap().starts_with("3."));
    for path in ["/intake/v1/requests", "/intake/v1/requests/{intake_ref}"] {
        assert!(served["paths"][path].is_object(), "{path} documented");
    }
    let fields = &served["components"]["schemas"]["IntakeRequest"]["required"];
    for f in [
        "intake_ref",
        "kind",
        "provider",
        "method",
        "amount",
        "currency",
    ] {
        assert!(
            fields.as_array().unwrap().iter().any(|v| v == f),
            "{f} required"
        );
    }
    app.shutdown().await;
}
