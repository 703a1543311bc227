//! The client against the simulator over real HTTP on 127.0.0.1: every
//! endpoint, every documented rule and error surfacing typed.

use cashdesk_cashweb::{
    AuthScheme, Client, ClientConfig, CreateTransactionRequest, Cursor, DepositStatus, Error,
    IdempotencyKey, PricingMode, Quote, Status, ValidationError,
};
use cashdesk_sim::cashweb::{CashWebSim, CashWebSimConfig, Market, RunningCashWeb};
use chrono::Utc;
use rust_decimal::Decimal;
use std::collections::HashSet;
use std::str::FromStr;
use std::time::Duration;

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

async fn sim(config: CashWebSimConfig) -> RunningCashWeb {
    CashWebSim::start(config).await.unwrap()
}

fn fast() -> CashWebSimConfig {
    CashWebSimConfig {
        confirmation_interval: Duration::from_millis(50),
        ..CashWebSimConfig::default()
    }
}

fn client(sim: &RunningCashWeb) -> Client {
    let config = ClientConfig {
        auth: sim.auth().clone(),
        ..ClientConfig::default()
    };
    Client::new(&sim.base_url(), sim.api_key(), config).unwrap()
}

fn usdt(reference: &str, fiat: &str) -> CreateTransactionRequest {
    CreateTransactionRequest::direct(reference, d(fiat), "usdt", "trc20")
}

#[tokio::test]
async fn a_direct_create_returns_the_documented_shape_and_every_lookup_agrees() {
    let sim = sim(fast()).await;
    let c = client(&sim);
    let mut req = usdt("order-4551", "161500.00");
    req.seller_phone = Some("+2348012345678".into());
    let created = c.create_transaction(&req).await.unwrap();
    assert_eq!(created.status, Status::AwaitingDeposit);
    assert_eq!(
        (created.rate, created.amount, created.crypto_amount),
        (d("1615.00"), d("161500.00"), d("100.00"))
    );
    assert_eq!(
        (created.crypto_currency.as_str(), created.network.as_str()),
        ("usdt", "trc20")
    );
    assert_eq!(
        (created.merchant_id.as_str(), created.terminal_id.as_str()),
        ("mrc_001", "term_01")
    );
    assert!(
        !created.expiry(Utc::now()).must_refresh(),
        "30 minutes left"
    );
    assert_eq!(
        sim.transactions()[0].seller_phone.as_deref(),
        Some("+2348012345678")
    );

    let by_id = c.transaction(&created.id).await.unwrap();
    assert_eq!(by_id.merchant_reference, "order-4551");
    assert_eq!(by_id.expires_at, Some(created.expires_at));
    assert_eq!(
        by_id.deposit_address.as_deref(),
        Some(created.deposit_address.as_str())
    );
    assert_eq!(
        (by_id.deposit_id.clone(), by_id.deposit_status.clone()),
        (None, None)
    );
    assert_eq!(
        (by_id.confirmations, by_id.required_confirmations),
        (Some(0), Some(19))
    );
    let by_ref = c
        .transaction_by_reference("ORDER-4551")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(by_ref, by_id);
}

#[tokio::test]
async fn a_quote_prices_the_transaction_at_its_own_rate() {
    let sim = sim(fast()).await;
    let c = client(&sim);
    let q = sim.issue_quote(d("161500.00"), "usdt", "trc20").unwrap();
    sim.set_rate("usdt", "trc20", d("2000.00")).unwrap();
    let quote = Quote::expiring_at(q.quote_id, q.expires_at);
    assert!(!quote.expiry(Utc::now()).is_expired());
    let created = c
        .create_transaction(&CreateTransactionRequest::quoted("q-1", quote))
        .await
        .unwrap();
    assert_eq!(
        (created.rate, created.crypto_amount),
        (d("1615.00"), d("100"))
    );
}

#[tokio::test]
async fn a_quote_cashweb_no_longer_honours_keeps_its_code_and_message() {
    let sim = sim(CashWebSimConfig {
        quote_validity: Duration::from_millis(100),
        ..fast()
    })
    .await;
    let c = client(&sim);
    let q = sim.issue_quote(d("100.00"), "usdt", "trc20").unwrap();
    tokio::time::sleep(Duration::from_millis(150)).await;
    // locally it still looks valid (120 s from issue); CashWeb decides
    let quote = Quote::issued_at(q.quote_id, Utc::now());
    let e = c
        .create_transaction(&CreateTransactionRequest::quoted("q-1", quote))
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some("QUOTE_EXPIRED"));
    assert!(
        e.provider_message()
            .unwrap()
            .contains("request a new quote")
    );
    assert!(!e.may_have_taken_effect());
}

