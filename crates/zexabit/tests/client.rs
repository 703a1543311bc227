//! The client against the simulator over real HTTP on 127.0.0.1: every
//! method, every documented error surfacing typed, and the failures that
//! decide whether money may have moved.

use cashdesk_sim::{Faults, RetryAfterForm, RunningZexabit, ZexabitSim, ZexabitSimConfig};
use cashdesk_zexabit::{
    Client, ClientConfig, CreateDepositRequest, CreateUserRequest, CreateWithdrawalRequest, Error,
    Paths, RateLimit, Status, ValidationError,
};
use rust_decimal::Decimal;
use std::str::FromStr;
use std::time::Duration;

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

async fn sim(initial_balance: &str) -> RunningZexabit {
    ZexabitSim::start(ZexabitSimConfig {
        settle_after: Duration::from_millis(100),
        initial_balance: d(initial_balance),
        ..ZexabitSimConfig::default()
    })
    .await
    .unwrap()
}

fn client(sim: &RunningZexabit) -> Client {
    Client::new(&sim.base_url(), sim.api_key().to_owned(), Paths::default()).unwrap()
}

fn client_with(sim: &RunningZexabit, config: ClientConfig) -> Client {
    Client::with_config(&sim.base_url(), sim.api_key().to_owned(), config).unwrap()
}

async fn user(c: &Client, external: &str) -> String {
    let req = CreateUserRequest {
        external_user_id: external.into(),
        username: format!("user_{external}"),
        email: Some("john@example.com".into()),
        phone: None,
    };
    c.create_user(&req).await.unwrap().user_id
}

fn deposit(user: &str, amount: &str) -> CreateDepositRequest {
    CreateDepositRequest {
        user_id: user.into(),
        amount: d(amount),
        payment_method: "bkash".into(),
        payment_number: "01712345678".into(),
        transaction_id: Some("TRX8B7K9M2".into()),
    }
}

fn withdrawal(user: &str, amount: &str) -> CreateWithdrawalRequest {
    CreateWithdrawalRequest {
        user_id: user.into(),
        amount: d(amount),
        payment_method: "bkash".into(),
        account_number: "01898765432".into(),
    }
}

fn api(e: Error) -> (u16, String, String) {
    match e {
        Error::Api {
            status,
            code,
            message,
        } => (status, code, message),
        other => panic!("expected an Api error, got {other:?}"),
    }
}

