//! Paykassma postbacks pushed to the local server: forged ones change
//! nothing, and one postback (savings pool several deposits into one) is
//! recorded with every change it makes in one transaction, or not at all.

mod common;

use cashdesk_core::api;
use cashdesk_core::intake;
use cashdesk_domain::{RequestKind, RequestStatus};
use cashdesk_paykassma::{DepositPostback, Postback, PostbackTransaction, PrivateKey, postback};
use cashdesk_store::RequestRecord;
use common::paykassma_desk::*;
use common::*;
use rust_decimal::Decimal;
use std::time::Duration;

#[tokio::test(flavor = "multi_thread")]
async fn a_forged_postback_is_refused_and_changes_nothing() {
    let d = desk(false, Duration::from_millis(200)).await;
    let rec = withdrawal(&d, "700");
    api::requests::approve(&d.app, rec.id).unwrap();
    wait_status(&d.app, rec.id, RequestStatus::AwaitingProvider).await;
    let real = wait_for("the simulator's postback", Duration::from_secs(10), || {
        d.sim.postbacks().into_iter().next()
    });
    let http = reqwest::Client::new();
    let post = |key: &str| {
        let body = postback::signed_body(&PrivateKey::new(key), &real);
        http.post(d.postback_url()).json(&body).send()
    };
    let forged = post("not-the-private-key").await.unwrap();
    assert_eq!(forged.status(), 401);
    let unchanged = api::requests::get_request(&d.app, rec.id).unwrap();
    assert_eq!(unchanged.summary.status, RequestStatus::AwaitingProvider);
    let genuine = post(d.sim.private_key()).await.unwrap();
    assert_eq!(genuine.status(), 200);
    wait_status(&d.app, rec.id, RequestStatus::Completed).await;
    let again = post(d.sim.private_key()).await.unwrap();
    assert_eq!(again.status(), 200, "a redelivery is acknowledged");
    assert!(again.text().await.unwrap().contains("already handled"));
    d.app.shutdown().await;
}

/// A deposit filed and activated at Paykassma, waiting for its postback.
async fn activated_deposit(d: &Desk, trx_id: &str) -> RequestRecord {
    let mut req = request(d, RequestKind::Deposit, "500", serde_json::json!({}));
    req.trx_id = Some(trx_id.into());
    let rec = intake::submit(&d.app, &req).unwrap().0;
    api::requests::approve(&d.app, rec.id).unwrap();
    wait_status(&d.app, rec.id, RequestStatus::AwaitingProvider).await;
    rec
}

fn credited(rec: &RequestRecord, trx_id: &str) -> PostbackTransaction {
    PostbackTransaction {
        amount: Decimal::from(500),
        currency_code: "BDT".into(),
        wallet_type: "bkash".into(),
        transaction_id: trx_id.into(),
        transaction_type: 1,
        from: None,
        created_datetime: None,
        activated_datetime: None,
        custom_id: Some(rec.merchant_ref.0.clone()),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_savings_postback_settles_all_its_deposits_or_none() {
    let d = desk(false, Duration::from_secs(600)).await;
    let first = activated_deposit(&d, "TRXSAVE001").await;
    let second = activated_deposit(&d, "TRXSAVE002").await;
    let pooled = Postback::Deposit(DepositPostback {
        transaction_id: None,
        label: "bd_rahim".into(),
        stockpiling: [("BDT".to_owned(), Decimal::from(1000))].into(),
        stockpiling_id: "90017".into(),
        transactions: vec![
            credited(&first, "TRXSAVE001"),
            credited(&second, "TRXSAVE002"),
        ],
    });
    let body = postback::signed_body(&PrivateKey::new(d.sim.private_key()), &pooled);
    let post = || {
        reqwest::Client::new()
            .post(d.postback_url())
            .json(&body)
            .send()
    };
    let status = |rec: &RequestRecord| {
        api::requests::get_request(&d.app, rec.id)
            .unwrap()
            .summary
            .status
    };

    // The second deposit cannot be written: the first must not be either.
    let side = rusqlite::Connection::open(d._dir.path().join("cashdesk.db")).unwrap();
    side.execute_batch(&format!(
        "CREATE TRIGGER second_fails BEFORE UPDATE OF status ON requests WHEN NEW.id = '{}'
         BEGIN SELECT RAISE(ABORT, 'injected failure while applying'); END;",
        second.id
    ))
    .unwrap();
    let failed = post().await.unwrap();
    assert!(
        !failed.status().is_success(),
        "Paykassma is told to deliver it again: {}",
        failed.status()
    );
    assert_eq!(
        status(&first),
        RequestStatus::AwaitingProvider,
        "all or none"
    );
    assert_eq!(status(&second), RequestStatus::AwaitingProvider);
    side.execute_batch("DROP TRIGGER second_fails").unwrap();

    let again = post().await.unwrap();
    assert_eq!(again.status(), 200);
    let text = again.text().await.unwrap();
    assert!(
        !text.contains("already handled"),
        "applied, not a duplicate: {text}"
    );
    assert_eq!(status(&first), RequestStatus::Completed);
    assert_eq!(status(&second), RequestStatus::Completed);
    let third = post().await.unwrap();
    assert!(third.text().await.unwrap().contains("already handled"));
    d.app.shutdown().await;
}
