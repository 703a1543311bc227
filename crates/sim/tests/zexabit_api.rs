//! The simulator's HTTP surface: the document's endpoints, auth, errors,
//! the rate limit, and every injectable fault.

mod support;

use cashdesk_sim::{Faults, RetryAfterForm, ZexabitSimConfig};
use rust_decimal::Decimal;
use serde_json::json;
use std::time::{Duration, Instant, SystemTime};
use support::{Api, answer, error, fast, sim};

#[tokio::test]
async fn every_endpoint_requires_the_partner_bearer_key() {
    let sim = sim(fast()).await;
    let mut api = Api::new(&sim);
    api.key = "wrong".into();
    for path in [
        "/partner/payment-methods",
        "/partner/agent-number/bkash",
        "/partner/deposits/dep_x",
    ] {
        let msg = error(&api.get(path).await, 401, "UNAUTHORIZED");
        assert_eq!(msg, "Missing or invalid API key");
    }
    let a = api
        .post(
            "/partner/users",
            json!({"externalUserId": "u", "username": "john_doe"}),
        )
        .await;
    error(&a, 401, "UNAUTHORIZED");
    assert!(sim.users().is_empty());
}

#[tokio::test]
async fn a_suspended_partner_is_forbidden() {
    let sim = sim(fast()).await;
    sim.set_suspended(true);
    let msg = error(
        &Api::new(&sim).get("/partner/payment-methods").await,
        403,
        "FORBIDDEN",
    );
    assert_eq!(msg, "Partner account suspended");
}

