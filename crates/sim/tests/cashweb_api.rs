//! The CashWeb simulator's create and lookup endpoints over real HTTP:
//! auth, the documented shapes, both pricing modes and every refusal.

mod cashweb_support;

/// Named so that `cargo test -p cashdesk-sim cashweb` selects these tests.
mod cashweb {
    use super::cashweb_support::{Api, CREATE_FIELDS, TSQ_FIELDS, answer, error, fast, sim};
    use cashdesk_cashweb::AuthScheme;
    use cashdesk_sim::cashweb::CashWebSimConfig;
    use chrono::{DateTime, Utc};
    use rust_decimal::Decimal;
    use serde_json::json;
    use std::str::FromStr;
    use std::time::Duration;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn time(v: &serde_json::Value) -> DateTime<Utc> {
        v.as_str().unwrap().parse().unwrap()
    }

    #[tokio::test]
    async fn every_endpoint_requires_the_partner_key() {
        let sim = sim(fast()).await;
        let good = Api::new(&sim);
        let id = good.created_id("order-auth").await;
        let mut api = Api::new(&sim);
        api.key = "wrong".into();
        for path in [
            "/transactions".to_owned(),
            format!("/transactions/{id}"),
            "/transactions/reference/order-auth".to_owned(),
        ] {
            let msg = error(&api.get(&path).await, 401, "UNAUTHORIZED");
            assert_eq!(msg, "Missing or invalid API key");
        }
        error(&api.create("order-2", "100.00").await, 401, "UNAUTHORIZED");
        error(&api.cancel(&id, Some("k")).await, 401, "UNAUTHORIZED");
        let none = good
            .http
            .get(format!("{}/transactions", good.base))
            .send()
            .await
            .unwrap();
        error(&answer(none).await, 401, "UNAUTHORIZED");
        assert_eq!(sim.transactions().len(), 1);
        assert_eq!(sim.transactions()[0].status.as_str(), "awaiting_deposit");
    }

    #[tokio::test]
    async fn a_named_key_header_is_accepted_when_configured_and_bearer_is_not() {
        let sim = sim(CashWebSimConfig {
            auth: AuthScheme::Header {
                name: "X-API-Key".into(),
            },
            ..fast()
        })
        .await;
        let api = Api::new(&sim);
        error(&api.get("/transactions").await, 401, "UNAUTHORIZED");
        let r = api
            .http
            .get(format!("{}/transactions", api.base))
            .header("X-API-Key", sim.api_key())
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
    }

    #[tokio::test]
    async fn a_direct_create_answers_exactly_the_documents_twelve_fields() {
        let sim = sim(fast()).await;
        let a = Api::new(&sim).create("order-4551", "161500.00").await;
        assert_eq!(a.status, 201, "{}", a.text);
        assert_eq!(a.json["success"], true);
        let data = a.data().as_object().unwrap();
        let mut keys: Vec<_> = data.keys().map(String::as_str).collect();
        keys.sort_unstable();
        let mut want = CREATE_FIELDS.to_vec();
        want.sort_unstable();
        assert_eq!(keys, want);
        assert_eq!(data["status"], "awaiting_deposit");
        // decimals are strings; crypto_amount is derived from the rate
        assert_eq!(data["rate"], "1615.00");
        assert_eq!(data["amount"], "161500.00");
        assert_eq!(data["crypto_amount"], "100.00");
        assert_eq!(
            (&data["crypto_currency"], &data["network"]),
            (&json!("usdt"), &json!("trc20"))
        );
        assert_eq!(
            (&data["merchant_id"], &data["terminal_id"]),
            (&json!("mrc_001"), &json!("term_01"))
        );
        let address = data["deposit_address"].as_str().unwrap();
        assert!(address.starts_with('T') && address.len() == 34, "{address}");
        let t = &sim.transactions()[0];
        assert_eq!(
            time(&data["expires_at"]) - t.created_at,
            chrono::TimeDelta::minutes(30)
        );
    }

