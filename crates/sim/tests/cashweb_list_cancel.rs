//! The CashWeb simulator's cursor-only list and idempotent cancel over
//! real HTTP.

mod cashweb_support;

/// Named so that `cargo test -p cashdesk-sim cashweb` selects these tests.
mod cashweb {
    use super::cashweb_support::{Api, error, fast, sim};
    use cashdesk_sim::cashweb::CashWebSimConfig;
    use serde_json::{Value, json};
    use std::collections::HashSet;

    fn refs(page: &Value) -> Vec<String> {
        page["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["merchant_reference"].as_str().unwrap().to_owned())
            .collect()
    }

    #[tokio::test]
    async fn limit_must_be_1_to_100() {
        let sim = sim(fast()).await;
        let api = Api::new(&sim);
        for bad in ["0", "101", "-1", "abc", "1.5", ""] {
            let msg = error(
                &api.get(&format!("/transactions?limit={bad}")).await,
                400,
                "VALIDATION_ERROR",
            );
            assert!(msg.contains("from 1 to 100"), "{bad}: {msg}");
        }
        for good in ["1", "100"] {
            let a = api.get(&format!("/transactions?limit={good}")).await;
            assert_eq!(a.status, 200, "{good}: {}", a.text);
            assert_eq!(a.json["data"], json!([]));
            assert_eq!(a.json["next_cursor"], json!(null));
        }
    }

    #[tokio::test]
    async fn paging_with_received_cursors_reaches_the_end_newest_first_without_duplicates() {
        let sim = sim(fast()).await;
        let api = Api::new(&sim);
        for i in 0..10 {
            api.created_id(&format!("r{i:02}")).await;
        }
        let mut seen = Vec::new();
        let mut cursor: Option<String> = None;
        let mut pages = 0;
        loop {
            let path = match &cursor {
                None => "/transactions?limit=3".to_owned(),
                Some(c) => format!("/transactions?limit=3&cursor={c}"),
            };
            let a = api.get(&path).await;
            assert_eq!(a.status, 200, "{}", a.text);
            seen.extend(refs(&a.json));
            pages += 1;
            if pages == 1 {
                // a transaction created mid-listing never shows up later
                api.created_id("r-new").await;
            }
            match a.json["next_cursor"].as_str() {
                Some(c) => cursor = Some(c.to_owned()),
                None => break,
            }
        }
        assert_eq!(pages, 4);
        let want: Vec<_> = (0..10).rev().map(|i| format!("r{i:02}")).collect();
        assert_eq!(seen, want);
        assert_eq!(seen.iter().collect::<HashSet<_>>().len(), 10);
        let first = api.get("/transactions?limit=1").await;
        assert_eq!(refs(&first.json), ["r-new"]);
    }

    #[tokio::test]
    async fn each_item_is_the_status_shape() {
        let sim = sim(fast()).await;
        let api = Api::new(&sim);
        let id = api.created_id("order-1").await;
        let page = api.get("/transactions?limit=10").await;
        let one = api.get(&format!("/transactions/{id}")).await;
        assert_eq!(page.json["data"][0], one.json["data"]);
    }

    #[tokio::test]
    async fn a_missing_limit_uses_the_configured_default_page() {
        let sim = sim(CashWebSimConfig {
            default_list_limit: 2,
            ..fast()
        })
        .await;
        let api = Api::new(&sim);
        for i in 0..3 {
            api.created_id(&format!("r{i}")).await;
        }
        let a = api.get("/transactions").await;
        assert_eq!(refs(&a.json), ["r2", "r1"]);
        assert!(a.json["next_cursor"].is_string());
    }

    #[tokio::test]
    async fn tampered_made_up_and_foreign_cursors_are_400() {
        let sim = sim(fast()).await;
        let other = super::cashweb_support::sim(fast()).await;
        let api = Api::new(&sim);
        let other_api = Api::new(&other);
        for i in 0..3 {
            api.created_id(&format!("r{i}")).await;
            other_api.created_id(&format!("r{i}")).await;
        }
        let a = api.get("/transactions?limit=1").await;
        let cursor = a.json["next_cursor"].as_str().unwrap().to_owned();
        let mut tampered = cursor.clone().into_bytes();
        tampered[15] = if tampered[15] == b'0' { b'1' } else { b'0' };
        let tampered = String::from_utf8(tampered).unwrap();
        let foreign = other_api.get("/transactions?limit=1").await.json["next_cursor"]
            .as_str()
            .unwrap()
            .to_owned();
        for bad in [
            tampered.as_str(),
            "eyJvZmZzZXQiOjEwfQ",
            "1",
            foreign.as_str(),
        ] {
            let msg = error(
                &api.get(&format!("/transactions?limit=1&cursor={bad}"))
                    .await,
                400,
                "INVALID_CURSOR",
            );
            assert!(msg.contains("exactly as received"), "{msg}");
        }
        let ok = api
            .get(&format!("/transactions?limit=1&cursor={cursor}"))
            .await;
        assert_eq!(refs(&ok.json), ["r1"]);
    }

    #[tokio::test]
    async fn cancelling_needs_an_idempotency_key() {
        let sim = sim(fast()).await;
        let api = Api::new(&sim);
        let id = api.created_id("order-1").await;
        let msg = error(&api.cancel(&id, None).await, 400, "VALIDATION_ERROR");
        assert!(msg.contains("Idempotency-Key"));
        assert_eq!(sim.transactions()[0].status.as_str(), "awaiting_deposit");
    }

    #[tokio::test]
    async fn a_repeated_key_gets_the_first_answer_byte_for_byte() {
        let sim = sim(fast()).await;
        let api = Api::new(&sim);
        let id = api.created_id("order-1").await;
        let first = api.cancel(&id, Some("cancel:order-1")).await;
        assert_eq!(first.status, 200, "{}", first.text);
        assert_eq!(first.json["data"]["status"], "cancelled");
        assert_eq!(first.json["data"]["id"], json!(id));
        let again = api.cancel(&id, Some("cancel:order-1")).await;
        assert_eq!((again.status, &again.text), (200, &first.text));
        assert_eq!(sim.transactions()[0].status.as_str(), "cancelled");
    }

    #[tokio::test]
    async fn a_state_that_is_not_cancellable_is_409_and_that_answer_is_replayed_too() {
        let sim = sim(fast()).await;
        let api = Api::new(&sim);
        let id = api.created_id("order-1").await;
        api.cancel(&id, Some("k1")).await;
        let conflict = api.cancel(&id, Some("k2")).await;
        let msg = error(&conflict, 409, "NOT_CANCELLABLE");
        assert!(msg.contains("cancelled"), "{msg}");
        let replay = api.cancel(&id, Some("k2")).await;
        assert_eq!((replay.status, replay.text), (409, conflict.text));

        let paid = api.created_id("order-2").await;
        sim.deposit_arrives(&paid).unwrap();
        let msg = error(&api.cancel(&paid, Some("k1")).await, 409, "NOT_CANCELLABLE");
        assert!(msg.contains("deposit_detected"), "{msg}");
    }

    #[tokio::test]
    async fn cancelling_an_unknown_transaction_is_404_and_not_remembered() {
        let sim = sim(fast()).await;
        let api = Api::new(&sim);
        error(&api.cancel("nope", Some("k")).await, 404, "NOT_FOUND");
    }
}
