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

/// The processes running an executable whose path starts with `prefix`
/// (a command line may name it by another path, or by name only).
fn running_from(prefix: &str) -> Vec<std::path::PathBuf> {
    std::fs::read_dir("/proc")
        .unwrap()
        .flatten()
        .map(|p| p.path())
        .filter(|p| {
            std::fs::read_link(p.join("exe"))
                .is_ok_and(|exe| exe.to_string_lossy().starts_with(prefix))
        })
        .collect()
}

/// Whether one of those processes loaded WebKitGTK from under `prefix`
/// too (an AppImage's own copy, not the machine's).
fn webkit_from(prefix: &str) -> bool {
    running_from(prefix).iter().any(|p| {
        std::fs::read_to_string(p.join("maps")).is_ok_and(|maps| {
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
    create_first_admin(&c, "Rina Akter", "rina-desk-2026").await;
    sees_sandbox(&c).await;
    screenshot(&c, shot).await;
    assert!(
        !running_from(running).is_empty(),
        "the app runs from {running}"
    );
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
