//! Zexabit's webhook for a transaction whose id we never learned (the
//! answer was lost) is matched by user, amount and method, and only to a
//! request with an unknown outcome made before the event: never to one
//! still sending (its own answer is coming) and never to one made after
//! the event. The history says why it matched.

mod common;

use cashdesk_core::Cashdesk;
use cashdesk_core::api;
use cashdesk_domain::{AccountId, ProviderKind, RequestId, RequestKind, RequestStatus};
use cashdesk_sim::Faults;
use common::*;
use std::time::Duration;

/// Another 500 BDT bKash deposit for the same Zexabit user.
fn same_user_deposit(app: &Cashdesk, account: AccountId, user: &str) -> RequestId {
    let mut req = intake_request(
        &uuid::Uuid::new_v4().simple().to_string(),
        RequestKind::Deposit,
        ProviderKind::Zexabit,
        Some(account),
        ("bkash", "500", "BDT"),
    );
    req.provider_user_id = Some(user.into());
    req.trx_id = Some("TRX8B7K9M3".into());
    req.agent_number = Some("01712345678".into());
    cashdesk_core::intake::submit(app, &req).unwrap().0.id
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unidentified_webhook_settles_only_the_unknown_request_made_before_it() {
    let dir = tempfile::tempdir().unwrap();
    let app = Cashdesk::start(config(dir.path())).await.unwrap();
    let sim = zexabit_sim(None).await;
    let account = add_zexabit_account(&app, &sim);

    // A: Zexabit took it, the answer was lost.
    let lost = zexabit_deposit(&app, &sim, account).await;
    sim.set_faults(Faults {
        drop_after_commit: 1,
        ..Default::default()
    });
    api::requests::approve(&app, lost).unwrap();
    wait_status(&app, lost, RequestStatus::OutcomeUnknown).await;
    let txn = wait_for("A at Zexabit", Duration::from_secs(10), || {
        sim.deposits().into_iter().next()
    });
    let user = txn.user_id.clone();

    let url = format!(
        "http://{}/webhooks/zexabit/{account}",
        app.http_info().unwrap().addr
    );
    let post = |txn_id: String, at: chrono::DateTime<chrono::Utc>| {
        let body = format!(
            r#"{{"event":"deposit.completed","timestamp":"{}","data":{{"transactionId":"{txn_id}","externalUserId":"usr_abc123","userId":"{user}","amount":500,"paymentMethod":"bkash","status":"completed","newBalance":500}}}}"#,
            at.to_rfc3339()
        );
        let sig = cashdesk_zexabit::webhook::sign(sim.webhook_secret(), body.as_bytes());
        reqwest::Client::new()
            .post(&url)
            .header("content-type", "application/json")
            .header("X-Zexabit-Signature", sig)
            .body(body)
            .send()
    };

    // An event from before A was made cannot be A.
    let made = chrono::DateTime::parse_from_rfc3339(
        &api::requests::get_request(&app, lost)
            .unwrap()
            .summary
            .created_at,
    )
    .unwrap()
    .with_timezone(&chrono::Utc);
    let old = post(
        "dep_from_yesterday".into(),
        made - chrono::Duration::hours(1),
    )
    .await
    .unwrap();
    assert_eq!(old.status(), 200);
    assert!(old.text().await.unwrap().contains("no request matches"));
    assert_eq!(
        api::requests::get_request(&app, lost)
            .unwrap()
            .summary
            .status,
        RequestStatus::OutcomeUnknown
    );

    // B: same user, amount and method, still sending when A's webhook lands.
    let sending = same_user_deposit(&app, account, &user);
    sim.set_faults(Faults {
        hang_after_commit: Some(Duration::from_secs(3)),
        ..Default::default()
    });
    api::requests::approve(&app, sending).unwrap();
    wait_status(&app, sending, RequestStatus::Submitting).await;
    let reply = post(txn.id.clone(), chrono::Utc::now()).await.unwrap();
    assert_eq!(reply.status(), 200);

    let a = wait_status(&app, lost, RequestStatus::Completed).await;
    let why = a
        .history
        .iter()
        .filter_map(|h| h.reason.as_deref())
        .find(|r| r.contains("matched by user"))
        .unwrap_or_else(|| panic!("no matching reason in {:?}", a.history));
    assert!(why.contains(&user) && why.contains("bkash"), "{why}");
    assert_eq!(a.provider_txn_id.as_deref(), Some(txn.id.as_str()));

    // B is settled by its own answer, not by A's event.
    let b = wait_status(&app, sending, RequestStatus::AwaitingProvider).await;
    assert_ne!(b.provider_txn_id.as_deref(), Some(txn.id.as_str()));
    assert_eq!(sim.deposits().len(), 2, "each sent once");
    app.shutdown().await;
}
