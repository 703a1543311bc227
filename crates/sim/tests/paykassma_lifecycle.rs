//! Deposits and withdrawals move over time: pending, then credited or
//! failed, processed or rejected; balances follow; postbacks are issued
//! (deposits only once the savings reach the minimum), pushed signed and
//! found again by the lookups.

mod paykassma_support;

use cashdesk_paykassma::postback::{self, Postback};
use cashdesk_paykassma::signature::PrivateKey;
use cashdesk_paykassma::{PostbackPolicy, Received, WithdrawalStatus};
use cashdesk_sim::paykassma::{PaykassmaSimConfig, SimStatus};
use paykassma_support::{
    Api, Receiver, eventually, fail, fast, field_errors, paytm_withdrawal, sim,
};
use rust_decimal::Decimal;
use serde_json::json;
use std::str::FromStr;
use std::time::Duration;

/// One module, so `cargo test -p cashdesk-sim paykassma` selects these.
mod paykassma {
    use super::*;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn verified(sim_key: &str, body: &[u8]) -> Postback {
        let key = PrivateKey::new(sim_key.to_owned());
        match postback::verify(&key, PostbackPolicy::default(), body) {
            Ok(Received::Verified(p)) => p,
            other => panic!("postback did not verify: {other:?}"),
        }
    }

    fn balance(
        sim: &cashdesk_sim::paykassma::RunningPaykassma,
        wallet: &str,
        currency: &str,
    ) -> Decimal {
        sim.balances()
            .iter()
            .find(|b| b.wallet_type == wallet && b.currency_code == currency)
            .map_or(Decimal::ZERO, |b| b.amount)
    }

