//! The client's deposit side against the simulator over real HTTP on
//! 127.0.0.1: every endpoint, every documented outcome typed, and every
//! rule checked before anything is sent.

use cashdesk_paykassma::{
    ActivateRequest, ActivationOutcome, BkashApiPaymentRequest, Client, CreatePaymentRequest,
    CreateTransactionRequest, DepositInfoQuery, Error, HashUrlRequest, NagadApiPaymentRequest,
    OrderedUrl, PaymentSystemsQuery, PossibleTransactionOutcome, PossibleTransactionRequest,
    ProviderMessage, Screenshot, ValidationError,
};
use cashdesk_sim::paykassma::{PaykassmaSim, PaykassmaSimConfig, RunningPaykassma};
use rust_decimal::Decimal;
use std::str::FromStr;
use std::time::Duration;

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

async fn sim() -> RunningPaykassma {
    PaykassmaSim::start(PaykassmaSimConfig {
        settle_after: Duration::from_millis(100),
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

fn activation(wallet: &str, key1: &str, custom: &str, amount: Option<&str>) -> ActivateRequest {
    ActivateRequest {
        currency_code: if wallet == "bkash" { "BDT" } else { "INR" }.into(),
        wallet_type: wallet.into(),
        label: "55".into(),
        key1: key1.into(),
        amount: amount.map(d),
        custom_transaction_id: custom.into(),
    }
}

fn manual(key1: &str, custom: &str, screenshot: Option<Screenshot>) -> PossibleTransactionRequest {
    PossibleTransactionRequest {
        currency_code: "INR".into(),
        wallet_type: "imps".into(),
        label: "55".into(),
        key1: key1.into(),
        amount: d("500.50"),
        screenshot,
        custom_id: custom.into(),
    }
}

fn png() -> Screenshot {
    Screenshot {
        file_name: "receipt.png".into(),
        content_type: "image/png".into(),
        bytes: b"\x89PNG\r\n\x1a\n-pixels-".to_vec(),
    }
}

#[tokio::test]
async fn payment_systems_media_hints_and_wallet_identifiers_are_read() {
    let sim = sim().await;
    let c = client(&sim);
    let ps = c
        .payment_systems(&PaymentSystemsQuery {
            currency_codes: vec!["USD".into(), "INR".into()],
            label: "55".into(),
        })
        .await
        .unwrap();
    assert_eq!(ps.currency_data.len(), 2);
    let imps = ps.wallets.iter().find(|w| w.wallet_type == "imps").unwrap();
    assert!(imps.is_manual && imps.uploading_payment_bill);
    let hints = c.media_hints().await.unwrap();
    assert_eq!(hints["paytm"].id, 500);
    let created = c
        .create_transaction(
            "paytm",
            &CreateTransactionRequest {
                currency: "INR".into(),
                label: "eligendi".into(),
            },
        )
        .await
        .unwrap();
    assert_eq!(created.identifier, "6234234234");
}

#[tokio::test]
async fn every_activation_outcome_is_typed_and_none_is_a_failure() {
    let sim = sim().await;
    let c = client(&sim);
    let ok = c
        .activate(&activation("bkash", "TRX12345", "a-1", None))
        .await;
    assert_eq!(ok, Ok(ActivationOutcome::Activated));
    let suspect = c
        .activate(&activation("bkash", "SUSPECT1", "a-2", None))
        .await
        .unwrap();
    assert!(
        matches!(&suspect, ActivationOutcome::CheckStarted { message } if message.contains("may take longer")),
        "{suspect:?}"
    );
    let nf = c
        .activate(&activation("bkash", "NOTFOUND", "a-3", None))
        .await
        .unwrap();
    assert_eq!(
        nf,
        ActivationOutcome::PossibleTransactionCreated {
            message: "Transaction not found. Possible transaction created".into()
        }
    );
    let amount = c
        .activate(&activation(
            "phone_pe",
            "123456789012",
            "a-4",
            Some("250.75"),
        ))
        .await;
    assert_eq!(amount, Ok(ActivationOutcome::Activated));
    assert_eq!(
        sim.payments()[3].amount,
        d("250.75"),
        "the exact digits arrived"
    );
}

#[tokio::test]
async fn refusals_keep_paykassmas_per_field_messages() {
    let sim = sim().await;
    let c = client(&sim);
    let e = c
        .activate(&activation("bkash", "T1", "r-1", None))
        .await
        .unwrap_err();
    assert_eq!(
        e.provider_message(),
        Some(&ProviderMessage::Fields(vec![(
            "key1".into(),
            vec!["Transaction field has wrong length".into()]
        )]))
    );
    assert!(!e.may_have_taken_effect());
    c.activate(&activation("bkash", "TRX11111", "r-2", None))
        .await
        .unwrap();
    let dup = c
        .activate(&activation("bkash", "TRX22222", "r-2", None))
        .await
        .unwrap_err();
    assert!(
        matches!(&dup, Error::AlreadyUsed { field, .. } if field == "custom_transaction_id"),
        "{dup:?}"
    );
    assert!(
        dup.may_have_taken_effect(),
        "the first one with this id arrived"
    );
    let e = c
        .create_transaction(
            "paypal",
            &CreateTransactionRequest {
                currency: "INR".into(),
                label: "x".into(),
            },
        )
        .await
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "Paykassma refused the request: Payment system paypal is not available"
    );
}

#[tokio::test]
async fn a_manual_deposit_goes_as_multipart_with_its_screenshot() {
    let sim = sim().await;
    let c = client(&sim);
    let out = c
        .possible_transaction(&manual("123456789012", "m-1", Some(png())))
        .await;
    assert_eq!(out, Ok(PossibleTransactionOutcome::Accepted));
    let p = &sim.payments()[0];
    assert_eq!(p.screenshot.as_ref().unwrap().bytes, png().bytes);
    assert_eq!(p.amount.to_string(), "500.50");
    let nf = c
        .possible_transaction(&manual("NOTFOUND1234", "m-2", None))
        .await
        .unwrap();
    assert!(matches!(
        nf,
        PossibleTransactionOutcome::PossibleTransactionCreated { .. }
    ));
}

#[tokio::test]
async fn payment_pages_are_created_and_return_where_to_send_the_user() {
    let sim = sim().await;
    let c = client(&sim);
    c.create_payment(
        "local_bank",
        &CreatePaymentRequest {
            language: "en".into(),
            currency: "USD".into(),
            bank: "MBB".into(),
            amount: d("1000.00"),
            label: "55".into(),
            redirect_url: "https://google.com".into(),
            custom_transaction_id: "pp-1".into(),
        },
    )
    .await
    .unwrap();
    let bkash = c
        .create_bkash_api_payment(&BkashApiPaymentRequest {
            amount: d("1.00"),
            account_number: "01770618575".into(),
            currency: "BDT".into(),
            label: "test".into(),
            custom_transaction_id: "pp-2".into(),
            success_url: "https://s.test/ok".into(),
            failure_url: "https://s.test/fail".into(),
            cancel_url: "https://s.test/cancel".into(),
        })
        .await
        .unwrap();
    assert!(bkash.bkash_url.starts_with("https://") && !bkash.order_id.is_empty());
    let nagad = c
        .create_nagad_api_payment(&NagadApiPaymentRequest {
            custom_transaction_id: "pp-3".into(),
            amount: d("100.00"),
            currency: "BDT".into(),
            label: "test_user".into(),
            success_url: "https://success_url.com".into(),
            fail_url: "https://fail_url.com".into(),
            cancel_url: "https://cancel_url.com".into(),
        })
        .await
        .unwrap();
    assert!(nagad.starts_with("https://"));
    assert_eq!(sim.payments().len(), 3);
}

#[tokio::test]
async fn savings_and_url_hashes_are_read() {
    let sim = sim().await;
    let c = client(&sim);
    let info = c
        .deposit_info(&DepositInfoQuery {
            label: "55".into(),
            wallet_type: "paytm".into(),
            currency: "INR".into(),
            code: None,
        })
        .await
        .unwrap();
    assert_eq!(
        (info.stockpiling_sum, info.lacks_sum, info.minimum_deposit),
        (d("0"), d("148"), d("148"))
    );
    let url = |order, url: &str| OrderedUrl {
        order,
        url: url.into(),
    };
    let hashed = c
        .hash_urls(&HashUrlRequest {
            success_urls: vec![url(2, "https://t.test/s2"), url(1, "https://t.test/s1")],
            fail_urls: vec![],
            pending_urls: vec![url(3, "https://t.test/p")],
        })
        .await
        .unwrap();
    assert_eq!(
        hashed
            .success_url
            .iter()
            .map(|u| u.order)
            .collect::<Vec<_>>(),
        [1, 2]
    );
    assert!(hashed.fail_url.is_empty());
    assert_eq!(hashed.pending_url[0].order, 1);
}

/// The field a local refusal names.
fn field<T: std::fmt::Debug>(r: Result<T, Error>) -> String {
    match r {
        Err(Error::Invalid(v)) => v.field().unwrap_or("-").to_owned(),
        other => panic!("expected a local refusal, got {other:?}"),
    }
}

#[tokio::test]
async fn every_rule_is_checked_before_anything_is_sent() {
    let sim = sim().await;
    let c = client(&sim);
    assert_eq!(
        field(
            c.activate(&activation("phone_pe", "123456789012", "v", None))
                .await
        ),
        "amount"
    );
    assert_eq!(
        field(
            c.activate(&activation("bkash", " TRX12345", "v", None))
                .await
        ),
        "key1"
    );
    assert_eq!(
        field(
            c.activate(&activation("bkash", "TRX", &"x".repeat(65), None))
                .await
        ),
        "custom_transaction_id"
    );
    assert_eq!(
        field(
            c.activate(&activation("bkash", "TRX", "v", Some("0")))
                .await
        ),
        "amount"
    );
    let mut big = png();
    big.bytes = vec![0; 11 * 1024 * 1024];
    assert_eq!(
        field(c.possible_transaction(&manual("k", "v", Some(big))).await),
        "screenshot"
    );
    let mut pdf = png();
    pdf.content_type = "application/zip".into();
    assert_eq!(
        field(c.possible_transaction(&manual("k", "v", Some(pdf))).await),
        "screenshot"
    );
    let bkash = BkashApiPaymentRequest {
        amount: d("1"),
        account_number: "1770618575".into(),
        currency: "BDT".into(),
        label: "l".into(),
        custom_transaction_id: "c".into(),
        success_url: "https://a.b".into(),
        failure_url: "https://a.b".into(),
        cancel_url: "https://a.b".into(),
    };
    assert_eq!(
        field(c.create_bkash_api_payment(&bkash).await),
        "account_number"
    );
    let q = PaymentSystemsQuery {
        currency_codes: vec!["rupee".into()],
        label: "55".into(),
    };
    assert_eq!(field(c.payment_systems(&q).await), "currency_code");
    let none = HashUrlRequest::default();
    assert!(matches!(
        c.hash_urls(&none).await,
        Err(Error::Invalid(ValidationError::Empty { .. }))
    ));
    assert_eq!(sim.request_count(), 0);
}

#[tokio::test]
async fn a_wrong_secret_is_an_auth_error_that_names_the_fix() {
    let sim = sim().await;
    let c = Client::new(&sim.base_url(), "wrong".into(), "k".into()).unwrap();
    let e = c.media_hints().await.unwrap_err();
    assert!(matches!(e, Error::Auth { status: 404, .. }), "{e:?}");
    assert!(e.to_string().contains("PLUGINAPI secret"));
    let e = c.balances().await.unwrap_err();
    assert_eq!(
        e,
        Error::Auth {
            status: 400,
            message: "Wrong secret".into()
        }
    );
    assert!(!e.may_have_taken_effect());
}
