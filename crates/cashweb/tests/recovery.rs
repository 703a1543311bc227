//! Failures that decide whether something may have happened, and the
//! documented recovery by merchant reference, against the simulator.

use cashdesk_cashweb::{
    Client, ClientConfig, CreateOutcome, CreateTransactionRequest, Error, IdempotencyKey, Status,
};
use cashdesk_sim::cashweb::{CashWebSim, CashWebSimConfig, RunningCashWeb};
use cashdesk_sim::{Faults, RetryAfterForm};
use rust_decimal::Decimal;
use std::str::FromStr;
use std::time::Duration;

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

async fn sim() -> RunningCashWeb {
    CashWebSim::start(CashWebSimConfig::default())
        .await
        .unwrap()
}

fn client_with(sim: &RunningCashWeb, request_timeout: Duration) -> Client {
    let config = ClientConfig {
        request_timeout,
        ..ClientConfig::default()
    };
    Client::new(&sim.base_url(), sim.api_key(), config).unwrap()
}

fn client(sim: &RunningCashWeb) -> Client {
    client_with(sim, Duration::from_secs(20))
}

fn usdt(reference: &str, fiat: &str) -> CreateTransactionRequest {
    CreateTransactionRequest::direct(reference, d(fiat), "usdt", "trc20")
}

#[tokio::test]
async fn a_timeout_after_the_create_arrived_is_unknown_and_recovery_finds_it_without_a_second() {
    let sim = sim().await;
    let c = client_with(&sim, Duration::from_millis(300));
    sim.set_faults(Faults {
        hang_after_commit: Some(Duration::from_secs(5)),
        ..Faults::default()
    });
    let req = usdt("order-1", "161500.00");
    let e = c.create_transaction(&req).await.unwrap_err();
    assert!(matches!(e, Error::Unknown { .. }), "{e:?}");
    assert!(e.may_have_taken_effect() && !e.is_retryable_without_risk());
    assert!(
        e.to_string()
            .contains("look the transaction up by merchant reference")
    );
    assert_eq!(sim.transactions().len(), 1, "and indeed it was created");

    sim.set_faults(Faults::default());
    let outcome = c.create_or_recover(&req).await.unwrap();
    let CreateOutcome::Existing(t) = &outcome else {
        panic!("expected the existing transaction, got {outcome:?}");
    };
    assert_eq!(t.id, sim.transactions()[0].id);
    assert_eq!(t.status, Status::AwaitingDeposit);
    assert_eq!(sim.transactions().len(), 1, "never created twice");
}

#[tokio::test]
async fn a_connection_closed_after_commit_is_unknown_and_recovered_by_reference() {
    let sim = sim().await;
    let c = client(&sim);
    sim.set_faults(Faults {
        drop_after_commit: 1,
        ..Faults::default()
    });
    let req = usdt("order-1", "100.00");
    let e = c.create_transaction(&req).await.unwrap_err();
    assert!(matches!(e, Error::Unknown { .. }), "{e:?}");
    let outcome = c.create_or_recover(&req).await.unwrap();
    assert_eq!(outcome.id(), sim.transactions()[0].id);
    assert!(matches!(outcome, CreateOutcome::Existing(_)));
}

#[tokio::test]
async fn a_malformed_2xx_body_is_unknown() {
    let sim = sim().await;
    let c = client(&sim);
    sim.set_faults(Faults {
        malformed_next: 1,
        ..Faults::default()
    });
    let e = c
        .create_transaction(&usdt("order-1", "100.00"))
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Unknown { .. }), "{e:?}");
    assert!(e.to_string().contains("may have been processed"));
    assert_eq!(sim.transactions().len(), 1);
}

#[tokio::test]
async fn a_refused_connection_is_not_sent_and_safe_to_retry() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let c = Client::new(
        &format!("http://127.0.0.1:{port}"),
        "k",
        ClientConfig::default(),
    )
    .unwrap();
    let e = c
        .create_transaction(&usdt("order-1", "100.00"))
        .await
        .unwrap_err();
    assert!(matches!(e, Error::NotSent { .. }), "{e:?}");
    assert!(e.is_retryable_without_risk() && !e.may_have_taken_effect());
    assert!(e.to_string().contains("nothing was sent"));
}

#[tokio::test]
async fn a_500_may_have_taken_effect_and_a_429_is_rate_limited() {
    let sim = sim().await;
    let c = client(&sim);
    sim.set_faults(Faults {
        fail_with_500: 1,
        ..Faults::default()
    });
    let e = c
        .create_transaction(&usdt("order-1", "100.00"))
        .await
        .unwrap_err();
    assert!(matches!(&e, Error::Api { status: 500, code, .. } if code == "INTERNAL_ERROR"));
    assert!(e.may_have_taken_effect());
    sim.set_faults(Faults {
        rate_limit_next: Some(RetryAfterForm::Seconds(7)),
        ..Faults::default()
    });
    let e = c.list_transactions(10, None).await.unwrap_err();
    assert_eq!(
        e,
        Error::RateLimited {
            retry_after: Some(Duration::from_secs(7))
        }
    );
    assert!(e.is_retryable_without_risk());
}

#[tokio::test]
async fn recovery_with_nothing_at_cashweb_creates_once_then_finds_it() {
    let sim = sim().await;
    let c = client(&sim);
    let req = usdt("order-1", "100.00");
    let first = c.create_or_recover(&req).await.unwrap();
    assert!(matches!(first, CreateOutcome::Created(_)));
    let second = c.create_or_recover(&req).await.unwrap();
    assert!(matches!(second, CreateOutcome::Existing(_)));
    assert_eq!(first.id(), second.id());
    assert_eq!(sim.transactions().len(), 1);
}

#[tokio::test]
async fn recovery_refuses_a_reference_that_holds_different_terms() {
    let sim = sim().await;
    let c = client(&sim);
    c.create_transaction(&usdt("order-1", "100.00"))
        .await
        .unwrap();
    let e = c
        .create_or_recover(&usdt("ORDER-1", "250.00"))
        .await
        .unwrap_err();
    assert!(matches!(e, Error::ReferenceConflict { .. }), "{e:?}");
    assert!(e.to_string().contains("a supervisor must check"));
    assert_eq!(sim.transactions().len(), 1);
}

#[tokio::test]
async fn a_cancel_whose_answer_was_lost_is_resent_with_the_same_key_safely() {
    let sim = sim().await;
    let c = client(&sim);
    let created = c
        .create_transaction(&usdt("order-1", "100.00"))
        .await
        .unwrap();
    let key = IdempotencyKey::for_cancel("order-1").unwrap();
    sim.set_faults(Faults {
        drop_after_commit: 1,
        ..Faults::default()
    });
    let e = c.cancel_transaction(&created.id, &key).await.unwrap_err();
    assert!(e.may_have_taken_effect(), "{e:?}");
    let t = c.cancel_transaction(&created.id, &key).await.unwrap();
    assert_eq!(t.status, Status::Cancelled, "the first answer, replayed");
}
