//! CashWeb on evidence, under each answer the simulator gives to what the
//! document leaves open: a confirmed deposit is credited from the
//! documented reconciliation fields whatever its status is called; the
//! feed finds new transactions whichever order the list runs in; one
//! unreadable transaction is set aside and the feed goes on; a deposit
//! that lands between the check and the cancel goes to a person with
//! CashWeb's real state.

mod common;

use cashdesk_cashweb::CreateTransactionRequest;
use cashdesk_core::Cashdesk;
use cashdesk_core::api;
use cashdesk_domain::{RequestId, RequestStatus};
use cashdesk_sim::cashweb::{CashWebSim, CashWebSimConfig, RunningCashWeb};
use cashdesk_sim::{Faults, ListOrder, Unstated};
use common::*;
use rust_decimal::Decimal;
use std::time::Duration;

async fn setup(u: Unstated) -> (tempfile::TempDir, Cashdesk, RunningCashWeb) {
    let dir = tempfile::tempdir().unwrap();
    let sim = CashWebSim::start(CashWebSimConfig {
        confirmation_interval: Duration::from_millis(10),
        ..Default::default()
    })
    .await
    .unwrap();
    sim.set_unstated(u);
    let app = Cashdesk::start(config(dir.path())).await.unwrap();
    common::act_as(&app, "Rina");
    add_cashweb_account(&app, &sim);
    (dir, app, sim)
}

fn create(sim: &RunningCashWeb, reference: &str) -> String {
    let req = CreateTransactionRequest::direct(reference, Decimal::from(161_500), "usdt", "trc20");
    sim.create_as_customer(&req).unwrap().id
}

