//! The Paykassma simulator's HTTP surface: the secret on every endpoint,
//! the deposit endpoints with activation, and refusals in Paykassma's own
//! shape.

mod paykassma_support;

use paykassma_support::{Api, fail, fast, field_errors, sim};
use serde_json::json;

/// One module, so `cargo test -p cashdesk-sim paykassma` selects these.
mod paykassma {
    use super::*;

    const GETS: [&str; 6] = [
        "/api/v1/payment-systems/available",
        "/wallet-type/images/",
        "/api/v1/deposit-info",
        "/api/v1/postback",
        "/api/v1/pullpostbacks",
        "/api/v1/accounts-balance",
    ];

    const POSTS: [&str; 5] = [
        "/api/v1/transaction/create/paytm",
        "/api/v1/transaction/activate",
        "/api/v1/possible-transaction",
        "/api/v1/payment/create/local_bank",
        "/payment-plugin/hash-url",
    ];

    #[tokio::test]
    async fn without_the_right_secret_every_endpoint_but_the_withdrawal_is_404() {
        let sim = sim(fast()).await;
        for secret in [None, Some("wrong".to_owned())] {
            let mut api = Api::new(&sim);
            api.secret = secret.clone();
            for path in GETS {
                let a = api.get(path, &[]).await;
                if path.ends_with("accounts-balance") && secret.is_some() {
                    continue;
                }
                assert_eq!(a.status, 404, "{path}: {}", a.text);
            }
            for path in POSTS {
                assert_eq!(api.post(path, json!({})).await.status, 404, "{path}");
            }
        }
        assert!(sim.payments().is_empty());
    }

    #[tokio::test]
    async fn a_wrong_secret_on_accounts_balance_gets_the_documented_body() {
        let sim = sim(fast()).await;
        let mut api = Api::new(&sim);
        api.secret = Some("wrong".into());
        let a = api.get("/api/v1/accounts-balance", &[]).await;
        assert_eq!(
            a.json,
            json!({"status": "error", "code": 30228,
                "errors": {"target": "secret", "code": 36205, "message": "Wrong secret"},
                "error_message": "Data validation error"})
        );
    }

    #[tokio::test]
    async fn available_payment_systems_are_filtered_by_currency() {
        let sim = sim(fast()).await;
        let api = Api::new(&sim);
        let path = "/api/v1/payment-systems/available";
        let a = api
            .get(path, &[("currency_code[]", "INR"), ("label", "55")])
            .await;
        assert_eq!(a.json["status"], "ok", "{}", a.text);
        let wallets = a.json["params"]["wallets"].as_array().unwrap();
        assert!(wallets.iter().all(|w| w["currency_code"] == "INR"));
        let manual = wallets.iter().find(|w| w["type"] == "imps").unwrap();
        assert_eq!(
            (
                manual["is_manual"].clone(),
                manual["uploading_payment_bill"].clone()
            ),
            (json!(true), json!(true))
        );
        assert_eq!(
            a.json["params"]["currency_data"],
            json!([{"code": "INR", "symbol": "INR"}])
        );
        let two = api
            .get(
                path,
                &[
                    ("currency_code[]", "USD"),
                    ("currency_code[]", "BDT"),
                    ("label", "55"),
                ],
            )
            .await;
        assert_eq!(
            two.json["params"]["currency_data"]
                .as_array()
                .unwrap()
                .len(),
            2
        );
        let bad = api.get(path, &[("currency_code", "INR")]).await;
        assert_eq!(
            field_errors(&bad, "currency_code"),
            ["The currency code must be an array."]
        );
        assert_eq!(
            field_errors(&bad, "label"),
            ["The label field is required."]
        );
    }

