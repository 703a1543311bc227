//! Withdrawals on the Paykassma simulator: no secret but a signature made
//! as the document's PHP makes it, and every documented field rule.

mod paykassma_support;

use paykassma_support::{Api, fail, fast, field_errors, paytm_withdrawal, sim};
use serde_json::{Value, json};

/// One module, so `cargo test -p cashdesk-sim paykassma` selects these.
mod paykassma {
    use super::*;

    #[tokio::test]
    async fn the_withdrawal_needs_no_secret_but_a_valid_signature() {
        let sim = sim(fast()).await;
        let mut api = Api::new(&sim);
        api.secret = None;
        let unsigned = api
            .post("/v2/withdrawal/create", paytm_withdrawal("w1", 100))
            .await;
        assert_eq!(
            field_errors(&unsigned, "signature"),
            ["The signature field is required."]
        );
        let mut forged = paykassma_support::signed("not-the-key", paytm_withdrawal("w1", 100));
        forged["amount"] = json!(100);
        let a = api.post("/v2/withdrawal/create", forged).await;
        assert_eq!(fail(&a, 400), "Invalid signature");
        let a = api.withdraw(paytm_withdrawal("w1", 100)).await;
        assert_eq!((a.status, a.json.clone()), (200, json!({"status": "ok"})));
        assert_eq!(sim.withdrawals().len(), 1);
    }

    #[tokio::test]
    async fn withdrawal_fields_are_validated_with_the_documented_masks() {
        let sim = sim(fast()).await;
        let api = Api::new(&sim);
        let with = |patch: Value| {
            let mut body = paytm_withdrawal("w-x", 100);
            for (k, v) in patch.as_object().unwrap() {
                body[k] = v.clone();
            }
            body
        };
        let cases = [
            (
                json!({"amount": 100.5}),
                "amount",
                "The amount must be an integer.",
            ),
            (
                json!({"amount": 105}),
                "amount",
                "amount 105 must be a multiple of 10 for paytm",
            ),
            (
                json!({"is_test": "maybe"}),
                "is_test",
                "The is test field must be true or false.",
            ),
            (
                json!({"account_number": "+919876543210"}),
                "account_number",
                "account_number \"+919876543210\" is not valid: it must be 10 digits",
            ),
            (
                json!({"label": "55 "}),
                "label",
                "The label must not start or end with spaces.",
            ),
            (
                json!({"payment_system": "paypal"}),
                "payment_system",
                "The selected payment system is invalid.",
            ),
            (
                json!({"currency_code": "BDT"}),
                "currency_code",
                "The currency code is not supported by paytm.",
            ),
            (
                json!({"withdrawal_id": "x".repeat(37)}),
                "withdrawal_id",
                "The withdrawal id may not be greater than 36 characters.",
            ),
            (
                json!({"bank_details": {"bank_code": " MAHB0001821"}}),
                "bank_details.bank_code",
                "The bank details.bank code must not start or end with spaces.",
            ),
        ];
        for (patch, field, message) in cases {
            let a = api.withdraw(with(patch.clone())).await;
            assert_eq!(field_errors(&a, field), [message], "{patch}");
        }
        let mut bkash = with(
            json!({"payment_system": "bkash", "currency_code": "BDT", "account_number": "01770618575"}),
        );
        bkash.as_object_mut().unwrap().remove("account_email");
        let a = api.withdraw(bkash).await;
        assert_eq!(
            field_errors(&a, "account_email"),
            ["account_email is required for bkash"]
        );
        let imps = with(
            json!({"payment_system": "imps_ib", "account_number": "1950478885",
            "account_name": "Ravi", "bank_details": {"bank_code": "MAHB-001821"}}),
        );
        let a = api.withdraw(imps).await;
        assert!(field_errors(&a, "bank_details.bank_code")[0].contains("11 letters and digits"));
        assert!(sim.withdrawals().is_empty());
    }
}