    #[tokio::test]
    async fn an_activated_deposit_is_credited_and_its_signed_postback_pushed_and_found() {
        let mut hooks = Receiver::start(0).await;
        let sim = sim(PaykassmaSimConfig {
            postback_url: Some(hooks.url.clone()),
            ..fast()
        })
        .await;
        let api = Api::new(&sim);
        let before = balance(&sim, "bkash", "BDT");
        assert_eq!(
            api.activate("bkash", "TRX12345", "order-1", None)
                .await
                .json["status"],
            "ok"
        );
        assert_eq!(sim.payments()[0].status, SimStatus::Pending);

        let hook = hooks.next().await;
        assert_eq!(hook.content_type.as_deref(), Some("application/json"));
        let Postback::Deposit(p) = verified(sim.private_key(), &hook.body) else {
            panic!("expected a deposit postback");
        };
        assert_eq!(p.transaction_id.as_deref(), Some("TRX12345"));
        assert_eq!(p.transactions[0].custom_id.as_deref(), Some("order-1"));
        assert_eq!(
            p.transactions[0].amount,
            d("200"),
            "no amount sent: the minimum arrived"
        );
        assert_eq!(p.stockpiling["BDT"], d("200"));
        assert_eq!(balance(&sim, "bkash", "BDT"), before + d("200"));

        let by_custom = api
            .get(
                "/api/v1/postback",
                &[("type", "deposit"), ("custom_id", "order-1")],
            )
            .await;
        assert_eq!(by_custom.json["status"], "ok");
        let id: u64 = p.stockpiling_id.parse().unwrap();
        assert_eq!(
            by_custom.json["postback"]["stockpiling_id"],
            json!(id),
            "a number, as documented"
        );
        let by_trx = api
            .get(
                "/api/v1/postback",
                &[("type", "deposit"), ("transaction_id", "TRX12345")],
            )
            .await;
        assert_eq!(by_trx.json["postback"]["label"], "55");
        assert!(
            by_trx.text.contains(r#""created_datetime":""#),
            "{}",
            by_trx.text
        );
    }

    #[tokio::test]
    async fn savings_below_the_minimum_send_no_postback_until_it_is_reached() {
        let mut hooks = Receiver::start(0).await;
        let sim = sim(PaykassmaSimConfig {
            postback_url: Some(hooks.url.clone()),
            ..fast()
        })
        .await;
        let api = Api::new(&sim);
        api.activate("phone_pe", "111111111111", "s1", Some(json!(60.50)))
            .await;
        eventually(|| sim.payments()[0].status == SimStatus::Success).await;
        assert!(
            hooks.quiet_for(Duration::from_millis(300)).await,
            "below the minimum of 100"
        );
        let info = api
            .get(
                "/api/v1/deposit-info",
                &[
                    ("label", "55"),
                    ("wallet_type", "phone_pe"),
                    ("currency", "INR"),
                ],
            )
            .await;
        assert_eq!(
            info.json,
            json!({"status": "ok", "stockpiling_sum": 60.5, "lacks_sum": 39.5, "minimum_deposit": 100})
        );
        let missing = api
            .get(
                "/api/v1/postback",
                &[("type", "deposit"), ("custom_id", "s1")],
            )
            .await;
        assert_eq!(fail(&missing, 400), "Postback not found");

        api.activate("phone_pe", "222222222222", "s2", Some(json!(50)))
            .await;
        let Postback::Deposit(p) = verified(sim.private_key(), &hooks.next().await.body) else {
            panic!("expected a deposit postback");
        };
        assert_eq!(p.transactions.len(), 2);
        assert_eq!(p.stockpiling["INR"], d("110.50"));
        assert_eq!(p.stockpiling["USD"], d("1.33"));
        assert!(p.covers("s1") && p.covers("s2"));
    }

    #[tokio::test]
    async fn a_fake_deposit_fails_and_a_suspect_one_settles_after_its_check() {
        let mut hooks = Receiver::start(0).await;
        let sim = sim(PaykassmaSimConfig {
            postback_url: Some(hooks.url.clone()),
            ..fast()
        })
        .await;
        let api = Api::new(&sim);
        api.activate("bkash", "FAKE1234", "f1", None).await;
        eventually(|| sim.payments()[0].status == SimStatus::Failed).await;
        assert!(
            hooks.quiet_for(Duration::from_millis(300)).await,
            "a failed deposit has no postback"
        );

        assert_eq!(
            api.activate("bkash", "SUSPECT9", "f2", None).await.status,
            400
        );
        let Postback::Deposit(p) = verified(sim.private_key(), &hooks.next().await.body) else {
            panic!("expected a deposit postback");
        };
        assert!(p.covers("f2"));
        assert!(sim.payments()[1].checked);
    }

    #[tokio::test]
    async fn a_withdrawal_is_processed_debited_and_reported_with_status_1() {
        let mut hooks = Receiver::start(0).await;
        let sim = sim(PaykassmaSimConfig {
            postback_url: Some(hooks.url.clone()),
            ..fast()
        })
        .await;
        let api = Api::new(&sim);
        let before = balance(&sim, "paytm", "INR");
        assert_eq!(
            api.withdraw(paytm_withdrawal("w-1", 500)).await.json,
            json!({"status": "ok"})
        );
        let Postback::Withdrawal(p) = verified(sim.private_key(), &hooks.next().await.body) else {
            panic!("expected a withdrawal postback");
        };
        assert_eq!(
            (p.withdrawal_id.as_str(), p.status, p.amount),
            ("w-1", WithdrawalStatus::Processed, d("500"))
        );
        assert_eq!(balance(&sim, "paytm", "INR"), before - d("500"));

        let mut rejected = paytm_withdrawal("w-2", 300);
        rejected["label"] = json!("REJECT-55");
        api.withdraw(rejected).await;
        let Postback::Withdrawal(p) = verified(sim.private_key(), &hooks.next().await.body) else {
            panic!("expected a withdrawal postback");
        };
        assert_eq!(p.status, WithdrawalStatus::Rejected);
        assert_eq!(
            balance(&sim, "paytm", "INR"),
            before - d("500"),
            "a rejection moves nothing"
        );

        let mut test = paytm_withdrawal("w-3", 100);
        test["is_test"] = json!(true);
        api.withdraw(test).await;
        hooks.next().await;
        assert_eq!(
            balance(&sim, "paytm", "INR"),
            before - d("500"),
            "a test withdrawal moves nothing"
        );

        let found = api
            .get(
                "/api/v1/postback",
                &[("type", "withdrawal"), ("withdrawal_id", "w-1")],
            )
            .await;
        assert_eq!(found.json["postback"]["status"], 1);
        assert_eq!(found.json["postback"]["amount"], 500);
    }

    #[tokio::test]
    async fn a_repeated_withdrawal_id_is_refused_not_paid_twice() {
        let sim = sim(fast()).await;
        let api = Api::new(&sim);
        api.withdraw(paytm_withdrawal("same", 100)).await;
        let again = api.withdraw(paytm_withdrawal("same", 100)).await;
        assert_eq!(
            field_errors(&again, "withdrawal_id"),
            ["The withdrawal id has already been taken."]
        );
        assert_eq!(sim.withdrawals().len(), 1);
        let mut no_id = paytm_withdrawal("x", 100);
        no_id.as_object_mut().unwrap().remove("withdrawal_id");
        assert_eq!(api.withdraw(no_id).await.status, 200);
        assert_eq!(
            sim.withdrawals()[1].withdrawal_id.len(),
            36,
            "Paykassma generates one"
        );
    }

    #[tokio::test]
    async fn insufficient_balance_counts_the_unfinished_withdrawals() {
        let sim = sim(PaykassmaSimConfig {
            settle_after: Duration::from_secs(60),
            ..fast()
        })
        .await;
        sim.set_balance("paytm", "INR", d("600"));
        sim.set_balance("imps_ib", "INR", d("0"));
        sim.set_balance("upi_ib", "INR", d("0"));
        let api = Api::new(&sim);
        assert_eq!(api.withdraw(paytm_withdrawal("b-1", 400)).await.status, 200);
        let a = api.withdraw(paytm_withdrawal("b-2", 300)).await;
        assert_eq!(
            a.json,
            json!({"status": "fail", "message": {"withdrawals_sum_amount": ["Insufficient balance"]}})
        );
        assert_eq!(api.withdraw(paytm_withdrawal("b-3", 200)).await.status, 200);
    }

    #[tokio::test]
    async fn pullpostbacks_answer_each_id_found_or_not() {
        let sim = sim(fast()).await;
        let api = Api::new(&sim);
        api.activate("bkash", "TRX55555", "pull-1", None).await;
        api.withdraw(paytm_withdrawal("pw-1", 100)).await;
        eventually(|| sim.postbacks().len() == 2).await;

        let a = api
            .get(
                "/api/v1/pullpostbacks",
                &[
                    ("type", "deposit"),
                    ("plugin_custom_order_id[]", "nope"),
                    ("plugin_custom_order_id[]", "pull-1"),
                ],
            )
            .await;
        assert_eq!(
            (a.json["status"].clone(), a.json["code"].clone()),
            (json!("success"), json!(20000))
        );
        let list = a.json["data"]["transactions"].as_array().unwrap();
        assert_eq!(
            list[0],
            json!({"plugin_custom_order_id": "nope", "message": "Postback not found"})
        );
        assert_eq!(
            list[1]["postback"]["transactions"][0]["custom_id"],
            "pull-1"
        );
        assert!(
            list[1]["postback"].get("transaction_id").is_none(),
            "as in the document"
        );
        assert_eq!(
            a.json["paginate"],
            json!({"offset": 0, "total": 2, "limit": 2})
        );

        let w = api
            .get(
                "/api/v1/pullpostbacks",
                &[("type", "withdrawal"), ("withdrawal_id[]", "pw-1")],
            )
            .await;
        assert_eq!(w.json["data"]["withdrawals"][0]["postback"]["status"], 1);

        let missing = api
            .get("/api/v1/pullpostbacks", &[("type", "deposit")])
            .await;
        assert_eq!(
            field_errors(&missing, "plugin_custom_order_id"),
            ["The plugin custom order id field is required when type is deposit."]
        );
        let bad_type = api.get("/api/v1/postback", &[("type", "refund")]).await;
        assert_eq!(
            field_errors(&bad_type, "type"),
            ["The selected type is invalid."]
        );
        let no_id = api.get("/api/v1/postback", &[("type", "withdrawal")]).await;
        assert!(field_errors(&no_id, "withdrawal_id")[0].contains("required"));
    }

    #[tokio::test]
    async fn balances_follow_the_books() {
        let sim = sim(fast()).await;
        let a = Api::new(&sim).get("/api/v1/accounts-balance", &[]).await;
        assert_eq!(
            (a.json["status"].clone(), a.json["code"].clone()),
            (json!("success"), json!(20000))
        );
        let first = &a.json["data"]["balances"][0];
        assert_eq!(
            *first,
            json!({"wallet_type": "paytm", "currency_code": "INR", "amount": 100000})
        );
    }

    #[tokio::test]
    async fn a_refused_postback_is_delivered_again() {
        let mut hooks = Receiver::start(2).await;
        let sim = sim(PaykassmaSimConfig {
            postback_url: Some(hooks.url.clone()),
            ..fast()
        })
        .await;
        Api::new(&sim).withdraw(paytm_withdrawal("r-1", 100)).await;
        let first = hooks.next().await.body;
        assert_eq!(hooks.next().await.body, first);
        assert_eq!(hooks.next().await.body, first, "third attempt accepted");
        assert!(hooks.quiet_for(Duration::from_millis(400)).await);
    }
}
