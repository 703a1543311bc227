//! Injected faults on the Paykassma simulator: slow answers, server errors,
//! rate limiting, and the money-critical ones where a request is committed
//! but its answer is lost, late or broken.

mod paykassma_support;

use cashdesk_sim::{Faults, RetryAfterForm};
use paykassma_support::{Api, fast, paytm_withdrawal, signed, sim};
use serde_json::json;
use std::time::{Duration, Instant};

/// One module, so `cargo test -p cashdesk-sim paykassma` selects these.
mod paykassma {
    use super::*;

    #[tokio::test]
    async fn latency_delays_every_answer() {
        let sim = sim(fast()).await;
        sim.set_faults(Faults {
            latency: Some(Duration::from_millis(300)),
            ..Faults::default()
        });
        let started = Instant::now();
        assert_eq!(
            Api::new(&sim).get("/wallet-type/images/", &[]).await.status,
            200
        );
        assert!(started.elapsed() >= Duration::from_millis(300));
    }

    #[tokio::test]
    async fn injected_500s_hit_before_anything_is_committed() {
        let sim = sim(fast()).await;
        let api = Api::new(&sim);
        sim.set_faults(Faults {
            fail_with_500: 2,
            ..Faults::default()
        });
        for _ in 0..2 {
            assert_eq!(api.withdraw(paytm_withdrawal("f-1", 100)).await.status, 500);
        }
        assert!(sim.withdrawals().is_empty());
        assert_eq!(api.withdraw(paytm_withdrawal("f-1", 100)).await.status, 200);
    }

    #[tokio::test]
    async fn an_injected_429_carries_retry_after_and_fires_once() {
        let sim = sim(fast()).await;
        let api = Api::new(&sim);
        sim.set_faults(Faults {
            rate_limit_next: Some(RetryAfterForm::Seconds(7)),
            ..Faults::default()
        });
        let r = api
            .http
            .get(format!(
                "{}/wallet-type/images/?secret={}",
                api.base,
                sim.secret()
            ))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 429);
        assert_eq!(r.headers()["retry-after"], "7");
        assert_eq!(api.get("/wallet-type/images/", &[]).await.status, 200);
    }

    #[tokio::test]
    async fn drop_after_commit_commits_then_closes_without_an_answer() {
        let sim = sim(fast()).await;
        let api = Api::new(&sim);
        sim.set_faults(Faults {
            drop_after_commit: 1,
            ..Faults::default()
        });
        let err = api
            .http
            .post(format!("{}/v2/withdrawal/create", api.base))
            .header("Content-Type", "application/json")
            .body(signed(sim.private_key(), paytm_withdrawal("d-1", 100)).to_string())
            .send()
            .await
            .expect_err("no answer at all");
        assert!(!err.is_connect(), "the request did arrive: {err}");
        assert_eq!(sim.withdrawals().len(), 1, "committed");
        let again = api.withdraw(paytm_withdrawal("d-1", 100)).await;
        assert_eq!(
            again.json["message"]["withdrawal_id"][0],
            "The withdrawal id has already been taken."
        );
    }

    #[tokio::test]
    async fn hang_after_commit_commits_then_answers_too_late() {
        let sim = sim(fast()).await;
        let api = Api::new(&sim);
        sim.set_faults(Faults {
            hang_after_commit: Some(Duration::from_secs(5)),
            ..Faults::default()
        });
        // a refusal commits nothing and is not delayed
        assert_eq!(api.activate("bkash", "T1", "h-0", None).await.status, 400);
        let err = api
            .http
            .post(format!(
                "{}/api/v1/transaction/activate?secret={}",
                api.base,
                sim.secret()
            ))
            .header("Content-Type", "application/json")
            .timeout(Duration::from_millis(300))
            .body(
                json!({"currency_code": "BDT", "wallet_type": "bkash", "label": "55",
                "key1": "TRX00001", "custom_transaction_id": "h-1"})
                .to_string(),
            )
            .send()
            .await
            .expect_err("times out");
        assert!(err.is_timeout());
        assert_eq!(sim.payments().len(), 1, "committed before hanging");
    }

    #[tokio::test]
    async fn malformed_next_breaks_the_body_of_a_successful_answer_only() {
        let sim = sim(fast()).await;
        let api = Api::new(&sim);
        sim.set_faults(Faults {
            malformed_next: 1,
            ..Faults::default()
        });
        assert_eq!(api.activate("bkash", "T1", "m-0", None).await.status, 400);
        let a = api.activate("bkash", "TRX00002", "m-1", None).await;
        assert_eq!(a.status, 200);
        assert!(
            serde_json::from_str::<serde_json::Value>(&a.text).is_err(),
            "{}",
            a.text
        );
        assert_eq!(sim.payments().len(), 1, "committed");
        assert_eq!(
            api.activate("bkash", "TRX00003", "m-2", None).await.json["status"],
            "ok"
        );
    }
}
