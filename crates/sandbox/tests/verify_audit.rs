//! `cashdesk-headless verify-audit`: scripts check the keyed audit log
//! without the window; exit 0 when intact, 1 when not.

#[path = "../../core/tests/common/mod.rs"]
mod common;

use cashdesk_core::Cashdesk;
use common::*;
use std::process::Command;

fn verify(dir: &std::path::Path) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_cashdesk-headless"))
        .arg("verify-audit")
        .env("CASHDESK_DATA_DIR", dir)
        .env("CASHDESK_KEYCHAIN_SERVICE", KEYCHAIN_SERVICE)
        .env("RUST_LOG", "warn")
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn the_headless_binary_verifies_the_audit_log_for_scripts() {
    let dir = tempfile::tempdir().unwrap();
    let app = Cashdesk::open(config(dir.path())).unwrap();
    act_as(&app, "Sami");
    act_as(&app, "Rina");
    drop(app);
    let (ok, said) = verify(dir.path());
    assert!(ok, "{said}");
    assert!(said.contains("intact"), "{said}");

    let db = rusqlite::Connection::open(dir.path().join("cashdesk.db")).unwrap();
    db.execute_batch(
        "DROP TRIGGER audit_log_no_update;
         UPDATE audit_log SET details_json = '{\"name\":\"Mallory\"}' WHERE action = 'operator.add';",
    )
    .unwrap();
    let (ok, said) = verify(dir.path());
    assert!(!ok, "{said}");
    assert!(said.contains("entry"), "{said}");
}
