//! The Zimo-pagos simulator's HTTP surface over real HTTP: credentials, the
//! signature over exact bytes, every documented field rule answered in
//! Zimo-pagos' own error shape, the Mexico card routing, duplicates, the
//! status call, and the injectable faults.

mod zimo_pagos_support;

/// Named so `cargo test zimo` selects these tests.
mod zimo_pagos {
    use super::zimo_pagos_support::{Api, CARD, CLABE, body, error, fast, sim};
    use cashdesk_sim::{Faults, RetryAfterForm};
    use cashdesk_zimo_pagos::{CashoutId, Endpoint, Status};
    use serde_json::{Value, json};
    use std::time::Duration;

    const URL: &str = "https://desk.example/zimo";

    #[tokio::test]
    async fn a_valid_cashout_is_answered_with_its_cashout_id_and_committed_pending() {
        let sim = sim(fast()).await;
        let a = Api::new(&sim).cashout(&body(&sim, "wd-1", URL)).await;
        assert_eq!(a.status, 200, "{}", a.text);
        let id = CashoutId(a.json["cashout_id"].as_u64().expect("numeric cashout_id"));
        let c = sim.cashout(id).unwrap();
        assert_eq!(
            (c.status, c.endpoint),
            (Status::Pending, Endpoint::Standard)
        );
        assert_eq!(c.request.amount.to_string(), "1500.5");
        assert_eq!(c.request.bank_code, Some(72));
    }

    #[tokio::test]
    async fn every_endpoint_checks_login_and_pass() {
        let sim = sim(fast()).await;
        let api = Api::new(&sim);
        let mut wrong = body(&sim, "wd-1", URL);
        wrong["pass"] = json!("nope");
        let msg = error(&api.cashout(&wrong).await, 401, 401);
        assert_eq!(msg, "Invalid credentials");
        error(&api.card_cashout(&wrong).await, 401, 401);
        let status = json!({"login": "nope", "pass": sim.pass(), "external_id": "wd-1"});
        error(&api.status(&status).await, 401, 401);
        assert!(sim.cashouts().is_empty());
    }

    #[tokio::test]
    async fn the_signature_must_be_over_the_exact_bytes_received() {
        let sim = sim(fast()).await;
        let api = Api::new(&sim);
        let signed = body(&sim, "wd-1", URL).to_string();
        let sig = cashdesk_zimo_pagos::signature::sign(sim.signing_secret(), signed.as_bytes());
        // the same JSON value, re-encoded with different whitespace
        let pretty = serde_json::to_vec_pretty(&body(&sim, "wd-1", URL)).unwrap();
        let base = api.base.clone();
        let send = |bytes: Vec<u8>, s: Option<String>| {
            let base = base.clone();
            let api = &api;
            async move {
                api.raw(
                    &base,
                    "/v3/cashout",
                    bytes,
                    s.as_deref(),
                    "application/json",
                )
                .await
            }
        };
        let msg = error(&send(pretty, Some(sig.clone())).await, 401, 302);
        assert!(msg.contains("Payload-Signature"), "{msg}");
        error(
            &send(signed.clone().into_bytes(), Some(sig.to_uppercase())).await,
            401,
            302,
        );
        error(&send(signed.clone().into_bytes(), None).await, 401, 302);
        assert!(sim.cashouts().is_empty());
        assert_eq!(send(signed.into_bytes(), Some(sig)).await.status, 200);
    }

    #[tokio::test]
    async fn a_body_that_is_not_json_is_refused_as_an_invalid_body() {
        let sim = sim(fast()).await;
        let api = Api::new(&sim);
        let base = api.base.clone();
        let sig = cashdesk_zimo_pagos::signature::sign(sim.signing_secret(), b"{oops");
        let a = api
            .raw(
                &base,
                "/v3/cashout",
                b"{oops".to_vec(),
                Some(&sig),
                "application/json",
            )
            .await;
        assert!(error(&a, 400, 502).starts_with("Invalid request body"));
        let a = api
            .raw(&base, "/v3/cashout", b"{}".to_vec(), None, "text/plain")
            .await;
        assert!(error(&a, 400, 502).contains("Content-Type"));
    }

