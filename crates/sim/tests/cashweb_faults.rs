//! Faults injected into the CashWeb simulator through the shared
//! [`Faults`] type, seen over real HTTP.

mod cashweb_support;

/// Named so that `cargo test -p cashdesk-sim cashweb` selects these tests.
mod cashweb {
    use super::cashweb_support::{Api, error, fast, sim};
    use cashdesk_sim::{Faults, RetryAfterForm};
    use serde_json::json;
    use std::time::{Duration, Instant};

    #[tokio::test]
    async fn injected_500s_hit_before_anything_is_committed() {
        let sim = sim(fast()).await;
        let api = Api::new(&sim);
        sim.set_faults(Faults {
            fail_with_500: 2,
            ..Faults::default()
        });
        for _ in 0..2 {
            error(
                &api.create("order-1", "100.00").await,
                500,
                "INTERNAL_ERROR",
            );
        }
        assert!(sim.transactions().is_empty());
        assert_eq!(api.create("order-1", "100.00").await.status, 201);
        assert_eq!(sim.request_count(), 3);
    }

    #[tokio::test]
    async fn an_injected_429_carries_retry_after_once() {
        let sim = sim(fast()).await;
        let api = Api::new(&sim);
        sim.set_faults(Faults {
            rate_limit_next: Some(RetryAfterForm::Seconds(7)),
            ..Faults::default()
        });
        let a = api.get("/transactions").await;
        error(&a, 429, "RATE_LIMITED");
        assert_eq!(a.headers["retry-after"], "7");
        assert_eq!(api.get("/transactions").await.status, 200);
    }

    #[tokio::test]
    async fn drop_after_commit_creates_then_closes_without_an_answer() {
        let sim = sim(fast()).await;
        let api = Api::new(&sim);
        sim.set_faults(Faults {
            drop_after_commit: 1,
            ..Faults::default()
        });
        let err = api
            .http
            .post(format!("{}/transactions", api.base))
            .bearer_auth(&api.key)
            .header("Content-Type", "application/json")
            .body(
                json!({"merchant_reference": "order-1", "fiat_amount": "100.00",
                       "crypto_currency": "usdt", "network": "trc20"})
                .to_string(),
            )
            .send()
            .await
            .expect_err("no response at all");
        assert!(!err.is_connect(), "the request did arrive: {err}");
        assert_eq!(sim.transactions().len(), 1, "committed");
        let found = api.get("/transactions/reference/order-1").await;
        assert_eq!(found.status, 200, "recoverable by reference");
    }

    #[tokio::test]
    async fn a_dropped_cancel_was_applied_and_its_key_replays_the_answer() {
        let sim = sim(fast()).await;
        let api = Api::new(&sim);
        let id = api.created_id("order-1").await;
        sim.set_faults(Faults {
            drop_after_commit: 1,
            ..Faults::default()
        });
        let err = api
            .http
            .post(format!("{}/transactions/{id}/cancel", api.base))
            .bearer_auth(&api.key)
            .header("Idempotency-Key", "cancel:order-1")
            .send()
            .await
            .expect_err("no response at all");
        assert!(!err.is_connect());
        let retry = api.cancel(&id, Some("cancel:order-1")).await;
        assert_eq!(retry.status, 200, "{}", retry.text);
        assert_eq!(retry.json["data"]["status"], "cancelled");
    }

    #[tokio::test]
    async fn hang_after_commit_creates_then_answers_too_late() {
        let sim = sim(fast()).await;
        let api = Api::new(&sim);
        sim.set_faults(Faults {
            hang_after_commit: Some(Duration::from_secs(5)),
            ..Faults::default()
        });
        // a refusal is not delayed: only a committed POST hangs
        let refused = api
            .post("/transactions", json!({"merchant_reference": "r"}))
            .await;
        assert_eq!(refused.status, 400);
        let err = api
            .http
            .post(format!("{}/transactions", api.base))
            .bearer_auth(&api.key)
            .header("Content-Type", "application/json")
            .timeout(Duration::from_millis(300))
            .body(
                json!({"merchant_reference": "order-1", "fiat_amount": "100.00",
                       "crypto_currency": "usdt", "network": "trc20"})
                .to_string(),
            )
            .send()
            .await
            .expect_err("times out");
        assert!(err.is_timeout());
        assert_eq!(sim.transactions().len(), 1, "committed before hanging");
    }

    #[tokio::test]
    async fn malformed_next_breaks_only_a_successful_body() {
        let sim = sim(fast()).await;
        let api = Api::new(&sim);
        sim.set_faults(Faults {
            malformed_next: 1,
            ..Faults::default()
        });
        error(&api.get("/transactions/nope").await, 404, "NOT_FOUND");
        let a = api.create("order-1", "100.00").await;
        assert_eq!(a.status, 201);
        assert!(
            serde_json::from_str::<serde_json::Value>(&a.text).is_err(),
            "{}",
            a.text
        );
        assert_eq!(sim.transactions().len(), 1, "committed");
        assert_eq!(api.create("order-2", "100.00").await.status, 201);
    }

    #[tokio::test]
    async fn latency_delays_every_answer_and_faults_are_inspectable() {
        let sim = sim(fast()).await;
        let faults = Faults {
            latency: Some(Duration::from_millis(300)),
            ..Faults::default()
        };
        sim.set_faults(faults.clone());
        assert_eq!(sim.faults(), faults);
        let started = Instant::now();
        assert_eq!(Api::new(&sim).get("/transactions").await.status, 200);
        assert!(started.elapsed() >= Duration::from_millis(300));
    }

    #[tokio::test]
    async fn after_shutdown_nothing_listens() {
        let sim = sim(fast()).await;
        let base = sim.base_url();
        sim.shutdown().await;
        let err = reqwest::get(format!("{base}/transactions"))
            .await
            .unwrap_err();
        assert!(err.is_connect(), "{err}");
    }
}
