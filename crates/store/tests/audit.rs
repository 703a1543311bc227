//! The audit log on both engines: append-only, tamper-evident, and keyed
//! so a rewritten log cannot be re-chained without the key.

use cashdesk_domain::Actor;
use cashdesk_store::Engine;

mod support;
use support::*;

fn the_audit_log_is_append_only_and_tamper_evident(on: Engine) {
    let (dir, s, acc) = store_on(on);
    let (r, _) = s
        .insert_request(&deposit(acc, None), &Actor::Intake)
        .unwrap();
    s.reject(r.id, &agent(), "duplicate").unwrap();
    assert!(s.verify_audit().unwrap() >= 3);
    assert!(
        dir.try_execute("UPDATE audit_log SET actor = 'x' WHERE seq = 2")
            .is_err(),
        "updates are refused"
    );
    assert!(
        dir.try_execute("DELETE FROM audit_log").is_err(),
        "deletes are refused"
    );
    dir.drop_trigger("audit_log_no_update", "audit_log");
    dir.execute("UPDATE audit_log SET actor = 'operator:Mallory' WHERE seq = 2");
    let err = s.verify_audit().unwrap_err();
    assert!(err.to_string().contains("entry 2"), "{err}");
}

fn a_keyed_audit_log_cannot_be_rechained_without_the_key(on: Engine) {
    let (dir, s, acc) = store_on(on);
    s.set_audit_key(b"the desk's audit key".to_vec());
    let (r, _) = s
        .insert_request(&deposit(acc, None), &Actor::Intake)
        .unwrap();
    s.reject(r.id, &agent(), "duplicate").unwrap();
    let report = s.audit_report().unwrap();
    assert!(report.keyed >= 1 && report.unverified == 0, "{report:?}");
    assert_eq!(s.desk_id().unwrap(), s.desk_id().unwrap(), "stable");

    // Someone edits the file and recomputes every hash as plain SHA-256.
    dir.drop_trigger("audit_log_no_update", "audit_log");
    let last = s.audit_entries(1).unwrap()[0].seq;
    dir.execute(&format!(
        "UPDATE audit_log SET details_json = '{{\"reason\":\"approved\"}}' WHERE seq = {last}"
    ));
    let err = s.verify_audit().unwrap_err();
    assert!(err.to_string().contains(&format!("entry {last}")), "{err}");
    dir.execute(&format!(
        "UPDATE audit_log SET keyed = 0 WHERE seq = {last}"
    ));
    let err = s.verify_audit().unwrap_err();
    assert!(err.to_string().contains("not keyed"), "{err}");

    // Without the key (another process), links are still checked.
    let other = dir.reopen();
    assert!(other.verify_audit().is_err());
}

conformance!(
    the_audit_log_is_append_only_and_tamper_evident,
    a_keyed_audit_log_cannot_be_rechained_without_the_key,
);
