//! Webhook signatures checked against the document's own Node.js code.
//!
//! Zexabit's reference verifier HMACs `JSON.stringify(req.body)` after
//! `express.json()`, so these tests run that exact code with `node` rather
//! than trusting our reading of it. Node is required: a missing `node`
//! fails the tests loudly instead of skipping them.

use cashdesk_sim::{ZexabitSim, ZexabitSimConfig};
use cashdesk_zexabit::webhook::{self, EventKind, WebhookError};
use cashdesk_zexabit::{Client, CreateDepositRequest, CreateUserRequest, Paths, js_json};
use rust_decimal::Decimal;
use std::process::Command;
use std::time::Duration;

const SECRET: &str = "whsec_3f9a7c";

/// The document's `verifyWebhook`, verbatim, plus a signer that does what
/// Express does: parse the raw body, sign `JSON.stringify` of the result.
const DOC_JS: &str = r#"
const crypto = require('crypto');
function verifyWebhook(payload, signature, secret) {
const expected = 'sha256=' + crypto
.createHmac('sha256', secret)
.update(JSON.stringify(payload))
.digest('hex');
return crypto.timingSafeEqual(
Buffer.from(signature),
Buffer.from(expected)
);
}
const body = process.env.BODY, secret = process.env.SECRET, mode = process.env.MODE;
const payload = JSON.parse(body); // express.json()
if (mode === 'sign') {
  process.stdout.write('sha256=' + crypto.createHmac('sha256', secret).update(JSON.stringify(payload)).digest('hex'));
} else if (mode === 'verify') {
  let ok; try { ok = verifyWebhook(payload, process.env.SIG, secret); } catch (e) { ok = false; }
  process.stdout.write(String(ok));
} else {
  process.stdout.write(JSON.stringify(payload));
}
"#;

