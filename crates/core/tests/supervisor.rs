//! The supervisor's desk, read side: the attention list against a
//! hand-built fixture (one request of each kind that needs a person, and
//! some that do not), the audit trail's filters, and who may open them.

mod common;

use cashdesk_core::Cashdesk;
use cashdesk_core::api::operators::NewOperatorInput;
use cashdesk_core::api::supervisor::{AuditQuery, attention, audit_trail};
use cashdesk_core::api::{self, dto::ErrorCode};
use cashdesk_domain::{AccountId, Actor, Money, ProviderKind, RequestKind, RequestStatus, Role};
use cashdesk_store::{NewRequest, OutboxOutcome, ProviderFacts, Source};
use common::*;

fn file(
    app: &Cashdesk,
    acc: AccountId,
    kind: RequestKind,
    user: &str,
) -> cashdesk_domain::RequestId {
    let new = NewRequest {
        kind,
        provider: ProviderKind::Zexabit,
        account_id: acc,
        method: "bkash".into(),
        money: Money::parse("500", "BDT").unwrap(),
        end_user_ref: user.into(),
        end_user_name: None,
        provider_user_id: Some("68abc".into()),
        trx_id: Some(format!("TRX{user}")),
        sender: None,
        destination: Some("01811111111".into()),
        agent_number: None,
        source: Source::Intake,
        intake_ref: None,
        details: serde_json::json!({}),
        screenshot: None,
        expires: None,
    };
    app.store()
        .insert_request(&new, &Actor::Intake)
        .unwrap()
        .0
        .id
}

/// Sends the next due call and records `outcome` for it.
fn sent(app: &Cashdesk, id: cashdesk_domain::RequestId, outcome: OutboxOutcome) {
    app.store()
        .approve(
            id,
            &Actor::System,
            "zexabit.deposit",
            &serde_json::json!({}),
        )
        .unwrap();
    let row = app.store().claim_next(i64::MAX).unwrap().unwrap();
    assert_eq!(row.request_id, id);
    app.store().record_outcome(row.id, &outcome).unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn everything_that_needs_a_person_is_listed_oldest_first_with_its_action() {
    let dir = tempfile::tempdir().unwrap();
    let app = Cashdesk::open(config(dir.path())).unwrap();
    act_as(&app, "Sami");
    let acc = offline_zexabit_account(&app);
    let old = file(&app, acc, RequestKind::Deposit, "old"); // pending, past the SLA
    let unknown = file(&app, acc, RequestKind::Deposit, "unknown");
    sent(
        &app,
        unknown,
        OutboxOutcome::Unknown {
            reason: "timeout".into(),
        },
    );
    let failed = file(&app, acc, RequestKind::Deposit, "failed");
    sent(
        &app,
        failed,
        OutboxOutcome::Failed {
            reason: "E_LIMIT over the limit".into(),
        },
    );
    let expired = file(&app, acc, RequestKind::Deposit, "expired");
    app.store()
        .transition(
            expired,
            RequestStatus::Expired,
            &Actor::System,
            Some("lapsed"),
            &ProviderFacts::default(),
        )
        .unwrap();
    let fresh = file(&app, acc, RequestKind::Deposit, "fresh"); // pending, within the SLA
    let done = file(&app, acc, RequestKind::Deposit, "done");
    app.store()
        .reject(done, &Actor::System, "duplicate")
        .unwrap();
    // Age the first one past the 15-minute SLA, as time would.
    let db = rusqlite::Connection::open(dir.path().join("cashdesk.db")).unwrap();
    db.execute(
        "UPDATE requests SET created_ms = created_ms - 3600000, due_ms = due_ms - 3600000
         WHERE id = ?1",
        [old.to_string()],
    )
    .unwrap();

    let items = attention(&app).unwrap();
    let got: Vec<(String, cashdesk_domain::RequestId)> = items
        .iter()
        .map(|i| (i.why.clone(), i.summary.id))
        .collect();
    assert_eq!(
        got,
        vec![
            ("past_sla".to_owned(), old),
            ("outcome_unknown".to_owned(), unknown),
            ("failed".to_owned(), failed),
            ("expired_maybe_paid".to_owned(), expired),
        ],
        "oldest first; nothing within the SLA or done"
    );
    assert!(!got.iter().any(|(_, id)| *id == fresh || *id == done));
    let f = &items[2];
    assert!(f.action.contains("approve again"), "{}", f.action);
    assert!(
        f.evidence.iter().any(|e| e.contains("E_LIMIT")),
        "{:?}",
        f.evidence
    );

    // An admin gives pending requests two hours: the hour-old one no
    // longer needs a person, and the window learns the new figure.
    cashdesk_core::api::supervisor::set_sla_minutes(&app, 120).unwrap();
    assert_eq!(api::session::session(&app).unwrap().sla_minutes, 120);
    assert!(!attention(&app).unwrap().iter().any(|i| i.summary.id == old));

    // Agents do not open the supervisor's views.
    api::operators::add_operator(
        &app,
        &NewOperatorInput {
            name: "Agnes".into(),
            roles: vec![Role::Agent],
            login: "password".into(),
            secret: PASSWORD.into(),
        },
    )
    .unwrap();
    act_as(&app, "Agnes");
    assert_eq!(attention(&app).unwrap_err().code, ErrorCode::NeedsRole);
    assert_eq!(
        audit_trail(&app, &AuditQuery::default()).unwrap_err().code,
        ErrorCode::NeedsRole
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_audit_trail_filters_by_action_and_operator() {
    let dir = tempfile::tempdir().unwrap();
    let app = Cashdesk::open(config(dir.path())).unwrap();
    act_as(&app, "Sami");
    act_as(&app, "Rina"); // Sami (first admin) adds Rina
    act_as(&app, "Sami");
    let me = api::session::session(&app).unwrap().operator.unwrap().id;
    let adds = audit_trail(
        &app,
        &AuditQuery {
            action: Some("operator.add".into()),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(adds.len(), 2, "the first admin and Rina");
    assert!(adds.iter().all(|r| r.action == "operator.add"));
    assert!(adds[0].seq > adds[1].seq, "newest first");
    let by_sami = audit_trail(
        &app,
        &AuditQuery {
            operator: Some(me),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(
        by_sami.len(),
        1,
        "Sami added Rina; the first admin was added by Cashdesk"
    );
    assert_eq!(by_sami[0].who, "Sami");
    let page = audit_trail(
        &app,
        &AuditQuery {
            before: Some(adds[0].seq),
            limit: Some(1),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(page.len(), 1);
    assert!(page[0].seq < adds[0].seq);
}
