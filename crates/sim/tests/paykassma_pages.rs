//! Deposits without activation on the Paykassma simulator: manual
//! possible transactions with a multipart screenshot, payment pages,
//! savings info and redirect URL hashing.

mod paykassma_support;

use paykassma_support::{Api, fast, field_errors, sim};
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};

/// One module, so `cargo test -p cashdesk-sim paykassma` selects these.
mod paykassma {
    use super::*;

    #[tokio::test]
    async fn possible_transactions_take_a_multipart_screenshot() {
        let sim = sim(fast()).await;
        let api = Api::new(&sim);
        let form = |custom_id: &str, key1: &str, wallet: &str| {
            Form::new()
                .text("currency_code", "INR")
                .text("wallet_type", wallet.to_owned())
                .text("label", "55")
                .text("key1", key1.to_owned())
                .text("amount", "500.50")
                .text("custom_id", custom_id.to_owned())
        };
        let png = Part::bytes(b"\x89PNG\r\n\x1a\n\x00".to_vec())
            .file_name("pay.png")
            .mime_str("image/png")
            .unwrap();
        let a = api
            .multipart(
                "/api/v1/possible-transaction",
                form("m1", "123456789012", "imps").part("screenshot", png),
            )
            .await;
        assert_eq!(
            a.json,
            json!({"status": "success", "message": "", "code": 20000, "data": [],
                "paginate": {"offset": 0, "total": 1, "limit": 1}})
        );
        let p = &sim.payments()[0];
        let shot = p.screenshot.as_ref().expect("screenshot kept");
        assert_eq!((shot.file_name.as_str(), shot.bytes.len()), ("pay.png", 9));
        assert_eq!(p.amount.to_string(), "500.50");

        let nf = api
            .multipart(
                "/api/v1/possible-transaction",
                form("m2", "NOTFOUND1234", "imps"),
            )
            .await;
        assert_eq!(nf.json["status"], "possible_transaction_created");
        let auto = api
            .multipart(
                "/api/v1/possible-transaction",
                form("m3", "123456789012", "paytm"),
            )
            .await;
        assert!(field_errors(&auto, "wallet_type")[0].contains("not a manual"));
        let exe = Part::bytes(b"MZ".to_vec())
            .file_name("pay.exe")
            .mime_str("application/x-msdownload")
            .unwrap();
        let bad = api
            .multipart(
                "/api/v1/possible-transaction",
                form("m4", "123456789013", "imps").part("screenshot", exe),
            )
            .await;
        assert!(
            field_errors(&bad, "screenshot")[0]
                .starts_with("The screenshot must be a file of type")
        );
        let text = api
            .multipart(
                "/api/v1/possible-transaction",
                form("m5", "123456789014", "imps").text("screenshot", "pay.png"),
            )
            .await;
        assert_eq!(
            field_errors(&text, "screenshot"),
            ["The screenshot must be a file."]
        );
        let dup = api
            .multipart(
                "/api/v1/possible-transaction",
                form("m1", "123456789015", "imps"),
            )
            .await;
        assert_eq!(
            field_errors(&dup, "custom_id"),
            ["The custom id has already been taken."]
        );
        assert_eq!(sim.payments().len(), 2);
    }