#[tokio::test]
async fn a_duplicate_reference_in_another_case_is_typed_with_cashwebs_words() {
    let sim = sim(fast()).await;
    let c = client(&sim);
    c.create_transaction(&usdt("Order-1", "100.00"))
        .await
        .unwrap();
    let e = c
        .create_transaction(&usdt("ORDER-1", "100.00"))
        .await
        .unwrap_err();
    let Error::DuplicateReference {
        merchant_reference,
        code,
        message,
    } = &e
    else {
        panic!("expected DuplicateReference, got {e:?}");
    };
    assert_eq!(merchant_reference, "ORDER-1");
    assert_eq!(code, "DUPLICATE_MERCHANT_REFERENCE");
    assert!(message.contains("ORDER-1"));
    assert!(e.is_conflict() && !e.may_have_taken_effect());
    assert_eq!(sim.transactions().len(), 1);
}

#[tokio::test]
async fn cancelling_is_idempotent_and_a_state_past_cancelling_is_not_cancellable() {
    let sim = sim(fast()).await;
    let c = client(&sim);
    let created = c
        .create_transaction(&usdt("order-1", "100.00"))
        .await
        .unwrap();
    let key = IdempotencyKey::for_cancel("order-1").unwrap();
    let first = c.cancel_transaction(&created.id, &key).await.unwrap();
    assert_eq!(first.status, Status::Cancelled);
    let again = c.cancel_transaction(&created.id, &key).await.unwrap();
    assert_eq!(again, first, "same key, same answer");

    let other = IdempotencyKey::new("another-key").unwrap();
    let e = c.cancel_transaction(&created.id, &other).await.unwrap_err();
    assert!(
        matches!(&e, Error::NotCancellable { transaction_id, code, .. }
            if transaction_id == &created.id && code == "NOT_CANCELLABLE"),
        "{e:?}"
    );
    assert!(e.to_string().contains("refresh it"));

    let paid = c
        .create_transaction(&usdt("order-2", "100.00"))
        .await
        .unwrap();
    sim.deposit_arrives(&paid.id).unwrap();
    let key = IdempotencyKey::for_cancel("order-2").unwrap();
    let e = c.cancel_transaction(&paid.id, &key).await.unwrap_err();
    assert!(matches!(e, Error::NotCancellable { .. }), "{e:?}");
    assert!(e.provider_message().unwrap().contains("deposit_detected"));
}

#[tokio::test]
async fn unknown_ids_are_not_found_and_unknown_references_are_none() {
    let sim = sim(fast()).await;
    let c = client(&sim);
    let e = c.transaction("nope").await.unwrap_err();
    assert!(
        matches!(&e, Error::NotFound { code, .. } if code == "NOT_FOUND"),
        "{e:?}"
    );
    assert_eq!(c.transaction_by_reference("order-9").await.unwrap(), None);
    let key = IdempotencyKey::new("k").unwrap();
    assert!(matches!(
        c.cancel_transaction("nope", &key).await,
        Err(Error::NotFound { .. })
    ));
}

