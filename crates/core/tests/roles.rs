//! Roles enforced in the core: every command body that changes something
//! called with each role, through every path that changes a request
//! (approve, reject, settle, send again, desk entry, import, intake), and
//! maker–checker by amount end to end through the API.

mod common;

use cashdesk_core::Cashdesk;
use cashdesk_core::api::operators::{OperatorChangeInput, RuleView};
use cashdesk_core::api::session::{self, SecretKind};
use cashdesk_core::api::{self, dto::*};
use cashdesk_domain::{RequestKind, RequestStatus, Role};
use common::*;

#[tokio::test(flavor = "multi_thread")]
async fn each_role_may_do_what_its_role_allows_and_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let sim = zexabit_sim(None).await;
    let app = Cashdesk::open(config(dir.path())).unwrap();
    act_as(&app, "Owner");
    let account = add_zexabit_account(&app, &sim);
    add_person(&app, "Agnes", &[Role::Agent]);
    add_person(&app, "Sami", &[Role::Supervisor]);
    add_person(&app, "Ada", &[Role::Admin]);

    // Admin work: accounts, operators, thresholds, the intake token.
    for who in ["Agnes", "Sami"] {
        act_as(&app, who);
        assert!(needs_role(api::operators::operators(&app)), "{who}");
        assert!(
            needs_role(api::accounts::remove_account(&app, account)),
            "{who}"
        );
        assert!(needs_role(api::rotate_intake_token(&app)), "{who}");
        assert!(needs_role(api::operators::approval_rules(&app)), "{who}");
        assert!(needs_role(session::set_idle_lock(&app, 600)), "{who}");
    }
    act_as(&app, "Ada");
    // Owner, the helper's Rina (who added the account), and the three.
    assert_eq!(api::operators::operators(&app).unwrap().len(), 5);
    assert!(!needs_role(api::rotate_intake_token(&app)));

    // Deciding and entering: agents and supervisors, not an admin alone.
    let r1 = zexabit_deposit(&app, &sim, account).await;
    assert!(needs_role(api::requests::approve(&app, r1)));
    assert!(needs_role(api::requests::reject(&app, r1, "no").await));
    assert!(needs_role(api::drafts::save_draft(
        &app,
        None,
        &DraftFields::default()
    )));
    assert!(needs_role(api::import::import_csv(&app, "intake_ref\n")));
    act_as(&app, "Agnes");
    assert_eq!(
        api::requests::approve(&app, r1).unwrap().summary.status,
        RequestStatus::Approved
    );
    let r2 = zexabit_deposit(&app, &sim, account).await;
    assert!(
        api::requests::reject(&app, r2, "TrxID not in the statement")
            .await
            .is_ok()
    );
    assert!(api::drafts::save_draft(&app, None, &DraftFields::default()).is_ok());

    // Settling an unknown outcome, "send again" included: supervisors only.
    for outcome in [SettleOutcome::NotReceived, SettleOutcome::Completed] {
        assert!(needs_role(api::requests::settle(
            &app, r1, outcome, "checked"
        )));
    }
    act_as(&app, "Sami");
    let not_unknown = api::requests::settle(&app, r1, SettleOutcome::Completed, "checked");
    assert_eq!(
        code(not_unknown),
        Some(ErrorCode::NotAllowed),
        "past the role check"
    );
    assert!(!needs_role(api::requests::take_over(&app, r1)));
    act_as(&app, "Agnes");
    assert!(needs_role(api::requests::take_over(&app, r1)));
    assert!(needs_role(api::audit::verify(&app)));

    // The keyed audit log verifies, role and operator changes included.
    act_as(&app, "Sami");
    let check = api::audit::verify(&app).unwrap();
    assert!(
        check.ok && check.keyed == check.entries && check.unverified == 0,
        "{check:?}"
    );
    let actions: Vec<String> = app
        .store()
        .audit_entries(200)
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert!(actions.iter().any(|a| a == "operator.add"), "{actions:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn above_the_threshold_a_different_supervisor_gives_the_second_approval() {
    let dir = tempfile::tempdir().unwrap();
    let sim = zexabit_sim(None).await;
    let app = Cashdesk::open(config(dir.path())).unwrap();
    act_as(&app, "Owner");
    let account = add_zexabit_account(&app, &sim);
    api::operators::add_approval_rule(
        &app,
        &RuleView {
            id: None,
            scope: "request".into(),
            account_id: None,
            kind: Some(RequestKind::Deposit),
            method: None,
            currency: "BDT".into(),
            threshold: "500".into(),
        },
    )
    .unwrap();
    add_person(&app, "Agnes", &[Role::Agent]);
    add_person(&app, "Bilal", &[Role::Agent]);
    add_person(&app, "Sami", &[Role::Supervisor]);
    let id = zexabit_deposit(&app, &sim, account).await; // 500 BDT: at the threshold

    act_as(&app, "Agnes");
    let first = api::requests::approve(&app, id).unwrap();
    assert_eq!(first.summary.status, RequestStatus::AwaitingSecondApproval);
    assert!(
        app.store().outbox_for(id).unwrap().is_empty(),
        "nothing goes out yet"
    );
    let again = api::requests::approve(&app, id).unwrap_err();
    assert_eq!(again.code, ErrorCode::NeedsRole, "{}", again.message);
    assert!(
        api::requests::get_request(&app, id)
            .unwrap()
            .blocked
            .is_some()
    );
    act_as(&app, "Bilal");
    assert!(needs_role(api::requests::approve(&app, id)));
    act_as(&app, "Sami");
    let second = api::requests::list_queue(
        &app,
        &QueueQuery {
            tab: QueueTab::Second,
            provider: None,
            kind: None,
            limit: None,
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(second.counts.second, 1);
    assert_eq!(second.items[0].id, id);
    assert_eq!(api::requests::get_request(&app, id).unwrap().blocked, None);
    assert_eq!(
        api::requests::approve(&app, id).unwrap().summary.status,
        RequestStatus::Approved
    );
    assert_eq!(app.store().outbox_for(id).unwrap().len(), 1, "sent once");
    let history = api::requests::get_request(&app, id).unwrap().history;
    let who: Vec<&str> = history.iter().map(|h| h.actor.as_str()).collect();
    assert_eq!(who, ["Operator platform", "Agnes", "Sami"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_desk_locks_and_only_the_right_secret_opens_it() {
    let dir = tempfile::tempdir().unwrap();
    let app = Cashdesk::open(config(dir.path())).unwrap();
    session::create_first_admin(&app, "Owner", SecretKind::Pin, "2468").unwrap();
    let agnes = add_person(&app, "Agnes", &[Role::Agent]);
    session::lock(&app).unwrap();
    assert_eq!(
        code(api::drafts::list_drafts(&app)),
        Some(ErrorCode::Locked)
    );
    // Nothing is read while the desk is locked: not the queue, not accounts.
    let q = QueueQuery {
        tab: QueueTab::Queue,
        provider: None,
        kind: None,
        limit: None,
        ..Default::default()
    };
    assert_eq!(
        code(api::requests::list_queue(&app, &q)),
        Some(ErrorCode::Locked)
    );
    assert_eq!(
        code(api::accounts::list_accounts(&app)),
        Some(ErrorCode::Locked)
    );
    assert_eq!(
        code(session::unlock(&app, "1357")),
        Some(ErrorCode::LoggedOut)
    );
    session::unlock(&app, "2468").unwrap();
    assert!(api::drafts::list_drafts(&app).is_ok());

    // A quick switch; five wrong tries lock Agnes for a while.
    for _ in 0..4 {
        assert_eq!(
            code(session::log_in(&app, agnes, "wrong one")),
            Some(ErrorCode::LoggedOut)
        );
    }
    let locked = session::log_in(&app, agnes, "wrong one").unwrap_err();
    assert!(
        locked.message.contains("locked until"),
        "{}",
        locked.message
    );
    assert!(
        session::log_in(&app, agnes, PASSWORD).is_err(),
        "even the right one, for now"
    );

    // A disabled operator's session ends at their next step.
    let owner = session::session(&app)
        .unwrap()
        .operators
        .into_iter()
        .find(|o| o.name == "Owner")
        .unwrap()
        .id;
    session::log_in(&app, owner, "2468").unwrap();
    let bilal = add_person(&app, "Bilal", &[Role::Agent]);
    session::log_in(&app, bilal, PASSWORD).unwrap();
    // The owner disables Bilal from another desk sharing the database.
    let other = Cashdesk::open(config(dir.path())).unwrap();
    session::log_in(&other, owner, "2468").unwrap();
    api::operators::change_operator(
        &other,
        bilal,
        &OperatorChangeInput {
            disabled: Some(true),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(
        code(api::drafts::list_drafts(&app)),
        Some(ErrorCode::LoggedOut)
    );
    // The lock-out and the change are in the audit log, by whom.
    let entries = app.store().audit_entries(100).unwrap();
    let by = |action: &str| {
        entries
            .iter()
            .find(|e| e.action == action)
            .map(|e| e.actor.clone())
    };
    assert!(by("operator.locked").is_some(), "{entries:?}");
    assert!(
        by("operator.change").is_some_and(|a| a.contains("Owner")),
        "{entries:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_missing_audit_key_is_reported_not_silently_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let app = Cashdesk::open(config(dir.path())).unwrap();
    act_as(&app, "Owner");
    let check = api::audit::verify(&app).unwrap();
    assert!(check.ok && check.keyed > 0, "{check:?}");
    let name = format!("audit_key.{}", app.store().desk_id().unwrap());
    app.keychain().delete_app(&name).unwrap();
    drop(app);

    let app = Cashdesk::open(config(dir.path())).unwrap();
    act_as(&app, "Owner");
    add_person(&app, "Agnes", &[Role::Agent]);
    assert!(
        app.keychain().load_app(&name).is_err(),
        "no new key over a keyed log"
    );
    let check = api::audit::verify(&app).unwrap();
    assert!(!check.ok, "{check:?}");
}