#[tokio::test]
async fn payment_methods_are_the_documents_18_with_limits() {
    let sim = sim(fast()).await;
    let a = Api::new(&sim).get("/partner/payment-methods").await;
    let methods = a.json["methods"].as_array().unwrap();
    assert_eq!(methods.len(), 18);
    assert_eq!(
        methods[0],
        json!({"method": "bkash", "label": "bKash", "currency": "BDT", "minAmount": 100, "maxAmount": 50000})
    );
    assert!(
        a.text.contains(r#""minAmount":0.0001"#),
        "exact crypto minimum on the wire"
    );
}

#[tokio::test]
async fn agent_numbers_come_with_instructions_and_422_when_no_agent() {
    let sim = sim(ZexabitSimConfig {
        methods_without_agent: vec!["nagad".into()],
        ..fast()
    })
    .await;
    let api = Api::new(&sim);
    let upi = api.get("/partner/agent-number/upi").await;
    assert_eq!(upi.json["accountNumber"], "agent@ybl");
    assert_eq!(upi.json["agentName"], "INR Cashagent");
    assert!(upi.json["instructions"].as_str().unwrap().contains("UTR"));
    error(
        &api.get("/partner/agent-number/nagad").await,
        422,
        "NO_AGENT_AVAILABLE",
    );
    error(
        &api.get("/partner/agent-number/paypal").await,
        400,
        "INVALID_REQUEST",
    );
    let user = api.user("usr_1").await;
    let dep = api
        .post("/partner/deposits", json!({"userId": user, "amount": 500, "paymentMethod": "nagad", "paymentNumber": "01812345678"}))
        .await;
    assert!(error(&dep, 422, "NO_AGENT_AVAILABLE").contains("nagad"));
    sim.set_agent_available("nagad", true);
    assert_eq!(api.get("/partner/agent-number/nagad").await.status, 200);
}

#[tokio::test]
async fn users_need_a_4_to_20_character_username_and_are_not_duplicated() {
    let sim = sim(ZexabitSimConfig {
        initial_balance: Decimal::from(50),
        ..fast()
    })
    .await;
    let api = Api::new(&sim);
    let short = api
        .post(
            "/partner/users",
            json!({"externalUserId": "u1", "username": "joe"}),
        )
        .await;
    assert!(error(&short, 400, "INVALID_REQUEST").contains("username"));
    let missing = api
        .post("/partner/users", json!({"username": "john_doe"}))
        .await;
    assert_eq!(
        error(&missing, 400, "INVALID_REQUEST"),
        "externalUserId is required"
    );

    let body = json!({"externalUserId": "usr_abc123", "username": "john_doe", "email": "john@example.com"});
    let first = api.post("/partner/users", body.clone()).await;
    assert_eq!(first.json["success"], true);
    assert_eq!(first.json["balance"], json!(50));
    let again = api.post("/partner/users", body).await;
    assert_eq!(again.json["userId"], first.json["userId"]);
    assert_eq!(sim.users().len(), 1);
    let taken = api
        .post(
            "/partner/users",
            json!({"externalUserId": "other", "username": "john_doe"}),
        )
        .await;
    assert!(error(&taken, 400, "INVALID_REQUEST").contains("taken"));
}

#[tokio::test]
async fn deposits_are_validated_field_by_field() {
    let sim = sim(fast()).await;
    let api = Api::new(&sim);
    let user = api.user("usr_v").await;
    let post = |body| api.post("/partner/deposits", body);
    let no_number = post(json!({"userId": user, "amount": 500, "paymentMethod": "bkash"})).await;
    assert_eq!(
        error(&no_number, 400, "INVALID_REQUEST"),
        "paymentNumber is required"
    );
    let text_amount = post(
        json!({"userId": user, "amount": "500", "paymentMethod": "bkash", "paymentNumber": "x"}),
    )
    .await;
    assert_eq!(
        error(&text_amount, 400, "INVALID_REQUEST"),
        "amount must be a number"
    );
    let low =
        post(json!({"userId": user, "amount": 99, "paymentMethod": "bkash", "paymentNumber": "x"}))
            .await;
    assert_eq!(
        error(&low, 400, "INVALID_REQUEST"),
        "amount 99 is below the minimum 100 BDT for bkash"
    );
    let high = post(
        json!({"userId": user, "amount": 25001, "paymentMethod": "rocket", "paymentNumber": "x"}),
    )
    .await;
    assert!(error(&high, 400, "INVALID_REQUEST").contains("maximum 25000 BDT"));
    let method = post(
        json!({"userId": user, "amount": 500, "paymentMethod": "paypal", "paymentNumber": "x"}),
    )
    .await;
    assert!(error(&method, 400, "INVALID_REQUEST").contains("paymentMethod"));
    let nobody = post(
        json!({"userId": "nobody", "amount": 500, "paymentMethod": "bkash", "paymentNumber": "x"}),
    )
    .await;
    error(&nobody, 404, "NOT_FOUND");
    assert!(sim.deposits().is_empty());
}

#[tokio::test]
async fn a_body_that_is_not_json_is_an_invalid_request() {
    let sim = sim(fast()).await;
    let api = Api::new(&sim);
    let r = api
        .http
        .post(format!("{}/partner/deposits", api.base))
        .bearer_auth(&api.key)
        .body("{}")
        .send()
        .await
        .unwrap();
    assert!(error(&answer(r).await, 400, "INVALID_REQUEST").contains("Content-Type"));
    let r = api
        .http
        .post(format!("{}/partner/deposits", api.base))
        .bearer_auth(&api.key)
        .header("Content-Type", "application/json")
        .body("{oops")
        .send()
        .await
        .unwrap();
    assert!(error(&answer(r).await, 400, "INVALID_REQUEST").contains("not valid JSON"));
}

#[tokio::test]
async fn unknown_users_and_transactions_are_not_found() {
    let sim = sim(fast()).await;
    let api = Api::new(&sim);
    error(
        &api.get("/partner/users/nobody/balance").await,
        404,
        "NOT_FOUND",
    );
    error(
        &api.get("/partner/deposits/dep_nope").await,
        404,
        "NOT_FOUND",
    );
    error(
        &api.get("/partner/withdrawals/wdr_nope").await,
        404,
        "NOT_FOUND",
    );
    error(&api.get("/partner/admin").await, 404, "NOT_FOUND");
    // undocumented method on a documented path: 404 in the documented shape
    error(&api.get("/partner/deposits").await, 404, "NOT_FOUND");
}

#[tokio::test]
async fn a_withdrawal_above_the_balance_is_refused_with_the_documents_message() {
    let sim = sim(ZexabitSimConfig {
        initial_balance: Decimal::from(200),
        ..fast()
    })
    .await;
    let api = Api::new(&sim);
    let user = api.user("usr_poor").await;
    let msg = error(
        &api.withdraw(&user, json!(500)).await,
        409,
        "INSUFFICIENT_BALANCE",
    );
    assert_eq!(
        msg,
        "User balance (200 BDT) is less than requested amount (500 BDT)"
    );
    assert!(sim.withdrawals().is_empty());
    assert_eq!(sim.users()[0].balance, Decimal::from(200));
}

#[tokio::test]
async fn more_than_100_requests_a_minute_are_rate_limited_with_retry_after() {
    let sim = sim(fast()).await;
    let api = Api::new(&sim);
    for i in 0..100 {
        assert_eq!(
            api.get("/partner/payment-methods").await.status,
            200,
            "request {i}"
        );
    }
    let a = api.get("/partner/payment-methods").await;
    assert_eq!(
        error(&a, 429, "RATE_LIMITED"),
        "Too many requests — max 100/min per partner"
    );
    let secs: u64 = a.headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&secs), "{secs}");
}

#[tokio::test]
async fn latency_delays_every_answer() {
    let sim = sim(fast()).await;
    sim.set_faults(Faults {
        latency: Some(Duration::from_millis(300)),
        ..Faults::default()
    });
    let started = Instant::now();
    assert_eq!(
        Api::new(&sim).get("/partner/payment-methods").await.status,
        200
    );
    assert!(started.elapsed() >= Duration::from_millis(300));
}