#[tokio::test]
async fn every_method_round_trips_against_the_simulator() {
    let sim = sim("1000").await;
    let c = client(&sim);
    let methods = c.payment_methods().await.unwrap();
    assert_eq!(methods.len(), 18);
    let bkash = methods.iter().find(|m| m.method == "bkash").unwrap();
    assert!(bkash.check_amount(&d("500")).is_ok());
    let agent = c.agent_number("bkash").await.unwrap();
    assert_eq!(agent.account_number, "01712345678");

    let uid = user(&c, "usr_abc123").await;
    assert_eq!(c.user_balance(&uid).await.unwrap().balance, d("1000"));

    let dep = c.create_deposit(&deposit(&uid, "500")).await.unwrap();
    assert_eq!(dep.status, Status::Pending);
    let wdr = c.create_withdrawal(&withdrawal(&uid, "300")).await.unwrap();
    assert_eq!(wdr.status, Status::Pending);
    assert_eq!(
        c.deposit_status(&dep.deposit_id).await.unwrap().status,
        Status::Pending
    );

    // settles after 100 ms; poll rather than guess how busy the machine is
    let mut dep_now = c.deposit_status(&dep.deposit_id).await.unwrap();
    for _ in 0..100 {
        if dep_now.status != Status::Pending {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
        dep_now = c.deposit_status(&dep.deposit_id).await.unwrap();
    }
    assert_eq!(
        (dep_now.status, dep_now.amount),
        (Status::Completed, d("500"))
    );
    assert!(dep_now.completed_at.is_some());
    let mut wdr_now = c.withdrawal_status(&wdr.withdrawal_id).await.unwrap();
    for _ in 0..100 {
        if wdr_now.status != Status::Pending {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
        wdr_now = c.withdrawal_status(&wdr.withdrawal_id).await.unwrap();
    }
    assert_eq!(
        (wdr_now.status, wdr_now.amount),
        (Status::Completed, d("300"))
    );
    let bal = c.user_balance(&uid).await.unwrap();
    assert_eq!(
        (bal.balance, bal.deposit_balance, bal.withdraw_balance),
        (d("1200"), d("500"), d("300"))
    );
}

#[tokio::test]
async fn documented_errors_surface_typed_with_zexabits_code_and_message() {
    let sim = sim("200").await;
    let c = client(&sim);
    let uid = user(&c, "usr_err").await;

    let (status, code, message) = api(c.create_deposit(&deposit(&uid, "50")).await.unwrap_err());
    assert_eq!((status, code.as_str()), (400, "INVALID_REQUEST"));
    assert!(message.contains("minimum 100 BDT"), "{message}");

    let (status, code, _) = api(c.deposit_status("dep_nope").await.unwrap_err());
    assert_eq!((status, code.as_str()), (404, "NOT_FOUND"));

    let e = c
        .create_withdrawal(&withdrawal(&uid, "500"))
        .await
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "Zexabit refused the request: INSUFFICIENT_BALANCE — User balance (200 BDT) is less than requested amount (500 BDT)"
    );
    assert!(!e.may_have_taken_effect() && !e.is_retryable_without_risk());

    sim.set_agent_available("bkash", false);
    let e = c.agent_number("bkash").await.unwrap_err();
    assert_eq!(e.code(), Some("NO_AGENT_AVAILABLE"));
    assert!(e.is_retryable_without_risk());

    sim.set_suspended(true);
    let (status, code, message) = api(c.payment_methods().await.unwrap_err());
    assert_eq!(
        (status, code.as_str(), message.as_str()),
        (403, "FORBIDDEN", "Partner account suspended")
    );

    let wrong = Client::new(&sim.base_url(), "wrong-key".into(), Paths::default()).unwrap();
    let (status, code, _) = api(wrong.payment_methods().await.unwrap_err());
    assert_eq!((status, code.as_str()), (401, "UNAUTHORIZED"));
}

#[tokio::test]
async fn a_429_is_rate_limited_with_retry_after_in_either_form() {
    let sim = sim("0").await;
    let c = client(&sim);
    sim.set_faults(Faults {
        rate_limit_next: Some(RetryAfterForm::Seconds(7)),
        ..Faults::default()
    });
    let e = c.payment_methods().await.unwrap_err();
    assert!(
        matches!(e, Error::RateLimited { retry_after: Some(d) } if d == Duration::from_secs(7)),
        "{e:?}"
    );
    assert!(e.is_retryable_without_risk());

    sim.set_faults(Faults {
        rate_limit_next: Some(RetryAfterForm::HttpDate(120)),
        ..Faults::default()
    });
    match c.payment_methods().await.unwrap_err() {
        Error::RateLimited {
            retry_after: Some(d),
        } => {
            assert!(
                d > Duration::from_secs(100) && d <= Duration::from_secs(120),
                "{d:?}"
            )
        }
        other => panic!("expected RateLimited, got {other:?}"),
    }
}

#[tokio::test]
async fn a_500_after_a_post_may_have_taken_effect() {
    let sim = sim("0").await;
    let c = client(&sim);
    let uid = user(&c, "usr_500").await;
    sim.set_faults(Faults {
        fail_with_500: 1,
        ..Faults::default()
    });
    let e = c.create_deposit(&deposit(&uid, "500")).await.unwrap_err();
    assert_eq!(api_ref(&e), (500, "INTERNAL_ERROR"));
    assert!(e.may_have_taken_effect());
    assert!(!e.is_retryable_without_risk());
}

fn api_ref(e: &Error) -> (u16, &str) {
    match e {
        Error::Api { status, code, .. } => (*status, code.as_str()),
        other => panic!("expected an Api error, got {other:?}"),
    }
}

#[tokio::test]
async fn a_timeout_after_the_request_arrived_is_unknown() {
    let sim = sim("0").await;
    let c = client_with(
        &sim,
        ClientConfig {
            request_timeout: Duration::from_millis(300),
            ..ClientConfig::default()
        },
    );
    let uid = user(&c, "usr_slow").await;
    sim.set_faults(Faults {
        hang_after_commit: Some(Duration::from_secs(5)),
        ..Faults::default()
    });
    let e = c.create_deposit(&deposit(&uid, "500")).await.unwrap_err();
    assert!(matches!(e, Error::Unknown { .. }), "{e:?}");
    assert!(e.may_have_taken_effect());
    assert_eq!(sim.deposits().len(), 1, "and indeed it was committed");
}

#[tokio::test]
async fn a_connection_closed_without_answer_after_commit_is_unknown() {
    let sim = sim("0").await;
    let c = client(&sim);
    let uid = user(&c, "usr_drop").await;
    sim.set_faults(Faults {
        drop_after_commit: 1,
        ..Faults::default()
    });
    let e = c.create_deposit(&deposit(&uid, "500")).await.unwrap_err();
    assert!(matches!(e, Error::Unknown { .. }), "{e:?}");
    assert_eq!(sim.deposits().len(), 1);
}

#[tokio::test]
async fn a_refused_connection_is_not_sent_and_safe_to_retry() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let c = Client::new(
        &format!("http://127.0.0.1:{port}"),
        "k".into(),
        Paths::default(),
    )
    .unwrap();
    let e = c.payment_methods().await.unwrap_err();
    assert!(matches!(e, Error::NotSent { .. }), "{e:?}");
    assert!(e.is_retryable_without_risk() && !e.may_have_taken_effect());
}