    /// (what is changed, the new value, words the refusal must contain)
    fn rule_cases() -> Vec<(&'static str, Value, &'static str)> {
        let long = |n: usize| json!("x".repeat(n));
        vec![
            ("external_id", json!(""), "external_id is required"),
            (
                "external_id",
                long(101),
                "external_id must be at most 100 characters",
            ),
            (
                "country",
                json!("MEX"),
                "country must be an ISO 3166-1 alpha-2",
            ),
            (
                "country",
                json!("mx"),
                "country must be an ISO 3166-1 alpha-2",
            ),
            ("amount", json!("1500.50"), "amount must be a number"),
            ("amount", json!(0), "amount must be greater than zero"),
            (
                "amount",
                serde_json::from_str("10.505").unwrap(),
                "more than 2 decimals",
            ),
            ("currency", json!("MXP"), "currency must be an ISO 4217"),
            ("document_id", Value::Null, "document_id is required"),
            ("document_id", long(41), "document_id must be at most 40"),
            (
                "document_type",
                long(16),
                "document_type must be at most 15",
            ),
            (
                "beneficiary_name",
                Value::Null,
                "beneficiary_name is required",
            ),
            (
                "beneficiary_name",
                long(101),
                "beneficiary_name must be at most 100",
            ),
            (
                "beneficiary_lastname",
                long(101),
                "beneficiary_lastname must be at most 100",
            ),
            (
                "email",
                json!("jose.example.com"),
                "email must be a valid email address",
            ),
            (
                "email",
                json!(format!("{}@example.com", "j".repeat(90))),
                "email must be at most 100",
            ),
            ("phone", long(21), "phone must be at most 20"),
            ("bank_code", json!("072"), "bank_code must be a number"),
            (
                "bank_account",
                json!("0".repeat(31)),
                "bank_account must be at most 30",
            ),
            ("bank_branch", long(16), "bank_branch must be at most 15"),
            (
                "account_type",
                json!("CA"),
                "account_type must be at most 1",
            ),
            ("address", long(201), "address must be at most 200"),
            ("city", long(101), "city must be at most 100"),
            ("postal_code", long(21), "postal_code must be at most 20"),
            (
                "beneficiary_birthdate",
                json!("1984-05-21"),
                "beneficiary_birthdate must be a real date written YYYYMMDD",
            ),
            ("beneficiary_birthdate", json!("19840231"), "YYYYMMDD"),
            (
                "notification_url",
                Value::Null,
                "notification_url is required",
            ),
            (
                "notification_url",
                json!("http://desk.example/zimo"),
                "over HTTPS",
            ),
            (
                "notification_url",
                json!(format!("https://desk.example/{}", "z".repeat(290))),
                "notification_url must be at most 300",
            ),
            ("notification_url", json!("not a url"), "not a valid URL"),
            ("comments", long(201), "comments must be at most 200"),
            ("on_hold", json!("false"), "on_hold must be a boolean"),
            (
                "bank_account",
                Value::Null,
                "bank_account is required for a cashout to Mexico",
            ),
            ("bank_account", json!("0321-8000-0118-3597"), "digits only"),
            ("bank_account", json!("032180000118359718"), "control digit"),
        ]
    }

    #[tokio::test]
    async fn every_documented_field_rule_is_refused_as_invalid_params_naming_the_field() {
        let sim = sim(fast()).await;
        let api = Api::new(&sim);
        for (i, (field, value, words)) in rule_cases().into_iter().enumerate() {
            let mut b = body(&sim, &format!("wd-{i}"), URL);
            if value.is_null() {
                b.as_object_mut().unwrap().remove(field);
            } else {
                b[field] = value;
            }
            let msg = error(&api.cashout(&b).await, 400, 300);
            assert!(msg.starts_with("Invalid params: "), "{field}: {msg}");
            assert!(
                msg.contains(words),
                "{field}: expected \"{words}\" in \"{msg}\""
            );
        }
        assert!(sim.cashouts().is_empty());
    }

    #[tokio::test]
    async fn a_reused_external_id_is_refused_so_nothing_is_paid_twice() {
        let sim = sim(fast()).await;
        let api = Api::new(&sim);
        assert_eq!(api.cashout(&body(&sim, "wd-dup", URL)).await.status, 200);
        let again = api.cashout(&body(&sim, "wd-dup", URL)).await;
        assert_eq!(error(&again, 400, 511), "External ID already used");
        let mut card = body(&sim, "wd-dup", URL);
        card["bank_account"] = json!(CARD);
        error(&api.card_cashout(&card).await, 400, 511);
        assert_eq!(sim.cashouts().len(), 1);
    }

    #[tokio::test]
    async fn a_debit_card_on_the_normal_endpoint_is_declined_with_the_documents_message() {
        let sim = sim(fast()).await;
        let api = Api::new(&sim);
        let mut b = body(&sim, "wd-card", URL);
        b["bank_account"] = json!(CARD);
        let msg = error(&api.cashout(&b).await, 400, 300);
        assert_eq!(msg, "Invalid bank account, it shouldn't be a credit card");
        let a = api.card_cashout(&b).await;
        assert_eq!(a.status, 200, "{}", a.text);
        assert_eq!(sim.cashouts()[0].endpoint, Endpoint::DebitCard);
    }

