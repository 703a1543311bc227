//! Against the real Secret Service (gnome-keyring in a dbus-run-session, as
//! scripts/test.sh sets up). Uses its own service name, never the app's.

use cashdesk_domain::AccountId;
use cashdesk_secrets::{Keychain, Secret, SecretError};
use std::process::Command;

const SERVICE: &str = "dev.cashdesk.test";

fn require_session_bus() {
    assert!(
        std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some(),
        "these tests need a real keychain: run them through scripts/test.sh (dbus-run-session + gnome-keyring)"
    );
}

#[test]
fn a_secret_round_trips_through_the_real_keychain() {
    require_session_bus();
    let kc = Keychain::new(SERVICE);
    let acc = AccountId::new();
    kc.store(acc, "api_key", &Secret::new("zx_live_ÄÖ_123"))
        .expect("store in keychain");
    assert_eq!(kc.load(acc, "api_key").unwrap().expose(), "zx_live_ÄÖ_123");
    kc.delete(acc, "api_key").unwrap();
    assert!(
        matches!(kc.load(acc, "api_key"), Err(SecretError::Missing { .. })),
        "deleted means gone"
    );
    kc.delete(acc, "api_key").expect("deleting twice is fine");
}

#[test]
fn secrets_are_visible_to_the_os_keychain_tools() {
    require_session_bus();
    let kc = Keychain::new(SERVICE);
    let acc = AccountId::new();
    kc.store(acc, "webhook_secret", &Secret::new("whsec_1"))
        .unwrap();
    let out = Command::new("secret-tool")
        .args([
            "lookup",
            "service",
            SERVICE,
            "username",
            &format!("{acc}:webhook_secret"),
        ])
        .output()
        .expect("secret-tool (libsecret-tools) is installed by scripts/test.sh");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "whsec_1",
        "stored in the Secret Service itself"
    );
    kc.delete(acc, "webhook_secret").unwrap();
}

/// Pollers ask for an account's keys every few seconds: the keychain is
/// asked once (a miss again after `MISS_KEPT`), and the handle's own
/// writes and deletes keep what it remembers true (the app's own secrets
/// are always asked for).
#[test]
fn an_accounts_secret_is_read_from_the_keychain_once() {
    require_session_bus();
    let kc = Keychain::new(SERVICE);
    let acc = AccountId::new();
    let user = format!("{acc}:api_key");
    kc.store(acc, "api_key", &Secret::new("zx_live_1")).unwrap();
    assert_eq!(kc.load(acc, "api_key").unwrap().expose(), "zx_live_1");
    // Gone from the Secret Service behind the handle's back: the key read
    // once is still the one used.
    let cleared = Command::new("secret-tool")
        .args(["clear", "service", SERVICE, "username", &user])
        .status()
        .unwrap();
    assert!(cleared.success());
    let clone = kc.clone();
    assert_eq!(clone.load(acc, "api_key").unwrap().expose(), "zx_live_1");
    // Written again through a clone: every clone reads the new one.
    clone
        .store(acc, "api_key", &Secret::new("zx_live_2"))
        .unwrap();
    assert_eq!(kc.load(acc, "api_key").unwrap().expose(), "zx_live_2");
    kc.delete(acc, "api_key").unwrap();
    assert!(matches!(
        clone.load(acc, "api_key"),
        Err(SecretError::Missing { .. })
    ));
    // A miss is remembered too (pollers ask for a key-less account's key
    // for every request they look at): a key added behind the handle's
    // back is not seen yet, one stored through the handle at once.
    let mut add = Command::new("secret-tool")
        .args([
            "store",
            "--label=test",
            "service",
            SERVICE,
            "username",
            &user,
        ])
        .stdin(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(&mut add.stdin.take().unwrap(), b"zx_behind").unwrap();
    assert!(add.wait().unwrap().success());
    assert!(matches!(
        kc.load(acc, "api_key"),
        Err(SecretError::Missing { .. })
    ));
    clone
        .store(acc, "api_key", &Secret::new("zx_live_3"))
        .unwrap();
    assert_eq!(kc.load(acc, "api_key").unwrap().expose(), "zx_live_3");
    kc.delete(acc, "api_key").unwrap();
    // The app's own secrets are asked for each time.
    kc.store_app("kept_test", &Secret::new("t1")).unwrap();
    assert_eq!(kc.load_app("kept_test").unwrap().expose(), "t1");
    let cleared = Command::new("secret-tool")
        .args(["clear", "service", SERVICE, "username", "app:kept_test"])
        .status()
        .unwrap();
    assert!(cleared.success());
    assert!(matches!(
        kc.load_app("kept_test"),
        Err(SecretError::Missing { .. })
    ));
}

/// The child half of the no-keychain tests: run with a broken session bus.
#[test]
fn child_store_without_keychain() {
    if std::env::var_os("CASHDESK_NO_KEYCHAIN_CHILD").is_none() {
        return;
    }
    let err = Keychain::new(SERVICE)
        .store(AccountId::new(), "api_key", &Secret::new("x"))
        .unwrap_err();
    println!(
        "ERROR-KIND={}",
        match err {
            SecretError::Unavailable { .. } => "unavailable",
            _ => "other",
        }
    );
    println!("ERROR-MESSAGE={err}");
}

fn run_child(bus: &str) -> String {
    let out = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "child_store_without_keychain",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("CASHDESK_NO_KEYCHAIN_CHILD", "1")
        .env("DBUS_SESSION_BUS_ADDRESS", bus)
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn without_a_session_bus_storing_fails_clearly() {
    let out = run_child("unix:path=/nonexistent/cashdesk-test-bus");
    assert!(out.contains("ERROR-KIND=unavailable"), "{out}");
    assert!(
        out.contains("Start or unlock your keyring"),
        "the message says what to do: {out}"
    );
}

#[test]
fn with_a_bus_but_no_secret_service_storing_fails_clearly() {
    // A private session bus that finds no service files, so no
    // org.freedesktop.secrets can be activated on it.
    let mut daemon = Command::new("dbus-daemon")
        .args(["--session", "--nofork", "--print-address=1"])
        .env("XDG_DATA_DIRS", "/nonexistent")
        .env("XDG_DATA_HOME", "/nonexistent")
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("dbus-daemon (package dbus) is installed by scripts/test.sh");
    let mut line = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(daemon.stdout.take().unwrap()),
        &mut line,
    )
    .unwrap();
    let out = run_child(line.trim());
    let _ = daemon.kill();
    let _ = daemon.wait();
    assert!(out.contains("ERROR-KIND=unavailable"), "{out}");
}
