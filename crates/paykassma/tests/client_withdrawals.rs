//! The client's withdrawal and tracking side against the simulator over
//! real HTTP: signed withdrawals, their documented refusals, pushed
//! postbacks verified, and every lookup that settles what happened.

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::routing::post;
use cashdesk_paykassma::{
    ActivateRequest, BankDetails, Client, CreateWithdrawalRequest, Error, PaymentsDetails,
    Postback, PostbackLookup, Received, WithdrawalStatus,
};
use cashdesk_sim::paykassma::{PaykassmaSim, PaykassmaSimConfig, RunningPaykassma};
use rust_decimal::Decimal;
use std::time::Duration;
use tokio::sync::mpsc;

async fn sim(postback_url: Option<String>) -> RunningPaykassma {
    PaykassmaSim::start(PaykassmaSimConfig {
        settle_after: Duration::from_millis(150),
        postback_url,
        ..PaykassmaSimConfig::default()
    })
    .await
    .unwrap()
}

fn client(sim: &RunningPaykassma) -> Client {
    Client::new(
        &sim.base_url(),
        sim.secret().into(),
        sim.private_key().into(),
    )
    .unwrap()
}

fn withdrawal(id: &str, system: &str, amount: u64) -> CreateWithdrawalRequest {
    CreateWithdrawalRequest {
        withdrawal_id: id.into(),
        payment_system: system.into(),
        amount,
        currency_code: if matches!(system, "bkash" | "nagad" | "rocket") {
            "BDT"
        } else {
            "INR"
        }
        .into(),
        label: "55".into(),
        is_test: false,
        comment: Some("withdrawal".into()),
        account_number: Some(
            match system {
                "bkash" | "nagad" => "01770618575",
                "rocket" => "017706185751",
                "paytm" => "9876543210",
                _ => "1950478885",
            }
            .into(),
        ),
        account_name: Some("Ravi Kumar".into()),
        account_email: Some("ravi@example.com".into()),
        payments_details: PaymentsDetails::default(),
        bank_details: BankDetails {
            bank_code: Some("MAHB0001821".into()),
            ..BankDetails::default()
        },
        account_type: None,
        document_type: None,
        document_id: None,
        account_digit: None,
        iban: None,
    }
}

/// A postback receiver: every body POSTed to it, answered 200.
async fn receiver() -> (String, mpsc::UnboundedReceiver<Vec<u8>>) {
    let (tx, rx) = mpsc::unbounded_channel::<Vec<u8>>();
    let app = Router::new()
        .route(
            "/pk",
            post(
                |State(tx): State<mpsc::UnboundedSender<Vec<u8>>>, body: Bytes| async move {
                    let _ = tx.send(body.to_vec());
                },
            ),
        )
        .with_state(tx);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/pk", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, rx)
}

async fn next(rx: &mut mpsc::UnboundedReceiver<Vec<u8>>) -> Vec<u8> {
    tokio::time::timeout(Duration::from_secs(10), rx.recv())
        .await
        .expect("a postback")
        .unwrap()
}

#[tokio::test]
async fn a_signed_withdrawal_is_processed_and_its_pushed_postback_verifies() {
    let (url, mut rx) = receiver().await;
    let sim = sim(Some(url)).await;
    let c = client(&sim);
    for (i, system) in ["paytm", "bkash", "nagad", "rocket", "imps_ib", "upi_ib"]
        .iter()
        .enumerate()
    {
        c.create_withdrawal(&withdrawal(&format!("w-{i}"), system, 100))
            .await
            .unwrap();
    }
    assert_eq!(sim.withdrawals().len(), 6);
    let body = next(&mut rx).await;
    let Ok(Received::Verified(Postback::Withdrawal(p))) = c.verify_postback(&body) else {
        panic!("expected a verified withdrawal postback");
    };
    assert_eq!(p.status, WithdrawalStatus::Processed);
    let mut tampered: serde_json::Value = serde_json::from_slice(&body).unwrap();
    tampered["amount"] = serde_json::json!(100000);
    let tampered = serde_json::to_vec(&tampered).unwrap();
    assert!(
        c.verify_postback(&tampered).is_err(),
        "an altered postback is refused"
    );
}

