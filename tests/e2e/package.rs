//! The desktop packages as a desk installs them, each started under Xvfb,
//! the first admin made and the sandbox queue seen: the `.deb` unpacked
//! into a temporary root (`dpkg -x`) and its `usr/bin/cashdesk`, and the
//! AppImage run as it is. `scripts/test.sh` builds both first
//! (`scripts/package.sh --debug`) and names them in `CASHDESK_E2E_DEB`
//! and `CASHDESK_E2E_APPIMAGE`.

use crate::driver::*;
use crate::steps::*;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

fn package(var: &str) -> std::path::PathBuf {
    std::env::var_os(var)
        .unwrap_or_else(|| {
            panic!(
                "{var} names the package: run scripts/test.sh, which builds it with \
                 scripts/package.sh --debug"
            )
        })
        .into()
}

/// Whether a process runs an executable whose path starts with `prefix`
/// (its command line may name it by another path, or by name only).
fn runs_from(prefix: &str) -> bool {
    std::fs::read_dir("/proc").unwrap().flatten().any(|p| {
        std::fs::read_link(p.path().join("exe"))
            .is_ok_and(|exe| exe.to_string_lossy().starts_with(prefix))
    })
}

/// Whether that process loaded WebKitGTK from under `prefix` too (an
/// AppImage's own copy, not the machine's).
fn webkit_from(prefix: &str) -> bool {
    std::fs::read_dir("/proc").unwrap().flatten().any(|p| {
        std::fs::read_link(p.path().join("exe"))
            .is_ok_and(|exe| exe.to_string_lossy().starts_with(prefix))
            && std::fs::read_to_string(p.path().join("maps")).is_ok_and(|maps| {
                maps.lines()
                    .any(|l| l.contains(prefix) && l.contains("libwebkit2gtk-4.1.so"))
            })
    })
}

/// Starts `bin` (with `env` added) on an empty data folder, makes the
/// first admin and waits for the sandbox queue; `running` is the path the
/// window's process must show (the package's, not the build's), and with
/// `check_webkit` the path its WebKitGTK must come from.
async fn starts_and_shows_the_queue(
    bin: &Path,
    env: &[(&str, String)],
    shot: &str,
    running: &str,
    check_webkit: bool,
) {
    let data = tempfile::tempdir().unwrap();
    let mut all = vec![
        ("CASHDESK_DATA_DIR", data.path().display().to_string()),
        ("CASHDESK_KEYCHAIN_SERVICE", "dev.cashdesk.test".into()),
        ("CASHDESK_NOTIFICATIONS", "off".into()),
        ("CASHDESK_SANDBOX_INTERVAL_MS", "1000".into()),
        ("WEBKIT_DISABLE_COMPOSITING_MODE", "1".into()),
    ];
    all.extend(env.iter().cloned());
    let driver = Driver::start_app(&all, bin.to_owned());
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
    screenshot(&c, shot).await;
    assert!(runs_from(running), "the app runs from {running}");
    if check_webkit {
        assert!(webkit_from(running), "WebKitGTK is loaded from {running}");
    }
    c.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn the_installed_package_starts_and_shows_the_queue() {
    let _one_app_at_a_time = crate::SERIAL.lock().await;
    let deb = package("CASHDESK_E2E_DEB");
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
    let bin = bin.canonicalize().unwrap();
    starts_and_shows_the_queue(
        &bin,
        &[],
        "packaged-queue",
        &bin.display().to_string(),
        false,
    )
    .await;
}

/// The AppImage with its own libraries (WebKitGTK among them), unpacked
/// by its runtime into a temporary folder and run from there: the mode
/// every machine has (mounting needs FUSE and libfuse2, which build
/// machines and containers often lack).
#[tokio::test(flavor = "multi_thread")]
async fn the_appimage_starts_and_shows_the_queue() {
    let _one_app_at_a_time = crate::SERIAL.lock().await;
    let appimage = package("CASHDESK_E2E_APPIMAGE");
    let tmp = tempfile::tempdir().unwrap();
    let tmp_path = tmp.path().canonicalize().unwrap();
    // The runtime unpacks into $TMPDIR/appimage_extracted_<hash>/ and runs
    // AppRun, which starts the bundled usr/bin/cashdesk.
    starts_and_shows_the_queue(
        &appimage,
        &[
            ("APPIMAGE_EXTRACT_AND_RUN", "1".into()),
            ("TMPDIR", tmp_path.display().to_string()),
        ],
        "appimage-queue",
        &format!("{}/appimage_extracted_", tmp_path.display()),
        true,
    )
    .await;
}
