//! The local HTTP server under attack and misuse: forged, tampered,
//! replayed and oversized webhooks change nothing; intake needs its token
//! and is idempotent (a reused intake_ref with another body is refused).

mod common;

use cashdesk_core::Cashdesk;
use cashdesk_core::api;
use cashdesk_domain::RequestStatus;
use common::*;
use serde_json::json;

struct Env {
    _dir: tempfile::TempDir,
    app: Cashdesk,
    base: String,
    token: String,
    account: cashdesk_domain::AccountId,
    secret: Vec<u8>,
    http: reqwest::Client,
}

async fn env() -> Env {
    let dir = tempfile::tempdir().unwrap();
    let sim = zexabit_sim(None).await;
    let app = Cashdesk::start(config(dir.path())).await.unwrap();
    let account = add_zexabit_account(&app, &sim);
    let info = app.http_info().unwrap();
    let secret = sim.webhook_secret().to_vec();
    sim.shutdown().await;
    Env {
        _dir: dir,
        app,
        base: format!("http://{}", info.addr),
        token: info.intake_token,
        account,
        secret,
        http: reqwest::Client::new(),
    }
}

fn deposit(intake_ref: &str) -> serde_json::Value {
    json!({"intake_ref": intake_ref, "kind": "deposit", "provider": "zexabit", "method": "bkash", "amount": "500",
        "currency": "BDT", "end_user_ref": "usr_abc123", "provider_user_id": "68abc", "trx_id": "TRX1",
        "agent_number": "01712345678"})
}

impl Env {
    async fn intake(&self, body: &serde_json::Value, token: Option<&str>) -> reqwest::Response {
        let mut r = self
            .http
            .post(format!("{}/intake/v1/requests", self.base))
            .json(body);
        if let Some(t) = token {
            r = r.bearer_auth(t);
        }
        r.send().await.unwrap()
    }

    async fn webhook(&self, body: &[u8], sig: Option<String>) -> reqwest::Response {
        let mut r = self
            .http
            .post(format!("{}/webhooks/zexabit/{}", self.base, self.account))
            .header("content-type", "application/json")
            .body(body.to_vec());
        if let Some(s) = sig {
            r = r.header("X-Zexabit-Signature", s);
        }
        r.send().await.unwrap()
    }

    fn audit_len(&self) -> usize {
        self.app.store().audit_entries(10_000).unwrap().len()
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn intake_requires_the_token_and_files_each_request_once() {
    let e = env().await;
    assert_eq!(e.intake(&deposit("a"), None).await.status(), 401);
    assert_eq!(e.intake(&deposit("a"), Some("wrong")).await.status(), 401);
    let first = e.intake(&deposit("a"), Some(&e.token)).await;
    assert_eq!(first.status(), 201);
    let again = e.intake(&deposit("a"), Some(&e.token)).await;
    assert_eq!(again.status(), 200, "a repeated push is the same request");
    // The same key with another body is a mistake, not a retry: refused,
    // naming the field, and the first request is unchanged.
    for (field, value) in [
        ("amount", json!("600")),
        ("end_user_ref", json!("usr_other")),
    ] {
        let mut other = deposit("a");
        other[field] = value;
        let r = e.intake(&other, Some(&e.token)).await;
        assert_eq!(r.status(), 409, "{field}");
        let text = r.text().await.unwrap();
        assert!(
            text.contains(field) && text.contains("intake_ref a"),
            "{text}"
        );
    }
    assert_eq!(
        e.app
            .store()
            .find_by_intake_ref("a")
            .unwrap()
            .unwrap()
            .money
            .amount
            .to_string(),
        "500.00"
    );
    let mut bad = deposit("b");
    bad["amount"] = json!("5.001");
    let r = e.intake(&bad, Some(&e.token)).await;
    assert_eq!(r.status(), 400);
    assert!(
        r.text().await.unwrap().contains("amount"),
        "the error names the field"
    );
    let read = e
        .http
        .get(format!("{}/intake/v1/requests/a", e.base))
        .bearer_auth(&e.token)
        .send()
        .await
        .unwrap();
    let v: serde_json::Value = read.json().await.unwrap();
    assert_eq!(v["status"], "pending");
    e.app.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn forged_tampered_and_unsigned_webhooks_change_nothing() {
    let e = env().await;
    e.intake(&deposit("w"), Some(&e.token)).await;
    let body = br#"{"event":"deposit.completed","timestamp":"2026-03-08T10:30:00Z","data":{"transactionId":"dep_1","externalUserId":"usr_abc123","userId":"68abc","amount":500,"paymentMethod":"bkash","status":"completed","newBalance":1500}}"#;
    let before = e.audit_len();
    assert_eq!(e.webhook(body, None).await.status(), 401, "unsigned");
    assert_eq!(
        e.webhook(
            body,
            Some(cashdesk_zexabit::webhook::sign(b"not-the-secret", body))
        )
        .await
        .status(),
        401,
        "forged"
    );
    let good = cashdesk_zexabit::webhook::sign(&e.secret, body);
    let mut tampered = body.to_vec();
    let at = tampered.windows(3).position(|w| w == b"500").unwrap();
    tampered[at] = b'9';
    assert_eq!(
        e.webhook(&tampered, Some(good.clone())).await.status(),
        401,
        "one byte changed"
    );
    let big = vec![b' '; 300 * 1024];
    assert_eq!(
        e.webhook(&big, Some(good.clone())).await.status(),
        413,
        "oversized"
    );
    assert_eq!(
        e.audit_len(),
        before,
        "nothing recorded from refused webhooks"
    );
    // Correctly signed: accepted (no request matches it, so nothing moves), and a replay is recognised.
    let ok = e.webhook(body, Some(good.clone())).await;
    assert_eq!(ok.status(), 200);
    let replay = e.webhook(body, Some(good)).await;
    assert_eq!(replay.text().await.unwrap(), "already handled");
    let page = api::requests::list_queue(
        &e.app,
        &api::dto::QueueQuery {
            tab: api::dto::QueueTab::Queue,
            provider: None,
            kind: None,
            limit: None,
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(
        page.items[0].status,
        RequestStatus::Pending,
        "a pending request is not completed by a webhook for another transaction"
    );
    e.app.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn intake_text_is_stored_without_controls_or_bidi_and_capped() {
    let e = env().await;
    let mut spoof = deposit("text-1");
    spoof["end_user_name"] = json!("\u{202E}Karim\u{0007}\u{2066} Uddin");
    spoof["details"] = json!({"note": "a\u{202E}b"});
    assert_eq!(e.intake(&spoof, Some(&e.token)).await.status(), 201);
    let rec = e.app.store().find_by_intake_ref("text-1").unwrap().unwrap();
    assert_eq!(rec.end_user_name.as_deref(), Some("Karim Uddin"));
    assert_eq!(rec.details, json!({"note": "ab"}));

    for (field, value) in [
        ("trx_id", json!("9".repeat(129))),
        ("end_user_name", json!("K".repeat(201))),
    ] {
        let mut long = deposit(&format!("long-{field}"));
        long[field] = value;
        let r = e.intake(&long, Some(&e.token)).await;
        assert_eq!(r.status(), 400, "{field}");
        let text = r.text().await.unwrap();
        assert!(text.contains(field) && text.contains("at most"), "{text}");
        assert!(
            e.app
                .store()
                .find_by_intake_ref(&format!("long-{field}"))
                .unwrap()
                .is_none(),
            "nothing filed"
        );
    }
    e.app.shutdown().await;
}