#[tokio::test]
async fn a_malformed_2xx_body_is_unknown() {
    let sim = sim("0").await;
    let c = client(&sim);
    let uid = user(&c, "usr_bad").await;
    sim.set_faults(Faults {
        malformed_next: 1,
        ..Faults::default()
    });
    let e = c.create_deposit(&deposit(&uid, "500")).await.unwrap_err();
    assert!(matches!(e, Error::Unknown { .. }), "{e:?}");
    assert!(e.to_string().contains("may have been processed"));
    assert_eq!(sim.deposits().len(), 1);
}

#[tokio::test]
async fn obvious_mistakes_are_refused_before_anything_is_sent() {
    let sim = sim("0").await;
    let c = client(&sim);
    let bad = CreateUserRequest {
        external_user_id: "u".into(),
        username: "abc".into(),
        email: None,
        phone: None,
    };
    assert!(matches!(
        c.create_user(&bad).await,
        Err(Error::Invalid(ValidationError::UsernameLength { .. }))
    ));
    assert!(matches!(
        c.create_deposit(&deposit("u", "0")).await,
        Err(Error::Invalid(_))
    ));
    assert!(matches!(
        c.create_deposit(&deposit("", "5")).await,
        Err(Error::Invalid(_))
    ));
    assert_eq!(sim.request_count(), 0);
}

#[tokio::test]
async fn the_client_waits_for_a_permit_instead_of_exceeding_its_quota() {
    let sim = sim("0").await;
    // 2 requests, then one per minute: the third must wait, not go out
    let c = client_with(
        &sim,
        ClientConfig {
            rate_limit: RateLimit {
                per_minute: 2,
                burst: 2,
            },
            ..ClientConfig::default()
        },
    );
    c.payment_methods().await.unwrap();
    c.payment_methods().await.unwrap();
    let third = tokio::time::timeout(Duration::from_millis(500), c.payment_methods()).await;
    assert!(
        third.is_err(),
        "the third request went out within the minute"
    );
    assert_eq!(sim.request_count(), 2);
}

#[tokio::test]
async fn clients_of_the_same_partner_key_share_one_quota() {
    let sim = sim("0").await;
    let config = || ClientConfig {
        rate_limit: RateLimit {
            per_minute: 2,
            burst: 2,
        },
        ..ClientConfig::default()
    };
    // e.g. the worker's client and a second one built for polling
    let a = client_with(&sim, config());
    let b = client_with(&sim, config());
    a.payment_methods().await.unwrap();
    b.payment_methods().await.unwrap();
    let third = tokio::time::timeout(Duration::from_millis(500), b.payment_methods()).await;
    assert!(
        third.is_err(),
        "two clients together exceeded the partner's quota"
    );
    assert_eq!(sim.request_count(), 2);
    // Another partner key has its own quota.
    let other =
        Client::with_config(&sim.base_url(), "another-partner-key".into(), config()).unwrap();
    let answer = tokio::time::timeout(Duration::from_millis(500), other.payment_methods()).await;
    assert!(answer.is_ok(), "another key is not held back");
}
