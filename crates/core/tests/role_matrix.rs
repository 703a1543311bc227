//! The rest of the role matrix: every admin command refused to agents and
//! supervisors, every path that enters or settles a request refused to an
//! admin alone, drafts kept to their author, a desk entry or an import
//! never approved by the person who made it, and the second step's rules
//! (a supervisor, a reason to reject).

mod common;

use cashdesk_core::Cashdesk;
use cashdesk_core::api::desk::{AttachTarget, ScreenshotInput};
use cashdesk_core::api::operators::{NewOperatorInput, OperatorChangeInput, RuleView};
use cashdesk_core::api::{self, dto::*};
use cashdesk_domain::{ProviderKind, RequestKind, RequestStatus, Role};
use common::*;

fn rule(threshold: &str) -> RuleView {
    RuleView {
        id: None,
        scope: "request".into(),
        account_id: None,
        kind: Some(RequestKind::Deposit),
        method: None,
        currency: "BDT".into(),
        threshold: threshold.into(),
    }
}

fn shot() -> ScreenshotInput {
    use base64::Engine;
    // The smallest PNG there is: a 1×1 transparent pixel.
    const PNG: &[u8] = &[
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44,
        0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F,
        0x15, 0xC4, 0x89, 0x00, 0x00, 0x00, 0x0A, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0x00,
        0x01, 0x00, 0x00, 0x05, 0x00, 0x01, 0x0D, 0x0A, 0x2D, 0xB4, 0x00, 0x00, 0x00, 0x00, 0x49,
        0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
    ];
    ScreenshotInput {
        file_name: "proof.png".into(),
        content_type: "image/png".into(),
        data_base64: base64::engine::general_purpose::STANDARD.encode(PNG),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn admin_work_is_an_admins_and_entering_and_settling_are_not() {
    let dir = tempfile::tempdir().unwrap();
    let sim = zexabit_sim(None).await;
    let app = Cashdesk::open(config(dir.path())).unwrap();
    act_as(&app, "Owner");
    let account = add_zexabit_account(&app, &sim);
    let agnes = add_person(&app, "Agnes", &[Role::Agent]);
    add_person(&app, "Sami", &[Role::Supervisor]);
    add_person(&app, "Ada", &[Role::Admin]);
    let rule_id = api::operators::add_approval_rule(&app, &rule("100000")).unwrap()[0]
        .id
        .unwrap();
    let input = NewOperatorInput {
        name: "Mallory".into(),
        roles: vec![Role::Admin],
        login: "password".into(),
        secret: PASSWORD.into(),
    };
    let new_account = NewAccountInput {
        provider: ProviderKind::Zexabit,
        name: "Another".into(),
        base_url: sim.base_url(),
        secrets: vec![],
        settings: vec![],
    };
    for who in ["Agnes", "Sami"] {
        act_as(&app, who);
        assert!(
            needs_role(api::operators::add_operator(&app, &input)),
            "{who}"
        );
        let promote = OperatorChangeInput {
            roles: Some(vec![Role::Admin]),
            ..Default::default()
        };
        assert!(
            needs_role(api::operators::change_operator(&app, agnes, &promote)),
            "{who} cannot make anyone an admin"
        );
        assert!(needs_role(api::operators::add_approval_rule(
            &app,
            &rule("1")
        )));
        assert!(needs_role(api::operators::remove_approval_rule(
            &app, rule_id
        )));
        assert!(needs_role(api::accounts::add_account(&app, &new_account)));
        assert!(needs_role(api::intake_info(&app)), "the token's command");
        assert!(needs_role(api::supervisor::set_sla_minutes(&app, 1)));
        assert!(needs_role(api::supervisor::set_method_sla(
            &app,
            "bkash",
            Some(5)
        )));
        assert!(needs_role(api::policy::set_desk_policy(
            &app,
            &Default::default()
        )));
    }
    act_as(&app, "Ada");
    assert!(api::operators::add_approval_rule(&app, &rule("200000")).is_ok());
    assert!(api::operators::remove_approval_rule(&app, rule_id).is_ok());
    assert!(api::supervisor::set_sla_minutes(&app, 20).is_ok());
    let slas = api::supervisor::set_method_sla(&app, " bkash ", Some(5)).unwrap();
    assert_eq!((slas[0].method.as_str(), slas[0].minutes), ("bkash", 5));
    assert!(api::supervisor::set_method_sla(&app, "bkash", Some(0)).is_err());
    assert!(
        api::supervisor::set_method_sla(&app, "bkash", None)
            .unwrap()
            .is_empty()
    );
    assert!(
        !needs_role(api::intake_info(&app)),
        "no server here, but allowed"
    );

    // An admin alone enters, attaches, asks and settles nothing.
    let r = zexabit_deposit(&app, &sim, account).await;
    assert!(needs_role(api::desk::attach_screenshot(
        &app,
        AttachTarget::Request(r),
        &shot()
    )));
    assert!(needs_role(
        api::requests::check_with_provider(&app, r).await
    ));
    assert!(needs_role(api::reconcile::settle_with_candidate(
        &app, r, "evt"
    )));
    act_as(&app, "Agnes");
    assert!(needs_role(api::reconcile::settle_with_candidate(
        &app, r, "evt"
    )));
    assert!(
        api::desk::attach_screenshot(&app, AttachTarget::Request(r), &shot()).is_ok(),
        "an agent attaches"
    );

    // Audited like decisions: rules, the SLA setting, operators.
    let actions: Vec<String> = app
        .store()
        .audit_entries(500)
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    for want in ["approval_rule.add", "approval_rule.remove", "operator.add"] {
        assert!(actions.iter().any(|a| a == want), "{want}: {actions:?}");
    }
    assert!(
        actions.iter().any(|a| a.starts_with("setting")),
        "{actions:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn drafts_are_their_authors_and_no_one_approves_what_they_entered() {
    let dir = tempfile::tempdir().unwrap();
    let sim = zexabit_sim(None).await;
    let app = Cashdesk::open(config(dir.path())).unwrap();
    act_as(&app, "Owner");
    let account = add_zexabit_account(&app, &sim);
    add_person(&app, "Agnes", &[Role::Agent]);
    add_person(&app, "Bilal", &[Role::Agent]);
    let user = zexabit_user(&sim).await;

    act_as(&app, "Agnes");
    let fields = DraftFields {
        kind: Some(RequestKind::Deposit),
        account_id: Some(account),
        method: "bkash".into(),
        amount: "700".into(),
        end_user_ref: "usr_abc123".into(),
        provider_user_id: user.clone(),
        trx_id: "TRXDESK0001".into(),
        agent_number: "01712345678".into(),
        ..Default::default()
    };
    let draft = api::drafts::save_draft(&app, None, &fields).unwrap();

    act_as(&app, "Bilal");
    assert!(
        api::drafts::list_drafts(&app).unwrap().is_empty(),
        "Agnes's own"
    );
    assert!(code(api::drafts::submit_draft(&app, draft.id)).is_some());
    assert!(code(api::drafts::discard_draft(&app, draft.id)).is_some());
    assert!(code(api::drafts::save_draft(&app, Some(draft.id), &fields)).is_some());
    assert!(
        code(api::desk::attach_screenshot(
            &app,
            AttachTarget::Draft(draft.id),
            &shot()
        ))
        .is_some()
    );

    act_as(&app, "Agnes");
    api::desk::list_methods(&app, account).await.unwrap();
    let entered = api::drafts::submit_draft(&app, draft.id)
        .unwrap()
        .summary
        .id;
    let own = api::requests::approve(&app, entered).unwrap_err();
    assert_eq!(own.code, ErrorCode::NeedsRole, "{}", own.message);
    assert!(own.message.contains("entered"), "{}", own.message);

    // A CSV import is Agnes's too: she cannot approve what she imported.
    let csv = format!(
        "intake_ref,kind,provider,account,method,amount,currency,end_user_ref,provider_user_id,trx_id,agent_number\n\
         imp-1,deposit,zexabit,{account},bkash,300,BDT,usr_abc123,{user},TRXIMP0001,01712345678\n"
    );
    let report = api::import::import_csv(&app, &csv).unwrap();
    assert!(report.committed, "{report:?}");
    let imported = app.store().find_by_intake_ref("imp-1").unwrap().unwrap();
    assert_eq!(imported.entered_by, Some(agnes_id(&app)));
    assert_eq!(
        code(api::requests::approve(&app, imported.id)),
        Some(ErrorCode::NeedsRole)
    );

    // Intake files as the integration: no operator made it, Agnes decides.
    let from_intake = zexabit_deposit(&app, &sim, account).await;
    assert_eq!(
        app.store().get_request(from_intake).unwrap().entered_by,
        None
    );
    assert_eq!(
        api::requests::approve(&app, from_intake)
            .unwrap()
            .summary
            .status,
        RequestStatus::Approved
    );

    act_as(&app, "Bilal");
    assert_eq!(
        api::requests::approve(&app, entered)
            .unwrap()
            .summary
            .status,
        RequestStatus::Approved,
        "another agent approves the desk entry"
    );
    assert_eq!(app.store().outbox_for(entered).unwrap().len(), 1);
}

fn agnes_id(app: &Cashdesk) -> cashdesk_domain::OperatorId {
    api::session::session(app)
        .unwrap()
        .operators
        .into_iter()
        .find(|o| o.name == "Agnes")
        .unwrap()
        .id
}

#[tokio::test(flavor = "multi_thread")]
async fn at_the_second_step_only_a_supervisor_rejects_and_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let sim = zexabit_sim(None).await;
    let app = Cashdesk::open(config(dir.path())).unwrap();
    act_as(&app, "Owner");
    let account = add_zexabit_account(&app, &sim);
    api::operators::add_approval_rule(&app, &rule("500")).unwrap();
    add_person(&app, "Agnes", &[Role::Agent]);
    add_person(&app, "Bilal", &[Role::Agent]);
    add_person(&app, "Sami", &[Role::Supervisor]);
    let id = zexabit_deposit(&app, &sim, account).await;

    act_as(&app, "Agnes");
    assert_eq!(
        api::requests::approve(&app, id).unwrap().summary.status,
        RequestStatus::AwaitingSecondApproval
    );
    act_as(&app, "Bilal");
    assert_eq!(
        code(api::requests::reject(&app, id, "looks wrong").await),
        Some(ErrorCode::NeedsRole),
        "an agent does not turn down a second approval"
    );
    act_as(&app, "Sami");
    assert_eq!(
        code(api::requests::reject(&app, id, "  ").await),
        Some(ErrorCode::InvalidInput),
        "a reason, like any rejection"
    );
    let done = api::requests::reject(&app, id, "TrxID belongs to another deposit")
        .await
        .unwrap();
    assert_eq!(done.summary.status, RequestStatus::Rejected);
    assert!(
        app.store().outbox_for(id).unwrap().is_empty(),
        "nothing sent"
    );
}

/// Someone with the file but not the key empties the log (or writes an
/// unkeyed one): the anchor kept beside the key says it was rewritten.
#[tokio::test(flavor = "multi_thread")]
async fn a_log_emptied_or_rewritten_without_the_key_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let app = Cashdesk::open(config(dir.path())).unwrap();
    act_as(&app, "Owner");
    add_person(&app, "Agnes", &[Role::Agent]);
    assert!(api::audit::verify(&app).unwrap().ok);
    let c = rusqlite::Connection::open(dir.path().join("cashdesk.db")).unwrap();
    c.execute_batch("DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log;")
        .unwrap();
    let check = api::audit::check(&app).unwrap();
    assert!(!check.ok, "{check:?}");
    assert!(check.message.contains("rewritten"), "{}", check.message);
}

/// The desk locks after its idle time even while the window keeps reading
/// (reads are not a person at the desk); the same secret opens it again.
#[tokio::test(flavor = "multi_thread")]
async fn the_desk_locks_when_idle_though_the_window_keeps_reading() {
    let dir = tempfile::tempdir().unwrap();
    let app = Cashdesk::open(config(dir.path())).unwrap();
    act_as(&app, "Owner");
    // Below the 30 s an admin may set: straight into the store, for speed.
    app.store()
        .set_setting("desk.idle_lock_secs", "1", &cashdesk_domain::Actor::System)
        .unwrap();
    api::session::touch(&app).unwrap();
    let q = QueueQuery::default();
    for _ in 0..3 {
        assert!(api::requests::list_queue(&app, &q).is_ok());
        std::thread::sleep(std::time::Duration::from_millis(400));
    }
    assert_eq!(
        code(api::requests::list_queue(&app, &q)),
        Some(ErrorCode::Locked)
    );
    assert_eq!(
        api::session::session(&app).unwrap().state,
        cashdesk_core::session::SessionState::Locked
    );
    api::session::unlock(&app, PASSWORD).unwrap();
    assert!(api::requests::list_queue(&app, &q).is_ok());
}
