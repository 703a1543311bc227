//! Helpers shared by the simulator tests: a raw HTTP caller (so the tests
//! see exactly what goes over the wire) and a webhook receiver.

#![allow(dead_code)] // each test file uses a different subset

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use cashdesk_sim::{RunningZexabit, ZexabitSim, ZexabitSimConfig};
use serde_json::{Value, json};
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;
use tokio::sync::mpsc;

#[path = "../answer/mod.rs"]
mod answer_mod;
pub use answer_mod::{Answer, answer};

pub async fn sim(config: ZexabitSimConfig) -> RunningZexabit {
    ZexabitSim::start(config).await.expect("simulator starts")
}

pub fn fast() -> ZexabitSimConfig {
    ZexabitSimConfig {
        settle_after: Duration::from_millis(100),
        webhook_backoff: Duration::from_millis(50),
        ..ZexabitSimConfig::default()
    }
}

pub struct Api {
    pub base: String,
    pub key: String,
    pub http: reqwest::Client,
}

impl Api {
    pub fn new(sim: &RunningZexabit) -> Self {
        Self {
            base: sim.base_url(),
            key: sim.api_key().to_owned(),
            http: reqwest::Client::new(),
        }
    }

    pub async fn post(&self, path: &str, body: Value) -> Answer {
        let req = self
            .http
            .post(format!("{}{path}", self.base))
            .bearer_auth(&self.key)
            .header("Content-Type", "application/json")
            .body(body.to_string());
        answer(req.send().await.expect("request answered")).await
    }

    pub async fn get(&self, path: &str) -> Answer {
        let req = self
            .http
            .get(format!("{}{path}", self.base))
            .bearer_auth(&self.key);
        answer(req.send().await.expect("request answered")).await
    }

    pub async fn user(&self, external: &str) -> String {
        let a = self
            .post(
                "/partner/users",
                json!({"externalUserId": external, "username": format!("user_{external}")}),
            )
            .await;
        assert_eq!(a.status, 200, "{}", a.text);
        a.json["userId"].as_str().unwrap().to_owned()
    }

    pub async fn deposit(&self, user: &str, amount: Value, trx: &str) -> Answer {
        self.post(
            "/partner/deposits",
            json!({"userId": user, "amount": amount, "paymentMethod": "bkash",
                   "paymentNumber": "01712345678", "transactionId": trx}),
        )
        .await
    }

    pub async fn withdraw(&self, user: &str, amount: Value) -> Answer {
        self.post(
            "/partner/withdrawals",
            json!({"userId": user, "amount": amount, "paymentMethod": "bkash", "accountNumber": "01898765432"}),
        )
        .await
    }
}

/// Asserts the documented error shape and returns its message.
pub fn error(a: &Answer, status: u16, code: &str) -> String {
    assert_eq!(a.status, status, "{}", a.text);
    assert_eq!(a.json["success"], json!(false), "{}", a.text);
    assert_eq!(a.json["error"], json!(code), "{}", a.text);
    a.json["message"].as_str().expect("message").to_owned()
}

/// A webhook as the receiver saw it.
pub struct Hook {
    pub signature: Option<String>,
    pub content_type: Option<String>,
    pub body: Vec<u8>,
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
    /// Answers 500 to the first `refuse_first` webhooks, then 200.
    pub async fn start(refuse_first: u32) -> Receiver {
        let (tx, rx) = mpsc::unbounded_channel();
        let inbox = Arc::new(Inbox {
            tx,
            refuse_first: AtomicU32::new(refuse_first),
        });
        let app = Router::new()
            .route("/webhook/zexabit", post(receive))
            .with_state(inbox);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/webhook/zexabit", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await });
        Receiver { url, rx }
    }

    pub async fn next(&mut self) -> Hook {
        tokio::time::timeout(Duration::from_secs(10), self.rx.recv())
            .await
            .expect("a webhook within 10 s")
            .expect("receiver open")
    }

    /// True if nothing arrives within `wait`.
    pub async fn quiet_for(&mut self, wait: Duration) -> bool {
        tokio::time::timeout(wait, self.rx.recv()).await.is_err()
    }
}

async fn receive(State(inbox): State<Arc<Inbox>>, headers: HeaderMap, body: Bytes) -> StatusCode {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let _ = inbox.tx.send(Hook {
        signature: header("x-zexabit-signature"),
        content_type: header("content-type"),
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