#[tokio::test]
async fn paging_with_received_cursors_reaches_the_end_without_duplicates() {
    let sim = sim(fast()).await;
    let c = client(&sim);
    for i in 0..7 {
        c.create_transaction(&usdt(&format!("r{i}"), "100.00"))
            .await
            .unwrap();
    }
    let mut ids = Vec::new();
    let mut cursor: Option<Cursor> = None;
    let mut pages = 0;
    loop {
        let page = c.list_transactions(3, cursor.as_ref()).await.unwrap();
        ids.extend(page.transactions.iter().map(|t| t.id.clone()));
        pages += 1;
        match page.next_cursor {
            // Stored as text (as the sync cursor table does) and restored.
            Some(next) => cursor = Cursor::restore(next.as_str().to_owned()),
            None => break,
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(ids.len(), 7);
    assert_eq!(ids.iter().collect::<HashSet<_>>().len(), 7);
    let all = c.list_transactions(100, None).await.unwrap();
    assert!(all.is_last() && all.transactions.len() == 7);
    let one = c.list_transactions(1, None).await.unwrap();
    assert_eq!(one.transactions[0].merchant_reference, "r6", "newest first");
}

#[tokio::test]
async fn both_or_neither_mode_a_bad_limit_and_an_expired_quote_never_leave_the_client() {
    let sim = sim(fast()).await;
    let c = client(&sim);
    let quote = Quote::issued_at("qt_1", Utc::now());
    assert_eq!(
        PricingMode::from_parts(
            Some(quote),
            Some(d("1")),
            Some("usdt".into()),
            Some("trc20".into())
        ),
        Err(ValidationError::BothModes)
    );
    assert_eq!(
        PricingMode::from_parts(None, None, None, None),
        Err(ValidationError::NoMode)
    );
    for limit in [0, 101] {
        let e = c.list_transactions(limit, None).await.unwrap_err();
        assert_eq!(e, Error::Invalid(ValidationError::Limit { limit }));
    }
    let stale = Quote::issued_at("qt_1", Utc::now() - chrono::TimeDelta::seconds(121));
    let e = c
        .create_transaction(&CreateTransactionRequest::quoted("r", stale))
        .await
        .unwrap_err();
    assert!(
        matches!(e, Error::Invalid(ValidationError::QuoteExpired { .. })),
        "{e:?}"
    );
    for bad in [usdt("r", "0"), usdt("r", "1.001"), usdt("r/1", "1.00")] {
        assert!(matches!(
            c.create_transaction(&bad).await,
            Err(Error::Invalid(_))
        ));
    }
    assert!(matches!(
        c.transaction_by_reference("bad ref").await,
        Err(Error::Invalid(_))
    ));
    assert_eq!(sim.request_count(), 0);
}

#[tokio::test]
async fn the_partner_key_is_checked_and_a_named_header_works_when_configured() {
    let sim = sim(CashWebSimConfig {
        auth: AuthScheme::Header {
            name: "X-API-Key".into(),
        },
        ..fast()
    })
    .await;
    assert!(client(&sim).list_transactions(10, None).await.is_ok());
    let bearer = Client::new(&sim.base_url(), sim.api_key(), ClientConfig::default()).unwrap();
    let e = bearer.list_transactions(10, None).await.unwrap_err();
    assert!(
        matches!(&e, Error::Api { status: 401, code, .. } if code == "UNAUTHORIZED"),
        "{e:?}"
    );
    assert!(e.to_string().contains("Missing or invalid API key"));
}

#[tokio::test]
async fn near_expiry_means_refresh_first_and_past_the_deadline_cashweb_says_expired() {
    let sim = sim(CashWebSimConfig {
        deposit_expiry: Duration::from_millis(300),
        ..fast()
    })
    .await;
    let c = client(&sim);
    let created = c
        .create_transaction(&usdt("order-1", "100.00"))
        .await
        .unwrap();
    assert!(
        created.expiry(Utc::now()).is_near_expiry(),
        "300 ms is inside the margin"
    );
    let t = c.transaction(&created.id).await.unwrap();
    assert!(t.must_refresh_before_acting(Utc::now()));
    tokio::time::sleep(Duration::from_millis(350)).await;
    assert!(
        t.expiry(Utc::now()).is_expired(),
        "the old copy knows its deadline passed"
    );
    let fresh = c.transaction(&created.id).await.unwrap();
    assert_eq!(fresh.status, Status::Expired);
    assert!(
        !fresh.must_refresh_before_acting(Utc::now()),
        "final: nothing more to fetch"
    );
}

#[tokio::test]
async fn a_deposit_becomes_creditable_only_once_confirmed() {
    let sim = sim(CashWebSimConfig {
        confirmation_interval: Duration::from_millis(100),
        markets: vec![Market {
            crypto_currency: "usdt".into(),
            network: "trc20".into(),
            rate: d("1615.00"),
            required_confirmations: 2,
        }],
        ..CashWebSimConfig::default()
    })
    .await;
    let c = client(&sim);
    let created = c
        .create_transaction(&usdt("order-1", "1615.00"))
        .await
        .unwrap();
    sim.deposit_arrives(&created.id).unwrap();
    let mut t = c.transaction(&created.id).await.unwrap();
    assert!(t.status.is_in_flight() && !t.is_creditable());
    for _ in 0..200 {
        if t.status.is_final() {
            break;
        }
        assert!(!t.is_creditable());
        tokio::time::sleep(Duration::from_millis(20)).await;
        t = c.transaction(&created.id).await.unwrap();
    }
    assert_eq!(t.status, Status::Confirmed);
    assert_eq!(t.deposit_status, Some(DepositStatus::Confirmed));
    assert!(t.is_creditable() && t.confirmed_at.is_some() && t.received_at.is_some());
}
