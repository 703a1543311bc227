//! A desk server's secrets file: kept, read back, removed, private to its
//! owner, and refused with a clear message where it may not be written.

use cashdesk_domain::AccountId;
use cashdesk_secrets::{Keychain, Secret, SecretError};

#[test]
fn secrets_round_trip_through_a_private_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("secrets.json");
    let kc = Keychain::in_file("test.cashdesk.file", path.clone());
    assert_eq!(kc.file(), Some(path.as_path()));
    let acc = AccountId::new();
    assert!(matches!(
        kc.load(acc, "api_key"),
        Err(SecretError::Missing { .. })
    ));
    kc.store(acc, "api_key", &Secret::new("zx_live_1")).unwrap();
    kc.store_app("audit_key", &Secret::new("k")).unwrap();
    // Another handle (another process, a restart) reads the same file.
    let again = Keychain::in_file("test.cashdesk.file", path.clone());
    assert_eq!(again.load(acc, "api_key").unwrap().expose(), "zx_live_1");
    assert_eq!(again.load_app("audit_key").unwrap().expose(), "k");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "readable by the server's user only");
    }
    kc.delete(acc, "api_key").unwrap();
    kc.delete(acc, "api_key").unwrap();
    assert!(matches!(
        again.load(acc, "api_key"),
        Err(SecretError::Missing { .. })
    ));
    assert!(!dir.path().join("secrets.tmp").exists());
}

#[test]
fn a_damaged_file_is_reported_not_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("secrets.json");
    std::fs::write(&path, "not json").unwrap();
    let kc = Keychain::in_file("test.cashdesk.file", path.clone());
    let e = kc.store_app("x", &Secret::new("y")).unwrap_err();
    assert!(matches!(e, SecretError::Unavailable { .. }), "{e}");
    assert!(e.to_string().contains("secrets.json"), "{e}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "not json");
}

#[cfg(unix)]
#[test]
fn a_read_only_file_serves_reads_and_says_where_to_add() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("secrets.json");
    let acc = AccountId::new();
    std::fs::write(&path, format!("{{\"{acc}:secret\": \"s1\"}}")).unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o500)).unwrap();
    let kc = Keychain::in_file("test.cashdesk.file", path.clone());
    assert_eq!(kc.load(acc, "secret").unwrap().expose(), "s1");
    let refused = kc.store(acc, "other", &Secret::new("s2"));
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o700)).unwrap();
    // Root writes anyway; elsewhere the refusal names what to do.
    if let Err(e) = refused {
        assert!(e.to_string().contains("read-only"), "{e}");
    }
}
