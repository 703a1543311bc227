//! The client against the simulator over real HTTP on 127.0.0.1: every
//! endpoint, the documented errors surfacing typed with the provider's
//! words, the signature over the exact bytes sent, and the failures that
//! decide whether a payout may exist, with the recovery by external_id.

use axum::Router;
use axum::body::Bytes;
use axum::http::HeaderMap;
use axum::routing::post;
use cashdesk_sim::Faults;
use cashdesk_sim::RetryAfterForm;
use cashdesk_sim::zimo_pagos::{RunningZimoPagos, ZimoPagosSim, ZimoPagosSimConfig};
use cashdesk_zimo_pagos::{
    CashoutId, CashoutRequest, Client, ClientConfig, Credentials, Endpoint, Error, ErrorBody,
    ErrorKind, Status, StatusQuery, ValidationError, ValidationOptions, signature,
};
use rust_decimal::Decimal;
use std::str::FromStr;
use std::time::Duration;
use tokio::sync::mpsc;

const CLABE: &str = "032180000118359719";
const CARD: &str = "4111111111111111";

async fn sim() -> RunningZimoPagos {
    ZimoPagosSim::start(ZimoPagosSimConfig {
        deliver_after: Duration::from_millis(100),
        settle_after: Duration::from_millis(100),
        ..ZimoPagosSimConfig::default()
    })
    .await
    .unwrap()
}

fn client(sim: &RunningZimoPagos) -> Client {
    Client::with_config(&sim.base_url(), sim.credentials(), sim.client_config()).unwrap()
}

fn client_with(sim: &RunningZimoPagos, change: impl FnOnce(&mut ClientConfig)) -> Client {
    let mut config = sim.client_config();
    change(&mut config);
    Client::with_config(&sim.base_url(), sim.credentials(), config).unwrap()
}

fn cashout(external_id: &str, bank_account: &str) -> CashoutRequest {
    CashoutRequest {
        external_id: external_id.into(),
        country: "MX".into(),
        amount: Decimal::from_str("1500.50").unwrap(),
        currency: Some("MXN".into()),
        document_id: "GODE561231HDFABC09".into(),
        beneficiary_name: "José".into(),
        bank_code: Some(72),
        bank_account: Some(bank_account.into()),
        notification_url: "https://desk.example/zimo".into(),
        ..CashoutRequest::default()
    }
}

fn api(e: &Error) -> (ErrorKind, Option<i64>, &str) {
    match e {
        Error::Api(a) => (a.kind, a.code, a.message.as_str()),
        other => panic!("expected an Api error, got {other:?}"),
    }
}

#[tokio::test]
async fn every_endpoint_round_trips_against_the_simulator() {
    let sim = sim().await;
    let c = client(&sim);
    let bank = c.create_cashout(&cashout("wd-bank", CLABE)).await.unwrap();
    assert_eq!(bank.endpoint, Endpoint::Standard);
    let card = c.create_cashout(&cashout("wd-card", CARD)).await.unwrap();
    assert_eq!(card.endpoint, Endpoint::DebitCard);
    assert_eq!(
        sim.cashout(card.cashout_id).unwrap().endpoint,
        Endpoint::DebitCard
    );
    let stored = sim.cashout(bank.cashout_id).unwrap();
    assert_eq!(
        stored.request,
        cashout("wd-bank", CLABE),
        "every field arrived as sent"
    );

    let by_id = c
        .status(&StatusQuery::by_cashout_id(bank.cashout_id))
        .await
        .unwrap();
    assert_eq!(by_id.status, Status::Pending);
    let by_ref = c.find_by_external_id("wd-card").await.unwrap().unwrap();
    assert_eq!(by_ref.status, Status::Pending);
    assert_eq!(c.find_by_external_id("wd-none").await.unwrap(), None);

    let mut now = by_id;
    for _ in 0..100 {
        if now.status.is_final() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
        now = c
            .status(&StatusQuery::by_cashout_id(bank.cashout_id))
            .await
            .unwrap();
    }
    assert_eq!(
        (now.status, now.description.as_str()),
        (Status::Completed, "Completed")
    );
}

#[tokio::test]
async fn on_hold_is_sent_and_honoured() {
    let sim = sim().await;
    let c = client(&sim);
    let mut held = cashout("wd-hold", CLABE);
    held.on_hold = true;
    let created = c.create_cashout(&held).await.unwrap();
    let status = c
        .status(&StatusQuery::by_cashout_id(created.cashout_id))
        .await
        .unwrap();
    assert_eq!(status.status, Status::OnHold);
}