    #[tokio::test]
    async fn direct_mode_uses_the_latest_rate_and_rounds_crypto_to_8_places() {
        let sim = sim(fast()).await;
        let api = Api::new(&sim);
        let a = api.create("r-1", "50000.00").await;
        assert_eq!(a.data()["crypto_amount"], "30.95975233");
        sim.set_rate("usdt", "trc20", d("1600.00")).unwrap();
        let b = api.create("r-2", "1600.00").await;
        assert_eq!(
            (&b.data()["rate"], &b.data()["crypto_amount"]),
            (&json!("1600.00"), &json!("1.00"))
        );
    }

    #[tokio::test]
    async fn quote_mode_takes_the_quotes_rate_and_amounts_until_it_expires() {
        let sim = sim(CashWebSimConfig {
            quote_validity: Duration::from_millis(400),
            ..fast()
        })
        .await;
        let api = Api::new(&sim);
        let q = sim.issue_quote(d("161500.00"), "usdt", "trc20").unwrap();
        sim.set_rate("usdt", "trc20", d("2000.00")).unwrap();
        let a = api
            .post(
                "/transactions",
                json!({"merchant_reference": "q-1", "quote_id": q.quote_id}),
            )
            .await;
        assert_eq!(a.status, 201, "{}", a.text);
        assert_eq!(a.data()["rate"], "1615.00");
        assert_eq!(a.data()["amount"], "161500.00");
        assert_eq!(a.data()["crypto_amount"], "100.00");
        tokio::time::sleep(Duration::from_millis(450)).await;
        let late = api
            .post(
                "/transactions",
                json!({"merchant_reference": "q-2", "quote_id": q.quote_id}),
            )
            .await;
        assert!(error(&late, 422, "QUOTE_EXPIRED").contains("request a new quote"));
        let unknown = api
            .post(
                "/transactions",
                json!({"merchant_reference": "q-3", "quote_id": "qt_nope"}),
            )
            .await;
        error(&unknown, 422, "QUOTE_NOT_FOUND");
        assert_eq!(sim.transactions().len(), 1);
    }

    #[tokio::test]
    async fn both_modes_neither_mode_and_half_a_direct_mode_are_refused() {
        let sim = sim(fast()).await;
        let api = Api::new(&sim);
        let q = sim.issue_quote(d("100.00"), "usdt", "trc20").unwrap();
        let both = json!({"merchant_reference": "r", "quote_id": q.quote_id,
            "fiat_amount": "100.00", "crypto_currency": "usdt", "network": "trc20"});
        let msg = error(
            &api.post("/transactions", both).await,
            400,
            "VALIDATION_ERROR",
        );
        assert!(msg.contains("not both"), "{msg}");
        let neither = json!({"merchant_reference": "r"});
        let msg = error(
            &api.post("/transactions", neither).await,
            400,
            "VALIDATION_ERROR",
        );
        assert!(
            msg.contains("quote_id (quote mode) or fiat_amount"),
            "{msg}"
        );
        let half = json!({"merchant_reference": "r", "fiat_amount": "100.00", "network": "trc20"});
        assert_eq!(
            error(
                &api.post("/transactions", half).await,
                400,
                "VALIDATION_ERROR"
            ),
            "crypto_currency is required in direct mode"
        );
        assert!(sim.transactions().is_empty());
    }

    #[tokio::test]
    async fn partners_never_send_rate_or_crypto_amount() {
        let sim = sim(fast()).await;
        let api = Api::new(&sim);
        for field in ["rate", "crypto_amount"] {
            let mut body = json!({"merchant_reference": "r", "fiat_amount": "100.00",
                "crypto_currency": "usdt", "network": "trc20"});
            body[field] = json!("1.00");
            let msg = error(
                &api.post("/transactions", body).await,
                400,
                "VALIDATION_ERROR",
            );
            assert_eq!(
                msg,
                format!("{field} is set by CashWeb; partners do not send it")
            );
        }
    }

