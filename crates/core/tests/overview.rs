//! The overview and the people pages through the API, against a hand-built
//! day: who decided what, claims held, running totals against a daily
//! limit, rejections with reasons, and a supervisor taking a claim over.

mod common;

use cashdesk_core::Cashdesk;
use cashdesk_core::api::overview::{OverviewRange, overview};
use cashdesk_core::api::people::{PersonQuery, people, person};
use cashdesk_core::api::{self};
use cashdesk_domain::{AccountId, Actor, Money, ProviderKind, RequestId, RequestKind, Role};
use cashdesk_store::{ApprovalRule, NewRequest, RuleScope, Source};
use common::*;

fn file(app: &Cashdesk, acc: AccountId, amount: &str, user: &str) -> RequestId {
    let new = NewRequest {
        kind: RequestKind::Withdrawal,
        provider: ProviderKind::Zexabit,
        account_id: acc,
        method: "bkash".into(),
        money: Money::parse(amount, "BDT").unwrap(),
        end_user_ref: user.into(),
        end_user_name: None,
        provider_user_id: Some("68abc".into()),
        trx_id: None,
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

fn actor(app: &Cashdesk, id: cashdesk_domain::OperatorId) -> Actor {
    Actor::Operator(app.store().operator(id).unwrap().as_ref())
}

#[tokio::test(flavor = "multi_thread")]
async fn the_overview_and_an_agents_page_show_the_day_counted_by_hand() {
    let dir = tempfile::tempdir().unwrap();
    let app = Cashdesk::open(config(dir.path())).unwrap();
    act_as(&app, "Sami");
    let acc = offline_zexabit_account(&app);
    let asha = add_person(&app, "Asha", &[Role::Agent]);
    let bilal = add_person(&app, "Bilal", &[Role::Agent]);
    app.store()
        .add_approval_rule(
            &ApprovalRule {
                id: 0,
                scope: RuleScope::AgentDay,
                account_id: None,
                kind: None,
                method: None,
                currency: "BDT".into(),
                threshold: "5000".parse().unwrap(),
            },
            &actor(
                &app,
                app.store().operator_named("Sami").unwrap().unwrap().id,
            ),
        )
        .unwrap();
    let ids: Vec<RequestId> = (0..8)
        .map(|i| file(&app, acc, ["500", "1200.50"][i % 2], &format!("u{i}")))
        .collect();
    let (a, b) = (actor(&app, asha), actor(&app, bilal));
    let approve = |id: RequestId, who: &Actor| {
        app.store()
            .approve(id, who, "zexabit.withdrawal", &serde_json::json!({}))
            .unwrap();
    };
    // Asha: approves 500 and 1200.50 (from claims), rejects one.
    let asha_ref = a.operator_ref().unwrap().clone();
    app.store().claim(ids[0], &asha_ref, 60_000).unwrap();
    approve(ids[0], &a);
    app.store().claim(ids[1], &asha_ref, 60_000).unwrap();
    approve(ids[1], &a);
    app.store().reject(ids[2], &a, "Wrong wallet").unwrap();
    // Bilal: two rejections; then he holds a claim on a third.
    app.store().reject(ids[3], &b, "Wrong wallet").unwrap();
    app.store().reject(ids[4], &b, "Duplicate TrxID").unwrap();
    let bilal_ref = b.operator_ref().unwrap().clone();
    app.store().claim(ids[5], &bilal_ref, 60_000).unwrap();
    cashdesk_core::api::overview::sample_depth_now(&app).unwrap();

    let o = overview(&app, OverviewRange::Day).unwrap();
    assert_eq!((o.decided, o.rejected), (5, 3));
    assert_eq!(o.pending, 3, "8 filed, 5 decided");
    assert_eq!(o.second_approvals, 0);
    assert_eq!(o.past_sla, 0);
    let reasons: Vec<(String, u32)> = o
        .rejections
        .iter()
        .map(|r| (r.reason.clone(), r.count))
        .collect();
    assert_eq!(
        reasons,
        vec![("Wrong wallet".into(), 2), ("Duplicate TrxID".into(), 1)]
    );
    let per_agent: Vec<(String, u32)> = o
        .by_agent
        .iter()
        .map(|s| (s.label.clone(), s.values.iter().sum()))
        .collect();
    assert_eq!(per_agent, vec![("Asha".into(), 3), ("Bilal".into(), 2)]);
    assert_eq!(o.by_provider.len(), 1);
    assert_eq!(o.by_provider[0].values.iter().sum::<u32>(), 5);
    let asha_times = &o.decide_times[0];
    assert_eq!((asha_times.decided, asha_times.timed), (3, 2));
    assert!(asha_times.median_ms.is_some());
    assert_eq!(o.decide_times[1].timed, 0, "Bilal decided without claims");
    let all = o.depth_series.iter().find(|s| s.key == "*").unwrap();
    assert_eq!((all.label.as_str(), all.values.last()), ("All", Some(&3)));

    let list = people(&app).unwrap();
    let row = |n: &str| list.iter().find(|p| p.name == n).unwrap().clone();
    assert_eq!(
        (row("Asha").decided_today, row("Asha").rejected_today),
        (3, 1)
    );
    assert_eq!(
        (row("Bilal").decided_today, row("Bilal").claims_now),
        (2, 1)
    );

    let page = person(
        &app,
        &PersonQuery {
            operator: asha,
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(page.decisions.len(), 3);
    assert_eq!(page.rejections.len(), 1);
    assert_eq!(page.totals.len(), 1);
    assert_eq!(page.totals[0].approved, "1700.50");
    assert_eq!(page.totals[0].limit.as_deref(), Some("5000"));
    let rejected_only = person(
        &app,
        &PersonQuery {
            operator: asha,
            action: Some("reject".into()),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(rejected_only.decisions.len(), 1);
    assert_eq!(
        rejected_only.decisions[0].reason.as_deref(),
        Some("Wrong wallet")
    );

    // Sami takes Bilal's claim over from Bilal's page.
    let bilal_page = person(
        &app,
        &PersonQuery {
            operator: bilal,
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(bilal_page.claims.len(), 1);
    let held = bilal_page.claims[0].summary.id;
    api::requests::take_over(&app, held).unwrap();
    assert!(
        person(
            &app,
            &PersonQuery {
                operator: bilal,
                ..Default::default()
            }
        )
        .unwrap()
        .claims
        .is_empty()
    );
}