#[tokio::test]
async fn a_debit_card_cashout_needs_the_card_endpoint_configured() {
    let sim = sim().await;
    let c = client_with(&sim, |cfg| cfg.card_base_url = None);
    let e = c
        .create_cashout(&cashout("wd-card", CARD))
        .await
        .unwrap_err();
    assert_eq!(e, Error::Invalid(ValidationError::CardEndpointMissing));
    assert!(e.to_string().contains("integration@zimo-pagos.com"), "{e}");
    assert_eq!(sim.request_count(), 0);
}

#[tokio::test]
async fn documented_errors_surface_typed_with_the_providers_words() {
    let sim = sim().await;
    let c = client(&sim);
    c.create_cashout(&cashout("wd-1", CLABE)).await.unwrap();

    let dup = c.create_cashout(&cashout("wd-1", CLABE)).await.unwrap_err();
    assert_eq!(
        api(&dup),
        (
            ErrorKind::DuplicateExternalId,
            Some(511),
            "External ID already used"
        )
    );
    assert!(
        dup.may_have_taken_effect(),
        "the cashout under that reference exists"
    );

    let missing = c
        .status(&StatusQuery::by_cashout_id(CashoutId(1)))
        .await
        .unwrap_err();
    assert_eq!(api(&missing).0, ErrorKind::NotFound);

    let wrong_pass = Credentials::new(sim.login(), "wrong", "sandbox-signing-secret").unwrap();
    let c2 = Client::with_config(&sim.base_url(), wrong_pass, sim.client_config()).unwrap();
    let e = c2.find_by_external_id("wd-1").await.unwrap_err();
    assert_eq!(
        api(&e),
        (
            ErrorKind::InvalidCredentials,
            Some(401),
            "Invalid credentials"
        )
    );
    assert!(e.to_string().contains("login and pass"), "{e}");

    let wrong_secret = Credentials::new(sim.login(), sim.pass(), "not-the-secret").unwrap();
    let c3 = Client::with_config(&sim.base_url(), wrong_secret, sim.client_config()).unwrap();
    let e = c3
        .create_cashout(&cashout("wd-2", CLABE))
        .await
        .unwrap_err();
    assert_eq!(api(&e).0, ErrorKind::InvalidSignature);
    assert!(!e.may_have_taken_effect());

    // a client that skips the CLABE control digit lets the provider refuse it
    let lax = client_with(&sim, |cfg| {
        cfg.validation = ValidationOptions {
            check_clabe_control_digit: false,
            allow_http_loopback_notification_url: true,
        }
    });
    let e = lax
        .create_cashout(&cashout("wd-3", "032180000118359718"))
        .await
        .unwrap_err();
    let (kind, code, message) = api(&e);
    assert_eq!((kind, code), (ErrorKind::InvalidParams, Some(300)));
    assert!(
        message.starts_with("Invalid params: bank_account"),
        "{message}"
    );
    assert_eq!(sim.cashouts().len(), 1);
}

#[tokio::test]
async fn a_refusal_keeps_code_message_reason_and_reason_code_as_they_came() {
    let sim = sim().await;
    let c = client(&sim);
    let body = ErrorBody {
        code: 504,
        message: "User unauthorized due to cadastral situation.".into(),
        reason: Some("Underage user detected".into()),
        reason_code: Some(105),
    };
    sim.refuse_next_cashout(body.clone());
    let Error::Api(e) = c
        .create_cashout(&cashout("wd-kyc", CLABE))
        .await
        .unwrap_err()
    else {
        panic!("expected an Api error");
    };
    assert_eq!((e.http_status, e.kind), (400, ErrorKind::Other));
    assert_eq!(
        (e.code, e.message, e.reason, e.reason_code),
        (Some(body.code), body.message, body.reason, body.reason_code)
    );
    assert!(sim.cashouts().is_empty());
}