    #[tokio::test]
    async fn create_fields_are_validated_one_by_one() {
        let sim = sim(fast()).await;
        let api = Api::new(&sim);
        let direct = |reference: &str, fiat: serde_json::Value, network: &str| {
            json!({"merchant_reference": reference, "fiat_amount": fiat,
                   "crypto_currency": "usdt", "network": network})
        };
        for (body, needle) in [
            (direct("r", json!(100), "trc20"), "decimal string"),
            (direct("r", json!("-5.00"), "trc20"), "greater than zero"),
            (direct("r", json!("10.005"), "trc20"), "decimal places"),
            (direct("r", json!("ten"), "trc20"), "not a decimal"),
            (direct("r", json!("10.00"), "solana"), "not supported"),
            (
                direct("order/1", json!("10.00"), "trc20"),
                "merchant reference",
            ),
            (
                direct(&"r".repeat(65), json!("10.00"), "trc20"),
                "merchant reference",
            ),
            (
                json!({"fiat_amount": "1.00", "crypto_currency": "usdt", "network": "trc20"}),
                "merchant_reference is required",
            ),
        ] {
            let msg = error(
                &api.post("/transactions", body.clone()).await,
                400,
                "VALIDATION_ERROR",
            );
            assert!(msg.contains(needle), "{body}: {msg}");
        }
        let not_json = api
            .http
            .post(format!("{}/transactions", api.base))
            .bearer_auth(&api.key)
            .body("{}")
            .send()
            .await
            .unwrap();
        assert!(error(&answer(not_json).await, 400, "VALIDATION_ERROR").contains("Content-Type"));
        assert!(sim.transactions().is_empty());
    }

    #[tokio::test]
    async fn a_duplicate_reference_in_any_case_is_409_and_creates_nothing() {
        let sim = sim(fast()).await;
        let api = Api::new(&sim);
        assert_eq!(api.create("Order-4551", "100.00").await.status, 201);
        for again in ["Order-4551", "order-4551", "ORDER-4551"] {
            let msg = error(
                &api.create(again, "200.00").await,
                409,
                "DUPLICATE_MERCHANT_REFERENCE",
            );
            assert!(msg.contains(again), "{msg}");
        }
        assert_eq!(sim.transactions().len(), 1);
    }

    #[tokio::test]
    async fn the_status_query_carries_every_reconciliation_field() {
        let sim = sim(fast()).await;
        let api = Api::new(&sim);
        let id = api.created_id("order-tsq").await;
        let a = api.get(&format!("/transactions/{id}")).await;
        assert_eq!(a.status, 200, "{}", a.text);
        let data = a.data();
        for field in TSQ_FIELDS.iter().chain(CREATE_FIELDS.iter()) {
            assert!(data.get(*field).is_some(), "{field} missing: {data}");
        }
        assert_eq!(data["id"], json!(id));
        assert_eq!(data["deposit_id"], json!(null));
        assert_eq!(data["deposit_status"], json!(null));
        assert_eq!(data["confirmations"], json!(0));
        assert_eq!(data["required_confirmations"], json!(19));
        assert_eq!(data["created_at"], data["updated_at"]);
        error(&api.get("/transactions/nope").await, 404, "NOT_FOUND");
    }

    #[tokio::test]
    async fn lookup_by_reference_ignores_case_and_keeps_the_original_spelling() {
        let sim = sim(fast()).await;
        let api = Api::new(&sim);
        let id = api.created_id("Order-4551").await;
        for spelled in ["Order-4551", "order-4551", "ORDER-4551"] {
            let a = api.get(&format!("/transactions/reference/{spelled}")).await;
            assert_eq!(a.status, 200, "{}", a.text);
            assert_eq!(a.data()["id"], json!(id));
            assert_eq!(a.data()["merchant_reference"], "Order-4551");
        }
        error(
            &api.get("/transactions/reference/order-9").await,
            404,
            "NOT_FOUND",
        );
    }

    #[tokio::test]
    async fn undocumented_paths_and_methods_are_404_in_the_error_shape() {
        let sim = sim(fast()).await;
        let api = Api::new(&sim);
        error(&api.get("/quotes").await, 404, "NOT_FOUND");
        error(
            &api.post("/transactions/x", json!({})).await,
            404,
            "NOT_FOUND",
        );
    }
}
