//! Provider accounts: secrets go to the real OS keychain and nowhere else.

mod common;

use cashdesk_core::Cashdesk;
use cashdesk_core::api::{self, dto::*};
use cashdesk_domain::ProviderKind;
use common::*;
use std::process::Command;

fn input(key: &str, secret: &str) -> NewAccountInput {
    NewAccountInput {
        provider: ProviderKind::Zexabit,
        name: "Zexabit BD".into(),
        base_url: "https://api.portal.zexabit.com".into(),
        secrets: vec![
            NamedValue {
                name: "api_key".into(),
                value: key.into(),
            },
            NamedValue {
                name: "webhook_secret".into(),
                value: secret.into(),
            },
        ],
        settings: vec![],
    }
}

fn file_contains(path: &std::path::Path, needle: &str) -> bool {
    std::fs::read(path).is_ok_and(|b| b.windows(needle.len()).any(|w| w == needle.as_bytes()))
}

#[test]
fn secrets_go_to_the_keychain_and_never_into_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let app = Cashdesk::open(config(dir.path())).unwrap();
    common::act_as(&app, "Admin");
    let acc =
        api::accounts::add_account(&app, &input("zx_live_KEY_4711", "whsec_SECRET_0815")).unwrap();
    let json = serde_json::to_string(&api::accounts::list_accounts(&app).unwrap()).unwrap();
    assert!(
        !json.contains("KEY_4711") && !json.contains("SECRET_0815"),
        "no secret in any response"
    );
    for file in ["cashdesk.db", "cashdesk.db-wal"] {
        let path = dir.path().join(file);
        assert!(
            !file_contains(&path, "KEY_4711"),
            "{file} holds the API key"
        );
        assert!(
            !file_contains(&path, "SECRET_0815"),
            "{file} holds the webhook secret"
        );
    }
    let user = format!("{}:api_key", acc.id);
    let out = Command::new("secret-tool")
        .args(["lookup", "service", KEYCHAIN_SERVICE, "username", &user])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "zx_live_KEY_4711",
        "stored in the Secret Service"
    );
    api::accounts::remove_account(&app, acc.id).unwrap();
    let out = Command::new("secret-tool")
        .args(["lookup", "service", KEYCHAIN_SERVICE, "username", &user])
        .output()
        .unwrap();
    assert!(
        out.stdout.is_empty(),
        "removing the account removes its secrets"
    );
}

#[test]
fn an_account_needs_https_and_both_secrets() {
    let dir = tempfile::tempdir().unwrap();
    let app = Cashdesk::open(config(dir.path())).unwrap();
    common::act_as(&app, "Admin");
    let mut plain = input("k", "s");
    plain.base_url = "http://api.portal.zexabit.com".into();
    assert_eq!(
        api::accounts::add_account(&app, &plain).unwrap_err().code,
        ErrorCode::InvalidInput
    );
    assert_eq!(
        api::accounts::add_account(&app, &input("k", " "))
            .unwrap_err()
            .code,
        ErrorCode::InvalidInput
    );
    // Zimo-pagos' debit-card host carries the same credentials: https too.
    let nv = |k: &str, v: &str| NamedValue {
        name: k.into(),
        value: v.into(),
    };
    let zimo = NewAccountInput {
        provider: ProviderKind::ZimoPagos,
        name: "Zimo MX".into(),
        base_url: "https://api-stg.zimo-pagos.com".into(),
        secrets: vec![nv("login", "l"), nv("pass", "p"), nv("signing_secret", "s")],
        settings: vec![
            nv("notification_url", "https://desk.example.mx/n"),
            nv("card_base_url", "http://cards.zimo-pagos.com"),
        ],
    };
    let err = api::accounts::add_account(&app, &zimo).unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput);
    assert!(err.message.starts_with("Debit-card host"), "{err:?}");
    assert!(api::accounts::list_accounts(&app).unwrap().is_empty());
}

/// Child half: runs with a session bus address that leads nowhere.
#[test]
fn child_add_account_without_keychain() {
    let Some(dir) = std::env::var_os("CASHDESK_NO_KEYCHAIN_DIR") else {
        return;
    };
    let app = Cashdesk::open(config(std::path::Path::new(&dir))).unwrap();
    common::act_as(&app, "Admin");
    let err = api::accounts::add_account(&app, &input("zx_live_KEY_4711", "whsec_SECRET_0815"))
        .unwrap_err();
    println!("CODE={:?}", err.code);
    println!("MESSAGE={}", err.message);
    println!(
        "ACCOUNTS={}",
        api::accounts::list_accounts(&app).unwrap().len()
    );
}

#[test]
fn without_a_keychain_the_account_is_refused_with_a_clear_message_and_nothing_stored() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "child_add_account_without_keychain",
            "--nocapture",
        ])
        .env("CASHDESK_NO_KEYCHAIN_DIR", dir.path())
        .env(
            "DBUS_SESSION_BUS_ADDRESS",
            "unix:path=/nonexistent/cashdesk-test-bus",
        )
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("CODE=KeychainUnavailable"), "{text}");
    assert!(
        text.contains("unlock your keyring"),
        "the message says what to do: {text}"
    );
    assert!(
        text.contains("ACCOUNTS=0"),
        "no account without its secrets: {text}"
    );
    for file in ["cashdesk.db", "cashdesk.db-wal"] {
        assert!(
            !file_contains(&dir.path().join(file), "KEY_4711"),
            "no plaintext fallback in {file}"
        );
    }
}
