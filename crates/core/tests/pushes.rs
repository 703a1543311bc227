//! Every ordering of push, poll and answer ends in one consistent state:
//! a Zexabit webhook is marked handled in the transaction that applies it
//! (a failure in between leaves it unhandled, so Zexabit's redelivery is
//! applied), and a webhook that overtakes the HTTP answer settles the
//! request once the answer names it.

mod common;

use cashdesk_core::Cashdesk;
use cashdesk_core::api;
use cashdesk_domain::RequestStatus;
use cashdesk_sim::Faults;
use common::*;
use std::time::Duration;

#[tokio::test(flavor = "multi_thread")]
async fn a_webhook_that_fails_half_way_is_applied_when_zexabit_sends_it_again() {
    let dir = tempfile::tempdir().unwrap();
    let app = Cashdesk::start(config(dir.path())).await.unwrap();
    let sim = zexabit_sim(None).await;
    let account = add_zexabit_account(&app, &sim);
    let id = zexabit_deposit(&app, &sim, account).await;
    api::requests::approve(&app, id).unwrap();
    let waiting = wait_status(&app, id, RequestStatus::AwaitingProvider).await;
    let txn = waiting.provider_txn_id.unwrap();
    let sent = wait_for(
        "the deposit settled at Zexabit",
        Duration::from_secs(10),
        || {
            sim.deposits()
                .into_iter()
                .find(|d| d.id == txn && d.status != cashdesk_zexabit::Status::Pending)
        },
    );

    // Applying fails after the event could have been marked handled.
    let side = rusqlite::Connection::open(dir.path().join("cashdesk.db")).unwrap();
    side.execute_batch(
        "CREATE TRIGGER apply_fails BEFORE UPDATE OF status ON requests
         BEGIN SELECT RAISE(ABORT, 'injected failure while applying'); END;",
    )
    .unwrap();
    let body = format!(
        r#"{{"event":"deposit.completed","timestamp":"{}","data":{{"transactionId":"{txn}","externalUserId":"usr_abc123","userId":"{}","amount":500,"paymentMethod":"bkash","status":"completed","newBalance":500}}}}"#,
        chrono::Utc::now().to_rfc3339(),
        sent.user_id
    );
    let sig = cashdesk_zexabit::webhook::sign(sim.webhook_secret(), body.as_bytes());
    let url = format!(
        "http://{}/webhooks/zexabit/{account}",
        app.http_info().unwrap().addr
    );
    let post = || {
        reqwest::Client::new()
            .post(&url)
            .header("content-type", "application/json")
            .header("X-Zexabit-Signature", &sig)
            .body(body.clone())
            .send()
    };
    let failed = post().await.unwrap();
    assert_eq!(failed.status(), 500, "Zexabit is told to deliver it again");
    assert_eq!(
        api::requests::get_request(&app, id).unwrap().summary.status,
        RequestStatus::AwaitingProvider
    );
    side.execute_batch("DROP TRIGGER apply_fails").unwrap();

    let again = post().await.unwrap();
    assert_eq!(again.status(), 200);
    assert!(
        !again.text().await.unwrap().contains("already handled"),
        "the redelivery is applied, not taken for a duplicate"
    );
    let done = api::requests::get_request(&app, id).unwrap();
    assert_eq!(done.summary.status, RequestStatus::Completed);
    let third = post().await.unwrap();
    assert!(third.text().await.unwrap().contains("already handled"));
    app.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_webhook_that_overtakes_the_answer_ends_completed() {
    let dir = tempfile::tempdir().unwrap();
    let app = Cashdesk::start(polling(dir.path())).await.unwrap();
    let sim = zexabit_sim(None).await;
    let account = add_zexabit_account(&app, &sim);
    let addr = app.http_info().unwrap().addr;
    sim.set_callback_url(Some(format!("http://{addr}/webhooks/zexabit/{account}")));
    let id = zexabit_deposit(&app, &sim, account).await;
    // Zexabit commits, settles and pushes its webhook while our HTTP
    // answer is still on its way.
    sim.set_faults(Faults {
        hang_after_commit: Some(Duration::from_millis(2500)),
        ..Default::default()
    });
    api::requests::approve(&app, id).unwrap();
    wait_for(
        "the webhook before the answer",
        Duration::from_secs(10),
        || {
            let d = api::requests::get_request(&app, id).unwrap();
            (sim.deposits()
                .iter()
                .any(|d| d.status != cashdesk_zexabit::Status::Pending)
                && d.summary.status == RequestStatus::Submitting)
                .then_some(())
        },
    );
    let done = wait_status(&app, id, RequestStatus::Completed).await;
    assert_eq!(sim.deposits().len(), 1, "sent once");
    assert!(done.provider_txn_id.is_some());
    app.shutdown().await;
}

/// The poller asks Zexabit often, as it would after a missed webhook.
fn polling(dir: &std::path::Path) -> cashdesk_core::Config {
    cashdesk_core::Config {
        poll_interval: Duration::from_millis(250),
        ..config(dir)
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn an_answer_that_cannot_be_recorded_at_once_is_recorded_without_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let app = Cashdesk::start(config(dir.path())).await.unwrap();
    let sim = zexabit_sim(None).await;
    let account = add_zexabit_account(&app, &sim);
    let id = zexabit_deposit(&app, &sim, account).await;
    // Writing the answer fails for a while (a full disk, a locked file).
    let side = rusqlite::Connection::open(dir.path().join("cashdesk.db")).unwrap();
    side.execute_batch(
        "CREATE TRIGGER answer_fails BEFORE UPDATE OF state ON outbox WHEN OLD.state = 'sending'
         BEGIN SELECT RAISE(ABORT, 'injected failure recording the answer'); END;",
    )
    .unwrap();
    api::requests::approve(&app, id).unwrap();
    wait_for("Zexabit has the deposit", Duration::from_secs(10), || {
        (!sim.deposits().is_empty()).then_some(())
    });
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert_eq!(
        api::requests::get_request(&app, id).unwrap().summary.status,
        RequestStatus::Submitting,
        "the answer is not recorded yet"
    );
    side.execute_batch("DROP TRIGGER answer_fails").unwrap();
    let d = wait_status(&app, id, RequestStatus::AwaitingProvider).await;
    assert!(d.provider_txn_id.is_some());
    assert_eq!(sim.deposits().len(), 1, "sent once");
    app.shutdown().await;
}