fn node(mode: &str, body: &str, sig: &str) -> String {
    let out = Command::new("node")
        .args(["-e", DOC_JS])
        .env("BODY", body)
        .env("SECRET", SECRET)
        .env("MODE", mode)
        .env("SIG", sig)
        .output()
        .unwrap_or_else(|e| {
            panic!("`node` is required for the webhook signature tests (the document's verifier is Node.js) but could not be run: {e}. Install Node.js and put it on PATH.")
        });
    assert!(
        out.status.success(),
        "node failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

const PRETTY: &str = r#"{
  "event": "deposit.completed",
  "timestamp": "2026-03-08T10:30:00Z",
  "data": {
    "transactionId": "dep_68xyz",
    "externalUserId": "usr_abc123",
    "userId": "68abc40f",
    "amount": 500,
    "paymentMethod": "bkash",
    "status": "completed",
    "newBalance": 1500.00
  }
}"#;

#[test]
fn a_signature_made_by_the_documents_node_code_is_accepted() {
    let compact = js_json::stringify(&serde_json::from_str(PRETTY).unwrap());
    let sig = node("sign", &compact, "");
    let event = webhook::verify(SECRET.as_bytes(), compact.as_bytes(), Some(&sig)).unwrap();
    assert_eq!(event.event, EventKind::DepositCompleted);
}

#[test]
fn a_raw_body_with_1500_00_signed_over_its_javascript_reserialisation_is_accepted() {
    let sig = node("sign", PRETTY, "");
    assert_ne!(
        sig,
        webhook::sign(SECRET.as_bytes(), PRETTY.as_bytes()),
        "node did not sign the raw bytes"
    );
    let event = webhook::verify(SECRET.as_bytes(), PRETTY.as_bytes(), Some(&sig)).unwrap();
    assert_eq!(event.data.new_balance, Some(Decimal::from(1500)));
    assert_eq!(event.data.amount, Decimal::from(500));
}

#[test]
fn one_changed_byte_is_refused() {
    let sig = node("sign", PRETTY, "");
    let tampered = PRETTY.replace("\"amount\": 500", "\"amount\": 900");
    assert_eq!(
        webhook::verify(SECRET.as_bytes(), tampered.as_bytes(), Some(&sig)),
        Err(WebhookError::BadSignature)
    );
    let spaced = PRETTY.replace("usr_abc123", "usr_abc124");
    assert_eq!(
        webhook::verify(SECRET.as_bytes(), spaced.as_bytes(), Some(&sig)),
        Err(WebhookError::BadSignature)
    );
}

#[test]
fn a_missing_header_a_wrong_prefix_or_another_secret_is_refused() {
    let sig = node("sign", PRETTY, "");
    let body = PRETTY.as_bytes();
    assert_eq!(
        webhook::verify(SECRET.as_bytes(), body, None),
        Err(WebhookError::MissingSignature)
    );
    let sha512 = sig.replacen("sha256=", "sha512=", 1);
    assert_eq!(
        webhook::verify(SECRET.as_bytes(), body, Some(&sha512)),
        Err(WebhookError::BadSignature)
    );
    assert_eq!(
        webhook::verify(b"another secret", body, Some(&sig)),
        Err(WebhookError::BadSignature)
    );
}

#[test]
fn the_documents_verifier_accepts_what_we_sign() {
    let body = js_json::stringify(&serde_json::from_str(PRETTY).unwrap());
    let ours = webhook::sign(SECRET.as_bytes(), body.as_bytes());
    assert_eq!(node("verify", &body, &ours), "true");
    let other = webhook::sign(b"nope", body.as_bytes());
    assert_eq!(node("verify", &body, &other), "false");
}

#[test]
fn our_javascript_reserialisation_matches_node_byte_for_byte() {
    let cases = [
        PRETTY,
        r#"{"b":1,"10":2,"a":[0.1,1e21,1e-7,-0,123456789012345678901,5e-324,1.7976931348623157e308,1e400]}"#,
        r#"{"s":"q\"b\\s\/ \b\f\n\r\t\u0001\u001f\u007f ñ€😀 \u2028\u2029 <>&'"}"#,
        r#"{"a":1,"b":{"2":[],"1":{}},"a":3, "x" : null , "t":true}"#,
        r#"[0.0001, 1500.50, 100000000000000000000, 0.000001, 0.0000001, 2.5e-3, 12E2]"#,
    ];
    for case in cases {
        let ours = js_json::stringify(&serde_json::from_str(case).unwrap());
        assert_eq!(ours, node("stringify", case, ""), "for {case}");
    }
}

#[tokio::test]
async fn the_simulators_webhooks_pass_the_documents_verifier() {
    use axum::{Router, body::Bytes, http::HeaderMap, routing::post};
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<(String, Vec<u8>)>();
    let app = Router::new().route(
        "/hook",
        post(move |h: HeaderMap, b: Bytes| {
            let tx = tx.clone();
            async move {
                let sig = h[webhook::SIGNATURE_HEADER].to_str().unwrap().to_owned();
                let _ = tx.send((sig, b.to_vec()));
                "ok"
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    let sim = ZexabitSim::start(ZexabitSimConfig {
        webhook_secret: SECRET.into(),
        callback_url: Some(url),
        settle_after: Duration::from_millis(50),
        ..ZexabitSimConfig::default()
    })
    .await
    .unwrap();
    let c = Client::new(&sim.base_url(), sim.api_key().into(), Paths::default()).unwrap();
    let user = c
        .create_user(&CreateUserRequest {
            external_user_id: "usr_node".into(),
            username: "node_user".into(),
            email: None,
            phone: None,
        })
        .await
        .unwrap();
    c.create_deposit(&CreateDepositRequest {
        user_id: user.user_id,
        amount: "750.00".parse().unwrap(),
        payment_method: "bkash".into(),
        payment_number: "01712345678".into(),
        transaction_id: Some("TRX1".into()),
    })
    .await
    .unwrap();
    let (sig, body) = tokio::time::timeout(Duration::from_secs(10), rx.recv())
        .await
        .unwrap()
        .unwrap();
    let body = String::from_utf8(body).unwrap();
    assert_eq!(node("verify", &body, &sig), "true", "{body}");
    assert!(webhook::verify(SECRET.as_bytes(), body.as_bytes(), Some(&sig)).is_ok());
}
