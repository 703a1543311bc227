//! Transactions settle over time, balances move, and each decision is
//! reported by a webhook signed over exactly the bytes sent.

mod support;

use cashdesk_sim::{TxnKind, ZexabitSimConfig};
use cashdesk_zexabit::Status;
use cashdesk_zexabit::webhook::{self, EventKind};
use rust_decimal::Decimal;
use serde_json::json;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;
use support::{Api, Receiver, fast, sim};

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

#[tokio::test]
async fn a_deposit_is_pending_then_completes_credits_the_user_and_fires_a_signed_webhook() {
    let mut hooks = Receiver::start(0).await;
    let sim = sim(ZexabitSimConfig {
        callback_url: Some(hooks.url.clone()),
        ..fast()
    })
    .await;
    let api = Api::new(&sim);
    let user = api.user("usr_abc123").await;

    let created = api.deposit(&user, json!(500.00), "TRX8B7K9M2").await;
    assert_eq!(created.status, 200, "{}", created.text);
    assert_eq!(created.json["status"], "pending");
    assert_eq!(created.json["estimatedTime"], "5-15 minutes");
    let id = created.json["depositId"].as_str().unwrap().to_owned();
    assert!(id.starts_with("dep_"));

    let hook = hooks.next().await;
    assert_eq!(hook.content_type.as_deref(), Some("application/json"));
    let event = webhook::verify(sim.webhook_secret(), &hook.body, hook.signature.as_deref())
        .expect("the simulator's webhook verifies");
    assert_eq!(event.event, EventKind::DepositCompleted);
    assert_eq!(event.data.transaction_id, id);
    assert_eq!(event.data.external_user_id, "usr_abc123");
    assert_eq!(event.data.user_id, user);
    assert_eq!(event.data.new_balance, Some(d("500")));
    // serialised like JSON.stringify: compact, integral amounts without decimals
    let body = String::from_utf8(hook.body).unwrap();
    assert!(
        body.contains(r#""amount":500,"#) && !body.contains(": "),
        "{body}"
    );

    let status = api.get(&format!("/partner/deposits/{id}")).await;
    assert_eq!(status.json["status"], "completed");
    assert_eq!(status.json["agentName"], "Demo Cashagent");
    assert!(status.json["completedAt"].is_string());
    let balance = api.get(&format!("/partner/users/{user}/balance")).await;
    assert_eq!(balance.json["balance"], json!(500.00));
    assert_eq!(balance.json["depositBalance"], json!(500.00));
}

#[tokio::test]
async fn a_fake_transaction_id_is_rejected_and_credits_nothing() {
    let mut hooks = Receiver::start(0).await;
    let sim = sim(ZexabitSimConfig {
        callback_url: Some(hooks.url.clone()),
        ..fast()
    })
    .await;
    let api = Api::new(&sim);
    let user = api.user("usr_fake").await;
    api.deposit(&user, json!(500), "FAKE123").await;

    let hook = hooks.next().await;
    let event =
        webhook::verify(sim.webhook_secret(), &hook.body, hook.signature.as_deref()).unwrap();
    assert_eq!(event.event, EventKind::DepositRejected);
    assert_eq!(event.data.status, Status::Rejected);
    assert_eq!(event.data.new_balance, Some(Decimal::ZERO));
    assert_eq!(sim.users()[0].balance, Decimal::ZERO);
    assert_eq!(sim.deposits()[0].status, Status::Rejected);
}

#[tokio::test]
async fn a_withdrawal_holds_the_amount_at_once_and_completes_later() {
    let mut hooks = Receiver::start(0).await;
    let sim = sim(ZexabitSimConfig {
        callback_url: Some(hooks.url.clone()),
        initial_balance: d("1000"),
        ..fast()
    })
    .await;
    let api = Api::new(&sim);
    let user = api.user("usr_w").await;
    let created = api.withdraw(&user, json!(300)).await;
    assert_eq!(created.json["status"], "pending", "{}", created.text);
    assert!(
        created.json["withdrawalId"]
            .as_str()
            .unwrap()
            .starts_with("wdr_")
    );
    assert_eq!(sim.users()[0].balance, d("700"), "held while pending");

    let hook = hooks.next().await;
    let event =
        webhook::verify(sim.webhook_secret(), &hook.body, hook.signature.as_deref()).unwrap();
    assert_eq!(event.event, EventKind::WithdrawalCompleted);
    assert_eq!(event.data.new_balance, Some(d("700")));
    let u = &sim.users()[0];
    assert_eq!((u.balance, u.withdraw_balance), (d("700"), d("300")));
    let id = event.data.transaction_id;
    let status = api.get(&format!("/partner/withdrawals/{id}")).await;
    assert_eq!(status.json["status"], "completed");
    assert_eq!(status.json["amount"], json!(300));
}

#[tokio::test]
async fn a_rejected_withdrawal_refunds_the_user() {
    let mut hooks = Receiver::start(0).await;
    let sim = sim(ZexabitSimConfig {
        callback_url: Some(hooks.url.clone()),
        initial_balance: d("1000"),
        reject_if: Some(Arc::new(|t| t.kind == TxnKind::Withdrawal)),
        ..fast()
    })
    .await;
    let api = Api::new(&sim);
    let user = api.user("usr_r").await;
    api.withdraw(&user, json!(250.50)).await;
    let hook = hooks.next().await;
    let event =
        webhook::verify(sim.webhook_secret(), &hook.body, hook.signature.as_deref()).unwrap();
    assert_eq!(event.event, EventKind::WithdrawalRejected);
    assert_eq!(event.data.amount, d("250.5"));
    assert_eq!(event.data.new_balance, Some(d("1000")));
    let u = &sim.users()[0];
    assert_eq!((u.balance, u.withdraw_balance), (d("1000"), Decimal::ZERO));
}

#[tokio::test]
async fn crypto_amounts_keep_their_exact_digits() {
    let mut hooks = Receiver::start(0).await;
    let sim = sim(ZexabitSimConfig {
        callback_url: Some(hooks.url.clone()),
        ..fast()
    })
    .await;
    let api = Api::new(&sim);
    let user = api.user("usr_btc").await;
    let a = api
        .post(
            "/partner/deposits",
            json!({"userId": user, "amount": 0.0001, "paymentMethod": "btc",
                   "paymentNumber": "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq", "transactionId": "ab12"}),
        )
        .await;
    assert_eq!(a.status, 200, "{}", a.text);
    let hook = hooks.next().await;
    assert!(String::from_utf8_lossy(&hook.body).contains(r#""amount":0.0001,"#));
    assert_eq!(sim.deposits()[0].amount, d("0.0001"));
}

#[tokio::test]
async fn a_refused_webhook_is_retried_with_the_same_signed_body() {
    let mut hooks = Receiver::start(2).await;
    let sim = sim(ZexabitSimConfig {
        callback_url: Some(hooks.url.clone()),
        ..fast()
    })
    .await;
    let api = Api::new(&sim);
    let user = api.user("usr_retry").await;
    api.deposit(&user, json!(100), "TRX1").await;
    let (a, b, c) = (hooks.next().await, hooks.next().await, hooks.next().await);
    assert_eq!(a.body, c.body);
    assert_eq!(b.signature, c.signature);
    assert!(
        hooks.quiet_for(Duration::from_millis(500)).await,
        "no delivery after a 200"
    );
}

#[tokio::test]
async fn webhook_delivery_gives_up_after_the_configured_attempts() {
    let mut hooks = Receiver::start(u32::MAX).await;
    let sim = sim(ZexabitSimConfig {
        callback_url: Some(hooks.url.clone()),
        webhook_attempts: 3,
        ..fast()
    })
    .await;
    let api = Api::new(&sim);
    let user = api.user("usr_giveup").await;
    api.deposit(&user, json!(100), "TRX1").await;
    for _ in 0..3 {
        hooks.next().await;
    }
    assert!(hooks.quiet_for(Duration::from_millis(800)).await);
}

#[tokio::test]
async fn the_callback_url_can_be_set_while_running() {
    let mut hooks = Receiver::start(0).await;
    let sim = sim(fast()).await;
    let api = Api::new(&sim);
    let user = api.user("usr_late").await;
    sim.set_callback_url(Some(hooks.url.clone()));
    api.deposit(&user, json!(100), "TRX1").await;
    let hook = hooks.next().await;
    assert!(webhook::verify(sim.webhook_secret(), &hook.body, hook.signature.as_deref()).is_ok());
}

#[tokio::test]
async fn shutdown_stops_serving() {
    let sim = sim(fast()).await;
    let base = sim.base_url();
    sim.shutdown().await;
    let err = reqwest::get(format!("{base}/partner/payment-methods"))
        .await
        .unwrap_err();
    assert!(err.is_connect(), "{err}");
}
