//! Helpers for the Paykassma simulator tests: a raw HTTP caller (so the
//! tests see exactly what goes over the wire) and a postback receiver.

#![allow(dead_code)] // each test file uses a different subset

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use cashdesk_paykassma::signature::{self, PrivateKey};
use cashdesk_sim::paykassma::{PaykassmaSim, PaykassmaSimConfig, RunningPaykassma};
use serde_json::{Map, Value, json};
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;
use tokio::sync::mpsc;

#[path = "../answer/mod.rs"]
mod answer_mod;
pub use answer_mod::{Answer, answer};

pub async fn sim(config: PaykassmaSimConfig) -> RunningPaykassma {
    PaykassmaSim::start(config).await.expect("simulator starts")
}

pub fn fast() -> PaykassmaSimConfig {
    PaykassmaSimConfig {
        settle_after: Duration::from_millis(100),
        postback_backoff: Duration::from_millis(50),
        ..PaykassmaSimConfig::default()
    }
}

pub struct Api {
    pub base: String,
    pub secret: Option<String>,
    pub private_key: String,
    pub http: reqwest::Client,
}

impl Api {
    pub fn new(sim: &RunningPaykassma) -> Self {
        Self {
            base: sim.base_url(),
            secret: Some(sim.secret().to_owned()),
            private_key: sim.private_key().to_owned(),
            http: reqwest::Client::new(),
        }
    }

    fn url(&self, path: &str, query: &[(&str, &str)]) -> reqwest::Url {
        let mut url = reqwest::Url::parse(&format!("{}{path}", self.base)).unwrap();
        {
            let mut pairs = url.query_pairs_mut();
            if let Some(s) = &self.secret {
                pairs.append_pair("secret", s);
            }
            for (k, v) in query {
                pairs.append_pair(k, v);
            }
        }
        url
    }

    pub async fn get(&self, path: &str, query: &[(&str, &str)]) -> Answer {
        answer(
            self.http
                .get(self.url(path, query))
                .send()
                .await
                .expect("answered"),
        )
        .await
    }

    pub async fn post(&self, path: &str, body: Value) -> Answer {
        let req = self
            .http
            .post(self.url(path, &[]))
            .header("Content-Type", "application/json")
            .body(body.to_string());
        answer(req.send().await.expect("answered")).await
    }

    pub async fn multipart(&self, path: &str, form: reqwest::multipart::Form) -> Answer {
        let req = self.http.post(self.url(path, &[])).multipart(form);
        answer(req.send().await.expect("answered")).await
    }

    /// A withdrawal signed with the simulator's private key, no secret.
    pub async fn withdraw(&self, body: Value) -> Answer {
        let req = self
            .http
            .post(format!("{}/v2/withdrawal/create", self.base))
            .header("Content-Type", "application/json")
            .body(signed(&self.private_key, body).to_string());
        answer(req.send().await.expect("answered")).await
    }

    pub async fn activate(
        &self,
        wallet: &str,
        key1: &str,
        custom_id: &str,
        amount: Option<Value>,
    ) -> Answer {
        let mut body = json!({"currency_code": currency_of(wallet), "wallet_type": wallet,
            "label": "55", "key1": key1, "custom_transaction_id": custom_id});
        if let Some(a) = amount {
            body["amount"] = a;
        }
        self.post("/api/v1/transaction/activate", body).await
    }
}

pub fn currency_of(wallet: &str) -> &'static str {
    match wallet {
        "bkash" | "nagad" | "rocket" | "bkash_api" | "nagad_api" => "BDT",
        "local_bank" => "USD",
        _ => "INR",
    }
}

/// `body` with its `signature`, made as the document's PHP makes it.
pub fn signed(private_key: &str, body: Value) -> Value {
    let Value::Object(mut map) = body else {
        panic!("a withdrawal body is an object")
    };
    signature::attach(&PrivateKey::new(private_key.to_owned()), &mut map);
    Value::Object(map)
}

/// A valid paytm withdrawal body (before signing).
pub fn paytm_withdrawal(id: &str, amount: u64) -> Value {
    json!({"withdrawal_id": id, "payment_system": "paytm", "amount": amount,
        "currency_code": "INR", "label": "55", "is_test": false, "comment": "withdrawal",
        "account_number": "9876543210"})
}

/// Asserts Paykassma's refusal shape and returns its `message`.
pub fn fail(a: &Answer, status: u16) -> Value {
    assert_eq!(a.status, status, "{}", a.text);
    assert_eq!(a.json["status"], "fail", "{}", a.text);
    a.json["message"].clone()
}

/// The messages about `field` in a per-field refusal.
pub fn field_errors(a: &Answer, field: &str) -> Vec<String> {
    let message = fail(a, 400);
    let list = message[field]
        .as_array()
        .unwrap_or_else(|| panic!("no {field} error: {}", a.text));
    list.iter()
        .map(|m| m.as_str().unwrap().to_owned())
        .collect()
}

/// A postback as the receiver saw it.
pub struct Hook {
    pub content_type: Option<String>,
    pub body: Vec<u8>,
}

impl Hook {
    pub fn json(&self) -> Map<String, Value> {
        serde_json::from_slice(&self.body).expect("postback is a JSON object")
    }
}

pub struct Receiver {
    pub url: String,
    rx: mpsc::UnboundedReceiver<Hook>,
}

struct Inbox {
    tx: mpsc::UnboundedSender<Hook>,
    refuse_first: AtomicU32,
}

impl Receiver {
    /// Answers 500 to the first `refuse_first` postbacks, then 200.
    pub async fn start(refuse_first: u32) -> Receiver {
        let (tx, rx) = mpsc::unbounded_channel();
        let inbox = Arc::new(Inbox {
            tx,
            refuse_first: AtomicU32::new(refuse_first),
        });
        let app = Router::new()
            .route("/postback/paykassma", post(receive))
            .with_state(inbox);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!(
            "http://{}/postback/paykassma",
            listener.local_addr().unwrap()
        );
        tokio::spawn(async move { axum::serve(listener, app).await });
        Receiver { url, rx }
    }

    pub async fn next(&mut self) -> Hook {
        tokio::time::timeout(Duration::from_secs(10), self.rx.recv())
            .await
            .expect("a postback within 10 s")
            .expect("receiver open")
    }

    /// True if nothing arrives within `wait`.
    pub async fn quiet_for(&mut self, wait: Duration) -> bool {
        tokio::time::timeout(wait, self.rx.recv()).await.is_err()
    }
}

async fn receive(
    State(inbox): State<Arc<Inbox>>,
    headers: axum::http::HeaderMap,
    body: Bytes,
) -> StatusCode {
    let content_type = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let _ = inbox.tx.send(Hook {
        content_type,
        body: body.to_vec(),
    });
    let refused = inbox
        .refuse_first
        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
        .is_ok();
    if refused {
        StatusCode::INTERNAL_SERVER_ERROR
    } else {
        StatusCode::OK
    }
}

/// Polls `check` every 25 ms for up to 10 s.
pub async fn eventually(mut check: impl FnMut() -> bool) {
    for _ in 0..400 {
        if check() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("condition not met within 10 s");
}
