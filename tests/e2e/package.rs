//! The desktop `.deb` as a desk installs it: unpacked into a temporary
//! root (`dpkg -x`), its `usr/bin/cashdesk` started under Xvfb, the first
//! admin made, and the sandbox queue seen. `scripts/test.sh` builds the
//! package first (`scripts/package.sh --debug`) and names it in
//! `CASHDESK_E2E_DEB`.

use crate::driver::*;
use crate::steps::*;
use std::process::Command;
use std::time::Duration;

#[tokio::test(flavor = "multi_thread")]
async fn the_installed_package_starts_and_shows_the_queue() {
    let _one_app_at_a_time = crate::SERIAL.lock().await;
    let deb = std::env::var_os("CASHDESK_E2E_DEB").expect(
        "CASHDESK_E2E_DEB names the desktop .deb: run scripts/test.sh, which builds it \
         with scripts/package.sh --debug",
    );
    let root = tempfile::tempdir().unwrap();
    let unpacked = Command::new("dpkg")
        .arg("-x")
        .arg(&deb)
        .arg(root.path())
        .status()
        .unwrap();
    assert!(unpacked.success(), "dpkg -x {deb:?}");
    let bin = root.path().join("usr/bin/cashdesk");
    assert!(bin.exists(), "the package installs usr/bin/cashdesk");

    let data = tempfile::tempdir().unwrap();
    let driver = Driver::start_app(
        &[
            ("CASHDESK_DATA_DIR", data.path().display().to_string()),
            ("CASHDESK_KEYCHAIN_SERVICE", "dev.cashdesk.test".into()),
            ("CASHDESK_NOTIFICATIONS", "off".into()),
            ("CASHDESK_SANDBOX_INTERVAL_MS", "1000".into()),
            ("WEBKIT_DISABLE_COMPOSITING_MODE", "1".into()),
        ],
        bin.clone(),
    );
    let c = driver.session().await;
    find(&c, &css("login-screen")).await;
    type_into(&c, "first-admin-name", "Rina Akter").await;
    type_into(&c, "first-admin-secret", "rina-desk-2026").await;
    type_into(&c, "first-admin-confirm", "rina-desk-2026").await;
    click(&c, "first-admin-create").await;
    wait_text(
        &c,
        &css("sandbox-banner"),
        "Sandbox",
        Duration::from_secs(10),
    )
    .await;
    find(&c, &css("queue-row")).await;
    screenshot(&c, "packaged-queue").await;
    // The window is the unpacked package's process, not the build's.
    let running = Command::new("pgrep")
        .args(["-f", &bin.display().to_string()])
        .output()
        .unwrap();
    assert!(
        !running.stdout.is_empty(),
        "the app runs from {}",
        bin.display()
    );
    c.close().await.unwrap();
}
