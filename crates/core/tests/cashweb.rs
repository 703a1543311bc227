//! CashWeb through the core over real HTTP: the transaction list feeds the
//! queue once per transaction; approving credits only after a fresh fetch
//! shows the deposit confirmed; rejecting cancels at CashWeb exactly once.

mod common;

use cashdesk_cashweb::CreateTransactionRequest;
use cashdesk_core::Cashdesk;
use cashdesk_core::api::{self, dto::*};
use cashdesk_core::intake::{self, IntakeRequest};
use cashdesk_domain::{ProviderKind, RequestKind, RequestStatus};
use cashdesk_sim::Faults;
use cashdesk_sim::cashweb::{CashWebSim, CashWebSimConfig, RunningCashWeb};
use common::*;
use rust_decimal::Decimal;
use std::time::Duration;

async fn setup() -> (tempfile::TempDir, Cashdesk, RunningCashWeb) {
    let dir = tempfile::tempdir().unwrap();
    let sim = CashWebSim::start(CashWebSimConfig {
        confirmation_interval: Duration::from_millis(10),
        ..Default::default()
    })
    .await
    .unwrap();
    let app = Cashdesk::start(config(dir.path())).await.unwrap();
    add_account(&app, &sim);
    (dir, app, sim)
}

fn add_account(app: &Cashdesk, sim: &RunningCashWeb) {
    common::act_as(app, "Rina");
    add_cashweb_account(app, sim);
}

fn create(sim: &RunningCashWeb, reference: &str) -> String {
    let req = CreateTransactionRequest::direct(reference, Decimal::from(161_500), "usdt", "trc20");
    sim.create_as_customer(&req).unwrap().id
}

fn request_for(app: &Cashdesk, txn: &str) -> RequestDetail {
    let page = api::requests::list_queue(
        app,
        &QueueQuery {
            tab: QueueTab::Queue,
            provider: Some(ProviderKind::Cashweb),
            kind: None,
            limit: Some(100),
            ..Default::default()
        },
    )
    .unwrap();
    page.items
        .iter()
        .map(|r| api::requests::get_request(app, r.id).unwrap())
        .find(|d| d.provider_txn_id.as_deref() == Some(txn))
        .expect("the transaction is in the queue")
}