#[tokio::test]
async fn the_signature_covers_exactly_the_bytes_sent() {
    let (tx, mut rx) = mpsc::unbounded_channel::<(HeaderMap, Bytes)>();
    let app = Router::new().route(
        "/v3/cashout",
        post(move |headers: HeaderMap, body: Bytes| {
            let _ = tx.send((headers, body));
            async { r#"{"cashout_id": 8405147}"# }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });

    let creds = Credentials::new("my-login", "my-pass", "my-secret").unwrap();
    let c = Client::new(&base, creds).unwrap();
    let created = c.create_cashout(&cashout("wd-sig", CLABE)).await.unwrap();
    assert_eq!(created.cashout_id, CashoutId(8_405_147));
    let (headers, body) = rx.recv().await.unwrap();
    let sig = headers["payload-signature"].to_str().unwrap();
    assert_eq!(sig, signature::sign(b"my-secret", &body));
    assert_eq!(sig, sig.to_lowercase());
    assert_eq!(headers["content-type"], "application/json");
    let text = std::str::from_utf8(&body).unwrap();
    assert!(
        text.starts_with(r#"{"login":"my-login","pass":"my-pass","external_id":"wd-sig""#),
        "{text}"
    );
    assert!(
        text.contains(r#""amount":1500.50,"#) && text.contains(r#""bank_code":72,"#),
        "{text}"
    );
    assert!(text.ends_with(r#""on_hold":false}"#), "{text}");
}

#[tokio::test]
async fn a_timeout_after_commit_is_unknown_and_the_lookup_finds_it_without_paying_twice() {
    let sim = sim().await;
    let c = client_with(&sim, |cfg| cfg.request_timeout = Duration::from_millis(300));
    sim.set_faults(Faults {
        hang_after_commit: Some(Duration::from_secs(5)),
        ..Faults::default()
    });
    let req = cashout("wd-slow", CLABE);
    let e = c.create_cashout(&req).await.unwrap_err();
    assert!(matches!(e, Error::Unknown { .. }), "{e:?}");
    assert!(e.may_have_taken_effect() && !e.is_retryable_without_risk());
    sim.set_faults(Faults::default());

    let found = c.find_by_external_id("wd-slow").await.unwrap();
    assert!(found.is_some(), "recovery finds the committed cashout");
    let resend = c.create_cashout(&req).await.unwrap_err();
    assert_eq!(api(&resend).0, ErrorKind::DuplicateExternalId);
    assert_eq!(sim.cashouts().len(), 1, "never paid twice");
}

#[tokio::test]
async fn a_500_before_commit_is_looked_up_then_resent_under_the_same_external_id() {
    let sim = sim().await;
    let c = client(&sim);
    sim.set_faults(Faults {
        fail_with_500: 1,
        ..Faults::default()
    });
    let req = cashout("wd-500", CLABE);
    let e = c.create_cashout(&req).await.unwrap_err();
    assert!(e.may_have_taken_effect(), "{e}");
    assert_eq!(c.find_by_external_id("wd-500").await.unwrap(), None);
    c.create_cashout(&req).await.unwrap();
    assert_eq!(sim.cashouts().len(), 1);
}

#[tokio::test]
async fn a_connection_closed_after_commit_is_unknown() {
    let sim = sim().await;
    let c = client(&sim);
    sim.set_faults(Faults {
        drop_after_commit: 1,
        ..Faults::default()
    });
    let e = c
        .create_cashout(&cashout("wd-drop", CLABE))
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Unknown { .. }), "{e:?}");
    assert_eq!(sim.cashouts().len(), 1);
    assert!(c.find_by_external_id("wd-drop").await.unwrap().is_some());
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
        .create_cashout(&cashout("wd-bad", CARD))
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Unknown { .. }), "{e:?}");
    assert!(
        e.to_string().contains("look it up by its external_id"),
        "{e}"
    );
    assert_eq!(sim.cashouts().len(), 1);
}

#[tokio::test]
async fn a_refused_connection_is_not_sent_and_safe_to_retry() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let creds = Credentials::new("l", "p", "s").unwrap();
    let c = Client::new(&format!("http://127.0.0.1:{port}"), creds).unwrap();
    let e = c.create_cashout(&cashout("wd-x", CLABE)).await.unwrap_err();
    assert!(matches!(e, Error::NotSent { .. }), "{e:?}");
    assert!(e.is_retryable_without_risk() && !e.may_have_taken_effect());
}

#[tokio::test]
async fn a_429_is_rate_limited_and_nothing_was_done() {
    let sim = sim().await;
    let c = client(&sim);
    sim.set_faults(Faults {
        rate_limit_next: Some(RetryAfterForm::Seconds(7)),
        ..Faults::default()
    });
    let e = c
        .create_cashout(&cashout("wd-429", CLABE))
        .await
        .unwrap_err();
    assert_eq!(
        e,
        Error::RateLimited {
            retry_after: Some(Duration::from_secs(7))
        }
    );
    assert!(sim.cashouts().is_empty());
}
