//! Operators, maker–checker and claims, enforced inside the store's
//! transactions, on both engines (the conformance suite).

use cashdesk_domain::{
    Actor, Money, OperatorRef, ProviderKind, RequestKind, RequestStatus, Role, Roles,
};
use cashdesk_store::*;

mod support;
use support::desk::*;

fn refused(r: Result<RequestRecord>) -> String {
    match r {
        Err(StoreError::NotAllowed(m)) => m,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

fn above_the_threshold_the_first_approval_writes_nothing_to_the_outbox(on: Engine) {
    let d = desk_on(on);
    d.rule(RuleScope::Request, "10000");
    let agent = d.person("Rina", &[Role::Agent]);
    let other_agent = d.person("Omar", &[Role::Agent]);
    let sup = d.person("Sami", &[Role::Supervisor]);
    let small = d.withdrawal("9999.99", "u1", &Actor::Intake, Source::Intake);
    assert_eq!(
        d.approve(&small, &agent).unwrap().status,
        RequestStatus::Approved
    );
    let big = d.withdrawal("10000", "u2", &Actor::Intake, Source::Intake);
    let first = d.approve(&big, &agent).unwrap();
    assert_eq!(first.status, RequestStatus::AwaitingSecondApproval);
    assert_eq!(first.first_approver, agent.operator_ref().map(|o| o.id));
    assert!(
        d.s.outbox_for(big.id).unwrap().is_empty(),
        "nothing sent yet"
    );
    // Not the same person, not an agent: a different supervisor.
    assert!(refused(d.approve(&big, &agent)).contains("supervisor"));
    assert!(refused(d.approve(&big, &other_agent)).contains("supervisor"));
    let done = d.approve(&big, &sup).unwrap();
    assert_eq!(done.status, RequestStatus::Approved);
    assert_eq!(d.s.outbox_for(big.id).unwrap().len(), 1);
}

fn the_first_approver_never_gives_the_second_even_as_supervisor(on: Engine) {
    let d = desk_on(on);
    d.rule(RuleScope::Request, "5000");
    let sup = d.person("Sami", &[Role::Agent, Role::Supervisor]);
    let big = d.withdrawal("6000", "u1", &Actor::Intake, Source::Intake);
    assert_eq!(
        d.approve(&big, &sup).unwrap().status,
        RequestStatus::AwaitingSecondApproval
    );
    assert!(refused(d.approve(&big, &sup)).contains("different supervisor"));
    // A role taken away takes effect at once, whatever a session believes.
    let sup2 = d.person("Lina", &[Role::Supervisor]);
    let id = sup2.operator_ref().unwrap().id;
    d.s.update_operator(
        id,
        &OperatorChange {
            roles: Some(&Roles::new([Role::Agent])),
            ..Default::default()
        },
        &d.admin,
    )
    .unwrap();
    assert!(refused(d.approve(&big, &sup2)).contains("supervisor"));
}

fn whoever_entered_a_desk_request_cannot_approve_it(on: Engine) {
    let d = desk_on(on);
    let agent = d.person("Rina", &[Role::Agent]);
    let other = d.person("Omar", &[Role::Agent]);
    let mine = d.withdrawal("100", "u1", &agent, Source::Desk);
    assert_eq!(mine.entered_by, agent.operator_ref().map(|o| o.id));
    assert!(refused(d.approve(&mine, &agent)).contains("you entered"));
    assert_eq!(
        d.approve(&mine, &other).unwrap().status,
        RequestStatus::Approved
    );
    // Intake and CSV file as the integration: nobody is their maker.
    let filed = d.withdrawal("100", "u1", &Actor::Intake, Source::Intake);
    assert_eq!(filed.entered_by, None);
}

fn running_totals_per_agent_and_per_end_user_a_day(on: Engine) {
    let d = desk_on(on);
    d.rule(RuleScope::EndUserDay, "3000");
    let agent = d.person("Rina", &[Role::Agent]);
    let a = d.withdrawal("1500", "karim", &Actor::Intake, Source::Intake);
    let b = d.withdrawal("1499", "karim", &Actor::Intake, Source::Intake);
    let c = d.withdrawal("1", "karim", &Actor::Intake, Source::Intake);
    let other_user = d.withdrawal("2000", "nadia", &Actor::Intake, Source::Intake);
    assert_eq!(
        d.approve(&a, &agent).unwrap().status,
        RequestStatus::Approved
    );
    assert_eq!(
        d.approve(&b, &agent).unwrap().status,
        RequestStatus::Approved
    );
    let third = d.approve(&c, &agent).unwrap();
    assert_eq!(third.status, RequestStatus::AwaitingSecondApproval);
    assert!(
        d.s.history(c.id)
            .unwrap()
            .last()
            .unwrap()
            .reason
            .as_deref()
            .unwrap()
            .contains("end user")
    );
    assert_eq!(
        d.approve(&other_user, &agent).unwrap().status,
        RequestStatus::Approved
    );

    let d = desk();
    d.rule(RuleScope::AgentDay, "1000");
    let agent = d.person("Rina", &[Role::Agent]);
    let other = d.person("Omar", &[Role::Agent]);
    let x = d.withdrawal("600", "u1", &Actor::Intake, Source::Intake);
    let y = d.withdrawal("600", "u2", &Actor::Intake, Source::Intake);
    assert_eq!(
        d.approve(&x, &agent).unwrap().status,
        RequestStatus::Approved
    );
    assert_eq!(
        d.approve(&y, &agent).unwrap().status,
        RequestStatus::AwaitingSecondApproval,
        "1,200 today by Rina"
    );
    let z = d.withdrawal("600", "u3", &Actor::Intake, Source::Intake);
    assert_eq!(
        d.approve(&z, &other).unwrap().status,
        RequestStatus::Approved,
        "Omar's own total"
    );
}

fn a_live_claim_keeps_everyone_else_from_deciding(on: Engine) {
    let d = desk_on(on);
    let rina = d.person("Rina", &[Role::Agent]);
    let omar = d.person("Omar", &[Role::Agent]);
    let sami = d.person("Sami", &[Role::Supervisor]);
    let who = |a: &Actor| -> OperatorRef { a.operator_ref().unwrap().clone() };
    let r = d.withdrawal("100", "u1", &Actor::Intake, Source::Intake);
    d.s.claim(r.id, &who(&rina), 60_000).unwrap();
    assert!(matches!(
        d.s.claim(r.id, &who(&omar), 60_000),
        Err(StoreError::Claimed { ref by, .. }) if by == "Rina"
    ));
    assert!(matches!(
        d.approve(&r, &omar),
        Err(StoreError::Claimed { .. })
    ));
    assert!(matches!(
        d.s.reject(r.id, &omar, "no"),
        Err(StoreError::Claimed { .. })
    ));
    // Renewing keeps the start; an agent cannot take over, a supervisor can.
    let again = d.s.claim(r.id, &who(&rina), 60_000).unwrap();
    assert_eq!(again.by.name, "Rina");
    assert!(matches!(
        d.s.take_over_claim(r.id, &omar, 60_000),
        Err(StoreError::NotAllowed(_))
    ));
    let taken = d.s.take_over_claim(r.id, &sami, 60_000).unwrap();
    assert_eq!(taken.by.name, "Sami");
    assert!(
        d.s.audit_entries(10)
            .unwrap()
            .iter()
            .any(|e| e.action == "claim.take_over")
    );
    assert!(matches!(
        d.approve(&r, &rina),
        Err(StoreError::Claimed { .. })
    ));
    // A released or expired claim holds nobody back.
    d.s.release_claim(r.id, who(&sami).id).unwrap();
    assert_eq!(d.s.claim_of(r.id).unwrap(), None);
    d.s.claim(r.id, &who(&omar), 1).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(5));
    assert_eq!(d.s.claim_of(r.id).unwrap(), None, "expired");
    assert_eq!(
        d.approve(&r, &rina).unwrap().status,
        RequestStatus::Approved
    );
}

fn only_admins_manage_operators_and_rules_and_the_last_admin_stays(on: Engine) {
    let d = desk_on(on);
    let sup = d.person("Sami", &[Role::Supervisor]);
    assert!(matches!(
        d.s.add_operator(
            &NewOperator {
                name: "Eve",
                roles: &Roles::all(),
                secret_kind: SecretKind::Pin,
                secret_hash: "h"
            },
            &sup
        ),
        Err(StoreError::NotAllowed(_))
    ));
    assert!(
        matches!(
            d.s.add_operator(
                &NewOperator {
                    name: "Eve",
                    roles: &Roles::all(),
                    secret_kind: SecretKind::Pin,
                    secret_hash: "h"
                },
                &Actor::System
            ),
            Err(StoreError::NotAllowed(_))
        ),
        "the first-start path is closed once an operator exists"
    );
    let ada = d.admin.operator_ref().unwrap().id;
    assert!(matches!(
        d.s.update_operator(
            ada,
            &OperatorChange {
                disabled: Some(true),
                ..Default::default()
            },
            &d.admin
        ),
        Err(StoreError::Conflict(_))
    ));
    let actions: Vec<String> =
        d.s.audit_entries(20)
            .unwrap()
            .into_iter()
            .map(|e| e.action)
            .collect();
    assert!(actions.contains(&"operator.add".to_owned()), "{actions:?}");
}

fn wrong_tries_lock_an_operator_for_a_while(on: Engine) {
    let d = desk_on(on);
    let rina = d.person("Rina", &[Role::Agent]);
    let id = rina.operator_ref().unwrap().id;
    for _ in 0..4 {
        assert!(
            d.s.record_failed_login(id, 5, 60_000)
                .unwrap()
                .locked_until
                .is_none()
        );
    }
    let locked = d.s.record_failed_login(id, 5, 60_000).unwrap();
    assert!(locked.locked_until.unwrap() > chrono::Utc::now());
    d.s.record_login(id).unwrap();
    assert!(d.s.operator(id).unwrap().locked_until.is_none());
}

fn sending_a_failed_request_again_above_the_threshold_takes_a_different_supervisor(on: Engine) {
    let d = desk_on(on);
    d.rule(RuleScope::Request, "5000");
    let agent = d.person("Rina", &[Role::Agent]);
    let sup = d.person("Sami", &[Role::Supervisor]);
    let big = d.withdrawal("6000", "u1", &Actor::Intake, Source::Intake);
    d.approve(&big, &agent).unwrap();
    d.approve(&big, &sup).unwrap();
    let row = d.s.claim_next(i64::MAX).unwrap().unwrap();
    let failed =
        d.s.record_outcome(
            row.id,
            &OutboxOutcome::Failed {
                reason: "refused".into(),
            },
        )
        .unwrap();
    assert_eq!(failed.status, RequestStatus::Failed);
    assert!(refused(d.approve(&big, &agent)).contains("different supervisor"));
    assert_eq!(
        d.approve(&big, &sup).unwrap().status,
        RequestStatus::Approved
    );
    // Nothing but a pending or failed request is approved.
    assert!(matches!(
        d.approve(&big, &sup),
        Err(StoreError::Conflict(_))
    ));
}

fn whoever_imports_a_file_is_the_maker_of_its_requests(on: Engine) {
    let d = desk_on(on);
    let agent = d.person("Rina", &[Role::Agent]);
    let other = d.person("Omar", &[Role::Agent]);
    let batch = vec![NewRequest {
        kind: RequestKind::Withdrawal,
        provider: ProviderKind::Zexabit,
        account_id: d.acc,
        method: "bkash".into(),
        money: Money::parse("100", "BDT").unwrap(),
        end_user_ref: "u9".into(),
        end_user_name: None,
        provider_user_id: Some("68abc".into()),
        trx_id: None,
        sender: None,
        destination: Some("01811111111".into()),
        agent_number: None,
        source: Source::Intake,
        intake_ref: Some("csv-1".into()),
        details: serde_json::json!({}),
        screenshot: None,
        expires: None,
    }];
    let filed =
        d.s.insert_requests_made_by(&batch, &Actor::Intake, agent.operator_ref().map(|o| o.id))
            .unwrap();
    let rec = &filed[0].0;
    assert!(refused(d.approve(rec, &agent)).contains("you entered"));
    assert_eq!(
        d.approve(rec, &other).unwrap().status,
        RequestStatus::Approved
    );
}

/// A rule for any account sums the end user's withdrawals at every
/// account; what the rule does not cover (deposits) does not count, for
/// the end user's total and for the agent's.
fn running_totals_count_what_the_rule_covers_across_accounts(on: Engine) {
    let d = desk_on(on);
    d.rule(RuleScope::EndUserDay, "3000");
    let agent = d.person("Rina", &[Role::Agent]);
    let second = cashdesk_domain::AccountId::new();
    d.s.add_account(
        second,
        &NewAccount {
            provider: ProviderKind::Zexabit,
            name: "Zexabit BD 2".into(),
            base_url: "http://127.0.0.1:1".into(),
            secret_names: vec![],
            config: serde_json::json!({}),
            sandbox: false,
        },
        &d.admin,
    )
    .unwrap();
    let at_first = d.withdrawal("2000", "karim", &Actor::Intake, Source::Intake);
    let mut new = NewRequest {
        account_id: second,
        ..d.new_withdrawal("1500", "karim")
    };
    let mut deposit = d.new_withdrawal("9000", "karim");
    deposit.kind = RequestKind::Deposit;
    let deposit = d.s.insert_request(&deposit, &Actor::Intake).unwrap().0;
    assert_eq!(
        d.s.approve(
            deposit.id,
            &agent,
            "zexabit.deposit",
            &serde_json::json!({})
        )
        .unwrap()
        .status,
        RequestStatus::Approved,
        "deposits are not under the rule"
    );
    assert_eq!(
        d.approve(&at_first, &agent).unwrap().status,
        RequestStatus::Approved,
        "2,000 of withdrawals: the 9,000 deposit does not count"
    );
    new.intake_ref = Some("second-account".into());
    let at_second = d.s.insert_request(&new, &Actor::Intake).unwrap().0;
    assert_eq!(
        d.approve(&at_second, &agent).unwrap().status,
        RequestStatus::AwaitingSecondApproval,
        "3,500 across both accounts"
    );

    let d = desk();
    d.rule(RuleScope::AgentDay, "1000");
    let agent = d.person("Rina", &[Role::Agent]);
    let mut big = d.new_withdrawal("5000", "u1");
    big.kind = RequestKind::Deposit;
    let big = d.s.insert_request(&big, &Actor::Intake).unwrap().0;
    d.s.approve(big.id, &agent, "zexabit.deposit", &serde_json::json!({}))
        .unwrap();
    let w = d.withdrawal("600", "u2", &Actor::Intake, Source::Intake);
    assert_eq!(
        d.approve(&w, &agent).unwrap().status,
        RequestStatus::Approved,
        "Rina's deposits are not withdrawals"
    );
}

conformance!(
    above_the_threshold_the_first_approval_writes_nothing_to_the_outbox,
    the_first_approver_never_gives_the_second_even_as_supervisor,
    whoever_entered_a_desk_request_cannot_approve_it,
    running_totals_per_agent_and_per_end_user_a_day,
    a_live_claim_keeps_everyone_else_from_deciding,
    only_admins_manage_operators_and_rules_and_the_last_admin_stays,
    wrong_tries_lock_an_operator_for_a_while,
    sending_a_failed_request_again_above_the_threshold_takes_a_different_supervisor,
    whoever_imports_a_file_is_the_maker_of_its_requests,
    running_totals_count_what_the_rule_covers_across_accounts,
);