fn request_of(app: &Cashdesk, txn: &str) -> Option<RequestId> {
    let account = api::accounts::list_accounts(app).unwrap()[0].id;
    app.store()
        .find_by_provider_txn(account, txn)
        .unwrap()
        .map(|r| r.id)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_confirmed_deposit_is_credited_whatever_its_status_is_called() {
    for u in Unstated::each(Duration::from_millis(300)) {
        let (_dir, app, sim) = setup(u).await;
        let paid = create(&sim, "order-paid");
        api::requests::sync_cashweb(&app).await.unwrap();
        sim.deposit_arrives(&paid).unwrap();
        tokio::time::sleep(Duration::from_millis(300)).await;
        let shown = sim.transaction(&paid).unwrap();
        assert_eq!(shown.status.as_str(), "confirmed", "the sim's own record");
        let id = request_of(&app, &paid).unwrap();
        api::requests::approve(&app, id).unwrap();
        let done = wait_status(&app, id, RequestStatus::Completed).await;
        assert!(
            done.history
                .iter()
                .any(|h| h.to_label == "completed" || h.reason.is_some()),
            "{u}"
        );
        app.shutdown().await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unknown_status_with_nothing_to_go_on_is_shown_to_a_person() {
    let (_dir, app, sim) = setup(Unstated::default()).await;
    let txn = create(&sim, "order-odd");
    api::requests::sync_cashweb(&app).await.unwrap();
    let id = request_of(&app, &txn).unwrap();
    // A status CashWeb never documented, and no deposit fields at all.
    sim.odd_status(&txn, Some("under_review"));
    api::requests::approve(&app, id).unwrap();
    let failed = wait_status(&app, id, RequestStatus::Failed).await;
    let why = failed.status_reason.clone().unwrap_or_default();
    assert!(why.contains("\"under_review\""), "{why}");
    assert!(failed.can_decide, "a person approves again or rejects");
    // And rejecting is held until it is clear.
    let err = api::requests::reject(&app, id, "odd").await.unwrap_err();
    assert!(err.message.contains("under_review"), "{}", err.message);
    // Once CashWeb shows the deposit confirmed, approving again credits it.
    sim.odd_status(&txn, None);
    sim.deposit_arrives(&txn).unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    api::requests::approve(&app, id).unwrap();
    wait_status(&app, id, RequestStatus::Completed).await;
    app.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_feed_finds_new_transactions_whichever_order_the_list_runs() {
    for order in [ListOrder::NewestFirst, ListOrder::OldestFirst] {
        let (_dir, app, sim) = setup(Unstated {
            list_order: order,
            ..Unstated::default()
        })
        .await;
        // More than one page (the feed reads 100 per page).
        for n in 0..130 {
            create(&sim, &format!("order-{n}"));
        }
        let mut filed = 0;
        for _ in 0..5 {
            filed += api::requests::sync_cashweb(&app).await.unwrap();
        }
        assert_eq!(filed, 130, "{order:?}: every transaction once");
        let new = create(&sim, "order-new");
        assert_eq!(
            api::requests::sync_cashweb(&app).await.unwrap(),
            1,
            "{order:?}: the new one is found in one round"
        );
        assert!(request_of(&app, &new).is_some());
        assert_eq!(api::requests::sync_cashweb(&app).await.unwrap(), 0);
        app.shutdown().await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unreadable_transaction_is_set_aside_and_the_feed_goes_on() {
    let (_dir, app, sim) = setup(Unstated::default()).await;
    let a = create(&sim, "order-a");
    let bad = create(&sim, "order-bad");
    let c = create(&sim, "order-c");
    sim.garble(&bad, true);
    assert_eq!(api::requests::sync_cashweb(&app).await.unwrap(), 2);
    assert!(request_of(&app, &a).is_some() && request_of(&app, &c).is_some());
    let set_aside = app.store().quarantined().unwrap();
    assert_eq!(set_aside.len(), 1);
    assert_eq!(set_aside[0].item_key, bad);
    assert!(set_aside[0].raw.contains("unreadable"));
    let shown = api::accounts::quarantined(&app).unwrap();
    assert_eq!(shown.len(), 1);
    assert_eq!(shown[0].item, bad);
    assert_eq!(shown[0].account_name, "CashWeb");
    // It reads again: filed, and released.
    sim.garble(&bad, false);
    let new = create(&sim, "order-d");
    api::requests::sync_cashweb(&app).await.unwrap();
    assert!(request_of(&app, &new).is_some());
    // Walking the list from the start files the one set aside.
    let mut tries = 0;
    while request_of(&app, &bad).is_none() && tries < 5 {
        api::requests::sync_cashweb(&app).await.unwrap();
        tries += 1;
    }
    assert!(request_of(&app, &bad).is_some(), "filed once readable");
    assert!(app.store().quarantined().unwrap().is_empty());
    app.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_deposit_landing_before_the_cancel_goes_to_a_person_with_cashwebs_state() {
    let (_dir, app, sim) = setup(Unstated::default()).await;
    let txn = create(&sim, "order-race");
    api::requests::sync_cashweb(&app).await.unwrap();
    let id = request_of(&app, &txn).unwrap();
    // The check before rejecting sees no deposit; the coins land while
    // the cancel is on its way.
    sim.set_faults(Faults {
        latency: Some(Duration::from_millis(1500)),
        ..Default::default()
    });
    sim.deposit_arrives_after(&txn, Duration::from_millis(2200))
        .unwrap();
    let rejected = api::requests::reject(&app, id, "customer left")
        .await
        .unwrap();
    assert_eq!(rejected.summary.status, RequestStatus::Rejected);
    let failed = wait_status(&app, id, RequestStatus::Failed).await;
    sim.set_faults(Faults::default());
    let why = failed.status_reason.clone().unwrap_or_default();
    assert!(why.contains("CashWeb refused the cancel (409"), "{why}");
    assert!(why.contains("CashWeb now shows"), "{why}");
    assert!(failed.can_decide, "a person approves or rejects again");
    assert_ne!(sim.transaction(&txn).unwrap().status.as_str(), "cancelled");
    app.shutdown().await;
}