#[tokio::test]
async fn postback_lookups_say_not_yet_then_found() {
    let sim = sim(None).await;
    let c = client(&sim);
    c.create_withdrawal(&withdrawal("look-1", "paytm", 500))
        .await
        .unwrap();
    assert!(matches!(
        c.postback_by_withdrawal_id("look-1").await.unwrap(),
        PostbackLookup::NotFound { .. }
    ));
    let mut found = None;
    for _ in 0..100 {
        if let PostbackLookup::Found(p) = c.postback_by_withdrawal_id("look-1").await.unwrap() {
            found = Some(p);
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let p = found.expect("processed within 5 s");
    assert_eq!(
        (p.status, p.amount),
        (WithdrawalStatus::Processed, Decimal::from(500))
    );
    let pulled = c
        .pull_withdrawal_postbacks(&["look-1".into(), "nope".into()])
        .await
        .unwrap();
    assert!(pulled.items[0].postback.is_some());
    assert_eq!(
        pulled.items[1].message.as_deref(),
        Some("Postback not found")
    );
    assert_eq!(pulled.paginate.unwrap().total, 2);

    let activate = ActivateRequest {
        currency_code: "BDT".into(),
        wallet_type: "bkash".into(),
        label: "55".into(),
        key1: "TRX77777".into(),
        amount: None,
        custom_transaction_id: "dep-1".into(),
    };
    c.activate(&activate).await.unwrap();
    let mut credited = None;
    for _ in 0..100 {
        if let PostbackLookup::Found(p) = c.postback_by_custom_id("dep-1").await.unwrap() {
            credited = Some(p);
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(credited.expect("credited within 5 s").covers("dep-1"));
    let by_trx = c
        .postback_by_transaction_id("TRX77777")
        .await
        .unwrap()
        .found()
        .unwrap();
    assert_eq!(by_trx.transaction_id.as_deref(), Some("TRX77777"));
    let pulled = c.pull_deposit_postbacks(&["dep-1".into()]).await.unwrap();
    assert!(pulled.items[0].postback.as_ref().unwrap().covers("dep-1"));
}

#[tokio::test]
async fn documented_withdrawal_refusals_are_typed() {
    let sim = sim(None).await;
    sim.set_balance("paytm", "INR", Decimal::from(150));
    sim.set_balance("imps_ib", "INR", Decimal::ZERO);
    sim.set_balance("upi_ib", "INR", Decimal::ZERO);
    let c = client(&sim);
    let e = c
        .create_withdrawal(&withdrawal("big", "paytm", 500))
        .await
        .unwrap_err();
    assert!(matches!(e, Error::InsufficientBalance { .. }), "{e:?}");
    assert!(e.to_string().contains("Insufficient balance") && !e.may_have_taken_effect());
    c.create_withdrawal(&withdrawal("dup", "paytm", 100))
        .await
        .unwrap();
    let e = c
        .create_withdrawal(&withdrawal("dup", "paytm", 10))
        .await
        .unwrap_err();
    assert!(
        matches!(&e, Error::AlreadyUsed { field, .. } if field == "withdrawal_id"),
        "{e:?}"
    );
    let wrong_key =
        Client::new(&sim.base_url(), sim.secret().into(), "not-the-key".into()).unwrap();
    let e = wrong_key
        .create_withdrawal(&withdrawal("sig", "paytm", 10))
        .await
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "Paykassma refused the request: Invalid signature"
    );
    assert_eq!(sim.withdrawals().len(), 1);
}

#[tokio::test]
async fn withdrawal_masks_and_required_fields_are_checked_before_sending() {
    let sim = sim(None).await;
    let c = client(&sim);
    let refused = |r: Result<(), Error>| match r {
        Err(Error::Invalid(v)) => v.to_string(),
        other => panic!("expected a local refusal, got {other:?}"),
    };
    let mut r = withdrawal("v", "paytm", 105);
    assert_eq!(
        refused(c.create_withdrawal(&r).await),
        "amount 105 must be a multiple of 10 for paytm"
    );
    r.amount = 100;
    r.account_number = Some("98765 43210".into());
    assert!(refused(c.create_withdrawal(&r).await).contains("must be 10 digits"));
    let mut r = withdrawal("v", "bkash", 100);
    r.account_number = Some("02770618575".into());
    assert!(refused(c.create_withdrawal(&r).await).contains("11 digits starting with 01"));
    r.account_number = Some("01770618575".into());
    r.account_email = None;
    assert_eq!(
        refused(c.create_withdrawal(&r).await),
        "account_email is required for bkash"
    );
    let mut r = withdrawal("v", "rocket", 100);
    r.account_number = Some("0177061857512".into());
    assert!(refused(c.create_withdrawal(&r).await).contains("11 to 12 digits starting with 01"));
    let mut r = withdrawal("v", "imps_ib", 100);
    r.bank_details.bank_code = Some("MAHB000182".into());
    assert!(refused(c.create_withdrawal(&r).await).contains("11 letters and digits"));
    r.bank_details.bank_code = None;
    assert_eq!(
        refused(c.create_withdrawal(&r).await),
        "bank_details.bank_code is required for imps_ib"
    );
    let mut r = withdrawal("v", "upi_ib", 100);
    r.account_name = Some("Ravi Kumar ".into());
    assert!(
        refused(c.create_withdrawal(&r).await)
            .starts_with("account_name must not start or end with spaces")
    );
    let r = withdrawal(&"x".repeat(37), "paytm", 100);
    assert!(refused(c.create_withdrawal(&r).await).contains("at most 36"));
    assert_eq!(sim.request_count(), 0);
}

#[tokio::test]
async fn balances_are_read_exactly() {
    let sim = sim(None).await;
    sim.set_balance("bkash", "EUR", "23.9375".parse().unwrap());
    let balances = client(&sim).balances().await.unwrap();
    let eur = balances.iter().find(|b| b.currency_code == "EUR").unwrap();
    assert_eq!(eur.amount.to_string(), "23.9375");
}
