//! The failures that decide whether money may have moved, against the
//! simulator's injected faults, and the recovery the adapter documents:
//! look the request up by our id; a resend with the same id is refused,
//! never doubled.

use cashdesk_paykassma::{
    ActivateRequest, BankDetails, Client, ClientConfig, CreateWithdrawalRequest, Error,
    PaymentsDetails, PostbackLookup, WithdrawalStatus,
};
use cashdesk_sim::paykassma::{PaykassmaSim, PaykassmaSimConfig, RunningPaykassma};
use cashdesk_sim::{Faults, RetryAfterForm};
use std::time::Duration;

async fn sim() -> RunningPaykassma {
    PaykassmaSim::start(PaykassmaSimConfig {
        settle_after: Duration::from_millis(100),
        ..PaykassmaSimConfig::default()
    })
    .await
    .unwrap()
}

fn client_with(sim: &RunningPaykassma, request_timeout: Duration) -> Client {
    let config = ClientConfig {
        request_timeout: Some(request_timeout),
        ..ClientConfig::default()
    };
    Client::with_config(
        &sim.base_url(),
        sim.secret().into(),
        sim.private_key().into(),
        config,
    )
    .unwrap()
}

fn paytm(id: &str) -> CreateWithdrawalRequest {
    CreateWithdrawalRequest {
        withdrawal_id: id.into(),
        payment_system: "paytm".into(),
        amount: 1000,
        currency_code: "INR".into(),
        label: "55".into(),
        is_test: false,
        comment: None,
        account_number: Some("9876543210".into()),
        account_name: None,
        account_email: None,
        payments_details: PaymentsDetails::default(),
        bank_details: BankDetails::default(),
        account_type: None,
        document_type: None,
        document_id: None,
        account_digit: None,
        iban: None,
    }
}

async fn processed(c: &Client, id: &str) -> WithdrawalStatus {
    for _ in 0..100 {
        if let PostbackLookup::Found(p) = c.postback_by_withdrawal_id(id).await.unwrap() {
            return p.status;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("no postback for {id} within 5 s");
}

#[tokio::test]
async fn a_timeout_after_commit_is_unknown_and_settled_by_lookup_never_by_a_second_payment() {
    let sim = sim().await;
    let c = client_with(&sim, Duration::from_millis(300));
    sim.set_faults(Faults {
        hang_after_commit: Some(Duration::from_secs(5)),
        ..Faults::default()
    });
    let e = c.create_withdrawal(&paytm("t-1")).await.unwrap_err();
    assert!(matches!(e, Error::Unknown { .. }), "{e:?}");
    assert!(e.may_have_taken_effect() && !e.is_retryable_without_risk());
    assert!(e.to_string().contains("look it up"));
    sim.set_faults(Faults::default());

    let again = c.create_withdrawal(&paytm("t-1")).await.unwrap_err();
    assert!(
        matches!(again, Error::AlreadyUsed { .. }),
        "a resend is refused: {again:?}"
    );
    assert_eq!(processed(&c, "t-1").await, WithdrawalStatus::Processed);
    assert_eq!(sim.withdrawals().len(), 1, "paid once");
}

#[tokio::test]
async fn a_connection_closed_after_commit_is_unknown() {
    let sim = sim().await;
    let c = client_with(&sim, Duration::from_secs(10));
    sim.set_faults(Faults {
        drop_after_commit: 1,
        ..Faults::default()
    });
    let activate = ActivateRequest {
        currency_code: "BDT".into(),
        wallet_type: "bkash".into(),
        label: "55".into(),
        key1: "TRX10101".into(),
        amount: None,
        custom_transaction_id: "drop-1".into(),
    };
    let e = c.activate(&activate).await.unwrap_err();
    assert!(matches!(e, Error::Unknown { .. }), "{e:?}");
    assert_eq!(sim.payments().len(), 1, "it was committed");
    let mut found = false;
    for _ in 0..100 {
        if c.postback_by_custom_id("drop-1")
            .await
            .unwrap()
            .found()
            .is_some()
        {
            found = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(found, "the lookup by custom id settles it");
}

#[tokio::test]
async fn a_refused_connection_is_not_sent_and_safe_to_retry() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let c = Client::new(
        &format!("http://127.0.0.1:{port}"),
        "SECRET-XYZ".into(),
        "k".into(),
    )
    .unwrap();
    let e = c.create_withdrawal(&paytm("n-1")).await.unwrap_err();
    assert!(matches!(e, Error::NotSent { .. }), "{e:?}");
    assert!(e.is_retryable_without_risk() && !e.may_have_taken_effect());
    let e = c.balances().await.unwrap_err();
    assert!(
        !format!("{e} {e:?}").contains("SECRET-XYZ"),
        "the secret leaked: {e}"
    );
}

#[tokio::test]
async fn a_malformed_success_body_is_unknown() {
    let sim = sim().await;
    let c = client_with(&sim, Duration::from_secs(10));
    sim.set_faults(Faults {
        malformed_next: 1,
        ..Faults::default()
    });
    let e = c.create_withdrawal(&paytm("m-1")).await.unwrap_err();
    assert!(matches!(e, Error::Unknown { .. }), "{e:?}");
    assert!(e.may_have_taken_effect());
    assert_eq!(sim.withdrawals().len(), 1);
}

#[tokio::test]
async fn a_500_may_have_taken_effect_and_a_429_did_not() {
    let sim = sim().await;
    let c = client_with(&sim, Duration::from_secs(10));
    sim.set_faults(Faults {
        fail_with_500: 1,
        ..Faults::default()
    });
    let e = c.create_withdrawal(&paytm("s-1")).await.unwrap_err();
    assert!(matches!(e, Error::Server { status: 500, .. }), "{e:?}");
    assert!(e.may_have_taken_effect());
    sim.set_faults(Faults {
        rate_limit_next: Some(RetryAfterForm::Seconds(3)),
        ..Faults::default()
    });
    let e = c.create_withdrawal(&paytm("s-2")).await.unwrap_err();
    assert!(
        matches!(e, Error::RateLimited { retry_after: Some(d) } if d == Duration::from_secs(3))
    );
    assert!(e.is_retryable_without_risk());
    assert!(sim.withdrawals().is_empty());
}

#[tokio::test]
async fn latency_within_the_deadline_is_only_slow() {
    let sim = sim().await;
    let c = client_with(&sim, Duration::from_secs(5));
    sim.set_faults(Faults {
        latency: Some(Duration::from_millis(200)),
        ..Faults::default()
    });
    assert!(c.media_hints().await.is_ok());
}
