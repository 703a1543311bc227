//! CashWeb transactions move over time: a deposit is detected, gathers
//! confirmations and is confirmed; an unpaid one expires at its deadline.
//! Customers and the chain are driven through the Rust API only.

mod cashweb_support;

/// Named so that `cargo test -p cashdesk-sim cashweb` selects these tests.
mod cashweb {
    use super::cashweb_support::{Api, chain, error, fast, sim, watch};
    use cashdesk_cashweb::{CreateTransactionRequest, Quote, Status};
    use cashdesk_sim::cashweb::CashWebSimConfig;
    use rust_decimal::Decimal;
    use serde_json::json;
    use std::str::FromStr;
    use std::time::Duration;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[tokio::test]
    async fn a_deposit_is_detected_then_confirming_then_confirmed() {
        let sim = sim(chain(3, Duration::from_millis(300))).await;
        let api = Api::new(&sim);
        let id = api.created_id("order-1").await;
        let landed = sim.deposit_arrives(&id).unwrap();
        assert_eq!(landed.status, Status::DepositDetected);
        assert_eq!(landed.confirmations, 0);

        let (done, seen) = watch(&api, &id, |t| t["status"] == "confirmed").await;
        let statuses: Vec<_> = seen.iter().map(|t| t["status"].as_str().unwrap()).collect();
        assert!(statuses.contains(&"confirming"), "{statuses:?}");
        let counts: Vec<_> = seen
            .iter()
            .map(|t| t["confirmations"].as_u64().unwrap())
            .collect();
        assert!(
            counts.windows(2).all(|w| w[0] <= w[1]),
            "never go back: {counts:?}"
        );
        for t in seen.iter().filter(|t| t["status"] == "confirming") {
            assert_eq!(t["deposit_status"], "confirming");
            let n = t["confirmations"].as_u64().unwrap();
            assert!((1..3).contains(&n), "{t}");
        }
        assert_eq!(done["deposit_status"], "confirmed");
        assert_eq!(
            (
                done["confirmations"].clone(),
                done["required_confirmations"].clone()
            ),
            (json!(3), json!(3))
        );
        assert!(done["deposit_id"].as_str().unwrap().starts_with("dep_"));
        assert!(done["received_at"].is_string() && done["confirmed_at"].is_string());
        assert_eq!(done["updated_at"], done["confirmed_at"]);
    }

    #[tokio::test]
    async fn an_unpaid_transaction_expires_at_its_deadline_and_is_then_past_cancelling() {
        let sim = sim(CashWebSimConfig {
            deposit_expiry: Duration::from_millis(300),
            ..fast()
        })
        .await;
        let api = Api::new(&sim);
        let id = api.created_id("order-1").await;
        let (done, _) = watch(&api, &id, |t| t["status"] != "awaiting_deposit").await;
        assert_eq!(done["status"], "expired");
        assert_eq!(done["updated_at"], done["expires_at"]);
        error(&api.cancel(&id, Some("k")).await, 409, "NOT_CANCELLABLE");
        assert!(
            sim.deposit_arrives(&id).is_err(),
            "a late deposit is not taken"
        );
    }

    #[tokio::test]
    async fn a_deposit_seen_before_the_deadline_is_honoured_after_it() {
        let sim = sim(CashWebSimConfig {
            deposit_expiry: Duration::from_millis(200),
            ..chain(2, Duration::from_millis(250))
        })
        .await;
        let api = Api::new(&sim);
        let id = api.created_id("order-1").await;
        sim.deposit_arrives(&id).unwrap();
        let (done, seen) = watch(&api, &id, |t| t["status"] == "confirmed").await;
        assert!(seen.iter().all(|t| t["status"] != "expired"));
        assert_eq!(done["confirmations"], 2);
    }

    #[tokio::test]
    async fn a_deposit_scheduled_later_lands_on_time() {
        let sim = sim(chain(1, Duration::from_millis(50))).await;
        let api = Api::new(&sim);
        let id = api.created_id("order-1").await;
        let t = sim
            .deposit_arrives_after(&id, Duration::from_millis(300))
            .unwrap();
        assert_eq!(t.status, Status::AwaitingDeposit);
        assert_eq!(
            api.get(&format!("/transactions/{id}")).await.json["data"]["deposit_id"],
            json!(null)
        );
        let (done, _) = watch(&api, &id, |t| t["status"] == "confirmed").await;
        let received: chrono::DateTime<chrono::Utc> =
            done["received_at"].as_str().unwrap().parse().unwrap();
        let created = sim.transaction(&id).unwrap().created_at;
        assert!(received - created >= chrono::TimeDelta::milliseconds(300));
    }

    #[tokio::test]
    async fn a_cancelled_transaction_takes_no_deposit() {
        let sim = sim(fast()).await;
        let api = Api::new(&sim);
        let id = api.created_id("order-1").await;
        sim.deposit_arrives_after(&id, Duration::from_millis(100))
            .unwrap();
        assert_eq!(api.cancel(&id, Some("k")).await.status, 200);
        tokio::time::sleep(Duration::from_millis(200)).await;
        assert_eq!(sim.transaction(&id).unwrap().status, Status::Cancelled);
        assert!(sim.deposit_arrives(&id).is_err());
    }

    #[tokio::test]
    async fn customers_created_in_rust_appear_in_the_list_feed_under_the_same_rules() {
        let sim = sim(fast()).await;
        let api = Api::new(&sim);
        let direct = CreateTransactionRequest::direct("cust-1", d("3230.00"), "usdt", "trc20");
        let t = sim.create_as_customer(&direct).unwrap();
        assert_eq!(t.crypto_amount, d("2"));
        let q = sim.issue_quote(d("1615.00"), "usdt", "trc20").unwrap();
        let quoted =
            CreateTransactionRequest::quoted("cust-2", Quote::issued_at(&q.quote_id, q.issued_at));
        assert_eq!(
            sim.create_as_customer(&quoted).unwrap().quote_id,
            Some(q.quote_id)
        );
        let dup = sim.create_as_customer(&CreateTransactionRequest::direct(
            "CUST-1",
            d("1.00"),
            "usdt",
            "trc20",
        ));
        assert_eq!(dup.unwrap_err().code, "DUPLICATE_MERCHANT_REFERENCE");
        error(
            &api.create("cust-2", "1.00").await,
            409,
            "DUPLICATE_MERCHANT_REFERENCE",
        );

        let page = api.get("/transactions?limit=10").await;
        let refs: Vec<_> = page.json["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["merchant_reference"].as_str().unwrap())
            .collect();
        assert_eq!(refs, ["cust-2", "cust-1"]);
        assert_eq!(sim.request_count(), 2, "the Rust API is not HTTP");
    }
}