fn queued(app: &Cashdesk) -> usize {
    let q = QueueQuery {
        tab: QueueTab::Queue,
        provider: Some(ProviderKind::Cashweb),
        kind: None,
        limit: Some(100),
        ..Default::default()
    };
    api::requests::list_queue(app, &q).unwrap().items.len()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_feed_creates_each_transaction_once_and_resumes_after_a_reopen() {
    let (dir, app, sim) = setup().await;
    for n in 0..5 {
        create(&sim, &format!("order-{n}"));
    }
    assert_eq!(
        api::requests::sync_cashweb_pages(&app, 2, 1).await.unwrap(),
        2
    );
    app.shutdown().await;
    drop(app);
    let app = Cashdesk::start(config(dir.path())).await.unwrap();
    common::act_as(&app, "Rina");
    // Head pass sees only known ones; the stored cursor resumes the rest.
    assert_eq!(
        api::requests::sync_cashweb_pages(&app, 2, 2).await.unwrap(),
        2
    );
    assert_eq!(api::requests::sync_cashweb(&app).await.unwrap(), 1);
    assert_eq!(api::requests::sync_cashweb(&app).await.unwrap(), 0);
    assert_eq!(queued(&app), 5);
    let t = sim.transactions()[0].clone();
    let d = request_for(&app, &t.id);
    assert_eq!(d.summary.money.currency.code(), "USDT");
    assert_eq!(d.summary.money.amount, t.crypto_amount);
    assert!(
        d.extra
            .iter()
            .any(|l| l.label == "Merchant reference" && l.value == t.merchant_reference),
        "{:?}",
        d.extra
    );
    create(&sim, "order-new");
    assert_eq!(
        api::requests::sync_cashweb(&app).await.unwrap(),
        1,
        "new ones on top are found"
    );
    app.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn approving_credits_a_confirmed_deposit_and_waits_for_an_unconfirmed_one() {
    let (_dir, app, sim) = setup().await;
    let paid = create(&sim, "order-paid");
    let unpaid = create(&sim, "order-unpaid");
    api::requests::sync_cashweb(&app).await.unwrap();
    sim.deposit_arrives(&paid).unwrap();
    tokio::time::sleep(Duration::from_millis(500)).await;
    let d = request_for(&app, &paid);
    api::requests::approve(&app, d.summary.id).unwrap();
    wait_status(&app, d.summary.id, RequestStatus::Completed).await;
    // Approved before the coins arrived: it waits, saying why, and is
    // credited once CashWeb confirms it (no second approval needed).
    let d = request_for(&app, &unpaid);
    api::requests::approve(&app, d.summary.id).unwrap();
    let waiting = wait_status(&app, d.summary.id, RequestStatus::AwaitingProvider).await;
    let why = waiting.provider_status.unwrap_or_default();
    assert!(
        why.contains("waiting for the customer's deposit: awaiting_deposit"),
        "{why}"
    );
    sim.deposit_arrives(&unpaid).unwrap();
    tokio::time::sleep(Duration::from_millis(500)).await;
    let done = api::requests::check_with_provider(&app, d.summary.id)
        .await
        .unwrap();
    assert_eq!(
        done.summary.status,
        RequestStatus::Completed,
        "{:?}",
        done.history
    );
    assert!(
        done.history.iter().any(|h| h
            .reason
            .as_deref()
            .is_some_and(|r| r.contains("reconciliation fields show the deposit confirmed"))),
        "{:?}",
        done.history
    );
    app.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn rejecting_cancels_once_even_when_sent_twice_and_never_a_deposit_that_arrived() {
    let (_dir, app, sim) = setup().await;
    let open = create(&sim, "order-cancel");
    let paid = create(&sim, "order-late");
    api::requests::sync_cashweb(&app).await.unwrap();
    sim.deposit_arrives(&paid).unwrap();
    // The cancel is applied, then the answer is lost: the worker sends again.
    sim.set_faults(Faults {
        drop_after_commit: 1,
        ..Default::default()
    });
    let d = request_for(&app, &open);
    let rec = api::requests::reject(&app, d.summary.id, "customer changed their mind")
        .await
        .unwrap();
    assert_eq!(rec.summary.status, RequestStatus::Rejected, "at once");
    let rows = wait_for(
        "the cancel to be delivered",
        Duration::from_secs(20),
        || {
            let audit = app_audit(&app);
            (audit.iter().filter(|a| a.contains("accepted")).count() == 1).then_some(audit)
        },
    );
    assert!(rows.len() >= 2, "sent twice: {rows:?}");
    assert_eq!(sim.transaction(&open).unwrap().status.as_str(), "cancelled");
    let d = request_for_any(&app, d.summary.id);
    assert_eq!(d.summary.status, RequestStatus::Rejected);

    // The latest state is fetched first: a deposit that arrived refuses
    // the rejection, and no cancel is sent.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let late = request_for(&app, &paid);
    let err = api::requests::reject(&app, late.summary.id, "duplicate")
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput);
    assert!(err.message.contains("deposit confirmed"), "{}", err.message);
    let after = request_for_any(&app, late.summary.id);
    assert_eq!(after.summary.status, RequestStatus::Pending);
    assert!(
        after
            .lookups
            .iter()
            .any(|l| l.question.contains("before rejecting")),
        "{:?}",
        after.lookups
    );
    assert_eq!(
        app_audit(&app)
            .iter()
            .filter(|a| a.contains("accepted"))
            .count(),
        1,
        "only the first cancel"
    );
    app.shutdown().await;
}

fn request_for_any(app: &Cashdesk, id: cashdesk_domain::RequestId) -> RequestDetail {
    api::requests::get_request(app, id).unwrap()
}

/// The audit entries of CashWeb cancels, as text.
fn app_audit(app: &Cashdesk) -> Vec<String> {
    app.store()
        .audit_entries(500)
        .unwrap()
        .into_iter()
        .map(|e| format!("{} {}", e.action, e.details))
        .filter(|e| e.contains("outbox.cashweb.cancel"))
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn intake_of_a_cashweb_request_is_refused() {
    let (_dir, app, _sim) = setup().await;
    let err = intake::submit(
        &app,
        &IntakeRequest {
            intake_ref: "cw-1".into(),
            kind: RequestKind::Deposit,
            provider: ProviderKind::Cashweb,
            account_id: None,
            method: "usdt_trc20".into(),
            amount: "100".into(),
            currency: "USDT".into(),
            end_user_ref: "u1".into(),
            end_user_name: None,
            provider_user_id: None,
            trx_id: None,
            sender: None,
            agent_number: None,
            destination: None,
            details: serde_json::json!({}),
            screenshot: None,
        },
    )
    .unwrap_err();
    assert!(err.to_string().contains("transaction list"), "{err}");
    app.shutdown().await;
}

/// The document: "If a transaction is near expiry, fetch latest state
/// before any user-facing action." Near its deadline, approving asks
/// CashWeb first: an expired deposit is recorded expired, not approved; a
/// live one is approved, the question kept with the request.
#[tokio::test(flavor = "multi_thread")]
async fn near_its_deadline_approving_asks_cashweb_first() {
    let dir = tempfile::tempdir().unwrap();
    let sim = CashWebSim::start(CashWebSimConfig {
        confirmation_interval: Duration::from_millis(10),
        deposit_expiry: Duration::from_secs(3),
        ..Default::default()
    })
    .await
    .unwrap();
    let app = Cashdesk::start(config(dir.path())).await.unwrap();
    add_account(&app, &sim);
    let late = create(&sim, "order-late");
    let live = create(&sim, "order-live");
    api::requests::sync_cashweb(&app).await.unwrap();
    let listed = request_for(&app, &late);
    // Due at CashWeb's own deadline (seconds away), not arrival + 15 min.
    let expires = listed
        .extra
        .iter()
        .find(|l| l.label == "Expires at")
        .map(|l| l.value.clone());
    let due = listed.summary.due_at.clone().expect("a due time");
    assert_eq!(
        chrono::DateTime::parse_from_rfc3339(&due).unwrap(),
        chrono::DateTime::parse_from_rfc3339(&expires.unwrap()).unwrap()
    );
    let late = listed.summary.id;
    let live_id = request_for(&app, &live).summary.id;
    sim.deposit_arrives(&live).unwrap();
    // Both are within minutes of their deadline; the first passes it.
    tokio::time::sleep(Duration::from_millis(3500)).await;
    let refused = api::requests::approve_from_window(&app, late, false)
        .await
        .unwrap_err();
    assert_eq!(refused.code, ErrorCode::InvalidInput, "{}", refused.message);
    assert!(refused.message.contains("expired"), "{}", refused.message);
    let d = api::requests::get_request(&app, late).unwrap();
    assert_eq!(d.summary.status, RequestStatus::Expired);
    assert!(
        d.lookups
            .iter()
            .any(|l| l.question.contains("near its deadline, before approving")),
        "{:?}",
        d.lookups
    );
    let d = api::requests::approve_from_window(&app, live_id, false)
        .await
        .unwrap();
    assert_ne!(d.summary.status, RequestStatus::Pending);
    assert!(
        d.lookups
            .iter()
            .any(|l| l.question.contains("near its deadline")),
        "{:?}",
        d.lookups
    );
    app.shutdown().await;
}
