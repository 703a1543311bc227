//! Card numbers masked (first six, last four) in the queue, the detail and
//! exports; the whole number only to someone who decides, on request,
//! audited.

mod common;

use cashdesk_core::Cashdesk;
use cashdesk_core::api::dto::{ErrorCode, QueueQuery, QueueTab};
use cashdesk_core::api::export::export_view_to;
use cashdesk_core::api::{desk, requests};
use cashdesk_domain::{Actor, Money, ProviderKind, RequestKind, Role};
use cashdesk_store::{NewRequest, Source};
use common::*;

fn payout(acc: cashdesk_domain::AccountId, destination: &str) -> NewRequest {
    NewRequest {
        kind: RequestKind::Withdrawal,
        provider: ProviderKind::Zexabit,
        account_id: acc,
        method: "card".into(),
        money: Money::parse("444.10", "BDT").unwrap(),
        end_user_ref: "usr_card".into(),
        end_user_name: Some("José Hernández".into()),
        provider_user_id: None,
        trx_id: None,
        sender: None,
        destination: Some(destination.into()),
        agent_number: None,
        source: Source::Intake,
        intake_ref: None,
        details: serde_json::json!({"beneficiary_card": "5500 0000 0000 0004", "bank": "BBVA"}),
        screenshot: None,
        expires: None,
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn card_numbers_are_masked_until_someone_who_decides_reveals_them() {
    let dir = tempfile::tempdir().unwrap();
    let app = Cashdesk::open(config(dir.path())).unwrap();
    act_as(&app, "Owner");
    add_person(&app, "Agnes", &[Role::Agent]);
    add_person(&app, "Ada", &[Role::Admin]);
    let acc = offline_zexabit_account(&app);
    let card = app
        .store()
        .insert_request(&payout(acc, "4111111111111111"), &Actor::Intake)
        .unwrap()
        .0
        .id;
    let mut wallet = payout(acc, "01712345678");
    wallet.details = serde_json::json!({});
    let wallet = app
        .store()
        .insert_request(&wallet, &Actor::Intake)
        .unwrap()
        .0
        .id;

    act_as(&app, "Agnes");
    let page = requests::list_queue(&app, &QueueQuery::default()).unwrap();
    let row = page.items.iter().find(|r| r.id == card).unwrap();
    assert_eq!(row.reference.as_deref(), Some("411111******1111"));
    let d = requests::get_request(&app, card).unwrap();
    assert!(d.masked);
    assert_eq!(d.destination.as_deref(), Some("411111******1111"));
    let extra: Vec<_> = d.extra.iter().map(|l| l.value.as_str()).collect();
    assert!(extra.contains(&"550000******0004"), "{extra:?}");
    assert!(extra.contains(&"BBVA"));
    let plain = requests::get_request(&app, wallet).unwrap();
    assert!(!plain.masked);
    assert_eq!(plain.destination.as_deref(), Some("01712345678"));

    // An export travels further than the screen: masked there too.
    let path = dir.path().join("queue.csv");
    export_view_to(
        &app,
        &QueueQuery {
            tab: QueueTab::Queue,
            ..Default::default()
        },
        &path,
    )
    .unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("411111******1111"), "{text}");
    assert!(!text.contains("4111111111111111"), "{text}");

    let shown = desk::reveal_card(&app, card).unwrap();
    let values: Vec<(&str, &str)> = shown
        .iter()
        .map(|r| (r.field.as_str(), r.value.as_str()))
        .collect();
    assert_eq!(
        values,
        [
            ("destination", "4111111111111111"),
            ("Beneficiary card", "5500 0000 0000 0004")
        ]
    );
    let audited = app.store().audit_entries(20).unwrap();
    let entry = audited
        .iter()
        .find(|e| e.action == "request.reveal_card")
        .expect("the reveal is audited");
    assert!(entry.actor.contains("Agnes"), "{entry:?}");
    assert!(entry.subject.contains(&card.to_string()));
    assert_eq!(
        desk::reveal_card(&app, wallet).unwrap_err().code,
        ErrorCode::InvalidInput,
        "no card to show"
    );
    act_as(&app, "Ada");
    assert_eq!(
        desk::reveal_card(&app, card).unwrap_err().code,
        ErrorCode::NeedsRole,
        "an admin alone does not decide, so does not see it"
    );
}
