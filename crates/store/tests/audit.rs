//! The audit log against a real SQLite file: append-only, tamper-evident,
//! and keyed so a rewritten log cannot be re-chained without the key.

use cashdesk_domain::Actor;
use cashdesk_store::Store;

mod support;
use support::*;

#[test]
fn the_audit_log_is_append_only_and_tamper_evident() {
    let (dir, s, acc) = store();
    let (r, _) = s
        .insert_request(&deposit(acc, None), &Actor::Intake)
        .unwrap();
    s.reject(r.id, &agent(), "duplicate").unwrap();
    assert!(s.verify_audit().unwrap() >= 3);
    let c = rusqlite::Connection::open(dir.path().join("cashdesk.db")).unwrap();
    assert!(
        c.execute("UPDATE audit_log SET actor = 'x' WHERE seq = 2", [])
            .is_err(),
        "updates are refused"
    );
    assert!(
        c.execute("DELETE FROM audit_log", []).is_err(),
        "deletes are refused"
    );
    c.execute_batch("DROP TRIGGER audit_log_no_update; UPDATE audit_log SET actor = 'operator:Mallory' WHERE seq = 2;").unwrap();
    let err = s.verify_audit().unwrap_err();
    assert!(err.to_string().contains("entry 2"), "{err}");
}

#[test]
fn a_keyed_audit_log_cannot_be_rechained_without_the_key() {
    let (dir, s, acc) = store();
    s.set_audit_key(b"the desk's audit key".to_vec());
    let (r, _) = s
        .insert_request(&deposit(acc, None), &Actor::Intake)
        .unwrap();
    s.reject(r.id, &agent(), "duplicate").unwrap();
    let report = s.audit_report().unwrap();
    assert!(report.keyed >= 1 && report.unverified == 0, "{report:?}");
    assert_eq!(s.desk_id().unwrap(), s.desk_id().unwrap(), "stable");

    // Someone edits the file and recomputes every hash as plain SHA-256.
    let c = rusqlite::Connection::open(dir.path().join("cashdesk.db")).unwrap();
    c.execute_batch("DROP TRIGGER audit_log_no_update;")
        .unwrap();
    let last: i64 = c
        .query_row("SELECT MAX(seq) FROM audit_log", [], |r| r.get(0))
        .unwrap();
    c.execute(
        "UPDATE audit_log SET details_json = '{\"reason\":\"approved\"}' WHERE seq = ?1",
        [last],
    )
    .unwrap();
    let err = s.verify_audit().unwrap_err();
    assert!(err.to_string().contains(&format!("entry {last}")), "{err}");
    c.execute("UPDATE audit_log SET keyed = 0 WHERE seq = ?1", [last])
        .unwrap();
    let err = s.verify_audit().unwrap_err();
    assert!(err.to_string().contains("not keyed"), "{err}");

    // Without the key (another process), links are still checked.
    let other = Store::open(&dir.path().join("cashdesk.db")).unwrap();
    assert!(other.verify_audit().is_err());
}
