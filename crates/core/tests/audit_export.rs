//! The audit log exported whole: past one page (1,000 entries) every
//! matching entry is in the file, the filter is written in it, and only a
//! supervisor or an admin may export it.

mod common;

use cashdesk_core::Cashdesk;
use cashdesk_core::api::audit_export::export_audit_to;
use cashdesk_core::api::dto::ErrorCode;
use cashdesk_core::api::supervisor::AuditQuery;
use cashdesk_domain::Actor;
use common::*;

#[tokio::test(flavor = "multi_thread")]
async fn every_entry_the_filter_matches_is_exported_past_one_page() {
    let dir = tempfile::tempdir().unwrap();
    let app = Cashdesk::open(config(dir.path())).unwrap();
    act_as(&app, "Sami");
    for n in 0..2_345 {
        app.store()
            .record_act(&Actor::System, "token.rotate", &format!("=cmd|{n}"))
            .unwrap();
    }
    let rotations = AuditQuery {
        action: Some("token.rotate".into()),
        ..Default::default()
    };
    let path = dir.path().join("audit.csv");
    let done = export_audit_to(&app, &rotations, &path).unwrap();
    assert_eq!(done.rows, 2_345);
    let text = std::fs::read_to_string(&path).unwrap();
    let mut lines = text.lines();
    let first = lines.next().unwrap();
    assert!(
        first.contains("action token.rotate") && first.contains("by Sami"),
        "{first}"
    );
    assert_eq!(
        lines.next(),
        Some("seq,at,who,actor,action,subject,details")
    );
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), 2_345, "one line per entry");
    assert!(
        rows[0].contains("'=cmd|2344"),
        "newest first, formula-safe: {}",
        rows[0]
    );

    let all = export_audit_to(&app, &AuditQuery::default(), &path).unwrap();
    assert!(all.rows > 2_345, "the operator's creation is in it too");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_agent_cannot_export_the_audit_log() {
    let dir = tempfile::tempdir().unwrap();
    let app = Cashdesk::open(config(dir.path())).unwrap();
    act_as(&app, "Rina");
    let karim = add_person(&app, "Karim", &[cashdesk_domain::Role::Agent]);
    cashdesk_core::api::session::log_in(&app, karim, PASSWORD).unwrap();
    let err = export_audit_to(&app, &AuditQuery::default(), &dir.path().join("a.csv")).unwrap_err();
    assert_eq!(err.code, ErrorCode::NeedsRole);
    assert!(!dir.path().join("a.csv").exists());
}