    #[tokio::test]
    async fn media_hints_are_listed_by_wallet_type() {
        let sim = sim(fast()).await;
        let a = Api::new(&sim).get("/wallet-type/images/", &[]).await;
        assert_eq!(
            (a.json["status"].clone(), a.json["code"].clone()),
            (json!("success"), json!(20000))
        );
        assert_eq!(a.json["data"]["paytm"]["id"], 500);
        assert!(
            a.json["data"]["upi"]["url"]
                .as_str()
                .unwrap()
                .ends_with("upi_in.mp4")
        );
    }

    #[tokio::test]
    async fn creating_a_transaction_names_the_wallet_to_pay_to() {
        let sim = sim(fast()).await;
        let api = Api::new(&sim);
        let a = api
            .post(
                "/api/v1/transaction/create/paytm",
                json!({"currency": "INR", "label": "eligendi"}),
            )
            .await;
        assert_eq!(
            a.json,
            json!({"status": "ok", "params": {"identifier": "6234234234"}})
        );
        let wrong = api
            .post(
                "/api/v1/transaction/create/paytm",
                json!({"currency": "BDT", "label": "x"}),
            )
            .await;
        assert_eq!(
            field_errors(&wrong, "currency"),
            ["The selected currency is invalid."]
        );
        let unknown = api
            .post(
                "/api/v1/transaction/create/paypal",
                json!({"currency": "INR", "label": "x"}),
            )
            .await;
        assert_eq!(
            fail(&unknown, 400),
            "Payment system paypal is not available"
        );
    }

    #[tokio::test]
    async fn activation_answers_follow_the_document() {
        let sim = sim(fast()).await;
        let api = Api::new(&sim);
        assert_eq!(
            api.activate("bkash", "TRX12345", "c1", None).await.json,
            json!({"status": "ok"})
        );
        let suspect = api.activate("bkash", "SUSPECT1", "c2", None).await;
        let msg = fail(&suspect, 400);
        assert!(
            msg.as_str()
                .unwrap()
                .starts_with("Check of deposit status started"),
            "{msg}"
        );
        let nf = api.activate("bkash", "NOTFOUND", "c3", None).await;
        assert_eq!(
            nf.json,
            json!({"status": "possible_transaction_created", "message": "Transaction not found. Possible transaction created"})
        );
        assert_eq!(
            sim.payments().len(),
            3,
            "all three are pending at Paykassma"
        );

        let short = api.activate("bkash", "T1", "c4", None).await;
        assert_eq!(
            field_errors(&short, "key1"),
            ["Transaction field has wrong length"]
        );
        let again = api.activate("bkash", "TRX99999", "c1", None).await;
        assert_eq!(
            field_errors(&again, "custom_transaction_id"),
            ["The custom transaction id has already been taken."]
        );
        let reused = api.activate("bkash", "TRX12345", "c5", None).await;
        assert_eq!(
            field_errors(&reused, "key1"),
            ["Transaction already activated"]
        );
        let no_amount = api.activate("phone_pe", "123456789012", "c6", None).await;
        assert_eq!(
            field_errors(&no_amount, "amount"),
            ["The amount field is required."]
        );
        let manual = api
            .activate("imps", "123456789012", "c7", Some(json!(500)))
            .await;
        assert!(field_errors(&manual, "wallet_type")[0].contains("does not take activation"));
        let empty = api
            .post("/api/v1/transaction/activate", json!({"label": " 55"}))
            .await;
        let message = fail(&empty, 400);
        for field in [
            "currency_code",
            "wallet_type",
            "key1",
            "custom_transaction_id",
            "label",
        ] {
            assert!(message[field].is_array(), "{field} missing from {message}");
        }
        assert_eq!(
            message["label"][0],
            "The label must not start or end with spaces."
        );
        assert_eq!(sim.payments().len(), 3, "no refusal committed anything");
    }

    #[tokio::test]
    async fn unknown_paths_and_methods_are_404() {
        let sim = sim(fast()).await;
        let api = Api::new(&sim);
        assert_eq!(api.get("/api/v1/admin", &[]).await.status, 404);
        assert_eq!(
            api.get("/api/v1/transaction/activate", &[]).await.status,
            404
        );
    }
}
