//! Faults of the machine, on real files and real mounts: a database from a
//! newer Cashdesk is refused before anything is touched; a damaged or
//! read-only database is refused at open with a clear message; a full
//! disk fails the write it hits and the next write after space is freed
//! succeeds without reopening. (Mounts need root, as the test machine is.)

use cashdesk_domain::{AccountId, Actor, Money, ProviderKind, RequestKind};
use cashdesk_store::*;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A mount undone when dropped.
struct Mount(PathBuf);

impl Mount {
    fn run(args: &[&str]) {
        let ok = Command::new("mount")
            .args(args)
            .status()
            .expect("run mount");
        assert!(ok.success(), "mount {args:?} (these tests need root)");
    }

    /// A tmpfs of `size` (e.g. "2m") at `at`.
    fn tmpfs(at: &Path, size: &str) -> Mount {
        Self::run(&[
            "-t",
            "tmpfs",
            "-o",
            &format!("size={size}"),
            "tmpfs",
            at.to_str().unwrap(),
        ]);
        Mount(at.to_owned())
    }

    /// `from` seen read-only at `at`.
    fn read_only(from: &Path, at: &Path) -> Mount {
        Self::run(&["--bind", from.to_str().unwrap(), at.to_str().unwrap()]);
        let m = Mount(at.to_owned());
        Self::run(&["-o", "remount,bind,ro", at.to_str().unwrap()]);
        m
    }
}

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

fn account(store: &Store) -> AccountId {
    let id = AccountId::new();
    store
        .add_account(
            id,
            &NewAccount {
                provider: ProviderKind::Zexabit,
                name: "Zexabit BD".into(),
                base_url: "http://127.0.0.1:1".into(),
                secret_names: vec![],
                config: serde_json::json!({}),
                sandbox: false,
            },
            &Actor::operator(
                cashdesk_domain::OperatorId(uuid::Uuid::from_u128(7)),
                "Rina",
            ),
        )
        .unwrap();
    id
}

fn deposit(account: AccountId, n: usize) -> NewRequest {
    NewRequest {
        kind: RequestKind::Deposit,
        provider: ProviderKind::Zexabit,
        account_id: account,
        method: "bkash".into(),
        money: Money::parse("500", "BDT").unwrap(),
        end_user_ref: format!("usr_{n}"),
        end_user_name: Some("x".repeat(2000)),
        provider_user_id: Some("68abc".into()),
        trx_id: Some(format!("TRX{n}")),
        sender: None,
        destination: None,
        agent_number: Some("01712345678".into()),
        source: Source::Intake,
        intake_ref: Some(format!("ref-{n}")),
        details: serde_json::json!({}),
        screenshot: None,
        expires: None,
    }
}

/// The journal mode written in the file header (bytes 18 and 19: 1 for a
/// rollback journal, 2 for WAL).
fn header_mode(path: &Path) -> (u8, u8) {
    let b = std::fs::read(path).unwrap();
    (b[18], b[19])
}

#[test]
fn a_newer_database_is_refused_before_anything_is_touched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cashdesk.db");
    {
        let c = rusqlite::Connection::open(&path).unwrap();
        c.execute_batch("CREATE TABLE future (x); PRAGMA user_version = 999;")
            .unwrap();
    }
    let before = std::fs::read(&path).unwrap();
    assert_eq!(header_mode(&path), (1, 1), "made with a rollback journal");
    let err = Store::open(&path).unwrap_err();
    assert!(
        matches!(err, StoreError::DatabaseTooNew { found: 999, .. }),
        "{err}"
    );
    assert!(
        std::fs::read(&path).unwrap() == before,
        "not switched to WAL, not written at all"
    );
    assert!(!dir.path().join("cashdesk.db-wal").exists());
}

#[test]
fn a_damaged_database_is_refused_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cashdesk.db");
    {
        let s = Store::open(&path).unwrap();
        let acc = account(&s);
        for n in 0..200 {
            s.insert_request(&deposit(acc, n), &Actor::Intake).unwrap();
        }
    }
    // Scribble over pages in the middle of the file (the header survives).
    let mut bytes = std::fs::read(&path).unwrap();
    let len = bytes.len();
    for b in &mut bytes[len / 3..len / 3 + 8192] {
        *b = 0x5a;
    }
    std::fs::write(&path, &bytes).unwrap();
    let err = Store::open(&path).unwrap_err();
    assert!(matches!(err, StoreError::Damaged { .. }), "{err}");
    assert!(err.to_string().contains("damaged"), "{err}");
    assert!(err.to_string().contains("cashdesk.db"), "{err}");

    // Not a database at all.
    std::fs::write(&path, b"this is a text file, not a database").unwrap();
    let err = Store::open(&path).unwrap_err();
    assert!(matches!(err, StoreError::Damaged { .. }), "{err}");
}

#[test]
fn a_read_only_database_is_refused_at_open() {
    let src = tempfile::tempdir().unwrap();
    {
        let s = Store::open(&src.path().join("cashdesk.db")).unwrap();
        account(&s);
    }
    let at = tempfile::tempdir().unwrap();
    let _ro = Mount::read_only(src.path(), at.path());
    let err = Store::open(&at.path().join("cashdesk.db")).unwrap_err();
    assert!(matches!(err, StoreError::ReadOnly { .. }), "{err}");
    assert!(err.to_string().contains("read-only"), "{err}");
}

#[test]
fn after_a_full_disk_is_freed_the_next_write_succeeds_without_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let _disk = Mount::tmpfs(dir.path(), "4m");
    let path = dir.path().join("cashdesk.db");
    let s = Store::open(&path).unwrap();
    let acc = account(&s);
    s.insert_request(&deposit(acc, 0), &Actor::Intake).unwrap();
    // Fill the disk with a file we can delete.
    let filler = dir.path().join("filler");
    {
        use std::io::Write;
        let mut f = std::fs::File::create(&filler).unwrap();
        let chunk = vec![0u8; 64 * 1024];
        while f.write_all(&chunk).is_ok() {}
        let _ = f.sync_all();
    }
    let mut failed = None;
    for n in 1..500 {
        if let Err(e) = s.insert_request(&deposit(acc, n), &Actor::Intake) {
            failed = Some((n, e));
            break;
        }
    }
    let (n, err) = failed.expect("the full disk refused a write");
    assert!(matches!(err, StoreError::DiskFull { .. }), "{err}");
    assert!(err.to_string().contains("full"), "{err}");
    std::fs::remove_file(&filler).unwrap();
    let (rec, created) = s
        .insert_request(&deposit(acc, n), &Actor::Intake)
        .expect("the next write after freeing space succeeds");
    assert!(created);
    assert_eq!(s.get_request(rec.id).unwrap().intake_ref, rec.intake_ref);
    assert_eq!(s.integrity_check().unwrap(), "ok");
}

#[test]
fn a_new_database_and_its_folder_are_readable_by_their_user_only() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data").join("cashdesk");
    let path = dir.join("cashdesk.db");
    let store = Store::open(&path).unwrap();
    store.accounts().unwrap();
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&dir), 0o700, "data folder");
    assert_eq!(mode(&path), 0o600, "database");
    let wal = dir.join("cashdesk.db-wal");
    assert!(wal.exists(), "WAL mode");
    assert_eq!(mode(&wal), 0o600, "its WAL file");
}