#[tokio::test]
async fn injected_500s_hit_the_next_n_requests_before_anything_is_committed() {
    let sim = sim(fast()).await;
    let api = Api::new(&sim);
    let user = api.user("usr_500").await;
    sim.set_faults(Faults {
        fail_with_500: 2,
        ..Faults::default()
    });
    for _ in 0..2 {
        let msg = error(
            &api.deposit(&user, json!(500), "TRX1").await,
            500,
            "INTERNAL_ERROR",
        );
        assert!(msg.contains("WhatsApp"));
    }
    assert!(sim.deposits().is_empty());
    assert_eq!(api.deposit(&user, json!(500), "TRX1").await.status, 200);
}

#[tokio::test]
async fn an_injected_429_carries_retry_after_in_the_chosen_form() {
    let sim = sim(fast()).await;
    let api = Api::new(&sim);
    sim.set_faults(Faults {
        rate_limit_next: Some(RetryAfterForm::Seconds(7)),
        ..Faults::default()
    });
    let a = api.get("/partner/payment-methods").await;
    error(&a, 429, "RATE_LIMITED");
    assert_eq!(a.headers["retry-after"], "7");
    sim.set_faults(Faults {
        rate_limit_next: Some(RetryAfterForm::HttpDate(120)),
        ..Faults::default()
    });
    let a = api.get("/partner/payment-methods").await;
    let at = httpdate::parse_http_date(a.headers["retry-after"].to_str().unwrap()).unwrap();
    assert!(at > SystemTime::now() + Duration::from_secs(100));
    assert_eq!(
        api.get("/partner/payment-methods").await.status,
        200,
        "fires once"
    );
}

#[tokio::test]
async fn drop_after_commit_commits_then_closes_without_an_answer() {
    let sim = sim(fast()).await;
    let api = Api::new(&sim);
    let user = api.user("usr_drop").await;
    sim.set_faults(Faults {
        drop_after_commit: 1,
        ..Faults::default()
    });
    let r = api.http.post(format!("{}/partner/deposits", api.base)).bearer_auth(&api.key)
        .header("Content-Type", "application/json")
        .body(json!({"userId": user, "amount": 500, "paymentMethod": "bkash", "paymentNumber": "0171"}).to_string())
        .send().await;
    let err = r.expect_err("no response at all");
    assert!(!err.is_connect(), "the request did arrive: {err}");
    assert_eq!(sim.deposits().len(), 1, "committed");
    assert_eq!(
        api.deposit(&user, json!(500), "TRX2").await.status,
        200,
        "only the next one"
    );
}

/// The sandbox's `LOST` marker: the first call is closed unanswered with
/// nothing committed; the same call again goes through.
#[tokio::test]
async fn a_lost_trx_id_is_dropped_uncommitted_once() {
    let sim = sim(fast()).await;
    let api = Api::new(&sim);
    let user = api.user("usr_lost").await;
    let body = json!({"userId": user, "amount": 500, "paymentMethod": "bkash",
        "paymentNumber": "0171", "transactionId": "LOST1234"});
    let send = || {
        api.http
            .post(format!("{}/partner/deposits", api.base))
            .bearer_auth(&api.key)
            .header("Content-Type", "application/json")
            .body(body.to_string())
            .send()
    };
    let err = send().await.expect_err("no response at all");
    assert!(!err.is_connect(), "the request did arrive: {err}");
    assert!(sim.deposits().is_empty(), "nothing committed");
    assert_eq!(
        send().await.unwrap().status(),
        200,
        "sent again, it arrives"
    );
    assert_eq!(sim.deposits().len(), 1);
}

#[tokio::test]
async fn hang_after_commit_commits_then_answers_too_late() {
    let sim = sim(fast()).await;
    let api = Api::new(&sim);
    let user = api.user("usr_hang").await;
    sim.set_faults(Faults {
        hang_after_commit: Some(Duration::from_secs(5)),
        ..Faults::default()
    });
    // refusals are not delayed: only a committed POST hangs
    assert_eq!(api.withdraw(&user, json!(100)).await.status, 409);
    let dep = api.http.post(format!("{}/partner/deposits", api.base)).bearer_auth(&api.key)
        .header("Content-Type", "application/json")
        .timeout(Duration::from_millis(300))
        .body(json!({"userId": user, "amount": 500, "paymentMethod": "bkash", "paymentNumber": "0171"}).to_string())
        .send().await.expect_err("times out");
    assert!(dep.is_timeout());
    assert_eq!(sim.deposits().len(), 1, "committed before hanging");
}

#[tokio::test]
async fn malformed_next_breaks_the_body_of_successful_answers_only() {
    let sim = sim(fast()).await;
    let api = Api::new(&sim);
    let user = api.user("usr_bad").await;
    sim.set_faults(Faults {
        malformed_next: 1,
        ..Faults::default()
    });
    error(
        &api.get("/partner/deposits/dep_nope").await,
        404,
        "NOT_FOUND",
    );
    let a = api.deposit(&user, json!(500), "TRX1").await;
    assert_eq!(a.status, 200);
    assert!(
        serde_json::from_str::<serde_json::Value>(&a.text).is_err(),
        "{}",
        a.text
    );
    assert_eq!(sim.deposits().len(), 1, "committed");
    assert!(api.deposit(&user, json!(500), "TRX2").await.json["depositId"].is_string());
}