    #[tokio::test]
    async fn the_card_endpoint_takes_only_luhn_valid_mexican_card_numbers() {
        let sim = sim(fast()).await;
        let api = Api::new(&sim);
        let mut b = body(&sim, "wd-c1", URL);
        b["bank_account"] = json!(CLABE); // a bank account, not a card
        let msg = error(&api.card_cashout(&b).await, 400, 300);
        assert_eq!(
            msg,
            "Invalid bank_account, it should be a valid debit card number"
        );
        b["bank_account"] = json!("4111111111111112");
        assert!(error(&api.card_cashout(&b).await, 400, 300).contains("Luhn"));
        b["bank_account"] = json!(CARD);
        b["country"] = json!("BR");
        b["currency"] = json!("BRL");
        assert!(error(&api.card_cashout(&b).await, 400, 300).contains("only available in MX"));
        // outside Mexico a bank account is not checked for being a card
        assert_eq!(api.cashout(&b).await.status, 200);
    }

    #[tokio::test]
    async fn status_is_found_by_cashout_id_or_external_id_and_412_otherwise() {
        let sim = sim(fast()).await;
        let api = Api::new(&sim);
        let created = api.cashout(&body(&sim, "wd-s", URL)).await;
        let id = created.json["cashout_id"].clone();
        let creds = |extra: Value| {
            let mut b = json!({"login": sim.login(), "pass": sim.pass()});
            b.as_object_mut()
                .unwrap()
                .extend(extra.as_object().unwrap().clone());
            b
        };
        for q in [
            json!({"cashout_id": id}),
            json!({"external_id": "wd-s"}),
            json!({"cashout_id": id, "external_id": "wd-s"}),
        ] {
            let a = api.status(&creds(q)).await;
            assert_eq!(a.status, 200, "{}", a.text);
            assert_eq!(
                a.json,
                json!({"cashout_status": 0, "cashout_status_description": "Pending"})
            );
        }
        let missing = api.status(&creds(json!({"external_id": "nope"}))).await;
        assert_eq!(error(&missing, 412, 509), "Cashout not found with this ID");
        let mismatch = api
            .status(&creds(json!({"cashout_id": id, "external_id": "nope"})))
            .await;
        error(&mismatch, 412, 509);
        assert!(
            error(&api.status(&creds(json!({}))).await, 400, 300)
                .contains("cashout_id or external_id")
        );
    }

    #[tokio::test]
    async fn unknown_paths_answer_404_in_the_error_shape() {
        let sim = sim(fast()).await;
        let api = Api::new(&sim);
        let base = api.card_base.clone();
        error(
            &api.post_to(&base, "/v3/cashout/status", &json!({})).await,
            404,
            404,
        );
        let base = api.base.clone();
        error(
            &api.post_to(&base, "/v3/cashout/cancel", &json!({})).await,
            404,
            404,
        );
    }

    #[tokio::test]
    async fn injected_faults_hit_before_or_after_the_commit_as_named() {
        let sim = sim(fast()).await;
        let api = Api::new(&sim);
        sim.set_faults(Faults {
            fail_with_500: 1,
            ..Faults::default()
        });
        error(&api.cashout(&body(&sim, "wd-f1", URL)).await, 500, 500);
        assert!(
            sim.cashouts().is_empty(),
            "a 500 before commit commits nothing"
        );

        sim.set_faults(Faults {
            malformed_next: 1,
            ..Faults::default()
        });
        let a = api.cashout(&body(&sim, "wd-f2", URL)).await;
        assert_eq!((a.status, a.json.clone()), (200, Value::Null), "{}", a.text);
        assert_eq!(
            sim.cashouts().len(),
            1,
            "committed, then answered unreadably"
        );

        sim.set_faults(Faults {
            drop_after_commit: 1,
            ..Faults::default()
        });
        let bytes = body(&sim, "wd-f3", URL).to_string().into_bytes();
        let sig = cashdesk_zimo_pagos::signature::sign(sim.signing_secret(), &bytes);
        let sent = api
            .http
            .post(format!("{}/v3/cashout", api.base))
            .header("Content-Type", "application/json")
            .header("Payload-Signature", sig)
            .body(bytes)
            .send()
            .await;
        assert!(sent.is_err(), "the connection closes without an answer");
        assert_eq!(sim.cashouts().len(), 2);

        sim.set_faults(Faults {
            rate_limit_next: Some(RetryAfterForm::Seconds(7)),
            latency: Some(Duration::from_millis(50)),
            ..Faults::default()
        });
        let a = api.cashout(&body(&sim, "wd-f4", URL)).await;
        error(&a, 429, 429);
        assert_eq!(sim.cashouts().len(), 2);
        assert!(sim.request_count() >= 4);
    }
}