    #[tokio::test]
    async fn payment_pages_answer_as_documented() {
        let sim = sim(fast()).await;
        let api = Api::new(&sim);
        let generic = json!({"language": "en", "currency": "USD", "bank": "MBB", "amount": 1000.00,
            "label": "55", "redirect_url": "https://google.com", "custom_transaction_id": "p1"});
        assert_eq!(
            api.post("/api/v1/payment/create/local_bank", generic.clone())
                .await
                .json,
            json!({"status": "ok"})
        );
        let mut bad = generic.clone();
        bad["bank"] = json!("XYZ");
        bad["language"] = json!("eng");
        bad["custom_transaction_id"] = json!("p2");
        let a = api.post("/api/v1/payment/create/local_bank", bad).await;
        assert_eq!(field_errors(&a, "bank"), ["The selected bank is invalid."]);
        assert!(field_errors(&a, "language")[0].contains("2 characters"));

        let bkash = json!({"amount": 1.00, "account_number": "01770618575", "currency": "BDT", "label": "test",
            "custom_transaction_id": "01abc0095689", "success_url": "https://s.test/?status=success",
            "failure_url": "https://s.test/?status=failure", "cancel_url": "https://yandex.ru/"});
        let a = api
            .post("/api/v1/payment/create/bkash_api", bkash.clone())
            .await;
        assert_eq!(a.json["status"], "ok");
        assert_eq!(a.json["data"]["message"], "Successful");
        assert!(
            a.json["data"]["bkashUrl"]
                .as_str()
                .unwrap()
                .starts_with("https://")
        );
        let mut wrong = bkash;
        wrong["account_number"] = json!("02770618575");
        wrong["custom_transaction_id"] = json!("b2");
        let a = api.post("/api/v1/payment/create/bkash_api", wrong).await;
        assert_eq!(
            field_errors(&a, "account_number"),
            ["The account number format is invalid."]
        );

        let nagad = json!({"custom_transaction_id": "custom_transaction_1", "amount": 100.00, "currency": "BDT",
            "label": "test_user", "success_url": "https://success_url.com", "fail_url": "https://fail_url.com",
            "cancel_url": "https://cancel_url.com"});
        let a = api.post("/api/v1/payment/create/nagad_api", nagad).await;
        assert!(
            a.json["payment_url"]
                .as_str()
                .unwrap()
                .starts_with("https://"),
            "{}",
            a.text
        );
        assert_eq!(sim.payments().len(), 3);
    }

    #[tokio::test]
    async fn deposit_info_reports_the_savings_toward_the_minimum() {
        let sim = sim(fast()).await;
        let api = Api::new(&sim);
        let a = api
            .get(
                "/api/v1/deposit-info",
                &[
                    ("label", "55"),
                    ("wallet_type", "paytm"),
                    ("currency", "INR"),
                ],
            )
            .await;
        assert_eq!(
            a.json,
            json!({"status": "ok", "stockpiling_sum": 0, "lacks_sum": 148, "minimum_deposit": 148})
        );
        let typo = api
            .get(
                "/api/v1/deposit-info",
                &[
                    ("label", "55"),
                    ("wallet_type", "paytm"),
                    ("currency", "UDS1"),
                ],
            )
            .await;
        assert_eq!(
            field_errors(&typo, "currency"),
            ["The currency must be 3 characters."]
        );
    }

    #[tokio::test]
    async fn hash_url_sorts_and_renumbers_each_list() {
        let sim = sim(fast()).await;
        let api = Api::new(&sim);
        let a = api
            .post("/payment-plugin/hash-url", json!({
                "success_urls": [{"order": 2, "url": "https://test.com/success2.jpg"}, {"order": 1, "url": "https://test.com/success1.jpg"}],
                "fail_urls": [{"order": 1, "url": "https://test.com/fail1.jpg"}],
                "pending_urls": [{"order": 3, "url": "https://test.com/pending1.jpg"}, {"order": 4, "url": "https://test.com/pending2.jpg"}]}))
            .await;
        assert_eq!(a.json["status"], "ok", "{}", a.text);
        let success = a.json["urls"]["success_url"].as_array().unwrap();
        assert_eq!(
            success
                .iter()
                .map(|u| u["order"].clone())
                .collect::<Vec<_>>(),
            [json!(1), json!(2)]
        );
        let pending: Vec<Value> = a.json["urls"]["pending_url"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u["order"].clone())
            .collect();
        assert_eq!(pending, [json!(1), json!(2)]);
        let hash = success[0]["url"].as_str().unwrap();
        assert!(
            hash.len() == 40 && hash.bytes().all(|b| b.is_ascii_hexdigit()),
            "{hash}"
        );
        let none = api
            .post(
                "/payment-plugin/hash-url",
                json!({"success_urls": [], "fail_urls": []}),
            )
            .await;
        assert!(
            field_errors(&none, "success_urls")[0].contains("required when fail urls is empty")
        );
    }
}
